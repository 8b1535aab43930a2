import { budgetAccountIn } from "#/features/budgets/accounts.ts";
import { budgetsForPersonIn, type PersonalBudget } from "#/features/budgets/service.ts";
import { ensureAccountIn, transferIn } from "#/features/ledger/service.ts";
import { approvePlan } from "#/features/planning/service.ts";
import { linkCard } from "#/features/spending/cards.ts";
import { crc32 } from "#/features/spending/receipt-check.calc.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import type { Database } from "#/platform/db/database.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { DEMO_STAFF } from "#/seed/seed.ts";
import { TODAY } from "../../../test/today.ts";

export { TODAY };

/**
 * For spending and budget-page tests: the demo council (one person with a live budget, started 28 days before
 * TODAY), staff contexts by role, and a helper that pays money into a budget's deployment account the way the
 * payment run does (from its funding stream's account).
 */

export const START = "2026-10-26";

export async function staffCtx(database: Database, role: string, today = TODAY): Promise<ServiceContext> {
  const user = await withSystem(database.db, (trx) =>
    trx
      .selectFrom("staff_users")
      .where("email", "=", DEMO_STAFF.find((s) => s.roles.includes(role as never))!.email)
      .select(["tenant_id", "user_id"])
      .executeTakeFirstOrThrow(),
  );
  return {
    db: database.db,
    scope: { tenantId: user.tenant_id, actor: { type: "staff", id: user.user_id } },
    today,
  };
}

/** From a demo database (`databaseFor(engine, "demo")`): the first live budget, its holder, a card linked to it. */
export async function spendingWorld(database: Database) {
  const finance = await staffCtx(database, "finance_officer");
  const { person_id: personId } = await withSystem(database.db, (trx) =>
    trx.selectFrom("personal_budgets").select("person_id").executeTakeFirstOrThrow(),
  );
  const budget = await inTenant(finance, async ({ tx }) => (await budgetsForPersonIn(tx, personId))[0]!);
  await linkCard(finance, { provider: "upfront", cardId: "DP-0001", personId });
  return { finance, personId, budget };
}

/** Pays `amount` into the budget's account for a deployment from its first stream, as a payment run would. */
export async function fund(
  ctx: ServiceContext,
  budget: PersonalBudget,
  amount: number,
  key: string,
  deployment = "direct_payment",
) {
  return inTenant(ctx, async (t) => {
    const streamId =
      budget.lines.find((l) => l.deployment === deployment)?.streamId ?? budget.lines[0]!.streamId;
    const stream = await ensureAccountIn(t, { code: `stream:${streamId}`, kind: "stream", streamId });
    const account = await budgetAccountIn(t, budget, deployment);
    return transferIn(t, {
      type: "posted",
      idempotencyKey: `test-payment:${key}`,
      debitAccountId: stream.accountId,
      creditAccountId: account.accountId,
      amount,
      code: "payment",
    });
  });
}

/** Approves the demo's waiting plan (the fifth person's), so the council has a second live budget. */
export async function secondBudget(database: Database): Promise<PersonalBudget> {
  const manager = await staffCtx(database, "team_manager");
  const plan = await withSystem(database.db, (trx) =>
    trx
      .selectFrom("support_plans as p")
      .innerJoin("plan_versions as v", (j) =>
        j.onRef("v.tenant_id", "=", "p.tenant_id").onRef("v.plan_id", "=", "p.plan_id"),
      )
      .where("v.status", "=", "submitted")
      .select(["p.plan_id", "v.version", "p.person_id"])
      .executeTakeFirstOrThrow(),
  );
  await approvePlan(manager, plan.plan_id, plan.version, { startDate: START });
  return inTenant(manager, async ({ tx }) => (await budgetsForPersonIn(tx, plan.person_id))[0]!);
}

const bytes = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: (Uint8Array | number[])[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const chunk = (type: string, data: number[]) => {
  const body = concat(bytes(type), data);
  return concat(u32(data.length), body, u32(crc32(body)));
};
/** A real 1×1 PNG. */
export const PNG = concat(
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  chunk("IHDR", [...u32(1), ...u32(1), 8, 0, 0, 0, 0]),
  chunk("IDAT", [0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]),
  chunk("IEND", []),
);
