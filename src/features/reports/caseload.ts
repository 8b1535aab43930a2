import { assessmentFactsIn } from "#/features/assessment/commissioner-reads.ts";
import { budgetsOverlappingIn } from "#/features/budgets/commissioner-reads.ts";
import { agreedPlanVersionsIn } from "#/features/planning/commissioner-reads.ts";
import { referralFactsIn } from "#/features/referrals/commissioner-reads.ts";
import {
  type CaseloadFacts,
  type CaseloadReport,
  caseloadReport,
  weekStartOf,
} from "#/features/reports/caseload.calc.ts";
import type { ReportPeriod } from "#/features/reports/commissioner-period.ts";
import { reviewFactsIn, reviewsDueForReportsIn } from "#/features/reviews/commissioner-reads.ts";
import { staffTeamsIn } from "#/features/staff/commissioner-reads.ts";
import { listTeamsIn } from "#/features/staff/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
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
