import type { StoredPart } from "#/features/payments/tables.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/** What the commissioner's money report reads from payments (features/reports): amounts, never bank details. */
export type PaymentFact = { budgetId: string; personId: string; payDate: string; parts: StoredPart[] };
export type ContributionInvoiceFact = {
  budgetId: string;
  cycleStart: string;
  amountPence: number;
  paidOn: string | null;
};

const parsed = <T>(value: unknown): T => (typeof value === "string" ? JSON.parse(value) : value) as T;

/** Payments made (not returned) with a pay date in [from, to], with their parts by stream and deployment. */
export async function paymentFactsIn(tx: TenantTx, from: string, to: string): Promise<PaymentFact[]> {
  const rows = await tx
    .selectFrom("payments")
    .select(["budget_id", "person_id", "pay_date", "parts"])
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("status", "=", "made")
    .where("pay_date", ">=", from)
    .where("pay_date", "<=", to)
    .orderBy("pay_date")
    .orderBy("payment_id")
    .execute();
  return rows.map((r) => ({
    budgetId: r.budget_id,
    personId: r.person_id,
    payDate: r.pay_date,
    parts: parsed<StoredPart[]>(r.parts),
  }));
}

/** Contribution invoices for cycles starting in [from, to], and whether (and when) each was paid. */
export async function contributionInvoiceFactsIn(
  tx: TenantTx,
  from: string,
  to: string,
): Promise<ContributionInvoiceFact[]> {
  const rows = await tx
    .selectFrom("contribution_invoices")
    .select(["budget_id", "cycle_start", "amount", "status", "paid_on"])
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("cycle_start", ">=", from)
    .where("cycle_start", "<=", to)
    .orderBy("cycle_start")
    .orderBy("invoice_id")
    .execute();
  return rows.map((r) => ({
    budgetId: r.budget_id,
    cycleStart: r.cycle_start,
    amountPence: Number(r.amount),
    paidOn: r.status === "paid" ? (r.paid_on ?? r.cycle_start) : null,
  }));
}
