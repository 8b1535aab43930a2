import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TENANT_SLUG } from "#/features/demo/seed.ts";
import { findTenantBySlug } from "#/features/tenants/service.ts";
import { numberedVersions, versionInForce } from "#/platform/db/dated-versions.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { type TenantScope, type TenantTx, withTenant } from "#/platform/db/tenant.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";

describe("versionInForce (settings with start and end dates)", () => {
  const versions = [
    { id: "a", validFrom: "2024-04-01", validTo: "2025-03-31" },
    { id: "b", validFrom: "2025-04-01", validTo: null },
  ];

  it("rule: the version covering the date, its first and last days included", () => {
    expect(versionInForce(versions, "2024-04-01")?.id).toBe("a");
    expect(versionInForce(versions, "2025-03-31")?.id).toBe("a");
    expect(versionInForce(versions, "2025-04-01")?.id).toBe("b");
    expect(versionInForce(versions, "2040-01-01")?.id).toBe("b");
  });

  it("rule: none before the first starts, or in a gap between an end and the next start", () => {
    expect(versionInForce(versions, "2024-03-31")).toBeUndefined();
    expect(
      versionInForce([{ validFrom: "2024-01-01", validTo: "2024-01-31" }], "2024-02-01"),
    ).toBeUndefined();
  });

  it("rule: of two covering the date, the one starting later; on the same start, the later listed", () => {
    const overlapping = [
      { id: "open", validFrom: "2024-01-01" },
      { id: "later", validFrom: "2024-06-01" },
      { id: "same-day", validFrom: "2024-06-01" },
    ];
    expect(versionInForce(overlapping, "2024-05-31")?.id).toBe("open");
    expect(versionInForce(overlapping, "2024-07-01")?.id).toBe("same-day");
  });
});

describe.each(enginesUnderTest())(
  "numberedVersions (settings versions numbered per council) on %s",
  (engine) => {
    let database: TestDatabase;
    let scope: TenantScope;
    const versions = numberedVersions("review_settings_versions", "review-settings");

    beforeAll(async () => {
      database = await databaseFor(engine, "demo");
      const tenant = await findTenantBySlug(database.db, DEMO_TENANT_SLUG);
      scope = { tenantId: tenant!.tenantId, actor: { type: "system", id: null } };
    }, 60_000);
    afterAll(() => database?.drop());

    const add = async (tx: TenantTx, validFrom: string, reason: string) => {
      await versions.lock(tx);
      await tx
        .insertInto("review_settings_versions")
        .values({
          tenant_id: tx.scope.tenantId,
          settings_version_id: uuidv7(),
          version: await versions.nextVersion(tx),
          valid_from: validFrom,
          settings: JSON.stringify({ reason }),
          reason,
          created_by: "test",
        })
        .execute();
    };

    it("rule: numbers versions in the order recorded, and picks the latest start on or before a date (the later recorded on a tie)", async () => {
      await withTenant(database.db, scope, async (tx) => {
        const before = (await versions.list(tx)).length;
        const first = await versions.nextVersion(tx);
        expect(first).toBe(before + 1);
        await add(tx, "2031-01-01", "first");
        await add(tx, "2032-01-01", "second");
        await add(tx, "2031-01-01", "same day, recorded later");

        expect((await versions.latest(tx))?.reason).toBe("same day, recorded later");
        expect((await versions.find(tx, first))?.reason).toBe("first");
        expect((await versions.list(tx)).slice(0, 3).map((v) => v.version)).toEqual([
          first + 2,
          first + 1,
          first,
        ]);
        expect((await versions.inForceOn(tx, "2031-06-01"))?.reason).toBe("same day, recorded later");
        expect((await versions.inForceOn(tx, "2032-01-01"))?.reason).toBe("second");
        expect(await versions.nextVersion(tx)).toBe(first + 3);
      });
    });
  },
);
