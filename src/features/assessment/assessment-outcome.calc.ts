import { decideEligibility, type EligibilityDecision } from "#/features/assessment/eligibility.calc.ts";
import type { RulePack } from "#/rules/index.ts";
import { checkModelFitsQuestionnaire, type RasModel } from "#/rules/ras-model.ts";
import type { AssessmentAnswers } from "#/vocabulary/assessment.ts";
import { type Allocation, allocate } from "./allocation.calc.ts";

/**
 * What one set of answers comes to: the eligibility decision under the rule pack and, only when eligible, the
 * indicative budget under the council's RAS model. The one function both the staff submit and the public
 * estimator call, so "the same rules and model the council uses" holds by construction.
 */
export type AssessmentOutcome = {
  eligibility: EligibilityDecision;
  /** Only for eligible needs: an indicative budget is for needs the council must meet. */
  allocation: Allocation | null;
};

/** The council's model was written for another questionnaire: a set-up problem, not the person's. */
export class RasModelMismatchError extends Error {
  override name = "RasModelMismatchError";
}

/** Answers must already have been checked with parseAnswers against pack.questionnaire. */
export function assessmentOutcome(
  answers: AssessmentAnswers,
  pack: RulePack,
  model: RasModel,
): AssessmentOutcome {
  const eligibility = decideEligibility(answers, pack);
  if (!eligibility.eligible) return { eligibility, allocation: null };
  const problems = checkModelFitsQuestionnaire(model, pack.questionnaire);
  if (problems.length > 0) {
    throw new RasModelMismatchError(
      `The council's RAS model does not fit this questionnaire: ${problems.map((p) => p.message).join("; ")}`,
    );
  }
  return { eligibility, allocation: allocate(answers, model, pack.questionnaire) };
}
