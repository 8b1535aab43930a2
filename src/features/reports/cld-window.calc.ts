import type { CldEvent } from "#/features/reports/cld-record.ts";
import { addMonths, dayBefore, isCalendarDate } from "#/platform/dates/calendar.ts";

/**
 * INTERIM, until branch cld-lists' cld-period.calc.ts is merged (it owns period parsing and filtering): the
 * return's period and which events fall in it (REPORTING.md §1.12 and §6.3, DHSC-DASH 4-event-filtering.md).
 */

export type CldPeriod = { start: string; end: string };

const PERIOD = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;

export function parseCldPeriod(
  text: string,
): { ok: true; period: CldPeriod } | { ok: false; message: string } {
  const match = PERIOD.exec(text.trim());
  if (!match) {
    return { ok: false, message: "Give the period as start..end, for example 2026-04-01..2027-03-31" };
  }
  const [, start, end] = match as unknown as [string, string, string];
  if (!isCalendarDate(start) || !isCalendarDate(end)) {
    return { ok: false, message: "Give real dates for the period, written yyyy-mm-dd" };
  }
  if (end < start) return { ok: false, message: `The period ends (${end}) before it starts (${start})` };
  // A rolling 12 months at most: the return covers a year up to the quarter's end.
  if (end >= addMonths(start, 12)) {
    return {
      ok: false,
      message: `The period is over 12 months: the return covers a rolling 12 months at most, so from ${start} it ends by ${dayBefore(addMonths(start, 12))}`,
    };
  }
  return { ok: true, period: { start, end } };
}

/**
 * The events in the period, with a death inside an event ending it: requests, assessments and reviews that
 * started by the period's end and ended within it; services that started by its end and had not ended before it.
 */
export function cldEventsInPeriod(events: readonly CldEvent[], period: CldPeriod): CldEvent[] {
  const out: CldEvent[] = [];
  for (const event of events) {
    const row = event.row;
    const start = row.eventStartDate;
    let end = row.eventEndDate;
    const death = row.dateOfDeath;
    if (death && start && start <= death && (end === null || death < end)) end = death;
    if (start === null || start > period.end) continue;
    const service = event.source.kind === "budget_line";
    const inside = service
      ? end === null || end >= period.start
      : end !== null && end >= period.start && end <= period.end;
    if (inside) out.push(end === row.eventEndDate ? event : { ...event, row: { ...row, eventEndDate: end } });
  }
  return out;
}
