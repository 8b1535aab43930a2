import type { FastifyInstance } from "fastify";
import { strFromU8, unzipSync } from "fflate";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordReferral } from "#/features/referrals/service.ts";
import { recordReview } from "#/features/reviews/service.ts";
import { todayInLondon } from "#/platform/context.ts";
import { addDays } from "#/platform/dates/calendar.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { buildTestApp, staffScope } from "../../../test/app.ts";
import { databaseFor, demoTenantId, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { emailOf, InjectBrowser, pageText } from "../../../test/inject-browser.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * The commissioner's reports through app.inject on the demo council: who may read them, each page with its
 * charts and tables, the CSV and XLSX downloads of the same rows, and a bad period refused with a clear message.
 */

const csvRows = (body: string) =>
  body
    .trim()
    .split("\r\n")
    .map((line) => line.split(","));

describe.each(enginesUnderTest())("commissioner's reports on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("rule: commissioners, team managers, finance officers and administrators read the reports; others get 403", async () => {
    for (const role of ["commissioner", "team_manager", "finance_officer", "administrator"]) {
      const staff = await new InjectBrowser(app).signIn(role);
      const index = await staff.get("/reports");
      expect(index.statusCode, role).toBe(200);
      expect(pageText(index.body)).toContain("Caseload flow");
      expect((await staff.get("/reports/caseload")).statusCode, role).toBe(200);
    }
    for (const role of ["social_worker", "support_planner", "funding_panel_member"]) {
      const staff = await new InjectBrowser(app).signIn(role);
      expect((await staff.get("/reports")).statusCode, role).toBe(403);
      expect((await staff.get("/reports/caseload")).statusCode, role).toBe(403);
      expect((await staff.get("/reports/caseload/download/by-week.csv")).statusCode, role).toBe(403);
    }
    const visitor = await new InjectBrowser(app).get("/reports/caseload");
    expect(visitor.statusCode).toBe(302);
  });

  it("rule: the commissioner's navigation has a Reports link", async () => {
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    const page = await commissioner.get("/directory");
    expect(page.body).toMatch(/<a[^>]*href="\/reports"[^>]*>\s*Reports\s*</);
  });

  it("rule: the caseload page has a chart beside each table, and the requests counted are the referrals received in its weeks", async () => {
    // Two requests recorded through the referrals service, in two different weeks.
    const tenantId = await demoTenantId(database);
    const person = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("people")
        .select("person_id")
        .where("tenant_id", "=", tenantId)
        .limit(1)
        .executeTakeFirstOrThrow(),
    );
    const worker = {
      db: database.appDb,
      scope: await staffScope(database, emailOf("social_worker")),
      today: TODAY,
    };
    for (const receivedOn of ["2026-11-10", "2026-11-20"]) {
      await recordReferral(worker, {
        personId: person.person_id,
        receivedOn,
        routeOfAccess: "discharge_from_hospital",
        requestSource: "hospital",
      });
    }
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    const from = "2026-06-01"; // a Monday
    const page = await commissioner.get(`/reports/caseload?from=${from}&to=${TODAY}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('role="img"');
    expect(pageText(page.body)).toContain("Caseload flow by week");
    expect(pageText(page.body)).toContain("nearest-rank");

    const csv = await commissioner.get(`/reports/caseload/download/by-week.csv?from=${from}&to=${TODAY}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    const [header, ...rows] = csvRows(csv.body);
    expect(header!.slice(0, 3)).toEqual(["week_start", "week_end", "requests"]);
    // Whole weeks from Monday 1 June to the Sunday after TODAY (2026-11-23, a Monday): 26 weeks.
    expect(rows).toHaveLength(26);
    const requests = rows.reduce((s, r) => s + Number(r[2]), 0);
    expect(rows.find((r) => r[0] === "2026-11-09")![2]).not.toBe("0");
    expect(rows.find((r) => r[0] === "2026-11-16")![2]).not.toBe("0");
    const counted = await withSystem(database.db, (trx) =>
      sql<{ n: number }>`SELECT count(*)::int AS n FROM referrals
        WHERE tenant_id = ${tenantId} AND received_on BETWEEN ${from} AND '2026-11-29'`.execute(trx),
    );
    expect(requests).toBe(counted.rows[0]!.n);
    expect(requests).toBeGreaterThan(0);

    const xlsx = await commissioner.get(`/reports/caseload/download/by-week.xlsx?from=${from}&to=${TODAY}`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers["content-type"]).toContain("spreadsheetml");
    const files = unzipSync(new Uint8Array(xlsx.rawPayload));
    const sheet =
      strFromU8(files["xl/worksheets/sheet1.xml"]!) +
      strFromU8(files["xl/sharedStrings.xml"] ?? new Uint8Array());
    expect(sheet).toContain("week_start");
    expect(sheet.match(/<row /g)).toHaveLength(27); // the header and the same 26 weeks
  });

  it("rule: the money report's planned and paid figures by stream add up to the budgets' lines for their days in the period and to what payment runs paid", async () => {
    const finance = await new InjectBrowser(app).signIn("finance_officer");
    const query = `from=2026-04-01&to=${TODAY}`;
    const page = await finance.get(`/reports/money?${query}`);
    expect(page.statusCode).toBe(200);
    expect(pageText(page.body)).toContain("Money by funding stream");
    expect(pageText(page.body)).toContain("Money by ASC-FR setting");
    expect(pageText(page.body)).not.toContain("groups by support category instead");
    const csv = await finance.get(`/reports/money/download/by-stream.csv?${query}`);
    const [header, ...rows] = csvRows(csv.body);
    expect(header).toEqual(["stream", "allocated_pence", "planned_pence", "paid_pence", "spent_pence"]);
    const paid = rows.reduce((s, r) => s + Number(r[3]), 0);
    const tenantId = await demoTenantId(database);
    const expected = await withSystem(database.db, (trx) =>
      sql<{ pence: number }>`SELECT coalesce(sum((part->>'amount')::bigint), 0)::bigint AS pence
        FROM payments, jsonb_array_elements(parts) AS part
        WHERE tenant_id = ${tenantId} AND status = 'made' AND pay_date BETWEEN '2026-04-01' AND ${TODAY}
          AND part->>'kind' <> 'contribution_netted'`.execute(trx),
    );
    expect(paid).toBe(Number(expected.rows[0]!.pence));
    // Planned: each line's weekly amount × its budget's days in the period ÷ 7 to the penny, plus one-offs of
    // budgets starting in it, worked out here in SQL from the budgets' own rows.
    const planned = rows.reduce((s, r) => s + Number(r[2]), 0);
    const lines = await withSystem(database.db, (trx) =>
      sql<{ pence: number }>`SELECT coalesce(sum(
          round(l.weekly_pence * (least(coalesce(b.end_date, ${TODAY}::date), ${TODAY}::date)
            - greatest(b.start_date, '2026-04-01'::date) + 1) / 7.0)
          + CASE WHEN b.start_date >= '2026-04-01' THEN l.one_off_pence ELSE 0 END), 0)::bigint AS pence
        FROM personal_budgets b JOIN personal_budget_lines l USING (tenant_id, budget_id)
        WHERE b.tenant_id = ${tenantId} AND b.start_date <= ${TODAY}
          AND (b.end_date IS NULL OR b.end_date >= '2026-04-01')`.execute(trx),
    );
    expect(planned).toBe(Number(lines.rows[0]!.pence));
    expect(planned).toBeGreaterThan(0); // the demo council has live budgets this year
    // Allocations are one amount per person: never split by stream.
    expect(rows.every((r) => r[1] === "")).toBe(true);
  });

  it("rule: money by ASC-FR setting (rulesFor(…).ascFr, REPORTING.md §2): planned adds up to the same total, a direct payment's lines are Community: Direct Payments, and the API gives the same rows", async () => {
    const finance = await new InjectBrowser(app).signIn("finance_officer");
    const query = `from=2026-04-01&to=${TODAY}`;
    const total = (rows: string[][]) => rows.reduce((s, r) => s + Number(r[2]), 0);
    const byStream = csvRows((await finance.get(`/reports/money/download/by-stream.csv?${query}`)).body);
    const csv = await finance.get(`/reports/money/download/by-setting.csv?${query}`);
    expect(csv.statusCode).toBe(200);
    const [header, ...rows] = csvRows(csv.body);
    expect(header).toEqual(["setting", "allocated_pence", "planned_pence", "paid_pence", "spent_pence"]);
    expect(total(rows)).toBe(total(byStream.slice(1)));
    // The direct-payment lines, worked out in SQL from the budgets' own rows, are the Community: Direct Payments row.
    const tenantId = await demoTenantId(database);
    const dp = await withSystem(database.db, (trx) =>
      sql<{ pence: number }>`SELECT coalesce(sum(
          round(l.weekly_pence * (least(coalesce(b.end_date, ${TODAY}::date), ${TODAY}::date)
            - greatest(b.start_date, '2026-04-01'::date) + 1) / 7.0)
          + CASE WHEN b.start_date >= '2026-04-01' THEN l.one_off_pence ELSE 0 END), 0)::bigint AS pence
        FROM personal_budgets b JOIN personal_budget_lines l USING (tenant_id, budget_id)
        WHERE b.tenant_id = ${tenantId} AND b.start_date <= ${TODAY} AND l.deployment = 'direct_payment'
          AND (b.end_date IS NULL OR b.end_date >= '2026-04-01')`.execute(trx),
    );
    const dpRow = rows.find((r) => r[0] === "Community: Direct Payments")!;
    expect(Number(dpRow[2])).toBe(Number(dp.rows[0]!.pence));
    expect(Number(dpRow[2])).toBeGreaterThan(0);
    // Allocations are never split by setting; paid is recorded for direct payments only.
    expect(rows.every((r) => r[1] === "")).toBe(true);
    expect(dpRow[3]).not.toBe("");
    expect(rows.find((r) => r[0] === "Community: Home Care")?.[3] ?? "").toBe("");
    const api = (await finance.get(`/api/v1/reports/money?${query}`)).json() as {
      tables: { id: string; rows: (string | number | null)[][] }[];
    };
    const bySetting = api.tables.find((t) => t.id === "by-setting")!;
    expect(bySetting.rows.map((r) => r.map((c) => (c === null ? "" : String(c))))).toEqual(rows);
  });

  it("rule: the outcomes report counts every outcome rated at the reviews held in the period, by age band once each", async () => {
    // Two reviews, recorded through the reviews service, of the first two live budgets' plans.
    const tenantId = await demoTenantId(database);
    const live = await withSystem(database.db, (trx) =>
      sql<{ person_id: string; content: { outcomes: { id: string }[] } }>`
        SELECT b.person_id, v.content FROM personal_budgets b
        JOIN plan_versions v ON v.tenant_id = b.tenant_id AND v.plan_id = b.plan_id AND v.version = b.plan_version
        WHERE b.tenant_id = ${tenantId} AND b.status = 'live' ORDER BY b.budget_id LIMIT 2`.execute(trx),
    );
    // The demo's plans are signed off when the seed runs, so the reviews are held on the real day after it.
    const reviewDay = todayInLondon();
    const worker = {
      db: database.appDb,
      scope: await staffScope(database, emailOf("social_worker")),
      today: reviewDay,
    };
    for (const [i, budget] of live.rows.entries()) {
      const content = typeof budget.content === "string" ? JSON.parse(budget.content) : budget.content;
      await recordReview(worker, {
        personId: budget.person_id,
        heldOn: reviewDay,
        method: "face_to_face",
        kinds: ["plan"],
        outcomes: content.outcomes.map((o: { id: string }, j: number) => ({
          outcomeId: o.id,
          rating: ["met", "partly_met", "not_met"][(i + j) % 3],
          inTheirWords: "As I said at the review",
        })),
        working: "The support",
        notWorking: "Nothing much",
        result: "no_change",
        // The first review finds money unspent because the support was hard to find (the market-gaps report).
        ...(i === 0 ? { underspend: { reason: "hard_to_find" } } : {}),
      });
    }
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    const from = addDays(reviewDay, -365);
    const query = `from=${from}&to=${reviewDay}`;
    const page = await commissioner.get(`/reports/outcomes?${query}`);
    expect(page.statusCode).toBe(200);
    expect(pageText(page.body)).toContain("Outcomes by primary support reason");
    const csv = await commissioner.get(`/reports/outcomes/download/by-age-band.csv?${query}`);
    const [header, ...rows] = csvRows(csv.body);
    expect(header).toEqual(["age-band", "met", "partly_met", "not_met", "ratings", "met_percent"]);
    const ratings = rows.reduce((s, r) => s + Number(r[4]), 0);
    const expected = await withSystem(database.db, (trx) =>
      sql<{
        n: number;
      }>`SELECT coalesce(sum(jsonb_array_length(record->'outcomes')), 0)::int AS n FROM reviews
        WHERE tenant_id = ${tenantId} AND held_on BETWEEN ${from} AND ${reviewDay}`.execute(trx),
    );
    expect(ratings).toBe(expected.rows[0]!.n);
    expect(ratings).toBeGreaterThan(0);
    // The demo's assessments record a primary support reason: every rating is grouped under one, by its label.
    const psr = csvRows(
      (await commissioner.get(`/reports/outcomes/download/by-primary-support-reason.csv?${query}`)).body,
    );
    expect(psr.slice(1).reduce((s, r) => s + Number(r[4]), 0)).toBe(ratings);
    expect(psr.slice(1).map((r) => r[0])).not.toContain("Not recorded");
    expect(psr.slice(1).every((r) => /^[A-Z]/.test(r[0]!) && !r[0]!.includes("_"))).toBe(true);
  });

  it("rule: market gaps count every bought support line of the plans in force, and the underspend the review put down to support that was hard to find", async () => {
    // Runs after the outcomes test above, which recorded a review with that underspend.
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    const reviewDay = todayInLondon();
    const from = addDays(reviewDay, -365);
    const query = `from=${from}&to=${reviewDay}`;
    const page = await commissioner.get(`/reports/market?${query}`);
    expect(page.statusCode).toBe(200);
    expect(pageText(page.body)).toContain("Support lines by postcode district");
    const underspends = csvRows(
      (await commissioner.get(`/reports/market/download/underspends.csv?${query}`)).body,
    );
    expect(underspends).toContainEqual(["The support was hard to find", "1"]);
    const byArea = csvRows((await commissioner.get(`/reports/market/download/by-area.csv?${query}`)).body);
    expect(byArea[0]).toEqual([
      "area",
      "from_directory",
      "outside_directory",
      "no_provider",
      "gap_weekly_pence",
      "gap_percent",
    ]);
    const lines = byArea.slice(1).reduce((s, r) => s + Number(r[1]) + Number(r[2]) + Number(r[3]), 0);
    const tenantId = await demoTenantId(database);
    const expected = await withSystem(database.db, (trx) =>
      sql<{ n: number }>`SELECT count(*)::int AS n
        FROM personal_budgets b
        JOIN plan_versions v ON v.tenant_id = b.tenant_id AND v.plan_id = b.plan_id AND v.version = b.plan_version,
          jsonb_array_elements(v.content->'supports') AS s
        WHERE b.tenant_id = ${tenantId} AND b.start_date <= ${reviewDay}
          AND (b.end_date IS NULL OR b.end_date >= ${from}) AND s->'from'->>'kind' <> 'universal'`.execute(
        trx,
      ),
    );
    expect(lines).toBe(expected.rows[0]!.n);
    expect(lines).toBeGreaterThan(0);
  });

  it("rule: the API gives the same figures as the page's downloads, and is in the OpenAPI document", async () => {
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    const query = `from=2026-06-01&to=${TODAY}`;
    const api = await commissioner.get(`/api/v1/reports/caseload?${query}`);
    expect(api.statusCode).toBe(200);
    const report = api.json() as { tables: { id: string; rows: (string | number | null)[][] }[] };
    const byTeam = report.tables.find((t) => t.id === "by-team")!;
    const csv = csvRows((await commissioner.get(`/reports/caseload/download/by-team.csv?${query}`)).body);
    expect(byTeam.rows.map((r) => r.map((c) => (c === null ? "" : String(c))))).toEqual(csv.slice(1));
    const bad = await commissioner.get("/api/v1/reports/money?from=2026-13-01");
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("Give the start date as a real date written YYYY-MM-DD");
    const worker = await new InjectBrowser(app).signIn("social_worker");
    expect((await worker.get(`/api/v1/reports/caseload?${query}`)).statusCode).toBe(403);
    const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json() as {
      paths: Record<string, unknown>;
    };
    for (const id of ["caseload", "money", "outcomes", "market"])
      expect(doc.paths).toHaveProperty(`/reports/${id}`);
  });

  it("rule (tenancy): another council's administrator sees only their own council's figures", async () => {
    const other = await new InjectBrowser(app).signInAs("administrator@other.upfront.test");
    const query = `from=2026-04-01&to=${TODAY}`;
    const rows = csvRows((await other.get(`/reports/money/download/by-deployment.csv?${query}`)).body).slice(
      1,
    );
    const planned = rows.reduce((s, r) => s + Number(r[2]), 0);
    const otherTenant = await withSystem(database.db, (trx) =>
      sql<{ pence: number }>`SELECT coalesce(sum(l.weekly_pence), 0)::bigint AS pence
        FROM personal_budget_lines l JOIN tenants t USING (tenant_id) WHERE t.slug = 'other'`.execute(trx),
    );
    // Other Council has no budgets in the demo, so nothing of Demo Council's shows there.
    expect(Number(otherTenant.rows[0]!.pence)).toBe(0);
    expect(planned).toBe(0);
    const demo = csvRows(
      (
        await (
          await new InjectBrowser(app).signIn("commissioner")
        ).get(`/reports/money/download/by-deployment.csv?${query}`)
      ).body,
    ).slice(1);
    expect(demo.reduce((s, r) => s + Number(r[2]), 0)).toBeGreaterThan(0);
  });

  it("rule (Bad input): a start after the end, a period over a year, or a date that is not real is refused with what to fix", async () => {
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    const backwards = await commissioner.get("/reports/caseload?from=2026-11-01&to=2026-10-01");
    expect(backwards.statusCode).toBe(400);
    expect(pageText(backwards.body)).toContain("The start date must be on or before the end date");
    const long = await commissioner.get("/reports/caseload?from=2025-01-01&to=2026-11-01");
    expect(long.statusCode).toBe(400);
    expect(pageText(long.body)).toContain("A report covers at most 366 days");
    const unreal = await commissioner.get("/reports/caseload?from=2026-02-30");
    expect(unreal.statusCode).toBe(400);
    expect(pageText(unreal.body)).toContain("Give the start date as a real date written YYYY-MM-DD");
    const download = await commissioner.get("/reports/caseload/download/by-week.csv?from=2026-02-30");
    expect(download.statusCode).toBe(400);
    expect((await commissioner.get("/reports/caseload/download/no-such-table.csv")).statusCode).toBe(404);
  });
});
