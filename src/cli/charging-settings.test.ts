import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runChargingSettingsImport, type SettingsIo } from "#/cli/charging-settings.ts";
import { getChargingSettings } from "#/features/charging/settings-service.ts";
import { findTenantBySlug } from "#/features/tenants/service.ts";
import { OTHER_TENANT_SLUG } from "#/seed/seed.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../test/databases.ts";
import { TODAY } from "../../test/today.ts";

/** `upfront charging-settings import`: all or nothing, through the settings service. Amounts are illustrative. */

describe.each(enginesUnderTest())("upfront charging-settings import on %s", (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
  });

  const io = (files: Record<string, unknown>) => {
    const out: string[] = [];
    const err: string[] = [];
    const value: SettingsIo = {
      readText: async (path) => JSON.stringify(files[path]),
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    };
    return { value, out, err };
  };

  it("rule: a file with an error adds nothing, and names each problem", async () => {
    const { value, err } = io({
      "bad.json": {
        policyVersions: [
          { reference: "Illustrative policy", policy: { validFrom: "2026-04-01", chargePercent: 95 } },
        ],
        suppliedFigures: [
          { figure: "mig.per_child", validFrom: "2026-04-01", pence: -1, source: "Illustrative" },
        ],
      },
    });
    const code = await runChargingSettingsImport(
      database,
      { tenant: OTHER_TENANT_SLUG, file: "bad.json" },
      value,
      TODAY,
    );
    expect(code).toBe(1);
    expect(err).toEqual(["suppliedFigures[0].pence: The amount cannot be negative", "Nothing was added."]);
    const other = (await findTenantBySlug(database.db, OTHER_TENANT_SLUG))!;
    const settings = await getChargingSettings({
      db: database.db,
      scope: { tenantId: other.tenantId, actor: { type: "system", id: "test" } },
      today: TODAY,
    });
    expect(settings.policyVersions).toEqual([]);
  });

  it("rule: a good file adds everything, audited as the operator", async () => {
    const { value, out } = io({
      "good.json": {
        policyVersions: [
          { reference: "Illustrative policy", policy: { validFrom: "2026-04-01", chargePercent: 95 } },
        ],
        suppliedFigures: [
          {
            figure: "mig.per_child",
            validFrom: "2026-04-01",
            validTo: "2027-03-31",
            pence: 90_00,
            source: "Illustrative",
          },
        ],
      },
    });
    expect(
      await runChargingSettingsImport(
        database,
        { tenant: OTHER_TENANT_SLUG, file: "good.json" },
        value,
        TODAY,
      ),
    ).toBe(0);
    expect(out).toEqual([
      "Added the policy version from 2026-04-01 (Illustrative policy)",
      "Added Minimum Income Guarantee: for each child the person is responsible for and lives with (reg 7(1)(b)): £90.00 from 2026-04-01 to 2027-03-31 (source: Illustrative)",
    ]);
    const { value: none, err } = io({});
    // Issue 12: an unknown council is a usage error, exit code 2, as in every command.
    expect(await runChargingSettingsImport(database, { tenant: "nowhere", file: "x" }, none, TODAY)).toBe(2);
    expect(err[0]).toMatch(/no council with the short name "nowhere"/);
  });
});
