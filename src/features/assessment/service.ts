import { z } from "zod";
import type { Allocation } from "#/features/assessment/allocation.calc.ts";
import {
  type AssessmentOutcome,
  assessmentOutcome,
  RasModelMismatchError,
} from "#/features/assessment/assessment-outcome.calc.ts";
import type { EligibilityDecision } from "#/features/assessment/eligibility.calc.ts";
import * as repo from "#/features/assessment/repository.ts";
import {
  type AssessmentAnswers,
  assessmentAnswersSchema,
  type FieldError,
  fieldErrorsFrom,
  outcomeAnswerSchema,
  parseAnswers,
} from "#/features/assessment/schemas.ts";
import { findPersonRow } from "#/features/people/service.ts";
import { currentTenantIn, ensureTenantRasModel, rasModelVersionIn } from "#/features/tenants/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import {
  actorRef,
  inTenant,
  isUniqueViolation,
  type ServiceContext,
  type TxContext,
} from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import {
  allRulePacks,
  isCalendarDate,
  type RulePack,
  RulePackNotFoundError,
  rulePackFor,
} from "#/rules/index.ts";
import type { Questionnaire } from "#/rules/types.ts";

/**
 * The assessment cycle's use cases: start a draft, save it a section at a time, submit it (which decides
 * eligibility and, if eligible, makes the allocation), and revise a submitted one as a new version.
 * Each `…In` function is the same use case inside a caller's transaction (the demo seed batches many).
 */

/** A draft holds whatever sections have been saved so far; a submitted one holds complete answers. */
export type DraftAnswers = Partial<AssessmentAnswers>;

export type Assessment = {
  assessmentId: string;
  personId: string;
  version: number;
  previousAssessmentId: string | null;
  questionnaireId: string;
  status: "draft" | "submitted";
  answers: DraftAnswers;
  decisionDate: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  submittedBy: string | null;
  submittedAt: Date | null;
};

export type AssessmentSummary = Omit<Assessment, "answers">;
export type AssessmentWithOutcome = AssessmentSummary & {
  eligible: boolean | null;
  weeklyPence: number | null;
};
/** A submitted assessment with its answers and outcome, for other features (latestSubmittedAssessmentIn). */
export type SubmittedAssessment = Assessment & Pick<AssessmentWithOutcome, "eligible" | "weeklyPence">;

export type StoredDecision = {
  decisionId: string;
  assessmentId: string;
  eligible: boolean;
  ruleId: string;
  decision: EligibilityDecision;
  decidedBy: string;
  decidedAt: Date;
};

export type StoredAllocation = {
  allocationId: string;
  assessmentId: string;
  rasModelId: string;
  rasModelVersion: number;
  weeklyPence: number;
  annualPence: number;
  working: Allocation;
  createdBy: string;
  createdAt: Date;
};

export type SubmitResult = {
  assessment: Assessment;
  decision: StoredDecision;
  /** Only an eligible person gets an allocation. */
  allocation: StoredAllocation | null;
};

function toSummary(row: repo.AssessmentRow): AssessmentSummary {
  return {
    assessmentId: row.assessment_id,
    personId: row.person_id,
    version: row.version,
    previousAssessmentId: row.previous_assessment_id,
    questionnaireId: row.questionnaire_id,
    status: row.status,
    decisionDate: row.decision_date,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    submittedBy: row.submitted_by,
    submittedAt: row.submitted_at,
  };
}

function toAssessment(row: repo.AssessmentRow): Assessment {
  return { ...toSummary(row), answers: row.answers as DraftAnswers };
}

function toDecision(row: repo.DecisionRow): StoredDecision {
  return {
    decisionId: row.decision_id,
    assessmentId: row.assessment_id,
    eligible: row.eligible,
    ruleId: row.rule_id,
    decision: row.decision as EligibilityDecision,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
  };
}

function toAllocation(row: repo.AllocationRow): StoredAllocation {
  return {
    allocationId: row.allocation_id,
    assessmentId: row.assessment_id,
    rasModelId: row.ras_model_id,
    rasModelVersion: row.ras_model_version,
    weeklyPence: row.weekly_pence,
    annualPence: row.annual_pence,
    working: row.working as Allocation,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

const isUuid = (s: string) => z.uuid().safeParse(s).success;

async function findOrThrow(
  tx: TenantTx,
  assessmentId: string,
  forUpdate = false,
): Promise<repo.AssessmentRow> {
  const row = isUuid(assessmentId) ? await repo.findAssessment(tx, assessmentId, { forUpdate }) : undefined;
  if (!row) throw new NotFoundError("The assessment");
  return row;
}

/** The tenant's rule pack for a date; an unknown date or jurisdiction is the caller's input to fix. */
async function packFor(tx: TenantTx, onDate: string): Promise<RulePack> {
  const tenant = await currentTenantIn(tx);
  try {
    return rulePackFor(tenant.jurisdiction, onDate);
  } catch (error) {
    if (error instanceof RulePackNotFoundError) {
      throw new ValidationError([{ path: error.field, message: error.message }]);
    }
    throw error;
  }
}

/** The questionnaire a draft was started in, which may belong to an older pack than today's. */
function questionnaireById(id: string): Questionnaire {
  const found = allRulePacks().find((p) => p.questionnaire.id === id)?.questionnaire;
  if (!found) throw new Error(`Questionnaire ${id} is in no rule pack`);
  return found;
}

/** Unique (tenant, person, version): another draft was started at the same moment. */
async function versionRace<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError("Someone else started a new version at the same time: open it instead");
    }
    throw error;
  }
}

async function nextVersionFor(tx: TenantTx, personId: string): Promise<number> {
  const versions = await repo.listAssessmentsForPerson(tx, personId);
  const draft = versions.find((v) => v.status === "draft");
  if (draft) {
    throw new ConflictError(
      `Version ${draft.version} of this assessment is still a draft: carry on with that one`,
    );
  }
  return (versions[0]?.version ?? 0) + 1;
}

// ---- start -----------------------------------------------------------------------------------------

/** Starts a draft in the questionnaire of the tenant's rule pack for today. One draft per person at a time. */
export async function startAssessment(ctx: ServiceContext, personId: string): Promise<Assessment> {
  return versionRace(() => inTenant(ctx, (t) => startAssessmentIn(t, personId)));
}

export async function startAssessmentIn({ tx, today }: TxContext, personId: string): Promise<Assessment> {
  const person = await findPersonRow({ tx }, personId);
  const pack = await packFor(tx, today);
  const version = await nextVersionFor(tx, person.person_id);
  const row = await repo.insertAssessment(tx, {
    assessment_id: uuidv7(),
    person_id: person.person_id,
    version,
    previous_assessment_id: null,
    questionnaire_id: pack.questionnaire.id,
    answers: { questionnaireId: pack.questionnaire.id },
    created_by: actorRef(tx.scope.actor),
  });
  await audit(tx, {
    action: "create",
    recordType: "assessment",
    recordId: row.assessment_id,
    changes: { personId: row.person_id, version, questionnaireId: row.questionnaire_id },
  });
  return toAssessment(row);
}

// ---- read ------------------------------------------------------------------------------------------

/** Opens an assessment (part of the person's record, so the view is audited). */
export async function getAssessment(ctx: ServiceContext, assessmentId: string): Promise<Assessment> {
  return inTenant(ctx, async ({ tx }) => {
    const row = await findOrThrow(tx, assessmentId);
    await audit(tx, { action: "view", recordType: "assessment", recordId: row.assessment_id });
    return toAssessment(row);
  });
}

/** The versions of a person's assessment, newest first, without answers (so not audited as a view). */
/**
 * A person's assessments, newest first, each with its outcome (null for a draft) and weekly indicative budget
 * (null when none was made). Part of the person's record, whose view getPerson audits.
 */
/**
 * A person's assessments, newest first. Pages show them on a record whose opening is audited already; a caller
 * that shows them on their own (the API) says `audited`, and the list is recorded as a view of what was listed.
 */
export async function listAssessmentsForPerson(
  ctx: ServiceContext,
  personId: string,
  options: { audited?: boolean } = {},
): Promise<AssessmentWithOutcome[]> {
  return inTenant(ctx, async ({ tx }) => {
    const person = await findPersonRow({ tx }, personId);
    const rows = await repo.listAssessmentsForPerson(tx, person.person_id);
    if (options.audited) {
      await audit(tx, {
        action: "view",
        recordType: "person_assessments",
        recordId: person.person_id,
        changes: { assessmentIds: rows.map((r) => r.assessment_id) },
      });
    }
    return rows.map((row) => ({
      ...toSummary(row),
      eligible: row.eligible,
      weeklyPence: row.weekly_pence,
    }));
  });
}

/** The newest assessment of each person (a page of search results), keyed by person id. */
export async function latestAssessmentsFor(
  ctx: ServiceContext,
  personIds: readonly string[],
): Promise<Map<string, AssessmentSummary>> {
  return inTenant(ctx, async ({ tx }) => {
    const rows = await repo.latestAssessmentsForPeople(tx, personIds);
    return new Map(rows.map((row) => [row.person_id, toSummary(row)]));
  });
}

/**
 * For other features' services, inside their transaction (charging's cost of care, the money statement): the
 * person's latest submitted assessment with its answers and outcome (eligible; the weekly indicative budget,
 * null when none was made), or null. Not audited: the caller audits its own use.
 */
export async function latestSubmittedAssessmentIn(
  { tx }: Pick<TxContext, "tx">,
  personId: string,
): Promise<SubmittedAssessment | null> {
  const row = await repo.latestSubmittedForPerson(tx, personId);
  return row ? { ...toAssessment(row), eligible: row.eligible, weeklyPence: row.weekly_pence } : null;
}

/** The eligibility decision on an assessment, or null while it is a draft. Viewing it is audited. */
export async function getDecision(ctx: ServiceContext, assessmentId: string): Promise<StoredDecision | null> {
  return inTenant(ctx, async ({ tx }) => {
    const assessment = await findOrThrow(tx, assessmentId);
    const row = await repo.findDecision(tx, assessment.assessment_id);
    if (!row) return null;
    await audit(tx, { action: "view", recordType: "eligibility_decision", recordId: row.decision_id });
    return toDecision(row);
  });
}

/** The allocation made on an assessment, or null (a draft, or not eligible). Viewing it is audited. */
export async function getAllocation(
  ctx: ServiceContext,
  assessmentId: string,
): Promise<StoredAllocation | null> {
  return inTenant(ctx, async ({ tx }) => {
    const assessment = await findOrThrow(tx, assessmentId);
    const row = await repo.findAllocation(tx, assessment.assessment_id);
    // The RAS model it was priced with, from its owner (the tenants feature).
    const rasModelVersion = row ? await rasModelVersionIn(tx, row.ras_model_id) : undefined;
    if (!row || rasModelVersion === undefined) return null;
    await audit(tx, { action: "view", recordType: "allocation", recordId: row.allocation_id });
    return toAllocation({ ...row, ras_model_version: rasModelVersion });
  });
}

// ---- save a section ----------------------------------------------------------------------------------

const SECTION_FIELDS = new Set(
  Object.keys(assessmentAnswersSchema.shape).filter((k) => k !== "questionnaireId"),
);

/**
 * Checks the shape of the sections given (top-level fields, and outcomes one by one), not whether the
 * answers are complete: that waits for submit. Returns the parsed sections and their names.
 */
export function parseSections(
  input: unknown,
  questionnaire: Questionnaire,
): { value: DraftAnswers; sections: string[] } {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new ValidationError([{ path: "(top level)", message: "The answers must be an object" }]);
  }
  const errors: FieldError[] = [];
  const value: Record<string, unknown> = {};
  const outcomes: Record<string, unknown> = {};
  const sections: string[] = [];
  const shape = assessmentAnswersSchema.shape as Record<string, z.ZodType>;

  for (const [key, raw] of Object.entries(input)) {
    if (key === "questionnaireId") {
      if (raw !== questionnaire.id) {
        errors.push({
          path: key,
          message: `This assessment uses questionnaire "${questionnaire.id}"; it cannot be changed`,
        });
      }
    } else if (key === "outcomes") {
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        errors.push({ path: key, message: "Give the outcomes as an object, by outcome id" });
        continue;
      }
      for (const [outcomeId, answer] of Object.entries(raw)) {
        if (!questionnaire.outcomes.some((o) => o.id === outcomeId)) {
          errors.push({
            path: `outcomes.${outcomeId}`,
            message: `"${outcomeId}" is not an outcome in this questionnaire`,
          });
          continue;
        }
        const parsed = outcomeAnswerSchema.safeParse(answer);
        if (parsed.success) outcomes[outcomeId] = parsed.data;
        else errors.push(...fieldErrorsFrom(parsed.error, ["outcomes", outcomeId]));
        sections.push(`outcomes.${outcomeId}`);
      }
    } else if (SECTION_FIELDS.has(key)) {
      const parsed = shape[key]!.safeParse(raw);
      if (parsed.success) value[key] = parsed.data;
      else errors.push(...fieldErrorsFrom(parsed.error, [key]));
      sections.push(key);
    } else {
      errors.push({ path: key, message: `"${key}" is not a field here: check the spelling, or remove it` });
    }
  }
  if (errors.length > 0) throw new ValidationError(errors);
  if (sections.length === 0)
    throw new ValidationError([{ path: "(top level)", message: "Give at least one answer to save" }]);
  if (Object.keys(outcomes).length > 0) value.outcomes = outcomes;
  return { value: value as DraftAnswers, sections };
}

/**
 * Saves one or more sections into a draft: top-level fields replace what was there, and each outcome
 * given replaces that outcome. A cleared optional field (an empty box) is removed.
 */
export async function saveAnswers(
  ctx: ServiceContext,
  assessmentId: string,
  partial: unknown,
): Promise<Assessment> {
  return inTenant(ctx, (t) => saveAnswersIn(t, assessmentId, partial));
}

export async function saveAnswersIn(
  { tx }: TxContext,
  assessmentId: string,
  partial: unknown,
): Promise<Assessment> {
  const row = await findOrThrow(tx, assessmentId, true);
  if (row.status !== "draft") {
    throw new ConflictError(
      `Version ${row.version} has been submitted and cannot be changed: revise it to start a new version`,
    );
  }
  const { value, sections } = parseSections(partial, questionnaireById(row.questionnaire_id));
  const current = row.answers as DraftAnswers;
  const merged: DraftAnswers = {
    ...current,
    ...value,
    questionnaireId: row.questionnaire_id,
    ...(value.outcomes || current.outcomes ? { outcomes: { ...current.outcomes, ...value.outcomes } } : {}),
  };
  // A field parsed to undefined (an emptied optional box) is dropped rather than stored as null.
  for (const key of Object.keys(merged) as (keyof DraftAnswers)[])
    if (merged[key] === undefined) delete merged[key];
  const updated = await repo.updateDraftAnswers(tx, row.assessment_id, merged);
  // What changed is named by section and field, never the answers themselves.
  await audit(tx, {
    action: "update",
    recordType: "assessment",
    recordId: row.assessment_id,
    changes: { sections },
  });
  return toAssessment(updated);
}

// ---- submit ------------------------------------------------------------------------------------------

/**
 * Submits a draft. Everything is checked before the first write (complete answers, a rule pack for the
 * decision date, a RAS model that prices this questionnaire); then, in one transaction, the assessment is
 * marked submitted, eligibility decided and stored with its reasons and, if eligible, the allocation made
 * with the tenant's current RAS model and stored with its working. Each write has its audit event.
 */
export async function submitAssessment(
  ctx: ServiceContext,
  assessmentId: string,
  opts: { decisionDate?: string } = {},
): Promise<SubmitResult> {
  return inTenant(ctx, (t) => submitAssessmentIn(t, assessmentId, opts));
}

export async function submitAssessmentIn(
  { tx, today }: TxContext,
  assessmentId: string,
  opts: { decisionDate?: string } = {},
): Promise<SubmitResult> {
  const decisionDate = opts.decisionDate ?? today;
  if (!isCalendarDate(decisionDate)) {
    throw new ValidationError([
      { path: "decisionDate", message: "The decision date must be a real date written as YYYY-MM-DD" },
    ]);
  }
  const row = await findOrThrow(tx, assessmentId, true);
  if (row.status !== "draft") throw new ConflictError(`Version ${row.version} has already been submitted`);

  // 1. Check everything; nothing has been written yet.
  const pack = await packFor(tx, decisionDate);
  const parsed = parseAnswers(row.answers, pack.questionnaire);
  if (!parsed.ok) throw new ValidationError(parsed.errors);
  const answers = parsed.value;
  // The same function the public estimator calls. The model is the tenant's current one (adopted at creation).
  const ras = await ensureTenantRasModel({ tx, today });
  let outcome: AssessmentOutcome;
  try {
    outcome = assessmentOutcome(answers, pack, ras.model);
  } catch (error) {
    if (!(error instanceof RasModelMismatchError)) throw error;
    throw new ConflictError(`Version ${ras.version}: ${error.message}`);
  }
  const { eligibility } = outcome;
  const priced = outcome.allocation
    ? { rasModelId: ras.rasModelId, rasModelVersion: ras.version, allocation: outcome.allocation }
    : null;

  // 2. Write.
  const who = actorRef(tx.scope.actor);
  const submitted = await repo.markSubmitted(tx, row.assessment_id, {
    answers,
    decisionDate,
    submittedBy: who,
  });
  await audit(tx, {
    action: "submit",
    recordType: "assessment",
    recordId: row.assessment_id,
    changes: { version: row.version, decisionDate, status: { from: "draft", to: "submitted" } },
  });

  const decisionRow = await repo.insertDecision(tx, {
    decision_id: uuidv7(),
    assessment_id: row.assessment_id,
    eligible: eligibility.eligible,
    rule_id: eligibility.ruleId,
    decision: eligibility,
    decided_by: who,
  });
  await audit(tx, {
    action: "decide",
    recordType: "eligibility_decision",
    recordId: decisionRow.decision_id,
    changes: {
      assessmentId: row.assessment_id,
      eligible: eligibility.eligible,
      ruleId: eligibility.ruleId,
      rulePackId: pack.id,
    },
  });

  let allocation: StoredAllocation | null = null;
  if (priced) {
    const stored = await repo.insertAllocation(tx, {
      allocation_id: uuidv7(),
      assessment_id: row.assessment_id,
      ras_model_id: priced.rasModelId,
      weekly_pence: priced.allocation.weeklyPence,
      annual_pence: priced.allocation.annualPence,
      working: priced.allocation,
      created_by: who,
    });
    await audit(tx, {
      action: "create",
      recordType: "allocation",
      recordId: stored.allocation_id,
      changes: {
        assessmentId: row.assessment_id,
        weeklyPence: priced.allocation.weeklyPence,
        rasModelVersion: priced.rasModelVersion,
      },
    });
    allocation = toAllocation({ ...stored, ras_model_version: priced.rasModelVersion });
  }
  return { assessment: toAssessment(submitted), decision: toDecision(decisionRow), allocation };
}

// ---- revise ------------------------------------------------------------------------------------------

/**
 * Starts the next version from the latest submitted one, with its answers copied and a link back to it.
 * The submitted version is never changed (a trigger enforces it too), so its decision stays on record.
 */
export async function reviseAssessment(ctx: ServiceContext, assessmentId: string): Promise<Assessment> {
  return versionRace(() => inTenant(ctx, (t) => reviseAssessmentIn(t, assessmentId)));
}

export async function reviseAssessmentIn(
  { tx, today }: TxContext,
  assessmentId: string,
): Promise<Assessment> {
  const source = await findOrThrow(tx, assessmentId);
  if (source.status !== "submitted") {
    throw new ConflictError(
      `Version ${source.version} is still a draft: carry on with it instead of revising`,
    );
  }
  const latest = (await repo.listAssessmentsForPerson(tx, source.person_id))[0]!;
  if (latest.assessment_id !== source.assessment_id) {
    throw new ConflictError(
      latest.status === "draft"
        ? `Version ${latest.version} of this assessment is still a draft: carry on with that one`
        : `Version ${latest.version} is newer: revise that one`,
    );
  }
  // The new version is in today's questionnaire; if that has changed, submitting shows what to answer again.
  const pack = await packFor(tx, today);
  const row = await repo.insertAssessment(tx, {
    assessment_id: uuidv7(),
    person_id: source.person_id,
    version: source.version + 1,
    previous_assessment_id: source.assessment_id,
    questionnaire_id: pack.questionnaire.id,
    answers: { ...(source.answers as DraftAnswers), questionnaireId: pack.questionnaire.id },
    created_by: actorRef(tx.scope.actor),
  });
  await audit(tx, {
    action: "create",
    recordType: "assessment",
    recordId: row.assessment_id,
    changes: { personId: row.person_id, version: row.version, previousAssessmentId: source.assessment_id },
  });
  return toAssessment(row);
}
