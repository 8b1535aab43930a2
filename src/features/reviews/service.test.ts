import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Council, makeCouncil } from "#/features/accounts/portal.fixture.ts";
import { addRepresentative, claimCode, issueClaimCode } from "#/features/accounts/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { answerLookAgain, askToLookAgain, listLookAgainRequests, lookAgainForPortal } from "./look-again.ts";
import { addStaff, type LiveBudget, makeLiveBudget, setFirstPayment } from "./reviews.fixture.ts";
import { addReviewSettingsVersion, recordReview, reviewsDue, reviewsFor } from "./service.ts";

const TODAY = "2026-01-15";

async function fieldErrors(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ValidationError)) throw error ?? new Error("Expected a ValidationError");
  return error.fieldErrors;
}

describe.each(enginesUnderTest())("reviews and requests to look again on %s", (engine) => {
  let database: TestDatabase;
  let a: Council;
  let b: Council;
  let wendy: ServiceContext;
  let walt: Awaited<ReturnType<typeof addStaff>>;
  let manager: Awaited<ReturnType<typeof addStaff>>;
  let annBudget: LiveBudget;
  const at = (ctx: ServiceContext, today = TODAY): ServiceContext => ({ ...ctx, today });
  const countRows = (table: "reviews" | "look_again_requests" | "audit_events", tenantId: string) =>
    withSystem(database.db, async (trx) =>
      Number(
        (
          await trx
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as("n"))
            .where("tenant_id", "=", tenantId)
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    a = await makeCouncil(database.db, "rev-one", TODAY);
    b = await makeCouncil(database.db, "rev-two", TODAY);
    wendy = at(a.staff);
    walt = await addStaff(database.db, a.tenantId, "Walt Worker", "walt@rev-one.test", ["social_worker"]);
    manager = await addStaff(database.db, a.tenantId, "Mina Manager", "mina@rev-one.test", ["team_manager"]);
    // Council A reviews plans a month after sign-off (its own, earlier, date).
    await addReviewSettingsVersion(wendy, {
      validFrom: "2024-01-01",
      reason: "Light-touch first review",
      settings: { planReview: { firstReview: { months: 1 } }, dueSoonDays: 28, lookAgainAnswerDays: 10 },
    });
    annBudget = await makeLiveBudget(database.db, {
      tenantId: a.tenantId,
      personId: a.ann.personId,
      assessmentId: a.annAssessmentId,
      leadWorkerId: a.staff.scope.actor.id,
      agreedOn: "2025-01-31",
      startDate: "2025-08-31",
      directPayment: true,
    });
    await makeLiveBudget(database.db, {
      tenantId: a.tenantId,
      personId: a.bob.personId,
      assessmentId: a.bobAssessmentId,
      leadWorkerId: walt.userId,
      agreedOn: "2024-02-29",
      startDate: "2024-03-04",
      directPayment: false,
    });
    // Cara's plan has no lead worker: it is on everyone's caseload, marked unassigned.
    await makeLiveBudget(database.db, {
      tenantId: a.tenantId,
      personId: a.cara.personId,
      assessmentId: a.annAssessmentId,
      leadWorkerId: null,
      agreedOn: "2025-12-20",
      startDate: "2025-12-22",
      directPayment: false,
    });
    // Council B keeps the statutory limits (no settings).
    await makeLiveBudget(database.db, {
      tenantId: b.tenantId,
      personId: b.ann.personId,
      assessmentId: b.annAssessmentId,
      leadWorkerId: b.staff.scope.actor.id,
      agreedOn: "2024-02-29",
      startDate: "2024-03-01",
      directPayment: false,
    });
  }, 180_000);
  afterAll(async () => {
    await database?.drop();
  });

  it("rule: the council's 1-month first plan review from 31 January is 28 February (corresponding date rule); the direct payment review is provisional from the budget's start, 31 August + 6 months = 28 February (reg 7(1)(a))", async () => {
    const { due } = await reviewsFor(wendy, a.ann.personId);
    const plan = due.find((d) => d.item.kind === "plan")!;
    expect(plan.item.dueDate).toBe("2025-02-28");
    expect(plan.status).toBe("overdue");
    expect(plan.item.due.explanation.join(" ")).toMatch(
      /The council reviews sooner: 1 months after 31 January 2025/,
    );
    const dp = due.find((d) => d.item.kind === "direct_payment")!;
    expect(dp.item.due).toMatchObject({ dueDate: "2026-02-28", provisional: true, basis: "budget_start" });
    expect(dp.status).toBe("upcoming");
  });

  it("rule: 29 February 2024 + 12 months is 28 February 2025 where the council keeps the statutory limit (statutory guidance, 12 months)", async () => {
    const { due } = await reviewsFor(at(b.staff), b.ann.personId);
    expect(due.map((d) => [d.item.kind, d.item.dueDate])).toEqual([["plan", "2025-02-28"]]);
  });

  it("rule: once the first direct payment is recorded the review date is worked out again from it (reg 7(1)(a))", async () => {
    await setFirstPayment(database.db, a.tenantId, annBudget.budgetId, "2025-09-12");
    const { due } = await reviewsFor(wendy, a.ann.personId);
    const dp = due.find((d) => d.item.kind === "direct_payment")!;
    expect(dp.item.due).toMatchObject({ dueDate: "2026-03-12", provisional: false, basis: "first_payment" });
  });

  it("a social worker's caseload is the plans they lead and the unassigned ones; a team manager also sees every overdue review (issue 5)", async () => {
    const mine = await reviewsDue(wendy, { date: TODAY, workerId: wendy.scope.actor.id! });
    expect(mine.entries.map((e) => [e.item.personName, e.item.kind, e.status, e.reason])).toEqual([
      ["Ann Able", "plan", "overdue", "lead_worker"],
      ["Cara Cole", "plan", "due_soon", "unassigned"],
      ["Ann Able", "direct_payment", "upcoming", "lead_worker"],
    ]);
    expect(mine.counts).toEqual({ overdue: 1, due_soon: 1, upcoming: 1 });

    const team = await reviewsDue(at(manager), { date: TODAY, workerId: manager.userId, teamManager: true });
    expect(team.entries.map((e) => [e.item.personName, e.status, e.reason])).toEqual([
      ["Bob Baker", "overdue", "overdue_in_team"],
      ["Ann Able", "overdue", "overdue_in_team"],
      ["Cara Cole", "due_soon", "unassigned"],
    ]);
    const overdueOnly = await reviewsDue(wendy, { date: TODAY, status: "overdue" });
    expect(overdueOnly.entries.every((e) => e.status === "overdue")).toBe(true);
    expect(overdueOnly.counts.upcoming).toBeGreaterThan(0);
  });

  it("refuses a review rating an outcome the plan does not have, naming every problem, and writes nothing", async () => {
    const before = [await countRows("reviews", a.tenantId), await countRows("audit_events", a.tenantId)];
    const errors = await fieldErrors(
      recordReview(wendy, {
        personId: a.bob.personId,
        heldOn: "2026-01-10",
        kinds: ["plan", "direct_payment"],
        method: "face_to_face",
        outcomes: [{ outcomeId: "swimming", rating: "met", inTheirWords: "Great" }],
        working: "The carers",
        notWorking: "Nothing",
        result: "no_change",
      }),
    );
    expect(errors).toEqual([
      { path: "outcomes[0].outcomeId", message: expect.stringMatching(/no outcome "swimming"/) },
      { path: "kinds", message: expect.stringMatching(/no direct payment review/) },
    ]);
    const missing = await fieldErrors(
      recordReview(wendy, { personId: a.bob.personId, heldOn: "2026-02-30" }),
    );
    expect(missing.map((e) => e.path)).toEqual(
      expect.arrayContaining(["heldOn", "kinds", "method", "outcomes", "working", "notWorking", "result"]),
    );
    // Method of Review is mandatory on CLD review events (DHSC DQ procedure, REPORTING.md §1.2 field 47).
    expect(missing.find((e) => e.path === "method")?.message).toBe(
      "Say how the review was held: face_to_face, telephone, video, self_review, other",
    );
    const future = await fieldErrors(
      recordReview(wendy, {
        personId: a.bob.personId,
        heldOn: "2026-01-16",
        kinds: ["plan"],
        method: "telephone",
        outcomes: [{ outcomeId: "cook", rating: "met", inTheirWords: "Good" }],
        working: "x",
        notWorking: "y",
        result: "no_change",
      }),
    );
    expect(future).toEqual([{ path: "heldOn", message: "The review date must be today or in the past" }]);
    expect([await countRows("reviews", a.tenantId), await countRows("audit_events", a.tenantId)]).toEqual(
      before,
    );
  });

  it("records a review with the person's ratings and words, audited; the next plan review moves to 12 months after it", async () => {
    const recorded = await recordReview(wendy, {
      personId: a.ann.personId,
      heldOn: "2026-01-10",
      kinds: ["plan"],
      method: "video",
      outcomes: [
        { outcomeId: "cook", rating: "partly_met", inTheirWords: "Most nights, not Sundays" },
        { outcomeId: "football", rating: "met", inTheirWords: "Every home game" },
      ],
      working: "Jo the PA",
      notWorking: "Sunday cover",
      result: "no_change",
    });
    expect(recorded.review.outcomes[0]).toMatchObject({
      outcome: "I want to cook my own tea",
      rating: "partly_met",
    });
    expect(recorded.review.method).toBe("video");
    const plan = recorded.due.find((d) => d.item.kind === "plan")!;
    expect(plan.item.due).toMatchObject({ dueDate: "2027-01-10", basis: "last_review" });
    // The direct payment review is not satisfied by a plan review.
    expect(recorded.due.find((d) => d.item.kind === "direct_payment")!.item.dueDate).toBe("2026-03-12");
    const events = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("audit_events")
        .select(["action", "record_type", "changes"])
        .where("record_id", "=", recorded.review.reviewId)
        .execute(),
    );
    expect(events).toEqual([
      { action: "create", record_type: "review", changes: expect.objectContaining({ method: "video" }) },
    ]);
    const history = await reviewsFor(wendy, a.ann.personId);
    expect(history.past.map((r) => [r.heldOn, r.method])).toEqual([["2026-01-10", "video"]]);
  });

  it("rule (issue 15): a review recorded before Upfront asked how it was held reads back with no method, never a guessed one", async () => {
    // Written as the reviews feature wrote it before the question existed: a record with no method.
    const reviewId = uuidv7();
    await withSystem(database.db, (trx) =>
      trx
        .insertInto("reviews")
        .values({
          tenant_id: a.tenantId,
          review_id: reviewId,
          person_id: a.ann.personId,
          plan_id: annBudget.planId,
          plan_version: 1,
          budget_id: annBudget.budgetId,
          kinds: ["plan"],
          held_on: "2025-12-01",
          record: JSON.stringify({
            outcomes: [{ outcomeId: "cook", rating: "met", inTheirWords: "Yes" }],
            working: "x",
            notWorking: "y",
            result: "no_change",
          }),
          result: "no_change",
          recorded_by: "before-issue-15",
        })
        .execute(),
    );
    const old = (await reviewsFor(wendy, a.ann.personId)).past.find((r) => r.reviewId === reviewId);
    expect(old?.method).toBeNull();
  });

  it("refuses a review for a person with no live budget", async () => {
    await expect(
      recordReview(at(b.staff), {
        personId: b.bob.personId,
        heldOn: "2026-01-10",
        kinds: ["plan"],
        method: "face_to_face",
        outcomes: [{ outcomeId: "cook", rating: "met", inTheirWords: "ok" }],
        working: "x",
        notWorking: "y",
        result: "no_change",
      }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it("a request to look again is due in the council's own number of days (no statutory deadline); overdue ones show to the team manager; answered once", async () => {
    const asked = await askToLookAgain(wendy, {
      personId: a.bob.personId,
      decisionKind: "allocation",
      whatIsWrong: "The budget leaves out my evening calls",
    });
    expect(asked.request).toMatchObject({
      dueOn: "2026-01-25",
      state: "due_soon",
      askedBy: { kind: "staff" },
    });
    expect(asked.explanation[0]).toBe("The council answers within 10 days of being asked: by 2026-01-25.");
    expect(asked.source.url).toContain("uksi/2009/309");
    // Council B has no setting: Upfront's stated default, 28 days.
    const inB = await askToLookAgain(at(b.staff), {
      personId: b.ann.personId,
      decisionKind: "plan",
      whatIsWrong: "Wrong",
    });
    expect(inB.request.dueOn).toBe("2026-02-12");

    const later = await listLookAgainRequests(at(manager, "2026-01-26"), { date: "2026-01-26" });
    expect(later.requests.map((r) => [r.personName, r.state, r.visibleToTeamManager])).toEqual([
      ["Bob Baker", "overdue", true],
    ]);
    expect(await fieldErrors(answerLookAgain(wendy, asked.request.requestId, { answer: "  " }))).toEqual([
      { path: "answer", message: "Write the answer the person will read" },
    ]);
    const answered = await answerLookAgain(wendy, asked.request.requestId, { answer: "We added the calls." });
    expect(answered).toMatchObject({ state: "answered", answer: "We added the calls." });
    await expect(answerLookAgain(wendy, asked.request.requestId, { answer: "Again" })).rejects.toBeInstanceOf(
      ConflictError,
    );
    // Another council cannot see or answer it.
    await expect(
      answerLookAgain(at(b.staff), asked.request.requestId, { answer: "x" }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("a representative may ask only with the 'ask for a review' scope; the person reads the answer", async () => {
    const viewOnly = await addRepresentative(wendy, a.ann.personId, {
      name: "Ada Advocate",
      kind: "independent_advocate",
      scopes: ["view"],
    });
    const asker = await addRepresentative(wendy, a.ann.personId, {
      name: "Abe Advocate",
      kind: "independent_advocate",
      scopes: ["view", "ask_for_review"],
    });
    const account = async (representativeId: string, email: string): Promise<ServiceContext> => {
      const code = await issueClaimCode(wendy, a.ann.personId, { representativeId });
      const claimed = await claimCode(
        database.db,
        code.code,
        { kind: "new_local", email, password: "correct horse battery staple" },
        TODAY,
      );
      return {
        db: database.db,
        scope: { tenantId: claimed.tenantId, actor: { type: "person", id: claimed.accountId, name: email } },
        today: TODAY,
      };
    };
    const ada = await account(viewOnly.representativeId, "ada@example.test");
    const abe = await account(asker.representativeId, "abe@example.test");
    const before = await countRows("look_again_requests", a.tenantId);
    await expect(
      askToLookAgain(ada, { personId: a.ann.personId, decisionKind: "plan", whatIsWrong: "Too little" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await countRows("look_again_requests", a.tenantId)).toBe(before);
    const asked = await askToLookAgain(abe, {
      personId: a.ann.personId,
      decisionKind: "plan",
      whatIsWrong: "Too little",
    });
    expect(asked.request.askedBy).toEqual({ kind: "representative", name: "abe@example.test" });
    await answerLookAgain(wendy, asked.request.requestId, { answer: "We will meet you." });
    const seen = await lookAgainForPortal(ada, a.ann.personId);
    expect(seen.map((r) => r.answer)).toEqual(["We will meet you."]);
  });

  it("keeps councils apart: another council's caseload, reviews and people are not there", async () => {
    const other = await reviewsDue(at(b.staff), { date: TODAY });
    expect(other.entries.map((e) => e.item.personId)).toEqual([b.ann.personId]);
    await expect(reviewsFor(at(b.staff), a.ann.personId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      askToLookAgain(at(b.staff), { personId: a.ann.personId, decisionKind: "other", whatIsWrong: "x" }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
