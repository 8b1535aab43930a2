import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPerson, getPerson, listPeople } from "#/features/people/service.ts";
import { createTenant } from "#/features/tenants/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { withTenant } from "#/platform/db/tenant.ts";
import { NotFoundError, ValidationError } from "#/platform/errors.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";

describe.each(enginesUnderTest())("people service on %s", (engine) => {
  let database: TestDatabase;
  let ctx: ServiceContext;
  let otherCtx: ServiceContext;

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    const tenant = await createTenant(
      database.db,
      { slug: "p1", name: "P1", jurisdiction: "england" },
      { today: TODAY },
    );
    const other = await createTenant(
      database.db,
      { slug: "p2", name: "P2", jurisdiction: "england" },
      { today: TODAY },
    );
    ctx = {
      db: database.db,
      scope: { tenantId: tenant.tenantId, actor: { type: "staff", id: "sw-1" } },
      today: TODAY,
    };
    otherCtx = { ...ctx, scope: { tenantId: other.tenantId, actor: { type: "staff", id: "admin-2" } } };
    for (const [reference, givenName, familyName] of [
      ["R-001", "Ann", "Smith"],
      ["R-002", "Anna", "Jones"],
      ["R-003", "Bob", "Smithers"],
      ["R-004", "Cara", "O'Neil"],
      ["R-005", "Dee", "Under_score"],
    ] as const) {
      await createPerson(ctx, { reference, givenName, familyName, dateOfBirth: "1950-05-05" });
    }
  });
  afterAll(async () => {
    await database?.drop();
  });

  const viewsOf = (personId: string) =>
    database.db
      .selectFrom("audit_events")
      .select(["actor_type", "actor_id", "changes"])
      .where("record_type", "=", "person")
      .where("record_id", "=", personId)
      .where("action", "=", "view")
      .execute();

  it("rule: viewing a person's record appends a view audit event naming who looked", async () => {
    const person = await createPerson(ctx, {
      givenName: "Viewed",
      familyName: "Person",
      dateOfBirth: "1980-02-29",
    });
    expect(await viewsOf(person.personId)).toEqual([]);
    expect(await getPerson(ctx, person.personId)).toEqual(person);
    await getPerson(ctx, person.personId);
    expect(await viewsOf(person.personId)).toEqual([
      { actor_type: "staff", actor_id: "sw-1", changes: null },
      { actor_type: "staff", actor_id: "sw-1", changes: null },
    ]);
  });

  it("rule: creating a person is audited by the fields set, not their values", async () => {
    const person = await createPerson(ctx, {
      givenName: " Ezra ",
      familyName: "Pound",
      dateOfBirth: "1970-01-01",
      postcode: "zx1 2ab",
    });
    expect(person).toMatchObject({ givenName: "Ezra", postcode: "ZX1 2AB" });
    expect(person.reference).toMatch(/^UP-[0-9A-F]{10}$/);
    const events = await database.db
      .selectFrom("audit_events")
      .select(["action", "changes"])
      .where("record_id", "=", person.personId)
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.action).toBe("create");
    expect(JSON.stringify(events[0]!.changes)).not.toContain("Ezra");
  });

  it("rule: a new person is validated before any write, every problem named", async () => {
    const error = (await createPerson(ctx, {
      givenName: "",
      dateOfBirth: "1970-02-30",
      postcode: "nope",
      extra: 1,
    }).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fieldErrors.map((f) => f.path).sort()).toEqual(
      ["dateOfBirth", "extra", "familyName", "givenName", "postcode"].sort(),
    );
    await expect(
      createPerson(ctx, { givenName: "Future", familyName: "Child", dateOfBirth: "2030-01-01" }),
    ).rejects.toBeInstanceOf(ValidationError);
    const duplicate = (await createPerson(ctx, {
      reference: "R-001",
      givenName: "Dup",
      familyName: "Licate",
      dateOfBirth: "1970-01-01",
    }).catch((e: unknown) => e)) as ValidationError;
    expect(duplicate.fieldErrors[0]?.path).toBe("reference");
  });

  it("rule: searching finds people by name or reference, ignoring case, with the total for paging", async () => {
    const smith = await listPeople(ctx, { search: "SMITH", page: 1, pageSize: 10 });
    expect(smith.rows.map((p) => p.reference)).toEqual(["R-001", "R-003"]);
    expect(smith.total).toBe(2);
    expect((await listPeople(ctx, { search: "r-002", page: 1, pageSize: 10 })).rows[0]?.givenName).toBe(
      "Anna",
    );
    expect((await listPeople(ctx, { search: "ann smith", page: 1, pageSize: 10 })).total).toBe(1);
    // % and _ are searched for as themselves, not as wildcards.
    expect(
      (await listPeople(ctx, { search: "_", page: 1, pageSize: 10 })).rows.map((p) => p.reference),
    ).toEqual(["R-005"]);
    expect((await listPeople(ctx, { search: "%", page: 1, pageSize: 10 })).total).toBe(0);

    const all = await listPeople(ctx, { page: 1, pageSize: 2 });
    const page2 = await listPeople(ctx, { page: 2, pageSize: 2 });
    expect(all.rows).toHaveLength(2);
    expect(page2.total).toBe(all.total);
    expect(page2.rows[0]?.personId).not.toBe(all.rows[0]?.personId);
    await expect(listPeople(ctx, { page: 0, pageSize: 1000 })).rejects.toBeInstanceOf(ValidationError);
  });

  it("rule: nobody crosses a tenant: another tenant neither finds nor opens these people", async () => {
    const [ann] = (await listPeople(ctx, { search: "R-001", page: 1, pageSize: 1 })).rows;
    expect((await listPeople(otherCtx, { page: 1, pageSize: 100 })).total).toBe(0);
    await expect(getPerson(otherCtx, ann!.personId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getPerson(ctx, "not-a-uuid")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("rule: the audit trail is append-only: upfront_app may not update or delete an event", async () => {
    const [ann] = (await listPeople(ctx, { search: "R-001", page: 1, pageSize: 1 })).rows;
    await getPerson(ctx, ann!.personId);
    await expect(
      withTenant(database.db, ctx.scope, (tx) =>
        sql`UPDATE audit_events SET actor_id = 'someone-else' WHERE record_id = ${ann!.personId}`.execute(tx),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      withTenant(database.db, ctx.scope, (tx) =>
        sql`DELETE FROM audit_events WHERE record_id = ${ann!.personId}`.execute(tx),
      ),
    ).rejects.toThrow(/permission denied/);
    expect((await viewsOf(ann!.personId)).length).toBeGreaterThan(0);
  });
});
