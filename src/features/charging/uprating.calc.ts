import {
  isCapitalFigure,
  packFigure,
  type SuppliedFigure,
  type SuppliedFigureKey,
  suppliedFigureLabel,
  suppliedFigureOn,
  unconfirmedFigureKeys,
} from "#/features/charging/supplied-figures.calc.ts";
import { addDays } from "#/platform/dates/calendar.ts";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";
import {
  type ChargingJurisdiction,
  type ChargingRules,
  ChargingRulesNotFoundError,
  chargingRulesFor,
  financialYearOf,
} from "#/rules/charging.ts";

/**
 * The yearly uprating: the figures a financial year needs that the rules Upfront holds do not confirm (for a
 * year after the last rule pack, every figure but the capital limits), each offered pre-filled with the best
 * value known — the pack's own value agreed by published secondary sources, a value one published source gives,
 * else last year's — for the council to check against the year's circular, change what it changed, cite it and
 * confirm. Figures the council has already supplied for the year are shown, not offered again. Pure.
 */

export type UpratingYear = { from: string; to: string; label: string; pack: ChargingRules };

/** Where a pre-filled amount came from, so the page can say how far to trust it. */
export type PrefillBasis = "secondary_sources" | "single_source" | "last_year" | "none";

export type UpratingRow = {
  key: SuppliedFigureKey;
  label: string;
  capital: boolean;
  /** The amount the council has already supplied for the year (shown, not offered again). */
  supplied?: SuppliedFigure;
  prefillPence?: number;
  basis: PrefillBasis;
  /** One sentence on where the pre-filled amount came from. */
  hint: string;
};

/** The financial year starting in `startYear`, under the jurisdiction's rules (carried forward if need be). */
export function upratingYear(jurisdiction: ChargingJurisdiction, startYear: number): UpratingYear | null {
  const year = financialYearOf(`${startYear}-04-01`);
  try {
    return { ...year, pack: chargingRulesFor(jurisdiction, year.from) };
  } catch (error) {
    if (error instanceof ChargingRulesNotFoundError) return null;
    throw error;
  }
}

/** The value in force on a date from the pack or the council, whichever the calculator would use. */
function valueOn(
  jurisdiction: ChargingJurisdiction,
  key: SuppliedFigureKey,
  date: string,
  supplied: readonly SuppliedFigure[],
): number | undefined {
  let pack: ChargingRules;
  try {
    pack = chargingRulesFor(jurisdiction, date);
  } catch (error) {
    if (error instanceof ChargingRulesNotFoundError) return undefined;
    throw error;
  }
  const figure = packFigure(pack, key);
  if (figure?.status === "confirmed") return figure.pence;
  const council = suppliedFigureOn(supplied, key, date);
  if (council) return council.pence;
  return figure?.status === "secondary" ? figure.pence : undefined;
}

const amount = (key: SuppliedFigureKey, p: number) =>
  `${formatPounds(p as Pence)}${isCapitalFigure(key) ? "" : " a week"}`;

export function upratingRows(
  jurisdiction: ChargingJurisdiction,
  year: UpratingYear,
  supplied: readonly SuppliedFigure[],
): UpratingRow[] {
  return unconfirmedFigureKeys(year.pack)
    .filter((key) => packFigure(year.pack, key) !== null)
    .map((key): UpratingRow => {
      const base = { key, label: suppliedFigureLabel(key), capital: isCapitalFigure(key) };
      const already = suppliedFigureOn(supplied, key, year.from);
      if (already && already.validFrom >= year.from) {
        return {
          ...base,
          supplied: already,
          basis: "none",
          hint: `Already supplied: ${amount(key, already.pence)}.`,
        };
      }
      const figure = packFigure(year.pack, key)!;
      if (figure.status === "secondary") {
        return {
          ...base,
          prefillPence: figure.pence,
          basis: "secondary_sources",
          hint: `${figure.sources.length} published sources agree on ${amount(key, figure.pence)} (${figure.sources.map((s) => s.title).join("; ")}). Check it against the circular.`,
        };
      }
      if (figure.status === "unsupported" && figure.unconfirmed) {
        return {
          ...base,
          prefillPence: figure.unconfirmed.pence,
          basis: "single_source",
          hint: `One published source gives ${amount(key, figure.unconfirmed.pence)} (${figure.unconfirmed.source.title}). Check it against the circular.`,
        };
      }
      const lastYear = valueOn(jurisdiction, key, addDays(year.from, -1), supplied);
      if (lastYear !== undefined) {
        return {
          ...base,
          prefillPence: lastYear,
          basis: "last_year",
          hint: `Last year's figure was ${amount(key, lastYear)}: change it if the circular changed it.`,
        };
      }
      return { ...base, basis: "none", hint: "Not known: enter the figure from the circular." };
    });
}

/** The supplied figures the confirmed form makes: one per offered row, for the whole year, citing the source. */
export function upratedFigures(
  year: UpratingYear,
  amounts: ReadonlyMap<SuppliedFigureKey, number>,
  source: string,
): SuppliedFigure[] {
  return [...amounts].map(([figure, pence]) => ({
    figure,
    validFrom: year.from,
    validTo: year.to,
    pence,
    source,
  }));
}
