import type { FastifyInstance } from "fastify";
import { answerPageRoutes } from "#/features/charging/answer-routes.ts";
import { SECTION_TITLES, sectionsNeeded, WEEKLY_ROUNDING } from "#/features/charging/answers.ts";
import { describeAnswers, type FieldErrors, ROUTE_LABELS } from "#/features/charging/forms.ts";
import { listPageRoutes } from "#/features/charging/list-routes.ts";
import {
  base,
  type ChargingPageKit,
  type ChargingRouteDeps,
  chargingPageKit,
  fullName,
  slugOf,
} from "#/features/charging/page-kit.ts";
import { COST_BASIS_TEXT, periodView } from "#/features/charging/result-view.ts";
import {
  costOfCareFor,
  listFinancialAssessmentsForPerson,
  listRecentFinancialAssessments,
  startFinancialAssessment,
} from "#/features/charging/service.ts";
import { MAX_PAGE_SIZE } from "#/features/people/schemas.ts";
import { getPerson, listPeople, type Person } from "#/features/people/service.ts";
import { getCouncilContact } from "#/features/tenants/contact-service.ts";
import { can } from "#/platform/auth/permissions.ts";
import { ValidationError } from "#/platform/errors.ts";

/**
 * The finance officer's pages: find a person, start (or carry on with) their financial assessment, answer its
 * pages — a light-touch assessment is one page; a full one asks about circumstances, income, capital, housing
 * costs and disability-related expenditure, each list with "add another" that works without JavaScript — check
 * the answers with what they come to, and complete it. A completed one shows every step of its working with
 * the rule each follows. Each page checks its own answers (forms.ts); the service checks everything again.
 */
// Split by job: page-kit.ts (shared helpers), answer-routes.ts and list-routes.ts (a draft's pages),
// result-view.ts (how a result reads); the council's settings pages are settings-routes.ts.
export { COST_BASIS_TEXT, periodView, ruleText } from "#/features/charging/result-view.ts";

export async function chargingRoutes(app: FastifyInstance, deps: ChargingRouteDeps) {
  const kit = chargingPageKit(deps);
  startPages(app, kit);
  assessmentPage(app, kit);
  answerPageRoutes(app, kit);
  listPageRoutes(app, kit);
}

/** The finance officer's start (find a person; recent financial assessments), a person's, and "Start". */
function startPages(app: FastifyInstance, kit: ChargingPageKit) {
  const { deps, read, write, context } = kit;

  app.get("/charging", read, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const search = typeof query.search === "string" ? query.search.trim() : "";
    const ctx = context(request);
    let people: Person[] = [];
    let errors: FieldErrors = {};
    if (search) {
      try {
        people = (await listPeople(ctx, { search, page: 1, pageSize: Math.min(25, MAX_PAGE_SIZE) })).rows;
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        errors = { search: error.fieldErrors[0]?.message ?? "Check your search" };
      }
    }
    const recent = await listRecentFinancialAssessments(ctx, 20);
    return reply.code(errors.search ? 400 : 200).render("charging/views/home.njk", {
      title: "Financial assessments",
      search,
      searched: search !== "",
      people,
      recent,
      errors,
      errorList: errors.search ? [{ text: errors.search, href: "#search" }] : undefined,
      maySettings: can(request.staff!.roles, "charging:settings"),
    });
  });

  // A person's financial assessments.

  app.get("/people/:personId/charging", read, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const ctx = context(request);
    const person = await getPerson(ctx, personId);
    const versions = await listFinancialAssessmentsForPerson(ctx, person.personId);
    const cost = await costOfCareFor(ctx, person.personId, deps.agreedPlanCost);
    return reply.render("charging/views/person.njk", {
      title: `Financial assessment: ${fullName(person)}`,
      backLink: "/charging",
      person,
      versions,
      draft: versions.find((v) => v.status === "draft"),
      latestCompleted: versions.find((v) => v.status === "completed"),
      cost,
      mayWrite: can(request.staff!.roles, "charging:write"),
      ROUTE_LABELS,
    });
  });

  app.post("/people/:personId/financial-assessments", write, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const ctx = context(request);
    const versions = await listFinancialAssessmentsForPerson(ctx, personId);
    const draft = versions.find((v) => v.status === "draft");
    // Two people pressing "Start" at once both land on the one draft.
    if (draft) return reply.redirect(base(draft.financialAssessmentId), 303);
    const started = await startFinancialAssessment(ctx, personId);
    return reply.redirect(`${base(started.financialAssessmentId)}/about`, 303);
  });
}

/** A draft's task list, or a completed one's result. */
function assessmentPage(app: FastifyInstance, kit: ChargingPageKit) {
  const { read, load, caption } = kit;

  app.get("/financial-assessments/:id", read, async (request, reply) => {
    const loaded = await load(request);
    const { fa, person, answers } = loaded;
    const id = fa.financialAssessmentId;
    if (fa.status === "draft") {
      const needed = sectionsNeeded(answers.about?.route);
      const items = needed.map((section) => ({
        title: { text: SECTION_TITLES[section] },
        href: `${base(id)}/${slugOf(section)}`,
        status:
          answers[section] !== undefined
            ? { text: "Completed" }
            : { tag: { text: "Not yet started", classes: "govuk-tag--blue" } },
      }));
      const done = needed.filter((s) => answers[s] !== undefined).length;
      return reply.render("charging/views/overview.njk", {
        title: "Financial assessment",
        backLink: `/people/${person.personId}/charging`,
        caption: caption(loaded),
        person,
        fa,
        items,
        done,
        total: needed.length,
        allDone: done === needed.length,
        mayWrite: can(request.staff!.roles, "charging:write"),
      });
    }
    const versions = await listFinancialAssessmentsForPerson(loaded.ctx, person.personId);
    const result = fa.result!;
    return reply.render("charging/views/result.njk", {
      councilContact: await getCouncilContact(loaded.ctx),
      councilContactName: request.staff!.tenantName,
      title: `Financial assessment version ${fa.version}`,
      backLink: `/people/${person.personId}/charging`,
      caption: fullName(person),
      person,
      fa,
      result,
      periods: result.periods.map(periodView),
      costBasis: COST_BASIS_TEXT[fa.costOfCareBasis ?? "estimate"],
      summaries: describeAnswers(answers, base(id), { jurisdiction: loaded.jurisdiction }),
      isLatest: versions[0]?.financialAssessmentId === id,
      newerDraft: versions[0]?.status === "draft" && versions[0].financialAssessmentId !== id,
      mayWrite: can(request.staff!.roles, "charging:write"),
      justCompleted: (request.query as Record<string, unknown>).completed === "1",
      weeklyRounding: WEEKLY_ROUNDING,
    });
  });
}
