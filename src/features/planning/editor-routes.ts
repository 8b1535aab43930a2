import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from "fastify";
import {
  checkOwner,
  type EditablePlan,
  type EditorKit,
  type EditorOptions,
  editorKit,
  refusalErrors,
  V,
} from "#/features/planning/editor-kit.ts";
import { registerListPages } from "#/features/planning/editor-lists.ts";
import { registerSupportPages } from "#/features/planning/editor-supports.ts";
import { type FormBody, parseLongText } from "#/features/planning/forms.ts";
import { planModel } from "#/features/planning/plan-model.ts";
import { getPlan, getPlanVersion, type SupportPlanDraft, submitPlan } from "#/features/planning/service.ts";
import { getCouncilContact } from "#/features/tenants/contact-service.ts";
import { type FieldError, NotFoundError } from "#/platform/errors.ts";
import { htmlToPdf, PdfUnavailableError, pdfAvailable } from "#/platform/pdf/pdf.ts";
import { pageErrors } from "#/platform/web/page-errors.ts";
import { createViewEnvironment } from "#/platform/web/views.ts";

/**
 * Support plan pages. One editor, made of plain forms (an overview with "Add", "Change" and "Remove" links,
 * each a small form page with an error summary), shared by staff (/plans/:planId) and by the person or their
 * representative (/my/people/:personId/plans/:planId, see faces/portal/plan-routes.ts): the templates take an
 * href prefix (`base`) and a layout, never their own links. The budget fit is shown on every page of the editor.
 * Here: the overview, a version as it was, the contingency plan and the reason for going over budget, submit,
 * and the agreed plan as a page and a tagged PDF; outcomes, risks and supports have their own modules.
 */

const pdfViews = createViewEnvironment();

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

/** The overview: the plan, its budget fit and split, what stops it going for approval, and who changed what. */
function overviewPage(kit: EditorKit): RouteHandlerMethod {
  const { render, load } = kit;
  return async (request, reply) => {
    const { access, model } = await load(request, "read");
    const q = request.query as Record<string, unknown>;
    return render(reply, access, `${V}/overview.njk`, {
      title: access.audience === "self" ? "Your support plan" : `Support plan for ${model.person.name}`,
      // Staff go back to the person's plans; people to theirs (the same list, in their pages).
      backLink: access.isStaff ? `/people/${model.person.personId}/plans` : access.listHref,
      plan: model,
      saved: typeof q.saved === "string" ? q.saved : null,
    });
  };
}

/** One version as it was (history): read-only. */
function versionPage(kit: EditorKit): RouteHandlerMethod {
  const { options, render } = kit;
  return async (request, reply) => {
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
  };
}

// ---- the contingency plan and the reason for going over budget ------------------------------------------------

type TextPath = keyof typeof TEXTS;

function textPages(kit: EditorKit, path: TextPath) {
  const { render } = kit;
  const text = TEXTS[path];
  const page = (reply: FastifyReply, loaded: EditablePlan, value: string, errors: FieldError[] = []) =>
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
  return { kit, path, text, page };
}
type TextPages = ReturnType<typeof textPages>;

/** The text's form, filled in. */
function textPage(pages: TextPages): RouteHandlerMethod {
  const { kit, text, page } = pages;
  const { loadForEdit } = kit;
  return async (request, reply) => {
    const loaded = await loadForEdit(request);
    return page(reply, loaded, loaded.view.content[text.field] ?? "");
  };
}

/** Saves the text (empty removes it, unless it may not be empty). */
function saveText(pages: TextPages): RouteHandlerMethod {
  const { kit, path, text, page } = pages;
  const { loadForEdit, save } = kit;
  return async (request, reply) => {
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
  };
}

// ---- submit: check the plan, then send it for approval -------------------------------------------------------

function renderSubmit(kit: EditorKit, reply: FastifyReply, loaded: EditablePlan, errors: FieldError[] = []) {
  const { render } = kit;
  return render(reply.code(errors.length ? 400 : 200), loaded.access, `${V}/submit.njk`, {
    title: "Check the plan before it goes for approval",
    backLink: loaded.access.base,
    plan: loaded.model,
    errorList: errors.map((e) => ({ text: e.message, href: "#problems" })),
  });
}

/** Sends the plan for approval, or shows what stops it. */
function submit(kit: EditorKit): RouteHandlerMethod {
  const { loadForEdit } = kit;
  return async (request, reply) => {
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
      return renderSubmit(kit, reply, loaded, refused);
    }
    return reply.redirect(`${loaded.access.base}?saved=submitted`, 303);
  };
}

// ---- the agreed plan, as a page and a PDF ---------------------------------------------------------------------

/** The latest approved version, as the reader may see it. */
async function agreedOf(kit: EditorKit, request: FastifyRequest) {
  const { options } = kit;
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

/** The agreed plan as a page. */
function agreedPage(kit: EditorKit): RouteHandlerMethod {
  const { render } = kit;
  return async (request, reply) => {
    const { access, model } = await agreedOf(kit, request);
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
  };
}

/** The agreed plan as a tagged PDF; a page saying so when no PDF can be made. */
function agreedPdf(kit: EditorKit): RouteHandlerMethod {
  const { render } = kit;
  return async (request, reply) => {
    const { access, model } = await agreedOf(kit, request);
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
  };
}

/** Registers the plan editor's pages under `options.prefix`. */
export function registerPlanEditor(app: FastifyInstance, options: EditorOptions) {
  const kit = editorKit(options);
  const { prefix, guard } = kit;
  app.get(prefix, guard, overviewPage(kit));
  app.get(`${prefix}/versions/:version`, guard, versionPage(kit));
  registerListPages(app, kit);
  registerSupportPages(app, kit);
  for (const path of Object.keys(TEXTS) as TextPath[]) {
    const pages = textPages(kit, path);
    app.get(`${prefix}/${path}`, guard, textPage(pages));
    app.post(`${prefix}/${path}`, guard, saveText(pages));
  }
  app.get(`${prefix}/submit`, guard, async (request, reply) =>
    renderSubmit(kit, reply, await kit.loadForEdit(request)),
  );
  app.post(`${prefix}/submit`, guard, submit(kit));
  app.get(`${prefix}/agreed`, guard, agreedPage(kit));
  app.get(`${prefix}/agreed.pdf`, guard, agreedPdf(kit));
}
