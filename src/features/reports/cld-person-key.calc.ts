import { daysBetween, isCalendarDate } from "#/platform/dates/calendar.ts";

/**
 * Who a CLD row is about, as NHS England and DHSC work it out (REPORTING.md §1.11, §6.2; DHSC-DASH
 * GetDerivedFields): the traced NHS number, else the NHS number the council sent, else the council's code and
 * its own person id joined with "_". A row with none of these is dropped by them, so Upfront rejects it first
 * and says why. The NHS number is used as it is: a number failing its check is scored by the data-quality
 * checks, not silently swapped for the local id (which would split one person in two between returns).
 */

export type PersonKeyInput = {
  readonly tracedNhsNumber?: string | null | undefined;
  readonly nhsNumber: string | null;
  readonly laCode: string | null;
  readonly laPersonId: string | null;
};

export type PersonKey =
  | { readonly ok: true; readonly key: string; readonly basis: "traced-nhs-number" | "nhs-number" | "la-id" }
  | { readonly ok: false; readonly reason: string };

const present = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
};

export function cldPersonKey(input: PersonKeyInput): PersonKey {
  const traced = present(input.tracedNhsNumber);
  if (traced) return { ok: true, key: traced, basis: "traced-nhs-number" };
  const nhs = present(input.nhsNumber);
  if (nhs) return { ok: true, key: nhs, basis: "nhs-number" };
  const laCode = present(input.laCode);
  const laPersonId = present(input.laPersonId);
  if (laCode && laPersonId) return { ok: true, key: `${laCode}_${laPersonId}`, basis: "la-id" };
  const missing = [laCode ? null : "the council's LA code", laPersonId ? null : "the person's local id"]
    .filter((m) => m !== null)
    .join(" and ");
  return {
    ok: false,
    reason: `This row cannot be sent: the person has no NHS number, and ${missing} is missing. Record the person's NHS number, or set the council's LA code and the person's local id`,
  };
}

/**
 * Age in whole years on a date, as both DHSC's and NHS England's code work it out: FLOOR(days / 365.25)
 * (daysPerYear comes from the rules). Null when either date is missing or not a real date, so a condition on
 * age does not apply (as SQL's NULL comparison does not).
 */
export function cldAge(dateOfBirth: string | null, on: string | null, daysPerYear: number): number | null {
  if (!dateOfBirth || !on || !isCalendarDate(dateOfBirth) || !isCalendarDate(on)) return null;
  return Math.floor(daysBetween(dateOfBirth, on) / daysPerYear);
}
