import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withSystem } from "#/platform/db/tenant.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import {
  emailOf,
  errorSummaryLinks,
  InjectBrowser,
  location,
  pageText,
} from "../../../test/inject-browser.ts";

/**
 * The staff administration pages through app.inject over the demo council: only administrators; adding a member
 * of staff shows their one-time link once; the link's page sets a password and signs nothing in; deactivating
 * signs them out at once; the last administrator is refused; your own password needs the current one; every
 * form's errors in a GOV.UK error summary whose links land on their fields.
 */

const NEW_PASSWORD = "three random words";

function expectLinksLand(html: string) {
  const links = errorSummaryLinks(html);
  expect(links.length).toBeGreaterThan(0);
  for (const link of links) expect(html, link.href).toContain(`id="${link.href.slice(1)}"`);
  return links;
}

describe.each(enginesUnderTest())("staff pages on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const linkFrom = (html: string) => {
    const url = /<code id="set-password-link"[^>]*>([^<]+)<\/code>/.exec(html)?.[1];
    expect(url, "the page shows the link").toBeDefined();
    return new URL(url!).pathname;
  };

  it("rule (issue 11): only administrators open the staff pages", async () => {
    const worker = await new InjectBrowser(app).signIn("social_worker");
    expect((await worker.get("/admin/staff")).statusCode).toBe(403);
    expect(
      (await worker.post("/admin/staff", { name: "X", email: "x@demo.test", roles: "commissioner" }))
        .statusCode,
    ).toBe(403);
    const admin = await new InjectBrowser(app).signIn("administrator");
    const list = await admin.get("/admin/staff");
    expect(list.statusCode).toBe(200);
    expect(pageText(list.body)).toContain(emailOf("finance_officer"));
    expect(list.body).toContain('href="/admin/staff"');
  });

  it("rule (issue 11): an administrator adds staff, the link is shown once and sets a password without signing in; deactivating signs them out at once", async () => {
    const admin = await new InjectBrowser(app).signIn("administrator");
    await admin.get("/admin/staff/new");
    const added = await admin.post("/admin/staff", {
      name: "Nia Newstarter",
      email: "nia.newstarter@demo.upfront.test",
      roles: ["support_planner"],
      teamId: "",
    });
    expect(added.statusCode).toBe(200);
    expect(pageText(added.body)).toContain("Nia Newstarter has been added");
    const path = linkFrom(added.body);
    // Shown once: the list and the member's page never show it.
    const list = await admin.get("/admin/staff");
    expect(list.body).not.toContain(path);
    expect(pageText(list.body)).toContain("Password not set");

    const newcomer = new InjectBrowser(app);
    // Cannot sign in before the password is set.
    await newcomer.get("/sign-in");
    expect(
      (await newcomer.post("/sign-in", { email: "nia.newstarter@demo.upfront.test", password: NEW_PASSWORD }))
        .statusCode,
    ).toBe(400);
    const form = await newcomer.get(path);
    expect(form.statusCode).toBe(200);
    expect(pageText(form.body)).toContain("nia.newstarter@demo.upfront.test");
    const weak = await newcomer.post(path, { password: "short", confirmPassword: "short" });
    expect(weak.statusCode).toBe(400);
    expect(expectLinksLand(weak.body)).toEqual([
      { href: "#password", text: "Your password must be at least 10 characters" },
    ]);
    const set = await newcomer.post(path, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    expect(set.statusCode).toBe(303);
    expect(location(set)).toBe("/sign-in?passwordSet=1");
    expect(newcomer.jar.upfront_session).toBeUndefined();
    expect(pageText((await newcomer.get("/sign-in?passwordSet=1")).body)).toContain("Your password is set");
    // The link is used up.
    expect((await newcomer.get(path)).statusCode).toBe(410);

    await newcomer.signInAs("nia.newstarter@demo.upfront.test", NEW_PASSWORD);
    expect((await newcomer.get("/account")).statusCode).toBe(200);

    const userId = await withSystem(
      database.db,
      async (trx) =>
        (
          await trx
            .selectFrom("staff_users")
            .select("user_id")
            .where("email", "=", "nia.newstarter@demo.upfront.test")
            .executeTakeFirstOrThrow()
        ).user_id,
    );
    const page = await admin.get(`/admin/staff/${userId}`);
    expect(pageText(page.body)).toContain("Deactivate Nia Newstarter");
    await admin.get(`/admin/staff/${userId}/deactivate`);
    const done = await admin.post(`/admin/staff/${userId}/deactivate`);
    expect(done.statusCode).toBe(303);
    expect(location(done)).toBe("/admin/staff?deactivated=1");
    expect(pageText((await admin.get("/admin/staff?deactivated=1")).body)).toContain("Deactivated");

    // The newcomer's next page load: signed out, told so, and cannot sign in again.
    const next = await newcomer.get("/account");
    expect(next.statusCode).toBe(302);
    expect(location(next)).toBe("/sign-in?returnTo=%2Faccount");
    const signInPage = await newcomer.get(location(next));
    expect(pageText(signInPage.body)).toContain("You have been signed out");
    const again = await newcomer.post("/sign-in", {
      email: "nia.newstarter@demo.upfront.test",
      password: NEW_PASSWORD,
    });
    expect(again.statusCode).toBe(400);
  });

  it("rule (issue 11): the add form shows its errors in an error summary, roles and team can be changed, and the team that takes new requests is named (or none)", async () => {
    const admin = await new InjectBrowser(app).signIn("administrator");
    await admin.get("/admin/staff/new");
    const bad = await admin.post("/admin/staff", { name: "", email: "nope" });
    expect(bad.statusCode).toBe(400);
    expect(expectLinksLand(bad.body).map((l) => l.href)).toEqual(["#name", "#email", "#roles"]);

    const teamBad = await admin.post("/admin/teams", { name: "" });
    expect(teamBad.statusCode).toBe(400);
    expect(expectLinksLand(teamBad.body)).toEqual([{ href: "#teamName", text: "Enter the team's name" }]);
    expect(location(await admin.post("/admin/teams", { name: "Hospital discharge" }))).toBe(
      "/admin/staff?team=1",
    );

    const added = await admin.post("/admin/staff", {
      name: "Rory Roles",
      email: "rory.roles@demo.upfront.test",
      roles: ["commissioner"],
    });
    expect(added.statusCode).toBe(200);
    const { user_id: userId } = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("staff_users")
        .select("user_id")
        .where("email", "=", "rory.roles@demo.upfront.test")
        .executeTakeFirstOrThrow(),
    );
    const { team_id: teamId } = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("teams")
        .select("team_id")
        .where("name", "=", "Hospital discharge")
        .executeTakeFirstOrThrow(),
    );
    await admin.get(`/admin/staff/${userId}`);
    const none = await admin.post(`/admin/staff/${userId}`, { teamId });
    expect(expectLinksLand(none.body)).toEqual([{ href: "#roles", text: "Choose at least one role" }]);
    const saved = await admin.post(`/admin/staff/${userId}`, {
      roles: ["social_worker", "team_manager"],
      teamId,
    });
    expect(location(saved)).toBe("/admin/staff?changed=1");
    const page = pageText((await admin.get(`/admin/staff/${userId}`)).body);
    expect(page).toContain("Social worker, Team manager");
    expect(page).toContain("Hospital discharge");

    const renewed = await admin.post(`/admin/staff/${userId}/password-link`);
    expect(pageText(renewed.body)).toContain("Any earlier link for them no longer works");
    linkFrom(renewed.body);

    // The team that takes new requests is named on the teams list, or none; a team from elsewhere is refused.
    const list = await admin.get("/admin/staff");
    expect(pageText(list.body)).toContain("Which team takes new requests?");
    const { team_id: panel } = await withSystem(database.db, (trx) =>
      trx.selectFrom("teams").select("team_id").where("name", "=", "Funding panel").executeTakeFirstOrThrow(),
    );
    expect(location(await admin.post("/admin/teams/intake", { intakeTeamId: panel }))).toBe(
      "/admin/staff?intake=1",
    );
    const after = await admin.get("/admin/staff?intake=1");
    expect(pageText(after.body)).toContain("Funding panel Takes new requests");
    expect(after.body).toMatch(new RegExp(`value="${panel}" checked`));
    const badIntake = await admin.post("/admin/teams/intake", {
      intakeTeamId: "00000000-0000-4000-8000-000000000000",
    });
    expect(badIntake.statusCode).toBe(400);
    expect(expectLinksLand(badIntake.body)).toEqual([
      { href: "#intakeTeamId", text: "Choose a team from the list, or none" },
    ]);
    expect(location(await admin.post("/admin/teams/intake", { intakeTeamId: "" }))).toBe(
      "/admin/staff?intake=1",
    );
    expect(pageText((await admin.get("/admin/staff")).body)).not.toContain("Takes new requests");
  });

  it("rule (issue 11): the council's only administrator cannot remove their own role or deactivate themselves", async () => {
    const admin = await new InjectBrowser(app).signIn("administrator");
    const { user_id: adminId } = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("staff_users")
        .select("user_id")
        .where("email", "=", emailOf("administrator"))
        .executeTakeFirstOrThrow(),
    );
    await admin.get(`/admin/staff/${adminId}`);
    const drop = await admin.post(`/admin/staff/${adminId}`, { roles: ["commissioner"] });
    expect(drop.statusCode).toBe(400);
    expect(expectLinksLand(drop.body)[0]!.text).toMatch(/only active administrator/);
    const deactivate = await admin.post(`/admin/staff/${adminId}/deactivate`);
    expect(deactivate.statusCode).toBe(409);
    expect(pageText(deactivate.body)).toMatch(/only active administrator/);
    expect((await admin.get("/admin/staff")).statusCode).toBe(200);
  });

  it("rule (issue 11): staff change their own password under Your account, the current one asked first", async () => {
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    const account = await commissioner.get("/account");
    expect(account.body).toContain('href="/account/password"');
    await commissioner.get("/account/password");
    const wrong = await commissioner.post("/account/password", {
      currentPassword: "not my password",
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(wrong.statusCode).toBe(400);
    expect(expectLinksLand(wrong.body)).toEqual([
      { href: "#currentPassword", text: "Your current password is not right: enter it again" },
    ]);
    const { DEMO_PASSWORD } = await import("#/seed/seed.ts");
    const ok = await commissioner.post("/account/password", {
      currentPassword: DEMO_PASSWORD,
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(location(ok)).toBe("/account?passwordChanged=1");
    expect(pageText((await commissioner.get("/account?passwordChanged=1")).body)).toContain(
      "Your password has been changed",
    );
    await new InjectBrowser(app).signInAs(emailOf("commissioner"), NEW_PASSWORD);
  });
});
