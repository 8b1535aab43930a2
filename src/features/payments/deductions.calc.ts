/**
 * Money owed back taken from a person's future direct payments (St Helens: a repayment not made within 2 weeks is
 * recovered by reducing future payments; REPORTING.md §3). Pure: what each payment about to be made takes towards
 * the budget's open deductions — the oldest deduction first, each payment at most its own amount (so a payment
 * never goes below £0), until nothing is owed.
 */

export type OpenDeduction = {
  readonly deductionId: string;
  readonly budgetId: string;
  /** What is still owed: the amount less what earlier payments took. */
  readonly outstandingPence: number;
};

export type DeductiblePayment = {
  readonly key: string;
  readonly budgetId: string;
  readonly amountPence: number;
};

export type Take = { readonly deductionId: string; readonly amountPence: number };

/** Each payment's takes, by payment key; payments are taken in the order given, deductions in the order given. */
export function deductionTakes(
  open: readonly OpenDeduction[],
  payments: readonly DeductiblePayment[],
): Map<string, Take[]> {
  const owed = new Map(open.map((d) => [d.deductionId, d.outstandingPence]));
  const takes = new Map<string, Take[]>();
  for (const p of payments) {
    let left = p.amountPence;
    for (const d of open) {
      if (left <= 0) break;
      const due = owed.get(d.deductionId) ?? 0;
      if (d.budgetId !== p.budgetId || due <= 0) continue;
      const take = Math.min(due, left);
      owed.set(d.deductionId, due - take);
      left -= take;
      takes.set(p.key, [...(takes.get(p.key) ?? []), { deductionId: d.deductionId, amountPence: take }]);
    }
  }
  return takes;
}
