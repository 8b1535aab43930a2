import {
  mean,
  meanConfidenceInterval,
  percentile,
  sampleSd,
} from "#/features/calibration/statistics.calc.ts";
import { formatPounds, type Pence, pence } from "#/platform/money/pence.ts";
import type { RasModel } from "#/rules/ras-model.ts";
import type { Questionnaire } from "#/rules/types.ts";

/**
 * What a calibration reports, and the pure steps that work it out from each person's result: how well a model
 * fits (quality), the equity groups and the ones named, the people furthest from the model, the spread of
 * residuals and the impact of adopting it. calibration.calc.ts fits the model and puts the report together.
 */

/** Whether unpaid care may reduce the allocation: only an explicit "yes" does (Series & Clements 2013). */
export type CarerStatus = "willing_and_able" | "not_willing_or_able" | "no_carer";

export const CARER_LABELS: Record<CarerStatus, string> = {
  willing_and_able: "Unpaid carer willing and able to continue",
  not_willing_or_able: "Unpaid carer not willing or able to continue",
  no_carer: "No unpaid carer",
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

/** The equity tests are two-sided 95% confidence intervals for each group's mean residual. */
export const CONFIDENCE_LEVEL = 0.95;
const PERCENTILES = [5, 10, 25, 50, 75, 90, 95] as const;

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

/** Whole pence, halves away from zero: report figures are rounded once, here. */
export const toPence = (x: number): Pence => pence(Math.sign(x) * Math.round(Math.abs(x)) || 0);
export function quality(actual: readonly number[], predicted: readonly number[]): QualityStats {
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

/** Each grouping of people (age, primary support reason, living situation, carer), and the groups named. */
export function equityGroups(
  people: readonly PersonResult[],
  questionnaire: Questionnaire,
  marginPercent: number,
): { groups: GroupDimension[]; named: NamedGroup[] } {
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
  return { groups, named };
}

/** The people furthest from the model in each direction, at most `topPeople` each. */
export function furthestFromModel(
  people: readonly PersonResult[],
  topPeople: number,
): Pick<CalibrationReport, "modelBelowPackage" | "modelAbovePackage"> {
  const byResidual = [...people].sort((a, b) => b.residualPence - a.residualPence || a.row - b.row);
  return {
    modelBelowPackage: byResidual.filter((p) => p.residualPence > 0).slice(0, topPeople),
    modelAbovePackage: byResidual
      .filter((p) => p.residualPence < 0)
      .reverse()
      .slice(0, topPeople),
  };
}

/** Whose indicative budget would fall, rise or stay the same on adoption, and by how much in all. */
export function impactOf(people: readonly PersonResult[]): CalibrationReport["impact"] {
  const summarise = (list: PersonResult[]): ImpactSummary => {
    const weekly = list.reduce((s, p) => s + Math.abs(p.changePence), 0);
    return { people: list.length, weeklyPence: pence(weekly), annualPence: pence(weekly * 52) };
  };
  return {
    fall: summarise(people.filter((p) => p.changePence < 0)),
    rise: summarise(people.filter((p) => p.changePence > 0)),
    unchanged: people.filter((p) => p.changePence === 0).length,
  };
}

/** The spread of the residuals: mean, standard deviation, range and percentiles. */
export function residualSummary(residuals: readonly number[]): CalibrationReport["residuals"] {
  const sd = sampleSd(residuals);
  return {
    meanPence: toPence(mean(residuals)),
    sdPence: Number.isNaN(sd) ? null : toPence(sd),
    minPence: toPence(Math.min(...residuals)),
    maxPence: toPence(Math.max(...residuals)),
    percentiles: PERCENTILES.map((p) => ({ percentile: p, pence: toPence(percentile(residuals, p)) })),
  };
}
