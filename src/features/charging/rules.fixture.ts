import type { ChargingInputJson } from "#/features/charging/charging-input.calc.ts";
import {
  type ChargingFigure,
  type ChargingRules,
  type ChargingSource,
  MIG_COMPONENTS,
  type MigComponent,
} from "#/rules/charging.ts";
import { englandChargingRules } from "#/rules/england/charging.ts";

/**
 * Test fixtures: England packs whose unsupported figures are replaced by ILLUSTRATIVE amounts (round numbers,
 * not real ones), so the tests can check the structure of the law — which amounts apply in which circumstance,
 * in which order, with which rounding — while the real packs stay honest about what could not be confirmed.
 * The capital limits and tariff rule are the real, confirmed 2024-25 ones.
 */

const FIXTURE: ChargingSource = {
  title: "Test fixture: an illustrative amount, not a real one",
  url: "https://example.invalid/fixture",
  basis: "official",
};

const fig = (pence: number): ChargingFigure => ({ status: "confirmed", pence, source: FIXTURE });

/** Illustrative MIG amounts (pence a week), distinct so a test can tell which one applied. */
export const FIXTURE_MIG: Record<MigComponent, number> = {
  single_18_to_24: 80_00,
  single_25_to_pension_credit_age: 100_00,
  single_pension_credit_age: 200_00,
  lone_parent: 105_00,
  couple_each: 75_00,
  couple_pension_credit_age_each: 150_00,
  per_child: 90_00,
  disability_premium_single: 45_00,
  disability_premium_couple_each: 32_00,
  enhanced_disability_premium_single: 22_00,
  enhanced_disability_premium_couple_each: 16_00,
  carer_premium: 40_00,
};

export const FIXTURE_SAVINGS_CREDIT = { single: 6_00, couple: 9_00 };

function fixtureFrom(
  base: ChargingRules,
  id: string,
  validFrom: string,
  validTo: string,
  scale: number,
): ChargingRules {
  if (base.minimumIncome.kind !== "mig") throw new Error("England packs use the MIG");
  const amounts = Object.fromEntries(
    MIG_COMPONENTS.map((c) => [c, fig(Math.round(FIXTURE_MIG[c] * scale))]),
  ) as Record<MigComponent, ChargingFigure>;
  const real2024 = englandChargingRules[0]!;
  return {
    ...base,
    id,
    title: `Fixture: England with illustrative figures (${validFrom} to ${validTo})`,
    validFrom,
    validTo,
    capital: {
      ...base.capital,
      lowerLimit: real2024.capital.lowerLimit,
      upperLimit: real2024.capital.upperLimit,
    },
    minimumIncome: {
      ...base.minimumIncome,
      amounts,
      loneParentPensionCreditAge: {
        status: "supported",
        component: "single_pension_credit_age",
        source: FIXTURE,
      },
      loneParentPremiums: { status: "supported", source: FIXTURE },
    },
    savingsCreditDisregard: {
      single: fig(Math.round(FIXTURE_SAVINGS_CREDIT.single * scale)),
      couple: fig(Math.round(FIXTURE_SAVINGS_CREDIT.couple * scale)),
    },
    incomes: { ...base.incomes, direct_payment: { treatment: "disregarded", source: FIXTURE } },
  };
}

/** Two fixture years: the second's MIG and savings credit amounts are 10% higher. */
export const fixtureEnglandPacks: readonly ChargingRules[] = [
  fixtureFrom(englandChargingRules[0]!, "fixture-england-a", "2024-04-01", "2025-03-31", 1),
  fixtureFrom(englandChargingRules[1]!, "fixture-england-b", "2025-04-01", "2026-03-31", 1.1),
];

/** A single working-age person in England with no capital, no housing costs and no DRE. */
export function englandCase(changes: Partial<ChargingInputJson> = {}): ChargingInputJson {
  return {
    jurisdiction: "england",
    period: { from: "2024-06-03", to: "2024-06-30" },
    person: { age: 40, reachedPensionCreditAge: false, couple: false, children: 0 },
    incomes: [],
    capital: [],
    housingCosts: [],
    costOfCare: { weeklyPence: 300_00 },
    ...changes,
  };
}
