import fc from "fast-check";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answersArbitrary } from "#/faces/estimator/answers.arbitrary.ts";
import { estimate } from "#/faces/estimator/estimator.calc.ts";
import { estimatorSections, NOT_ASKED } from "#/faces/estimator/forms.ts";
import { answering, answersManagingEverything, notAchieving } from "#/features/assessment/answers.fixture.ts";
import { valuesFromAnswers } from "#/features/assessment/forms.ts";
import type { AssessmentAnswers } from "#/features/assessment/schemas.ts";
import { saveAnswers, startAssessment, submitAssessment } from "#/features/assessment/service.ts";
import { createPerson } from "#/features/people/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";
import type { FormValues } from "#/platform/web/forms.ts";
import { englandQuestionnaire as questionnaire } from "#/rules/england/questionnaire.ts";
import { exampleRasModel } from "#/rules/england/ras-model.example.ts";
import { rulePackFor } from "#/rules/index.ts";
import { buildTestApp } from "../../../test/app.ts";
import {
  databaseFor,
  demoTenantId,
  enginesUnderTest,
  rowCounts,
  type TestDatabase,
} from "../../../test/databases.ts";
import { CarryingVisitor, pageText, titleOf } from "../../../test/inject-browser.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * The public estimator's pages through app.inject, over a database seeded with the demo council: the whole
 * flow from the start page to the estimate; a page with missing answers (GOV.UK error summary, answers so far
 * kept); Back and Change; an unknown council; forged or tampered requests; and that nothing at all is
 * written (every table's row count, audit events included, is the same before and after) and no cookie is
 * set but the CSRF one. Last, a property: for random answers, the pages give what the staff path decides.
 */

const pack = rulePackFor("england", TODAY);
const SECTIONS = estimatorSections(questionnaire);

type Fields = Record<string, string | string[]>;

const htmlEscape = (s: string) =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");

/** A visitor with no account: keeps the cookies, and the CSRF token and answers the last page carried. */
class Visitor extends CarryingVisitor {
  /** Answers one page as a person would: the page's fields, and Continue. */
  answer(council: string, slug: string, values: Fields) {
    return this.post(`/${council}/estimate/questions`, { ...values, page: slug, go: "continue" });
  }
}

/** What the pages would post for these answers: the staff reader's own view of them (forms.ts). */
const pageFields = (slug: string, answers: AssessmentAnswers): FormValues =>
  valuesFromAnswers(SECTIONS.find((s) => s.slug === slug)!, answers as never);

/** The answers as the estimator can give them: what it does not ask is NOT_ASKED or absent. */
function asTheEstimatorAsks(answers: AssessmentAnswers): AssessmentAnswers {
  const outcomes = Object.fromEntries(
    Object.entries(answers.outcomes).map(([id, { notes: _, ...o }]) => [id, o]),
  );
  const { impairmentNotes: _, ...rest } = answers;
  return { ...rest, outcomes, wellbeingReasons: NOT_ASKED, whatMattersToMe: NOT_ASKED };
}

/** Eligible: 3 outcomes not achieved, a significant impact, a carer willing and able (so 10% comes off). */
const eligible = (): AssessmentAnswers =>
  asTheEstimatorAsks({
    ...answering(
      notAchieving(
        answersManagingEverything(),
        ["nutrition", "personal_hygiene", "home_safety"],
        ["needs_assistance"],
        'My daughter "Jo" cooks & <shops>',
      ),
      "nutrition",
      "nutrition.meal_preparation",
      "full_help",
    ),
    informalCarer: { hasCarer: true, willingAndAbleToContinue: true },
  });

describe.each(enginesUnderTest())("the public estimator's pages on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let ctx: ServiceContext;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");

    const seeded = { tenantId: await demoTenantId(database) };
    ctx = {
      db: database.db,
      scope: { tenantId: seeded.tenantId, actor: { type: "staff", id: "routes-test" } },
      today: TODAY,
    };
    app = await buildTestApp(database);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  /** From the start page to "Check your answers", answering every page with these answers. */
  async function answerAll(visitor: Visitor, answers: AssessmentAnswers): Promise<LightMyRequestResponse> {
    let res = await visitor.get("/demo/estimate/questions");
    expect(res.statusCode).toBe(200);
    for (const [i, section] of SECTIONS.entries()) {
      expect(res.body, section.slug).toContain(`name="page" value="${section.slug}"`);
      expect(pageText(res.body)).toContain(`Estimate: step ${i + 1} of ${SECTIONS.length}`);
      res = await visitor.answer("demo", section.slug, pageFields(section.slug, answers));
      expect(res.statusCode, `${section.slug}: ${pageText(res.body).slice(0, 400)}`).toBe(200);
      expect(res.headers["cache-control"]).toBe("no-store");
    }
    expect(titleOf(res.body)).toMatch(/^Check your answers/);
    return res;
  }

  it("the whole flow, from the start page to the estimate, writes nothing and sets no cookie but the CSRF one", async () => {
    const before = await rowCounts(database.db);
    expect(before["public.audit_events"]).toBeGreaterThan(0);
    const visitor = new Visitor(app);

    // The service's start page links to the estimator, which asks which council.
    let res = await visitor.get("/");
    expect(res.body).toContain('href="/estimate"');
    res = await visitor.get("/estimate");
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<a class="govuk-link" href="/demo/estimate">Demo Council</a>');
    expect(res.body).toContain('href="/other/estimate"');

    // The council's start page: what it is, that it is an estimate, who may use it, nothing saved.
    res = await visitor.get("/demo/estimate");
    expect(res.statusCode).toBe(200);
    const start = pageText(res.body);
    expect(start).toContain("Estimate what care and support you might get");
    expect(start).toContain("This is only an estimate. It is not a decision.");
    expect(start).toContain("to help someone else");
    expect(start).toContain("Your answers are not saved");
    expect(res.body).toContain('href="/demo/estimate/questions"');

    const answers = eligible();
    res = await answerAll(visitor, answers);
    // Check your answers: every asked page, each with a Change button; what was not asked is not shown.
    for (const s of SECTIONS) expect(res.body).toContain(`name="page" value="${s.slug}">Change`);
    expect(pageText(res.body)).toContain('My daughter "Jo" cooks & <shops>');
    expect(pageText(res.body)).not.toContain(NOT_ASKED);
    expect(pageText(res.body)).not.toContain("What matters to you");

    res = await visitor.post("/demo/estimate/result");
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(titleOf(res.body)).toMatch(/^Your estimate/);
    const page = pageText(res.body);
    const expected = estimate(answers, pack, exampleRasModel);
    expect(expected.allocation).not.toBeNull();
    const working = expected.allocation!;
    expect(page).toContain("This is an estimate, not a decision.");
    expect(page).toContain("your needs look likely to meet the national eligibility rules");
    expect(page).toContain(`A week ${formatPounds(working.weeklyPence)}`);
    expect(page).toContain(`A year (52 weeks) ${formatPounds(working.annualPence)}`);
    // Every line of the working: each answer's points, and each step in words.
    for (const line of working.lines)
      expect(page).toContain(`${line.question} ${line.answer} ${line.points}`);
    for (const line of working.explanation) expect(res.body).toContain(htmlEscape(line));
    expect(working.adjustments).toHaveLength(1);
    expect(page).toContain("That help is not counted here");
    // What happens next, and how to ask for an assessment (the Care Act right, s9).
    expect(page).toContain("What happens next");
    expect(page).toContain("Contact the adult social care team at Demo Council");
    expect(res.body).toContain('href="https://www.legislation.gov.uk/ukpga/2014/23/section/9"');
    expect(page).not.toMatch(/You are eligible|We decided|Our decision/);

    expect(await rowCounts(database.db)).toEqual(before);
    expect([...visitor.cookiesSet]).toEqual(["upfront_csrf"]);
  });

  it("needs that do not look eligible get the reasons and no budget", async () => {
    const visitor = new Visitor(app);
    const answers = asTheEstimatorAsks(notAchieving(answersManagingEverything(), ["nutrition"]));
    await answerAll(visitor, answers);
    const res = await visitor.post("/demo/estimate/result");
    expect(res.statusCode).toBe(200);
    const page = pageText(res.body);
    expect(page).toContain(
      "your needs may not meet the national eligibility rules: 1 of the 3 parts is not met",
    );
    expect(page).toContain(
      "You said there is 1 thing on the list of 10 that you cannot do on your own: getting enough to eat and drink. The rules need at least 2.",
    );
    expect(page).toContain("No budget has been estimated");
    expect(page).not.toContain("How the estimate was worked out");
    expect(page).toContain("You can still ask for an assessment");
  });

  it("a page with missing answers shows the GOV.UK error summary, and keeps the answers so far", async () => {
    const visitor = new Visitor(app);
    await visitor.get("/demo/estimate/questions");
    let res = await visitor.answer("demo", "about-your-needs", {});
    expect(res.statusCode).toBe(400);
    expect(titleOf(res.body)).toMatch(/^Error: About your needs/);
    expect(res.body).toContain("govuk-error-summary");
    expect(res.body).toContain('href="#needsFromImpairmentOrIllness"');
    expect(res.body).toContain('href="#needsFluctuate"');
    expect(res.body).toContain("govuk-error-message");

    // Needs that change need a word about the harder days, in the estimator's words.
    res = await visitor.answer("demo", "about-your-needs", {
      needsFromImpairmentOrIllness: "yes",
      needsFluctuate: "yes",
    });
    expect(res.statusCode).toBe(400);
    expect(pageText(res.body)).toContain("Enter how often you have harder days, and what they are like");
    expect(res.body).toContain('href="#fluctuationNotes"');
    // What was chosen is still chosen.
    expect(res.body).toMatch(
      /id="needsFromImpairmentOrIllness" name="needsFromImpairmentOrIllness" type="radio" value="yes" checked/,
    );

    res = await visitor.answer("demo", "about-your-needs", {
      needsFromImpairmentOrIllness: "yes",
      needsFluctuate: "yes",
      fluctuationNotes: "Bad days about twice a week.",
    });
    expect(res.statusCode).toBe(200);
    const carried = visitor.carried;
    expect(JSON.parse(carried)).toMatchObject({
      needsFluctuate: true,
      fluctuationNotes: "Bad days about twice a week.",
    });

    // An outcome answered "no" needs a reason; the answers from before travel on, unchanged.
    res = await visitor.answer("demo", "outcomes/nutrition", { canAchieveWithoutHelp: "no" });
    expect(res.statusCode).toBe(400);
    expect(pageText(res.body)).toContain("Select why you cannot do this on your own");
    expect(pageText(res.body)).toContain("Select the answer that best describes making meals and drinks");
    expect(visitor.carried).toBe(carried);
  });

  it("Back shows the page before with its answers; Change goes from check answers to the page and back", async () => {
    const visitor = new Visitor(app);
    const answers = eligible();
    await answerAll(visitor, answers);
    const atCheck = visitor.carried;

    // Change "Getting dressed" from check answers: the page shows the answers given, and returns to check answers.
    let res = await visitor.post("/demo/estimate/questions", {
      page: "outcomes/clothing",
      go: "show",
      from: "check",
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('name="from" value="check"');
    expect(res.body).toMatch(/value="yes" checked/);
    const changed = {
      ...pageFields("outcomes/clothing", answers),
      canAchieveWithoutHelp: "no",
      difficulties: ["takes_significantly_longer"],
    };
    res = await visitor.post("/demo/estimate/questions", {
      ...changed,
      page: "outcomes/clothing",
      go: "continue",
      from: "check",
    });
    expect(res.statusCode).toBe(200);
    expect(titleOf(res.body)).toMatch(/^Check your answers/);
    expect(JSON.parse(visitor.carried).outcomes.clothing.canAchieveWithoutHelp).toBe(false);

    // Back from check answers: the last page, filled in.
    res = await visitor.post(
      "/demo/estimate/questions",
      { page: SECTIONS.at(-1)!.slug, go: "show" },
      { answers: atCheck },
    );
    expect(titleOf(res.body)).toMatch(/^Your circumstances/);
    expect(res.body).toMatch(/value="lives_alone" checked/);
    // The first page's Back is a plain link to the start page.
    res = await visitor.get("/demo/estimate/questions");
    expect(res.body).toContain('<a href="/demo/estimate" class="govuk-back-link">Back</a>');
  });

  it("asking for the estimate with pages unanswered shows check answers with what is missing", async () => {
    const visitor = new Visitor(app);
    await visitor.get("/demo/estimate/questions");
    await visitor.answer("demo", "about-your-needs", {
      needsFromImpairmentOrIllness: "yes",
      needsFluctuate: "no",
    });
    const res = await visitor.post("/demo/estimate/result");
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain("govuk-error-summary");
    expect(pageText(res.body)).toContain(
      "Getting enough to eat and drink: answer the questions on this page",
    );
    expect(res.body).toContain('href="#answers-outcomes-nutrition"');
    expect(res.body).toContain('id="answers-outcomes-nutrition"');
    expect(pageText(res.body)).not.toContain("What matters to you");
  });

  it("an unknown council is a 404 page, on every page of the estimator", async () => {
    const visitor = new Visitor(app);
    for (const url of [
      "/nowhere/estimate",
      "/nowhere/estimate/questions",
      "/NOT_A_SLUG/estimate",
      "/nowhere/estimate/result",
    ]) {
      const res = await visitor.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(titleOf(res.body)).toMatch(/^Page not found/);
    }
    await visitor.get("/demo/estimate/questions"); // a form's CSRF token, so the POST reaches the page
    const res = await visitor.post("/nowhere/estimate/questions", { page: "about-your-needs" });
    expect(res.statusCode).toBe(404);
    expect(pageText(res.body)).toContain("There is no council at this address");
  });

  it("refuses a form without the CSRF token, and answers that were tampered with or are out of date", async () => {
    const visitor = new Visitor(app);
    await visitor.get("/demo/estimate/questions");
    let res = await visitor.post("/demo/estimate/result", {}, { csrf: false });
    expect(res.statusCode).toBe(403);

    for (const answers of [
      "not json",
      "[]",
      JSON.stringify({
        questionnaireId: questionnaire.id,
        outcomes: { nutrition: { canAchieveWithoutHelp: "maybe" } },
      }),
      JSON.stringify({ questionnaireId: questionnaire.id, somethingElse: 1 }),
    ]) {
      res = await visitor.post("/demo/estimate/result", {}, { answers });
      expect(res.statusCode, answers).toBe(400);
      expect(pageText(res.body)).toContain("Sorry, you need to start again");
      expect(res.body).toContain('href="/demo/estimate"');
    }
    res = await visitor.post(
      "/demo/estimate/questions",
      { page: "wellbeing", go: "show" },
      {
        answers: JSON.stringify({ questionnaireId: "england-sdsa-2015.1", needsFluctuate: false }),
      },
    );
    expect(res.statusCode).toBe(400);
    expect(pageText(res.body)).toContain("The questions have changed since you started");
    // A page that is not one of the estimator's.
    res = await visitor.post(
      "/demo/estimate/questions",
      { page: "what-matters-to-you", go: "show" },
      { answers: "" },
    );
    expect(res.statusCode).toBe(400);
  });

  it("a bookmarked estimate starts again: the answers are not kept anywhere to show it", async () => {
    const res = await app.inject({ method: "GET", url: "/demo/estimate/result" });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/demo/estimate");
  });

  it("for random answers, the pages give what the staff path decides (submitAssessment)", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(answersArbitrary(questionnaire), async (generated) => {
        const answers = asTheEstimatorAsks(generated);
        n++;
        const person = await createPerson(ctx, {
          reference: `PAGES-${n}`,
          givenName: "Pages",
          familyName: `Person${n}`,
          dateOfBirth: "1944-02-29",
        });
        const draft = await startAssessment(ctx, person.personId);
        await saveAnswers(ctx, draft.assessmentId, answers);
        const staff = await submitAssessment(ctx, draft.assessmentId);

        const visitor = new Visitor(app);
        await answerAll(visitor, answers);
        // The answers that reached the estimate are the answers given.
        expect({ ...JSON.parse(visitor.carried), whatMattersToMe: NOT_ASKED }).toEqual(answers);
        const res = await visitor.post("/demo/estimate/result");
        expect(res.statusCode).toBe(200);
        const page = pageText(res.body);
        if (staff.decision.eligible) {
          expect(page).toContain("your needs look likely to meet");
          expect(page).toContain(`A week ${formatPounds(staff.allocation!.weeklyPence as Pence)}`);
          for (const line of staff.allocation!.working.explanation)
            expect(res.body).toContain(htmlEscape(line));
        } else {
          expect(page).toContain("your needs may not meet");
          expect(page).toContain("No budget has been estimated");
        }
        // Each of the 3 parts, met or not as the staff decision found it.
        const tags = [...page.matchAll(/Part \d: [\s\S]*?Looks (not )?met/g)].map((m) => m[1] === undefined);
        expect(tags).toEqual(staff.decision.decision.conditions.map((c) => c.met));
      }),
      { numRuns: 25 },
    );
  }, 180_000);
});
