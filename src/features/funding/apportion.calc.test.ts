import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type ApportionInput,
  type ApportionLineInput,
  ApportionmentError,
  type ApportionStreamInput,
  apportion,
  linesFromCosting,
} from "#/features/funding/apportion.calc.ts";
import { fundingConfigSchema } from "#/features/funding/schemas.ts";
import { costPlan } from "#/features/planning/plan.calc.ts";
import { samsPlan } from "#/features/planning/plan.fixture.ts";
import { supportPlanSchema } from "#/features/planning/schemas.ts";
import { type Pence, pence } from "#/platform/money/pence.ts";

const stream = (
  id: string,
  categories: string[],
  availablePence: number,
  meansTested = true,
  name = id,
): ApportionStreamInput => ({ id, name, categories, meansTested, availablePence: pence(availablePence) });

const weekly = (
  supportId: string,
  category: string,
  amount: number,
  deployment = "direct_payment" as const,
) =>
  ({
    supportId,
    category,
    deployment,
    basis: "weekly",
    amountPence: pence(amount),
  }) satisfies ApportionLineInput;
const oneOff = (supportId: string, category: string, amount: number) =>
  ({
    supportId,
    category,
    deployment: "direct_payment",
    basis: "one_off",
    amountPence: pence(amount),
  }) satisfies ApportionLineInput;

const ASC = stream(
  "asc",
  ["personal_care", "household", "community_access"],
  10_000_000,
  true,
  "Adult social care",
);
const PHB = stream("phb", ["personal_care", "health"], 10_000_000, false, "NHS personal health budget");
const HRS = stream("hrs", ["housing_support"], 10_000_000, true, "Housing-related support");

const input = (patch: Partial<ApportionInput>): ApportionInput => ({
  lines: [],
  streams: [ASC, PHB, HRS],
  payerOrder: {},
  periodWeeks: 1,
  contributionWeeklyPence: pence(0),
  ...patch,
});

describe("apportionment: restrictions (issue 5: respecting every restriction)", () => {
  it("rule: a line is paid only by streams whose categories include the line's category", () => {
    const result = apportion(input({ lines: [weekly("rent", "housing_support", 5000)] }));
    expect(result.lines[0]!.shares.map((s) => s.streamId)).toEqual(["hrs"]);
  });

  it("rule: the payer order set per category decides who pays first (issue 5)", () => {
    const lines = [weekly("care", "personal_care", 30000)];
    const nhsFirst = apportion(input({ lines, payerOrder: { personal_care: ["phb", "asc"] } }));
    expect(nhsFirst.lines[0]!.shares.map((s) => [s.streamId, s.grossPence])).toEqual([["phb", 30000]]);
    const ascFirst = apportion(input({ lines, payerOrder: { personal_care: ["asc", "phb"] } }));
    expect(ascFirst.lines[0]!.shares.map((s) => [s.streamId, s.grossPence])).toEqual([["asc", 30000]]);
  });

  it("rule: with a payer order, only the streams it lists pay (documented in apportion.calc.ts rule 1)", () => {
    const result = apportion(
      input({
        lines: [weekly("care", "personal_care", 30000)],
        payerOrder: { personal_care: ["phb"] },
        streams: [ASC, stream("phb", ["personal_care"], 10000, false)],
      }),
    );
    expect(result.lines[0]!.shares.map((s) => [s.streamId, s.grossPence])).toEqual([["phb", 10000]]);
    expect(result.lines[0]).toMatchObject({ unfundedPence: 20000, unfundedReason: "pots_exhausted" });
  });

  it("rule: with no payer order for the category, permitted streams pay in ascending id order", () => {
    const result = apportion(input({ lines: [weekly("care", "personal_care", 100)] }));
    expect(result.lines[0]!.shares[0]!.streamId).toBe("asc");
    expect(result.lines[0]!.explanation[1]).toMatch(/no payer order for personal_care/);
  });

  it("ignores, and reports, a payer-order entry naming a stream that may not pay; skips streams not open to the person", () => {
    const result = apportion(
      input({
        lines: [weekly("care", "personal_care", 100)],
        payerOrder: { personal_care: ["hrs", "nope", "asc"] },
      }),
    );
    expect(result.lines[0]!.shares.map((s) => s.streamId)).toEqual(["asc"]);
    expect(result.problems).toEqual([
      "The payer order for personal_care names Housing-related support, which may not pay for it: ignored.",
    ]);
  });
});

describe("apportionment: unfunded lines are reported before approval (issue 5)", () => {
  it("rule: a line no stream may pay for is unfunded, saying so", () => {
    const result = apportion(input({ lines: [weekly("gym", "leisure", 1500)] }));
    expect(result.unfunded).toEqual([
      {
        supportId: "gym",
        basis: "weekly",
        unfundedPence: 1500,
        reason: "no_stream_may_pay",
        message: expect.stringMatching(/^No funding stream may pay for leisure, so £15\.00 a week/),
      },
    ]);
    expect(result.totals.weeklyUnfundedPence).toBe(1500);
  });

  it("a payer order that lists none of the permitted streams leaves the line unfunded, naming them", () => {
    const result = apportion(
      input({ lines: [weekly("care", "personal_care", 100)], payerOrder: { personal_care: ["hrs"] } }),
    );
    expect(result.unfunded[0]).toMatchObject({ reason: "not_in_payer_order" });
    expect(result.unfunded[0]!.message).toMatch(/^Adult social care, NHS personal health budget may pay/);
  });

  it("free lines are not apportioned and never unfunded", () => {
    const result = apportion(input({ lines: [weekly("nil", "leisure", 0)] }));
    expect(result.unfunded).toEqual([]);
    expect(result.lines[0]!.shares).toEqual([]);
  });
});

describe("apportionment: pots (issue 5: respecting each stream's available amount)", () => {
  it("rule: a weekly share uses weekly × periodWeeks of the pot, and never more than the pot", () => {
    // £5,000 left for 52 weeks pays at most floor(500000 / 52) = 9615p a week.
    const small = stream("asc", ["personal_care"], 500_000);
    const result = apportion(
      input({
        streams: [small, PHB],
        payerOrder: { personal_care: ["asc", "phb"] },
        periodWeeks: 52,
        lines: [weekly("care", "personal_care", 20000)],
      }),
    );
    expect(result.lines[0]!.shares.map((s) => [s.streamId, s.grossPence])).toEqual([
      ["asc", 9615],
      ["phb", 10385],
    ]);
    const asc = result.streams.find((s) => s.streamId === "asc")!;
    expect(asc).toMatchObject({ potUsedPence: 9615 * 52, potLeftPence: 500_000 - 9615 * 52 });
    expect(result.lines[0]!.explanation).toContain(
      "asc pays £96.15 a week, all its pot allows for this period.",
    );
  });

  it("rule: when pots are short, weekly lines are paid before one-off lines, then in the plan's order", () => {
    const pot = stream("asc", ["personal_care", "equipment_adaptations"], 10000);
    const result = apportion(
      input({
        streams: [pot],
        lines: [
          oneOff("hoist", "equipment_adaptations", 8000),
          weekly("a", "personal_care", 6000),
          weekly("b", "personal_care", 6000),
        ],
      }),
    );
    expect(result.lines.map((l) => [l.supportId, l.shares[0]?.grossPence ?? 0, l.unfundedPence])).toEqual([
      ["hoist", 0, 8000],
      ["a", 6000, 0],
      ["b", 4000, 2000],
    ]);
    expect(result.lines[0]!.explanation).toContain("asc has no money left in its pot for this period.");
    expect(result.unfunded.map((u) => u.reason)).toEqual(["pots_exhausted", "pots_exhausted"]);
  });

  it("a one-off line uses its whole amount of the pot, once", () => {
    const dfg = stream("dfg", ["equipment_adaptations"], 600_000, false, "Disabled facilities grant");
    const result = apportion(
      input({ streams: [dfg], periodWeeks: 52, lines: [oneOff("ramp", "equipment_adaptations", 450_000)] }),
    );
    expect(result.streams[0]).toMatchObject({
      oneOffPence: 450_000,
      potUsedPence: 450_000,
      potLeftPence: 150_000,
    });
  });
});

describe("apportionment: the person's contribution (issue 5: reduces only means-tested streams)", () => {
  const lines = [
    weekly("care", "personal_care", 30000),
    weekly("rent", "housing_support", 10000, "council_arranged" as never),
  ];
  const order = { personal_care: ["phb", "asc"] };

  it("rule: an NHS personal health budget is never charged; a line paid only by it is never reduced", () => {
    const result = apportion(
      input({ lines: [lines[0]!], payerOrder: order, contributionWeeklyPence: pence(5000) }),
    );
    expect(result.lines[0]!.shares).toEqual([
      expect.objectContaining({ streamId: "phb", grossPence: 30000, contributionPence: 0, netPence: 30000 }),
    ]);
    expect(result.contribution).toMatchObject({ appliedWeeklyPence: 0, notAppliedWeeklyPence: 5000 });
    expect(result.contribution.explanation[1]).toMatch(
      /None of your weekly support is paid by a means-tested fund/,
    );
  });

  it("rule: the contribution is shared across means-tested cells in proportion, largest remainder, ties to the first paid", () => {
    // asc pays 30000 (care), hrs pays 10000 (rent). 1001 × 30000/40000 = 750.75, × 10000/40000 = 250.25.
    // Floors 750 + 250 = 1000; the 1 penny left goes to the larger remainder (care's 0.75).
    const result = apportion(input({ lines, contributionWeeklyPence: pence(1001) }));
    expect(
      result.lines.map((l) => l.shares.map((s) => [s.streamId, s.contributionPence, s.netPence])),
    ).toEqual([[["asc", 751, 29249]], [["hrs", 250, 9750]]]);
    expect(result.contribution.appliedWeeklyPence).toBe(1001);
    // Equal remainders: 3 pence over two equal cells → 1.5 each → floors 1 + 1, the penny to the cell paid first.
    const tie = apportion(
      input({
        lines: [weekly("a", "personal_care", 100), weekly("b", "personal_care", 100)],
        contributionWeeklyPence: pence(3),
      }),
    );
    expect(tie.lines.map((l) => l.shares[0]!.contributionPence)).toEqual([2, 1]);
  });

  it("rule: the contribution is never more than the means-tested part of the cost", () => {
    const result = apportion(input({ lines, contributionWeeklyPence: pence(50000) }));
    expect(result.contribution).toMatchObject({
      assessedWeeklyPence: 50000,
      meansTestedWeeklyPence: 40000,
      appliedWeeklyPence: 40000,
      notAppliedWeeklyPence: 10000,
    });
    expect(result.lines.every((l) => l.shares.every((s) => s.netPence === 0))).toBe(true);
  });

  it("one-off shares are not reduced by the weekly contribution", () => {
    const result = apportion(
      input({
        streams: [stream("asc", ["equipment_adaptations", "personal_care"], 1_000_000)],
        lines: [oneOff("x", "equipment_adaptations", 5000), weekly("y", "personal_care", 1000)],
        contributionWeeklyPence: pence(400),
      }),
    );
    expect(result.lines[0]!.shares[0]!.contributionPence).toBe(0);
    expect(result.lines[1]!.shares[0]!.contributionPence).toBe(400);
  });

  it("summarises per stream and per deployment: gross, contribution, net", () => {
    const result = apportion(
      input({ lines, payerOrder: { personal_care: ["asc"] }, contributionWeeklyPence: pence(4000) }),
    );
    expect(
      result.streams.map((s) => [
        s.streamId,
        s.grossWeeklyPence,
        s.contributionWeeklyPence,
        s.netWeeklyPence,
      ]),
    ).toEqual([
      ["asc", 30000, 3000, 27000],
      ["hrs", 10000, 1000, 9000],
      ["phb", 0, 0, 0],
    ]);
    expect(result.byDeployment.map((d) => [d.deployment, d.grossWeeklyPence, d.netWeeklyPence])).toEqual([
      ["direct_payment", 30000, 27000],
      ["council_arranged", 10000, 9000],
    ]);
    expect(result.contribution.explanation).toEqual([
      "Your assessed contribution is £40.00 a week.",
      "It is taken off what the means-tested funds pay, in proportion to what each pays: Adult social care by £30.00, Housing-related support by £10.00 a week.",
    ]);
  });
});

describe("apportionment: determinism and bad input", () => {
  it("rule: the same input gives the same output (issue 5: apportionment is deterministic)", () => {
    const i = input({
      lines: [weekly("a", "personal_care", 12345), oneOff("b", "household", 999)],
      contributionWeeklyPence: pence(77),
    });
    expect(apportion(structuredClone(i))).toEqual(apportion(i));
  });

  it("refuses a period that is not whole weeks, duplicate ids and negative amounts", () => {
    expect(() => apportion(input({ periodWeeks: 0 }))).toThrow(ApportionmentError);
    expect(() => apportion(input({ periodWeeks: 1.5 }))).toThrow(/whole number of weeks/);
    expect(() => apportion(input({ streams: [ASC, ASC] }))).toThrow(/Two funding streams/);
    expect(() => apportion(input({ lines: [weekly("a", "x", 1), weekly("a", "x", 1)] }))).toThrow(
      /Two lines/,
    );
    expect(() => apportion(input({ lines: [weekly("a", "x", -1)] }))).toThrow(/negative/);
    expect(() => apportion(input({ contributionWeeklyPence: -1 as Pence }))).toThrow(/contribution/);
  });
});

describe("from a costed plan and the example funding config", () => {
  it("apportions Sam's plan with examples/funding-config.json", () => {
    const json = JSON.parse(
      readFileSync(new URL("../../../examples/funding-config.json", import.meta.url), "utf8"),
    );
    const config = fundingConfigSchema.parse(json);
    const costing = costPlan(supportPlanSchema.parse(samsPlan()));
    const result = apportion({
      lines: linesFromCosting(costing),
      streams: config.streams.map((s) => ({ ...s, availablePence: pence(s.availablePence) })),
      payerOrder: config.payerOrder,
      periodWeeks: 52,
      contributionWeeklyPence: pence(2500),
    });
    expect(result.lines.map((l) => l.supportId)).toEqual(["pa", "care", "perch"]); // the free line needs no funding
    expect(result.unfunded).toEqual([]);
    expect(result.totals.weeklyFundedPence).toBe(costing.weeklyPence);
    expect(result.totals.oneOffFundedPence).toBe(costing.oneOffPence);
    expect(result.contribution.appliedWeeklyPence).toBe(2500);
  });
});

describe("the funding config schema", () => {
  it("rule: an NHS personal health budget cannot be means-tested (NHS Act 2006 s1(4): free unless charges are provided for)", () => {
    const parsed = fundingConfigSchema.safeParse({
      streams: [
        {
          id: "phb",
          name: "PHB",
          kind: "nhs_personal_health_budget",
          categories: ["health"],
          meansTested: true,
          availablePence: 0,
        },
      ],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["streams", 0, "meansTested"]);
  });

  it("refuses a payer order naming an unknown stream, a stream that may not pay for the category, or one twice", () => {
    const parsed = fundingConfigSchema.safeParse({
      streams: [
        {
          id: "asc",
          name: "ASC",
          kind: "adult_social_care",
          categories: ["personal_care"],
          meansTested: true,
          availablePence: 0,
        },
      ],
      payerOrder: { personal_care: ["asc", "asc", "nope"], health: ["asc"] },
    });
    expect(parsed.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["payerOrder.personal_care.1", '"asc" is listed twice for personal_care'],
      ["payerOrder.personal_care.2", 'There is no funding stream "nope"'],
      [
        "payerOrder.health.0",
        "ASC may not pay for health: add the category to the stream, or take it out of this order",
      ],
    ]);
  });
});
