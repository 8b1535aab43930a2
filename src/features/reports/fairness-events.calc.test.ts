import { describe, expect, it } from "vitest";
import { buildCldFiles } from "#/features/reports/cld-csv.ts";
import {
  type CldBudgetLineFact,
  type CldFacts,
  type CldPersonFact,
  deriveCldEvents,
} from "#/features/reports/cld-events.calc.ts";
import { cldLookupsFrom } from "#/features/reports/cld-lookups.calc.ts";
import { eventsInPeriod } from "#/features/reports/cld-period.calc.ts";
import { fairnessDashboard } from "#/features/reports/fairness.calc.ts";
import type { Quarter } from "#/features/reports/fairness-data.calc.ts";
import {
  type FairnessExtra,
  fairnessBudgetsFrom,
  longTermServiceEvents,
} from "#/features/reports/fairness-events.calc.ts";
import { quarterOf, snapshotOf } from "#/features/reports/fairness-quarters.calc.ts";
import { readCsv } from "#/platform/csv/read.ts";
import { rulesFor } from "#/rules/registry.ts";

/**
 * Issue 15: the public fairness dashboard "is built from the same events as the returns, so the numbers agree
 * with what the council sends to NHS England". A small population built by hand goes through both: the return
 * (derive, period filter, the file the council sends: buildCldFiles) and the dashboard (fairness-events.calc.ts,
 * fairness.calc.ts). For each quarter, the people and the long-term spend read back from the return file by
 * plain arithmetic equal the dashboard's, and both equal the figures worked out by hand in the comments.
 */

const TODAY = "2026-11-23";
const QUARTERS = [quarterOf("2026-09-30"), quarterOf(TODAY)];
const NO_SUPPRESSION = {
  suppressFewerThan: 1,
  marginPercent: 10,
  priceIndex: { id: "t", name: "Test", description: "", uplifts: [] },
};

const person = (id: string, nhsNumber: string | null, extra: Partial<CldPersonFact> = {}): CldPersonFact => ({
  personId: id,
  reference: `REF-${id}`,
  givenName: id,
  familyName: "Hand",
  dateOfBirth: "1950-02-03",
  postcode: "ZX1 2AB",
  nhsNumber,
  sex: "female",
  ethnicity: "white-british",
  accommodationStatus: null,
  employmentStatus: null,
  hasUnpaidCarer: null,
  gpPracticeName: null,
  gpPracticeCode: null,
  ...extra,
});

const line = (
  budgetId: string,
  lineNo: number,
  personId: string,
  weeklyPence: number,
  extra: Partial<CldBudgetLineFact> = {},
): CldBudgetLineFact => ({
  budgetId,
  lineNo,
  personId,
  category: "personal_care",
  deployment: "direct_payment",
  weeklyPence,
  oneOffPence: 0,
  providerId: null,
  startDate: "2026-06-01",
  endDate: null,
  endReason: null,
  ...extra,
});

/**
 * Ann: one budget from 1 June, £100 a week by direct payment, £35 council-managed, and £500 of equipment once.
 * Cy: £70 a week to 15 August, replaced by £84 a week (an individual service fund) from 16 August.
 * Dee: £140 a week of council-arranged care from 10 July; she died on 5 October, and the budget ended then.
 * Bob: £50 a week, but no NHS number and the council has no LA code: the return cannot send him.
 */
const facts: CldFacts = {
  laCode: null,
  people: [
    person("ann", "9434765919"),
    person("cy", "9434765870", { sex: "male" }),
    person("dee", "9434765927"),
    person("bob", null),
  ],
  referrals: [],
  assessments: [
    {
      assessmentId: "a-ann",
      personId: "ann",
      startedOn: "2026-05-01",
      decisionDate: "2026-05-10",
      eligible: true,
      primarySupportReason: "physical_personal_care",
    },
  ],
  financialAssessments: [],
  budgetLines: [
    line("b-ann", 1, "ann", 10_000),
    line("b-ann", 2, "ann", 3_500, { deployment: "council_managed", category: "household" }),
    line("b-ann", 3, "ann", 0, { oneOffPence: 50_000, category: "equipment_adaptations" }),
    line("b-cy-1", 1, "cy", 7_000, { startDate: "2026-03-01", endDate: "2026-08-15", endReason: "replaced" }),
    line("b-cy-2", 1, "cy", 8_400, { startDate: "2026-08-16", deployment: "individual_service_fund" }),
    line("b-dee", 1, "dee", 14_000, {
      startDate: "2026-07-10",
      endDate: "2026-10-05",
      endReason: "died",
      deployment: "council_arranged",
    }),
    line("b-bob", 1, "bob", 5_000, { startDate: "2026-01-01" }),
  ],
  reviews: [],
  providers: [],
};

const extras = new Map<string, FairnessExtra>([
  ["b-ann", { needPoints: 20, previousPackage: null }],
  ["b-cy-1", { needPoints: 10, previousPackage: null }],
  ["b-cy-2", { needPoints: 12, previousPackage: null }],
  ["b-dee", { needPoints: null, previousPackage: null }],
  ["b-bob", { needPoints: 5, previousPackage: null }],
]);

function rulesOf(quarter: Quarter) {
  const period = { start: quarter.start, end: snapshotOf(quarter, TODAY) };
  const all = rulesFor("england", period.end);
  const cld = all.cld.rules!;
  return {
    period,
    cld,
    lookups: cldLookupsFrom(cld),
    longTermServiceTypes: Object.values(all.ascof.rules!.longTermServiceTypes),
  };
}

/** What the return file sends for the quarter, read back from its CSV with plain arithmetic. */
function fromReturnFile(quarter: Quarter) {
  const rules = rulesOf(quarter);
  const events = eventsInPeriod(deriveCldEvents(facts, rules.lookups, rules.period), rules.period, rules.cld);
  const [header, ...lines] = readCsv(buildCldFiles(events, rules.cld).returnCsv).records.map((r) => r.fields);
  const at = (name: string) => header!.indexOf(name);
  const services = lines.filter(
    (l) => l[at("Event Type")] === "Service" && rules.longTermServiceTypes.includes(l[at("Service Type")]!),
  );
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
  let weeklyTimesDays = 0;
  const people = new Set<string>();
  const liveAtEnd = new Set<string>();
  for (const l of services) {
    const who = l[at("NHS Number")]!;
    people.add(who);
    const end = l[at("Event End Date")] || null;
    if (end === null || end >= rules.period.end) liveAtEnd.add(who);
    if (l[at("Cost Frequency (Unit Type)")] !== "Weekly") continue;
    const pence = Math.round(Number(l[at("Unit Cost")]) * 100) * Number(l[at("Planned units per week")]);
    const first = Math.max(day(l[at("Event Start Date")]!), day(rules.period.start));
    const last = Math.min(end === null ? Number.POSITIVE_INFINITY : day(end), day(rules.period.end));
    weeklyTimesDays += pence * (last - first + 1);
  }
  return { people: people.size, liveAtEnd: liveAtEnd.size, spend: Math.round(weeklyTimesDays / 7) };
}

const dashboard = fairnessDashboard({
  today: TODAY,
  quarters: QUARTERS.map((quarter) => {
    const rules = rulesOf(quarter);
    return {
      quarter,
      budgets: fairnessBudgetsFrom(longTermServiceEvents(facts, rules), rules.lookups, extras),
    };
  }),
  settings: NO_SUPPRESSION,
});

describe("the fairness dashboard agrees with the CLD return (issue 15), for a population built by hand", () => {
  it("each quarter: the people supported and the long-term spend are the return's", () => {
    QUARTERS.forEach((quarter, i) => {
      const sent = fromReturnFile(quarter);
      const shown = dashboard.quarters[i]!;
      expect(shown.spend).toMatchObject({ people: sent.people, totalPence: sent.spend });
      expect((shown.everyone.people ?? 0) + (shown.notCompared ?? 0)).toBe(sent.liveAtEnd);
    });
  });

  it("the figures by hand: Bob is not sent, so not counted; a death ends Dee's budget", () => {
    const [q2, q3] = dashboard.quarters;
    // July to September (92 days): Ann £135 × 92 + Cy £70 × 46 (to 15 August) + £84 × 46 + Dee £140 × 83
    // (from 10 July) = £31,124.00 of weekly amounts × days, ÷ 7 = £4,446.29. Ann, Cy, Dee: 3 people.
    expect(q2!.spend).toMatchObject({ people: 3, totalPence: 444_629 });
    // On 30 September: Ann (20 points), Cy (12), Dee (no points: counted, not compared).
    expect([q2!.everyone.people, q2!.notCompared]).toEqual([2, 1]);
    // 1 October to today, 23 November (54 days): Ann £135 × 54 + Cy £84 × 54 + Dee £140 × 5 (to her death on
    // 5 October) = £12,526.00, ÷ 7 = £1,789.43.
    expect(q3!.spend).toMatchObject({ people: 3, totalPence: 178_943 });
    expect([q3!.everyone.people, q3!.notCompared]).toEqual([2, 0]);
  });

  it("groups are the return's values: one-off lines add nothing a week; managed budgets and ISFs are one", () => {
    const q3 = dashboard.quarters[1]!;
    const by = (id: string) =>
      q3.dimensions.find((d) => d.id === id)!.groups.map((g) => [g.label, g.people, g.meanWeeklyPence]);
    // Ann's £100 direct payment and £35 council-managed line: "More than one way"; Cy's ISF is a managed budget.
    expect(by("deployment")).toEqual([
      ["CASSR managed personal budget", 1, 8_400],
      ["More than one way", 1, 13_500],
    ]);
    expect(by("sex")).toEqual([
      ["Female", 1, 13_500],
      ["Male", 1, 8_400],
    ]);
    // The return's one primary support reason per person: Cy has no assessment, so it is blank.
    expect(by("primary_support_reason")).toEqual([
      ["Physical support: Personal care support", 1, 13_500],
      ["Not recorded", 1, 8_400],
    ]);
  });
});
