import { z } from "zod";
import { authoriseIn } from "#/features/accounts/service.ts";
import { findPersonRow } from "#/features/people/service.ts";
import { planOutcomesIn } from "#/features/planning/version-reads.ts";
import { type LiveBudgetRow, liveBudgetsIn } from "#/features/reviews/live-budgets.ts";
import * as repo from "#/features/reviews/repository.ts";
import {
  type CaseloadEntry,
  type CaseloadItem,
  caseloadOn,
  directPaymentReviewDue,
  planReviewDue,
  type ReviewDue,
  type ReviewKind,
  type ReviewStatus,
} from "#/features/reviews/review-dates.calc.ts";
import {
  caseloadSettingsSchema,
  type OutcomeRating,
  planReviewPolicySchema,
  type ReviewRecord,
  type ReviewResult,
  reviewMethodOf,
  reviewRecordSchema,
  UNDERSPEND_REASONS,
  type UnderspendReason,
} from "#/features/reviews/schemas.ts";
import { councilJurisdictionIn } from "#/features/tenants/rules.ts";
import { audit } from "#/platform/audit/audit.ts";
import {
  actorRef,
  inTenant,
  type ServiceContext,
  type TxContext,
  todayInLondon,
} from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { ConflictError, type FieldError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { isCalendarDate } from "#/rules/index.ts";
import { type RuleJurisdiction, rulesFor } from "#/rules/registry.ts";
import type { ReviewMethod } from "#/vocabulary/review-methods.ts";

/**
 * Reviews as use cases. Which reviews are due is worked out, never stored: for each live personal budget, the
 * plan review (from the day its approved version was signed off, the council's policy and the plan reviews done
 * since) and, when any line is paid as a direct payment, the direct payment review (from the first payment, or
 * provisionally from the budget's start until one is recorded, and the direct payment reviews done since).
 * Recording a review stores the person's ratings and words; the next dates move because they are worked out
 * again from it. The council's review settings are dated versions (review_settings_versions).
 */

// ---- the council's review settings -----------------------------------------------------------------------------

const isoDate = (what: string) =>
  z
    .string({ error: `Give ${what} as a real date` })
    .refine(isCalendarDate, { error: `Give ${what} as a real date, for example 2026-04-01` });

export const reviewSettingsSchema = z.strictObject({
  planReview: planReviewPolicySchema,
  dueSoonDays: caseloadSettingsSchema.shape.dueSoonDays,
  /** The council's own target for answering a request to look at a decision again (no statutory figure). */
  lookAgainAnswerDays: z
    .int({ error: "Give the number of days to answer a request to look at a decision again" })
    .min(1, { error: "Give at least 1 day to answer" })
    .max(182, { error: "Answer within 182 days at most: after 6 months the person must be told why" }),
});
export type ReviewSettings = z.infer<typeof reviewSettingsSchema>;

export const newReviewSettingsSchema = z.strictObject({
  validFrom: isoDate("the date the settings apply from"),
  reason: z
    .string({ error: "Say why the settings are changing" })
    .trim()
    .min(1, { error: "Say why the settings are changing" })
    .max(2000, { error: "Keep the reason to 2000 characters" }),
  settings: reviewSettingsSchema,
});

/** What a council has before it sets anything: the statutory limits, 28 days "due soon", the rules' default. */
export function defaultReviewSettings(jurisdiction: RuleJurisdiction, date: string): ReviewSettings {
  return {
    planReview: {},
    dueSoonDays: caseloadSettingsSchema.parse({}).dueSoonDays,
    lookAgainAnswerDays: rulesFor(jurisdiction, date).reviews.rules.lookAgain.defaultAnswerWithinDays,
  };
}

export type ReviewSettingsInForce = {
  settings: ReviewSettings;
  /** null while the council uses the defaults. */
  version: { version: number; validFrom: string; reason: string; createdBy: string } | null;
};

export async function reviewSettingsIn(
  { tx }: Pick<TxContext, "tx">,
  date: string,
): Promise<ReviewSettingsInForce> {
  checkDate(date, "date");
  const row = await repo.settingsVersionOn(tx, date);
  if (!row) return { settings: defaultReviewSettings(await councilJurisdictionIn(tx), date), version: null };
  return {
    settings: reviewSettingsSchema.parse(row.settings),
    version: {
      version: row.version,
      validFrom: row.valid_from,
      reason: row.reason,
      createdBy: row.created_by,
    },
  };
}

export async function reviewSettingsOn(ctx: ServiceContext, date: string): Promise<ReviewSettingsInForce> {
  return inTenant(ctx, (t) => reviewSettingsIn(t, date));
}

export async function listReviewSettingsVersions(ctx: ServiceContext) {
  return inTenant(ctx, async ({ tx }) =>
    (await repo.listSettingsVersions(tx)).map((r) => ({
      version: r.version,
      validFrom: r.valid_from,
      reason: r.reason,
      createdBy: r.created_by,
      createdAt: r.created_at,
      settings: reviewSettingsSchema.parse(r.settings),
    })),
  );
}

/** Adds a version of the review settings from a date; refused whole with every problem named. Audited. */
export async function addReviewSettingsVersion(ctx: ServiceContext, input: unknown) {
  const parsed = newReviewSettingsSchema.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The review settings were not changed");
  }
  return inTenant(ctx, async ({ tx }) => {
    await repo.lockSettings(tx);
    const row = await repo.insertSettingsVersion(tx, {
      settings_version_id: uuidv7(),
      valid_from: parsed.data.validFrom,
      settings: parsed.data.settings,
      reason: parsed.data.reason,
      created_by: actorRef(tx.scope.actor),
    });
    await audit(tx, {
      action: "create",
      recordType: "review_settings_version",
      recordId: row.settings_version_id,
      changes: { version: row.version, validFrom: row.valid_from, settings: parsed.data.settings },
    });
    return { version: row.version, validFrom: row.valid_from };
  });
}

// ---- which reviews are due -------------------------------------------------------------------------------------

function checkDate(date: string, path: string): void {
  if (!isCalendarDate(date)) {
    throw new ValidationError([{ path, message: "Give a real date written YYYY-MM-DD" }]);
  }
}

export type DueReview = CaseloadItem & {
  personName: string;
  reference: string;
  planId: string;
  planVersion: number;
  budgetId: string;
  leadWorkerId: string | null;
  leadWorkerName: string | null;
  due: ReviewDue;
};

/** The reviews due for live budgets, worked out from the rows (pure apart from its inputs). */
export function dueReviews(
  budgets: readonly LiveBudgetRow[],
  reviews: readonly repo.ReviewRow[],
  settings: ReviewSettings,
  jurisdiction: RuleJurisdiction,
): DueReview[] {
  // Review dates by plan and by person, gathered once: filtering every review for every budget was quadratic,
  // the most of the caseload report's time for 12,000 budgets (bench/reports.ts).
  const planReviewDates = new Map<string, string[]>();
  const dpReviewDates = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, date: string) => {
    const dates = map.get(key);
    if (dates) dates.push(date);
    else map.set(key, [date]);
  };
  for (const r of reviews) {
    if (r.kinds.includes("plan")) add(planReviewDates, r.plan_id, r.held_on);
    if (r.kinds.includes("direct_payment")) add(dpReviewDates, r.person_id, r.held_on);
  }
  const items: DueReview[] = [];
  for (const b of budgets) {
    // The day the plan was agreed is a London calendar date, like every decision date.
    const agreedOn = todayInLondon(b.decided_at);
    const base = {
      personId: b.person_id,
      personName: `${b.given_name} ${b.family_name}`,
      reference: b.reference,
      planId: b.plan_id,
      planVersion: b.plan_version,
      budgetId: b.budget_id,
      leadWorkerId: b.lead_worker_id,
      leadWorkerName: b.lead_worker_name,
    };
    const planReviews = planReviewDates.get(b.plan_id) ?? [];
    const plan = planReviewDue({
      agreedOn,
      completedReviewDates: planReviews,
      policy: settings.planReview,
      rules: rulesFor(jurisdiction, agreedOn).reviews.rules,
    });
    items.push({ ...base, id: `${b.plan_id}:plan`, kind: "plan", dueDate: plan.dueDate, due: plan });
    if (b.has_direct_payment) {
      const dpReviews = dpReviewDates.get(b.person_id) ?? [];
      const dp = directPaymentReviewDue({
        budgetStartDate: b.start_date,
        firstPaymentDate: b.first_payment_date,
        completedReviewDates: dpReviews,
        rules: rulesFor(jurisdiction, b.first_payment_date ?? b.start_date).reviews.rules,
      });
      items.push({
        ...base,
        id: `${b.plan_id}:direct_payment`,
        kind: "direct_payment",
        dueDate: dp.dueDate,
        due: dp,
      });
    }
  }
  return items;
}

/** Why a review is on someone's caseload. */
export type CaseloadReason = "lead_worker" | "unassigned" | "overdue_in_team" | "everyone";

export type CaseloadView = {
  today: string;
  entries: (CaseloadEntry<DueReview> & { reason: CaseloadReason })[];
  /** Counts over the whole caseload, before any status filter. */
  counts: Readonly<Record<ReviewStatus, number>>;
  dueSoonDays: number;
};

export const REVIEW_STATUSES = ["overdue", "due_soon", "upcoming"] as const;

/**
 * The caseload of reviews on a date. With a worker: the plans they lead and those with no lead worker (marked
 * unassigned); a team manager also sees every overdue review in the team. Without one: every review (for the
 * API and administrators). Overdue first. Opening it is audited.
 */
export async function reviewsDue(
  ctx: ServiceContext,
  options: { date: string; workerId?: string; teamManager?: boolean; status?: ReviewStatus },
): Promise<CaseloadView> {
  checkDate(options.date, "date");
  return inTenant(ctx, async ({ tx }) => {
    const { settings } = await reviewSettingsIn({ tx }, options.date);
    const budgets = await liveBudgetsIn(tx);
    const reviews = await repo.reviewsOf(tx, [...new Set(budgets.map((b) => b.person_id))]);
    const all = caseloadOn(
      dueReviews(budgets, reviews, settings, await councilJurisdictionIn(tx)),
      options.date,
      {
        dueSoonDays: settings.dueSoonDays,
      },
    );
    const entries: CaseloadView["entries"] = [];
    for (const entry of all.entries) {
      const reason: CaseloadReason | null =
        options.workerId === undefined
          ? "everyone"
          : entry.item.leadWorkerId === options.workerId
            ? "lead_worker"
            : entry.item.leadWorkerId === null
              ? "unassigned"
              : options.teamManager && entry.visibleToTeamManager
                ? "overdue_in_team"
                : null;
      if (reason !== null) entries.push({ ...entry, reason });
    }
    const counts = { overdue: 0, due_soon: 0, upcoming: 0 };
    for (const e of entries) counts[e.status] += 1;
    await audit(tx, {
      action: "view",
      recordType: "review_caseload",
      recordId: options.workerId ?? "all",
      changes: { date: options.date, people: [...new Set(entries.map((e) => e.item.personId))].length },
    });
    return {
      today: options.date,
      entries: options.status ? entries.filter((e) => e.status === options.status) : entries,
      counts,
      dueSoonDays: settings.dueSoonDays,
    };
  });
}

// ---- one person's reviews --------------------------------------------------------------------------------------

export type StoredReview = {
  reviewId: string;
  planId: string;
  planVersion: number;
  kinds: ReviewKind[];
  heldOn: string;
  /** How the review was held; null for reviews recorded before Upfront asked (never filled in afterwards). */
  method: ReviewMethod | null;
  outcomes: { outcomeId: string; inTheirWords: string; outcome: string; rating: OutcomeRating }[];
  working: string;
  notWorking: string;
  result: ReviewResult;
  /** Why money in the budget went unspent, when the review recorded it (UNDERSPEND_REASONS); null when not. */
  underspendReason: UnderspendReason | null;
  recordedBy: string;
  recordedAt: Date;
};

/** The underspend reason a stored review recorded, when it is one of the reasons the list knows. */
function underspendReasonOf(record: StoredRecord): UnderspendReason | null {
  const reason: unknown = record.underspend?.reason;
  return UNDERSPEND_REASONS.find((r) => r === reason) ?? null;
}

export type PersonReviews = {
  person: { personId: string; givenName: string; familyName: string; reference: string };
  /** The live budget's plan, or null when the person has none (no reviews are due). */
  plan: {
    planId: string;
    planVersion: number;
    budgetId: string;
    agreedOn: string;
    hasDirectPayment: boolean;
    outcomes: { id: string; inTheirWords: string }[];
  } | null;
  due: (CaseloadEntry<DueReview> & { reason: CaseloadReason })[];
  past: StoredReview[];
};

/** A review's stored record: as the schema checks it now, less the method older reviews were recorded without. */
type StoredRecord = Omit<ReviewRecord, "method"> & { method?: ReviewMethod };

/** A person's reviews inside the caller's transaction, not audited (reviewsFor and the demo seed). */
export async function personReviewsIn({ tx, today }: TxContext, personId: string): Promise<PersonReviews> {
  const person = await findPersonRow({ tx }, personId);
  const { settings } = await reviewSettingsIn({ tx }, today);
  const budgets = await liveBudgetsIn(tx, person.person_id);
  const rows = await repo.reviewsOf(tx, [person.person_id]);
  const caseload = caseloadOn(dueReviews(budgets, rows, settings, await councilJurisdictionIn(tx)), today, {
    dueSoonDays: settings.dueSoonDays,
  });
  const live = budgets[0];
  const outcomeWords = new Map<string, Map<string, string>>();
  const wordsFor = async (planId: string, version: number) => {
    const key = `${planId}:${version}`;
    let words = outcomeWords.get(key);
    if (!words) {
      words = new Map((await planOutcomesIn({ tx }, planId, version)).map((o) => [o.id, o.inTheirWords]));
      outcomeWords.set(key, words);
    }
    return words;
  };
  const past: StoredReview[] = [];
  for (const r of [...rows].reverse()) {
    const record = r.record as StoredRecord;
    const words = await wordsFor(r.plan_id, r.plan_version);
    past.push({
      reviewId: r.review_id,
      planId: r.plan_id,
      planVersion: r.plan_version,
      kinds: r.kinds,
      heldOn: r.held_on,
      method: reviewMethodOf(r.record),
      outcomes: record.outcomes.map((o) => ({ ...o, outcome: words.get(o.outcomeId) ?? o.outcomeId })),
      working: record.working,
      notWorking: record.notWorking,
      result: r.result,
      underspendReason: underspendReasonOf(record),
      recordedBy: r.recorded_by,
      recordedAt: r.recorded_at,
    });
  }
  return {
    person: {
      personId: person.person_id,
      givenName: person.given_name,
      familyName: person.family_name,
      reference: person.reference,
    },
    plan: live
      ? {
          planId: live.plan_id,
          planVersion: live.plan_version,
          budgetId: live.budget_id,
          agreedOn: todayInLondon(live.decided_at),
          hasDirectPayment: live.has_direct_payment,
          outcomes: await planOutcomesIn({ tx }, live.plan_id, live.plan_version),
        }
      : null,
    due: caseload.entries.map((e) => ({ ...e, reason: "everyone" as const })),
    past,
  };
}

/** A person's reviews for staff: what is due (with why) and past reviews, newest first. Audited as a view. */
export async function reviewsFor(ctx: ServiceContext, personId: string): Promise<PersonReviews> {
  return inTenant(ctx, async (t) => {
    const found = await personReviewsIn(t, personId);
    await audit(t.tx, { action: "view", recordType: "person_reviews", recordId: found.person.personId });
    return found;
  });
}

/** The same for the person or their representative (/my): authorised first, so a guessed id is not found. */
export async function reviewsForPortal(ctx: ServiceContext, personId: string): Promise<PersonReviews> {
  return inTenant(ctx, async (t) => {
    await authoriseIn(t, personId, "view");
    const found = await personReviewsIn(t, personId);
    await audit(t.tx, { action: "view", recordType: "person_reviews", recordId: found.person.personId });
    return found;
  });
}

// ---- recording a review ----------------------------------------------------------------------------------------

export const recordReviewInputSchema = z.object({
  personId: z.uuid({ error: "Say whose review this is" }),
  heldOn: isoDate("the date the review was held"),
  kinds: z
    .array(
      z.enum(["plan", "direct_payment"], { error: "Say which review this was: plan or direct payment" }),
      {
        error: "Say which review this was: the plan review, the direct payment review, or both",
      },
    )
    .min(1, { error: "Say which review this was: the plan review, the direct payment review, or both" }),
});

export type RecordedReview = { review: StoredReview; due: PersonReviews["due"] };

/**
 * Records a review held with the person: how it was held, every outcome rated is one of the plan's, the direct
 * payment review only where the budget pays one, held on a day between the plan's sign-off and today. Everything
 * is checked, and every problem named, before anything is written; then the review and its audit event in one
 * transaction.
 */
export async function recordReview(ctx: ServiceContext, input: unknown): Promise<RecordedReview> {
  return inTenant(ctx, (t) => recordReviewIn(t, input));
}

/** The same inside the caller's transaction (the demo seed records its reviews through it). */
export async function recordReviewIn(t: TxContext, input: unknown): Promise<RecordedReview> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new ValidationError([{ path: "(top level)", message: "Give the review as an object" }]);
  }
  const { personId, heldOn, kinds, ...rest } = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  const top = recordReviewInputSchema.safeParse({ personId, heldOn, kinds });
  if (!top.success) errors.push(...fieldErrorsFrom(top.error));
  const record = reviewRecordSchema.safeParse(rest);
  if (!record.success) errors.push(...fieldErrorsFrom(record.error));
  if (!top.success || !record.success) throw new ValidationError(errors, "The review was not recorded");

  const { tx, today } = t;
  const person = await findPersonRow({ tx }, top.data.personId);
  const live = (await liveBudgetsIn(tx, person.person_id))[0];
  if (!live) {
    throw new ConflictError(
      `${person.given_name} ${person.family_name} has no agreed plan with a live budget, so there is no review to record`,
    );
  }
  const agreedOn = todayInLondon(live.decided_at);
  const outcomes = await planOutcomesIn({ tx }, live.plan_id, live.plan_version);
  const known = new Set(outcomes.map((o) => o.id));
  record.data.outcomes.forEach((o, i) => {
    if (!known.has(o.outcomeId)) {
      errors.push({
        path: `outcomes[${i}].outcomeId`,
        message: `There is no outcome "${o.outcomeId}" in the plan: rate the plan's own outcomes`,
      });
    }
  });
  if (top.data.heldOn > today) {
    errors.push({ path: "heldOn", message: "The review date must be today or in the past" });
  } else if (top.data.heldOn < agreedOn) {
    errors.push({
      path: "heldOn",
      message: `The review date must be on or after the day the plan was agreed (${agreedOn})`,
    });
  }
  if (top.data.kinds.includes("direct_payment") && !live.has_direct_payment) {
    errors.push({
      path: "kinds",
      message: "No part of this budget is paid as a direct payment, so there is no direct payment review",
    });
  }
  if (errors.length > 0) throw new ValidationError(errors, "The review was not recorded");

  const kindsStored = [...new Set(top.data.kinds)].sort().reverse() as ReviewKind[];
  const row = await repo.insertReview(tx, {
    review_id: uuidv7(),
    person_id: person.person_id,
    plan_id: live.plan_id,
    plan_version: live.plan_version,
    budget_id: live.budget_id,
    kinds: kindsStored,
    held_on: top.data.heldOn,
    record: record.data,
    result: record.data.result,
    recorded_by: actorRef(tx.scope.actor),
  });
  await audit(tx, {
    action: "create",
    recordType: "review",
    recordId: row.review_id,
    changes: {
      personId: person.person_id,
      planId: live.plan_id,
      planVersion: live.plan_version,
      kinds: kindsStored,
      heldOn: row.held_on,
      method: record.data.method,
      result: row.result,
      ratings: record.data.outcomes.map((o) => ({ outcomeId: o.outcomeId, rating: o.rating })),
    },
  });
  const after = await personReviewsIn(t, person.person_id);
  const review = after.past.find((r) => r.reviewId === row.review_id);
  if (!review) throw new Error("The review just recorded was not read back");
  return { review, due: after.due };
}
