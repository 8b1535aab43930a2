import { bacsCycleForDueDate, earliestPayDate, isBankingDay } from "#/features/payments/pay-dates.calc.ts";
import type { BankHolidayRegion } from "#/rules/registry.ts";

/**
 * A later pay date for an approved run whose Bacs file can no longer be made (issue 12: money paths cannot
 * dead-end). Pure: the run's file pay date, today and the council's banking-day settings in; whether the file is
 * too late and the earliest date a file sent today can pay on out (pay-dates.calc.ts earliestPayDate, the same
 * lead-time rule prepare uses: rules/uk/bacs18-layout.ts bacsCycleRules).
 *
 * The file is too late once today is after the Bacs processing day of the pay date: the date written in the file
 * would be in the past (service.ts runFile refuses the file then).
 */

export type RedateOffer =
  | { readonly late: false; readonly mustReachBacsBy: string }
  | { readonly late: true; readonly mustReachBacsBy: string; readonly earliest: string };

export function redateOffer(input: {
  filePayDate: string;
  today: string;
  whenNotBankingDay: "before" | "after";
  region: BankHolidayRegion;
}): RedateOffer {
  const cycle = bacsCycleForDueDate(input.filePayDate, input.whenNotBankingDay);
  if (input.today <= cycle.processingDay) return { late: false, mustReachBacsBy: cycle.inputDay };
  return {
    late: true,
    mustReachBacsBy: cycle.inputDay,
    earliest: earliestPayDate(input.today, input.region),
  };
}

/** Why a chosen new pay date cannot be used (undefined when it can): the same checks prepare makes. */
export function newPayDateProblem(
  date: string,
  offer: Extract<RedateOffer, { late: true }>,
  region: BankHolidayRegion,
): "too_soon" | "not_banking_day" | undefined {
  if (date < offer.earliest) return "too_soon";
  if (!isBankingDay(date, region)) return "not_banking_day";
  return undefined;
}
