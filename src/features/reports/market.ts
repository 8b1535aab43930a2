import { budgetsOverlappingIn } from "#/features/budgets/commissioner-reads.ts";
import { directoryIdsIn } from "#/features/directory/commissioner-reads.ts";
import { findPersonRows } from "#/features/people/service.ts";
import { agreedPlanVersionsIn } from "#/features/planning/commissioner-reads.ts";
import type { ReportPeriod } from "#/features/reports/commissioner-period.ts";
import type { CommissionerReport, ReportTable } from "#/features/reports/commissioner-report.ts";
import {
  type MarketReport,
  type MarketRow,
  marketReport,
  NO_POSTCODE,
} from "#/features/reports/market.calc.ts";
import { reviewFactsIn } from "#/features/reviews/commissioner-reads.ts";
import {
  UNDERSPEND_REASON_LABELS,
  UNDERSPEND_REASONS,
  type UnderspendReason,
} from "#/features/reviews/schemas.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { supportCategoryLabels } from "#/vocabulary/support-categories.ts";

/**
 * The market-gaps report: the plans behind the budgets in force in the period (budgets, planning), each
 * support's provider checked against the directory (directory), the person's postcode district (people), and
 * the reasons reviews held in the period gave for underspends (reviews), counted by market.calc.ts.
 */

export type MarketFigures = MarketReport & { from: string; to: string; plans: number; reviews: number };

export async function marketFigures(ctx: ServiceContext, period: ReportPeriod): Promise<MarketFigures> {
  return inTenant(ctx, async ({ tx }) => {
    const budgets = await budgetsOverlappingIn(tx, period.from, period.to);
    const wanted = new Set(budgets.map((b) => `${b.planId}:${b.planVersion}`));
    const versions = (await agreedPlanVersionsIn(tx)).filter((v) => wanted.has(`${v.planId}:${v.version}`));
    const people = await findPersonRows(
      { tx },
      versions.map((v) => v.personId),
    );
    const reviews = await reviewFactsIn(tx, period.from, period.to);
    const report = marketReport(
      versions.map((v) => ({ postcode: people.get(v.personId)?.postcode ?? null, supports: v.supports })),
      await directoryIdsIn(tx),
      reviews.map((r) => r.underspendReason),
    );
    await audit(tx, {
      action: "view",
      recordType: "commissioner_report",
      recordId: "market",
      changes: period,
    });
    return { ...report, ...period, plans: versions.length, reviews: reviews.length };
  });
}

function marketTable(
  id: string,
  caption: string,
  what: string,
  rows: MarketRow[],
  label: (k: string) => string,
): ReportTable {
  return {
    id,
    caption,
    columns: [
      { key: id.replace("by-", ""), label: what, kind: "text" },
      { key: "from_directory", label: "From the directory", kind: "count" },
      { key: "outside_directory", label: "Bought outside the directory", kind: "count" },
      { key: "no_provider", label: "No provider found", kind: "count" },
      {
        key: "gap_weekly_pence",
        label: "Weekly cost outside the directory or with no provider",
        kind: "pence",
      },
      { key: "gap_percent", label: "Share not from the directory", kind: "percent" },
    ],
    rows: rows.map((r) => [
      label(r.key),
      r.directory,
      r.outside,
      r.no_provider,
      r.gapWeeklyPence,
      r.gapPercent,
    ]),
    chart: {
      kind: "bars",
      series: ["from_directory", "outside_directory", "no_provider"],
      label: "Support lines",
    },
  };
}

export function marketTables(report: MarketFigures): CommissionerReport {
  const categories = supportCategoryLabels();
  const hardToFind = report.underspends.find((u) => u.reason === "hard_to_find")?.reviews ?? 0;
  const reasonLabel = (r: string) => UNDERSPEND_REASON_LABELS[r as UnderspendReason] ?? r;
  return {
    id: "market",
    title: "Market gaps",
    from: report.from,
    to: report.to,
    summary: [
      { label: "Plans in force in the period", value: report.plans, kind: "count" },
      { label: "Support lines bought outside the directory", value: report.totals.outside, kind: "count" },
      { label: "Support lines with no provider found", value: report.totals.no_provider, kind: "count" },
      {
        label: "Share of support lines not from the directory",
        value: report.totals.gapPercent,
        kind: "percent",
      },
      {
        label: "Reviews finding an underspend because support was hard to find",
        value: hardToFind,
        kind: "count",
      },
    ],
    notes: [
      "Each support line of each plan behind a budget in force in the period counts once. From the directory: a provider or personal assistant the directory lists (and the named service is active there). Bought outside the directory: something the person arranges, a pooled arrangement, or a provider, personal assistant or service the directory does not list. No provider found: a personal assistant not yet found. Free universal and community support is left out.",
      'Area is the postcode district: the outward code of the person\'s postcode (the part before the space). People with no postcode recorded count under "Not recorded".',
      'Underspend reasons come from reviews held in the period. Reviews now record, when money went unspent, why; "The support was hard to find" is the market gap. Reviews recorded before this was asked have no reason.',
    ],
    tables: [
      marketTable(
        "by-category",
        "Support lines by category",
        "Support category",
        report.byCategory,
        (k) => categories[k] ?? k,
      ),
      marketTable("by-area", "Support lines by postcode district", "Postcode district", report.byArea, (k) =>
        k === NO_POSTCODE ? "Not recorded" : k,
      ),
      {
        id: "underspends",
        caption: "Underspends found at review, by reason",
        columns: [
          { key: "reason", label: "Why money went unspent", kind: "text" },
          { key: "reviews", label: "Reviews", kind: "count" },
        ],
        rows: UNDERSPEND_REASONS.map((r) => [
          reasonLabel(r),
          report.underspends.find((u) => u.reason === r)?.reviews ?? 0,
        ]),
        chart: { kind: "bars", series: ["reviews"], label: "Reviews" },
      },
    ],
  };
}
