import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetAccountCode } from "#/features/budgets/accounts.ts";
import type { PersonalBudget } from "#/features/budgets/service.ts";
import { accountByCodeIn, ensureAccount } from "#/features/ledger/service.ts";
import { fund, spendingWorld } from "#/features/spending/spending.fixture.ts";
import { proposeSurplus, setSurplusLimit } from "#/features/spending/surplus.ts";
import { staffLookups } from "#/features/staff/identity-lookups.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { withSystem, withTenant } from "#/platform/db/tenant.ts";
import { formatPounds, pence } from "#/platform/money/pence.ts";
import { createApiToken } from "#/platform/web/api-tokens.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";

const SECOND_FINANCE_OFFICER = "finance.officer.2@demo.upfront.test";

import { InjectBrowser, pageText } from "../../../test/inject-browser.ts";

/**
 * Spending pages and API (Upfront issue 6): the card-feed upload refuses a bad file whole with its row numbers
 * and imports a good one once ("0 new, N already imported" the second time); the same over
 * POST /api/v1/card-feeds; budget balances and transfers over /api/v1/budgets with an Idempotency-Key; a
 * surplus recovery waits for a finance officer's approval on /surplus.
 */

const HEADER = "card_id,transaction_id,date_time,type,status,amount,merchant_name,mcc";

describe.each(enginesUnderTest())("spending pages and API on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let finance: ServiceContext;
  let budget: PersonalBudget;
  let token: string;
  let opening: number;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    ({ finance, budget } = await spendingWorld(database));
    await fund(finance, budget, 48_000, "first");
    opening = (await inTenant(finance, (t) =>
      accountByCodeIn(t, budgetAccountCode(budget.budgetId, "direct_payment")),
    ))!.balance;
    token = await withTenant(
      database.db,
      finance.scope,
      async (tx) => (await createApiToken(tx, staffLookups, finance.scope.actor.id!, "test")).token,
    );
    app = await buildTestApp(database, { cookieSecure: true });
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const api = (method: "GET" | "POST", url: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });
  const transferCount = async () =>
    Number(
      (
        await withSystem(database.db, (trx) =>
          trx
            .selectFrom("ledger_transfers")
            .select((e) => e.fn.countAll().as("n"))
            .executeTakeFirstOrThrow(),
        )
      ).n,
    );

  it("rule (issue 6): the upload page refuses a file with bad rows whole, listing each row, then imports a good file once", async () => {
    const staff = await new InjectBrowser(app).signIn("finance_officer");
    expect((await staff.get("/spending/card-feeds")).statusCode).toBe(200);
    const before = await transferCount();
    const bad = await staff.postMultipart("/spending/card-feeds", [
      { name: "layout", value: "upfront" },
      { name: "cashWithdrawalsPermitted", value: "no" },
      {
        name: "feedFile",
        fileName: "bad.csv",
        contentType: "text/csv",
        value: [
          HEADER,
          "DP-0001,P-1,2026-11-02T10:00:00,purchase,settled,-5,Town Taxis,4121",
          "DP-0001,P-2,2026-11-02T10:00:00,purchase,settled,abc,Town Taxis,4121",
        ].join("\n"),
      },
    ]);
    expect(bad.statusCode).toBe(400);
    const text = pageText(bad.body);
    expect(text).toContain("Nothing was imported");
    expect(text).toMatch(/Row 2/);
    expect(text).toMatch(/Row 3/);
    expect(await transferCount()).toBe(before);

    const good = [HEADER, "DP-0001,P-3,2026-11-02T10:00:00,purchase,settled,5.00,Town Taxis,4121"].join("\n");
    const parts = [
      { name: "layout", value: "detect" },
      { name: "cashWithdrawalsPermitted", value: "no" },
      { name: "feedFile", fileName: "good.csv", contentType: "text/csv", value: good },
    ];
    expect(pageText((await staff.postMultipart("/spending/card-feeds", parts)).body)).toContain(
      "1 new, 0 already imported",
    );
    expect(pageText((await staff.postMultipart("/spending/card-feeds", parts)).body)).toContain(
      "0 new, 1 already imported",
    );
    expect(await transferCount()).toBe(before + 1);
  });

  it("rule (issue 6): POST /api/v1/card-feeds imports all or nothing, and the same file twice adds nothing", async () => {
    const csv = [HEADER, "DP-0001,Q-1,2026-11-03T10:00:00,purchase,settled,7.00,Town Taxis,4121"].join("\n");
    const first = await api("POST", "/card-feeds", { csv, layout: "upfront" });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ newCount: 1, alreadyCount: 0 });
    const again = await api("POST", "/card-feeds", { csv, layout: "upfront" });
    expect(again.statusCode).toBe(200);
    expect(again.json().summary).toBe("0 new, 1 already imported");
    const bad = await api("POST", "/card-feeds", {
      csv: `${csv}\nDP-0001,Q-2,not a date,purchase,settled,1.00,X,4121`,
      layout: "upfront",
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain("Row 3");
    const spends = await api("GET", `/spends?budgetId=${budget.budgetId}`);
    expect(spends.statusCode).toBe(200);
    expect(spends.json().some((s: { payeeName: string }) => s.payeeName === "Town Taxis")).toBe(true);
  });

  it("rule (issue 6): /api/v1/budgets/{id} gives the balance per deployment; transfers carry an Idempotency-Key and replay", async () => {
    const balance = await api("GET", `/budgets/${budget.budgetId}`);
    expect(balance.statusCode).toBe(200);
    const dp = balance.json().accounts.find((a: { deployment: string }) => a.deployment === "direct_payment");
    expect(dp.account.balancePence).toBe(opening - 500 - 700);
    const payee = await ensureAccount(finance, { code: "payee:provider:chris", kind: "payee" });
    const body = {
      deployment: "direct_payment",
      creditAccountId: payee.accountId,
      amountPence: 1_000,
      code: "spend",
    };
    expect((await api("POST", `/budgets/${budget.budgetId}/transfers`, body)).statusCode).toBe(400);
    const made = await api("POST", `/budgets/${budget.budgetId}/transfers`, body, {
      "idempotency-key": "pa-week-47",
    });
    expect(made.statusCode).toBe(201);
    const replay = await api("POST", `/budgets/${budget.budgetId}/transfers`, body, {
      "idempotency-key": "pa-week-47",
    });
    expect(replay.statusCode).toBe(200);
    expect(replay.headers["idempotent-replayed"]).toBe("true");
    expect(replay.json().transferId).toBe(made.json().transferId);
    const clash = await api(
      "POST",
      `/budgets/${budget.budgetId}/transfers`,
      { ...body, amountPence: 2_000 },
      { "idempotency-key": "pa-week-47" },
    );
    expect(clash.statusCode).toBe(409);
    const statement = await api("GET", `/budgets/${budget.budgetId}/statement`);
    expect(statement.statusCode).toBe(200);
    const lines = statement
      .json()
      .statements.find((s: { deployment: string }) => s.deployment === "direct_payment").statement.lines;
    expect(lines.at(-1).balanceAfterPence).toBe(opening - 500 - 700 - 1_000);
    const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
    for (const path of [
      "/budgets/{budgetId}",
      "/budgets/{budgetId}/transfers",
      "/budgets/{budgetId}/statement",
      "/spends",
      "/card-feeds",
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });

  it("rule (issues 6 and 13): a proposed surplus waits on /surplus for two finance officers, and only then is taken", async () => {
    await setSurplusLimit(finance, { validFrom: "2026-11-01", weeks: 0, source: "Test policy" });
    const dpBalance = async () =>
      (await api("GET", `/budgets/${budget.budgetId}`))
        .json()
        .accounts.find((a: { deployment: string }) => a.deployment === "direct_payment").account.balancePence;
    const before = await dpBalance();
    const { recovery } = await proposeSurplus(finance, budget.budgetId);
    const staff = await new InjectBrowser(app).signIn("finance_officer");
    const list = await staff.get("/surplus");
    expect(pageText(list.body)).toContain(formatPounds(pence(recovery!.amountPence)));
    const noReason = await staff.post(`/surplus/${recovery!.recoveryId}`, { decision: "reject" });
    expect(noReason.statusCode).toBe(400);
    expect(await dpBalance()).toBe(before);
    const first = await staff.post(`/surplus/${recovery!.recoveryId}`, { decision: "approve" });
    expect(first.statusCode).toBe(303);
    expect(await dpBalance()).toBe(before);
    expect(pageText((await staff.get("/surplus")).body)).toContain("You gave the first approval");
    const again = await staff.post(`/surplus/${recovery!.recoveryId}`, { decision: "approve" });
    expect(again.statusCode).toBe(400);
    expect(pageText(again.body)).toContain("a second finance officer must approve it");
    const other = await new InjectBrowser(app, { ip: "127.0.0.61" }).signInAs(SECOND_FINANCE_OFFICER);
    expect(pageText((await other.get("/surplus")).body)).toContain(
      "It needs your approval as the second finance officer",
    );
    const approved = await other.post(`/surplus/${recovery!.recoveryId}`, { decision: "approve" });
    expect(approved.statusCode).toBe(303);
    expect(await dpBalance()).toBe(before - recovery!.amountPence);
  });
});
