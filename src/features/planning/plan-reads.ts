import { budgetForPlanVersionIn } from "#/features/budgets/service.ts";
import type { Apportionment } from "#/features/funding/apportion.calc.ts";
import { fundingSettingsIn } from "#/features/funding/service.ts";
import { getPersonIn } from "#/features/people/service.ts";
import { checkApproval } from "#/features/planning/approval.calc.ts";
import { type BudgetFit, costPlan, type PlanCosting } from "#/features/planning/plan.calc.ts";
import {
  checkReaderIn,
  EDITABLE_STATUSES,
  loadPlan,
  OPEN_STATUSES,
  parseContent,
  staffRolesIn,
  versionOf,
} from "#/features/planning/plan-access.ts";
import { analyseIn, planAllocationIn, strip } from "#/features/planning/plan-analysis.ts";
import type {
  ApprovalQueueItem,
  PlanChange,
  PlanSummary,
  PlanVersionSummary,
  PlanView,
} from "#/features/planning/plan-types.ts";
import { previousPackageOf } from "#/features/planning/previous-package.ts";
import * as repo from "#/features/planning/repository.ts";
import type { SupportPlan } from "#/features/planning/schemas.ts";
import { staffNamesIn } from "#/features/staff/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * Reading plans: one plan with its versions and changes, a person's plans, the approval queue, and the agreed
 * plan for other features.
 */

function toSummary(v: repo.VersionRow, names: Map<string, string>): PlanVersionSummary {
  const reasons = Array.isArray(v.decision_reasons) ? (v.decision_reasons as string[]) : [];
  return {
    version: v.version,
    status: v.status,
    indicativeWeeklyPence: v.indicative_weekly_pence,
    createdBy: v.created_by,
    createdAt: v.created_at,
    updatedAt: v.updated_at,
    submittedBy: v.submitted_by,
    submittedByName: v.submitted_by ? (names.get(v.submitted_by) ?? null) : null,
    submittedAt: v.submitted_at,
    decidedBy: v.decided_by,
    decidedByName: v.decided_by ? (names.get(v.decided_by) ?? null) : null,
    decidedAt: v.decided_at,
    decisionReasons: v.status === "approved" || v.status === "superseded" ? [] : reasons,
    requiredLevel: v.required_level,
    approverLevel: v.approver_level,
  };
}

function toChange(c: repo.ChangeRow): PlanChange {
  return {
    changeId: c.change_id,
    version: c.version,
    actorKind: c.actor_kind,
    actorId: c.actor_id,
    actorName: c.actor_name,
    summary: c.summary,
    at: c.at,
  };
}

/** Names for submitted_by / decided_by: staff names, and the change rows' names for people's accounts. */
async function namesIn(tx: TenantTx, versions: repo.VersionRow[], changes: repo.ChangeRow[]) {
  const ids = versions.flatMap((v) => [v.submitted_by, v.decided_by].filter((x): x is string => x !== null));
  const names = await staffNamesIn({ tx }, ids);
  for (const c of changes) if (!names.has(c.actor_id)) names.set(c.actor_id, c.actor_name);
  return names;
}

/** Everyone who wrote or edited a version: its creator, every change's author and its submitter. */
export function editorIdsOf(version: repo.VersionRow, changes: repo.ChangeRow[]): string[] {
  return [
    ...new Set([
      version.created_by,
      ...changes.filter((c) => c.version === version.version).map((c) => c.actor_id),
      ...(version.submitted_by ? [version.submitted_by] : []),
    ]),
  ];
}

export async function viewIn(t: TxContext, planId: string, wanted: number | null): Promise<PlanView> {
  const { tx } = t;
  const { plan, versions, latest } = await loadPlan(tx, planId);
  await checkReaderIn(t, plan.person_id);
  const row = wanted === null ? latest : versionOf(versions, wanted);
  const person = await getPersonIn(t, plan.person_id);
  const changes = await repo.changesOf(tx, planId);
  const names = await namesIn(tx, versions, changes);
  const content = parseContent(row.content);
  const editable = EDITABLE_STATUSES.includes(row.status);
  const allocation = await planAllocationIn(tx, plan);
  const budget = await budgetForPlanVersionIn(tx, planId, row.version);

  // An open version follows the allocation as it is now (overrides included); a decided one keeps its own.
  const indicative =
    OPEN_STATUSES.includes(row.status) && allocation.weeklyPence !== null
      ? allocation.weeklyPence
      : row.indicative_weekly_pence;
  const date = budget?.startDate ?? t.today;
  const analysis = strip(await analyseIn(t, plan.person_id, content, indicative, date));
  if (!editable && row.costing && row.fit) {
    // What was submitted (or approved) is shown as it was decided on.
    analysis.costing = row.costing as PlanCosting;
    analysis.fit = row.fit as BudgetFit;
    if (row.apportionment) analysis.apportionment = row.apportionment as Apportionment;
  }
  await audit(tx, {
    action: "view",
    recordType: "support_plan",
    recordId: planId,
    changes: { version: row.version, personId: plan.person_id },
  });
  return {
    planId,
    person: {
      personId: person.personId,
      givenName: person.givenName,
      familyName: person.familyName,
      name: `${person.givenName} ${person.familyName}`,
    },
    assessmentId: plan.assessment_id,
    allocationId: allocation.allocationId,
    createdBy: plan.created_by,
    createdAt: plan.created_at,
    latestVersion: latest.version,
    versions: versions.map((v) => toSummary(v, names)),
    version: toSummary(row, names),
    content,
    changes: changes.filter((c) => c.version === row.version).map(toChange),
    analysis,
    editable,
    budget: budget && {
      budgetId: budget.budgetId,
      status: budget.status,
      startDate: budget.startDate,
      endDate: budget.endDate,
      weeklyPence: budget.weeklyPence,
    },
    previousPackage: previousPackageOf(plan),
  };
}

export async function getPlan(ctx: ServiceContext, planId: string): Promise<PlanView> {
  return inTenant(ctx, (t) => viewIn(t, planId, null));
}

export async function getPlanVersion(
  ctx: ServiceContext,
  planId: string,
  version: number,
): Promise<PlanView> {
  return inTenant(ctx, (t) => viewIn(t, planId, version));
}

export async function plansForPerson(ctx: ServiceContext, personId: string): Promise<PlanSummary[]> {
  return inTenant(ctx, async (t) => {
    const person = await getPersonIn(t, personId);
    await checkReaderIn(t, person.personId);
    const plans = await repo.plansOfPerson(t.tx, person.personId);
    const versions = await repo.versionsOf(
      t.tx,
      plans.map((p) => p.plan_id),
    );
    await audit(t.tx, { action: "view", recordType: "person_plans", recordId: person.personId });
    return plans.map((p) => {
      const mine = versions.filter((v) => v.plan_id === p.plan_id);
      const latest = mine[mine.length - 1]!;
      const approved = mine.filter((v) => v.status === "approved").at(-1);
      const costing = latest.costing as PlanCosting | null;
      return {
        planId: p.plan_id,
        personId: p.person_id,
        assessmentId: p.assessment_id,
        latestVersion: latest.version,
        status: latest.status,
        approvedVersion: approved?.version ?? null,
        plannedWeeklyPence:
          costing && !EDITABLE_STATUSES.includes(latest.status)
            ? costing.weeklyPence
            : costPlan(parseContent(latest.content) as SupportPlan).weeklyPence,
        indicativeWeeklyPence: latest.indicative_weekly_pence,
        updatedAt: latest.updated_at,
      };
    });
  });
}

export async function approvalQueue(ctx: ServiceContext): Promise<ApprovalQueueItem[]> {
  return inTenant(ctx, async (t) => {
    const { tx } = t;
    const me = await staffRolesIn(tx);
    const rows = await repo.submittedVersions(tx);
    const authority = (await fundingSettingsIn(t, t.today))?.settings.delegatedAuthority ?? null;
    const names = await staffNamesIn(
      { tx },
      rows.flatMap((r) => (r.submitted_by ? [r.submitted_by] : [])),
    );
    const items: ApprovalQueueItem[] = [];
    for (const row of rows) {
      const person = await getPersonIn(t, row.person_id);
      const changes = await repo.changesOf(tx, row.plan_id);
      for (const c of changes) if (!names.has(c.actor_id)) names.set(c.actor_id, c.actor_name);
      const fit = row.fit as BudgetFit;
      const apportionment = row.apportionment as Apportionment | null;
      const decision = authority
        ? checkApproval({
            plan: {
              version: row.version,
              latestVersion: row.version,
              status: row.status,
              editorIds: editorIdsOf(row, changes),
            },
            fit,
            readiness: [],
            unfunded: apportionment?.unfunded ?? [],
            approver: me,
            authority,
          })
        : null;
      items.push({
        planId: row.plan_id,
        version: row.version,
        person: {
          personId: person.personId,
          givenName: person.givenName,
          familyName: person.familyName,
          name: `${person.givenName} ${person.familyName}`,
        },
        submittedBy: row.submitted_by!,
        submittedByName: names.get(row.submitted_by!) ?? row.submitted_by!,
        submittedAt: row.submitted_at!,
        plannedWeeklyPence: fit.plannedWeeklyPence,
        indicativeWeeklyPence: row.indicative_weekly_pence,
        position: fit.position,
        requiredLevel: decision
          ? { id: decision.required.level.id, label: decision.required.level.label }
          : null,
        mayApprove: decision?.allowed ?? false,
        whyNot: decision
          ? decision.refusals.map((r) => r.message)
          : ["The council has no funding settings in force today"],
      });
    }
    await audit(tx, { action: "view", recordType: "plan_approval_queue", recordId: tx.scope.tenantId });
    return items;
  });
}

// ---- seams for other features ------------------------------------------------------------------------------------

/** The weekly cost of the person's latest approved plan, with where it came from; null when there is none. */
export async function agreedPlanIn(
  tx: TenantTx,
  personId: string,
): Promise<{
  planId: string;
  version: number;
  weeklyPence: number;
  decidedAt: Date | null;
  apportionment: Apportionment | null;
} | null> {
  const row = await repo.latestApprovedVersionOfPerson(tx, personId);
  if (!row) return null;
  const costing = row.costing as PlanCosting | null;
  return {
    planId: row.plan_id,
    version: row.version,
    weeklyPence: costing?.weeklyPence ?? costPlan(parseContent(row.content) as SupportPlan).weeklyPence,
    decidedAt: row.decided_at,
    apportionment: row.apportionment as Apportionment | null,
  };
}
