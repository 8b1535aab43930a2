import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  type FinancialAnswers,
  SECTION_TITLES,
  type SectionName,
  sectionsNeeded,
  WEEKLY_ROUNDING,
} from "#/features/charging/answers.ts";
import type { ChargingPeriodResult, ChargingStep } from "#/features/charging/charging.calc.ts";
import {
  aboutValues,
  CAPITAL_LABELS,
  circumstancesValues,
  describeAnswers,
  type ErrorLink,
  type FieldErrors,
  type FormBody,
  type FormValues,
  FREQUENCY_ITEMS,
  HOUSING_LABELS,
  INCOME_ITEMS,
  incomeLabel,
  moneyText,
  type PageResult,
  paidText,
  parseAbout,
  parseCapital,
  parseCircumstances,
  parseCostOfCare,
  parseDreItem,
  parseDreKind,
  parseHousing,
  parseIncome,
  ROUTE_LABELS,
} from "#/features/charging/forms.ts";
import {
  completeFinancialAssessment,
  costOfCareFor,
  type FinancialAssessment,
  getFinancialAssessment,
  listFinancialAssessmentsForPerson,
  listRecentFinancialAssessments,
  type Problem,
  saveFinancialAnswers,
  startFinancialAssessment,
  workOutFinancialAssessment,
} from "#/features/charging/service.ts";
import { getChargingSettings } from "#/features/charging/settings-service.ts";
import { MAX_PAGE_SIZE } from "#/features/people/schemas.ts";
import { getPerson, listPeople, type Person } from "#/features/people/service.ts";
import { can } from "#/platform/auth/permissions.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { NotFoundError, ValidationError } from "#/platform/errors.ts";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";
import { requireStaff, scopeOf } from "#/platform/web/security.ts";
import { type ChargingJurisdiction, isChargingJurisdiction } from "#/rules/charging.ts";

/**
 * The finance officer's pages: find a person, start (or carry on with) their financial assessment, answer its
 * pages — a light-touch assessment is one page; a full one asks about circumstances, income, capital, housing
 * costs and disability-related expenditure, each list with "add another" that works without JavaScript — check
 * the answers with what they come to, and complete it. A completed one shows every step of its working with
 * the rule each follows. Each page checks its own answers (forms.ts); the service checks everything again.
 */

const base = (id: string) => `/financial-assessments/${id}`;
const fullName = (p: Person) => `${p.givenName} ${p.familyName}`;

type Loaded = {
  ctx: ServiceContext;
  fa: FinancialAssessment;
  person: Person;
  answers: FinancialAnswers;
  jurisdiction: ChargingJurisdiction;
};

/** The pages of a draft, in order; which appear depends on the route chosen on the first. */
const PAGE_ORDER: { slug: string; section: SectionName }[] = [
  { slug: "about", section: "about" },
  { slug: "circumstances", section: "circumstances" },
  { slug: "incomes", section: "incomes" },
  { slug: "capital", section: "capital" },
  { slug: "housing-costs", section: "housingCosts" },
  { slug: "disability-related-expenditure", section: "dre" },
  { slug: "cost-of-care", section: "costOfCare" },
];

const slugOf = (section: SectionName) => PAGE_ORDER.find((p) => p.section === section)!.slug;

/** Where "Save and continue" goes: back to check answers when everything needed is answered, else onwards. */
function nextPage(id: string, answers: FinancialAnswers, current: string, from: string): string {
  const needed = sectionsNeeded(answers.about?.route);
  const unanswered = needed.filter((s) => answers[s] === undefined);
  if (from === "check" && unanswered.length === 0) return `${base(id)}/check-answers`;
  if (current === "disability-related-expenditure" && answers.dre?.kind === "itemised")
    return `${base(id)}/disability-related-expenditure/items${from === "check" ? "?from=check" : ""}`;
  const index = PAGE_ORDER.findIndex((p) => p.slug === current || current.startsWith(`${p.slug}/`));
  const next = PAGE_ORDER.slice(index + 1).find((p) => needed.includes(p.section));
  return next ? `${base(id)}/${next.slug}` : `${base(id)}/check-answers`;
}

/** The council policy's settings in plain words, where a step cites one. */
const POLICY_FIELD_NAMES: Record<string, string> = {
  migUpliftPercent: "its uplift to the Minimum Income Guarantee",
  lowerCapitalLimitPence: "its lower capital limit",
  upperCapitalLimitPence: "its upper capital limit",
  chargePercent: "the share of disposable income it charges",
  minimumChargeWeeklyPence: "its minimum charge",
  weeklyMaximumChargePence: "its weekly maximum charge",
  standardDreAllowanceWeeklyPence: "its standard disability-related expenditure allowance",
  incomeDisregards: "the income it disregards",
};

/** What a step's rule says, for the working table. */
export function ruleText(step: Pick<ChargingStep, "rule">): {
  title: string;
  provision?: string;
  url?: string;
  note?: string;
  supplied: boolean;
} {
  const r = step.rule;
  if (r.basis === "council_supplied") {
    return {
      title: `Supplied by the council, source: ${r.provision}`,
      supplied: true,
      ...(r.note ? { note: r.note } : {}),
    };
  }
  const provision =
    r.basis === "council_policy" && r.provision
      ? (POLICY_FIELD_NAMES[r.provision.split(":")[0]!] ?? r.provision)
      : r.provision;
  return {
    title: r.basis === "secondary" ? `${r.title} (read only in a secondary copy)` : r.title,
    ...(provision ? { provision } : {}),
    ...(r.url ? { url: r.url } : {}),
    ...(r.note ? { note: r.note } : {}),
    supplied: false,
  };
}

/** A period as the result pages show it. */
export function periodView(p: ChargingPeriodResult) {
  return {
    ...p,
    steps: p.steps.map((s) => ({ ...s, ruleView: ruleText(s) })),
    usesSuppliedFigures: p.steps.some((s) => s.rule.basis === "council_supplied"),
  };
}

export const COST_BASIS_TEXT: Record<string, string> = {
  agreed_plan: "the agreed support plan's cost",
  indicative_budget: "the indicative budget (there is no agreed support plan yet)",
  estimate: "an estimate (there is no agreed plan or indicative budget)",
};

export async function chargingRoutes(app: FastifyInstance, deps: RouteDeps) {
  const read = { preHandler: requireStaff("charging:read") };
  const write = { preHandler: requireStaff("charging:write") };

  const context = (request: FastifyRequest): ServiceContext => ({
    db: deps.db,
    scope: scopeOf(request),
    today: deps.today(),
  });

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

  // ---- the finance officer's start: find a person; recent financial assessments ------------------------------

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

  // ---- a person's financial assessments ---------------------------------------------------------------------

  app.get("/people/:personId/charging", read, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const ctx = context(request);
    const person = await getPerson(ctx, personId);
    const versions = await listFinancialAssessmentsForPerson(ctx, person.personId);
    const cost = await costOfCareFor(ctx, person.personId);
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

  // ---- a draft's task list, or a completed one's result -------------------------------------------------------

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

  // ---- about (and the light-touch route) ------------------------------------------------------------------

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

  // ---- circumstances ------------------------------------------------------------------------------------------

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

  // ---- lists with "add another": incomes, capital, housing costs, DRE items ----------------------------------------

  type ListSpec<T> = {
    slug: string;
    template: string;
    title: string;
    addButton: string;
    section: "incomes" | "capital" | "housingCosts" | "dreItems";
    parse: (body: FormBody) => PageResult<T>;
    describe: (item: T) => { key: string; value: string };
  };

  const itemsOf = (
    answers: FinancialAnswers,
    section: ListSpec<unknown>["section"],
  ): unknown[] | undefined =>
    section === "dreItems" ? answers.dre?.items : (answers[section] as unknown[] | undefined);

  const withItems = (section: ListSpec<unknown>["section"], items: unknown[]): FinancialAnswers =>
    section === "dreItems" ? { dre: { kind: "itemised", items: items as never } } : { [section]: items };

  function listPages<T>(spec: ListSpec<T>) {
    const render = (reply: FastifyReply, loaded: Loaded, extra: Record<string, unknown>) => {
      const items = (itemsOf(loaded.answers, spec.section) ?? []) as T[];
      return renderPage(reply, spec.template, loaded, spec.slug, {
        title: spec.title,
        addButton: spec.addButton,
        items: items.map((item, index) => ({ ...spec.describe(item), index })),
        frequencyItems: FREQUENCY_ITEMS,
        incomeItems: INCOME_ITEMS,
        capitalLabels: CAPITAL_LABELS,
        housingLabels: HOUSING_LABELS,
        weeklyRounding: WEEKLY_ROUNDING,
        ...extra,
      });
    };

    app.get(`/financial-assessments/:id/${spec.slug}`, read, async (request, reply) => {
      const loaded = await load(request);
      if (refuseIfCompleted(reply, loaded)) return reply;
      const q = request.query as Record<string, unknown>;
      return render(reply, loaded, {
        from: fromOf(request),
        added: q.added === "1",
        removed: q.removed === "1",
      });
    });

    app.post(`/financial-assessments/:id/${spec.slug}`, write, async (request, reply) => {
      const loaded = await load(request);
      if (refuseIfCompleted(reply, loaded)) return reply;
      const id = loaded.fa.financialAssessmentId;
      const body = (request.body ?? {}) as FormBody;
      const from = fromOf(request);
      const items = (itemsOf(loaded.answers, spec.section) ?? []) as T[];
      const typed = ["type", "kind", "amount", "value", "description", "disregardReason", "basis"].some(
        (f) => typeof body[f] === "string" && (body[f] as string).trim() !== "",
      );
      // "Continue" with nothing typed moves on; with something typed it adds it first.
      if (body.action === "continue" && !typed) {
        const saved =
          itemsOf(loaded.answers, spec.section) === undefined
            ? (await saveFinancialAnswers(loaded.ctx, id, withItems(spec.section, []))).answers
            : loaded.answers;
        return reply.redirect(nextPage(id, saved, spec.slug, from), 303);
      }
      const result = spec.parse(body);
      if (!result.ok) {
        return render(reply.code(400), loaded, {
          values: result.values,
          errors: result.errors,
          errorList: result.errorList,
          from,
        });
      }
      const saved = await saveFinancialAnswers(
        loaded.ctx,
        id,
        withItems(spec.section, [...items, result.value]),
      );
      if (body.action === "continue")
        return reply.redirect(nextPage(id, saved.answers, spec.slug, from), 303);
      return reply.redirect(`${base(id)}/${spec.slug}?added=1${from ? "&from=check" : ""}`, 303);
    });

    app.post(`/financial-assessments/:id/${spec.slug}/:index/remove`, write, async (request, reply) => {
      const loaded = await load(request);
      if (refuseIfCompleted(reply, loaded)) return reply;
      const id = loaded.fa.financialAssessmentId;
      const { index } = request.params as { index: string };
      const items = (itemsOf(loaded.answers, spec.section) ?? []) as T[];
      const i = /^\d{1,3}$/.test(index) ? Number(index) : -1;
      if (i < 0 || i >= items.length) throw new NotFoundError("That entry");
      await saveFinancialAnswers(
        loaded.ctx,
        id,
        withItems(
          spec.section,
          items.filter((_, j) => j !== i),
        ),
      );
      return reply.redirect(`${base(id)}/${spec.slug}?removed=1${fromOf(request) ? "&from=check" : ""}`, 303);
    });
  }

  listPages({
    slug: "incomes",
    template: "incomes",
    title: "Income",
    addButton: "Add this income",
    section: "incomes",
    parse: parseIncome,
    describe: (i) => ({ key: incomeLabel(i), value: paidText(i.amountPence, i.frequency) }),
  });
  listPages({
    slug: "capital",
    template: "capital",
    title: "Savings, investments and property",
    addButton: "Add this",
    section: "capital",
    parse: parseCapital,
    describe: (c) => ({
      key: c.description ? `${CAPITAL_LABELS[c.kind].text}: ${c.description}` : CAPITAL_LABELS[c.kind].text,
      value: `${formatPounds(c.valuePence as Pence)}${c.disregardReason ? ` (disregarded: ${c.disregardReason})` : ""}`,
    }),
  });
  listPages({
    slug: "housing-costs",
    template: "housing",
    title: "Housing costs",
    addButton: "Add this housing cost",
    section: "housingCosts",
    parse: parseHousing,
    describe: (h) => ({ key: HOUSING_LABELS[h.kind], value: paidText(h.amountPence, h.frequency) }),
  });
  listPages({
    slug: "disability-related-expenditure/items",
    template: "dre-items",
    title: "Disability-related expenses",
    addButton: "Add this expense",
    section: "dreItems",
    parse: parseDreItem,
    describe: (d) => ({ key: d.description, value: paidText(d.amountPence, d.frequency) }),
  });

  // ---- disability-related expenditure: how it is assessed ------------------------------------------------------

  /** The council's standard DRE allowance on the date the assessment applies from, or null. */
  async function standardAllowance(loaded: Loaded): Promise<number | null> {
    const from = loaded.answers.about?.appliesFrom ?? deps.today();
    const settings = await getChargingSettings(loaded.ctx);
    const version = settings.policyVersions.find(
      (v) => v.validFrom <= from && (v.validTo === null || from <= v.validTo),
    );
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

  // ---- cost of care -------------------------------------------------------------------------------------------

  const renderCost = async (reply: FastifyReply, loaded: Loaded, extra: Record<string, unknown>) => {
    const cost = await costOfCareFor(loaded.ctx, loaded.person.personId);
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
    const cost = await costOfCareFor(loaded.ctx, loaded.person.personId);
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

  // ---- check answers, and complete -------------------------------------------------------------------------------

  const problemLinks = (id: string, problems: Problem[]) =>
    problems.map((p) => ({
      ...p,
      href: p.section ? `${base(id)}/${slugOf(p.section)}?from=check` : null,
      sectionTitle: p.section ? SECTION_TITLES[p.section] : null,
    }));

  async function renderCheck(
    reply: FastifyReply,
    loaded: Loaded,
    request: FastifyRequest,
    errorList?: ErrorLink[],
  ) {
    const id = loaded.fa.financialAssessmentId;
    const worked = await workOutFinancialAssessment(loaded.ctx, id);
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
      await completeFinancialAssessment(loaded.ctx, id);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const worked = await workOutFinancialAssessment(loaded.ctx, id);
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
