import { sql } from "kysely";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * Money paid and contributions collected in a period, for the reports feature (reports/measures.ts sets them
 * beside spend by ASC-FR setting). Reads for a feature above, inside its transaction; SQL on payments' own
 * tables only. Whole pence; dates YYYY-MM-DD, inclusive.
 */

export type PaidForBudget = {
  budgetId: string;
  deployment: "direct_payment" | "council_managed" | "individual_service_fund" | "council_arranged";
  payments: number;
  /** What reached the payees (the payments' amounts): gross less any contribution netted. */
  netPence: number;
  /** The person's contribution taken off those payments (direct payments are paid net of it). */
  contributionNettedPence: number;
};

/** Payments made (not returned) with a pay date in the period, summed per budget and deployment. */
export async function paymentsMadeInPeriodIn(
  tx: TenantTx,
  from: string,
  to: string,
): Promise<PaidForBudget[]> {
  const rows = await tx
    .selectFrom("payments")
    .select([
      "budget_id",
      "deployment",
      sql<string>`count(*)`.as("payments"),
      sql<string>`coalesce(sum(amount), 0)`.as("net"),
      // A netted part is stored as a negative amount in the payment's parts.
      sql<string>`coalesce(sum((select coalesce(sum(-(part->>'amount')::bigint), 0)
        from jsonb_array_elements(parts) as part where part->>'kind' = 'contribution_netted')), 0)`.as(
        "netted",
      ),
    ])
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("status", "=", "made")
    .where("pay_date", ">=", from)
    .where("pay_date", "<=", to)
    .groupBy(["budget_id", "deployment"])
    .orderBy("budget_id")
    .orderBy("deployment")
    .execute();
  return rows.map((r) => ({
    budgetId: r.budget_id,
    deployment: r.deployment,
    payments: Number(r.payments),
    netPence: Number(r.net),
    contributionNettedPence: Number(r.netted),
  }));
}

export type ContributionInvoicesInPeriod = {
  /** Invoices raised for cycles starting in the period: what was due. */
  invoicedPence: number;
  /** Invoices marked paid on a date in the period. */
  paidPence: number;
};

/** Contributions invoiced (the person pays the council, as for council-arranged support) and paid in a period. */
export async function contributionInvoicesInPeriodIn(
  tx: TenantTx,
  from: string,
  to: string,
): Promise<ContributionInvoicesInPeriod> {
  const row = await tx
    .selectFrom("contribution_invoices")
    .select([
      sql<string>`coalesce(sum(amount) filter (where cycle_start >= ${from} and cycle_start <= ${to}), 0)`.as(
        "invoiced",
      ),
      sql<string>`coalesce(sum(amount) filter (where status = 'paid' and paid_on >= ${from} and paid_on <= ${to}), 0)`.as(
        "paid",
      ),
    ])
    .where("tenant_id", "=", tx.scope.tenantId)
    .executeTakeFirstOrThrow();
  return { invoicedPence: Number(row.invoiced), paidPence: Number(row.paid) };
}
