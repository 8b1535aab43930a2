import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { itemFieldId } from "#/features/assessment/forms.ts";
import { createPerson, type Person } from "#/features/people/service.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { type TenantScope, withSystem } from "#/platform/db/tenant.ts";
import { englandQuestionnaire as questionnaire } from "#/rules/england/questionnaire.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { emailOf, InjectBrowser, location, pageText } from "../../../test/inject-browser.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * The staff pages end to end through app.inject over a seeded demo database: sign in, find a person, start
 * an assessment, answer every page (and get a wrong one back with its errors), check, submit, and read the
 * decision and the allocation's working; plus who may see what, CSRF, and that submitted answers are final.
 */

/** About your needs, one page per outcome, wellbeing, circumstances, what matters. */
const SECTIONS = questionnaire.outcomes.length + 4;

type Fields = Record<string, string | string[]>;

/** A whole outcome page: "no" (with reasons) for the listed outcomes, the heaviest-but-one answers there. */
function outcomeFields(outcomeId: string, notAchieved: boolean): Fields {
  const outcome = questionnaire.outcomes.find((o) => o.id === outcomeId)!;
  const fields: Fields = notAchieved
    ? {
        canAchieveWithoutHelp: "no",
        difficulties: ["needs_assistance", "endangers_health_safety"],
        carerSupport: "My daughter helps most days.",
      }
    : { canAchieveWithoutHelp: "yes" };
  for (const item of outcome.items) {
    fields[itemFieldId(item)] = notAchieved ? item.options.at(-2)!.id : item.options[0]!.id;
  }
  return { ...fields, action: "continue" };
}

describe.each(enginesUnderTest())("staff pages on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let workerScope: TenantScope;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database);
    const worker = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("staff_users")
        .where("email", "=", emailOf("social_worker"))
        .select(["tenant_id", "user_id"])
        .executeTakeFirstOrThrow(),
    );
    workerScope = { tenantId: worker.tenant_id, actor: { type: "staff", id: worker.user_id } };
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  async function newPerson(givenName = "Page"): Promise<Person> {
    return createPerson(
      { db: database.db, scope: workerScope, today: TODAY },
      { givenName, familyName: `Tester${uuidv7().slice(-6)}`, dateOfBirth: "1958-07-14" },
    );
  }

  async function startFor(browser: InjectBrowser, person: Person): Promise<string> {
    await browser.get(`/people/${person.personId}`);
    const res = await browser.post(`/people/${person.personId}/assessments`);
    expect(res.statusCode).toBe(303);
    const id = /^\/assessments\/([0-9a-f-]{36})$/.exec(location(res))?.[1];
    expect(id).toBeDefined();
    return id!;
  }

  /** Answers every page, "no" for the outcomes listed; returns nothing, asserts each redirect. */
  async function answerEverything(browser: InjectBrowser, id: string, notAchieved: readonly string[]) {
    const base = `/assessments/${id}`;
    let res = await browser.post(`${base}/about-your-needs`, {
      needsFromImpairmentOrIllness: "yes",
      impairmentNotes: "Arthritis in both hands and knees.",
      needsFluctuate: "no",
      action: "continue",
    });
    expect(location(res)).toBe(`${base}/outcomes/nutrition`);
    for (const outcome of questionnaire.outcomes) {
      res = await browser.post(
        `${base}/outcomes/${outcome.id.replaceAll("_", "-")}`,
        outcomeFields(outcome.id, notAchieved.includes(outcome.id)),
      );
      expect(res.statusCode, outcome.id).toBe(303);
    }
    expect(location(res)).toBe(`${base}/wellbeing`);
    res = await browser.post(`${base}/wellbeing`, {
      wellbeingImpact: notAchieved.length > 0 ? "significant" : "none",
      wellbeingReasons: "Not being able to cook or wash safely is affecting my health and confidence.",
      action: "continue",
    });
    expect(location(res)).toBe(`${base}/circumstances`);
    res = await browser.post(`${base}/circumstances`, {
      primarySupportReason: "physical_personal_care",
      livingSituation: "lives_alone",
      hasCarer: "yes",
      carerWillingAndAble: "yes",
      action: "continue",
    });
    expect(location(res)).toBe(`${base}/what-matters-to-you`);
    res = await browser.post(`${base}/what-matters-to-you`, {
      whatMattersToMe: "Staying in my own home and seeing my grandchildren.",
      action: "continue",
    });
    expect(location(res)).toBe(`${base}/check-answers`);
  }

  it("journey: find a person, start, answer every page, check, submit, read the decision and the working", async () => {
    const browser = await new InjectBrowser(app).signIn("social_worker");
    const person = await newPerson("Journey");

    // Find them by name, and by reference.
    let res = await browser.get(`/people?search=${encodeURIComponent(person.familyName)}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`href="/people/${person.personId}"`);
    expect(pageText(res.body)).toContain("No assessment yet");
    res = await browser.get(`/people?search=${encodeURIComponent(person.reference)}`);
    expect(res.body).toContain(`href="/people/${person.personId}"`);
    res = await browser.get("/people?search=nobody-is-called-this");
    expect(pageText(res.body)).toContain("No people match");

    // Their record offers a new assessment.
    res = await browser.get(`/people/${person.personId}`);
    expect(res.statusCode).toBe(200);
    expect(pageText(res.body)).toContain("Start a new assessment");
    const id = await startFor(browser, person);
    const base = `/assessments/${id}`;

    res = await browser.get(base);
    expect(res.statusCode).toBe(200);
    expect(pageText(res.body)).toContain(`You have completed 0 of ${SECTIONS} sections`);
    expect(pageText(res.body)).toContain("Not started");

    // A page posted with nothing chosen comes back with the error summary and each field's message.
    res = await browser.post(`${base}/about-your-needs`, { needsFluctuate: "yes", action: "continue" });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain("govuk-error-summary");
    expect(res.body).toContain('href="#needsFromImpairmentOrIllness"');
    expect(res.body).toContain('href="#fluctuationNotes"');
    expect(res.body).toMatch(/<title>Error: /);
    expect(pageText(res.body)).toContain(
      "Error: Select yes if your needs come from, or are related to, a physical or mental impairment or illness",
    );
    expect(pageText(res.body)).toContain(
      "Enter the period you looked at and how the harder days were counted",
    );
    // What was chosen is kept.
    expect(res.body).toMatch(/name="needsFluctuate" type="radio" value="yes" checked/);

    // An outcome page: "No" needs a reason, and every graded question needs an answer.
    res = await browser.post(`${base}/outcomes/nutrition`, {
      canAchieveWithoutHelp: "no",
      action: "continue",
    });
    expect(res.statusCode).toBe(400);
    expect(pageText(res.body)).toContain("Select why you cannot do this on your own");
    expect(res.body).toContain(`href="#${itemFieldId({ id: "nutrition.meal_preparation" })}"`);
    expect(pageText(res.body)).toContain("Select the answer that best describes making meals and drinks");

    await answerEverything(browser, id, ["nutrition", "personal_hygiene", "home_safety"]);

    res = await browser.get(base);
    expect(pageText(res.body)).toContain(`You have completed ${SECTIONS} of ${SECTIONS} sections`);

    // Check your answers, with Change links back to each page.
    res = await browser.get(`${base}/check-answers`);
    expect(res.statusCode).toBe(200);
    expect(pageText(res.body)).toContain("Arthritis in both hands and knees.");
    expect(pageText(res.body)).toContain("Cannot do it without help, including being reminded or prompted");
    expect(res.body).toContain(`href="${base}/outcomes/nutrition?from=check#canAchieveWithoutHelp"`);

    // A Change link returns to check your answers.
    res = await browser.post(`${base}/what-matters-to-you`, {
      whatMattersToMe: "Staying at home, and gardening.",
      from: "check",
      action: "continue",
    });
    expect(location(res)).toBe(`${base}/check-answers`);

    res = await browser.post(`${base}/submit`);
    expect(res.statusCode).toBe(303);
    expect(location(res)).toBe(`${base}?submitted=1`);

    res = await browser.get(`${base}?submitted=1`);
    expect(res.statusCode).toBe(200);
    const submitted = pageText(res.body);
    expect(submitted).toContain("Assessment submitted");
    expect(submitted).toMatch(/Eligible for care and support\s+Yes/);
    expect(submitted).toMatch(/Indicative budget\s+£[\d,]+\.\d\d a week/);
    expect(submitted).toContain("Change these answers (start a new version)");

    // The decision, addressed to the person.
    res = await browser.get(`${base}/decision`);
    expect(res.statusCode).toBe(200);
    const decision = pageText(res.body);
    expect(decision).toContain("Your eligibility decision");
    expect(decision).toContain(`Dear ${person.givenName} ${person.familyName}`);
    expect(decision).toContain("You are eligible for care and support");
    expect(decision).toMatch(/Part 2: .*Met/);
    expect(decision).toContain("Getting enough to eat and drink");
    expect(decision).toContain("We did not count that help");
    expect(decision).toContain("use your browser's print option");
    expect(res.body).toContain("app-no-print");

    // The allocation's working.
    res = await browser.get(`${base}/allocation`);
    expect(res.statusCode).toBe(200);
    const allocation = pageText(res.body);
    expect(res.body).toContain('<caption class="govuk-table__caption');
    expect(res.body).toContain(
      '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Points</th>',
    );
    expect(allocation).toContain("Making meals and drinks");
    expect(allocation).toMatch(/Your answers score \d+ points/);
    expect(allocation).toContain("willing and able to keep helping");
    expect(allocation).toContain("may be higher or lower");
    expect(allocation).toMatch(/Your indicative budget is £[\d,.]+ a week/);

    // The person's record shows the outcome and offers a new version.
    res = await browser.get(`/people/${person.personId}`);
    expect(pageText(res.body)).toContain("Eligible");
    expect(pageText(res.body)).toContain("Start a new version of the assessment");
    res = await browser.get(`/people?search=${encodeURIComponent(person.reference)}`);
    expect(pageText(res.body)).toContain("Submitted");
  });

  it("rule: a submitted assessment's pages refuse changes (409), and 'Change these answers' starts a new version", async () => {
    const browser = await new InjectBrowser(app).signIn("social_worker");
    const person = await newPerson("Final");
    const id = await startFor(browser, person);
    await answerEverything(browser, id, ["nutrition", "clothing"]);
    expect((await browser.post(`/assessments/${id}/submit`)).statusCode).toBe(303);

    await browser.get(`/assessments/${id}`);
    let res = await browser.post(`/assessments/${id}/about-your-needs`, {
      needsFromImpairmentOrIllness: "no",
      needsFluctuate: "no",
      action: "continue",
    });
    expect(res.statusCode).toBe(409);
    expect(pageText(res.body)).toContain("This assessment cannot be changed");
    res = await browser.post(`/assessments/${id}/submit`);
    expect(res.statusCode).toBe(409);
    res = await browser.get(`/assessments/${id}/outcomes/clothing`);
    expect(res.statusCode).toBe(409);

    res = await browser.post(`/assessments/${id}/revise`);
    expect(res.statusCode).toBe(303);
    const next = location(res);
    expect(next).not.toBe(`/assessments/${id}`);
    res = await browser.get(next);
    expect(pageText(res.body)).toContain("assessment version 2");
    // The answers came across, so every section is already complete.
    expect(pageText(res.body)).toContain(`You have completed ${SECTIONS} of ${SECTIONS} sections`);
    // A person with a draft is offered the draft, not another start.
    res = await browser.get(`/people/${person.personId}`);
    expect(pageText(res.body)).toContain("Continue the draft assessment");
  });

  it("rule: not eligible → the decision gives information and advice and how to ask for it to be looked at again; no budget", async () => {
    const browser = await new InjectBrowser(app).signIn("team_manager");
    const person = await newPerson("Advice");
    const id = await startFor(browser, person);
    await answerEverything(browser, id, ["nutrition"]);
    expect((await browser.post(`/assessments/${id}/submit`)).statusCode).toBe(303);

    let res = await browser.get(`/assessments/${id}/decision`);
    const decision = pageText(res.body);
    expect(decision).toContain("You are not eligible for care and support");
    expect(decision).toMatch(/Part 2: .*Not met/);
    expect(decision).toContain("Information and advice");
    expect(decision).toContain("carer's assessment");
    expect(decision).toContain("You can ask us to look at the decision again");

    res = await browser.get(`/assessments/${id}/allocation`);
    expect(res.statusCode).toBe(200);
    expect(pageText(res.body)).toContain("No indicative budget was worked out");
  });

  it("rule: 'Save and come back later' keeps an unfinished page, and submit lists what is missing, linking to each page", async () => {
    const browser = await new InjectBrowser(app).signIn("social_worker");
    const person = await newPerson("Later");
    const id = await startFor(browser, person);
    const base = `/assessments/${id}`;

    let res = await browser.post(`${base}/about-your-needs`, {
      needsFromImpairmentOrIllness: "yes",
      action: "later",
    });
    expect(res.statusCode).toBe(303);
    expect(location(res)).toBe(`${base}?saved=1`);
    res = await browser.get(`${base}?saved=1`);
    expect(pageText(res.body)).toContain("Your answers have been saved");
    expect(pageText(res.body)).toContain("In progress");
    res = await browser.get(`${base}/about-your-needs`);
    expect(res.body).toMatch(/name="needsFromImpairmentOrIllness" type="radio" value="yes" checked/);

    res = await browser.get(`${base}/check-answers`);
    res = await browser.post(`${base}/submit`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain("govuk-error-summary");
    expect(res.body).toContain(`href="${base}/about-your-needs?from=check#needsFluctuate"`);
    expect(pageText(res.body)).toContain(
      "About your needs: Select yes if your needs change from day to day or week to week",
    );
    expect(res.body).toContain(`href="${base}/outcomes/nutrition?from=check#canAchieveWithoutHelp"`);
    expect(pageText(res.body)).toContain("What matters to you: answer the questions on this page");
  });

  it("rule: roles — a commissioner cannot see people; a support planner can read but not change an assessment", async () => {
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    let res = await commissioner.get("/people");
    expect(res.statusCode).toBe(403);
    expect(pageText(res.body)).toContain("You cannot see this page");

    const worker = await new InjectBrowser(app).signIn("social_worker");
    const person = await newPerson("Roles");
    const id = await startFor(worker, person);

    res = await commissioner.get(`/people/${person.personId}`);
    expect(res.statusCode).toBe(403);
    res = await commissioner.get(`/assessments/${id}`);
    expect(res.statusCode).toBe(403);

    const planner = await new InjectBrowser(app).signIn("support_planner");
    res = await planner.get(`/assessments/${id}/about-your-needs`);
    expect(res.statusCode).toBe(200);
    res = await planner.post(`/assessments/${id}/about-your-needs`, {
      needsFromImpairmentOrIllness: "yes",
      needsFluctuate: "no",
      action: "continue",
    });
    expect(res.statusCode).toBe(403);
    res = await planner.get(`/people/${person.personId}`);
    expect(pageText(res.body)).not.toContain("Start a new");

    // Signed out: to the sign-in page.
    res = await app.inject({ method: "GET", url: "/people" });
    expect(res.statusCode).toBe(302);
    expect(location(res)).toBe("/sign-in?returnTo=%2Fpeople");
  });

  it("rule: a form posted without the CSRF token is refused (403) and nothing is saved", async () => {
    const browser = await new InjectBrowser(app).signIn("social_worker");
    const person = await newPerson("Csrf");
    let res = await browser.post(`/people/${person.personId}/assessments`, {}, { csrf: false });
    expect(res.statusCode).toBe(403);
    expect(pageText(res.body)).toContain("Your form could not be sent");
    res = await browser.get(`/people/${person.personId}`);
    expect(pageText(res.body)).toContain("has not had an assessment yet");
  });

  it("rule: an unknown assessment or page is a 404 page", async () => {
    const browser = await new InjectBrowser(app).signIn("social_worker");
    expect((await browser.get(`/assessments/${uuidv7()}`)).statusCode).toBe(404);
    expect((await browser.get("/assessments/not-an-id/wellbeing")).statusCode).toBe(404);
    const person = await newPerson("Missing");
    const id = await startFor(browser, person);
    expect((await browser.get(`/assessments/${id}/outcomes/flying`)).statusCode).toBe(404);
    expect((await browser.get(`/assessments/${id}/decision`)).statusCode).toBe(404);
  });

  it("people list: paginated, 25 a page, with GOV.UK pagination links", async () => {
    const browser = await new InjectBrowser(app).signIn("social_worker");
    let res = await browser.get("/people");
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("govuk-pagination");
    expect(res.body).toContain('href="/people?page=2"');
    res = await browser.get("/people?page=2");
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('aria-current="page"');
    // A nonsense page number shows the first page rather than failing.
    expect((await browser.get("/people?page=abc")).statusCode).toBe(200);
  });
});
