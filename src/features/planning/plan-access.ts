import { authoriseIn } from "#/features/accounts/service.ts";
import type { PlanEditor, PlanStatus, SupportPlanDraft } from "#/features/planning/plan-types.ts";
import * as repo from "#/features/planning/repository.ts";
import { EMPTY_PLAN_DRAFT, supportPlanDraftSchema } from "#/features/planning/schemas.ts";
import { activeStaffMemberIn } from "#/features/staff/service.ts";
import { inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ForbiddenError, NotFoundError } from "#/platform/errors.ts";
import { userOfApiToken } from "#/platform/web/api-tokens.ts";

/**
 * Who may read and edit a plan (the editor, the person's own account, the acting member of staff), and the
 * small helpers every plan use case shares: loading a plan and a version, reading its stored content.
 */

export const OPEN_STATUSES: readonly PlanStatus[] = ["draft", "submitted", "returned"];
export const EDITABLE_STATUSES: readonly PlanStatus[] = ["draft", "returned"];
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function editorIdOf(editor: PlanEditor): string {
  return editor.kind === "staff" ? editor.userId : editor.accountId;
}

export function parseContent(stored: unknown): SupportPlanDraft {
  // What is stored was checked on the way in; parsed again so a reader never trusts the column blindly.
  const parsed = supportPlanDraftSchema.safeParse(stored);
  return parsed.success ? parsed.data : EMPTY_PLAN_DRAFT;
}

function checkVersionNumber(version: number): void {
  if (!Number.isSafeInteger(version) || version < 1) throw new NotFoundError("That version of the plan");
}

export async function loadPlan(tx: TenantTx, planId: string, lock = false) {
  const plan = UUID.test(planId) ? await repo.findPlan(tx, planId, lock) : undefined;
  if (!plan) throw new NotFoundError("The support plan");
  const versions = await repo.versionsOf(tx, [planId]);
  return { plan, versions, latest: versions[versions.length - 1]! };
}

export function versionOf(versions: repo.VersionRow[], version: number): repo.VersionRow {
  checkVersionNumber(version);
  const found = versions.find((v) => v.version === version);
  if (!found) throw new NotFoundError("That version of the plan");
  return found;
}

/**
 * The editor is who the transaction says is acting: a member of staff as themselves, or a person's account
 * allowed to change this person's plan (the person, or a representative with the edit_plan scope).
 */
export async function checkEditorIn(t: TxContext, personId: string, editor: PlanEditor): Promise<void> {
  const actor = t.tx.scope.actor;
  if (editor.kind === "staff") {
    if (actor.type === "person" || (await actingStaffIn(t.tx)).userId !== editor.userId) {
      throw new ForbiddenError("Only the signed-in member of staff may edit as themselves");
    }
    return;
  }
  if (actor.type !== "person" || actor.id !== editor.accountId) {
    throw new ForbiddenError("Only the signed-in person may edit as themselves");
  }
  try {
    const decision = await authoriseIn(t, personId, "edit_plan");
    if ((decision.as === "self") !== (editor.kind === "person")) {
      throw new ForbiddenError("You are not signed in as the person this plan belongs to");
    }
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    // May they see the plan at all? Then say plainly why they may not change it.
    await authoriseIn(t, personId, "view");
    throw new ForbiddenError(
      "You can see this plan but not change it: the person has not agreed to you helping to write their plan",
    );
  }
}

/** A person's account may only read plans of people it may view. */
export async function checkReaderIn(t: TxContext, personId: string): Promise<void> {
  if (t.tx.scope.actor.type === "person") await authoriseIn(t, personId, "view");
}

/** The member of staff acting: signed in, or through one of their API tokens. */
async function actingStaffIn(tx: TenantTx) {
  const actor = tx.scope.actor;
  const userId =
    actor.type === "staff"
      ? actor.id
      : actor.type === "api_token" && actor.id
        ? await userOfApiToken(tx, actor.id)
        : null;
  const user = userId ? await activeStaffMemberIn({ tx }, userId) : undefined;
  if (!user) throw new ForbiddenError("Only a member of staff may do this");
  return user;
}

export async function staffRolesIn(tx: TenantTx): Promise<{ userId: string; roles: string[] }> {
  const user = await actingStaffIn(tx);
  return { userId: user.userId, roles: user.roles };
}

/** The editor for the signed-in member of staff (ctx.scope.actor), named from their staff record. */
export async function staffEditor(ctx: ServiceContext): Promise<PlanEditor> {
  return inTenant(ctx, async ({ tx }) => staffEditorIn(tx));
}

export async function staffEditorIn(tx: TenantTx): Promise<PlanEditor> {
  const user = await actingStaffIn(tx);
  return { kind: "staff", userId: user.userId, name: user.name };
}
