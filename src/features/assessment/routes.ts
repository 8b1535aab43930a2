import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  describeSection,
  findSection,
  locateFieldError,
  nextSection,
  parseSection,
  parseSectionLeniently,
  questionnaireById,
  type SavedAnswers,
  type Section,
  STATUS_LABELS,
  sectionStatus,
  sectionsOf,
  unfinishedSections,
  valuesFromAnswers,
} from "#/features/assessment/forms.ts";
import {
  type Assessment,
  getAllocation,
  getAssessment,
  getDecision,
  listAssessmentsForPerson,
  reviseAssessment,
  saveAnswers,
  startAssessment,
  submitAssessment,
} from "#/features/assessment/service.ts";
import { getPerson, type Person } from "#/features/people/service.ts";
import { getCouncilContact } from "#/features/tenants/contact-service.ts";
import { can } from "#/platform/auth/permissions.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { NotFoundError, ValidationError } from "#/platform/errors.ts";
import type { ErrorLink, FieldErrors, FormBody, FormValues } from "#/platform/web/forms.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";
import type { Questionnaire } from "#/rules/types.ts";

/**
 * The assessment pages: start (or revise), the task list, one page per section, check your answers and
 * submit; then the read-only assessment, the written eligibility decision and the allocation's working.
 * Each question page checks its own section (forms.ts) and saves it through the service; the service checks
 * everything again on submit.
 */

const base = (id: string) => `/assessments/${id}`;

type Loaded = {
  ctx: ServiceContext;
  assessment: Assessment;
  questionnaire: Questionnaire;
  person: Person;
  answers: SavedAnswers;
};

const fullName = (p: Person) => `${p.givenName} ${p.familyName}`;

type Context = (request: FastifyRequest) => ServiceContext;

async function load(context: Context, request: FastifyRequest): Promise<Loaded> {
  const { id } = request.params as { id: string };
  const ctx = context(request);
  const assessment = await getAssessment(ctx, id);
  const questionnaire = questionnaireById(assessment.questionnaireId);
  if (!questionnaire) throw new Error(`Questionnaire ${assessment.questionnaireId} is in no rule pack`);
  const person = await getPerson(ctx, assessment.personId);
  return { ctx, assessment, questionnaire, person, answers: assessment.answers as SavedAnswers };
}

/** A submitted assessment is a record of what was decided: its answers are never changed. */
function refuseIfSubmitted(reply: FastifyReply, loaded: Loaded): boolean {
  if (loaded.assessment.status === "draft") return false;
  const id = loaded.assessment.assessmentId;
  reply.code(409).render("error.njk", {
    title: "This assessment cannot be changed",
    paragraphs: [
      `Version ${loaded.assessment.version} of ${fullName(loaded.person)}'s assessment has been submitted, and its eligibility decision is on record.`,
      "To change the answers, start a new version from the assessment page. The submitted version stays as it is.",
    ],
    links: [{ href: base(id), text: "Go to the assessment" }],
  });
  return true;
}

const caption = (l: Loaded) => `${fullName(l.person)}: assessment version ${l.assessment.version}`;

// ---- the task list, or the submitted assessment ------------------------------------------------------------

/** A draft's task list: each section with its status, in three groups. */
function renderTaskList(request: FastifyRequest, reply: FastifyReply, loaded: Loaded) {
  const { assessment, questionnaire, person, answers } = loaded;
  const id = assessment.assessmentId;
  const sections = sectionsOf(questionnaire);
  const statuses = sections.map((s) => sectionStatus(s, answers, questionnaire));
  const taskItem = (section: Section, i: number) => {
    const status = statuses[i]!;
    return {
      title: { text: section.title },
      href: `${base(id)}/${section.slug}`,
      status:
        status === "completed"
          ? { text: STATUS_LABELS[status] }
          : {
              tag: {
                text: STATUS_LABELS[status],
                classes: status === "in_progress" ? "govuk-tag--light-blue" : "govuk-tag--blue",
              },
            },
    };
  };
  const groups = [
    { heading: "Your needs", items: [] as ReturnType<typeof taskItem>[] },
    { heading: "What you can and cannot do", items: [] as ReturnType<typeof taskItem>[] },
    { heading: "About you", items: [] as ReturnType<typeof taskItem>[] },
  ];
  sections.forEach((section, i) => {
    const g = section.group === "needs" ? 0 : section.group === "outcomes" ? 1 : 2;
    groups[g]!.items.push(taskItem(section, i));
  });
  const completed = statuses.filter((s) => s === "completed").length;
  return reply.render("assessment/views/overview.njk", {
    title: "Assessment",
    backLink: `/people/${person.personId}`,
    caption: caption(loaded),
    person,
    assessment,
    groups,
    completed,
    total: sections.length,
    allCompleted: completed === sections.length,
    mayWrite: can(request.staff!.roles, "assessment:write"),
    saved: (request.query as Record<string, unknown>).saved === "1",
  });
}

/** A submitted assessment: its answers, decision and allocation, read-only. */
async function renderSubmitted(request: FastifyRequest, reply: FastifyReply, loaded: Loaded) {
  const { assessment, questionnaire, person, answers, ctx } = loaded;
  const id = assessment.assessmentId;
  const sections = sectionsOf(questionnaire);
  const decision = await getDecision(ctx, id);
  const allocation = decision?.eligible ? await getAllocation(ctx, id) : null;
  const versions = await listAssessmentsForPerson(ctx, person.personId);
  const isLatest = versions[0]?.assessmentId === id;
  return reply.render("assessment/views/submitted.njk", {
    title: `Assessment version ${assessment.version}`,
    backLink: `/people/${person.personId}`,
    caption: fullName(person),
    person,
    assessment,
    decision,
    allocation,
    summaries: sections.map((s) => ({ section: s, rows: describeSection(s, answers, questionnaire) })),
    mayRevise: isLatest && can(request.staff!.roles, "assessment:write"),
    newerDraft: !isLatest && versions[0]?.status === "draft" ? versions[0] : null,
    justSubmitted: (request.query as Record<string, unknown>).submitted === "1",
  });
}

// ---- the question pages -----------------------------------------------------------------------------------

const sectionOf = (request: FastifyRequest, questionnaire: Questionnaire): Section => {
  const params = request.params as { outcome?: string };
  const slug = params.outcome
    ? `outcomes/${params.outcome}`
    : (request.routeOptions.url ?? "").replace("/assessments/:id/", "");
  const section = findSection(questionnaire, slug);
  if (!section) throw new NotFoundError("The page");
  return section;
};

const renderSection = (
  reply: FastifyReply,
  loaded: Loaded,
  section: Section,
  values: FormValues,
  extra: { errors?: FieldErrors; errorList?: ErrorLink[]; from?: string } = {},
) => {
  const id = loaded.assessment.assessmentId;
  const q = loaded.questionnaire;
  return reply.render(`assessment/views/sections/${section.kind}.njk`, {
    title: section.kind === "outcome" ? section.outcome!.question : section.title,
    backLink: extra.from === "check" ? `${base(id)}/check-answers` : base(id),
    caption: caption(loaded),
    action: `${base(id)}/${section.slug}`,
    section,
    outcome: section.outcome,
    values,
    errors: extra.errors ?? {},
    errorList: extra.errorList,
    from: extra.from === "check" ? "check" : "",
    meanings: q.unableToAchieveMeanings,
    wellbeingImpacts: q.wellbeingImpacts,
    primarySupportReasons: q.primarySupportReasons,
    livingSituations: q.livingSituations,
    person: loaded.person,
  });
};

const showSection = (context: Context) => async (request: FastifyRequest, reply: FastifyReply) => {
  const loaded = await load(context, request);
  if (refuseIfSubmitted(reply, loaded)) return reply;
  const section = sectionOf(request, loaded.questionnaire);
  const { from } = request.query as { from?: string };
  return renderSection(reply, loaded, section, valuesFromAnswers(section, loaded.answers), {
    from: from ?? "",
  });
};

const saveSection = (context: Context) => async (request: FastifyRequest, reply: FastifyReply) => {
  const loaded = await load(context, request);
  if (refuseIfSubmitted(reply, loaded)) return reply;
  const { questionnaire, assessment, ctx } = loaded;
  const id = assessment.assessmentId;
  const section = sectionOf(request, questionnaire);
  const body = (request.body ?? {}) as FormBody;
  const from = body.from === "check" ? "check" : "";

  if (body.action === "later") {
    // Keep what can be kept; the task list shows the section as in progress until it is finished.
    const partial = parseSectionLeniently(section, body, questionnaire);
    if (Object.keys(partial).length > 0) await saveAnswers(ctx, id, partial);
    return reply.redirect(`${base(id)}?saved=1`, 303);
  }

  const result = parseSection(section, body, questionnaire);
  if (!result.ok) {
    return renderSection(reply.code(400), loaded, section, result.values, {
      errors: result.errors,
      errorList: result.errorList,
      from,
    });
  }
  try {
    await saveAnswers(ctx, id, result.answers);
  } catch (error) {
    // The page's own check should catch everything; if the service still objects, show it on the page.
    if (!(error instanceof ValidationError)) throw error;
    const errors: FieldErrors = {};
    const errorList: ErrorLink[] = [];
    for (const e of error.fieldErrors) {
      const field = locateFieldError(e, questionnaire)?.field ?? "";
      if (field && !errors[field]) errors[field] = e.message;
      errorList.push({ text: e.message, href: `#${field || "main-content"}` });
    }
    return renderSection(reply.code(400), loaded, section, result.values, { errors, errorList, from });
  }
  if (from === "check") return reply.redirect(`${base(id)}/check-answers`, 303);
  const next = nextSection(questionnaire, section.slug);
  return reply.redirect(next ? `${base(id)}/${next.slug}` : `${base(id)}/check-answers`, 303);
};

// ---- check your answers --------------------------------------------------------------------------------------

const renderCheck = (reply: FastifyReply, loaded: Loaded, errorList?: ErrorLink[]) => {
  const { questionnaire, answers, assessment } = loaded;
  return reply.render("assessment/views/check-answers.njk", {
    title: "Check your answers",
    backLink: base(assessment.assessmentId),
    caption: caption(loaded),
    assessment,
    person: loaded.person,
    summaries: sectionsOf(questionnaire).map((s) => ({
      section: s,
      rows: describeSection(s, answers, questionnaire),
    })),
    errorList,
  });
};

// ---- the decision, and the allocation's working ------------------------------------------------------------

/** The written eligibility decision, with how to reach the council. */
const showDecision = (context: Context) => async (request: FastifyRequest, reply: FastifyReply) => {
  const loaded = await load(context, request);
  const { ctx, assessment, person } = loaded;
  const stored = await getDecision(ctx, assessment.assessmentId);
  if (!stored) throw new NotFoundError("The decision (the assessment has not been submitted)");
  const allocation = stored.eligible ? await getAllocation(ctx, assessment.assessmentId) : null;
  // The calc writes its reasons in order: the headline, each condition, each outcome not achieved, each
  // carer's help disregarded, then anything else (fluctuating needs). The page shows the structured parts
  // itself, so only that last group is listed as it stands.
  const d = stored.decision;
  const carerLines = d.outcomesNotAchieved.filter((o) => o.carerSupportDisregarded).length;
  const otherReasons = d.reasons.slice(1 + d.conditions.length + d.outcomesNotAchieved.length + carerLines);
  return reply.render("assessment/views/decision.njk", {
    title: `Eligibility decision for ${fullName(person)}`,
    backLink: base(assessment.assessmentId),
    person,
    assessment,
    stored,
    decision: stored.decision,
    otherReasons,
    allocation,
    // How to reach the council, as every decision letter says (platform/web/views/council-contact.njk).
    councilContact: await getCouncilContact(ctx),
    councilContactName: request.staff!.tenantName,
  });
};

/** The allocation's working: each line with its outcome's label. */
const showAllocation = (context: Context) => async (request: FastifyRequest, reply: FastifyReply) => {
  const loaded = await load(context, request);
  const { ctx, assessment, person, questionnaire } = loaded;
  const decision = await getDecision(ctx, assessment.assessmentId);
  if (!decision) throw new NotFoundError("The indicative budget (the assessment has not been submitted)");
  const stored = decision.eligible ? await getAllocation(ctx, assessment.assessmentId) : null;
  const outcomeLabel = (outcomeId: string) => {
    const label = questionnaire.outcomes.find((o) => o.id === outcomeId)?.label ?? outcomeId;
    return label.charAt(0).toUpperCase() + label.slice(1);
  };
  return reply.render("assessment/views/allocation.njk", {
    title: `Indicative budget for ${fullName(person)}`,
    backLink: base(assessment.assessmentId),
    person,
    assessment,
    eligible: decision.eligible,
    stored,
    working: stored?.working,
    lines:
      stored?.working.lines.map((line) => ({ ...line, outcomeLabel: outcomeLabel(line.outcomeId) })) ?? [],
  });
};

export async function assessmentRoutes(app: FastifyInstance, deps: RouteDeps) {
  const read = { preHandler: requireStaff("assessment:read") };
  const write = { preHandler: requireStaff("assessment:write") };
  const context = serviceContextFor(deps);

  // ---- start or revise ----------------------------------------------------------------------------------

  app.post("/people/:personId/assessments", write, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const ctx = context(request);
    const versions = await listAssessmentsForPerson(ctx, personId);
    const draft = versions.find((v) => v.status === "draft");
    // Two people pressing "Start" at once both land on the one draft.
    if (draft) return reply.redirect(base(draft.assessmentId), 303);
    const latest = versions[0];
    const started = latest
      ? await reviseAssessment(ctx, latest.assessmentId)
      : await startAssessment(ctx, personId);
    return reply.redirect(base(started.assessmentId), 303);
  });

  app.post("/assessments/:id/revise", write, async (request, reply) => {
    const { id } = request.params as { id: string };
    const revised = await reviseAssessment(context(request), id);
    return reply.redirect(base(revised.assessmentId), 303);
  });

  // ---- the task list, or the submitted assessment ------------------------------------------------------------

  app.get("/assessments/:id", read, async (request, reply) => {
    const loaded = await load(context, request);
    return loaded.assessment.status === "draft"
      ? renderTaskList(request, reply, loaded)
      : renderSubmitted(request, reply, loaded);
  });

  // ---- the question pages -----------------------------------------------------------------------------------

  for (const slug of ["about-your-needs", "wellbeing", "circumstances", "what-matters-to-you"]) {
    app.get(`/assessments/:id/${slug}`, read, showSection(context));
    app.post(`/assessments/:id/${slug}`, write, saveSection(context));
  }
  app.get("/assessments/:id/outcomes/:outcome", read, showSection(context));
  app.post("/assessments/:id/outcomes/:outcome", write, saveSection(context));

  // ---- check your answers, and submit -----------------------------------------------------------------------

  app.get("/assessments/:id/check-answers", read, async (request, reply) => {
    const loaded = await load(context, request);
    if (refuseIfSubmitted(reply, loaded)) return reply;
    return renderCheck(reply, loaded);
  });

  app.post("/assessments/:id/submit", write, async (request, reply) => {
    const loaded = await load(context, request);
    if (refuseIfSubmitted(reply, loaded)) return reply;
    const { questionnaire, answers, assessment, ctx } = loaded;
    const id = assessment.assessmentId;
    const pageHref = (s: Section) => `${base(id)}/${s.slug}?from=check`;

    // Each page's own check first: its messages are the ones the pages show.
    const unfinished = unfinishedSections(answers, questionnaire, pageHref);
    if (unfinished.length > 0) return renderCheck(reply.code(400), loaded, unfinished);

    try {
      await submitAssessment(ctx, id);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const errorList = error.fieldErrors.map((e) => {
        const at = locateFieldError(e, questionnaire);
        return at
          ? { text: `${at.section.title}: ${e.message}`, href: `${pageHref(at.section)}#${at.field}` }
          : { text: e.message, href: base(id) };
      });
      return renderCheck(reply.code(400), loaded, errorList);
    }
    return reply.redirect(`${base(id)}?submitted=1`, 303);
  });

  // ---- the decision, and the allocation's working (handlers above) ------------------------------------------

  app.get("/assessments/:id/decision", read, showDecision(context));
  app.get("/assessments/:id/allocation", read, showAllocation(context));
}
