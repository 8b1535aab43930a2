import { costPlan } from "#/features/planning/plan.calc.ts";
import { type SupportSource, supportPlanSchema } from "#/features/planning/schemas.ts";
import { todayInLondon } from "#/platform/context.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import type { Deployment } from "#/vocabulary/deployments.ts";

/**
 * Agreed plan versions as the commissioner's reports read them (features/reports): who agreed each and when,
 * and each support line with its category, who provides it (a directory provider and service, or not), its
 * cost and the outcomes it serves. No words from the plan leave the feature.
 */
export type AgreedSupport = {
  supportId: string;
  category: string;
  source: SupportSource["kind"];
  /** The directory provider and service the line names, if any. */
  providerId: string | null;
  serviceId: string | null;
  /** False for a personal assistant not yet found (no name, no directory entry). */
  named: boolean;
  deployment: Deployment | null;
  weeklyPence: number;
  oneOffPence: number;
  outcomeIds: string[];
};

export type AgreedPlanVersion = {
  planId: string;
  version: number;
  personId: string;
  assessmentId: string;
  leadWorkerId: string | null;
  decidedBy: string | null;
  /** The indicative weekly allocation the version was costed against (after any agreed override). */
  indicativeWeeklyPence: number;
  /** The London date it was approved. */
  agreedOn: string;
  outcomeIds: string[];
  supports: AgreedSupport[];
};

const providerOf = (from: SupportSource) =>
  from.kind === "provider"
    ? { providerId: from.providerId, serviceId: from.serviceId ?? null, named: true }
    : from.kind === "personal_assistant"
      ? { providerId: from.providerId ?? null, serviceId: null, named: Boolean(from.name || from.providerId) }
      : { providerId: null, serviceId: null, named: true };

/** Every approved version (superseded ones too: they were agreed), oldest first. */
export async function agreedPlanVersionsIn(tx: TenantTx): Promise<AgreedPlanVersion[]> {
  const rows = await tx
    .selectFrom("plan_versions as v")
    .innerJoin("support_plans as p", (j) =>
      j.onRef("p.tenant_id", "=", "v.tenant_id").onRef("p.plan_id", "=", "v.plan_id"),
    )
    .select([
      "v.plan_id",
      "v.version",
      "v.content",
      "v.decided_by",
      "v.decided_at",
      "v.indicative_weekly_pence",
      "p.person_id",
      "p.assessment_id",
      "p.lead_worker_id",
    ])
    .where("v.tenant_id", "=", tx.scope.tenantId)
    .where("v.status", "in", ["approved", "superseded"])
    .where("v.decided_at", "is not", null)
    .orderBy("v.decided_at")
    .orderBy("v.plan_id")
    .execute();
  return rows.flatMap((r) => {
    const parsed = supportPlanSchema.safeParse(
      typeof r.content === "string" ? JSON.parse(r.content) : r.content,
    );
    if (!parsed.success) return [];
    const plan = parsed.data;
    const costs = new Map(costPlan(plan).lines.map((l) => [l.supportId, l]));
    return [
      {
        planId: r.plan_id,
        version: r.version,
        personId: r.person_id,
        assessmentId: r.assessment_id,
        leadWorkerId: r.lead_worker_id,
        decidedBy: r.decided_by,
        indicativeWeeklyPence: Number(r.indicative_weekly_pence),
        agreedOn: todayInLondon(new Date(r.decided_at!)),
        outcomeIds: plan.outcomes.map((o) => o.id),
        supports: plan.supports.map((s) => ({
          supportId: s.id,
          category: s.category,
          source: s.from.kind,
          ...providerOf(s.from),
          deployment: s.deployment ?? null,
          weeklyPence: costs.get(s.id)?.weeklyPence ?? 0,
          oneOffPence: costs.get(s.id)?.oneOffPence ?? 0,
          outcomeIds: s.outcomeIds,
        })),
      },
    ];
  });
}
