import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditQueueOn } from "#/features/dp-audits/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { buildTestApp, staffScope } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import {
  emailOf,
  errorSummaryLinks,
  InjectBrowser,
  location,
  pageText,
} from "../../../test/inject-browser.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * The direct-payment audit pages through app.inject on the demo council: the finance officer's queue (the planted
 * cases, highest risk first), opening an audit of person2's budget (the pub spend), a decision refused with an
 * error summary naming what to fix and then recorded as advice; person2 reads it at /my and replies once (CSRF
 * form, no JavaScript); the officer sees the reply. The settings page shows the defaults' sources and saves a
 * new version, refusing a bad one field by field.
 */

describe.each(enginesUnderTest())("direct-payment audit pages on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let finance: ServiceContext;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database);
    finance = {
      db: database.appDb,
      scope: await staffScope(database, emailOf("finance_officer")),
      today: TODAY,
    };
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("shows the queue by risk, opens an audit, refuses a decision with what to fix, then records advice the person replies to at /my", async () => {
    const queue = await auditQueueOn(finance);
    const pub = queue.flagged.find((e) => e.findings.some((f) => f.kind === "blocked_merchant"))!;

    const officer = new InjectBrowser(app);
    await officer.signIn("finance_officer");
    const page = await officer.get("/dp-audits");
    expect(page.statusCode).toBe(200);
    const words = pageText(page.body);
    for (const e of queue.flagged) expect(words).toContain(e.personName);
    expect(words.indexOf(queue.flagged[0]!.personName)).toBeLessThan(
      words.indexOf(queue.flagged[3]!.personName),
    );
    expect(words).toMatch(/Cash taken out with no receipt/);
    expect(words).toMatch(/Paid to someone the plan does not include/);
    expect(words).toMatch(/Surplus above the limit/);

    const opened = await officer.post("/dp-audits", { budgetId: pub.budgetId });
    expect(opened.statusCode).toBe(303);
    const auditUrl = location(opened);
    expect(auditUrl).toMatch(/^\/dp-audits\/[0-9a-f-]{36}$/);
    const record = await officer.get(auditUrl);
    expect(pageText(record.body)).toMatch(/Card spending at a blocked merchant.*The Red Lion/);

    const refused = await officer.post(auditUrl, { outcome: "repayment_request", repayment: "" });
    expect(refused.statusCode).toBe(400);
    expect(errorSummaryLinks(refused.body)).toEqual([
      { href: "#repayment", text: "Give the amount to repay" },
    ]);
    const noOutcome = await officer.post(auditUrl, {});
    expect(errorSummaryLinks(noOutcome.body)[0]).toEqual({
      href: "#outcome",
      text: "Choose the outcome of the audit",
    });

    const advised = await officer.post(auditUrl, {
      outcome: "advice",
      explanation: "Bought a drink on a day out with my assistant",
      note: "Please keep the card for your support; pay for your own drinks with your own money.",
    });
    expect(advised.statusCode).toBe(303);
    expect(pageText((await officer.get(location(advised))).body)).toMatch(
      /Advice to the person.*No reply yet/,
    );

    const person = new InjectBrowser(app);
    expect((await person.signInPerson("person2@demo.upfront.test")).statusCode).toBe(303);
    const home = await person.get("/my");
    const auditId = auditUrl.split("/").at(-1)!;
    const link = `/my/people/${pub.personId}/audits/${auditId}`;
    expect(home.body).toContain(`href="${link}"`);
    const request = await person.get(link);
    expect(request.statusCode).toBe(200);
    expect(pageText(request.body)).toMatch(/pay for your own drinks/);
    const empty = await person.post(link, { reply: "  " });
    expect(empty.statusCode).toBe(400);
    expect(errorSummaryLinks(empty.body)).toEqual([{ href: "#reply", text: "Write your reply" }]);
    expect((await person.post(link, { reply: "Sorry" }, { csrf: false })).statusCode).toBe(403);
    const sent = await person.post(link, { reply: "Understood: it will not happen again." });
    expect(sent.statusCode).toBe(303);
    expect(pageText((await person.get(location(sent))).body)).toMatch(/Your reply.*it will not happen again/);
    expect((await person.post(link, { reply: "Again" })).statusCode).toBe(409);
    expect((await person.get("/my")).body).not.toContain(`href="${link}"`);

    expect(pageText((await officer.get(auditUrl)).body)).toMatch(/it will not happen again/);
  });

  it("recovery: the amount in pounds is checked (typing, at most what the findings show) and the person sees how and when it is taken at /my", async () => {
    // person2's budget (the pub spend), audited again after the advice above.
    const queue = await auditQueueOn(finance);
    const pub = queue.flagged.find((e) => e.findings.some((f) => f.kind === "blocked_merchant"))!;
    const evidenced = pub.findings
      .filter((f) => f.severity === "flag")
      .reduce((n, f) => n + f.atStakePence, 0);
    expect(evidenced).toBeGreaterThan(100);
    const officer = new InjectBrowser(app);
    await officer.signIn("finance_officer");
    const auditUrl = location(await officer.post("/dp-audits", { budgetId: pub.budgetId }));
    expect(pageText((await officer.get(auditUrl)).body)).toMatch(/Amount to recover At most £/);

    const typo = await officer.post(auditUrl, { outcome: "recovery", recovery: "twenty" });
    expect(typo.statusCode).toBe(400);
    expect(errorSummaryLinks(typo.body)).toEqual([
      { href: "#recovery", text: "Give the amount to recover in pounds and pence, like 120.50" },
    ]);
    const tooMuch = await officer.post(auditUrl, {
      outcome: "recovery",
      recovery: String(evidenced / 100 + 1),
    });
    expect(tooMuch.statusCode).toBe(400);
    expect(errorSummaryLinks(tooMuch.body)[0]!.text).toMatch(/^Give an amount to recover of no more than £/);

    const recovered = await officer.post(auditUrl, { outcome: "recovery", recovery: "1.00" });
    expect(recovered.statusCode).toBe(303);
    const decided = pageText((await officer.get(location(recovered))).body);
    expect(decided).toMatch(/To recover £1\.00/);
    expect(decided).toMatch(/From future payments £1\.00 taken off the person's next direct payments/);

    const person = new InjectBrowser(app);
    await person.signInPerson("person2@demo.upfront.test");
    const link = `/my/people/${pub.personId}/audits/${auditUrl.split("/").at(-1)}`;
    expect((await person.get("/my")).body).toContain(`href="${link}"`);
    const seen = await person.get(link);
    expect(seen.statusCode).toBe(200);
    const words = pageText(seen.body);
    expect(words).toMatch(/The council is taking back £1\.00/);
    expect(words).toMatch(
      /£1\.00 taken off your next direct payments, starting with the payment on \d{1,2} [A-Z][a-z]+ \d{4}\./,
    );
    expect(seen.body).not.toContain('name="reply"');
  });

  it("someone else's audit is 'Page not found' at /my", async () => {
    const queue = await auditQueueOn(finance);
    const cash = queue.flagged.find((e) => e.findings.some((f) => f.kind === "cash_without_receipt"))!;
    const person = new InjectBrowser(app);
    await person.signInPerson("person2@demo.upfront.test");
    const other = await person.get(`/my/people/${cash.personId}/audits/00000000-0000-7000-8000-000000000000`);
    expect(other.statusCode).toBe(404);
  });

  it("settings: the defaults with their sources; a bad version refused field by field; a good one saved", async () => {
    const admin = new InjectBrowser(app);
    await admin.signIn("administrator");
    const page = await admin.get("/admin/dp-audits");
    expect(page.statusCode).toBe(200);
    expect(pageText(page.body)).toMatch(/St Helens/);
    expect(pageText(page.body)).toMatch(/\[UNCONFIRMED\]/);
    const fields = {
      surplusAboveWeeks: "8",
      surplusWarnBelowWeeks: "4",
      blockedMccs: "5813, 7995",
      cashMccs: "6010 6011",
      noEvidenceWeeks: "13",
      contributionOverdueDays: "28",
      firstReviewFromWeeks: "6",
      firstReviewByWeeks: "12",
      thenEveryMonths: "12",
      annualOpensWeeksBefore: "6",
      repaymentDays: "14",
      "validFrom-day": "1",
      "validFrom-month": "4",
      "validFrom-year": "2027",
      reason: "Direct payments policy 2027",
    };
    const bad = await admin.post("/admin/dp-audits", {
      ...fields,
      surplusWarnBelowWeeks: "9",
      blockedMccs: "58",
    });
    expect(bad.statusCode).toBe(400);
    expect(errorSummaryLinks(bad.body).map((l) => l.href)).toEqual([
      "#surplusWarnBelowWeeks",
      "#blockedMccs",
    ]);
    const saved = await admin.post("/admin/dp-audits", fields);
    expect(saved.statusCode).toBe(303);
    expect(location(saved)).toBe("/admin/dp-audits?saved=1");
  });
});
