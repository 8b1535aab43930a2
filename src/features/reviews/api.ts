import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  answerLookAgain,
  askToLookAgain,
  DECISION_KINDS,
  listLookAgainRequests,
  lookAgainAnswerSchema,
  lookAgainInputSchema,
} from "#/features/reviews/look-again.ts";
import {
  OUTCOME_RATINGS,
  REVIEW_RESULTS,
  reviewMethodSchema,
  UNDERSPEND_REASONS,
} from "#/features/reviews/schemas.ts";
import { REVIEW_STATUSES, recordReview, reviewsDue, reviewsFor } from "#/features/reviews/service.ts";
import { apiRoute } from "#/platform/web/openapi.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";

/**
 * Reviews and requests to look at a decision again over `/api/v1`: the caseload on a date, one person's reviews,
 * recording a review, and listing, making and answering requests. The same services as the pages.
 */

const isoDate = z.iso.date();

export const caseloadQuery = z.strictObject({
  date: isoDate.optional().describe("The day the caseload is for (YYYY-MM-DD); today in London if left out"),
  status: z.enum(REVIEW_STATUSES).optional().describe("Only reviews in this state (the counts cover all)"),
  mine: z
    .enum(["true", "false"])
    .optional()
    .describe(
      "true: only your caseload (plans you lead, unassigned ones, and for a team manager every overdue review); otherwise everyone's",
    ),
});

const dueSchema = z.object({
  kind: z.enum(["plan", "direct_payment"]),
  dueDate: isoDate,
  basis: z.enum(["first_payment", "budget_start", "last_review", "plan_agreed"]),
  fromDate: isoDate,
  provisional: z.boolean().describe("True while a direct payment review is counted from the budget's start"),
  explanation: z.array(z.string()),
  source: z.object({ title: z.string(), provision: z.string().optional(), url: z.string() }),
});

const caseloadEntrySchema = z
  .object({
    personId: z.uuid(),
    personName: z.string(),
    planId: z.uuid(),
    leadWorkerId: z.uuid().nullable(),
    status: z.enum(REVIEW_STATUSES),
    daysUntilDue: z.number().int(),
    visibleToTeamManager: z.boolean(),
    reason: z.enum(["lead_worker", "unassigned", "overdue_in_team", "everyone"]),
    label: z.string(),
    due: dueSchema,
  })
  .meta({ id: "DueReview" });

export const caseloadResponse = z
  .object({
    date: isoDate,
    counts: z.object({ overdue: z.number().int(), due_soon: z.number().int(), upcoming: z.number().int() }),
    reviews: z.array(caseloadEntrySchema),
  })
  .meta({ id: "ReviewCaseload" });

const storedReviewSchema = z
  .object({
    reviewId: z.uuid(),
    planId: z.uuid(),
    planVersion: z.number().int(),
    kinds: z.array(z.enum(["plan", "direct_payment"])),
    heldOn: isoDate,
    method: reviewMethodSchema
      .nullable()
      .describe("How the review was held; null for reviews recorded before Upfront asked (never filled in)"),
    outcomes: z.array(
      z.object({
        outcomeId: z.string(),
        outcome: z.string().describe("The outcome in the person's words, from the plan"),
        rating: z.enum(OUTCOME_RATINGS),
        inTheirWords: z.string(),
      }),
    ),
    working: z.string(),
    notWorking: z.string(),
    result: z.enum(REVIEW_RESULTS),
    underspendReason: z
      .enum(UNDERSPEND_REASONS)
      .nullable()
      .describe("Why money in the budget went unspent, when the review recorded it; null when not"),
  })
  .meta({ id: "Review" });

export const personReviewsResponse = z
  .object({
    personId: z.uuid(),
    due: z.array(caseloadEntrySchema),
    past: z.array(storedReviewSchema),
  })
  .meta({ id: "PersonReviews" });

export const recordReviewBody = z
  .object({
    personId: z.uuid(),
    heldOn: isoDate,
    kinds: z.array(z.enum(["plan", "direct_payment"])).min(1),
    method: reviewMethodSchema.describe("How the review was held"),
    outcomes: z
      .array(z.object({ outcomeId: z.string(), rating: z.enum(OUTCOME_RATINGS), inTheirWords: z.string() }))
      .min(1),
    working: z.string(),
    notWorking: z.string(),
    result: z.enum(REVIEW_RESULTS),
    underspend: z
      .object({ reason: z.enum(UNDERSPEND_REASONS) })
      .optional()
      .describe("When money in the budget went unspent: why (hard_to_find feeds the market-gaps report)"),
  })
  .meta({ id: "NewReview" });

const lookAgainSchema = z
  .object({
    requestId: z.uuid(),
    personId: z.uuid(),
    personName: z.string(),
    decisionKind: z.enum(DECISION_KINDS),
    decisionRef: z.string().nullable(),
    whatIsWrong: z.string(),
    askedBy: z.object({ kind: z.enum(["person", "representative", "staff"]), name: z.string() }),
    dueOn: isoDate,
    state: z.enum(["answered", "overdue", "due_soon", "open"]),
    visibleToTeamManager: z.boolean(),
    answer: z.string().nullable(),
  })
  .meta({ id: "LookAgainRequest" });

export const lookAgainQuery = z.strictObject({
  date: isoDate.optional().describe("The day the states are worked out for; today in London if left out"),
  status: z.enum(["answered", "overdue", "due_soon", "open"]).optional(),
});

type Entry = Awaited<ReturnType<typeof reviewsDue>>["entries"][number];
const entryJson = (e: Entry) => ({
  personId: e.item.personId,
  personName: e.item.personName,
  planId: e.item.planId,
  leadWorkerId: e.item.leadWorkerId,
  status: e.status,
  daysUntilDue: e.daysUntilDue,
  visibleToTeamManager: e.visibleToTeamManager,
  reason: e.reason,
  label: e.label,
  due: e.item.due,
});

export async function reviewsApi(app: FastifyInstance, deps: RouteDeps) {
  reviewRecordsApi(app, deps);
  lookAgainApi(app, deps);
}

/** Reviews: the caseload due on a date, a person's reviews, and recording one. */
function reviewRecordsApi(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);
  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/reviews",
      operationId: "listDueReviews",
      summary: "Reviews due on a date, overdue first, each with its due date and how it was worked out",
      tag: "Reviews",
      auth: "staff",
      permission: "reviews:read",
      query: caseloadQuery,
      response: caseloadResponse,
    },
    async ({ request, query }) => {
      const staff = request.staff!;
      const date = query.date ?? deps.today();
      const caseload = await reviewsDue(ctx(request), {
        date,
        ...(query.status ? { status: query.status } : {}),
        ...(query.mine === "true"
          ? { workerId: staff.userId, teamManager: staff.roles.includes("team_manager") }
          : {}),
      });
      return { date, counts: caseload.counts, reviews: caseload.entries.map(entryJson) };
    },
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/people/:personId/reviews",
      operationId: "listPersonReviews",
      summary: "A person's reviews: what is due, with why, and past reviews with the ratings",
      tag: "Reviews",
      auth: "staff",
      permission: "reviews:read",
      response: personReviewsResponse,
    },
    async ({ request, params }) => {
      const found = await reviewsFor(ctx(request), params.personId!);
      return { personId: found.person.personId, due: found.due.map(entryJson), past: found.past };
    },
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/reviews",
      operationId: "recordReview",
      summary:
        "Record a review held with the person: each outcome of the plan rated in their words, what is and is not working, and what it leads to",
      tag: "Reviews",
      auth: "staff",
      permission: "reviews:write",
      body: recordReviewBody,
      response: storedReviewSchema,
      successStatus: 201,
      problems: { 404: "There is no such person in your council", 409: "The person has no live budget" },
    },
    // The service checks the body again, with the plan's outcomes, and names every problem.
    async ({ request }) => (await recordReview(ctx(request), request.body)).review,
  );
}

/** Requests to look at a decision again: list them, record one, answer one. */
function lookAgainApi(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);
  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/look-again-requests",
      operationId: "listLookAgainRequests",
      summary: "Requests to look at a decision again, overdue first, with the day each is due an answer",
      tag: "Reviews",
      auth: "staff",
      permission: "reviews:read",
      query: lookAgainQuery,
      response: z.object({ date: isoDate, requests: z.array(lookAgainSchema) }).meta({ id: "LookAgainList" }),
    },
    async ({ request, query }) => {
      const date = query.date ?? deps.today();
      const list = await listLookAgainRequests(ctx(request), {
        date,
        ...(query.status ? { status: query.status } : {}),
      });
      return { date, requests: list.requests };
    },
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/look-again-requests",
      operationId: "askToLookAgain",
      summary:
        "Record a person's request to look at a decision again; the answer is due in the council's own days",
      tag: "Reviews",
      auth: "staff",
      permission: "reviews:write",
      body: lookAgainInputSchema,
      response: lookAgainSchema,
      successStatus: 201,
      problems: { 404: "There is no such person in your council" },
    },
    async ({ request, body }) => (await askToLookAgain(ctx(request), body)).request,
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/look-again-requests/:requestId/answer",
      operationId: "answerLookAgain",
      summary: "Answer a request to look at a decision again; the person reads the answer",
      tag: "Reviews",
      auth: "staff",
      permission: "reviews:write",
      body: lookAgainAnswerSchema,
      response: lookAgainSchema,
      problems: { 409: "The request has already been answered" },
    },
    async ({ request, params, body }) => answerLookAgain(ctx(request), params.requestId!, body),
  );
}
