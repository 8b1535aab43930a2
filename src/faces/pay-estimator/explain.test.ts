import { describe, expect, it } from "vitest";
import { citation, pageOfPath, refusalsOf } from "#/faces/pay-estimator/explain.ts";

/**
 * The pay estimator's words for the calculator's rules and refusals: a rule is cited as its source (official
 * or secondary), the council's policy in plain words, or the estimate's own reading; a refusal points to the
 * page whose answer led there, and says the same thing once with every reason behind it.
 */

describe("citing a rule", () => {
  it("a published source is linked; one read only in a secondary copy says so", () => {
    expect(
      citation({ title: "Care Act 2014", provision: "s14(1)", url: "https://x.test/s14", basis: "official" }),
    ).toEqual({
      text: "Care Act 2014, s14(1)",
      url: "https://x.test/s14",
      own: false,
    });
    expect(
      citation({ title: "IS Regs", provision: "para 13A", url: "https://x.test", basis: "secondary" }).text,
    ).toBe("IS Regs, para 13A (read only in a secondary copy)");
  });

  it("the council's policy names its setting in plain words, not the field name", () => {
    const policy = (provision: string) =>
      citation({
        title: "The council's charging policy, version from 2024-04-01",
        provision,
        basis: "council_policy",
      }).text;
    expect(policy("standardDreAllowanceWeeklyPence")).toBe(
      "The council's charging policy, version from 2024-04-01, its standard allowance for extra costs",
    );
    expect(policy("incomeDisregards: child_benefit")).toMatch(/income it disregards$/);
  });

  it("the estimate's own reading (other income counted in full) is labelled as the estimate's", () => {
    expect(
      citation({ title: "As stated in the assessment", provision: "Counted in full", basis: "assessor" }),
    ).toEqual({
      text: "This estimate: Counted in full",
      own: true,
    });
  });
});

describe("refusals", () => {
  const chargingCase = {
    jurisdiction: "england" as const,
    period: { from: "2025-06-02" },
    person: { age: 40, reachedPensionCreditAge: false },
    incomes: [
      { type: "child_benefit" as const, weeklyPence: 2_640 },
      { type: "war_pension" as const, weeklyPence: 1_000 },
    ],
    costOfCare: { weeklyPence: 10_000 },
  };

  it("each points to the page that asked the answer behind it", () => {
    expect(pageOfPath("incomes[0].type", chargingCase)).toBe("benefits");
    expect(pageOfPath("incomes[1].type", chargingCase)).toBe("other-income");
    expect(pageOfPath("person.children", chargingCase)).toBe("about-you");
    expect(pageOfPath("capital[0].kind", chargingCase)).toBe("savings");
    expect(pageOfPath("minimumIncomeAmountWeeklyPence", chargingCase)).toBeUndefined();
  });

  it("the same thing is said once, with every reason behind it; a date no pack covers is said plainly", () => {
    const refusals = refusalsOf(
      [
        {
          path: "person.age",
          message: "Not supported by the rules for England, 2025 to 2026: the MIG amount A: not read.",
        },
        {
          path: "person.disabilityPremium",
          message: "Not supported by the rules for England, 2025 to 2026: the MIG amount B: not read.",
        },
        {
          path: "period.from",
          message: "There are no england charging rules for 2030-01-01. The covered dates are …",
        },
      ],
      chargingCase,
      "Demo Council",
    );
    expect(refusals).toHaveLength(2);
    expect(refusals[0]).toMatchObject({ slug: "about-you", canChange: false });
    expect(refusals[0]!.details).toHaveLength(2);
    expect(refusals[1]!.text).toBe(
      "The charging rules for today's date have not been added to this service yet.",
    );
  });
});
