import { budgetAccountIn } from "#/features/budgets/accounts.ts";
import { currentBudgetIn, liveBudgetsIn } from "#/features/budgets/service.ts";
import { ensureAccountIn, transferIn } from "#/features/ledger/service.ts";
import { importCardFeedIn } from "#/features/spending/card-import.ts";
import { linkCardIn } from "#/features/spending/cards.ts";
import type { TxContext } from "#/platform/context.ts";

/**
 * Demo spending: the demo person with a live budget (person2) has a prepaid card (DP-0001) and some spending on
 * it, so their budget page has a balance, a statement and an alert to show. The council's payment into the
 * direct-payment account is written the way a payment run writes it (stream → budget); the card transactions go
 * through the real card-feed import. Days are counted back from `today`, so the demo always looks current.
 */

const shift = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export async function seedDemoSpending(t: TxContext): Promise<{ spends: number }> {
  const { tx } = t;
  // The earliest live budget: the one plans-seed.ts approved.
  const budgets = await liveBudgetsIn(tx, t.today);
  const personId = budgets.sort((a, b) => (a.startDate < b.startDate ? -1 : 1))[0]?.personId;
  if (!personId) return { spends: 0 };
  const budget = await currentBudgetIn(tx, personId);
  if (!budget?.lines.some((l) => l.deployment === "direct_payment")) return { spends: 0 };

  const dpWeekly = budget.lines
    .filter((l) => l.deployment === "direct_payment")
    .reduce((s, l) => s + l.netWeeklyPence, 0);
  const streamId = budget.lines.find((l) => l.deployment === "direct_payment")!.streamId;
  const stream = await ensureAccountIn(t, { code: `stream:${streamId}`, kind: "stream", streamId });
  const account = await budgetAccountIn(t, budget, "direct_payment");
  // Two 4-weekly payments in advance: from the budget's start, and four weeks later.
  for (const [n, date] of [budget.startDate, shift(budget.startDate, 28)].entries()) {
    if (date > t.today) continue;
    await transferIn(t, {
      type: "posted",
      idempotencyKey: `demo-payment:${budget.budgetId}:${n + 1}`,
      debitAccountId: stream.accountId,
      creditAccountId: account.accountId,
      amount: dpWeekly * 4,
      code: "payment",
      refKind: "payment",
      refId: `demo-${n + 1}`,
    });
  }
  await linkCardIn(t, {
    provider: "upfront",
    cardId: "DP-0001",
    personId,
    cashWithdrawalsPermitted: false,
  });
  const day = (n: number, time: string) => `${shift(budget.startDate, n)}T${time}`;
  const rows = [
    [
      "T-1001",
      day(2, "19:00:00"),
      "purchase",
      "settled",
      (Math.round(dpWeekly * 0.6) / 100).toFixed(2),
      "Chris (personal assistant)",
      "8099",
    ],
    ["T-1002", day(5, "10:15:00"), "purchase", "settled", "36.00", "Riverside Swimming Club", "7997"],
    ["T-1003", day(9, "14:30:00"), "purchase", "settled", "27.50", "Town Taxis", "4121"],
    ["T-1004", day(12, "20:10:00"), "purchase", "settled", "14.20", "The Red Lion", "5813"],
    [
      "T-1005",
      day(16, "19:00:00"),
      "purchase",
      "settled",
      (Math.round(dpWeekly * 0.6) / 100).toFixed(2),
      "Chris (personal assistant)",
      "8099",
    ],
    ["T-1006", day(20, "11:05:00"), "purchase", "authorised", "18.40", "Greens Supermarket", "5411"],
  ].filter((r) => r[1]!.slice(0, 10) <= t.today);
  const text = [
    "card_id,transaction_id,date_time,type,status,amount,merchant_name,mcc",
    ...rows.map((r) => ["DP-0001", ...r].map((v) => (v.includes(",") ? `"${v}"` : v)).join(",")),
  ].join("\n");
  const result = await importCardFeedIn(t, {
    fileName: "demo-card-feed.csv",
    text,
    layout: "upfront",
    cashWithdrawalsPermitted: false,
  });
  return { spends: result.newCount };
}
