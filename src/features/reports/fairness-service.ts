import type { Kysely } from "kysely";
import { needFactsForReportsIn } from "#/features/assessment/fairness-reads.ts";
import { budgetsForReportsIn } from "#/features/budgets/fairness-reads.ts";
import { personFactsForReportsIn } from "#/features/people/fairness-reads.ts";
import { planFactsForReportsIn } from "#/features/planning/previous-package.ts";
import { type FairnessDashboard, fairnessDashboard } from "#/features/reports/fairness.calc.ts";
import type {
  FairnessBudget,
  FairnessLabels,
  FairnessSettings,
} from "#/features/reports/fairness-data.calc.ts";
import { quartersUpTo } from "#/features/reports/fairness-quarters.calc.ts";
import { type FairnessSetting, fairnessSettingIn } from "#/features/reports/fairness-settings.ts";
import { findTenantBySlug, SYSTEM_ACTOR, type Tenant } from "#/features/tenants/service.ts";
import { inTenant } from "#/platform/context.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { FairnessRules } from "#/rules/fairness-types.ts";
import { personFieldLabel, rulesFor } from "#/rules/registry.ts";
import { DEPLOYMENT_LABELS, type Deployment } from "#/vocabulary/deployments.ts";

/**
 * The public fairness dashboard's use case: one council's figures, read through the owners' read functions
 * (budgets, planning, assessment, people) in one read-only tenant transaction as the system (nobody is signed
 * in; nothing is written, and no one person's record leaves: only grouped, suppressed figures), then worked out
 * by fairness.calc.ts with the council's rules for today.
 *
 * Worked out on each request: fine for a council of thousands. For the 1,000,000-person benchmark a
 * materialised aggregate refreshed by a job would be the next step (issue 15, "Scale"); not done yet.
 */

/** How many quarters the dashboard shows, up to today's. */
export const FAIRNESS_QUARTERS = 4;

/** A council's short name, as tenants are created (tenants/service.ts newTenantSchema). */
const SLUG = /^[a-z0-9-]{2,40}$/;

export type CouncilFairness = {
  tenant: Tenant;
  rules: FairnessRules;
  /** The suppression threshold and margin used: the council's own, or the rules' defaults. */
  setting: FairnessSetting;
  dashboard: FairnessDashboard;
};

function labelsFor(jurisdiction: string, today: string): FairnessLabels {
  const reasons = rulesFor(jurisdiction, today).questionnaire.rules.primarySupportReasons;
  return {
    primarySupportReason: (code) => reasons.find((r) => r.id === code)?.label ?? code,
    ethnicity: (code) => personFieldLabel("ethnicity", code),
    sex: (code) => personFieldLabel("sex", code),
    deployment: (code) => DEPLOYMENT_LABELS[code as Deployment] ?? code,
  };
}

/** The council's dashboard for today, or undefined when there is no council at that short name. */
export async function fairnessForCouncil(
  db: Kysely<DB>,
  slug: string,
  today: string,
): Promise<CouncilFairness | undefined> {
  if (!SLUG.test(slug)) return undefined;
  const tenant = await findTenantBySlug(db, slug);
  if (!tenant) return undefined;
  const rules = rulesFor(tenant.jurisdiction, today).fairness.rules;
  const from = quartersUpTo(today, FAIRNESS_QUARTERS)[0]!.start;
  const ctx = { db, scope: { tenantId: tenant.tenantId, actor: SYSTEM_ACTOR }, today };
  const { people, budgets, setting } = await inTenant(ctx, async ({ tx }) => {
    const setting = await fairnessSettingIn(tx, rules, today);
    const found = await budgetsForReportsIn(tx, from, today);
    const plans = new Map((await planFactsForReportsIn(tx)).map((p) => [p.planId, p]));
    const wanted = found.flatMap((b) => plans.get(b.planId)?.assessmentId ?? []);
    const need = new Map((await needFactsForReportsIn(tx, wanted)).map((n) => [n.assessmentId, n]));
    const people = await personFactsForReportsIn(
      tx,
      found.map((b) => b.personId),
    );
    const budgets: FairnessBudget[] = found.map((b) => {
      const plan = plans.get(b.planId);
      const facts = plan ? need.get(plan.assessmentId) : undefined;
      return {
        ...b,
        needPoints: facts?.needPoints ?? null,
        primarySupportReason: facts?.primarySupportReason ?? null,
        previousPackage: plan?.previousPackage ?? null,
      };
    });
    return { people, budgets, setting };
  });
  const settings: FairnessSettings = {
    suppressFewerThan: setting.suppressFewerThan,
    marginPercent: setting.marginPercent,
    priceIndex: rules.priceIndex,
  };
  const dashboard = fairnessDashboard({
    today,
    quarters: FAIRNESS_QUARTERS,
    people,
    budgets,
    settings,
    labels: labelsFor(tenant.jurisdiction, today),
  });
  return { tenant, rules, setting, dashboard };
}
