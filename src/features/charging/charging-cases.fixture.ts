import { expect } from "vitest";
import { runChargingCase } from "#/features/charging/case.ts";
import type {
  ChargingOutcome,
  ChargingPeriodResult,
  ChargingResult,
} from "#/features/charging/charging.calc.ts";
import type { ChargingInputJson } from "#/features/charging/charging-input.calc.ts";
import { englandCase, fixtureEnglandPacks } from "#/features/charging/rules.fixture.ts";
import { englandChargingRules } from "#/rules/england/charging.ts";

/**
 * For the charging calculator's tests (charging*.calc.test.ts): run a case on the fixture packs and take its one
 * period, or its refusal; and the real 2024-25 England pack's capital figures.
 */

export const fixture = { packs: fixtureEnglandPacks };

export function ok(outcome: ChargingOutcome): ChargingResult {
  if (!outcome.ok) throw new Error(`Expected a result, got: ${JSON.stringify(outcome.errors, null, 2)}`);
  return outcome.result;
}
export function only(outcome: ChargingOutcome): ChargingPeriodResult {
  const result = ok(outcome);
  expect(result.periods).toHaveLength(1);
  return result.periods[0]!;
}
export function refused(outcome: ChargingOutcome) {
  if (outcome.ok) throw new Error(`Expected a refusal, got: ${JSON.stringify(outcome.result.periods)}`);
  return outcome.errors;
}
export const withFixture = (changes: Partial<ChargingInputJson> = {}) =>
  only(runChargingCase(englandCase(changes), fixture));
export const migOf = (period: ChargingPeriodResult) =>
  period.minimumIncome!.components.map((c) => c.component);

// The real 2024-25 limits, as confirmed from the 2024-25 circular.
export const real2024 = englandChargingRules[0]!;
export const lower =
  real2024.capital.lowerLimit!.status === "confirmed" ? real2024.capital.lowerLimit!.pence : NaN;
export const TARIFF = real2024.capital.tariff!;
export const pounds = (n: number) => n * 100;
