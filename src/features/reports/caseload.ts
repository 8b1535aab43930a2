import { assessmentFactsIn } from "#/features/assessment/commissioner-reads.ts";
import { budgetsOverlappingIn } from "#/features/budgets/commissioner-reads.ts";
import { agreedPlanVersionsIn } from "#/features/planning/commissioner-reads.ts";
import { referralFactsIn } from "#/features/referrals/commissioner-reads.ts";
import {
  type CaseloadFacts,
  type CaseloadReport,
  caseloadReport,
  FLOW_MEASURES,
  weekStartOf,
} from "#/features/reports/caseload.calc.ts";
import type { ReportPeriod } from "#/features/reports/commissioner-period.ts";
import type { CommissionerReport } from "#/features/reports/commissioner-report.ts";
import { reviewFactsIn, reviewsDueForReportsIn } from "#/features/reviews/commissioner-reads.ts";
import { staffTeamsIn } from "#/features/staff/commissioner-reads.ts";
import { listTeamsIn } from "#/features/staff/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { addDays, daysBetween } from "#/platform/dates/calendar.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * The caseload flow report: the facts read through each owner's read functions (referrals, assessment,
 * planning, budgets, reviews, staff), counted by caseload.calc.ts. The report covers whole weeks, Monday to
 * Sunday, from the week `from` falls in to the week `to` falls in; "now" figures (reviews overdue and due soon)
 * are on `to`.
 */

async function caseloadFactsIn(
  tx: TenantTx,
  from: string,
  to: string,
  on: string,
): Promise<{ facts: CaseloadFacts; dueSoonDays: number }> {
  const teamOf = await staffTeamsIn(tx);
  const team = (userId: string | null) => (userId === null ? null : (teamOf.get(userId) ?? null));
  const inPeriod = (on: string) => on >= from && on <= to;
  const assessments = (await assessmentFactsIn(tx)).filter((a) => inPeriod(a.completedOn));
  const plans = (await agreedPlanVersionsIn(tx)).filter((p) => inPeriod(p.agreedOn));
  // First payments in the period may answer requests from up to a year before it.
  const budgets = await budgetsOverlappingIn(tx, addDays(from, -366), to);
  const due = await reviewsDueForReportsIn(tx, on);
  const facts: CaseloadFacts = {
    requests: (await referralFactsIn(tx, from, to)).map((r) => ({
      personId: r.personId,
      on: r.receivedOn,
      teamId: team(r.recordedBy),
    })),
    assessments: assessments.map((a) => ({
      personId: a.personId,
      on: a.completedOn,
      teamId: team(a.submittedBy),
    })),
    eligible: assessments
      .filter((a) => a.eligible === true)
      .map((a) => ({ personId: a.personId, on: a.completedOn, teamId: team(a.submittedBy) })),
    plansAgreed: plans.map((p) => ({
      personId: p.personId,
      on: p.agreedOn,
      teamId: team(p.leadWorkerId ?? p.decidedBy),
    })),
    budgetsStarted: budgets
      .filter((b) => inPeriod(b.startDate))
      .map((b) => ({ personId: b.personId, on: b.startDate, teamId: team(b.approvedBy) })),
    reviewsHeld: (await reviewFactsIn(tx, from, to)).map((r) => ({
      personId: r.personId,
      on: r.heldOn,
      teamId: team(r.recordedBy),
    })),
    reviewsDue: due.due.map((d) => ({ personId: d.personId, dueOn: d.dueOn, teamId: team(d.leadWorkerId) })),
    firstPayments: budgets.flatMap((b) =>
      b.firstPaymentDate ? [{ personId: b.personId, on: b.firstPaymentDate }] : [],
    ),
  };
  return { facts, dueSoonDays: due.dueSoonDays };
}

export async function caseloadFlow(ctx: ServiceContext, period: ReportPeriod): Promise<CaseloadReport> {
  return inTenant(ctx, async ({ tx }) => {
    const first = weekStartOf(period.from);
    const weeks = Math.floor(daysBetween(first, weekStartOf(period.to)) / 7) + 1;
    const { facts, dueSoonDays } = await caseloadFactsIn(
      tx,
      first,
      addDays(weekStartOf(period.to), 6),
      period.to,
    );
    const teams = await listTeamsIn({ tx, today: ctx.today });
    await audit(tx, {
      action: "view",
      recordType: "commissioner_report",
      recordId: "caseload",
      changes: period,
    });
    return caseloadReport({ facts, teams, to: period.to, weeks, dueSoonDays });
  });
}

const flowColumns = FLOW_MEASURES.map((m) => ({ key: snake(m.id), label: m.label, kind: "count" as const }));

function snake(id: string): string {
  return id.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The caseload flow as the pages, downloads and API give it, for the period asked (the weeks cover it). */
export function caseloadTables(report: CaseloadReport, period: ReportPeriod): CommissionerReport {
  const { wait } = report;
  return {
    id: "caseload",
    title: "Caseload flow",
    from: period.from,
    to: period.to,
    summary: [
      { label: "Requests for support", value: report.totals.requests, kind: "count" },
      { label: "Plans agreed", value: report.totals.plansAgreed, kind: "count" },
      { label: "Reviews overdue now", value: report.totals.reviewsOverdue, kind: "count" },
      { label: "Median wait from request to first payment", value: wait.medianDays, kind: "days" },
      { label: "90th percentile wait from request to first payment", value: wait.p90Days, kind: "days" },
      { label: "Requests still waiting for a first payment", value: wait.waiting, kind: "count" },
    ],
    notes: [
      `Weeks run Monday to Sunday. The weekly figures cover whole weeks, from the week of the start date to the week of the end date (${dateInWords(report.from)} to ${dateInWords(report.to)}).`,
      "Each event counts for the team of the member of staff who did it: the referral's recorder, the assessment's submitter, the plan's lead worker (else its approver), the budget's approver, the review's recorder. A review due counts for the plan's lead worker's team. Work by someone with no team, or a self-referral, counts under \"No team\".",
      "Reviews overdue and due soon are as on the end date: overdue when the next review fell due before it, due soon when it falls due within the council's due-soon days. By week, \"reviews falling due, not yet held\" counts each live plan's next review in the week it falls due: in past weeks these are overdue.",
      `The wait is counted for each request received in the report's weeks: the days from the request to the person's first payment on or after it. ${wait.paid} requests have been followed by a first payment; ${wait.waiting} are still waiting and are not in the median.`,
      "The median and the 90th percentile are worked out by the nearest-rank method: sort the waits and take the one at rank ⌈p ÷ 100 × n⌉ (p = 50 for the median, 90 for the 90th percentile), so each is a wait someone actually had.",
    ],
    tables: [
      {
        id: "by-week",
        caption: "Caseload flow by week",
        columns: [
          { key: "week_start", label: "Week starting", kind: "date" },
          { key: "week_end", label: "Week ending", kind: "date" },
          ...flowColumns,
          { key: "reviews_falling_due", label: "Reviews falling due, not yet held", kind: "count" },
        ],
        rows: report.weeks.map((w) => [
          w.weekStart,
          w.weekEnd,
          ...FLOW_MEASURES.map((m) => w[m.id]),
          w.reviewsFallingDue,
        ]),
        chart: {
          kind: "lines",
          series: ["requests", "assessments", "plans_agreed", "reviews_held"],
          label: "Number",
        },
      },
      {
        id: "by-team",
        caption: "Caseload flow by team",
        columns: [
          { key: "team", label: "Team", kind: "text" },
          ...flowColumns,
          { key: "reviews_overdue", label: "Reviews overdue now", kind: "count" },
          { key: "reviews_due_soon", label: "Reviews due soon", kind: "count" },
        ],
        rows: report.teams.map((t) => [
          t.team,
          ...FLOW_MEASURES.map((m) => t[m.id]),
          t.reviewsOverdue,
          t.reviewsDueSoon,
        ]),
        chart: { kind: "bars", series: ["requests", "plans_agreed", "reviews_overdue"], label: "Number" },
      },
      {
        id: "wait",
        caption: "Wait from request to first payment",
        columns: [
          { key: "measure", label: "Measure", kind: "text" },
          { key: "value", label: "Value", kind: "count" },
        ],
        rows: [
          ["Requests followed by a first payment", wait.paid],
          ["Requests still waiting", wait.waiting],
          ["Median wait, days", wait.medianDays],
          ["90th percentile wait, days (nearest rank)", wait.p90Days],
        ],
      },
    ],
  };
}
