import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { fairnessSettingsOverview, setFairnessSettings } from "#/features/reports/fairness-settings.ts";
import { refreshSnapshot } from "#/features/reports/snapshot-service.ts";
import { dateFrom, todayBoxes } from "#/features/reviews/page-kit.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { type FormBody, one } from "#/platform/web/forms.ts";
import { type PageErrors, pageErrors } from "#/platform/web/page-errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";
import { formatDate } from "#/platform/web/views.ts";

/**
 * The public fairness dashboard's settings on the administrator's pages (/admin/fairness): how few people a
 * figure may be about before it is hidden, and the margin that names a group, as a setting from a date (the
 * same service as `upfront fairness settings`: validated, one write, audited). Administrators only.
 */

const ORDER = ["suppressFewerThan", "marginPercent", "validFrom-day", "reason"];

type Values = {
  suppressFewerThan: string;
  marginPercent: string;
  validFrom: { day: string; month: string; year: string };
  reason: string;
};

async function settingsPage(
  deps: RouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  values: Values | null,
  errors: PageErrors | null,
) {
  const ctx = serviceContextFor(deps)(request);
  const { inForce, rules, history } = await fairnessSettingsOverview(ctx);
  return reply.code(errors ? 400 : 200).render("reports/views/fairness-settings.njk", {
    title: "Fairness dashboard settings",
    inForce,
    rules,
    history,
    saved: (request.query as Record<string, string | undefined>).saved === "1",
    values: values ?? {
      suppressFewerThan: String(inForce.suppressFewerThan),
      marginPercent: String(inForce.marginPercent),
      validFrom: todayBoxes(ctx.today),
      reason: "",
    },
    errors: errors?.errors ?? {},
    errorList: errors?.errorList ?? [],
  });
}

/** A whole number as typed, else the text itself (the service's message then says what to fix). */
const whole = (text: string): unknown =>
  /^\d{1,6}$/.test(text) ? Number(text) : text === "" ? undefined : text;

async function save(deps: RouteDeps, request: FastifyRequest, reply: FastifyReply) {
  const body = (request.body ?? {}) as FormBody;
  const validFrom = dateFrom(body as Record<string, string>, "validFrom");
  const values: Values = {
    suppressFewerThan: one(body, "suppressFewerThan").trim(),
    marginPercent: one(body, "marginPercent").trim().replace(/%$/, ""),
    validFrom: validFrom.typed,
    reason: one(body, "reason"),
  };
  const ctx = serviceContextFor(deps)(request);
  try {
    const set = await setFairnessSettings(ctx, {
      suppressFewerThan: whole(values.suppressFewerThan),
      marginPercent: whole(values.marginPercent),
      validFrom: validFrom.value || undefined,
      reason: values.reason,
    });
    // The public page reads its stored snapshot: worked out again now when the setting is already in force.
    if (set.source.kind === "council" && set.source.validFrom <= ctx.today) {
      await refreshSnapshot(ctx, "fairness", {});
    }
    return reply.redirect("/admin/fairness?saved=1", 303);
  } catch (error) {
    const fieldOf = (path: string) => (path === "validFrom" ? "validFrom-day" : path);
    if (error instanceof ValidationError) {
      // The service's date messages are for a command line (YYYY-MM-DD); the page has three boxes.
      const dateMessage = validFrom.value
        ? "The date the settings apply from must be a real date, for example 1 4 2027"
        : "Give the date the settings apply from";
      const fieldErrors = error.fieldErrors.map((e) =>
        e.path === "validFrom" ? { ...e, message: dateMessage } : e,
      );
      return settingsPage(deps, request, reply, values, pageErrors(fieldErrors, fieldOf, ORDER));
    }
    if (error instanceof ConflictError) {
      // The service's message gives the date as typed on a command line; the page says it in words.
      const message = `The council already has fairness settings from ${formatDate(validFrom.value)}: give a later date`;
      return settingsPage(
        deps,
        request,
        reply,
        values,
        pageErrors([{ path: "validFrom", message }], fieldOf, ORDER),
      );
    }
    throw error;
  }
}

export async function fairnessSettingsRoutes(app: FastifyInstance, deps: RouteDeps) {
  const guard = { preHandler: requireStaff("fairness:settings") };
  app.get("/admin/fairness", guard, (request, reply) => settingsPage(deps, request, reply, null, null));
  app.post("/admin/fairness", guard, (request, reply) => save(deps, request, reply));
}
