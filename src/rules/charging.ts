import { addDays } from "#/platform/dates/calendar.ts";
import {
  CHARGING_JURISDICTIONS,
  type ChargingFigure,
  type ChargingJurisdiction,
  type ChargingRules,
  type MigComponent,
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

/** The financial year (1 April to 31 March) that contains a date. */
export function financialYearOf(date: string): { from: string; to: string; label: string } {
  const year = Number(date.slice(0, 4));
  const start = date.slice(5) >= "04-01" ? year : year - 1;
  return { from: `${start}-04-01`, to: `${start + 1}-03-31`, label: `${start} to ${start + 1}` };
}

const carriedFigure = (reason: string) => ({ status: "unsupported", reason }) as const;

/**
 * A financial year after the last pack a jurisdiction has: the last pack's rules carried forward, with no
 * figures but the capital limits (unchanged since 2010 until a circular changes them), so a financial
 * assessment uses the figures the council uprates for the year (Charging settings, "Uprate figures") and is
 * refused, saying so, until it has. Every figure is yearly data: nothing is assumed to rise by a guessed rate.
 */
export function carriedForwardPack(last: ChargingRules, date: string): ChargingRules {
  const year = financialYearOf(date);
  const reason =
    `Upfront holds no national figures for the financial year ${year.label} yet. The council uprates them for ` +
    "the year from the circular (Charging settings, “Uprate figures”), or Upfront's next release adds them.";
  const figure = carriedFigure(reason);
  const keepCapital = (f: ChargingFigure | null): ChargingFigure | null =>
    f === null ? null : f.status === "unsupported" ? figure : f;
  const mi = last.minimumIncome;
  return {
    ...last,
    id: `${last.jurisdiction}-charging-${year.from.slice(0, 4)}-${year.to.slice(2, 4)}-carried-forward`,
    title: `${last.title.replace(/, financial year.*$/, "")}, financial year ${year.label}`,
    validFrom: last.validTo !== undefined && last.validTo >= year.from ? addDays(last.validTo, 1) : year.from,
    validTo: year.to,
    datesNote:
      `No rule pack for ${year.label} is in Upfront: the rules of ${last.title} are carried forward, with the ` +
      "figures the council supplies for the year.",
    capital: {
      ...last.capital,
      lowerLimit: keepCapital(last.capital.lowerLimit),
      upperLimit: keepCapital(last.capital.upperLimit) ?? figure,
    },
    minimumIncome:
      mi.kind === "mig"
        ? {
            ...mi,
            amounts: Object.fromEntries(Object.keys(mi.amounts).map((k) => [k, figure])) as Record<
              MigComponent,
              ChargingFigure
            >,
          }
        : mi,
    savingsCreditDisregard: { single: figure, couple: figure },
    weeklyMaximumCharge: last.weeklyMaximumCharge === null ? null : figure,
    personalExpensesAllowance: last.personalExpensesAllowance === null ? null : figure,
  };
}

/**
 * The pack for a jurisdiction on the date an assessment applies to: chosen by that date, never by "now". A date
 * after the last pack gets that pack carried forward to its financial year (carriedForwardPack). Throws
 * ChargingRulesNotFoundError naming the covered dates for a date before the first pack.
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
    const last = from
      .filter((p) => p.jurisdiction === jurisdiction)
      .reduce<ChargingRules | undefined>(
        (a, p) => (a === undefined || p.validFrom > a.validFrom ? p : a),
        undefined,
      );
    if (last?.validTo !== undefined && date > last.validTo) return carriedForwardPack(last, date);
    throw new ChargingRulesNotFoundError(
      "date",
      `There are no ${jurisdiction} charging rules for ${date}. The covered dates are ${coveredDates(jurisdiction, from)}`,
    );
  }
  return pack;
}
