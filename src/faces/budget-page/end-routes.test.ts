import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareRun } from "#/features/payments/run.ts";
import { secondBudget, spendingWorld, staffCtx, TODAY } from "#/features/spending/spending.fixture.ts";
import { staffLookups } from "#/features/staff/identity-lookups.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { withSystem, withTenant } from "#/platform/db/tenant.ts";
import { createApiToken } from "#/platform/web/api-tokens.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { errorSummaryLinks, InjectBrowser, location, pageText } from "../../../test/inject-browser.ts";

/**
 * Ending a budget and the money to recover, as staff see them (Upfront issue 6). A team manager ends the demo
 * person's budget from their budget page: a form (why; the last day it pays for), errors in a GOV.UK error
 * summary with nothing written, a confirmation page that says what will happen, then the budget page with a
 * success message. Roles without budgets:end are refused. The next payment run records the money paid for days
 * after the end; a finance officer sees it on the budget page and records it recovered (a write-off needs a
 * reason). The API ends a budget with a checked body and problem+json errors, and is in the OpenAPI document.
 * The demo's budget starts on 26 October 2026 and is paid 4-weekly in advance from that day.
 */

describe.each(enginesUnderTest())("ending a budget on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let finance: ServiceContext;
  let personId: string;
  let budgetId: string;

  const budgetRow = (id: string) =>
    withSystem(database.db, (trx) =>
      trx
        .selectFrom("personal_budgets")
        .select(["status", "end_date", "end_reason"])
        .where("budget_id", "=", id)
        .executeTakeFirstOrThrow(),
    );
  const endEvents = async () =>
    Number(
      (
        await withSystem(database.db, (trx) =>
          sql<{ n: string }>`SELECT count(*) AS n FROM audit_events WHERE action = 'end'`.execute(trx),
        )
      ).rows[0]!.n,
    );

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    const world = await spendingWorld(database);
    finance = world.finance;
    personId = world.personId;
    budgetId = world.budget.budgetId;
    // Two 4-weekly periods paid in advance: 26 October – 22 November and 23 November – 20 December.
    await prepareRun({ ...finance, today: "2026-11-19" }, { date: TODAY });
    app = await buildTestApp(database, { cookieSecure: true });
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("rule (issue 6): roles without budgets:end see no way to end a budget and are refused (403), nothing written", async () => {
    const worker = await new InjectBrowser(app).signIn("social_worker");
    const page = await worker.get(`/people/${personId}/budget`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain("End this budget");
    expect((await worker.get(`/people/${personId}/budget/end`)).statusCode).toBe(403);
    const refused = await worker.post(`/people/${personId}/budget/end/confirm`, {
      budgetId,
      reason: "died",
      endDate: "2026-12-06",
    });
    expect(refused.statusCode).toBe(403);
    const financeOfficer = await new InjectBrowser(app).signIn("finance_officer");
    expect((await financeOfficer.get(`/people/${personId}/budget/end`)).statusCode).toBe(403);
    expect((await budgetRow(budgetId)).status).toBe("live");
  });

  it("rule (issue 6): wrong answers come back in an error summary, with what to fix, and nothing is ended", async () => {
    const manager = await new InjectBrowser(app).signIn("team_manager");
    const budgetPage = await manager.get(`/people/${personId}/budget`);
    expect(budgetPage.body).toMatch(/href="\/people\/[^"]+\/budget\/end"[^>]*>End this budget</);
    const form = await manager.get(`/people/${personId}/budget/end`);
    expect(form.statusCode).toBe(200);
    const text = pageText(form.body);
    for (const label of [
      "Support is no longer needed",
      "The person has died",
      "The person moved to another council",
      "Other",
    ])
      expect(text).toContain(label);

    let res = await manager.post(`/people/${personId}/budget/end`, { budgetId });
    expect(res.statusCode).toBe(400);
    expect(errorSummaryLinks(res.body)).toEqual([
      { href: "#reason", text: "Select why the budget is ending" },
      { href: "#endDate-day", text: "Enter the last day the budget pays for" },
    ]);

    const answers = (day: string, month: string, year: string) => ({
      budgetId,
      reason: "support_ended",
      "endDate-day": day,
      "endDate-month": month,
      "endDate-year": year,
    });
    res = await manager.post(`/people/${personId}/budget/end`, answers("31", "2", "2027"));
    expect(res.statusCode).toBe(400);
    expect(errorSummaryLinks(res.body)).toEqual([
      { href: "#endDate-day", text: "The last day the budget pays for must be a real date" },
    ]);
    expect(res.body).toContain('value="support_ended" checked');

    res = await manager.post(`/people/${personId}/budget/end`, answers("1", "10", "2026"));
    expect(res.statusCode).toBe(400);
    expect(errorSummaryLinks(res.body)).toEqual([
      { href: "#endDate-day", text: "The end date cannot be before the budget starts on 26 October 2026" },
    ]);

    res = await manager.post(`/people/${personId}/budget/end/confirm`, {
      budgetId,
      reason: "bored",
      endDate: "2026-12-06",
    });
    expect(res.statusCode).toBe(409);
    expect(pageText(res.body)).toContain("There is a problem");
    expect((await budgetRow(budgetId)).status).toBe("live");
    expect(await endEvents()).toBe(0);
  });

  it("rule (issue 6): a team manager ends the budget after a page that says what will happen; the budget page says it has ended", async () => {
    const manager = await new InjectBrowser(app).signIn("team_manager");
    await manager.get(`/people/${personId}/budget/end`);
    const check = await manager.post(`/people/${personId}/budget/end`, {
      budgetId,
      reason: "died",
      "endDate-day": "6",
      "endDate-month": "12",
      "endDate-year": "2026",
    });
    expect(check.statusCode).toBe(200);
    const text = pageText(check.body);
    expect(text).toContain("Check before you end the budget");
    expect(text).toContain("The person has died");
    expect(text).toContain("No payments will be made for any day after 6 December 2026");
    expect(text).toContain(
      "Payments have already been made for days up to 20 December 2026. What was paid for 7 December 2026 to 20 December 2026 will be worked out as money to recover at the next payment run",
    );
    expect(text).toContain("Reviews of this budget stop");
    expect((await budgetRow(budgetId)).status).toBe("live"); // nothing yet

    const forged = await manager.post(
      `/people/${personId}/budget/end/confirm`,
      { budgetId, reason: "died", endDate: "2026-12-06" },
      { csrf: false },
    );
    expect(forged.statusCode).toBe(403);
    expect((await budgetRow(budgetId)).status).toBe("live");

    const done = await manager.post(`/people/${personId}/budget/end/confirm`, {
      budgetId,
      reason: "died",
      endDate: "2026-12-06",
    });
    expect(done.statusCode).toBe(303);
    expect(location(done)).toBe(`/people/${personId}/budget?saved=ended`);
    expect(await budgetRow(budgetId)).toEqual({
      status: "ended",
      end_date: "2026-12-06",
      end_reason: "died",
    });
    expect(await endEvents()).toBe(1);
    const after = pageText((await manager.get(location(done))).body);
    expect(after).toContain("The budget has ended");
    expect(after).toContain("Payments stop after 6 December 2026");
    expect(after).toContain("This budget ended on 6 December 2026. Reason: The person has died");
    expect(after).not.toContain("End this budget");
    expect(after).toContain(
      "Imani's personal budget ended on 6 December 2026. Nothing is paid for the days after that.",
    );

    const twice = await manager.post(`/people/${personId}/budget/end/confirm`, {
      budgetId,
      reason: "died",
      endDate: "2026-12-06",
    });
    expect(twice.statusCode).toBe(409);
    expect(pageText(twice.body)).toContain("This budget has already ended (on 6 December 2026)");
    expect(await endEvents()).toBe(1);
  });

  it("rule (issue 6): the next payment run shows the money to recover; a finance officer records it recovered, and a write-off needs a reason", async () => {
    const run = await prepareRun(finance, { date: "2026-11-25" });
    expect(run.debtsRecorded).toBeGreaterThan(0);
    const officer = await new InjectBrowser(app).signIn("finance_officer");
    const page = await officer.get(`/people/${personId}/budget`);
    const text = pageText(page.body);
    expect(text).toContain("Money to recover");
    expect(text).not.toContain("Check for surplus"); // an ended budget holds nothing to recover as surplus
    expect(text).toContain("23 November 2026 to 20 December 2026");
    expect(text).toContain("To recover");
    const links = [...page.body.matchAll(/href="(\/people\/[^"]+\/debts\/[0-9a-f-]{36})"/g)].map(
      (m) => m[1]!,
    );
    expect(links.length).toBe(run.debtsRecorded);
    // Finance's /payments page lists the same debts, each linking to its page under the person's name.
    const payments = await officer.get("/payments");
    for (const link of links) expect(payments.body).toContain(`href="${link}"`);
    const [href, other] = links as [string, string];

    const manager = await new InjectBrowser(app).signIn("team_manager");
    expect((await manager.get(href)).statusCode).toBe(403);
    expect((await manager.post(`${href}/recovered`)).statusCode).toBe(403);

    await officer.get(href);
    const noReason = await officer.post(`${href}/write-off`, { reason: " " });
    expect(noReason.statusCode).toBe(400);
    expect(errorSummaryLinks(noReason.body)).toEqual([
      { href: "#reason", text: "Say why this money will not be recovered" },
    ]);

    const recovered = await officer.post(`${href}/recovered`);
    expect(recovered.statusCode).toBe(303);
    const after = pageText((await officer.get(location(recovered))).body);
    expect(after).toContain("The money has been recorded as recovered");
    expect(after).toContain("Recovered");
    await officer.get(href);
    const writeOff = await officer.post(`${href}/write-off`, { reason: "Changed my mind" });
    expect(writeOff.statusCode).toBe(409);
    expect(pageText(writeOff.body)).toContain("This money has already been recorded as recovered");

    await officer.get(other);
    const writtenOff = await officer.post(`${other}/write-off`, {
      reason: "Under the council's £200 threshold",
    });
    expect(writtenOff.statusCode).toBe(303);
    const last = pageText((await officer.get(location(writtenOff))).body);
    expect(last).toContain("The money has been written off");
    expect(last).toContain("Written off Under the council's £200 threshold");
  });

  it("rule (issue 6): POST /api/v1/budgets/{id}/end checks its body (problem+json), needs budgets:end, ends the budget once, and is in the OpenAPI document", async () => {
    const second = await secondBudget(database);
    const token = async (role: string) => {
      const ctx = await staffCtx(database, role);
      return withTenant(
        database.db,
        ctx.scope,
        async (tx) => (await createApiToken(tx, staffLookups, ctx.scope.actor.id!, "test")).token,
      );
    };
    const manager = await token("team_manager");
    const worker = await token("social_worker");
    const end = (id: string, body: unknown, bearer = manager) =>
      app.inject({
        method: "POST",
        url: `/api/v1/budgets/${id}/end`,
        headers: { authorization: `Bearer ${bearer}` },
        payload: body as object,
      });

    expect((await end(second.budgetId, { endDate: "2027-01-31", reason: "died" }, worker)).statusCode).toBe(
      403,
    );
    const bad = await end(second.budgetId, { endDate: "2027-02-30", reason: "bored", note: "x" });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect((bad.json().errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      "endDate",
      "note",
      "reason",
    ]);
    expect((await end(crypto.randomUUID(), { endDate: "2027-01-31", reason: "moved_away" })).statusCode).toBe(
      404,
    );
    expect((await budgetRow(second.budgetId)).status).toBe("live");

    const ok = await end(second.budgetId, { endDate: "2027-01-31", reason: "moved_away" });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      budgetId: second.budgetId,
      status: "ended",
      endDate: "2027-01-31",
      endReason: "moved_away",
    });
    const again = await end(second.budgetId, { endDate: "2027-01-31", reason: "moved_away" });
    expect(again.statusCode).toBe(400);
    expect(again.json().errors).toEqual([
      { path: "budgetId", message: "This budget has already ended (on 31 January 2027)" },
    ]);

    const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
    const op = doc.paths["/budgets/{budgetId}/end"].post;
    expect(op.operationId).toBe("endBudget");
    expect(op.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/EndBudget",
    });
    expect(Object.keys(doc.components.schemas.EndBudget.properties).sort()).toEqual(["endDate", "reason"]);
  });
});
