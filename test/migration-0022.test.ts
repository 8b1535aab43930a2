import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { permissionsOf } from "#/platform/auth/permissions.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { MIGRATIONS_DIR, migrate } from "#/platform/db/migrator.ts";
import type { StaffRole } from "#/platform/db/schema.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "./databases.ts";

/**
 * migrations/0022 on data made before it (issue 13): tokens that exist get their creator's permissions as scopes
 * (never more) and expire 90 days after the migration; a ledger transfer whose key is shaped like a payment
 * run's or a contribution invoice's but belongs to no payment or invoice (a caller's squat) moves into the
 * namespace of the member of staff who wrote it; every other transfer stays the system's.
 */
describe.each(enginesUnderTest())("migration 0022 on %s", (engine) => {
  let database: TestDatabase;
  let before: string;
  afterAll(async () => {
    await database?.drop();
    if (before) await rm(before, { recursive: true, force: true });
  });

  it("rule (issue 13): existing tokens get their creator's permissions and 90 days; squatted payment and invoice keys move to their writer; the rest stay the system's", async () => {
    database = await databaseFor(engine, "empty");
    before = await mkdtemp(path.join(tmpdir(), "upfront-0021-"));
    for (const f of await readdir(MIGRATIONS_DIR)) {
      if (/^\d{4}_/.test(f) && f < "0022") await cp(path.join(MIGRATIONS_DIR, f), path.join(before, f));
    }
    await migrate(database, before);

    const t = uuidv7();
    const finance = uuidv7();
    const manager = uuidv7();
    const financeToken = uuidv7();
    const managerToken = uuidv7();
    const [a, b] = [uuidv7(), uuidv7()];
    const budget = uuidv7();
    const paymentId = uuidv7();
    const genuineKey = `payment:${budget}:2026-01-12:${uuidv7()}`;
    const transfers = {
      genuine: uuidv7(), // the run's own: references its payment
      squatPay: uuidv7(), // a token's, keyed like a future run's payment
      squatInvoice: uuidv7(), // a session's, keyed like a future contribution invoice
      other: uuidv7(), // a token's own key of no system shape
    };
    await withSystem(database.db, async (trx) => {
      await sql`INSERT INTO tenants (tenant_id, slug, name, jurisdiction) VALUES (${t}, 'mig', 'Mig', 'england')`.execute(
        trx,
      );
      const roles: [string, StaffRole[]][] = [
        [finance, ["finance_officer"]],
        [manager, ["team_manager", "funding_panel_member"]],
      ];
      for (const [id, r] of roles)
        await sql`INSERT INTO staff_users (tenant_id, user_id, email, name, password_hash, roles)
          VALUES (${t}, ${id}, ${`${id}@mig.test`}, 'Staff', 'x', ${r}::text[])`.execute(trx);
      for (const [id, user] of [
        [financeToken, finance],
        [managerToken, manager],
      ])
        await sql`INSERT INTO api_tokens (tenant_id, token_id, user_id, name, token_hash)
          VALUES (${t}, ${id}, ${user}, 'old', ${`hash-${id}`})`.execute(trx);
      for (const [id, code] of [
        [a, "stream:asc"],
        [b, "payee:x"],
      ])
        await sql`INSERT INTO ledger_accounts (tenant_id, account_id, code, kind) VALUES (${t}, ${id}, ${code}, 'stream')`.execute(
          trx,
        );
      // The payment the genuine transfer belongs to; its run and budget are beside the point here.
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await sql`INSERT INTO payments (tenant_id, payment_id, payment_key, run_id, budget_id, person_id, cycle_start,
          cycle_end, due_date, pay_date, kind, deployment, amount, parts, status)
        VALUES (${t}, ${paymentId}, ${genuineKey}, ${uuidv7()}, ${budget}, ${uuidv7()}, '2026-01-12', '2026-02-08',
          '2026-01-12', '2026-01-12', 'funding', 'council_arranged', 100, '[]'::jsonb, 'made')`.execute(trx);
      await sql`SET LOCAL session_replication_role = origin`.execute(trx);
      const rows: [string, string, string | null][] = [
        [transfers.genuine, `${genuineKey}:fund:0`, paymentId],
        [transfers.squatPay, `payment:${budget}:2026-02-09:${uuidv7()}:pay`, null],
        [transfers.squatInvoice, `contribution:${budget}:2026-02-09`, null],
        [transfers.other, "my-own-key-1", null],
      ];
      for (const [id, key, ref] of rows)
        await sql`INSERT INTO ledger_transfers (tenant_id, transfer_id, idempotency_key, request_fingerprint,
            debit_account_id, credit_account_id, amount, currency, code, ref_kind, ref_id, state)
          VALUES (${t}, ${id}, ${key}, 'f', ${a}, ${b}, 1, 'GBP', 'adjustment', ${ref ? "payment" : null}, ${ref},
            'posted')`.execute(trx);
      // Who wrote them, as the ledger audits it: one event per transfer or group (transferIds).
      const events: [string, string, string, string[]][] = [
        ["staff", finance, transfers.genuine, [transfers.genuine]],
        ["api_token", financeToken, transfers.squatPay, [transfers.squatPay]],
        ["staff", manager, uuidv7(), [transfers.other, transfers.squatInvoice]],
        ["api_token", financeToken, transfers.other, [transfers.other]],
      ];
      for (const [type, actor, record, ids] of events)
        await sql`INSERT INTO audit_events (tenant_id, event_id, actor_type, actor_id, action, record_type, record_id, changes)
          VALUES (${t}, ${uuidv7()}, ${type}, ${actor}, 'ledger.transfer', 'ledger_transfer', ${record},
            ${JSON.stringify({ transferIds: ids })}::jsonb)`.execute(trx);
    });

    const migratedAt = Date.now();
    expect(await migrate(database)).toContain("0022_token_scopes_and_key_namespaces.sql");

    await withSystem(database.db, async (trx) => {
      const tokens = await sql<{ token_id: string; scopes: string[]; expires_at: Date }>`
        SELECT token_id, scopes, expires_at FROM api_tokens WHERE tenant_id = ${t}`.execute(trx);
      const scopesOf = (id: string) => [...tokens.rows.find((r) => r.token_id === id)!.scopes].sort();
      // What each creator's roles allow today, but owning tokens (never more: the copy in the migration is a
      // snapshot of permissions.ts, so a permission added later is not in it).
      const allowed = (roles: StaffRole[]) => permissionsOf(roles).filter((p) => p !== "api_tokens:own");
      for (const [id, roles] of [
        [financeToken, ["finance_officer"]],
        [managerToken, ["team_manager", "funding_panel_member"]],
      ] as const) {
        expect(scopesOf(id).every((s) => allowed([...roles]).includes(s as never))).toBe(true);
      }
      expect(scopesOf(financeToken)).toEqual(
        expect.arrayContaining(["payments:run", "spending:manage", "ledger:read"]),
      );
      expect(scopesOf(financeToken)).not.toContain("api_tokens:own");
      expect(scopesOf(managerToken)).toEqual(
        expect.arrayContaining(["budgets:end", "plans:write", "people:read"]),
      );
      expect(scopesOf(managerToken)).not.toContain("payments:run");
      for (const r of tokens.rows) {
        const days = (new Date(r.expires_at).getTime() - migratedAt) / 86_400_000;
        expect(days).toBeGreaterThan(89.9);
        expect(days).toBeLessThan(90.1);
      }

      const keys = await sql<{ transfer_id: string; key_user_id: string | null }>`
        SELECT transfer_id, key_user_id FROM ledger_transfers WHERE tenant_id = ${t}`.execute(trx);
      const ownerOf = (id: string) => keys.rows.find((r) => r.transfer_id === id)!.key_user_id;
      expect({
        genuine: ownerOf(transfers.genuine),
        squatPay: ownerOf(transfers.squatPay),
        squatInvoice: ownerOf(transfers.squatInvoice),
        other: ownerOf(transfers.other),
      }).toEqual({ genuine: null, squatPay: finance, squatInvoice: manager, other: null });
    });
    // Transfers are unchangeable again once the migration is done.
    await expect(
      withSystem(database.db, (trx) =>
        sql`UPDATE ledger_transfers SET key_user_id = NULL WHERE tenant_id = ${t} AND transfer_id = ${transfers.squatPay}`.execute(
          trx,
        ),
      ),
    ).rejects.toThrow(/cannot be changed/);
  }, 120_000);
});
