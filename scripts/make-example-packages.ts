// Writes examples/packages.csv: 60 synthetic past packages for `upfront ras calibrate` (README, "Calibrating
// the RAS"). Every reference and figure is made up. Deterministic: the same seed gives the same file.
//
//   node scripts/make-example-packages.ts [--seed 2026] [--people 60] [--out examples/packages.csv]
//
// The costs follow about £4.00 a point, 10% less where an unpaid carer is willing and able to continue,
// with noise; people whose primary support reason is a learning disability are given packages about 25% above
// that on purpose, so the report's equity tests have something to find.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { PACKAGE_COLUMNS } from "#/features/calibration/packages-csv.ts";
import { writeCsv } from "#/platform/csv/write.ts";
import { rulesFor } from "#/rules/registry.ts";

const { values } = parseArgs({
  options: {
    seed: { type: "string", default: "2026" },
    people: { type: "string", default: "60" },
    out: { type: "string", default: "examples/packages.csv" },
  },
});

/** mulberry32, as the demo seed uses. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = random(Number(values.seed));
const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
/** A standard normal draw (Box–Muller). */
const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());

// The examples are for an English council, answered on the questionnaire in force on a fixed date.
const questionnaire = rulesFor("england", "2026-04-01").questionnaire.rules;
const items = questionnaire.outcomes.flatMap((o) => o.items);
const header = [
  PACKAGE_COLUMNS.reference,
  PACKAGE_COLUMNS.age,
  PACKAGE_COLUMNS.primarySupportReason,
  PACKAGE_COLUMNS.livingSituation,
  PACKAGE_COLUMNS.carer,
  ...items.map((i) => i.id),
  PACKAGE_COLUMNS.cost,
];
const reasons = [
  "physical_personal_care",
  "physical_personal_care",
  "physical_access_and_mobility",
  "memory_and_cognition",
  "learning_disability",
  "mental_health",
  "sensory_visual",
];
const living = ["lives_alone", "lives_alone", "lives_with_partner", "lives_with_family", "supported_living"];

const rows: (string | number)[][] = [];
for (let n = 1; n <= Number(values.people); n++) {
  const reason = pick(reasons);
  const age =
    reason === "learning_disability"
      ? 19 + Math.floor(next() * 45)
      : reason === "memory_and_cognition"
        ? 70 + Math.floor(next() * 25)
        : 25 + Math.floor(next() * 70);
  const situation = pick(living);
  const carer =
    situation === "lives_alone" || situation === "supported_living"
      ? pick(["no carer", "no carer", "no"])
      : pick(["yes", "yes", "no"]);
  // How much help the person needs overall, 0 to 1; each answer is drawn around it.
  const need = 0.15 + next() * 0.8;
  let points = 0;
  const answers = items.map((item) => {
    if (item.id === "caring_for_child.caring") {
      const option = next() < 0.9 ? item.options[0]! : pick(item.options.slice(2));
      points += option.points;
      return option.id;
    }
    const level = Math.min(0.999, Math.max(0, need + normal() * 0.25));
    const option = item.options[Math.floor(level * item.options.length)]!;
    points += option.points;
    return option.id;
  });
  const carerFactor = carer === "yes" ? 0.9 : 1;
  const bias = reason === "learning_disability" ? 1.25 : 1;
  const cost = Math.max(2500, Math.round(400 * points * carerFactor * bias * Math.exp(normal() * 0.12)));
  rows.push([`EX${String(n).padStart(4, "0")}`, age, reason, situation, carer, ...answers, cost]);
}

writeFileSync(values.out, writeCsv(header, rows));
console.log(`Wrote ${rows.length} people to ${values.out}`);
