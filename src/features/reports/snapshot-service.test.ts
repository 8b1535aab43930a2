import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runReportsRefresh } from "#/cli/reports-refresh.ts";
import { recordReferral } from "#/features/referrals/service.ts";
import type { CommissionerReport } from "#/features/reports/commissioner-report.ts";
import {
  REPORT_SNAPSHOTS_CRON,
  REPORT_SNAPSHOTS_JOB,
  registerReportSnapshotsJob,
} from "#/features/reports/snapshot-jobs.ts";
import { saveSnapshot } from "#/features/reports/snapshot-repository.ts";
import {
  refreshEveryCouncil,
  refreshStandardSnapshots,
  SNAPSHOT_KEPT_DAYS,
} from "#/features/reports/snapshot-service.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { addDays } from "#/platform/dates/calendar.ts";
import { type TenantScope, withSystem, withTenant } from "#/platform/db/tenant.ts";
import { startJobs } from "#/platform/jobs/jobs.ts";
import { DEMO_TENANT_SLUG } from "#/seed/seed.ts";
import { buildTestApp, staffScope } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { emailOf, InjectBrowser, pageText } from "../../../test/inject-browser.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * Report snapshots (issue 15, "Scale and correctness": every dashboard page under a second, from materialised
 * figures refreshed by a pg-boss job): the pages, downloads and API read the stored model and say when it was
 * worked out; changed records show only once the snapshot is refreshed (by "refresh now", the CLI or the job);
 * refreshing needs the page's permission and the CSRF token; the job is registered and scheduled nightly.
 */

const csvRows = (body: string) =>
  body
    .trim()
    .split("\r\n")
    .map((line) => line.split(","));

describe.each(enginesUnderTest())("report snapshots on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let commissionerScope: TenantScope;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database);
    commissionerScope = await staffScope(database, emailOf("commissioner"));
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const requestsIn = async (browser: InjectBrowser, query: string) => {
    const rows = csvRows((await browser.get(`/reports/caseload/download/by-week.csv?${query}`)).body).slice(
      1,
    );
    return rows.reduce((s, r) => s + Number(r[2]), 0);
  };

  it("rule: the page, its download and the API show the stored snapshot's figures and when they were worked out", async () => {
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    const period = { from: "2026-10-01", to: TODAY };
    const query = new URLSearchParams(period).toString();
    // The snapshot as the page would store it, with one figure a computation would never give.
    const computed = (await (
      await commissioner.get(`/api/v1/reports/money?${query}`)
    ).json()) as CommissionerReport;
    const planted: CommissionerReport = {
      ...computed,
      tables: computed.tables.map((t) =>
        t.id === "by-stream" ? { ...t, rows: t.rows.map((r) => [r[0]!, null, 424_242_00, 0, 0]) } : t,
      ),
    };
    const computedAt = new Date("2026-11-23T06:00:00Z");
    await withTenant(database.db, commissionerScope, (tx) =>
      saveSnapshot(tx, {
        report: "money",
        parameters: `${period.from}..${period.to}`,
        isDefault: false,
        asAt: TODAY,
        computedAt,
        computedBy: "test",
        model: planted,
      }),
    );
    const page = await commissioner.get(`/reports/money?${query}`);
    expect(page.statusCode).toBe(200);
    expect(pageText(page.body)).toContain("£424,242.00");
    expect(pageText(page.body)).toContain(`Figures as at ${dateInWords(TODAY)}, 06:00`);
    const csv = csvRows((await commissioner.get(`/reports/money/download/by-stream.csv?${query}`)).body);
    expect(csv.slice(1).every((r) => r[2] === "42424200")).toBe(true);
    const api = (await commissioner.get(`/api/v1/reports/money?${query}`)).json() as {
      tables: { id: string; rows: unknown[][] }[];
      snapshot: { asAt: string; computedAt: string; text: string };
    };
    expect(api.tables.find((t) => t.id === "by-stream")!.rows[0]![2]).toBe(42_424_200);
    expect(api.snapshot).toEqual({
      asAt: TODAY,
      computedAt: computedAt.toISOString(),
      text: `Figures as at ${dateInWords(TODAY)}, 06:00`,
    });
  });

  it("rule: a new request shows on the caseload page only after the figures are worked out again now", async () => {
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    const query = `from=2026-09-07&to=${TODAY}`;
    const first = await commissioner.get(`/reports/caseload?${query}`); // no snapshot yet: worked out and stored
    expect(first.statusCode).toBe(200);
    expect(pageText(first.body)).toContain(`Figures as at ${dateInWords(TODAY)}`);
    const before = await requestsIn(commissioner, query);

    const person = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("people")
        .select("person_id")
        .where("tenant_id", "=", commissionerScope.tenantId)
        .limit(1)
        .executeTakeFirstOrThrow(),
    );
    const worker = {
      db: database.appDb,
      scope: await staffScope(database, emailOf("social_worker")),
      today: TODAY,
    };
    await recordReferral(worker, {
      personId: person.person_id,
      receivedOn: "2026-11-18",
      routeOfAccess: "discharge_from_hospital",
      requestSource: "hospital",
    });
    expect(await requestsIn(commissioner, query)).toBe(before); // still the snapshot

    await commissioner.get(`/reports/caseload?${query}`); // the page's form carries the CSRF token
    const refreshed = await commissioner.post("/reports/caseload/refresh", {
      from: "2026-09-07",
      to: TODAY,
    });
    expect(refreshed.statusCode).toBe(303);
    expect(refreshed.headers.location).toBe(`/reports/caseload?${query}`);
    expect(await requestsIn(commissioner, query)).toBe(before + 1);
  });

  it("rule: working the figures out again needs the page's permission and the form's CSRF token", async () => {
    const worker = await new InjectBrowser(app).signIn("social_worker");
    expect((await worker.post("/reports/money/refresh", {})).statusCode).toBe(403);
    expect((await worker.post("/reports/measures/refresh", {})).statusCode).toBe(403);
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    await commissioner.get("/reports/money");
    const forged = await commissioner.post("/reports/money/refresh", {}, { csrf: false });
    expect(forged.statusCode).toBe(403);
    expect(pageText(forged.body)).toContain("Your form could not be sent");
    const bad = await commissioner.post("/reports/money/refresh", { from: "2026-02-30" });
    expect(bad.statusCode).toBe(400);
    expect(pageText(bad.body)).toContain("Give the start date as a real date written YYYY-MM-DD");
    const ok = await commissioner.post("/reports/money/refresh", {});
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe("/reports/money");
  });

  it("rule: with no period asked for, the page shows the latest default snapshot until the job refreshes it", async () => {
    const yesterday = addDays(TODAY, -1);
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    const computed = (
      await commissioner.get(`/api/v1/reports/outcomes?to=${yesterday}`)
    ).json() as CommissionerReport;
    await withSystem(database.db, (trx) =>
      sql`DELETE FROM report_snapshots WHERE tenant_id = ${commissionerScope.tenantId} AND report = 'outcomes'`.execute(
        trx,
      ),
    );
    await withTenant(database.db, commissionerScope, (tx) =>
      saveSnapshot(tx, {
        report: "outcomes",
        parameters: `${computed.from}..${computed.to}`,
        isDefault: true,
        asAt: yesterday,
        computedAt: new Date(`${yesterday}T05:00:00Z`),
        computedBy: "test",
        model: computed,
      }),
    );
    const stale = pageText((await commissioner.get("/reports/outcomes")).body);
    expect(stale).toContain(`Figures as at ${dateInWords(yesterday)}, 05:00`);
    expect(stale).toContain(`From ${dateInWords(computed.from)} to ${dateInWords(yesterday)}`);

    const results = await refreshEveryCouncil({ db: database.appDb }, TODAY);
    const demo = results.find((r) => r.slug === DEMO_TENANT_SLUG)!;
    expect(demo.failed).toBeUndefined();
    expect(demo.results!.map((r) => `${r.report} ${r.parameters}`)).toEqual([
      `caseload ${addDays(TODAY, -83)}..${TODAY}`,
      `money 2026-04-01..${TODAY}`,
      `outcomes 2026-04-01..${TODAY}`,
      `market 2026-04-01..${TODAY}`,
      "fairness dashboard",
      "measures year=2026",
      "measures year=2025",
    ]);
    const fresh = pageText((await commissioner.get("/reports/outcomes")).body);
    expect(fresh).toContain(`Figures as at ${dateInWords(TODAY)}`);
    expect(fresh).toContain(`to ${dateInWords(TODAY)}`);
    // A council with nothing to report for a year has that view skipped, with the report's own reason.
    const other = results.find((r) => r.slug === "other")!;
    expect(other.results!.find((r) => r.parameters === "year=2026")!.skipped).toContain("nothing to report");
  });

  it(`rule: a refresh drops the snapshots no one has refreshed for ${SNAPSHOT_KEPT_DAYS} days, and keeps the rest`, async () => {
    const old = addDays(TODAY, -SNAPSHOT_KEPT_DAYS - 1);
    const recent = addDays(TODAY, -SNAPSHOT_KEPT_DAYS);
    for (const [asAt, parameters] of [
      [old, `${addDays(old, -30)}..${old}`],
      [recent, `${addDays(recent, -30)}..${recent}`],
    ] as const) {
      await withTenant(database.db, commissionerScope, (tx) =>
        saveSnapshot(tx, {
          report: "market",
          parameters,
          isDefault: false,
          asAt,
          computedAt: new Date(`${asAt}T05:00:00Z`),
          computedBy: "test",
          model: {},
        }),
      );
    }
    await refreshStandardSnapshots({ db: database.appDb, scope: commissionerScope, today: TODAY }, [
      "market",
    ]);
    const kept = await withSystem(database.db, (trx) =>
      sql<{ as_at: string }>`SELECT as_at FROM report_snapshots
        WHERE tenant_id = ${commissionerScope.tenantId} AND report = 'market' ORDER BY as_at`.execute(trx),
    );
    expect(kept.rows.map((r) => r.as_at)).toEqual([recent, TODAY]);
  });

  it("rule: the public fairness dashboard and its API say when their figures were worked out", async () => {
    const page = await app.inject({ method: "GET", url: "/demo/fairness" });
    expect(page.statusCode).toBe(200);
    expect(pageText(page.body)).toContain(`Figures as at ${dateInWords(TODAY)}`);
    const api = (await app.inject({ method: "GET", url: "/api/v1/councils/demo/fairness" })).json() as {
      today: string;
      snapshot: { asAt: string };
    };
    expect(api.snapshot.asAt).toBe(TODAY);
    expect(api.today).toBe(TODAY);
  });

  it("rule: the reports index says when the public dashboard's figures were worked out, and a reader of the reports can work them out again", async () => {
    const worker = await new InjectBrowser(app).signIn("social_worker");
    expect((await worker.post("/reports/fairness/refresh", {})).statusCode).toBe(403);
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    const index = await commissioner.get("/reports");
    expect(index.body).toContain('href="/demo/fairness"');
    expect((await commissioner.post("/reports/fairness/refresh", {}, { csrf: false })).statusCode).toBe(403);
    const before = new Date();
    const refreshed = await commissioner.post("/reports/fairness/refresh", {});
    expect(refreshed.statusCode).toBe(303);
    expect(refreshed.headers.location).toBe("/reports#fairness");
    const api = (await app.inject({ method: "GET", url: "/api/v1/councils/demo/fairness" })).json() as {
      snapshot: { computedAt: string; text: string };
    };
    expect(new Date(api.snapshot.computedAt).getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(pageText((await commissioner.get("/reports")).body)).toContain(`${api.snapshot.text}.`);
  });

  it("rule: the snapshot job is registered, scheduled nightly, and a run refreshes every council's reports", async () => {
    const jobs = await startJobs(database, { schedule: false });
    try {
      await registerReportSnapshotsJob(jobs, { today: () => TODAY });
      expect((await jobs.boss.getSchedules(REPORT_SNAPSHOTS_JOB)).map((s) => [s.cron, s.timezone])).toEqual([
        [REPORT_SNAPSHOTS_CRON, "UTC"],
      ]);
      const since = new Date();
      await jobs.send(REPORT_SNAPSHOTS_JOB, {});
      const refreshedSince = async () =>
        (
          await withSystem(database.db, (trx) =>
            sql<{ n: number }>`SELECT count(*)::int AS n FROM report_snapshots
              WHERE report = 'fairness' AND computed_at >= ${since}`.execute(trx),
          )
        ).rows[0]!.n;
      const deadline = Date.now() + 120_000;
      while ((await refreshedSince()) < 2) {
        if (Date.now() > deadline) throw new Error("the snapshot job did not run");
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await jobs.stop();
    }
  }, 180_000);

  it("rule (Bad input): `upfront reports refresh` names an unknown council or report plainly", async () => {
    const run = async (options: { tenant: string; report?: string }) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runReportsRefresh(
        database,
        { ...options, today: TODAY },
        { out: (l) => out.push(l), err: (l) => err.push(l) },
      );
      return { code, out, err };
    };
    const noCouncil = await run({ tenant: "no-such-council" });
    expect(noCouncil.code).toBe(2);
    expect(noCouncil.err).toEqual(['--tenant: There is no council with the short name "no-such-council".']);
    const noReport = await run({ tenant: DEMO_TENANT_SLUG, report: "money,weather" });
    expect(noReport.code).toBe(2);
    expect(noReport.err).toEqual([
      '--report: There is no report called "weather": give one of caseload, money, outcomes, market, fairness, measures',
    ]);
    const done = await run({ tenant: DEMO_TENANT_SLUG, report: "money" });
    expect(done.code).toBe(0);
    expect(done.out).toEqual([
      expect.stringMatching(
        /^demo money 2026-04-01\.\.2026-11-23: worked out as at 2026-11-23 in \d+\.\d s$/,
      ),
    ]);
  });
});
