import { describe, expect, it } from "vitest";
import { runChargingCase } from "#/features/charging/case.ts";
import { chargingInputSchema } from "#/features/charging/charging-input.calc.ts";
import { englandCase } from "#/features/charging/rules.fixture.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";

/** Bad input gets clear field errors, and nothing is calculated. */

function errorsOf(json: unknown) {
  const parsed = chargingInputSchema.safeParse(json);
  return parsed.success ? [] : fieldErrorsFrom(parsed.error);
}
const paths = (json: unknown) => errorsOf(json).map((e) => e.path);
const messageAt = (json: unknown, path: string) => errorsOf(json).find((e) => e.path === path)?.message;

describe("the charging case schema", () => {
  it("accepts the smallest case, filling in the defaults", () => {
    const parsed = chargingInputSchema.parse(
      englandCase({ incomes: undefined, capital: undefined, housingCosts: undefined }),
    );
    expect(parsed).toMatchObject({
      incomes: [],
      capital: [],
      housingCosts: [],
      disabilityRelatedExpenditure: { kind: "none" },
      choosesToPayFullCost: false,
      costOfCare: { basis: "estimate" },
    });
  });

  it("refuses negative amounts, saying which", () => {
    const bad = englandCase({ incomes: [{ type: "state_pension", weeklyPence: -1 }] });
    expect(messageAt(bad, "incomes[0].weeklyPence")).toBe("The weekly amount cannot be negative");
  });

  it("refuses absurd amounts: more than £25,000 a week, or capital over £100 million", () => {
    expect(
      messageAt(englandCase({ costOfCare: { weeklyPence: 2_500_001 } }), "costOfCare.weeklyPence"),
    ).toMatch(/more than £25,000\.00 a week: check it is a weekly amount, in pence/);
    expect(paths(englandCase({ capital: [{ kind: "savings", valuePence: 10_000_000_001 }] }))).toEqual([
      "capital[0].valuePence",
    ]);
  });

  it("refuses fractions of a penny and amounts given as text", () => {
    expect(paths(englandCase({ costOfCare: { weeklyPence: 100.5 } }))).toEqual(["costOfCare.weeklyPence"]);
    expect(
      messageAt(englandCase({ costOfCare: { weeklyPence: "300" as never } }), "costOfCare.weeklyPence"),
    ).toMatch(/whole number of pence a week/);
  });

  it("refuses an unknown kind of income, listing the known ones", () => {
    const message = messageAt(
      englandCase({ incomes: [{ type: "lottery" as never, weeklyPence: 100 }] }),
      "incomes[0].type",
    );
    expect(message).toMatch(/^Unknown kind of income "lottery"\. Use one of: state_pension, /);
  });

  it("needs a description, a treatment and a basis for other income, and refuses them for named kinds", () => {
    expect(paths(englandCase({ incomes: [{ type: "other", weeklyPence: 100 }] }))).toEqual([
      "incomes[0].description",
      "incomes[0].treatment",
      "incomes[0].basis",
    ]);
    expect(
      paths(englandCase({ incomes: [{ type: "earnings", weeklyPence: 100, treatment: "counted" }] })),
    ).toEqual(["incomes[0].treatment"]);
  });

  it("refuses dates that are not real, and a period that ends before it starts", () => {
    expect(messageAt(englandCase({ period: { from: "2025-02-30" } }), "period.from")).toMatch(/real date/);
    expect(messageAt(englandCase({ period: { from: "2025-05-01", to: "2025-04-30" } }), "period.to")).toMatch(
      /must not be before the first day/,
    );
  });

  it("names unknown fields so a typo is easy to find", () => {
    expect(errorsOf({ ...englandCase(), costOfcare: {} })).toContainEqual({
      path: "costOfcare",
      message: '"costOfcare" is not a field here: check the spelling, or remove it',
    });
  });

  it("asks about the partner only for a couple", () => {
    expect(paths(englandCase({ person: { age: 40, reachedPensionCreditAge: false, couple: true } }))).toEqual(
      ["person.partnerReachedPensionCreditAge"],
    );
    expect(
      paths(
        englandCase({
          person: {
            age: 40,
            reachedPensionCreditAge: false,
            couple: false,
            partnerReachedPensionCreditAge: true,
          },
        }),
      ),
    ).toEqual(["person.partnerReachedPensionCreditAge"]);
  });

  it("refuses ages under 18: the charging rules here are for adults", () => {
    expect(
      messageAt(englandCase({ person: { age: 17, reachedPensionCreditAge: false } }), "person.age"),
    ).toMatch(/18 or over/);
  });

  it("needs the personal care cost in Scotland, refuses it elsewhere, and never above the whole cost", () => {
    expect(paths({ ...englandCase(), jurisdiction: "scotland" })).toEqual([
      "costOfCare.personalCareWeeklyPence",
    ]);
    expect(paths(englandCase({ costOfCare: { weeklyPence: 100, personalCareWeeklyPence: 50 } }))).toEqual([
      "costOfCare.personalCareWeeklyPence",
    ]);
    expect(
      paths({
        ...englandCase(),
        jurisdiction: "scotland",
        costOfCare: { weeklyPence: 100, personalCareWeeklyPence: 150 },
      }),
    ).toEqual(["costOfCare.personalCareWeeklyPence"]);
  });

  it("takes the minimum income amount only in Wales", () => {
    expect(paths(englandCase({ minimumIncomeAmountWeeklyPence: 19_000 }))).toEqual([
      "minimumIncomeAmountWeeklyPence",
    ]);
  });

  it("checks council policy versions: percentages, order, overlaps and repeated disregards", () => {
    const policy = (versions: unknown[]) => englandCase({ councilPolicy: { versions: versions as never } });
    expect(paths(policy([{ validFrom: "2024-04-01", chargePercent: 80.555 }]))).toEqual([
      "councilPolicy.versions[0].chargePercent",
    ]);
    expect(paths(policy([{ validFrom: "2024-04-01", migUpliftPercent: 101 }]))).toEqual([
      "councilPolicy.versions[0].migUpliftPercent",
    ]);
    expect(
      paths(
        policy([
          { validFrom: "2024-04-01", lowerCapitalLimitPence: 3_000_000, upperCapitalLimitPence: 2_000_000 },
        ]),
      ),
    ).toEqual(["councilPolicy.versions[0].lowerCapitalLimitPence"]);
    expect(paths(policy([{ validFrom: "2024-04-01" }, { validFrom: "2024-10-01" }]))).toEqual([
      "councilPolicy.versions[1].validFrom",
    ]);
    expect(
      paths(
        policy([
          { validFrom: "2024-04-01", incomeDisregards: [{ type: "war_pension" }, { type: "war_pension" }] },
        ]),
      ),
    ).toEqual(["councilPolicy.versions[0].incomeDisregards[1].type"]);
  });

  it("runChargingCase returns the field errors and calculates nothing", () => {
    const outcome = runChargingCase({ jurisdiction: "narnia" });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok)
      expect(outcome.errors.map((e) => e.path)).toEqual(["jurisdiction", "period", "person", "costOfCare"]);
  });
});
