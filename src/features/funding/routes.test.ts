import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundingSettingsOn } from "#/features/funding/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { DEMO_STAFF } from "#/seed/seed.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { errorSummaryLinks, type FormFields, InjectBrowser, pageText } from "../../../test/inject-browser.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * The administrator's funding pages through app.inject, over the seeded demo council (versions from 1 April
 * 2025 and 1 April 2026): only administrators; the settings in force and every version; changing the streams,
 * the payer order and who signs plans off, each a new version from a date, with GOV.UK error summaries whose
 * links land on their fields and nothing saved on a mistake; a change made from a stale version refused; CSRF.
 */

function expectLinksLand(html: string) {
  const links = errorSummaryLinks(html);
  expect(links.length).toBeGreaterThan(0);
  for (const link of links) expect(html, link.href).toContain(`id="${link.href.slice(1)}"`);
  return links;
}

/** The form's fields as the page rendered them (inputs, checked boxes and radios, selected options). */
function formFields(html: string): Record<string, string[]> {
  const form = /<form method="post" action="\/admin\/funding[^"]*"[\s\S]*?<\/form>/.exec(html)?.[0] ?? "";
  const out: Record<string, string[]> = {};
  const add = (name: string, value: string) => {
    out[name] = [...(out[name] ?? []), value.replace(/&amp;/g, "&").replace(/&#39;/g, "'")];
  };
  for (const m of form.matchAll(/<input([^>]*)>/g)) {
    const attrs = m[1]!;
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    if (!name || name === "_csrf") continue;
    const type = /type="([^"]+)"/.exec(attrs)?.[1] ?? "text";
    const value = /value="([^"]*)"/.exec(attrs)?.[1] ?? "";
    if ((type === "checkbox" || type === "radio") && !/\schecked/.test(attrs)) continue;
    add(name, value);
  }
  for (const m of form.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g))
    add(m[1]!, m[2]!.trim());
  for (const m of form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)"[^>]*selected/.exec(m[2]!)?.[1] ?? "";
    add(m[1]!, selected);
  }
  return out;
}

const change = {
  "validFrom-day": "1",
  "validFrom-month": "12",
  "validFrom-year": "2026",
  reason: "Cabinet, 20 November 2026",
};

describe.each(enginesUnderTest())("funding pages on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let ctx: ServiceContext;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database);
    const admin = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("staff_users")
        .where("email", "=", DEMO_STAFF.find((s) => s.roles.includes("administrator"))!.email)
        .select(["tenant_id", "user_id"])
        .executeTakeFirstOrThrow(),
    );
    ctx = {
      db: database.db,
      scope: { tenantId: admin.tenant_id, actor: { type: "staff", id: admin.user_id } },
      today: TODAY,
    };
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  /** Opens a change page and posts its fields as rendered, with these changes on top. */
  async function submit(browser: InjectBrowser, path: string, edits: FormFields) {
    const page = await browser.get(path);
    expect(page.statusCode).toBe(200);
    const fields: FormFields = { ...formFields(page.body), ...change, ...edits };
    return browser.post(path, fields);
  }

  it("rule: only administrators may see or change the funding settings; others get 403 and a visitor is sent to sign in", async () => {
    const visitor = await new InjectBrowser(app).get("/admin/funding");
    expect(visitor.statusCode).toBe(302);
    const worker = await new InjectBrowser(app).signIn("social_worker");
    for (const url of ["/admin/funding", "/admin/funding/streams", "/admin/funding/versions/1"]) {
      expect((await worker.get(url)).statusCode, url).toBe(403);
    }
    expect((await worker.post("/admin/funding/streams", { ...change, rows: "0" })).statusCode).toBe(403);
    expect((await worker.get("/directory")).body).not.toContain('href="/admin/funding"');

    const admin = await new InjectBrowser(app).signIn("administrator");
    const index = await admin.get("/admin/funding");
    expect(index.statusCode).toBe(200);
    const text = pageText(index.body);
    expect(text).toContain("In force today: version 2");
    expect(text).toContain(
      "Personal care (washing, dressing, eating, using the toilet) NHS personal health budget, then Adult social care",
    );
    expect(text).toContain("Funding panel Funding panel member When it costs more than £1,500.00 a week");
    expect(text).toContain("Version 1 1 April 2025");
    const version = pageText((await admin.get("/admin/funding/versions/1")).body);
    expect(version).toContain("£2,250,000.00"); // last year's adult social care pot
  });

  it("rule (Bad input): a change to the streams is refused whole with every problem linked to its field, and nothing is saved", async () => {
    const admin = await new InjectBrowser(app).signIn("administrator");
    const res = await submit(admin, "/admin/funding/streams", {
      "stream-1-meansTested": "yes", // the NHS personal health budget
      "stream-0-pot": "lots",
      "stream-5-name": "Independent living fund",
      "stream-5-kind": "",
      "validFrom-month": "13",
      reason: "",
    });
    expect(res.statusCode).toBe(400);
    const links = expectLinksLand(res.body);
    // In the order of the page: each stream's fields, then the date and the reason.
    expect(links.map((l) => l.href)).toEqual([
      "#stream-0-pot",
      "#stream-5-kind",
      "#stream-5-categories",
      "#stream-5-meansTested",
      "#stream-5-pot",
      "#validFrom-day",
      "#reason",
    ]);
    expect((await fundingSettingsOn(ctx, "2026-12-01"))?.version).toBe(2);

    const nhs = await submit(admin, "/admin/funding/streams", { "stream-1-meansTested": "yes" });
    expect(nhs.statusCode).toBe(400);
    expect(expectLinksLand(nhs.body)).toEqual([
      {
        href: "#stream-1-meansTested",
        text: "An NHS personal health budget is never charged for, so it cannot be means-tested",
      },
    ]);
  });

  it("rule: adding a stream makes a new version from its date; removing one takes it out of the payer order", async () => {
    const admin = await new InjectBrowser(app).signIn("administrator");
    const res = await submit(admin, "/admin/funding/streams", {
      "stream-5-name": "Independent living fund",
      "stream-5-kind": "independent_living_fund",
      "stream-5-categories": ["personal_care", "community_access"],
      "stream-5-meansTested": "no",
      "stream-5-pot": "£400,000",
      "stream-4-remove": "yes", // the disabled facilities grant
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/admin/funding?saved=3");
    expect(pageText((await admin.get("/admin/funding?saved=3")).body)).toContain(
      "Version 3 of the funding settings has been saved It applies from 1 December 2026.",
    );
    const on = await fundingSettingsOn(ctx, "2026-12-01");
    expect(on?.settings.streams.map((s) => s.id)).toEqual([
      "adult_social_care",
      "nhs_phb",
      "supported_employment",
      "housing_support",
      "independent_living_fund",
    ]);
    expect(on?.settings.streams[4]).toMatchObject({ annualPotPence: 40_000_000, meansTested: false });
    expect(on?.settings.payerOrder.equipment_adaptations).toEqual(["adult_social_care"]);
    expect(on?.reason).toBe("Cabinet, 20 November 2026");
    // Before its date, the old version still applies.
    expect((await fundingSettingsOn(ctx, "2026-11-30"))?.version).toBe(2);
  });

  it("rule: the payer order is chosen per category; a stream chosen twice is named on its field", async () => {
    const admin = await new InjectBrowser(app).signIn("administrator");
    const twice = await submit(admin, "/admin/funding/payer-order", {
      "order-personal_care-0": "adult_social_care",
      "order-personal_care-1": "adult_social_care",
    });
    expect(twice.statusCode).toBe(400);
    expect(expectLinksLand(twice.body)[0]).toEqual({
      href: "#order-personal_care-1",
      text: '"adult_social_care" is listed twice for personal_care',
    });
    const saved = await submit(admin, "/admin/funding/payer-order", {
      "order-personal_care-0": "adult_social_care",
      "order-personal_care-1": "nhs_phb",
      "order-personal_care-2": "",
    });
    expect(saved.statusCode).toBe(303);
    const on = await fundingSettingsOn(ctx, "2026-12-01");
    expect(on?.version).toBe(4);
    expect(on?.settings.payerOrder.personal_care).toEqual(["adult_social_care", "nhs_phb"]);
  });

  it("rule: who signs plans off and the override policy are changed together, checked by the delegated-authority rules", async () => {
    const admin = await new InjectBrowser(app).signIn("administrator");
    const bad = await submit(admin, "/admin/funding/approval", {
      "level-3-label": "Director",
      "level-3-roles": [],
      "level-3-overPercent": "ten",
      "override-roles": [],
    });
    expect(bad.statusCode).toBe(400);
    expect(expectLinksLand(bad.body).map((l) => l.href)).toEqual([
      "#level-3-roles",
      "#level-3-overPercent",
      "#override-roles",
    ]);

    const saved = await submit(admin, "/admin/funding/approval", {
      "level-1-weekly": "700",
      "override-percent": "15",
    });
    expect(saved.statusCode).toBe(303);
    const on = await fundingSettingsOn(ctx, "2026-12-01");
    expect(on?.settings.delegatedAuthority.levels[1]?.requiredWhen?.weeklyPenceAbove).toBe(70_000);
    expect(on?.settings.allocationOverridePolicy.approvalNeededWhenChangeAbovePercent).toBe(15);
    // The other sections come from the version it was made from.
    expect(on?.settings.payerOrder.personal_care).toEqual(["adult_social_care", "nhs_phb"]);
  });

  it("rule: a change made from a version that is no longer the latest is refused (409), so no one overwrites another's change", async () => {
    const admin = await new InjectBrowser(app).signIn("administrator");
    const page = await admin.get("/admin/funding/payer-order");
    const fields = { ...formFields(page.body), ...change, baseVersion: "2" };
    const res = await admin.post("/admin/funding/payer-order", fields);
    expect(res.statusCode).toBe(409);
    expect(pageText(res.body)).toMatch(
      /The funding settings have changed since you started \(version 5 is now the latest/,
    );
  });

  it("rule: CSRF protects the funding forms", async () => {
    const admin = await new InjectBrowser(app).signIn("administrator");
    const page = await admin.get("/admin/funding/streams");
    admin.csrf = "forged";
    const res = await admin.post("/admin/funding/streams", { ...formFields(page.body), ...change });
    expect(res.statusCode).toBe(403);
  });
});
