import type { AccessDecision } from "#/features/accounts/access.calc.ts";
import {
  authorise,
  myRepresentatives,
  portalHome,
  type RepresentativeView,
} from "#/features/accounts/service.ts";
import {
  type Assessment,
  type AssessmentWithOutcome,
  getAllocation,
  getAssessment,
  getDecision,
  listAssessmentsForPerson,
  type StoredAllocation,
  type StoredDecision,
} from "#/features/assessment/service.ts";
import { getPerson, type Person } from "#/features/people/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { NotFoundError } from "#/platform/errors.ts";

/**
 * The person's pages (/my): their own record, or that of someone they represent. Every use case asks
 * accounts' authorise first (the one check), then reads through the assessment and people services, whose
 * views are audited with the person's account as the actor.
 */

export type Access = Extract<AccessDecision, { allowed: true }>;

export type PersonRecord = {
  access: Access;
  person: Person;
  assessments: AssessmentWithOutcome[];
  /** The newest submitted assessment, with its outcome: what the home page leads with. */
  latest: AssessmentWithOutcome | null;
  /** Only on the person's own record: who may act for them, which they may agree to or withdraw. */
  representatives: RepresentativeView[];
};

export async function homeFor(ctx: ServiceContext) {
  return portalHome(ctx);
}

/** One person's record as the portal shows it. Opening it is a view of the person, audited. */
export async function personRecord(ctx: ServiceContext, personId: string): Promise<PersonRecord> {
  const access = await authorise(ctx, personId, "view");
  const person = await getPerson(ctx, personId);
  const assessments = await listAssessmentsForPerson(ctx, personId);
  return {
    access,
    person,
    assessments,
    latest: assessments.find((a) => a.status === "submitted") ?? null,
    representatives: access.as === "self" ? await myRepresentatives(ctx) : [],
  };
}

/** A submitted assessment of this person, or not found (a draft, or someone else's). Not audited: callers are. */
async function submittedAssessmentOf(ctx: ServiceContext, personId: string, assessmentId: string) {
  const found = (await listAssessmentsForPerson(ctx, personId)).find(
    (a) => a.assessmentId === assessmentId && a.status === "submitted",
  );
  if (!found) throw new NotFoundError("The assessment");
  return found;
}

export type AssessmentPage = {
  access: Access;
  person: Person;
  assessment: Assessment;
  decision: StoredDecision | null;
  allocation: StoredAllocation | null;
};

/**
 * A submitted assessment with its answers, decision and allocation. Ownership is checked before anything is
 * opened, so a guessed id of someone else's assessment is not found and leaves no "view" in the trail.
 */
export async function assessmentPage(
  ctx: ServiceContext,
  personId: string,
  assessmentId: string,
): Promise<AssessmentPage> {
  const access = await authorise(ctx, personId, "view");
  await submittedAssessmentOf(ctx, personId, assessmentId);
  const person = await getPerson(ctx, personId);
  const assessment = await getAssessment(ctx, assessmentId);
  const decision = await getDecision(ctx, assessmentId);
  const allocation = decision?.eligible ? await getAllocation(ctx, assessmentId) : null;
  return { access, person, assessment, decision, allocation };
}
