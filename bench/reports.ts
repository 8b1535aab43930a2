/**
 * The reports benchmark (issue 15, "Scale and correctness"), on real PostgreSQL. Run by hand, prints figures,
 * asserts nothing:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/reports.ts [options]
 *     --people N        synthetic people in the council (default 1000000; 20000 while developing)
 *     --database NAME   the benchmark's database beside DATABASE_URL's (default bench_reports; never test)
 *     --today DATE      the day the council is made on and the reports are run on (default today, London)
 *     --payment-runs R  4-weekly payment runs before today (default 3)
 *     --fresh           remake the council even when one of this size and day is there
 *     --only a,b        run only the named timings (see TIMINGS; cld-store rebuilds the CLD events table and
 *                       exports from it, cld-export only exports)
 *
 * The council (bench/reports-data.ts) is kept between runs and made again only when --people or --today change,
 * so timings can be repeated without the generation. Each timing goes through the real service a page or the CLI
 * calls, in its tenant transaction as the app role, and the table says what, rows, seconds, target, met or not.
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import { CLD_FIELDS, type CldRow } from "#/features/reports/cld-record.ts";
import { ascofMeasures, personalisedSpendByYear, spendMeasures } from "#/features/reports/measures.ts";
import { buildCldReturn } from "#/features/reports/service.ts";
import { type ServiceContext, todayInLondon } from "#/platform/context.ts";
import { openPostgres } from "#/platform/db/database.ts";
import { cldStages } from "./reports-cld-stages.ts";
import { cldStoreTimings } from "./reports-cld-store.ts";
import { type Council, syntheticCouncil } from "./reports-data.ts";
import { commissionerPages, fairnessPage } from "./reports-pages-services.ts";

/** A timing; one with no target is a part of the one above it. cpuSeconds: this process's CPU time in it. */
type Result = {
  what: string;
  rows: number;
  seconds: number;
  cpuSeconds?: number;
  targetSeconds?: number;
  note?: string;
};

type Run = {
  ctx: ServiceContext;
  council: Council;
  /** The CLD period (12 months to the last quarter's end) and the rows of its return, for ASCOF. */
  period: { start: string; end: string };
  cldRows: CldRow[];
};

type Timing = { name: string; run: (r: Run) => Promise<Result[]> };

const CLD_TARGET_SECONDS = 60;
const PAGE_TARGET_SECONDS = 1;

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const value = await fn();
  const cpu = process.cpuUsage(cpu0);
  return { value, seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** The return file's lines back into rows (the writer quotes a cell with a comma, quote or line break). */
export function rowsFromCsv(csv: string): CldRow[] {
  const rows: CldRow[] = [];
  const lines = csv.split(/\r?\n/);
  for (const line of lines.slice(1)) {
    if (line === "") continue;
    const cells: (string | null)[] = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let cell = "";
        i++;
        while (i < line.length) {
          if (line[i] === '"' && line[i + 1] === '"') {
            cell += '"';
            i += 2;
          } else if (line[i] === '"') {
            i++;
            break;
          } else cell += line[i++];
        }
        cells.push(cell);
        i++; // the comma
      } else {
        const next = line.indexOf(",", i);
        const end = next === -1 ? line.length : next;
        const cell = line.slice(i, end);
        cells.push(cell === "" ? null : cell);
        i = end + 1;
      }
    }
    rows.push(Object.fromEntries(CLD_FIELDS.map((f, k) => [f, cells[k] ?? null])) as CldRow);
  }
  return rows;
}

const TIMINGS: Timing[] = [
  {
    name: "cld-stages",
    run: async (r) => {
      const { value, seconds, cpuSeconds } = await timed(() => cldStages(r.ctx, r.period));
      return [
        {
          what: "CLD return's reads, derivation and checks, page by page",
          rows: value.rows,
          seconds,
          cpuSeconds,
          targetSeconds: CLD_TARGET_SECONDS,
          note: `bounded memory; no sort and no files; ${value.failingFields.toLocaleString("en-GB")} failing fields`,
        },
        ...value.stages.map((s) => ({ what: `  ${s.stage}`, rows: s.rows, seconds: s.seconds })),
      ];
    },
  },
  {
    name: "cld",
    run: async (r) => {
      const heapBefore = process.memoryUsage().rss;
      const { value, seconds, cpuSeconds } = await timed(() =>
        buildCldReturn(r.ctx, { period: `${r.period.start}..${r.period.end}` }),
      );
      const rssMb = Math.round((process.memoryUsage().rss - heapBefore) / 1e6);
      r.cldRows = rowsFromCsv(value.csv);
      const worst = value.summary
        .filter((q) => q.code < 0)
        .sort((a, b) => b.count - a.count)
        .slice(0, 4)
        .map((q) => [q.field, q.count] as const);
      return [
        {
          what: `CLD return ${r.period.start} to ${r.period.end}`,
          rows: value.rows,
          seconds,
          cpuSeconds,
          targetSeconds: CLD_TARGET_SECONDS,
          note: `${value.people.toLocaleString("en-GB")} people, ${Math.round(value.csv.length / 1e6)} MB file, ${value.failureCount.toLocaleString("en-GB")} failures (most: ${worst.map(([f, n]) => `${f} ${n}`).join(", ")}), RSS +${rssMb} MB`,
        },
      ];
    },
  },
  {
    name: "cld-store",
    run: async (r) => {
      const timings = await cldStoreTimings(r.ctx, r.period, (line) => console.log(line), { rebuild: true });
      return timings.map((t) =>
        t.what.startsWith("CLD export") ? { ...t, targetSeconds: CLD_TARGET_SECONDS } : t,
      );
    },
  },
  {
    // The export alone, from the table as the last cld-store run left it.
    name: "cld-export",
    run: async (r) => {
      const timings = await cldStoreTimings(r.ctx, r.period, (line) => console.log(line), { rebuild: false });
      return timings.map((t) =>
        t.what.startsWith("CLD export") ? { ...t, targetSeconds: CLD_TARGET_SECONDS } : t,
      );
    },
  },
  {
    name: "ascof",
    run: async (r) => {
      if (r.cldRows.length === 0) return [];
      const { value, seconds, cpuSeconds } = await timed(() => ascofMeasures(r.ctx, r.period, r.cldRows));
      return [
        {
          what: "ASCOF 3D/2E from the CLD rows",
          rows: r.cldRows.length,
          seconds,
          cpuSeconds,
          targetSeconds: PAGE_TARGET_SECONDS,
          note: `computed from rows already made (the CLD return's time not counted); ${JSON.stringify(value).length} bytes`,
        },
      ];
    },
  },
  {
    name: "spend",
    run: async (r) => {
      // The last financial year to have ended before today (2025 for April 2025 to March 2026).
      const year = Number(r.ctx.today.slice(0, 4)) - (r.ctx.today.slice(5) < "04-01" ? 2 : 1);
      const one = await timed(() => spendMeasures(r.ctx, { year }));
      const years = await timed(() => personalisedSpendByYear(r.ctx, { fromYear: year - 2, toYear: year }));
      return [
        {
          what: `ASC-FR spend by setting, ${year}-${(year + 1) % 100}`,
          rows: one.value.spend.lines.length,
          seconds: one.seconds,
          cpuSeconds: one.cpuSeconds,
          targetSeconds: PAGE_TARGET_SECONDS,
        },
        {
          what: `personalised spend by year, ${year - 2} to ${year}`,
          rows: years.value.length,
          seconds: years.seconds,
          cpuSeconds: years.cpuSeconds,
          targetSeconds: PAGE_TARGET_SECONDS,
        },
      ];
    },
  },
  {
    name: "pages",
    run: async (r) => {
      const pages = [await fairnessPage(r.ctx.db, "demo", r.ctx.today), ...(await commissionerPages(r.ctx))];
      return pages.map((p) => ({ ...p, targetSeconds: PAGE_TARGET_SECONDS }));
    },
  },
];

/** The CLD period the page suggests: the 12 months to the end of the last full quarter before today. */
function lastFullYearOfQuarters(today: string): { start: string; end: string } {
  const [y, m] = today.split("-").map(Number) as [number, number];
  const quarterStartMonth = Math.floor((m - 1) / 3) * 3 + 1; // this quarter's first month
  const end = new Date(Date.UTC(y, quarterStartMonth - 1, 0)); // the day before it
  const start = new Date(Date.UTC(end.getUTCFullYear() - 1, end.getUTCMonth() + 1, 1));
  return { start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) };
}

function printTable(results: Result[]) {
  const head = ["what", "rows", "seconds", "cpu s", "target", "met"];
  const body = results.map((r) => [
    r.what,
    r.rows.toLocaleString("en-GB"),
    r.seconds.toFixed(2),
    r.cpuSeconds === undefined ? "" : r.cpuSeconds.toFixed(2),
    r.targetSeconds === undefined ? "" : `< ${r.targetSeconds} s`,
    r.targetSeconds === undefined ? "" : r.seconds < r.targetSeconds ? "yes" : "NO",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  console.log(`\n${line(head)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const b of body) console.log(line(b));
  for (const r of results) if (r.note) console.log(`  ${r.what}: ${r.note}`);
}

async function commissionerOf(url: string, tenantId: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const row = (
      await client.query(
        "SELECT user_id FROM staff_users WHERE tenant_id = $1 AND 'commissioner' = ANY (roles) LIMIT 1",
        [tenantId],
      )
    ).rows[0];
    if (!row) throw new Error("The seeded council has no commissioner");
    return row.user_id;
  } finally {
    await client.end();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      people: { type: "string", default: "1000000" },
      database: { type: "string" },
      today: { type: "string" },
      "payment-runs": { type: "string", default: "3" },
      fresh: { type: "boolean", default: false },
      only: { type: "string" },
    },
  });
  const today = values.today ?? todayInLondon();
  const database0 = values.database ?? "bench_reports";
  const base = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  if (database0 === "test") throw new Error("Give the benchmark a database of its own, not test");
  const council = await syntheticCouncil(
    {
      baseUrl: base,
      database: database0,
      people: Number(values.people),
      today,
      paymentRuns: Number(values["payment-runs"]),
      fresh: values.fresh,
    },
    (line) => console.log(line),
  );
  const database = openPostgres(council.url, { max: 2 });
  try {
    const commissioner = await commissionerOf(council.url, council.tenantId);
    const run: Run = {
      ctx: {
        db: database.db,
        scope: { tenantId: council.tenantId, actor: { type: "staff", id: commissioner } },
        today,
      },
      council,
      period: lastFullYearOfQuarters(today),
      cldRows: [],
    };
    const only = values.only?.split(",");
    const results: Result[] = [];
    for (const timing of TIMINGS) {
      if (only && !only.includes(timing.name) && !(timing.name === "cld" && only.includes("ascof"))) continue;
      // One timing failing (out of memory, a string too long) is a figure too: the rest still run.
      try {
        const got = await timing.run(run);
        for (const g of got) console.log(`${g.what}: ${g.seconds.toFixed(2)} s, ${g.rows} rows`);
        results.push(...got);
      } catch (error) {
        console.log(`${timing.name} failed: ${(error as Error).message}`);
        results.push({ what: `${timing.name} FAILED: ${(error as Error).message}`, rows: 0, seconds: 0 });
      }
    }
    console.log(
      `\nupfront reports benchmark: ${council.people.toLocaleString("en-GB")} people, database ${database0}, today ${today}`,
    );
    printTable(results);
  } finally {
    await database.close();
  }
}

await main();
