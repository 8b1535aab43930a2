import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { explainEligibility } from "#/faces/estimator/estimator.calc.ts";
import {
  type Carried,
  completeAnswers,
  estimatorRows,
  estimatorSections,
  findEstimatorSection,
  neighbours,
  parseEstimatorSection,
  readCarried,
  unfinished,
  withSection,
  writeCarried,
} from "#/faces/estimator/forms.ts";
import {
  type Estimator,
  estimateFor,
  findEstimator,
  howToAskForAnAssessment,
} from "#/faces/estimator/service.ts";
import type { SavedAnswers, Section } from "#/features/assessment/forms.ts";
import { valuesFromAnswers } from "#/features/assessment/forms.ts";
import { type CouncilContact, publicCouncilContact } from "#/features/tenants/contact-service.ts";
import { listCouncils } from "#/features/tenants/service.ts";
import type { ErrorLink, FieldErrors, FormBody, FormValues } from "#/platform/web/forms.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";

/**
 * The public estimator, per council at /{council}/estimate: no sign-in, and nothing stored. A start page,
 * one page per part of the assessment (the staff pages' questions and checks), check your answers, and the
 * estimate: whether the needs look eligible and why, and if so the indicative budget with every line of
 * its working, from the same rules and the council's current model, as the staff submit path.
 *
 * The answers so far travel in a hidden field (forms.ts), so every step after the first is a POST that
 * answers with the next page: /questions takes a page's answers (or, with go=show, only shows a page: the
 * Back and Change buttons), /result takes the whole set. A POST carries the CSRF token like any form. Pages
 * holding answers are sent `Cache-Control: no-store`, so a shared computer keeps no copy of them.
 */

type Loaded = Estimator & { base: string; today: string; councilContact: CouncilContact | null };

/** The page the person sees, and how to get back from it. */
type Back = { href: string } | { page: string; from?: "check" };

async function load(
  deps: RouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<Loaded | undefined> {
  const { council } = request.params as { council: string };
  const today = deps.today();
  const estimator = await findEstimator(deps.db, council, today);
  if (!estimator) {
    reply.code(404).render("error.njk", {
      title: "Page not found",
      paragraphs: [
        "There is no council at this address. If you typed the web address, check it is correct.",
        "You can choose your council from the list of councils that offer an online estimate.",
      ],
      links: [{ href: "/estimate", text: "Choose your council" }],
    });
    return undefined;
  }
  const councilContact = await publicCouncilContact(deps.db, estimator.tenant.tenantId);
  return { ...estimator, base: `/${estimator.tenant.slug}/estimate`, today, councilContact };
}

/** What every estimator page needs. */
const common = (l: Loaded, answers: SavedAnswers) => ({
  serviceTitle: `Upfront – ${l.tenant.name}`,
  council: l.tenant,
  base: l.base,
  carried: writeCarried(answers, l.pack.questionnaire),
  // Every public page of the council shows how to contact it (platform/web/views/council-contact.njk).
  councilContact: l.councilContact,
  councilContactName: l.tenant.name,
});

const noStore = (reply: FastifyReply) => reply.header("cache-control", "no-store");

// ---- the question pages --------------------------------------------------------------------------------

function renderSection(
  reply: FastifyReply,
  l: Loaded,
  answers: SavedAnswers,
  section: Section,
  values: FormValues,
  extra: { errors?: FieldErrors; errorList?: ErrorLink[]; from?: string } = {},
) {
  const q = l.pack.questionnaire;
  const { previous, index, total } = neighbours(q, section.slug);
  const fromCheck = extra.from === "check";
  const back: Back = fromCheck ? { page: "check" } : previous ? { page: previous.slug } : { href: l.base };
  return noStore(reply).render(`estimator/views/sections/${section.kind}.njk`, {
    ...common(l, answers),
    // The page's title is its h1: the question itself where the page asks one thing.
    title:
      section.kind === "outcome"
        ? section.outcome!.question
        : section.kind === "wellbeing"
          ? "What impact do your needs have on your wellbeing?"
          : section.title,
    caption: `Estimate: step ${index + 1} of ${total}`,
    back,
    page: section.slug,
    from: fromCheck ? "check" : "",
    section,
    outcome: section.outcome,
    values,
    errors: extra.errors ?? {},
    errorList: extra.errorList,
    meanings: q.unableToAchieveMeanings,
    wellbeingImpacts: q.wellbeingImpacts,
    primarySupportReasons: q.primarySupportReasons,
    livingSituations: q.livingSituations,
  });
}

function renderCheck(reply: FastifyReply, l: Loaded, answers: SavedAnswers, errorList?: ErrorLink[]) {
  const q = l.pack.questionnaire;
  const sections = estimatorSections(q);
  return noStore(reply).render("estimator/views/check-answers.njk", {
    ...common(l, answers),
    title: "Check your answers",
    caption: "Estimate",
    back: { page: sections.at(-1)!.slug } satisfies Back,
    summaries: sections.map((s) => ({
      section: s,
      id: cardId(s.slug),
      rows: estimatorRows(s, answers, q),
    })),
    errorList,
  });
}

/** The carried answers could not be used: say so, and offer a fresh start. Nothing is lost that was kept. */
function renderStartAgain(reply: FastifyReply, l: Loaded, carried: Extract<Carried, { ok: false }>) {
  return reply.code(400).render("error.njk", {
    ...common(l, {}),
    title: "Sorry, you need to start again",
    paragraphs:
      carried.reason === "changed"
        ? ["The questions have changed since you started, so your answers cannot be used for an estimate."]
        : ["Your answers could not be read. This can happen if the page was changed or only partly sent."],
    links: [{ href: l.base, text: "Start the estimate again" }],
  });
}

/** A page's answers (or, with go=show, only showing a page): the next page, check your answers, or the page again with its errors. */
const answerPage = (deps: RouteDeps) => async (request: FastifyRequest, reply: FastifyReply) => {
  const l = await load(deps, request, reply);
  if (!l) return reply;
  const q = l.pack.questionnaire;
  const body = (request.body ?? {}) as FormBody;
  const carried = readCarried(body, q);
  if (!carried.ok) return renderStartAgain(reply, l, carried);
  const answers = carried.answers;
  const page = typeof body.page === "string" ? body.page : "";
  const from = body.from === "check" ? "check" : "";

  if (page === "check") return renderCheck(reply, l, answers);
  const section = findEstimatorSection(q, page);
  if (!section) return renderStartAgain(reply, l, { ok: false, reason: "unreadable" });

  // Back and Change only show a page, with the answers it already has.
  if (body.go === "show") {
    return renderSection(reply, l, answers, section, valuesFromAnswers(section, answers), { from });
  }

  const result = parseEstimatorSection(section, body, q);
  if (!result.ok) {
    return renderSection(reply.code(400), l, answers, section, result.values, {
      errors: result.errors,
      errorList: result.errorList,
      from,
    });
  }
  const updated = withSection(answers, result.answers);
  const next = neighbours(q, section.slug).next;
  if (from === "check" || !next) return renderCheck(reply, l, updated);
  return renderSection(reply, l, updated, next, valuesFromAnswers(next, updated));
};

// ---- the estimate ----------------------------------------------------------------------------------------

/** The estimate from the whole set of answers, or check your answers with what is still missing. */
const showEstimate = (deps: RouteDeps) => async (request: FastifyRequest, reply: FastifyReply) => {
  const l = await load(deps, request, reply);
  if (!l) return reply;
  const q = l.pack.questionnaire;
  const carried = readCarried((request.body ?? {}) as FormBody, q);
  if (!carried.ok) return renderStartAgain(reply, l, carried);
  const answers = carried.answers;

  // Each page's own check first: its messages are the ones the pages show.
  const problems = unfinished(answers, q);
  if (problems.length > 0) {
    return renderCheck(
      reply.code(400),
      l,
      answers,
      problems.map((p) => ({ text: p.text, href: `#${cardId(p.slug)}` })),
    );
  }
  const result = await estimateFor(deps.db, l, l.today, completeAnswers(answers, q));
  if (!result.ok) {
    // Only reached if the pages' checks and the answers schema disagree: show what the schema says.
    return renderCheck(
      reply.code(400),
      l,
      answers,
      result.errors.map((e) => ({ text: e.message, href: "#answers" })),
    );
  }
  const { eligibility, allocation } = result.estimate;
  const outcomeLabel = (outcomeId: string) => {
    const label = q.outcomes.find((o) => o.id === outcomeId)?.label ?? outcomeId;
    return label.charAt(0).toUpperCase() + label.slice(1);
  };
  return noStore(reply).render("estimator/views/result.njk", {
    ...common(l, answers),
    title: "Your estimate",
    caption: "Estimate",
    back: { page: "check" } satisfies Back,
    explained: explainEligibility(eligibility, result.answers, l.pack),
    decision: eligibility,
    working: allocation,
    lines: allocation?.lines.map((line) => ({ ...line, outcomeLabel: outcomeLabel(line.outcomeId) })) ?? [],
    howToAsk: howToAskForAnAssessment(l.tenant.name, l.councilContact !== null),
  });
};

export async function estimatorRoutes(app: FastifyInstance, deps: RouteDeps) {
  // ---- choose a council, and the start page ------------------------------------------------------------

  app.get("/estimate", async (_request, reply) => {
    const councils = await listCouncils(deps.db);
    return reply.render("estimator/views/councils.njk", {
      title: "Choose your council",
      backLink: "/",
      councils,
    });
  });

  app.get("/:council/estimate", async (request, reply) => {
    const l = await load(deps, request, reply);
    if (!l) return reply;
    return reply.render("estimator/views/start.njk", {
      ...common(l, {}),
      title: "Estimate what care and support you might get",
      backLink: "/estimate",
      pages: estimatorSections(l.pack.questionnaire).length,
      outcomes: l.pack.questionnaire.outcomes,
    });
  });

  // ---- the question pages --------------------------------------------------------------------------------

  app.get("/:council/estimate/questions", async (request, reply) => {
    const l = await load(deps, request, reply);
    if (!l) return reply;
    const first = estimatorSections(l.pack.questionnaire)[0]!;
    return renderSection(reply, l, {}, first, valuesFromAnswers(first, {}));
  });

  app.post("/:council/estimate/questions", answerPage(deps));

  // ---- the estimate ----------------------------------------------------------------------------------------

  // Someone who bookmarked the estimate, or came back to it later: the answers have gone, so start again.
  app.get("/:council/estimate/result", async (request, reply) => {
    const l = await load(deps, request, reply);
    if (!l) return reply;
    return reply.redirect(l.base, 303);
  });

  app.post("/:council/estimate/result", showEstimate(deps));
}

/** The id of a page's card on "Check your answers", where its Change button is. */
export function cardId(slug: string): string {
  return `answers-${slug.replaceAll("/", "-")}`;
}
