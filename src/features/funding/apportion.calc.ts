import { addPence, formatPounds, type Pence, pence } from "#/platform/money/pence.ts";
import type { Deployment } from "#/vocabulary/deployments.ts";
import type { PlanCosting } from "#/vocabulary/plan-costing.ts";

/**
 * One budget from many funding streams: each support line is split across the streams that may pay for it.
 * Pure and deterministic: the same input gives the same output, to the penny and in the same order.
 *
 * THE RULES, in the order they apply
 *
 * 1. Which streams may pay for a line. A stream may pay for a line only if the line's support category is one
 *    of the stream's categories. Among those, the council's payer order for the category decides who pays and
 *    in what order: only the streams it lists, in its order. The streams given are those open to this person
 *    (the service leaves out, say, an NHS personal health budget the person does not have), so an entry naming
 *    a stream not given is skipped silently; one naming a stream that may not pay for the category is ignored
 *    and reported in `problems` (the config schema refuses it). When
 *    the council has set no payer order for a category, every stream that may pay for it does, in ascending
 *    order of stream id (plain code-point comparison, so it never depends on the locale).
 *
 * 2. Pots. Each stream's pot holds `availablePence` for a period of `periodWeeks` weeks. A weekly line's share
 *    of w pence a week uses w × periodWeeks of the pot; a one-off line's share of p pence uses p. A stream
 *    pays a weekly line at most floor(pot left ÷ periodWeeks) a week, so its shares never add up to more than
 *    its pot. Pots are used at their gross amount, before the person's contribution: a contribution is
 *    collected separately (or netted off a direct payment) and is not money in the pot.
 *
 * 3. Order of lines. When pots are short, whoever comes first is paid first, so the order is fixed: weekly
 *    lines before one-off lines (ongoing support first; a one-off purchase can wait for next period's pot),
 *    and within each, the order the lines are given in (the plan's order). The result lists lines in the order
 *    given, whatever order they were paid in.
 *
 * 4. Each line is paid by its payers in turn, each paying as much as its pot allows, until the line is paid.
 *    What is left is unfunded, with the reason: no stream may pay for the category, the payer order lists
 *    none of the streams that may, or the pots that may pay have run out. Unfunded lines are listed in
 *    `unfunded` so the plan says so before approval.
 *
 * 5. The person's weekly contribution (from the financial assessment) reduces only means-tested streams; a
 *    stream that is not means-tested (an NHS personal health budget always) is never reduced. Exactly:
 *      - the "cells" are the weekly shares paid by means-tested streams, in the order they were paid (rule 3,
 *        then payer order);
 *      - the contribution applied is the lesser of the contribution and the cells' total (nobody pays more
 *        than the means-tested part of the cost of their support); any excess is reported as not applied;
 *      - each cell is reduced by its proportional part, applied × cell ÷ total, rounded down to the penny;
 *        the pennies left over go one each to the cells with the largest remainders, ties to the cell paid
 *        first (the largest remainder method). So the reductions add up exactly to the amount applied, and
 *        no cell is reduced below zero.
 *    One-off shares are not reduced by the weekly contribution.
 *
 * Invariants (checked by apportion.property.test.ts): no stream pays more than its pot; no stream pays a line
 * it may not pay for; for every line, shares + unfunded = its cost; the same input gives the same output.
 */

export type ApportionLineInput = {
  readonly supportId: string;
  /** What the support is; used in the explanation. */
  readonly what?: string;
  readonly category: string;
  readonly deployment: Deployment | null;
  readonly basis: "weekly" | "one_off";
  /** Pence a week for a weekly line; pence once for a one-off line. */
  readonly amountPence: Pence;
};

export type ApportionStreamInput = {
  readonly id: string;
  readonly name: string;
  readonly categories: readonly string[];
  readonly meansTested: boolean;
  /** What the pot has left for the period of `periodWeeks` weeks. */
  readonly availablePence: Pence;
};

export type ApportionInput = {
  readonly lines: readonly ApportionLineInput[];
  readonly streams: readonly ApportionStreamInput[];
  readonly payerOrder: Readonly<Record<string, readonly string[]>>;
  /** The period the pots' available amounts cover, in whole weeks (e.g. the weeks left in the financial year). */
  readonly periodWeeks: number;
  /** The person's weekly contribution from the financial assessment (0 when none). */
  readonly contributionWeeklyPence: Pence;
};

export type StreamShare = {
  readonly streamId: string;
  readonly streamName: string;
  readonly meansTested: boolean;
  /** What the stream pays for the line: a week (weekly lines) or once (one-off lines), before the contribution. */
  readonly grossPence: Pence;
  /** The part of the person's weekly contribution taken off this share (0 for one-off lines and non-means-tested streams). */
  readonly contributionPence: Pence;
  /** grossPence − contributionPence. */
  readonly netPence: Pence;
};

export type UnfundedReason = "no_stream_may_pay" | "not_in_payer_order" | "pots_exhausted";

export type ApportionedLine = {
  readonly supportId: string;
  readonly category: string;
  readonly deployment: Deployment | null;
  readonly basis: "weekly" | "one_off";
  readonly amountPence: Pence;
  /** Who pays, in payer order. */
  readonly shares: readonly StreamShare[];
  readonly unfundedPence: Pence;
  readonly unfundedReason: UnfundedReason | null;
  /** The line's working in plain English. */
  readonly explanation: readonly string[];
};

export type UnfundedLine = {
  readonly supportId: string;
  readonly basis: "weekly" | "one_off";
  readonly unfundedPence: Pence;
  readonly reason: UnfundedReason;
  readonly message: string;
};

export type StreamSummary = {
  readonly streamId: string;
  readonly name: string;
  readonly meansTested: boolean;
  readonly grossWeeklyPence: Pence;
  readonly contributionWeeklyPence: Pence;
  readonly netWeeklyPence: Pence;
  readonly oneOffPence: Pence;
  /** grossWeekly × periodWeeks + oneOff: what the plan uses of the pot. */
  readonly potUsedPence: Pence;
  readonly potLeftPence: Pence;
};

export type DeploymentSummary = {
  readonly deployment: Deployment | null;
  readonly grossWeeklyPence: Pence;
  readonly contributionWeeklyPence: Pence;
  readonly netWeeklyPence: Pence;
  readonly oneOffPence: Pence;
  readonly unfundedWeeklyPence: Pence;
  readonly unfundedOneOffPence: Pence;
};

export type Apportionment = {
  readonly periodWeeks: number;
  /** In the order given. */
  readonly lines: readonly ApportionedLine[];
  /** Every stream, in ascending id order. */
  readonly streams: readonly StreamSummary[];
  /** Deployments used by the lines, in the order they first appear. */
  readonly byDeployment: readonly DeploymentSummary[];
  readonly totals: {
    readonly weeklyCostPence: Pence;
    readonly weeklyFundedPence: Pence;
    readonly weeklyUnfundedPence: Pence;
    readonly oneOffCostPence: Pence;
    readonly oneOffFundedPence: Pence;
    readonly oneOffUnfundedPence: Pence;
  };
  readonly contribution: {
    readonly assessedWeeklyPence: Pence;
    /** The means-tested weekly total the contribution could reduce. */
    readonly meansTestedWeeklyPence: Pence;
    readonly appliedWeeklyPence: Pence;
    readonly notAppliedWeeklyPence: Pence;
    readonly explanation: readonly string[];
  };
  /** Lines (or parts of lines) nobody pays for: to be resolved before approval. */
  readonly unfunded: readonly UnfundedLine[];
  /** Payer-order entries that were ignored, and why. */
  readonly problems: readonly string[];
};

export class ApportionmentError extends Error {
  override name = "ApportionmentError";
}

/** Code-point order, never locale order, so the result is the same on every machine. */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function checkInput(input: ApportionInput): void {
  if (!Number.isSafeInteger(input.periodWeeks) || input.periodWeeks < 1) {
    throw new ApportionmentError(
      `The period must be a whole number of weeks, 1 or more, got ${input.periodWeeks}`,
    );
  }
  const ids = new Set<string>();
  for (const stream of input.streams) {
    if (ids.has(stream.id)) throw new ApportionmentError(`Two funding streams have the id "${stream.id}"`);
    ids.add(stream.id);
    pence(stream.availablePence);
    if (stream.availablePence < 0) throw new ApportionmentError(`${stream.name}'s pot cannot be negative`);
  }
  const lineIds = new Set<string>();
  for (const line of input.lines) {
    if (lineIds.has(line.supportId))
      throw new ApportionmentError(`Two lines have the id "${line.supportId}"`);
    lineIds.add(line.supportId);
    pence(line.amountPence);
    if (line.amountPence < 0) throw new ApportionmentError(`Line "${line.supportId}" has a negative cost`);
  }
  pence(input.contributionWeeklyPence);
  if (input.contributionWeeklyPence < 0) throw new ApportionmentError("The contribution cannot be negative");
}

type Payers = { payers: ApportionStreamInput[]; permitted: ApportionStreamInput[]; orderNote: string };

/** Rule 1: who may pay for a category, in order, and the problems with the council's order. */
function payersFor(
  category: string,
  streams: readonly ApportionStreamInput[],
  payerOrder: ApportionInput["payerOrder"],
  problems: Set<string>,
): Payers {
  const permitted = streams
    .filter((s) => s.categories.includes(category))
    .sort((a, b) => byCodePoint(a.id, b.id));
  const order = Object.hasOwn(payerOrder, category) ? payerOrder[category] : undefined;
  if (order === undefined) {
    return {
      payers: permitted,
      permitted,
      orderNote: `The council has set no payer order for ${category}, so the funds that may pay for it do so in order of their id.`,
    };
  }
  const payers: ApportionStreamInput[] = [];
  for (const id of order) {
    const stream = streams.find((s) => s.id === id);
    // A stream not given is not open to this person: skipped.
    if (!stream) continue;
    if (!stream.categories.includes(category)) {
      problems.add(
        `The payer order for ${category} names ${stream.name}, which may not pay for it: ignored.`,
      );
    } else if (!payers.includes(stream)) {
      payers.push(stream);
    }
  }
  return {
    payers,
    permitted,
    orderNote: `The council's payer order for ${category}: ${payers.map((s) => s.name).join(", ") || "(none)"}.`,
  };
}

type WorkingShare = { stream: ApportionStreamInput; gross: number; contribution: number };
type WorkingLine = {
  input: ApportionLineInput;
  shares: WorkingShare[];
  unfunded: number;
  reason: UnfundedReason | null;
  explanation: string[];
};

const per = (basis: "weekly" | "one_off") => (basis === "weekly" ? " a week" : "");

export function apportion(input: ApportionInput): Apportionment {
  checkInput(input);
  const weeks = input.periodWeeks;
  const problems = new Set<string>();
  const potLeft = new Map(input.streams.map((s) => [s.id, s.availablePence as number]));

  const working: WorkingLine[] = input.lines.map((line) => ({
    input: line,
    shares: [],
    unfunded: 0,
    reason: null,
    explanation: [],
  }));
  // Rule 3: weekly lines first, then one-off lines, each in the order given (Array.prototype.sort is stable).
  const payOrder = [...working].sort(
    (a, b) => (a.input.basis === "weekly" ? 0 : 1) - (b.input.basis === "weekly" ? 0 : 1),
  );

  for (const line of payOrder) {
    const { category, basis, amountPence } = line.input;
    const label = line.input.what ?? line.input.supportId;
    line.explanation.push(`${label} (${category}): ${formatPounds(amountPence)}${per(basis)}.`);
    if (amountPence === 0) continue;
    const { payers, permitted, orderNote } = payersFor(category, input.streams, input.payerOrder, problems);
    line.explanation.push(orderNote);
    let remaining: number = amountPence;
    const useOfPot = basis === "weekly" ? weeks : 1;
    for (const stream of payers) {
      if (remaining === 0) break;
      const left = potLeft.get(stream.id)!;
      const capacity = Math.floor(left / useOfPot);
      const take = Math.min(remaining, capacity);
      if (take === 0) {
        line.explanation.push(`${stream.name} has no money left in its pot for this period.`);
        continue;
      }
      potLeft.set(stream.id, left - take * useOfPot);
      remaining -= take;
      line.shares.push({ stream, gross: take, contribution: 0 });
      line.explanation.push(
        `${stream.name} pays ${formatPounds(pence(take))}${per(basis)}${remaining > 0 ? ", all its pot allows for this period" : ""}.`,
      );
    }
    if (remaining > 0) {
      line.unfunded = remaining;
      line.reason =
        permitted.length === 0
          ? "no_stream_may_pay"
          : payers.length === 0
            ? "not_in_payer_order"
            : "pots_exhausted";
      line.explanation.push(unfundedMessage(line.reason, pence(remaining), basis, category, permitted));
    }
  }

  // Rule 5: the contribution, over the means-tested weekly cells in the order they were paid.
  const cells = payOrder.flatMap((line) =>
    line.input.basis === "weekly" ? line.shares.filter((s) => s.stream.meansTested) : [],
  );
  const meansTestedTotal = cells.reduce((sum, c) => sum + c.gross, 0);
  const assessed = input.contributionWeeklyPence as number;
  const applied = Math.min(assessed, meansTestedTotal);
  if (applied > 0) {
    const remainders = cells.map((cell, index) => {
      const exact = BigInt(applied) * BigInt(cell.gross);
      const floor = exact / BigInt(meansTestedTotal);
      cell.contribution = Number(floor);
      return { cell, index, remainder: exact - floor * BigInt(meansTestedTotal) };
    });
    let leftOver = applied - cells.reduce((sum, c) => sum + c.contribution, 0);
    remainders.sort((a, b) =>
      a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
    );
    for (const r of remainders) {
      if (leftOver === 0) break;
      r.cell.contribution += 1;
      leftOver -= 1;
    }
  }

  const lines: ApportionedLine[] = working.map((line) => ({
    supportId: line.input.supportId,
    category: line.input.category,
    deployment: line.input.deployment,
    basis: line.input.basis,
    amountPence: line.input.amountPence,
    shares: line.shares.map((s) => ({
      streamId: s.stream.id,
      streamName: s.stream.name,
      meansTested: s.stream.meansTested,
      grossPence: pence(s.gross),
      contributionPence: pence(s.contribution),
      netPence: pence(s.gross - s.contribution),
    })),
    unfundedPence: pence(line.unfunded),
    unfundedReason: line.reason,
    explanation: line.explanation,
  }));

  const streams: StreamSummary[] = [...input.streams]
    .sort((a, b) => byCodePoint(a.id, b.id))
    .map((stream) => {
      const mine = lines.flatMap((l) =>
        l.shares.filter((s) => s.streamId === stream.id).map((s) => ({ l, s })),
      );
      const weekly = mine.filter(({ l }) => l.basis === "weekly");
      const gross = sum(weekly.map(({ s }) => s.grossPence));
      const contribution = sum(weekly.map(({ s }) => s.contributionPence));
      const oneOff = sum(mine.filter(({ l }) => l.basis === "one_off").map(({ s }) => s.grossPence));
      return {
        streamId: stream.id,
        name: stream.name,
        meansTested: stream.meansTested,
        grossWeeklyPence: gross,
        contributionWeeklyPence: contribution,
        netWeeklyPence: pence(gross - contribution),
        oneOffPence: oneOff,
        potUsedPence: pence(gross * weeks + oneOff),
        potLeftPence: pence(potLeft.get(stream.id)!),
      };
    });

  const deployments: (Deployment | null)[] = [];
  for (const line of lines) if (!deployments.includes(line.deployment)) deployments.push(line.deployment);
  const byDeployment: DeploymentSummary[] = deployments.map((deployment) => {
    const mine = lines.filter((l) => l.deployment === deployment);
    const weekly = mine.filter((l) => l.basis === "weekly");
    const oneOff = mine.filter((l) => l.basis === "one_off");
    const gross = sum(weekly.flatMap((l) => l.shares.map((s) => s.grossPence)));
    const contribution = sum(weekly.flatMap((l) => l.shares.map((s) => s.contributionPence)));
    return {
      deployment,
      grossWeeklyPence: gross,
      contributionWeeklyPence: contribution,
      netWeeklyPence: pence(gross - contribution),
      oneOffPence: sum(oneOff.flatMap((l) => l.shares.map((s) => s.grossPence))),
      unfundedWeeklyPence: sum(weekly.map((l) => l.unfundedPence)),
      unfundedOneOffPence: sum(oneOff.map((l) => l.unfundedPence)),
    };
  });

  const weeklyLines = lines.filter((l) => l.basis === "weekly");
  const oneOffLines = lines.filter((l) => l.basis === "one_off");
  const totals = {
    weeklyCostPence: sum(weeklyLines.map((l) => l.amountPence)),
    weeklyFundedPence: sum(weeklyLines.flatMap((l) => l.shares.map((s) => s.grossPence))),
    weeklyUnfundedPence: sum(weeklyLines.map((l) => l.unfundedPence)),
    oneOffCostPence: sum(oneOffLines.map((l) => l.amountPence)),
    oneOffFundedPence: sum(oneOffLines.flatMap((l) => l.shares.map((s) => s.grossPence))),
    oneOffUnfundedPence: sum(oneOffLines.map((l) => l.unfundedPence)),
  };

  const unfunded: UnfundedLine[] = lines.flatMap((l) =>
    l.unfundedReason === null
      ? []
      : [
          {
            supportId: l.supportId,
            basis: l.basis,
            unfundedPence: l.unfundedPence,
            reason: l.unfundedReason,
            message: l.explanation.at(-1)!,
          },
        ],
  );

  return {
    periodWeeks: weeks,
    lines,
    streams,
    byDeployment,
    totals,
    contribution: {
      assessedWeeklyPence: pence(assessed),
      meansTestedWeeklyPence: pence(meansTestedTotal),
      appliedWeeklyPence: pence(applied),
      notAppliedWeeklyPence: pence(assessed - applied),
      explanation: contributionExplanation(assessed, meansTestedTotal, streams),
    },
    unfunded,
    problems: [...problems],
  };
}

function sum(amounts: readonly Pence[]): Pence {
  return addPence(...amounts);
}

function unfundedMessage(
  reason: UnfundedReason,
  amount: Pence,
  basis: "weekly" | "one_off",
  category: string,
  permitted: readonly ApportionStreamInput[],
): string {
  const what = `${formatPounds(amount)}${per(basis)}`;
  if (reason === "no_stream_may_pay") {
    return `No funding stream may pay for ${category}, so ${what} of this support has no funding: change the support, or ask the council to add a stream that may pay for it.`;
  }
  if (reason === "not_in_payer_order") {
    return `${permitted.map((s) => s.name).join(", ")} may pay for ${category}, but the council's payer order for it lists none of them, so ${what} has no funding.`;
  }
  return `The funds the council uses for ${category} have no more money in their pots for this period, so ${what} has no funding.`;
}

function contributionExplanation(
  assessed: number,
  meansTested: number,
  streams: readonly StreamSummary[],
): string[] {
  if (assessed === 0) return ["You have no weekly contribution to pay."];
  const reduced = streams
    .filter((s) => s.contributionWeeklyPence > 0)
    .map((s) => `${s.name} by ${formatPounds(s.contributionWeeklyPence)}`);
  const notReduced = streams.filter((s) => !s.meansTested && s.grossWeeklyPence > 0).map((s) => s.name);
  const out = [`Your assessed contribution is ${formatPounds(pence(assessed))} a week.`];
  if (meansTested === 0) {
    out.push(
      "None of your weekly support is paid by a means-tested fund, so there is nothing for your contribution to pay towards: you pay nothing.",
    );
  } else {
    if (assessed > meansTested) {
      out.push(
        `Only ${formatPounds(pence(meansTested))} a week of your support is paid by means-tested funds, so that is the most you pay.`,
      );
    }
    out.push(
      `It is taken off what the means-tested funds pay, in proportion to what each pays: ${reduced.join(", ")} a week.`,
    );
  }
  if (notReduced.length > 0) {
    out.push(
      `${notReduced.join(", ")} ${notReduced.length === 1 ? "is" : "are"} not means-tested, so never reduced.`,
    );
  }
  return out;
}

/** The plan's costed lines as apportionment input: weekly and one-off lines; free lines need no funding. */
export function linesFromCosting(costing: PlanCosting): ApportionLineInput[] {
  return costing.lines.flatMap((line): ApportionLineInput[] => {
    if (line.basis === "none") return [];
    return [
      {
        supportId: line.supportId,
        what: line.what,
        category: line.category,
        deployment: line.deployment,
        basis: line.basis,
        amountPence: line.basis === "weekly" ? line.weeklyPence : line.oneOffPence,
      },
    ];
  });
}
