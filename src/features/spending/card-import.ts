import { createHash } from "node:crypto";
import { budgetAccountCode, budgetAccountIn } from "#/features/budgets/accounts.ts";
import { budgetsForPersonIn, type PersonalBudget } from "#/features/budgets/service.ts";
import type { TransferRequest } from "#/features/ledger/ledger.calc.ts";
import { type LedgerAccount, LedgerRefusedError, transfersIn } from "#/features/ledger/service.ts";
import { codePart, payeeAccountIn } from "#/features/spending/accounts.ts";
import { type CardTransaction, describeFeedProblem } from "#/features/spending/card-feed.calc.ts";
import { detectCardFeedLayout, readCardFeedCsv } from "#/features/spending/card-feed-layouts.calc.ts";
import { matchSpendToPlan } from "#/features/spending/plan-match.calc.ts";
import * as repo from "#/features/spending/repository.ts";
import { cardFeedImportSchema } from "#/features/spending/schemas.ts";
import { matchableBudgetLines, matchColumns } from "#/features/spending/spends.ts";
import { councilRulesIn } from "#/features/tenants/rules.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { crashPoint } from "#/platform/crash-points.ts";
import { readCsv } from "#/platform/csv/read.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { ValidationError } from "#/platform/errors.ts";
import { type FieldError, fieldErrorsFrom } from "#/platform/validation.ts";
import type { SpendingRules } from "#/rules/spending-types.ts";

export type CardImportResult = {
  importId: string | null;
  transactions: number;
  newCount: number;
  alreadyCount: number;
  ignored: { row: number; reason: string }[];
  /** "12 new, 0 already imported". */
  summary: string;
};

/** The budget in force on `date` among the person's budgets (newest start first). */
const budgetOn = (budgets: readonly PersonalBudget[], date: string) =>
  budgets.find((b) => b.startDate <= date && (b.endDate === null || date <= b.endDate));

type Ignored = { row: number; reason: string };

type Planned = {
  row: number;
  txn: CardTransaction;
  budget: PersonalBudget;
  /** "new": a first transfer (pending or posted); "post"/"void": resolving an earlier hold. */
  step: "new" | "post" | "void";
  spendId: string;
  existingSpend: boolean;
  /** For post/void: the hold's transfer id, or the index of the "new" step that makes it in this file. */
  hold?: { transferId: string } | { stepIndex: number };
};

/** Every error of a refused file ends with this. */
const REFUSED = "The card feed was not imported: fix these rows and upload the whole file again";

type CardImportInput = {
  fileName: string;
  text: string;
  layout: string;
  provider?: string;
  cashWithdrawalsPermitted: boolean;
};

type ReadFeed = { layoutId: string; provider: string; txns: CardTransaction[]; ignored: Ignored[] };

/** The file read in its layout and every row checked, or the whole file refused with its rows' problems. */
function readFeed(input: CardImportInput, rules: SpendingRules): ReadFeed {
  const settings = cardFeedImportSchema.safeParse({
    layout: input.layout,
    ...(input.provider ? { provider: input.provider } : {}),
    cashWithdrawalsPermitted: input.cashWithdrawalsPermitted,
  });
  if (!settings.success) throw new ValidationError(fieldErrorsFrom(settings.error));
  const layoutId =
    settings.data.layout === "detect"
      ? (detectCardFeedLayout(readCsv(input.text.split(/\r?\n/, 1)[0] ?? "").records[0]?.fields ?? [])?.id ??
        "detect")
      : settings.data.layout;
  const parsed = readCardFeedCsv(input.text, layoutId, {
    rules,
    cashWithdrawalsPermitted: settings.data.cashWithdrawalsPermitted,
    ...(settings.data.provider ? { provider: settings.data.provider } : {}),
  });
  if (!parsed.ok) {
    throw new ValidationError(
      parsed.problems.map((p) => ({ path: "file", message: describeFeedProblem(p) })),
      REFUSED,
    );
  }
  const ignored = [...parsed.ignored];
  // Loads are the council's payments onto the card: the payment run records them, so they are not spends.
  const txns = parsed.transactions.filter((t) => {
    if (t.type !== "load") return true;
    ignored.push({
      row: t.row,
      reason: "Money loaded onto the card: recorded by the payment run, not as a spend",
    });
    return false;
  });
  const provider = settings.data.provider ?? parsed.transactions[0]?.provider ?? layoutId;
  return { layoutId, provider, txns, ignored };
}

/** What the file's transactions refer to: their cards, the cards' holders' budgets, and earlier imports' spends. */
async function feedContextIn(t: TxContext, provider: string, txns: readonly CardTransaction[]) {
  const { tx } = t;
  // Cards → people → their budgets (one read per person, whatever the file's size).
  const cards = new Map(
    (await repo.cardsByIds(tx, provider, [...new Set(txns.map((x) => x.cardId))])).map((c) => [c.card_id, c]),
  );
  const budgetsOf = new Map<string, PersonalBudget[]>();
  for (const personId of new Set([...cards.values()].map((c) => c.person_id))) {
    budgetsOf.set(personId, await budgetsForPersonIn(tx, personId));
  }
  const existing = new Map(
    (await repo.spendsBySourceKeys(tx, "card", [...new Set(txns.map((x) => x.transactionKey))])).map((s) => [
      s.source_key,
      s,
    ]),
  );
  return { cards, budgetsOf, existing };
}

type FeedContext = Awaited<ReturnType<typeof feedContextIn>>;
type Stage = { state: "pending" | "posted" | "voided"; spendId: string; hold?: Planned["hold"] };

/**
 * Walks the file in order, following each transaction's stages from what earlier imports left: the steps to
 * take, how many were already imported, and the rows that cannot be imported (a refusal of the whole file).
 */
function planSteps(txns: readonly CardTransaction[], context: FeedContext, ignored: Ignored[]) {
  const { cards, budgetsOf, existing } = context;
  const problems: FieldError[] = [];
  const problem = (row: number, message: string) =>
    problems.push({ path: "file", message: `Row ${row}: ${message}` });
  const state = new Map<string, Stage>();
  for (const [key, s] of existing) {
    state.set(key, {
      state: s.state,
      spendId: s.spend_id,
      ...(s.pending_transfer_id ? { hold: { transferId: s.pending_transfer_id } } : {}),
    });
  }
  const steps: Planned[] = [];
  let alreadyCount = 0;
  for (const txn of txns) {
    const card = cards.get(txn.cardId);
    if (!card) {
      problem(txn.row, `the card ${txn.cardId} is not linked to anyone: link it to the person first`);
      continue;
    }
    const budget = budgetOn(budgetsOf.get(card.person_id) ?? [], txn.date);
    if (!budget) {
      problem(txn.row, `the card's holder had no budget in force on ${txn.date}`);
      continue;
    }
    if (!budget.lines.some((l) => l.deployment === "direct_payment")) {
      problem(txn.row, `the budget in force on ${txn.date} has no direct payment for the card to spend`);
      continue;
    }
    const now = state.get(txn.transactionKey);
    const base = { row: txn.row, txn, budget };
    const resolve = (step: "post" | "void", stage: Stage) =>
      steps.push({
        ...base,
        step,
        spendId: stage.spendId,
        existingSpend: existing.has(txn.transactionKey),
        ...(stage.hold ? { hold: stage.hold } : {}),
      });
    if (txn.status === "authorised") {
      if (now) {
        alreadyCount++;
        continue;
      }
      const spendId = uuidv7();
      steps.push({ ...base, step: "new", spendId, existingSpend: false });
      state.set(txn.transactionKey, { state: "pending", spendId, hold: { stepIndex: steps.length - 1 } });
    } else if (txn.status === "settled") {
      if (!now) {
        const spendId = uuidv7();
        steps.push({ ...base, step: "new", spendId, existingSpend: false });
        state.set(txn.transactionKey, { state: "posted", spendId });
      } else if (now.state === "pending" && now.hold) {
        resolve("post", now);
        now.state = "posted";
      } else alreadyCount++;
    } else if (!now) {
      ignored.push({
        row: txn.row,
        reason: "A reversal of a card payment that was never imported: nothing to undo",
      });
    } else if (now.state === "pending" && now.hold) {
      resolve("void", now);
      now.state = "voided";
    } else alreadyCount++;
  }
  return { steps, alreadyCount, problems };
}

/** A refusal by the ledger (not enough money, say) as a refusal of the file, naming the row. */
function refusedRow(e: unknown, steps: readonly Planned[], stepIndexes: readonly number[]): never {
  if (e instanceof LedgerRefusedError) {
    const s = steps[stepIndexes[e.index]!]!;
    throw new ValidationError(
      [
        {
          path: "file",
          message: `Row ${s.row}: ${e.reason === "insufficient_funds" ? "the budget's direct payment account does not hold enough for this payment" : e.message}`,
        },
      ],
      REFUSED,
    );
  }
  throw e;
}

/** The first transfer of each new transaction, between the budget's direct-payment account and the card's payee. */
async function firstTransfersIn(t: TxContext, steps: readonly Planned[], provider: string) {
  const accounts = new Map<string, LedgerAccount>();
  const accountFor = async (code: string, make: () => Promise<LedgerAccount>) => {
    let a = accounts.get(code);
    if (!a) {
      a = await make();
      accounts.set(code, a);
    }
    return a;
  };
  const firstRequests: TransferRequest[] = [];
  const firstSteps: number[] = [];
  const secondSteps: number[] = [];
  for (const [i, s] of steps.entries()) {
    if (s.step !== "new") {
      secondSteps.push(i);
      continue;
    }
    const budgetAccount = await accountFor(budgetAccountCode(s.budget.budgetId, "direct_payment"), () =>
      budgetAccountIn(t, s.budget, "direct_payment"),
    );
    const payeeCode = `payee:card:${codePart(provider)}:${codePart(s.txn.cardId)}`;
    const payee = await accountFor(payeeCode, () =>
      payeeAccountIn(t, payeeCode, `Card ${s.txn.cardId} payments`),
    );
    const out = s.txn.direction === "out";
    firstSteps.push(i);
    firstRequests.push({
      type: s.txn.status === "authorised" ? "pending" : "posted",
      idempotencyKey: `card:${s.txn.idempotencyKey}`,
      debitAccountId: out ? budgetAccount.accountId : payee.accountId,
      creditAccountId: out ? payee.accountId : budgetAccount.accountId,
      amount: s.txn.amountPence,
      code: out ? "spend" : "refund",
      refKind: "spend",
      refId: s.spendId,
    } as TransferRequest);
  }
  return { firstRequests, firstSteps, secondSteps };
}

/** Moves the money: the new transfers in one batch, then the holds resolved in a second. */
async function moveMoneyIn(t: TxContext, steps: readonly Planned[], provider: string) {
  const { firstRequests, firstSteps, secondSteps } = await firstTransfersIn(t, steps, provider);
  const first = await transfersIn(t, firstRequests).catch((e) => refusedRow(e, steps, firstSteps));
  const madeBy = new Map(firstSteps.map((stepIndex, j) => [stepIndex, first[j]!.transfer.transferId]));
  const holdId = (h: Planned["hold"]) => ("transferId" in h! ? h.transferId : madeBy.get(h!.stepIndex)!);
  const second = await transfersIn(
    t,
    secondSteps.map((i) => {
      const s = steps[i]!;
      return s.step === "post"
        ? {
            type: "post" as const,
            idempotencyKey: `card:${s.txn.idempotencyKey}`,
            pendingId: holdId(s.hold),
            amount: s.txn.amountPence,
          }
        : {
            type: "void" as const,
            idempotencyKey: `card:${s.txn.idempotencyKey}`,
            pendingId: holdId(s.hold),
          };
    }),
  ).catch((e) => refusedRow(e, steps, secondSteps));
  const secondBy = new Map(secondSteps.map((stepIndex, j) => [stepIndex, second[j]!.transfer]));
  return { madeBy, secondBy };
}

/** The spend records: one per transaction, its state following its latest stage. */
function spendRecords(
  steps: readonly Planned[],
  moved: Awaited<ReturnType<typeof moveMoneyIn>>,
  importId: string,
) {
  const newRows = new Map<string, repo.NewSpendRow>();
  const updates = new Map<
    string,
    { state: repo.SpendRow["state"]; transfer_id: string; amount_pence: number }
  >();
  for (const [i, s] of steps.entries()) {
    if (s.step === "new") {
      const lines = matchableBudgetLines(s.budget);
      const match = matchSpendToPlan(
        { amountPence: s.txn.amountPence, category: s.txn.category, payeeName: s.txn.merchantName },
        lines.filter((l) => l.deployment === "direct_payment"),
      );
      const transferId = moved.madeBy.get(i)!;
      newRows.set(s.txn.transactionKey, {
        spend_id: s.spendId,
        budget_id: s.budget.budgetId,
        person_id: s.budget.personId,
        deployment: "direct_payment",
        source: "card",
        source_key: s.txn.transactionKey,
        state: s.txn.status === "authorised" ? "pending" : "posted",
        direction: s.txn.direction,
        amount_pence: s.txn.amountPence,
        spend_date: s.txn.date,
        payee_name: s.txn.merchantName.slice(0, 300),
        card_type: s.txn.type,
        mcc: s.txn.mcc,
        category: s.txn.category,
        ...matchColumns(match),
        flags: JSON.stringify(s.txn.flags),
        transfer_id: transferId,
        pending_transfer_id: s.txn.status === "authorised" ? transferId : null,
        import_id: importId,
        invoice_id: null,
      });
    } else {
      const resolved = moved.secondBy.get(i)!;
      const fresh = newRows.get(s.txn.transactionKey);
      const change = {
        state: (s.step === "post" ? "posted" : "voided") as repo.SpendRow["state"],
        transfer_id: resolved.transferId,
        amount_pence: s.step === "post" ? resolved.amount : s.txn.amountPence,
      };
      if (fresh) Object.assign(fresh, change);
      else updates.set(s.spendId, change);
    }
  }
  return { newRows, updates };
}

/**
 * Imports a card feed: all of it or none. The file is parsed and every row checked (layout, amounts, dates,
 * known cards, a budget in force on the day); any problem refuses the whole file with row numbers and nothing
 * is written. Each transaction becomes a ledger transfer against its budget's direct-payment account, with a
 * spend record (categorised, matched to a plan line). Authorised → a pending transfer; settled → posted (the
 * hold posted); reversed → the hold voided. Re-importing a file adds nothing: each stage is keyed.
 */
export async function importCardFeedIn(t: TxContext, input: CardImportInput): Promise<CardImportResult> {
  const { layoutId, provider, txns, ignored } = readFeed(
    input,
    (await councilRulesIn(t.tx, t.today)).spending.rules,
  );
  const { tx } = t;
  const context = await feedContextIn(t, provider, txns);
  const { steps, alreadyCount, problems } = planSteps(txns, context, ignored);
  if (problems.length) throw new ValidationError(problems, REFUSED);
  if (steps.length === 0) {
    return {
      importId: null,
      transactions: txns.length,
      newCount: 0,
      alreadyCount,
      ignored,
      summary: `0 new, ${alreadyCount} already imported`,
    };
  }

  const importId = uuidv7();
  const moved = await moveMoneyIn(t, steps, provider);
  const { newRows, updates } = spendRecords(steps, moved, importId);
  crashPoint("card-feed.transfers"); // kill -9 trials: money moved, no spend records yet, not committed
  const newCount = steps.length;
  await repo.insertImport(tx, {
    import_id: importId,
    file_name: input.fileName.slice(0, 300) || "card-feed.csv",
    file_sha256: createHash("sha256").update(input.text).digest("hex"),
    layout: layoutId,
    provider,
    transactions: txns.length,
    new_count: newCount,
    already_count: alreadyCount,
    imported_by: actorRef(tx.scope.actor),
  });
  await repo.insertSpends(tx, [...newRows.values()]);
  for (const [spendId, change] of updates) await repo.updateSpendState(tx, spendId, change);
  await audit(tx, {
    action: "spending.card_import",
    recordType: "card_feed_import",
    recordId: importId,
    changes: { layout: layoutId, provider, transactions: txns.length, newCount, alreadyCount },
  });
  return {
    importId,
    transactions: txns.length,
    newCount,
    alreadyCount,
    ignored,
    summary: `${newCount} new, ${alreadyCount} already imported`,
  };
}

export const importCardFeed = (ctx: ServiceContext, input: CardImportInput) =>
  inTenant(ctx, (t) => importCardFeedIn(t, input));
