import type { Selectable } from "kysely";
import { anyUuid } from "#/platform/db/any-of.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for assessments and what is derived from them when one is submitted: the eligibility decision and
 * the allocation. All inside the caller's tenant transaction; every query names tenant_id for Citus.
 */

export type AssessmentRow = Selectable<DB["assessments"]>;
export type DecisionRow = Selectable<DB["eligibility_decisions"]>;
export type AllocationRow = Selectable<DB["allocations"]> & { ras_model_version: number };

export async function insertAssessment(
  tx: TenantTx,
  row: {
    assessment_id: string;
    person_id: string;
    version: number;
    previous_assessment_id: string | null;
    questionnaire_id: string;
    answers: unknown;
    created_by: string;
  },
): Promise<AssessmentRow> {
  return tx
    .insertInto("assessments")
    .values({ ...row, tenant_id: tx.scope.tenantId, status: "draft", answers: JSON.stringify(row.answers) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** `forUpdate` locks the row, so two submits of one draft run one after the other. */
export async function findAssessment(
  tx: TenantTx,
  assessmentId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<AssessmentRow | undefined> {
  let query = tx
    .selectFrom("assessments")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("assessment_id", "=", assessmentId);
  if (opts.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export type AssessmentWithOutcomeRow = AssessmentRow & {
  eligible: boolean | null;
  weekly_pence: number | null;
};

/** This tenant's assessments, each with its eligibility outcome and weekly allocation if any. */
const withOutcomeQuery = (tx: TenantTx) =>
  tx
    .selectFrom("assessments as a")
    .leftJoin("eligibility_decisions as d", (j) =>
      j.onRef("d.tenant_id", "=", "a.tenant_id").onRef("d.assessment_id", "=", "a.assessment_id"),
    )
    .leftJoin("allocations as l", (j) =>
      j.onRef("l.tenant_id", "=", "a.tenant_id").onRef("l.assessment_id", "=", "a.assessment_id"),
    )
    .selectAll("a")
    .select(["d.eligible", "l.weekly_pence"])
    .where("a.tenant_id", "=", tx.scope.tenantId);

/** Every version for a person, newest first, with its eligibility outcome and weekly allocation if any. */
export async function listAssessmentsForPerson(
  tx: TenantTx,
  personId: string,
): Promise<AssessmentWithOutcomeRow[]> {
  return withOutcomeQuery(tx).where("a.person_id", "=", personId).orderBy("a.version", "desc").execute();
}

/** The person's latest submitted version, with its eligibility outcome and weekly allocation if any. */
export async function latestSubmittedForPerson(
  tx: TenantTx,
  personId: string,
): Promise<AssessmentWithOutcomeRow | undefined> {
  return withOutcomeQuery(tx)
    .where("a.person_id", "=", personId)
    .where("a.status", "=", "submitted")
    .orderBy("a.version", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** The newest version for each of these people, in one query (a page of search results). */
export async function latestAssessmentsForPeople(
  tx: TenantTx,
  personIds: readonly string[],
): Promise<AssessmentRow[]> {
  if (personIds.length === 0) return [];
  return tx
    .selectFrom("assessments")
    .distinctOn("person_id")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("person_id", "=", anyUuid(personIds))
    .orderBy("person_id")
    .orderBy("version", "desc")
    .execute();
}

export async function updateDraftAnswers(
  tx: TenantTx,
  assessmentId: string,
  answers: unknown,
): Promise<AssessmentRow> {
  return tx
    .updateTable("assessments")
    .set({ answers: JSON.stringify(answers), updated_at: new Date() })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("assessment_id", "=", assessmentId)
    .where("status", "=", "draft")
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function markSubmitted(
  tx: TenantTx,
  assessmentId: string,
  values: { answers: unknown; decisionDate: string; submittedBy: string },
): Promise<AssessmentRow> {
  const now = new Date();
  return tx
    .updateTable("assessments")
    .set({
      status: "submitted",
      answers: JSON.stringify(values.answers),
      decision_date: values.decisionDate,
      submitted_by: values.submittedBy,
      submitted_at: now,
      updated_at: now,
    })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("assessment_id", "=", assessmentId)
    .where("status", "=", "draft")
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertDecision(
  tx: TenantTx,
  row: {
    decision_id: string;
    assessment_id: string;
    eligible: boolean;
    rule_id: string;
    decision: unknown;
    decided_by: string;
  },
): Promise<DecisionRow> {
  return tx
    .insertInto("eligibility_decisions")
    .values({ ...row, tenant_id: tx.scope.tenantId, decision: JSON.stringify(row.decision) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findDecision(tx: TenantTx, assessmentId: string): Promise<DecisionRow | undefined> {
  return tx
    .selectFrom("eligibility_decisions")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("assessment_id", "=", assessmentId)
    .executeTakeFirst();
}

export async function insertAllocation(
  tx: TenantTx,
  row: {
    allocation_id: string;
    assessment_id: string;
    ras_model_id: string;
    weekly_pence: number;
    annual_pence: number;
    working: unknown;
    created_by: string;
  },
): Promise<Selectable<DB["allocations"]>> {
  return tx
    .insertInto("allocations")
    .values({ ...row, tenant_id: tx.scope.tenantId, working: JSON.stringify(row.working) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The assessment's allocation (the version of its RAS model is the tenants feature's to say). */
export async function findAllocation(
  tx: TenantTx,
  assessmentId: string,
): Promise<Selectable<DB["allocations"]> | undefined> {
  return tx
    .selectFrom("allocations")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("assessment_id", "=", assessmentId)
    .executeTakeFirst();
}

// ---- for planning: an assessment with its allocation -----------------------------------------------------------

export type AllocationFactsRow = {
  assessment_id: string;
  person_id: string;
  assessment_version: number;
  allocation_id: string | null;
  weekly_pence: number | null;
};

/** An assessment with its allocation (if any), for this tenant: the base of the two look-ups below. */
const allocationFactsQuery = (tx: TenantTx) =>
  tx
    .selectFrom("assessments as a")
    .leftJoin("allocations as l", (j) =>
      j.onRef("l.tenant_id", "=", "a.tenant_id").onRef("l.assessment_id", "=", "a.assessment_id"),
    )
    .select([
      "a.assessment_id",
      "a.person_id",
      "a.version as assessment_version",
      "l.allocation_id",
      "l.weekly_pence",
    ])
    .where("a.tenant_id", "=", tx.scope.tenantId);

/** The person's latest submitted assessment and its allocation (if any). */
export async function latestSubmittedAllocationFacts(
  tx: TenantTx,
  personId: string,
): Promise<AllocationFactsRow | undefined> {
  return allocationFactsQuery(tx)
    .where("a.person_id", "=", personId)
    .where("a.status", "=", "submitted")
    .orderBy("a.version", "desc")
    .limit(1)
    .executeTakeFirst();
}

export async function allocationFactsOfAssessment(
  tx: TenantTx,
  assessmentId: string,
): Promise<AllocationFactsRow | undefined> {
  return allocationFactsQuery(tx).where("a.assessment_id", "=", assessmentId).executeTakeFirst();
}

/** An allocation by its own id, with the person its assessment is of. */
export async function findAllocationById(
  tx: TenantTx,
  allocationId: string,
): Promise<
  { allocation_id: string; assessment_id: string; person_id: string; weekly_pence: number } | undefined
> {
  return tx
    .selectFrom("allocations as l")
    .innerJoin("assessments as a", (j) =>
      j.onRef("a.tenant_id", "=", "l.tenant_id").onRef("a.assessment_id", "=", "l.assessment_id"),
    )
    .select(["l.allocation_id", "l.assessment_id", "a.person_id", "l.weekly_pence"])
    .where("l.tenant_id", "=", tx.scope.tenantId)
    .where("l.allocation_id", "=", allocationId)
    .executeTakeFirst();
}
