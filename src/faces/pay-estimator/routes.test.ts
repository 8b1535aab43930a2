import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseFromCarried, expectPeriodOnPage, Visitor } from "#/faces/pay-estimator/pages.fixture.ts";
import { payEstimatorRoutes } from "#/faces/pay-estimator/routes.ts";
import { runChargingCase } from "#/features/charging/case.ts";
import { fixtureEnglandPacks } from "#/features/charging/rules.fixture.ts";
import { calculatorSettings, getChargingSettings } from "#/features/charging/settings-service.ts";
import { DEMO_FIGURES_SOURCE } from "#/features/demo/charging-seed.ts";
import { insertTenant } from "#/features/tenants/repository.ts";
import { SYSTEM_ACTOR } from "#/features/tenants/service.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { ApiDocument } from "#/platform/web/openapi.ts";
import { createViewEnvironment } from "#/platform/web/views.ts";
import { buildTestApp } from "../../../test/app.ts";
import {
  databaseFor,
  demoTenantId as demoTenantIdOf,
  enginesUnderTest,
  rowCounts,
  type TestDatabase,
} from "../../../test/databases.ts";
import { pageText, titleOf } from "../../../test/inject-browser.ts";
import { TODAY as NOW } from "../../../test/today.ts";

/**
 * The public "estimate what you might pay" pages through app.inject: the whole flow from the start page to the
 * estimate for a Welsh council (light touch: capital over the limit, the £100 weekly maximum) and, on fixture
 * rule packs standing in for figures a council supplies, a full England assessment through every page; the
 * page's figures and every step equal what calculateCharging gives for the same case. Then what cannot be
 * estimated (said plainly, with what to do), bad input (GOV.UK errors), an unknown council (404), forged and
 * tampered forms, and that nothing at all is written (every table's row count is the same before and after).
 */

const TODAY = "2025-06-02"; // Wales 2025-26 is covered; England 2025-26's single MIG amounts are secondary.
const FIXTURE_TODAY = "2024-06-03"; // fixture-england-a: England's structure with illustrative MIG figures.
// NOW (test/today.ts, 2026-11-23), under /now: England 2026-27 knows the single MIG amounts for 18 to 24 and
// pension credit age only; the demo council supplies the rest, Other Council none.
const BEFORE = "2023-06-01"; // under /before: before England's first rule pack, so nothing can be estimated.

describe.each(enginesUnderTest())("the pay estimator's pages on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let demoTenantId: string;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");

    demoTenantId = await demoTenantIdOf(database);
    // Councils in Wales and Scotland: the tenants service creates English councils only so far.
    await withSystem(database.db, async (trx) => {
      await insertTenant(trx, {
        tenant_id: uuidv7(),
        slug: "west-wales",
        name: "West Wales Council",
        jurisdiction: "wales",
      });
      await insertTenant(trx, {
        tenant_id: uuidv7(),
        slug: "glen",
        name: "Glen Council",
        jurisdiction: "scotland",
      });
    });
    app = await buildTestApp(database, { today: TODAY });
    // The same pages on fixture rule packs, where England's figures stand in for ones a council supplies.
    await app.register(payEstimatorRoutes, {
      db: database.db,
      api: new ApiDocument(),
      today: () => FIXTURE_TODAY,
      charging: { packs: fixtureEnglandPacks },
      prefix: "/fixture",
    });
    for (const [prefix, today] of [
      ["/now", NOW],
      ["/before", BEFORE],
    ] as const) {
      await app.register(payEstimatorRoutes, {
        db: database.db,
        api: new ApiDocument(),
        today: () => today,
        prefix,
      });
    }
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const walesAboutYou = { age: "70", pensionAge: "yes", partner: "no", children: "0" };

  it("Wales, capital over £24,000 (WSI 2017/214 reg 3) capped at the £100 weekly maximum (WSI 2020/131): start to estimate, equal to calculateCharging, writing nothing", async () => {
    const before = await rowCounts(database.db);
    expect(before["public.audit_events"]).toBeGreaterThan(0);
    const v = new Visitor(app);

    let res = await v.get("/");
    expect(res.body).toContain('href="/pay-estimate"');
    res = await v.get("/pay-estimate");
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(
      '<a class="govuk-link" href="/west-wales/pay-estimate">West Wales Council</a>',
    );

    res = await v.get("/west-wales/pay-estimate");
    expect(res.statusCode).toBe(200);
    const start = pageText(res.body);
    expect(start).toContain("This is only an estimate. It is not a decision.");
    expect(start).toContain("Your answers are not saved");
    expect(start).toContain("can only give an amount if your savings and other capital are over £24,000.00");
    expect(res.body).toContain('href="/west-wales/pay-estimate/questions"');

    res = await v.get("/west-wales/pay-estimate/questions");
    expect(titleOf(res.body)).toMatch(/^About you/);
    expect(pageText(res.body)).toContain("step 1 of 7");
    // Wales's minimum income is the council's figure: no question about premiums.
    expect(res.body).not.toContain('name="premiumBenefits"');
    res = await v.answer("/west-wales/pay-estimate", "about-you", walesAboutYou);
    // Wales's minimum income is worked out by the council: said at once, with the way on for capital over the limit.
    expect(titleOf(res.body)).toMatch(/^We cannot estimate what you might pay/);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(pageText(res.body)).toContain(
      "It can only give an amount if your savings and other capital are over £24,000.00",
    );
    res = await v.post("/west-wales/pay-estimate/questions", { page: "savings", go: "show" });
    expect(titleOf(res.body)).toMatch(/^Your savings and property/);
    res = await v.answer("/west-wales/pay-estimate", "savings", {
      savings: "30,000",
      otherProperty: "",
      ownsHome: "no",
    });
    // Light touch: income is not looked at, so the income pages are not asked.
    expect(titleOf(res.body)).toMatch(/^The cost of your care/);
    expect(pageText(res.body)).toContain("step 3 of 3");
    res = await v.answer("/west-wales/pay-estimate", "care-cost", { weeklyCost: "250" });
    expect(titleOf(res.body)).toMatch(/^Check your answers/);
    expect(pageText(res.body)).toContain("That is why you were not asked about your income");
    expect(pageText(res.body)).toContain("Savings and investments £30,000.00");

    const carried = v.carried;
    res = await v.post("/west-wales/pay-estimate/result");
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(titleOf(res.body)).toMatch(/^Your estimate/);
    const outcome = runChargingCase(caseFromCarried(carried, "wales", TODAY, false));
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    const p = outcome.result.periods[0]!;
    expect(p).toMatchObject({ contributionWeeklyPence: 10_000, councilPaysWeeklyPence: 15_000 });
    expectPeriodOnPage(res.body, p);
    const page = pageText(res.body);
    expect(page).toContain("This is an estimate, not a decision.");
    expect(page).toContain("over the limit of £24,000.00");
    expect(page).toContain("Wales, financial year 2025 to 2026");
    expect(page).toContain("What happens next");
    expect(res.body).toContain('href="https://www.legislation.gov.uk/wsi/2020/131/note/made"');

    expect(await rowCounts(database.db)).toEqual(before);
    expect([...v.cookiesSet]).toEqual(["upfront_csrf"]);
  });

  it("England, a full assessment through every page (reg 7 MIG with premiums, Sch 1 disregards, reg 25 tariff, housing costs and DRE), with the budget brought from the budget estimator: equal to calculateCharging", async () => {
    const before = await rowCounts(database.db);
    const v = new Visitor(app);
    const base = "/fixture/other/pay-estimate";
    await v.get(`${base}/questions`);
    // The budget estimator's result sends its budget; the estimate starts at the first page with it.
    let res = await v.post(`${base}/questions`, { budget: "31050" }, { answers: null });
    expect(titleOf(res.body)).toMatch(/^About you/);
    res = await v.answer(base, "about-you", {
      age: "52",
      pensionAge: "no",
      partner: "no",
      children: "0",
      premiumBenefits: ["pip", "pip_daily_living_enhanced"],
    });
    res = await v.answer(base, "savings", { savings: "16000", ownsHome: "yes" });
    expect(titleOf(res.body)).toMatch(/^Your benefits/);
    expect(pageText(res.body)).toContain("step 3 of 7");
    res = await v.answer(base, "benefits", {
      employment_and_support_allowance: "140.55",
      pip_daily_living: "110.40",
      pip_mobility: "29.10",
    });
    res = await v.answer(base, "other-income", {
      earnings: "60",
      otherIncomeDescription: "Lodger",
      otherIncome: "20",
    });
    res = await v.answer(base, "housing", { rent: "50", council_tax: "15" });
    res = await v.answer(base, "extra-costs", {
      extraCosts: "itemised",
      community_alarm: "4.50",
      extra_laundry: "4",
    });
    expect(titleOf(res.body)).toMatch(/^The cost of your care/);
    expect(pageText(res.body)).toContain("Use my estimated budget of £310.50 a week");
    res = await v.answer(base, "care-cost", { useBudget: "yes" });
    expect(titleOf(res.body)).toMatch(/^Check your answers/);
    for (const slug of [
      "about-you",
      "savings",
      "benefits",
      "other-income",
      "housing",
      "extra-costs",
      "care-cost",
    ])
      expect(res.body).toContain(`name="page" value="${slug}">Change`);
    expect(pageText(res.body)).toContain("Cost of your care £310.50 a week (your estimated budget)");

    const carried = v.carried;
    res = await v.post(`${base}/result`);
    expect(res.statusCode).toBe(200);
    const outcome = runChargingCase(caseFromCarried(carried, "england", FIXTURE_TODAY, true), {
      packs: fixtureEnglandPacks,
    });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    const p = outcome.result.periods[0]!;
    expect(p.assessment).toBe("full");
    expect(p.contributionWeeklyPence).toBeGreaterThan(0);
    expectPeriodOnPage(res.body, p);
    const page = pageText(res.body);
    // The income table, and how the answers about benefits were read (reg 7(5): the council decides).
    expect(page).toContain("Personal Independence Payment (daily living component) £110.40 £110.40");
    expect(page).toContain("Personal Independence Payment (mobility component) £29.10 £0.00");
    expect(page).toContain(
      "Enhanced disability premium: included, because you get PIP daily living at the enhanced rate",
    );
    expect(page).toContain("Carer premium: not included");
    expect(page).toContain("Your other income is counted in full");
    expect(page).toContain("The home you live in is not counted, because your care is at home");
    expect(page).toContain("The weekly cost of your care £310.50 (your estimated budget)");

    // A standard allowance for extra costs the council has not set (Sch 1 para 4; no national standard amount):
    // said plainly, with a way to change the answer.
    res = await v.post(`${base}/questions`, { page: "extra-costs", go: "show", from: "check" });
    res = await v.answer(base, "extra-costs", { extraCosts: "standard" }, "check");
    expect(titleOf(res.body)).toMatch(/^Check your answers/);
    res = await v.post(`${base}/result`);
    expect(pageText(res.body)).toContain("We cannot estimate what you might pay");
    expect(pageText(res.body)).toContain(
      "Other Council has not set a standard weekly amount for extra costs",
    );
    expect(res.body).toMatch(
      /name="page" value="extra-costs">[\s\S]*?Change your answers about extra costs because of a disability or illness/,
    );
    expect(await rowCounts(database.db)).toEqual(before);
  });

  it("figures the council supplies stand in for England 2026-27's unconfirmed ones (MIG reg 7: single aged 25 to pension credit age, disability premiums), and its policy's standard DRE allowance applies: equal to calculateCharging with the same settings, each such step citing the council", async () => {
    const before = await rowCounts(database.db);
    const v = new Visitor(app);
    const base = "/now/demo/pay-estimate";
    let res = await v.get(base);
    expect(pageText(res.body)).not.toContain("can only give an amount");
    expect(pageText(res.body)).not.toContain("do not yet cover everyone");
    await v.get(`${base}/questions`);
    res = await v.answer(base, "about-you", {
      age: "45",
      pensionAge: "no",
      partner: "no",
      children: "0",
      premiumBenefits: ["pip", "pip_daily_living_enhanced"],
    });
    expect(titleOf(res.body)).toMatch(/^Your savings and property/);
    await v.answer(base, "savings", { savings: "16000", ownsHome: "no" });
    await v.answer(base, "benefits", {
      employment_and_support_allowance: "140.55",
      pip_daily_living: "110.40",
    });
    await v.answer(base, "other-income", {});
    await v.answer(base, "housing", { council_tax: "15" });
    await v.answer(base, "extra-costs", { extraCosts: "standard" });
    await v.answer(base, "care-cost", { weeklyCost: "260" });
    const carried = v.carried;
    res = await v.post(`${base}/result`);
    expect(res.statusCode).toBe(200);

    const settings = calculatorSettings(
      await getChargingSettings({
        db: database.db,
        scope: { tenantId: demoTenantId, actor: SYSTEM_ACTOR },
        today: NOW,
      }),
      "Demo Council",
    );
    expect(settings.suppliedFigures.length).toBeGreaterThan(0);
    const outcome = runChargingCase(caseFromCarried(carried, "england", NOW, true, settings.councilPolicy), {
      suppliedFigures: settings.suppliedFigures,
    });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    const p = outcome.result.periods[0]!;
    expect(p.assessment).toBe("full");
    expect(p.disabilityRelatedExpenditure?.kind).toBe("standard");
    expectPeriodOnPage(res.body, p);
    const page = pageText(res.body);
    expect(page).toContain("supplied by the council");
    expect(page).toContain(DEMO_FIGURES_SOURCE);
    expect(page).toContain("with Demo Council's charging policy from");
    expect(await rowCounts(database.db)).toEqual(before);
  });

  it("what cannot be estimated is said at the first page, not the last: England 2026-27 with none of the unconfirmed figures supplied by Other Council (the start page lists who is not covered; a person aged 25 to State Pension age is refused after About you, with what to do; a pension-age person goes on)", async () => {
    const v = new Visitor(app);
    const base = "/now/other/pay-estimate";
    let res = await v.get(base);
    expect(res.statusCode).toBe(200);
    let page = pageText(res.body);
    expect(page).toContain(
      "Other Council's figures do not yet cover everyone. The estimate cannot yet be worked out for:",
    );
    // Before "Start now", in plain words.
    const listed = page.indexOf("people aged 25 to State Pension age");
    expect(listed).toBeGreaterThan(0);
    expect(listed).toBeLessThan(page.indexOf("Start now"));
    for (const words of ["couples", "people with children", "carers who get Carer's Allowance"])
      expect(page).toContain(words);
    expect(page).not.toContain("people aged 18 to 24");
    expect(page).not.toContain("people over State Pension age");
    expect(page).toContain("contact Other Council to ask what you might pay");
    expect(page).toContain(
      "have not yet been checked against the official rules, and Other Council has not supplied them",
    );

    await v.get(`${base}/questions`);
    res = await v.answer(base, "about-you", {
      age: "40",
      pensionAge: "no",
      partner: "no",
      children: "0",
      premiumBenefits: ["none"],
    });
    expect(res.statusCode).toBe(200);
    expect(titleOf(res.body)).toMatch(/^We cannot estimate what you might pay/);
    page = pageText(res.body);
    expect(page).toContain(
      "Other Council's figures do not yet cover people aged 25 to State Pension age, so this online estimate cannot work out an amount for you yet",
    );
    expect(page).toContain(
      "It can only give an amount if your savings and other capital are over £23,250.00",
    );
    expect(page).toContain("Ask Other Council for a financial assessment");
    expect(res.body).toContain("Continue if your savings are over £23,250.00");
    // Savings under the limit: nothing more to ask.
    await v.post(`${base}/questions`, { page: "savings", go: "show" });
    res = await v.answer(base, "savings", { savings: "1000", ownsHome: "no" });
    expect(titleOf(res.body)).toMatch(/^We cannot estimate what you might pay/);
    page = pageText(res.body);
    expect(page).toContain("You do not need to answer any more questions");
    expect(res.body).not.toContain("Continue if your savings");
    // Savings over the limit: the full cost, estimated.
    res = await v.answer(base, "savings", { savings: "30000", ownsHome: "no" });
    expect(titleOf(res.body)).toMatch(/^The cost of your care/);

    // Over State Pension age (£241.45 a week, agreed by two published sources): asked every page.
    const w = new Visitor(app);
    await w.get(`${base}/questions`);
    res = await w.answer(base, "about-you", {
      age: "70",
      pensionAge: "yes",
      partner: "no",
      children: "0",
      premiumBenefits: ["none"],
    });
    expect(titleOf(res.body)).toMatch(/^Your savings and property/);
    res = await w.answer(base, "savings", { savings: "1000", ownsHome: "no" });
    expect(titleOf(res.body)).toMatch(/^Your benefits/);
  });

  it("what cannot be estimated is said plainly, with what to do: no rules for today (start page), Wales's council-worked minimum income and unread home disregard (after the savings page)", async () => {
    const v = new Visitor(app);
    let res = await v.get("/before/other/pay-estimate");
    expect(res.statusCode).toBe(200);
    let page = pageText(res.body);
    expect(page).toContain("You cannot get an estimate online at the moment");
    expect(page).toContain("The charging rules for today's date have not been added to this service yet");
    expect(page).toContain("Why, in detail");
    expect(page).toContain("Ask Other Council for a financial assessment");
    expect(res.body).not.toContain("Start now");

    // Wales, savings under the limit: a full assessment, whose minimum income only the council can work out.
    const base = "/west-wales/pay-estimate";
    await v.get(`${base}/questions`);
    await v.answer(base, "about-you", walesAboutYou);
    res = await v.answer(base, "savings", { savings: "1000", ownsHome: "yes" });
    expect(res.statusCode).toBe(200);
    expect(titleOf(res.body)).toMatch(/^We cannot estimate what you might pay/);
    page = pageText(res.body);
    expect(page).toContain("You do not need to answer any more questions");
    expect(page).toContain("The least income you must be left with each week is worked out by the council");
    expect(page).toContain(
      'Your answers about "your savings and property" need a rule or figure that has not yet been checked',
    );
    expect(page).toContain("Schedule 2 to the Welsh Financial Assessment Regulations");
    expect(page).toContain("Ask West Wales Council for a financial assessment");
    expect(page).not.toMatch(/You might pay/);
    // Change your answers goes back to the page that led here.
    expect(res.body).toMatch(/name="page" value="savings">\s*<input type="hidden" name="go" value="show">/);
  });

  it("the budget estimator links here: its start page, and its result, which sends the estimated budget", async () => {
    const res = await app.inject({ method: "GET", url: "/demo/estimate" });
    expect(res.body).toContain('href="/demo/pay-estimate"');
    const html = createViewEnvironment().render("estimator/views/result.njk", {
      council: { slug: "demo", name: "Demo Council" },
      csrfToken: "token",
      working: { weeklyPence: 31_050, explanation: [], adjustments: [], priceOrBand: {} },
      explained: { parts: [], cannotDo: [], notes: [] },
    });
    expect(html).toMatch(
      /<form method="post" action="\/demo\/pay-estimate\/questions"[^>]*>\s*<input type="hidden" name="_csrf" value="token">\s*<input type="hidden" name="budget" value="31050">/,
    );
    // Where nothing can be estimated today (no rules for the date), the budget leads to the start page, which
    // says so.
    const v = new Visitor(app);
    await v.get("/before/other/pay-estimate/questions"); // a form's CSRF token, as the estimator's result page has
    let sent = await v.post("/before/other/pay-estimate/questions", { budget: "31050" }, { answers: null });
    expect(pageText(sent.body)).toContain("You cannot get an estimate online at the moment");
    // Where some can be (England 2026-27, Other Council), it starts at About you, and refuses straight after it.
    await v.get("/now/other/pay-estimate/questions");
    sent = await v.post("/now/other/pay-estimate/questions", { budget: "31050" }, { answers: null });
    expect(titleOf(sent.body)).toMatch(/^About you/);
    sent = await v.answer("/now/other/pay-estimate", "about-you", {
      age: "50",
      pensionAge: "no",
      partner: "no",
      children: "0",
      premiumBenefits: ["none"],
    });
    expect(titleOf(sent.body)).toMatch(/^We cannot estimate what you might pay/);
  });

  it("amounts are entered a week, every 4 weeks, a month or a year (a choice beside each, a week unless chosen), shown so on Check your answers, and estimated as weekly pence rounded in the person's favour: equal to calculateCharging", async () => {
    const v = new Visitor(app);
    const base = "/fixture/other/pay-estimate";
    await v.get(`${base}/questions`);
    await v.answer(base, "about-you", {
      age: "70",
      pensionAge: "yes",
      partner: "no",
      children: "0",
      premiumBenefits: ["none"],
    });
    let res = await v.answer(base, "savings", { savings: "0", ownsHome: "no" });
    expect(titleOf(res.body)).toMatch(/^Your benefits/);
    // Each amount has its choice, a week unless chosen; savings (capital) have none.
    expect(res.body).toMatch(
      /<select class="govuk-select[^"]*" id="universal_creditFrequency" name="universal_creditFrequency">\s*<option value="week" selected>a week<\/option>\s*<option value="4weeks">every 4 weeks<\/option>\s*<option value="month">a month<\/option>\s*<option value="year">a year<\/option>/,
    );
    res = await v.answer(base, "benefits", {
      attendance_allowance: "72.65",
      universal_credit: "100",
      universal_creditFrequency: "fortnight",
    });
    expect(res.statusCode).toBe(400);
    expect(pageText(res.body)).toContain("Enter how often you get Universal Credit");
    expect(res.body).toContain('href="#universal_creditFrequency"');
    expect(res.body).toMatch(/<option value="week" selected>a week<\/option>/);
    await v.answer(base, "benefits", {
      attendance_allowance: "314.82",
      attendance_allowanceFrequency: "month",
    });
    await v.answer(base, "other-income", { state_pension: "921", state_pensionFrequency: "4weeks" });
    await v.answer(base, "housing", { council_tax: "1500", council_taxFrequency: "year" });
    await v.answer(base, "extra-costs", {
      extraCosts: "itemised",
      extra_heating: "100",
      extra_heatingFrequency: "month",
    });
    res = await v.answer(base, "care-cost", { weeklyCost: "1040", weeklyCostFrequency: "month" });
    expect(titleOf(res.body)).toMatch(/^Check your answers/);
    const check = pageText(res.body);
    // £314.82 a month is 7265.07… pence a week: income, down. £1,500 a year is 2884.61…: a cost, up.
    expect(check).toContain("Attendance Allowance £314.82 a month (£72.65 a week)");
    expect(check).toContain("State Pension £921.00 every 4 weeks (£230.25 a week)");
    expect(check).toContain("Council Tax £1,500.00 a year (£28.85 a week)");
    expect(check).toContain("Extra heating £100.00 a month (£23.08 a week)");
    expect(check).toContain("Cost of your care £1,040.00 a month (£240.00 a week)");

    const carried = v.carried;
    res = await v.post(`${base}/result`);
    expect(res.statusCode).toBe(200);
    const chargingCase = caseFromCarried(carried, "england", FIXTURE_TODAY, true);
    expect(chargingCase.incomes).toEqual([
      { type: "attendance_allowance", weeklyPence: 7265 },
      { type: "state_pension", weeklyPence: 23_025 },
    ]);
    expect(chargingCase.housingCosts).toEqual([{ kind: "council_tax", weeklyPence: 2885 }]);
    expect(chargingCase.costOfCare.weeklyPence).toBe(24_000);
    const outcome = runChargingCase(chargingCase, { packs: fixtureEnglandPacks });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    expectPeriodOnPage(res.body, outcome.result.periods[0]!);
  });

  it("Scotland: care that is all personal care is free (Community Care and Health (Scotland) Act 2002 s1(1)); the page asks how much is personal care", async () => {
    const v = new Visitor(app);
    const base = "/glen/pay-estimate";
    let res = await v.get(base);
    expect(pageText(res.body)).toContain("if all of your care is personal care, which is free");
    await v.get(`${base}/questions`);
    await v.answer(base, "about-you", walesAboutYou);
    await v.answer(base, "savings", { savings: "0", ownsHome: "no" });
    for (const page of ["benefits", "other-income", "housing"]) await v.answer(base, page, {});
    res = await v.answer(base, "extra-costs", { extraCosts: "none" });
    expect(res.body).toContain('name="personalCare"');
    await v.answer(base, "care-cost", { weeklyCost: "280", personalCare: "280" });
    res = await v.post(`${base}/result`);
    const page = pageText(res.body);
    expect(page).toContain("you might not have to pay anything");
    expect(page).toContain("All of your care is personal care, which is free");
  });

  it("bad input is a GOV.UK error on its field (negative, absurd and not-money amounts), and the answers so far are kept", async () => {
    const v = new Visitor(app);
    const base = "/west-wales/pay-estimate";
    await v.get(`${base}/questions`);
    let res = await v.answer(base, "about-you", {});
    expect(res.statusCode).toBe(400);
    expect(titleOf(res.body)).toMatch(/^Error: About you/);
    expect(res.body).toContain("govuk-error-summary");
    expect(res.body).toContain('href="#age"');
    res = await v.answer(base, "about-you", walesAboutYou);
    const afterAboutYou = v.carried;

    res = await v.answer(base, "savings", { savings: "-500", otherProperty: "lots", ownsHome: "no" });
    expect(res.statusCode).toBe(400);
    let page = pageText(res.body);
    expect(page).toContain("Your savings and investments cannot be negative");
    expect(page).toContain("The value of other property or land must be an amount of money, like 125.50");
    expect(res.body).toContain('href="#otherProperty"');
    expect(res.body).toMatch(/id="savings" name="savings" type="text"[^>]*value="-500"/);
    expect(v.carried).toBe(afterAboutYou);

    res = await v.answer(base, "savings", { savings: "100", ownsHome: "no" });
    res = await v.answer(base, "benefits", { universal_credit: "40000", carers_allowance: "81.9O" });
    expect(res.statusCode).toBe(400);
    page = pageText(res.body);
    expect(page).toContain(
      "The amount of Universal Credit must be £25,000.00 a week or less: check it is a weekly amount",
    );
    expect(page).toContain("The amount of Carer's Allowance must be an amount of money, like 125.50");

    // Asking for the estimate with pages unanswered: check your answers, with what is missing.
    res = await v.post(`${base}/result`);
    expect(res.statusCode).toBe(400);
    expect(pageText(res.body)).toContain("Your benefits: answer the questions on this page");
    expect(res.body).toContain('href="#answers-benefits"');
  });

  it("Change from check your answers returns there, unless the change means a page not yet answered is now asked", async () => {
    const v = new Visitor(app);
    const base = "/fixture/other/pay-estimate";
    await v.get(`${base}/questions`);
    await v.answer(base, "about-you", { ...walesAboutYou, premiumBenefits: ["none"] });
    await v.answer(base, "savings", { savings: "30000", ownsHome: "no" });
    let res = await v.answer(base, "care-cost", { weeklyCost: "250" });
    expect(titleOf(res.body)).toMatch(/^Check your answers/);
    res = await v.post(`${base}/questions`, { page: "savings", go: "show", from: "check" });
    expect(res.body).toContain('name="from" value="check"');
    expect(res.body).toMatch(/value="30000"/);
    // Savings under the limit now: the income pages are asked, starting with the first.
    res = await v.answer(base, "savings", { savings: "3000", ownsHome: "no" }, "check");
    expect(titleOf(res.body)).toMatch(/^Your benefits/);
    // Back from the first page goes to the start page; from check answers, to the last page asked.
    res = await v.get(`${base}/questions`);
    expect(res.body).toContain(`<a href="${base}" class="govuk-back-link">Back</a>`);
  });

  it("an unknown council is a 404 page on every page; forged and tampered forms are refused; a bookmarked estimate starts again", async () => {
    const v = new Visitor(app);
    for (const url of [
      "/nowhere/pay-estimate",
      "/nowhere/pay-estimate/questions",
      "/NOT_A_SLUG/pay-estimate",
      "/nowhere/pay-estimate/result",
    ]) {
      const res = await v.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(titleOf(res.body)).toMatch(/^Page not found/);
    }
    await v.get("/west-wales/pay-estimate/questions");
    let res = await v.post("/nowhere/pay-estimate/questions", { page: "about-you" });
    expect(res.statusCode).toBe(404);

    res = await v.post("/west-wales/pay-estimate/result", {}, { csrf: false });
    expect(res.statusCode).toBe(403);
    for (const answers of ["not json", "[]", JSON.stringify({ v: "pay-estimate-1", pages: { nope: {} } })]) {
      res = await v.post("/west-wales/pay-estimate/result", {}, { answers });
      expect(res.statusCode, answers).toBe(400);
      expect(pageText(res.body)).toContain("Sorry, you need to start again");
    }
    res = await v.post(
      "/west-wales/pay-estimate/questions",
      { page: "what-matters", go: "show" },
      { answers: "" },
    );
    expect(res.statusCode).toBe(400);

    res = await app.inject({ method: "GET", url: "/west-wales/pay-estimate/result" });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/west-wales/pay-estimate");
  });
});
