import { scoreAnswers } from "#/features/assessment/scoring.calc.ts";
import { formatPounds, type Pence, pence, roundedDivide, scalePence } from "#/platform/money/pence.ts";
import { weeklyToAnnual, weeklyToFourWeekly } from "#/platform/money/periods.ts";
import {
  hasAtMostDecimalPlaces,
  PERCENT_SCALE,
  type RasBand,
  type RasModel,
  WEIGHT_SCALE,
} from "#/rules/ras-model.ts";
import type { Questionnaire } from "#/rules/types.ts";
import type { AssessmentAnswers } from "#/vocabulary/assessment.ts";

/**
 * The indicative budget for one assessment, with every line of its working.
 *
 * Order: points → weighted points → price per point or band → adjustments → minimum → cap.
 * Rounding: money is rounded to the nearest penny, halves up, once at each step that can make a
 * fraction of a penny (the price × weighted points, and each percentage adjustment). Weekly is the
 * source amount; 4-weekly and annual are derived from it by platform/money/periods.ts (× 4, × 52).
 */

export const INDICATIVE_BUDGET_STATEMENT =
  "This is an indicative budget. Your final personal budget is the cost of the support plan we agree with you, and may be higher or lower.";

export type AllocationLine = {
  kind: "item";
  outcomeId: string;
  itemId: string;
  question: string;
  answer: string;
  points: number;
};

export type PriceOrBand =
  | {
      method: "price_per_point";
      pricePerPointPence: Pence;
      weightedPoints: number;
      amountPence: Pence;
    }
  | {
      method: "bands";
      /** Weighted points rounded to a whole point (halves up) to find the band. */
      bandPoints: number;
      band: RasBand;
      aboveTopBand: boolean;
      amountPence: Pence;
    };

export type AppliedAdjustment = { id: string; description: string; amountPence: Pence };

export type Allocation = {
  modelId: string;
  modelVersion: string;
  modelIsExample: boolean;
  questionnaireId: string;
  lines: AllocationLine[];
  domainPoints: Record<string, number>;
  totalPoints: number;
  weightedPoints: number;
  priceOrBand: PriceOrBand;
  beforeAdjustments: Pence;
  adjustments: AppliedAdjustment[];
  afterAdjustments: Pence;
  minimumApplied: boolean;
  capApplied: boolean;
  weeklyPence: Pence;
  fourWeeklyPence: Pence;
  annualPence: Pence;
  /** Each line of the working, in plain English. */
  explanation: string[];
  /** Always shown with the amount (statutory guidance 11.24: the amount can go up or down). */
  statement: string;
};

export class AllocationError extends Error {
  override name = "AllocationError";
}

/** Weights are exact to 4 decimal places, so scale them to whole ten-thousandths. */
function scaledWeight(weight: number | undefined): number {
  const w = weight ?? 1;
  if (!hasAtMostDecimalPlaces(w, 4)) throw new AllocationError(`Weight ${w} has more than 4 decimal places`);
  return Math.round(w * WEIGHT_SCALE);
}

/** "12", "12.5", "12.3456": points as a person would write them. */
const formatPoints = (n: number) => String(Number(n.toFixed(4)));

function priceOrBandFor(model: RasModel, weightedTenThousandths: number): PriceOrBand {
  const weightedPoints = weightedTenThousandths / WEIGHT_SCALE;
  if (model.pricing.method === "price_per_point") {
    const price = pence(model.pricing.pricePerPointPence);
    return {
      method: "price_per_point",
      pricePerPointPence: price,
      weightedPoints,
      amountPence: scalePence(price, weightedTenThousandths, WEIGHT_SCALE),
    };
  }
  const bands = model.pricing.bands;
  const bandPoints = roundedDivide(weightedTenThousandths, WEIGHT_SCALE);
  const top = bands.at(-1)!;
  const band = bands.find((b) => b.fromPoints <= bandPoints && bandPoints <= b.toPoints) ?? top;
  return {
    method: "bands",
    bandPoints,
    band,
    aboveTopBand: bandPoints > top.toPoints,
    amountPence: pence(band.weeklyPence),
  };
}

/** Step 4: each adjustment, a share of the amount before adjustments (they do not compound), with its line. */
function applyAdjustments(
  model: RasModel,
  answers: AssessmentAnswers,
  beforeAdjustments: Pence,
  explanation: string[],
): AppliedAdjustment[] {
  const adjustments: AppliedAdjustment[] = [];
  const carer = answers.informalCarer;
  for (const adjustment of model.adjustments) {
    // Only an explicit "willing and able" lets unpaid care reduce the budget (Series & Clements 2013).
    if (carer.hasCarer && carer.willingAndAbleToContinue === true) {
      const reduction = scalePence(
        beforeAdjustments,
        Math.round(adjustment.reductionPercent * PERCENT_SCALE),
        100 * PERCENT_SCALE,
      );
      const amountPence = pence(-reduction);
      adjustments.push({ id: adjustment.id, description: adjustment.description, amountPence });
      explanation.push(
        `Your unpaid carer has told us they are willing and able to keep helping, so ${formatPoints(adjustment.reductionPercent)}% is taken off: ${formatPounds(amountPence)} a week (to the nearest penny, halves rounded up). If that changes, tell us and we will look at your budget again.`,
      );
    } else if (carer.hasCarer) {
      explanation.push(
        "Nothing is taken off for the help your unpaid carer gives, because they have not told us they are willing and able to keep giving it.",
      );
    } else {
      explanation.push("Nothing is taken off for unpaid care, because you do not have an unpaid carer.");
    }
  }
  return adjustments;
}

/** Step 3's line of the working: points times the price per point, or the band the points fall in. */
function explainPriceOrBand(priceOrBand: PriceOrBand, weightedPoints: number): string {
  if (priceOrBand.method === "price_per_point") {
    return `${formatPoints(weightedPoints)} points × ${formatPounds(priceOrBand.pricePerPointPence)} a point = ${formatPounds(priceOrBand.amountPence)} a week (to the nearest penny, halves rounded up).`;
  }
  const { band, bandPoints } = priceOrBand;
  const rounded =
    bandPoints !== weightedPoints
      ? ` (${formatPoints(weightedPoints)} rounded to the nearest whole point)`
      : "";
  return priceOrBand.aboveTopBand
    ? `${bandPoints} points${rounded} is above the top band (${band.fromPoints} to ${band.toPoints} points), so the top band applies: ${formatPounds(priceOrBand.amountPence)} a week.`
    : `${bandPoints} points${rounded} is in the band from ${band.fromPoints} to ${band.toPoints} points, which gives ${formatPounds(priceOrBand.amountPence)} a week.`;
}

export function allocate(
  answers: AssessmentAnswers,
  model: RasModel,
  questionnaire: Questionnaire,
): Allocation {
  if (model.questionnaireId !== questionnaire.id || answers.questionnaireId !== questionnaire.id) {
    throw new AllocationError(
      `Model ${model.id} prices "${model.questionnaireId}", answers are in "${answers.questionnaireId}", questionnaire is "${questionnaire.id}": they must match`,
    );
  }
  const scores = scoreAnswers(answers, questionnaire);
  const explanation: string[] = [];
  const labelOf = (outcomeId: string) =>
    questionnaire.outcomes.find((o) => o.id === outcomeId)?.label ?? outcomeId;

  // 1. Points.
  const scoring = questionnaire.outcomes
    .filter((o) => (scores.domainPoints[o.id] ?? 0) > 0)
    .map((o) => `${labelOf(o.id)} ${scores.domainPoints[o.id]}`);
  explanation.push(
    `Your answers score ${scores.totalPoints} points${scoring.length > 0 ? ` (${scoring.join("; ")})` : ""}.`,
  );

  // 2. Weights (default 1).
  let weightedTenThousandths = 0;
  const weighted: string[] = [];
  for (const outcome of questionnaire.outcomes) {
    const weight = model.domainWeights?.[outcome.id];
    weightedTenThousandths += (scores.domainPoints[outcome.id] ?? 0) * scaledWeight(weight);
    if (weight !== undefined && weight !== 1)
      weighted.push(`${outcome.label} counts ${formatPoints(weight)} times`);
  }
  const weightedPoints = weightedTenThousandths / WEIGHT_SCALE;
  if (weighted.length > 0) {
    explanation.push(
      `This model gives some areas a different weight (${weighted.join("; ")}), so your weighted points are ${formatPoints(weightedPoints)}.`,
    );
  }

  // 3. Price per point, or band.
  const priceOrBand = priceOrBandFor(model, weightedTenThousandths);
  explanation.push(explainPriceOrBand(priceOrBand, weightedPoints));
  const beforeAdjustments = priceOrBand.amountPence;

  // 4. Adjustments, each a share of the amount before adjustments (they do not compound).
  const adjustments = applyAdjustments(model, answers, beforeAdjustments, explanation);
  const afterAdjustments = pence(beforeAdjustments + adjustments.reduce((sum, a) => sum + a.amountPence, 0));

  // 5. Minimum, then cap.
  const minimum = pence(model.minimumWeeklyPence);
  const maximum = pence(model.maximumWeeklyPence);
  let weekly = afterAdjustments;
  const minimumApplied = weekly < minimum;
  if (minimumApplied) {
    weekly = minimum;
    explanation.push(
      `${formatPounds(afterAdjustments)} is less than the lowest amount this model gives, so your indicative budget is ${formatPounds(minimum)} a week.`,
    );
  }
  const capApplied = weekly > maximum;
  if (capApplied) {
    weekly = maximum;
    // A cap on the indicative figure must never cap meeting eligible needs (statutory guidance 11.24: sufficiency).
    explanation.push(
      `${formatPounds(afterAdjustments)} is more than the highest indicative amount this model gives, so it shows ${formatPounds(maximum)} a week. This is not a limit on your personal budget: if meeting your eligible needs costs more, your budget is worked out from your support plan.`,
    );
  }

  const fourWeeklyPence = weeklyToFourWeekly(weekly);
  const annualPence = weeklyToAnnual(weekly);
  explanation.push(
    `Your indicative budget is ${formatPounds(weekly)} a week. That is ${formatPounds(fourWeeklyPence)} every 4 weeks and ${formatPounds(annualPence)} a year (52 weeks).`,
  );
  if (model.example) {
    explanation.push(
      "This was worked out with an example model that has not been calibrated against real costs.",
    );
  }

  return {
    modelId: model.id,
    modelVersion: model.version,
    modelIsExample: model.example,
    questionnaireId: questionnaire.id,
    lines: scores.items.map((item) => ({
      kind: "item",
      outcomeId: item.outcomeId,
      itemId: item.itemId,
      question: item.question,
      answer: item.answer,
      points: item.points,
    })),
    domainPoints: scores.domainPoints,
    totalPoints: scores.totalPoints,
    weightedPoints,
    priceOrBand,
    beforeAdjustments,
    adjustments,
    afterAdjustments,
    minimumApplied,
    capApplied,
    weeklyPence: weekly,
    fourWeeklyPence,
    annualPence,
    explanation,
    statement: INDICATIVE_BUDGET_STATEMENT,
  };
}
