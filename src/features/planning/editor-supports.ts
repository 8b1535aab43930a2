import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from "fastify";
import { PROVIDER_KIND_LABELS } from "#/features/directory/input-schemas.ts";
import { getProvider, searchProviders } from "#/features/directory/service.ts";
import {
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
  one,
  parseSupport,
  supportFormItems,
  supportValues,
  supportValuesFrom,
} from "#/features/planning/forms.ts";
import type { Support } from "#/features/planning/schemas.ts";
import type { SupportPlanDraft } from "#/features/planning/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { type FieldError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { pageErrors } from "#/platform/web/page-errors.ts";
import { supportCategories } from "#/vocabulary/support-categories.ts";

/**
 * The plan editor's supports: add, change and remove. The support form searches the directory for a provider
 * and keeps the one already chosen in the list, whatever the search.
 */

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

/** Parses the support form, looking the chosen provider up in the directory. */
async function parseSupportForm(loaded: EditablePlan, body: FormBody, id: string) {
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

/** The support form, with the providers found. */
function supportPages(kit: EditorKit) {
  const { render } = kit;
  async function supportForm(
    reply: FastifyReply,
    loaded: EditablePlan,
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
  return { kit, supportForm };
}
type SupportPages = ReturnType<typeof supportPages>;

/** The form for a new support. */
function newSupportPage(pages: SupportPages): RouteHandlerMethod {
  const { kit, supportForm } = pages;
  const { loadForEdit } = kit;
  return async (request, reply) => {
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
  };
}

/** Adds or changes a support; "Find providers" shows the form again with the list searched. */
function postSupport(pages: SupportPages, adding: boolean): RouteHandlerMethod {
  const { kit, supportForm } = pages;
  const { loadForEdit, save } = kit;
  return async (request, reply) => {
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
}

/** The form for one support, filled in. */
function supportPage(pages: SupportPages): RouteHandlerMethod {
  const { kit, supportForm } = pages;
  const { loadForEdit } = kit;
  return async (request, reply) => {
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
  };
}

/** Asks before removing a support. */
function removeSupportPage(pages: SupportPages): RouteHandlerMethod {
  const { kit } = pages;
  const { loadForEdit, render } = kit;
  return async (request, reply) => {
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
  };
}

/** Removes the support. */
function removeSupport(pages: SupportPages): RouteHandlerMethod {
  const { kit } = pages;
  const { loadForEdit, save } = kit;
  return async (request, reply) => {
    const loaded = await loadForEdit(request);
    const content = loaded.view.content;
    const s = supportOf(content, (request.params as { itemId: string }).itemId);
    await save(
      loaded,
      { ...content, supports: content.supports.filter((x) => x.id !== s.id) },
      `Removed the support “${short(s.what)}”`,
    );
    return reply.redirect(`${loaded.access.base}?saved=removed`, 303);
  };
}

/** Registers the supports' pages. */
export function registerSupportPages(app: FastifyInstance, kit: EditorKit) {
  const pages = supportPages(kit);
  const { prefix, guard } = kit;
  app.get(`${prefix}/supports/new`, guard, newSupportPage(pages));
  app.post(`${prefix}/supports`, guard, postSupport(pages, true));
  app.get(`${prefix}/supports/:itemId`, guard, supportPage(pages));
  app.post(`${prefix}/supports/:itemId`, guard, postSupport(pages, false));
  app.get(`${prefix}/supports/:itemId/remove`, guard, removeSupportPage(pages));
  app.post(`${prefix}/supports/:itemId/remove`, guard, removeSupport(pages));
}
