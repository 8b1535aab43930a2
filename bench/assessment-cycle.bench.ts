/**
 * How fast the first step of the cycle runs: the pure eligibility + allocation calcs, and the demo seed
 * (people, assessments, submissions with their audit events) on the embedded database.
 * Run by hand: `node bench/assessment-cycle.bench.ts [people]`. Prints figures; asserts nothing.
 */
import { performance } from "node:perf_hooks";
import { allocate } from "#/features/assessment/allocation.calc.ts";
import { decideEligibility } from "#/features/assessment/eligibility.calc.ts";
import { demoAnswers, seedDemo, seededRandom } from "#/features/demo/seed.ts";
import { openPglite } from "#/platform/db/database.ts";
import { migrate } from "#/platform/db/migrator.ts";
import { rulePackFor } from "#/rules/index.ts";

const people = Number(process.argv[2] ?? 240);
const pack = rulePackFor("england", "2026-11-23");
const random = seededRandom(1);
const cases = Array.from({ length: 2000 }, () => demoAnswers(random, pack.questionnaire));

let t = performance.now();
for (const answers of cases) {
  decideEligibility(answers, pack);
  allocate(answers, pack.defaultRasModel, pack.questionnaire);
}
const calcMs = performance.now() - t;
console.log(
  `calcs: ${cases.length} eligibility + allocation in ${calcMs.toFixed(1)} ms (${((cases.length / calcMs) * 1000).toFixed(0)} per second)`,
);

const database = await openPglite(undefined);
t = performance.now();
await migrate(database);
console.log(`migrate (PGlite, empty): ${(performance.now() - t).toFixed(0)} ms`);
t = performance.now();
const result = await seedDemo(database, { people });
const seedMs = performance.now() - t;
console.log(
  `seed (PGlite): ${result.people} people, ${result.submitted} submitted in ${seedMs.toFixed(0)} ms ` +
    `(${(seedMs / result.people).toFixed(1)} ms a person, password hashing included)`,
);
await database.close();
