import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agreedPlanCostIn } from "#/features/budgets/agreed-plan-cost.ts";
import type { FinancialAnswersJson } from "#/features/charging/answers.ts";
import {
  completeFinancialAssessment,
  createCompletedFinancialAssessment,
  getFinancialAssessment,
  listFinancialAssessmentsForPerson,
  saveFinancialAnswers,
  startFinancialAssessment,
} from "#/features/charging/service.ts";
import {
  addPolicyVersion,
  addSuppliedFigures,
  getChargingSettings,
  withdrawPolicyVersion,
  withdrawSuppliedFigure,
} from "#/features/charging/settings-service.ts";
import { DEMO_FIGURES_SOURCE } from "#/features/demo/charging-seed.ts";
import { OTHER_TENANT_SLUG } from "#/features/demo/seed.ts";
import { createPerson } from "#/features/people/service.ts";
import { findTenantBySlug } from "#/features/tenants/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { withSystem, withTenant } from "#/platform/db/tenant.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { databaseFor, demoTenantId, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * The financial assessment and charging settings services on every engine: versions (a completed one is never
 * changed; a change is a new version), nothing half-written, every write audited, settings validated and dated,
 * a completed result keeping the settings it was worked out with, and tenants kept apart.
 */

/** The ValidationError a promise is expected to reject with. */
async function failure(promise: Promise<unknown>): Promise<ValidationError> {
  const outcome = await promise.then(
    () => new Error("expected a ValidationError, but it succeeded"),
    (e: unknown) => e,
  );
  if (!(outcome instanceof ValidationError)) throw outcome;
  return outcome;
}

/** A single person aged 40 or so with a disability benefit: needs MIG figures for 2026-27 (demo-supplied). */
const FULL: FinancialAnswersJson = {
  about: { appliesFrom: "2026-12-01", route: "full", reachedPensionCreditAge: false },
  circumstances: {
    couple: false,
    children: 0,
    disabilityPremium: true,
    enhancedDisabilityPremium: false,
    carerPremium: false,
  },
  incomes: [
    { type: "employment_and_support_allowance", amountPence: 140_55, frequency: "week" },
    { type: "pip_daily_living", amountPence: 108_55, frequency: "week" },
  ],
  capital: [],
  housingCosts: [],
  dre: { kind: "none", items: [] },
  costOfCare: { estimateWeeklyPence: 300_00 },
};

describe.each(enginesUnderTest())("financial assessment service on %s", (engine) => {
  let database: TestDatabase;
  let demo: ServiceContext;
  let other: ServiceContext;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");

    const seeded = { tenantId: await demoTenantId(database) };
    const otherTenant = (await findTenantBySlug(database.db, OTHER_TENANT_SLUG))!;
    demo = {
      db: database.db,
      scope: { tenantId: seeded.tenantId, actor: { type: "staff", id: uuidv7() } },
      today: TODAY,
    };
    other = {
      db: database.db,
      scope: { tenantId: otherTenant.tenantId, actor: { type: "staff", id: uuidv7() } },
      today: TODAY,
    };
  }, 120_000);

  afterAll(async () => {
    await database?.drop();
  });

  const newPerson = (ctx: ServiceContext, dateOfBirth = "1986-05-10") =>
    createPerson(ctx, { givenName: "Fin", familyName: `Test${uuidv7().slice(-6)}`, dateOfBirth });

  const auditOf = (ctx: ServiceContext, recordId: string) =>
    withSystem(database.db, (trx) =>
      trx
        .selectFrom("audit_events")
        .select(["action", "record_type", "changes"])
        .where("tenant_id", "=", ctx.scope.tenantId)
        .where("record_id", "=", recordId)
        .orderBy("occurred_at")
        .orderBy("event_id")
        .execute(),
    );

  it("rule: versions — one draft at a time; completing is final (service and trigger); a change is a new version with the answers copied", async () => {
    const person = await newPerson(demo);
    const draft = await startFinancialAssessment(demo, person.personId);
    expect(draft).toMatchObject({ version: 1, status: "draft", previousFinancialAssessmentId: null });
    await expect(startFinancialAssessment(demo, person.personId)).rejects.toThrow(ConflictError);

    await saveFinancialAnswers(demo, draft.financialAssessmentId, FULL);
    const done = await completeFinancialAssessment(demo, draft.financialAssessmentId, agreedPlanCostIn);
    expect(done.status).toBe("completed");
    expect(done.assessmentKind).toBe("full");
    expect(done.rulePackIds).toEqual(["england-charging-2026-27"]);
    expect(done.costOfCareBasis).toBe("estimate");
    // 140.55 + 108.55 − (120 + 50) demo MIG = 79.10
    expect(done.weeklyContributionPence).toBe(79_10);
    expect(done.suppliedFigures!.length).toBeGreaterThan(0);

    await expect(
      saveFinancialAnswers(demo, draft.financialAssessmentId, { dre: { kind: "none" } }),
    ).rejects.toThrow(ConflictError);
    await expect(
      completeFinancialAssessment(demo, draft.financialAssessmentId, agreedPlanCostIn),
    ).rejects.toThrow(ConflictError);
    const trigger = await withTenant(database.db, demo.scope, (tx) =>
      sql`UPDATE financial_assessments SET weekly_contribution_pence = 0 WHERE financial_assessment_id = ${draft.financialAssessmentId}`.execute(
        tx,
      ),
    )
      .then(() => "updated")
      .catch((e: Error) => e.message);
    expect(trigger).toMatch(/is completed and cannot be changed/);

    const next = await startFinancialAssessment(demo, person.personId);
    expect(next).toMatchObject({
      version: 2,
      status: "draft",
      previousFinancialAssessmentId: draft.financialAssessmentId,
    });
    expect(next.answers).toEqual(done.answers);
    const versions = await listFinancialAssessmentsForPerson(demo, person.personId);
    expect(versions.map((v) => [v.version, v.status])).toEqual([
      [2, "draft"],
      [1, "completed"],
    ]);
  });

  it("rule: every write and every view is audited, naming sections changed but never the amounts", async () => {
    const person = await newPerson(demo);
    const draft = await startFinancialAssessment(demo, person.personId);
    await saveFinancialAnswers(demo, draft.financialAssessmentId, {
      about: FULL.about,
      incomes: FULL.incomes,
    });
    await saveFinancialAnswers(demo, draft.financialAssessmentId, FULL);
    await completeFinancialAssessment(demo, draft.financialAssessmentId, agreedPlanCostIn);
    await getFinancialAssessment(demo, draft.financialAssessmentId);
    const events = await auditOf(demo, draft.financialAssessmentId);
    expect(events.map((e) => e.action)).toEqual(["create", "update", "update", "complete", "view"]);
    expect(events[1]!.changes).toEqual({ sections: ["about", "incomes"] });
    expect(JSON.stringify(events[1]!.changes)).not.toContain("14055");
    expect(events[3]!.changes).toMatchObject({
      status: { from: "draft", to: "completed" },
      rulePackIds: ["england-charging-2026-27"],
      suppliedFiguresUsed: true,
    });
  });

  it("rule: nothing is half-written — a create with bad or unsupported answers leaves no record and no audit event", async () => {
    const person = await newPerson(demo);
    const bad = { ...FULL, incomes: [{ type: "lottery", amountPence: -5, frequency: "week" }] };
    await expect(
      createCompletedFinancialAssessment(demo, { personId: person.personId, answers: bad }, agreedPlanCostIn),
    ).rejects.toThrow(ValidationError);
    // A lone parent of pension credit age: a rule the England pack cannot decide, so refused, with the reason.
    const refused = {
      ...FULL,
      about: { ...FULL.about, reachedPensionCreditAge: true },
      circumstances: { ...FULL.circumstances, children: 1 },
    } as FinancialAnswersJson;
    const error = await failure(
      createCompletedFinancialAssessment(
        demo,
        { personId: person.personId, answers: refused },
        agreedPlanCostIn,
      ),
    );
    expect(error.fieldErrors[0]!.message).toMatch(/Not supported by the rules for England/);
    // A year with no national figures, which the council has not uprated.
    const late = { ...FULL, about: { ...FULL.about, appliesFrom: "2031-01-01" } } as FinancialAnswersJson;
    const dateError = await failure(
      createCompletedFinancialAssessment(
        demo,
        { personId: person.personId, answers: late },
        agreedPlanCostIn,
      ),
    );
    expect(dateError.fieldErrors[0]!.message).toMatch(
      /no national figures for the financial year 2030 to 2031/,
    );

    expect(await listFinancialAssessmentsForPerson(demo, person.personId)).toEqual([]);
    const events = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("audit_events")
        .select("event_id")
        .where("record_type", "=", "financial_assessment")
        .where("changes", "is not", null)
        .where(sql<boolean>`changes->>'personId' = ${person.personId}`)
        .execute(),
    );
    expect(events).toEqual([]);
  });

  it("rule: a completed result keeps the settings it was worked out with; later changes do not alter it", async () => {
    const person = await newPerson(demo);
    const done = await createCompletedFinancialAssessment(
      demo,
      { personId: person.personId, answers: FULL },
      agreedPlanCostIn,
    );
    const settings = await getChargingSettings(demo);
    const mig = settings.suppliedFigures.find(
      (f) => f.figure === "mig.single_25_to_pension_credit_age" && f.validFrom === "2026-04-01",
    )!;
    await withdrawSuppliedFigure(demo, mig.suppliedFigureId);
    const again = await getFinancialAssessment(demo, done.financialAssessmentId);
    expect(again.result).toEqual(done.result);
    const step = again.result!.periods[0]!.steps.find((s) => s.id === "mig.single_25_to_pension_credit_age")!;
    expect(step.rule).toMatchObject({ basis: "council_supplied", provision: DEMO_FIGURES_SOURCE });
    // Now the figure is gone, a new one is refused, saying what the council can do.
    const error = await failure(
      createCompletedFinancialAssessment(
        demo,
        {
          personId: (await newPerson(demo)).personId,
          answers: FULL,
        },
        agreedPlanCostIn,
      ),
    );
    expect(error.fieldErrors.map((e) => e.message).join(" ")).toMatch(
      /The council can supply the figure it uses/,
    );
    await addSuppliedFigures(
      demo,
      [{ ...mig, suppliedFigureId: undefined, createdBy: undefined, createdAt: undefined }].map(
        ({ figure, validFrom, validTo, pence, source }) => ({ figure, validFrom, validTo, pence, source }),
      ),
    );
  });

  it("rule: policy versions are dated — an open earlier version is ended the day before; overlaps and limits below the law are refused; all audited", async () => {
    const added = await addPolicyVersion(other, {
      reference: "Test policy 2024",
      policy: { validFrom: "2024-04-01", minimumChargeWeeklyPence: 100 },
    });
    expect(added.ended).toBeNull();
    const next = await addPolicyVersion(other, {
      reference: "Test policy 2025",
      policy: { validFrom: "2025-04-01", validTo: "2026-03-31", chargePercent: 90 },
    });
    expect(next.ended).toMatchObject({ validFrom: "2024-04-01", validTo: "2025-03-31" });
    expect(next.ended!.policy.validTo).toBe("2025-03-31");

    const overlap = await failure(
      addPolicyVersion(other, {
        reference: "Overlapping",
        policy: { validFrom: "2025-06-01", validTo: "2025-12-31" },
      }),
    );
    expect(overlap.fieldErrors).toEqual([
      {
        path: "policy.validFrom",
        message: expect.stringMatching(/overlap the policy version from 1 April 2025/),
      },
    ]);

    const belowLaw = await failure(
      addPolicyVersion(other, {
        reference: "Too low",
        policy: { validFrom: "2024-04-01", validTo: "2024-05-01", lowerCapitalLimitPence: 1_000_000 },
      }),
    );
    expect(belowLaw.fieldErrors[0]).toMatchObject({
      path: "policy.lowerCapitalLimitPence",
      message: expect.stringMatching(/at least £14,250\.00/),
    });

    const absurd = await failure(
      addPolicyVersion(other, {
        reference: "Absurd",
        policy: { validFrom: "2027-04-01", chargePercent: 140, minimumChargeWeeklyPence: -1 },
      }),
    );
    expect(absurd.fieldErrors.map((e) => e.path).sort()).toEqual([
      "policy.chargePercent",
      "policy.minimumChargeWeeklyPence",
    ]);

    const removed = await withdrawPolicyVersion(other, next.added.policyVersionId);
    expect(removed.reference).toBe("Test policy 2025");
    const events = await auditOf(other, added.added.policyVersionId);
    expect(events.map((e) => e.action)).toEqual(["create", "update"]);
    expect((await auditOf(other, next.added.policyVersionId)).map((e) => e.action)).toEqual([
      "create",
      "delete",
    ]);
  });

  it("rule: supplied figures are dated per figure; overlapping ones are refused; tenants never see each other's", async () => {
    const first = await addSuppliedFigures(other, [
      {
        figure: "mig.carer_premium",
        validFrom: "2026-04-01",
        pence: 45_00,
        source: "Test circular, Annex A",
      },
    ]);
    const second = await addSuppliedFigures(other, [
      {
        figure: "mig.carer_premium",
        validFrom: "2026-10-01",
        pence: 46_00,
        source: "Test circular, Annex A (revised)",
      },
    ]);
    expect(second.ended.map((f) => [f.suppliedFigureId, f.validTo])).toEqual([
      [first.added[0]!.suppliedFigureId, "2026-09-30"],
    ]);
    const clash = await failure(
      addSuppliedFigures(other, [
        {
          figure: "mig.carer_premium",
          validFrom: "2026-09-01",
          validTo: "2026-11-30",
          pence: 1,
          source: "Clash",
        },
      ]),
    );
    expect(clash.fieldErrors[0]!.message).toMatch(/overlap/);
    const unknown = await failure(
      addSuppliedFigures(other, [
        { figure: "mig.dragon", validFrom: "2026-11-01", pence: 1, source: "Nowhere" },
      ]),
    );
    expect(unknown.fieldErrors[0]!.path).toBe("[0].figure");

    const otherSettings = await getChargingSettings(other);
    expect(otherSettings.suppliedFigures.every((f) => !f.source.startsWith("Demo Council"))).toBe(true);
    const demoPerson = await newPerson(demo);
    const fa = await startFinancialAssessment(demo, demoPerson.personId);
    await expect(getFinancialAssessment(other, fa.financialAssessmentId)).rejects.toThrow(NotFoundError);
  });
});
