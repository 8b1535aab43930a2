import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linesOf } from "#/features/budgets/repository.ts";
import { uuidBounds } from "#/platform/db/any-of.ts";
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

  it("rule (scale, issue 15): uuidBounds gives the first and last id in the database's own uuid order", async () => {
    const ids = Array.from({ length: 200 }, () => crypto.randomUUID());
    const { rows } = await sql<{ first: string; last: string }>`
      SELECT (SELECT id::text FROM unnest(${ids}::uuid[]) AS id ORDER BY id LIMIT 1) AS first,
        (SELECT id::text FROM unnest(${ids}::uuid[]) AS id ORDER BY id DESC LIMIT 1) AS last`.execute(
      database.db,
    );
    expect(uuidBounds(ids)).toEqual(rows[0]);
  });
});

describe("uuidBounds (the planner hint beside = ANY: the first and last id in PostgreSQL's uuid order)", () => {
  it("gives the smallest and largest, whatever the order and case they come in", () => {
    expect(
      uuidBounds([
        "0190B2C4-0000-7000-8000-000000000002",
        "0190b2c4-0000-7000-8000-000000000001",
        "ff90b2c4-0000-7000-8000-000000000000",
      ]),
    ).toEqual({
      first: "0190b2c4-0000-7000-8000-000000000001",
      last: "ff90b2c4-0000-7000-8000-000000000000",
    });
    expect(uuidBounds([])).toBeNull();
  });
});
