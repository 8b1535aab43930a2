/**
 * `npm run check:architecture`: the house rules in .dependency-cruiser.cjs, plus no-feature-cycles (no
 * feature folder may reach itself through other features' imports) and features-in-order (a feature imports only
 * features before it in scripts/architecture/feature-order.json), against the known exceptions in
 * architecture-exceptions.json. Fails on any violation that is not listed there; says which listed ones are
 * fixed, so they can be deleted.
 *
 *   node scripts/check-architecture.ts             check (exit code 1 on a new violation)
 *   node scripts/check-architecture.ts --prune     also delete the fixed ones from the exceptions file
 *   node scripts/check-architecture.ts --record-all  rewrite the exceptions file with every violation there is
 *                                                  now (used once, when the rules came in: do not use it to
 *                                                  hide a new violation; fix it, or list it by hand and say why)
 */
import { writeFileSync } from "node:fs";
import type { IViolation } from "dependency-cruiser";
import {
  cruiseCode,
  EXCEPTIONS_FILE,
  edgesAgainstOrder,
  edgesInCycles,
  FEATURE_CYCLES_RULE,
  FEATURE_ORDER_FILE,
  FEATURE_ORDER_RULE,
  featureCycles,
  featureCycleViolation,
  featureEdges,
  readExceptions,
  readFeatureOrder,
} from "./architecture/cruise.ts";

const started = performance.now();
const prune = process.argv.includes("--prune");
const recordAll = process.argv.includes("--record-all");

const keyOf = (violation: IViolation): string => `${violation.rule.name}|${violation.from}|${violation.to}`;

const exceptions = recordAll ? [] : readExceptions();
const result = await cruiseCode(exceptions);
const edges = featureEdges(result);
const cycles = featureCycles(edges);
const current: IViolation[] = [
  ...result.summary.violations,
  ...edgesInCycles(edges).map((edge) => featureCycleViolation(edge)),
  ...edgesAgainstOrder(edges, readFeatureOrder()).map((edge) =>
    featureCycleViolation(edge, FEATURE_ORDER_RULE),
  ),
];

const currentKeys = new Set(current.map(keyOf));
const listedKeys = new Set(exceptions.map(keyOf));
const fresh = current.filter(
  (violation) => violation.rule.severity !== "ignore" && !listedKeys.has(keyOf(violation)),
);
const fixed = exceptions.filter((violation) => !currentKeys.has(keyOf(violation)));

const byName = (a: IViolation, b: IViolation): number => keyOf(a).localeCompare(keyOf(b));
if (recordAll) {
  const all = current.map(({ type, from, to, rule, cycle }) => ({
    type,
    from,
    to,
    rule: { severity: "error" as const, name: rule.name },
    ...(cycle ? { cycle: cycle.map(({ name }) => ({ name, dependencyTypes: [] })) } : {}),
  }));
  writeFileSync(EXCEPTIONS_FILE, `${JSON.stringify(all.sort(byName), null, 2)}\n`);
} else if (prune && fixed.length > 0) {
  const kept = exceptions.filter((violation) => currentKeys.has(keyOf(violation)));
  writeFileSync(EXCEPTIONS_FILE, `${JSON.stringify(kept, null, 2)}\n`);
}

const comments = new Map<string, string>(
  (result.summary.ruleSetUsed?.forbidden ?? []).map((rule) => [rule.name ?? "", rule.comment ?? ""]),
);
comments.set(
  FEATURE_CYCLES_RULE,
  "These features import each other in a circle. Break it: move what both need down (vocabulary/, platform/, " +
    "or the feature that owns it), have one feature call the other's service through an argument, or move the " +
    "page that needs both into a face.",
);

comments.set(
  FEATURE_ORDER_RULE,
  `A feature may import only features below it in ${FEATURE_ORDER_FILE} (and every feature must be listed there). ` +
    "Move what the lower one needs down, have the caller above pass it in, or move the page up into a face.",
);

for (const rule of new Set(recordAll ? [] : fresh.map((violation) => violation.rule.name))) {
  console.error(`\n✗ ${rule}: ${comments.get(rule) ?? ""}`);
  for (const violation of fresh.filter((v) => v.rule.name === rule).sort(byName)) {
    const path = violation.cycle?.map((step) => step.name).join(" → ");
    console.error(`    ${violation.from} → ${path ?? violation.to}`);
  }
}
if (!recordAll && fresh.some((violation) => violation.rule.name === FEATURE_CYCLES_RULE)) {
  console.error(`\n  Feature cycles now: ${cycles.map((cycle) => cycle.join(", ")).join(" | ")}`);
}
if (fixed.length > 0 && !prune && !recordAll) {
  console.error(`\n✓ Fixed, so delete from ${EXCEPTIONS_FILE} (or run with --prune):`);
  for (const violation of fixed)
    console.error(`    ${violation.rule.name}: ${violation.from} → ${violation.to}`);
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
const known = recordAll ? current.length : exceptions.length - (prune ? fixed.length : 0);
const staleNote =
  fixed.length > 0 ? `, ${fixed.length} fixed${prune || recordAll ? " and removed" : " (delete them)"}` : "";
const rules = (result.summary.ruleSetUsed?.forbidden?.length ?? 0) + 2;
const scope = `${rules} rules, ${result.summary.totalCruised} modules, ${seconds} s`;
if (fresh.length > 0 && !recordAll) {
  console.error(
    `\nArchitecture: FAILED, ${fresh.length} new violation${fresh.length === 1 ? "" : "s"} ` +
      `(${known} known in ${EXCEPTIONS_FILE}${staleNote}; ${scope})`,
  );
  process.exitCode = 1;
} else {
  console.log(
    `Architecture: OK, no new violations (${known} known in ${EXCEPTIONS_FILE}${staleNote}; ${scope})`,
  );
}
