import { formatPounds, type Pence, pence } from "#/platform/money/pence.ts";
import type { Deployment } from "#/vocabulary/deployments.ts";

/**
 * Which line of the support plan a spend pays for (Upfront issue 6: "matched to plan lines where possible"), and
 * how it was matched, or that it is outside the plan. Pure.
 *
 * In order of certainty, the first that finds a line wins:
 *   1. the spend names the support line (an invoice line with its support id);
 *   2. the payee is the plan line's provider (same directory id);
 *   3. the payee's name is the plan line's provider or assistant (names compared without case, punctuation or
 *      "Ltd"/"Limited"/"CIC"/"the"; a card feed's shortened name counts when one starts with the other);
 *   4. the spend's category is a category the plan has a line for.
 * Where several lines match at one step, the one whose planned amount for the period best covers the spend is
 * chosen (the smallest planned amount at least the spend; else the largest), then the first in the plan.
 * A match says whether the spend is more than the line planned for the period: a matched spend may still be
 * an overspend (alerts.calc.ts).
 */

export type MatchableLine = {
  readonly supportId: string;
  readonly what: string;
  readonly category: string;
  readonly deployment: Deployment | null;
  readonly providerId?: string;
  /** The provider's, assistant's or pooled arrangement's name as the plan gives it. */
  readonly payeeName?: string;
  readonly weeklyPence: Pence;
  readonly oneOffPence: Pence;
};

export type SpendToMatch = {
  readonly amountPence: Pence;
  readonly category: string | null;
  readonly supportId?: string;
  readonly providerId?: string;
  readonly payeeName?: string;
  /** The length of the period the spend covers, in weeks, to compare with a weekly line (1 when not known). */
  readonly weeks?: number;
};

export type MatchHow = "support_line" | "provider" | "payee_name" | "category";

export type PlanMatch =
  | {
      readonly matched: true;
      readonly supportId: string;
      readonly how: MatchHow;
      readonly plannedPence: Pence;
      readonly withinPlanned: boolean;
      readonly explanation: string;
    }
  | { readonly matched: false; readonly explanation: string };

/**
 * What matching reads of a support plan and its costing: planning's SupportPlan and PlanCosting have these
 * fields (spending sits above planning, but a calc may import only calcs, vocabulary and pure platform modules).
 */
export type PlanToMatch = {
  readonly supports: readonly {
    readonly id: string;
    readonly what: string;
    readonly category: string;
    readonly from:
      | {
          readonly kind: "provider" | "personal_assistant";
          readonly providerId?: string | undefined;
          readonly name?: string | undefined;
        }
      | { readonly kind: "pooled"; readonly arrangement: string }
      | { readonly kind: "self_arranged" | "universal" };
  }[];
};
export type PlanCostingToMatch = {
  readonly lines: readonly {
    readonly supportId: string;
    readonly deployment: Deployment | null;
    readonly basis: "weekly" | "one_off" | "none";
    readonly weeklyPence: Pence;
    readonly oneOffPence: Pence;
  }[];
};

/** The plan's lines that cost the budget something, with who provides each, ready to match spends against. */
export function matchableLines(plan: PlanToMatch, costing: PlanCostingToMatch): MatchableLine[] {
  return plan.supports.flatMap((support) => {
    const line = costing.lines.find((l) => l.supportId === support.id);
    if (!line || line.basis === "none") return [];
    const from = support.from;
    const who =
      from.kind === "provider"
        ? { providerId: from.providerId, payeeName: from.name }
        : from.kind === "personal_assistant"
          ? { providerId: from.providerId, payeeName: from.name }
          : from.kind === "pooled"
            ? { payeeName: from.arrangement }
            : {};
    return [
      {
        supportId: support.id,
        what: support.what,
        category: support.category,
        deployment: line.deployment,
        weeklyPence: line.weeklyPence,
        oneOffPence: line.oneOffPence,
        ...Object.fromEntries(Object.entries(who).filter(([, v]) => v !== undefined)),
      },
    ];
  });
}

const STOP_WORDS = new Set(["the", "ltd", "limited", "plc", "cic", "llp", "and", "co"]);

/** "The Riverside Swimming Club Ltd." → "riverside swimming club". */
export function normaliseName(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9 ]+/g, " ")
    .split(/\s+/)
    .filter((w) => w !== "" && !STOP_WORDS.has(w))
    .join(" ");
}

export function namesMatch(a: string, b: string): boolean {
  const x = normaliseName(a);
  const y = normaliseName(b);
  if (x === "" || y === "") return false;
  if (x === y) return true;
  // Card feeds cut merchant names short ("RIVERSIDE SWIMMING CL"): accept a prefix of at least 6 characters.
  const [short, long] = x.length < y.length ? [x, y] : [y, x];
  return short.length >= 6 && long.startsWith(short);
}

const plannedFor = (line: MatchableLine, weeks: number) => pence(line.oneOffPence + line.weeklyPence * weeks);

export function matchSpendToPlan(spend: SpendToMatch, lines: readonly MatchableLine[]): PlanMatch {
  const weeks = spend.weeks ?? 1;
  const pick = (
    how: MatchHow,
    candidates: readonly MatchableLine[],
    because: (l: MatchableLine) => string,
  ): PlanMatch => {
    const covering = candidates
      .filter((l) => plannedFor(l, weeks) >= spend.amountPence)
      .sort((a, b) => plannedFor(a, weeks) - plannedFor(b, weeks));
    const line =
      covering[0] ?? [...candidates].sort((a, b) => plannedFor(b, weeks) - plannedFor(a, weeks))[0]!;
    const planned = plannedFor(line, weeks);
    const withinPlanned = spend.amountPence <= planned;
    const period = weeks === 1 ? "a week" : `${weeks} weeks`;
    const fit = withinPlanned
      ? `${formatPounds(spend.amountPence)} is within the ${formatPounds(planned)} planned for ${period}`
      : `${formatPounds(spend.amountPence)} is more than the ${formatPounds(planned)} planned for ${period}`;
    return {
      matched: true,
      supportId: line.supportId,
      how,
      plannedPence: planned,
      withinPlanned,
      explanation: `Matched to "${line.what}" ${because(line)}; ${fit}`,
    };
  };

  if (spend.supportId !== undefined) {
    const named = lines.filter((l) => l.supportId === spend.supportId);
    if (named.length > 0) return pick("support_line", named, () => "because the spend names that support");
  }
  if (spend.providerId !== undefined) {
    const byProvider = lines.filter((l) => l.providerId === spend.providerId);
    if (byProvider.length > 0)
      return pick("provider", byProvider, () => "because the plan names the same provider");
  }
  if (spend.payeeName !== undefined) {
    const byName = lines.filter(
      (l) => l.payeeName !== undefined && namesMatch(l.payeeName, spend.payeeName!),
    );
    if (byName.length > 0) {
      return pick(
        "payee_name",
        byName,
        (l) => `because the payee "${spend.payeeName}" is "${l.payeeName}" in the plan`,
      );
    }
  }
  if (spend.category !== null) {
    const byCategory = lines.filter((l) => l.category === spend.category);
    if (byCategory.length > 0) {
      return pick(
        "category",
        byCategory,
        () => `because it is in the same support category (${spend.category})`,
      );
    }
  }

  const why =
    spend.supportId !== undefined && !lines.some((l) => l.supportId === spend.supportId)
      ? `the plan has no support line "${spend.supportId}"`
      : spend.category === null
        ? "it has no support category and no plan line names the payee"
        : `no plan line names the payee and the plan has no support in the category ${spend.category}`;
  return { matched: false, explanation: `Outside the plan: ${why}` };
}
