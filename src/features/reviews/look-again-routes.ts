import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  answerLookAgain,
  DECISION_KIND_LABELS,
  getLookAgainRequest,
  type LookAgainState,
  listLookAgainRequests,
} from "#/features/reviews/look-again.ts";
import { type Body, contextOf, one, render } from "#/features/reviews/page-kit.ts";
import { can } from "#/platform/auth/permissions.ts";
import { ValidationError } from "#/platform/errors.ts";
import { type PageErrors, pageErrors } from "#/platform/web/page-errors.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";

/** Requests to look at a decision again, for staff: the list (/look-again) and the page to answer one. */

const LOOK_AGAIN_LABELS: Record<LookAgainState, string> = {
  overdue: "Overdue",
  due_soon: "Due soon",
  open: "Open",
  answered: "Answered",
};

async function listPage(deps: RouteDeps, request: FastifyRequest, reply: FastifyReply) {
  const q = request.query as Record<string, string | undefined>;
  const states = Object.keys(LOOK_AGAIN_LABELS) as LookAgainState[];
  const status = states.find((s) => s === q.status);
  const list = await listLookAgainRequests(contextOf(deps, request), {
    date: deps.today(),
    ...(status ? { status } : {}),
  });
  return render(reply, "look-again-list.njk", {
    title: "Requests to look at a decision again",
    list,
    status,
    stateLabels: LOOK_AGAIN_LABELS,
    filters: [
      {
        text: "All",
        href: "/look-again",
        current: !status,
        count: Object.values(list.counts).reduce((a, b) => a + b, 0),
      },
      ...states.map((s) => ({
        text: LOOK_AGAIN_LABELS[s],
        href: `/look-again?status=${s}`,
        current: status === s,
        count: list.counts[s],
      })),
    ],
  });
}

async function answerPage(
  deps: RouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  answer: string,
  errors: PageErrors | null,
) {
  const { requestId } = request.params as { requestId: string };
  const found = await getLookAgainRequest(contextOf(deps, request), requestId);
  return render(reply.code(errors ? 400 : 200), "look-again-answer.njk", {
    title:
      found.state === "answered"
        ? "Request to look at a decision again"
        : "Answer a request to look at a decision again",
    backLink: "/look-again",
    found,
    stateLabel: LOOK_AGAIN_LABELS[found.state],
    mayAnswer: can(request.staff!.roles, "reviews:write") && found.state !== "answered",
    answer,
    errors: errors?.errors ?? {},
    errorList: errors?.errorList ?? [],
    decisionLabels: DECISION_KIND_LABELS,
  });
}

async function answerFromForm(deps: RouteDeps, request: FastifyRequest, reply: FastifyReply) {
  const { requestId } = request.params as { requestId: string };
  const answer = one((request.body ?? {}) as Body, "answer");
  try {
    await answerLookAgain(contextOf(deps, request), requestId, { answer });
    return reply.redirect(`/look-again/${requestId}`, 303);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return answerPage(
      deps,
      request,
      reply,
      answer,
      pageErrors(error.fieldErrors, () => "answer", ["answer"]),
    );
  }
}

export async function lookAgainRoutes(app: FastifyInstance, deps: RouteDeps) {
  const read = { preHandler: requireStaff("reviews:read") };
  const write = { preHandler: requireStaff("reviews:write") };
  app.get("/look-again", read, (request, reply) => listPage(deps, request, reply));
  app.get("/look-again/:requestId", read, (request, reply) => answerPage(deps, request, reply, "", null));
  app.post("/look-again/:requestId", write, (request, reply) => answerFromForm(deps, request, reply));
}
