import { currentBudgetIn, currentBudgetsIn, type PersonalBudget } from "#/features/budgets/service.ts";
import { findPersonRows } from "#/features/people/service.ts";
import { versionDecisionsIn, versionKey } from "#/features/planning/version-reads.ts";
import { staffNamesIn } from "#/features/staff/service.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * The live budgets reviews are worked out from, each with its person, the plan version it came from (when that
 * was agreed) and the plan's lead worker: read through the budgets, people, planning and staff services, inside
 * the caller's transaction. Reviews owns none of these tables.
 */

/** A live budget with what its review dates are worked out from. */
export type LiveBudgetRow = {
  budget_id: string;
  person_id: string;
  given_name: string;
  family_name: string;
  reference: string;
  plan_id: string;
  plan_version: number;
  start_date: string;
  first_payment_date: string | null;
  /** When the approved version was signed off. */
  decided_at: Date;
  lead_worker_id: string | null;
  lead_worker_name: string | null;
  has_direct_payment: boolean;
};

/** Every live budget (or one person's), by person, with the plan version it came from and its lead worker. */
export async function liveBudgetsIn(tx: TenantTx, personId?: string): Promise<LiveBudgetRow[]> {
  const budgets: PersonalBudget[] =
    personId === undefined
      ? await currentBudgetsIn(tx)
      : [await currentBudgetIn(tx, personId)].filter((b) => b !== null);
  const people = await findPersonRows(
    { tx },
    budgets.map((b) => b.personId),
  );
  const versions = await versionDecisionsIn(
    { tx },
    budgets.map((b) => ({ planId: b.planId, version: b.planVersion })),
  );
  const leadWorkerIds = [...versions.values()].flatMap((v) => (v.leadWorkerId ? [v.leadWorkerId] : []));
  const workers = await staffNamesIn({ tx }, leadWorkerIds);
  return budgets.flatMap((b) => {
    const person = people.get(b.personId);
    const version = versions.get(versionKey({ planId: b.planId, version: b.planVersion }));
    if (!person || !version) return [];
    return [
      {
        budget_id: b.budgetId,
        person_id: b.personId,
        given_name: person.given_name,
        family_name: person.family_name,
        reference: person.reference,
        plan_id: b.planId,
        plan_version: b.planVersion,
        start_date: b.startDate,
        first_payment_date: b.firstPaymentDate,
        decided_at: version.decidedAt,
        lead_worker_id: version.leadWorkerId,
        lead_worker_name: version.leadWorkerId ? (workers.get(version.leadWorkerId) ?? null) : null,
        has_direct_payment: b.lines.some((l) => l.deployment === "direct_payment"),
      },
    ];
  });
}
