import { describe, expect, it } from "vitest";
import {
  ageOn,
  chargingInputFrom,
  type FinancialAnswers,
  financialAnswersSchema,
  toWeeklyPence,
} from "#/features/charging/answers.ts";
import { parseDateInput, parseMoney } from "#/features/charging/forms.ts";

/** The answers as recorded, and how they become the calculator's input. Each test names the rule it checks. */

describe("amounts paid less often than weekly (WEEKLY_ROUNDING)", () => {
  it.each([
    [100_00, "week", 100_00],
    [100_01, "two_weeks", 50_01], // 50.005 → 50.01: half a penny rounds up
    [434_20, "four_weeks", 108_55],
    [412_00, "month", 95_08], // 412 × 12 ÷ 52 = 95.0769…
    [10_000_00, "year", 192_31], // 10,000 ÷ 52 = 192.307…
  ] as const)(
    "rule: %i pence every %s is %i pence a week, to the nearest penny",
    (amount, frequency, weekly) => {
      expect(toWeeklyPence(amount, frequency)).toBe(weekly);
    },
  );
});

describe("ageOn", () => {
  it("rule: whole years, the birthday counting on the day itself", () => {
    expect(ageOn("1960-12-01", "2026-11-30")).toBe(65);
    expect(ageOn("1960-12-01", "2026-12-01")).toBe(66);
    expect(ageOn("2008-02-29", "2026-02-28")).toBe(17);
    expect(ageOn("2008-02-29", "2026-03-01")).toBe(18);
  });
});

describe("answers to the calculator's input", () => {
  const context = {
    jurisdiction: "england" as const,
    dateOfBirth: "1980-06-15",
    costOfCare: { weeklyPence: 200_00, basis: "indicative_budget" as const },
  };

  it("rule: a light-touch assessment needs only 'about' (and the cost of care, which is known here)", () => {
    const answers: FinancialAnswers = {
      about: { appliesFrom: "2026-06-01", route: "chooses_to_pay_full_cost", reachedPensionCreditAge: false },
      costOfCare: {},
    };
    const built = chargingInputFrom(answers, context);
    expect(built).toEqual({
      ok: true,
      input: expect.objectContaining({
        choosesToPayFullCost: true,
        person: { age: 45, reachedPensionCreditAge: false, couple: false },
        costOfCare: { weeklyPence: 200_00, basis: "indicative_budget" },
        period: { from: "2026-06-01" },
      }),
    });
  });

  it("rule: a full assessment lists every section still to answer; with no plan or budget an estimate is needed", () => {
    const built = chargingInputFrom(
      { about: { appliesFrom: "2026-06-01", route: "full", reachedPensionCreditAge: false } },
      { ...context, costOfCare: null },
    );
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(built.missing.map((m) => m.section)).toEqual([
      "circumstances",
      "incomes",
      "capital",
      "housingCosts",
      "dre",
      "costOfCare",
    ]);
  });

  it("rule: incomes, housing costs and DRE items are given to the calculator as weekly amounts", () => {
    const built = chargingInputFrom(
      {
        about: { appliesFrom: "2026-06-01", route: "full", reachedPensionCreditAge: false },
        circumstances: {
          couple: true,
          partnerReachedPensionCreditAge: false,
          children: 1,
          disabilityPremium: false,
          enhancedDisabilityPremium: false,
          carerPremium: true,
        },
        incomes: [{ type: "state_pension", amountPence: 412_00, frequency: "month" }],
        capital: [],
        housingCosts: [{ kind: "rent", amountPence: 100_00, frequency: "two_weeks" }],
        dre: { kind: "itemised", items: [{ description: "Alarm", amountPence: 52_00, frequency: "year" }] },
        costOfCare: {},
      },
      context,
    );
    if (!built.ok) throw new Error(JSON.stringify(built.missing));
    expect(built.input.incomes).toEqual([{ type: "state_pension", weeklyPence: 95_08 }]);
    expect(built.input.housingCosts).toEqual([{ kind: "rent", weeklyPence: 50_00 }]);
    expect(built.input.disabilityRelatedExpenditure).toEqual({
      kind: "itemised",
      items: [{ description: "Alarm", weeklyPence: 1_00 }],
    });
    expect(built.input.person).toMatchObject({
      couple: true,
      partnerReachedPensionCreditAge: false,
      children: 1,
    });
  });

  it("rule: a wrong frequency or a fractional amount is a field error, never a crash", () => {
    const parsed = financialAnswersSchema.safeParse({
      incomes: [{ type: "state_pension", amountPence: 10.5, frequency: "fortnightly" }],
      housingCosts: [{ kind: "rent", amountPence: 100, frequency: "sometimes" }],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join("."))).toEqual([
      "incomes.0.amountPence",
      "incomes.0.frequency",
      "housingCosts.0.frequency",
    ]);
  });
});

describe("typed amounts and dates (the pages)", () => {
  it.each([
    ["125.50", 125_50],
    ["£1,200", 1_200_00],
    [" 7.5 ", 7_50],
    ["0", 0],
  ])("rule: %j is %i pence", (typed, pence) => {
    expect(parseMoney(typed, "the amount")).toEqual({ ok: true, pence });
  });

  it.each([
    ["", "Enter the amount"],
    ["-3", "The amount cannot be negative"],
    ["12.345", "in pounds and pence"],
    ["twelve", "in pounds and pence"],
  ])("rule: %j is refused: %s", (typed, message) => {
    const parsed = parseMoney(typed, "the amount");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });

  it("rule: a date needs a day, month and year that make a real date", () => {
    const body = (d: string, m: string, y: string) => ({ "x-day": d, "x-month": m, "x-year": y });
    expect(parseDateInput(body("1", "4", "2026"), "x", "the date")).toEqual({ ok: true, date: "2026-04-01" });
    expect(parseDateInput(body("", "", ""), "x", "the date")).toEqual({ ok: true, date: undefined });
    expect(parseDateInput(body("30", "2", "2026"), "x", "the date")).toMatchObject({ ok: false });
    expect(parseDateInput(body("1", "", "2026"), "x", "the date")).toEqual({
      ok: false,
      message: "The date must include a month",
    });
  });
});
