import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerTenant } from "#/features/ledger/ledger.fixture.ts";
import { ensureAccount } from "#/features/ledger/service.ts";
import { staffLookups } from "#/features/staff/identity-lookups.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { StaffRole } from "#/platform/db/schema.ts";
import { withSystem, withTenant } from "#/platform/db/tenant.ts";
import { createApiToken } from "#/platform/web/api-tokens.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";

/**
 * /api/v1/ledger (issue 6): posting needs spending:manage (finance officers) and an Idempotency-Key header (a
 * clear 400 without one); a retry with the same key and body returns the first transfer (200, Idempotent-Replayed)
 * and another body with that key is a 409; an overdraft of a flagged account is a 409; reading balances and
 * statements needs ledger:read; the operations and the header are in the OpenAPI document.
 */
describe.each(enginesUnderTest())("/api/v1/ledger on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let ctx: ServiceContext;
  const tokens = { finance: "", worker: "" };
  let stream: string;
  let budget: string;
  let payee: string;

  async function staffToken(roles: StaffRole[]): Promise<string> {
    const userId = uuidv7();
    await withSystem(database.db, (trx) =>
      trx
        .insertInto("staff_users")
        .values({
          tenant_id: ctx.scope.tenantId,
          user_id: userId,
          email: `${userId}@example.test`,
          name: roles.join(" "),
          password_hash: "x",
          roles,
        })
        .execute(),
    );
    const scope = { tenantId: ctx.scope.tenantId, actor: { type: "staff" as const, id: userId } };
    return withTenant(
      database.db,
      scope,
      async (tx) => (await createApiToken(tx, staffLookups, userId, "test")).token,
    );
  }

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    ctx = await ledgerTenant(database);
    app = await buildTestApp(database);
    tokens.finance = await staffToken(["finance_officer"]);
    tokens.worker = await staffToken(["social_worker"]);
    stream = (await ensureAccount(ctx, { code: "stream:asc", kind: "stream" })).accountId;
    budget = (
      await ensureAccount(ctx, { code: "budget:b:direct_payment", kind: "budget", mustNotGoBelowZero: true })
    ).accountId;
    payee = (await ensureAccount(ctx, { code: "payee:p", kind: "payee" })).accountId;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const post = (url: string, body: unknown, headers: Record<string, string> = {}, token = tokens.finance) =>
    app.inject({
      method: "POST",
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}`, ...headers },
      payload: body as object,
    });
  const get = (url: string, token = tokens.finance) =>
    app.inject({ method: "GET", url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` } });

  it("posting a transfer needs the Idempotency-Key header: a clear 400 naming it", async () => {
    const res = await post("/ledger/transfers", {
      debitAccountId: stream,
      creditAccountId: budget,
      amountPence: 5000,
      code: "funding",
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ path: "Idempotency-Key" })]);
  });

  it("posting needs spending:manage: a social worker gets 403", async () => {
    const res = await post(
      "/ledger/transfers",
      { debitAccountId: stream, creditAccountId: budget, amountPence: 5000, code: "funding" },
      { "idempotency-key": "w-1" },
      tokens.worker,
    );
    expect(res.statusCode).toBe(403);
  });

  it("a transfer is made once: 201, then the same key and body 200 with Idempotent-Replayed, another body 409", async () => {
    const body = { debitAccountId: stream, creditAccountId: budget, amountPence: 5000, code: "funding" };
    const first = await post("/ledger/transfers", body, { "idempotency-key": "fund-1" });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ amountPence: 5000, state: "posted", idempotencyKey: "fund-1" });
    const again = await post("/ledger/transfers", body, { "idempotency-key": "fund-1" });
    expect(again.statusCode).toBe(200);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json().transferId).toBe(first.json().transferId);
    const clash = await post(
      "/ledger/transfers",
      { ...body, amountPence: 5001 },
      { "idempotency-key": "fund-1" },
    );
    expect(clash.statusCode).toBe(409);
    expect(clash.body).toContain("already used for a different transfer");
  });

  it("an overdraft of a budget account is a 409 saying why; a hold then a post for less works", async () => {
    const over = await post(
      "/ledger/transfers",
      { debitAccountId: budget, creditAccountId: payee, amountPence: 5001, code: "spend" },
      { "idempotency-key": "spend-over" },
    );
    expect(over.statusCode).toBe(409);
    expect(over.body).toContain("may not go below zero");
    const hold = await post(
      "/ledger/transfers",
      { type: "pending", debitAccountId: budget, creditAccountId: payee, amountPence: 3000, code: "spend" },
      { "idempotency-key": "hold-1" },
    );
    expect(hold.json()).toMatchObject({ state: "pending", pending: true });
    const settle = await post(
      `/ledger/transfers/${hold.json().transferId}/post`,
      { amountPence: 2500 },
      { "idempotency-key": "settle-1" },
    );
    expect(settle.statusCode).toBe(201);
    expect(settle.json()).toMatchObject({
      state: "posted",
      amountPence: 2500,
      pendingOf: hold.json().transferId,
    });
    const voidAfter = await post(
      `/ledger/transfers/${hold.json().transferId}/void`,
      {},
      { "idempotency-key": "void-1" },
    );
    expect(voidAfter.statusCode).toBe(409);
  });

  it("the balance and statement need ledger:read and show the money", async () => {
    expect((await get(`/ledger/accounts/${budget}`, tokens.worker)).statusCode).toBe(403);
    const account = await get(`/ledger/accounts/${budget}`);
    expect(account.statusCode).toBe(200);
    expect(account.json()).toMatchObject({
      balancePence: 2500,
      availablePence: 2500,
      mustNotGoBelowZero: true,
    });
    const statement = await get(`/ledger/accounts/${budget}/transfers?from=2020-01-01`);
    expect(statement.statusCode).toBe(200);
    expect(statement.json().lines.map((l: { balanceAfterPence: number }) => l.balanceAfterPence)).toEqual([
      5000, 5000, 2500,
    ]);
    expect((await get(`/ledger/accounts/${uuidv7()}`)).statusCode).toBe(404);
    expect((await get("/ledger/accounts/not-a-uuid")).statusCode).toBe(400);
  });

  it("the OpenAPI document lists the ledger operations and the Idempotency-Key header", async () => {
    const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
    const create = doc.paths["/ledger/transfers"].post;
    expect(create.parameters).toEqual([
      expect.objectContaining({ name: "Idempotency-Key", in: "header", required: true }),
    ]);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/ledger/transfers/{transferId}/post",
        "/ledger/transfers/{transferId}/void",
        "/ledger/accounts/{accountId}",
        "/ledger/accounts/{accountId}/transfers",
      ]),
    );
  });
});
