import type { FastifyInstance } from "fastify";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ascofMeasures,
  ascofMeasuresByPage,
  personalisedSpendByYear,
  spendMeasures,
} from "#/features/reports/measures.ts";
import { byMeasure } from "#/features/reports/measures-model.ts";
import { measuresFor } from "#/features/reports/measures-page.ts";
import { buildCldReturn, cldRowsFor } from "#/features/reports/service.ts";
import { findTenantBySlug } from "#/features/tenants/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { ValidationError } from "#/platform/errors.ts";
import { DEMO_TENANT_SLUG, OTHER_TENANT_SLUG } from "#/seed/seed.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { InjectBrowser, pageText } from "../../../test/inject-browser.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * The measures page (issue 15, "Measures from the same events"; REPORTING.md §1.14, §2, §6.5–6.8) on the demo
 * council: who may read it, ASCOF 3D and 2E equal to ascofMeasures over the CLD return's own rows for the year,
 * spend by ASC-FR setting as spendMeasures gives it (contributions beside, top-ups excluded), the CSV, XLSX and
 * API holding the same figures, and bad years refused with a clear message.
 */

const YEAR = 2026; // TODAY (2026-11-23) is in April 2026 to March 2027, the demo seed's year
const PERIOD = { start: "2026-04-01", end: "2027-03-31" };

type ApiReport = {
  year: number;
  summary: { label: string; value: string | number | null }[];
  tables: { id: string; columns: { key: string }[]; rows: (string | number | null)[][] }[];
};

const csvRows = (body: string) =>
  body
    .trim()
    .split("\r\n")
    .map((line) => line.split(","));

describe.each(enginesUnderTest())("the measures page on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let demo: ServiceContext;
  let other: ServiceContext;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database);
    const db = database.appDb ?? database.db;
    const scope = async (slug: string) => ({
      tenantId: (await findTenantBySlug(database.db, slug))!.tenantId,
      actor: { type: "system" as const, id: "test" },
    });
    demo = { db, scope: await scope(DEMO_TENANT_SLUG), today: TODAY };
    other = { db, scope: await scope(OTHER_TENANT_SLUG), today: TODAY };
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("rule: readers of the commissioner's reports see the measures, linked from the reports index; others get 403", async () => {
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    expect((await commissioner.get("/reports")).body).toContain('href="/reports/measures"');
    for (const role of ["commissioner", "finance_officer"]) {
      const staff = await new InjectBrowser(app).signIn(role);
      const page = await staff.get(`/reports/measures?year=${YEAR}`);
      expect(page.statusCode, role).toBe(200);
      expect(pageText(page.body)).toContain("3D1a");
    }
    for (const role of ["social_worker", "support_planner"]) {
      const staff = await new InjectBrowser(app).signIn(role);
      expect((await staff.get(`/reports/measures?year=${YEAR}`)).statusCode, role).toBe(403);
      expect((await staff.get(`/reports/measures/download/ascof.csv?year=${YEAR}`)).statusCode, role).toBe(
        403,
      );
      expect((await staff.get(`/api/v1/reports/measures?year=${YEAR}`)).statusCode, role).toBe(403);
    }
  });

  it("issue 15 (bounded memory): ASCOF counted a page of people at a time (1, 7, the default) equals ascofMeasures over all the year's rows (DHSC ASCOF 3D, 2E)", async () => {
    const { rows } = await cldRowsFor(demo, { period: `${PERIOD.start}..${PERIOD.end}` });
    const whole = await ascofMeasures(demo, PERIOD, rows);
    const expected = whole.figures.map(({ measure, group, numerator, denominator, percent }) => ({
      measure,
      group,
      numerator,
      denominator,
      percent,
    }));
    for (const pageSize of [1, 7, undefined]) {
      const byPage = await ascofMeasuresByPage(demo, PERIOD, pageSize ? { pageSize } : {});
      expect(byPage.rows, `pages of ${pageSize ?? "the default"}`).toBe(rows.length);
      expect(byPage.ascof.figures, `pages of ${pageSize ?? "the default"}`).toEqual(expected);
      expect(
        [byPage.ascof.clientsWithUnknownMechanism, byPage.ascof.carersWithUnknownMechanism],
        `pages of ${pageSize ?? "the default"}`,
      ).toEqual([whole.clientsWithUnknownMechanism, whole.carersWithUnknownMechanism]);
      expect(byPage.ascof.rowsWithoutPerson).toBe(whole.rowsWithoutPerson);
    }
    // The demo's figures are not all nought: the comparison means something.
    expect(expected.some((f) => f.denominator > 7 && f.numerator > 0)).toBe(true);
  });

  it("done-when (issue 15): the page's ASCOF figures are ascofMeasures over the CLD return's rows for the year (DHSC ASCOF 3D, 2E from 2024-25)", async () => {
    const { rows } = await cldRowsFor(demo, { period: `${PERIOD.start}..${PERIOD.end}` });
    // The same rows the return sends for the year: as many as the return file holds.
    const sent = await buildCldReturn(demo, { period: `${PERIOD.start}..${PERIOD.end}` });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBe(sent.rows);
    expect(new Set(rows.map((r) => r.laPersonUniqueIdentifier)).size).toBeGreaterThan(1);
    const expected = await ascofMeasures(demo, PERIOD, rows);
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    const api = await commissioner.get(`/api/v1/reports/measures?year=${YEAR}`);
    expect(api.statusCode).toBe(200);
    const report = api.json() as ApiReport;
    const ascof = report.tables.find((t) => t.id === "ascof")!;
    expect(ascof.rows.map((r) => [r[0], r[2], r[3], r[4]])).toEqual(
      byMeasure(expected.figures).map((f) => [f.measure, f.numerator, f.denominator, f.percent]),
    );
    for (const measure of ["3D1a", "3D2a", "3D1b", "3D2b", "2E"]) {
      expect(ascof.rows.filter((r) => r[0] === measure).map((r) => r[1])).toEqual([
        "All ages",
        "Aged 18 to 64",
        "Aged 65 and over",
      ]);
    }
    // The CSV download holds the same figures as the API.
    const csv = await commissioner.get(`/reports/measures/download/ascof.csv?year=${YEAR}`);
    expect(csv.statusCode).toBe(200);
    const [header, ...lines] = csvRows(csv.body);
    expect(header!.slice(0, 5)).toEqual(["measure", "group", "numerator", "denominator", "percent"]);
    expect(lines.map((l) => [l[0], Number(l[2]), Number(l[3])])).toEqual(
      byMeasure(expected.figures).map((f) => [f.measure, f.numerator, f.denominator]),
    );
  });

  it("rule: the OpenAPI document describes /api/v1/reports/measures for readers of the commissioner's reports", async () => {
    const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json() as {
      paths: Record<string, { get?: { operationId?: string } }>;
    };
    expect(doc.paths["/reports/measures"]?.get?.operationId).toBe("commissionerReportMeasures");
  });

  it("rule (REPORTING.md §2): spend by setting is gross with contributions beside it, top-ups excluded and shown as excluded", async () => {
    const spend = await spendMeasures(demo, { year: YEAR });
    const report = await measuresFor(demo, { year: String(YEAR) });
    const settings = report.tables.find((t) => t.id === "settings")!;
    expect(settings.rows.map((r) => [r[2], r[3]])).toEqual(
      spend.spend.settings.map((s) => [s.grossPence, s.contributionIncomePence]),
    );
    const summary = Object.fromEntries(report.summary.map((s) => [s.label.split(":")[0], s.value]));
    expect(summary["Gross spend in the year"]).toBe(spend.spend.grossPence);
    expect(summary["Third-party top-ups received (excluded from spend)"]).toBe(spend.topUpsExcluded.pence);
    const byYear = await personalisedSpendByYear(demo, { fromYear: YEAR - 4, toYear: YEAR });
    const personalised = report.tables.find((t) => t.id === "personalised")!;
    expect(personalised.rows.map((r) => [r[0], r[1], r[2]])).toEqual(
      byYear.map((y) => [y.year.label, y.personalisedPence, y.nonPersonalisedPence]),
    );
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    const page = await commissioner.get(`/reports/measures?year=${YEAR}`);
    expect(page.body).toContain('role="img"');
    expect(pageText(page.body)).toContain("excluded from spend");
    const xlsx = await commissioner.get(`/reports/measures/download/settings.xlsx?year=${YEAR}`);
    expect(xlsx.headers["content-type"]).toContain("spreadsheetml");
    const files = unzipSync(new Uint8Array(xlsx.rawPayload));
    expect(strFromU8(files["xl/sharedStrings.xml"]!)).toContain("contribution_income_pence");
    const sheet = strFromU8(files["xl/worksheets/sheet1.xml"]!);
    const spent = spend.spend.settings.filter((s) => s.grossPence > 0);
    expect(spent.length).toBeGreaterThan(0);
    for (const s of spent) expect(sheet).toContain(`<v>${s.grossPence}</v>`);
  });

  it("rule: a malformed year, a year before the CLD rules, and a council with nothing to report are refused with a clear message", async () => {
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    const malformed = await commissioner.get("/reports/measures?year=26");
    expect(malformed.statusCode).toBe(400);
    expect(pageText(malformed.body)).toContain("There is a problem");
    expect(pageText(malformed.body)).toContain("as 4 digits, for example 2026");
    const early = await commissioner.get("/reports/measures?year=2019");
    expect(early.statusCode).toBe(400);
    expect(pageText(early.body)).toContain("There is a problem");
    expect(pageText(early.body)).toContain("no Client Level Data return");
    const api = await commissioner.get("/api/v1/reports/measures?year=twenty");
    expect(api.statusCode).toBe(400);
    expect((await commissioner.get("/reports/measures/download/ascof.csv?year=2019")).statusCode).toBe(400);
    expect((await commissioner.get(`/reports/measures/download/nothing.csv?year=${YEAR}`)).statusCode).toBe(
      404,
    );
    const error = await measuresFor(other, { year: String(YEAR) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors[0]!.message).toMatch(
      /has nothing to report for 2026 to 2027/,
    );
  });
});
