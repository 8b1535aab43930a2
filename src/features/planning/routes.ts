import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from "fastify";
import { getAllocation, getAssessment, listAssessmentsForPerson } from "#/features/assessment/service.ts";
import { PROVIDER_KIND_LABELS } from "#/features/directory/input-schemas.ts";
import { getProvider, searchProviders } from "#/features/directory/service.ts";
import { getPerson } from "#/features/people/service.ts";
import {
  dateValues,
  dateValuesFrom,
  describeSource,
  type FormBody,
  type FormValues,
  nextId,
  type Outcome,
  one,
  outcomeValues,
  type Parsed,
  parseDateInput,
  parseLongText,
  parseOutcome,
  parseOverride,
  parseOverrideDecision,
  parseReturnReasons,
  parseRisk,
  parseSupport,
  type Risk,
  riskValues,
  supportFormItems,
  supportValues,
  supportValuesFrom,
} from "#/features/planning/forms.ts";
import { DEPLOYMENT_LABELS, type Deployment, type Support } from "#/features/planning/schemas.ts";
import {
  approvalQueue,
  approvePlan,
  decideAllocationOverride,
  getPlan,
  getPlanVersion,
  newPlanVersion,
  overridesFor,
  type PlanEditor,
  PlanRefusedError,
  type PlanView,
  plansForPerson,
  requestAllocationOverride,
  returnPlan,
  type SupportPlanDraft,
  saveDraft,
  startPlan,
  submitPlan,
} from "#/features/planning/service.ts";
import { getCouncilContact } from "#/features/tenants/contact-service.ts";
import { can } from "#/platform/auth/permissions.ts";
import type { ServiceContext } from "#/platform/context.ts";
import {
  ConflictError,
  type FieldError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from "#/platform/errors.ts";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";
import { htmlToPdf, PdfUnavailableError, pdfAvailable } from "#/platform/pdf/pdf.ts";
import { pageErrors } from "#/platform/web/page-errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";
import { createViewEnvironment } from "#/platform/web/views.ts";
import { supportCategories } from "#/vocabulary/support-categories.ts";

/**
 * Support plan pages. One editor, made of plain forms (an overview with "Add", "Change" and "Remove" links,
 * each a small form page with an error summary), shared by staff (/plans/:planId) and by the person or their
 * representative (/my/people/:personId/plans/:planId, see portal-routes.ts): the templates take an href prefix
 * (`base`) and a layout, never their own links. The budget fit is shown on every page of the editor.
 *
 * Staff also have: a person's plans (list, start), the approvals queue, the approver's page (approve with a
 * start date, or return with reasons), a new version from an approved plan, allocation overrides, and the
 * agreed plan as a page and a tagged PDF.
 */

const V = "planning/views";
const pdfViews = createViewEnvironment();

// ---- who is looking, and from where ------------------------------------------------------------------------------

/** What the shared editor needs to know about the request: how to call the service, who edits, where links go. */
export type EditorAccess = {
  ctx: ServiceContext;
  /** Null when this reader may only look (a representative without edit_plan, or staff without plans:write). */
  editor: PlanEditor | null;
  /** The plan's pages start here: /plans/:planId or /my/people/:personId/plans/:planId. */
  base: string;
  /** Where the list of this person's plans is. */
  listHref: string;
  layout: "layout.njk" | "person-layout.njk";
  /** Extra locals the layout needs (the person's header). */
  locals: Record<string, unknown>;
  /** How the pages speak: to staff about the person, or to the person ("your"), or to a representative. */
  audience: "staff" | "self" | "representative";
  /** Staff may approve and download; people see their own links. */
  isStaff: boolean;
  /** For people's pages: the person whose plans these must be (any other plan is "not found"). */
  personId?: string;
};

/** A plan that is not the person's own is "not found" on their pages, as if it did not exist. */
function checkOwner(access: EditorAccess, view: PlanView): void {
  if (access.personId !== undefined && view.person.personId !== access.personId) {
    throw new NotFoundError("The plan");
  }
}

export type EditorOptions = {
  /** The route pattern the editor's pages hang from, e.g. "/plans/:planId". */
  prefix: string;
  guard: RouteShorthandOptions;
  /** Who may do what on this request; for editing, it throws when the reader may not edit. */
  access: (request: FastifyRequest, purpose: "read" | "edit") => Promise<EditorAccess>;
  /** The plan id in the request's params. */
  planIdOf: (request: FastifyRequest) => string;
};

// ---- what the pages show ---------------------------------------------------------------------------------------

const categoryLabel = (id: string) => supportCategories().find((c) => c.id === id)?.label ?? id;
const money = (p: number) => formatPounds(p as Pence);

const STATUS_TEXT: Record<PlanView["version"]["status"], string> = {
  draft: "Draft",
  submitted: "Waiting for approval",
  approved: "Agreed",
  returned: "Returned for changes",
  superseded: "Replaced by a later version",
};
const STATUS_TAG: Record<PlanView["version"]["status"], string> = {
  draft: "govuk-tag--grey",
  submitted: "govuk-tag--blue",
  approved: "govuk-tag--green",
  returned: "govuk-tag--orange",
  superseded: "govuk-tag--grey",
};

const ACTOR_TEXT: Record<"staff" | "person" | "representative", string> = {
  staff: "council staff",
  person: "the person",
  representative: "someone who acts for the person",
};

/** The budget fit in one plain line: "Over the budget by £12.50 a week". */
function fitHeadline(view: PlanView, budgetWord: string): string {
  const fit = view.analysis.fit;
  if (fit.position === "over") return `Over ${budgetWord} by ${money(fit.overByWeeklyPence)} a week`;
  if (fit.position === "under") return `${money(-fit.differenceWeeklyPence)} a week under ${budgetWord}`;
  return `Exactly ${budgetWord}`;
}

/** Everything the plan's pages show, worked out once from the service's view. */
export function planModel(view: PlanView, access: Pick<EditorAccess, "audience" | "base">) {
  const content = view.content;
  const costing = view.analysis.costing;
  const lineOf = new Map(costing.lines.map((l) => [l.supportId, l]));
  const outcomeText = new Map(content.outcomes.map((o) => [o.id, o.inTheirWords]));
  const budgetWord =
    access.audience === "self"
      ? "your budget"
      : access.audience === "representative"
        ? `${view.person.givenName}'s budget`
        : "the indicative budget";
  const apportionment = view.analysis.apportionment;
  return {
    planId: view.planId,
    person: view.person,
    version: {
      ...view.version,
      statusText: STATUS_TEXT[view.version.status],
      tagClass: STATUS_TAG[view.version.status],
    },
    latestVersion: view.latestVersion,
    editable: view.editable && view.version.version === view.latestVersion,
    budget: view.budget,
    budgetWord,
    outcomes: content.outcomes.map((o) => ({
      ...o,
      supportedBy: content.supports.filter((s) => s.outcomeIds.includes(o.id)).map((s) => s.what),
    })),
    supports: content.supports.map((s) => ({
      id: s.id,
      what: s.what,
      categoryText: categoryLabel(s.category),
      sourceText: describeSource(s),
      costText: lineOf.get(s.id)?.working ?? "",
      deploymentText: s.deployment
        ? DEPLOYMENT_LABELS[s.deployment]
        : "No money is deployed: it costs nothing",
      outcomesText: s.outcomeIds.map((id) => outcomeText.get(id) ?? "An outcome that has been removed"),
    })),
    risks: content.risks,
    contingency: content.contingency ?? null,
    overAllocationReason: content.overAllocationReason ?? null,
    fit: { ...view.analysis.fit, headline: fitHeadline(view, budgetWord) },
    costing,
    streams: apportionment
      ? apportionment.streams.filter((s) => s.grossWeeklyPence > 0 || s.oneOffPence > 0)
      : [],
    apportionment,
    deployments: costing.weeklyByDeployment
      .filter((d) => d.weeklyPence > 0 || d.oneOffPence > 0)
      .map((d) => ({ ...d, label: DEPLOYMENT_LABELS[d.deployment as Deployment] })),
    unfunded: apportionment?.unfunded ?? [],
    fundingProblem: view.analysis.fundingProblem,
    contributionWeeklyPence: view.analysis.contributionWeeklyPence,
    contributionNote: view.analysis.contributionNote,
    problems: view.analysis.readiness.filter((p) => p.severity === "error"),
    warnings: view.analysis.readiness.filter((p) => p.severity === "warning"),
    schemaProblems: view.analysis.schemaProblems,
    required: view.analysis.required,
    changes: view.changes.map((c) => ({ ...c, actorText: ACTOR_TEXT[c.actorKind] })),
    versions: view.versions.map((v) => ({
      ...v,
      statusText: STATUS_TEXT[v.status],
      tagClass: STATUS_TAG[v.status],
    })),
    returnedReasons:
      view.version.status === "returned" ||
      (view.version.status === "draft" && view.version.decisionReasons.length)
        ? view.version.decisionReasons
        : [],
  };
}

// ---- the shared editor ------------------------------------------------------------------------------------------

type ListName = "outcomes" | "risks";
type ListConfig<T> = {
  prefix: "o" | "r";
  noun: string;
  template: string;
  parse: (body: FormBody, id: string) => Parsed<T>;
  values: (item?: T) => FormValues;
  label: (item: T) => string;
};
const LISTS: { outcomes: ListConfig<Outcome>; risks: ListConfig<Risk> } = {
  outcomes: {
    prefix: "o",
    noun: "outcome",
    template: `${V}/outcome-form.njk`,
    parse: parseOutcome,
    values: outcomeValues,
    label: (o) => o.inTheirWords,
  },
  risks: {
    prefix: "r",
    noun: "risk",
    template: `${V}/risk-form.njk`,
    parse: parseRisk,
    values: riskValues,
    label: (r) => r.description,
  },
};

const TEXTS = {
  contingency: {
    field: "contingency" as const,
    title: "What happens if the support breaks down",
    hint: "For example, who to call if a carer does not arrive, and who can step in. This is the contingency plan; it is needed before the plan goes for approval.",
    what: "the contingency plan",
    /** Saving it empty removes it. */
    whenEmpty: null as string | null,
  },
  "over-budget-reason": {
    field: "overAllocationReason" as const,
    title: "Why the plan needs more than the budget",
    hint: "The indicative budget is a starting point. If the support needed costs more, say why in plain words: the approver reads this.",
    what: "the reason",
    /** An empty reason is not a reason: refused, saying what to write (issue 12). */
    whenEmpty: "Enter why the plan needs more than the budget" as string | null,
  },
};

const short = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);

/** A field error path from the service (e.g. "supports[0].cost.unitCostPence") as a message to show at the top. */
const serviceErrors = (error: ValidationError, field: string): FieldError[] =>
  error.fieldErrors.map((e) => ({ path: field, message: e.message }));

/** The assessment's "What matters to you" answer, as an outcome's words can hold it ("" when there is none). */
async function whatMattersIn(ctx: ServiceContext, assessmentId: string): Promise<string> {
  const { answers } = await getAssessment(ctx, assessmentId);
  const text = typeof answers.whatMattersToMe === "string" ? answers.whatMattersToMe.trim() : "";
  return text.slice(0, 1000);
}

/** Registers the plan editor's pages under `options.prefix`. */
export function registerPlanEditor(app: FastifyInstance, options: EditorOptions) {
  const { prefix, guard } = options;

  const render = (
    reply: FastifyReply,
    access: EditorAccess,
    template: string,
    extra: Record<string, unknown>,
  ) =>
    reply.render(template, {
      ...access.locals,
      layout: access.layout,
      base: access.base,
      audience: access.audience,
      isStaff: access.isStaff,
      mayEdit: access.editor !== null,
      ...extra,
    });

  async function load(request: FastifyRequest, purpose: "read" | "edit") {
    const access = await options.access(request, purpose);
    const view = await getPlan(access.ctx, options.planIdOf(request));
    checkOwner(access, view);
    const model = planModel(view, access);
    return { access, view, model };
  }

  /** Loads the plan for an edit: the reader must be an editor and the latest version open for changes. */
  async function loadForEdit(request: FastifyRequest) {
    const loaded = await load(request, "edit");
    if (!loaded.access.editor) throw new NotFoundError("The page");
    if (!loaded.model.editable) {
      throw new ConflictError(
        loaded.view.version.status === "submitted"
          ? "This plan is waiting for approval, so it cannot be changed now. If it needs changing, the approver can return it."
          : "This version of the plan is agreed and cannot be changed. Start a new version to make changes.",
      );
    }
    return loaded as typeof loaded & { access: EditorAccess & { editor: PlanEditor } };
  }

  async function save(
    loaded: Awaited<ReturnType<typeof loadForEdit>>,
    content: SupportPlanDraft,
    summary: string,
  ) {
    await saveDraft(
      loaded.access.ctx,
      loaded.view.planId,
      loaded.view.version.version,
      content,
      loaded.access.editor,
      summary,
    );
  }

  // The overview: the plan, its budget fit and split, what stops it going for approval, and who changed what.
  app.get(prefix, guard, async (request, reply) => {
    const { access, model } = await load(request, "read");
    const q = request.query as Record<string, unknown>;
    return render(reply, access, `${V}/overview.njk`, {
      title: access.audience === "self" ? "Your support plan" : `Support plan for ${model.person.name}`,
      // Staff go back to the person's plans; people to theirs (the same list, in their pages).
      backLink: access.isStaff ? `/people/${model.person.personId}/plans` : access.listHref,
      plan: model,
      saved: typeof q.saved === "string" ? q.saved : null,
    });
  });

  // One version as it was (history): read-only.
  app.get(`${prefix}/versions/:version`, guard, async (request, reply) => {
    const access = await options.access(request, "read");
    const version = Number((request.params as { version: string }).version);
    if (!Number.isInteger(version) || version < 1) throw new NotFoundError("The version");
    const view = await getPlanVersion(access.ctx, options.planIdOf(request), version);
    checkOwner(access, view);
    const model = planModel(view, access);
    return render(reply, access, `${V}/version.njk`, {
      title: `Version ${version} of the support plan for ${model.person.name}`,
      backLink: access.base,
      plan: { ...model, editable: false },
    });
  });

  // ---- outcomes and risks ---------------------------------------------------------------------------------------

  for (const name of ["outcomes", "risks"] as const satisfies readonly ListName[]) {
    const list = LISTS[name] as ListConfig<Outcome | Risk>;
    const items = (content: SupportPlanDraft) => content[name] as (Outcome | Risk)[];
    const itemOf = (content: SupportPlanDraft, id: string) => {
      const item = items(content).find((i) => i.id === id);
      if (!item) throw new NotFoundError(`The ${list.noun}`);
      return item;
    };
    const form = (
      reply: FastifyReply,
      loaded: Awaited<ReturnType<typeof loadForEdit>>,
      values: FormValues,
      action: string,
      adding: boolean,
      errors: FieldError[] = [],
      fromAssessment = false,
    ) =>
      render(reply.code(errors.length ? 400 : 200), loaded.access, list.template, {
        title: `${adding ? "Add" : "Change"} ${name === "outcomes" ? "an outcome" : "a risk"}`,
        backLink: loaded.access.base,
        plan: loaded.model,
        values,
        action,
        adding,
        fromAssessment,
        ...pageErrors(errors),
      });

    app.get(`${prefix}/${name}/new`, guard, async (request, reply) => {
      const loaded = await loadForEdit(request);
      const values = list.values();
      // A plan's first outcome starts from what the person said matters to them in the assessment it is built on.
      const whatMatters =
        name === "outcomes" && loaded.view.content.outcomes.length === 0
          ? await whatMattersIn(loaded.access.ctx, loaded.view.assessmentId)
          : "";
      if (whatMatters) values.inTheirWords = whatMatters;
      return form(reply, loaded, values, `${loaded.access.base}/${name}`, true, [], whatMatters !== "");
    });

    app.post(`${prefix}/${name}`, guard, async (request, reply) => {
      const loaded = await loadForEdit(request);
      const body = (request.body ?? {}) as FormBody;
      const content = loaded.view.content;
      const parsed = list.parse(body, nextId(list.prefix, items(content)));
      const action = `${loaded.access.base}/${name}`;
      if (!parsed.ok)
        return form(reply, loaded, { ...list.values(), ...bodyValues(body) }, action, true, parsed.errors);
      try {
        await save(
          loaded,
          { ...content, [name]: [...items(content), parsed.value] },
          `Added the ${list.noun} “${short(list.label(parsed.value))}”`,
        );
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return form(
          reply,
          loaded,
          bodyValues(body),
          action,
          true,
          serviceErrors(error, Object.keys(list.values())[0]!),
        );
      }
      return reply.redirect(`${loaded.access.base}?saved=${list.noun}`, 303);
    });

    app.get(`${prefix}/${name}/:itemId`, guard, async (request, reply) => {
      const loaded = await loadForEdit(request);
      const item = itemOf(loaded.view.content, (request.params as { itemId: string }).itemId);
      return form(reply, loaded, list.values(item), `${loaded.access.base}/${name}/${item.id}`, false);
    });

    app.post(`${prefix}/${name}/:itemId`, guard, async (request, reply) => {
      const loaded = await loadForEdit(request);
      const content = loaded.view.content;
      const item = itemOf(content, (request.params as { itemId: string }).itemId);
      const body = (request.body ?? {}) as FormBody;
      const parsed = list.parse(body, item.id);
      const action = `${loaded.access.base}/${name}/${item.id}`;
      if (!parsed.ok)
        return form(reply, loaded, { ...list.values(), ...bodyValues(body) }, action, false, parsed.errors);
      try {
        await save(
          loaded,
          { ...content, [name]: items(content).map((i) => (i.id === item.id ? parsed.value : i)) },
          `Changed the ${list.noun} “${short(list.label(parsed.value))}”`,
        );
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return form(
          reply,
          loaded,
          bodyValues(body),
          action,
          false,
          serviceErrors(error, Object.keys(list.values())[0]!),
        );
      }
      return reply.redirect(`${loaded.access.base}?saved=${list.noun}`, 303);
    });

    app.get(`${prefix}/${name}/:itemId/remove`, guard, async (request, reply) => {
      const loaded = await loadForEdit(request);
      const item = itemOf(loaded.view.content, (request.params as { itemId: string }).itemId);
      return render(reply, loaded.access, `${V}/remove.njk`, {
        title: `Remove the ${list.noun}?`,
        backLink: loaded.access.base,
        plan: loaded.model,
        itemText: list.label(item),
        noun: list.noun,
        action: `${loaded.access.base}/${name}/${item.id}/remove`,
        note:
          name === "outcomes" && loaded.view.content.supports.some((s) => s.outcomeIds.includes(item.id))
            ? "Supports that help with this outcome stay in the plan. Check each one still says which outcome it helps to meet."
            : null,
      });
    });

    app.post(`${prefix}/${name}/:itemId/remove`, guard, async (request, reply) => {
      const loaded = await loadForEdit(request);
      const content = loaded.view.content;
      const item = itemOf(content, (request.params as { itemId: string }).itemId);
      const next: SupportPlanDraft = { ...content, [name]: items(content).filter((i) => i.id !== item.id) };
      if (name === "outcomes") {
        // A support cannot serve an outcome that is gone; the plan will ask for another before it is submitted.
        next.supports = content.supports.map((s) => ({
          ...s,
          outcomeIds: s.outcomeIds.filter((o) => o !== item.id),
        }));
      }
      await save(loaded, next, `Removed the ${list.noun} “${short(list.label(item))}”`);
      return reply.redirect(`${loaded.access.base}?saved=removed`, 303);
    });
  }

  // ---- supports -------------------------------------------------------------------------------------------------

  async function providerChoices(ctx: ServiceContext, search: string, current: string) {
    const page = await searchProviders(ctx, { ...(search ? { search } : {}), page: 1, pageSize: 100 });
    const rows = page.rows.map((p) => ({
      value: p.id,
      text: `${p.name} (${PROVIDER_KIND_LABELS[p.kind].toLowerCase()}${p.approvedList ? "" : ", not on the approved list"})`,
      selected: p.id === current,
    }));
    // The provider already chosen stays in the list, whatever the search.
    if (current && !rows.some((r) => r.value === current)) {
      try {
        const chosen = (await getProvider(ctx, current)).provider;
        rows.unshift({ value: chosen.id, text: chosen.name, selected: true });
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    return {
      items: [
        { value: "", text: rows.length ? "Choose a provider" : "No providers match the search" },
        ...rows,
      ],
      total: page.total,
      shown: page.rows.length,
    };
  }

  async function supportForm(
    reply: FastifyReply,
    loaded: Awaited<ReturnType<typeof loadForEdit>>,
    values: FormValues,
    action: string,
    adding: boolean,
    errors: FieldError[] = [],
    providerSearch = "",
  ) {
    const providers = await providerChoices(loaded.access.ctx, providerSearch, values.providerId as string);
    return render(reply.code(errors.length ? 400 : 200), loaded.access, `${V}/support-form.njk`, {
      title: adding ? "Add a support" : "Change a support",
      backLink: loaded.access.base,
      plan: loaded.model,
      values,
      action,
      adding,
      providerSearch,
      providerItems: providers.items,
      providerCount: { total: providers.total, shown: providers.shown },
      ...supportFormItems(values, loaded.view.content.outcomes, supportCategories()),
      ...pageErrors(errors),
    });
  }

  /** Parses the support form, looking the chosen provider up in the directory. */
  async function parseSupportForm(
    loaded: Awaited<ReturnType<typeof loadForEdit>>,
    body: FormBody,
    id: string,
  ) {
    const providerId = one(body, "providerId");
    let name: string | undefined;
    if (providerId && one(body, "sourceKind") === "provider") {
      try {
        name = (await getProvider(loaded.access.ctx, providerId)).provider.name;
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    return parseSupport(body, id, {
      outcomes: loaded.view.content.outcomes,
      categories: supportCategories().map((c) => c.id),
      providerName: (pid) => (pid === providerId ? name : undefined),
    });
  }

  const supportOf = (content: SupportPlanDraft, id: string): Support => {
    const s = content.supports.find((x) => x.id === id);
    if (!s) throw new NotFoundError("The support");
    return s as Support;
  };

  const searchOf = (request: FastifyRequest) => {
    const q = (request.query as Record<string, unknown>).providerSearch;
    return typeof q === "string" ? q.trim().slice(0, 200) : "";
  };

  app.get(`${prefix}/supports/new`, guard, async (request, reply) => {
    const loaded = await loadForEdit(request);
    return supportForm(
      reply,
      loaded,
      supportValues(),
      `${loaded.access.base}/supports`,
      true,
      [],
      searchOf(request),
    );
  });

  const postSupport = (adding: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const loaded = await loadForEdit(request);
    const content = loaded.view.content;
    const existing = adding ? null : supportOf(content, (request.params as { itemId: string }).itemId);
    const id = existing?.id ?? nextId("s", content.supports);
    const body = (request.body ?? {}) as FormBody;
    const values = supportValuesFrom(body);
    const action = adding ? `${loaded.access.base}/supports` : `${loaded.access.base}/supports/${id}`;
    // "Find providers" is a button of this form: the page comes back with the list searched and every answer
    // as it was typed, and nothing is saved.
    if (one(body, "intent") === "search") {
      const search = one(body, "providerSearch").trim().slice(0, 200);
      return supportForm(reply, loaded, values, action, adding, [], search);
    }
    const parsed = await parseSupportForm(loaded, body, id);
    if (!parsed.ok)
      return supportForm(reply, loaded, values, action, adding, parsed.errors, one(body, "providerSearch"));
    const supports = adding
      ? [...content.supports, parsed.value]
      : content.supports.map((s) => (s.id === id ? parsed.value : s));
    try {
      await save(
        loaded,
        { ...content, supports },
        `${adding ? "Added" : "Changed"} the support “${short(parsed.value.what)}”`,
      );
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return supportForm(reply, loaded, values, action, adding, serviceErrors(error, "what"));
    }
    return reply.redirect(`${loaded.access.base}?saved=support`, 303);
  };
  app.post(`${prefix}/supports`, guard, postSupport(true));

  app.get(`${prefix}/supports/:itemId`, guard, async (request, reply) => {
    const loaded = await loadForEdit(request);
    const s = supportOf(loaded.view.content, (request.params as { itemId: string }).itemId);
    return supportForm(
      reply,
      loaded,
      supportValues(s),
      `${loaded.access.base}/supports/${s.id}`,
      false,
      [],
      searchOf(request),
    );
  });
  app.post(`${prefix}/supports/:itemId`, guard, postSupport(false));

  app.get(`${prefix}/supports/:itemId/remove`, guard, async (request, reply) => {
    const loaded = await loadForEdit(request);
    const s = supportOf(loaded.view.content, (request.params as { itemId: string }).itemId);
    return render(reply, loaded.access, `${V}/remove.njk`, {
      title: "Remove the support?",
      backLink: loaded.access.base,
      plan: loaded.model,
      itemText: s.what,
      noun: "support",
      action: `${loaded.access.base}/supports/${s.id}/remove`,
    });
  });

  app.post(`${prefix}/supports/:itemId/remove`, guard, async (request, reply) => {
    const loaded = await loadForEdit(request);
    const content = loaded.view.content;
    const s = supportOf(content, (request.params as { itemId: string }).itemId);
    await save(
      loaded,
      { ...content, supports: content.supports.filter((x) => x.id !== s.id) },
      `Removed the support “${short(s.what)}”`,
    );
    return reply.redirect(`${loaded.access.base}?saved=removed`, 303);
  });

  // ---- the contingency plan and the reason for going over budget ------------------------------------------------

  for (const [path, text] of Object.entries(TEXTS)) {
    const page = (
      reply: FastifyReply,
      loaded: Awaited<ReturnType<typeof loadForEdit>>,
      value: string,
      errors: FieldError[] = [],
    ) =>
      render(reply.code(errors.length ? 400 : 200), loaded.access, `${V}/text-form.njk`, {
        title: text.title,
        hint: text.hint,
        field: text.field,
        value,
        backLink: loaded.access.base,
        action: `${loaded.access.base}/${path}`,
        plan: loaded.model,
        ...pageErrors(errors),
      });
    app.get(`${prefix}/${path}`, guard, async (request, reply) => {
      const loaded = await loadForEdit(request);
      return page(reply, loaded, loaded.view.content[text.field] ?? "");
    });
    app.post(`${prefix}/${path}`, guard, async (request, reply) => {
      const loaded = await loadForEdit(request);
      const body = (request.body ?? {}) as FormBody;
      const parsed = parseLongText(body, text.field, text.what);
      if (!parsed.ok) return page(reply, loaded, String(body[text.field] ?? ""), parsed.errors);
      if (parsed.value === undefined && text.whenEmpty) {
        return page(reply, loaded, "", [{ path: text.field, message: text.whenEmpty }]);
      }
      const content: SupportPlanDraft = { ...loaded.view.content };
      if (parsed.value === undefined) delete content[text.field];
      else content[text.field] = parsed.value;
      const summary = parsed.value === undefined ? `Removed ${text.what}` : `Wrote ${text.what}`;
      await save(
        loaded,
        content,
        summary.replace("Wrote the reason", "Wrote the reason the plan needs more than the budget"),
      );
      return reply.redirect(`${loaded.access.base}?saved=${path}`, 303);
    });
  }

  // ---- submit: check the plan, then send it for approval -------------------------------------------------------

  const renderSubmit = (
    reply: FastifyReply,
    loaded: Awaited<ReturnType<typeof loadForEdit>>,
    errors: FieldError[] = [],
  ) =>
    render(reply.code(errors.length ? 400 : 200), loaded.access, `${V}/submit.njk`, {
      title: "Check the plan before it goes for approval",
      backLink: loaded.access.base,
      plan: loaded.model,
      errorList: errors.map((e) => ({ text: e.message, href: "#problems" })),
    });

  app.get(`${prefix}/submit`, guard, async (request, reply) =>
    renderSubmit(reply, await loadForEdit(request)),
  );

  app.post(`${prefix}/submit`, guard, async (request, reply) => {
    const loaded = await loadForEdit(request);
    try {
      await submitPlan(
        loaded.access.ctx,
        loaded.view.planId,
        loaded.view.version.version,
        loaded.access.editor,
      );
    } catch (error) {
      const refused = refusalErrors(error, "plan");
      if (!refused) throw error;
      return renderSubmit(reply, loaded, refused);
    }
    return reply.redirect(`${loaded.access.base}?saved=submitted`, 303);
  });

  // ---- the agreed plan, as a page and a PDF ---------------------------------------------------------------------

  async function agreed(request: FastifyRequest) {
    const access = await options.access(request, "read");
    const latest = await getPlan(access.ctx, options.planIdOf(request));
    checkOwner(access, latest);
    const approved = [...latest.versions].reverse().find((v) => v.status === "approved");
    if (!approved) throw new NotFoundError("The agreed plan");
    const view =
      approved.version === latest.version.version
        ? latest
        : await getPlanVersion(access.ctx, latest.planId, approved.version);
    return { access, model: { ...planModel(view, access), editable: false }, view };
  }

  app.get(`${prefix}/agreed`, guard, async (request, reply) => {
    const { access, model } = await agreed(request);
    return render(reply, access, `${V}/agreed.njk`, {
      councilContact: await getCouncilContact(access.ctx),
      councilContactName: request.staff?.tenantName ?? request.person?.tenantName,
      title:
        access.audience === "self"
          ? "Your agreed support plan"
          : `Agreed support plan for ${model.person.name}`,
      backLink: access.base,
      plan: model,
    });
  });

  app.get(`${prefix}/agreed.pdf`, guard, async (request, reply) => {
    const { access, model } = await agreed(request);
    const unavailable = () =>
      render(reply.code(503), access, `${V}/pdf-unavailable.njk`, {
        title: "The PDF cannot be made at the moment",
        backLink: `${access.base}/agreed`,
      });
    if (!pdfAvailable()) return unavailable();
    const html = pdfViews.render(`${V}/agreed-pdf.njk`, {
      plan: model,
      audience: access.audience,
      councilName: request.staff?.tenantName ?? request.person?.tenantName ?? "",
    });
    let pdf: Buffer;
    try {
      pdf = await htmlToPdf(html);
    } catch (error) {
      if (error instanceof PdfUnavailableError) return unavailable();
      throw error;
    }
    return reply
      .type("application/pdf")
      .header("content-disposition", `inline; filename="support-plan-version-${model.version.version}.pdf"`)
      .send(pdf);
  });
}

/** Form values echoed back on an error: every field as typed. */
function bodyValues(body: FormBody): FormValues {
  const values: FormValues = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === "_csrf") continue;
    if (typeof v === "string") values[k] = v;
    else if (Array.isArray(v)) values[k] = v.filter((x): x is string => typeof x === "string");
  }
  return values;
}

// ---- the staff pages -----------------------------------------------------------------------------------------------

export async function planningRoutes(app: FastifyInstance, deps: RouteDeps) {
  const read = { preHandler: requireStaff("plans:read") };
  const write = { preHandler: requireStaff("plans:write") };
  const approve = { preHandler: requireStaff("plans:approve") };
  const context = serviceContextFor(deps);
  const editorOf = (request: FastifyRequest): PlanEditor => ({
    kind: "staff",
    userId: request.staff!.userId,
    name: request.staff!.name,
  });

  registerPlanEditor(app, {
    prefix: "/plans/:planId",
    guard: read,
    planIdOf: (request) => (request.params as { planId: string }).planId,
    access: async (request, purpose) => {
      const mayWrite = can(request.staff!.roles, "plans:write");
      if (purpose === "edit" && !mayWrite)
        throw new ForbiddenError("Your role may read plans but not change them");
      const planId = (request.params as { planId: string }).planId;
      return {
        ctx: context(request),
        editor: mayWrite ? editorOf(request) : null,
        base: `/plans/${planId}`,
        listHref: "/approvals",
        layout: "layout.njk",
        locals: {},
        audience: "staff",
        isStaff: true,
      };
    },
  });

  // A person's plans, and starting one.
  const renderList = async (request: FastifyRequest, reply: FastifyReply, errors: string[] = []) => {
    const { personId } = request.params as { personId: string };
    const ctx = context(request);
    const plans = await plansForPerson(ctx, personId);
    const assessments = await listAssessmentsForPerson(ctx, personId);
    const latest = assessments.find((a) => a.status === "submitted" && a.weeklyPence !== null);
    const open = plans.find(
      (p) => p.status === "draft" || p.status === "submitted" || p.status === "returned",
    );
    const person = await getPerson(ctx, personId);
    return reply.code(errors.length ? 409 : 200).render(`${V}/plans.njk`, {
      title: "Support plans",
      personName: `${person.givenName} ${person.familyName}`,
      backLink: `/people/${personId}`,
      personId,
      plansBase: "/plans",
      startAction: `/people/${personId}/plans`,
      plans: plans.map((p) => ({ ...p, statusText: STATUS_TEXT[p.status], tagClass: STATUS_TAG[p.status] })),
      open,
      latestAllocation: latest
        ? { assessmentId: latest.assessmentId, weeklyPence: latest.weeklyPence }
        : null,
      mayWrite: can(request.staff!.roles, "plans:write"),
      mayOverride: can(request.staff!.roles, "allocation:override"),
      errorList: errors.map((text) => ({ text, href: "#start" })),
    });
  };

  app.get("/people/:personId/plans", read, async (request, reply) => renderList(request, reply));

  app.post("/people/:personId/plans", write, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    try {
      const started = await startPlan(context(request), { personId, editor: editorOf(request) });
      return reply.redirect(`/plans/${started.planId}`, 303);
    } catch (error) {
      if (error instanceof ValidationError)
        return renderList(
          request,
          reply,
          error.fieldErrors.map((e) => e.message),
        );
      if (error instanceof ConflictError) return renderList(request, reply, [error.message]);
      throw error;
    }
  });

  // The approvals queue: plans waiting, the level each needs, and whether this member of staff may approve it.
  app.get("/approvals", approve, async (request, reply) => {
    const queue = await approvalQueue(context(request));
    return reply.render(`${V}/approvals.njk`, { title: "Plans waiting for approval", queue });
  });

  // The approver's page: the plan, its fit, risks, history and split; approve with a start date, or return it.
  const renderApprove = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: FieldError[]; values?: FormValues; status?: number } = {},
  ) => {
    const { planId, version } = request.params as { planId: string; version: string };
    const n = Number(version);
    if (!Number.isInteger(n) || n < 1) throw new NotFoundError("The version");
    const ctx = context(request);
    const view = await getPlanVersion(ctx, planId, n);
    const queued = (await approvalQueue(ctx)).find((q) => q.planId === planId && q.version === n);
    const access = { audience: "staff" as const, base: `/plans/${planId}` };
    const shown = pageErrors(extra.errors ?? []);
    return reply.code(extra.status ?? 200).render(`${V}/approve.njk`, {
      title: `Approve the support plan for ${view.person.name}`,
      backLink: "/approvals",
      layout: "layout.njk",
      base: access.base,
      audience: "staff",
      isStaff: true,
      plan: { ...planModel(view, access), editable: false },
      waiting: view.version.status === "submitted" && view.version.version === view.latestVersion,
      whyNot: queued ? queued.whyNot : [],
      mayApprove: queued?.mayApprove ?? false,
      values: extra.values ?? { ...dateValues("startDate", deps.today()), reasons: "" },
      ...shown,
    });
  };

  app.get("/plans/:planId/versions/:version/approve", approve, async (request, reply) =>
    renderApprove(request, reply),
  );

  app.post("/plans/:planId/versions/:version/approve", approve, async (request, reply) => {
    const { planId, version } = request.params as { planId: string; version: string };
    const body = (request.body ?? {}) as FormBody;
    const values = { ...dateValuesFrom(body, "startDate"), reasons: "" };
    const start = parseDateInput(body, "startDate", "the date the budget starts");
    if (!start.ok) return renderApprove(request, reply, { errors: start.errors, values, status: 400 });
    try {
      await approvePlan(context(request), planId, Number(version), { startDate: start.value });
    } catch (error) {
      const refused = refusalErrors(error, "startDate");
      if (!refused) throw error;
      return renderApprove(request, reply, { errors: refused, values, status: 409 });
    }
    return reply.redirect(`/plans/${planId}?saved=approved`, 303);
  });

  app.post("/plans/:planId/versions/:version/return", approve, async (request, reply) => {
    const { planId, version } = request.params as { planId: string; version: string };
    const body = (request.body ?? {}) as FormBody;
    const values = {
      ...dateValues("startDate", deps.today()),
      reasons: typeof body.reasons === "string" ? body.reasons : "",
    };
    const reasons = parseReturnReasons(body);
    if (!reasons.ok) return renderApprove(request, reply, { errors: reasons.errors, values, status: 400 });
    try {
      await returnPlan(context(request), planId, Number(version), reasons.value);
    } catch (error) {
      const refused = refusalErrors(error, "reasons");
      if (!refused) throw error;
      return renderApprove(request, reply, { errors: refused, values, status: 409 });
    }
    return reply.redirect(`/plans/${planId}?saved=returned`, 303);
  });

  // A new version from the agreed plan: a draft copying it, to change.
  app.post("/plans/:planId/versions", write, async (request, reply) => {
    const { planId } = request.params as { planId: string };
    await newPlanVersion(context(request), planId, editorOf(request));
    return reply.redirect(`/plans/${planId}?saved=new-version`, 303);
  });

  // ---- allocation overrides ---------------------------------------------------------------------------------------

  app.get("/people/:personId/allocation-override", read, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const ctx = context(request);
    const latest = (await listAssessmentsForPerson(ctx, personId)).find(
      (a) => a.status === "submitted" && a.weeklyPence !== null,
    );
    const allocation = latest ? await getAllocation(ctx, latest.assessmentId) : null;
    if (!allocation) throw new NotFoundError("An indicative budget for this person");
    return reply.redirect(`/allocations/${allocation.allocationId}/override`, 303);
  });

  const renderOverride = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: FieldError[]; values?: FormValues; status?: number } = {},
  ) => {
    const { allocationId } = request.params as { allocationId: string };
    const overrides = await overridesFor(context(request), allocationId);
    const staff = request.staff!;
    return reply.code(extra.status ?? 200).render(`${V}/override.njk`, {
      title: "Change the indicative budget",
      backLink: backFrom(request),
      overrides: {
        ...overrides,
        overrides: overrides.overrides.map((o) => ({
          ...o,
          statusText: {
            applied: "Applied",
            pending: "Waiting for approval",
            approved: "Approved",
            refused: "Refused",
          }[o.status],
          ownRequest: o.requestedBy === staff.userId,
        })),
      },
      saved: (request.query as Record<string, unknown>).saved,
      mayRequest: can(staff.roles, "allocation:override"),
      mayDecide: can(staff.roles, "plans:approve"),
      values: extra.values ?? { newWeekly: "", reason: "" },
      ...pageErrors(extra.errors ?? []),
    });
  };

  app.get("/allocations/:allocationId/override", read, async (request, reply) =>
    renderOverride(request, reply),
  );

  app.post(
    "/allocations/:allocationId/override",
    { preHandler: requireStaff("allocation:override") },
    async (request, reply) => {
      const { allocationId } = request.params as { allocationId: string };
      const body = (request.body ?? {}) as FormBody;
      const values = {
        newWeekly: one(body, "newWeekly"),
        reason: typeof body.reason === "string" ? body.reason : "",
      };
      const parsed = parseOverride(body);
      if (!parsed.ok) return renderOverride(request, reply, { errors: parsed.errors, values, status: 400 });
      try {
        const made = await requestAllocationOverride(context(request), { allocationId, ...parsed.value });
        return reply.redirect(`/allocations/${allocationId}/override?saved=${made.status}`, 303);
      } catch (error) {
        const refused = refusalErrors(error, "newWeekly", { toWeeklyPence: "newWeekly", reason: "reason" });
        if (!refused) throw error;
        return renderOverride(request, reply, { errors: refused, values, status: 400 });
      }
    },
  );

  app.post("/allocation-overrides/:overrideId/decision", approve, async (request, reply) => {
    const { overrideId } = request.params as { overrideId: string };
    const body = (request.body ?? {}) as FormBody;
    const allocationId = one(body, "allocationId");
    const parsed = parseOverrideDecision(body);
    const back = (errors: FieldError[]) => {
      (request.params as Record<string, string>).allocationId = allocationId;
      return renderOverride(request, reply, {
        errors: errors.map((e) => ({ ...e, path: `decision-${overrideId}` })),
        status: 400,
      });
    };
    if (!parsed.ok) return back(parsed.errors);
    try {
      await decideAllocationOverride(context(request), overrideId, parsed.value);
    } catch (error) {
      const refused = refusalErrors(error, "decision");
      if (!refused) throw error;
      return back(refused);
    }
    return reply.redirect(`/allocations/${allocationId}/override?saved=decided`, 303);
  });
}

/** A "from" query naming a page on this site to go back to, else the list of people. */
function backFrom(request: FastifyRequest): string {
  const from = (request.query as Record<string, unknown>).from;
  return typeof from === "string" && /^\/[a-z]/.test(from) ? from : "/people";
}

/** A refusal from the service (validation, conflict, forbidden) as field errors on a form; null for anything else. */
function refusalErrors(
  error: unknown,
  field: string,
  fields: Record<string, string> = {},
): FieldError[] | null {
  if (error instanceof ValidationError) {
    return error.fieldErrors.map((e) => ({
      path: fields[e.path.split(/[.[]/)[0] ?? ""] ?? field,
      message: e.message,
    }));
  }
  if (error instanceof PlanRefusedError) {
    // Every reason the rules refused it, each its own line in the error summary.
    return error.refusals.map((r) => ({ path: field, message: r.message }));
  }
  if (error instanceof ConflictError || error instanceof ForbiddenError) {
    // Several refusals may come in one message, one sentence each; show them as the service wrote them.
    return [{ path: field, message: error.message }];
  }
  return null;
}
