import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  type Body,
  contextOf,
  dateFrom,
  many,
  one,
  RATING_LABELS,
  RESULT_LABELS,
  render,
  todayBoxes,
} from "#/features/reviews/page-kit.ts";
import {
  OUTCOME_RATINGS,
  REVIEW_RESULTS,
  UNDERSPEND_REASON_LABELS,
  UNDERSPEND_REASONS,
} from "#/features/reviews/schemas.ts";
import { REVIEW_STATUSES, recordReview, reviewsDue, reviewsFor } from "#/features/reviews/service.ts";
import { getCouncilContact } from "#/features/tenants/contact-service.ts";
import { can } from "#/platform/auth/permissions.ts";
import { ValidationError } from "#/platform/errors.ts";
import { type PageErrors, pageErrors } from "#/platform/web/page-errors.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";
import { REVIEW_METHOD_HINTS, REVIEW_METHOD_LABELS, REVIEW_METHODS } from "#/vocabulary/review-methods.ts";

/**
 * Reviews for staff: the caseload (/reviews, overdue first, filtered by status), a person's reviews with the
 * due dates and why (/people/:id/reviews), and recording a review (each outcome rated with the person's words).
 */

const STATUS_LABELS = { overdue: "Overdue", due_soon: "Due soon", upcoming: "Upcoming" } as const;

async function caseloadPage(deps: RouteDeps, request: FastifyRequest, reply: FastifyReply) {
  const q = request.query as Record<string, string | undefined>;
  const status = REVIEW_STATUSES.find((s) => s === q.status);
  const everyone = q.show === "all";
  const staff = request.staff!;
  const today = deps.today();
  const caseload = await reviewsDue(contextOf(deps, request), {
    date: today,
    ...(status ? { status } : {}),
    ...(everyone ? {} : { workerId: staff.userId, teamManager: staff.roles.includes("team_manager") }),
  });
  const base = everyone ? "/reviews?show=all" : "/reviews";
  const join = everyone ? "&" : "?";
  return render(reply, "caseload.njk", {
    title: everyone ? "Reviews for everyone" : "Your reviews",
    everyone,
    status,
    caseload,
    today,
    filters: [
      {
        text: "All",
        href: base,
        current: !status,
        count: caseload.counts.overdue + caseload.counts.due_soon + caseload.counts.upcoming,
      },
      ...REVIEW_STATUSES.map((s) => ({
        text: STATUS_LABELS[s],
        href: `${base}${join}status=${s}`,
        current: status === s,
        count: caseload.counts[s],
      })),
    ],
    statusLabels: STATUS_LABELS,
    reasonLabels: {
      lead_worker: "You are the lead worker",
      unassigned: "No lead worker",
      overdue_in_team: "Overdue in your team",
      everyone: "",
    },
  });
}

async function personPage(deps: RouteDeps, request: FastifyRequest, reply: FastifyReply) {
  const { personId } = request.params as { personId: string };
  const found = await reviewsFor(contextOf(deps, request), personId);
  const q = request.query as Record<string, string | undefined>;
  return render(reply, "person.njk", {
    title: `Reviews for ${found.person.givenName} ${found.person.familyName}`,
    backLink: `/people/${personId}`,
    found,
    recorded: q.recorded === "1",
    mayRecord: can(request.staff!.roles, "reviews:write") && found.plan !== null,
    councilContact: await getCouncilContact(contextOf(deps, request)),
    councilContactName: request.staff!.tenantName,
  });
}

async function recordPage(
  deps: RouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  values: Record<string, unknown>,
  errors: PageErrors | null,
) {
  const { personId } = request.params as { personId: string };
  const found = await reviewsFor(contextOf(deps, request), personId);
  if (!found.plan) return reply.redirect(`/people/${personId}/reviews`, 303);
  return render(reply.code(errors ? 400 : 200), "record.njk", {
    title: "Record a review",
    backLink: `/people/${personId}/reviews`,
    found,
    values,
    errors: errors?.errors ?? {},
    errorList: errors?.errorList ?? [],
    methods: REVIEW_METHODS.map((m) => ({
      value: m,
      text: REVIEW_METHOD_LABELS[m],
      ...(REVIEW_METHOD_HINTS[m] ? { hint: { text: REVIEW_METHOD_HINTS[m] } } : {}),
    })),
    ratings: OUTCOME_RATINGS.map((r) => ({ value: r, text: RATING_LABELS[r] })),
    results: REVIEW_RESULTS.map((r) => ({ value: r, text: RESULT_LABELS[r] })),
    underspendReasons: UNDERSPEND_REASONS.map((r) => ({ value: r, text: UNDERSPEND_REASON_LABELS[r] })),
  });
}

/** The form's field for an error of the service, and the order the error summary lists them in. */
function recordErrors(error: ValidationError, outcomeIds: readonly string[]): PageErrors {
  const fieldOf = (path: string) => {
    const m = /^outcomes\[(\d+)\]\.(\w+)/.exec(path);
    if (m) return `${m[2] === "inTheirWords" ? "words" : "rating"}-${outcomeIds[Number(m[1])] ?? "0"}`;
    if (path === "heldOn") return "heldOn-day";
    if (path.startsWith("underspend")) return "underspendReason";
    return path.split(/[.[]/)[0]!;
  };
  const order = [
    "heldOn-day",
    "method",
    "kinds",
    ...outcomeIds.flatMap((id) => [`rating-${id}`, `words-${id}`]),
    "working",
    "notWorking",
    "underspendReason",
    "result",
  ];
  // The service's message lists the codes (for the API); the page names the question instead.
  const fieldErrors = error.fieldErrors.map((e) =>
    e.path === "method" ? { ...e, message: "Select how the review was held" } : e,
  );
  return pageErrors(fieldErrors, fieldOf, order);
}

async function recordFromForm(deps: RouteDeps, request: FastifyRequest, reply: FastifyReply) {
  const { personId } = request.params as { personId: string };
  const body = (request.body ?? {}) as Body;
  const found = await reviewsFor(contextOf(deps, request), personId);
  const outcomeIds = found.plan?.outcomes.map((o) => o.id) ?? [];
  const heldOn = dateFrom(body, "heldOn");
  const values = {
    heldOn: heldOn.typed,
    method: one(body, "method"),
    kinds: many(body, "kinds"),
    ratings: Object.fromEntries(outcomeIds.map((id) => [id, one(body, `rating-${id}`)])),
    words: Object.fromEntries(outcomeIds.map((id) => [id, one(body, `words-${id}`)])),
    working: one(body, "working"),
    notWorking: one(body, "notWorking"),
    result: one(body, "result"),
    underspendReason: one(body, "underspendReason"),
  };
  const input = {
    personId,
    heldOn: heldOn.value,
    ...(values.method ? { method: values.method } : {}),
    kinds: values.kinds,
    outcomes: outcomeIds.map((id) => ({
      outcomeId: id,
      rating: values.ratings[id] || undefined,
      inTheirWords: values.words[id],
    })),
    working: values.working,
    notWorking: values.notWorking,
    ...(values.result ? { result: values.result } : {}),
    ...(values.underspendReason ? { underspend: { reason: values.underspendReason } } : {}),
  };
  try {
    await recordReview(contextOf(deps, request), input);
    return reply.redirect(`/people/${personId}/reviews?recorded=1`, 303);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return recordPage(deps, request, reply, values, recordErrors(error, outcomeIds));
  }
}

export async function reviewRoutes(app: FastifyInstance, deps: RouteDeps) {
  const read = { preHandler: requireStaff("reviews:read") };
  const write = { preHandler: requireStaff("reviews:write") };
  app.get("/reviews", read, (request, reply) => caseloadPage(deps, request, reply));
  app.get("/people/:personId/reviews", read, (request, reply) => personPage(deps, request, reply));
  app.get("/people/:personId/reviews/new", write, (request, reply) =>
    recordPage(deps, request, reply, { heldOn: todayBoxes(deps.today()), kinds: ["plan"] }, null),
  );
  app.post("/people/:personId/reviews/new", write, (request, reply) => recordFromForm(deps, request, reply));
}
