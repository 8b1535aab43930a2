import { z } from "zod";
import { topUpAccountIn } from "#/features/budgets/accounts.ts";
import { budgetIn } from "#/features/budgets/service.ts";
import { ensureAccountIn, transfersIn } from "#/features/ledger/service.ts";
import * as repo from "#/features/spending/repository.ts";
import { dateSchema } from "#/features/spending/schemas.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";

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
