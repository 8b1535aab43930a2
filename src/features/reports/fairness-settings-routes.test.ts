import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withSystem } from "#/platform/db/tenant.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, demoTenantId, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { errorSummaryLinks, InjectBrowser, location, pageText } from "../../../test/inject-browser.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * The public fairness dashboard's settings on the administrator's pages (/admin/fairness, issue 15): the
 * threshold and margin in force with where the defaults come from; a bad setting refused field by field
 * (rule: a council may hide more, never less than the rules' default of 10 people,
 * rules/england/fairness-rules.ts); a good one saved, audited, and used by the public dashboard at once (its
 * stored snapshot worked out again); the same date twice refused; only administrators may open it.
 */

describe.each(enginesUnderTest())("the fairness dashboard's settings page on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const [year, month, day] = TODAY.split("-").map(Number) as [number, number, number];
  const fields = {
    suppressFewerThan: "12",
    marginPercent: "15",
    "validFrom-day": String(day),
    "validFrom-month": String(month),
    "validFrom-year": String(year),
    reason: "Agreed by the board",
  };

  it("permission: only administrators may open or change it", async () => {
    for (const role of ["commissioner", "finance_officer", "social_worker"]) {
      const staff = new InjectBrowser(app);
      await staff.signIn(role);
      expect((await staff.get("/admin/fairness")).statusCode, role).toBe(403);
      expect((await staff.post("/admin/fairness", fields)).statusCode, role).toBe(403);
    }
    const anonymous = await app.inject({ method: "GET", url: "/admin/fairness" });
    expect(anonymous.statusCode).not.toBe(200);
  });

  it("shows the defaults and their source; refuses a bad setting field by field, writing nothing", async () => {
    const admin = new InjectBrowser(app);
    await admin.signIn("administrator");
    const page = await admin.get("/admin/fairness");
    expect(page.statusCode).toBe(200);
    const text = pageText(page.body);
    expect(text).toContain("Upfront's defaults: the council has not set its own");
    expect(text).toContain("10 people");

    const bad = await admin.post("/admin/fairness", {
      ...fields,
      suppressFewerThan: "5",
      marginPercent: "ten",
      "validFrom-day": "31",
      "validFrom-month": "2",
      reason: " ",
    });
    expect(bad.statusCode).toBe(400);
    expect(errorSummaryLinks(bad.body).map((l) => l.href)).toEqual([
      "#suppressFewerThan",
      "#marginPercent",
      "#validFrom-day",
      "#reason",
    ]);
    const said = pageText(bad.body);
    expect(said).toContain("Hide figures about fewer than at least 10 people: fewer could identify someone");
    expect(said).toContain("The date the settings apply from must be a real date, for example 1 4 2027");
    expect(await settingsRows()).toEqual([]);
  });

  it("saves a good setting, audited; the public dashboard uses it; the same date twice is refused", async () => {
    // The public page reads a stored snapshot: one is stored now, with the rules' defaults.
    const before = (await app.inject({ method: "GET", url: "/api/v1/councils/demo/fairness" })).json();
    expect(before.settings).toMatchObject({ suppressFewerThan: 10, source: { kind: "rules" } });
    const admin = new InjectBrowser(app);
    await admin.signIn("administrator");
    const saved = await admin.post("/admin/fairness", fields);
    expect(saved.statusCode).toBe(303);
    expect(location(saved)).toBe("/admin/fairness?saved=1");
    expect(await settingsRows()).toEqual([{ suppress_fewer_than: 12, margin_percent: 15 }]);
    expect(await auditedChanges()).toEqual([
      expect.objectContaining({ suppress_fewer_than: 12, margin_percent: 15, reason: "Agreed by the board" }),
    ]);

    const page = pageText((await admin.get("/admin/fairness?saved=1")).body);
    expect(page).toContain("The fairness dashboard settings have been saved");
    expect(page).toContain("12 people");
    expect(page).toContain("Agreed by the board");
    const api = (await app.inject({ method: "GET", url: "/api/v1/councils/demo/fairness" })).json();
    // A setting in force today works the public figures out again at once.
    expect(api.settings).toMatchObject({
      suppressFewerThan: 12,
      marginPercent: 15,
      source: { kind: "council" },
    });

    const again = await admin.post("/admin/fairness", { ...fields, suppressFewerThan: "20" });
    expect(again.statusCode).toBe(400);
    expect(errorSummaryLinks(again.body).map((l) => l.href)).toEqual(["#validFrom-day"]);
    expect(pageText(again.body)).toMatch(
      /already has fairness settings from \d{1,2} \w+ \d{4}: give a later date/,
    );
    expect(await settingsRows()).toHaveLength(1);
  });

  async function settingsRows() {
    const tenantId = await demoTenantId(database);
    return withSystem(database.db, async (trx) => {
      const result = await sql<{ suppress_fewer_than: number; margin_percent: number }>`
        SELECT suppress_fewer_than, margin_percent FROM fairness_settings WHERE tenant_id = ${tenantId}`.execute(
        trx,
      );
      return result.rows;
    });
  }

  async function auditedChanges() {
    const tenantId = await demoTenantId(database);
    return withSystem(database.db, async (trx) => {
      const result = await sql<{ changes: Record<string, unknown> }>`
        SELECT changes FROM audit_events
        WHERE tenant_id = ${tenantId} AND record_type = 'fairness_settings' AND actor_type = 'staff'`.execute(
        trx,
      );
      return result.rows.map((r) => r.changes);
    });
  }
});
