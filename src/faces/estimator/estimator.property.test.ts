import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answersArbitrary } from "#/faces/estimator/answers.arbitrary.ts";
import { type Estimator, estimateFor, findEstimator } from "#/faces/estimator/service.ts";
import { saveAnswers, startAssessment, submitAssessment } from "#/features/assessment/service.ts";
import { createPerson } from "#/features/people/service.ts";
import { adoptRasModel } from "#/features/tenants/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { englandQuestionnaire as questionnaire } from "#/rules/england/questionnaire.ts";
import { exampleBandedRasModel } from "#/rules/england/ras-model.example.ts";
import { databaseFor, demoTenantId, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * The estimator gives the result the council's own process gives, for any answers.
 *
 * The staff side is the real staff path, on a database seeded by the demo seed: createPerson,
 * startAssessment, saveAnswers and submitAssessment (assessment/service.ts), which decides eligibility and
 * makes the allocation with the tenant's current RAS model, stores both and audits them. The estimator side
 * is estimateFor (estimator/service.ts), what the public result page calls. The eligibility decision and the
 * allocation's working (every line) must be identical, once with the model the seed adopts and again after
 * the council adopts a different one (banded, weighted), so an estimator that priced with the rule pack's
 * example model instead of the council's current one would fail.
 */

/** JSONB keeps what JSON keeps: compare the estimator's objects as they would be stored. */
const stored = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe.each(enginesUnderTest())("the estimator and the staff path on %s", (engine) => {
  let database: TestDatabase;
  let ctx: ServiceContext;
  let estimator: Estimator;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");

    const seeded = { tenantId: await demoTenantId(database) };
    ctx = {
      db: database.db,
      scope: { tenantId: seeded.tenantId, actor: { type: "staff", id: "property-test" } },
      today: TODAY,
    };
    estimator = (await findEstimator(database.db, "demo", TODAY))!;
  });
  afterAll(async () => {
    await database?.drop();
  });

  let n = 0;
  const seen = { eligible: 0, notEligible: 0, carerReduction: 0, models: new Set<string>() };

  async function sameResult(answers: Parameters<typeof saveAnswers>[2]): Promise<void> {
    n++;
    const person = await createPerson(ctx, {
      reference: `PROP-${n}`,
      givenName: "Prop",
      familyName: `Person${n}`,
      dateOfBirth: "1950-06-01",
    });
    const draft = await startAssessment(ctx, person.personId);
    await saveAnswers(ctx, draft.assessmentId, answers);
    const staff = await submitAssessment(ctx, draft.assessmentId);

    const estimated = await estimateFor(database.db, estimator, TODAY, answers);
    if (!estimated.ok)
      throw new Error(
        `The estimator refused answers the staff path took: ${JSON.stringify(estimated.errors)}`,
      );
    const { eligibility, allocation } = estimated.estimate;

    expect(eligibility.eligible).toBe(staff.decision.eligible);
    expect(stored(eligibility)).toEqual(staff.decision.decision);
    expect(allocation === null).toBe(staff.allocation === null);
    if (allocation && staff.allocation) {
      expect(allocation.weeklyPence).toBe(staff.allocation.weeklyPence);
      expect(allocation.annualPence).toBe(staff.allocation.annualPence);
      expect(stored(allocation)).toEqual(staff.allocation.working);
      if (allocation.adjustments.length > 0) seen.carerReduction++;
      seen.models.add(allocation.modelId);
    }
    if (eligibility.eligible) seen.eligible++;
    else seen.notEligible++;
  }

  it("gives the same eligibility and allocation as submitting an assessment, for any answers", async () => {
    await fc.assert(fc.asyncProperty(answersArbitrary(questionnaire), sameResult), { numRuns: 100 });
  }, 180_000);

  it("still does after the council adopts a different RAS model", async () => {
    const adopted = await adoptRasModel(ctx, {
      model: {
        ...exampleBandedRasModel,
        id: "demo-banded-weighted",
        version: "2026.2",
        example: false,
        domainWeights: { home_safety: 1.5, community_facilities: 0.75 },
      },
      reason: "Property test: the estimator must use the council's current model",
    });
    expect(adopted.version).toBeGreaterThan(1);
    await fc.assert(fc.asyncProperty(answersArbitrary(questionnaire), sameResult), { numRuns: 100 });
  }, 180_000);

  it("covered both outcomes and the budget's adjustments (the answers were not all alike)", () => {
    expect(seen.eligible).toBeGreaterThan(10);
    expect(seen.notEligible).toBeGreaterThan(3);
    expect(seen.carerReduction).toBeGreaterThan(0);
    expect([...seen.models].sort()).toEqual(["demo-banded-weighted", "england-example-ras"]);
  });
});
