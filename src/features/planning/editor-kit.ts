import type { FastifyReply, FastifyRequest, RouteShorthandOptions } from "fastify";
import type { FormBody, FormValues } from "#/features/planning/forms.ts";
import { planModel } from "#/features/planning/plan-model.ts";
import {
  getPlan,
  type PlanEditor,
  PlanRefusedError,
  type PlanView,
  type SupportPlanDraft,
  saveDraft,
} from "#/features/planning/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import {
  ConflictError,
  type FieldError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from "#/platform/errors.ts";

/**
 * What every page of the plan editor shares: who is looking and from where (EditorAccess), and the kit its
 * route modules are built on — render in the right layout, load the plan (checking whose it is), load it for
 * an edit (refused once it is submitted or agreed), and save a changed draft.
 */

export const V = "planning/views";

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
export function checkOwner(access: EditorAccess, view: PlanView): void {
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

export type LoadedPlan = Awaited<ReturnType<typeof loadPlanFor>>;
export type EditablePlan = LoadedPlan & { access: EditorAccess & { editor: PlanEditor } };

async function loadPlanFor(options: EditorOptions, request: FastifyRequest, purpose: "read" | "edit") {
  const access = await options.access(request, purpose);
  const view = await getPlan(access.ctx, options.planIdOf(request));
  checkOwner(access, view);
  const model = planModel(view, access);
  return { access, view, model };
}

export type EditorKit = ReturnType<typeof editorKit>;

/** The editor's shared steps for one registration (staff's or the person's pages). */
export function editorKit(options: EditorOptions) {
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

  const load = (request: FastifyRequest, purpose: "read" | "edit") => loadPlanFor(options, request, purpose);

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

  return { prefix, guard, options, render, load, loadForEdit, save };
}

export const short = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);

/** A field error path from the service (e.g. "supports[0].cost.unitCostPence") as a message to show at the top. */
export const serviceErrors = (error: ValidationError, field: string): FieldError[] =>
  error.fieldErrors.map((e) => ({ path: field, message: e.message }));

/** Form values echoed back on an error: every field as typed. */
export function bodyValues(body: FormBody): FormValues {
  const values: FormValues = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === "_csrf") continue;
    if (typeof v === "string") values[k] = v;
    else if (Array.isArray(v)) values[k] = v.filter((x): x is string => typeof x === "string");
  }
  return values;
}

/** A refusal from the service (validation, conflict, forbidden) as field errors on a form; null for anything else. */
export function refusalErrors(
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
