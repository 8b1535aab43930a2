import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linesOf } from "#/features/budgets/repository.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { type TenantScope, withTenant } from "#/platform/db/tenant.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";

describe.each(enginesUnderTest())("a list of ids as one parameter on %s", (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
  }, 60_000);
  afterAll(() => database?.drop());

  it("rule (scale, issue 6): 100,000 budget ids are read in one query, past the protocol's 65,535 parameters", async () => {
    const ids = Array.from({ length: 100_000 }, () => uuidv7());
    const scope: TenantScope = { tenantId: uuidv7(), actor: { type: "system", id: null } };
    const lines = await withTenant(database.db, scope, (tx) => linesOf(tx, ids));
    expect(lines).toEqual([]);
  });
});
