import { assessmentFactsIn } from "#/features/assessment/commissioner-reads.ts";
import { AGE_BANDS } from "#/features/calibration/calibration-report.calc.ts";
import { findPersonRows } from "#/features/people/service.ts";
import { agreedPlanVersionsIn } from "#/features/planning/commissioner-reads.ts";
import type { ReportPeriod } from "#/features/reports/commissioner-period.ts";
import type { CommissionerReport, ReportTable } from "#/features/reports/commissioner-report.ts";
import {
  NO_SUPPORT_AREA,
  NOT_RECORDED,
  type OutcomeGroupRow,
  type OutcomesReport,
  outcomesReport,
  RATING_LABELS,
  type RatedOutcome,
  UNDER_18,
} from "#/features/reports/outcomes.calc.ts";
import { reviewFactsIn } from "#/features/reviews/commissioner-reads.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { allRulePacks } from "#/rules/index.ts";
import { supportCategoryLabels } from "#/vocabulary/support-categories.ts";

/**
 * The outcomes report: each review held in the period (reviews), the plan version it reviewed (planning: which
 * supports serve each outcome), the person's date of birth (people) and the primary support reason recorded in
 * the assessment behind the plan (assessment), counted by outcomes.calc.ts.
 */

export type OutcomesFigures = OutcomesReport & {
  from: string;
  to: string;
  reviews: number;
  psrLabels: Record<string, string>;
};

export async function outcomesFigures(ctx: ServiceContext, period: ReportPeriod): Promise<OutcomesFigures> {
  return inTenant(ctx, async ({ tx }) => {
    const reviews = await reviewFactsIn(tx, period.from, period.to);
    const versions = new Map((await agreedPlanVersionsIn(tx)).map((v) => [`${v.planId}:${v.version}`, v]));
    const assessments = new Map((await assessmentFactsIn(tx)).map((a) => [a.assessmentId, a]));
    const people = await findPersonRows(
      { tx },
      reviews.map((r) => r.personId),
    );
    const rated: RatedOutcome[] = reviews.flatMap((review) => {
      const person = people.get(review.personId);
      if (!person) return [];
      const version = versions.get(`${review.planId}:${review.planVersion}`);
      const assessment = version ? assessments.get(version.assessmentId) : undefined;
      return review.ratings.map((r) => ({
        rating: r.rating,
        areas: (version?.supports ?? [])
          .filter((s) => s.outcomeIds.includes(r.outcomeId))
          .map((s) => s.category),
        dateOfBirth: person.date_of_birth,
        reviewedOn: review.heldOn,
        primarySupportReason: assessment?.primarySupportReason ?? null,
      }));
    });
    const questionnaires = new Set([...assessments.values()].map((a) => a.questionnaireId));
    const psrLabels = Object.fromEntries(
      allRulePacks()
        .filter((p) => questionnaires.has(p.questionnaire.id))
        .flatMap((p) => p.questionnaire.primarySupportReasons.map((c) => [c.id, c.label])),
    );
    await audit(tx, {
      action: "view",
      recordType: "commissioner_report",
      recordId: "outcomes",
      changes: period,
    });
    return { ...outcomesReport(rated), ...period, reviews: reviews.length, psrLabels };
  });
}

function ratingTable(
  id: string,
  caption: string,
  what: string,
  rows: OutcomeGroupRow[],
  label: (k: string) => string,
): ReportTable {
  return {
    id,
    caption,
    columns: [
      { key: id.replace("by-", ""), label: what, kind: "text" },
      { key: "met", label: RATING_LABELS.met, kind: "count" },
      { key: "partly_met", label: RATING_LABELS.partly_met, kind: "count" },
      { key: "not_met", label: RATING_LABELS.not_met, kind: "count" },
      { key: "ratings", label: "Outcomes rated", kind: "count" },
      { key: "met_percent", label: "Share met", kind: "percent" },
    ],
    rows: rows.map((r) => [label(r.key), r.met, r.partly_met, r.not_met, r.total, r.metPercent]),
    chart: { kind: "bars", series: ["met", "partly_met", "not_met"], label: "Outcomes rated" },
  };
}

export function outcomesTables(report: OutcomesFigures): CommissionerReport {
  const categories = supportCategoryLabels();
  const bands = Object.fromEntries(AGE_BANDS.map((b) => [b.id, b.label]));
  return {
    id: "outcomes",
    title: "Outcomes",
    from: report.from,
    to: report.to,
    summary: [
      { label: "Reviews held", value: report.reviews, kind: "count" },
      { label: "Outcomes rated by the person", value: report.totals.total, kind: "count" },
      { label: "Share met", value: report.totals.metPercent, kind: "percent" },
      {
        label: "Share not met",
        value: report.totals.total
          ? Math.round((report.totals.not_met / report.totals.total) * 1000) / 10
          : null,
        kind: "percent",
      },
    ],
    notes: [
      "Each outcome the person rated at a review held in the period counts once: met, partly met or not met, in the person's own view.",
      'Outcome area: the support category of the plan\'s supports that serve the outcome. An outcome served by supports in two categories counts in both areas, so the areas can add up to more than the outcomes rated. An outcome no support in the plan serves counts under "No support in the plan".',
      "Age band: the person's age in whole years on the day of the review. Primary support reason: as recorded in the assessment behind the plan.",
    ],
    tables: [
      ratingTable("by-area", "Outcomes by outcome area", "Outcome area", report.byArea, (k) =>
        k === NO_SUPPORT_AREA ? "No support in the plan" : (categories[k] ?? k),
      ),
      ratingTable("by-age-band", "Outcomes by age band", "Age band", report.byAgeBand, (k) =>
        k === UNDER_18 ? "Under 18" : (bands[k] ?? k),
      ),
      ratingTable(
        "by-primary-support-reason",
        "Outcomes by primary support reason",
        "Primary support reason",
        report.byPrimarySupportReason,
        (k) => (k === NOT_RECORDED ? "Not recorded" : (report.psrLabels[k] ?? k)),
      ),
    ],
  };
}
