import { readFileSync } from "node:fs";
import type { SupportPlanDraftInput } from "#/features/planning/schemas.ts";
import {
  approvePlanIn,
  type PlanEditor,
  saveDraftIn,
  startPlanIn,
  submitPlanIn,
} from "#/features/planning/service.ts";
import type { TxContext } from "#/platform/context.ts";
import type { Actor, TenantTx } from "#/platform/db/tenant.ts";
import { castStaff, type DemoCast } from "./cast.ts";

/**
 * Demo Council's support plans, made through the real planning use cases so every row, change and audit event
 * is what the app itself would write:
 *   - person2 (the second person with an indicative budget, who signs in as person2@demo…) has an approved plan
 *     (Priya's example plan: a direct payment, a council-managed account and a council-arranged service; adult
 *     social care and supported employment pay for it) and so a live personal budget from four weeks ago;
 *   - person1 (person1@demo…) has a draft they started and wrote themselves, which the support planner added to;
 *   - the fifth person has a plan waiting for a team manager (a little over the indicative budget, with a reason).
 * Deterministic for a given `today`; skipped where the demo has too few people (tests seed only a handful).
 */

const readExample = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../examples/${name}`, import.meta.url), "utf8"));

/**
 * Runs `fn` as another actor in the seed's transaction: the plan use cases check who is editing or approving
 * against the transaction's actor, exactly as they do for a signed-in user, and audit it under that name.
 */
export async function actingAs<T>(t: TxContext, actor: Actor, fn: (t: TxContext) => Promise<T>): Promise<T> {
  const tx = t.tx as TenantTx & { scope: TenantTx["scope"] };
  const saved = tx.scope;
  (tx as { scope: TenantTx["scope"] }).scope = { ...saved, actor };
  try {
    return await fn(t);
  } finally {
    (tx as { scope: TenantTx["scope"] }).scope = saved;
  }
}

/** A member of staff the seed made, as the actor and the plan editor the plan use cases take. */
export function staff(cast: DemoCast, email: string): { actor: Actor; editor: PlanEditor } {
  const member = castStaff(cast, email);
  if (!member) throw new Error(`The demo seed made no member of staff ${email}`);
  return {
    actor: { type: "staff", id: member.userId },
    editor: { kind: "staff", userId: member.userId, name: member.name },
  };
}

function priyasPlan(): SupportPlanDraftInput {
  const plan = structuredClone(readExample("support-plan.json")) as SupportPlanDraftInput;
  // The morning visits are paid from a council-managed account, so the budget mixes deployments.
  const morning = plan.supports?.find((s) => s.id === "morning");
  if (morning) morning.deployment = "council_managed";
  return plan;
}

/** A plan costing a little over the allocation (at most £50 or 2% a week over): a team manager's decision. */
function aLittleOver(allocationWeeklyPence: number): SupportPlanDraftInput {
  const over = Math.max(1, Math.min(5_000, Math.round(allocationWeeklyPence * 0.02)));
  return {
    outcomes: [
      {
        id: "home",
        inTheirWords: "I want to stay living in my own flat",
        howWeWillKnow: "I am still at home, and safe, at my review",
      },
    ],
    supports: [
      {
        id: "care",
        what: "Help at home each morning and evening",
        category: "personal_care",
        from: { kind: "personal_assistant", name: "Sam" },
        cost: { basis: "weekly", unitCostPence: allocationWeeklyPence + over, unit: "week", unitsPerWeek: 1 },
        deployment: "direct_payment",
        outcomeIds: ["home"],
      },
    ],
    risks: [],
    contingency: "My sister covers a missed visit; the council's emergency line if she cannot.",
    overAllocationReason:
      "Evening visits need two people on Fridays, which the indicative budget does not cover.",
  };
}

export async function seedDemoPlans(t: TxContext, cast: DemoCast): Promise<{ plans: number }> {
  const people = cast.withAllocations.slice(0, 5);
  if (people.length < 2) return { plans: 0 };
  const planner = staff(cast, "support.planner@demo.upfront.test");
  const worker = staff(cast, "social.worker@demo.upfront.test");
  const panel = staff(cast, "funding.panel@demo.upfront.test");
  let plans = 0;

  // person2: an approved plan and a live budget, started four weeks ago.
  const approved = people[1]!;
  const startDate = shiftDays(t.today, -28);
  await actingAs(t, planner.actor, async (t) => {
    const { planId } = await startPlanIn(t, { personId: approved.personId, editor: planner.editor });
    await saveDraftIn(t, planId, 1, priyasPlan(), planner.editor, "Wrote the plan with the person");
    await submitPlanIn(t, planId, 1, planner.editor);
    await actingAs(t, panel.actor, (t) => approvePlanIn(t, planId, 1, { startDate }));
  });
  plans++;

  // person1: a draft the person started and is writing themselves; the planner added a support.
  const own = people[0]!;
  const account = cast.accounts.get(own.personId);
  if (account) {
    const me: PlanEditor = { kind: "person", accountId: account.accountId, name: account.name };
    const outcomes = [
      {
        id: "cook",
        inTheirWords: "I want to cook my own meals again",
        howWeWillKnow: "I cook dinner most days of the week",
      },
      {
        id: "walk",
        inTheirWords: "Get out for a walk by the river",
        howWeWillKnow: "I go out at least twice a week",
      },
    ];
    const planId = await actingAs(t, { type: "person", id: account.accountId }, async (t) => {
      const { planId } = await startPlanIn(t, { personId: own.personId, editor: me });
      await saveDraftIn(t, planId, 1, { outcomes, supports: [], risks: [] }, me);
      return planId;
    });
    await actingAs(t, planner.actor, (t) =>
      saveDraftIn(
        t,
        planId,
        1,
        {
          outcomes,
          supports: [
            {
              id: "cooking-pa",
              what: "A personal assistant to cook with me",
              category: "household",
              from: { kind: "personal_assistant" },
              cost: { basis: "weekly", unitCostPence: 1575, unit: "hour", unitsPerWeek: 4 },
              deployment: "direct_payment",
              outcomeIds: ["cook"],
            },
          ],
          risks: [],
        },
        planner.editor,
      ),
    );
    plans++;
  }

  // The fifth person: waiting for a team manager.
  const waiting = people[4];
  if (waiting) {
    await actingAs(t, worker.actor, async (t) => {
      const { planId } = await startPlanIn(t, { personId: waiting.personId, editor: worker.editor });
      await saveDraftIn(t, planId, 1, aLittleOver(waiting.weeklyPence), worker.editor);
      await submitPlanIn(t, planId, 1, worker.editor);
    });
    plans++;
  }
  return { plans };
}

function shiftDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
