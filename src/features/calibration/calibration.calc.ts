import { allocate } from "#/features/assessment/allocation.calc.ts";
import { scoreAnswers } from "#/features/assessment/scoring.calc.ts";
import {
  ageBandOf,
  type CalibrationReport,
  type CarerStatus,
  CONFIDENCE_LEVEL,
  equityGroups,
  furthestFromModel,
  impactOf,
  type Parameter,
  type PersonResult,
  quality,
  residualSummary,
  toPence,
} from "#/features/calibration/calibration-report.calc.ts";
import { leastSquares, SingularDesignError } from "#/features/calibration/statistics.calc.ts";
import { formatPounds, type Pence, pence } from "#/platform/money/pence.ts";
import { type RasModel, rasModelSchema } from "#/rules/ras-model.ts";
import type { Questionnaire } from "#/rules/types.ts";
import type { AssessmentAnswers, OutcomeAnswer } from "#/vocabulary/assessment.ts";

/**
 * RAS calibration: fit the model to what current packages actually cost, and say how well it fits and for
 * whom it does not. Pure: rows, the current model and the questionnaire in; the proposed model and its report
 * out. No I/O, no clock.
 *
 * What is fitted. The model prices an assessment as
 *     weekly = clamp(price × Σ_d weight_d × points_d × carer factor, minimum, cap)
 * where the carer factor is (1 − reduction%) only where an unpaid carer is willing and able to continue.
 * Least squares fits the linear part to the actual weekly cost, through the origin (the model has no
 * intercept: no points, no money before the minimum):
 *   - price only: one parameter, the price per point, on each person's weighted points × carer factor (the
 *     current model's domain weights are kept, as are its minimum, cap and adjustments);
 *   - with domain weights: one parameter per outcome domain (pence per point in that domain). The price per
 *     point is then the points-weighted average of those, Σβ_d S_d / Σ S_d (S_d: the sample's points in domain
 *     d), so the weights average 1 over the sample, and weight_d = β_d / price.
 * The minimum and the cap are policy, not something the data can estimate: they are kept as they are and
 * applied after the fit, to the prediction. The fit itself uses every row and the uncapped linear part, so a
 * person whose package is above the cap still tells the fit what their level of need costs.
 *
 * Rounding, once, at the end: the price to whole pence (halves up), each weight to 4 decimal places (what a
 * RAS model can hold). Every figure of fit quality after that (R², MAPE, residuals, groups, people, impact)
 * is for the proposed model as it would be adopted, rounded, with its minimum, cap and carer adjustment, as
 * the allocation calc itself works it out for each person, so the report shows what people would be told.
 * Only `fit.linearR2` describes the unrounded least-squares line.
 *
 * Residual = actual weekly package cost − the model's indicative weekly amount: positive where the model
 * gives less than the package costs (a move to the model would cut support), negative where it gives more.
 */

/** One person from the packages file (packages-csv.ts reads and checks it). */
export type PackageRow = {
  /** The row in the file (header = 1). */
  row: number;
  reference: string;
  age: number;
  primarySupportReason: string;
  livingSituation: string;
  carer: CarerStatus;
  /** Item id → option id, for every item in the questionnaire. */
  answers: Record<string, string>;
  weeklyCostPence: Pence;
};

export class CalibrationError extends Error {
  override name = "CalibrationError";
}

export const DEFAULT_MARGIN_PERCENT = 10;
export const DEFAULT_TOP_PEOPLE = 10;

export type CalibrationOptions = {
  /** Fit a weight per outcome domain as well as the price per point. */
  domainWeights: boolean;
  /** A group is named when its mean residual is beyond this share of its mean package cost (and the CI excludes 0). */
  marginPercent?: number;
  /** How many people to list in each direction. */
  topPeople?: number;
  /** The proposed model's id, version and description (the service states the date and calibration id). */
  identity: { id: string; version: string; description: string };
};

export type Calibration = { model: RasModel; report: CalibrationReport };

/** Weights to 4 decimal places: what a RAS model can hold. */
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * Answers that the allocation calc accepts, built from a row of the packages file: the graded answers, and
 * the facts the RAS reads (the carer). The rest is what the file does not hold and the RAS never reads.
 */
export function answersForRow(row: PackageRow, questionnaire: Questionnaire): AssessmentAnswers {
  const outcomes: Record<string, OutcomeAnswer> = {};
  for (const outcome of questionnaire.outcomes) {
    const items: Record<string, string> = {};
    let points = 0;
    for (const item of outcome.items) {
      const optionId = row.answers[item.id];
      if (optionId === undefined) throw new CalibrationError(`Row ${row.row} has no answer to ${item.id}`);
      items[item.id] = optionId;
      points += item.options.find((o) => o.id === optionId)?.points ?? 0;
    }
    outcomes[outcome.id] =
      points > 0
        ? { canAchieveWithoutHelp: false, difficulties: ["needs_assistance"], items }
        : { canAchieveWithoutHelp: true, difficulties: [], items };
  }
  return {
    questionnaireId: questionnaire.id,
    needsFromImpairmentOrIllness: true,
    needsFluctuate: false,
    outcomes,
    wellbeingImpact: "significant",
    wellbeingReasons: "From the packages file used for calibration",
    primarySupportReason: row.primarySupportReason,
    livingSituation: row.livingSituation,
    informalCarer:
      row.carer === "no_carer"
        ? { hasCarer: false }
        : { hasCarer: true, willingAndAbleToContinue: row.carer === "willing_and_able" },
    whatMattersToMe: "From the packages file used for calibration",
  };
}

/** The refusals before anything is fitted: the margin, a model for another questionnaire, no people. */
function checkInputs(
  rows: readonly PackageRow[],
  current: RasModel,
  questionnaire: Questionnaire,
  marginPercent: number,
): void {
  if (!(marginPercent >= 0 && marginPercent <= 100))
    throw new CalibrationError("The margin must be a percentage from 0 to 100");
  if (current.questionnaireId !== questionnaire.id) {
    throw new CalibrationError(
      `The current model prices questionnaire "${current.questionnaireId}", but the file was read against "${questionnaire.id}"`,
    );
  }
  if (rows.length === 0) throw new CalibrationError("There are no people to fit the model to");
}

/** The least-squares problem: one row per person, one column per parameter, with each person's cost. */
type Design = {
  columns: { id: string; label: string }[];
  X: number[][];
  y: number[];
  /** Outcomes nobody has points for: not fitted. */
  notFitted: string[];
};

/** What the fit needs to know of each person: their points by domain, and the carer factor the model applies. */
type Scored = { row: PackageRow; score: ReturnType<typeof scoreAnswers>; carerFactor: number };

function designMatrix(
  scored: readonly Scored[],
  current: RasModel,
  questionnaire: Questionnaire,
  options: CalibrationOptions,
  warnings: string[],
): Design {
  const outcomes = questionnaire.outcomes;
  const y = scored.map((s) => s.row.weeklyCostPence as number);
  const notFitted: string[] = [];
  if (!options.domainWeights) {
    return {
      columns: [{ id: "price_per_point", label: "Price per point" }],
      X: scored.map(({ score, carerFactor }) => [
        outcomes.reduce(
          (sum, o) => sum + (score.domainPoints[o.id] ?? 0) * (current.domainWeights?.[o.id] ?? 1),
          0,
        ) * carerFactor,
      ]),
      y,
      notFitted,
    };
  }
  const fitted = outcomes.filter((o) => {
    const any = scored.some((s) => (s.score.domainPoints[o.id] ?? 0) > 0);
    if (!any) notFitted.push(o.id);
    return any;
  });
  if (notFitted.length > 0) {
    const labels = notFitted.map((id) => outcomes.find((o) => o.id === id)!.label);
    warnings.push(
      `Nobody in the file has points for ${labels.join("; ")}, so no weight could be fitted there: the current model's weight is kept (1 unless it says otherwise).`,
    );
  }
  return {
    columns: fitted.map((o) => ({ id: o.id, label: o.label })),
    X: scored.map(({ score, carerFactor }) =>
      fitted.map((o) => (score.domainPoints[o.id] ?? 0) * carerFactor),
    ),
    y,
    notFitted,
  };
}

/** The least-squares estimates, or why the file cannot give them (nothing to fit, too few people, singular). */
function solve({ columns, X, y }: Design, options: CalibrationOptions): number[] {
  const k = columns.length;
  if (k === 0 || X.every((r) => r.every((x) => x === 0))) {
    throw new CalibrationError(
      "Everyone in the file scores 0 points, so there is nothing to fit a price to: include people with assessed needs",
    );
  }
  if (y.length < k) {
    throw new CalibrationError(
      `Too few people to fit the model: ${k} ${k === 1 ? "parameter needs" : "parameters need"} at least ${k} people, and the file has ${y.length}. Add more people${options.domainWeights ? ", or fit a single price per point without domain weights" : ""}.`,
    );
  }
  try {
    return leastSquares(X, y);
  } catch (error) {
    if (error instanceof SingularDesignError) {
      const column = columns[error.column]!;
      throw new CalibrationError(
        options.domainWeights
          ? `The model cannot be fitted: in this file, the points for "${column.label}" always move in step with the points for the areas before it, so the data cannot tell their weights apart (a singular design). Add people whose needs differ between these areas, or fit a single price per point without domain weights.`
          : "The model cannot be fitted: the file does not vary enough to fit a price (a singular design).",
      );
    }
    throw error;
  }
}

/** The price per point (whole pence) and the domain weights (4 places) of the model as it would be adopted. */
function roundedPricing(
  { columns, X }: Design,
  beta: readonly number[],
  current: RasModel,
  questionnaire: Questionnaire,
  options: CalibrationOptions,
): { price: number; domainWeights: Record<string, number> | undefined } {
  if (!options.domainWeights) {
    const price = Math.round(beta[0]!);
    if (!(price >= 1)) {
      throw new CalibrationError(
        `The fitted price per point is ${formatPounds(toPence(beta[0]!))}: a model must pay something for each point. Check the costs in the file.`,
      );
    }
    return { price, domainWeights: current.domainWeights };
  }
  let weighted = 0;
  let total = 0;
  columns.forEach((_, j) => {
    const s = X.reduce((sum, r) => sum + r[j]!, 0);
    weighted += beta[j]! * s;
    total += s;
  });
  const price = Math.round(weighted / total);
  if (!(price >= 1)) {
    throw new CalibrationError(
      `The fitted price per point is ${formatPounds(toPence(weighted / total))}: a model must pay something for each point. Check the costs in the file.`,
    );
  }
  const domainWeights: Record<string, number> = {};
  for (const o of questionnaire.outcomes) {
    const j = columns.findIndex((c) => c.id === o.id);
    domainWeights[o.id] = j >= 0 ? round4(beta[j]! / price) : (current.domainWeights?.[o.id] ?? 1);
  }
  const nonPositive = columns.filter((c) => !(domainWeights[c.id]! > 0));
  if (nonPositive.length > 0) {
    throw new CalibrationError(
      `The fit gives ${nonPositive.map((c) => `"${c.label}" a weight of ${domainWeights[c.id]}`).join(", and ")}: more need there would mean less money, which a RAS must not do. Fit a single price per point without domain weights, or add more people with needs in ${nonPositive.length === 1 ? "that area" : "those areas"}.`,
    );
  }
  const tooHeavy = columns.filter((c) => domainWeights[c.id]! > 10);
  if (tooHeavy.length > 0) {
    throw new CalibrationError(
      `The fit gives ${tooHeavy.map((c) => `"${c.label}" a weight of ${domainWeights[c.id]}`).join(", and ")}, more than a model allows (10). Fit a single price per point without domain weights, or add more people.`,
    );
  }
  return { price, domainWeights };
}

/** The proposed model: the current one with the fitted price (and weights), checked as any RAS model is. */
function proposedModel(
  current: RasModel,
  options: CalibrationOptions,
  { price, domainWeights }: { price: number; domainWeights: Record<string, number> | undefined },
): RasModel {
  const parsed = rasModelSchema.safeParse({
    id: options.identity.id,
    version: options.identity.version,
    description: options.identity.description,
    example: false,
    questionnaireId: current.questionnaireId,
    pricing: { method: "price_per_point", pricePerPointPence: price },
    minimumWeeklyPence: current.minimumWeeklyPence,
    maximumWeeklyPence: current.maximumWeeklyPence,
    ...(domainWeights ? { domainWeights } : {}),
    adjustments: current.adjustments,
  });
  if (!parsed.success) {
    throw new CalibrationError(
      `The fitted model is not a valid RAS model: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  return parsed.data;
}

/** Each person under the proposed and the current model, worked out as a real allocation would be. */
function personResults(
  scored: readonly Scored[],
  model: RasModel,
  current: RasModel,
  questionnaire: Questionnaire,
): PersonResult[] {
  return scored.map(({ row, score }) => {
    const answers = answersForRow(row, questionnaire);
    const proposed = allocate(answers, model, questionnaire).weeklyPence;
    const now = allocate(answers, current, questionnaire).weeklyPence;
    return {
      row: row.row,
      reference: row.reference,
      age: row.age,
      ageBand: ageBandOf(row.age).id,
      primarySupportReason: row.primarySupportReason,
      livingSituation: row.livingSituation,
      carer: row.carer,
      points: score.totalPoints,
      actualPence: row.weeklyCostPence,
      currentModelPence: now,
      proposedPence: proposed,
      residualPence: pence(row.weeklyCostPence - proposed),
      changePence: pence(proposed - now),
    };
  });
}

/** How the fit was made, in plain English. */
function methodText(
  people: readonly PersonResult[],
  model: RasModel,
  current: RasModel,
  options: CalibrationOptions,
  parameters: number,
  marginPercent: number,
): string[] {
  const carerAdjustment = current.adjustments.find((a) => a.kind === "informal_carer");
  const cappedOrRaised = people.filter(
    (p) => p.proposedPence === model.minimumWeeklyPence || p.proposedPence === model.maximumWeeklyPence,
  ).length;
  return [
    `Least squares through the origin on ${people.length} people's actual weekly package costs, solved by QR decomposition.`,
    options.domainWeights
      ? `Fitted ${parameters} parameters: pence per point in each outcome area. The price per point is their average weighted by the sample's points (so the weights average 1), and each weight is the area's fitted pence per point divided by that price.`
      : "Fitted 1 parameter: the price per point, on each person's points (with the current model's domain weights, if any).",
    carerAdjustment
      ? `The current model's carer adjustment (${carerAdjustment.reductionPercent}% off where an unpaid carer is willing and able to continue) is kept and built into the fit, so the price is fitted to the amount before that reduction.`
      : "The current model has no carer adjustment.",
    `The minimum (${formatPounds(pence(current.minimumWeeklyPence))}) and the cap (${formatPounds(pence(current.maximumWeeklyPence))}) are kept as policy and applied after the fit; ${cappedOrRaised} of ${people.length} people's indicative budgets are at one of them under the proposed model.`,
    "The price is rounded to whole pence (halves up) and weights to 4 decimal places; every figure below is for the rounded model as it would be adopted, worked out for each person by the same calculation as a real allocation.",
    `Residual = actual weekly package cost − the model's indicative weekly budget. A group is named when the ${Math.round(CONFIDENCE_LEVEL * 100)}% confidence interval of its mean residual (Student's t) excludes zero and the mean residual is more than ${marginPercent}% of the group's average package.`,
  ];
}

/** Fits the model to the rows and reports on it. Throws CalibrationError with a plain-English message. */
export function calibrate(
  rows: readonly PackageRow[],
  current: RasModel,
  questionnaire: Questionnaire,
  options: CalibrationOptions,
): Calibration {
  const marginPercent = options.marginPercent ?? DEFAULT_MARGIN_PERCENT;
  const topPeople = options.topPeople ?? DEFAULT_TOP_PEOPLE;
  checkInputs(rows, current, questionnaire, marginPercent);

  const warnings: string[] = [];
  const carerAdjustment = current.adjustments.find((a) => a.kind === "informal_carer");
  const scored: Scored[] = rows.map((row) => ({
    row,
    score: scoreAnswers(answersForRow(row, questionnaire), questionnaire),
    carerFactor:
      carerAdjustment && row.carer === "willing_and_able" ? 1 - carerAdjustment.reductionPercent / 100 : 1,
  }));
  const design = designMatrix(scored, current, questionnaire, options, warnings);
  const beta = solve(design, options);

  // The unrounded line, then the model as it would be adopted.
  const linear = design.X.map((r) => r.reduce((s, x, j) => s + x * beta[j]!, 0));
  const linearR2 = quality(design.y, linear).r2;
  const parameters: Parameter[] = design.columns.map((c, j) => ({ ...c, estimatePence: beta[j]! }));
  const pricing = roundedPricing(design, beta, current, questionnaire, options);
  const model = proposedModel(current, options, pricing);

  const people = personResults(scored, model, current, questionnaire);
  const { groups, named } = equityGroups(people, questionnaire, marginPercent);
  if (current.pricing.method === "bands") {
    warnings.push(
      "The current model prices by bands; the calibration proposes a price per point. Bands can be published from it later.",
    );
  }

  return {
    model,
    report: {
      method: methodText(people, model, current, options, design.columns.length, marginPercent),
      warnings,
      input: {
        people: rows.length,
        questionnaireId: questionnaire.id,
        domainWeights: options.domainWeights,
        marginPercent,
        confidenceLevel: CONFIDENCE_LEVEL,
        currentModel: { id: current.id, version: current.version, pricing: current.pricing.method },
        minimumWeeklyPence: pence(current.minimumWeeklyPence),
        maximumWeeklyPence: pence(current.maximumWeeklyPence),
      },
      fit: {
        parameters,
        notFitted: design.notFitted,
        pricePerPointPence: pence(pricing.price),
        domainWeights: options.domainWeights ? (pricing.domainWeights ?? null) : null,
        linearR2,
      },
      quality: {
        proposed: quality(
          design.y,
          people.map((p) => p.proposedPence),
        ),
        current: quality(
          design.y,
          people.map((p) => p.currentModelPence),
        ),
      },
      residuals: residualSummary(people.map((p) => p.residualPence as number)),
      groups,
      named,
      ...furthestFromModel(people, topPeople),
      impact: impactOf(people),
      people,
    },
  };
}
