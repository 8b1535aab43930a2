import {
  type ChargingOptions,
  type ChargingOutcome,
  calculateCharging,
} from "#/features/charging/charging.calc.ts";
import { chargingInputSchema } from "#/features/charging/charging-input.calc.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";

/**
 * One charging case, as JSON, from the CLI (`upfront calc charging --input case.json`) or the public API
 * (`POST /api/v1/calculate/charging`): parse it, then calculate. Both print or return exactly this outcome,
 * so a case gives the same result and the same field errors wherever it is run. Nothing is stored.
 */
export function runChargingCase(json: unknown, options: ChargingOptions = {}): ChargingOutcome {
  const parsed = chargingInputSchema.safeParse(json);
  if (!parsed.success) return { ok: false, errors: fieldErrorsFrom(parsed.error) };
  return calculateCharging(parsed.data, options);
}
