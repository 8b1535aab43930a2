import * as repo from "#/features/assessment/repository.ts";
import type { TxContext } from "#/platform/context.ts";

/**
 * What a support plan is made from, for planning's service inside its own transaction: an assessment with the
 * allocation (the indicative weekly budget) made on it. Not audited: the caller audits its own use.
 */

export type AllocationFacts = {
  assessmentId: string;
  personId: string;
  assessmentVersion: number;
  /** Null when no allocation was made (not eligible). */
  allocationId: string | null;
  weeklyPence: number | null;
};

export type AllocationOfPerson = {
  allocationId: string;
  assessmentId: string;
  personId: string;
  weeklyPence: number;
};

const toFacts = (row: repo.AllocationFactsRow): AllocationFacts => ({
  assessmentId: row.assessment_id,
  personId: row.person_id,
  assessmentVersion: row.assessment_version,
  allocationId: row.allocation_id,
  weeklyPence: row.weekly_pence,
});

/** The person's latest submitted assessment and its allocation (if any), or undefined when none is submitted. */
export async function latestAllocationFactsIn(
  { tx }: Pick<TxContext, "tx">,
  personId: string,
): Promise<AllocationFacts | undefined> {
  const row = await repo.latestSubmittedAllocationFacts(tx, personId);
  return row ? toFacts(row) : undefined;
}

/** An assessment and its allocation (if any), or undefined when the assessment is not this council's. */
export async function allocationFactsOfAssessmentIn(
  { tx }: Pick<TxContext, "tx">,
  assessmentId: string,
): Promise<AllocationFacts | undefined> {
  const row = await repo.allocationFactsOfAssessment(tx, assessmentId);
  return row ? toFacts(row) : undefined;
}

/** An allocation by its id, with whose it is; undefined when it is not this council's. */
export async function allocationOfPersonIn(
  { tx }: Pick<TxContext, "tx">,
  allocationId: string,
): Promise<AllocationOfPerson | undefined> {
  const row = await repo.findAllocationById(tx, allocationId);
  return row
    ? {
        allocationId: row.allocation_id,
        assessmentId: row.assessment_id,
        personId: row.person_id,
        weeklyPence: row.weekly_pence,
      }
    : undefined;
}
