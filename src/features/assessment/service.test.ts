import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answering, answersManagingEverything, notAchieving } from "#/features/assessment/answers.fixture.ts";
import {
  getAllocation,
  getAssessment,
  getDecision,
  listAssessmentsForPerson,
  reviseAssessment,
  saveAnswers,
  startAssessment,
  submitAssessment,
} from "#/features/assessment/service.ts";
import { createPerson } from "#/features/people/service.ts";
import { adoptRasModel, createTenant } from "#/features/tenants/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { withTenant } from "#/platform/db/tenant.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { exampleRasModel } from "#/rules/england/ras-model.example.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";

// Unable to achieve two outcomes, significant impact on wellbeing: eligible (reg 2(1)).
// The graded answers give 17 points, so the price per point shows in the amount (above the minimum).
const eligibleAnswers = () =>
  answering(
    answering(
      notAchieving(answersManagingEverything(), ["nutrition", "personal_hygiene"]),
      "nutrition",
      "nutrition.meal_preparation",
      "full_help",
    ),
    "personal_hygiene",
    "personal_hygiene.washing",
    "full_help",
  );

describe.each(enginesUnderTest())("assessment service on %s", (engine) => {
  let database: TestDatabase;
  let ctx: ServiceContext;
  let otherCtx: ServiceContext;

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    const tenant = await createTenant(
      database.db,
      { slug: "t1", name: "T1", jurisdiction: "england" },
      { today: TODAY },
    );
    const other = await createTenant(
      database.db,
      { slug: "t2", name: "T2", jurisdiction: "england" },
      { today: TODAY },
    );
    ctx = {
      db: database.db,
      scope: { tenantId: tenant.tenantId, actor: { type: "staff", id: "sw-1" } },
      today: TODAY,
    };
    otherCtx = { ...ctx, scope: { tenantId: other.tenantId, actor: { type: "staff", id: "sw-2" } } };
  });
  afterAll(async () => {
    await database?.drop();
  });

  let n = 0;
  async function newDraft() {
    n++;
    const person = await createPerson(ctx, {
      reference: `A-${n}`,
      givenName: "Test",
      familyName: `Person${n}`,
      dateOfBirth: "1960-01-01",
    });
    return { person, draft: await startAssessment(ctx, person.personId) };
  }

  async function auditFor(recordId: string) {
    return database.db
      .selectFrom("audit_events")
      .select(["action", "record_type", "actor_id", "changes"])
      .where("record_id", "=", recordId)
      .orderBy("occurred_at")
      .execute();
  }

  it("rule: submitting writes the assessment, decision, allocation and their audit events in one transaction", async () => {
    const { draft } = await newDraft();
    await saveAnswers(ctx, draft.assessmentId, eligibleAnswers());
    const result = await submitAssessment(ctx, draft.assessmentId);

    expect(result.assessment.status).toBe("submitted");
    expect(result.assessment.decisionDate).toBe(TODAY);
    expect(result.decision.eligible).toBe(true);
    expect(result.decision.decision.reasons.length).toBeGreaterThan(0);
    expect(result.allocation).not.toBeNull();
    expect(result.allocation!.rasModelVersion).toBe(1);
    expect(result.allocation!.working.explanation.length).toBeGreaterThan(0);
    expect(result.allocation!.weeklyPence).toBe(result.allocation!.working.weeklyPence);

    // One transaction: every row written by the submit carries the same transaction id (xmin).
    const decisionId = result.decision.decisionId;
    const allocationId = result.allocation!.allocationId;
    const xmins = await sql<{ x: string }>`
      SELECT xmin::text AS x FROM assessments WHERE assessment_id = ${draft.assessmentId}
      UNION SELECT xmin::text FROM eligibility_decisions WHERE assessment_id = ${draft.assessmentId}
      UNION SELECT xmin::text FROM allocations WHERE assessment_id = ${draft.assessmentId}
      UNION SELECT xmin::text FROM audit_events
        WHERE (record_id = ${draft.assessmentId} AND action = 'submit') OR record_id IN (${decisionId}, ${allocationId})
    `.execute(database.db);
    expect(xmins.rows).toHaveLength(1);

    expect((await auditFor(draft.assessmentId)).map((e) => e.action)).toEqual(["create", "update", "submit"]);
    expect(await auditFor(result.decision.decisionId)).toMatchObject([
      { action: "decide", record_type: "eligibility_decision", actor_id: "sw-1" },
    ]);
    expect(await auditFor(result.allocation!.allocationId)).toMatchObject([
      { action: "create", record_type: "allocation" },
    ]);
  });

  it("rule: if any write of a submit fails, none of them happens", async () => {
    const { draft } = await newDraft();
    await saveAnswers(ctx, draft.assessmentId, eligibleAnswers());
    // Make the last write (the allocation) fail, as the owner, for this assessment only.
    await sql
      .raw(`CREATE FUNCTION fail_allocation() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'allocation refused for the test'; END $$`)
      .execute(database.db);
    await sql
      .raw(`CREATE TRIGGER fail_allocation BEFORE INSERT ON allocations FOR EACH ROW
        WHEN (NEW.assessment_id = '${draft.assessmentId}') EXECUTE FUNCTION fail_allocation()`)
      .execute(database.db);
    try {
      await expect(submitAssessment(ctx, draft.assessmentId)).rejects.toThrow(/allocation refused/);
    } finally {
      await sql`DROP TRIGGER fail_allocation ON allocations`.execute(database.db);
      await sql`DROP FUNCTION fail_allocation()`.execute(database.db);
    }
    const row = await database.db
      .selectFrom("assessments")
      .select("status")
      .where("assessment_id", "=", draft.assessmentId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("draft");
    const decisions = await database.db
      .selectFrom("eligibility_decisions")
      .selectAll()
      .where("assessment_id", "=", draft.assessmentId)
      .execute();
    expect(decisions).toEqual([]);
    expect((await auditFor(draft.assessmentId)).map((e) => e.action)).toEqual(["create", "update"]);
  });

  it("rule: submitting incomplete answers writes nothing and names every missing field", async () => {
    const { draft } = await newDraft();
    const { nutrition } = answersManagingEverything().outcomes;
    await saveAnswers(ctx, draft.assessmentId, { outcomes: { nutrition } });

    const error = await submitAssessment(ctx, draft.assessmentId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).fieldErrors.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "needsFromImpairmentOrIllness",
        "wellbeingImpact",
        "whatMattersToMe",
        "informalCarer",
      ]),
    );

    const after = await getAssessment(ctx, draft.assessmentId);
    expect(after.status).toBe("draft");
    expect(await getDecision(ctx, draft.assessmentId)).toBeNull();
    expect((await auditFor(draft.assessmentId)).map((e) => e.action)).not.toContain("submit");
  });

  it("rule: the outcomes not yet answered are each named when the rest is complete", async () => {
    const { draft } = await newDraft();
    const { outcomes, ...rest } = answersManagingEverything();
    await saveAnswers(ctx, draft.assessmentId, { ...rest, outcomes: { nutrition: outcomes.nutrition } });
    const error = (await submitAssessment(ctx, draft.assessmentId).catch(
      (e: unknown) => e,
    )) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fieldErrors.map((f) => f.path)).toContain("outcomes.personal_hygiene");
    expect(error.fieldErrors.map((f) => f.path)).not.toContain("outcomes.nutrition");
  });

  it("rule: drafts hold partial answers, saved a section at a time, each section's shape checked", async () => {
    const { draft } = await newDraft();
    const full = answersManagingEverything();
    await saveAnswers(ctx, draft.assessmentId, { outcomes: { nutrition: full.outcomes.nutrition } });
    const saved = await saveAnswers(ctx, draft.assessmentId, {
      outcomes: { clothing: full.outcomes.clothing },
      wellbeingImpact: "some",
    });
    expect(Object.keys(saved.answers.outcomes ?? {}).sort()).toEqual(["clothing", "nutrition"]);
    expect(saved.answers.wellbeingImpact).toBe("some");
    expect(saved.answers.questionnaireId).toBe(draft.questionnaireId);

    const bad = (await saveAnswers(ctx, draft.assessmentId, {
      wellbeingImpact: "enormous",
      outcomes: { flying: full.outcomes.nutrition, nutrition: { canAchieveWithoutHelp: false, items: {} } },
      favouriteColour: "blue",
    }).catch((e: unknown) => e)) as ValidationError;
    expect(bad).toBeInstanceOf(ValidationError);
    expect(bad.fieldErrors.map((f) => f.path).sort()).toEqual(
      ["favouriteColour", "outcomes.flying", "outcomes.nutrition.difficulties", "wellbeingImpact"].sort(),
    );
    // The audit says which sections changed, not the answers.
    const events = await auditFor(draft.assessmentId);
    expect(events.filter((e) => e.action === "update").at(-1)?.changes).toEqual({
      sections: ["outcomes.clothing", "wellbeingImpact"],
    });
  });

  it("rule: a submitted assessment cannot be changed, by the service or by SQL as upfront_app", async () => {
    const { draft } = await newDraft();
    await saveAnswers(ctx, draft.assessmentId, eligibleAnswers());
    await submitAssessment(ctx, draft.assessmentId);

    await expect(saveAnswers(ctx, draft.assessmentId, { wellbeingImpact: "none" })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(submitAssessment(ctx, draft.assessmentId)).rejects.toBeInstanceOf(ConflictError);
    await expect(
      withTenant(database.db, ctx.scope, (tx) =>
        sql`UPDATE assessments SET answers = '{}'::jsonb WHERE assessment_id = ${draft.assessmentId}`.execute(
          tx,
        ),
      ),
    ).rejects.toThrow(/submitted and cannot be changed/);
    await expect(
      withTenant(database.db, ctx.scope, (tx) =>
        sql`DELETE FROM assessments WHERE assessment_id = ${draft.assessmentId}`.execute(tx),
      ),
    ).rejects.toThrow(/submitted and cannot be changed/);
  });

  it("rule: revising makes version 2 linked to version 1, with the answers copied and version 1 unchanged", async () => {
    const { person, draft } = await newDraft();
    await saveAnswers(ctx, draft.assessmentId, eligibleAnswers());
    const { assessment: v1 } = await submitAssessment(ctx, draft.assessmentId);

    const v2 = await reviseAssessment(ctx, v1.assessmentId);
    expect(v2).toMatchObject({ version: 2, status: "draft", previousAssessmentId: v1.assessmentId });
    expect(v2.answers).toEqual(v1.answers);

    await saveAnswers(ctx, v2.assessmentId, { wellbeingImpact: "some" });
    const v1After = await getAssessment(ctx, v1.assessmentId);
    expect(v1After).toEqual(v1);
    expect(await getDecision(ctx, v1.assessmentId)).toMatchObject({ eligible: true });

    // One draft at a time, and only the latest version is revised.
    await expect(reviseAssessment(ctx, v1.assessmentId)).rejects.toBeInstanceOf(ConflictError);
    await expect(startAssessment(ctx, person.personId)).rejects.toBeInstanceOf(ConflictError);
    await expect(reviseAssessment(ctx, v2.assessmentId)).rejects.toBeInstanceOf(ConflictError);
    expect((await listAssessmentsForPerson(ctx, person.personId)).map((a) => a.version)).toEqual([2, 1]);
  });

  it("rule: a person who is not eligible gets the decision with reasons and advice, and no allocation", async () => {
    const { draft } = await newDraft();
    await saveAnswers(ctx, draft.assessmentId, notAchieving(answersManagingEverything(), ["nutrition"]));
    const result = await submitAssessment(ctx, draft.assessmentId);
    expect(result.decision.eligible).toBe(false);
    expect(result.decision.decision.adviceIfNotEligible?.length).toBeGreaterThan(0);
    expect(result.allocation).toBeNull();
    expect(await getAllocation(ctx, draft.assessmentId)).toBeNull();
  });

  it("rule: the decision date chooses the rule pack; a date with no rules is an input error, not a crash", async () => {
    const { draft } = await newDraft();
    await saveAnswers(ctx, draft.assessmentId, eligibleAnswers());
    const error = (await submitAssessment(ctx, draft.assessmentId, { decisionDate: "2014-01-01" }).catch(
      (e: unknown) => e,
    )) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fieldErrors[0]?.path).toBe("decisionDate");
    const result = await submitAssessment(ctx, draft.assessmentId, { decisionDate: "2026-06-30" });
    expect(result.assessment.decisionDate).toBe("2026-06-30");
    expect(result.decision.decision.rulePackId).toBe("england-2015-04");
  });

  it("rule: adopting RAS model version 2 leaves allocations made under version 1 unchanged", async () => {
    const first = await newDraft();
    await saveAnswers(ctx, first.draft.assessmentId, eligibleAnswers());
    const before = (await submitAssessment(ctx, first.draft.assessmentId)).allocation!;
    expect(before.rasModelVersion).toBe(1);

    const v2 = await adoptRasModel(ctx, {
      model: {
        ...exampleRasModel,
        version: "2027.1",
        pricing: { method: "price_per_point", pricePerPointPence: 900 },
      },
      reason: "Recalibrated against 2026 package costs",
    });
    expect(v2.version).toBe(2);

    const after = await getAllocation(ctx, first.draft.assessmentId);
    expect(after).toEqual(before);

    const second = await newDraft();
    await saveAnswers(ctx, second.draft.assessmentId, eligibleAnswers());
    const priced = (await submitAssessment(ctx, second.draft.assessmentId)).allocation!;
    expect(priced.rasModelVersion).toBe(2);
    expect(priced.rasModelId).toBe(v2.rasModelId);
    expect(priced.working.totalPoints).toBe(before.working.totalPoints);
    expect(before.weeklyPence).toBe(17 * 450);
    expect(priced.weeklyPence).toBe(17 * 900);
  });

  it("rule: viewing an assessment, its decision and its allocation each appends a view audit event", async () => {
    const { draft } = await newDraft();
    await saveAnswers(ctx, draft.assessmentId, eligibleAnswers());
    const { decision, allocation } = await submitAssessment(ctx, draft.assessmentId);
    await getAssessment(ctx, draft.assessmentId);
    await getDecision(ctx, draft.assessmentId);
    await getAllocation(ctx, draft.assessmentId);
    for (const id of [draft.assessmentId, decision.decisionId, allocation!.allocationId]) {
      expect((await auditFor(id)).filter((e) => e.action === "view")).toHaveLength(1);
    }
  });

  it("rule: another tenant cannot see or change this tenant's assessments", async () => {
    const { person, draft } = await newDraft();
    await expect(getAssessment(otherCtx, draft.assessmentId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      saveAnswers(otherCtx, draft.assessmentId, { wellbeingImpact: "none" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(startAssessment(otherCtx, person.personId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getAssessment(ctx, "not-a-uuid")).rejects.toBeInstanceOf(NotFoundError);
  });
});
