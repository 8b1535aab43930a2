import { type PersonalBudget, recordFirstPaymentsIn } from "#/features/budgets/service.ts";
import type { NewTransferRequest } from "#/features/ledger/ledger.calc.ts";
import { type AccountSpec, ensureAccountsIn, transfersIn } from "#/features/ledger/service.ts";
import { applyDeductions, deductedByStream, recordTakes } from "#/features/payments/deductions.ts";
import * as invoicesRepo from "#/features/payments/invoices-repository.ts";
import * as repo from "#/features/payments/repository.ts";
import type { PlannedBudget } from "#/features/payments/run-plan.ts";
import { audit } from "#/platform/audit/audit.ts";
import { crashPoint } from "#/platform/crash-points.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * A payment run, step 2 (see run.ts): one batch of planned budgets in one transaction. The payments are
 * inserted with ON CONFLICT DO NOTHING on their keys, and only the rows this transaction inserted move money.
 */

/**
 * The ledger accounts a batch needs. While the batch's transfers are built, each account is named by its code;
 * `resolve` then finds or makes them all at once (ensureAccountsIn: a few statements, not two per account) and
 * puts their ids in.
 */
class Accounts {
  private readonly specs = new Map<string, AccountSpec>();
  private named(spec: AccountSpec): string {
    if (!this.specs.has(spec.code)) this.specs.set(spec.code, spec);
    return spec.code;
  }
  stream = (streamId: string) => this.named({ code: `stream:${streamId}`, kind: "stream", streamId });
  budget = (budget: PersonalBudget, deployment: string) =>
    this.named({
      code: `budget:${budget.budgetId}:${deployment}`,
      kind: "budget",
      budgetId: budget.budgetId,
      deployment,
      personId: budget.personId,
      mustNotGoBelowZero: true,
    });
  payee = (payeeId: string) => this.named({ code: `payee:${payeeId}`, kind: "payee" });
  contribution = (budget: PersonalBudget) =>
    this.named({
      code: `contribution:${budget.budgetId}`,
      kind: "contribution",
      budgetId: budget.budgetId,
      personId: budget.personId,
    });
  income = () =>
    this.named({ code: "contribution_income", kind: "income", name: "Contributions from people" });

  /** The transfers with account codes replaced by the accounts' ids, every account found or made. */
  async resolve(
    t: { tx: TenantTx; today: string },
    transfers: NewTransferRequest[],
  ): Promise<NewTransferRequest[]> {
    const byCode = await ensureAccountsIn(t, [...this.specs.values()]);
    const id = (code: string) => byCode.get(code)!.accountId;
    return transfers.map((tr) => ({
      ...tr,
      debitAccountId: id(tr.debitAccountId),
      creditAccountId: id(tr.creditAccountId),
    }));
  }
}

/** One batch in one transaction: insert what is new, move money for exactly those rows. */
export async function makeBatch(
  tx: TenantTx,
  today: string,
  runId: string,
  batch: readonly PlannedBudget[],
): Promise<{ made: repo.PaymentRow[]; invoices: number }> {
  const planned = batch
    .flatMap((b) => b.payments)
    .sort((a, b) => (a.row.payment_key < b.row.payment_key ? -1 : 1));
  // Money owed back is taken off the direct payments not made yet (deductions.ts), before they are inserted.
  const takes = await applyDeductions(tx, planned);
  const made = await repo.insertPayments(
    tx,
    planned.map((p) => ({ ...p.row, run_id: runId })),
  );
  crashPoint("payments.batch.inserted"); // kill -9 trials: payments inserted, no money moved, not committed
  const madeByKey = new Map(made.map((m) => [m.payment_key, m]));
  const invoices = await invoicesRepo.insertInvoices(
    tx,
    batch
      .flatMap((b) => b.invoices.map((i) => ({ ...i, run_id: runId })))
      .sort((a, b) => (a.invoice_key < b.invoice_key ? -1 : 1)),
  );
  const budgets = new Map(batch.map((b) => [b.budget.budgetId, b.budget]));
  const accounts = new Accounts();
  const transfers: NewTransferRequest[] = [];
  for (const p of planned) {
    if (!madeByKey.has(p.row.payment_key)) continue;
    const budget = budgets.get(p.row.budget_id)!;
    const key = p.row.payment_key;
    const ref = { refKind: "payment", refId: madeByKey.get(key)!.payment_id };
    for (const [i, part] of p.streamParts.entries()) {
      transfers.push({
        type: "posted",
        idempotencyKey: `${key}:fund:${i}`,
        debitAccountId: accounts.stream(part.streamId),
        creditAccountId: accounts.budget(budget, part.deployment),
        amount: part.amount,
        code: "funding",
        ...ref,
      });
    }
    const holding = accounts.budget(budget, p.row.deployment);
    if (p.netted > 0)
      transfers.push({
        type: "posted",
        idempotencyKey: `${key}:netted`,
        debitAccountId: holding,
        creditAccountId: accounts.income(),
        amount: p.netted,
        code: "contribution",
        ...ref,
      });
    for (const share of deductedByStream(p.row.parts))
      transfers.push({
        type: "posted",
        idempotencyKey: `${key}:deduct:${share.streamId}`,
        debitAccountId: holding,
        creditAccountId: accounts.stream(share.streamId),
        amount: share.amount,
        code: "recovery",
        ...ref,
      });
    if (p.row.kind === "bank" && p.row.amount > 0)
      transfers.push({
        type: "posted",
        idempotencyKey: `${key}:pay`,
        debitAccountId: holding,
        creditAccountId: accounts.payee(p.row.payee_id!),
        amount: p.row.amount,
        code: "payment",
        ...ref,
      });
  }
  for (const inv of invoices) {
    const budget = budgets.get(inv.budget_id)!;
    transfers.push({
      type: "posted",
      idempotencyKey: inv.invoice_key,
      debitAccountId: accounts.contribution(budget),
      creditAccountId: accounts.income(),
      amount: inv.amount,
      code: "contribution",
      refKind: "contribution_invoice",
      refId: inv.invoice_id,
    });
  }
  await transfersIn({ tx, today }, await accounts.resolve({ tx, today }, transfers));
  await recordTakes(tx, made, takes);

  // The first direct payment of a budget sets its review dates (budgets.recordFirstPaymentIn, once).
  const firstDp = new Map<string, string>();
  for (const m of made)
    if (m.deployment === "direct_payment" && m.kind === "bank" && m.amount > 0) {
      const d = firstDp.get(m.budget_id);
      if (!d || m.pay_date < d) firstDp.set(m.budget_id, m.pay_date);
    }
  await recordFirstPaymentsIn(tx, firstDp);
  if (made.length > 0 || invoices.length > 0)
    await audit(tx, {
      action: "payment_run.make",
      recordType: "payment_run",
      recordId: runId,
      changes: {
        payments: made.length,
        totalPence: made.reduce((s, m) => s + Number(m.amount), 0),
        invoices: invoices.length,
        ...(made.length <= 100 ? { paymentIds: made.map((m) => m.payment_id) } : {}),
      },
    });
  return { made, invoices: invoices.length };
}
