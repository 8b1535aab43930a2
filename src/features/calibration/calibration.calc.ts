import { allocate } from "#/features/assessment/allocation.calc.ts";
import { scoreAnswers } from "#/features/assessment/scoring.calc.ts";
import {
  leastSquares,
  mean,
  meanConfidenceInterval,
  percentile,
  SingularDesignError,
  sampleSd,
} from "#/features/calibration/statistics.calc.ts";
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

/** Whether unpaid care may reduce the allocation: only an explicit "yes" does (Series & Clements 2013). */
export type CarerStatus = "willing_and_able" | "not_willing_or_able" | "no_carer";

export const CARER_LABELS: Record<CarerStatus, string> = {
  willing_and_able: "Unpaid carer willing and able to continue",
  not_willing_or_able: "Unpaid carer not willing or able to continue",
  no_carer: "No unpaid carer",
};

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
/** The equity tests are two-sided 95% confidence intervals for each group's mean residual. */
export const CONFIDENCE_LEVEL = 0.95;
const PERCENTILES = [5, 10, 25, 50, 75, 90, 95] as const;

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

export type AgeBand = { id: string; label: string; from: number; to: number };

export const AGE_BANDS: readonly AgeBand[] = [
  { id: "18-24", label: "18 to 24", from: 18, to: 24 },
  { id: "25-44", label: "25 to 44", from: 25, to: 44 },
  { id: "45-64", label: "45 to 64", from: 45, to: 64 },
  { id: "65-74", label: "65 to 74", from: 65, to: 74 },
  { id: "75-84", label: "75 to 84", from: 75, to: 84 },
  { id: "85+", label: "85 and over", from: 85, to: 200 },
];

export const ageBandOf = (age: number): AgeBand => AGE_BANDS.find((b) => b.from <= age && age <= b.to)!;

export type Parameter = {
  /** "price_per_point", or an outcome id. */
  id: string;
  label: string;
  /** The least-squares estimate, unrounded: pence per (weighted) point. */
  estimatePence: number;
};

export type QualityStats = {
  /**
   * 1 − Σ(actual − predicted)² / Σ(actual − mean actual)²: the share of the variation in cost the model
   * explains. Centred, although the model has no intercept, so it compares the model with simply giving
   * everyone the average; it is negative when the model does worse than that. Null when every cost is equal.
   */
  r2: number | null;
  /** Mean of |actual − predicted| ÷ actual, as a percentage, over people whose package costs more than nothing. */
  mapePercent: number | null;
  mapePeople: number;
  /** Root mean square error, pence. */
  rmsePence: Pence;
  meanResidualPence: Pence;
  meanAbsoluteResidualPence: Pence;
};

export type PersonResult = {
  row: number;
  reference: string;
  age: number;
  ageBand: string;
  primarySupportReason: string;
  livingSituation: string;
  carer: CarerStatus;
  points: number;
  actualPence: Pence;
  currentModelPence: Pence;
  proposedPence: Pence;
  /** actual − proposed: positive where the proposed model gives less than the package costs. */
  residualPence: Pence;
  /** proposed − current model: negative where the indicative budget would fall on adoption. */
  changePence: Pence;
};

export type GroupResult = {
  id: string;
  label: string;
  people: number;
  meanActualPence: Pence;
  meanProposedPence: Pence;
  meanResidualPence: Pence;
  /** Null with fewer than two people: no interval can be given. */
  sdResidualPence: Pence | null;
  ciLowPence: Pence | null;
  ciHighPence: Pence | null;
  /** The mean residual as a share of the group's mean package cost. */
  meanResidualPercent: number | null;
  /** "under": the model gives this group less than its packages cost, beyond the margin; "over": more. */
  flag: "under" | "over" | null;
};

export type GroupDimension = {
  id: "age_band" | "primary_support_reason" | "living_situation" | "carer";
  label: string;
  groups: GroupResult[];
};

export type NamedGroup = {
  dimension: GroupDimension["id"];
  dimensionLabel: string;
  group: GroupResult;
  statement: string;
};

export type ImpactSummary = {
  people: number;
  weeklyPence: Pence;
  annualPence: Pence;
};

export type CalibrationReport = {
  /** How the fit was made, in plain English, for the page, the CLI and anyone checking. */
  method: string[];
  warnings: string[];
  input: {
    people: number;
    questionnaireId: string;
    domainWeights: boolean;
    marginPercent: number;
    confidenceLevel: number;
    currentModel: { id: string; version: string; pricing: RasModel["pricing"]["method"] };
    minimumWeeklyPence: Pence;
    maximumWeeklyPence: Pence;
  };
  fit: {
    parameters: Parameter[];
    /** Outcomes nobody in the file has points for: not fitted; their weight is kept. */
    notFitted: string[];
    pricePerPointPence: Pence;
    domainWeights: Record<string, number> | null;
    /** R² of the unrounded least-squares line, before the minimum and cap. */
    linearR2: number | null;
  };
  quality: { proposed: QualityStats; current: QualityStats };
  residuals: {
    meanPence: Pence;
    sdPence: Pence | null;
    minPence: Pence;
    maxPence: Pence;
    percentiles: { percentile: number; pence: Pence }[];
  };
  groups: GroupDimension[];
  named: NamedGroup[];
  /** Where the model gives much less than the package costs (largest residual first). */
  modelBelowPackage: PersonResult[];
  /** Where the model gives much more than the package costs (most negative residual first). */
  modelAbovePackage: PersonResult[];
  /** Comparing each person's indicative budget under the proposed model with the current one. */
  impact: { fall: ImpactSummary; rise: ImpactSummary; unchanged: number };
  people: PersonResult[];
};

export type Calibration = { model: RasModel; report: CalibrationReport };

/** Whole pence, halves away from zero: report figures are rounded once, here. */
const toPence = (x: number): Pence => pence(Math.sign(x) * Math.round(Math.abs(x)) || 0);
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

function quality(actual: readonly number[], predicted: readonly number[]): QualityStats {
  const residuals = actual.map((a, i) => a - predicted[i]!);
  const meanActual = mean(actual);
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < actual.length; i++) {
    ssRes += residuals[i]! ** 2;
    ssTot += (actual[i]! - meanActual) ** 2;
  }
  const ape = actual.flatMap((a, i) => (a > 0 ? [Math.abs(residuals[i]!) / a] : []));
  return {
    r2: ssTot > 0 ? 1 - ssRes / ssTot : null,
    mapePercent: ape.length > 0 ? mean(ape) * 100 : null,
    mapePeople: ape.length,
    rmsePence: toPence(Math.sqrt(ssRes / actual.length)),
    meanResidualPence: toPence(mean(residuals)),
    meanAbsoluteResidualPence: toPence(mean(residuals.map(Math.abs))),
  };
}

function groupResult(
  id: string,
  label: string,
  people: readonly PersonResult[],
  marginPercent: number,
): GroupResult {
  const residuals = people.map((p) => p.residualPence as number);
  const meanActual = mean(people.map((p) => p.actualPence));
  const ci = meanConfidenceInterval(residuals, CONFIDENCE_LEVEL);
  const meanResidual = mean(residuals);
  const meanResidualPercent = meanActual > 0 ? (meanResidual / meanActual) * 100 : null;
  // Named only when both: the interval excludes zero (not chance, at 95%) and the size matters (the margin).
  const beyondMargin = meanResidualPercent !== null && Math.abs(meanResidualPercent) > marginPercent;
  const excludesZero = ci !== null && (ci.low > 0 || ci.high < 0);
  return {
    id,
    label,
    people: people.length,
    meanActualPence: toPence(meanActual),
    meanProposedPence: toPence(mean(people.map((p) => p.proposedPence))),
    meanResidualPence: toPence(meanResidual),
    sdResidualPence: ci ? toPence(ci.sd) : null,
    ciLowPence: ci ? toPence(ci.low) : null,
    ciHighPence: ci ? toPence(ci.high) : null,
    meanResidualPercent,
    flag: beyondMargin && excludesZero ? (meanResidual > 0 ? "under" : "over") : null,
  };
}

const percentText = (x: number) => `${Math.abs(x).toFixed(1)}%`;

function namedStatement(dimensionLabel: string, g: GroupResult): string {
  // Said in the direction of the finding, so the interval reads as amounts of the same sign.
  const under = g.flag === "under";
  const low = under ? g.ciLowPence! : -g.ciHighPence!;
  const high = under ? g.ciHighPence! : -g.ciLowPence!;
  const direction = under ? "less" : "more";
  return `${dimensionLabel}: ${g.label} (${g.people} people). The model gives ${direction} than their current packages cost, by ${formatPounds(pence(Math.abs(g.meanResidualPence)))} a week on average (${percentText(g.meanResidualPercent ?? 0)} of their average package; 95% confidence interval ${formatPounds(pence(low))} to ${formatPounds(pence(high))} ${direction}).`;
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
  if (!(marginPercent >= 0 && marginPercent <= 100))
    throw new CalibrationError("The margin must be a percentage from 0 to 100");
  if (current.questionnaireId !== questionnaire.id) {
    throw new CalibrationError(
      `The current model prices questionnaire "${current.questionnaireId}", but the file was read against "${questionnaire.id}"`,
    );
  }
  if (rows.length === 0) throw new CalibrationError("There are no people to fit the model to");

  const warnings: string[] = [];
  const outcomes = questionnaire.outcomes;
  const carerAdjustment = current.adjustments.find((a) => a.kind === "informal_carer");
  const carerFactor = (row: PackageRow) =>
    carerAdjustment && row.carer === "willing_and_able" ? 1 - carerAdjustment.reductionPercent / 100 : 1;
  const scores = rows.map((row) => scoreAnswers(answersForRow(row, questionnaire), questionnaire));
  const y = rows.map((r) => r.weeklyCostPence as number);

  // ---- the design matrix ---------------------------------------------------------------------------------
  let columns: { id: string; label: string }[];
  let X: number[][];
  const notFitted: string[] = [];
  if (options.domainWeights) {
    const fitted = outcomes.filter((o) => {
      const any = scores.some((s) => (s.domainPoints[o.id] ?? 0) > 0);
      if (!any) notFitted.push(o.id);
      return any;
    });
    if (notFitted.length > 0) {
      const labels = notFitted.map((id) => outcomes.find((o) => o.id === id)!.label);
      warnings.push(
        `Nobody in the file has points for ${labels.join("; ")}, so no weight could be fitted there: the current model's weight is kept (1 unless it says otherwise).`,
      );
    }
    columns = fitted.map((o) => ({ id: o.id, label: o.label }));
    X = rows.map((row, i) => fitted.map((o) => (scores[i]!.domainPoints[o.id] ?? 0) * carerFactor(row)));
  } else {
    columns = [{ id: "price_per_point", label: "Price per point" }];
    X = rows.map((row, i) => [
      outcomes.reduce(
        (sum, o) => sum + (scores[i]!.domainPoints[o.id] ?? 0) * (current.domainWeights?.[o.id] ?? 1),
        0,
      ) * carerFactor(row),
    ]);
  }
  const k = columns.length;
  if (k === 0 || X.every((r) => r.every((x) => x === 0))) {
    throw new CalibrationError(
      "Everyone in the file scores 0 points, so there is nothing to fit a price to: include people with assessed needs",
    );
  }
  if (rows.length < k) {
    throw new CalibrationError(
      `Too few people to fit the model: ${k} ${k === 1 ? "parameter needs" : "parameters need"} at least ${k} people, and the file has ${rows.length}. Add more people${options.domainWeights ? ", or fit a single price per point without domain weights" : ""}.`,
    );
  }

  let beta: number[];
  try {
    beta = leastSquares(X, y);
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

  // ---- the unrounded line, then the model as it would be adopted ----------------------------------------
  const linear = X.map((r) => r.reduce((s, x, j) => s + x * beta[j]!, 0));
  const linearR2 = quality(y, linear).r2;
  const parameters: Parameter[] = columns.map((c, j) => ({ ...c, estimatePence: beta[j]! }));

  let price: number;
  let domainWeights: Record<string, number> | undefined;
  if (options.domainWeights) {
    let weighted = 0;
    let total = 0;
    columns.forEach((_, j) => {
      const s = X.reduce((sum, r) => sum + r[j]!, 0);
      weighted += beta[j]! * s;
      total += s;
    });
    price = Math.round(weighted / total);
    if (!(price >= 1)) {
      throw new CalibrationError(
        `The fitted price per point is ${formatPounds(toPence(weighted / total))}: a model must pay something for each point. Check the costs in the file.`,
      );
    }
    domainWeights = {};
    for (const o of outcomes) {
      const j = columns.findIndex((c) => c.id === o.id);
      domainWeights[o.id] = j >= 0 ? round4(beta[j]! / price) : (current.domainWeights?.[o.id] ?? 1);
    }
    const nonPositive = columns.filter((c) => !(domainWeights![c.id]! > 0));
    if (nonPositive.length > 0) {
      throw new CalibrationError(
        `The fit gives ${nonPositive.map((c) => `"${c.label}" a weight of ${domainWeights![c.id]}`).join(", and ")}: more need there would mean less money, which a RAS must not do. Fit a single price per point without domain weights, or add more people with needs in ${nonPositive.length === 1 ? "that area" : "those areas"}.`,
      );
    }
    const tooHeavy = columns.filter((c) => domainWeights![c.id]! > 10);
    if (tooHeavy.length > 0) {
      throw new CalibrationError(
        `The fit gives ${tooHeavy.map((c) => `"${c.label}" a weight of ${domainWeights![c.id]}`).join(", and ")}, more than a model allows (10). Fit a single price per point without domain weights, or add more people.`,
      );
    }
  } else {
    price = Math.round(beta[0]!);
    if (!(price >= 1)) {
      throw new CalibrationError(
        `The fitted price per point is ${formatPounds(toPence(beta[0]!))}: a model must pay something for each point. Check the costs in the file.`,
      );
    }
    domainWeights = current.domainWeights;
  }

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
  const model = parsed.data;

  // ---- each person under the proposed and the current model ---------------------------------------------
  const people: PersonResult[] = rows.map((row, i) => {
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
      points: scores[i]!.totalPoints,
      actualPence: row.weeklyCostPence,
      currentModelPence: now,
      proposedPence: proposed,
      residualPence: pence(row.weeklyCostPence - proposed),
      changePence: pence(proposed - now),
    };
  });

  const residuals = people.map((p) => p.residualPence as number);
  const sd = sampleSd(residuals);

  // ---- groups --------------------------------------------------------------------------------------------
  const dimension = (
    id: GroupDimension["id"],
    label: string,
    choices: readonly { id: string; label: string }[],
    keyOf: (p: PersonResult) => string,
  ): GroupDimension => ({
    id,
    label,
    groups: choices.flatMap((c) => {
      const members = people.filter((p) => keyOf(p) === c.id);
      return members.length > 0 ? [groupResult(c.id, c.label, members, marginPercent)] : [];
    }),
  });
  const groups: GroupDimension[] = [
    dimension("age_band", "Age", AGE_BANDS, (p) => p.ageBand),
    dimension(
      "primary_support_reason",
      "Primary support reason",
      questionnaire.primarySupportReasons,
      (p) => p.primarySupportReason,
    ),
    dimension(
      "living_situation",
      "Living situation",
      questionnaire.livingSituations,
      (p) => p.livingSituation,
    ),
    dimension(
      "carer",
      "Unpaid carer",
      (Object.keys(CARER_LABELS) as CarerStatus[]).map((id) => ({ id, label: CARER_LABELS[id] })),
      (p) => p.carer,
    ),
  ];
  const named: NamedGroup[] = groups.flatMap((d) =>
    d.groups
      .filter((g) => g.flag !== null)
      .map((g) => ({
        dimension: d.id,
        dimensionLabel: d.label,
        group: g,
        statement: namedStatement(d.label, g),
      })),
  );

  // ---- people furthest from the model, and the impact of adopting it -------------------------------------
  const byResidual = [...people].sort((a, b) => b.residualPence - a.residualPence || a.row - b.row);
  const modelBelowPackage = byResidual.filter((p) => p.residualPence > 0).slice(0, topPeople);
  const modelAbovePackage = byResidual
    .filter((p) => p.residualPence < 0)
    .reverse()
    .slice(0, topPeople);
  const summarise = (list: PersonResult[]): ImpactSummary => {
    const weekly = list.reduce((s, p) => s + Math.abs(p.changePence), 0);
    return { people: list.length, weeklyPence: pence(weekly), annualPence: pence(weekly * 52) };
  };

  if (current.pricing.method === "bands") {
    warnings.push(
      "The current model prices by bands; the calibration proposes a price per point. Bands can be published from it later.",
    );
  }
  const cappedOrRaised = people.filter(
    (p) => p.proposedPence === model.minimumWeeklyPence || p.proposedPence === model.maximumWeeklyPence,
  ).length;

  const method = [
    `Least squares through the origin on ${rows.length} people's actual weekly package costs, solved by QR decomposition.`,
    options.domainWeights
      ? `Fitted ${k} parameters: pence per point in each outcome area. The price per point is their average weighted by the sample's points (so the weights average 1), and each weight is the area's fitted pence per point divided by that price.`
      : "Fitted 1 parameter: the price per point, on each person's points (with the current model's domain weights, if any).",
    carerAdjustment
      ? `The current model's carer adjustment (${carerAdjustment.reductionPercent}% off where an unpaid carer is willing and able to continue) is kept and built into the fit, so the price is fitted to the amount before that reduction.`
      : "The current model has no carer adjustment.",
    `The minimum (${formatPounds(pence(current.minimumWeeklyPence))}) and the cap (${formatPounds(pence(current.maximumWeeklyPence))}) are kept as policy and applied after the fit; ${cappedOrRaised} of ${rows.length} people's indicative budgets are at one of them under the proposed model.`,
    "The price is rounded to whole pence (halves up) and weights to 4 decimal places; every figure below is for the rounded model as it would be adopted, worked out for each person by the same calculation as a real allocation.",
    `Residual = actual weekly package cost − the model's indicative weekly budget. A group is named when the ${Math.round(CONFIDENCE_LEVEL * 100)}% confidence interval of its mean residual (Student's t) excludes zero and the mean residual is more than ${marginPercent}% of the group's average package.`,
  ];

  return {
    model,
    report: {
      method,
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
        notFitted,
        pricePerPointPence: pence(price),
        domainWeights: options.domainWeights ? (domainWeights ?? null) : null,
        linearR2,
      },
      quality: {
        proposed: quality(
          y,
          people.map((p) => p.proposedPence),
        ),
        current: quality(
          y,
          people.map((p) => p.currentModelPence),
        ),
      },
      residuals: {
        meanPence: toPence(mean(residuals)),
        sdPence: Number.isNaN(sd) ? null : toPence(sd),
        minPence: toPence(Math.min(...residuals)),
        maxPence: toPence(Math.max(...residuals)),
        percentiles: PERCENTILES.map((p) => ({ percentile: p, pence: toPence(percentile(residuals, p)) })),
      },
      groups,
      named,
      modelBelowPackage,
      modelAbovePackage,
      impact: {
        fall: summarise(people.filter((p) => p.changePence < 0)),
        rise: summarise(people.filter((p) => p.changePence > 0)),
        unchanged: people.filter((p) => p.changePence === 0).length,
      },
      people,
    },
  };
}
