import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getChargingSettings } from "#/features/charging/settings-service.ts";
import { buildTestApp, staffScope } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import {
  emailOf,
  errorSummaryLinks,
  InjectBrowser,
  location,
  pageText,
} from "../../../test/inject-browser.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * The yearly uprating page (issue 12: "start next year's figures from this year's, change what the circular
 * changed, cite it, confirm. From then on that year's charges work"): finance officers and administrators only;
 * bad input comes back with errors and nothing written; confirmed figures are added for the whole year at once.
 */

describe.each(enginesUnderTest())("uprating the charging figures on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await databaseFor(engine, { demo: { people: 2 } });
    app = await buildTestApp(database);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("offers this financial year and the next; only finance officers and administrators may open it", async () => {
    expect(TODAY.startsWith("2026-")).toBe(true);
    const finance = await new InjectBrowser(app, { ip: "127.0.0.21" }).signIn("finance_officer");
    const res = await finance.get("/charging/settings/uprate");
    expect(res.statusCode).toBe(200);
    const page = pageText(res.body);
    expect(page).toContain("Financial year 2026 to 2027");
    expect(page).toContain("Financial year 2027 to 2028");
    const worker = await new InjectBrowser(app, { ip: "127.0.0.22" }).signIn("social_worker");
    expect((await worker.get("/charging/settings/uprate?year=2027")).statusCode).toBe(403);
  });

  it("next year's figures start from this year's; bad input is refused with nothing written; confirmed, they cover the year", async () => {
    const admin = await new InjectBrowser(app, { ip: "127.0.0.23" }).signIn("administrator");
    let res = await admin.get("/charging/settings/uprate?year=2027");
    expect(res.statusCode).toBe(200);
    const page = pageText(res.body);
    expect(page).toContain("Uprate the charging figures for 2027 to 2028");
    // The demo council supplied its (demonstration) figures for 2026-27: they are last year's.
    expect(res.body).toMatch(/id="amount-mig-carer_premium"[^>]*value="45"/);
    expect(page).toContain("Last year's figure was £45.00 a week");
    const fields = Object.fromEntries(
      [...res.body.matchAll(/name="(amount-[^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    expect(Object.keys(fields).length).toBeGreaterThan(10);

    const before = await getChargingSettings({
      db: database.db,
      scope: await staffScope(database, emailOf("administrator")),
      today: TODAY,
    });
    res = await admin.post("/charging/settings/uprate?year=2027", {
      ...fields,
      "amount-mig-carer_premium": "forty",
      source: "",
    });
    expect(res.statusCode).toBe(400);
    expect(errorSummaryLinks(res.body).map((e) => e.href)).toEqual([
      "#amount-mig-carer_premium",
      "#source",
      "#confirmed",
    ]);
    expect(pageText(res.body)).toContain("in pounds and pence");
    const unchanged = await getChargingSettings({
      db: database.db,
      scope: await staffScope(database, emailOf("administrator")),
      today: TODAY,
    });
    expect(unchanged.suppliedFigures).toHaveLength(before.suppliedFigures.length);

    res = await admin.post("/charging/settings/uprate?year=2027", {
      ...fields,
      "amount-mig-carer_premium": "47.50",
      source: "LAC(DHSC)(2027)1 Annex A",
      confirmed: "yes",
    });
    expect(location(res)).toBe("/charging/settings?done=uprated");
    const after = await getChargingSettings({
      db: database.db,
      scope: await staffScope(database, emailOf("administrator")),
      today: TODAY,
    });
    const added = after.suppliedFigures.filter((f) => f.validFrom === "2027-04-01");
    expect(added).toHaveLength(Object.keys(fields).length);
    expect(added.every((f) => f.validTo === "2028-03-31" && f.source === "LAC(DHSC)(2027)1 Annex A")).toBe(
      true,
    );
    expect(added.find((f) => f.figure === "mig.carer_premium")?.pence).toBe(47_50);

    // Done: the year now has nothing left to check.
    res = await admin.get("/charging/settings/uprate?year=2027");
    expect(pageText(res.body)).toContain(
      "Every figure for this year is confirmed by the rules or already supplied",
    );
  });
});
