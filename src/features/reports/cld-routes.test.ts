import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCouncil, PASSWORD } from "#/features/accounts/portal.fixture.ts";
import { buildCldReturn } from "#/features/reports/service.ts";
import { findTenantBySlug } from "#/features/tenants/service.ts";
import { addDays, addMonths } from "#/platform/dates/calendar.ts";
import { DEMO_TENANT_SLUG } from "#/seed/seed.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { errorSummaryLinks, InjectBrowser, pageText, titleOf } from "../../../test/inject-browser.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * The commissioner's Client Level Data page (issue 15): only commissioners may make the return (it is a record
 * per person); the form suggests the 12 months to the last quarter's end; the streamed page shows progress, the
 * result and the failing fields; both downloads are the files the service writes, byte for byte.
 */
describe.each(enginesUnderTest())("the Client Level Data page on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const period = `${addDays(addMonths(TODAY, -12), 1)}..${TODAY}`;
  const query = `period=${encodeURIComponent(period)}`;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("rule: only a commissioner may open it; others are refused and it is in a commissioner's navigation", async () => {
    const worker = await new InjectBrowser(app).signIn("social_worker");
    expect((await worker.get("/returns/cld")).statusCode).toBe(403);
    expect((await worker.get(`/returns/cld/return.csv?${query}`)).statusCode).toBe(403);
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    const page = await commissioner.get("/returns/cld");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/returns/cld"');
    expect(titleOf(page.body)).toMatch(/^Client Level Data return/);
    // TODAY is 2026-11-23: the last quarter ended on 30 September.
    expect(page.body).toContain('value="2025-10-01..2026-09-30"');
  });

  it("works the return out with its progress, lists the outcome, and offers both files", async () => {
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    const page = await commissioner.get(`/returns/cld?${query}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    const text = pageText(page.body);
    expect(text).toMatch(/Read 0 of \d+ people/);
    expect(text).toMatch(/Read (\d+) of \1 people/);
    expect(text).toContain("Every field passed NHS England's data-quality checks.");
    expect(page.body).toContain(`href="/returns/cld/return.csv?${query}"`);
    expect(page.body).toContain(`href="/returns/cld/data-quality.csv?${query}"`);
    expect(page.body.trimEnd().endsWith("</html>")).toBe(true);
  });

  it("rule (issue 15): the downloads are the service's files, byte for byte", async () => {
    const tenant = (await findTenantBySlug(database.db, DEMO_TENANT_SLUG))!;
    const expected = await buildCldReturn(
      {
        db: database.db,
        scope: { tenantId: tenant.tenantId, actor: { type: "system", id: "test" } },
        today: TODAY,
      },
      { period },
    );
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    const file = await commissioner.get(`/returns/cld/return.csv?${query}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(file.headers["content-disposition"]).toBe(
      `attachment; filename="demo-cld-${period.replace("..", "-to-")}.csv"`,
    );
    expect(file.body).toBe(expected.csv);
    const quality = await commissioner.get(`/returns/cld/data-quality.csv?${query}`);
    expect(quality.headers["content-disposition"]).toBe(
      `attachment; filename="demo-cld-data-quality-${period.replace("..", "-to-")}.csv"`,
    );
    expect(quality.body).toBe(expected.qualityCsv);
  });

  it("bad input: a malformed period is shown on the form with an error summary that lands on the field", async () => {
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    const page = await commissioner.get("/returns/cld?period=2026-04-01..2027-05-01");
    expect(page.statusCode).toBe(400);
    expect(titleOf(page.body)).toMatch(/^Error: Client Level Data return/);
    const links = errorSummaryLinks(page.body);
    expect(links).toEqual([{ href: "#period", text: expect.stringContaining("12 months") }]);
    expect(page.body).toContain('id="period"');
    // A download without a period, or with a bad one, goes back to the form.
    expect((await commissioner.get("/returns/cld/return.csv")).headers.location).toBe("/returns/cld");
    expect((await commissioner.get("/returns/cld/data-quality.csv?period=nonsense")).statusCode).toBe(303);
  });

  it("a period with nothing in it says so on the page", async () => {
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    const page = await commissioner.get(
      `/returns/cld?period=${encodeURIComponent("2025-10-01..2025-10-31")}`,
    );
    expect(page.statusCode).toBe(200);
    expect(pageText(page.body)).toContain("No return for this period Demo Council has no requests");
    expect(page.body).not.toContain("return.csv");
  });

  it("lists the failing fields by person and event, for staff to fix the records", async () => {
    // A council whose people have no NHS number and which has no LA code: no row can be sent.
    const council = await makeCouncil(database.db, "cld-gaps", TODAY, ["commissioner"]);
    const commissioner = new InjectBrowser(app);
    await commissioner.signInAs(council.staffEmail, PASSWORD);
    const page = await commissioner.get(`/returns/cld?${query}`);
    expect(page.statusCode).toBe(200);
    const text = pageText(page.body);
    expect(text).toMatch(/\d+ fields fail the checks, in \d+ rows/);
    expect(text).toContain("Fields that fail the checks, by person and event");
    expect(text).toMatch(/Ann Able \(\S+\) Assessment \S+ Person identifier This row cannot be sent/);
  });
});
