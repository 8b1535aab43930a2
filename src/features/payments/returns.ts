import { z } from "zod";
import { ensureAccountIn, transferIn } from "#/features/ledger/service.ts";
import * as messagesRepo from "#/features/payments/messages-repository.ts";
import * as repo from "#/features/payments/repository.ts";
import { RETURN_REASONS, returnMessages, returnReason } from "#/features/payments/returns.calc.ts";
import { type Payment, toPayment } from "#/features/payments/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext } from "#/platform/context.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { isCalendarDate } from "#/rules/index.ts";

/**
 * A payment the bank returns: recorded once, the money moved back from the payee's account to the budget's
 * account it was paid from (a ledger transfer keyed by the payment), the payment marked returned, and a message
 * stored for the person (their record and portal) and for finance (the /payments page) saying what to do. All in
 * one transaction with its audit event. GOV.UK Notify will send the person's message in a later issue.
 */

export const returnSchema = z.strictObject({
  reasonCode: z
    .string({ error: "Give the bank's return reason code" })
    .trim()
    .toUpperCase()
    .refine((c) => returnReason(c) !== undefined, {
      error: `Give one of the return reason codes: ${RETURN_REASONS.map((r) => r.code).join(", ")}`,
    }),
  returnedOn: z
    .string({ error: "Give the date the bank returned the payment" })
    .refine(isCalendarDate, { error: "Write the date the payment came back as YYYY-MM-DD" }),
});
export type ReturnInput = z.input<typeof returnSchema>;

export async function recordReturn(
  ctx: ServiceContext,
  paymentId: string,
  input: ReturnInput,
): Promise<Payment> {
  const parsed = returnSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The return needs correcting");
  const { reasonCode, returnedOn } = parsed.data;
  const reason = returnReason(reasonCode)!;
  return inTenant(ctx, async (t) => {
    const { tx } = t;
    const payment = await repo.findPayment(tx, paymentId, true);
    if (!payment) throw new NotFoundError("The payment");
    if (payment.status === "returned")
      throw new ConflictError("This payment has already been recorded as returned");
    if (payment.kind !== "bank" || Number(payment.amount) === 0)
      throw new ConflictError("Only a payment sent to a bank account can come back from the bank");
    if (returnedOn < payment.pay_date)
      throw new ValidationError([
        {
          path: "returnedOn",
          message: `The payment was made on ${dateInWords(payment.pay_date)}: it cannot come back before then`,
        },
      ]);
    const payee = await ensureAccountIn(t, { code: `payee:${payment.payee_id}`, kind: "payee" });
    const budget = await ensureAccountIn(t, {
      code: `budget:${payment.budget_id}:${payment.deployment}`,
      kind: "budget",
      budgetId: payment.budget_id,
      deployment: payment.deployment,
      personId: payment.person_id,
      mustNotGoBelowZero: true,
    });
    await transferIn(t, {
      type: "posted",
      idempotencyKey: `${payment.payment_key}:return`,
      debitAccountId: payee.accountId,
      creditAccountId: budget.accountId,
      amount: Number(payment.amount),
      code: "return",
      refKind: "payment",
      refId: payment.payment_id,
    });
    await messagesRepo.insertReturn(tx, {
      return_id: uuidv7(),
      payment_id: paymentId,
      reason_code: reason.code,
      returned_on: returnedOn,
      recorded_by: actorRef(tx.scope.actor),
    });
    await repo.setPaymentReturned(tx, paymentId);
    const messages = returnMessages(reason, {
      amount: Number(payment.amount),
      payDate: payment.pay_date,
      returnedOn,
    });
    await messagesRepo.insertMessages(tx, [
      {
        message_id: uuidv7(),
        payment_id: paymentId,
        person_id: payment.person_id,
        audience: "person",
        body: messages.person,
      },
      {
        message_id: uuidv7(),
        payment_id: paymentId,
        person_id: payment.person_id,
        audience: "finance",
        body: messages.finance,
      },
    ]);
    await audit(tx, {
      action: "payment.return",
      recordType: "payment",
      recordId: paymentId,
      changes: { reasonCode: reason.code, returnedOn, amountPence: Number(payment.amount) },
    });
    return toPayment({ ...payment, status: "returned" });
  });
}
