import { budgetAccountIn } from "#/features/budgets/accounts.ts";
import { currentBudgetIn, recordFirstPaymentIn } from "#/features/budgets/service.ts";
import { ensureAccountIn, transferIn } from "#/features/ledger/service.ts";
import {
  decideBankDetailsIn,
  ensurePayeeIn,
  proposeBankDetailsIn,
} from "#/features/payments/bank-details.ts";
import type { SupportPlanDraftInput } from "#/features/planning/schemas.ts";
import { approvePlanIn, saveDraftIn, startPlanIn, submitPlanIn } from "#/features/planning/service.ts";
import { importCardFeedIn } from "#/features/spending/card-import.ts";
import { linkCardIn } from "#/features/spending/cards.ts";
import type { TxContext } from "#/platform/context.ts";
import { addDays } from "#/platform/dates/calendar.ts";
import type { Actor, TenantTx } from "#/platform/db/tenant.ts";
import { seedNothingToPayAssessmentIn } from "#/seed/charging-seed.ts";
import { type CastPerson, castStaff, type DemoCast } from "./cast.ts";

/**
 * Demo direct-payment audit cases (issue 15): three people with a direct payment started 16 weeks ago, paid
 * 4-weekly in advance and spending by prepaid card, each with one thing a finance officer's audit should find:
 *   - "surplus": spends little, so holds more than 8 weeks of the direct payment;
 *   - "cash": takes out cash twice with no receipt;
 *   - "payee": pays a garage the plan does not include.
 * Each is a payee with approved bank details, so a payment run pays them like person2 (nothing held).
 * Everything else about them is tidy (recent spending with the plan's personal assistant, 4–8 weeks held), so the
 * audit queue finds exactly these, plus the pub spend spending-seed.ts already gives person2's budget. They are
 * the last three people with an indicative budget, so the other seeds' first people are untouched. Written
 * through the real use cases (plans approved by the panel, the card feed imported), so every row is the app's.
 */

export type DpAuditCase = "surplus" | "cash" | "payee";
export const DP_AUDIT_CASES: readonly DpAuditCase[] = ["surplus", "cash", "payee"];

/** Who the seed made each case for: the demo's planted cases, for tests and the README. */
export type PlantedCases = { budgetId: string; personId: string; plantedCase: DpAuditCase }[];

const WEEKS_AGO = 16;

function plan(weeklyPence: number, assistant: string): SupportPlanDraftInput {
  return {
    outcomes: [
      {
        id: "home",
        inTheirWords: "I want to keep living in my own home",
        howWeWillKnow: "I am still at home, and safe, at my review",
      },
    ],
    supports: [
      {
        id: "pa",
        what: "A personal assistant for help at home",
        category: "personal_care",
        from: { kind: "personal_assistant", name: assistant },
        cost: { basis: "weekly", unitCostPence: weeklyPence, unit: "week", unitsPerWeek: 1 },
        deployment: "direct_payment",
        outcomeIds: ["home"],
      },
    ],
    risks: [],
    contingency: "A friend helps if my assistant cannot come.",
  };
}

async function actingAs<T>(t: TxContext, actor: Actor, fn: () => Promise<T>): Promise<T> {
  const tx = t.tx as TenantTx;
  const saved = tx.scope;
  (tx as { scope: TenantTx["scope"] }).scope = { ...saved, actor };
  try {
    return await fn();
  } finally {
    (tx as { scope: TenantTx["scope"] }).scope = saved;
  }
}

/** A card line: id, day after the start, status, pounds, merchant, MCC. */
type CardLine = [string, number, string, string, string];

function cardLines(kind: DpAuditCase, weekly: number, assistant: string): CardLine[] {
  const pounds = (p: number) => (p / 100).toFixed(2);
  // The assistant is paid for most weeks, the last time within the past fortnight: recent evidence, about 7 weeks held (9 weeks' spending of 16 paid).
  const paidWeeks = kind === "surplus" ? [100, 107] : [30, 44, 58, 72, 86, 107];
  const lines: CardLine[] = paidWeeks.map((day, i) => [
    `PA-${i + 1}`,
    day,
    pounds(weekly * (kind === "surplus" ? 1 : 1.5)),
    assistant,
    "8099",
  ]);
  if (kind === "cash") lines.push(["ATM-1", 60, "100.00", "Cash machine, High Street", "6011"]);
  if (kind === "cash") lines.push(["ATM-2", 90, "80.00", "Cash machine, Market Square", "6011"]);
  if (kind === "payee") lines.push(["GAR-1", 75, "240.00", "Bob's Motors", "7538"]);
  return lines;
}

/** The person as a payee with made-up bank details, proposed and approved by the demo's two finance officers. */
async function bankDetails(t: TxContext, cast: DemoCast, person: CastPerson, from: string, n: number) {
  const maker = castStaff(cast, "finance.officer@demo.upfront.test")?.actor;
  const checker = castStaff(cast, "finance.officer.2@demo.upfront.test")?.actor;
  if (!maker || !checker) return;
  const name = `${person.givenName} ${person.familyName}`;
  const details = await actingAs(t, maker, async () => {
    const payee = await ensurePayeeIn(t, { kind: "person", personId: person.personId, name });
    return proposeBankDetailsIn(t, payee.payeeId, {
      accountName: name,
      sortCode: "20-00-00",
      accountNumber: `6677990${n + 1}`,
      effectiveFrom: from,
    });
  });
  await actingAs(t, checker, () => decideBankDetailsIn(t, details.detailsId, "approve"));
}

async function plantCase(
  t: TxContext,
  cast: DemoCast,
  person: CastPerson,
  kind: DpAuditCase,
  n: number,
): Promise<{ budgetId: string } | null> {
  const planner = castStaff(cast, "support.planner@demo.upfront.test");
  const panel = castStaff(cast, "funding.panel@demo.upfront.test");
  if (!planner || !panel) return null;
  const editor = { kind: "staff" as const, userId: planner.userId, name: planner.name };
  const startDate = addDays(t.today, -7 * WEEKS_AGO);
  // How their support is funded is on record (the CLD return's Client Funding Status needs it): they pay nothing.
  await seedNothingToPayAssessmentIn(t, person.personId);
  const assistant = ["Alex Morgan", "Jo Patel", "Kim Doyle"][n]!;
  await actingAs(t, planner.actor, async () => {
    const { planId } = await startPlanIn(t, { personId: person.personId, editor });
    await saveDraftIn(
      t,
      planId,
      1,
      plan(person.weeklyPence, assistant),
      editor,
      "Wrote the plan with the person",
    );
    await submitPlanIn(t, planId, 1, editor);
    await actingAs(t, panel.actor, () => approvePlanIn(t, planId, 1, { startDate }));
  });
  const budget = await currentBudgetIn(t.tx, person.personId);
  if (!budget) return null;
  const weekly = budget.lines.reduce(
    (s, l) => s + (l.deployment === "direct_payment" ? l.netWeeklyPence : 0),
    0,
  );
  const streamId = budget.lines[0]!.streamId;
  const stream = await ensureAccountIn(t, { code: `stream:${streamId}`, kind: "stream", streamId });
  const account = await budgetAccountIn(t, budget, "direct_payment");
  for (let cycle = 0; cycle * 28 <= 7 * WEEKS_AGO - 1; cycle++) {
    await transferIn(t, {
      type: "posted",
      idempotencyKey: `demo-dp-audit-payment:${budget.budgetId}:${cycle + 1}`,
      debitAccountId: stream.accountId,
      creditAccountId: account.accountId,
      amount: weekly * 4,
      code: "payment",
      refKind: "payment",
      refId: `demo-dp-audit-${cycle + 1}`,
    });
  }
  await recordFirstPaymentIn(t.tx, budget.budgetId, startDate);
  await bankDetails(t, cast, person, startDate, n);
  const cardId = `DP-AUDIT-${n + 1}`;
  await linkCardIn(t, {
    provider: "upfront",
    cardId,
    personId: person.personId,
    cashWithdrawalsPermitted: true,
  });
  const rows = cardLines(kind, weekly, assistant).map(([id, day, amount, merchant, mcc]) =>
    [
      cardId,
      `${cardId}-${id}`,
      `${addDays(startDate, day)}T10:00:00`,
      "purchase",
      "settled",
      amount,
      merchant,
      mcc,
    ]
      .map((v) => (v.includes(",") ? `"${v}"` : v))
      .join(","),
  );
  await importCardFeedIn(t, {
    fileName: `demo-dp-audit-${kind}.csv`,
    text: ["card_id,transaction_id,date_time,type,status,amount,merchant_name,mcc", ...rows].join("\n"),
    layout: "upfront",
    cashWithdrawalsPermitted: true,
  });
  return { budgetId: budget.budgetId };
}

export async function seedDemoDpAudits(t: TxContext, cast: DemoCast): Promise<PlantedCases> {
  const people = cast.withAllocations;
  if (people.length < 8) return [];
  const planted: PlantedCases = [];
  for (const [n, kind] of DP_AUDIT_CASES.entries()) {
    const person = people[people.length - 1 - n]!;
    const made = await plantCase(t, cast, person, kind, n);
    if (made) planted.push({ budgetId: made.budgetId, personId: person.personId, plantedCase: kind });
  }
  return planted;
}
