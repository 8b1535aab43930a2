import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerTenantCommands, runTenantCreate, type TenantIo } from "#/cli/tenant.ts";
import { listStaff, passwordLinkState, setPasswordWithLink } from "#/features/staff/service.ts";
import { currentRasModel, findTenantBySlug } from "#/features/tenants/service.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { exampleRasModel } from "#/rules/england/ras-model.example.ts";
import { databaseFor, enginesUnderTest, rowCounts, type TestDatabase } from "../../test/databases.ts";
import { TODAY } from "../../test/today.ts";

function capture(): TenantIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

const ENGLAND = {
  slug: "north-shire",
  name: "North Shire Council",
  onsCode: "E10000099",
  jurisdiction: "england",
  adminEmail: "First.Admin@north-shire.gov.uk",
};

describe("tenant commands", () => {
  it("register `tenant create` with its required options", async () => {
    const program = new Command().exitOverride();
    const tenant = registerTenantCommands(program);
    expect(tenant.commands.map((c) => c.name())).toEqual(["create"]);
    for (const c of tenant.commands) c.exitOverride().configureOutput({ writeErr: () => {} });
    await expect(
      program.parseAsync(["node", "upfront", "tenant", "create", "--slug", "x", "--name", "X"]),
    ).rejects.toThrow(/--ons-code/);
  });
});

describe.each(enginesUnderTest())("upfront tenant create on %s", (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("rule (issue 11): creates an English council with England's RAS model and its first administrator, printing the link once", async () => {
    const io = capture();
    const code = await runTenantCreate(
      database,
      { ...ENGLAND, adminName: "Fay First", baseUrl: "https://upfront.north-shire.gov.uk/" },
      io,
      { today: TODAY, actor: { type: "system", id: "cli:test" } },
    );
    expect(io.errors).toEqual([]);
    expect(code).toBe(0);
    const links = io.lines.filter((l) => l.includes("/set-password/"));
    expect(links).toHaveLength(1);
    const url = links[0]!.trim();
    expect(url).toMatch(/^https:\/\/upfront\.north-shire\.gov\.uk\/set-password\/[A-Za-z0-9_-]{40,}$/);
    expect(io.lines.join("\n")).toContain(
      "Created North Shire Council (short name north-shire, ONS code E10000099)",
    );

    const tenant = (await findTenantBySlug(database.db, "north-shire"))!;
    expect(tenant).toMatchObject({ jurisdiction: "england", onsCode: "E10000099" });
    const ctx = {
      db: database.db,
      scope: { tenantId: tenant.tenantId, actor: { type: "system" as const, id: null } },
      today: TODAY,
    };
    expect(await currentRasModel(ctx)).toMatchObject({ version: 1, model: exampleRasModel });
    expect(await listStaff(ctx)).toEqual([
      expect.objectContaining({
        email: "first.admin@north-shire.gov.uk",
        name: "Fay First",
        roles: ["administrator"],
        active: true,
        hasPassword: false,
      }),
    ]);
    // The link works (once) and only its hash is stored.
    const token = url.split("/").at(-1)!;
    expect((await passwordLinkState(database.db, token)).usable).toBe(true);
    await setPasswordWithLink(database.db, token, {
      password: "north shire first",
      confirmPassword: "north shire first",
    });
    expect((await passwordLinkState(database.db, token)).usable).toBe(false);
    const audit = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("audit_events")
        .select(["action", "record_type", "actor_id"])
        .where("tenant_id", "=", tenant.tenantId)
        .orderBy("occurred_at")
        .execute(),
    );
    expect(audit.slice(0, 4)).toEqual([
      { action: "create", record_type: "tenant", actor_id: "cli:test" },
      { action: "adopt", record_type: "ras_model", actor_id: "cli:test" },
      { action: "create", record_type: "staff_user", actor_id: "cli:test" },
      { action: "issue_password_link", record_type: "staff_user", actor_id: "cli:test" },
    ]);
  });

  it("rule (issue 11): Wales and Scotland are refused naming the missing rules, and nothing is written", async () => {
    const before = await rowCounts(database.db);
    const wales = capture();
    expect(
      await runTenantCreate(
        database,
        { ...ENGLAND, slug: "cymru-council", onsCode: "W06000015", jurisdiction: "wales" },
        wales,
        { today: TODAY },
      ),
    ).toBe(2);
    expect(wales.errors[0]).toBe(
      "--jurisdiction: Councils in Wales cannot be created yet: Upfront has no Wales rule pack. Missing: the eligibility rules for Wales (Care and Support (Eligibility) (Wales) Regulations 2015), an assessment questionnaire built on them, and an example RAS model priced against it. Eligibility rules exist for England only.",
    );
    const scotland = capture();
    expect(
      await runTenantCreate(
        database,
        { ...ENGLAND, slug: "alba-council", onsCode: "S12000036", jurisdiction: "scotland" },
        scotland,
        { today: TODAY },
      ),
    ).toBe(2);
    expect(scotland.errors[0]).toMatch(/Councils in Scotland cannot be created yet/);
    expect(scotland.errors[0]).toContain("Social Work (Scotland) Act 1968 s12A");
    expect(scotland.errors[0]).toContain("Eligibility rules exist for England only.");
    expect(scotland.lines).toEqual([]);
    expect(await rowCounts(database.db)).toEqual(before);
  });

  it("rule (issue 11): a bad short name, ONS code or email is refused with what to fix, and nothing is written", async () => {
    const before = await rowCounts(database.db);
    const io = capture();
    expect(
      await runTenantCreate(
        database,
        { ...ENGLAND, slug: "Bad Slug!", onsCode: "W06000015", adminEmail: "not-an-email", name: " " },
        io,
        { today: TODAY },
      ),
    ).toBe(2);
    expect(io.errors).toEqual([
      "--slug: Use 2 to 40 lower-case letters, numbers and hyphens for the short name",
      "--name: Enter the council's name",
      "--admin-email: Enter an email address in the correct format, like name@example.com",
      "--ons-code: Enter the council's ONS code for England: E06, E07, E08, E09 or E10 then 6 digits, like E06000001",
      "Nothing was created.",
    ]);
    const ons = capture();
    expect(
      await runTenantCreate(database, { ...ENGLAND, slug: "east-shire", onsCode: "E1200000" }, ons, {
        today: TODAY,
      }),
    ).toBe(2);
    expect(ons.errors[0]).toBe(
      "--ons-code: Enter the council's ONS code for England: E06, E07, E08, E09 or E10 then 6 digits, like E06000001",
    );
    const welshCodeInEngland = capture();
    await runTenantCreate(
      database,
      { ...ENGLAND, slug: "east-shire", onsCode: "W06000015" },
      welshCodeInEngland,
      {
        today: TODAY,
      },
    );
    expect(welshCodeInEngland.errors[0]).toMatch(/^--ons-code: Enter the council's ONS code for England/);
    const reserved = capture();
    await runTenantCreate(database, { ...ENGLAND, slug: "set-password", onsCode: "E06000123" }, reserved, {
      today: TODAY,
    });
    expect(reserved.errors[0]).toBe("--slug: That short name is used by the service itself: choose another");
    // A council that exists already, by short name or ONS code.
    const again = capture();
    expect(await runTenantCreate(database, ENGLAND, again, { today: TODAY })).toBe(2);
    expect(again.errors).toEqual([
      '--slug: There is already a council with the short name "north-shire"',
      "--ons-code: There is already a council with the ONS code E10000099",
      "Nothing was created.",
    ]);
    const mars = capture();
    await runTenantCreate(database, { ...ENGLAND, slug: "mars", jurisdiction: "mars" }, mars, {
      today: TODAY,
    });
    expect(mars.errors[0]).toBe(
      "--jurisdiction: Give the nation whose rules apply: england, wales, scotland",
    );
    expect(await rowCounts(database.db)).toEqual(before);
  });
});
