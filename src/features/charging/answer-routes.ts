import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { SECTION_TITLES, WEEKLY_ROUNDING } from "#/features/charging/answers.ts";
import {
  aboutValues,
  circumstancesValues,
  describeAnswers,
  type ErrorLink,
  type FieldErrors,
  type FormBody,
  type FormValues,
  moneyText,
  parseAbout,
  parseCircumstances,
  parseCostOfCare,
  parseDreKind,
  ROUTE_LABELS,
} from "#/features/charging/forms.ts";
import { base, type ChargingPageKit, type Loaded, nextPage, slugOf } from "#/features/charging/page-kit.ts";
import { COST_BASIS_TEXT, periodView } from "#/features/charging/result-view.ts";
import {
  completeFinancialAssessment,
  costOfCareFor,
  type Problem,
  saveFinancialAnswers,
  workOutFinancialAssessment,
} from "#/features/charging/service.ts";
import { getChargingSettings } from "#/features/charging/settings-service.ts";
import { can } from "#/platform/auth/permissions.ts";
import { versionInForce } from "#/platform/db/dated-versions.ts";
import { ValidationError } from "#/platform/errors.ts";

/**
 * A draft's question pages: about (and the light-touch route), circumstances, how disability-related expenditure
 * is assessed, the cost of care, and check answers with complete. The "add another" lists are in list-routes.ts.
 */
export function answerPageRoutes(app: FastifyInstance, kit: ChargingPageKit) {
  aboutPage(app, kit);
  circumstancesPage(app, kit);
  drePage(app, kit);
  costOfCarePage(app, kit);
  checkAnswersPage(app, kit);
}

/** About this financial assessment (and the light-touch route). */
function aboutPage(app: FastifyInstance, kit: ChargingPageKit) {
  const { read, write, load, refuseIfCompleted, fromOf, renderPage } = kit;

  app.get("/financial-assessments/:id/about", read, async (request, reply) => {
    const loaded = await load(request);
    if (refuseIfCompleted(reply, loaded)) return reply;
    return renderAbout(reply, loaded, aboutValues(loaded.answers), {}, undefined, fromOf(request));
  });

  function renderAbout(
    reply: FastifyReply,
    loaded: Loaded,
    values: FormValues,
    errors: FieldErrors,
    errorList: ErrorLink[] | undefined,
    from: string,
  ) {
    return renderPage(reply, "about", loaded, "about", {
      title: "About this financial assessment",
      values,
      errors,
      errorList,
      from,
      routes: Object.entries(ROUTE_LABELS).map(([value, label]) => ({ value, ...label })),
    });
  }

  app.post("/financial-assessments/:id/about", write, async (request, reply) => {
    const loaded = await load(request);
    if (refuseIfCompleted(reply, loaded)) return reply;
    const from = fromOf(request);
    const result = parseAbout((request.body ?? {}) as FormBody, loaded.jurisdiction);
    if (!result.ok)
      return renderAbout(reply.code(400), loaded, result.values, result.errors, result.errorList, from);
    const saved = await saveFinancialAnswers(loaded.ctx, loaded.fa.financialAssessmentId, {
      about: result.value,
    });
    return reply.redirect(nextPage(loaded.fa.financialAssessmentId, saved.answers, "about", from), 303);
  });
}

function circumstancesPage(app: FastifyInstance, kit: ChargingPageKit) {
  const { read, write, load, refuseIfCompleted, fromOf, renderPage } = kit;

  app.get("/financial-assessments/:id/circumstances", read, async (request, reply) => {
    const loaded = await load(request);
    if (refuseIfCompleted(reply, loaded)) return reply;
    return renderPage(reply, "circumstances", loaded, "circumstances", {
      title: "Circumstances",
      values: circumstancesValues(loaded.answers),
      from: fromOf(request),
    });
  });

  app.post("/financial-assessments/:id/circumstances", write, async (request, reply) => {
    const loaded = await load(request);
    if (refuseIfCompleted(reply, loaded)) return reply;
    const from = fromOf(request);
    const result = parseCircumstances((request.body ?? {}) as FormBody, loaded.jurisdiction);
    if (!result.ok) {
      return renderPage(reply.code(400), "circumstances", loaded, "circumstances", {
        title: "Circumstances",
        values: result.values,
        errors: result.errors,
        errorList: result.errorList,
        from,
      });
    }
    const saved = await saveFinancialAnswers(loaded.ctx, loaded.fa.financialAssessmentId, {
      circumstances: result.value,
    });
    return reply.redirect(
      nextPage(loaded.fa.financialAssessmentId, saved.answers, "circumstances", from),
      303,
    );
  });
}

/** Disability-related expenditure: how it is assessed (the itemised list is in list-routes.ts). */
function drePage(app: FastifyInstance, kit: ChargingPageKit) {
  const { deps, read, write, load, refuseIfCompleted, fromOf, renderPage } = kit;

  /** The council's standard DRE allowance on the date the assessment applies from, or null. */
  async function standardAllowance(loaded: Loaded): Promise<number | null> {
    const from = loaded.answers.about?.appliesFrom ?? deps.today();
    const settings = await getChargingSettings(loaded.ctx);
    const version = versionInForce(settings.policyVersions, from);
    return version?.policy.standardDreAllowanceWeeklyPence ?? null;
  }

  const renderDre = async (reply: FastifyReply, loaded: Loaded, extra: Record<string, unknown>) =>
    renderPage(reply, "dre", loaded, "disability-related-expenditure", {
      title: "Disability-related expenditure",
      standardAllowance: await standardAllowance(loaded),
      ...extra,
    });

  app.get("/financial-assessments/:id/disability-related-expenditure", read, async (request, reply) => {
    const loaded = await load(request);
    if (refuseIfCompleted(reply, loaded)) return reply;
    return renderDre(reply, loaded, {
      values: { kind: loaded.answers.dre?.kind ?? "" },
      from: fromOf(request),
    });
  });

  app.post("/financial-assessments/:id/disability-related-expenditure", write, async (request, reply) => {
    const loaded = await load(request);
    if (refuseIfCompleted(reply, loaded)) return reply;
    const from = fromOf(request);
    const result = parseDreKind((request.body ?? {}) as FormBody, await standardAllowance(loaded));
    if (!result.ok) {
      return renderDre(reply.code(400), loaded, {
        values: result.values,
        errors: result.errors,
        errorList: result.errorList,
        from,
      });
    }
    const items = result.value === "itemised" ? (loaded.answers.dre?.items ?? []) : [];
    const saved = await saveFinancialAnswers(loaded.ctx, loaded.fa.financialAssessmentId, {
      dre: { kind: result.value, items },
    });
    return reply.redirect(
      nextPage(loaded.fa.financialAssessmentId, saved.answers, "disability-related-expenditure", from),
      303,
    );
  });
}

/** The cost of care: what is known (agreed plan, indicative budget), else an estimate; Scotland's personal care. */
function costOfCarePage(app: FastifyInstance, kit: ChargingPageKit) {
  const { deps, read, write, load, refuseIfCompleted, fromOf, renderPage } = kit;

  const renderCost = async (reply: FastifyReply, loaded: Loaded, extra: Record<string, unknown>) => {
    const cost = await costOfCareFor(loaded.ctx, loaded.person.personId, deps.agreedPlanCost);
    return renderPage(reply, "cost-of-care", loaded, "cost-of-care", {
      title: "Cost of care",
      cost,
      ...extra,
    });
  };

  app.get("/financial-assessments/:id/cost-of-care", read, async (request, reply) => {
    const loaded = await load(request);
    if (refuseIfCompleted(reply, loaded)) return reply;
    const c = loaded.answers.costOfCare;
    return renderCost(reply, loaded, {
      values: {
        estimate: moneyText(c?.estimateWeeklyPence),
        personalCare: moneyText(c?.personalCareWeeklyPence),
      },
      from: fromOf(request),
    });
  });

  app.post("/financial-assessments/:id/cost-of-care", write, async (request, reply) => {
    const loaded = await load(request);
    if (refuseIfCompleted(reply, loaded)) return reply;
    const from = fromOf(request);
    const cost = await costOfCareFor(loaded.ctx, loaded.person.personId, deps.agreedPlanCost);
    const result = parseCostOfCare((request.body ?? {}) as FormBody, {
      needsEstimate: cost === null,
      scotland: loaded.jurisdiction === "scotland",
    });
    if (!result.ok) {
      return renderCost(reply.code(400), loaded, {
        values: result.values,
        errors: result.errors,
        errorList: result.errorList,
        from,
      });
    }
    const saved = await saveFinancialAnswers(loaded.ctx, loaded.fa.financialAssessmentId, {
      costOfCare: result.value,
    });
    return reply.redirect(
      nextPage(loaded.fa.financialAssessmentId, saved.answers, "cost-of-care", from),
      303,
    );
  });
}

/** Each problem with a link to the page that answers it. */
const problemLinks = (id: string, problems: Problem[]) =>
  problems.map((p) => ({
    ...p,
    href: p.section ? `${base(id)}/${slugOf(p.section)}?from=check` : null,
    sectionTitle: p.section ? SECTION_TITLES[p.section] : null,
  }));

/** Check the answers with what they come to, and complete. */
function checkAnswersPage(app: FastifyInstance, kit: ChargingPageKit) {
  const { deps, read, write, load, refuseIfCompleted, caption } = kit;

  async function renderCheck(
    reply: FastifyReply,
    loaded: Loaded,
    request: FastifyRequest,
    errorList?: ErrorLink[],
  ) {
    const id = loaded.fa.financialAssessmentId;
    const worked = await workOutFinancialAssessment(loaded.ctx, id, deps.agreedPlanCost);
    return reply.render("charging/views/check-answers.njk", {
      title: "Check the answers",
      backLink: base(id),
      caption: caption(loaded),
      person: loaded.person,
      fa: loaded.fa,
      summaries: describeAnswers(loaded.answers, base(id), { jurisdiction: loaded.jurisdiction }),
      worked,
      periods: worked.ok ? worked.result.periods.map(periodView) : [],
      problems: worked.ok ? [] : problemLinks(id, worked.problems),
      refused: !worked.ok && worked.problems.some((p) => p.kind === "refused"),
      costBasis: worked.ok ? COST_BASIS_TEXT[worked.input.costOfCare.basis] : null,
      maySettings: can(request.staff!.roles, "charging:settings"),
      errorList,
      weeklyRounding: WEEKLY_ROUNDING,
    });
  }

  app.get("/financial-assessments/:id/check-answers", read, async (request, reply) => {
    const loaded = await load(request);
    if (refuseIfCompleted(reply, loaded)) return reply;
    return renderCheck(reply, loaded, request);
  });

  app.post("/financial-assessments/:id/complete", write, async (request, reply) => {
    const loaded = await load(request);
    if (refuseIfCompleted(reply, loaded)) return reply;
    const id = loaded.fa.financialAssessmentId;
    try {
      await completeFinancialAssessment(loaded.ctx, id, deps.agreedPlanCost);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const worked = await workOutFinancialAssessment(loaded.ctx, id, deps.agreedPlanCost);
      const problems = worked.ok ? [] : problemLinks(id, worked.problems);
      return renderCheck(
        reply.code(400),
        loaded,
        request,
        problems.length
          ? problems.map((p) => ({ text: p.message, href: p.href ?? "#what-it-comes-to" }))
          : error.fieldErrors.map((e) => ({ text: e.message, href: "#what-it-comes-to" })),
      );
    }
    return reply.redirect(`${base(id)}?completed=1`, 303);
  });
}
