import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureAccount } from "#/features/ledger/service.ts";
import {
  type FixtureBudget,
  type PaymentsTenant,
  paymentsTenant,
  personWithBudget,
} from "#/features/payments/payments.fixture.ts";
import { prepareRun } from "#/features/payments/run.ts";
import { paymentKey } from "#/features/payments/schedule.calc.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { apiTokenFor, buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";

/**
 * Issue 13: a payment run's ledger keys ("payment:<budget>:<cycle>:<payee>:pay") are predictable, and callers'
 * Idempotency-Keys used to share their namespace, so a finance token posting a 1p transfer with such a key
 * stopped that run for good. A caller's key now lives in that member of staff's own namespace: the run is made,
 * the caller's retry still replays their own transfer, and another member of staff's same key is theirs alone.
 */
describe.each(enginesUnderTest())("idempotency key namespaces on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let tenant: PaymentsTenant;
  let person: FixtureBudget;
  let squatKeys: string[];
  const accounts = { from: "", to: "" };

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    tenant = await paymentsTenant(database);
    person = await personWithBudget(database, tenant, {
      startDate: "2026-01-12",
      approvedOn: "2026-01-05",
      directWeekly: 10_000,
    });
    app = await buildTestApp(database, { today: "2026-01-07" });
    accounts.from = (await ensureAccount(tenant.maker, { code: "stream:squat", kind: "stream" })).accountId;
    accounts.to = (await ensureAccount(tenant.maker, { code: "payee:squat", kind: "payee" })).accountId;
    // The keys the run will use for its first cycle (checked against the run's own below).
    const key = paymentKey(person.budgetId, "2026-01-12", person.payeeId!);
    squatKeys = [`${key}:pay`, `${key}:fund:0`];
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const squat = (token: string, key: string) =>
    app.inject({
      method: "POST",
      url: "/api/v1/ledger/transfers",
      headers: { authorization: `Bearer ${token}`, "idempotency-key": key },
      payload: {
        debitAccountId: accounts.from,
        creditAccountId: accounts.to,
        amountPence: 1,
        code: "adjustment",
      },
    });

  it("rule (issue 13): a finance token's 1p transfer keyed like a payment run's cannot block the run", async () => {
    const token = await apiTokenFor(database, tenant.maker.email);
    for (const key of squatKeys) expect((await squat(token, key)).statusCode).toBe(201);

    const run = await prepareRun(tenant.maker, { date: "2026-01-12" });
    expect(run).toMatchObject({ made: 1, held: [] });
    const rows = await withSystem(database.db, (trx) =>
      sql<{ idempotency_key: string; key_user_id: string | null; amount: string }>`
        SELECT idempotency_key, key_user_id, amount FROM ledger_transfers
        WHERE tenant_id = ${tenant.tenantId} AND idempotency_key = ANY(${squatKeys}::text[])
        ORDER BY key_user_id NULLS FIRST, idempotency_key`.execute(trx),
    );
    // The run wrote its own transfers under the very keys squatted (so the squat was aimed right), as the
    // system's; the caller's two 1p transfers are still there, as the caller's.
    const system = rows.rows.filter((r) => r.key_user_id === null);
    expect(system.map((r) => r.idempotency_key).sort()).toEqual([...squatKeys].sort());
    expect(system.every((r) => Number(r.amount) > 1)).toBe(true);
    const callers = rows.rows.filter((r) => r.key_user_id !== null);
    expect(callers.map((r) => [r.key_user_id, Number(r.amount)])).toEqual(
      squatKeys.map(() => [tenant.maker.scope.actor.id, 1]),
    );
  });

  it("rule (issue 13): a caller's key is the member of staff's own: their retry with another token replays it; another member's same key is a new transfer", async () => {
    const key = `invoice-42-${tenant.tenantId.slice(-6)}`;
    const first = await squat(await apiTokenFor(database, tenant.maker.email), key);
    expect(first.statusCode).toBe(201);
    const retry = await squat(await apiTokenFor(database, tenant.maker.email), key);
    expect(retry.statusCode).toBe(200);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(retry.json().transferId).toBe(first.json().transferId);
    expect(retry.json().idempotencyKey).toBe(key);
    const other = await squat(await apiTokenFor(database, tenant.checker.email), key);
    expect(other.statusCode).toBe(201);
    expect(other.json().transferId).not.toBe(first.json().transferId);
  });
});
