import { z } from "zod";
import * as repo from "#/features/spending/repository.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";

const cardLinkSchema = z.strictObject({
  provider: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, { error: "Give the card provider in lower case" }),
  cardId: z.string().trim().min(1, { error: "Give the card's id" }).max(100),
  personId: z.uuid({ error: "Choose the person" }),
  cashWithdrawalsPermitted: z.boolean().optional(),
});
export type CardLink = z.infer<typeof cardLinkSchema>;

/**
 * Links a prepaid card to a person inside the caller's transaction, with no audit event of its own: for the demo
 * seed and the benchmarks, which write their data the way the service does. Staff use linkCard.
 */
export async function linkCardIn(t: TxContext, card: CardLink): Promise<void> {
  await repo.upsertCard(t.tx, {
    provider: card.provider,
    card_id: card.cardId,
    person_id: card.personId,
    cash_withdrawals_permitted: card.cashWithdrawalsPermitted ?? false,
  });
}

/** Links a prepaid card to the person whose budget it spends (staff, spending:manage). */
export async function linkCard(ctx: ServiceContext, input: CardLink): Promise<void> {
  const parsed = cardLinkSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error));
  await inTenant(ctx, async (t) => {
    await linkCardIn(t, parsed.data);
    await audit(t.tx, {
      action: "spending.link_card",
      recordType: "person",
      recordId: parsed.data.personId,
      changes: { provider: parsed.data.provider, cardId: parsed.data.cardId },
    });
  });
}
