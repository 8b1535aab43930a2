import type { Kysely } from "kysely";
import { needFactsForReportsIn } from "#/features/assessment/fairness-reads.ts";
import { budgetsForReportsIn } from "#/features/budgets/fairness-reads.ts";
import { planFactsForReportsIn } from "#/features/planning/previous-package.ts";
import { eachCldFactsPage } from "#/features/reports/cld-facts.ts";
import { cldLookupsFrom } from "#/features/reports/cld-lookups.calc.ts";
import {
  type FairnessDashboard,
  type FairnessQuarterInput,
  fairnessDashboard,
} from "#/features/reports/fairness.calc.ts";
import type { FairnessBudget, FairnessSettings, Quarter } from "#/features/reports/fairness-data.calc.ts";
import {
  type FairnessExtra,
  type FairnessQuarterRules,
  fairnessBudgetsFrom,
  longTermServiceEvents,
} from "#/features/reports/fairness-events.calc.ts";
import { quartersUpTo, snapshotOf } from "#/features/reports/fairness-quarters.calc.ts";
import { type FairnessSetting, fairnessSettingIn } from "#/features/reports/fairness-settings.ts";
import { findTenantBySlug, SYSTEM_ACTOR, type Tenant } from "#/features/tenants/service.ts";
import { inTenant } from "#/platform/context.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import type { FairnessRules } from "#/rules/fairness-types.ts";
import { rulesFor } from "#/rules/registry.ts";

/**
 * The public fairness dashboard's use case: one council's figures, from the same events as its Client Level Data
 * return (fairness-events.calc.ts): the return's facts pages (cld-facts.ts, through each owner's read functions),
 * derived by the return's derivation over each quarter as the reporting period, plus what the return does not
 * carry (need points, the package a plan replaced) from their owners (budgets, planning, assessment). One
 * read-only tenant transaction as the system (nobody is signed in; nothing is written, and no one person's record
 * leaves: only grouped, suppressed figures), then worked out by fairness.calc.ts with the council's rules for
 * today.
 *
 * The pages read it from the council's stored snapshot (snapshot-reports.ts, refreshed nightly by a job), so this
 * runs once a night, not on each request. It reads every person's CLD facts, page by page, as the return does
 * (only people with a budget line are derived, once for each quarter).
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

/** The rules the return applies to a quarter: those in force on the day its figures are taken. */
function quarterRules(
  jurisdiction: string,
  quarter: Quarter,
  today: string,
): FairnessQuarterRules | undefined {
  const end = snapshotOf(quarter, today);
  const all = rulesFor(jurisdiction, end);
  const cld = all.cld.rules;
  const ascof = all.ascof.rules;
  if (!cld || !ascof) return undefined; // no return before its rules start (or outside England): nothing to show
  return {
    period: { start: quarter.start, end },
    cld,
    lookups: cldLookupsFrom(cld),
    longTermServiceTypes: Object.values(ascof.longTermServiceTypes),
  };
}

/** Need points and the package replaced, by budget, for the budgets live on any day from `from` to `to`. */
async function extrasIn(tx: TenantTx, from: string, to: string): Promise<Map<string, FairnessExtra>> {
  const found = await budgetsForReportsIn(tx, from, to);
  const plans = new Map((await planFactsForReportsIn(tx)).map((p) => [p.planId, p]));
  const wanted = found.flatMap((b) => plans.get(b.planId)?.assessmentId ?? []);
  const need = new Map((await needFactsForReportsIn(tx, wanted)).map((n) => [n.assessmentId, n]));
  return new Map(
    found.map((b) => {
      const plan = plans.get(b.planId);
      const needPoints = plan ? (need.get(plan.assessmentId)?.needPoints ?? null) : null;
      return [b.budgetId, { needPoints, previousPackage: plan?.previousPackage ?? null }];
    }),
  );
}

/**
 * Each quarter's budgets as the council's return states them, unsuppressed (the figures are worked out from
 * these; a test sets them beside the return). Read inside the caller's tenant transaction.
 */
export async function fairnessQuartersIn(
  tx: TenantTx,
  council: { jurisdiction: string; onsCode: string | null },
  today: string,
): Promise<FairnessQuarterInput[]> {
  const quarters = quartersUpTo(today, FAIRNESS_QUARTERS).map((quarter) => ({
    quarter,
    rules: quarterRules(council.jurisdiction, quarter, today),
    budgets: [] as FairnessBudget[],
  }));
  const extras = await extrasIn(tx, quarters[0]!.quarter.start, today);
  await eachCldFactsPage(tx, (page) => {
    // Only people with a budget line can have a long-term service: the rest are not derived.
    const withLines = new Set(page.budgetLines.map((l) => l.personId));
    const people = page.people.filter((p) => withLines.has(p.personId));
    const facts = { ...page, laCode: council.onsCode, people };
    for (const q of quarters) {
      if (!q.rules) continue;
      q.budgets.push(...fairnessBudgetsFrom(longTermServiceEvents(facts, q.rules), q.rules.lookups, extras));
    }
  });
  return quarters.map(({ quarter, budgets }) => ({ quarter, budgets }));
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
  const ctx = { db, scope: { tenantId: tenant.tenantId, actor: SYSTEM_ACTOR }, today };
  const { quarters, setting } = await inTenant(ctx, async ({ tx }) => ({
    setting: await fairnessSettingIn(tx, rules, today),
    quarters: await fairnessQuartersIn(tx, tenant, today),
  }));
  const settings: FairnessSettings = {
    suppressFewerThan: setting.suppressFewerThan,
    marginPercent: setting.marginPercent,
    priceIndex: rules.priceIndex,
  };
  const dashboard = fairnessDashboard({ today, quarters, settings });
  return { tenant, rules, setting, dashboard };
}
