import type { FastifyInstance, FastifyReply, RouteHandlerMethod } from "fastify";
import { getAssessment } from "#/features/assessment/service.ts";
import {
  bodyValues,
  type EditablePlan,
  type EditorKit,
  serviceErrors,
  short,
  V,
} from "#/features/planning/editor-kit.ts";
import {
  type FormBody,
  type FormValues,
  nextId,
  type Outcome,
  outcomeValues,
  type Parsed,
  parseOutcome,
  parseRisk,
  type Risk,
  riskValues,
} from "#/features/planning/forms.ts";
import type { SupportPlanDraft } from "#/features/planning/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { type FieldError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { pageErrors } from "#/platform/web/page-errors.ts";

/** The plan editor's outcomes and risks: add, change and remove, each a small form page. */

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

/** The assessment's "What matters to you" answer, as an outcome's words can hold it ("" when there is none). */
async function whatMattersIn(ctx: ServiceContext, assessmentId: string): Promise<string> {
  const { answers } = await getAssessment(ctx, assessmentId);
  const text = typeof answers.whatMattersToMe === "string" ? answers.whatMattersToMe.trim() : "";
  return text.slice(0, 1000);
}

/** One list's pages: its settings, how to find an item, and its form. */
function listPages(kit: EditorKit, name: ListName) {
  const { render } = kit;
  const list = LISTS[name] as ListConfig<Outcome | Risk>;
  const items = (content: SupportPlanDraft) => content[name] as (Outcome | Risk)[];
  const itemOf = (content: SupportPlanDraft, id: string) => {
    const item = items(content).find((i) => i.id === id);
    if (!item) throw new NotFoundError(`The ${list.noun}`);
    return item;
  };
  const form = (
    reply: FastifyReply,
    loaded: EditablePlan,
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
  return { kit, name, list, items, itemOf, form };
}
type ListPages = ReturnType<typeof listPages>;

/** The form for a new item; a plan's first outcome starts from what the person said matters to them. */
function newItemPage(pages: ListPages): RouteHandlerMethod {
  const { kit, name, list, form } = pages;
  const { loadForEdit } = kit;
  return async (request, reply) => {
    const loaded = await loadForEdit(request);
    const values = list.values();
    // A plan's first outcome starts from what the person said matters to them in the assessment it is built on.
    const whatMatters =
      name === "outcomes" && loaded.view.content.outcomes.length === 0
        ? await whatMattersIn(loaded.access.ctx, loaded.view.assessmentId)
        : "";
    if (whatMatters) values.inTheirWords = whatMatters;
    return form(reply, loaded, values, `${loaded.access.base}/${name}`, true, [], whatMatters !== "");
  };
}

/**
 * Reads the item's form and saves the plan with it (`place` puts the item into the list), or shows the form
 * again with what is wrong: the form's own problems first, then any the service finds in the whole plan.
 */
async function saveItem(
  pages: ListPages,
  reply: FastifyReply,
  loaded: EditablePlan,
  body: FormBody,
  item: { id: string; action: string; adding: boolean; verb: "Added" | "Changed" },
  place: (items: (Outcome | Risk)[], parsed: Outcome | Risk) => (Outcome | Risk)[],
) {
  const { kit, name, list, items, form } = pages;
  const content = loaded.view.content;
  const parsed = list.parse(body, item.id);
  if (!parsed.ok)
    return form(
      reply,
      loaded,
      { ...list.values(), ...bodyValues(body) },
      item.action,
      item.adding,
      parsed.errors,
    );
  try {
    await kit.save(
      loaded,
      { ...content, [name]: place(items(content), parsed.value) },
      `${item.verb} the ${list.noun} “${short(list.label(parsed.value))}”`,
    );
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return form(
      reply,
      loaded,
      bodyValues(body),
      item.action,
      item.adding,
      serviceErrors(error, Object.keys(list.values())[0]!),
    );
  }
  return reply.redirect(`${loaded.access.base}?saved=${list.noun}`, 303);
}

/** Adds the item, or shows the form again with what is wrong. */
function addItem(pages: ListPages): RouteHandlerMethod {
  const { kit, name, list, items } = pages;
  return async (request, reply) => {
    const loaded = await kit.loadForEdit(request);
    const id = nextId(list.prefix, items(loaded.view.content));
    const action = `${loaded.access.base}/${name}`;
    const body = (request.body ?? {}) as FormBody;
    return saveItem(pages, reply, loaded, body, { id, action, adding: true, verb: "Added" }, (all, added) => [
      ...all,
      added,
    ]);
  };
}

/** The form for one item, filled in. */
function itemPage(pages: ListPages): RouteHandlerMethod {
  const { kit, name, list, itemOf, form } = pages;
  const { loadForEdit } = kit;
  return async (request, reply) => {
    const loaded = await loadForEdit(request);
    const item = itemOf(loaded.view.content, (request.params as { itemId: string }).itemId);
    return form(reply, loaded, list.values(item), `${loaded.access.base}/${name}/${item.id}`, false);
  };
}

/** Changes the item, or shows the form again with what is wrong. */
function changeItem(pages: ListPages): RouteHandlerMethod {
  const { kit, name, itemOf } = pages;
  return async (request, reply) => {
    const loaded = await kit.loadForEdit(request);
    const item = itemOf(loaded.view.content, (request.params as { itemId: string }).itemId);
    const action = `${loaded.access.base}/${name}/${item.id}`;
    const body = (request.body ?? {}) as FormBody;
    return saveItem(
      pages,
      reply,
      loaded,
      body,
      { id: item.id, action, adding: false, verb: "Changed" },
      (all, changed) => all.map((i) => (i.id === item.id ? changed : i)),
    );
  };
}

/** Asks before removing an item. */
function removeItemPage(pages: ListPages): RouteHandlerMethod {
  const { kit, name, list, itemOf } = pages;
  const { loadForEdit, render } = kit;
  return async (request, reply) => {
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
  };
}

/** Removes the item (an outcome also from the supports that served it). */
function removeItem(pages: ListPages): RouteHandlerMethod {
  const { kit, name, list, items, itemOf } = pages;
  const { loadForEdit, save } = kit;
  return async (request, reply) => {
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
  };
}

/** Registers the outcomes' and the risks' pages. */
export function registerListPages(app: FastifyInstance, kit: EditorKit) {
  for (const name of ["outcomes", "risks"] as const satisfies readonly ListName[]) {
    const pages = listPages(kit, name);
    app.get(`${kit.prefix}/${name}/new`, kit.guard, newItemPage(pages));
    app.post(`${kit.prefix}/${name}`, kit.guard, addItem(pages));
    app.get(`${kit.prefix}/${name}/:itemId`, kit.guard, itemPage(pages));
    app.post(`${kit.prefix}/${name}/:itemId`, kit.guard, changeItem(pages));
    app.get(`${kit.prefix}/${name}/:itemId/remove`, kit.guard, removeItemPage(pages));
    app.post(`${kit.prefix}/${name}/:itemId/remove`, kit.guard, removeItem(pages));
  }
}
