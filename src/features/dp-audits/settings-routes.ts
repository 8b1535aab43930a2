import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AuditSettings } from "#/features/dp-audits/findings.calc.ts";
import {
  addAuditSettingsVersion,
  auditSettingsOn,
  listAuditSettingsVersions,
} from "#/features/dp-audits/settings.ts";
import { dateFrom, todayBoxes } from "#/features/reviews/page-kit.ts";
import { ValidationError } from "#/platform/errors.ts";
import { type FormBody, one } from "#/platform/web/forms.ts";
import { type PageErrors, pageErrors } from "#/platform/web/page-errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";

/**
 * The council's direct-payment audit settings (/admin/dp-audits): the numbers each check uses and the merchant
 * codes it flags, as a new version from a date. Finance officers and administrators set them.
 */

const NUMBER_FIELDS = [
  "surplusAboveWeeks",
  "surplusWarnBelowWeeks",
  "noEvidenceWeeks",
  "contributionOverdueDays",
  "firstReviewFromWeeks",
  "firstReviewByWeeks",
  "thenEveryMonths",
  "annualOpensWeeksBefore",
  "repaymentDays",
] as const;
const LIST_FIELDS = ["blockedMccs", "cashMccs"] as const;
const ORDER = [...NUMBER_FIELDS, ...LIST_FIELDS, "validFrom-day", "reason"];

function valuesOf(s: AuditSettings, today: string): Record<string, unknown> {
  return {
    ...Object.fromEntries(NUMBER_FIELDS.map((f) => [f, String(s[f])])),
    ...Object.fromEntries(LIST_FIELDS.map((f) => [f, s[f].join(", ")])),
    validFrom: todayBoxes(today),
    reason: "",
  };
}

async function settingsPage(
  deps: RouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  values: Record<string, unknown> | null,
  errors: PageErrors | null,
) {
  const ctx = serviceContextFor(deps)(request);
  const inForce = await auditSettingsOn(ctx, ctx.today);
  return reply.code(errors ? 400 : 200).render("dp-audits/views/settings.njk", {
    title: "Direct-payment audit settings",
    inForce,
    versions: await listAuditSettingsVersions(ctx),
    saved: (request.query as Record<string, string | undefined>).saved === "1",
    values: values ?? valuesOf(inForce.settings, ctx.today),
    errors: errors?.errors ?? {},
    errorList: errors?.errorList ?? [],
  });
}

/** Whole numbers only; anything else goes to the service as typed, so its message names the field. */
const num = (s: string) => (/^\d{1,4}$/.test(s) ? Number(s) : s === "" ? undefined : s);
const codes = (s: string) => s.split(/[\s,]+/).filter((c) => c !== "");

async function save(deps: RouteDeps, request: FastifyRequest, reply: FastifyReply) {
  const body = (request.body ?? {}) as FormBody;
  const validFrom = dateFrom(body as Record<string, string>, "validFrom");
  const values: Record<string, unknown> = {
    ...Object.fromEntries([...NUMBER_FIELDS, ...LIST_FIELDS].map((f) => [f, one(body, f).trim()])),
    validFrom: validFrom.typed,
    reason: one(body, "reason"),
  };
  const text = (f: string) => String(values[f]);
  try {
    await addAuditSettingsVersion(serviceContextFor(deps)(request), {
      validFrom: validFrom.value,
      reason: values.reason,
      settings: {
        ...Object.fromEntries(NUMBER_FIELDS.map((f) => [f, num(text(f))])),
        ...Object.fromEntries(LIST_FIELDS.map((f) => [f, codes(text(f))])),
      },
    });
    return reply.redirect("/admin/dp-audits?saved=1", 303);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const fieldOf = (path: string) =>
      path === "validFrom"
        ? "validFrom-day"
        : path.replace(/^settings\./, "").replace(/(\.\d+|\[\d+\])$/, "");
    return settingsPage(deps, request, reply, values, pageErrors(error.fieldErrors, fieldOf, ORDER));
  }
}

export async function settingsRoutes(app: FastifyInstance, deps: RouteDeps) {
  const guard = { preHandler: requireStaff("dp_audits:settings") };
  app.get("/admin/dp-audits", guard, (request, reply) => settingsPage(deps, request, reply, null, null));
  app.post("/admin/dp-audits", guard, (request, reply) => save(deps, request, reply));
}
