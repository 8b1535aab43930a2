import { dateText } from "#/features/payments/invoice-text.calc.ts";

/**
 * Returned payments: what a bank's return reason means and what the person and finance are told to do. Pure.
 *
 * Reason codes: the Bacs ARUCS (Automated Return of Unapplied Credits Service) reason codes a bank gives when it
 * cannot apply a direct credit (Bacs, "ARUCS reason codes", in the Bacs service user guides; *check* each
 * meaning against the council's bank's current list before relying on it). An unknown code is refused, so a
 * typing slip does not become a message to a person.
 */

export type ReturnReason = {
  readonly code: string;
  readonly meaning: string;
  /** What the person (or their representative) should do. */
  readonly personAction: string;
  /** What finance should do. */
  readonly financeAction: string;
};

const NEW_DETAILS = "Give the council your correct bank details so we can pay you again.";

export const RETURN_REASONS: readonly ReturnReason[] = [
  {
    code: "0",
    meaning: "Refer to payer: the bank would not apply the payment",
    personAction: "Contact your bank to find out why it sent the payment back, then tell the council.",
    financeAction: "Contact the payee, check the bank details, and pay again in the next run.",
  },
  {
    code: "2",
    meaning: "The account holder has died",
    personAction: "If you act for the person, please contact the council about their direct payment.",
    financeAction:
      "Check with the social work team; end the budget if the person has died. Do not pay again.",
  },
  {
    code: "3",
    meaning: "The account has been transferred to another bank or branch",
    personAction: NEW_DETAILS,
    financeAction:
      "Get the new details from the payee; a second officer approves them; pay again in the next run.",
  },
  {
    code: "5",
    meaning: "No account, or the wrong type of account, at these details",
    personAction: NEW_DETAILS,
    financeAction:
      "Check the details against the payee's evidence; a second officer approves the correct ones.",
  },
  {
    code: "6",
    meaning: "No instruction: the bank holds no mandate for this payment",
    personAction: "Contact your bank, then tell the council the account is ready to receive payments.",
    financeAction: "Contact the payee; pay again in the next run once they confirm the account.",
  },
  {
    code: "B",
    meaning: "The account is closed",
    personAction: NEW_DETAILS,
    financeAction:
      "Get new details from the payee; a second officer approves them; pay again in the next run.",
  },
];

export function returnReason(code: string): ReturnReason | undefined {
  return RETURN_REASONS.find((r) => r.code === code.trim().toUpperCase());
}

/**
 * The two messages a return gives: for the person, and for finance. Amounts in pence, written as pounds; dates
 * in words. The person's message names "the payment", not "your payment": a representative may be reading it.
 */
export function returnMessages(
  reason: ReturnReason,
  payment: { amount: number; payDate: string; returnedOn: string },
): { person: string; finance: string } {
  const pounds = `£${Math.floor(payment.amount / 100).toLocaleString("en-GB")}.${String(payment.amount % 100).padStart(2, "0")}`;
  return {
    person: `The payment of ${pounds} due on ${dateText(payment.payDate)} came back from the bank on ${dateText(payment.returnedOn)} (${reason.meaning.toLowerCase()}). The money is safe in the budget. ${reason.personAction}`,
    finance: `Payment of ${pounds} (pay date ${dateText(payment.payDate)}) returned on ${dateText(payment.returnedOn)}, reason ${reason.code}: ${reason.meaning}. The money is back in the budget's account. ${reason.financeAction}`,
  };
}
