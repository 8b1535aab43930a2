import { CARER_LABELS, type CalibrationReport } from "#/features/calibration/calibration-report.calc.ts";
import { writeCsv } from "#/platform/csv/write.ts";

/**
 * The calibration report as CSV, for a spreadsheet: one file with a row per person, one with a row per group.
 * Amounts are whole pence, as in the packages file; percentages and R² are to 4 decimal places.
 */

const fixed = (x: number | null, places = 4) => (x === null ? null : Number(x.toFixed(places)));

export function peopleCsv(report: CalibrationReport): string {
  return writeCsv(
    [
      "row",
      "person_reference",
      "age",
      "age_band",
      "primary_support_reason",
      "living_situation",
      "carer",
      "points",
      "package_weekly_pence",
      "current_model_weekly_pence",
      "proposed_model_weekly_pence",
      "residual_pence",
      "change_if_adopted_pence",
    ],
    report.people.map((p) => [
      p.row,
      p.reference,
      p.age,
      p.ageBand,
      p.primarySupportReason,
      p.livingSituation,
      CARER_LABELS[p.carer],
      p.points,
      p.actualPence,
      p.currentModelPence,
      p.proposedPence,
      p.residualPence,
      p.changePence,
    ]),
  );
}

export function groupsCsv(report: CalibrationReport): string {
  const all = report.people;
  const overall = [
    "all",
    "All people",
    all.length,
    Math.round(all.reduce((s, p) => s + p.actualPence, 0) / all.length),
    Math.round(all.reduce((s, p) => s + p.proposedPence, 0) / all.length),
    report.residuals.meanPence,
    report.residuals.sdPence,
    null,
    null,
    null,
    null,
  ];
  return writeCsv(
    [
      "dimension",
      "group",
      "people",
      "mean_package_weekly_pence",
      "mean_proposed_weekly_pence",
      "mean_residual_pence",
      "sd_residual_pence",
      "ci95_low_pence",
      "ci95_high_pence",
      "mean_residual_percent",
      "named",
    ],
    [
      overall,
      ...report.groups.flatMap((d) =>
        d.groups.map((g) => [
          d.id,
          g.label,
          g.people,
          g.meanActualPence,
          g.meanProposedPence,
          g.meanResidualPence,
          g.sdResidualPence,
          g.ciLowPence,
          g.ciHighPence,
          fixed(g.meanResidualPercent),
          g.flag === "under" ? "model gives less" : g.flag === "over" ? "model gives more" : "",
        ]),
      ),
    ],
  );
}

/** The headline figures, one measure per row. */
export function summaryCsv(report: CalibrationReport): string {
  const q = report.quality;
  const rows: [string, string | number | null][] = [
    ["people", report.input.people],
    ["domain_weights_fitted", report.input.domainWeights ? "yes" : "no"],
    ["price_per_point_pence", report.fit.pricePerPointPence],
    ...report.fit.parameters.map((p): [string, number | null] => [
      `least_squares_pence_per_point:${p.id}`,
      fixed(p.estimatePence),
    ]),
    ...Object.entries(report.fit.domainWeights ?? {}).map(([id, w]): [string, number] => [`weight:${id}`, w]),
    ["minimum_weekly_pence", report.input.minimumWeeklyPence],
    ["maximum_weekly_pence", report.input.maximumWeeklyPence],
    ["r2_proposed", fixed(q.proposed.r2)],
    ["r2_current", fixed(q.current.r2)],
    ["r2_unrounded_line_before_minimum_and_cap", fixed(report.fit.linearR2)],
    ["mape_percent_proposed", fixed(q.proposed.mapePercent)],
    ["mape_percent_current", fixed(q.current.mapePercent)],
    ["rmse_pence_proposed", q.proposed.rmsePence],
    ["rmse_pence_current", q.current.rmsePence],
    ["residual_mean_pence", report.residuals.meanPence],
    ["residual_sd_pence", report.residuals.sdPence],
    ["residual_min_pence", report.residuals.minPence],
    ["residual_max_pence", report.residuals.maxPence],
    ...report.residuals.percentiles.map((p): [string, number] => [
      `residual_p${p.percentile}_pence`,
      p.pence,
    ]),
    ["margin_percent", report.input.marginPercent],
    ["named_groups", report.named.length],
    ["people_whose_budget_would_fall", report.impact.fall.people],
    ["total_fall_weekly_pence", report.impact.fall.weeklyPence],
    ["total_fall_annual_pence", report.impact.fall.annualPence],
    ["people_whose_budget_would_rise", report.impact.rise.people],
    ["total_rise_weekly_pence", report.impact.rise.weeklyPence],
    ["total_rise_annual_pence", report.impact.rise.annualPence],
    ["people_unchanged", report.impact.unchanged],
  ];
  return writeCsv(["measure", "value"], rows);
}
