import type { AssessmentAnswers, OutcomeAnswer } from "#/features/assessment/schemas.ts";
import { englandQuestionnaire } from "#/rules/england/questionnaire.ts";
import type { Questionnaire } from "#/rules/types.ts";

/**
 * Test helpers: answers for a person who manages every outcome alone (first option of every question),
 * to be changed one fact at a time. Only tests import this file.
 */
export function answersManagingEverything(
  questionnaire: Questionnaire = englandQuestionnaire,
): AssessmentAnswers {
  const outcomes: Record<string, OutcomeAnswer> = {};
  for (const outcome of questionnaire.outcomes) {
    const items: Record<string, string> = {};
    for (const item of outcome.items) items[item.id] = item.options[0]!.id;
    outcomes[outcome.id] = { canAchieveWithoutHelp: true, difficulties: [], items };
  }
  return {
    questionnaireId: questionnaire.id,
    needsFromImpairmentOrIllness: true,
    needsFluctuate: false,
    outcomes,
    wellbeingImpact: "significant",
    wellbeingReasons: "Not being able to do these things leaves them isolated and at risk.",
    primarySupportReason: "physical_personal_care",
    livingSituation: "lives_alone",
    informalCarer: { hasCarer: false },
    whatMattersToMe: "Staying in my own home.",
  };
}

/** Marks outcomes as not achieved, for the given reg 2(3) reasons. */
export function notAchieving(
  answers: AssessmentAnswers,
  outcomeIds: readonly string[],
  difficulties: readonly string[] = ["needs_assistance"],
  carerSupport?: string,
): AssessmentAnswers {
  const outcomes = { ...answers.outcomes };
  for (const id of outcomeIds) {
    const current = outcomes[id]!;
    outcomes[id] = {
      ...current,
      canAchieveWithoutHelp: false,
      difficulties: [...difficulties],
      carerSupport,
    };
  }
  return { ...answers, outcomes };
}

/** Sets one graded answer. */
export function answering(answers: AssessmentAnswers, outcomeId: string, itemId: string, optionId: string) {
  const outcome = answers.outcomes[outcomeId]!;
  return {
    ...answers,
    outcomes: {
      ...answers.outcomes,
      [outcomeId]: { ...outcome, items: { ...outcome.items, [itemId]: optionId } },
    },
  };
}
