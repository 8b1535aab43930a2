import { latestAllocationFactsIn } from "#/features/assessment/allocation-facts.ts";
import { getPersonIn } from "#/features/people/service.ts";
import {
  checkEditorIn,
  editorIdOf,
  loadPlan,
  OPEN_STATUSES,
  parseContent,
  staffEditorIn,
  versionOf,
} from "#/features/planning/plan-access.ts";
import { effectiveAllocationIn, planAllocationIn } from "#/features/planning/plan-analysis.ts";
import {
  describeDraftChange,
  recordChangeIn,
  refuseUnlessEditable,
  summaryText,
} from "#/features/planning/plan-changes.ts";
import { viewIn } from "#/features/planning/plan-reads.ts";
import { type PlanEditor, PlanRefusedError, type PlanView } from "#/features/planning/plan-types.ts";
import * as repo from "#/features/planning/repository.ts";
import { EMPTY_PLAN_DRAFT, supportPlanDraftSchema } from "#/features/planning/schemas.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { DEPLOYMENT_LABELS, type Deployment } from "#/vocabulary/deployments.ts";

/**
 * Writing a plan: start one from the person's indicative allocation, save the draft (every edit attributed),
 * and start a new version of an agreed plan.
 */

export async function startPlan(
  ctx: ServiceContext,
  input: { personId: string; editor: PlanEditor },
): Promise<{ planId: string; version: 1 }> {
  return inTenant(ctx, (t) => startPlanIn(t, input));
}

export async function startPlanIn(
  t: TxContext,
  input: { personId: string; editor: PlanEditor },
): Promise<{ planId: string; version: 1 }> {
  const { tx } = t;
  const person = await getPersonIn(t, input.personId);
  await checkEditorIn(t, person.personId, input.editor);
  const facts = await latestAllocationFactsIn(t, person.personId);
  if (!facts || facts.allocationId === null || facts.weeklyPence === null) {
    throw new PlanRefusedError([
      {
        code: "no_allocation",
        message: `${person.givenName} ${person.familyName} has no submitted assessment with an indicative budget. Complete and submit their assessment first: a plan starts from the indicative budget.`,
      },
    ]);
  }
  const plans = await repo.plansOfPerson(tx, person.personId);
  const versions = await repo.versionsOf(
    tx,
    plans.map((p) => p.plan_id),
  );
  if (versions.some((v) => OPEN_STATUSES.includes(v.status))) {
    throw new PlanRefusedError([
      {
        code: "open_plan",
        message: `${person.givenName} ${person.familyName} already has a plan being written or waiting for approval: carry on with that one.`,
      },
    ]);
  }
  const { effectiveWeeklyPence } = await effectiveAllocationIn(tx, facts.allocationId, facts.weeklyPence);
  const planId = uuidv7();
  const by = editorIdOf(input.editor);
  await repo.insertPlan(tx, {
    plan_id: planId,
    person_id: person.personId,
    assessment_id: facts.assessmentId,
    lead_worker_id: input.editor.kind === "staff" ? input.editor.userId : null,
    created_by: by,
  });
  await repo.insertVersion(tx, {
    plan_id: planId,
    version: 1,
    content: EMPTY_PLAN_DRAFT,
    indicative_weekly_pence: effectiveWeeklyPence,
    created_by: editorIdOf(input.editor),
  });
  await recordChangeIn(tx, planId, 1, input.editor, "Started the plan");
  await audit(tx, {
    action: "create",
    recordType: "support_plan",
    recordId: planId,
    changes: {
      personId: person.personId,
      assessmentId: facts.assessmentId,
      indicativeWeeklyPence: effectiveWeeklyPence,
      editor: { kind: input.editor.kind, id: editorIdOf(input.editor) },
    },
  });
  return { planId, version: 1 };
}

export async function saveDraft(
  ctx: ServiceContext,
  planId: string,
  version: number,
  content: unknown,
  editor: PlanEditor,
  summary?: string,
): Promise<PlanView> {
  return inTenant(ctx, async (t) => {
    await saveDraftIn(t, planId, version, content, editor, summary);
    return viewIn(t, planId, version);
  });
}

export async function saveDraftIn(
  t: TxContext,
  planId: string,
  version: number,
  content: unknown,
  editor: PlanEditor,
  summary?: string,
): Promise<{ changed: boolean }> {
  const { tx } = t;
  const { plan, versions, latest } = await loadPlan(tx, planId, true);
  await checkEditorIn(t, plan.person_id, editor);
  const row = versionOf(versions, version);
  refuseUnlessEditable(row, latest);
  const parsed = supportPlanDraftSchema.safeParse(content);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error));
  const before = parseContent(row.content);
  const lines = describeDraftChange(before, parsed.data);
  if (lines.length === 0) return { changed: false };
  const allocation = await planAllocationIn(tx, plan);
  await repo.updateVersion(tx, planId, version, {
    content: parsed.data,
    status: "draft",
    ...(allocation.weeklyPence !== null ? { indicative_weekly_pence: allocation.weeklyPence } : {}),
  });
  await recordChangeIn(tx, planId, version, editor, summaryText(summary?.trim() ? [summary.trim()] : lines));
  await audit(tx, {
    action: "update",
    recordType: "support_plan",
    recordId: planId,
    changes: {
      version,
      changed: lines,
      ...(row.status === "returned" ? { status: { from: "returned", to: "draft" } } : {}),
      editor: { kind: editor.kind, id: editorIdOf(editor) },
    },
  });
  return { changed: true };
}

export async function newPlanVersion(
  ctx: ServiceContext,
  planId: string,
  editor: PlanEditor,
): Promise<{ planId: string; version: number }> {
  return inTenant(ctx, async (t) => {
    const { tx } = t;
    const { plan, versions, latest } = await loadPlan(tx, planId, true);
    await checkEditorIn(t, plan.person_id, editor);
    const open = versions.find((v) => OPEN_STATUSES.includes(v.status));
    if (open) {
      throw new PlanRefusedError([
        {
          code: "open_version",
          message: `Version ${open.version} of this plan is still ${open.status === "submitted" ? "waiting for approval" : "being written"}: change that version instead.`,
        },
      ]);
    }
    const approved = versions.filter((v) => v.status === "approved").at(-1);
    if (!approved) {
      throw new PlanRefusedError([
        { code: "no_approved_version", message: "This plan has no approved version to start from." },
      ]);
    }
    const allocation = await planAllocationIn(tx, plan);
    const next = latest.version + 1;
    await repo.insertVersion(tx, {
      plan_id: planId,
      version: next,
      content: parseContent(approved.content),
      indicative_weekly_pence: allocation.weeklyPence ?? approved.indicative_weekly_pence,
      created_by: editorIdOf(editor),
    });
    await recordChangeIn(
      tx,
      planId,
      next,
      editor,
      `Started version ${next} from approved version ${approved.version}`,
    );
    await audit(tx, {
      action: "create",
      recordType: "plan_version",
      recordId: planId,
      changes: { version: next, from: approved.version },
    });
    return { planId, version: next };
  });
}

/**
 * A new draft version of a plan, proposed by another feature's decision (a direct-payment audit's move to a
 * managed account), inside the caller's transaction: the latest approved version copied with every support
 * deployed as `from` changed to `to`, its change log saying who proposed it and why. It is an ordinary draft: the
 * planners check it, submit it, and the council approves it as usual (the live budget changes only then). Refused,
 * with what to do, when a version is already open or nothing in the plan is deployed as `from`.
 */
export async function proposeDeploymentChangeIn(
  t: TxContext,
  input: { planId: string; from: Deployment; to: Deployment; proposedBy: string },
): Promise<{ planId: string; version: number; changedSupports: number }> {
  const { tx } = t;
  const { plan, versions, latest } = await loadPlan(tx, input.planId, true);
  const editor = await staffEditorIn(tx);
  const open = versions.find((v) => OPEN_STATUSES.includes(v.status));
  if (open)
    throw new PlanRefusedError([
      {
        code: "open_version",
        message: `Version ${open.version} of the person's plan is ${open.status === "submitted" ? "waiting for approval" : "being written"}: finish or return it first, then decide again.`,
      },
    ]);
  const approved = versions.filter((v) => v.status === "approved").at(-1);
  if (!approved)
    throw new PlanRefusedError([
      { code: "no_approved_version", message: "The person's plan has no approved version to start from." },
    ]);
  const content = parseContent(approved.content);
  const changed = content.supports.filter((s) => s.deployment === input.from).length;
  if (changed === 0)
    throw new PlanRefusedError([
      {
        code: "nothing_to_change",
        message: `No support in the person's agreed plan is paid as a ${DEPLOYMENT_LABELS[input.from].toLowerCase()}.`,
      },
    ]);
  const next = latest.version + 1;
  const allocation = await planAllocationIn(tx, plan);
  await repo.insertVersion(tx, {
    plan_id: input.planId,
    version: next,
    content: {
      ...content,
      supports: content.supports.map((s) =>
        s.deployment === input.from ? { ...s, deployment: input.to } : s,
      ),
    },
    indicative_weekly_pence: allocation.weeklyPence ?? approved.indicative_weekly_pence,
    created_by: editorIdOf(editor),
  });
  await recordChangeIn(
    tx,
    input.planId,
    next,
    editor,
    `Proposed by ${input.proposedBy}: started version ${next} from approved version ${approved.version} with ${changed} ${changed === 1 ? "support" : "supports"} moved from ${DEPLOYMENT_LABELS[input.from].toLowerCase()} to ${DEPLOYMENT_LABELS[input.to].toLowerCase()}. Check it with the person and submit it for approval as usual.`,
  );
  await audit(tx, {
    action: "create",
    recordType: "plan_version",
    recordId: input.planId,
    changes: {
      version: next,
      from: approved.version,
      deployment: { from: input.from, to: input.to, changed },
      proposedBy: input.proposedBy,
    },
  });
  return { planId: input.planId, version: next, changedSupports: changed };
}
