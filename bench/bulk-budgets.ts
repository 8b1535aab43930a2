/**
 * Live budgets by the thousand for the benchmarks (bench/ledger.ts, bench/crash-trials.ts): one SQL script, run
 * as the owner on one connection with the simple protocol, making per budget a person, a submitted assessment, an
 * approved plan, a live budget of one direct-payment line on the 'asc' stream, and a payee with approved bank
 * details (and, if asked, a prepaid card). Ids are fresh uuids; nothing here goes through the services, which is
 * the point: set-up in seconds, so the benchmark measures the run, not the set-up.
 */
export function bulkBudgetsSql(o: {
  tenantId: string;
  count: number;
  /** The staff who proposed and approved the bank details (two people, as the app requires). */
  maker: string;
  checker: string;
  startDate: string;
  weeklyPence: number;
  contributionWeeklyPence: number;
  /** Link a card ('upfront', 'BC-<i>') to each person, for card-feed imports. */
  cards?: boolean;
}): string {
  const id = o.tenantId;
  return `
    BEGIN;
    CREATE TEMP TABLE bench_people ON COMMIT DROP AS
      SELECT i, gen_random_uuid() AS person_id, gen_random_uuid() AS assessment_id, gen_random_uuid() AS plan_id,
        gen_random_uuid() AS budget_id, gen_random_uuid() AS payee_id, gen_random_uuid() AS details_id
      FROM generate_series(1, ${o.count}) AS i;
    INSERT INTO people (tenant_id, person_id, reference, given_name, family_name, date_of_birth)
      SELECT '${id}', person_id, 'B' || i, 'Person' || i, 'Bench', '1970-01-01' FROM bench_people;
    INSERT INTO assessments (tenant_id, assessment_id, person_id, version, questionnaire_id, status, created_by,
        submitted_at, submitted_by)
      SELECT '${id}', assessment_id, person_id, 1, 'bench', 'submitted', 'bench', now(), 'bench' FROM bench_people;
    INSERT INTO support_plans (tenant_id, plan_id, person_id, assessment_id, created_by)
      SELECT '${id}', plan_id, person_id, assessment_id, 'bench' FROM bench_people;
    INSERT INTO plan_versions (tenant_id, plan_id, version, status, content, indicative_weekly_pence, submitted_by,
        submitted_at, decided_by, decided_at, created_by)
      SELECT '${id}', plan_id, 1, 'approved', '{"outcomes":[],"supports":[]}'::jsonb, ${o.weeklyPence}, 'bench',
        '2026-01-05T11:00:00Z', 'bench', '2026-01-05T12:00:00Z', 'bench' FROM bench_people;
    INSERT INTO personal_budgets (tenant_id, budget_id, person_id, plan_id, plan_version, start_date, status,
        weekly_pence, one_off_pence, contribution_weekly_pence, approved_by, approved_at)
      SELECT '${id}', budget_id, person_id, plan_id, 1, '${o.startDate}', 'live', ${o.weeklyPence}, 0,
        ${o.contributionWeeklyPence}, 'bench', '2026-01-05T12:00:00Z' FROM bench_people;
    INSERT INTO personal_budget_lines (tenant_id, budget_id, line_no, support_id, support_name, category,
        deployment, stream_id, means_tested, weekly_pence, one_off_pence, contribution_weekly_pence)
      SELECT '${id}', budget_id, 1, 'pa', 'Personal assistant', 'personal_care', 'direct_payment', 'asc', true,
        ${o.weeklyPence}, 0, ${o.contributionWeeklyPence} FROM bench_people;
    INSERT INTO payees (tenant_id, payee_id, kind, person_id, name, created_by)
      SELECT '${id}', payee_id, 'person', person_id, 'Person' || i || ' Bench', '${o.maker}' FROM bench_people;
    INSERT INTO payee_bank_details (tenant_id, details_id, payee_id, account_name, sort_code, account_number,
        effective_from, status, proposed_by, decided_by, decided_at)
      SELECT '${id}', details_id, payee_id, 'PERSON' || i || ' BENCH', '200000', (10000000 + i)::text,
        '2026-01-01', 'approved', '${o.maker}', '${o.checker}', now() FROM bench_people;${
          o.cards
            ? `
    INSERT INTO spending_cards (tenant_id, provider, card_id, person_id, cash_withdrawals_permitted)
      SELECT '${id}', 'upfront', 'BC-' || i, person_id, false FROM bench_people;`
            : ""
        }
    COMMIT;
    ANALYZE;`;
}
