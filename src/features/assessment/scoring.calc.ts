import type { Questionnaire } from "#/rules/types.ts";
import type { AssessmentAnswers } from "#/vocabulary/assessment.ts";

/**
 * RAS points from answers: each graded question's chosen option carries points; an outcome's points are
 * the sum of its questions'. Points price an indicative budget only; they never decide eligibility.
 */

export type ItemScore = {
  outcomeId: string;
  itemId: string;
  question: string;
  optionId: string;
  answer: string;
  points: number;
};

export type Scores = {
  /** In questionnaire order, so the working always reads the same way. */
  items: ItemScore[];
  domainPoints: Record<string, number>;
  totalPoints: number;
};

/** Thrown when answers were not validated against this questionnaire first (a programming error). */
export class ScoringError extends Error {
  override name = "ScoringError";
}

export function scoreAnswers(answers: AssessmentAnswers, questionnaire: Questionnaire): Scores {
  const items: ItemScore[] = [];
  const domainPoints: Record<string, number> = {};
  let totalPoints = 0;
  for (const outcome of questionnaire.outcomes) {
    let outcomePoints = 0;
    for (const item of outcome.items) {
      const optionId = answers.outcomes[outcome.id]?.items[item.id];
      const option = item.options.find((o) => o.id === optionId);
      if (!option) {
        throw new ScoringError(
          `outcomes.${outcome.id}.items["${item.id}"]: no valid answer (${String(optionId)}); run validateAnswers first`,
        );
      }
      items.push({
        outcomeId: outcome.id,
        itemId: item.id,
        question: item.text,
        optionId: option.id,
        answer: option.label,
        points: option.points,
      });
      outcomePoints += option.points;
    }
    domainPoints[outcome.id] = outcomePoints;
    totalPoints += outcomePoints;
  }
  return { items, domainPoints, totalPoints };
}

/** The most points the questionnaire can give: the top option of every question. */
export function maximumPoints(questionnaire: Questionnaire): number {
  let max = 0;
  for (const outcome of questionnaire.outcomes) {
    for (const item of outcome.items) max += Math.max(...item.options.map((o) => o.points));
  }
  return max;
}
