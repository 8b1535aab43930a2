/**
 * The numbers issue 14 asks for, to write down before and after the restructuring:
 *   node scripts/architecture-numbers.ts          a readable summary
 *   node scripts/architecture-numbers.ts --json   the same as JSON (to keep, or compare two runs)
 *
 * - feature-level cycles (strongly connected components of the feature import graph) and mutual pairs;
 * - the house-rule violations of .dependency-cruiser.cjs, per rule;
 * - one feature's code naming another feature's tables in SQL (owners in scripts/architecture/table-owners.json);
 * - the largest source files and the functions over 100 lines (Biome's noExcessiveLinesPerFunction).
 * Duplicated code is counted by an external tool, not here.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  cruiseCode,
  edgesInCycles,
  FEATURE_CYCLES_RULE,
  featureCycles,
  featureEdges,
  featureOf,
  mutualPairs,
} from "./architecture/cruise.ts";
import { type Access, tableReferences } from "./architecture/table-references.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const OWNERS_FILE = path.join(import.meta.dirname, "architecture/table-owners.json");
/** Not counted as source: tests, their fixtures and generators, and the rule tables per jurisdiction. */
const NOT_SOURCE =
  /\.(test|fixture|arbitrary|d)\.ts$|(^|\/)fixtures\/|^src\/rules\/(england|wales|scotland|uk)\//;
const FUNCTION_MAX_LINES = 100;

function sourceFiles(): string[] {
  return (readdirSync(path.join(ROOT, "src"), { recursive: true }) as string[])
    .map((file) => `src/${file.split(path.sep).join("/")}`)
    .filter((file) => file.endsWith(".ts") && !NOT_SOURCE.test(file))
    .sort();
}

function lineCount(file: string): number {
  return readFileSync(path.join(ROOT, file), "utf8").trimEnd().split("\n").length;
}

/** table → owning feature ("platform" for src/platform's own tables). */
function tableOwners(): Map<string, string> {
  const { owners } = JSON.parse(readFileSync(OWNERS_FILE, "utf8")) as { owners: Record<string, string[]> };
  return new Map(Object.entries(owners).flatMap(([owner, tables]) => tables.map((table) => [table, owner])));
}

/** Tables created in migrations/ that the owners map does not know (it has to be kept complete). */
function tablesWithoutOwner(owners: Map<string, string>): string[] {
  const dir = path.join(ROOT, "migrations");
  const created = readdirSync(dir)
    .filter((file) => file.endsWith(".sql"))
    .flatMap((file) => [
      ...readFileSync(path.join(dir, file), "utf8").matchAll(
        /create\s+table\s+(?:if\s+not\s+exists\s+)?(\w+)/gi,
      ),
    ])
    .map((match) => match[1]!.toLowerCase());
  return [...new Set(created)].filter((table) => !owners.has(table));
}

interface ForeignTableUse {
  /** A feature's name, "platform", or a file outside both (src/cli/…, src/app). */
  from: string;
  inFeature: boolean;
  table: string;
  owner: string;
  access: Access;
  places: string[];
}

/** Every place where code outside a table's owner names the table in SQL, grouped by who, table and access. */
function foreignTableUses(files: string[], owners: Map<string, string>): ForeignTableUse[] {
  const uses = new Map<string, ForeignTableUse>();
  const tables = new Set(owners.keys());
  for (const file of files) {
    const feature = featureOf(file);
    const from = feature ?? (file.startsWith("src/platform/") ? "platform" : file.replace(/\.ts$/, ""));
    for (const { table, access, line } of tableReferences(
      readFileSync(path.join(ROOT, file), "utf8"),
      tables,
    )) {
      const owner = owners.get(table)!;
      if (owner === from) continue;
      const key = `${from}|${table}|${access}`;
      const use = uses.get(key) ?? {
        from,
        inFeature: feature !== undefined,
        table,
        owner,
        access,
        places: [],
      };
      use.places.push(`${file}:${line}`);
      uses.set(key, use);
    }
  }
  return [...uses.values()].sort((a, b) => a.from.localeCompare(b.from) || a.table.localeCompare(b.table));
}

interface LongFunction {
  place: string;
  lines: number;
  start: string;
}

/** Biome's count of lines per function; its default limit is 50, so the ones over 100 are filtered here. */
function longFunctions(files: ReadonlySet<string>): LongFunction[] {
  const biome = path.join(ROOT, "node_modules/.bin/biome");
  const run = spawnSync(
    biome,
    [
      "lint",
      "--only=complexity/noExcessiveLinesPerFunction",
      "--reporter=github",
      "--max-diagnostics=none",
      "src",
    ],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  const found: LongFunction[] = [];
  const diagnostic = /file=([^,]+),line=(\d+),.*too many lines \((\d+)\)/;
  for (const row of run.stdout.split("\n")) {
    const match = diagnostic.exec(row);
    if (!match) continue;
    const file = path.relative(ROOT, match[1]!).split(path.sep).join("/");
    const lines = Number(match[3]);
    if (!files.has(file) || lines <= FUNCTION_MAX_LINES) continue;
    const line = Number(match[2]);
    const start = readFileSync(path.join(ROOT, file), "utf8").split("\n")[line - 1]!.trim().slice(0, 70);
    found.push({ place: `${file}:${line}`, lines, start });
  }
  if (run.status !== 0 && found.length === 0) throw new Error(`biome lint failed: ${run.stderr}`);
  return found.sort((a, b) => b.lines - a.lines);
}

const result = await cruiseCode();
const edges = featureEdges(result);
const cycles = featureCycles(edges);
const files = sourceFiles();
const owners = tableOwners();
const uses = foreignTableUses(files, owners);
const byFeature = uses.filter((use) => use.inFeature);
const ruleCounts: Record<string, number> = {};
for (const violation of result.summary.violations) {
  ruleCounts[violation.rule.name] = (ruleCounts[violation.rule.name] ?? 0) + 1;
}
ruleCounts[FEATURE_CYCLES_RULE] = edgesInCycles(edges).length;

const numbers = {
  featureCycles: cycles,
  mutualPairs: mutualPairs(edges),
  featureImports: edges.length,
  ruleViolations: ruleCounts,
  crossFeatureTableUse: {
    reads: byFeature.filter((use) => use.access === "read").reduce((sum, use) => sum + use.places.length, 0),
    writes: byFeature
      .filter((use) => use.access === "write")
      .reduce((sum, use) => sum + use.places.length, 0),
    uses: byFeature,
  },
  outsideFeaturesTableUse: uses.filter((use) => !use.inFeature),
  tablesWithoutOwner: tablesWithoutOwner(owners),
  largestFiles: files
    .map((file) => ({ file, lines: lineCount(file) }))
    .sort((a, b) => b.lines - a.lines)
    .slice(0, 10),
  functionsOver100Lines: longFunctions(new Set(files)),
};

if (process.argv.includes("--json")) {
  console.log(JSON.stringify(numbers, null, 2));
} else {
  const out: string[] = [];
  const list = (rows: string[]): void => {
    for (const row of rows) out.push(`  ${row}`);
  };
  const inCycles = cycles.reduce((sum, cycle) => sum + cycle.length, 0);
  out.push(
    `Feature-level cycles: ${cycles.length} (${inCycles} features in them, ${edges.length} feature imports)`,
  );
  list(cycles.map((cycle, i) => `${i + 1}. ${cycle.join(", ")}`));
  out.push(`Mutual pairs (each imports the other): ${numbers.mutualPairs.length}`);
  list(numbers.mutualPairs);
  out.push("House-rule violations now (per rule):");
  list(Object.entries(ruleCounts).map(([rule, count]) => `${rule}: ${count}`));
  const { reads, writes } = numbers.crossFeatureTableUse;
  out.push(
    `Cross-feature table use in SQL: writes ${writes}, reads ${reads} (feature → table (owner) ×places)`,
  );
  list(
    byFeature.map(
      (use) =>
        `${use.access} ${use.from} → ${use.table} (${use.owner}) ×${use.places.length}: ${use.places.join(" ")}`,
    ),
  );
  const outside = numbers.outsideFeaturesTableUse;
  out.push(
    `Outside the features (cli, platform, app) naming a feature's tables: ${outside.length} (who, table, access)`,
  );
  list(outside.map((use) => `${use.access} ${use.from} → ${use.table} (${use.owner}) ×${use.places.length}`));
  if (numbers.tablesWithoutOwner.length > 0) {
    out.push(`! Tables with no owner in table-owners.json: ${numbers.tablesWithoutOwner.join(", ")}`);
  }
  out.push("Largest source files (lines; without tests, fixtures, src/rules data):");
  list(numbers.largestFiles.map(({ file, lines }) => `${String(lines).padStart(5)} ${file}`));
  const functions = numbers.functionsOver100Lines;
  out.push(`Functions over ${FUNCTION_MAX_LINES} lines (Biome's count): ${functions.length}`);
  list(functions.map(({ place, lines, start }) => `${String(lines).padStart(5)} ${place}  ${start}`));
  console.log(out.join("\n"));
}
