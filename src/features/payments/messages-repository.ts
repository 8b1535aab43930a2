import type { Selectable } from "kysely";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for returned payments (the bank sent the money back) and the messages they leave for the person and for
 * finance (migrations/0010_payments.sql), inside the caller's tenant transaction. Queries name tenant_id even
 * under RLS.
 */

export type MessageRow = Selectable<DB["payment_messages"]>;

const tenant = (tx: TenantTx) => tx.scope.tenantId;

export async function insertReturn(
  tx: TenantTx,
  row: {
    return_id: string;
    payment_id: string;
    reason_code: string;
    returned_on: string;
    recorded_by: string;
  },
): Promise<boolean> {
  const r = await tx
    .insertInto("payment_returns")
    .values({ ...row, tenant_id: tenant(tx) })
    .onConflict((oc) => oc.columns(["tenant_id", "payment_id"]).doNothing())
    .returning("return_id")
    .executeTakeFirst();
  return r !== undefined;
}

export async function insertMessages(
  tx: TenantTx,
  rows: readonly Omit<MessageRow, "tenant_id" | "created_at">[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insertInto("payment_messages")
    .values(rows.map((r) => ({ ...r, tenant_id: tenant(tx) })))
    .execute();
}

export type DatedMessageRow = MessageRow & { returned_on: string | null };

/**
 * One person's messages for an audience, newest first, each with the date of what it is about (the day the bank
 * returned the payment); only those about something on or after `since`, when given.
 */
export async function messagesOfPerson(
  tx: TenantTx,
  filter: { personId: string; audience: MessageRow["audience"]; since?: string; limit: number },
): Promise<DatedMessageRow[]> {
  let q = tx
    .selectFrom("payment_messages as m")
    .leftJoin("payment_returns as r", (j) =>
      j.onRef("r.tenant_id", "=", "m.tenant_id").onRef("r.payment_id", "=", "m.payment_id"),
    )
    .selectAll("m")
    .select("r.returned_on")
    .where("m.tenant_id", "=", tenant(tx))
    .where("m.person_id", "=", filter.personId)
    .where("m.audience", "=", filter.audience);
  if (filter.since) {
    const since = filter.since;
    q = q.where((eb) =>
      eb.or([
        eb("r.returned_on", ">=", since),
        eb.and([eb("r.returned_on", "is", null), eb("m.created_at", ">=", new Date(`${since}T00:00:00Z`))]),
      ]),
    );
  }
  return q.orderBy("m.created_at", "desc").orderBy("m.message_id", "desc").limit(filter.limit).execute();
}

export async function messagesFor(
  tx: TenantTx,
  filter: { personId?: string; audience: "person" | "finance" },
): Promise<MessageRow[]> {
  let q = tx
    .selectFrom("payment_messages")
    .selectAll()
    .where("tenant_id", "=", tenant(tx))
    .where("audience", "=", filter.audience);
  if (filter.personId) q = q.where("person_id", "=", filter.personId);
  return q.orderBy("created_at", "desc").limit(200).execute();
}
