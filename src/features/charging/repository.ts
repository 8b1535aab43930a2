import type { Selectable } from "kysely";
import { lockTenantSettings } from "#/platform/db/dated-versions.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for financial assessments and the council's charging settings (migrations/0005_financial_assessment.sql),
 * inside the caller's tenant transaction. Queries name tenant_id even under RLS, so Citus can route them.
 */

export type FinancialAssessmentRow = Selectable<DB["financial_assessments"]>;
export type PolicyVersionRow = Selectable<DB["charging_policy_versions"]>;
export type SuppliedFigureRow = Selectable<DB["charging_supplied_figures"]>;

// ---- financial assessments -----------------------------------------------------------------------------------

export async function insertFinancialAssessment(
  tx: TenantTx,
  row: {
    financial_assessment_id: string;
    person_id: string;
    version: number;
    previous_financial_assessment_id: string | null;
    answers: unknown;
    created_by: string;
  },
): Promise<FinancialAssessmentRow> {
  return tx
    .insertInto("financial_assessments")
    .values({ ...row, tenant_id: tx.scope.tenantId, status: "draft", answers: JSON.stringify(row.answers) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** `forUpdate` locks the row, so two completions of one draft run one after the other. */
export async function findFinancialAssessment(
  tx: TenantTx,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<FinancialAssessmentRow | undefined> {
  let query = tx
    .selectFrom("financial_assessments")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("financial_assessment_id", "=", id);
  if (opts.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Every version for a person, newest first. */
export async function listFinancialAssessmentsForPerson(
  tx: TenantTx,
  personId: string,
): Promise<FinancialAssessmentRow[]> {
  return tx
    .selectFrom("financial_assessments")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("person_id", "=", personId)
    .orderBy("version", "desc")
    .execute();
}

/** The newest financial assessments across the council (the finance officer's list). */
export async function listRecentFinancialAssessments(
  tx: TenantTx,
  limit: number,
): Promise<FinancialAssessmentRow[]> {
  return tx
    .selectFrom("financial_assessments")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .orderBy("updated_at", "desc")
    .limit(limit)
    .execute();
}

export async function updateDraftAnswers(
  tx: TenantTx,
  id: string,
  answers: unknown,
): Promise<FinancialAssessmentRow> {
  return tx
    .updateTable("financial_assessments")
    .set({ answers: JSON.stringify(answers), updated_at: new Date() })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("financial_assessment_id", "=", id)
    .where("status", "=", "draft")
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function markCompleted(
  tx: TenantTx,
  id: string,
  values: {
    answers: unknown;
    calculatorInput: unknown;
    suppliedFigures: unknown;
    result: unknown;
    rulePackIds: string[];
    assessmentKind: "full" | "light_touch" | "nothing_to_charge";
    appliesFrom: string;
    appliesTo: string | null;
    weeklyContributionPence: number;
    costOfCareWeeklyPence: number;
    costOfCareBasis: "agreed_plan" | "indicative_budget" | "estimate";
    completedBy: string;
  },
): Promise<FinancialAssessmentRow> {
  const now = new Date();
  return tx
    .updateTable("financial_assessments")
    .set({
      status: "completed",
      answers: JSON.stringify(values.answers),
      calculator_input: JSON.stringify(values.calculatorInput),
      supplied_figures: JSON.stringify(values.suppliedFigures),
      result: JSON.stringify(values.result),
      rule_pack_ids: values.rulePackIds,
      assessment_kind: values.assessmentKind,
      applies_from: values.appliesFrom,
      applies_to: values.appliesTo,
      weekly_contribution_pence: values.weeklyContributionPence,
      cost_of_care_weekly_pence: values.costOfCareWeeklyPence,
      cost_of_care_basis: values.costOfCareBasis,
      completed_by: values.completedBy,
      completed_at: now,
      updated_at: now,
    })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("financial_assessment_id", "=", id)
    .where("status", "=", "draft")
    .returningAll()
    .executeTakeFirstOrThrow();
}

// ---- settings -------------------------------------------------------------------------------------------------

/**
 * Holds the tenant's charging settings still while one change is checked and made, so two administrators
 * adding overlapping versions at once cannot both succeed. Released when the transaction ends.
 */
export async function lockSettings(tx: TenantTx): Promise<void> {
  await lockTenantSettings(tx, "charging-settings");
}

export async function listPolicyVersions(tx: TenantTx): Promise<PolicyVersionRow[]> {
  return tx
    .selectFrom("charging_policy_versions")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .orderBy("valid_from")
    .execute();
}

export async function insertPolicyVersion(
  tx: TenantTx,
  row: {
    policy_version_id: string;
    valid_from: string;
    valid_to: string | null;
    policy: unknown;
    reference: string;
    created_by: string;
  },
): Promise<PolicyVersionRow> {
  return tx
    .insertInto("charging_policy_versions")
    .values({ ...row, tenant_id: tx.scope.tenantId, policy: JSON.stringify(row.policy) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function endPolicyVersion(
  tx: TenantTx,
  id: string,
  validTo: string,
  policy: unknown,
): Promise<void> {
  await tx
    .updateTable("charging_policy_versions")
    .set({ valid_to: validTo, policy: JSON.stringify(policy) })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("policy_version_id", "=", id)
    .execute();
}

export async function deletePolicyVersion(tx: TenantTx, id: string): Promise<PolicyVersionRow | undefined> {
  return tx
    .deleteFrom("charging_policy_versions")
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("policy_version_id", "=", id)
    .returningAll()
    .executeTakeFirst();
}

export async function listSuppliedFigures(tx: TenantTx): Promise<SuppliedFigureRow[]> {
  return tx
    .selectFrom("charging_supplied_figures")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .orderBy("figure")
    .orderBy("valid_from")
    .execute();
}

export async function insertSuppliedFigures(
  tx: TenantTx,
  rows: readonly {
    supplied_figure_id: string;
    figure: string;
    valid_from: string;
    valid_to: string | null;
    pence: number;
    source: string;
    created_by: string;
  }[],
): Promise<SuppliedFigureRow[]> {
  if (rows.length === 0) return [];
  return tx
    .insertInto("charging_supplied_figures")
    .values(rows.map((row) => ({ ...row, tenant_id: tx.scope.tenantId })))
    .returningAll()
    .execute();
}

export async function endSuppliedFigure(tx: TenantTx, id: string, validTo: string): Promise<void> {
  await tx
    .updateTable("charging_supplied_figures")
    .set({ valid_to: validTo })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("supplied_figure_id", "=", id)
    .execute();
}

export async function deleteSuppliedFigure(tx: TenantTx, id: string): Promise<SuppliedFigureRow | undefined> {
  return tx
    .deleteFrom("charging_supplied_figures")
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("supplied_figure_id", "=", id)
    .returningAll()
    .executeTakeFirst();
}
