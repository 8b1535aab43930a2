import type { Kysely } from "kysely";
import { sql } from "kysely";
import { approveBankDetails, createPayee, proposeBankDetails } from "#/features/payments/bank-details.ts";
import { type PaymentSettingsInput, savePaymentSettings } from "#/features/payments/service.ts";
import { hashPassword } from "#/platform/auth/passwords.ts";
import type { ServiceContext } from "#/platform/context.ts";
import type { Database } from "#/platform/db/database.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { DB, StaffRole } from "#/platform/db/schema.ts";
import { withSystem } from "#/platform/db/tenant.ts";

/**
 * Test helpers for payments (only tests import this file): a council with two finance officers, payment
 * settings, and people with live budgets made with SQL (a plan version approved on a day, a budget with a direct
 * payment line and a council-arranged line), each person a payee with approved bank details; staff of other
 * roles, and a person's own online account.
 */

export type PaymentsTenant = {
  tenantId: string;
  slug: string;
  /** Two different finance officers, for maker-checker. */
  maker: ServiceContext & { email: string };
  checker: ServiceContext & { email: string };
};

/** Staff sign in with this password (the same as the accounts fixture's). */
export const STAFF_PASSWORD = "correct horse battery staple";

/** A member of staff (a finance officer unless other roles are given), who signs in with STAFF_PASSWORD. */
export async function staff(
  db: Kysely<DB>,
  tenantId: string,
  name: string,
  today: string,
  roles: StaffRole[] = ["finance_officer"],
): Promise<ServiceContext & { email: string }> {
  const userId = uuidv7();
  const passwordHash = await hashPassword(STAFF_PASSWORD);
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}.${userId.slice(-6)}@payments.test`;
  await withSystem(db, (trx) =>
    trx
      .insertInto("staff_users")
      .values({
        tenant_id: tenantId,
        user_id: userId,
        email,
        name,
        password_hash: passwordHash,
        roles,
      })
      .execute(),
  );
  return { db, scope: { tenantId, actor: { type: "staff", id: userId, name } }, today, email };
}

export const SETTINGS: PaymentSettingsInput = {
  frequency: "four_weekly",
  // A Monday; 4-weekly cycles from it: 12 Jan, 9 Feb, 9 Mar, 6 Apr (Easter Monday 2026), 4 May…
  anchorDate: "2026-01-12",
  contributionCollection: "net_from_direct_payment",
  whenNotBankingDay: "before",
  bankHolidayRegion: "england-and-wales",
  originator: {
    accountName: "DEMO COUNCIL",
    sortCode: "40-00-01",
    accountNumber: "12345678",
    serviceUserNumber: "123456",
  },
  financeCodes: {
    streams: { asc: { glCode: "ASC-DP", costCentre: "CC100" } },
    contribution: { glCode: "ASC-INC", costCentre: "CC900" },
  },
  validFrom: "2026-01-01",
  reason: "Test settings",
};

export async function paymentsTenant(
  database: Database,
  today = "2026-01-07",
  settings: Partial<PaymentSettingsInput> = {},
): Promise<PaymentsTenant> {
  const tenantId = uuidv7();
  const slug = `pay-${tenantId.slice(-10)}`;
  await withSystem(database.db, async (trx) => {
    await trx
      .insertInto("tenants")
      .values({ tenant_id: tenantId, slug, name: `Payments ${slug}`, jurisdiction: "england" })
      .execute();
    await sql`INSERT INTO funding_streams (tenant_id, stream_id, kind) VALUES (${tenantId}, 'asc', 'adult_social_care')`.execute(
      trx,
    );
  });
  const maker = await staff(database.db, tenantId, "Fin Maker", today);
  const checker = await staff(database.db, tenantId, "Fin Checker", today);
  await savePaymentSettings(maker, { ...SETTINGS, ...settings });
  return { tenantId, slug, maker, checker };
}

export type BudgetSpec = {
  startDate: string;
  approvedOn: string;
  /** Direct payment, weekly pence. */
  directWeekly: number;
  /** Council-arranged care, weekly pence (funding only: nothing sent to a bank). */
  councilWeekly?: number;
  contributionWeekly?: number;
  oneOff?: number;
  /** Give the person approved bank details (default true). */
  bankDetails?: boolean;
};

export type FixtureBudget = { personId: string; budgetId: string; payeeId: string | null };

/** A person with a live budget and (by default) a payee with approved bank details. */
export async function personWithBudget(
  database: Database,
  tenant: PaymentsTenant,
  spec: BudgetSpec,
  n = 1,
): Promise<FixtureBudget> {
  const t = tenant.tenantId;
  const personId = uuidv7();
  const assessmentId = uuidv7();
  const planId = uuidv7();
  const budgetId = uuidv7();
  const council = spec.councilWeekly ?? 0;
  const contribution = spec.contributionWeekly ?? 0;
  await withSystem(database.db, async (trx) => {
    await sql`INSERT INTO people (tenant_id, person_id, reference, given_name, family_name, date_of_birth)
              VALUES (${t}, ${personId}, ${`P${personId.slice(-8)}`}, ${`Person${n}`}, 'Fernhollow', '1970-01-01')`.execute(
      trx,
    );
    await sql`INSERT INTO assessments (tenant_id, assessment_id, person_id, version, questionnaire_id, status,
                created_by, submitted_at, submitted_by)
              VALUES (${t}, ${assessmentId}, ${personId}, 1, 'fixture', 'submitted', 'fixture', now(), 'fixture')`.execute(
      trx,
    );
    await sql`INSERT INTO support_plans (tenant_id, plan_id, person_id, assessment_id, created_by)
              VALUES (${t}, ${planId}, ${personId}, ${assessmentId}, 'fixture')`.execute(trx);
    await sql`INSERT INTO plan_versions (tenant_id, plan_id, version, status, content, indicative_weekly_pence,
                submitted_by, submitted_at, decided_by, decided_at, created_by)
              VALUES (${t}, ${planId}, 1, 'approved', '{"outcomes":[],"supports":[]}'::jsonb, 30000,
                'fixture', ${`${spec.approvedOn}T11:00:00Z`}, 'fixture', ${`${spec.approvedOn}T12:00:00Z`},
                'fixture')`.execute(trx);
    await sql`INSERT INTO personal_budgets (tenant_id, budget_id, person_id, plan_id, plan_version, start_date,
                status, weekly_pence, one_off_pence, contribution_weekly_pence, approved_by, approved_at)
              VALUES (${t}, ${budgetId}, ${personId}, ${planId}, 1, ${spec.startDate}, 'live',
                ${spec.directWeekly + council}, ${spec.oneOff ?? 0}, ${contribution}, 'fixture',
                ${`${spec.approvedOn}T12:00:00Z`})`.execute(trx);
    await sql`INSERT INTO personal_budget_lines (tenant_id, budget_id, line_no, support_id, support_name, category,
                deployment, stream_id, means_tested, weekly_pence, one_off_pence, contribution_weekly_pence)
              VALUES (${t}, ${budgetId}, 1, 'pa', 'Personal assistant', 'personal_care', 'direct_payment', 'asc',
                true, ${spec.directWeekly}, ${spec.oneOff ?? 0}, ${contribution})`.execute(trx);
    if (council > 0)
      await sql`INSERT INTO personal_budget_lines (tenant_id, budget_id, line_no, support_id, support_name,
                  category, deployment, stream_id, means_tested, weekly_pence, one_off_pence)
                VALUES (${t}, ${budgetId}, 2, 'day', 'Day service', 'day_opportunities', 'council_arranged', 'asc',
                  true, ${council}, 0)`.execute(trx);
  });
  if (spec.bankDetails === false) return { personId, budgetId, payeeId: null };
  const payee = await createPayee(tenant.maker, { kind: "person", personId, name: `Person${n} Fernhollow` });
  const proposed = await proposeBankDetails(tenant.maker, payee.payeeId, {
    accountName: `PERSON${n} FERNHOLLOW`,
    sortCode: "20-00-00",
    accountNumber: String(10_000_000 + n),
    effectiveFrom: "2026-01-01",
  });
  await approveBankDetails(tenant.checker, proposed.detailsId);
  return { personId, budgetId, payeeId: payee.payeeId };
}

export async function countRows(
  db: Kysely<DB>,
  query: ReturnType<typeof sql<{ n: number }>>,
): Promise<number> {
  const r = await withSystem(db, (trx) => query.execute(trx));
  return Number(r.rows[0]!.n);
}

/** An online account for the person themself, signing in at /my/sign-in with STAFF_PASSWORD. */
export async function personAccount(
  database: Database,
  tenant: PaymentsTenant,
  personId: string,
  email: string,
): Promise<void> {
  const passwordHash = await hashPassword(STAFF_PASSWORD);
  await withSystem(database.db, (trx) =>
    trx
      .insertInto("person_accounts")
      .values({
        tenant_id: tenant.tenantId,
        account_id: uuidv7(),
        name: "Budget Holder",
        email,
        password_hash: passwordHash,
        person_id: personId,
      })
      .execute(),
  );
}
