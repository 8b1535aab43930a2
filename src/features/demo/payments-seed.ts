import {
  decideBankDetailsIn,
  ensurePayeeIn,
  proposeBankDetailsIn,
} from "#/features/payments/bank-details.ts";
import { addDays } from "#/features/payments/pay-dates.calc.ts";
import { savePaymentSettingsIn } from "#/features/payments/service.ts";
import type { TxContext } from "#/platform/context.ts";
import type { Actor, TenantTx } from "#/platform/db/tenant.ts";

/**
 * Demo Council's payment settings and payees, made through the real payments use cases (after the plans seed):
 *  - payment settings from four weeks before `today` (the demo's live budget starts then): 4-weekly cycles from
 *    that day, contributions netted, the banking day before, England and Wales; a made-up council account and
 *    Bacs service user number; finance codes for every funding stream;
 *  - the person with the live budget as a payee, their bank details proposed by the first finance officer and
 *    approved by the second (maker-checker), so a run on /payments pays them.
 * Every account number and sort code is made up.
 */

async function staffActor(tx: TenantTx, email: string): Promise<Actor | undefined> {
  const u = await tx
    .selectFrom("staff_users")
    .select(["user_id", "name"])
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("email", "=", email)
    .executeTakeFirst();
  return u ? { type: "staff", id: u.user_id, name: u.name } : undefined;
}

/** Runs `fn` as another actor in the seed's transaction (maker-checker needs two people). */
async function actingAs<T>(t: TxContext, actor: Actor, fn: () => Promise<T>): Promise<T> {
  const tx = t.tx as { scope: TenantTx["scope"] };
  const saved = tx.scope;
  tx.scope = { ...saved, actor };
  try {
    return await fn();
  } finally {
    tx.scope = saved;
  }
}

export async function seedDemoPayments(t: TxContext): Promise<void> {
  const { tx } = t;
  const finance = await staffActor(tx, "finance.officer@demo.upfront.test");
  const checker = await staffActor(tx, "finance.officer.2@demo.upfront.test");
  if (!finance || !checker) return;
  const start = addDays(t.today, -28);
  const streams = await tx
    .selectFrom("funding_streams")
    .select("stream_id")
    .where("tenant_id", "=", tx.scope.tenantId)
    .orderBy("stream_id")
    .execute();
  await actingAs(t, finance, () =>
    savePaymentSettingsIn(tx, {
      frequency: "four_weekly",
      anchorDate: start,
      contributionCollection: "net_from_direct_payment",
      whenNotBankingDay: "before",
      bankHolidayRegion: "england-and-wales",
      originator: {
        accountName: "DEMO COUNCIL ADULT SOCIAL CARE",
        sortCode: "40-00-01",
        accountNumber: "01234567",
        serviceUserNumber: "900001",
      },
      financeCodes: {
        streams: Object.fromEntries(
          streams.map((s, i) => [s.stream_id, { glCode: `GL-${4100 + i}`, costCentre: `CC-${200 + i}` }]),
        ),
        contribution: { glCode: "GL-9100", costCentre: "CC-900" },
      },
      validFrom: start,
      reason: "Demo Council's payment settings",
    }),
  );
  const budget = await tx
    .selectFrom("personal_budgets as b")
    .innerJoin("people as p", (j) =>
      j.onRef("p.tenant_id", "=", "b.tenant_id").onRef("p.person_id", "=", "b.person_id"),
    )
    .select(["b.person_id", "p.given_name", "p.family_name"])
    .where("b.tenant_id", "=", tx.scope.tenantId)
    .where("b.status", "=", "live")
    .orderBy("p.reference")
    .executeTakeFirst();
  if (!budget) return;
  const name = `${budget.given_name} ${budget.family_name}`;
  const details = await actingAs(t, finance, async () => {
    const payee = await ensurePayeeIn(t, { kind: "person", personId: budget.person_id, name });
    return proposeBankDetailsIn(t, payee.payeeId, {
      accountName: name,
      sortCode: "20-00-00",
      accountNumber: "55779911",
      effectiveFrom: start,
    });
  });
  await actingAs(t, checker, () => decideBankDetailsIn(t, details.detailsId, "approve"));
}
