import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setUpChecklist } from "#/faces/setup/service.ts";
import { addFundingSettingsVersion } from "#/features/funding/service.ts";
import { insertStaffUsers } from "#/features/staff/repository.ts";
import { createTenant, SYSTEM_ACTOR } from "#/features/tenants/service.ts";
import { hashPassword } from "#/platform/auth/passwords.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { withTenant } from "#/platform/db/tenant.ts";
import { demoFundingSettings } from "#/seed/directory-funding-seed.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, demoTenantId, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { emailOf, InjectBrowser, pageText } from "../../../test/inject-browser.ts";
import { TODAY } from "../../../test/today.ts";

const NEW_ADMIN = { email: "admin@setup-new.example", password: "a-long-new-council-password" };

describe.each(enginesUnderTest())("the set-up checklist on %s", (engine) => {
  let database: TestDatabase;
  let newTenantId: string;
  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    // A brand new council, as the tenants service makes one, with one administrator to sign in as.
    const tenant = await createTenant(
      database.db,
      { slug: "setup-new", name: "Setup New Council", jurisdiction: "england" },
      { today: TODAY },
    );
    newTenantId = tenant.tenantId;
    const passwordHash = await hashPassword(NEW_ADMIN.password);
    await withTenant(database.db, { tenantId: newTenantId, actor: SYSTEM_ACTOR }, (tx) =>
      insertStaffUsers(tx, [
        {
          userId: uuidv7(),
          email: NEW_ADMIN.email,
          name: "New Administrator",
          passwordHash,
          roles: ["administrator"],
        },
      ]),
    );
  });
  afterAll(async () => {
    await database?.drop();
  });

  const ctxFor = (tenantId: string): ServiceContext => ({
    db: database.db,
    scope: { tenantId, actor: { type: "staff", id: "setup-test" } },
    today: TODAY,
  });

  it("rule (issue 11): a brand new council has every item not done, and the steps they block are blocked", async () => {
    const checklist = await setUpChecklist(ctxFor(newTenantId));
    expect(checklist.allDone).toBe(false);
    expect(checklist.items.map((i) => [i.id, i.done])).toEqual([
      ["ras_model", false],
      ["funding_streams", false],
      ["delegated_authority", false],
      ["charging", false],
      ["payment_settings", false],
      ["providers", false],
      ["contact", false],
    ]);
    const blocked = Object.fromEntries(
      checklist.steps.map((s) => [
        s.id,
        { blockedBy: s.blockedBy.map((b) => b.id), weakenedBy: s.weakenedBy.map((w) => w.id) },
      ]),
    );
    expect(blocked).toEqual({
      assessment: { blockedBy: ["contact"], weakenedBy: [] },
      // A new council prices budgets with its rule pack's example model: it works, with a stand-in.
      budget: { blockedBy: [], weakenedBy: ["ras_model"] },
      charging: { blockedBy: ["charging"], weakenedBy: [] },
      planning: { blockedBy: ["funding_streams", "delegated_authority"], weakenedBy: ["providers"] },
      payments: { blockedBy: ["funding_streams", "payment_settings"], weakenedBy: [] },
      directory: { blockedBy: ["providers"], weakenedBy: [] },
    });
    expect(checklist.items.find((i) => i.id === "ras_model")!.status).toContain(
      "the example model shipped with the England rule pack",
    );
  });

  it("rule (issue 11): delegated authority is not done while a level has no active member of staff to approve at it", async () => {
    const tenant = await createTenant(
      database.db,
      { slug: "setup-approvers", name: "Setup Approvers Council", jurisdiction: "england" },
      { today: TODAY },
    );
    const ctx = ctxFor(tenant.tenantId);
    // The demo council's own funding settings, but nobody on the staff yet.
    await addFundingSettingsVersion(ctx, {
      validFrom: TODAY,
      reason: "Setting up",
      settings: demoFundingSettings(),
    });
    const before = await setUpChecklist(ctx);
    const authority = before.items.find((i) => i.id === "delegated_authority")!;
    expect(authority.done).toBe(false);
    expect(authority.status).toBe(
      "No active member of staff can approve at: Social worker, Team manager, Funding panel (add staff with those roles)",
    );
    expect(before.items.find((i) => i.id === "funding_streams")!.done).toBe(true);
    expect(before.steps.find((s) => s.id === "planning")!.blockedBy.map((b) => b.id)).toEqual([
      "delegated_authority",
    ]);
    await withTenant(database.db, { tenantId: tenant.tenantId, actor: SYSTEM_ACTOR }, (tx) =>
      insertStaffUsers(
        tx,
        (["social_worker", "team_manager", "funding_panel_member"] as const).map((role) => ({
          userId: uuidv7(),
          email: `${role}@setup-approvers.example`,
          name: role,
          passwordHash: null,
          roles: [role],
        })),
      ),
    );
    const after = await setUpChecklist(ctx);
    expect(after.items.find((i) => i.id === "delegated_authority")!).toMatchObject({
      done: true,
      status: "Approvers, lowest first: Social worker, Team manager, Funding panel",
    });
  });

  it("rule (issue 11): the demo council has every item done, its own RAS model included, so no step is blocked", async () => {
    const checklist = await setUpChecklist(ctxFor(await demoTenantId(database)));
    expect(checklist.items.filter((i) => !i.done).map((i) => i.id)).toEqual([]);
    expect(checklist.items.find((i) => i.id === "ras_model")!.status).toBe(
      "Version 2 in use, adopted by the council: Demo Council's model, adopted at set-up",
    );
    expect(checklist.steps.filter((s) => s.blockedBy.length > 0)).toEqual([]);
    expect(checklist.items.find((i) => i.id === "contact")!.status).toBe(
      "03069 990123, adult.care@demo-council.example",
    );
  });

  it("rule (issue 11): the checklist page lists each item done or not with its link, and each link opens for the role that fixes it", async () => {
    const app = await buildTestApp(database);
    try {
      const admin = new InjectBrowser(app);
      await admin.signInAs(NEW_ADMIN.email, NEW_ADMIN.password);
      const page = await admin.get("/admin/setup");
      expect(page.statusCode).toBe(200);
      const text = pageText(page.body);
      expect(text).toContain("The council still needs 7 of these 7 things before every step works");
      expect(text.match(/Not done/g)).toHaveLength(7);
      expect(text).toContain("Blocked until the council sets: Contact details");
      expect(text).toContain("A finance officer sets this.");
      // Escaped once, not twice.
      expect(page.body).toContain("this council&#39;s costs");
      expect(page.body).not.toContain("&amp;#39;");
      // The header links an administrator to it.
      expect(page.body).toContain('href="/admin/setup"');

      const links = [...page.body.matchAll(/class="govuk-link govuk-task-list__link" href="([^"]+)"/g)].map(
        (m) => m[1],
      );
      expect(links).toEqual([
        "/admin/ras",
        "/admin/funding/streams",
        "/admin/funding/approval",
        "/charging/settings",
        "/admin/payments",
        "/directory",
        "/admin/contact",
      ]);
      // Every link is a page that exists, for the demo council's administrator (or its finance officer, for
      // the payment settings, which only finance may set).
      const demoAdmin = new InjectBrowser(app);
      await demoAdmin.signIn("administrator");
      const finance = new InjectBrowser(app);
      await finance.signIn("finance_officer");
      const demoPage = await demoAdmin.get("/admin/setup");
      expect(pageText(demoPage.body)).toContain("Everything the council needs is set up");
      expect(pageText(demoPage.body)).not.toContain("Not done");
      for (const href of links) {
        const who = href === "/admin/payments" ? finance : demoAdmin;
        expect((await who.get(href!)).statusCode, href).toBe(200);
      }
      // The new council's administrator can open them too (except finance's).
      for (const href of links.filter((l) => l !== "/admin/payments")) {
        expect((await admin.get(href!)).statusCode, href).toBe(200);
      }

      // Only administrators see the checklist.
      const worker = new InjectBrowser(app);
      await worker.signInAs(emailOf("social_worker"));
      expect((await worker.get("/admin/setup")).statusCode).toBe(403);
    } finally {
      await app.close();
    }
  });
});
