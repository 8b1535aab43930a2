import { createBudgetIn, liveBudgetOnIn } from "#/features/budgets/service.ts";
import { recordPlanContributionIn } from "#/features/charging/plan-contribution.ts";
import { FundingSettingsMissingError, fundingSettingsIn } from "#/features/funding/service.ts";
import { checkApproval, checkReturn } from "#/features/planning/approval.calc.ts";
import { budgetFromPlan } from "#/features/planning/budget.calc.ts";
import {
  checkEditorIn,
  editorIdOf,
  loadPlan,
  parseContent,
  staffRolesIn,
  versionOf,
} from "#/features/planning/plan-access.ts";
import { analyseIn, planAllocationIn } from "#/features/planning/plan-analysis.ts";
import { recordChangeIn, refuseUnlessEditable } from "#/features/planning/plan-changes.ts";
import { editorIdsOf } from "#/features/planning/plan-reads.ts";
import {
  type ApproveResult,
  type PlanEditor,
  PlanRefusedError,
  type SubmitResult,
} from "#/features/planning/plan-types.ts";
import * as repo from "#/features/planning/repository.ts";
import { supportPlanSchema } from "#/features/planning/schemas.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { ConflictError, type FieldError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { isCalendarDate } from "#/rules/index.ts";

/**
 * A plan through approval: submit it whole, approve it (proportionate, maker-checker; approval makes or replaces
 * the live personal budget in the same transaction) or return it with reasons.
 */

export async function submitPlan(
  ctx: ServiceContext,
  planId: string,
  version: number,
  editor: PlanEditor,
): Promise<SubmitResult> {
  return inTenant(ctx, (t) => submitPlanIn(t, planId, version, editor));
}

export async function submitPlanIn(
  t: TxContext,
  planId: string,
  version: number,
  editor: PlanEditor,
): Promise<SubmitResult> {
  const { tx } = t;
  const { plan, versions, latest } = await loadPlan(tx, planId, true);
  await checkEditorIn(t, plan.person_id, editor);
  const row = versionOf(versions, version);
  refuseUnlessEditable(row, latest);
  const stored = parseContent(row.content);
  const whole = supportPlanSchema.safeParse(stored);
  if (!whole.success) {
    throw new ValidationError(
      fieldErrorsFrom(whole.error),
      "The plan is not complete: put these right before sending it for approval",
    );
  }
  const allocation = await planAllocationIn(tx, plan);
  const indicative = allocation.weeklyPence ?? row.indicative_weekly_pence;
  const analysis = await analyseIn(t, plan.person_id, stored, indicative, t.today);
  const errors: FieldError[] = analysis.readiness
    .filter((p) => p.severity === "error")
    .map((p) => ({ path: p.path, message: p.message }));
  if (errors.length > 0) {
    throw new ValidationError(
      errors,
      "The plan is not ready: put these right before sending it for approval",
    );
  }
  if (!analysis.required || !analysis.apportionment) {
    throw new ConflictError(analysis.fundingProblem ?? new FundingSettingsMissingError(t.today).message);
  }
  // The editor's own id (a staff user, not an API token), so maker-checker sees who wrote it.
  const by = editorIdOf(editor);
  await repo.updateVersion(tx, planId, version, {
    status: "submitted",
    indicative_weekly_pence: indicative,
    costing: analysis.costing,
    fit: analysis.fit,
    apportionment: analysis.apportionment,
    required_level: analysis.required.level.id,
    submitted_by: by,
    submitted_at: new Date(),
  });
  await recordChangeIn(tx, planId, version, editor, "Sent the plan for approval");
  const warnings = [
    ...analysis.readiness.filter((p) => p.severity === "warning").map((p) => p.message),
    ...analysis.apportionment.unfunded.map((u) => u.message),
  ];
  await audit(tx, {
    action: "submit",
    recordType: "support_plan",
    recordId: planId,
    changes: {
      version,
      plannedWeeklyPence: analysis.costing.weeklyPence,
      indicativeWeeklyPence: indicative,
      requiredLevel: analysis.required.level.id,
      unfunded: analysis.apportionment.unfunded.length,
    },
  });
  return {
    planId,
    version,
    status: "submitted",
    requiredLevel: { id: analysis.required.level.id, label: analysis.required.level.label },
    warnings,
  };
}

export async function approvePlan(
  ctx: ServiceContext,
  planId: string,
  version: number,
  input: { startDate: string },
): Promise<ApproveResult> {
  return inTenant(ctx, (t) => approvePlanIn(t, planId, version, input));
}

export async function approvePlanIn(
  t: TxContext,
  planId: string,
  version: number,
  input: { startDate: string },
): Promise<ApproveResult> {
  const { tx } = t;
  const approver = await staffRolesIn(tx);
  const { plan, versions, latest } = await loadPlan(tx, planId, true);
  const row = versionOf(versions, version);
  const startDate = typeof input?.startDate === "string" ? input.startDate.trim() : "";
  if (!isCalendarDate(startDate)) {
    throw new ValidationError([
      { path: "startDate", message: "Give the date the budget starts, a real date written YYYY-MM-DD" },
    ]);
  }
  const content = parseContent(row.content);
  const analysis = await analyseIn(t, plan.person_id, content, row.indicative_weekly_pence, startDate);
  if (!analysis.authority || !analysis.apportionment) {
    throw new ConflictError(analysis.fundingProblem ?? new FundingSettingsMissingError(startDate).message);
  }
  const changes = await repo.changesOf(tx, planId);
  const decision = checkApproval({
    plan: {
      version: row.version,
      latestVersion: latest.version,
      status: row.status,
      editorIds: editorIdsOf(row, changes),
    },
    fit: analysis.fit,
    readiness: analysis.readiness,
    unfunded: analysis.apportionment.unfunded,
    approver,
    authority: analysis.authority,
  });
  const whole = supportPlanSchema.safeParse(content);
  const refusals: { code: string; message: string }[] = [...decision.refusals];
  if (!whole.success && row.status === "submitted") {
    refusals.push({
      code: "not_ready",
      message: `The plan is not complete: ${fieldErrorsFrom(whole.error)
        .map((e) => e.message)
        .join("; ")}.`,
    });
  }
  const live = await liveBudgetOnIn(tx, plan.person_id, startDate);
  if (live && live.startDate > startDate) {
    refusals.push({
      code: "start_date",
      message: `The person's current budget starts on ${dateInWords(live.startDate)}: the new budget must start on or after that date.`,
    });
  }
  if (refusals.length > 0) throw new PlanRefusedError(refusals);

  const sources = content.supports.map((s) => ({
    supportId: s.id,
    what: s.what,
    providerId:
      (s.from.kind === "provider" || s.from.kind === "personal_assistant") && s.from.providerId
        ? s.from.providerId
        : null,
    payeeName:
      s.from.kind === "provider" || (s.from.kind === "personal_assistant" && s.from.name)
        ? (s.from.name ?? null)
        : null,
  }));
  const budget = budgetFromPlan(analysis.costing, analysis.apportionment, sources);
  // A contribution worked out again with the plan's cost is recorded as the assessment's next version.
  const financialAssessmentId = await recordPlanContributionIn(t, plan.person_id, analysis.contribution, {
    planId,
    version,
  });
  const created = await createBudgetIn(tx, {
    personId: plan.person_id,
    planId,
    planVersion: version,
    startDate,
    budget,
    financialAssessmentId,
    approvedBy: approver.userId,
  });
  for (const earlier of versions.filter((v) => v.status === "approved")) {
    await repo.updateVersion(tx, planId, earlier.version, { status: "superseded" });
  }
  await repo.updateVersion(tx, planId, version, {
    status: "approved",
    costing: analysis.costing,
    fit: analysis.fit,
    apportionment: analysis.apportionment,
    decided_by: approver.userId,
    decided_at: new Date(),
    decision_reasons: [],
    approver_level:
      decision.approverLevelIndex === null
        ? null
        : (analysis.authority.levels[decision.approverLevelIndex]?.id ?? null),
  });
  await audit(tx, {
    action: "approve",
    recordType: "support_plan",
    recordId: planId,
    changes: {
      version,
      startDate,
      budgetId: created.budgetId,
      replacedBudgetId: created.replacedBudgetId,
      requiredLevel: decision.required.level.id,
      weeklyPence: budget.weeklyPence,
      contributionWeeklyPence: budget.contributionWeeklyPence,
    },
  });
  return {
    planId,
    version,
    budgetId: created.budgetId,
    replacedBudgetId: created.replacedBudgetId,
    contributionWeeklyPence: budget.contributionWeeklyPence,
    contributionNote: analysis.contributionNote,
  };
}

export async function returnPlan(
  ctx: ServiceContext,
  planId: string,
  version: number,
  reasons: string[],
): Promise<void> {
  return inTenant(ctx, (t) => returnPlanIn(t, planId, version, reasons));
}

export async function returnPlanIn(
  t: TxContext,
  planId: string,
  version: number,
  reasons: string[],
): Promise<void> {
  const { tx } = t;
  const returner = await staffRolesIn(tx);
  const { versions, latest } = await loadPlan(tx, planId, true);
  const row = versionOf(versions, version);
  const cleaned = (Array.isArray(reasons) ? reasons : [])
    .filter((r): r is string => typeof r === "string")
    .map((r) => r.trim())
    .filter((r) => r !== "");
  const tooLong = cleaned.findIndex((r) => r.length > 2000);
  if (tooLong >= 0) {
    throw new ValidationError([
      { path: `reasons[${tooLong}]`, message: "Keep each reason to 2000 characters" },
    ]);
  }
  const authority = (await fundingSettingsIn(t, t.today))?.settings.delegatedAuthority;
  if (!authority) throw new FundingSettingsMissingError(t.today);
  const decision = checkReturn({
    plan: { version: row.version, latestVersion: latest.version, status: row.status, editorIds: [] },
    reasons: cleaned,
    returner,
    authority,
  });
  if (!decision.allowed) throw new PlanRefusedError(decision.refusals);
  await repo.updateVersion(tx, planId, version, {
    status: "returned",
    decided_by: returner.userId,
    decided_at: new Date(),
    decision_reasons: cleaned,
  });
  await audit(tx, {
    action: "return",
    recordType: "support_plan",
    recordId: planId,
    changes: { version, reasons: cleaned },
  });
}
