import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetAccountCode } from "#/features/budgets/accounts.ts";
import { accountByCodeIn } from "#/features/ledger/service.ts";
import { prepareRun } from "#/features/payments/run.ts";
import { importCardFeed } from "#/features/spending/card-import.ts";
import { fund, spendingWorld, staffCtx } from "#/features/spending/spending.fixture.ts";
import { inTenant } from "#/platform/context.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { formatPounds, pence } from "#/platform/money/pence.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { InjectBrowser, pageText } from "../../../test/inject-browser.ts";

/**
 * The budget page (Upfront issue 6, "Monitoring and the person's view"): staff and the budget holder see the
 * balance per deployment as a table and as a chart with a text alternative, the alerts and the statement; the
 * holder uploads a receipt (checked by content) and downloads it as an attachment that is never sniffed.
 */

const PDF = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

describe.each(enginesUnderTest())("budget pages on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let personId: string;
  let holderEmail: string;
  let balance: string;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    const world = await spendingWorld(database);
    personId = world.personId;
    await fund(world.finance, world.budget, 48_000, "first");
    await importCardFeed(world.finance, {
      fileName: "nov.csv",
      text: [
        "card_id,transaction_id,date_time,type,status,amount,merchant_name,mcc",
        "DP-0001,T-1,2026-11-02T10:15:00,purchase,settled,36.00,Riverside Swimming Club,7997",
        "DP-0001,T-2,2026-11-20T20:10:00,purchase,settled,14.20,The Red Lion,5813",
      ].join("\n"),
      layout: "upfront",
      cashWithdrawalsPermitted: false,
    });
    const dp = await inTenant(world.finance, (t) =>
      accountByCodeIn(t, budgetAccountCode(world.budget.budgetId, "direct_payment")),
    );
    balance = formatPounds(pence(dp!.balance));
    holderEmail = (
      await withSystem(database.db, (trx) =>
        trx
          .selectFrom("person_accounts")
          .select("email")
          .where("person_id", "=", personId)
          .executeTakeFirstOrThrow(),
      )
    ).email!;
    app = await buildTestApp(database, { cookieSecure: true });
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("rule (issue 6): the staff budget page shows the balance per deployment as a table and a chart with a text alternative", async () => {
    const staff = await new InjectBrowser(app).signIn("finance_officer");
    const res = await staff.get(`/people/${personId}/budget`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<svg[^>]*role="img"/);
    expect(res.body).toMatch(/<svg[^>]*aria-label="Bar chart of the budget/);
    expect(res.body).toContain('id="budget-table"');
    const text = pageText(res.body);
    expect(text).toMatch(
      new RegExp(`Direct payment (£[0-9.,]+ going through )?${balance.replace(/[.$]/g, (c) => `\\${c}`)}`),
    );
    expect(text).toContain("Card payment to Riverside Swimming Club");
    expect(text).toContain("Spending outside the plan"); // The Red Lion is a pub: no plan line
  });

  it("rule (issue 6): the budget holder sees their balance and statement, uploads a receipt and downloads it as an attachment", async () => {
    const me = new InjectBrowser(app);
    expect((await me.signInPerson(holderEmail)).statusCode).toBe(303);
    const page = await me.get(`/my/people/${personId}/budget`);
    expect(page.statusCode).toBe(200);
    expect(pageText(page.body)).toContain("Your budget");
    expect(pageText(page.body)).toContain(balance);
    const spendId = /<option value="([0-9a-f-]{36})"/.exec(page.body)![1]!;

    const refused = await me.postMultipart(`/my/people/${personId}/receipts`, [
      { name: "spendId", value: spendId },
      {
        name: "receipt",
        value: "<html><body>hello</body></html>",
        fileName: "photo.jpg",
        contentType: "image/jpeg",
      },
    ]);
    expect(refused.statusCode).toBe(400);
    expect(pageText(refused.body)).toContain("There is a problem");
    expect(pageText(refused.body)).toContain("web page");

    const ok = await me.postMultipart(`/my/people/${personId}/receipts`, [
      { name: "spendId", value: spendId },
      { name: "receipt", value: PDF, fileName: "receipt.pdf", contentType: "application/pdf" },
    ]);
    expect(ok.statusCode).toBe(303);
    const after = await me.get(ok.headers.location as string);
    const href = /href="(\/my\/people\/[^"]+\/receipts\/[0-9a-f-]{36})"/.exec(after.body)![1]!;
    const file = await me.get(href);
    expect(file.statusCode).toBe(200);
    expect(file.headers["content-type"]).toBe("application/pdf");
    expect(file.headers["content-disposition"]).toMatch(/^attachment; filename="receipt.pdf"/);
    expect(file.headers["x-content-type-options"]).toBe("nosniff");
    expect(file.body).toBe(PDF);

    // Staff download the same receipt from the staff side.
    const staff = await new InjectBrowser(app).signIn("finance_officer");
    const staffFile = await staff.get(href.replace(/^\/my\/people/, "/people"));
    expect(staffFile.statusCode).toBe(200);
  });

  it("rule (issue 12): the holder's budget statement at /my is in date order, money in and out from their side, with the balance run in that order", async () => {
    const me = new InjectBrowser(app);
    await me.signInPerson(holderEmail);
    const page = await me.get(`/my/people/${personId}/budget`);
    const section = /<h2[^>]*id="statement"[\s\S]*?<h2[^>]*id="receipts"/.exec(page.body)![0];
    const rows = [...section.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)]
      .map((m) => [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => pageText(c[1]!).trim()))
      .filter((cells) => cells.length === 5);
    expect(rows.length).toBeGreaterThan(4);
    // Date order: each row's date (in words) is on or after the one before.
    const days = rows.map((r) => Date.parse(`${r[0]} 12:00 UTC`));
    expect(days.every((d) => !Number.isNaN(d))).toBe(true);
    expect(days).toEqual([...days].sort((a, b) => a - b));
    // A payment from the council is money in; a card payment is money out.
    const fromCouncil = rows.filter((r) => r[1] === "Payment from the council");
    expect(fromCouncil.length).toBeGreaterThan(0);
    for (const r of fromCouncil) expect([r[2] !== "", r[3]]).toEqual([true, ""]);
    const swim = rows.find((r) => r[1] === "Card payment to Riverside Swimming Club")!;
    expect([swim[2], swim[3]]).toEqual(["", "£36.00"]);
    // The running balance, worked out again in date order.
    const amount = (s: string) => (s ? Math.round(Number(s.replace(/[£,]/g, "")) * 100) : 0);
    let balance = amount(rows[0]![4]!) - amount(rows[0]![2]!) + amount(rows[0]![3]!);
    for (const r of rows) {
      balance += amount(r[2]!) - amount(r[3]!);
      expect(amount(r[4]!), r.join(" | ")).toBe(balance);
    }
  });

  it("rule (issue 12): the holder's /my pages use no internal words (funding, deployment, stream), after a payment run too", async () => {
    // A payment run writes the council's money in as "funding" and sends the direct payment on as "payment".
    // A week ahead: far enough for Bacs (the run refuses a pay date sooner than its cycle allows).
    const made = await prepareRun(await staffCtx(database, "finance_officer"), { date: "2026-11-30" });
    expect(made.made).toBeGreaterThan(0);
    const me = new InjectBrowser(app);
    await me.signInPerson(holderEmail);
    for (const url of ["/my", `/my/people/${personId}/budget`, `/my/people/${personId}/statement`]) {
      const res = await me.get(url);
      expect(res.statusCode, url).toBe(200);
      const main = /<main[\s\S]*<\/main>/.exec(res.body)![0];
      expect(pageText(main), url).not.toMatch(/funding|deployment|\bstream/i);
    }
    const budget = pageText((await me.get(`/my/people/${personId}/budget`)).body);
    expect(budget).toContain("Payment from the council");
    expect(budget).toContain("Paid into your bank account");
  });

  it("rule (issue 6): another person's budget page is not found for the budget holder", async () => {
    const me = new InjectBrowser(app);
    await me.signInPerson(holderEmail);
    const other = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("people")
        .select("person_id")
        .where("person_id", "!=", personId)
        .executeTakeFirstOrThrow(),
    );
    expect((await me.get(`/my/people/${other.person_id}/budget`)).statusCode).toBe(404);
  });
});
