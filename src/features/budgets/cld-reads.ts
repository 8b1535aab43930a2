import { anyUuid, uuidBounds } from "#/platform/db/any-of.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * The lines of every personal budget (live, replaced or ended) of some people, each with its budget's dates and
 * end, for the reports feature's Client Level Data return (one Service event per agreed support line): one query
 * for a page of people.
 */

export type BudgetLineForReports = {
  budgetId: string;
  lineNo: number;
  personId: string;
  supportName: string;
  category: string;
  deployment: "direct_payment" | "council_managed" | "individual_service_fund" | "council_arranged";
  weeklyPence: number;
  oneOffPence: number;
  providerId: string | null;
  startDate: string;
  endDate: string | null;
  endReason: "replaced" | "support_ended" | "died" | "moved_away" | "other" | null;
};

export async function budgetLinesForReportsIn(
  tx: TenantTx,
  personIds: readonly string[],
): Promise<BudgetLineForReports[]> {
  // The ids' first and last beside ANY: the planner then reads a page of people by the index (any-of.ts).
  const bounds = uuidBounds(personIds);
  if (bounds === null) return [];
  const rows = await tx
    .selectFrom("personal_budget_lines as l")
    .innerJoin("personal_budgets as b", (j) =>
      j.onRef("b.tenant_id", "=", "l.tenant_id").onRef("b.budget_id", "=", "l.budget_id"),
    )
    .select([
      "l.budget_id",
      "l.line_no",
      "b.person_id",
      "l.support_name",
      "l.category",
      "l.deployment",
      "l.weekly_pence",
      "l.one_off_pence",
      "l.provider_id",
      "b.start_date",
      "b.end_date",
      "b.end_reason",
    ])
    .where("l.tenant_id", "=", tx.scope.tenantId)
    .where("b.person_id", ">=", bounds.first)
    .where("b.person_id", "<=", bounds.last)
    .where("b.person_id", "=", anyUuid(personIds))
    .orderBy("b.person_id")
    .orderBy("b.start_date")
    .orderBy("l.budget_id")
    .orderBy("l.line_no")
    .execute();
  return rows.map((r) => ({
    budgetId: r.budget_id,
    lineNo: r.line_no,
    personId: r.person_id,
    supportName: r.support_name,
    category: r.category,
    deployment: r.deployment,
    weeklyPence: r.weekly_pence,
    oneOffPence: r.one_off_pence,
    providerId: r.provider_id,
    startDate: r.start_date,
    endDate: r.end_date,
    endReason: r.end_reason,
  }));
}

/**
 * The people these budgets are for, and the people with a budget line at these providers (a provider's name or
 * CQC location is on each of its service rows): for a refresh of the CLD rows of people whose records changed.
 */
export async function peopleOfBudgetsForReportsIn(
  tx: TenantTx,
  ids: { budgetIds: readonly string[]; providerIds: readonly string[] },
): Promise<string[]> {
  const people = new Set<string>();
  if (ids.budgetIds.length > 0) {
    const rows = await tx
      .selectFrom("personal_budgets")
      .select("person_id")
      .distinct()
      .where("tenant_id", "=", tx.scope.tenantId)
      .where("budget_id", "=", anyUuid(ids.budgetIds))
      .execute();
    for (const r of rows) people.add(r.person_id);
  }
  if (ids.providerIds.length > 0) {
    const rows = await tx
      .selectFrom("personal_budget_lines as l")
      .innerJoin("personal_budgets as b", (j) =>
        j.onRef("b.tenant_id", "=", "l.tenant_id").onRef("b.budget_id", "=", "l.budget_id"),
      )
      .select("b.person_id")
      .distinct()
      .where("l.tenant_id", "=", tx.scope.tenantId)
      .where("l.provider_id", "=", anyUuid(ids.providerIds))
      .execute();
    for (const r of rows) people.add(r.person_id);
  }
  return [...people];
}
