import { z } from "zod";
import { ensureAccountIn, transferIn } from "#/features/ledger/service.ts";
import { cycleText, dateText } from "#/features/payments/invoice-text.calc.ts";
import * as invoicesRepo from "#/features/payments/invoices-repository.ts";
import { findPersonRows } from "#/features/people/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { isCalendarDate } from "#/rules/index.ts";

/**
 * Contribution invoices (issue 6, Payments): where the council invoices the person's contribution instead of
 * netting it from the direct payment, a payment run raises one invoice per cycle and puts the amount on the
 * person's contribution account (debit `contribution:<budgetId>`, credit contribution income). Here:
 *  - finance records that an invoice was paid, in full only: the invoice marked paid on its date and, in the
 *    same transaction, the money received clears the person's contribution account (debit the council's
 *    `contributions_received` account, credit `contribution:<budgetId>`), keyed by the invoice so it happens
 *    once; recording the same payment again changes nothing, a different date is refused;
 *  - finance lists invoices (raised ones to chase and record);
 *  - the person's invoices for their budget page and statement, with the cycle in words.
 */

export const invoicePaymentSchema = z.strictObject({
  paidOn: z
    .string({ error: "Give the date the payment was received" })
    .trim()
    .refine(isCalendarDate, { error: "Write the date the payment was received as YYYY-MM-DD" }),
  amountPence: z
    .number({ error: "Give the amount received, in pence" })
    .int({ error: "Give the amount received as a whole number of pence" })
    .positive({ error: "The amount received must be more than 0" }),
});
export type InvoicePaymentInput = z.input<typeof invoicePaymentSchema>;

export const invoiceListQuerySchema = z.strictObject({
  status: z
    .enum(["raised", "paid"], { error: "Choose raised (not yet paid) or paid" })
    .optional()
    .describe("raised: not paid yet; paid: payment recorded. Leave out for both"),
});

/** The most invoices one list shows: the oldest first, so the longest unpaid are never cut off. */
export const INVOICE_LIST_LIMIT = 500;

/** The council's account for contributions people have paid (money received, before it is banked elsewhere). */
export const CONTRIBUTIONS_RECEIVED = {
  code: "contributions_received",
  kind: "bank",
  name: "Contributions received from people",
} as const;

export type ContributionInvoice = {
  invoiceId: string;
  runId: string;
  budgetId: string;
  personId: string;
  cycleStart: string;
  cycleEnd: string;
  /** The cycle in words: "1 to 28 December 2026". */
  cycleText: string;
  amount: number;
  status: invoicesRepo.InvoiceRow["status"];
  paidOn: string | null;
  raisedAt: Date;
};

export type InvoiceForFinance = ContributionInvoice & { personName: string; personReference: string };

const toInvoice = (r: invoicesRepo.InvoiceRow): ContributionInvoice => ({
  invoiceId: r.invoice_id,
  runId: r.run_id,
  budgetId: r.budget_id,
  personId: r.person_id,
  cycleStart: r.cycle_start,
  cycleEnd: r.cycle_end,
  cycleText: cycleText(r.cycle_start, r.cycle_end),
  amount: Number(r.amount),
  status: r.status,
  paidOn: r.paid_on,
  raisedAt: r.created_at,
});

/** Byte order, as the database's C collation sorts names. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Invoices with the person's name and reference (from the people feature): oldest cycle first, then by family
 * name and invoice; at most `limit`.
 */
async function invoicesWithPeopleIn(
  tx: TenantTx,
  filter: { status?: invoicesRepo.InvoiceRow["status"]; limit: number },
) {
  const rows = await invoicesRepo.invoicesByCycle(tx, filter);
  const people = await findPersonRows(
    { tx },
    rows.map((r) => r.person_id),
  );
  return rows
    .flatMap((r) => {
      const person = people.get(r.person_id);
      return person
        ? [
            {
              ...r,
              given_name: person.given_name,
              family_name: person.family_name,
              reference: person.reference,
            },
          ]
        : [];
    })
    .sort(
      (a, b) =>
        byText(a.cycle_start, b.cycle_start) ||
        byText(a.family_name, b.family_name) ||
        byText(a.invoice_id, b.invoice_id),
    )
    .slice(0, filter.limit);
}

/** Contribution invoices for finance, oldest cycle first, with whose they are; the list names people, so audited. */
export async function listContributionInvoices(
  ctx: ServiceContext,
  filter: { status?: invoicesRepo.InvoiceRow["status"] } = {},
): Promise<{ invoices: InvoiceForFinance[]; limited: boolean }> {
  return inTenant(ctx, async ({ tx }) => {
    const rows = await invoicesWithPeopleIn(tx, { ...filter, limit: INVOICE_LIST_LIMIT + 1 });
    await audit(tx, {
      action: "view",
      recordType: "contribution_invoices",
      recordId: tx.scope.tenantId,
      changes: { status: filter.status ?? "all", count: Math.min(rows.length, INVOICE_LIST_LIMIT) },
    });
    return {
      invoices: rows.slice(0, INVOICE_LIST_LIMIT).map((r) => ({
        ...toInvoice(r),
        personName: `${r.given_name} ${r.family_name}`,
        personReference: r.reference,
      })),
      limited: rows.length > INVOICE_LIST_LIMIT,
    };
  });
}

/** A person's invoices, newest cycle first (inside the caller's transaction, which checks who may see them). */
export async function contributionInvoicesOfPersonIn(
  t: TxContext,
  personId: string,
): Promise<ContributionInvoice[]> {
  return (await invoicesRepo.invoicesOfPerson(t.tx, personId)).map(toInvoice);
}

/** The contribution invoices of many people in one query (the DP audit queue reads a page at a time). */
export async function contributionInvoicesOfPeopleIn(
  t: TxContext,
  personIds: readonly string[],
): Promise<ContributionInvoice[]> {
  return (await invoicesRepo.invoicesOfPeople(t.tx, personIds)).map(toInvoice);
}

const pounds = (p: number) => formatPounds(p as Pence);

/**
 * Finance records that the person paid a contribution invoice in full, on a date. Checked first, then written
 * in one transaction with its audit event. The same payment recorded again is a replay: nothing is written and
 * the invoice is returned as it is (`replayed: true`).
 */
export async function recordInvoicePayment(
  ctx: ServiceContext,
  invoiceId: string,
  input: InvoicePaymentInput,
): Promise<{ invoice: ContributionInvoice; replayed: boolean }> {
  const parsed = invoicePaymentSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The payment received needs correcting");
  const { paidOn, amountPence } = parsed.data;
  if (paidOn > ctx.today)
    throw new ValidationError(
      [
        {
          path: "paidOn",
          message: `The date received cannot be after today (${dateText(ctx.today)}): record a payment once it has arrived`,
        },
      ],
      "The payment received needs correcting",
    );
  return inTenant(ctx, async (t) => {
    const { tx } = t;
    if (tx.scope.actor.type !== "staff" || !tx.scope.actor.id)
      throw new ForbiddenError("Only a finance officer may record a contribution payment");
    // Locked, so two officers recording the same invoice at once are taken one after the other.
    const invoice = await invoicesRepo.findInvoice(tx, invoiceId, true);
    if (!invoice) throw new NotFoundError("The contribution invoice");
    const amount = Number(invoice.amount);
    if (amountPence !== amount)
      throw new ValidationError(
        [
          {
            path: "amountPence",
            message: `This invoice is for ${pounds(amount)} and only a payment in full can be recorded: enter ${pounds(amount)}, or wait until the whole amount has arrived (you entered ${pounds(amountPence)})`,
          },
        ],
        "The payment received needs correcting",
      );
    if (invoice.status === "paid") {
      if (invoice.paid_on === paidOn) return { invoice: toInvoice(invoice), replayed: true };
      throw new ConflictError(
        `This invoice was already recorded as paid on ${dateText(invoice.paid_on!)}, so it cannot be recorded as paid on ${dateText(paidOn)} as well. Nothing was changed`,
      );
    }
    const received = await ensureAccountIn(t, CONTRIBUTIONS_RECEIVED);
    // The same spec as the payment run's, so the account the invoice was put on is the one cleared.
    const contribution = await ensureAccountIn(t, {
      code: `contribution:${invoice.budget_id}`,
      kind: "contribution",
      budgetId: invoice.budget_id,
      personId: invoice.person_id,
    });
    await transferIn(t, {
      type: "posted",
      idempotencyKey: `${invoice.invoice_key}:paid`,
      debitAccountId: received.accountId,
      creditAccountId: contribution.accountId,
      amount,
      code: "contribution_paid",
      refKind: "contribution_invoice",
      refId: invoice.invoice_id,
    });
    if (!(await invoicesRepo.setInvoicePaid(tx, invoiceId, paidOn)))
      throw new Error("contribution invoice changed under its lock");
    await audit(tx, {
      action: "contribution_invoice.paid",
      recordType: "contribution_invoice",
      recordId: invoiceId,
      changes: { paidOn, amountPence: amount, budgetId: invoice.budget_id, personId: invoice.person_id },
    });
    return { invoice: toInvoice({ ...invoice, status: "paid", paid_on: paidOn }), replayed: false };
  });
}
