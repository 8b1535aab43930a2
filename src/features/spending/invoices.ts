import { budgetAccountIn } from "#/features/budgets/accounts.ts";
import { budgetIn, type PersonalBudget, type PersonalBudgetLine } from "#/features/budgets/service.ts";
import { transfersIn } from "#/features/ledger/service.ts";
import { codePart, payeeAccountIn } from "#/features/spending/accounts.ts";
import { checkInvoice } from "#/features/spending/invoice.calc.ts";
import { matchSpendToPlan } from "#/features/spending/plan-match.calc.ts";
import * as repo from "#/features/spending/repository.ts";
import { type Invoice, invoiceSchema } from "#/features/spending/schemas.ts";
import { matchableBudgetLines, matchColumns } from "#/features/spending/spends.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import type { Pence } from "#/platform/money/pence.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { supportCategories } from "#/vocabulary/support-categories.ts";

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

/** The deployment that pays an invoice: its first line's support line's, else the council-managed account's. */
function deploymentPaying(budget: PersonalBudget, invoice: Invoice) {
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
  return { firstSupport, deployment };
}

/** The invoice's spend record, promised (pending) and matched to a plan line. */
async function insertInvoiceSpendIn(
  tx: TenantTx,
  r: {
    budget: PersonalBudget;
    invoice: Invoice;
    totalPence: Pence;
    idempotencyKey: string;
    firstSupport: PersonalBudgetLine | undefined;
    deployment: string;
    spendId: string;
    invoiceId: string;
    transferId: string;
  },
) {
  const { budget, invoice, firstSupport } = r;
  const match = matchSpendToPlan(
    {
      amountPence: r.totalPence,
      category: invoice.lines[0]!.category ?? firstSupport?.category ?? null,
      ...(invoice.lines[0]!.supportId ? { supportId: invoice.lines[0]!.supportId } : {}),
      ...(invoice.providerId ? { providerId: invoice.providerId } : {}),
      payeeName: invoice.providerName,
    },
    matchableBudgetLines(budget),
  );
  await repo.insertSpends(tx, [
    {
      spend_id: r.spendId,
      budget_id: budget.budgetId,
      person_id: budget.personId,
      deployment: r.deployment,
      source: "invoice",
      source_key: r.idempotencyKey,
      state: "pending",
      direction: "out",
      amount_pence: r.totalPence,
      spend_date: invoice.issueDate,
      payee_name: invoice.providerName,
      card_type: null,
      mcc: null,
      category: invoice.lines[0]!.category ?? firstSupport?.category ?? null,
      ...matchColumns(match),
      flags: "[]",
      transfer_id: r.transferId,
      pending_transfer_id: r.transferId,
      import_id: null,
      invoice_id: r.invoiceId,
    },
  ]);
}

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
    const { firstSupport, deployment } = deploymentPaying(budget, invoice);
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
    await insertInvoiceSpendIn(tx, {
      budget,
      invoice,
      totalPence: check.totalPence,
      idempotencyKey: check.idempotencyKey,
      firstSupport,
      deployment,
      spendId,
      invoiceId,
      transferId: transfer.transferId,
    });
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
