import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getFinancialAssessment } from "#/features/charging/service.ts";
import { type TenantScope, withSystem } from "#/platform/db/tenant.ts";
import { DEMO_FIGURES_SOURCE } from "#/seed/charging-seed.ts";
import { buildTestApp } from "../../../test/app.ts";
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
 * The finance officer's pages through app.inject over the seeded demo council: start a financial assessment
 * from a person's charging page, answer every page (and get bad answers back with GOV.UK errors, nothing
 * saved), add and remove entries without JavaScript, check, complete, and read the result with every step's
 * rule and source; who may do what; and the money statement.
 */

describe.each(enginesUnderTest())("financial assessment pages on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let financeScope: TenantScope;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database);
    const finance = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("staff_users")
        .where("email", "=", emailOf("finance_officer"))
        .select(["tenant_id", "user_id"])
        .executeTakeFirstOrThrow(),
    );
    financeScope = { tenantId: finance.tenant_id, actor: { type: "staff", id: finance.user_id } };
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  // Sign-in is rate limited: one signed-in browser per role for the whole file.
  const browsers = new Map<string, Promise<InjectBrowser>>();
  const as = (role: string): Promise<InjectBrowser> => {
    if (!browsers.has(role)) browsers.set(role, new InjectBrowser(app).signIn(role));
    return browsers.get(role)!;
  };

  /** A demo person with an indicative budget and no financial assessment yet. */
  async function personWithBudget(skip = 0): Promise<{ personId: string; weeklyPence: number }> {
    const rows = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("people as p")
        .innerJoin("assessments as a", (j) =>
          j.onRef("a.tenant_id", "=", "p.tenant_id").onRef("a.person_id", "=", "p.person_id"),
        )
        .innerJoin("allocations as l", (j) =>
          j.onRef("l.tenant_id", "=", "a.tenant_id").onRef("l.assessment_id", "=", "a.assessment_id"),
        )
        .where("p.tenant_id", "=", financeScope.tenantId)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom("financial_assessments as f")
                .select("f.person_id")
                .whereRef("f.person_id", "=", "p.person_id")
                .whereRef("f.tenant_id", "=", "p.tenant_id"),
            ),
          ),
        )
        .select(["p.person_id", "l.weekly_pence", "p.reference"])
        .orderBy("p.reference")
        .execute(),
    );
    const row = rows[skip]!;
    return { personId: row.person_id, weeklyPence: row.weekly_pence };
  }

  async function start(browser: InjectBrowser, personId: string): Promise<string> {
    const page = await browser.get(`/people/${personId}/charging`);
    expect(page.statusCode).toBe(200);
    const res = await browser.post(`/people/${personId}/financial-assessments`);
    expect(res.statusCode).toBe(303);
    const id = /^\/financial-assessments\/([0-9a-f-]{36})\/about$/.exec(location(res))?.[1];
    expect(id, location(res)).toBeDefined();
    return id!;
  }

  const about = (changes: Record<string, string> = {}) => ({
    "appliesFrom-day": "1",
    "appliesFrom-month": "12",
    "appliesFrom-year": "2026",
    reachedPensionCreditAge: "no",
    route: "full",
    ...changes,
  });

  it("journey: a full financial assessment, page by page, to a result with every step's rule and source, and the money statement", async () => {
    const browser = await as("finance_officer");
    const { personId, weeklyPence } = await personWithBudget();
    let res = await browser.get("/charging");
    expect(res.statusCode).toBe(200);
    expect(pageText(res.body)).toContain("Financial assessments");
    const id = await start(browser, personId);
    const base = `/financial-assessments/${id}`;

    res = await browser.post(`${base}/about`, about());
    expect(location(res)).toBe(`${base}/circumstances`);
    res = await browser.post(`${base}/circumstances`, {
      couple: "no",
      children: "0",
      premiums: "disability",
    });
    expect(location(res)).toBe(`${base}/incomes`);

    // Add another, without JavaScript: add, add, remove one, then continue.
    res = await browser.post(`${base}/incomes`, {
      type: "employment_and_support_allowance",
      amount: "140.55",
      frequency: "week",
      action: "add",
    });
    expect(location(res)).toBe(`${base}/incomes?added=1`);
    res = await browser.post(`${base}/incomes`, {
      type: "pip_daily_living",
      amount: "434.20",
      frequency: "four_weeks",
      action: "add",
    });
    res = await browser.post(`${base}/incomes`, {
      type: "earnings",
      amount: "50",
      frequency: "week",
      action: "add",
    });
    res = await browser.get(`${base}/incomes`);
    expect(pageText(res.body)).toMatch(
      /Personal Independence Payment \(daily living component\) £434\.20 every 4 weeks \(£108\.55 a week\)/,
    );
    res = await browser.post(`${base}/incomes/2/remove`);
    expect(location(res)).toBe(`${base}/incomes?removed=1`);
    res = await browser.post(`${base}/incomes`, { action: "continue" });
    expect(location(res)).toBe(`${base}/capital`);

    // Continue with something typed adds it first.
    res = await browser.post(`${base}/capital`, { kind: "savings", value: "16,000", action: "continue" });
    expect(location(res)).toBe(`${base}/housing-costs`);
    res = await browser.post(`${base}/housing-costs`, { action: "continue" });
    expect(location(res)).toBe(`${base}/disability-related-expenditure`);
    res = await browser.post(`${base}/disability-related-expenditure`, { kind: "itemised" });
    expect(location(res)).toBe(`${base}/disability-related-expenditure/items`);
    res = await browser.post(`${base}/disability-related-expenditure/items`, {
      description: "Community alarm",
      amount: "4.50",
      frequency: "week",
      action: "continue",
    });
    expect(location(res)).toBe(`${base}/cost-of-care`);

    // The cost of care is the indicative budget, and the page says so.
    res = await browser.get(`${base}/cost-of-care`);
    const costPage = pageText(res.body);
    expect(costPage).toContain(`£${(weeklyPence / 100).toFixed(2)}`);
    // Issue 12: "This is the indicative budget …", not "This is The indicative budget …".
    expect(costPage).toMatch(
      /This is the indicative budget from assessment version \d+, because there is no agreed support plan yet/,
    );
    res = await browser.post(`${base}/cost-of-care`, {});
    expect(location(res)).toBe(`${base}/check-answers`);

    // Check answers: what it comes to, with the demonstration figures named as supplied by the council.
    res = await browser.get(`${base}/check-answers`);
    expect(res.statusCode).toBe(200);
    let page = pageText(res.body);
    expect(page).toContain("What this comes to");
    expect(page).toContain(`Supplied by the council, source: ${DEMO_FIGURES_SOURCE}`);
    expect(page).not.toContain("Earnings from work"); // removed before continuing
    res = await browser.post(`${base}/complete`);
    expect(location(res)).toBe(`${base}?completed=1`);

    res = await browser.get(`${base}?completed=1`);
    page = pageText(res.body);
    expect(page).toContain("Financial assessment completed");
    // £140.55 + £108.55 + £7 tariff − (£120 + £50) MIG − £4.50 DRE = £81.60
    expect(page).toContain("The weekly contribution is £81.60");
    expect(page).toContain("Rounding.");
    expect(page).toContain("Care and Support (Charging and Assessment of Resources) Regulations 2014");
    // A decision page: the council's contact details are on it (issue 11).
    expect(page).toContain("Contact Demo Council");

    const fa = await getFinancialAssessment({ db: database.db, scope: financeScope, today: TODAY }, id);
    expect(fa.status).toBe("completed");
    expect(fa.rulePackIds).toEqual(["england-charging-2026-27"]);
    expect(fa.costOfCareBasis).toBe("indicative_budget");
    expect(fa.weeklyContributionPence).toBe(81_60);

    // A completed one cannot be changed.
    res = await browser.get(`${base}/about`);
    expect(res.statusCode).toBe(409);

    // The money statement shows it.
    res = await browser.get(`/people/${personId}/statement`);
    expect(res.statusCode).toBe(200);
    page = pageText(res.body);
    expect(page).toContain("Your money statement");
    expect(page).toContain("You pay £81.60 a week");
    expect(page).toContain(`Demo Council ${n(weeklyPence - 81_60)}`);
    expect(page).toContain("Employment and Support Allowance");
    // Income to live on £249.10, less £81.60.
    expect(page).toContain("that leaves you £167.50 a week");
    expect(page).toContain("Contact Demo Council");
  });

  const n = (p: number) => `£${(p / 100).toLocaleString("en-GB", { minimumFractionDigits: 2 })}`;

  it("rule: bad answers come back as GOV.UK field errors, each linked to its field, and nothing is saved", async () => {
    const browser = await as("finance_officer");
    const { personId } = await personWithBudget();
    const id = await start(browser, personId);
    const base = `/financial-assessments/${id}`;

    let res = await browser.post(`${base}/about`, {});
    expect(res.statusCode).toBe(400);
    expect(errorSummaryLinks(res.body).map((e) => e.href)).toEqual([
      "#appliesFrom-day",
      "#reachedPensionCreditAge",
      "#route",
    ]);
    expect(res.body).toContain("<title>Error: ");

    // A date no rule pack covers is refused, naming the dates that are covered.
    res = await browser.post(`${base}/about`, about({ "appliesFrom-year": "2023" }));
    expect(res.statusCode).toBe(400);
    expect(pageText(res.body)).toContain(
      "There are no england charging rules for 2023-12-01. The covered dates are 2024-04-01 to 2027-03-31",
    );
    res = await browser.post(`${base}/about`, about({ "appliesFrom-day": "31", "appliesFrom-month": "2" }));
    expect(pageText(res.body)).toContain("must be a real date");

    res = await browser.post(`${base}/about`, about());
    res = await browser.post(`${base}/circumstances`, { couple: "no", children: "0" });
    // Negative, absurd and non-numeric amounts; an unknown kind of income.
    for (const [fields, message] of [
      [{ type: "state_pension", amount: "-10", frequency: "week" }, "The amount cannot be negative"],
      [{ type: "state_pension", amount: "60000", frequency: "week" }, "more than £25,000.00 a week"],
      [
        { type: "state_pension", amount: "ten pounds", frequency: "week" },
        "in pounds and pence, like 125.50",
      ],
      [{ type: "lottery_win", amount: "10", frequency: "week" }, "Select the kind of income"],
      [{ type: "state_pension", amount: "10", frequency: "fortnightly-ish" }, "Select how often it is paid"],
      [{ type: "other", amount: "10", frequency: "week" }, "Say what this other income is"],
    ] as const) {
      res = await browser.post(`${base}/incomes`, { ...fields, action: "add" });
      expect(res.statusCode, JSON.stringify(fields)).toBe(400);
      expect(pageText(res.body)).toContain(message);
    }
    res = await browser.post(`${base}/capital`, { kind: "savings", value: "250000000", action: "add" });
    expect(res.statusCode).toBe(400);
    expect(pageText(res.body)).toMatch(/more than £100,000,000\.00/);

    const fa = await getFinancialAssessment({ db: database.db, scope: financeScope, today: TODAY }, id);
    expect(fa.answers.incomes).toBeUndefined();
    expect(fa.answers.capital).toBeUndefined();
  });

  it("rule: a light-touch assessment is one page and the cost of care; capital not over the limit is refused", async () => {
    const browser = await as("team_manager");
    const { personId, weeklyPence } = await personWithBudget(1);
    const id = await start(browser, personId);
    const base = `/financial-assessments/${id}`;
    let res = await browser.post(
      `${base}/about`,
      about({ route: "capital_over_upper_limit", lightTouchCapital: "20000" }),
    );
    expect(location(res)).toBe(`${base}/cost-of-care`);
    res = await browser.post(`${base}/cost-of-care`, {});
    expect(location(res)).toBe(`${base}/check-answers`);
    res = await browser.get(`${base}/check-answers`);
    expect(pageText(res.body)).toContain(
      "Capital of £20,000.00 is not over the upper capital limit of £23,250.00",
    );
    res = await browser.post(`${base}/complete`);
    expect(res.statusCode).toBe(400);

    res = await browser.post(
      `${base}/about?from=check`,
      about({ route: "capital_over_upper_limit", lightTouchCapital: "40000", from: "check" }),
    );
    expect(location(res)).toBe(`${base}/check-answers`);
    res = await browser.post(`${base}/complete`);
    expect(res.statusCode).toBe(303);
    res = await browser.get(base);
    expect(pageText(res.body)).toContain(`so the person pays the full cost: ${n(weeklyPence)} a week`);
  });

  it("rule: who may see and do what (charging:read, charging:write), and CSRF", async () => {
    const { personId } = await personWithBudget(2);
    const worker = await as("social_worker");
    let res = await worker.get(`/people/${personId}/charging`);
    expect(res.statusCode).toBe(200);
    expect(pageText(res.body)).not.toContain("Start a financial assessment");
    res = await worker.post(`/people/${personId}/financial-assessments`);
    expect(res.statusCode).toBe(403);
    res = await worker.get(`/people/${personId}/statement`);
    expect(res.statusCode).toBe(200);

    const commissioner = await as("commissioner");
    for (const url of [
      "/charging",
      `/people/${personId}/charging`,
      `/people/${personId}/statement`,
      "/charging/settings",
    ]) {
      res = await commissioner.get(url);
      expect(res.statusCode, url).toBe(403);
    }

    const finance = await as("finance_officer");
    await finance.get(`/people/${personId}/charging`);
    res = await finance.post(`/people/${personId}/financial-assessments`, {}, { csrf: false });
    expect(res.statusCode).toBe(403);
  });

  it("rule: a refusal is explained plainly, with what the council can do, when a figure is neither confirmed nor supplied", async () => {
    const browser = await as("finance_officer");
    const { personId } = await personWithBudget(3);
    const id = await start(browser, personId);
    const base = `/financial-assessments/${id}`;
    // 2026-27 is covered by the demo figures; a couple's amounts are too. Take a lone parent of pension age,
    // whose MIG personal amount the England pack cannot decide (an unsupported rule, not a figure).
    await browser.post(`${base}/about`, about({ reachedPensionCreditAge: "yes" }));
    await browser.post(`${base}/circumstances`, { couple: "no", children: "1" });
    for (const slug of ["incomes", "capital", "housing-costs"])
      await browser.post(`${base}/${slug}`, { action: "continue" });
    await browser.post(`${base}/disability-related-expenditure`, { kind: "none" });
    await browser.post(`${base}/cost-of-care`, {});
    const res = await browser.get(`${base}/check-answers`);
    const page = pageText(res.body);
    expect(page).toContain("This cannot be worked out yet");
    expect(page).toContain("Not supported by the rules for England, financial year 2026 to 2027");
    expect(page).toContain("What the council can do");
    expect(res.body).not.toContain("Complete the financial assessment</button>");
  });

  it("rule: charging settings — a policy version and a supplied figure through the pages: validated, dated, shown, withdrawn", async () => {
    const admin = await as("administrator");
    let res = await admin.get("/charging/settings");
    expect(res.statusCode).toBe(200);
    let page = pageText(res.body);
    expect(page).toContain("Charging settings");
    expect(page).toContain("Demo Council: a demonstration charging policy");
    expect(page).toContain(DEMO_FIGURES_SOURCE);

    // Bad input: errors on the page, linked to their fields.
    res = await admin.post("/charging/settings/policy/new", {
      "validFrom-day": "1",
      "validFrom-month": "4",
      "validFrom-year": "2027",
      reference: "",
      chargePercent: "150",
      minimumCharge: "-2",
    });
    expect(res.statusCode).toBe(400);
    expect(errorSummaryLinks(res.body).map((e) => e.href)).toContain("#minimumCharge");
    res = await admin.post("/charging/settings/policy/new", {
      "validFrom-day": "1",
      "validFrom-month": "4",
      "validFrom-year": "2027",
      reference: "Cabinet decision, 1 March 2027",
      chargePercent: "150",
    });
    expect(res.statusCode).toBe(400);
    expect(errorSummaryLinks(res.body)).toEqual([
      { href: "#chargePercent", text: expect.stringMatching(/cannot be above 100%/) },
    ]);

    // A new version ends the open one the day before.
    res = await admin.post("/charging/settings/policy/new", {
      "validFrom-day": "1",
      "validFrom-month": "4",
      "validFrom-year": "2027",
      reference: "Cabinet decision, 1 March 2027",
      chargePercent: "90",
      incomeDisregards: ["war_pension", "child_benefit"],
    });
    expect(location(res)).toBe("/charging/settings?done=policy-ended");
    res = await admin.get("/charging/settings?done=policy-ended");
    page = pageText(res.body);
    expect(page).toContain("now ends the day before it starts");
    expect(page).toContain("1 April 2024 to 31 March 2027");
    expect(page).toContain("Charges 90% of disposable income");

    // Supply a figure: prefilled from the "Supply" link; an overlap is refused; then withdraw it.
    res = await admin.get("/charging/settings/figures/new?figure=mig.carer_premium&from=2027-04-01");
    expect(res.body).toContain('value="mig.carer_premium" selected');
    res = await admin.post("/charging/settings/figures/new", {
      figure: "mig.carer_premium",
      "validFrom-day": "1",
      "validFrom-month": "6",
      "validFrom-year": "2026",
      amount: "44.00",
      source: "Test: LAC(DHSC)(2026)1 Annex A",
    });
    expect(res.statusCode).toBe(400);
    expect(pageText(res.body)).toMatch(/overlap/);
    res = await admin.post("/charging/settings/figures/new", {
      figure: "mig.carer_premium",
      "validFrom-day": "1",
      "validFrom-month": "4",
      "validFrom-year": "2027",
      amount: "44.00",
      source: "Test: LAC(DHSC)(2027)1 Annex A",
    });
    expect(location(res)).toBe("/charging/settings?done=figure");
    res = await admin.get("/charging/settings");
    expect(pageText(res.body)).toContain("Test: LAC(DHSC)(2027)1 Annex A");
    const withdraw =
      /action="(\/charging\/settings\/figures\/[0-9a-f-]{36}\/withdraw)"[^>]*>[\s\S]{0,600}?carer premium[^<]*from 1 April 2027/.exec(
        res.body,
      );
    expect(withdraw).not.toBeNull();
    res = await admin.post(withdraw![1]!);
    expect(location(res)).toBe("/charging/settings?done=figure-withdrawn");
    expect(pageText((await admin.get("/charging/settings")).body)).not.toContain(
      "Test: LAC(DHSC)(2027)1 Annex A",
    );

    // A finance officer may use the settings; a social worker may not.
    expect((await (await as("finance_officer")).get("/charging/settings")).statusCode).toBe(200);
    expect((await (await as("social_worker")).get("/charging/settings")).statusCode).toBe(403);
  });

  it("rule: the money statement prints to a PDF from the same page, or says plainly why it cannot", async () => {
    const browser = await as("finance_officer");
    const { personId } = await personWithBudget(4);
    const res = await browser.get(`/people/${personId}/statement.pdf`);
    if (res.statusCode === 503) {
      expect(pageText(res.body)).toContain("The PDF cannot be made at the moment");
      return;
    }
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/pdf");
    expect(res.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
  });
});
