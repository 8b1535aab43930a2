import { createHash } from "node:crypto";
import { z } from "zod";
import { budgetIn, budgetsForPersonIn, type PersonalBudget } from "#/features/budgets/service.ts";
import type { TransferRequest } from "#/features/ledger/ledger.calc.ts";
import {
  accountByCodeIn,
  ensureAccountIn,
  type LedgerAccount,
  LedgerRefusedError,
  transfersIn,
} from "#/features/ledger/service.ts";
import { type CardTransaction, describeFeedProblem } from "#/features/spending/card-feed.calc.ts";
import { detectCardFeedLayout, readCardFeedCsv } from "#/features/spending/card-feed-layouts.ts";
import { checkInvoice } from "#/features/spending/invoice.calc.ts";
import { type MatchableLine, matchSpendToPlan, type PlanMatch } from "#/features/spending/plan-match.calc.ts";
import { type PoolMember, poolShareProblems, splitPoolCost } from "#/features/spending/pool.calc.ts";
import { checkReceipt } from "#/features/spending/receipt-check.calc.ts";
import * as repo from "#/features/spending/repository.ts";
import {
  cardFeedImportSchema,
  dateSchema,
  invoiceSchema,
  poolSchema,
  surplusLimitSettingSchema,
} from "#/features/spending/schemas.ts";
import {
  proposeSurplusRecovery,
  type SurplusLimit,
  surplusLimitOn,
} from "#/features/spending/surplus.calc.ts";
import { councilRulesIn } from "#/features/tenants/rules.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { crashPoint } from "#/platform/crash-points.ts";
import { readCsv } from "#/platform/csv/read.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { type Pence, pence, scalePence } from "#/platform/money/pence.ts";
import { type FieldError, fieldErrorsFrom } from "#/platform/validation.ts";
import { supportCategories } from "#/vocabulary/support-categories.ts";

/**
 * Spending (Upfront issue 6): card feeds and provider invoices charged to budgets, receipts, top-ups, surplus
 * recovery and pooled arrangements. Every penny moves through the ledger service in the same tenant
 * transaction as the record here that explains it; every use case validates everything before its first write.
 *
 * Ledger accounts used (codes):
 *   budget:<budgetId>:<deployment>   a budget's holding account per deployment (may not go below zero)
 *   payee:card:<provider>:<card>     where a card's money went (merchants), so a penny traces to the card
 *   payee:provider:<id or name>      a provider paid by invoice;  payee:pool:<poolId> the pool's provider
 *   topup:<budgetId>                 the person's own money added to the budget: never council money
 *   own_money:<personId>             where that money came from (outside the council's books)
 *   pool:<poolId>                    a pooled arrangement's account
 *   surplus_recovered:<streamId>     council money recovered back to its funding stream
 */

// ---- accounts ------------------------------------------------------------------------------------------------

const codePart = (s: string) => s.replace(/[^A-Za-z0-9_.-]+/g, "_").slice(0, 80) || "_";

export const budgetAccountCode = (budgetId: string, deployment: string) => `budget:${budgetId}:${deployment}`;
export const topUpAccountCode = (budgetId: string) => `topup:${budgetId}`;

export function budgetAccountIn(
  t: TxContext,
  budget: PersonalBudget,
  deployment: string,
): Promise<LedgerAccount> {
  return ensureAccountIn(t, {
    code: budgetAccountCode(budget.budgetId, deployment),
    kind: "budget",
    mustNotGoBelowZero: true,
    budgetId: budget.budgetId,
    deployment,
    personId: budget.personId,
    name: `Budget ${deployment.replaceAll("_", " ")} account`,
  });
}

function topUpAccountIn(t: TxContext, budget: PersonalBudget): Promise<LedgerAccount> {
  return ensureAccountIn(t, {
    code: topUpAccountCode(budget.budgetId),
    kind: "topup",
    mustNotGoBelowZero: true,
    budgetId: budget.budgetId,
    personId: budget.personId,
    name: "The person's own money",
  });
}

const payeeAccountIn = (t: TxContext, code: string, name: string) =>
  ensureAccountIn(t, { code, kind: "payee", name: name.slice(0, 200) });

// ---- plan matching ---------------------------------------------------------------------------------------------

/** The budget's lines in the shape plan-match.calc.ts matches against. */
export function matchableBudgetLines(budget: PersonalBudget): MatchableLine[] {
  return budget.lines.map((l) => ({
    supportId: l.supportId,
    what: l.supportName,
    category: l.category,
    deployment: l.deployment,
    ...(l.providerId ? { providerId: l.providerId } : {}),
    ...(l.payeeName ? { payeeName: l.payeeName } : {}),
    weeklyPence: pence(l.weeklyPence),
    oneOffPence: pence(l.oneOffPence),
  }));
}

const matchColumns = (m: PlanMatch) => ({
  support_id: m.matched ? m.supportId : null,
  match_how: m.matched ? m.how : null,
  match_explanation: m.explanation,
});

/** The budget in force on `date` among the person's budgets (newest start first). */
const budgetOn = (budgets: readonly PersonalBudget[], date: string) =>
  budgets.find((b) => b.startDate <= date && (b.endDate === null || date <= b.endDate));

// ---- card feeds ------------------------------------------------------------------------------------------------

export type CardImportResult = {
  importId: string | null;
  transactions: number;
  newCount: number;
  alreadyCount: number;
  ignored: { row: number; reason: string }[];
  /** "12 new, 0 already imported". */
  summary: string;
};

/** Links a prepaid card to the person whose budget it spends (staff, spending:manage). */
export async function linkCard(
  ctx: ServiceContext,
  input: { provider: string; cardId: string; personId: string; cashWithdrawalsPermitted?: boolean },
): Promise<void> {
  const parsed = z
    .strictObject({
      provider: z
        .string()
        .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, { error: "Give the card provider in lower case" }),
      cardId: z.string().trim().min(1, { error: "Give the card's id" }).max(100),
      personId: z.uuid({ error: "Choose the person" }),
      cashWithdrawalsPermitted: z.boolean().optional(),
    })
    .safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error));
  await inTenant(ctx, async ({ tx }) => {
    await repo.upsertCard(tx, {
      provider: parsed.data.provider,
      card_id: parsed.data.cardId,
      person_id: parsed.data.personId,
      cash_withdrawals_permitted: parsed.data.cashWithdrawalsPermitted ?? false,
    });
    await audit(tx, {
      action: "spending.link_card",
      recordType: "person",
      recordId: parsed.data.personId,
      changes: { provider: parsed.data.provider, cardId: parsed.data.cardId },
    });
  });
}

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

/**
 * Imports a card feed: all of it or none. The file is parsed and every row checked (layout, amounts, dates,
 * known cards, a budget in force on the day); any problem refuses the whole file with row numbers and nothing
 * is written. Each transaction becomes a ledger transfer against its budget's direct-payment account, with a
 * spend record (categorised, matched to a plan line). Authorised → a pending transfer; settled → posted (the
 * hold posted); reversed → the hold voided. Re-importing a file adds nothing: each stage is keyed.
 */
export async function importCardFeedIn(
  t: TxContext,
  input: {
    fileName: string;
    text: string;
    layout: string;
    provider?: string;
    cashWithdrawalsPermitted: boolean;
  },
): Promise<CardImportResult> {
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
  const rules = (await councilRulesIn(t.tx, t.today)).spending.rules;
  const parsed = readCardFeedCsv(input.text, layoutId, {
    rules,
    cashWithdrawalsPermitted: settings.data.cashWithdrawalsPermitted,
    ...(settings.data.provider ? { provider: settings.data.provider } : {}),
  });
  if (!parsed.ok) {
    throw new ValidationError(
      parsed.problems.map((p) => ({ path: "file", message: describeFeedProblem(p) })),
      "The card feed was not imported: fix these rows and upload the whole file again",
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

  const { tx } = t;
  const problems: FieldError[] = [];
  const problem = (row: number, message: string) =>
    problems.push({ path: "file", message: `Row ${row}: ${message}` });

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

  // Walk the file in order, following each transaction's stages.
  const state = new Map<
    string,
    { state: "pending" | "posted" | "voided"; planned?: Planned; spendId: string; hold?: Planned["hold"] }
  >();
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
        steps.push({
          ...base,
          step: "post",
          spendId: now.spendId,
          existingSpend: existing.has(txn.transactionKey),
          hold: now.hold,
        });
        now.state = "posted";
      } else alreadyCount++;
    } else {
      if (!now) {
        ignored.push({
          row: txn.row,
          reason: "A reversal of a card payment that was never imported: nothing to undo",
        });
      } else if (now.state === "pending" && now.hold) {
        steps.push({
          ...base,
          step: "void",
          spendId: now.spendId,
          existingSpend: existing.has(txn.transactionKey),
          hold: now.hold,
        });
        now.state = "voided";
      } else alreadyCount++;
    }
  }
  if (problems.length) {
    throw new ValidationError(
      problems,
      "The card feed was not imported: fix these rows and upload the whole file again",
    );
  }
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

  // Accounts, then the new transfers in one batch, then the holds resolved in a second.
  const importId = uuidv7();
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
  const refused = (e: unknown, stepIndexes: number[]) => {
    if (e instanceof LedgerRefusedError) {
      const s = steps[stepIndexes[e.index]!]!;
      throw new ValidationError(
        [
          {
            path: "file",
            message: `Row ${s.row}: ${e.reason === "insufficient_funds" ? "the budget's direct payment account does not hold enough for this payment" : e.message}`,
          },
        ],
        "The card feed was not imported: fix these rows and upload the whole file again",
      );
    }
    throw e;
  };
  const first = await transfersIn(t, firstRequests).catch((e) => refused(e, firstSteps));
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
  ).catch((e) => refused(e, secondSteps));
  const secondBy = new Map(secondSteps.map((stepIndex, j) => [stepIndex, second[j]!.transfer]));

  // The spend records: one per transaction, its state following its latest stage.
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
      const transferId = madeBy.get(i)!;
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
      const resolved = secondBy.get(i)!;
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

export const importCardFeed = (ctx: ServiceContext, input: Parameters<typeof importCardFeedIn>[1]) =>
  inTenant(ctx, (t) => importCardFeedIn(t, input));

// ---- provider invoices ---------------------------------------------------------------------------------------

export type InvoiceView = {
  invoiceId: string;
  budgetId: string;
  personId: string;
  providerName: string;
  invoiceNumber: string;
  totalPence: number;
  status: "received" | "paid" | "rejected";
  spendId: string;
  replayed: boolean;
};

/**
 * Records a provider's invoice against a budget: checked whole (invoice.calc.ts), then a pending transfer from
 * the budget's account for its deployment to the provider (the money is promised, not yet paid). The same
 * invoice twice is one invoice.
 */
export async function recordInvoice(
  ctx: ServiceContext,
  budgetId: string,
  input: unknown,
): Promise<InvoiceView> {
  const parsed = invoiceSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The invoice was not recorded");
  const invoice = parsed.data;
  return inTenant(ctx, async (t) => {
    const { tx } = t;
    const budget = await budgetIn(tx, budgetId);
    const check = checkInvoice(invoice, {
      budgetStart: budget.startDate,
      budgetEnd: budget.endDate,
      supports: budget.lines.map((l) => ({ supportId: l.supportId, category: l.category })),
      categories: supportCategories().map((c) => c.id),
    });
    if (!check.ok) throw new ValidationError([...check.problems], "The invoice was not recorded");
    const before = await repo.invoiceByKey(tx, check.idempotencyKey);
    if (before) {
      if (before.budget_id !== budgetId || before.total_pence !== check.totalPence) {
        throw new ConflictError(
          `Invoice ${invoice.invoiceNumber} from ${invoice.providerName} was already recorded with different details: check the invoice number`,
        );
      }
      const spend = (await repo.spendsBySourceKeys(tx, "invoice", [check.idempotencyKey]))[0]!;
      return invoiceView(before, spend.spend_id, true);
    }
    // The deployment pays it: the first line's support line's, else the budget's council-managed account.
    const firstSupport = budget.lines.find(
      (l) =>
        l.supportId === invoice.lines[0]!.supportId ||
        (!invoice.lines[0]!.supportId && l.category === invoice.lines[0]!.category),
    );
    const deployment =
      firstSupport?.deployment ??
      (budget.lines.some((l) => l.deployment === "council_managed")
        ? "council_managed"
        : budget.lines[0]!.deployment);
    const account = await budgetAccountIn(t, budget, deployment);
    const payeeCode = `payee:provider:${codePart(invoice.providerId ?? invoice.providerName.toLowerCase())}`;
    const payee = await payeeAccountIn(t, payeeCode, invoice.providerName);
    const invoiceId = uuidv7();
    const spendId = uuidv7();
    const { transfer } = (
      await transfersIn(t, [
        {
          type: "pending",
          idempotencyKey: `${check.idempotencyKey}:received`,
          debitAccountId: account.accountId,
          creditAccountId: payee.accountId,
          amount: check.totalPence,
          code: "spend",
          refKind: "invoice",
          refId: invoiceId,
        },
      ])
    )[0]!;
    const row = {
      invoice_id: invoiceId,
      budget_id: budget.budgetId,
      person_id: budget.personId,
      idempotency_key: check.idempotencyKey,
      provider_id: invoice.providerId ?? null,
      provider_name: invoice.providerName,
      invoice_number: invoice.invoiceNumber,
      issue_date: invoice.issueDate,
      service_from: invoice.serviceFrom,
      service_to: invoice.serviceTo,
      total_pence: check.totalPence,
      status: "received" as const,
      pending_transfer_id: transfer.transferId,
    };
    await repo.insertInvoice(tx, { ...row, lines: JSON.stringify(invoice.lines) });
    const match = matchSpendToPlan(
      {
        amountPence: check.totalPence,
        category: invoice.lines[0]!.category ?? firstSupport?.category ?? null,
        ...(invoice.lines[0]!.supportId ? { supportId: invoice.lines[0]!.supportId } : {}),
        ...(invoice.providerId ? { providerId: invoice.providerId } : {}),
        payeeName: invoice.providerName,
      },
      matchableBudgetLines(budget),
    );
    await repo.insertSpends(tx, [
      {
        spend_id: spendId,
        budget_id: budget.budgetId,
        person_id: budget.personId,
        deployment,
        source: "invoice",
        source_key: check.idempotencyKey,
        state: "pending",
        direction: "out",
        amount_pence: check.totalPence,
        spend_date: invoice.issueDate,
        payee_name: invoice.providerName,
        card_type: null,
        mcc: null,
        category: invoice.lines[0]!.category ?? firstSupport?.category ?? null,
        ...matchColumns(match),
        flags: "[]",
        transfer_id: transfer.transferId,
        pending_transfer_id: transfer.transferId,
        import_id: null,
        invoice_id: invoiceId,
      },
    ]);
    await audit(tx, {
      action: "spending.invoice_received",
      recordType: "provider_invoice",
      recordId: invoiceId,
      changes: {
        budgetId,
        providerName: invoice.providerName,
        invoiceNumber: invoice.invoiceNumber,
        totalPence: check.totalPence,
      },
    });
    return invoiceView(
      {
        ...row,
        lines: invoice.lines,
        reject_reason: null,
        decided_at: null,
        created_at: new Date(),
        tenant_id: tx.scope.tenantId,
      },
      spendId,
      false,
    );
  });
}

const invoiceView = (r: repo.InvoiceRow, spendId: string, replayed: boolean): InvoiceView => ({
  invoiceId: r.invoice_id,
  budgetId: r.budget_id,
  personId: r.person_id,
  providerName: r.provider_name,
  invoiceNumber: r.invoice_number,
  totalPence: r.total_pence,
  status: r.status,
  spendId,
  replayed,
});

/** Pays (posts the hold) or rejects (voids it) a received invoice. Deciding it again the same way is a no-op. */
export async function decideInvoice(
  ctx: ServiceContext,
  invoiceId: string,
  decision: { outcome: "paid" } | { outcome: "rejected"; reason: string },
): Promise<InvoiceView> {
  if (decision.outcome === "rejected" && !decision.reason?.trim()) {
    throw new ValidationError([{ path: "reason", message: "Say why the invoice is rejected" }]);
  }
  return inTenant(ctx, async (t) => {
    const { tx } = t;
    const invoice = await repo.invoiceById(tx, invoiceId);
    if (!invoice) throw new NotFoundError("The invoice");
    const spend = (await repo.spendsBySourceKeys(tx, "invoice", [invoice.idempotency_key]))[0]!;
    if (invoice.status === decision.outcome) return invoiceView(invoice, spend.spend_id, true);
    if (invoice.status !== "received") {
      throw new ConflictError(`The invoice has already been ${invoice.status}`);
    }
    const paid = decision.outcome === "paid";
    const { transfer } = (
      await transfersIn(t, [
        paid
          ? {
              type: "post",
              idempotencyKey: `${invoice.idempotency_key}:paid`,
              pendingId: invoice.pending_transfer_id,
            }
          : {
              type: "void",
              idempotencyKey: `${invoice.idempotency_key}:rejected`,
              pendingId: invoice.pending_transfer_id,
            },
      ])
    )[0]!;
    const reason = decision.outcome === "rejected" ? decision.reason.trim().slice(0, 1000) : null;
    await repo.decideInvoice(tx, invoiceId, { status: decision.outcome, reject_reason: reason });
    await repo.updateSpendState(tx, spend.spend_id, {
      state: paid ? "posted" : "voided",
      transfer_id: transfer.transferId,
    });
    await audit(tx, {
      action: paid ? "spending.invoice_paid" : "spending.invoice_rejected",
      recordType: "provider_invoice",
      recordId: invoiceId,
      changes: { status: decision.outcome, ...(reason ? { reason } : {}) },
    });
    return invoiceView({ ...invoice, status: decision.outcome }, spend.spend_id, false);
  });
}

// ---- receipts ------------------------------------------------------------------------------------------------

export type ReceiptView = {
  receiptId: string;
  spendId: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  createdAt: Date;
};

const EXTENSION_OF: Record<string, string> = {
  "application/pdf": "pdf",
  "image/jpeg": "jpg",
  "image/png": "png",
};

/**
 * Stores a receipt for one of the person's spends, checked by its content only (receipt-check.calc.ts): the
 * name's extension is ignored and replaced by the one that matches the content, so a PNG named .pdf is stored
 * and served as the PNG it is. The caller has already checked the uploader may manage the person's money.
 */
export async function uploadReceiptIn(
  t: TxContext,
  input: { personId: string; spendId: string; fileName: string; bytes: Uint8Array },
): Promise<ReceiptView> {
  const { tx } = t;
  const errors: FieldError[] = [];
  const spend = /^[0-9a-f-]{36}$/i.test(input.spendId) ? await repo.spendById(tx, input.spendId) : undefined;
  if (!spend || spend.person_id !== input.personId) {
    errors.push({ path: "spendId", message: "Choose the payment the receipt is for" });
  }
  const rules = (await councilRulesIn(t.tx, t.today)).spending.rules;
  const stem =
    input.fileName
      .replace(/^.*[\\/]/, "")
      .replace(/\.[A-Za-z0-9]{1,5}$/, "")
      .trim() || "receipt";
  const check = checkReceipt(input.bytes, stem, rules.receipts.maxBytes);
  if (!check.ok) errors.push({ path: "receipt", message: check.message });
  if (errors.length || !check.ok || !spend) throw new ValidationError(errors, "The receipt was not uploaded");
  const fileName = `${stem.replace(/[^\p{L}\p{N} ._()-]+/gu, "_").slice(0, 200)}.${EXTENSION_OF[check.mediaType]}`;
  const receiptId = uuidv7();
  await repo.insertReceipt(tx, {
    receipt_id: receiptId,
    spend_id: spend.spend_id,
    person_id: spend.person_id,
    file_name: fileName,
    media_type: check.mediaType,
    size_bytes: check.bytes,
    sha256: createHash("sha256").update(input.bytes).digest("hex"),
    content: input.bytes,
    uploaded_by: actorRef(tx.scope.actor),
  });
  await audit(tx, {
    action: "spending.receipt_uploaded",
    recordType: "receipt",
    recordId: receiptId,
    changes: { spendId: spend.spend_id, mediaType: check.mediaType, sizeBytes: check.bytes },
  });
  return {
    receiptId,
    spendId: spend.spend_id,
    fileName,
    mediaType: check.mediaType,
    sizeBytes: check.bytes,
    createdAt: new Date(),
  };
}

export const uploadReceipt = (ctx: ServiceContext, input: Parameters<typeof uploadReceiptIn>[1]) =>
  inTenant(ctx, (t) => uploadReceiptIn(t, input));

/** A receipt's file, for download; `personId` given → only that person's (the portal). Audited as a view. */
export async function receiptFileIn(t: TxContext, receiptId: string, personId?: string) {
  const row = /^[0-9a-f-]{36}$/i.test(receiptId) ? await repo.receiptById(t.tx, receiptId) : undefined;
  if (!row || (personId !== undefined && row.person_id !== personId)) throw new NotFoundError("The receipt");
  await audit(t.tx, {
    action: "view",
    recordType: "receipt",
    recordId: receiptId,
    changes: { personId: row.person_id },
  });
  return { fileName: row.file_name, mediaType: row.media_type, content: Buffer.from(row.content) };
}

export const receiptFile = (ctx: ServiceContext, receiptId: string, personId?: string) =>
  inTenant(ctx, (t) => receiptFileIn(t, receiptId, personId));

export async function receiptsOfPersonIn(t: TxContext, personId: string): Promise<ReceiptView[]> {
  return (await repo.receiptsOfPerson(t.tx, personId)).map((r) => ({
    receiptId: r.receipt_id,
    spendId: r.spend_id,
    fileName: r.file_name,
    mediaType: r.media_type,
    sizeBytes: r.size_bytes,
    createdAt: r.created_at,
  }));
}

// ---- spends --------------------------------------------------------------------------------------------------

export type SpendView = {
  spendId: string;
  budgetId: string;
  personId: string;
  deployment: string;
  source: "card" | "invoice" | "pool";
  state: "pending" | "posted" | "voided";
  direction: "out" | "in";
  amountPence: number;
  date: string;
  payeeName: string;
  category: string | null;
  supportId: string | null;
  matchExplanation: string;
  flags: { code: string; message: string }[];
};

export const toSpendView = (s: repo.SpendRow): SpendView => ({
  spendId: s.spend_id,
  budgetId: s.budget_id,
  personId: s.person_id,
  deployment: s.deployment,
  source: s.source,
  state: s.state,
  direction: s.direction,
  amountPence: s.amount_pence,
  date: s.spend_date,
  payeeName: s.payee_name,
  category: s.category,
  supportId: s.support_id,
  matchExplanation: s.match_explanation,
  flags: (typeof s.flags === "string" ? JSON.parse(s.flags) : s.flags) as SpendView["flags"],
});

export async function spendsIn(
  t: TxContext,
  filter: Parameters<typeof repo.spendsOf>[1],
): Promise<SpendView[]> {
  return (await repo.spendsOf(t.tx, filter)).map(toSpendView);
}

/** Staff list spends (spending:manage or budgets:read), audited as a view of each person's spending. */
export async function listSpends(
  ctx: ServiceContext,
  filter: { personId?: string; budgetId?: string; from?: string; to?: string },
): Promise<SpendView[]> {
  const errors: FieldError[] = [];
  for (const k of ["from", "to"] as const) {
    const v = filter[k];
    if (v !== undefined && !dateSchema(k).safeParse(v).success)
      errors.push({ path: k, message: "Give the date as YYYY-MM-DD" });
  }
  for (const k of ["personId", "budgetId"] as const) {
    const v = filter[k];
    if (v !== undefined && !z.uuid().safeParse(v).success) errors.push({ path: k, message: "Give an id" });
  }
  if (errors.length) throw new ValidationError(errors);
  return inTenant(ctx, async (t) => {
    const spends = await spendsIn(t, {
      ...(filter.personId ? { personId: filter.personId } : {}),
      ...(filter.budgetId ? { budgetIds: [filter.budgetId] } : {}),
      ...(filter.from ? { from: filter.from } : {}),
      ...(filter.to ? { to: filter.to } : {}),
    });
    for (const personId of new Set(spends.map((s) => s.personId))) {
      await audit(t.tx, {
        action: "view",
        recordType: "person",
        recordId: personId,
        changes: { spends: true },
      });
    }
    return spends;
  });
}

// ---- top-ups -------------------------------------------------------------------------------------------------

const topUpSchema = z.strictObject({
  amountPence: z
    .int({ error: "Give the amount in pence, for example 2000 for £20.00" })
    .min(1, { error: "The amount must be more than £0.00" })
    .max(10_000_000, { error: "The amount is more than £100,000: check it is in pence" }),
  receivedOn: dateSchema("the date the money was added"),
  fromWhom: z
    .string()
    .trim()
    .min(1, { error: "Say who added the money" })
    .max(200, { error: "Keep who added it to 200 characters" }),
});

/**
 * The person's (or family's) own money added to a budget: a transfer from outside the council's books into the
 * budget's top-up account. It is never in the budget's council accounts, so surplus and council totals never
 * count it.
 */
export async function recordTopUp(ctx: ServiceContext, budgetId: string, input: unknown) {
  const parsed = topUpSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The top-up was not recorded");
  return inTenant(ctx, async (t) => {
    const budget = await budgetIn(t.tx, budgetId);
    const account = await topUpAccountIn(t, budget);
    const source = await ensureAccountIn(t, {
      code: `own_money:${budget.personId}`,
      kind: "other",
      personId: budget.personId,
      name: "The person's and family's own money (outside the council's books)",
    });
    const topUpId = uuidv7();
    const { transfer } = (
      await transfersIn(t, [
        {
          type: "posted",
          idempotencyKey: `topup:${topUpId}`,
          debitAccountId: source.accountId,
          creditAccountId: account.accountId,
          amount: parsed.data.amountPence,
          code: "topup",
          refKind: "top_up",
          refId: topUpId,
        },
      ])
    )[0]!;
    await repo.insertTopUp(t.tx, {
      top_up_id: topUpId,
      budget_id: budgetId,
      person_id: budget.personId,
      amount_pence: parsed.data.amountPence,
      received_on: parsed.data.receivedOn,
      from_whom: parsed.data.fromWhom,
      transfer_id: transfer.transferId,
      recorded_by: actorRef(t.tx.scope.actor),
    });
    await audit(t.tx, {
      action: "spending.top_up",
      recordType: "top_up",
      recordId: topUpId,
      changes: { budgetId, amountPence: parsed.data.amountPence, fromWhom: parsed.data.fromWhom },
    });
    return { topUpId, transferId: transfer.transferId, amountPence: parsed.data.amountPence };
  });
}

// ---- surplus -------------------------------------------------------------------------------------------------

export async function surplusLimitOnIn(
  tx: TenantTx,
  date: string,
): Promise<SurplusLimit & { minimumRecoveryPence: number }> {
  const rows = await repo.surplusSettings(tx);
  const limit = surplusLimitOn(
    rows.map((r) => ({ validFrom: r.valid_from, weeks: r.weeks, source: r.source })),
    date,
    (await councilRulesIn(tx, date)).spending.rules,
  );
  const row = rows.filter((r) => r.valid_from <= date).at(-1);
  return { ...limit, minimumRecoveryPence: limit.councilSet && row ? row.minimum_recovery_pence : 0 };
}

/** A new dated version of the council's surplus limit (from its date; never back-dated over one in use). */
export async function setSurplusLimit(ctx: ServiceContext, input: unknown) {
  const parsed = surplusLimitSettingSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The surplus limit was not saved");
  const s = parsed.data;
  return inTenant(ctx, async ({ tx }) => {
    const inserted = await repo.insertSurplusSetting(tx, {
      valid_from: s.validFrom,
      weeks: s.weeks,
      source: s.source,
      minimum_recovery_pence: s.minimumRecoveryPence ?? 0,
      created_by: actorRef(tx.scope.actor),
    });
    if (!inserted) {
      throw new ValidationError([
        { path: "validFrom", message: "A limit already starts on this date: choose another date" },
      ]);
    }
    await audit(tx, {
      action: "spending.surplus_limit",
      recordType: "surplus_setting",
      recordId: s.validFrom,
      changes: s,
    });
  });
}

export type RecoveryView = {
  recoveryId: string;
  budgetId: string;
  personId: string;
  amountPence: number;
  limitPence: number;
  limitSource: string;
  explanation: string[];
  status: "proposed" | "approved" | "rejected";
  proposedOn: string;
  decisionNote: string | null;
  /** Who gave the first of the two approvals (an actor reference), while it waits for the second. */
  firstApprovedBy: string | null;
};

const toRecovery = (r: repo.RecoveryRow): RecoveryView => ({
  recoveryId: r.recovery_id,
  budgetId: r.budget_id,
  personId: r.person_id,
  amountPence: r.amount_pence,
  limitPence: r.limit_pence,
  limitSource: r.limit_source,
  explanation: (typeof r.explanation === "string" ? JSON.parse(r.explanation) : r.explanation) as string[],
  status: r.status,
  proposedOn: r.proposed_on,
  decisionNote: r.decision_note,
  firstApprovedBy: r.first_approved_by ?? null,
});

/** The direct-payment money a budget holds, its top-ups and what is promised: the surplus calc's inputs. */
async function surplusInputsIn(t: TxContext, budget: PersonalBudget) {
  const dp = await accountByCodeIn(t, budgetAccountCode(budget.budgetId, "direct_payment"));
  const topUp = await accountByCodeIn(t, topUpAccountCode(budget.budgetId));
  const weekly = budget.lines
    .filter((l) => l.deployment === "direct_payment")
    .reduce((s, l) => s + l.netWeeklyPence, 0);
  return {
    dp,
    weeklyBudgetPence: pence(weekly),
    balancePence: pence((dp?.balance ?? 0) + (topUp?.balance ?? 0)),
    topUpPence: pence(topUp?.balance ?? 0),
    committedPence: pence(dp?.sums.debitsPending ?? 0),
  };
}

/**
 * Works out whether a budget holds more unspent council money than the council's limit and, if so, records a
 * proposal for a finance officer (never taken here). Returns the calc's result either way.
 */
export async function proposeSurplus(ctx: ServiceContext, budgetId: string) {
  return inTenant(ctx, async (t) => {
    const budget = await budgetIn(t.tx, budgetId);
    const limit = await surplusLimitOnIn(t.tx, t.today);
    const inputs = await surplusInputsIn(t, budget);
    const proposal = proposeSurplusRecovery({
      weeklyBudgetPence: inputs.weeklyBudgetPence,
      limit,
      balancePence: inputs.balancePence,
      topUpPence: inputs.topUpPence,
      committedPence: inputs.committedPence,
      minimumRecoveryPence: pence(limit.minimumRecoveryPence),
    });
    if (proposal.outcome !== "recovery_proposed") return { proposal, recovery: null };
    const open = await repo.openRecoveryOf(t.tx, budgetId);
    if (open) return { proposal, recovery: toRecovery(open) };
    const recoveryId = uuidv7();
    const row = {
      recovery_id: recoveryId,
      budget_id: budgetId,
      person_id: budget.personId,
      amount_pence: proposal.recoveryPence,
      limit_pence: proposal.limitPence,
      limit_source: limit.source,
      status: "proposed" as const,
      proposed_on: t.today,
      proposed_by: actorRef(t.tx.scope.actor),
    };
    await repo.insertRecovery(t.tx, { ...row, explanation: JSON.stringify(proposal.explanation) });
    await audit(t.tx, {
      action: "spending.surplus_proposed",
      recordType: "surplus_recovery",
      recordId: recoveryId,
      changes: { budgetId, amountPence: proposal.recoveryPence },
    });
    return {
      proposal,
      recovery: toRecovery({
        ...row,
        explanation: proposal.explanation,
        decided_by: null,
        decided_at: null,
        decision_note: null,
        first_approved_by: null,
        first_approved_at: null,
        created_at: new Date(),
        tenant_id: t.tx.scope.tenantId,
      }),
    };
  });
}

/** Surplus recoveries, newest first; they name people's budgets, so the list is audited as a view of what it listed. */
export async function listRecoveries(ctx: ServiceContext, filter: { status?: RecoveryView["status"] } = {}) {
  return inTenant(ctx, async ({ tx }) => {
    const recoveries = (await repo.recoveries(tx, filter)).map(toRecovery);
    await audit(tx, {
      action: "view",
      recordType: "surplus_recoveries",
      recordId: tx.scope.tenantId,
      changes: {
        status: filter.status ?? null,
        recoveryIds: recoveries.map((r) => r.recoveryId),
        personIds: [...new Set(recoveries.map((r) => r.personId))],
      },
    });
    return recoveries;
  });
}

export async function recoveriesForPersonIn(t: TxContext, personId: string): Promise<RecoveryView[]> {
  return (await repo.recoveries(t.tx, { personId })).map(toRecovery);
}

/**
 * Two finance officers (surplus:approve) approve a proposed recovery, as for every decision that moves a person's
 * money: the first approval is recorded and moves nothing; the second, by another officer, transfers from the
 * budget's direct-payment account back to each funding stream's surplus-recovered account, split by the streams'
 * weekly shares of the direct payment (to the penny, the remainder to the largest share). Either may reject it,
 * with a note.
 */
export async function decideRecovery(
  ctx: ServiceContext,
  recoveryId: string,
  decision: { approve: boolean; note?: string },
): Promise<RecoveryView> {
  const note = decision.note?.trim() || null;
  if (!decision.approve && !note)
    throw new ValidationError([{ path: "note", message: "Say why the recovery is not approved" }]);
  return inTenant(ctx, async (t) => {
    const row = await repo.recoveryById(t.tx, recoveryId);
    if (!row) throw new NotFoundError("The surplus recovery");
    if (row.status !== "proposed") throw new ConflictError(`The recovery has already been ${row.status}`);
    const me = actorRef(t.tx.scope.actor);
    if (decision.approve && row.first_approved_by === null) {
      await repo.firstApproveRecovery(t.tx, recoveryId, me);
      await audit(t.tx, {
        action: "spending.surplus_first_approval",
        recordType: "surplus_recovery",
        recordId: recoveryId,
        changes: { amountPence: row.amount_pence, ...(note ? { note } : {}) },
      });
      return toRecovery({ ...row, first_approved_by: me });
    }
    if (decision.approve && row.first_approved_by === me) {
      throw new ConflictError(
        "You gave this recovery its first approval: a second finance officer must approve it before any money moves",
      );
    }
    if (decision.approve) {
      const budget = await budgetIn(t.tx, row.budget_id);
      const dp = await budgetAccountIn(t, budget, "direct_payment");
      const byStream = new Map<string, number>();
      for (const l of budget.lines.filter((x) => x.deployment === "direct_payment")) {
        byStream.set(l.streamId, (byStream.get(l.streamId) ?? 0) + l.netWeeklyPence);
      }
      const total = [...byStream.values()].reduce((a, b) => a + b, 0);
      const streams = [...byStream.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      const parts = streams.map(([streamId, weekly]) => ({
        streamId,
        amount: total > 0 ? Math.floor((row.amount_pence * weekly) / total) : 0,
      }));
      if (parts.length === 0) parts.push({ streamId: "", amount: 0 });
      parts[0]!.amount += row.amount_pence - parts.reduce((s, p) => s + p.amount, 0);
      const requests: TransferRequest[] = [];
      for (const p of parts.filter((x) => x.amount > 0)) {
        const to = await ensureAccountIn(t, {
          code: p.streamId ? `surplus_recovered:${p.streamId}` : "surplus_recovered:unassigned",
          kind: "surplus_recovered",
          ...(p.streamId ? { streamId: p.streamId } : {}),
          name: "Surplus recovered",
        });
        requests.push({
          type: "posted",
          idempotencyKey: `recovery:${recoveryId}:${p.streamId || "unassigned"}`,
          debitAccountId: dp.accountId,
          creditAccountId: to.accountId,
          amount: p.amount,
          code: "recovery",
          refKind: "surplus_recovery",
          refId: recoveryId,
        });
      }
      await transfersIn(t, requests);
    }
    const status = decision.approve ? ("approved" as const) : ("rejected" as const);
    await repo.decideRecovery(t.tx, recoveryId, {
      status,
      decided_by: actorRef(t.tx.scope.actor),
      decision_note: note,
    });
    await audit(t.tx, {
      action: decision.approve ? "spending.surplus_approved" : "spending.surplus_rejected",
      recordType: "surplus_recovery",
      recordId: recoveryId,
      changes: { amountPence: row.amount_pence, ...(note ? { note } : {}) },
    });
    return toRecovery({ ...row, status, decision_note: note });
  });
}

// ---- pools ---------------------------------------------------------------------------------------------------

/** A pooled arrangement: members' budgets and their agreed shares (fractions adding up to 1, or fixed sums). */
export async function createPool(ctx: ServiceContext, input: unknown): Promise<{ poolId: string }> {
  const parsed = poolSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error), "The pool was not created");
  const members: PoolMember[] = parsed.data.members.map((m) => ({
    budgetId: m.budgetId,
    share: m.share.kind === "fixed" ? { kind: "fixed", pence: pence(m.share.pence) } : m.share,
  }));
  const problems = poolShareProblems(members);
  if (problems.length)
    throw new ValidationError(
      problems.map((message) => ({ path: "members", message })),
      "The pool was not created",
    );
  return inTenant(ctx, async (t) => {
    for (const m of members)
      await budgetIn(t.tx, m.budgetId).catch(() => {
        throw new ValidationError(
          [{ path: "members", message: `There is no budget ${m.budgetId}` }],
          "The pool was not created",
        );
      });
    const poolId = uuidv7();
    await repo.insertPool(
      t.tx,
      { pool_id: poolId, name: parsed.data.name, created_by: actorRef(t.tx.scope.actor) },
      members.map((m) => ({
        budget_id: m.budgetId,
        share_kind: m.share.kind,
        numerator: m.share.kind === "fraction" ? m.share.numerator : null,
        denominator: m.share.kind === "fraction" ? m.share.denominator : null,
        fixed_pence: m.share.kind === "fixed" ? m.share.pence : null,
      })),
    );
    await ensureAccountIn(t, {
      code: `pool:${poolId}`,
      kind: "pool",
      mustNotGoBelowZero: true,
      name: parsed.data.name,
    });
    await audit(t.tx, {
      action: "create",
      recordType: "pool",
      recordId: poolId,
      changes: { name: parsed.data.name, members: parsed.data.members },
    });
    return { poolId };
  });
}

const poolCostSchema = z.strictObject({
  payeeName: z.string().trim().min(1, { error: "Say who the pool paid" }).max(300),
  period: z.string().trim().min(1, { error: "Say what period the cost is for" }).max(200),
  costPence: z
    .int({ error: "Give the cost in pence" })
    .min(1, { error: "The cost must be more than £0.00" })
    .max(100_000_000),
  paidOn: dateSchema("the date the pool paid"),
});

/**
 * The pool pays its provider: each member's budget pays its share into the pool's account (pool.calc.ts's exact
 * split), and the pool pays the provider, all in one batch. Each member gets a spend record with their share,
 * which their statement shows.
 */
export async function payPoolCost(ctx: ServiceContext, poolId: string, input: unknown) {
  const parsed = poolCostSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The pool's payment was not recorded");
  const c = parsed.data;
  return inTenant(ctx, async (t) => {
    const found = await repo.poolById(t.tx, poolId);
    if (!found) throw new NotFoundError("The pool");
    const members: PoolMember[] = found.members.map((m) => ({
      budgetId: m.budget_id,
      share:
        m.share_kind === "fixed"
          ? { kind: "fixed", pence: pence(m.fixed_pence!) }
          : { kind: "fraction", numerator: m.numerator!, denominator: m.denominator! },
    }));
    const split = splitPoolCost({
      poolName: found.pool.name,
      period: c.period,
      costPence: pence(c.costPence),
      members,
    });
    if (!split.ok)
      throw new ValidationError(
        split.problems.map((message) => ({ path: "costPence", message })),
        "The pool's payment was not recorded",
      );
    const poolAccount = await ensureAccountIn(t, {
      code: `pool:${poolId}`,
      kind: "pool",
      mustNotGoBelowZero: true,
      name: found.pool.name,
    });
    const payee = await payeeAccountIn(t, `payee:pool:${poolId}`, c.payeeName);
    const poolCostId = uuidv7();
    const requests: TransferRequest[] = [];
    const spends: repo.NewSpendRow[] = [];
    for (const line of split.lines) {
      if (line.sharePence === 0) continue;
      const budget = await budgetIn(t.tx, line.budgetId);
      const account = await budgetAccountIn(t, budget, "direct_payment");
      const spendId = uuidv7();
      requests.push({
        type: "posted",
        idempotencyKey: `pool:${poolCostId}:${line.budgetId}`,
        debitAccountId: account.accountId,
        creditAccountId: poolAccount.accountId,
        amount: line.sharePence,
        code: "pool_share",
        refKind: "spend",
        refId: spendId,
      });
      spends.push({
        spend_id: spendId,
        budget_id: budget.budgetId,
        person_id: budget.personId,
        deployment: "direct_payment",
        source: "pool",
        source_key: `${poolCostId}:${line.budgetId}`,
        state: "posted",
        direction: "out",
        amount_pence: line.sharePence,
        spend_date: c.paidOn,
        payee_name: `${found.pool.name} (pool): ${c.payeeName}`.slice(0, 300),
        card_type: null,
        mcc: null,
        category: null,
        support_id: null,
        match_how: null,
        match_explanation: line.description,
        flags: "[]",
        transfer_id: "", // set below, once the ledger has written it
        pending_transfer_id: null,
        import_id: null,
        invoice_id: null,
      });
    }
    requests.push({
      type: "posted",
      idempotencyKey: `pool:${poolCostId}:paid`,
      debitAccountId: poolAccount.accountId,
      creditAccountId: payee.accountId,
      amount: c.costPence,
      code: "spend",
      refKind: "pool_cost",
      refId: poolCostId,
    });
    const results = await transfersIn(t, requests);
    spends.forEach((s, i) => {
      s.transfer_id = results[i]!.transfer.transferId;
    });
    await repo.insertPoolCost(t.tx, {
      pool_cost_id: poolCostId,
      pool_id: poolId,
      payee_name: c.payeeName,
      period: c.period,
      cost_pence: c.costPence,
      paid_on: c.paidOn,
      transfer_id: results.at(-1)!.transfer.transferId,
      created_by: actorRef(t.tx.scope.actor),
    });
    await repo.insertSpends(t.tx, spends);
    await audit(t.tx, {
      action: "spending.pool_paid",
      recordType: "pool",
      recordId: poolId,
      changes: {
        poolCostId,
        costPence: c.costPence,
        shares: split.lines.map((l) => ({ budgetId: l.budgetId, pence: l.sharePence })),
      },
    });
    return {
      poolCostId,
      shares: split.lines.map((l) => ({
        budgetId: l.budgetId,
        sharePence: l.sharePence as Pence,
        description: l.description,
      })),
    };
  });
}

/** Used by the budget page: plan lines' planned amount over some weeks, to the penny. */
export const plannedOver = (weeklyPence: number, days: number): number =>
  scalePence(pence(weeklyPence), days, 7);

/**
 * A transfer out of one of a budget's accounts (the API's POST /budgets/{id}/transfers), keyed by the caller: the
 * key is the member of staff's own (keyUserId), apart from the system's keys.
 */
export async function budgetTransfer(
  ctx: ServiceContext,
  budgetId: string,
  r: {
    deployment: string;
    type: "posted" | "pending";
    idempotencyKey: string;
    keyUserId: string;
    creditAccountId: string;
    amount: number;
    code: string;
    refKind?: string;
    refId?: string;
  },
) {
  return inTenant(ctx, async (t) => {
    const budget = await budgetIn(t.tx, budgetId);
    if (!budget.lines.some((l) => l.deployment === r.deployment)) {
      throw new ValidationError([{ path: "deployment", message: "The budget has no money held this way" }]);
    }
    const account = await budgetAccountIn(t, budget, r.deployment);
    return (
      await transfersIn(t, [
        {
          type: r.type,
          idempotencyKey: r.idempotencyKey,
          keyUserId: r.keyUserId,
          debitAccountId: account.accountId,
          creditAccountId: r.creditAccountId,
          amount: r.amount,
          code: r.code,
          refKind: r.refKind ?? null,
          refId: r.refId ?? null,
        },
      ])
    )[0]!;
  });
}
