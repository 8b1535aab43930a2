import {
  CHARGING_JURISDICTIONS,
  type ChargingJurisdiction,
  type ChargingRules,
} from "#/rules/charging-types.ts";
import { englandChargingRules } from "#/rules/england/charging.ts";
import { isCalendarDate } from "#/rules/index.ts";
import { scotlandChargingRules } from "#/rules/scotland/charging.ts";
import { walesChargingRules } from "#/rules/wales/charging.ts";

export * from "#/rules/charging-types.ts";

/**
 * The charging rule-pack registry: a pack is chosen by the date the assessment applies to, never by "now".
 * The shapes, and the one rule about figures (official text only), are in charging-types.ts.
 */

const packs: readonly ChargingRules[] = [
  ...englandChargingRules,
  ...walesChargingRules,
  ...scotlandChargingRules,
];

export class ChargingRulesNotFoundError extends Error {
  readonly field: "jurisdiction" | "date";
  constructor(field: "jurisdiction" | "date", message: string) {
    super(message);
    this.name = "ChargingRulesNotFoundError";
    this.field = field;
  }
}

export function isChargingJurisdiction(value: string): value is ChargingJurisdiction {
  return (CHARGING_JURISDICTIONS as readonly string[]).includes(value);
}

/** Every registered charging pack, oldest first within each jurisdiction. */
export function allChargingRules(): readonly ChargingRules[] {
  return packs;
}

/** "2024-04-01 to 2025-03-31, 2025-04-01 to 2026-03-31" (adjacent packs joined into one range). */
export function coveredDates(
  jurisdiction: ChargingJurisdiction,
  from: readonly ChargingRules[] = packs,
): string {
  const ranges: { from: string; to: string | undefined }[] = [];
  for (const pack of from
    .filter((p) => p.jurisdiction === jurisdiction)
    .sort((a, b) => a.validFrom.localeCompare(b.validFrom))) {
    const last = ranges.at(-1);
    if (last?.to !== undefined && addDays(last.to, 1) === pack.validFrom) last.to = pack.validTo;
    else ranges.push({ from: pack.validFrom, to: pack.validTo });
  }
  if (ranges.length === 0) return "none";
  return ranges.map((r) => `${r.from} to ${r.to ?? "(no end date yet)"}`).join("; ");
}

/**
 * The pack for a jurisdiction on the date an assessment applies to: chosen by that date, never by "now".
 * Throws ChargingRulesNotFoundError naming the covered dates.
 */
export function chargingRulesFor(
  jurisdiction: string,
  date: string,
  from: readonly ChargingRules[] = packs,
): ChargingRules {
  if (!isChargingJurisdiction(jurisdiction)) {
    throw new ChargingRulesNotFoundError(
      "jurisdiction",
      `There are no charging rules for "${jurisdiction}". Use one of: ${CHARGING_JURISDICTIONS.join(", ")}`,
    );
  }
  if (!isCalendarDate(date)) {
    throw new ChargingRulesNotFoundError("date", `"${date}" is not a real date written as YYYY-MM-DD`);
  }
  const pack = from.find(
    (p) =>
      p.jurisdiction === jurisdiction &&
      p.validFrom <= date &&
      (p.validTo === undefined || date <= p.validTo),
  );
  if (!pack) {
    throw new ChargingRulesNotFoundError(
      "date",
      `There are no ${jurisdiction} charging rules for ${date}. The covered dates are ${coveredDates(jurisdiction, from)}`,
    );
  }
  return pack;
}

/** YYYY-MM-DD plus n days (n may be negative). */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
