import { type BudgetFromPlan, committedInYear } from "#/features/budgets/budget.calc.ts";
import * as repo from "#/features/budgets/repository.ts";
import type { FinancialYear } from "#/features/funding/settings.calc.ts";
import { audit, auditMany } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext } from "#/platform/context.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { dayBefore } from "#/platform/dates/calendar.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { isCalendarDate } from "#/rules/index.ts";

/**
 * The live personal budget (Upfront issue 5): what an approved plan version makes, per support line, funding
 * stream and deployment, with the person's weekly contribution (only ever on means-tested streams) and a start
 * date. A later approval replaces it from its own start date (the old one ends the day before). The money
 * features (ledger, payments) and reviews read budgets through the `…In` functions here, inside their own
 * transactions; the planning service creates them on approval.
 */

export type BudgetStatus = repo.BudgetRow["status"];
export type BudgetEndReason = NonNullable<repo.BudgetRow["end_reason"]>;
export const BUDGET_END_REASONS: readonly BudgetEndReason[] = [
  "replaced",
  "support_ended",
  "died",
  "moved_away",
  "other",
];

export type PersonalBudgetLine = {
  lineNo: number;
  supportId: string;
  supportName: string;
  category: string;
  deployment: repo.BudgetLineRow["deployment"];
  streamId: string;
  meansTested: boolean;
  /** What the stream pays for the support a week, before the contribution. */
  weeklyPence: number;
  /** The part of the person's contribution taken off this line (0 unless the stream is means-tested). */
  contributionWeeklyPence: number;
  /** weeklyPence − contributionWeeklyPence: what the stream pays out a week. */
  netWeeklyPence: number;
  oneOffPence: number;
  providerId: string | null;
  payeeName: string | null;
};

export type PersonalBudget = {
  budgetId: string;
  personId: string;
  planId: string;
  planVersion: number;
  startDate: string;
  endDate: string | null;
  status: BudgetStatus;
  endReason: BudgetEndReason | null;
  replacedByBudgetId: string | null;
  /** The plan's weekly cost (every stream, before the contribution). */
  weeklyPence: number;
  oneOffPence: number;
  contributionWeeklyPence: number;
  financialAssessmentId: string | null;
  firstPaymentDate: string | null;
  approvedBy: string;
  approvedAt: Date;
  lines: PersonalBudgetLine[];
};

/** A budget row with its own lines (already picked out: see withLines). */
function toBudget(row: repo.BudgetRow, lines: readonly repo.BudgetLineRow[]): PersonalBudget {
  return {
    budgetId: row.budget_id,
    personId: row.person_id,
    planId: row.plan_id,
    planVersion: row.plan_version,
    startDate: row.start_date,
    endDate: row.end_date,
    status: row.status,
    endReason: row.end_reason,
    replacedByBudgetId: row.replaced_by_budget_id,
    weeklyPence: row.weekly_pence,
    oneOffPence: row.one_off_pence,
    contributionWeeklyPence: row.contribution_weekly_pence,
    financialAssessmentId: row.financial_assessment_id,
    firstPaymentDate: row.first_payment_date,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    lines: lines.map((l) => ({
      lineNo: l.line_no,
      supportId: l.support_id,
      supportName: l.support_name,
      category: l.category,
      deployment: l.deployment,
      streamId: l.stream_id,
      meansTested: l.means_tested,
      weeklyPence: l.weekly_pence,
      contributionWeeklyPence: l.contribution_weekly_pence,
      netWeeklyPence: l.weekly_pence - l.contribution_weekly_pence,
      oneOffPence: l.one_off_pence,
      providerId: l.provider_id,
      payeeName: l.payee_name,
    })),
  };
}

export async function withLines(tx: TenantTx, rows: repo.BudgetRow[]): Promise<PersonalBudget[]> {
  const lines = await repo.linesOf(
    tx,
    rows.map((r) => r.budget_id),
  );
  // Lines grouped by budget once: filtering every line for every budget was quadratic, 100 s for 12,000
  // budgets in the commissioner's caseload report (bench/reports.ts).
  const byBudget = new Map<string, repo.BudgetLineRow[]>();
  for (const line of lines) {
    const mine = byBudget.get(line.budget_id);
    if (mine) mine.push(line);
    else byBudget.set(line.budget_id, [line]);
  }
  return rows.map((r) => toBudget(r, byBudget.get(r.budget_id) ?? []));
}

function checkDate(date: string, path: string): void {
  if (!isCalendarDate(date))
    throw new ValidationError([{ path, message: "Give a real date written YYYY-MM-DD" }]);
}

// ---- reading, inside another feature's transaction -----------------------------------------------------------

/** One budget with its lines; NotFoundError when there is none. */
export async function budgetIn(tx: TenantTx, budgetId: string): Promise<PersonalBudget> {
  const row = await repo.findBudget(tx, budgetId);
  if (!row) throw new NotFoundError("The personal budget");
  return (await withLines(tx, [row]))[0]!;
}

/** The person's budget in force on a date (started by then, not ended before it), or null. */
export async function liveBudgetOnIn(
  tx: TenantTx,
  personId: string,
  date: string,
): Promise<PersonalBudget | null> {
  checkDate(date, "date");
  const rows = await repo.budgetsOn(tx, date, personId);
  // A replacement ends the old budget the day before the new one starts, so at most one is in force.
  return rows[0] ? (await withLines(tx, [rows[0]]))[0]! : null;
}

/**
 * The person's current budget: the one marked live (the latest approval's, which may start later than today),
 * or null. For the cost of care and the money statement.
 */
export async function currentBudgetIn(tx: TenantTx, personId: string): Promise<PersonalBudget | null> {
  const row = await repo.liveBudgetOf(tx, personId);
  return row ? (await withLines(tx, [row]))[0]! : null;
}

/** Every person's current budget (the ones marked live), by person id: the reviews caseload. */
export async function currentBudgetsIn(tx: TenantTx): Promise<PersonalBudget[]> {
  return withLines(tx, await repo.liveBudgets(tx));
}

/** Budgets that have an end date, with it: the payment run looks for money paid after it. */
export async function endedBudgetsIn(tx: TenantTx): Promise<{ budgetId: string; endDate: string }[]> {
  return (await repo.endedBudgets(tx)).map((r) => ({ budgetId: r.budget_id, endDate: r.end_date }));
}

/** Every budget in force on a date, for the payments and reviews features. */
export async function liveBudgetsIn(tx: TenantTx, date: string): Promise<PersonalBudget[]> {
  checkDate(date, "date");
  return withLines(tx, await repo.budgetsOn(tx, date));
}

/** The person's budgets, newest start first. */
export async function budgetsForPersonIn(tx: TenantTx, personId: string): Promise<PersonalBudget[]> {
  return withLines(tx, await repo.budgetsForPerson(tx, personId));
}

/** The budget an approved plan version made, or null. */
export async function budgetForPlanVersionIn(
  tx: TenantTx,
  planId: string,
  version: number,
): Promise<PersonalBudget | null> {
  const row = await repo.findBudgetForPlanVersion(tx, planId, version);
  return row ? (await withLines(tx, [row]))[0]! : null;
}

/**
 * What budgets have committed from a stream's pot in a financial year (see budget.calc.ts
 * `committedInYear`): funding's `fundingStreamsIn` is passed this by its callers.
 */
export async function committedOnStreamIn(
  tx: TenantTx,
  streamId: string,
  year: FinancialYear,
): Promise<number> {
  const rows = await repo.streamCommitments(tx, streamId, year.start, year.end);
  return committedInYear(
    rows.map((r) => ({
      startDate: r.start_date,
      endDate: r.end_date,
      weeklyPence: r.weekly_pence,
      oneOffPence: r.one_off_pence,
    })),
    year,
  );
}

// ---- reading, as a use case --------------------------------------------------------------------------------------

/** One budget, its view audited. */
export async function getBudget(ctx: ServiceContext, budgetId: string): Promise<PersonalBudget> {
  return inTenant(ctx, async ({ tx }) => {
    const budget = await budgetIn(tx, budgetId);
    await audit(tx, { action: "view", recordType: "personal_budget", recordId: budgetId });
    return budget;
  });
}

/** A person's budgets, newest first, the view audited against the person. */
export async function budgetsForPerson(ctx: ServiceContext, personId: string): Promise<PersonalBudget[]> {
  return inTenant(ctx, async ({ tx }) => {
    const budgets = await budgetsForPersonIn(tx, personId);
    await audit(tx, { action: "view", recordType: "person_budgets", recordId: personId });
    return budgets;
  });
}

// ---- writing -----------------------------------------------------------------------------------------------------

export type NewBudget = {
  personId: string;
  planId: string;
  planVersion: number;
  startDate: string;
  budget: BudgetFromPlan;
  financialAssessmentId: string | null;
  /** The approver's staff user id; the transaction's actor when left out. */
  approvedBy?: string;
};

/**
 * Creates the live budget an approval makes, inside the planning service's transaction. When the person has a
 * live budget it is replaced from the new start date: it ends the day before (status replaced, pointing at the
 * new one). A new budget may not start before the live one does. Audited.
 */
export async function createBudgetIn(
  tx: TenantTx,
  input: NewBudget,
): Promise<{ budgetId: string; replacedBudgetId: string | null }> {
  checkDate(input.startDate, "startDate");
  const live = await repo.liveBudgetOf(tx, input.personId, true);
  if (live && live.start_date > input.startDate) {
    throw new ValidationError([
      {
        path: "startDate",
        message: `The person's live budget starts on ${dateInWords(live.start_date)}: the new budget must start on or after that date`,
      },
    ]);
  }
  const budgetId = uuidv7();
  // The old one stops being "live" first: the unique index allows one live budget per person.
  if (live) {
    await repo.endBudget(tx, live.budget_id, {
      endDate: dayBefore(input.startDate),
      status: "replaced",
      reason: "replaced",
    });
  }
  const b = input.budget;
  await repo.insertBudget(
    tx,
    {
      budget_id: budgetId,
      person_id: input.personId,
      plan_id: input.planId,
      plan_version: input.planVersion,
      start_date: input.startDate,
      weekly_pence: b.weeklyPence,
      one_off_pence: b.oneOffPence,
      contribution_weekly_pence: b.contributionWeeklyPence,
      financial_assessment_id: input.financialAssessmentId,
      approved_by: input.approvedBy ?? actorRef(tx.scope.actor),
    },
    b.lines.map((l) => ({
      line_no: l.lineNo,
      support_id: l.supportId,
      support_name: l.supportName,
      category: l.category,
      deployment: l.deployment,
      stream_id: l.streamId,
      means_tested: l.meansTested,
      weekly_pence: l.weeklyPence,
      one_off_pence: l.oneOffPence,
      contribution_weekly_pence: l.contributionWeeklyPence,
      provider_id: l.providerId,
      payee_name: l.payeeName,
    })),
  );
  if (live) {
    // Set after the insert: the foreign key needs the new row.
    await repo.endBudget(tx, live.budget_id, {
      endDate: dayBefore(input.startDate),
      status: "replaced",
      reason: "replaced",
      replacedBy: budgetId,
    });
    await audit(tx, {
      action: "replace",
      recordType: "personal_budget",
      recordId: live.budget_id,
      changes: { endDate: dayBefore(input.startDate), replacedBy: budgetId },
    });
  }
  await audit(tx, {
    action: "create",
    recordType: "personal_budget",
    recordId: budgetId,
    changes: {
      personId: input.personId,
      planId: input.planId,
      planVersion: input.planVersion,
      startDate: input.startDate,
      weeklyPence: b.weeklyPence,
      oneOffPence: b.oneOffPence,
      contributionWeeklyPence: b.contributionWeeklyPence,
      lines: b.lines.length,
    },
  });
  return { budgetId, replacedBudgetId: live?.budget_id ?? null };
}

/**
 * Records the budget's first payment (the payments feature calls this when it pays), which moves the first
 * direct-payment review. Set once: the same date again is a no-op; a different one is refused.
 */
export async function recordFirstPaymentIn(tx: TenantTx, budgetId: string, date: string): Promise<void> {
  checkDate(date, "date");
  const row = await repo.findBudgetForUpdate(tx, budgetId);
  if (!row) throw new NotFoundError("The personal budget");
  if (row.first_payment_date === date) return;
  if (row.first_payment_date !== null) {
    throw new ConflictError(
      `The first payment of this budget was already recorded on ${dateInWords(row.first_payment_date)}`,
    );
  }
  if (date < row.start_date) {
    throw new ValidationError([
      { path: "date", message: `The first payment cannot be before the budget starts (${row.start_date})` },
    ]);
  }
  await repo.setFirstPaymentDate(tx, budgetId, date);
  await audit(tx, {
    action: "first_payment",
    recordType: "personal_budget",
    recordId: budgetId,
    changes: { firstPaymentDate: date },
  });
}

/**
 * A payment run's first payments, many budgets at once: each budget still without a first payment date gets
 * the date of its first direct payment (never before the budget starts), with the same audit event as
 * `recordFirstPaymentIn`; a budget that has one keeps it.
 */
export async function recordFirstPaymentsIn(
  tx: TenantTx,
  firstPayments: ReadonlyMap<string, string>,
): Promise<void> {
  for (const date of firstPayments.values()) checkDate(date, "date");
  const open = await repo.budgetsWithoutFirstPaymentForUpdate(tx, [...firstPayments.keys()]);
  const dates = open.map((b) => {
    const paid = firstPayments.get(b.budget_id)!;
    return { budgetId: b.budget_id, date: paid < b.start_date ? b.start_date : paid };
  });
  await repo.setFirstPaymentDates(tx, dates);
  await auditMany(
    tx,
    dates.map((d) => ({
      action: "first_payment",
      recordType: "personal_budget",
      recordId: d.budgetId,
      changes: { firstPaymentDate: d.date },
    })),
  );
}

/**
 * Ends a live budget (support ended, the person died or moved away…), on `endDate` (the last day it pays for).
 * A budget replaced by a later plan is ended by `createBudgetIn`, not here.
 */
export async function endBudgetIn(
  tx: TenantTx,
  budgetId: string,
  endDate: string,
  reason: Exclude<BudgetEndReason, "replaced">,
): Promise<void> {
  checkDate(endDate, "endDate");
  const row = await repo.findBudgetForUpdate(tx, budgetId);
  if (!row) throw new NotFoundError("The personal budget");
  const problems = [];
  if (row.status !== "live") problems.push({ path: "budgetId", message: "This budget has already ended" });
  if (!BUDGET_END_REASONS.includes(reason) || (reason as string) === "replaced") {
    problems.push({
      path: "reason",
      message: "Say why the budget ends: support_ended, died, moved_away or other",
    });
  }
  if (endDate < dayBefore(row.start_date)) {
    problems.push({ path: "endDate", message: `The budget cannot end before it starts (${row.start_date})` });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  await repo.endBudget(tx, budgetId, { endDate, status: "ended", reason });
  await audit(tx, {
    action: "end",
    recordType: "personal_budget",
    recordId: budgetId,
    changes: { endDate, reason },
  });
}
