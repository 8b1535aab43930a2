import { z } from "zod";
import { findPersonRow } from "#/features/people/service.ts";
import { findTeamIn, teamOfIn } from "#/features/staff/service.ts";
import * as repo from "#/features/tasks/repository.ts";
import { audit } from "#/platform/audit/audit.ts";
import { STAFF_ROLES } from "#/platform/auth/permissions.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { StaffRole } from "#/platform/db/schema.ts";
import { NotFoundError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { isCalendarDate } from "#/rules/index.ts";

/**
 * The one staff task list ("work tray"). Every feature raises its tasks through raiseTaskIn, inside its own
 * transaction, so the task exists exactly when the work that needs doing does: a new self-referral now; later a
 * contribution to re-check, a letter that came back undelivered, an audit finding. A task is for a named officer,
 * or for a team (its members see it), or for a role group (everyone holding one of the roles sees it: the council's
 * intake is social workers and team managers). A task given to a team is for that team only, whatever roles it
 * names. Staff see their own tasks, their team's, and their role group's not given to a team.
 */

/** The kinds of task, with the words the list shows. A feature adds its kind here when it starts raising it. */
export const TASK_KINDS = {
  new_self_referral: "New self-referral",
  contribution_recheck: "Contribution to re-check",
  letter_undelivered: "Letter undelivered",
  audit_finding: "Audit finding",
} as const;
export type TaskKind = keyof typeof TASK_KINDS;

const taskKinds = Object.keys(TASK_KINDS) as [TaskKind, ...TaskKind[]];

export const newTaskSchema = z.strictObject({
  kind: z.enum(taskKinds, { error: `Give the kind of task: one of ${taskKinds.join(", ")}` }),
  title: z
    .string({ error: "Give the task a title" })
    .trim()
    .min(1, { error: "Give the task a title" })
    .max(300, { error: "Keep the title to 300 characters" }),
  personId: z.uuid({ error: "Give the person as their record id" }).optional(),
  assignedUserId: z.uuid({ error: "Give the officer as their user id" }).optional(),
  forRoles: z
    .array(z.enum(STAFF_ROLES as [StaffRole, ...StaffRole[]], { error: "Give a staff role" }))
    .optional(),
  teamId: z.uuid({ error: "Give the team as its team id" }).optional(),
  dueOn: z
    .string({ error: "Give the due date" })
    .refine(isCalendarDate, { error: "Give the due date as a real date, for example 2026-12-01" }),
  link: z
    .string({ error: "Give the page where the work is done" })
    .regex(/^\/[^/]/, {
      error: "Give the page where the work is done as a path in Upfront, like /people/…",
    })
    .max(500),
  source: z.strictObject({
    type: z.string().min(1).max(60),
    id: z.string().min(1).max(100),
  }),
});

export type NewTask = z.input<typeof newTaskSchema>;

export type Task = {
  taskId: string;
  kind: TaskKind | string;
  kindLabel: string;
  title: string;
  person: { personId: string; name: string; reference: string } | null;
  assignedUserId: string | null;
  forRoles: StaffRole[];
  team: { teamId: string; name: string } | null;
  dueOn: string;
  link: string;
  status: "open" | "done";
  doneAt: Date | null;
  /** Why this member of staff sees it. */
  forYou: "you" | "your_team" | "your_role";
};

/** Raises a task inside the caller's transaction (its audit event with it). Refused whole if any field is wrong. */
export async function raiseTaskIn({ tx }: Pick<TxContext, "tx">, input: NewTask): Promise<string> {
  const parsed = newTaskSchema.safeParse(input);
  const errors = parsed.success ? [] : fieldErrorsFrom(parsed.error);
  // Checked beside the fields' own checks (Zod skips an object's refinement once a field has failed).
  if (
    input.assignedUserId === undefined &&
    input.teamId === undefined &&
    (input.forRoles?.length ?? 0) === 0
  ) {
    errors.push({
      path: "assignedUserId",
      message: "Say who the task is for: an officer, a team or a role group",
    });
  }
  if (parsed.success && parsed.data.teamId !== undefined && !(await findTeamIn({ tx }, parsed.data.teamId))) {
    errors.push({ path: "teamId", message: "Give one of the council's teams" });
  }
  if (!parsed.success || errors.length) throw new ValidationError(errors, "The task was not raised");
  const t = parsed.data;
  const row = await repo.insertTask(tx, {
    task_id: uuidv7(),
    kind: t.kind,
    title: t.title,
    person_id: t.personId ?? null,
    assigned_user_id: t.assignedUserId ?? null,
    for_roles: t.forRoles ?? [],
    team_id: t.teamId ?? null,
    due_on: t.dueOn,
    link: t.link,
    source_type: t.source.type,
    source_id: t.source.id,
    created_by: actorRef(tx.scope.actor),
  });
  await audit(tx, {
    action: "create",
    recordType: "task",
    recordId: row.task_id,
    changes: { kind: t.kind, source: t.source, dueOn: t.dueOn, ...(t.teamId ? { teamId: t.teamId } : {}) },
  });
  return row.task_id;
}

export type Viewer = { userId: string; roles: readonly StaffRole[] };

/**
 * This officer's tasks, their team's, and their role group's not given to a team: open ones by due date, or the
 * latest done. Their team is read from their staff record. Not audited (a list).
 */
export async function tasksFor(ctx: ServiceContext, viewer: Viewer, status: "open" | "done" = "open") {
  return inTenant(ctx, async ({ tx }) => {
    const teamId = await teamOfIn({ tx }, viewer.userId);
    const rows = await repo.tasksFor(tx, { ...viewer, teamId }, status, 200);
    const teams = new Map<string, Task["team"]>();
    for (const id of new Set(rows.flatMap((r) => (r.team_id ? [r.team_id] : [])))) {
      const team = await findTeamIn({ tx }, id);
      teams.set(id, team ? { teamId: team.teamId, name: team.name } : null);
    }
    const people = new Map<string, Task["person"]>();
    for (const id of new Set(rows.flatMap((r) => (r.person_id ? [r.person_id] : [])))) {
      const p = await findPersonRow({ tx }, id);
      people.set(id, { personId: id, name: `${p.given_name} ${p.family_name}`, reference: p.reference });
    }
    return rows.map(
      (r): Task => ({
        taskId: r.task_id,
        kind: r.kind,
        kindLabel: TASK_KINDS[r.kind as TaskKind] ?? r.kind,
        title: r.title,
        person: r.person_id ? (people.get(r.person_id) ?? null) : null,
        assignedUserId: r.assigned_user_id,
        forRoles: r.for_roles,
        team: r.team_id ? (teams.get(r.team_id) ?? null) : null,
        dueOn: r.due_on,
        link: r.link,
        status: r.status,
        doneAt: r.done_at,
        forYou:
          r.assigned_user_id === viewer.userId
            ? "you"
            : r.team_id !== null && r.team_id === teamId
              ? "your_team"
              : "your_role",
      }),
    );
  });
}

const visibleTo = (row: repo.TaskRow, viewer: Viewer, teamId: string | null) =>
  row.assigned_user_id === viewer.userId ||
  (row.team_id !== null && row.team_id === teamId) ||
  (row.team_id === null && row.for_roles.some((r) => viewer.roles.includes(r)));

/** Marks one of the viewer's tasks done. A task they cannot see is "not found", as if it were not there. */
export async function completeTask(ctx: ServiceContext, viewer: Viewer, taskId: string): Promise<void> {
  if (!z.uuid().safeParse(taskId).success) throw new NotFoundError("The task");
  await inTenant(ctx, async ({ tx }) => {
    const row = await repo.findTask(tx, taskId);
    if (!row || !visibleTo(row, viewer, await teamOfIn({ tx }, viewer.userId)))
      throw new NotFoundError("The task");
    if (row.status === "done") return;
    await repo.markDone(tx, [row.task_id], actorRef(tx.scope.actor));
    await audit(tx, {
      action: "update",
      recordType: "task",
      recordId: row.task_id,
      changes: { status: "done" },
    });
  });
}

/** Marks done every open task a piece of work raised, when that work is finished (e.g. a referral closed). */
export async function completeTasksForIn(
  { tx }: Pick<TxContext, "tx">,
  source: { type: string; id: string },
): Promise<number> {
  const rows = await repo.openTasksForSource(tx, source.type, source.id);
  await repo.markDone(
    tx,
    rows.map((r) => r.task_id),
    actorRef(tx.scope.actor),
  );
  for (const r of rows) {
    await audit(tx, {
      action: "update",
      recordType: "task",
      recordId: r.task_id,
      changes: { status: "done" },
    });
  }
  return rows.length;
}
