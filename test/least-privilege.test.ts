import type { FastifyInstance } from "fastify";
import { type Kysely, sql, type Transaction } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureAccount, postPending, transfer } from "#/features/ledger/service.ts";
import { prepareScheduledRuns } from "#/features/payments/jobs.ts";
import { findTenantBySlug } from "#/features/tenants/service.ts";
import { sealAuditEvents } from "#/platform/audit/seal.ts";
import type { ServiceContext } from "#/platform/context.ts";
import type { DB } from "#/platform/db/schema.ts";
import { type TenantScope, withSystem, withTenant } from "#/platform/db/tenant.ts";
import { prepareJobsSchema, startJobs } from "#/platform/jobs/jobs.ts";
import { DEMO_PERSON_ACCOUNTS } from "#/seed/accounts-seed.ts";
import { DEMO_PASSWORD, DEMO_TENANT_SLUG, OTHER_TENANT_SLUG } from "#/seed/seed.ts";
import { apiTokenFor, buildTestApp, staffScope } from "./app.ts";
import { databaseFor, demoTenantId, enginesUnderTest, type TestDatabase } from "./databases.ts";
import { emailOf, InjectBrowser, location } from "./inject-browser.ts";
import { APP_LOGIN_ROLE, asAppLogin } from "./templates.ts";
import { TODAY } from "./today.ts";

/**
 * Issue 13, defect 5: the app works with least privilege. On PostgreSQL it connects as its own login role
 * (test/templates.ts APP_LOGIN_ROLE, made as README.md "Database roles" says): not a superuser, no BYPASSRLS, owning
 * nothing, a member of upfront_app; so RESET ROLE gains nothing. On both engines the app role (upfront_app) cannot
 * read a password hash, change a member of staff's roles except through staff_set_roles, or write a ledger sum,
 * and sees no other council. Everything that used to need the owner before a council was known goes through
 * migrations/0025's narrow functions, and the app still signs people in and works.
 */
describe.each(enginesUnderTest())("least privilege on %s", (engine) => {
  let database: TestDatabase;
  let app: Kysely<DB>;
  let demo: TenantScope;
  let otherTenantId: string;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = database.appDb;
    demo = { tenantId: await demoTenantId(database), actor: { type: "system", id: null } };
    otherTenantId = (await findTenantBySlug(database.db, OTHER_TENANT_SLUG))!.tenantId;
  }, 120_000);
  afterAll(() => database?.drop());

  /** As the app in the demo council, in a transaction that is always rolled back (nothing a test does stays). */
  const asApp = <T>(fn: (tx: Transaction<DB>) => Promise<T>, scope: TenantScope = demo): Promise<T> =>
    withTenant(app, scope, async (tx) => {
      const result = await fn(tx);
      throw new RolledBack(result);
    }).catch((error: unknown) => {
      if (error instanceof RolledBack) return error.result as T;
      throw error;
    });
  const refused = (fn: (tx: Transaction<DB>) => Promise<unknown>) =>
    expect(asApp(fn)).rejects.toThrow(/permission denied/);

  it.skipIf(engine !== "postgres")(
    "rule (issue 13 defect 5): the app connects as a login role that is no superuser, cannot bypass RLS, owns nothing and is a member of upfront_app",
    async () => {
      const { rows } = await sql<{
        user: string;
        rolsuper: boolean;
        rolbypassrls: boolean;
        owns: number;
        member: boolean;
      }>`
        SELECT current_user AS user, r.rolsuper, r.rolbypassrls,
          (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid)::int
            + (SELECT count(*) FROM pg_proc p WHERE p.proowner = r.oid)::int AS owns,
          pg_has_role(current_user, 'upfront_app', 'MEMBER') AS member
        FROM pg_roles r WHERE r.rolname = current_user`.execute(app);
      expect(rows[0]).toEqual({
        user: APP_LOGIN_ROLE,
        rolsuper: false,
        rolbypassrls: false,
        owns: 0,
        member: true,
      });
    },
  );

  it.skipIf(engine !== "postgres")(
    "rule (issue 13 defect 5): RESET ROLE gains nothing: hashes, roles, councils, sessions and throttles stay out of reach, and no other role can be taken",
    async () => {
      const reset = (fn: (tx: Transaction<DB>) => Promise<unknown>) =>
        refused(async (tx) => {
          await sql`RESET ROLE`.execute(tx);
          return fn(tx);
        });
      await reset((tx) => sql`SELECT password_hash FROM staff_users`.execute(tx));
      await reset((tx) => sql`SELECT password_hash FROM person_accounts`.execute(tx));
      await reset((tx) => sql`UPDATE staff_users SET roles = '{administrator}'`.execute(tx));
      await reset((tx) => sql`UPDATE ledger_accounts SET credits_posted = credits_posted + 1`.execute(tx));
      await reset((tx) => sql`SELECT session_hash FROM sessions`.execute(tx));
      await reset((tx) => sql`SELECT * FROM sign_in_throttles`.execute(tx));
      await reset((tx) =>
        sql`INSERT INTO tenants (tenant_id, slug, name, jurisdiction)
        VALUES (gen_random_uuid(), 'grab', 'Grab', 'england')`.execute(tx),
      );
      await reset((tx) => sql`SET ROLE postgres`.execute(tx));
      // Still one council only: RLS holds the login role as it holds upfront_app.
      const seen = await asApp(async (tx) => {
        await sql`RESET ROLE`.execute(tx);
        return (await sql<{ tenant_id: string }>`SELECT DISTINCT tenant_id FROM people`.execute(tx)).rows;
      });
      expect(seen).toEqual([{ tenant_id: demo.tenantId }]);
    },
  );

  it("rule (issue 13 defect 5): the app role cannot read a password hash, staff's or a person's; it knows only whether one is set", async () => {
    await refused((tx) => sql`SELECT password_hash FROM staff_users`.execute(tx));
    await refused((tx) => tx.selectFrom("staff_users").selectAll().execute());
    await refused((tx) => sql`SELECT password_hash FROM person_accounts`.execute(tx));
    const staff = await asApp((tx) =>
      tx.selectFrom("staff_users").select(["email", "has_password"]).orderBy("email").execute(),
    );
    expect(staff.length).toBeGreaterThan(0);
    expect(staff.every((s) => s.has_password)).toBe(true);
    // The one function that hands a hash back gives only the transaction's own council's.
    const otherAdmin = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("staff_users")
        .select("user_id")
        .where("tenant_id", "=", otherTenantId)
        .executeTakeFirstOrThrow(),
    );
    const hash = await asApp(
      async (tx) =>
        (
          await sql<{
            h: string | null;
          }>`SELECT staff_password_hash(${otherAdmin.user_id}::uuid) AS h`.execute(tx)
        ).rows[0]!.h,
    );
    expect(hash).toBeNull();
  });

  it("rule (issue 13 defect 5): roles change only through staff_set_roles, which refuses to leave the council without an active administrator", async () => {
    const admin = await staffScope(database, emailOf("administrator"));
    const worker = await staffScope(database, emailOf("social_worker"));
    await refused((tx) =>
      tx
        .updateTable("staff_users")
        .set({ roles: ["administrator"] })
        .where("user_id", "=", worker.actor.id!)
        .execute(),
    );
    const admins = await asApp(async (tx) =>
      Number(
        (
          await sql<{ n: number }>`SELECT count(*)::int AS n FROM staff_users
            WHERE disabled_at IS NULL AND 'administrator' = ANY (roles)`.execute(tx)
        ).rows[0]!.n,
      ),
    );
    expect(admins).toBe(1);
    await expect(
      asApp((tx) => sql`SELECT staff_set_roles(${admin.actor.id}::uuid, '{social_worker}')`.execute(tx)),
    ).rejects.toThrow(/without an active administrator/);
    const changed = await asApp(async (tx) => {
      await sql`SELECT staff_set_roles(${worker.actor.id}::uuid, '{social_worker,team_manager}')`.execute(tx);
      return tx
        .selectFrom("staff_users")
        .select("roles")
        .where("user_id", "=", worker.actor.id!)
        .executeTakeFirstOrThrow();
    });
    expect(changed.roles).toEqual(["social_worker", "team_manager"]);
    // Another council's member of staff is out of reach of the function as of everything else.
    const other = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("staff_users")
        .select("user_id")
        .where("tenant_id", "=", otherTenantId)
        .executeTakeFirstOrThrow(),
    );
    const touched = await asApp(
      async (tx) =>
        (
          await sql<{
            done: boolean;
          }>`SELECT staff_set_roles(${other.user_id}::uuid, '{administrator}') AS done`.execute(tx)
        ).rows[0]!.done,
    );
    expect(touched).toBe(false);
  });

  it("rule (issue 13 defect 5): a ledger sum is never written by the app: only transfers move it (a hold, then its post for less)", async () => {
    await refused((tx) => sql`UPDATE ledger_accounts SET credits_posted = credits_posted + 1`.execute(tx));
    await refused((tx) =>
      sql`INSERT INTO ledger_accounts (tenant_id, account_id, code, kind, credits_posted)
      VALUES (${demo.tenantId}, gen_random_uuid(), 'stream:free-money', 'stream', 1000000)`.execute(tx),
    );
    const ctx: ServiceContext = { db: app, scope: demo, today: TODAY };
    const from = (await ensureAccount(ctx, { code: "stream:least-privilege", kind: "stream" })).accountId;
    const to = (await ensureAccount(ctx, { code: "payee:least-privilege", kind: "payee" })).accountId;
    const hold = await transfer(ctx, {
      type: "pending",
      idempotencyKey: "least-privilege-hold",
      debitAccountId: from,
      creditAccountId: to,
      amount: 300,
      code: "spend",
    });
    await postPending(ctx, {
      idempotencyKey: "least-privilege-post",
      pendingId: hold.transfer.transferId,
      amount: 200,
    });
    const sums = await withTenant(app, demo, (tx) =>
      tx
        .selectFrom("ledger_accounts")
        .select(["account_id", "debits_pending", "debits_posted", "credits_pending", "credits_posted"])
        .where("account_id", "in", [from, to])
        .execute(),
    );
    expect(sums.find((s) => s.account_id === from)).toMatchObject({ debits_pending: 0, debits_posted: 200 });
    expect(sums.find((s) => s.account_id === to)).toMatchObject({ credits_pending: 0, credits_posted: 200 });
  });

  it("rule (issue 13 defect 5): another council's rows are invisible to the app, and the cross-council functions answer only what they are for", async () => {
    const counts = await asApp(async (tx) => ({
      tenants: (await tx.selectFrom("tenants").select("tenant_id").execute()).length,
      otherPeople: (
        await tx.selectFrom("people").select("person_id").where("tenant_id", "=", otherTenantId).execute()
      ).length,
      otherStaff: (
        await tx.selectFrom("staff_users").select("user_id").where("tenant_id", "=", otherTenantId).execute()
      ).length,
    }));
    expect(counts).toEqual({ tenants: 1, otherPeople: 0, otherStaff: 0 });
    // Before a council is known (no app.tenant_id), the app role sees no council's rows at all.
    const none = await withTenant(app, demo, async (tx) => {
      await sql`SELECT set_config('app.tenant_id', '', true)`.execute(tx);
      return (await tx.selectFrom("people").select("person_id").execute()).length;
    });
    expect(none).toBe(0);
  });

  it("rule (issue 13 defect 5): the audit seal is appended by the app role through audit_seal_append, which takes only the next link of the chain", async () => {
    const sealed = await sealAuditEvents({ ...database, db: app }, { tenantId: demo.tenantId });
    expect(sealed.length).toBeGreaterThan(0);
    await expect(
      asApp((tx) =>
        sql`SELECT audit_seal_append(1::bigint, 1::smallint, ARRAY[gen_random_uuid()], ${"0".repeat(64)},
          ${"0".repeat(64)}, ${"0".repeat(64)})`.execute(tx),
      ),
    ).rejects.toThrow(/does not follow the chain/);
    await refused((tx) => sql`UPDATE audit_events SET sealed_in = NULL`.execute(tx));
  });

  it("rule (issue 13 defect 5): the daily payment preparation visits every council as the app role (list_councils, then each council's own transaction)", async () => {
    const results = await prepareScheduledRuns({ ...database, db: app }, TODAY);
    expect(results.map((r) => r.slug).sort()).toEqual([DEMO_TENANT_SLUG, OTHER_TENANT_SLUG].sort());
    const demoRun = results.find((r) => r.slug === DEMO_TENANT_SLUG)!;
    expect(demoRun.skipped ?? "").not.toMatch(/permission denied/);
    expect(demoRun.outcome).toBeDefined();
  });

  it.skipIf(engine !== "postgres")(
    "rule (issue 13 defect 5): background jobs run as the app's login role in pg-boss's own schema, which the owner made and granted",
    async () => {
      await prepareJobsSchema(database);
      const url = (database.native as { url: string }).url;
      const jobs = await startJobs(
        { ...database, db: app, native: { url: asAppLogin(url) } },
        { schedule: false },
      );
      try {
        let ran: (word: string) => void = () => {};
        const done = new Promise<string>((resolve) => {
          ran = resolve;
        });
        await jobs.register<{ word: string }>("least-privilege-check", async (data) => ran(data.word), {
          pollingIntervalSeconds: 1,
        });
        await jobs.send("least-privilege-check", { word: "ran" });
        expect(await done).toBe("ran");
        const { rows } = await sql<{ user: string }>`
          SELECT DISTINCT usename AS user FROM pg_stat_activity WHERE application_name = 'upfront-jobs'`.execute(
          database.db,
        );
        expect(rows.map((r) => r.user)).toEqual([APP_LOGIN_ROLE]);
      } finally {
        await jobs.stop({ timeoutMs: 5_000 });
      }
    },
    60_000,
  );

  describe("the app works as the app role", () => {
    let server: FastifyInstance;
    beforeAll(async () => {
      server = await buildTestApp(database);
    });
    afterAll(() => server?.close());

    it("rule (issue 13 defect 5): staff sign in, use pages and the API, change a password and sign out; a person signs in at /my", async () => {
      const browser = await new InjectBrowser(server).signIn("administrator");
      expect((await browser.get("/people")).statusCode).toBe(200);
      expect((await browser.get("/admin/staff")).statusCode).toBe(200);
      const token = await apiTokenFor(database, emailOf("social_worker"));
      const api = await server.inject({
        method: "GET",
        url: "/api/v1/people",
        headers: { authorization: `Bearer ${token}` },
      });
      expect(api.statusCode).toBe(200);
      const signedOut = await browser.post("/sign-out");
      expect(signedOut.statusCode).toBe(303);
      expect(location(await browser.get("/people"))).toContain("/sign-in");

      // Changing one's password checks the current one through staff_password_hash, then writes the new hash.
      const finance = await new InjectBrowser(server).signIn("finance_officer");
      await finance.get("/account/password");
      const fresh = "least privilege is a long password";
      const wrong = await finance.post("/account/password", {
        currentPassword: "not the password",
        newPassword: fresh,
        confirmPassword: fresh,
      });
      expect(wrong.statusCode).toBe(400);
      const changed = await finance.post("/account/password", {
        currentPassword: DEMO_PASSWORD,
        newPassword: fresh,
        confirmPassword: fresh,
      });
      expect(changed.statusCode).toBe(303);
      await new InjectBrowser(server).signInAs(emailOf("finance_officer"), fresh);

      const person = new InjectBrowser(server);
      expect((await person.signInPerson(DEMO_PERSON_ACCOUNTS[0]!.email)).statusCode).toBe(303);
      expect((await person.get("/my")).statusCode).toBe(200);
    });
  });
});

/** Thrown to roll a test's transaction back, carrying what it read. */
class RolledBack {
  readonly result: unknown;
  constructor(result: unknown) {
    this.result = result;
  }
}
