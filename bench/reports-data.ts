/**
 * The synthetic council for the reports benchmark (bench/reports.ts): Demo Council, seeded as the app seeds it
 * (settings, staff, RAS model, funding streams, directory providers, a few demo people), then N synthetic people
 * added with set-based SQL (INSERT … SELECT FROM generate_series), each with what the reports read:
 *
 *   people          every one, with the coded CLD fields (sex, ethnicity, accommodation, employment, carer, GP)
 *   referrals       one each, 10% a second; most closed with an outcome
 *   assessments     ~75% submitted (v1), each with an eligibility decision; eligible ones an allocation
 *   financial       ~60% of the eligible: a completed financial assessment (full / light touch / nothing to charge)
 *   plans, budgets  every eligible person: a plan, an approved version, a personal budget (85% live, 15% ended)
 *                   with 1–3 lines over mixed deployments, categories and (council-arranged) directory providers
 *   reviews         ~55% of budgets: one review held in the last year, outcomes rated
 *   payments        one 4-weekly run per cycle (--payment-runs, default 3), a funding payment per live budget
 *
 * Nothing goes through the services: that is the point (set-up in minutes, so the benchmark measures the reports).
 * The rows satisfy every check constraint and foreign key, carry the tenant's id, and are run as the owner on one
 * connection. Code lists come from the rule data and the seeded council, never typed here.
 */
import { performance } from "node:perf_hooks";
import pg from "pg";
import { openPostgres } from "#/platform/db/database.ts";
import { migrate, pendingMigrations } from "#/platform/db/migrator.ts";
import { rulesFor } from "#/rules/registry.ts";
import { seedDemo } from "#/seed/seed.ts";

export type CouncilOptions = {
  /** Server URL with any database name: the benchmark's own database is made beside it. */
  baseUrl: string;
  database: string;
  people: number;
  today: string;
  paymentRuns: number;
  /** Remake even when a council of this size is already there. */
  fresh: boolean;
};

/** Changed whenever councilSql changes, so a council made by older SQL is made again. */
const GENERATOR_VERSION = 2;

/** Up to this many people, the generation runs with foreign-key checks on. */
const CHECK_KEYS_UP_TO = 50_000;

export type Council = { url: string; tenantId: string; people: number; generatedSeconds: number | null };

const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
const textArray = (list: readonly string[]) => `ARRAY[${list.map(q).join(", ")}]::text[]`;
/** The element of a text[] SQL expression picked by a random() column. */
const pick = (array: string, r: string) => `(${array})[1 + floor(${r} * cardinality(${array}))::int]`;

/** The first eight digits' weighted sum (weights 10 down to 3) of the NHS number's first eight, `eight`. */
const WEIGHTED_DIGITS = [10, 9, 8, 7, 6, 5, 4, 3]
  .map((w, k) => `${w} * ((eight / ${10 ** (7 - k)}) % 10)`)
  .join(" + ");

/** The coded person fields from the rule data, as SQL arrays. */
function personCodes(today: string) {
  const lists = rulesFor("england", today).personFields.rules;
  const codes = (
    field: "sex" | "ethnicity" | "accommodationStatus" | "employmentStatus" | "hasUnpaidCarer",
  ) => textArray(lists[field].options.map((o) => o.code));
  return {
    listsId: lists.id,
    sex: codes("sex"),
    ethnicity: codes("ethnicity"),
    accommodation: codes("accommodationStatus"),
    employment: codes("employmentStatus"),
    carer: codes("hasUnpaidCarer"),
  };
}

function referralCodes(today: string) {
  const lists = rulesFor("england", today).referralLists.rules;
  if (!lists) throw new Error(`England has no referral lists on ${today}`);
  return {
    routes: textArray(lists.routesOfAccess.map((r) => r.id)),
    sources: textArray(lists.requestSources.map((r) => r.id)),
    outcomes: textArray(lists.eventOutcomes.map((r) => r.id)),
  };
}

type Seeded = {
  tenantId: string;
  staff: string;
  rasModelId: string;
  streamId: string;
  providers: string;
  supportReasons: string;
};

/** What the seeded council gives the synthetic rows: its staff, RAS model, stream, providers, support reasons. */
async function seeded(client: pg.Client, tenantId: string): Promise<Seeded> {
  const one = async (sql: string) => (await client.query(sql, [tenantId])).rows[0];
  const staff = await one("SELECT user_id FROM staff_users WHERE tenant_id = $1 ORDER BY user_id LIMIT 1");
  const ras = await one(
    "SELECT ras_model_id FROM ras_models WHERE tenant_id = $1 ORDER BY version DESC LIMIT 1",
  );
  const stream = await one(
    "SELECT stream_id FROM funding_streams WHERE tenant_id = $1 AND stream_id = 'adult_social_care'",
  );
  const providers = (
    await client.query("SELECT provider_id FROM directory_providers WHERE tenant_id = $1", [tenantId])
  ).rows.map((r) => r.provider_id as string);
  const reasons = (
    await client.query(
      `SELECT DISTINCT answers->>'primarySupportReason' AS r FROM assessments
       WHERE tenant_id = $1 AND answers ? 'primarySupportReason'`,
      [tenantId],
    )
  ).rows.map((r) => r.r as string);
  if (!staff || !ras || !stream || providers.length === 0 || reasons.length === 0)
    throw new Error("The seeded Demo Council lacks staff, a RAS model, the ASC stream, providers or answers");
  return {
    tenantId,
    staff: staff.user_id,
    rasModelId: ras.ras_model_id,
    streamId: stream.stream_id,
    providers: textArray(providers),
    supportReasons: textArray(reasons),
  };
}

/** The statements that make the people, each with a label for the timings. */
export function councilSql(n: number, today: string, s: Seeded, paymentRuns: number): [string, string][] {
  const t = q(s.tenantId);
  const by = q(s.staff);
  const day = q(today);
  const p = personCodes(today);
  const r = referralCodes(today);
  return [
    [
      "plan the people",
      // One row per person: ids and the random draws every later statement reads, so they agree.
      `CREATE UNLOGGED TABLE bench_p AS
        SELECT i, gen_random_uuid() AS person_id, gen_random_uuid() AS referral_id,
          gen_random_uuid() AS assessment_id, gen_random_uuid() AS fa_id, gen_random_uuid() AS plan_id,
          gen_random_uuid() AS budget_id, gen_random_uuid() AS review_id,
          random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6,
          (${day}::date - 30 - floor(random() * 700)::int) AS received_on
        FROM generate_series(1, ${n}) AS i;
       ALTER TABLE bench_p ADD PRIMARY KEY (i);`,
    ],
    [
      "people",
      // NHS numbers (made up, in a throwaway database): the first eight digits 90000000 + i, the ninth 0, or 1
      // where 0 leaves no modulus-11 check digit (weight 2 on the ninth, so 0 and 1 cannot both fail).
      `INSERT INTO people (tenant_id, person_id, reference, given_name, family_name, date_of_birth, postcode,
          nhs_number, sex, ethnicity, accommodation_status, employment_status, has_unpaid_carer, gp_practice_name,
          gp_practice_code, field_lists_id)
        SELECT ${t}, person_id, 'SYN' || i, 'Person' || i, 'Synthetic',
          ('1925-01-01'::date + floor(r1 * 29000)::int), 'ZZ9 9ZZ',
          eight::text || ninth::text || ((11 - (s8 + 2 * ninth) % 11) % 11)::text,
          CASE WHEN r2 < 0.5 THEN 'female' WHEN r2 < 0.97 THEN 'male' ELSE ${pick(p.sex, "r3")} END,
          CASE WHEN r3 < 0.8 THEN 'white-british' ELSE ${pick(p.ethnicity, "r4")} END,
          ${pick(p.accommodation, "r4")}, ${pick(p.employment, "r5")}, ${pick(p.carer, "r6")},
          'Synthetic Surgery ' || (i % 90), 'Y9' || lpad((9000 + i % 90)::text, 4, '0'), ${q(p.listsId)}
        FROM (SELECT *, CASE WHEN s8 % 11 = 1 THEN 1 ELSE 0 END AS ninth
              FROM (SELECT *, ${WEIGHTED_DIGITS} AS s8 FROM (SELECT *, 90000000 + i AS eight FROM bench_p) a) b) c`,
    ],
    [
      "referrals",
      `INSERT INTO referrals (tenant_id, referral_id, reference, person_id, received_on, route_of_access,
          request_source, status, outcome, closed_on, closed_by, created_by)
        SELECT ${t}, referral_id, 'RS' || lpad(i::text, 8, '0'), person_id, received_on,
          CASE WHEN r1 < 0.6 THEN 'community_or_other' ELSE ${pick(r.routes, "r2")} END, ${pick(r.sources, "r3")},
          CASE WHEN r4 < 0.9 THEN 'closed' ELSE 'open' END,
          CASE WHEN r4 >= 0.9 THEN NULL WHEN r1 < 0.75 THEN 'progress_to_assessment' ELSE ${pick(r.outcomes, "r5")} END,
          CASE WHEN r4 < 0.9 THEN received_on + 2 END, CASE WHEN r4 < 0.9 THEN ${by} END, ${by}
        FROM bench_p;
       INSERT INTO referrals (tenant_id, referral_id, reference, person_id, received_on, route_of_access,
          request_source, status, created_by)
        SELECT ${t}, gen_random_uuid(), 'RT' || lpad(i::text, 8, '0'), person_id, received_on + 20,
          'community_or_other', 'self', 'open', ${by}
        FROM bench_p WHERE r6 < 0.1`,
    ],
    [
      "assessments",
      `INSERT INTO assessments (tenant_id, assessment_id, person_id, version, questionnaire_id, status, answers,
          decision_date, created_by, created_at, updated_at, submitted_by, submitted_at)
        SELECT ${t}, assessment_id, person_id, 1, 'bench', 'submitted',
          jsonb_build_object('primarySupportReason', ${pick(s.supportReasons, "r5")}),
          received_on + 20, ${by}, (received_on + 5)::timestamptz + interval '10 hours',
          (received_on + 20)::timestamptz + interval '10 hours', ${by}, (received_on + 20)::timestamptz + interval '11 hours'
        FROM bench_p WHERE r1 < 0.75;
       INSERT INTO eligibility_decisions (tenant_id, decision_id, assessment_id, eligible, rule_id, decision,
          decided_by, decided_at)
        SELECT ${t}, gen_random_uuid(), assessment_id, r2 < 0.85, 'bench', '{}'::jsonb, ${by},
          (received_on + 20)::timestamptz + interval '11 hours'
        FROM bench_p WHERE r1 < 0.75;
       INSERT INTO allocations (tenant_id, allocation_id, assessment_id, ras_model_id, weekly_pence, annual_pence,
          working, created_by, created_at)
        SELECT ${t}, gen_random_uuid(), assessment_id, ${q(s.rasModelId)}, w, w * 52, '{}'::jsonb, ${by},
          (received_on + 20)::timestamptz + interval '11 hours'
        FROM (SELECT *, 5000 + floor(r3 * 75000)::bigint AS w FROM bench_p WHERE r1 < 0.75 AND r2 < 0.85) e`,
    ],
    [
      "financial assessments",
      `INSERT INTO financial_assessments (tenant_id, financial_assessment_id, person_id, version, status, answers,
          calculator_input, supplied_figures, result, rule_pack_ids, assessment_kind, applies_from,
          weekly_contribution_pence, cost_of_care_weekly_pence, cost_of_care_basis, created_by, created_at,
          updated_at, completed_by, completed_at)
        SELECT ${t}, fa_id, person_id, 1, 'completed', '{}'::jsonb, '{}'::jsonb, '{}'::jsonb, '{}'::jsonb,
          ARRAY['bench'], kind, received_on + 25,
          CASE kind WHEN 'full' THEN floor(r5 * 8000)::bigint WHEN 'light_touch' THEN 5000 + floor(r3 * 75000)::bigint ELSE 0 END,
          5000 + floor(r3 * 75000)::bigint, 'indicative_budget', ${by},
          (received_on + 22)::timestamptz + interval '9 hours', (received_on + 25)::timestamptz + interval '9 hours',
          ${by}, (received_on + 25)::timestamptz + interval '9 hours'
        FROM (SELECT *, CASE WHEN r4 < 0.8 THEN 'full' WHEN r4 < 0.9 THEN 'light_touch' ELSE 'nothing_to_charge' END AS kind
              FROM bench_p WHERE r1 < 0.75 AND r2 < 0.85 AND r6 < 0.6) f`,
    ],
    [
      "plans and budgets",
      `INSERT INTO support_plans (tenant_id, plan_id, person_id, assessment_id, created_by, created_at)
        SELECT ${t}, plan_id, person_id, assessment_id, ${by}, (received_on + 21)::timestamptz
        FROM bench_p WHERE r1 < 0.75 AND r2 < 0.85;
       INSERT INTO plan_versions (tenant_id, plan_id, version, status, content, indicative_weekly_pence,
          submitted_by, submitted_at, decided_by, decided_at, created_by, created_at)
        SELECT ${t}, plan_id, 1, 'approved', '{"outcomes":[],"supports":[]}'::jsonb, 5000 + floor(r3 * 75000)::bigint,
          ${by}, (received_on + 28)::timestamptz, ${by}, (received_on + 30)::timestamptz, ${by},
          (received_on + 21)::timestamptz
        FROM bench_p WHERE r1 < 0.75 AND r2 < 0.85;
       INSERT INTO personal_budgets (tenant_id, budget_id, person_id, plan_id, plan_version, start_date, end_date,
          status, end_reason, weekly_pence, one_off_pence, contribution_weekly_pence, financial_assessment_id,
          approved_by, approved_at)
        SELECT ${t}, budget_id, person_id, plan_id, 1, received_on + 30,
          CASE WHEN r5 < 0.15 THEN least(received_on + 30 + floor(r4 * 300)::int, ${day}::date) END,
          CASE WHEN r5 < 0.15 THEN 'ended' ELSE 'live' END,
          CASE WHEN r5 < 0.05 THEN 'died' WHEN r5 < 0.1 THEN 'support_ended' WHEN r5 < 0.15 THEN 'moved_away' END,
          5000 + floor(r3 * 75000)::bigint, 0,
          CASE WHEN r6 < 0.6 AND r4 < 0.8 THEN floor(r5 * 8000)::bigint ELSE 0 END,
          CASE WHEN r6 < 0.6 THEN fa_id END, ${by}, (received_on + 30)::timestamptz
        FROM bench_p WHERE r1 < 0.75 AND r2 < 0.85`,
    ],
    [
      "budget lines",
      // 1–3 lines a budget; the weekly amount split between them; deployments and categories mixed.
      `INSERT INTO personal_budget_lines (tenant_id, budget_id, line_no, support_id, support_name, category,
          deployment, stream_id, means_tested, weekly_pence, one_off_pence, contribution_weekly_pence, provider_id)
        SELECT ${t}, budget_id, k, 'support-' || k, 'Synthetic support ' || k,
          (ARRAY['personal_care','household','community_access','employment','short_breaks','personal_care',
                 'transport','personal_care'])[1 + (i + k) % 8],
          dep, ${q(s.streamId)}, true, (5000 + floor(r3 * 75000)::bigint) / lines, 0, 0,
          CASE WHEN dep = 'council_arranged' THEN ${pick(s.providers, "r2")} END
        FROM (SELECT *, 1 + (i % 3) AS lines FROM bench_p WHERE r1 < 0.75 AND r2 < 0.85) b
        CROSS JOIN LATERAL generate_series(1, b.lines) AS k
        CROSS JOIN LATERAL (SELECT (ARRAY['direct_payment','council_arranged','council_managed',
          'individual_service_fund','direct_payment','council_arranged'])[1 + (i * 7 + k) % 6] AS dep) d`,
    ],
    [
      "reviews",
      `INSERT INTO reviews (tenant_id, review_id, person_id, plan_id, plan_version, budget_id, kinds, held_on,
          record, result, recorded_by, recorded_at)
        SELECT ${t}, review_id, person_id, plan_id, 1, budget_id,
          CASE WHEN i % 2 = 0 THEN ARRAY['plan','direct_payment'] ELSE ARRAY['plan'] END, held,
          jsonb_build_object('outcomes', jsonb_build_array(
            jsonb_build_object('rating', CASE WHEN r4 < 0.6 THEN 'met' WHEN r4 < 0.9 THEN 'partly_met' ELSE 'not_met' END),
            jsonb_build_object('rating', CASE WHEN r6 < 0.7 THEN 'met' ELSE 'partly_met' END))),
          CASE WHEN r4 < 0.8 THEN 'no_change' WHEN r4 < 0.95 THEN 'new_plan_version' ELSE 'new_assessment' END,
          ${by}, held::timestamptz + interval '15 hours'
        FROM (SELECT *, least(received_on + 30 + 42 + floor(r6 * 300)::int, ${day}::date) AS held
              FROM bench_p WHERE r1 < 0.75 AND r2 < 0.85 AND r3 < 0.55) v`,
    ],
    [
      "payments",
      `INSERT INTO payment_runs (tenant_id, run_id, run_no, pay_date, status, created_by, reviewed_by, reviewed_at,
          approved_by, approved_at)
        SELECT ${t}, gen_random_uuid(), 1000 + k, ${day}::date - 28 * k, 'approved', ${by}, ${by}, now(), 'bench-checker', now()
        FROM generate_series(1, ${paymentRuns}) AS k;
       INSERT INTO payments (tenant_id, payment_id, payment_key, run_id, budget_id, person_id, cycle_start, cycle_end,
          due_date, pay_date, kind, deployment, amount, parts, status)
        SELECT ${t}, gen_random_uuid(), 'bench:' || b.budget_id || ':' || run.pay_date, run.run_id, b.budget_id,
          b.person_id, run.pay_date, run.pay_date + 27, run.pay_date, run.pay_date, 'funding', 'council_managed',
          (5000 + floor(b.r3 * 75000)::bigint) * 4,
          jsonb_build_array(jsonb_build_object('kind', 'support', 'amount', (5000 + floor(b.r3 * 75000)::bigint) * 4)),
          'made'
        FROM bench_p b
        JOIN payment_runs run ON run.tenant_id = ${t} AND run.run_no > 1000 AND run.pay_date >= b.received_on + 30
        WHERE b.r1 < 0.75 AND b.r2 < 0.85 AND b.r5 >= 0.15`,
    ],
    ["analyse", "DROP TABLE bench_p; ANALYZE;"],
  ];
}

async function councilThere(admin: pg.Client, o: CouncilOptions, url: string): Promise<Council | null> {
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [o.database]);
  if (exists.rowCount === 0) return null;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const meta = await client.query("SELECT to_regclass('bench_meta') IS NOT NULL AS present");
    if (!meta.rows[0].present) return null;
    const row = (await client.query("SELECT * FROM bench_meta")).rows[0];
    if (!row || Number(row.people) !== o.people || row.today !== o.today || row.version !== GENERATOR_VERSION)
      return null;
    // A migration added since (another branch merged) means the council is made again, on the new schema.
    const database = openPostgres(url, { max: 1 });
    const pending = await pendingMigrations(database).finally(() => database.close());
    if (pending.length > 0) return null;
    return { url, tenantId: row.tenant_id, people: o.people, generatedSeconds: null };
  } finally {
    await client.end();
  }
}

/** The council of o.people synthetic people, made unless one of that size (and day) is already there. */
export async function syntheticCouncil(o: CouncilOptions, log: (line: string) => void): Promise<Council> {
  const url = new URL(o.baseUrl);
  url.pathname = `/${o.database}`;
  const admin = new pg.Client({ connectionString: o.baseUrl });
  await admin.connect();
  try {
    const there = o.fresh ? null : await councilThere(admin, o, url.toString());
    if (there) {
      log(`using the council already in ${o.database} (${o.people.toLocaleString("en-GB")} people)`);
      return there;
    }
    const t0 = performance.now();
    await admin.query(`DROP DATABASE IF EXISTS ${o.database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${o.database}`);
    const database = openPostgres(url.toString(), { max: 2 });
    let tenantId: string;
    try {
      await migrate(database);
      tenantId = (await seedDemo(database, { today: o.today, people: 20 })).tenantId;
    } finally {
      await database.close();
    }
    log(`migrated and seeded Demo Council in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await client.query("SET synchronous_commit = off");
      // Foreign keys are checked row by row by triggers: the same SQL is run with them at development sizes
      // (so PostgreSQL vouches for the rows), and without them for the large council, where they double the time.
      const checkKeys = o.people <= CHECK_KEYS_UP_TO;
      if (!checkKeys) await client.query("SET session_replication_role = replica");
      log(
        `  foreign keys ${checkKeys ? "checked" : `not checked (over ${CHECK_KEYS_UP_TO.toLocaleString("en-GB")} people)`}`,
      );
      const s = await seeded(client, tenantId);
      for (const [label, sql] of councilSql(o.people, o.today, s, o.paymentRuns)) {
        const t = performance.now();
        await client.query(sql);
        log(`  ${label.padEnd(24)} ${((performance.now() - t) / 1000).toFixed(1)} s`);
      }
      await client.query(
        `CREATE TABLE bench_meta AS
          SELECT $1::uuid AS tenant_id, $2::int AS people, $3::text AS today, $4::int AS version`,
        [tenantId, o.people, o.today, GENERATOR_VERSION],
      );
    } finally {
      await client.end();
    }
    const seconds = (performance.now() - t0) / 1000;
    log(`generated ${o.people.toLocaleString("en-GB")} people in ${seconds.toFixed(1)} s`);
    return { url: url.toString(), tenantId, people: o.people, generatedSeconds: seconds };
  } finally {
    await admin.end();
  }
}
