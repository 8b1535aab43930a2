import { z } from "zod";
import { authoriseIn } from "#/features/accounts/service.ts";
import { findPersonRow, findPersonRows } from "#/features/people/service.ts";
import * as repo from "#/features/reviews/repository.ts";
import { addDays, daysBetween } from "#/features/reviews/review-dates.calc.ts";
import { reviewSettingsIn } from "#/features/reviews/service.ts";
import { councilRulesIn } from "#/features/tenants/rules.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { isCalendarDate } from "#/rules/index.ts";
import type { SourceReference } from "#/rules/types.ts";

/**
 * A person (or a representative with the "ask for a review" scope, or staff on their behalf) asks the council
 * to look at a decision again. It is recorded with the day the council will answer by: the council's own
 * number of days (review settings), since England sets no deadline (see rules/england/review-rules.ts). Staff
 * see the open ones, overdue first; an overdue one is shown to the team manager. The answer is written for the
 * person to read.
 */

export const DECISION_KINDS = [
  "eligibility",
  "allocation",
  "plan",
  "financial_assessment",
  "review",
  "other",
] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export const DECISION_KIND_LABELS: Record<DecisionKind, string> = {
  eligibility: "Whether I am eligible for care and support",
  allocation: "The amount of my indicative budget",
  plan: "A decision about my support plan",
  financial_assessment: "What I have to pay towards my care",
  review: "What happened at a review",
  other: "Something else",
};

export const lookAgainInputSchema = z.strictObject({
  personId: z.uuid({ error: "Say whose decision this is" }),
  decisionKind: z.enum(DECISION_KINDS, { error: "Choose which decision you want looked at again" }),
  decisionRef: z.string().trim().max(100, { error: "Keep the reference to 100 characters" }).optional(),
  whatIsWrong: z
    .string({ error: "Tell us what you think is wrong with the decision" })
    .trim()
    .min(1, { error: "Tell us what you think is wrong with the decision" })
    .max(4000, { error: "Keep what is wrong to 4000 characters" }),
});
export type LookAgainInput = z.infer<typeof lookAgainInputSchema>;

export const lookAgainAnswerSchema = z.strictObject({
  answer: z
    .string({ error: "Write the answer the person will read" })
    .trim()
    .min(1, { error: "Write the answer the person will read" })
    .max(4000, { error: "Keep the answer to 4000 characters" }),
});

export type LookAgainState = "answered" | "overdue" | "due_soon" | "open";

export type LookAgainRequest = {
  requestId: string;
  personId: string;
  personName: string;
  decisionKind: DecisionKind;
  decisionLabel: string;
  decisionRef: string | null;
  whatIsWrong: string;
  askedBy: { kind: "person" | "representative" | "staff"; name: string };
  askedAt: Date;
  dueOn: string;
  state: LookAgainState;
  /** Days from today to the due date; negative when overdue. */
  daysUntilDue: number;
  /** An overdue request is shown to the team manager (Upfront issue 5). */
  visibleToTeamManager: boolean;
  answer: string | null;
  answeredBy: string | null;
  answeredAt: Date | null;
};

function toRequest(
  r: repo.LookAgainRow & { given_name?: string; family_name?: string },
  today: string,
  dueSoonDays: number,
): LookAgainRequest {
  const days = daysBetween(today, r.due_on);
  const state: LookAgainState =
    r.status === "answered" ? "answered" : days < 0 ? "overdue" : days <= dueSoonDays ? "due_soon" : "open";
  return {
    requestId: r.request_id,
    personId: r.person_id,
    personName: r.given_name ? `${r.given_name} ${r.family_name}` : "",
    decisionKind: r.decision_kind,
    decisionLabel: DECISION_KIND_LABELS[r.decision_kind],
    decisionRef: r.decision_ref,
    whatIsWrong: r.what_is_wrong,
    askedBy: { kind: r.asked_by_kind, name: r.asked_by_name },
    askedAt: r.asked_at,
    dueOn: r.due_on,
    state,
    daysUntilDue: days,
    visibleToTeamManager: state === "overdue",
    answer: r.answer,
    answeredBy: r.answered_by,
    answeredAt: r.answered_at,
  };
}

export type AskedToLookAgain = {
  request: LookAgainRequest;
  /** How the due date was worked out, in plain words, and what it rests on. */
  explanation: string[];
  source: SourceReference;
};

/**
 * Records a request. A signed-in person asks for themselves or, as a representative, only with the
 * "ask_for_review" scope (accounts' authorise, in the same transaction); staff may record one on a person's
 * behalf. Checked whole first; then the request and its audit event in one transaction.
 */
export async function askToLookAgain(ctx: ServiceContext, input: unknown): Promise<AskedToLookAgain> {
  const parsed = lookAgainInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(fieldErrorsFrom(parsed.error), "Your request was not sent");
  }
  const value = parsed.data;
  return inTenant(ctx, async (t) => {
    const { tx, today } = t;
    const actor = tx.scope.actor;
    let askedByKind: "person" | "representative" | "staff" = "staff";
    if (actor.type === "person") {
      const access = await authoriseIn(t, value.personId, "ask_for_review");
      askedByKind = access.as === "self" ? "person" : "representative";
    }
    const person = await findPersonRow({ tx }, value.personId);
    const { settings } = await reviewSettingsIn({ tx }, today);
    const days = settings.lookAgainAnswerDays;
    const dueOn = addDays(today, days);
    const row = await repo.insertLookAgain(tx, {
      request_id: uuidv7(),
      person_id: person.person_id,
      decision_kind: value.decisionKind,
      decision_ref: value.decisionRef || null,
      what_is_wrong: value.whatIsWrong,
      asked_by_kind: askedByKind,
      asked_by_id: actorRef(actor),
      asked_by_name: actor.name ?? actorRef(actor),
      due_on: dueOn,
    });
    await audit(tx, {
      action: "create",
      recordType: "look_again_request",
      recordId: row.request_id,
      changes: { personId: person.person_id, decisionKind: row.decision_kind, dueOn, askedBy: askedByKind },
    });
    const rules = (await councilRulesIn(tx, today)).reviews.rules;
    return {
      request: toRequest(
        { ...row, given_name: person.given_name, family_name: person.family_name },
        today,
        settings.dueSoonDays,
      ),
      explanation: [
        `The council answers within ${days} days of being asked: by ${dueOn}.`,
        `This is the council's own target. The law sets no number of days, but asks for a timely answer; if an answer takes longer than ${rules.lookAgain.explainDelayAfterMonths} months, the council must write to say why.`,
      ],
      source: rules.lookAgain.source,
    };
  });
}

export type LookAgainList = {
  today: string;
  requests: LookAgainRequest[];
  counts: Record<"overdue" | "due_soon" | "open" | "answered", number>;
};

/** Requests (by due date, then when asked) with the name of whose they are, from the people feature. */
async function requestsWithNamesIn(
  tx: TenantTx,
  filter: { personId?: string },
): Promise<(repo.LookAgainRow & { given_name: string; family_name: string })[]> {
  const rows = await repo.listLookAgain(tx, filter);
  const people = await findPersonRows(
    { tx },
    rows.map((r) => r.person_id),
  );
  return rows.flatMap((r) => {
    const person = people.get(r.person_id);
    return person ? [{ ...r, given_name: person.given_name, family_name: person.family_name }] : [];
  });
}

/** Requests for staff, overdue first then by due date; `status` filters what is listed, not the counts. */
export async function listLookAgainRequests(
  ctx: ServiceContext,
  options: { date: string; status?: LookAgainState; personId?: string },
): Promise<LookAgainList> {
  if (!isCalendarDate(options.date)) {
    throw new ValidationError([{ path: "date", message: "Give a real date written YYYY-MM-DD" }]);
  }
  return inTenant(ctx, async ({ tx }) => {
    const { settings } = await reviewSettingsIn({ tx }, options.date);
    const rows = await requestsWithNamesIn(tx, options.personId ? { personId: options.personId } : {});
    const all = rows.map((r) => toRequest(r, options.date, settings.dueSoonDays));
    const order: Record<LookAgainState, number> = { overdue: 0, due_soon: 1, open: 2, answered: 3 };
    all.sort((a, b) => order[a.state] - order[b.state] || a.daysUntilDue - b.daysUntilDue);
    const counts = { overdue: 0, due_soon: 0, open: 0, answered: 0 };
    for (const r of all) counts[r.state] += 1;
    await audit(tx, {
      action: "view",
      recordType: "look_again_requests",
      recordId: options.personId ?? "all",
      changes: { date: options.date, count: all.length },
    });
    return {
      today: options.date,
      requests: options.status ? all.filter((r) => r.state === options.status) : all,
      counts,
    };
  });
}

/** One request, for staff. Audited as a view. */
export async function getLookAgainRequest(ctx: ServiceContext, requestId: string): Promise<LookAgainRequest> {
  return inTenant(ctx, async ({ tx, today }) => {
    const row = z.uuid().safeParse(requestId).success ? await repo.findLookAgain(tx, requestId) : undefined;
    if (!row) throw new NotFoundError("The request to look at a decision again");
    const person = await findPersonRow({ tx }, row.person_id);
    const { settings } = await reviewSettingsIn({ tx }, today);
    await audit(tx, { action: "view", recordType: "look_again_request", recordId: requestId });
    return toRequest(
      { ...row, given_name: person.given_name, family_name: person.family_name },
      today,
      settings.dueSoonDays,
    );
  });
}

/** Staff answer a request; the person reads the answer. Only once: an answered request is refused. */
export async function answerLookAgain(
  ctx: ServiceContext,
  requestId: string,
  input: unknown,
): Promise<LookAgainRequest> {
  const parsed = lookAgainAnswerSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error), "The answer was not saved");
  return inTenant(ctx, async ({ tx, today }) => {
    const row = z.uuid().safeParse(requestId).success ? await repo.findLookAgain(tx, requestId) : undefined;
    if (!row) throw new NotFoundError("The request to look at a decision again");
    if (row.status === "answered") throw new ConflictError("This request has already been answered");
    const answered = await repo.answerLookAgain(tx, requestId, {
      answer: parsed.data.answer,
      answered_by: actorRef(tx.scope.actor),
    });
    await audit(tx, {
      action: "decide",
      recordType: "look_again_request",
      recordId: requestId,
      changes: { answered: true, personId: row.person_id },
    });
    const { settings } = await reviewSettingsIn({ tx }, today);
    return toRequest(answered, today, settings.dueSoonDays);
  });
}

/**
 * Opens the form to ask for a decision to be looked at again (/my): only the person, or a representative with the
 * "ask for a review" scope, may; the opening is audited as a view of the person's record, like every /my page.
 */
export async function openLookAgainForm(ctx: ServiceContext, personId: string): Promise<void> {
  return inTenant(ctx, async (t) => {
    await authoriseIn(t, personId, "ask_for_review");
    await audit(t.tx, { action: "view", recordType: "look_again_form", recordId: personId });
  });
}

/** The person's own requests (or those of someone they represent), newest first, for /my. */
export async function lookAgainForPortal(ctx: ServiceContext, personId: string): Promise<LookAgainRequest[]> {
  return inTenant(ctx, async (t) => {
    await authoriseIn(t, personId, "view");
    const { settings } = await reviewSettingsIn({ tx: t.tx }, t.today);
    const rows = await requestsWithNamesIn(t.tx, { personId });
    await audit(t.tx, { action: "view", recordType: "look_again_requests", recordId: personId });
    return rows
      .map((r) => toRequest(r, t.today, settings.dueSoonDays))
      .sort((a, b) => b.askedAt.getTime() - a.askedAt.getTime());
  });
}
