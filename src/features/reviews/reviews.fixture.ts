import type { Kysely } from "kysely";
import { sql } from "kysely";
import { hashPassword } from "#/platform/auth/passwords.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { DB, StaffRole } from "#/platform/db/schema.ts";
import { withSystem } from "#/platform/db/tenant.ts";

/**
 * Test helpers for reviews (only tests import this file). Plans and budgets belong to planning and budgets; until
 * their services land, a live budget is made here with SQL: a plan for a person's assessment, an approved
 * version signed off on a given day, and a live budget with a direct payment line or not.
 */

export const FIXTURE_PASSWORD = "correct horse battery staple";

export async function addStaff(
  db: Kysely<DB>,
  tenantId: string,
  name: string,
  email: string,
  roles: StaffRole[],
): Promise<ServiceContext & { userId: string; email: string }> {
  const userId = uuidv7();
  const passwordHash = await hashPassword(FIXTURE_PASSWORD);
  await withSystem(db, (trx) =>
    trx
      .insertInto("staff_users")
      .values({ tenant_id: tenantId, user_id: userId, email, name, password_hash: passwordHash, roles })
      .execute(),
  );
  return {
    db,
    scope: { tenantId, actor: { type: "staff", id: userId, name } },
    today: "2026-01-01",
    userId,
    email,
  };
}

export const OUTCOMES = [
  { id: "cook", inTheirWords: "I want to cook my own tea", howWeWillKnow: "Cooks four nights a week" },
  { id: "football", inTheirWords: "Get to the home games", howWeWillKnow: "Goes to the home games" },
];

export type LiveBudget = { planId: string; budgetId: string };

/**
 * A plan whose version 1 was approved at noon London time on `agreedOn`, and a live budget from `startDate`
 * (with a direct payment line when `directPayment`), for the person's assessment.
 */
export async function makeLiveBudget(
  db: Kysely<DB>,
  opts: {
    tenantId: string;
    personId: string;
    assessmentId: string;
    leadWorkerId: string | null;
    agreedOn: string;
    startDate: string;
    directPayment: boolean;
    firstPaymentDate?: string;
  },
): Promise<LiveBudget> {
  const planId = uuidv7();
  const budgetId = uuidv7();
  const t = opts.tenantId;
  await withSystem(db, async (trx) => {
    await sql`INSERT INTO funding_streams (tenant_id, stream_id, kind) VALUES (${t}, 'asc', 'adult_social_care')
              ON CONFLICT DO NOTHING`.execute(trx);
    await sql`INSERT INTO support_plans (tenant_id, plan_id, person_id, assessment_id, lead_worker_id, created_by)
              VALUES (${t}, ${planId}, ${opts.personId}, ${opts.assessmentId}, ${opts.leadWorkerId}, 'fixture')`.execute(
      trx,
    );
    await sql`INSERT INTO plan_versions (tenant_id, plan_id, version, status, content, indicative_weekly_pence,
                submitted_by, submitted_at, decided_by, decided_at, created_by)
              VALUES (${t}, ${planId}, 1, 'approved', ${JSON.stringify({ outcomes: OUTCOMES, supports: [] })}::jsonb,
                30000, 'fixture', ${`${opts.agreedOn}T11:00:00Z`}, 'fixture', ${`${opts.agreedOn}T12:00:00Z`},
                'fixture')`.execute(trx);
    await sql`INSERT INTO personal_budgets (tenant_id, budget_id, person_id, plan_id, plan_version, start_date,
                status, weekly_pence, one_off_pence, first_payment_date, approved_by)
              VALUES (${t}, ${budgetId}, ${opts.personId}, ${planId}, 1, ${opts.startDate}, 'live', 30000, 0,
                ${opts.firstPaymentDate ?? null}, 'fixture')`.execute(trx);
    await sql`INSERT INTO personal_budget_lines (tenant_id, budget_id, line_no, support_id, support_name, category,
                deployment, stream_id, means_tested, weekly_pence, one_off_pence)
              VALUES (${t}, ${budgetId}, 1, 'care', 'Morning care', 'personal_care',
                ${opts.directPayment ? "direct_payment" : "council_arranged"}, 'asc', true, 30000, 0)`.execute(
      trx,
    );
  });
  return { planId, budgetId };
}

/** What the payments feature will do: record the first direct payment. */
export async function setFirstPayment(db: Kysely<DB>, tenantId: string, budgetId: string, date: string) {
  await withSystem(db, (trx) =>
    sql`UPDATE personal_budgets SET first_payment_date = ${date}
         WHERE tenant_id = ${tenantId} AND budget_id = ${budgetId}`.execute(trx),
  );
}
