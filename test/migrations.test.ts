import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { migrate } from "#/platform/db/migrator.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "./databases.ts";

describe.each(enginesUnderTest())("migrations on %s", (engine) => {
  const opened: TestDatabase[] = [];
  afterAll(async () => {
    for (const d of opened) await d.drop();
  });

  it("apply from empty, record every file, and are idempotent on a second run", async () => {
    const database = await databaseFor(engine, "migrated");
    opened.push(database);
    const names = await database.db.selectFrom("schema_migrations").select("name").orderBy("name").execute();
    expect(names.map((n) => n.name)).toContain("0001_foundation.sql");
    expect(await migrate(database)).toEqual([]);
  });

  it("every table with a tenant_id has RLS enabled and forced, and upfront_app owns nothing", async () => {
    const database = await databaseFor(engine, "migrated");
    opened.push(database);
    const { rows } = await sql<{ table: string; rls: boolean; forced: boolean; owner: string }>`
      SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
             pg_get_userbyid(c.relowner) AS owner
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r'
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')
    `.execute(database.db);
    expect(rows.length).toBeGreaterThan(5);
    for (const r of rows) {
      expect({ table: r.table, rls: r.rls, forced: r.forced }).toEqual({
        table: r.table,
        rls: true,
        forced: true,
      });
      expect(r.owner).not.toBe("upfront_app");
    }
    const role = await sql<{ rolbypassrls: boolean; rolsuper: boolean; rolcanlogin: boolean }>`
      SELECT rolbypassrls, rolsuper, rolcanlogin FROM pg_roles WHERE rolname = 'upfront_app'`.execute(
      database.db,
    );
    expect(role.rows[0]).toEqual({ rolbypassrls: false, rolsuper: false, rolcanlogin: false });
  });

  it("every primary key of a tenant-owned table includes tenant_id", async () => {
    const database = await databaseFor(engine, "migrated");
    opened.push(database);
    const { rows } = await sql<{ table: string; has_tenant: boolean }>`
      SELECT c.relname AS table,
             'tenant_id' = ANY (ARRAY(SELECT a.attname::text FROM pg_attribute a
               WHERE a.attrelid = c.oid AND a.attnum = ANY (i.indkey))) AS has_tenant
      FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE i.indisprimary AND n.nspname = 'public'
        -- Not a tenant's: the migrations' own record, and sign-in throttling, which comes before a council is
        -- known (migrations/0021; owner-only, RLS forced with no policy).
        AND c.relname NOT IN ('schema_migrations', 'sign_in_throttles')
    `.execute(database.db);
    for (const r of rows) expect(r, r.table).toEqual({ table: r.table, has_tenant: true });
  });
});
