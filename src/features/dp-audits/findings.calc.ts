import { dateInWords } from "#/platform/date-words.calc.ts";
import { addDays, daysBetween } from "#/platform/dates/calendar.ts";
import { formatPounds, pence } from "#/platform/money/pence.ts";
import type { DpAuditRules, DpFindingKind } from "#/rules/dp-audit-types.ts";

/**
 * The direct-payment audit's findings for one budget (issue 15, "Direct-payment audit"; REPORTING.md §3, §6.7).
 * Pure: the budget's facts and the council's audit settings in force on the audit date go in; the findings, each
 * with the evidence a finance officer checks (spends, transfers, receipts, invoices, dates, amounts), and the
 * budget's risk score come out. A finding is a prompt for a conversation with the person, never a decision.
 *
 * - Surplus: council money held (top-ups excluded) above N weeks of the weekly direct payment is flagged (St Helens,
 *   8 weeks); below the lower figure (Sefton, 4 weeks) it is a warning, which puts no budget on the queue.
 *   Compared in whole pence: balance > weeks × weekly, so no fraction of a week is rounded first.
 * - Cash withdrawals (cash MCCs) with no receipt uploaded against them.
 * - Card spending at a blocked merchant category (the council's list), whatever receipts there are.
 * - Payees not in the plan: money paid out that spending's plan matching tied to no support line, to a payee no
 *   plan line names.
 * - Contribution not paid in: a contribution invoice still unpaid N days after it was raised.
 * - No spending evidence: Upfront holds no bank statements, so "no statement returned" is read as no spend and
 *   no receipt recorded for N weeks, once the first payment is that old.
 */

export type AuditSettings = {
  readonly surplusAboveWeeks: number;
  readonly surplusWarnBelowWeeks: number;
  readonly blockedMccs: readonly string[];
  readonly cashMccs: readonly string[];
  readonly noEvidenceWeeks: number;
  readonly contributionOverdueDays: number;
  readonly firstReviewFromWeeks: number;
  readonly firstReviewByWeeks: number;
  readonly thenEveryMonths: number;
  readonly annualOpensWeeksBefore: number;
  readonly repaymentDays: number;
};

/** What a council has before it sets anything: the rule pack's defaults (each with its source there). */
export function defaultAuditSettings(rules: DpAuditRules): AuditSettings {
  return {
    surplusAboveWeeks: rules.surplus.flagAboveWeeks,
    surplusWarnBelowWeeks: rules.surplus.warnBelowWeeks,
    blockedMccs: [...rules.cards.blockedMccs],
    cashMccs: [...rules.cards.cashMccs],
    noEvidenceWeeks: rules.evidence.noEvidenceWeeks,
    contributionOverdueDays: rules.contribution.overdueAfterDays,
    firstReviewFromWeeks: rules.schedule.firstReviewFromWeeks,
    firstReviewByWeeks: rules.schedule.firstReviewByWeeks,
    thenEveryMonths: rules.schedule.thenEveryMonths,
    annualOpensWeeksBefore: rules.schedule.annualOpensWeeksBefore,
    repaymentDays: rules.repayment.dueWithinDays,
  };
}

export type SpendFact = {
  readonly spendId: string;
  readonly transferId: string;
  readonly date: string;
  readonly amountPence: number;
  readonly direction: "out" | "in";
  readonly state: "pending" | "posted" | "voided";
  readonly payeeName: string;
  readonly mcc: string | null;
  /** The plan line spending's matching tied it to, or null. */
  readonly supportId: string | null;
  readonly receiptIds: readonly string[];
  /** The latest day a receipt for it was uploaded, or null. */
  readonly lastReceiptOn: string | null;
};

export type ContributionInvoiceFact = {
  readonly invoiceId: string;
  readonly raisedOn: string;
  readonly cycleStart: string;
  readonly cycleEnd: string;
  readonly amountPence: number;
  readonly paid: boolean;
};

export type BudgetFacts = {
  readonly budgetId: string;
  readonly personId: string;
  readonly firstPaymentDate: string | null;
  /** What the streams pay out a week as a direct payment (after the person's contribution). */
  readonly weeklyDirectPaymentPence: number;
  /** Council money in the direct-payment account: the balance less the person's own top-ups. */
  readonly councilBalancePence: number;
  readonly spends: readonly SpendFact[];
  /** Payee names the plan's lines give (a personal assistant, an agency). */
  readonly planPayeeNames: readonly string[];
  readonly contributionInvoices: readonly ContributionInvoiceFact[];
};

export type Evidence = {
  readonly kind: "spend" | "balance" | "invoice" | "last_evidence";
  readonly id: string | null;
  readonly transferId?: string;
  readonly date: string | null;
  readonly amountPence: number | null;
  readonly receiptIds?: readonly string[];
  readonly text: string;
};

export type Finding = {
  readonly kind: DpFindingKind;
  readonly severity: "flag" | "warning";
  readonly summary: string;
  /** The money the finding is about (0 where it is not about an amount). */
  readonly atStakePence: number;
  readonly evidence: readonly Evidence[];
};

export type BudgetAudit = {
  readonly budgetId: string;
  readonly personId: string;
  readonly findings: readonly Finding[];
  readonly riskScore: number;
  readonly atStakePence: number;
};

const money = (p: number) => formatPounds(pence(p));
const normalise = (name: string) => name.trim().replace(/\s+/g, " ").toLowerCase();
const paidOut = (s: SpendFact) => s.direction === "out" && s.state !== "voided";
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

function spendEvidence(s: SpendFact, what: string): Evidence {
  return {
    kind: "spend",
    id: s.spendId,
    transferId: s.transferId,
    date: s.date,
    amountPence: s.amountPence,
    receiptIds: s.receiptIds,
    text: `${money(s.amountPence)} ${what} ${s.payeeName} on ${dateInWords(s.date)}`,
  };
}

/** Spends of one kind as one finding, or none. */
function spendFinding(
  kind: DpFindingKind,
  spends: readonly SpendFact[],
  summary: (total: string, count: number) => string,
  what: string,
): Finding[] {
  if (spends.length === 0) return [];
  const total = sum(spends.map((s) => s.amountPence));
  return [
    {
      kind,
      severity: "flag",
      summary: summary(money(total), spends.length),
      atStakePence: total,
      evidence: spends.map((s) => spendEvidence(s, what)),
    },
  ];
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function cardFindings(facts: BudgetFacts, settings: AuditSettings): Finding[] {
  const cash = new Set(settings.cashMccs);
  const blocked = new Set(settings.blockedMccs);
  const out = facts.spends.filter(paidOut);
  const isCash = (s: SpendFact) => s.mcc !== null && cash.has(s.mcc);
  const isBlocked = (s: SpendFact) => s.mcc !== null && blocked.has(s.mcc) && !isCash(s);
  const planPayees = new Set(facts.planPayeeNames.map(normalise));
  return [
    ...spendFinding(
      "blocked_merchant",
      out.filter(isBlocked),
      (t, n) => `${t} spent by card at ${plural(n, "merchant", "merchants")} the council blocks`,
      "at",
    ),
    ...spendFinding(
      "cash_without_receipt",
      out.filter((s) => isCash(s) && s.receiptIds.length === 0),
      (t, n) => `${t} taken out in cash with no receipt (${plural(n, "withdrawal", "withdrawals")})`,
      "cash withdrawn at",
    ),
    ...spendFinding(
      "payee_not_in_plan",
      out.filter(
        (s) => !isCash(s) && !isBlocked(s) && s.supportId === null && !planPayees.has(normalise(s.payeeName)),
      ),
      (t, n) => `${t} paid to ${plural(n, "payee", "payees")} the support plan does not include`,
      "paid to",
    ),
  ];
}

function surplusFindings(facts: BudgetFacts, settings: AuditSettings): Finding[] {
  const weekly = facts.weeklyDirectPaymentPence;
  const balance = facts.councilBalancePence;
  if (weekly <= 0) return [];
  const limit = weekly * settings.surplusAboveWeeks;
  const evidence: Evidence = {
    kind: "balance",
    id: null,
    date: null,
    amountPence: balance,
    text: `The account holds ${money(balance)} of council money; the direct payment is ${money(weekly)} a week`,
  };
  if (balance > limit) {
    return [
      {
        kind: "surplus_above_limit",
        severity: "flag",
        summary: `${money(balance)} held: more than ${settings.surplusAboveWeeks} weeks of the direct payment (${money(limit)}), ${money(balance - limit)} above it`,
        atStakePence: balance - limit,
        evidence: [evidence],
      },
    ];
  }
  if (balance < weekly * settings.surplusWarnBelowWeeks) {
    return [
      {
        kind: "low_balance",
        severity: "warning",
        summary: `${money(balance)} held: less than ${settings.surplusWarnBelowWeeks} weeks of the direct payment, so little to fall back on`,
        atStakePence: 0,
        evidence: [evidence],
      },
    ];
  }
  return [];
}

function contributionFindings(facts: BudgetFacts, settings: AuditSettings, asOf: string): Finding[] {
  const overdue = facts.contributionInvoices.filter(
    (i) => !i.paid && addDays(i.raisedOn, settings.contributionOverdueDays) < asOf,
  );
  if (overdue.length === 0) return [];
  const total = sum(overdue.map((i) => i.amountPence));
  return [
    {
      kind: "contribution_not_paid",
      severity: "flag",
      summary: `${money(total)} of the person's contribution not paid in (${plural(overdue.length, "invoice", "invoices")} unpaid after ${settings.contributionOverdueDays} days)`,
      atStakePence: total,
      evidence: overdue.map((i) => ({
        kind: "invoice" as const,
        id: i.invoiceId,
        date: i.raisedOn,
        amountPence: i.amountPence,
        text: `${money(i.amountPence)} for ${dateInWords(i.cycleStart)} to ${dateInWords(i.cycleEnd)}, raised on ${dateInWords(i.raisedOn)}, not paid`,
      })),
    },
  ];
}

/** The latest day anything about spending was recorded: a spend, or a receipt uploaded. */
export function lastEvidenceOn(spends: readonly SpendFact[]): string | null {
  const days = spends.filter(paidOut).flatMap((s) => [s.date, ...(s.lastReceiptOn ? [s.lastReceiptOn] : [])]);
  return days.sort().at(-1) ?? null;
}

function evidenceFindings(facts: BudgetFacts, settings: AuditSettings, asOf: string): Finding[] {
  const days = settings.noEvidenceWeeks * 7;
  if (facts.firstPaymentDate === null || daysBetween(facts.firstPaymentDate, asOf) < days) return [];
  const last = lastEvidenceOn(facts.spends);
  if (last !== null && daysBetween(last, asOf) < days) return [];
  return [
    {
      kind: "no_spending_evidence",
      severity: "flag",
      summary:
        last === null
          ? `No spending or receipt recorded since the first payment on ${dateInWords(facts.firstPaymentDate)}`
          : `No spending or receipt recorded for ${settings.noEvidenceWeeks} weeks: the last was on ${dateInWords(last)}`,
      atStakePence: 0,
      evidence: [
        {
          kind: "last_evidence",
          id: null,
          date: last,
          amountPence: null,
          text:
            last === null
              ? "Nothing recorded since the first payment"
              : `Last spend or receipt on ${dateInWords(last)}`,
        },
      ],
    },
  ];
}

/** Every finding for one budget on the audit date, and its risk score (the sum of its findings' weights). */
export function auditBudget(
  facts: BudgetFacts,
  settings: AuditSettings,
  weights: Readonly<Record<DpFindingKind, number>>,
  asOf: string,
): BudgetAudit {
  const findings = [
    ...cardFindings(facts, settings),
    ...contributionFindings(facts, settings, asOf),
    ...surplusFindings(facts, settings),
    ...evidenceFindings(facts, settings, asOf),
  ];
  return {
    budgetId: facts.budgetId,
    personId: facts.personId,
    findings,
    riskScore: sum(findings.map((f) => weights[f.kind])),
    atStakePence: sum(findings.map((f) => f.atStakePence)),
  };
}

/** Whether a budget belongs on the audit queue: at least one flag (a warning alone does not). */
export const isFlagged = (audit: BudgetAudit) => audit.findings.some((f) => f.severity === "flag");

/**
 * The queue: flagged budgets only, highest risk first; of equal risk, the most money at stake first; then by
 * budget id, so the order never depends on the order the facts were read in.
 */
export function auditQueue<T extends BudgetAudit>(audits: readonly T[]): T[] {
  return audits
    .filter(isFlagged)
    .sort(
      (a, b) =>
        b.riskScore - a.riskScore ||
        b.atStakePence - a.atStakePence ||
        (a.budgetId < b.budgetId ? -1 : a.budgetId > b.budgetId ? 1 : 0),
    );
}
