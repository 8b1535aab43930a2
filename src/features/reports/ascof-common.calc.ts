import { cldPersonKey } from "#/features/reports/cld-person-key.calc.ts";
import type { CldRow } from "#/features/reports/cld-record.ts";
import { daysBetween, isCalendarDate } from "#/platform/dates/calendar.ts";
import type { AscofRules } from "#/rules/registry.ts";

/**
 * What the ASCOF calcs share: CLD text compared as DHSC's SQL compares it, dates and ages as DHSC derives them,
 * people grouped by the combined person id, and percentages rounded as published. Pure.
 */

/** The year (or other period) measured: 3D's client snapshot is its last day. Dates YYYY-MM-DD, inclusive. */
export type AscofPeriod = { readonly start: string; readonly end: string };

export type AgeBand = "18 to 64" | "65 and above" | "unknown";
export type FigureGroup = "total" | "18 to 64" | "65 and above";

/** One published figure, with the people behind it so it can be explained. */
export type AscofFigure = {
  readonly measure: "3D1a" | "3D2a" | "3D1b" | "3D2b" | "2E" | "2E LD";
  readonly group: FigureGroup;
  readonly numerator: number;
  readonly denominator: number;
  /** numerator / denominator × 100, rounded half up to the published places; null when nobody is counted. */
  readonly percent: number | null;
  readonly numeratorPersons: readonly string[];
  readonly denominatorPersons: readonly string[];
};

/** Text equal as SQL Server's default collation sees it: trimmed, case ignored (DHSC's code TRIMs and is case-insensitive). */
export function same(a: string | null | undefined, b: string | null | undefined): boolean {
  return normal(a) !== "" && normal(a) === normal(b);
}

export function oneOf(value: string | null | undefined, list: readonly string[]): boolean {
  return list.some((item) => same(value, item));
}

function normal(value: string | null | undefined): string {
  return value?.trim().toLowerCase() ?? "";
}

/** A date cell read as a date, or null when blank or not a real YYYY-MM-DD date. */
export function dateOf(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? "";
  return isCalendarDate(trimmed) ? trimmed : null;
}

/** The rows of each person, by combined person id; rows with no id are counted and dropped (REPORTING.md §1.11). */
export function byPerson(rows: readonly CldRow[]): {
  people: Map<string, CldRow[]>;
  rowsWithoutPerson: number;
} {
  const people = new Map<string, CldRow[]>();
  let rowsWithoutPerson = 0;
  for (const row of rows) {
    const person = cldPersonKey({
      nhsNumber: row.nhsNumber,
      laCode: row.laCode,
      laPersonId: row.laPersonUniqueIdentifier,
    });
    if (!person.ok) {
      rowsWithoutPerson += 1;
      continue;
    }
    const list = people.get(person.key);
    if (list) list.push(row);
    else people.set(person.key, [row]);
  }
  return { people, rowsWithoutPerson };
}

/** The person's latest date of death on any row (DHSC's Date_of_Death_Latest), or null. */
export function latestDeath(rows: readonly CldRow[]): string | null {
  let latest: string | null = null;
  for (const row of rows) {
    const death = dateOf(row.dateOfDeath);
    if (death && (latest === null || death > latest)) latest = death;
  }
  return latest;
}

/** The event's end as DHSC derives it: a death inside the event (or after its start when open) ends it. */
export function derivedEnd(row: CldRow, death: string | null): string | null {
  const start = dateOf(row.eventStartDate);
  const end = dateOf(row.eventEndDate);
  if (death && start && death >= start && (end === null || death < end)) return death;
  return end;
}

/**
 * Age on a date as DHSC derives it: from a proxy birth date on the 1st of the birth month (the national data keeps
 * only year and month), FLOOR(days / 365.25) (REPORTING.md §1.11). Where the person's rows disagree on the birth
 * date, `pick` chooses: DHSC takes the largest age for clients and 2E, the smallest for carers.
 */
export function personAge(rows: readonly CldRow[], on: string, pick: "oldest" | "youngest"): number | null {
  const ages: number[] = [];
  for (const row of rows) {
    const birth = dateOf(row.dateOfBirth);
    if (birth) ages.push(Math.floor(daysBetween(`${birth.slice(0, 8)}01`, on) / 365.25));
  }
  if (ages.length === 0) return null;
  return pick === "oldest" ? Math.max(...ages) : Math.min(...ages);
}

/** The age band, or "child" for under 18s, whom every ASCOF measure here leaves out. */
export function ageBand(age: number | null, rules: AscofRules): AgeBand | "child" {
  if (age === null) return "unknown";
  if (age < rules.ageBands.adultFrom) return "child";
  return age < rules.ageBands.olderFrom ? "18 to 64" : "65 and above";
}

/** numerator / denominator × 100 rounded half up to `decimals` places, in integers so no float drifts (DHSC ROUND(…, 1)). */
export function roundedPercent(numerator: number, denominator: number, decimals: number): number | null {
  if (denominator === 0) return null;
  const scale = 10 ** decimals;
  const scaled = Math.floor((2 * numerator * 100 * scale + denominator) / (2 * denominator));
  return scaled / scale;
}

/** A figure from the people in its denominator and the test each must pass to be in its numerator. */
export function figure<P extends { readonly person: string }>(
  measure: AscofFigure["measure"],
  group: FigureGroup,
  denominator: readonly P[],
  inNumerator: (p: P) => boolean,
  rules: AscofRules,
): AscofFigure {
  const denominatorPersons = denominator.map((p) => p.person).sort();
  const numeratorPersons = denominator
    .filter(inNumerator)
    .map((p) => p.person)
    .sort();
  return {
    measure,
    group,
    numerator: numeratorPersons.length,
    denominator: denominatorPersons.length,
    percent: roundedPercent(numeratorPersons.length, denominatorPersons.length, rules.percentDecimals),
    numeratorPersons,
    denominatorPersons,
  };
}

/** The three groups published for each measure: everyone (unknown ages too), then each age band. */
export function byAgeGroups<P extends { readonly person: string; readonly ageBand: AgeBand }>(
  people: readonly P[],
): [FigureGroup, readonly P[]][] {
  return [
    ["total", people],
    ["18 to 64", people.filter((p) => p.ageBand === "18 to 64")],
    ["65 and above", people.filter((p) => p.ageBand === "65 and above")],
  ];
}
