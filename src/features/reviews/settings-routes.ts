import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type Body, contextOf, dateFrom, one, render, todayBoxes } from "#/features/reviews/page-kit.ts";
import { formatDate } from "#/features/reviews/review-dates.calc.ts";
import {
  addReviewSettingsVersion,
  listReviewSettingsVersions,
  reviewSettingsOn,
} from "#/features/reviews/service.ts";
import { type FieldError, ValidationError } from "#/platform/errors.ts";
import { type PageErrors, pageErrors } from "#/platform/web/page-errors.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";

/**
 * The council's review settings (/admin/reviews): when plans are first reviewed and then how often, when a
 * review counts as due soon, and how long the council takes to answer a request to look again. Set by
 * administrators (the same role that sets funding settings).
 */

type Settings = Awaited<ReturnType<typeof reviewSettingsOn>>["settings"];

/** The form's values from the settings in force, applying from today. */
function valuesOf(s: Settings, today: string): Record<string, unknown> {
  const first = s.planReview.firstReview;
  return {
    firstReviewUnit: first === undefined ? "none" : "weeks" in first ? "weeks" : "months",
    firstReviewNumber: first === undefined ? "" : String("weeks" in first ? first.weeks : first.months),
    thenWithinMonths:
      s.planReview.thenWithinMonths === undefined ? "" : String(s.planReview.thenWithinMonths),
    dueSoonDays: String(s.dueSoonDays),
    lookAgainAnswerDays: String(s.lookAgainAnswerDays),
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
  const today = deps.today();
  const inForce = await reviewSettingsOn(contextOf(deps, request), today);
  const versions = await listReviewSettingsVersions(contextOf(deps, request));
  return render(reply.code(errors ? 400 : 200), "settings.njk", {
    title: "Review settings",
    inForce,
    versions,
    saved: (request.query as Record<string, string | undefined>).saved === "1",
    values: values ?? valuesOf(inForce.settings, today),
    errors: errors?.errors ?? {},
    errorList: errors?.errorList ?? [],
    formatDate,
  });
}

/** Whole numbers only; anything else goes to the service as typed, so its message names the field. */
const num = (s: string) => (/^\d{1,4}$/.test(s) ? Number(s) : s === "" ? undefined : s);

/** The service's field for a path, and the order the error summary lists them in. */
function settingsErrors(error: ValidationError): PageErrors {
  const fieldOf = (path: string) => {
    if (path.startsWith("settings.planReview.firstReview")) return "firstReviewNumber";
    if (path.startsWith("settings.planReview.thenWithinMonths")) return "thenWithinMonths";
    if (path === "validFrom") return "validFrom-day";
    return path.replace(/^settings\./, "");
  };
  const order = [
    "firstReviewNumber",
    "thenWithinMonths",
    "dueSoonDays",
    "lookAgainAnswerDays",
    "validFrom-day",
    "reason",
  ];
  return pageErrors(error.fieldErrors, fieldOf, order);
}

async function saveFromForm(deps: RouteDeps, request: FastifyRequest, reply: FastifyReply) {
  const body = (request.body ?? {}) as Body;
  const validFrom = dateFrom(body, "validFrom");
  const values = {
    firstReviewUnit: one(body, "firstReviewUnit"),
    firstReviewNumber: one(body, "firstReviewNumber"),
    thenWithinMonths: one(body, "thenWithinMonths"),
    dueSoonDays: one(body, "dueSoonDays"),
    lookAgainAnswerDays: one(body, "lookAgainAnswerDays"),
    validFrom: validFrom.typed,
    reason: one(body, "reason"),
  };
  const firstNumber = num(values.firstReviewNumber);
  const planReview: Record<string, unknown> = {};
  const formErrors: FieldError[] = [];
  if (values.firstReviewUnit === "weeks" || values.firstReviewUnit === "months") {
    if (firstNumber === undefined) {
      formErrors.push({
        path: "firstReviewNumber",
        message: `Give the number of ${values.firstReviewUnit}`,
      });
    } else planReview.firstReview = { [values.firstReviewUnit]: firstNumber };
  }
  const then = num(values.thenWithinMonths);
  if (then !== undefined) planReview.thenWithinMonths = then;
  try {
    if (formErrors.length > 0) throw new ValidationError(formErrors);
    await addReviewSettingsVersion(contextOf(deps, request), {
      validFrom: validFrom.value,
      reason: values.reason,
      settings: {
        planReview,
        dueSoonDays: num(values.dueSoonDays),
        lookAgainAnswerDays: num(values.lookAgainAnswerDays),
      },
    });
    return reply.redirect("/admin/reviews?saved=1", 303);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return settingsPage(deps, request, reply, values, settingsErrors(error));
  }
}

export async function reviewSettingsRoutes(app: FastifyInstance, deps: RouteDeps) {
  const guard = { preHandler: requireStaff("funding:settings") };
  app.get("/admin/reviews", guard, (request, reply) => settingsPage(deps, request, reply, null, null));
  app.post("/admin/reviews", guard, (request, reply) => saveFromForm(deps, request, reply));
}
