import { formatPounds, type Pence, pence } from "#/platform/money/pence.ts";
import type { SpendingRules } from "#/rules/spending-types.ts";

/**
 * Surplus: how much unspent council money a budget holds above what the council lets it keep, and so how much
 * a finance officer may be asked to recover (Upfront issue 6, "Surplus"). Pure.
 *
 * - The limit is the council's, set in weeks of the budget's weekly amount and dated (a new setting applies from
 *   its date, never back); without one, the rule pack's council policy default (8 weeks).
 * - Top-ups are the person's (or family's) own money: they are taken out first and never counted as council money.
 * - Money already promised (unpaid invoices, card payments authorised but not settled) is not surplus.
 * - The result is only ever a proposal, for a finance officer to approve: nothing is taken automatically, and the
 *   explanation is written for the person to read.
 */

/** One dated version of the council's surplus setting. */
export type SurplusLimitSetting = {
  readonly validFrom: string;
  readonly weeks: number;
  /** Where the council decided it, in words (e.g. "Direct payments policy 2025, section 9"). */
  readonly source: string;
};

export type SurplusLimit = { readonly weeks: number; readonly source: string; readonly councilSet: boolean };

/** The council's setting in force on `onDate` (the latest starting on or before it), else the rule pack's default. */
export function surplusLimitOn(
  settings: readonly SurplusLimitSetting[],
  onDate: string,
  rules: SpendingRules,
): SurplusLimit {
  const inForce = settings
    .filter((s) => s.validFrom <= onDate)
    .reduce<SurplusLimitSetting | undefined>(
      (best, s) => (!best || s.validFrom > best.validFrom ? s : best),
      undefined,
    );
  return inForce
    ? { weeks: inForce.weeks, source: inForce.source, councilSet: true }
    : { weeks: rules.surplus.defaultLimitWeeks, source: rules.surplus.source.title, councilSet: false };
}

export type SurplusInput = {
  /** The budget's weekly amount of council money. */
  readonly weeklyBudgetPence: Pence;
  readonly limit: SurplusLimit;
  /** What the budget's account holds now, own money included. */
  readonly balancePence: Pence;
  /** The person's own money (top-ups) within that balance, as the ledger accounts for it. */
  readonly topUpPence: Pence;
  /** Promised but not yet paid: unpaid invoices and pending card authorisations. */
  readonly committedPence: Pence;
  /** Below this, a surplus is not worth recovering (council setting; 0 when none). */
  readonly minimumRecoveryPence?: Pence;
};

export type SurplusProposal = {
  readonly outcome: "no_surplus" | "below_minimum" | "recovery_proposed";
  readonly councilMoneyPence: Pence;
  /** Council money neither spent nor promised (may be negative when more is promised than held). */
  readonly uncommittedPence: Pence;
  readonly limitPence: Pence;
  /** What to recover: 0 unless a recovery is proposed. */
  readonly recoveryPence: Pence;
  /** Always true: a recovery is only ever proposed, for a finance officer to approve. */
  readonly needsApproval: true;
  /** Plain English for the person, one sentence a line. */
  readonly explanation: readonly string[];
};

export function proposeSurplusRecovery(input: SurplusInput): SurplusProposal {
  const {
    weeklyBudgetPence: weekly,
    balancePence: balance,
    topUpPence: topUp,
    committedPence: committed,
  } = input;
  for (const [what, v] of [
    ["weekly amount", weekly],
    ["top-ups", topUp],
    ["money promised", committed],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0)
      throw new RangeError(`The ${what} must be whole pence, not negative`);
  }
  if (!Number.isSafeInteger(input.limit.weeks) || input.limit.weeks < 0) {
    throw new RangeError("The surplus limit must be a whole number of weeks, not negative");
  }
  if (topUp > balance) {
    throw new RangeError("The top-ups held cannot be more than the balance: the ledger keeps them apart");
  }

  const councilMoney = pence(balance - topUp);
  const uncommitted = pence(councilMoney - committed);
  const limit = pence(weekly * input.limit.weeks);
  const above = uncommitted - limit;
  const minimum = input.minimumRecoveryPence ?? 0;
  const money = formatPounds;

  const explanation = [`Your budget account holds ${money(balance)}.`];
  if (topUp > 0) {
    explanation.push(
      `${money(topUp)} of that is your own money that you added. It is yours and is never counted here.`,
    );
  }
  if (committed > 0) {
    explanation.push(
      `${money(committed)} is already promised to pay for your support (bills not yet paid and card payments still going through).`,
    );
  }
  explanation.push(
    `That leaves ${money(pence(Math.max(0, uncommitted)))} of council money not yet spent or promised.`,
    `The council lets a budget keep up to ${input.limit.weeks} weeks of its weekly amount: ${input.limit.weeks} × ${money(weekly)} = ${money(limit)}.`,
  );

  if (above <= 0) {
    explanation.push("That is within what your budget may keep, so nothing will be taken back.");
    return {
      outcome: "no_surplus",
      councilMoneyPence: councilMoney,
      uncommittedPence: uncommitted,
      limitPence: limit,
      recoveryPence: pence(0),
      needsApproval: true,
      explanation,
    };
  }
  if (above < minimum) {
    explanation.push(
      `That is ${money(pence(above))} more, which is less than the ${money(pence(minimum))} the council would ask for back, so nothing will be taken back.`,
    );
    return {
      outcome: "below_minimum",
      councilMoneyPence: councilMoney,
      uncommittedPence: uncommitted,
      limitPence: limit,
      recoveryPence: pence(0),
      needsApproval: true,
      explanation,
    };
  }
  explanation.push(
    `That is ${money(pence(above))} more, so the council proposes to take back ${money(pence(above))}.`,
    "A finance officer must agree it first: nothing is taken automatically.",
    "If you have plans for this money (a holiday, equipment, saving for support you need), tell the council before then.",
  );
  return {
    outcome: "recovery_proposed",
    councilMoneyPence: councilMoney,
    uncommittedPence: uncommitted,
    limitPence: limit,
    recoveryPence: pence(above),
    needsApproval: true,
    explanation,
  };
}
