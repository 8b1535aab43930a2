import type { FastifyReply, FastifyRequest } from "fastify";
import { type FinancialAnswers, type SectionName, sectionsNeeded } from "#/features/charging/answers.ts";
import type { AgreedPlanCost } from "#/features/charging/cost-of-care.ts";
import type { ErrorLink, FieldErrors, FormBody, FormValues } from "#/features/charging/forms.ts";
import { type FinancialAssessment, getFinancialAssessment } from "#/features/charging/service.ts";
import { getPerson, type Person } from "#/features/people/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { NotFoundError } from "#/platform/errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";
import { type ChargingJurisdiction, isChargingJurisdiction } from "#/rules/charging.ts";

/**
 * What every financial-assessment page shares: where a draft's pages are and in what order, loading the
 * assessment with its person, refusing changes to a completed one, and rendering a page with its caption and
 * back link. The pages themselves: routes.ts (start, task list, result), answer-routes.ts, list-routes.ts.
 */

/** The app's dependencies, with where the agreed plan's cost comes from (budgets, above charging: app.ts). */
export type ChargingRouteDeps = RouteDeps & { agreedPlanCost: AgreedPlanCost };

export const base = (id: string) => `/financial-assessments/${id}`;
export const fullName = (p: Person) => `${p.givenName} ${p.familyName}`;

export type Loaded = {
  ctx: ServiceContext;
  fa: FinancialAssessment;
  person: Person;
  answers: FinancialAnswers;
  jurisdiction: ChargingJurisdiction;
};

/** The pages of a draft, in order; which appear depends on the route chosen on the first. */
export const PAGE_ORDER: { slug: string; section: SectionName }[] = [
  { slug: "about", section: "about" },
  { slug: "circumstances", section: "circumstances" },
  { slug: "incomes", section: "incomes" },
  { slug: "capital", section: "capital" },
  { slug: "housing-costs", section: "housingCosts" },
  { slug: "disability-related-expenditure", section: "dre" },
  { slug: "cost-of-care", section: "costOfCare" },
];

export const slugOf = (section: SectionName) => PAGE_ORDER.find((p) => p.section === section)!.slug;

/** Where "Save and continue" goes: back to check answers when everything needed is answered, else onwards. */
export function nextPage(id: string, answers: FinancialAnswers, current: string, from: string): string {
  const needed = sectionsNeeded(answers.about?.route);
  const unanswered = needed.filter((s) => answers[s] === undefined);
  if (from === "check" && unanswered.length === 0) return `${base(id)}/check-answers`;
  if (current === "disability-related-expenditure" && answers.dre?.kind === "itemised")
    return `${base(id)}/disability-related-expenditure/items${from === "check" ? "?from=check" : ""}`;
  const index = PAGE_ORDER.findIndex((p) => p.slug === current || current.startsWith(`${p.slug}/`));
  const next = PAGE_ORDER.slice(index + 1).find((p) => needed.includes(p.section));
  return next ? `${base(id)}/${next.slug}` : `${base(id)}/check-answers`;
}

/** The guards and helpers of the financial-assessment pages, made once for the app's dependencies. */
export function chargingPageKit(deps: ChargingRouteDeps) {
  const read = { preHandler: requireStaff("charging:read") };
  const write = { preHandler: requireStaff("charging:write") };

  const context = serviceContextFor(deps);

  const jurisdictionOf = (request: FastifyRequest): ChargingJurisdiction => {
    const j = request.staff!.jurisdiction;
    if (!isChargingJurisdiction(j)) throw new NotFoundError(`Charging rules for ${j}`);
    return j;
  };

  async function load(request: FastifyRequest): Promise<Loaded> {
    const { id } = request.params as { id: string };
    const ctx = context(request);
    const fa = await getFinancialAssessment(ctx, id);
    const person = await getPerson(ctx, fa.personId);
    return { ctx, fa, person, answers: fa.answers, jurisdiction: jurisdictionOf(request) };
  }

  function refuseIfCompleted(reply: FastifyReply, loaded: Loaded): boolean {
    if (loaded.fa.status === "draft") return false;
    reply.code(409).render("error.njk", {
      title: "This financial assessment cannot be changed",
      paragraphs: [
        `Version ${loaded.fa.version} of ${fullName(loaded.person)}'s financial assessment has been completed, and what it works out is on record.`,
        "To change it, start a new version from the financial assessment page. The completed version stays as it is.",
      ],
      links: [{ href: base(loaded.fa.financialAssessmentId), text: "Go to the financial assessment" }],
    });
    return true;
  }

  const caption = (l: Loaded) => `${fullName(l.person)}: financial assessment version ${l.fa.version}`;
  const fromOf = (request: FastifyRequest) => {
    const q = (request.query as Record<string, unknown>).from;
    const b = ((request.body ?? {}) as FormBody).from;
    return q === "check" || b === "check" ? "check" : "";
  };

  function renderPage(
    reply: FastifyReply,
    template: string,
    loaded: Loaded,
    slug: string,
    extra: Record<string, unknown> & {
      values?: FormValues;
      errors?: FieldErrors;
      errorList?: ErrorLink[];
      from?: string;
    },
  ) {
    const id = loaded.fa.financialAssessmentId;
    return reply.render(`charging/views/${template}.njk`, {
      backLink: extra.from === "check" ? `${base(id)}/check-answers` : base(id),
      caption: caption(loaded),
      action: `${base(id)}/${slug}`,
      person: loaded.person,
      fa: loaded.fa,
      answers: loaded.answers,
      jurisdiction: loaded.jurisdiction,
      values: {},
      errors: {},
      ...extra,
    });
  }

  return { deps, read, write, context, jurisdictionOf, load, refuseIfCompleted, caption, fromOf, renderPage };
}

export type ChargingPageKit = ReturnType<typeof chargingPageKit>;
