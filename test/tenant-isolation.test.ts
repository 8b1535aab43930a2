import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openPostgres } from "#/platform/db/database.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { DB } from "#/platform/db/schema.ts";
import { type TenantScope, withSystem, withTenant } from "#/platform/db/tenant.ts";
import { databaseFor, enginesUnderTest, postgresUrl, type TestDatabase } from "./databases.ts";

/**
 * Tenant isolation as the database enforces it, on every engine: two tenants made by the system connection,
 * then everything tenant A's transaction (role upfront_app, app.tenant_id = A) tries against tenant B.
 * Each test names the rule it checks; on real PostgreSQL the suite is "tenant isolation on postgres".
 */

type Tenant = { tenantId: string; personId: string; assessmentId: string; auditId: string };

const staff = (tenantId: string): TenantScope => ({ tenantId, actor: { type: "staff", id: uuidv7() } });

async function makeTenant(db: Kysely<DB>, slug: string): Promise<Tenant> {
  const t: Tenant = { tenantId: uuidv7(), personId: uuidv7(), assessmentId: uuidv7(), auditId: uuidv7() };
  await withSystem(db, async (trx) => {
    await trx
      .insertInto("tenants")
      .values({ tenant_id: t.tenantId, slug, name: `Council ${slug}`, jurisdiction: "england" })
      .execute();
    await trx
      .insertInto("people")
      .values({
        tenant_id: t.tenantId,
        person_id: t.personId,
        reference: `REF-${slug}`,
        given_name: "Sam",
        family_name: slug,
        date_of_birth: "1970-01-01",
      })
      .execute();
    await trx
      .insertInto("assessments")
      .values({
        tenant_id: t.tenantId,
        assessment_id: t.assessmentId,
        person_id: t.personId,
        version: 1,
        questionnaire_id: "england-sdsa-v1",
        status: "draft",
        answers: "{}",
        created_by: "seed",
      })
      .execute();
    await trx
      .insertInto("audit_events")
      .values({
        tenant_id: t.tenantId,
        event_id: t.auditId,
        actor_type: "system",
        actor_id: null,
        action: "create",
        record_type: "person",
        record_id: t.personId,
        changes: null,
      })
      .execute();
  });
  return t;
}

/** Runs fn in a savepoint so an expected error leaves the surrounding transaction usable. */
async function errorOf(trx: Kysely<DB>, fn: () => Promise<unknown>): Promise<string> {
  await sql`SAVEPOINT expect_error`.execute(trx);
  try {
    await fn();
  } catch (error) {
    await sql`ROLLBACK TO SAVEPOINT expect_error`.execute(trx);
    return (error as Error).message;
  }
  await sql`RELEASE SAVEPOINT expect_error`.execute(trx);
  return "no error";
}

const RLS_VIOLATION = /violates row-level security policy/;
const PERMISSION_DENIED = /permission denied/;
const MUST_BE_OWNER = /must be owner/;

describe.each(enginesUnderTest())("tenant isolation on %s", (engine) => {
  let database: TestDatabase;
  let db: Kysely<DB>;
  let a: Tenant;
  let b: Tenant;

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    db = database.db;
    a = await makeTenant(db, "tenant-a");
    b = await makeTenant(db, "tenant-b");
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("DESIGN.md Tenancy: RLS with FORCE — A's transaction reads none of B's rows, not even by primary key", async () => {
    await withTenant(db, staff(a.tenantId), async (tx) => {
      const who = await sql<{ role: string }>`SELECT current_user AS role`.execute(tx);
      expect(who.rows[0]?.role).toBe("upfront_app");

      const people = await tx.selectFrom("people").select(["tenant_id", "person_id"]).execute();
      expect(people).toEqual([{ tenant_id: a.tenantId, person_id: a.personId }]);
      const tenants = await tx.selectFrom("tenants").select("tenant_id").execute();
      expect(tenants).toEqual([{ tenant_id: a.tenantId }]);

      // By B's full primary key, and by B's id alone, and with a query that names B's tenant outright.
      const byKey = await tx
        .selectFrom("people")
        .selectAll()
        .where("tenant_id", "=", b.tenantId)
        .where("person_id", "=", b.personId)
        .execute();
      expect(byKey).toEqual([]);
      expect(
        await tx
          .selectFrom("assessments")
          .select("assessment_id")
          .where("assessment_id", "=", b.assessmentId)
          .execute(),
      ).toEqual([]);
      expect(
        await tx.selectFrom("tenants").select("tenant_id").where("tenant_id", "=", b.tenantId).execute(),
      ).toEqual([]);
      const counted = await sql<{ n: number }>`SELECT count(*)::int AS n FROM people`.execute(tx);
      expect(counted.rows[0]?.n).toBe(1);
    });
  });

  it("DESIGN.md Tenancy: RLS with FORCE — A's transaction updates 0 of B's rows", async () => {
    await withTenant(db, staff(a.tenantId), async (tx) => {
      const updated = await tx
        .updateTable("people")
        .set({ family_name: "Changed by A" })
        .where("tenant_id", "=", b.tenantId)
        .where("person_id", "=", b.personId)
        .executeTakeFirst();
      expect(updated.numUpdatedRows).toBe(0n);
      const everyone = await tx.updateTable("people").set({ postcode: "AA1 1AA" }).executeTakeFirst();
      expect(everyone.numUpdatedRows).toBe(1n); // A's own person only
      const assessments = await tx
        .updateTable("assessments")
        .set({ answers: '{"taken":true}' })
        .where("assessment_id", "=", b.assessmentId)
        .executeTakeFirst();
      expect(assessments.numUpdatedRows).toBe(0n);
    });
    const bPerson = await withSystem(db, (trx) =>
      trx
        .selectFrom("people")
        .select(["family_name", "postcode"])
        .where("person_id", "=", b.personId)
        .execute(),
    );
    expect(bPerson).toEqual([{ family_name: "tenant-b", postcode: null }]);
  });

  it("DESIGN.md Tenancy: RLS with FORCE — A's transaction deletes 0 of B's rows", async () => {
    await withTenant(db, staff(a.tenantId), async (tx) => {
      // assessments is the one table upfront_app may DELETE from (drafts); RLS still hides B's.
      const deleted = await tx
        .deleteFrom("assessments")
        .where("tenant_id", "=", b.tenantId)
        .where("assessment_id", "=", b.assessmentId)
        .executeTakeFirst();
      expect(deleted.numDeletedRows).toBe(0n);
      const all = await sql`DELETE FROM assessments WHERE tenant_id <> ${a.tenantId}`.execute(tx);
      expect(all.numAffectedRows).toBe(0n);
      // Tables without a DELETE grant refuse outright, whoever's rows they are.
      expect(
        await errorOf(tx, () => tx.deleteFrom("people").where("person_id", "=", b.personId).execute()),
      ).toMatch(PERMISSION_DENIED);
    });
    const bAssessment = await withSystem(db, (trx) =>
      trx
        .selectFrom("assessments")
        .select("assessment_id")
        .where("assessment_id", "=", b.assessmentId)
        .execute(),
    );
    expect(bAssessment).toEqual([{ assessment_id: b.assessmentId }]);
  });

  it("DESIGN.md Tenancy: RLS WITH CHECK — A's transaction cannot insert rows for B, nor move a row to B", async () => {
    await withTenant(db, staff(a.tenantId), async (tx) => {
      const insert = await errorOf(tx, () =>
        tx
          .insertInto("people")
          .values({
            tenant_id: b.tenantId,
            person_id: uuidv7(),
            reference: "PLANTED",
            given_name: "Planted",
            family_name: "By A",
            date_of_birth: "1980-01-01",
          })
          .execute(),
      );
      expect(insert).toMatch(RLS_VIOLATION);
      const move = await errorOf(tx, () =>
        tx.updateTable("people").set({ tenant_id: b.tenantId }).where("person_id", "=", a.personId).execute(),
      );
      expect(move).toMatch(RLS_VIOLATION);
      const audit = await errorOf(tx, () =>
        tx
          .insertInto("audit_events")
          .values({
            tenant_id: b.tenantId,
            event_id: uuidv7(),
            actor_type: "staff",
            actor_id: tx.scope.actor.id,
            action: "view",
            record_type: "person",
            record_id: b.personId,
            changes: null,
          })
          .execute(),
      );
      expect(audit).toMatch(RLS_VIOLATION);
    });
    const planted = await withSystem(db, (trx) =>
      trx.selectFrom("people").select("person_id").where("reference", "=", "PLANTED").execute(),
    );
    expect(planted).toEqual([]);
  });

  it("DESIGN.md Tenancy: policy on app.tenant_id — a transaction as upfront_app with no tenant set sees nothing", async () => {
    await db.transaction().execute(async (trx) => {
      await sql`SET LOCAL ROLE upfront_app`.execute(trx);
      expect(await trx.selectFrom("people").select("person_id").execute()).toEqual([]);
      expect(await trx.selectFrom("tenants").select("tenant_id").execute()).toEqual([]);
      expect(await trx.selectFrom("audit_events").select("event_id").execute()).toEqual([]);
      const insert = await errorOf(trx, () =>
        trx
          .insertInto("people")
          .values({
            tenant_id: a.tenantId,
            person_id: uuidv7(),
            reference: "NO-TENANT",
            given_name: "No",
            family_name: "Tenant",
            date_of_birth: "1980-01-01",
          })
          .execute(),
      );
      expect(insert).toMatch(RLS_VIOLATION);
    });
  });

  it("tenant.ts: SET LOCAL + set_config(…, true) — neither role nor tenant leaks to the next transaction on the same connection", async () => {
    // One connection, so the next transaction provably reuses the one withTenant had.
    const single = await singleConnection(database);
    try {
      const pid = async (q: Kysely<DB>) =>
        (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(q)).rows[0]?.pid;
      const first = await withTenant(single.db, staff(a.tenantId), async (tx) => {
        expect(await tx.selectFrom("people").select("person_id").execute()).toHaveLength(1);
        return pid(tx);
      });
      // A transaction that fails inside withTenant must not leave its tenant behind either.
      await expect(
        withTenant(single.db, staff(b.tenantId), async () => {
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");

      await single.db.transaction().execute(async (trx) => {
        expect(await pid(trx)).toBe(first);
        const state = await sql<{ role: string; tenant: string | null }>`
          SELECT current_user AS role, app_tenant_id()::text AS tenant`.execute(trx);
        expect(state.rows[0]?.role).not.toBe("upfront_app");
        expect(state.rows[0]?.tenant).toBeNull();
        await sql`SET LOCAL ROLE upfront_app`.execute(trx);
        expect(await trx.selectFrom("people").select("person_id").execute()).toEqual([]);
      });
      // And a plain statement outside any transaction, on the same connection.
      const after = await sql<{ role: string; tenant: string | null; pid: number }>`
        SELECT current_user AS role, app_tenant_id()::text AS tenant, pg_backend_pid() AS pid`.execute(
        single.db,
      );
      expect(after.rows[0]?.pid).toBe(first);
      expect(after.rows[0]?.tenant).toBeNull();
      expect(after.rows[0]?.role).not.toBe("upfront_app");
    } finally {
      await single.close();
    }
  });

  it("DESIGN.md Audit event: append-only — upfront_app inserts and reads its own tenant's events, never updates or deletes", async () => {
    const mine = uuidv7();
    await withTenant(db, staff(a.tenantId), async (tx) => {
      await tx
        .insertInto("audit_events")
        .values({
          tenant_id: a.tenantId,
          event_id: mine,
          actor_type: "staff",
          actor_id: tx.scope.actor.id,
          action: "view",
          record_type: "person",
          record_id: a.personId,
          changes: null,
        })
        .execute();
      const seen = await tx.selectFrom("audit_events").select("event_id").orderBy("event_id").execute();
      expect(seen.map((e) => e.event_id)).toEqual([a.auditId, mine].sort());

      const update = await errorOf(tx, () =>
        tx.updateTable("audit_events").set({ action: "tampered" }).where("event_id", "=", mine).execute(),
      );
      expect(update).toMatch(PERMISSION_DENIED);
      const remove = await errorOf(tx, () =>
        tx.deleteFrom("audit_events").where("event_id", "=", mine).execute(),
      );
      expect(remove).toMatch(PERMISSION_DENIED);
      const truncate = await errorOf(tx, () => sql`TRUNCATE audit_events`.execute(tx));
      expect(truncate).toMatch(PERMISSION_DENIED);
    });
    const stored = await withSystem(db, (trx) =>
      trx.selectFrom("audit_events").select("action").where("event_id", "=", mine).execute(),
    );
    expect(stored).toEqual([{ action: "view" }]);
  });

  it("DESIGN.md Tenancy: the app's role owns no table — upfront_app cannot disable, relax or drop RLS", async () => {
    await withTenant(db, staff(a.tenantId), async (tx) => {
      for (const statement of [
        sql`ALTER TABLE people DISABLE ROW LEVEL SECURITY`,
        sql`ALTER TABLE people NO FORCE ROW LEVEL SECURITY`,
        sql`ALTER TABLE audit_events DISABLE ROW LEVEL SECURITY`,
        sql`DROP POLICY tenant_isolation ON people`,
        sql`ALTER POLICY tenant_isolation ON people USING (true)`,
      ]) {
        expect(await errorOf(tx, () => statement.execute(tx))).toMatch(MUST_BE_OWNER);
      }
      // Not a policy owner either: it cannot add a permissive policy of its own.
      expect(
        await errorOf(tx, () =>
          sql`CREATE POLICY open_door ON people TO upfront_app USING (true)`.execute(tx),
        ),
      ).toMatch(MUST_BE_OWNER);
      // row_security = off does not bypass RLS for a role without BYPASSRLS: the query is refused instead.
      await sql`SET LOCAL row_security = off`.execute(tx);
      expect(await errorOf(tx, () => tx.selectFrom("people").select("person_id").execute())).toMatch(
        /row-level security/,
      );
    });
  });

  it("tenant.ts: SET LOCAL ROLE is a boundary only for non-superuser sessions — upfront_app can SET ROLE back exactly when the connecting user is a superuser", async () => {
    // PostgreSQL checks SET ROLE against the *session* user, and a superuser session may take any role. So the
    // role switch holds every query the app writes, but not raw SQL an attacker could inject: that would need
    // a non-superuser connecting user (a member of upfront_app only), as on a managed server.
    await withTenant(db, staff(a.tenantId), async (tx) => {
      const session = await sql<{ superuser: boolean }>`
        SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = session_user`.execute(tx);
      const outcome = await errorOf(tx, () => sql`SET LOCAL ROLE postgres`.execute(tx));
      if (session.rows[0]?.superuser) {
        expect(outcome).toBe("no error");
      } else {
        expect(outcome).toMatch(PERMISSION_DENIED);
      }
    });
  });
});

/** A second handle on the same database whose pool holds one connection (PGlite has only one anyway). */
async function singleConnection(database: TestDatabase): Promise<Database> {
  if (database.kind === "pglite") return { ...database, close: async () => {} };
  const { rows } = await sql<{ name: string }>`SELECT current_database() AS name`.execute(database.db);
  const url = new URL(postgresUrl!);
  url.pathname = `/${rows[0]!.name}`;
  return openPostgres(url.toString(), { max: 1 });
}
