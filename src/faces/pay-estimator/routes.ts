import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  type Carried,
  payAnswersFrom,
  readAnswered,
  readBudget,
  readCarried,
  writeCarried,
} from "#/faces/pay-estimator/carried.ts";
import { estimateView, refusalsOf, rowsFor } from "#/faces/pay-estimator/explain.ts";
import {
  BENEFIT_LABELS,
  HOUSING_LABELS,
  HOW_OFTEN_CHOICES,
  INCOME_PAGES,
  isPage,
  PAGE_TITLES,
  type PageSlug,
  PENSION_LABELS,
  PREMIUM_BENEFIT_LABELS,
  readPage,
  valuesFrom,
} from "#/faces/pay-estimator/forms.ts";
import {
  BENEFIT_TYPES,
  EXTRA_COST_ITEMS,
  EXTRA_COST_LABELS,
  HOUSING_KINDS,
  PENSION_TYPES,
  PREMIUM_BENEFITS,
} from "#/faces/pay-estimator/pay-estimator.calc.ts";
import {
  coverageOf,
  type EarlyRefusal,
  earlyRefusalFor,
  estimateFor,
  findPayEstimator,
  type PayEstimator,
  pageContextFor,
  pagesFor,
} from "#/faces/pay-estimator/service.ts";
import type { ChargingOptions } from "#/features/charging/charging.calc.ts";
import { type CouncilContact, publicCouncilContact } from "#/features/tenants/contact-service.ts";
import { listCouncils } from "#/features/tenants/service.ts";
import type { ErrorLink, FieldErrors, FormBody, FormValues } from "#/platform/web/forms.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";

/**
 * The public "estimate what you might pay" pages, per council at /{council}/pay-estimate: no sign-in, and
 * nothing stored. A start page (what it is, and what it can estimate today), short question pages, check your
 * answers, and the estimate: the weekly contribution towards the cost of care at home, what the council would
 * pay, and every step of the working with its rule — or, where the rules cannot give an amount, why not and
 * what to do instead. What cannot be estimated is said as early as it can be: the start page lists the
 * circumstances the council's figures do not cover yet (service.ts coverageOf), and the answers about the person
 * (then their savings) are run at once, so a person the rules cannot estimate is told after the first page, not
 * the last (earlyRefusalFor). Amounts of income and cost are entered a week, every 4 weeks, a month or a year.
 *
 * As the budget estimator (estimator/routes.ts): the answers so far travel in one hidden field, every step after
 * the first is a POST (with the CSRF token) answered by the next page, and pages holding answers are sent
 * `Cache-Control: no-store`. The budget estimator's result can send its estimated budget here, to use as the
 * cost of care.
 */

export type PayEstimatorRouteOptions = RouteDeps & {
  /** The charging rule packs to use (default: every registered pack). Tests pass fixtures. */
  charging?: ChargingOptions;
};

type Loaded = PayEstimator & { base: string; councilContact: CouncilContact | null };
type Back = { href: string } | { page: string };

const TEMPLATES = "pay-estimator/views";

/** The council's estimator, or a 404 page (and undefined) when there is none at this address. */
async function load(
  deps: PayEstimatorRouteOptions,
  root: string,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<Loaded | undefined> {
  const { council } = request.params as { council: string };
  const estimator = await findPayEstimator(deps.db, council, deps.today(), deps.charging);
  if (!estimator) {
    reply.code(404).render("error.njk", {
      title: "Page not found",
      paragraphs: [
        "There is no council at this address. If you typed the web address, check it is correct.",
        "You can choose your council from the list of councils that offer an online estimate.",
      ],
      links: [{ href: `${root}/pay-estimate`, text: "Choose your council" }],
    });
    return undefined;
  }
  const councilContact = await publicCouncilContact(deps.db, estimator.tenant.tenantId);
  return { ...estimator, base: `${root}/${estimator.tenant.slug}/pay-estimate`, councilContact };
}

const common = (l: Loaded, carried: Carried) => ({
  serviceTitle: `Upfront – ${l.tenant.name}`,
  council: l.tenant,
  base: l.base,
  carried: writeCarried(carried),
  // Every public page of the council shows how to contact it (platform/web/views/council-contact.njk).
  councilContact: l.councilContact,
  councilContactName: l.tenant.name,
});

const noStore = (reply: FastifyReply) => reply.header("cache-control", "no-store");

// ---- the start page, and the question pages -------------------------------------------------------------

function renderStart(root: string, reply: FastifyReply, l: Loaded, coverage = coverageOf(l)) {
  return reply.render(`${TEMPLATES}/start.njk`, {
    ...common(l, { pages: {} }),
    title: "Estimate what you might pay towards your care",
    backLink: `${root}/pay-estimate`,
    coverage,
    refusals: coverage.kind === "full" ? [] : refusalsOf(coverage.errors, null, l.tenant.name),
    uncovered: coverage.kind === "partial" ? coverage.uncovered.map((u) => u.words) : [],
    pages: pagesFor(l, { pages: {} }).length,
  });
}

function renderPage(
  reply: FastifyReply,
  l: Loaded,
  carried: Carried,
  slug: PageSlug,
  values: FormValues,
  extra: { errors?: FieldErrors; errorList?: ErrorLink[]; from?: string } = {},
) {
  const flow = pagesFor(l, carried);
  const index = flow.indexOf(slug);
  const fromCheck = extra.from === "check";
  const previous = index > 0 ? flow[index - 1] : undefined;
  const back: Back = fromCheck ? { page: "check" } : previous ? { page: previous } : { href: l.base };
  return noStore(reply).render(`${TEMPLATES}/questions/${slug}.njk`, {
    ...common(l, carried),
    ...pageContextFor(l, carried),
    title: PAGE_TITLES[slug],
    caption:
      index >= 0
        ? `Estimate what you might pay: step ${index + 1} of ${flow.length}`
        : "Estimate what you might pay",
    back,
    page: slug,
    from: fromCheck ? "check" : "",
    values,
    errors: extra.errors ?? {},
    errorList: extra.errorList,
    homeDisregarded: l.pack?.capital.mainHomeDisregard.status === "supported",
    premiumBenefits: PREMIUM_BENEFITS.map((id) => ({ id, label: PREMIUM_BENEFIT_LABELS[id] })),
    benefits: BENEFIT_TYPES.map((id) => ({ id, label: BENEFIT_LABELS[id] })),
    pensions: PENSION_TYPES.map((id) => ({ id, label: PENSION_LABELS[id] })),
    housingCosts: HOUSING_KINDS.map((id) => ({ id, label: HOUSING_LABELS[id] })),
    extraCosts: EXTRA_COST_ITEMS.map((id) => ({ id, label: EXTRA_COST_LABELS[id] })),
    howOften: HOW_OFTEN_CHOICES,
  });
}

function renderCheck(reply: FastifyReply, l: Loaded, carried: Carried, errorList?: ErrorLink[]) {
  const flow = pagesFor(l, carried);
  const ctx = pageContextFor(l, carried);
  const { answers } = readAnswered(carried, flow, ctx);
  return noStore(reply).render(`${TEMPLATES}/check-answers.njk`, {
    ...common(l, carried),
    title: "Check your answers",
    caption: "Estimate what you might pay",
    back: { page: flow.at(-1)! } satisfies Back,
    lightTouch: INCOME_PAGES.some((p) => !flow.includes(p)),
    summaries: flow.map((slug) => {
      const value = answers[slug];
      return {
        slug,
        id: cardId(slug),
        title: PAGE_TITLES[slug],
        rows: value
          ? rowsFor(slug, value, { ...ctx, councilName: l.tenant.name }, carried.pages[slug])
          : [{ key: "Not answered yet", value: "Answer the questions on this page" }],
      };
    }),
    errorList,
  });
}

/** Told as soon as the answers about them (or their savings) mean no estimate: what to do instead. */
function renderRefusedEarly(
  reply: FastifyReply,
  l: Loaded,
  carried: Carried,
  page: PageSlug,
  refusal: EarlyRefusal,
) {
  return noStore(reply).render(`${TEMPLATES}/cannot-estimate.njk`, {
    ...common(l, carried),
    title: "We cannot estimate what you might pay",
    caption: "Estimate what you might pay",
    back: { page } satisfies Back,
    page,
    uncovered: refusal.uncovered,
    overLimitPence: refusal.overLimitPence,
    next: pagesFor(l, carried).at(pagesFor(l, carried).indexOf(page) + 1),
    refusals: refusalsOf(refusal.errors, refusal.chargingCase, l.tenant.name),
  });
}

function renderStartAgain(reply: FastifyReply, l: Loaded, reason: "unreadable" | "changed") {
  return reply.code(400).render("error.njk", {
    ...common(l, { pages: {} }),
    title: "Sorry, you need to start again",
    paragraphs:
      reason === "changed"
        ? ["The questions have changed since you started, so your answers cannot be used for an estimate."]
        : ["Your answers could not be read. This can happen if the page was changed or only partly sent."],
    links: [{ href: l.base, text: "Start the estimate again" }],
  });
}

/** A page's answers (or, with go=show, only showing a page): the next page, a refusal as early as it can be said, check your answers, or the page again with its errors. */
const answerPage =
  (deps: PayEstimatorRouteOptions, root: string) => async (request: FastifyRequest, reply: FastifyReply) => {
    const l = await load(deps, root, request, reply);
    if (!l) return reply;
    const body = (request.body ?? {}) as FormBody;

    // From the budget estimator's result: start, with its estimated budget to use as the cost of care.
    if (body.page === undefined && body.answers === undefined && body.budget !== undefined) {
      // If nothing can be estimated today, say so before asking anything.
      const coverage = coverageOf(l);
      if (coverage.kind === "none") return renderStart(root, reply, l, coverage);
      const budget = readBudget(body.budget);
      const carried: Carried = { pages: {}, ...(budget !== undefined ? { budgetWeeklyPence: budget } : {}) };
      return renderPage(reply, l, carried, "about-you", {});
    }

    const read = readCarried(body);
    if (!read.ok) return renderStartAgain(reply, l, read.reason);
    const carried = read.carried;
    const page = typeof body.page === "string" ? body.page : "";
    const from = body.from === "check" ? "check" : "";

    if (page === "check") return renderCheck(reply, l, carried);
    if (!isPage(page)) return renderStartAgain(reply, l, "unreadable");

    // Back and Change only show a page, with the answers it already has.
    if (body.go === "show") return renderPage(reply, l, carried, page, carried.pages[page] ?? {}, { from });

    const values = valuesFrom(page, body);
    const result = readPage(page, values, pageContextFor(l, carried));
    if (!result.ok) {
      return renderPage(reply.code(400), l, carried, page, values, {
        errors: result.errors,
        errorList: result.errorList,
        from,
      });
    }
    const updated: Carried = { ...carried, pages: { ...carried.pages, [page]: values } };
    // Say at once when the answers about the person or their savings mean no estimate, not after every page.
    if (page === "about-you" || page === "savings") {
      const refusal = earlyRefusalFor(l, updated);
      if (refusal) return renderRefusedEarly(reply, l, updated, page, refusal);
    }
    const flow = pagesFor(l, updated);
    // From "Check your answers", go back there, unless the change means a page not yet answered is now asked.
    const next =
      from === "check"
        ? flow.find((p) => updated.pages[p] === undefined)
        : flow.slice(flow.indexOf(page) + 1).at(0);
    if (!next) return renderCheck(reply, l, updated);
    return renderPage(reply, l, updated, next, updated.pages[next] ?? {}, { from });
  };

// ---- the estimate ----------------------------------------------------------------------------------------

/** The estimate from the whole set of answers, why there is none, or check your answers with what is still missing. */
const showEstimate =
  (deps: PayEstimatorRouteOptions, root: string) => async (request: FastifyRequest, reply: FastifyReply) => {
    const l = await load(deps, root, request, reply);
    if (!l) return reply;
    const read = readCarried((request.body ?? {}) as FormBody);
    if (!read.ok) return renderStartAgain(reply, l, read.reason);
    const carried = read.carried;
    const flow = pagesFor(l, carried);
    const { answers, problems } = readAnswered(carried, flow, pageContextFor(l, carried));
    const payAnswers = payAnswersFrom(answers);
    if (problems.length > 0 || !payAnswers) {
      const list = problems.map((p) => ({ text: p.text, href: `#${cardId(p.slug)}` }));
      return renderCheck(reply.code(400), l, carried, list);
    }
    const page = {
      ...common(l, carried),
      title: "Your estimate",
      caption: "Estimate what you might pay",
      back: { page: "check" } satisfies Back,
    };
    if (!l.caseContext) {
      const coverage = coverageOf(l);
      const errors = coverage.kind === "full" ? [] : coverage.errors;
      return noStore(reply).render(`${TEMPLATES}/result.njk`, {
        ...page,
        refusals: refusalsOf(errors, null, l.tenant.name),
      });
    }
    const { chargingCase, outcome } = estimateFor(l, payAnswers);
    if (!outcome.ok) {
      return noStore(reply).render(`${TEMPLATES}/result.njk`, {
        ...page,
        refusals: refusalsOf(outcome.errors, chargingCase, l.tenant.name),
      });
    }
    return noStore(reply).render(`${TEMPLATES}/result.njk`, {
      ...page,
      estimate: estimateView(outcome.result, chargingCase, payAnswers),
      statement: outcome.result.statement,
    });
  };

export async function payEstimatorRoutes(app: FastifyInstance, deps: PayEstimatorRouteOptions) {
  // Under a prefix (the tests mount one with fixture rules), every link and form stays under it.
  const root = app.prefix;

  // ---- choose a council, and the start page ------------------------------------------------------------

  app.get("/pay-estimate", async (_request, reply) => {
    return reply.render(`${TEMPLATES}/councils.njk`, {
      title: "Choose your council",
      backLink: `${root}/`,
      councils: await listCouncils(deps.db),
      root,
    });
  });

  app.get("/:council/pay-estimate", async (request, reply) => {
    const l = await load(deps, root, request, reply);
    if (!l) return reply;
    return renderStart(root, reply, l);
  });

  // ---- the question pages --------------------------------------------------------------------------------

  app.get("/:council/pay-estimate/questions", async (request, reply) => {
    const l = await load(deps, root, request, reply);
    if (!l) return reply;
    return renderPage(reply, l, { pages: {} }, "about-you", {});
  });

  app.post("/:council/pay-estimate/questions", answerPage(deps, root));

  // ---- the estimate ----------------------------------------------------------------------------------------

  // A bookmarked estimate: the answers have gone, so start again.
  app.get("/:council/pay-estimate/result", async (request, reply) => {
    const l = await load(deps, root, request, reply);
    if (!l) return reply;
    return reply.redirect(l.base, 303);
  });

  app.post("/:council/pay-estimate/result", showEstimate(deps, root));
}

/** The id of a page's card on "Check your answers", where its Change button is. */
export function cardId(slug: string): string {
  return `answers-${slug}`;
}
