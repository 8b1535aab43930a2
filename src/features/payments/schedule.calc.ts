import { addDays, daysBetween, PayDateError } from "#/features/payments/pay-dates.calc.ts";
import { addMonths } from "#/platform/dates/calendar.ts";
import { type Pence, pence } from "#/platform/money/pence.ts";
import type { ContributionCollection, PaymentFrequency, PaymentRules } from "#/rules/payment-types.ts";
import type { Deployment } from "#/vocabulary/deployments.ts";

/**
 * A live budget's payment schedule: its cycles, what each payee account is paid in each, the person's
 * contribution (netted from the direct payment or invoiced), and, after an end date, what was paid for days after
 * it and is owed back. Pure: dates in (YYYY-MM-DD), amounts in pence.
 *
 * Cycles. Cycle k runs from the anchor + k cycles (k may be negative) to the day before cycle k+1: 7 days
 * (weekly), 28 days (4-weekly) or a calendar month by the corresponding date rule (monthly; an anchor on the 31st
 * gives 28 February). A cycle is paid in advance, on its first day, or on the budget's start day for the cycle the
 * budget starts in (the council's rules may say in arrears instead: its last day covered). The cycle containing the end date is paid up to the end date only; later cycles are not paid.
 *
 * Amounts. A full cycle is weekly × 1, weekly × 4, or weekly × 52 / 12 (monthly: a year of 12 months is 52 weeks,
 * as platform/money/periods.ts states); a part cycle is the full amount × days covered / days in the cycle.
 *
 * Rounding: to the penny with the remainder carried. For each line, the exact amount owed from the budget's start
 * to the end of each cycle is rounded to the nearest penny (halves up), and a cycle is paid the difference between
 * that and the same figure at the end of the cycle before. No cycle is a whole penny from its exact amount (each
 * end is within half a penny), nothing drifts, and any run of cycles adds up to the rounded exact total: 52 weeks of a weekly or
 * 4-weekly budget add up to exactly weekly × 52, the annual amount (schedule.calc.test.ts proves it by property).
 * The contribution is worked out the same way.
 *
 * Contribution. Netted: taken off the cycle's direct payment (the lines whose deployment is direct_payment, in
 * line order), never below zero; what the direct payment cannot cover is invoiced for that cycle. Invoiced: the
 * whole of each cycle's contribution is invoiced. A payment netted to 0 is still listed (its netting is a record)
 * but is not sent to the bank.
 *
 * One-off costs are paid once, in the first cycle due on or after the day the plan was approved.
 *
 * Each payment has a deterministic key per (budget, cycle, payee account) — the exactly-once key a payment run
 * stores, so running the same cycle again finds the payment already made.
 */

export type ScheduleLine = {
  readonly payeeAccountId: string;
  readonly fundingStreamId: string;
  readonly deployment: Deployment;
  readonly weekly: Pence;
};

export type OneOffCost = {
  readonly payeeAccountId: string;
  readonly fundingStreamId: string;
  readonly deployment: Deployment;
  readonly amount: Pence;
  readonly description: string;
};

export type ScheduleInput = {
  readonly budgetId: string;
  /** First day the budget pays for. */
  readonly startDate: string;
  /** Last day it pays for (end of support, death, or the day before a new budget starts); absent while open. */
  readonly endDate?: string;
  readonly approvedOn: string;
  /** The first day of some cycle (the council's cycle anchor); cycles repeat from it in both directions. */
  readonly anchorDate: string;
  readonly frequency: PaymentFrequency;
  readonly lines: readonly ScheduleLine[];
  readonly oneOffs?: readonly OneOffCost[];
  readonly contribution?: { readonly weekly: Pence; readonly collection: ContributionCollection };
  /** List the cycles that start on or before this day (an open budget needs a horizon). */
  readonly through: string;
};

export type PaymentPart = {
  readonly kind: "regular" | "one_off" | "contribution_netted";
  /** Absent on the netted contribution, which is the person's money, not a stream's. */
  readonly fundingStreamId?: string;
  readonly deployment?: Deployment;
  /** Negative for the netted contribution. */
  readonly amount: Pence;
  readonly description?: string;
};

export type ScheduledPayment = {
  /** The exactly-once key: budget, cycle start and payee account. */
  readonly key: string;
  readonly budgetId: string;
  readonly cycleStart: string;
  readonly payeeAccountId: string;
  /** What to pay: the sum of the parts (0 when netting took it all). */
  readonly amount: Pence;
  readonly parts: readonly PaymentPart[];
};

export type ScheduleCycle = {
  readonly start: string;
  readonly end: string;
  /** The day the cycle is due to be paid (before moving to a banking day: pay-dates.calc.ts). */
  readonly dueDate: string;
  /** The days of the cycle the budget pays for. */
  readonly coveredFrom: string;
  readonly coveredTo: string;
  readonly daysCovered: number;
  readonly daysInCycle: number;
  readonly payments: readonly ScheduledPayment[];
  /** The person's contribution for the cycle, and how much of it is netted and how much invoiced. */
  readonly contribution: { readonly due: Pence; readonly netted: Pence; readonly invoiced: Pence };
};

export type Schedule = {
  readonly budgetId: string;
  readonly frequency: PaymentFrequency;
  readonly cycles: readonly ScheduleCycle[];
};

export type ScheduleProblem = { readonly field: string; readonly message: string };

export class ScheduleError extends Error {
  override name = "ScheduleError";
  readonly problems: readonly ScheduleProblem[];
  constructor(problems: readonly ScheduleProblem[]) {
    super(`The payment schedule cannot be worked out: ${problems.map((p) => p.message).join("; ")}`);
    this.problems = problems;
  }
}

/** The exactly-once key of a payment. */
export const paymentKey = (budgetId: string, cycleStart: string, payeeAccountId: string): string =>
  `payment:${budgetId}:${cycleStart}:${payeeAccountId}`;

/**
 * Exact amounts are counted in 1/DENOMINATOR pence: divisible by 7 (days in a week) and by 12 × 28…31 (a monthly
 * cycle's share of a 52-week year, per day), so every part-cycle amount is a whole number of units.
 */
const DENOMINATOR = 4_530_960n; // 2^4 × 3^2 × 5 × 7 × 29 × 31

/** Nearest penny, halves up (amounts here are never negative). */
const roundUnits = (units: bigint): number => Number((2n * units + DENOMINATOR) / (2n * DENOMINATOR));

/** Exact units for `weekly` over `days` of a cycle `daysInCycle` long. */
function exactUnits(weekly: number, frequency: PaymentFrequency, days: number, daysInCycle: number): bigint {
  const w = BigInt(weekly);
  if (frequency === "monthly") return (w * 52n * BigInt(days) * DENOMINATOR) / (12n * BigInt(daysInCycle));
  return (w * BigInt(days) * DENOMINATOR) / 7n;
}

/** The start of cycle k. */
function cycleStartAt(anchor: string, frequency: PaymentFrequency, k: number): string {
  if (frequency === "monthly") return addMonths(anchor, k);
  return addDays(anchor, k * (frequency === "weekly" ? 7 : 28));
}

/** The index of the cycle containing a date. */
function cycleIndexOf(anchor: string, frequency: PaymentFrequency, date: string): number {
  if (frequency !== "monthly")
    return Math.floor(daysBetween(anchor, date) / (frequency === "weekly" ? 7 : 28));
  let k =
    (Number(date.slice(0, 4)) - Number(anchor.slice(0, 4))) * 12 +
    Number(date.slice(5, 7)) -
    Number(anchor.slice(5, 7));
  while (cycleStartAt(anchor, frequency, k) > date) k--;
  while (cycleStartAt(anchor, frequency, k + 1) <= date) k++;
  return k;
}

const isDate = (value: string) => {
  try {
    daysBetween(value, value);
    return true;
  } catch (error) {
    if (error instanceof PayDateError) return false;
    throw error;
  }
};

function validate(input: ScheduleInput, rules: PaymentRules): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  const dates: [keyof ScheduleInput, string | undefined, string][] = [
    ["startDate", input.startDate, "start date"],
    ["endDate", input.endDate, "end date"],
    ["approvedOn", input.approvedOn, "approval date"],
    ["anchorDate", input.anchorDate, "cycle anchor date"],
    ["through", input.through, "date to work the schedule out to"],
  ];
  for (const [field, value, label] of dates)
    if (value !== undefined && !isDate(value))
      problems.push({
        field,
        message: `The ${label} must be a real date written YYYY-MM-DD, got "${value}"`,
      });
  if (problems.length > 0) return problems;
  if (!rules.frequencies.includes(input.frequency))
    problems.push({
      field: "frequency",
      message: `Payments are made ${rules.frequencies.join(", ")}; "${input.frequency}" is not one of them`,
    });
  if (input.endDate !== undefined && input.endDate < input.startDate)
    problems.push({ field: "endDate", message: "The end date cannot be before the start date" });
  if (input.through < input.startDate)
    problems.push({
      field: "through",
      message: "Work the schedule out to a date on or after the start date",
    });
  else if (daysBetween(input.startDate, input.through) > rules.maxScheduleYears * 366)
    problems.push({
      field: "through",
      message: `A schedule covers at most ${rules.maxScheduleYears} years; check the dates`,
    });
  const money = (value: number, field: string, what: string, allowZero: boolean) => {
    if (!Number.isSafeInteger(value) || value < 0 || (!allowZero && value === 0))
      problems.push({
        field,
        message: `${what} must be a whole number of pence${allowZero ? ", 0 or more" : " above zero"}, got ${value}`,
      });
  };
  input.lines.forEach((line, i) => {
    money(line.weekly, `lines.${i}.weekly`, `Line ${i + 1}'s weekly amount`, true);
  });
  (input.oneOffs ?? []).forEach((cost, i) => {
    money(cost.amount, `oneOffs.${i}.amount`, `One-off cost ${i + 1} (${cost.description})`, false);
  });
  if (input.contribution)
    money(input.contribution.weekly, "contribution.weekly", "The weekly contribution", true);
  return problems;
}

// ISO dates compare correctly as strings.
const later = (a: string, b: string) => (a > b ? a : b);
const earlier = (a: string, b: string) => (a < b ? a : b);

/** Carries the remainder: the amount for a cycle is round(cumulative now) − round(cumulative before). */
class Carried {
  private units = 0n;
  private paid = 0;
  add(units: bigint): Pence {
    this.units += units;
    const total = roundUnits(this.units);
    const amount = total - this.paid;
    this.paid = total;
    return pence(amount);
  }
}

/** Works out the schedule, or throws ScheduleError listing every problem. */
export function paymentSchedule(input: ScheduleInput, rules: PaymentRules): Schedule {
  const problems = validate(input, rules);
  if (problems.length > 0) throw new ScheduleError(problems);

  const lastDay = input.endDate !== undefined && input.endDate < input.through ? input.endDate : undefined;
  const lineCarry = input.lines.map(() => new Carried());
  const contributionCarry = new Carried();
  let oneOffsPaid = false;
  const cycles: ScheduleCycle[] = [];

  for (let k = cycleIndexOf(input.anchorDate, input.frequency, input.startDate); ; k++) {
    const start = cycleStartAt(input.anchorDate, input.frequency, k);
    if (start > input.through || (input.endDate !== undefined && start > input.endDate)) break;
    const end = addDays(cycleStartAt(input.anchorDate, input.frequency, k + 1), -1);
    const coveredFrom = later(start, input.startDate);
    const coveredTo = input.endDate !== undefined ? earlier(end, input.endDate) : end;
    const daysInCycle = daysBetween(start, end) + 1;
    const daysCovered = daysBetween(coveredFrom, coveredTo) + 1;
    const dueDate = rules.paidInAdvance ? coveredFrom : coveredTo;

    // Gross parts per payee, in line order, so a payee's payment lists its streams as the plan does.
    const byPayee = new Map<string, PaymentPart[]>();
    const partsOf = (payee: string) => {
      let parts = byPayee.get(payee);
      if (!parts) {
        parts = [];
        byPayee.set(payee, parts);
      }
      return parts;
    };
    input.lines.forEach((line, i) => {
      const amount = lineCarry[i]!.add(exactUnits(line.weekly, input.frequency, daysCovered, daysInCycle));
      if (amount > 0)
        partsOf(line.payeeAccountId).push({
          kind: "regular",
          fundingStreamId: line.fundingStreamId,
          deployment: line.deployment,
          amount,
        });
    });
    if (!oneOffsPaid && dueDate >= input.approvedOn) {
      oneOffsPaid = true;
      for (const cost of input.oneOffs ?? [])
        partsOf(cost.payeeAccountId).push({
          kind: "one_off",
          fundingStreamId: cost.fundingStreamId,
          deployment: cost.deployment,
          amount: cost.amount,
          description: cost.description,
        });
    }

    const due = input.contribution
      ? contributionCarry.add(
          exactUnits(input.contribution.weekly, input.frequency, daysCovered, daysInCycle),
        )
      : pence(0);
    let left: number = input.contribution?.collection === "net_from_direct_payment" ? due : 0;
    // Net from direct-payment parts in line order; never below zero.
    for (const parts of byPayee.values()) {
      if (left === 0) break;
      const directPayment = parts
        .filter((p) => p.deployment === "direct_payment")
        .reduce((sum, p) => sum + p.amount, 0);
      const netted = Math.min(left, directPayment);
      if (netted > 0) {
        parts.push({ kind: "contribution_netted", amount: pence(-netted) });
        left -= netted;
      }
    }
    const invoiced = input.contribution?.collection === "invoice" ? due : pence(left);

    const payments: ScheduledPayment[] = [...byPayee].map(([payeeAccountId, parts]) => ({
      key: paymentKey(input.budgetId, start, payeeAccountId),
      budgetId: input.budgetId,
      cycleStart: start,
      payeeAccountId,
      amount: pence(parts.reduce((sum, p) => sum + p.amount, 0)),
      parts,
    }));
    cycles.push({
      start,
      end,
      dueDate,
      coveredFrom,
      coveredTo,
      daysCovered,
      daysInCycle,
      payments,
      contribution: { due, netted: pence(due - invoiced), invoiced },
    });
    if (lastDay !== undefined && end >= lastDay) break;
  }
  return { budgetId: input.budgetId, frequency: input.frequency, cycles };
}

export type Reconciliation = {
  readonly key: string;
  readonly paid: Pence;
  /** What the schedule (worked out with the end date) says was due. */
  readonly due: Pence;
  /** Paid for days after the end date: to be recovered. */
  readonly owedBack: Pence;
  /** Due but not yet paid. */
  readonly owedToPayee: Pence;
};

/**
 * Compares what was paid with what the schedule says was due, payment by payment (by key). After an end date the
 * schedule pays the last cycle only up to it and nothing after, so the difference is the money paid for periods
 * after the end date, owed back. A payment the schedule no longer has was due 0.
 */
export function reconcilePayments(
  schedule: Schedule,
  paid: readonly { readonly key: string; readonly amount: Pence }[],
): Reconciliation[] {
  const due = new Map<string, number>();
  for (const cycle of schedule.cycles) for (const p of cycle.payments) due.set(p.key, p.amount);
  const paidByKey = new Map<string, number>();
  for (const p of paid) paidByKey.set(p.key, (paidByKey.get(p.key) ?? 0) + p.amount);
  return [...paidByKey].map(([key, amount]) => {
    const dueAmount = due.get(key) ?? 0;
    return {
      key,
      paid: pence(amount),
      due: pence(dueAmount),
      owedBack: pence(Math.max(0, amount - dueAmount)),
      owedToPayee: pence(Math.max(0, dueAmount - amount)),
    };
  });
}
