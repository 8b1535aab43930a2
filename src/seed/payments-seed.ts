import { liveBudgetsIn } from "#/features/budgets/service.ts";
import {
  decideBankDetailsIn,
  ensurePayeeIn,
  proposeBankDetailsIn,
} from "#/features/payments/bank-details.ts";
import { savePaymentSettingsIn } from "#/features/payments/service.ts";
import type { TxContext } from "#/platform/context.ts";
import { addDays } from "#/platform/dates/calendar.ts";
import type { Actor, TenantTx } from "#/platform/db/tenant.ts";
import { castStaff, type DemoCast } from "./cast.ts";
import { demoFundingSettings } from "./directory-funding-seed.ts";

/**
 * Demo Council's payment settings and payees, made through the real payments use cases (after the plans seed):
 *  - payment settings from four weeks before `today` (the demo's live budget starts then): 4-weekly cycles from
 *    that day, contributions netted, the banking day before, England and Wales; a made-up council account and
 *    Bacs service user number; finance codes for every funding stream;
 *  - the person with the live budget as a payee, their bank details proposed by the first finance officer and
 *    approved by the second (maker-checker), so a run on /payments pays them.
 * Every account number and sort code is made up.
 */

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

export async function seedDemoPayments(t: TxContext, cast: DemoCast): Promise<void> {
  const { tx } = t;
  const finance = castStaff(cast, "finance.officer@demo.upfront.test")?.actor;
  const checker = castStaff(cast, "finance.officer.2@demo.upfront.test")?.actor;
  if (!finance || !checker) return;
  const start = addDays(t.today, -28);
  // The streams directory-funding-seed.ts set up, in id order (each gets its own finance codes).
  const streams = demoFundingSettings()
    .streams.map((s) => ({ stream_id: s.id }))
    .sort((a, b) => (a.stream_id < b.stream_id ? -1 : 1));
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
  // The first person (by reference) with a live budget: plans-seed.ts approved one plan.
  const live = new Set((await liveBudgetsIn(tx, t.today)).map((b) => b.personId));
  const holder = cast.withAllocations.find((p) => live.has(p.personId));
  if (!holder) return;
  const name = `${holder.givenName} ${holder.familyName}`;
  const details = await actingAs(t, finance, async () => {
    const payee = await ensurePayeeIn(t, { kind: "person", personId: holder.personId, name });
    return proposeBankDetailsIn(t, payee.payeeId, {
      accountName: name,
      sortCode: "20-00-00",
      accountNumber: "55779911",
      effectiveFrom: start,
    });
  });
  await actingAs(t, checker, () => decideBankDetailsIn(t, details.detailsId, "approve"));
}
