import {
  type AgeBand,
  type AscofPeriod,
  ageBand,
  dateOf,
  derivedEnd,
  latestDeath,
  oneOf,
  personAge,
  same,
} from "#/features/reports/ascof-common.calc.ts";
import type { CldRow } from "#/features/reports/cld-record.ts";
import type { AscofRules } from "#/rules/registry.ts";

/**
 * ASCOF 2E's cohort and each person's accommodation (DHSC-DASH Create_ASCOF_2E_2425_Onwards.sql with
 * Latest_Person_Details_2425_Onwards.sql; REPORTING.md §6.6). Pure.
 *
 * The cohort: service users with a long-term support service at any time in the period, not dead before it
 * started, aged 18 or over (or of unknown age) at the end of their latest such service, capped at the period end.
 * Their accommodation is the latest known status on any of their rows: a known value beats a blank or "Unknown",
 * then the latest end (open counts as latest), then the latest start; two different statuses tied at the top
 * make it "Unknown". A value not on the list counts as not known (DHSC's cleaned value is blank for it). Settled
 * is the rule data's list of 9; everything else, Unknown included, is not settled. DHSC goes on to deduce
 * "Unknown: presumed at home" from service information; that step is not taken here (REPORTING.md §6.6).
 */

export type AccommodationRecord = {
  readonly person: string;
  readonly age: number | null;
  readonly ageBand: AgeBand;
  /** The status counted, as written in the file, or the rule data's "Unknown". */
  readonly accommodationStatus: string;
  readonly settled: boolean;
  readonly learningDisability: boolean;
};

export function accommodationAtYearEnd(
  people: Map<string, CldRow[]>,
  period: AscofPeriod,
  rules: AscofRules,
): AccommodationRecord[] {
  const records: AccommodationRecord[] = [];
  for (const [person, rows] of people) {
    const death = latestDeath(rows);
    if (death !== null && death < period.start) continue;
    const ageOn = latestLongTermEnd(rows, period, death, rules);
    if (ageOn === null) continue;
    const age = personAge(rows, ageOn, "oldest");
    const band = ageBand(age, rules);
    if (band === "child") continue;
    const listed = [...rules.accommodation.settled, ...rules.accommodation.notSettled];
    const known = (value: string | null) => oneOf(value, listed) && !same(value, rules.accommodation.unknown);
    const status =
      latestKnown(rows, death, (r) => r.accommodationStatus, known) ?? rules.accommodation.unknown;
    const reason = latestKnown(
      rows,
      death,
      (r) => r.primarySupportReason,
      (v) => (v?.trim() ?? "") !== "",
    );
    records.push({
      person,
      age,
      ageBand: band,
      accommodationStatus: status,
      settled: oneOf(status, rules.accommodation.settled),
      learningDisability: same(reason, rules.learningDisabilityPrimarySupportReason),
    });
  }
  return records;
}

/** The end of the person's latest long-term service in the period, capped at the period end; null if none. */
function latestLongTermEnd(
  rows: readonly CldRow[],
  period: AscofPeriod,
  death: string | null,
  rules: AscofRules,
): string | null {
  let latest: string | null = null;
  for (const row of rows) {
    if (!same(row.eventType, rules.eventTypes.service)) continue;
    if (!oneOf(row.clientType, rules.clientTypes.serviceUser)) continue;
    if (!oneOf(row.serviceType, Object.values(rules.longTermServiceTypes))) continue;
    const start = dateOf(row.eventStartDate);
    if (start === null || start > period.end) continue;
    const end = derivedEnd(row, death);
    if (end !== null && (end < start || end < period.start)) continue;
    const capped = end === null || end > period.end ? period.end : end;
    if (latest === null || capped > latest) latest = capped;
  }
  return latest;
}

/**
 * DHSC's "latest known" person detail: known values first, then the latest end (open is latest), then the latest
 * start; a tie between different values at the top is a conflict, read as not known (null).
 */
function latestKnown(
  rows: readonly CldRow[],
  death: string | null,
  read: (row: CldRow) => string | null,
  isKnown: (value: string | null) => boolean,
): string | null {
  const OPEN = "9999-01-01";
  const candidates = rows
    .map((row) => ({
      value: read(row)?.trim() ?? null,
      end: derivedEnd(row, death) ?? OPEN,
      start: dateOf(row.eventStartDate) ?? "",
    }))
    .filter((c) => isKnown(c.value));
  if (candidates.length === 0) return null;
  const top = candidates.reduce((a, b) => (b.end > a.end || (b.end === a.end && b.start > a.start) ? b : a));
  const tied = candidates.filter((c) => c.end === top.end && c.start === top.start);
  return tied.every((c) => same(c.value, top.value)) ? top.value : null;
}
