import {
  type BudgetStatementRow,
  budgetStatementRows,
  projectedBalance,
} from "#/features/budgets/budget-page.calc.ts";
import { budgetChart, type ChartRow } from "#/features/budgets/chart.ts";
import {
  budgetIn,
  budgetsForPersonIn,
  currentBudgetIn,
  type PersonalBudget,
} from "#/features/budgets/service.ts";
import { accountByCodeIn, type LedgerAccount, statementIn } from "#/features/ledger/service.ts";
import {
  type ContributionInvoice,
  contributionInvoicesOfPersonIn,
} from "#/features/payments/contribution-invoices.ts";
import { type DatedPaymentMessage, paymentMessagesOfPersonIn } from "#/features/payments/service.ts";
import { findPersonRow } from "#/features/people/service.ts";
import { type SpendingAlert, spendingAlerts } from "#/features/spending/alerts.calc.ts";
import {
  budgetAccountCode,
  plannedOver,
  type ReceiptView,
  type RecoveryView,
  receiptsOfPersonIn,
  recoveriesForPersonIn,
  type SpendView,
  spendsIn,
  topUpAccountCode,
} from "#/features/spending/service.ts";
import { councilRulesIn } from "#/features/tenants/rules.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext, type TxContext, todayInLondon } from "#/platform/context.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { addDays, daysBetween } from "#/platform/dates/calendar.ts";
import { pence } from "#/platform/money/pence.ts";
import { DEPLOYMENT_LABELS } from "#/vocabulary/deployments.ts";

/**
 * What the budget page shows, for staff (/people/:id/budget) and the person (/my/people/:id/budget): per way the
 * money is held (deployment), the balance now, what came in and went out in the current 4-week period, what the
 * plan says for the period, and the balance projected at its end if the rest of the period's plan is spent;
 * the same as a chart; alerts (alerts.calc.ts); the statement of each account with its running balance; the
 * person's own money (top-ups) apart; surplus recoveries with their reasons; receipts; the person's contribution
 * invoices and what they were told about their payments (features/payments).
 *
 * Projection and statement: budget-page.calc.ts (until the council's first payment reaches an account, the
 * projection counts it as coming; the statement is in date order, money in and out from the person's side).
 * Alerts: not before the period has run the rule pack's judgeAfterDays (spending-rules.ts).
 */

const PERIOD_DAYS = 28;

export const longDate = dateInWords;

export type DeploymentSummary = {
  deployment: string;
  label: string;
  accountId: string | null;
  balancePence: number;
  heldPence: number;
  cameInPence: number;
  wentOutPence: number;
  plannedPence: number;
  projectedPence: number;
};

export type StatementRow = BudgetStatementRow;

export type BudgetPage = {
  person: { personId: string; givenName: string; familyName: string };
  budget: PersonalBudget | null;
  period: { from: string; to: string; label: string } | null;
  deployments: DeploymentSummary[];
  totals: Omit<DeploymentSummary, "deployment" | "label" | "accountId">;
  topUpBalancePence: number;
  chartSvg: string | null;
  alerts: SpendingAlert[];
  /**
   * While it is too soon to compare spending with the plan (spending-rules.ts judgeAfterDays), the first day it
   * will be compared; null once it is (or when there is no direct payment to compare).
   */
  spendingJudgedFrom: string | null;
  statements: { deployment: string; label: string; openingPence: number; rows: StatementRow[] }[];
  spends: SpendView[];
  recoveries: RecoveryView[];
  receipts: ReceiptView[];
  hasDirectPayment: boolean;
  /** Payments (issue 6): the person's contribution invoices, newest cycle first, raised and paid. */
  contributionInvoices: ContributionInvoice[];
  /** What the person was told about their payments (a payment the bank returned), newest first. */
  paymentMessages: DatedPaymentMessage[];
};

/** The current 4-week period of a budget (from its start date), clipped to its end. */
export function periodOf(budget: PersonalBudget, today: string) {
  // An ended budget shows its last period, not one after its end.
  const asOf = budget.endDate && budget.endDate < today ? budget.endDate : today;
  const since = Math.max(0, daysBetween(budget.startDate, asOf));
  const from = addDays(budget.startDate, Math.floor(since / PERIOD_DAYS) * PERIOD_DAYS);
  let to = addDays(from, PERIOD_DAYS - 1);
  if (budget.endDate && budget.endDate < to) to = budget.endDate;
  return { from, to, label: `from ${longDate(from)} to ${longDate(to)}` };
}

/** The budget page for one person, inside the caller's transaction (who may see it is the caller's check). */
export async function budgetPageIn(t: TxContext, personId: string): Promise<BudgetPage> {
  const { tx } = t;
  const person = await findPersonRow(t, personId);
  await audit(tx, {
    action: "view",
    recordType: "person",
    recordId: personId,
    changes: { budgetPage: true },
  });
  // With no live budget, the latest one (ended, say), so its statement and money to recover stay in view.
  const budget = (await currentBudgetIn(tx, personId)) ?? (await budgetsForPersonIn(tx, personId))[0] ?? null;
  const receipts = await receiptsOfPersonIn(t, personId);
  const recoveries = await recoveriesForPersonIn(t, personId);
  const base = {
    person: { personId, givenName: person.given_name, familyName: person.family_name },
    budget,
    receipts,
    recoveries,
    contributionInvoices: await contributionInvoicesOfPersonIn(t, personId),
    paymentMessages: await paymentMessagesOfPersonIn(t, personId, "person"),
  };
  const zero = {
    balancePence: 0,
    heldPence: 0,
    cameInPence: 0,
    wentOutPence: 0,
    plannedPence: 0,
    projectedPence: 0,
  };
  if (!budget) {
    return {
      ...base,
      period: null,
      deployments: [],
      totals: zero,
      topUpBalancePence: 0,
      chartSvg: null,
      alerts: [],
      spendingJudgedFrom: null,
      statements: [],
      spends: [],
      hasDirectPayment: false,
    };
  }
  const period = periodOf(budget, t.today);
  const periodDays = daysBetween(period.from, period.to) + 1;
  const deployments: DeploymentSummary[] = [];
  const statements: BudgetPage["statements"] = [];
  const spends = await spendsIn(t, { budgetIds: [budget.budgetId] });
  const spendById = new Map(spends.map((s) => [s.spendId, s]));
  for (const deployment of [...new Set(budget.lines.map((l) => l.deployment))]) {
    const weekly = budget.lines
      .filter((l) => l.deployment === deployment)
      .reduce((s, l) => s + l.weeklyPence, 0);
    const planned = plannedOver(weekly, periodDays);
    const account: LedgerAccount | undefined = await accountByCodeIn(
      t,
      budgetAccountCode(budget.budgetId, deployment),
    );
    const label = DEPLOYMENT_LABELS[deployment as keyof typeof DEPLOYMENT_LABELS] ?? deployment;
    let cameIn = 0;
    let wentOut = 0;
    if (account) {
      // Before the budget starts (approved for a later date, paid in advance) the period has no days yet.
      const st =
        t.today < period.from
          ? { lines: [] }
          : await statementIn(t, account.accountId, {
              from: period.from,
              to: t.today < period.to ? t.today : period.to,
            });
      for (const line of st.lines) {
        if (line.signedAmount > 0) cameIn += line.signedAmount;
        else wentOut -= line.signedAmount;
      }
      const full = await statementIn(t, account.accountId, {});
      statements.push({
        deployment,
        label,
        openingPence: full.openingBalance,
        rows: budgetStatementRows({
          deployment,
          openingPence: full.openingBalance,
          lines: full.lines.map((l) => {
            const spend = l.refKind === "spend" && l.refId ? spendById.get(l.refId) : undefined;
            return {
              code: l.code,
              refKind: l.refKind,
              writtenOn: todayInLondon(l.createdAt),
              direction: l.creditAccountId === account.accountId ? "in" : "out",
              signedAmount: l.signedAmount,
              amount: l.amount,
              state: l.state,
              pending: l.pending,
              pendingOf: l.pendingOf,
              ...(spend ? { spend } : {}),
            };
          }),
        }),
      });
    }
    const balance = account?.balance ?? 0;
    const held = account?.sums.debitsPending ?? 0;
    deployments.push({
      deployment,
      label,
      accountId: account?.accountId ?? null,
      balancePence: balance,
      heldPence: held,
      cameInPence: cameIn,
      wentOutPence: wentOut,
      plannedPence: planned,
      projectedPence: projectedBalance({
        balancePence: balance,
        heldPence: held,
        plannedPence: planned,
        wentOutPence: wentOut,
        firstPaymentArrived: (account?.sums.creditsPosted ?? 0) > 0,
      }),
    });
  }
  const sum = (k: keyof typeof zero) => deployments.reduce((s, d) => s + d[k], 0);
  const totals = {
    balancePence: sum("balancePence"),
    heldPence: sum("heldPence"),
    cameInPence: sum("cameInPence"),
    wentOutPence: sum("wentOutPence"),
    plannedPence: sum("plannedPence"),
    projectedPence: sum("projectedPence"),
  };
  const topUp = await accountByCodeIn(t, topUpAccountCode(budget.budgetId));

  // Alerts: the last 4 weeks' spending (to today) per plan line against what the line planned for 4 weeks, so
  // the first day of a period never reads as an underspend.
  const rules = (await councilRulesIn(t.tx, t.today)).spending.rules;
  const alertFrom = [addDays(t.today, -(PERIOD_DAYS - 1)), budget.startDate].sort().at(-1)!;
  const alertDays = daysBetween(alertFrom, t.today) + 1;
  const inWindow = spends.filter((s) => s.state !== "voided" && s.date >= alertFrom && s.date <= t.today);
  const net = (s: SpendView) => (s.direction === "out" ? s.amountPence : -s.amountPence);
  const lines = budget.lines
    .filter((l) => l.deployment === "direct_payment")
    .map((l) => ({
      supportId: l.supportId,
      what: l.supportName,
      plannedPence: pence(plannedOver(l.weeklyPence, alertDays)),
      actualPence: pence(
        Math.max(
          0,
          inWindow.filter((s) => s.supportId === l.supportId).reduce((a, s) => a + net(s), 0),
        ),
      ),
    }));
  const outside = Math.max(
    0,
    inWindow.filter((s) => s.deployment === "direct_payment" && !s.supportId).reduce((a, s) => a + net(s), 0),
  );
  const hasDirectPayment = budget.lines.some((l) => l.deployment === "direct_payment");
  const judgedFrom = addDays(budget.startDate, rules.monitoring.judgeAfterDays - 1);
  const alerts = hasDirectPayment
    ? spendingAlerts({
        period: `from ${longDate(alertFrom)} to ${longDate(t.today)}`,
        daysRun: alertDays,
        lines,
        outsidePlanPence: pence(outside),
        thresholds: rules.monitoring,
      })
    : [];
  const chartRows: ChartRow[] = deployments.map((d) => ({
    deployment: d.label.replace(/ \(.*\)$/, ""),
    cameInPence: d.cameInPence,
    wentOutPence: d.wentOutPence,
    plannedPence: d.plannedPence,
    projectedPence: d.projectedPence,
  }));
  return {
    ...base,
    period,
    deployments,
    totals,
    topUpBalancePence: topUp?.balance ?? 0,
    chartSvg: budgetChart(chartRows, period.label),
    alerts,
    spendingJudgedFrom: hasDirectPayment && t.today < judgedFrom ? judgedFrom : null,
    statements,
    spends,
    hasDirectPayment,
  };
}

/**
 * Staff read a person's budget page (budgets:read; the route checks): one tenant transaction, audited. Staff
 * also see what finance was told to do about the person's payments.
 */
export const budgetPage = (ctx: ServiceContext, personId: string) =>
  inTenant(ctx, async (t) => ({
    ...(await budgetPageIn(t, personId)),
    financeMessages: await paymentMessagesOfPersonIn(t, personId, "finance"),
  }));

export type BudgetBalances = {
  budget: PersonalBudget;
  accounts: { deployment: string; label: string; account: LedgerAccount | null }[];
  topUp: LedgerAccount | null;
};

/** A budget's ledger accounts: one per deployment in its lines, and the person's own money. Audited as a view. */
export async function budgetBalancesIn(t: TxContext, budgetId: string): Promise<BudgetBalances> {
  const budget = await budgetIn(t.tx, budgetId);
  await audit(t.tx, {
    action: "view",
    recordType: "personal_budget",
    recordId: budgetId,
    changes: { balances: true },
  });
  const accounts = [];
  for (const deployment of [...new Set(budget.lines.map((l) => l.deployment))]) {
    accounts.push({
      deployment,
      label: DEPLOYMENT_LABELS[deployment],
      account: (await accountByCodeIn(t, budgetAccountCode(budgetId, deployment))) ?? null,
    });
  }
  return { budget, accounts, topUp: (await accountByCodeIn(t, topUpAccountCode(budgetId))) ?? null };
}

export const budgetBalances = (ctx: ServiceContext, budgetId: string) =>
  inTenant(ctx, (t) => budgetBalancesIn(t, budgetId));

/** Every transfer of a budget's accounts, oldest first, each with its account's running balance. */
export const budgetStatement = (
  ctx: ServiceContext,
  budgetId: string,
  range: { from?: string; to?: string },
) =>
  inTenant(ctx, async (t) => {
    const { budget, accounts, topUp } = await budgetBalancesIn(t, budgetId);
    const out = [];
    for (const a of [
      ...accounts,
      ...(topUp ? [{ deployment: "own_money", label: "Own money", account: topUp }] : []),
    ]) {
      if (!a.account) continue;
      out.push({
        deployment: a.deployment,
        label: a.label,
        statement: await statementIn(t, a.account.accountId, range),
      });
    }
    return { budget, statements: out };
  });
