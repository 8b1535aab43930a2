import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  answerLookAgain,
  DECISION_KIND_LABELS,
  getLookAgainRequest,
  type LookAgainState,
  listLookAgainRequests,
} from "#/features/reviews/look-again.ts";
import { formatDate } from "#/features/reviews/review-dates.calc.ts";
import { OUTCOME_RATINGS, REVIEW_RESULTS } from "#/features/reviews/schemas.ts";
import {
  addReviewSettingsVersion,
  listReviewSettingsVersions,
  REVIEW_STATUSES,
  recordReview,
  reviewSettingsOn,
  reviewsDue,
  reviewsFor,
} from "#/features/reviews/service.ts";
import { getCouncilContact } from "#/features/tenants/contact-service.ts";
import { can } from "#/platform/auth/permissions.ts";
import { type FieldError, ValidationError } from "#/platform/errors.ts";
import { type PageErrors, pageErrors } from "#/platform/web/page-errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";

/**
 * Staff pages for reviews: the caseload (/reviews, overdue first, filtered by status), a person's reviews with
 * the due dates and why (/people/:id/reviews), recording a review (each outcome rated with the person's words),
 * requests to look at a decision again (/look-again, and the answer page), and the council's review settings
 * (/admin/reviews). Every check is the service's; the pages map its field errors onto the form.
 */

type Body = Record<string, string | string[] | undefined>;
const one = (body: Body, key: string) => {
  const v = body[key];
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? "";
};
const many = (body: Body, key: string) => {
  const v = body[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

/** "2026-1-5" from three boxes, padded; whatever was typed is kept when it is not a date. */
function dateFrom(
  body: Body,
  name: string,
): { value: string; typed: { day: string; month: string; year: string } } {
  const typed = {
    day: one(body, `${name}-day`),
    month: one(body, `${name}-month`),
    year: one(body, `${name}-year`),
  };
  const value = `${typed.year.padStart(4, "0")}-${typed.month.padStart(2, "0")}-${typed.day.padStart(2, "0")}`;
  return { value: typed.day || typed.month || typed.year ? value : "", typed };
}

export const RATING_LABELS = { met: "Met", partly_met: "Partly met", not_met: "Not met" } as const;
export const RESULT_LABELS = {
  no_change: "No change to the plan",
  new_plan_version: "A new version of the plan",
  new_assessment: "A new assessment",
} as const;
export const KIND_LABELS = { plan: "Plan review", direct_payment: "Direct payment review" } as const;
/** Labels every reviews page (staff and portal) uses. */
export const reviewsLocals = {
  kindLabels: KIND_LABELS,
  ratingLabels: RATING_LABELS,
  resultLabels: RESULT_LABELS,
};
const STATUS_LABELS = { overdue: "Overdue", due_soon: "Due soon", upcoming: "Upcoming" } as const;
const LOOK_AGAIN_LABELS: Record<LookAgainState, string> = {
  overdue: "Overdue",
  due_soon: "Due soon",
  open: "Open",
  answered: "Answered",
};

export async function reviewsRoutes(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);
  const render = (reply: FastifyReply, template: string, locals: Record<string, unknown>) =>
    reply.render(`reviews/views/${template}`, { ...reviewsLocals, ...locals });

  // ---- the caseload -------------------------------------------------------------------------------------------

  app.get("/reviews", { preHandler: requireStaff("reviews:read") }, async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const status = REVIEW_STATUSES.find((s) => s === q.status);
    const everyone = q.show === "all";
    const staff = request.staff!;
    const today = deps.today();
    const caseload = await reviewsDue(ctx(request), {
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
  });

  // ---- one person's reviews -----------------------------------------------------------------------------------

  app.get(
    "/people/:personId/reviews",
    { preHandler: requireStaff("reviews:read") },
    async (request, reply) => {
      const { personId } = request.params as { personId: string };
      const found = await reviewsFor(ctx(request), personId);
      const q = request.query as Record<string, string | undefined>;
      return render(reply, "person.njk", {
        title: `Reviews for ${found.person.givenName} ${found.person.familyName}`,
        backLink: `/people/${personId}`,
        found,
        recorded: q.recorded === "1",
        mayRecord: can(request.staff!.roles, "reviews:write") && found.plan !== null,
        councilContact: await getCouncilContact(ctx(request)),
        councilContactName: request.staff!.tenantName,
      });
    },
  );

  const formPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown>,
    errors: PageErrors | null,
  ) => {
    const { personId } = request.params as { personId: string };
    const found = await reviewsFor(ctx(request), personId);
    if (!found.plan) return reply.redirect(`/people/${personId}/reviews`, 303);
    return render(reply.code(errors ? 400 : 200), "record.njk", {
      title: "Record a review",
      backLink: `/people/${personId}/reviews`,
      found,
      values,
      errors: errors?.errors ?? {},
      errorList: errors?.errorList ?? [],
      ratings: OUTCOME_RATINGS.map((r) => ({ value: r, text: RATING_LABELS[r] })),
      results: REVIEW_RESULTS.map((r) => ({ value: r, text: RESULT_LABELS[r] })),
    });
  };

  app.get(
    "/people/:personId/reviews/new",
    { preHandler: requireStaff("reviews:write") },
    async (request, reply) => {
      const [y, m, d] = deps.today().split("-");
      return formPage(
        request,
        reply,
        { heldOn: { day: String(Number(d)), month: String(Number(m)), year: y }, kinds: ["plan"] },
        null,
      );
    },
  );

  app.post(
    "/people/:personId/reviews/new",
    { preHandler: requireStaff("reviews:write") },
    async (request, reply) => {
      const { personId } = request.params as { personId: string };
      const body = (request.body ?? {}) as Body;
      const found = await reviewsFor(ctx(request), personId);
      const outcomeIds = found.plan?.outcomes.map((o) => o.id) ?? [];
      const heldOn = dateFrom(body, "heldOn");
      const values = {
        heldOn: heldOn.typed,
        kinds: many(body, "kinds"),
        ratings: Object.fromEntries(outcomeIds.map((id) => [id, one(body, `rating-${id}`)])),
        words: Object.fromEntries(outcomeIds.map((id) => [id, one(body, `words-${id}`)])),
        working: one(body, "working"),
        notWorking: one(body, "notWorking"),
        result: one(body, "result"),
      };
      const input = {
        personId,
        heldOn: heldOn.value,
        kinds: values.kinds,
        outcomes: outcomeIds.map((id) => ({
          outcomeId: id,
          rating: values.ratings[id] || undefined,
          inTheirWords: values.words[id],
        })),
        working: values.working,
        notWorking: values.notWorking,
        ...(values.result ? { result: values.result } : {}),
      };
      try {
        await recordReview(ctx(request), input);
        return reply.redirect(`/people/${personId}/reviews?recorded=1`, 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const fieldOf = (path: string) => {
          const m = /^outcomes\[(\d+)\]\.(\w+)/.exec(path);
          if (m) return `${m[2] === "inTheirWords" ? "words" : "rating"}-${outcomeIds[Number(m[1])] ?? "0"}`;
          if (path === "heldOn") return "heldOn-day";
          return path.split(/[.[]/)[0]!;
        };
        const order = [
          "heldOn-day",
          "kinds",
          ...outcomeIds.flatMap((id) => [`rating-${id}`, `words-${id}`]),
          "working",
          "notWorking",
          "result",
        ];
        return formPage(request, reply, values, pageErrors(error.fieldErrors, fieldOf, order));
      }
    },
  );

  // ---- requests to look at a decision again ---------------------------------------------------------------------

  app.get("/look-again", { preHandler: requireStaff("reviews:read") }, async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const states = Object.keys(LOOK_AGAIN_LABELS) as LookAgainState[];
    const status = states.find((s) => s === q.status);
    const list = await listLookAgainRequests(ctx(request), {
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
  });

  const answerPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    answer: string,
    errors: PageErrors | null,
  ) => {
    const { requestId } = request.params as { requestId: string };
    const found = await getLookAgainRequest(ctx(request), requestId);
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
  };

  app.get("/look-again/:requestId", { preHandler: requireStaff("reviews:read") }, async (request, reply) =>
    answerPage(request, reply, "", null),
  );

  app.post(
    "/look-again/:requestId",
    { preHandler: requireStaff("reviews:write") },
    async (request, reply) => {
      const { requestId } = request.params as { requestId: string };
      const answer = one((request.body ?? {}) as Body, "answer");
      try {
        await answerLookAgain(ctx(request), requestId, { answer });
        return reply.redirect(`/look-again/${requestId}`, 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return answerPage(
          request,
          reply,
          answer,
          pageErrors(error.fieldErrors, () => "answer", ["answer"]),
        );
      }
    },
  );

  // ---- the council's review settings ----------------------------------------------------------------------------

  // Council settings are set by administrators (the same role that sets funding settings).
  const settingsPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown> | null,
    errors: PageErrors | null,
  ) => {
    const today = deps.today();
    const inForce = await reviewSettingsOn(ctx(request), today);
    const versions = await listReviewSettingsVersions(ctx(request));
    const s = inForce.settings;
    const first = s.planReview.firstReview;
    const [y, m, d] = today.split("-");
    return render(reply.code(errors ? 400 : 200), "settings.njk", {
      title: "Review settings",
      inForce,
      versions,
      saved: (request.query as Record<string, string | undefined>).saved === "1",
      values: values ?? {
        firstReviewUnit: first === undefined ? "none" : "weeks" in first ? "weeks" : "months",
        firstReviewNumber: first === undefined ? "" : String("weeks" in first ? first.weeks : first.months),
        thenWithinMonths:
          s.planReview.thenWithinMonths === undefined ? "" : String(s.planReview.thenWithinMonths),
        dueSoonDays: String(s.dueSoonDays),
        lookAgainAnswerDays: String(s.lookAgainAnswerDays),
        validFrom: { day: String(Number(d)), month: String(Number(m)), year: y },
        reason: "",
      },
      errors: errors?.errors ?? {},
      errorList: errors?.errorList ?? [],
      formatDate,
    });
  };

  app.get("/admin/reviews", { preHandler: requireStaff("funding:settings") }, async (request, reply) =>
    settingsPage(request, reply, null, null),
  );

  app.post("/admin/reviews", { preHandler: requireStaff("funding:settings") }, async (request, reply) => {
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
    // Whole numbers only; anything else goes to the service as typed, so its message names the field.
    const num = (s: string) => (/^\d{1,4}$/.test(s) ? Number(s) : s === "" ? undefined : s);
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
      await addReviewSettingsVersion(ctx(request), {
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
      return settingsPage(request, reply, values, pageErrors(error.fieldErrors, fieldOf, order));
    }
  });
}
