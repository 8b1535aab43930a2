import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { committedOnStreamIn } from "#/features/budgets/service.ts";
import { demoFundingSettings } from "#/features/demo/directory-funding-seed.ts";
import { DEMO_STAFF, OTHER_STAFF } from "#/features/demo/seed.ts";
import { apportion } from "#/features/funding/apportion.calc.ts";
import {
  addFundingSettingsVersion,
  allocationOverridePolicyOn,
  checkFundingSettingsChange,
  delegatedAuthorityOn,
  FundingSettingsMissingError,
  fundingConfigOn,
  fundingSettingsOn,
  fundingStreamsOn,
  getFundingSettingsVersion,
  latestFundingSettings,
  listFundingSettingsVersions,
} from "#/features/funding/service.ts";
import type { FundingSettings } from "#/features/funding/settings-schemas.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { withSystem, withTenant } from "#/platform/db/tenant.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { pence } from "#/platform/money/pence.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * The council's funding settings through the service, on every engine: dated versions (which applies on a
 * date, a same-day correction, old versions kept and never changed), a change refused whole with every problem
 * named and nothing written, a stream's kind fixed once set up, two administrators not overwriting each other,
 * the audit trail, and what other features read (fundingConfigOn for the apportionment, delegatedAuthorityOn).
 * The blank council ("Other Council") starts with no settings; Demo Council has the seeded ones.
 */

const settings = (change: (s: FundingSettings) => void = () => {}): FundingSettings => {
  const s = structuredClone(demoFundingSettings());
  change(s);
  return s;
};

describe.each(enginesUnderTest())("funding settings service on %s", (engine) => {
  let database: TestDatabase;
  let blank: ServiceContext;
  let demo: ServiceContext;

  async function contextFor(email: string): Promise<ServiceContext> {
    const user = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("staff_users")
        .where("email", "=", email)
        .select(["tenant_id", "user_id"])
        .executeTakeFirstOrThrow(),
    );
    return {
      db: database.db,
      scope: { tenantId: user.tenant_id, actor: { type: "staff", id: user.user_id } },
      today: TODAY,
    };
  }

  beforeAll(async () => {
    // Four people: none has a live budget yet, so the pots are untouched and hold what the settings say.
    database = await databaseFor(engine, { demo: { people: 4 } });
    blank = await contextFor(OTHER_STAFF[0]!.email);
    demo = await contextFor(DEMO_STAFF.find((s) => s.roles.includes("administrator"))!.email);
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
  });

  const count = async (ctx: ServiceContext, table: "funding_settings_versions" | "audit_events") =>
    Number(
      (
        await sql<{
          n: string;
        }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE tenant_id = ${ctx.scope.tenantId}`.execute(
          database.db,
        )
      ).rows[0]!.n,
    );

  it("rule: before a council has settings, nothing is in force and the readers say so plainly", async () => {
    expect(await fundingSettingsOn(blank, TODAY)).toBeNull();
    expect(await latestFundingSettings(blank)).toBeNull();
    await expect(fundingConfigOn(blank, TODAY, committedOnStreamIn)).rejects.toBeInstanceOf(
      FundingSettingsMissingError,
    );
    await expect(delegatedAuthorityOn(blank, TODAY)).rejects.toThrow(
      // Issue 12: a date a person reads is in words.
      /no funding settings in force on 23 November 2026:/,
    );
  });

  it("rule (Bad input): a change is refused whole, every problem named at once, and nothing is written", async () => {
    const before = [await count(blank, "funding_settings_versions"), await count(blank, "audit_events")];
    const bad = settings((s) => {
      s.streams[1]!.meansTested = true; // the NHS personal health budget
      s.streams[0]!.annualPotPence = -5;
      s.streams[2]!.categories.push("gardening");
      s.payerOrder.personal_care = ["nhs_phb", "no_such_stream"];
      s.delegatedAuthority.levels[0]!.requiredWhen = { weeklyPenceAbove: 1 };
      s.allocationOverridePolicy.approverRoles = [];
    });
    const error = (await addFundingSettingsVersion(blank, {
      validFrom: "2026-02-30",
      reason: " ",
      settings: bad,
      surprise: true,
    }).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    const paths = error.fieldErrors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "validFrom",
        "reason",
        "surprise",
        "settings.streams[0].annualPotPence",
        "settings.streams[2].categories[2]",
        "settings.delegatedAuthority.levels[0].requiredWhen",
        "settings.allocationOverridePolicy.approverRoles",
      ]),
    );
    expect([await count(blank, "funding_settings_versions"), await count(blank, "audit_events")]).toEqual(
      before,
    );

    // With the field errors fixed, the rules across sections are named together too.
    const crossed = checkFundingSettingsChange({
      validFrom: "2026-04-01",
      reason: "Budget",
      settings: settings((s) => {
        s.streams[1]!.meansTested = true;
        s.payerOrder.personal_care = ["nhs_phb", "no_such_stream"];
        s.payerOrder.employment = ["adult_social_care"];
      }),
    });
    expect(crossed.ok ? [] : crossed.errors).toEqual([
      {
        path: "settings.streams[1].meansTested",
        message: "An NHS personal health budget is never charged for, so it cannot be means-tested",
      },
      {
        path: "settings.payerOrder.personal_care[1]",
        message: 'There is no funding stream "no_such_stream"',
      },
      {
        path: "settings.payerOrder.employment[0]",
        message:
          "Adult social care may not pay for employment: add the category to the stream, or take it out of this order",
      },
    ]);
  });

  it("rule: versioned by date — a change applies from its date, earlier dates keep the old version, and old versions are kept", async () => {
    const v1 = await addFundingSettingsVersion(blank, {
      validFrom: "2025-04-01",
      reason: "Budget 2025 to 2026",
      settings: settings(),
    });
    const v2 = await addFundingSettingsVersion(blank, {
      validFrom: "2026-04-01",
      reason: "Budget 2026 to 2027",
      settings: settings((s) => {
        s.streams[0]!.annualPotPence = 300_000_000;
      }),
      baseVersion: 1,
    });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(await fundingSettingsOn(blank, "2025-03-31")).toBeNull();
    expect((await fundingSettingsOn(blank, "2025-04-01"))?.version).toBe(1);
    expect((await fundingSettingsOn(blank, "2026-03-31"))?.version).toBe(1);
    expect((await fundingSettingsOn(blank, "2026-04-01"))?.version).toBe(2);
    expect((await fundingSettingsOn(blank, TODAY))?.version).toBe(2);

    // A correction from the same day replaces version 2 from then; both stay on record.
    const v3 = await addFundingSettingsVersion(blank, {
      validFrom: "2026-04-01",
      reason: "Correction: the pot agreed by cabinet",
      settings: settings((s) => {
        s.streams[0]!.annualPotPence = 310_000_000;
      }),
    });
    expect((await fundingSettingsOn(blank, TODAY))?.version).toBe(v3.version);
    expect((await listFundingSettingsVersions(blank)).map((v) => [v.version, v.validFrom])).toEqual([
      [3, "2026-04-01"],
      [2, "2026-04-01"],
      [1, "2025-04-01"],
    ]);
    expect((await getFundingSettingsVersion(blank, 2)).settings.streams[0]!.annualPotPence).toBe(300_000_000);
    expect(
      (await fundingStreamsOn(blank, "2025-06-01", committedOnStreamIn)).streams[0]!.annualPotPence,
    ).toBe(250_000_000);
  });

  it("rule: old versions never change — the database refuses an update or delete even from the app's role", async () => {
    await expect(
      withTenant(database.db, blank.scope, (tx) =>
        tx
          .updateTable("funding_settings_versions")
          .set({ reason: "rewritten" })
          .where("version", "=", 1)
          .execute(),
      ),
    ).rejects.toThrow();
    await expect(
      withSystem(database.db, (trx) =>
        trx.deleteFrom("funding_settings_versions").where("tenant_id", "=", blank.scope.tenantId).execute(),
      ),
    ).rejects.toThrow(/cannot be changed or removed/);
    expect(await count(blank, "funding_settings_versions")).toBe(3);
  });

  it("rule: each change is audited with its date, reason and what changed from the version it replaces", async () => {
    const events = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("audit_events")
        .select(["action", "changes", "actor_id"])
        .where("tenant_id", "=", blank.scope.tenantId)
        .where("record_type", "=", "funding_settings_version")
        .orderBy("occurred_at")
        .execute(),
    );
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.action === "create" && e.actor_id === blank.scope.actor.id)).toBe(true);
    expect(events[0]!.changes).toMatchObject({
      version: 1,
      validFrom: "2025-04-01",
      replaces: null,
      streams: { added: ["adult_social_care", "nhs_phb", "supported_employment", "housing_support", "dfg"] },
    });
    expect(events[1]!.changes).toMatchObject({
      version: 2,
      reason: "Budget 2026 to 2027",
      replaces: { version: 1, validFrom: "2025-04-01" },
      streams: { added: [], removed: [], changed: ["adult_social_care"] },
      payerOrderChanged: false,
      delegatedAuthorityChanged: false,
    });
  });

  it("rule: a stream's kind cannot change once set up (its id always means the same stream)", async () => {
    const error = (await addFundingSettingsVersion(blank, {
      validFrom: "2026-10-01",
      reason: "Reclassify",
      settings: settings((s) => {
        s.streams[3]!.kind = "other";
      }),
    }).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fieldErrors).toEqual([
      {
        path: "settings.streams[3].kind",
        message:
          "Housing-related support was set up as Housing-related support: a stream's kind cannot change, so add a new stream instead",
      },
    ]);
  });

  it("rule: a change made from an older version is refused when another was added since (no silent overwrite)", async () => {
    const error = await addFundingSettingsVersion(blank, {
      validFrom: "2026-10-01",
      reason: "Made from version 2",
      settings: settings(),
      baseVersion: 2,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(/version 3 is now the latest/);
  });

  it("rule: fundingConfigOn gives the apportionment the streams on the date, each pot less what is committed (nothing yet), and the weeks left in the year", async () => {
    const config = await fundingConfigOn(blank, TODAY, committedOnStreamIn);
    expect(config.settingsVersion).toMatchObject({ version: 3, validFrom: "2026-04-01" });
    expect(config.financialYear).toEqual({ start: "2026-04-01", end: "2027-03-31", label: "2026 to 2027" });
    expect(config.periodWeeks).toBe(19); // 23 November 2026 to 31 March 2027 is 129 days: 18 weeks and 3 days
    expect(config.streams.map((s) => [s.id, s.availablePence])).toEqual([
      ["adult_social_care", 310_000_000],
      ["nhs_phb", 80_000_000],
      ["supported_employment", 5_000_000],
      ["housing_support", 12_000_000],
      ["dfg", 30_000_000],
    ]);
    const streams = await fundingStreamsOn(blank, TODAY, committedOnStreamIn);
    expect(streams.streams[0]).toMatchObject({ annualPotPence: 310_000_000, committedPence: 0 });

    const result = apportion({
      lines: [
        {
          supportId: "s1",
          category: "personal_care",
          deployment: "direct_payment",
          basis: "weekly",
          amountPence: pence(10_000),
        },
      ],
      streams: config.streams.map((s) => ({ ...s, availablePence: pence(s.availablePence) })),
      payerOrder: config.payerOrder,
      periodWeeks: config.periodWeeks,
      contributionWeeklyPence: pence(0),
    });
    expect(result.lines[0]!.shares.map((s) => s.streamId)).toEqual(["nhs_phb"]);
  });

  it("rule: delegated authority and the override policy in force on a date come from the same version", async () => {
    expect((await delegatedAuthorityOn(demo, TODAY)).levels.map((l) => l.id)).toEqual([
      "social_worker",
      "team_manager",
      "funding_panel",
    ]);
    expect((await allocationOverridePolicyOn(demo, TODAY)).approverRoles).toEqual(["team_manager"]);
  });

  it("rule: the demo council's seeded settings are two dated versions, last year's pot smaller", async () => {
    const versions = await listFundingSettingsVersions(demo);
    expect(versions.map((v) => v.validFrom)).toEqual(["2026-04-01", "2025-04-01"]);
    expect((await fundingConfigOn(demo, "2025-11-23", committedOnStreamIn)).streams[0]!.availablePence).toBe(
      225_000_000,
    );
    expect((await fundingConfigOn(demo, TODAY, committedOnStreamIn)).streams[0]!.availablePence).toBe(
      250_000_000,
    );
  });

  it("rule: tenants are isolated — one council's settings are not another's", async () => {
    expect((await listFundingSettingsVersions(blank)).map((v) => v.reason)).not.toContain(
      "Demo Council: budget for 2026 to 2027 (demonstration figures)",
    );
    await expect(getFundingSettingsVersion(demo, 3)).rejects.toThrow(/was not found/);
  });
});
