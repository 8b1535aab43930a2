import { describe, expect, it } from "vitest";
import { runChargingCase } from "#/features/charging/case.ts";
import type { ChargingOutcome, ChargingResult } from "#/features/charging/charging.calc.ts";
import type { ChargingInputJson } from "#/features/charging/charging-input.calc.ts";
import {
  overlappingFigures,
  type SuppliedFigure,
  suppliedFigureSchema,
  unsupportedFigureKeys,
} from "#/features/charging/supplied-figures.calc.ts";
import { englandChargingRules } from "#/rules/england/charging.ts";
import { walesChargingRules } from "#/rules/wales/charging.ts";

/**
 * The supplied-figures rule: where a rule pack marks a figure unsupported (it could not be read in the official
 * text), the calculator uses the figure the council supplies for those dates, citing "supplied by the council,
 * source: …" on every step that uses it; where the pack has a confirmed figure, a supplied one is never used.
 * Amounts here are ILLUSTRATIVE (round numbers), not the statutory ones.
 */

const SOURCE = "Illustrative test figure (not a statutory amount)";
const fig = (figure: SuppliedFigure["figure"], pence: number, validFrom: string, validTo?: string) =>
  ({ figure, pence, validFrom, ...(validTo ? { validTo } : {}), source: SOURCE }) as SuppliedFigure;

/** Everything a single person aged 40 in England 2026-27 needs: capital limits, MIG personal amount, DP. */
const ENGLAND_2026: SuppliedFigure[] = [
  fig("capital.lower_limit", 1_425_000, "2026-04-01"),
  fig("capital.upper_limit", 2_325_000, "2026-04-01"),
  fig("mig.single_25_to_pension_credit_age", 120_00, "2026-04-01"),
  fig("mig.disability_premium_single", 50_00, "2026-04-01"),
];

const case2026 = (changes: Partial<ChargingInputJson> = {}): ChargingInputJson => ({
  jurisdiction: "england",
  period: { from: "2026-06-01", to: "2026-12-31" },
  person: { age: 40, reachedPensionCreditAge: false, couple: false, disabilityPremium: true },
  incomes: [
    { type: "employment_and_support_allowance", weeklyPence: 150_00 },
    { type: "pip_daily_living", weeklyPence: 75_00 },
  ],
  capital: [{ kind: "savings", valuePence: 1_500_000 }],
  costOfCare: { weeklyPence: 300_00, basis: "indicative_budget" },
  ...changes,
});

function ok(outcome: ChargingOutcome): ChargingResult {
  if (!outcome.ok) throw new Error(`Expected a result, got: ${JSON.stringify(outcome.errors, null, 2)}`);
  return outcome.result;
}

describe("supplied figures: used only where the pack has no confirmed figure", () => {
  it("rule: without supplied figures an England 2026-27 full assessment is refused, saying the council can supply each figure", () => {
    const outcome = runChargingCase(case2026());
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errors.map((e) => e.path)).toEqual(["person.age", "person.disabilityPremium"]);
    expect(outcome.errors.some((e) => /The council can supply the figure it uses/.test(e.message))).toBe(
      true,
    );
  });

  it("rule: with the council's figures it is worked out, and every step using one says 'supplied by the council, source: …'", () => {
    const result = ok(runChargingCase(case2026(), { suppliedFigures: ENGLAND_2026 }));
    expect(result.periods).toHaveLength(1);
    const period = result.periods[0]!;
    // 150 + 75 + tariff (£15,000 is £750 over £14,250: 3 bands) − (120 + 50) MIG = £58 a week.
    expect(period.capital.tariffIncomeWeeklyPence).toBe(3_00);
    expect(period.minimumIncome!.appliedWeeklyPence).toBe(170_00);
    expect(period.contributionWeeklyPence).toBe(58_00);
    const supplied = period.steps.filter((s) => s.rule.basis === "council_supplied");
    // The capital limits are the pack's own (unchanged since 2010), so the supplied ones are not used.
    expect(supplied.map((s) => s.id).sort()).toEqual(
      ["mig.disability_premium_single", "mig.single_25_to_pension_credit_age"].sort(),
    );
    for (const step of supplied) {
      expect(step.rule.provision).toBe(SOURCE);
      expect(step.rule.note).toMatch(/^Supplied by the council, source: Illustrative test figure/);
      expect(step.rule.note).toMatch(/The rule pack has no confirmed figure/);
    }
  });

  it("rule: the council's own figure comes before one only published secondary sources agree on (2025-26 MIG single 25+), saying so", () => {
    const outcome = runChargingCase(case2026({ period: { from: "2025-06-02", to: "2025-06-29" } }), {
      suppliedFigures: [fig("mig.single_25_to_pension_credit_age", 113_00, "2025-04-01", "2026-03-31")],
    });
    const period = ok(outcome).periods[0]!;
    const personal = period.steps.find((s) => s.id === "mig.single_25_to_pension_credit_age")!;
    expect(personal.weeklyPence).toBe(113_00);
    expect(personal.rule.basis).toBe("council_supplied");
    expect(personal.rule.note).toMatch(/in place of the one published secondary sources give \(£112\.50\)/);
    const premium = period.steps.find((s) => s.id === "mig.disability_premium_single")!;
    expect(premium).toMatchObject({ weeklyPence: 49_65, rule: { basis: "secondary" } });
  });

  it("rule: a supplied figure never replaces a confirmed one (2024-25 capital limits are the circular's £14,250 / £23,250)", () => {
    const packs = englandChargingRules;
    expect(unsupportedFigureKeys(packs[0]!)).not.toContain("capital.upper_limit");
    const outcome = runChargingCase(
      case2026({
        period: { from: "2024-06-03", to: "2025-03-31" },
        choosesToPayFullCost: false,
        capital: [{ kind: "savings", valuePence: 2_400_000 }],
      }),
      // A council figure that would make £24,000 under the limit: it must be ignored.
      { suppliedFigures: [fig("capital.upper_limit", 5_000_000, "2024-04-01")] },
    );
    const period = ok(outcome).periods[0]!;
    expect(period.assessment).toBe("light_touch");
    expect(period.capital.upperLimitPence).toBe(2_325_000);
    expect(period.steps.some((s) => s.rule.basis === "council_supplied")).toBe(false);
  });

  it("rule: Wales's £100 weekly maximum is confirmed, so a supplied maximum is ignored", () => {
    expect(unsupportedFigureKeys(walesChargingRules.at(-1)!)).not.toContain("weekly_maximum_charge");
  });

  it("rule: a supplied figure applies only on its dates: it ending mid-assessment starts a new period, and the days after are refused", () => {
    const ending = ENGLAND_2026.map((f) =>
      f.figure === "mig.single_25_to_pension_credit_age" ? { ...f, validTo: "2026-09-30" } : f,
    );
    const outcome = runChargingCase(case2026(), { suppliedFigures: ending });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errors).toHaveLength(1);
    expect(outcome.errors[0]!.message).toMatch(/^For 2026-10-01 to 2026-12-31: /);
    expect(outcome.errors[0]!.path).toBe("person.age");

    const renewed = [...ending, fig("mig.single_25_to_pension_credit_age", 125_00, "2026-10-01")];
    const result = ok(runChargingCase(case2026(), { suppliedFigures: renewed }));
    expect(result.periods.map((p) => [p.from, p.to, p.contributionWeeklyPence])).toEqual([
      ["2026-06-01", "2026-09-30", 58_00],
      ["2026-10-01", "2026-12-31", 53_00],
    ]);
  });

  it("rule: a figure the case does not need does not split the period", () => {
    const extra = [...ENGLAND_2026, fig("mig.carer_premium", 40_00, "2026-04-01", "2026-08-31")];
    // The carer premium is unsupported in the pack, so its end is a cut: one period either side, same result.
    const result = ok(runChargingCase(case2026(), { suppliedFigures: extra }));
    expect(result.periods.map((p) => p.contributionWeeklyPence)).toEqual([58_00, 58_00]);
    // With no end date, the assessment runs until the first change: one period.
    const open = ok(
      runChargingCase(case2026({ period: { from: "2026-06-01" } }), { suppliedFigures: ENGLAND_2026 }),
    );
    expect(open.periods).toHaveLength(1);
    expect(open.periods[0]!.to).toBe("2027-03-31");
  });

  it("rule: the savings credit disregard can be supplied (Sch 1 para 40), and is cited as supplied", () => {
    const result = ok(
      runChargingCase(
        case2026({
          person: { age: 70, reachedPensionCreditAge: true, couple: false },
          incomes: [
            { type: "state_pension", weeklyPence: 230_00 },
            { type: "pension_credit_savings", weeklyPence: 10_00 },
          ],
          capital: [],
        }),
        {
          suppliedFigures: [
            fig("mig.single_pension_credit_age", 220_00, "2026-04-01"),
            fig("savings_credit_disregard.single", 7_00, "2026-04-01"),
          ],
        },
      ),
    );
    const step = result.periods[0]!.steps.find((s) => s.id === "incomes[1]")!;
    expect(step.weeklyPence).toBe(3_00);
    expect(step.rule.basis).toBe("council_supplied");
    expect(result.periods[0]!.contributionWeeklyPence).toBe(13_00);
  });
});

describe("supplied figures: the settings are checked before they are saved", () => {
  it.each([
    [
      { figure: "mig.unicorn", validFrom: "2026-04-01", pence: 100, source: "x circular" },
      "figure",
      /Unknown figure/,
    ],
    [
      { figure: "capital.upper_limit", validFrom: "2026-04-01", pence: -1, source: "circular" },
      "pence",
      /cannot be negative/,
    ],
    [
      { figure: "mig.per_child", validFrom: "2026-04-01", pence: 3_000_000, source: "circular" },
      "pence",
      /more than £25,000\.00 a week/,
    ],
    [
      { figure: "mig.per_child", validFrom: "2026-02-30", pence: 100, source: "circular" },
      "validFrom",
      /real date/,
    ],
    [
      {
        figure: "mig.per_child",
        validFrom: "2026-04-01",
        validTo: "2026-03-01",
        pence: 100,
        source: "circular",
      },
      "validTo",
      /not be before/,
    ],
    [{ figure: "mig.per_child", validFrom: "2026-04-01", pence: 100, source: " " }, "source", /Say where/],
  ])("rule: %j is refused at %s", (input, path, message) => {
    const parsed = suppliedFigureSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    const issue = parsed.error!.issues.find((i) => i.path[0] === path);
    expect(issue?.message).toMatch(message);
  });

  it("rule: two versions of one figure may not overlap; different figures may", () => {
    const figures = [
      fig("mig.per_child", 100, "2026-04-01"),
      fig("mig.carer_premium", 100, "2026-04-01"),
      fig("mig.per_child", 200, "2026-06-01"),
    ];
    expect(overlappingFigures(figures)).toEqual([{ index: 2, message: expect.stringMatching(/overlaps/) }]);
    expect(overlappingFigures([{ ...figures[0]!, validTo: "2026-05-31" }, figures[2]!])).toEqual([]);
  });
});
