import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agreedPlanCostIn } from "#/features/budgets/agreed-plan-cost.ts";
import { budgetIn, liveBudgetOnIn } from "#/features/budgets/service.ts";
import { createCompletedFinancialAssessment } from "#/features/charging/service.ts";
import type { SupportPlanDraftInput } from "#/features/planning/schemas.ts";
import {
  approvalQueue,
  approvePlan,
  decideAllocationOverride,
  getPlan,
  getPlanVersion,
  newPlanVersion,
  overridesFor,
  type PlanEditor,
  PlanRefusedError,
  plansForPerson,
  requestAllocationOverride,
  returnPlan,
  saveDraft,
  startPlan,
  submitPlan,
} from "#/features/planning/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { withSystem, withTenant } from "#/platform/db/tenant.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { DP_AUDIT_CASES } from "#/seed/dp-audit-seed.ts";
import { DEMO_STAFF, OTHER_STAFF } from "#/seed/seed.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * Support plans through the service on every engine (Upfront issue 5): attribution of every edit; an approved
 * version never changes (the service refuses, and the table's trigger refuses even the owner); maker-checker
 * (nobody approves a plan they wrote); delegated authority routes bigger or over-allocation plans to a higher
 * approver; a superseded version is never approved; invalid plans are refused with every message and nothing
 * written; approval makes the live budget per support × stream × deployment with the person's contribution only
 * on means-tested streams (an NHS personal health budget is never charged), and a later approval replaces it
 * from a date; allocation overrides below and above the council's threshold; a representative without the
 * edit_plan scope cannot change a plan; another council cannot see a plan. Demo Council's settings (demo seed):
 * social worker → team manager (over £600 a week, or over the allocation) → funding panel (over £1,500 a week,
 * or over the allocation by more than £100 or 10%); overrides above £50 or 10% need a team manager.
 */

const email = (role: string) => DEMO_STAFF.find((s) => s.roles.includes(role as never))!.email;

describe.each(enginesUnderTest())("support plans service on %s", (engine) => {
  let database: TestDatabase;
  const staff: Record<string, { ctx: ServiceContext; editor: PlanEditor }> = {};
  let other: ServiceContext;
  let tenantId: string;
  /** People with an allocation and no plan yet, by reference: each test takes its own. */
  let free: { personId: string; allocationId: string; weekly: number }[] = [];
  const take = () => free.shift()!;

  async function contextFor(address: string): Promise<{ ctx: ServiceContext; editor: PlanEditor }> {
    const user = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("staff_users")
        .where("email", "=", address)
        .select(["tenant_id", "user_id", "name"])
        .executeTakeFirstOrThrow(),
    );
    return {
      ctx: {
        db: database.db,
        scope: { tenantId: user.tenant_id, actor: { type: "staff", id: user.user_id } },
        today: TODAY,
      },
      editor: { kind: "staff", userId: user.user_id, name: user.name },
    };
  }

  const personContext = (accountId: string): ServiceContext => ({
    db: database.db,
    scope: { tenantId, actor: { type: "person", id: accountId } },
    today: TODAY,
  });

  const count = async (table: string, where = sql`true`) =>
    Number(
      (
        await sql<{
          n: string;
        }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE tenant_id = ${tenantId} AND ${where}`.execute(
          database.db,
        )
      ).rows[0]!.n,
    );

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    for (const role of ["social_worker", "support_planner", "team_manager", "funding_panel_member"]) {
      staff[role] = await contextFor(email(role));
    }
    other = (await contextFor(OTHER_STAFF[0]!.email)).ctx;
    tenantId = staff.social_worker!.ctx.scope.tenantId;
    const rows = await sql<{ person_id: string; allocation_id: string; weekly_pence: string }>`
      SELECT p.person_id, l.allocation_id, l.weekly_pence FROM people p
      JOIN assessments a ON a.tenant_id = p.tenant_id AND a.person_id = p.person_id AND a.status = 'submitted'
      JOIN allocations l ON l.tenant_id = a.tenant_id AND l.assessment_id = a.assessment_id
      WHERE p.tenant_id = ${tenantId}
        AND NOT EXISTS (SELECT 1 FROM support_plans s WHERE s.tenant_id = p.tenant_id AND s.person_id = p.person_id)
        AND NOT EXISTS (SELECT 1 FROM representatives r WHERE r.tenant_id = p.tenant_id AND r.person_id = p.person_id)
        AND NOT EXISTS (SELECT 1 FROM financial_assessments f WHERE f.tenant_id = p.tenant_id AND f.person_id = p.person_id)
        AND l.weekly_pence BETWEEN 10000 AND 50000
      ORDER BY p.reference`.execute(database.db);
    free = rows.rows.map((r) => ({
      personId: r.person_id,
      allocationId: r.allocation_id,
      weekly: Number(r.weekly_pence),
    }));
  }, 240_000);
  afterAll(async () => {
    await database?.drop();
  });

  /** A complete plan costing `weeklyPence` a week: one personal assistant, paid by direct payment. */
  const planCosting = (
    weeklyPence: number,
    more: Partial<SupportPlanDraftInput> = {},
  ): SupportPlanDraftInput => ({
    outcomes: [{ id: "home", inTheirWords: "Stay in my own home", howWeWillKnow: "I am still at home" }],
    supports: [
      {
        id: "pa",
        what: "A personal assistant",
        category: "personal_care",
        from: { kind: "personal_assistant", name: "Sam" },
        cost: { basis: "weekly", unitCostPence: weeklyPence, unit: "week", unitsPerWeek: 1 },
        deployment: "direct_payment",
        outcomeIds: ["home"],
      },
    ],
    risks: [],
    contingency: "My brother covers a missed visit",
    ...more,
  });

  async function submitted(
    by: "social_worker" | "support_planner",
    weeklyPence: (allocation: number) => number,
    more: Partial<SupportPlanDraftInput> = {},
  ) {
    const person = take();
    const { ctx, editor } = staff[by]!;
    const { planId } = await startPlan(ctx, { personId: person.personId, editor });
    await saveDraft(ctx, planId, 1, planCosting(weeklyPence(person.weekly), more), editor);
    const result = await submitPlan(ctx, planId, 1, editor);
    return { person, planId, result };
  }

  it("rule (issue 5): the demo has an approved plan with a live budget, a draft written by person1, and one waiting", async () => {
    const rows = await sql<{ status: string; n: string }>`
      SELECT v.status, count(*) AS n FROM plan_versions v
      JOIN support_plans s USING (tenant_id, plan_id) JOIN people p USING (tenant_id, person_id)
      -- seed/fairness-seed.ts's people (FAIR-…) have approved plans of their own, for /demo/fairness
      WHERE v.tenant_id = ${tenantId} AND p.reference NOT LIKE 'FAIR-%' GROUP BY v.status ORDER BY v.status`.execute(
      database.db,
    );
    // Approved: person2's, and the direct-payment audit's planted cases (seed/dp-audit-seed.ts).
    expect(Object.fromEntries(rows.rows.map((r) => [r.status, Number(r.n)]))).toEqual({
      approved: 1 + DP_AUDIT_CASES.length,
      draft: 1,
      submitted: 1,
    });
    const kinds = await sql<{ actor_kind: string }>`
      SELECT DISTINCT c.actor_kind FROM plan_changes c JOIN plan_versions v USING (tenant_id, plan_id, version)
      WHERE c.tenant_id = ${tenantId} AND v.status = 'draft' ORDER BY 1`.execute(database.db);
    expect(kinds.rows.map((r) => r.actor_kind)).toEqual(["person", "staff"]);
    const lines = await sql<{ stream_id: string; deployment: string }>`
      SELECT DISTINCT stream_id, deployment FROM personal_budget_lines WHERE tenant_id = ${tenantId} ORDER BY 1, 2`.execute(
      database.db,
    );
    expect(new Set(lines.rows.map((r) => r.stream_id))).toEqual(
      new Set(["adult_social_care", "supported_employment"]),
    );
    expect(new Set(lines.rows.map((r) => r.deployment))).toEqual(
      new Set(["direct_payment", "council_managed", "council_arranged"]),
    );
  });

  it("rule (issue 5, attribution): every edit says who made it and what changed, the person's own words kept", async () => {
    const person = take();
    const { ctx, editor } = staff.support_planner!;
    const { planId, version } = await startPlan(ctx, { personId: person.personId, editor });
    expect(version).toBe(1);
    const first = planCosting(person.weekly - 1000);
    await saveDraft(ctx, planId, 1, { outcomes: first.outcomes }, editor);
    const view = await saveDraft(ctx, planId, 1, first, editor);
    await saveDraft(ctx, planId, 1, first, editor); // nothing changed: no change row
    const changes = view.changes.map((c) => [c.actorKind, c.actorName, c.summary]);
    expect(changes).toEqual([
      ["staff", "Pat Planner", "Started the plan"],
      ["staff", "Pat Planner", "Added the outcome “Stay in my own home”"],
      ["staff", "Pat Planner", "Added the support “A personal assistant”; Added the contingency plan"],
    ]);
    expect((await getPlan(ctx, planId)).changes).toHaveLength(3);
    // Live fit: the plan is £10 under an allocation taken from the assessment.
    expect(view.analysis.fit).toMatchObject({ position: "under", allocationWeeklyPence: person.weekly });
    expect(view.analysis.required?.level.id).toBe("social_worker");
    expect(view.analysis.apportionment?.unfunded).toEqual([]);
    expect(view.analysis.readiness.filter((p) => p.severity === "error")).toEqual([]);
  });

  it("rule (issue 5): invalid plans are refused with every message and nothing changes", async () => {
    const person = take();
    const { ctx, editor } = staff.social_worker!;
    const { planId } = await startPlan(ctx, { personId: person.personId, editor });
    const before = await count("plan_changes", sql`plan_id = ${planId}`);
    // A negative cost is refused even in a draft.
    const bad = planCosting(-5);
    await expect(saveDraft(ctx, planId, 1, bad, editor)).rejects.toMatchObject({
      fieldErrors: [{ path: "supports[0].cost.unitCostPence", message: "The unit cost cannot be negative" }],
    });
    // No outcome, and a support serving no outcome: a draft may say so, submitting may not.
    await saveDraft(ctx, planId, 1, { ...planCosting(100), outcomes: [] }, editor);
    const error = await submitPlan(ctx, planId, 1, editor).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const messages = (error as ValidationError).fieldErrors.map((e) => e.message);
    expect(messages).toContain("A plan needs at least one outcome, in the person's own words");
    expect(messages.some((m) => m.includes('There is no outcome "home"'))).toBe(true);
    const view = await getPlan(ctx, planId);
    expect(view.version.status).toBe("draft");
    expect(view.version.submittedAt).toBeNull();
    expect(await count("plan_changes", sql`plan_id = ${planId}`)).toBe(before + 1);
  });

  it("rule (issue 5, maker-checker): nobody approves a plan they wrote; someone else at the level may", async () => {
    const { planId, person, result } = await submitted("social_worker", (a) => a - 500);
    expect(result.requiredLevel.id).toBe("social_worker");
    const writer = staff.social_worker!.ctx;
    const refused = await approvePlan(writer, planId, 1, { startDate: TODAY }).catch((e) => e);
    expect(refused).toBeInstanceOf(PlanRefusedError);
    expect((refused as PlanRefusedError).refusals.map((r) => r.code)).toEqual(["own_plan"]);
    expect(await count("personal_budgets", sql`person_id = ${person.personId}`)).toBe(0);
    // The queue says so too.
    const queue = await approvalQueue(writer);
    expect(queue.find((q) => q.planId === planId)).toMatchObject({ mayApprove: false });
    const manager = staff.team_manager!.ctx;
    expect((await approvalQueue(manager)).find((q) => q.planId === planId)).toMatchObject({
      mayApprove: true,
    });
    const approved = await approvePlan(manager, planId, 1, { startDate: TODAY });
    const view = await getPlan(manager, planId);
    expect(view.version).toMatchObject({ status: "approved", decidedByName: "Tam Manager" });
    expect(view.budget).toMatchObject({ budgetId: approved.budgetId, status: "live", startDate: TODAY });
  });

  it("rule (issue 5, delegated authority): a plan over the allocation by more than 10% needs the funding panel", async () => {
    const { planId, result } = await submitted("support_planner", (a) => Math.round(a * 1.2), {
      overAllocationReason: "Two carers are needed for every transfer",
    });
    expect(result.requiredLevel.id).toBe("funding_panel");
    const refused = await approvePlan(staff.team_manager!.ctx, planId, 1, { startDate: TODAY }).catch(
      (e) => e,
    );
    expect((refused as PlanRefusedError).refusals.map((r) => r.code)).toEqual(["not_authorised"]);
    expect((refused as Error).message).toContain("Funding panel");
    await approvePlan(staff.funding_panel_member!.ctx, planId, 1, { startDate: TODAY });
    expect((await getPlan(staff.social_worker!.ctx, planId)).version.approverLevel).toBe("funding_panel");
  });

  it("rule (issue 5): over the allocation needs a reason before it can be sent for approval", async () => {
    const person = take();
    const { ctx, editor } = staff.social_worker!;
    const { planId } = await startPlan(ctx, { personId: person.personId, editor });
    await saveDraft(ctx, planId, 1, planCosting(person.weekly + 100), editor);
    await expect(submitPlan(ctx, planId, 1, editor)).rejects.toMatchObject({
      fieldErrors: [
        { path: "overAllocationReason", message: "Say why the plan needs more than the indicative budget" },
      ],
    });
  });

  it("rule (issue 5): approved versions never change; a new version replaces the budget from its start date, and the superseded one cannot be approved", async () => {
    const { planId, person } = await submitted("social_worker", (a) => a - 2000);
    const manager = staff.team_manager!.ctx;
    const first = await approvePlan(manager, planId, 1, { startDate: TODAY });
    const { ctx, editor } = staff.social_worker!;
    // The service refuses to edit an approved version …
    await expect(saveDraft(ctx, planId, 1, planCosting(1), editor)).rejects.toBeInstanceOf(PlanRefusedError);
    // … and the table refuses it even to the owner.
    await expect(
      withSystem(database.db, (trx) =>
        sql`UPDATE plan_versions SET content = '{}'::jsonb WHERE plan_id = ${planId} AND version = 1`.execute(
          trx,
        ),
      ),
    ).rejects.toThrow(/approved and cannot be changed/);

    const { version } = await newPlanVersion(ctx, planId, editor);
    expect(version).toBe(2);
    await expect(newPlanVersion(ctx, planId, editor)).rejects.toBeInstanceOf(PlanRefusedError);
    await saveDraft(ctx, planId, 2, planCosting(person.weekly - 1000), editor);
    await submitPlan(ctx, planId, 2, editor);
    const from = "2026-12-07";
    const second = await approvePlan(manager, planId, 2, { startDate: from });
    expect(second.replacedBudgetId).toBe(first.budgetId);

    const view = await getPlanVersion(ctx, planId, 1);
    expect(view.version.status).toBe("superseded");
    const refused = await approvePlan(manager, planId, 1, { startDate: from }).catch((e) => e);
    expect((refused as PlanRefusedError).refusals.map((r) => r.code)).toContain("superseded");

    await withTenant(database.db, manager.scope, async (tx) => {
      const old = await budgetIn(tx, first.budgetId);
      expect(old).toMatchObject({
        status: "replaced",
        endDate: "2026-12-06",
        replacedByBudgetId: second.budgetId,
      });
      expect((await liveBudgetOnIn(tx, person.personId, "2026-12-06"))?.budgetId).toBe(first.budgetId);
      expect((await liveBudgetOnIn(tx, person.personId, from))?.budgetId).toBe(second.budgetId);
    });
  });

  it("rule (issue 5): approval makes the budget per support, stream and deployment; the contribution reduces only means-tested streams and an NHS personal health budget is never charged", async () => {
    // Someone with a completed financial assessment that charges them.
    const found = await sql<{ person_id: string; weekly: string; contribution: string }>`
      SELECT p.person_id, l.weekly_pence AS weekly, f.weekly_contribution_pence AS contribution FROM people p
      JOIN assessments a ON a.tenant_id = p.tenant_id AND a.person_id = p.person_id AND a.status = 'submitted'
      JOIN allocations l ON l.tenant_id = a.tenant_id AND l.assessment_id = a.assessment_id
      JOIN financial_assessments f ON f.tenant_id = p.tenant_id AND f.person_id = p.person_id
        AND f.status = 'completed' AND f.weekly_contribution_pence > 0
      WHERE p.tenant_id = ${tenantId}
        AND NOT EXISTS (SELECT 1 FROM support_plans s WHERE s.tenant_id = p.tenant_id AND s.person_id = p.person_id)
      ORDER BY p.reference LIMIT 1`.execute(database.db);
    const person = found.rows[0];
    expect(person, "the demo seed charges someone with an indicative budget").toBeDefined();
    const contribution = Number(person!.contribution);
    const { ctx, editor } = staff.social_worker!;
    const { planId } = await startPlan(ctx, { personId: person!.person_id, editor });
    const plan: SupportPlanDraftInput = {
      outcomes: [{ id: "well", inTheirWords: "Stay well at home", howWeWillKnow: "No hospital stays" }],
      supports: [
        {
          id: "nursing",
          what: "Nursing care at home",
          category: "health",
          from: { kind: "personal_assistant", name: "Nurse Jo" },
          cost: { basis: "weekly", unitCostPence: 2000, unit: "hour", unitsPerWeek: 2 },
          deployment: "direct_payment",
          outcomeIds: ["well"],
        },
        {
          id: "cleaning",
          what: "Help with cleaning",
          category: "household",
          from: { kind: "self_arranged", description: "A local cleaner" },
          cost: { basis: "weekly", unitCostPence: contribution + 1500, unit: "week", unitsPerWeek: 1 },
          deployment: "council_managed",
          outcomeIds: ["well"],
        },
      ],
      risks: [],
      contingency: "Family help",
      nhsPersonalHealthBudget: true,
      overAllocationReason: "Nursing care is paid by the NHS",
    };
    await saveDraft(ctx, planId, 1, plan, editor);
    await submitPlan(ctx, planId, 1, editor);
    const approved = await approvePlan(staff.funding_panel_member!.ctx, planId, 1, { startDate: TODAY });
    // This person pays the full cost (a light-touch assessment on the indicative budget): worked out again with
    // the plan's cost (issue 12), they pay all of the council-funded part, and never the NHS part.
    expect(approved.contributionWeeklyPence).toBe(contribution + 1500);
    await withTenant(database.db, ctx.scope, async (tx) => {
      const budget = await budgetIn(tx, approved.budgetId);
      expect(budget).toMatchObject({
        weeklyPence: 4000 + contribution + 1500,
        contributionWeeklyPence: contribution + 1500,
      });
      expect(
        budget.lines.map((l) => [
          l.supportId,
          l.streamId,
          l.deployment,
          l.meansTested,
          l.weeklyPence,
          l.contributionWeeklyPence,
        ]),
      ).toEqual([
        ["nursing", "nhs_phb", "direct_payment", false, 4000, 0],
        ["cleaning", "adult_social_care", "council_managed", true, contribution + 1500, contribution + 1500],
      ]);
      // The budget rests on the assessment's new version, worked out with the agreed plan's cost.
      const fa = await sql<{
        version: number;
        cost_of_care_weekly_pence: number;
        cost_of_care_basis: string;
      }>`
        SELECT version, cost_of_care_weekly_pence, cost_of_care_basis FROM financial_assessments
        WHERE financial_assessment_id = ${budget.financialAssessmentId}`.execute(tx);
      expect(fa.rows[0]).toMatchObject({
        version: 2,
        cost_of_care_weekly_pence: 4000 + contribution + 1500,
        cost_of_care_basis: "agreed_plan",
      });
    });
  });

  it("rule (issue 12; Care Act 2014 s14(4)): a plan agreed at less than the charge is worked out again, and the person pays the lesser; with a newer draft open, finance gets a task", async () => {
    // Someone with a full financial assessment worked out on their indicative budget, which charges them.
    const free = take();
    const finance = await contextFor(email("finance_officer"));
    const fa = await createCompletedFinancialAssessment(
      finance.ctx,
      {
        personId: free.personId,
        answers: {
          about: { appliesFrom: TODAY, route: "full", reachedPensionCreditAge: false },
          circumstances: {
            couple: false,
            children: 0,
            disabilityPremium: false,
            enhancedDisabilityPremium: false,
            carerPremium: false,
          },
          incomes: [{ type: "employment_and_support_allowance", amountPence: 250_00, frequency: "week" }],
          capital: [],
          housingCosts: [],
          dre: { kind: "none", items: [] },
          costOfCare: { estimateWeeklyPence: 300_00 },
        },
      },
      agreedPlanCostIn,
    );
    expect(fa.costOfCareBasis).toBe("indicative_budget");
    const person = { person_id: free.personId, contribution: fa.weeklyContributionPence! };
    expect(person.contribution).toBeGreaterThan(10_00);
    expect(person.contribution).toBeLessThan(fa.costOfCareWeeklyPence!);
    const charge = person.contribution;
    const cheaper = charge - 1000;
    const { ctx, editor } = staff.social_worker!;
    const { planId } = await startPlan(ctx, { personId: person.person_id, editor });
    const plan: SupportPlanDraftInput = {
      outcomes: [{ id: "home", inTheirWords: "Keep my home clean", howWeWillKnow: "I say so" }],
      supports: [
        {
          id: "cleaning",
          what: "Help with cleaning",
          category: "household",
          from: { kind: "self_arranged", description: "A local cleaner" },
          cost: { basis: "weekly", unitCostPence: cheaper, unit: "week", unitsPerWeek: 1 },
          deployment: "council_managed",
          outcomeIds: ["home"],
        },
      ],
      risks: [],
      contingency: "Family help",
    };
    const saved = await saveDraft(ctx, planId, 1, plan, editor);
    expect(saved.analysis.contributionWeeklyPence).toBe(cheaper);
    expect(saved.analysis.contributionNote).toMatch(/Worked out again with the plan's cost/);
    await submitPlan(ctx, planId, 1, editor);
    const approved = await approvePlan(staff.funding_panel_member!.ctx, planId, 1, { startDate: TODAY });
    expect(approved.contributionWeeklyPence).toBe(cheaper);
    const tasks = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM tasks WHERE tenant_id = ${tenantId} AND person_id = ${person.person_id}
        AND kind = 'contribution_recheck'`.execute(database.db);
    expect(tasks.rows[0]!.n).toBe(0);

    // A second plan version, at another cost, while finance has a newer draft open: worked out, and a task.
    await sql`INSERT INTO financial_assessments (tenant_id, financial_assessment_id, person_id, version, status, answers, created_by)
      SELECT tenant_id, gen_random_uuid(), person_id, max(version) + 1, 'draft', '{}'::jsonb, 'test'
      FROM financial_assessments WHERE tenant_id = ${tenantId} AND person_id = ${person.person_id}
      GROUP BY tenant_id, person_id`.execute(database.db);
    const next = await newPlanVersion(ctx, planId, editor);
    const dearer = charge - 500;
    await saveDraft(
      ctx,
      planId,
      next.version,
      {
        ...plan,
        supports: [
          {
            ...plan.supports![0]!,
            cost: { basis: "weekly", unitCostPence: dearer, unit: "week", unitsPerWeek: 1 },
          },
        ],
      },
      editor,
    );
    await submitPlan(ctx, planId, next.version, editor);
    const again = await approvePlan(staff.funding_panel_member!.ctx, planId, next.version, {
      startDate: TODAY,
    });
    expect(again.contributionWeeklyPence).toBe(dearer);
    const raised = await sql<{ title: string; for_roles: string[] }>`
      SELECT title, for_roles FROM tasks WHERE tenant_id = ${tenantId} AND person_id = ${person.person_id}
        AND kind = 'contribution_recheck'`.execute(database.db);
    expect(raised.rows).toHaveLength(1);
    expect(raised.rows[0]!.title).toMatch(/a newer draft financial assessment is open/);
    expect(raised.rows[0]!.for_roles).toEqual(["finance_officer"]);
  });

  it("rule (issue 5): NHS personal health budget streams pay only where the plan says the NHS agreed one", async () => {
    const person = take();
    const { ctx, editor } = staff.social_worker!;
    const { planId } = await startPlan(ctx, { personId: person.personId, editor });
    const without = await saveDraft(ctx, planId, 1, planCosting(1000), editor);
    expect(without.analysis.apportionment?.lines[0]?.shares.map((s) => s.streamId)).toEqual([
      "adult_social_care",
    ]);
    const withPhb = await saveDraft(
      ctx,
      planId,
      1,
      planCosting(1000, { nhsPersonalHealthBudget: true }),
      editor,
    );
    expect(withPhb.analysis.apportionment?.lines[0]?.shares.map((s) => s.streamId)).toEqual(["nhs_phb"]);
    expect(withPhb.changes.at(-1)?.summary).toBe("Said the NHS has agreed a personal health budget");
  });

  it("rule (issue 5): a returned plan goes back with reasons the person can read, and to draft when edited", async () => {
    const { planId, person } = await submitted("social_worker", (a) => a - 100);
    const manager = staff.team_manager!.ctx;
    await expect(returnPlan(manager, planId, 1, ["  "])).rejects.toBeInstanceOf(PlanRefusedError);
    await returnPlan(manager, planId, 1, ["Say who covers weekends"]);
    const view = await getPlan(manager, planId);
    expect(view.version).toMatchObject({ status: "returned", decisionReasons: ["Say who covers weekends"] });
    const { ctx, editor } = staff.social_worker!;
    const edited = await saveDraft(ctx, planId, 1, planCosting(person.weekly - 200), editor);
    expect(edited.version.status).toBe("draft");
  });

  it("rule (issue 5): an allocation override at or under the threshold applies at once; above it waits for an approver who is not the requester", async () => {
    const person = take();
    const worker = staff.social_worker!.ctx;
    const small = await requestAllocationOverride(worker, {
      allocationId: person.allocationId,
      toWeeklyPence: person.weekly + 500,
      reason: "Extra travel time to a rural address",
    });
    expect(small).toMatchObject({ status: "applied", fromWeeklyPence: person.weekly });
    const big = await requestAllocationOverride(worker, {
      allocationId: person.allocationId,
      toWeeklyPence: person.weekly + 20_000,
      reason: "Needs two carers",
    });
    expect(big.status).toBe("pending");
    // A plan started now is costed against the applied override, not the pending one.
    const { ctx, editor } = staff.support_planner!;
    const { planId } = await startPlan(ctx, { personId: person.personId, editor });
    expect((await getPlan(ctx, planId)).version.indicativeWeeklyPence).toBe(person.weekly + 500);
    // The requester cannot approve it (and is not a team manager either).
    const refused = await decideAllocationOverride(worker, big.overrideId, { approve: true }).catch((e) => e);
    expect((refused as PlanRefusedError).refusals.map((r) => r.code)).toEqual([
      "own_request",
      "not_authorised",
    ]);
    await decideAllocationOverride(staff.team_manager!.ctx, big.overrideId, {
      approve: true,
      note: "Agreed",
    });
    const all = await overridesFor(worker, person.allocationId);
    expect(all.effectiveWeeklyPence).toBe(person.weekly + 20_000);
    expect(all.overrides.map((o) => o.status)).toEqual(["applied", "approved"]);
    // The open draft follows the approved override.
    expect((await getPlan(ctx, planId)).analysis.fit.allocationWeeklyPence).toBe(person.weekly + 20_000);
    expect(await count("audit_events", sql`record_id = ${person.allocationId}`)).toBeGreaterThanOrEqual(3);
  });

  it("rule (issue 5): a representative edits only with the edit_plan scope; one without is refused and nothing is written", async () => {
    const rep = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("representatives")
        .select(["representative_id", "person_id", "account_id", "scopes"])
        .where("tenant_id", "=", tenantId)
        .where("account_id", "is not", null)
        .executeTakeFirstOrThrow(),
    );
    const repCtx = personContext(rep.account_id!);
    const editor: PlanEditor = { kind: "representative", accountId: rep.account_id!, name: "Robin Relative" };
    const { planId } = await startPlan(repCtx, { personId: rep.person_id, editor });
    const view = await saveDraft(repCtx, planId, 1, { outcomes: planCosting(1).outcomes }, editor);
    expect(view.changes.map((c) => [c.actorKind, c.actorName])).toEqual([
      ["representative", "Robin Relative"],
      ["representative", "Robin Relative"],
    ]);
    expect((await plansForPerson(repCtx, rep.person_id)).map((p) => p.planId)).toEqual([planId]);

    await withSystem(database.db, (trx) =>
      trx
        .updateTable("representatives")
        .set({ scopes: ["view", "ask_for_review"] })
        .where("representative_id", "=", rep.representative_id)
        .execute(),
    );
    try {
      const before = await count("plan_changes", sql`plan_id = ${planId}`);
      await expect(saveDraft(repCtx, planId, 1, planCosting(1), editor)).rejects.toBeInstanceOf(
        ForbiddenError,
      );
      expect(await count("plan_changes", sql`plan_id = ${planId}`)).toBe(before);
      // Still allowed to read it.
      expect((await getPlan(repCtx, planId)).planId).toBe(planId);
    } finally {
      await withSystem(database.db, (trx) =>
        trx
          .updateTable("representatives")
          .set({ scopes: rep.scopes })
          .where("representative_id", "=", rep.representative_id)
          .execute(),
      );
    }
  });

  it("rule (tenancy): another council can neither read nor change a plan", async () => {
    const [planId] = (
      await sql<{
        plan_id: string;
      }>`SELECT plan_id FROM support_plans WHERE tenant_id = ${tenantId} LIMIT 1`.execute(database.db)
    ).rows.map((r) => r.plan_id);
    await expect(getPlan(other, planId!)).rejects.toBeInstanceOf(NotFoundError);
    await expect(approvePlan(other, planId!, 1, { startDate: TODAY })).rejects.toBeInstanceOf(NotFoundError);
  });
});
