import { allocationOfPersonIn } from "#/features/assessment/allocation-facts.ts";
import { allocationOverridePolicyIn, fundingSettingsIn } from "#/features/funding/service.ts";
import {
  checkOverrideApproval,
  decideAllocationOverride as decideOverrideCalc,
  type OverrideDecision,
} from "#/features/planning/approval.calc.ts";
import { checkReaderIn, staffRolesIn, UUID } from "#/features/planning/plan-access.ts";
import { effectiveAllocationIn } from "#/features/planning/plan-analysis.ts";
import {
  type AllocationOverrides,
  type AllocationOverrideView,
  PlanRefusedError,
} from "#/features/planning/plan-types.ts";
import * as repo from "#/features/planning/repository.ts";
import { allocationOverrideRequestSchema } from "#/features/planning/schemas.ts";
import { staffNamesIn } from "#/features/staff/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { type FieldError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";

/**
 * Allocation overrides: a changed indicative allocation with a reason; above the council's threshold it waits
 * for an approver.
 */

async function overrideViewsIn(
  tx: TenantTx,
  rows: repo.OverrideRow[],
  policy: Parameters<typeof decideOverrideCalc>[1] | null,
): Promise<AllocationOverrideView[]> {
  const names = await staffNamesIn(
    { tx },
    rows.flatMap((r) => [r.requested_by, ...(r.decided_by ? [r.decided_by] : [])]),
  );
  return rows.map((r) => {
    let decision: OverrideDecision | null = null;
    if (policy) {
      decision = decideOverrideCalc(
        { fromWeeklyPence: r.from_weekly_pence, toWeeklyPence: r.to_weekly_pence, reason: r.reason },
        policy,
      );
    }
    return {
      overrideId: r.override_id,
      allocationId: r.allocation_id,
      fromWeeklyPence: r.from_weekly_pence,
      toWeeklyPence: r.to_weekly_pence,
      reason: r.reason,
      status: r.status,
      requestedBy: r.requested_by,
      requestedByName: names.get(r.requested_by) ?? null,
      requestedAt: r.requested_at,
      decidedBy: r.decided_by,
      decidedByName: r.decided_by ? (names.get(r.decided_by) ?? null) : null,
      decidedAt: r.decided_at,
      decisionNote: r.decision_note,
      reasons: decision ? [...decision.reasons] : [],
    };
  });
}

async function findAllocationOrThrow(tx: TenantTx, allocationId: string) {
  const found = UUID.test(String(allocationId))
    ? await allocationOfPersonIn({ tx }, allocationId)
    : undefined;
  if (!found) throw new NotFoundError("The allocation");
  return found;
}

export async function requestAllocationOverride(
  ctx: ServiceContext,
  input: { allocationId: string; toWeeklyPence: number; reason: string },
): Promise<AllocationOverrideView> {
  return inTenant(ctx, (t) => requestAllocationOverrideIn(t, input));
}

export async function requestAllocationOverrideIn(
  t: TxContext,
  input: { allocationId: string; toWeeklyPence: number; reason: string },
): Promise<AllocationOverrideView> {
  const { tx } = t;
  const requester = await staffRolesIn(tx);
  const allocation = await findAllocationOrThrow(tx, input.allocationId);
  await repo.lockAllocation(tx, allocation.allocationId);
  const { effectiveWeeklyPence, overrides } = await effectiveAllocationIn(
    tx,
    allocation.allocationId,
    allocation.weeklyPence,
  );
  const parsed = allocationOverrideRequestSchema.safeParse({
    fromWeeklyPence: effectiveWeeklyPence,
    toWeeklyPence: input.toWeeklyPence,
    reason: input.reason,
  });
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error));
  const policy = await allocationOverridePolicyIn(t, t.today);
  const decision = decideOverrideCalc(parsed.data, policy);
  const problems: FieldError[] = decision.problems.map((message) => ({
    path: message.startsWith("Give the reason") ? "reason" : "toWeeklyPence",
    message,
  }));
  if (overrides.some((o) => o.status === "pending")) {
    problems.push({
      path: "allocationId",
      message: "A change to this allocation is already waiting for an approver: it must be decided first.",
    });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  const overrideId = uuidv7();
  const status = decision.needsApprover ? "pending" : "applied";
  await repo.insertOverride(tx, {
    override_id: overrideId,
    allocation_id: allocation.allocationId,
    from_weekly_pence: parsed.data.fromWeeklyPence,
    to_weekly_pence: parsed.data.toWeeklyPence,
    reason: parsed.data.reason,
    status,
    requested_by: requester.userId,
    decided_by: null,
    decided_at: null,
    decision_note: null,
  });
  await audit(tx, {
    action: status === "applied" ? "override" : "request_override",
    recordType: "allocation",
    recordId: allocation.allocationId,
    changes: {
      overrideId,
      personId: allocation.personId,
      fromWeeklyPence: parsed.data.fromWeeklyPence,
      toWeeklyPence: parsed.data.toWeeklyPence,
      reason: parsed.data.reason,
      status,
      reasons: decision.reasons,
    },
  });
  const row = (await repo.findOverride(tx, overrideId))!;
  return (await overrideViewsIn(tx, [row], policy))[0]!;
}

export async function decideAllocationOverride(
  ctx: ServiceContext,
  overrideId: string,
  input: { approve: boolean; note?: string },
): Promise<AllocationOverrideView> {
  return inTenant(ctx, async (t) => {
    const { tx } = t;
    const approver = await staffRolesIn(tx);
    const found = UUID.test(String(overrideId)) ? await repo.findOverride(tx, overrideId) : undefined;
    if (!found) throw new NotFoundError("The change to the allocation");
    await repo.lockAllocation(tx, found.allocation_id);
    const row = (await repo.findOverride(tx, overrideId, true))!;
    const note = typeof input?.note === "string" && input.note.trim() !== "" ? input.note.trim() : null;
    const problems: FieldError[] = [];
    if (typeof input?.approve !== "boolean") {
      problems.push({ path: "approve", message: "Say whether you approve the change: true or false" });
    }
    if (note !== null && note.length > 2000)
      problems.push({ path: "note", message: "Keep the note to 2000 characters" });
    if (input?.approve === false && note === null) {
      problems.push({
        path: "note",
        message: "Say why the change is refused, so the person who asked can read it",
      });
    }
    if (problems.length > 0) throw new ValidationError(problems);
    if (row.status !== "pending") {
      throw new PlanRefusedError([
        {
          code: "not_pending",
          message:
            row.status === "applied"
              ? "This change applied at once: it did not need approving."
              : `This change has already been ${row.status}.`,
        },
      ]);
    }
    const policy = await allocationOverridePolicyIn(t, t.today);
    const decision = decideOverrideCalc(
      { fromWeeklyPence: row.from_weekly_pence, toWeeklyPence: row.to_weekly_pence, reason: row.reason },
      policy,
    );
    // Whoever decides, approving or refusing, is an approver other than the requester (maker-checker).
    const allowed = checkOverrideApproval({
      decision: decision.needsApprover ? decision : { ...decision, approverRoles: policy.approverRoles },
      requestedBy: row.requested_by,
      approver,
    });
    if (!allowed.allowed) throw new PlanRefusedError(allowed.refusals);
    const status = input.approve ? "approved" : "refused";
    await repo.decideOverride(tx, overrideId, { status, decided_by: approver.userId, note });
    await audit(tx, {
      action: input.approve ? "approve_override" : "refuse_override",
      recordType: "allocation",
      recordId: row.allocation_id,
      changes: { overrideId, status, note },
    });
    const after = (await repo.findOverride(tx, overrideId))!;
    return (await overrideViewsIn(tx, [after], policy))[0]!;
  });
}

export async function overridesFor(ctx: ServiceContext, allocationId: string): Promise<AllocationOverrides> {
  return inTenant(ctx, async (t) => {
    const { tx } = t;
    const allocation = await findAllocationOrThrow(tx, allocationId);
    await checkReaderIn(t, allocation.personId);
    const { effectiveWeeklyPence, overrides } = await effectiveAllocationIn(
      tx,
      allocation.allocationId,
      allocation.weeklyPence,
    );
    const policy = await fundingSettingsIn(t, t.today);
    await audit(tx, {
      action: "view",
      recordType: "allocation_overrides",
      recordId: allocation.allocationId,
    });
    return {
      allocationId: allocation.allocationId,
      calculatedWeeklyPence: allocation.weeklyPence,
      effectiveWeeklyPence,
      overrides: await overrideViewsIn(tx, overrides, policy?.settings.allocationOverridePolicy ?? null),
    };
  });
}
