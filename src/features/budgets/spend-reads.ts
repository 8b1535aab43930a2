import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * Budget lines for the reports feature's spend by ASC-FR setting (reports/measures.ts): every line of every
 * budget that ran at some time in a period, with its budget's dates. A read for a feature above, inside its
 * transaction; SQL on budgets' own tables only.
 */

export type BudgetLineInPeriod = {
  budgetId: string;
  personId: string;
  lineNo: number;
  category: string;
  deployment: "direct_payment" | "council_managed" | "individual_service_fund" | "council_arranged";
  streamId: string;
  startDate: string;
  /** Null while the budget runs on. */
  endDate: string | null;
  /** Gross a week, before the contribution. */
  weeklyPence: number;
  oneOffPence: number;
  /** The part of the person's contribution taken off this line a week. */
  contributionWeeklyPence: number;
};

/** Lines of budgets that started by `to` and had not ended before `from` (YYYY-MM-DD, inclusive). */
export async function budgetLinesInPeriodIn(
  tx: TenantTx,
  from: string,
  to: string,
): Promise<BudgetLineInPeriod[]> {
  const rows = await tx
    .selectFrom("personal_budget_lines as l")
    .innerJoin("personal_budgets as b", (join) =>
      join.onRef("b.tenant_id", "=", "l.tenant_id").onRef("b.budget_id", "=", "l.budget_id"),
    )
    .select([
      "l.budget_id",
      "b.person_id",
      "l.line_no",
      "l.category",
      "l.deployment",
      "l.stream_id",
      "b.start_date",
      "b.end_date",
      "l.weekly_pence",
      "l.one_off_pence",
      "l.contribution_weekly_pence",
    ])
    .where("l.tenant_id", "=", tx.scope.tenantId)
    .where("b.start_date", "<=", to)
    .where((eb) => eb.or([eb("b.end_date", "is", null), eb("b.end_date", ">=", from)]))
    .orderBy("l.budget_id")
    .orderBy("l.line_no")
    .execute();
  return rows.map((r) => ({
    budgetId: r.budget_id,
    personId: r.person_id,
    lineNo: r.line_no,
    category: r.category,
    deployment: r.deployment,
    streamId: r.stream_id,
    startDate: r.start_date,
    endDate: r.end_date,
    weeklyPence: r.weekly_pence,
    oneOffPence: r.one_off_pence,
    contributionWeeklyPence: r.contribution_weekly_pence,
  }));
}
