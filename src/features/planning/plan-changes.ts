import { EDITABLE_STATUSES, editorIdOf } from "#/features/planning/plan-access.ts";
import { type PlanEditor, PlanRefusedError, type SupportPlanDraft } from "#/features/planning/plan-types.ts";
import * as repo from "#/features/planning/repository.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/** What changed between two drafts, in plain words, and the record of each change. */

const quoted = (text: string) => `“${text.length > 60 ? `${text.slice(0, 57)}…` : text}”`;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A plain summary of what changed between two drafts ("Added the outcome “…”; Changed the cost of “…”"). */
export function describeDraftChange(before: SupportPlanDraft, after: SupportPlanDraft): string[] {
  const out: string[] = [];
  const diff = <T extends { id: string }>(
    a: readonly T[],
    b: readonly T[],
    what: string,
    label: (x: T) => string,
    changed: (x: T, y: T) => string[],
  ) => {
    const old = new Map(a.map((x) => [x.id, x]));
    const now = new Set(b.map((x) => x.id));
    for (const x of b) {
      const prev = old.get(x.id);
      if (!prev) out.push(`Added the ${what} ${quoted(label(x))}`);
      else if (!same(prev, x)) out.push(...changed(prev, x));
    }
    for (const x of a) if (!now.has(x.id)) out.push(`Removed the ${what} ${quoted(label(x))}`);
  };
  diff(
    before.outcomes,
    after.outcomes,
    "outcome",
    (o) => o.inTheirWords,
    (_o, n) => [`Changed the outcome ${quoted(n.inTheirWords)}`],
  );
  diff(
    before.supports,
    after.supports,
    "support",
    (s) => s.what,
    (o, n) => {
      const parts: string[] = [];
      if (!same(o.cost, n.cost)) parts.push(`Changed the cost of ${quoted(n.what)}`);
      if (o.deployment !== n.deployment) parts.push(`Changed how the money for ${quoted(n.what)} is used`);
      if (!same(o.from, n.from)) parts.push(`Changed who provides ${quoted(n.what)}`);
      if (!same(o.outcomeIds, n.outcomeIds))
        parts.push(`Changed which outcomes ${quoted(n.what)} helps to meet`);
      if (o.what !== n.what || o.category !== n.category || parts.length === 0) {
        parts.push(`Changed the support ${quoted(n.what)}`);
      }
      return parts;
    },
  );
  diff(
    before.risks,
    after.risks,
    "risk",
    (r) => r.description,
    (_o, n) => [`Changed the risk ${quoted(n.description)}`],
  );
  if (before.contingency !== after.contingency) {
    out.push(
      after.contingency
        ? before.contingency
          ? "Changed the contingency plan"
          : "Added the contingency plan"
        : "Removed the contingency plan",
    );
  }
  if (before.overAllocationReason !== after.overAllocationReason) {
    out.push(
      after.overAllocationReason
        ? "Changed the reason the plan needs more than the indicative budget"
        : "Removed the reason the plan needs more than the indicative budget",
    );
  }
  if ((before.nhsPersonalHealthBudget ?? false) !== (after.nhsPersonalHealthBudget ?? false)) {
    out.push(
      after.nhsPersonalHealthBudget
        ? "Said the NHS has agreed a personal health budget"
        : "Said there is no NHS personal health budget",
    );
  }
  return out;
}

export function summaryText(lines: readonly string[]): string {
  const text = lines.join("; ");
  return text.length > 2000 ? `${text.slice(0, 1997)}…` : text;
}

export async function recordChangeIn(
  tx: TenantTx,
  planId: string,
  version: number,
  editor: PlanEditor,
  summary: string,
): Promise<void> {
  await repo.insertChange(tx, {
    change_id: uuidv7(),
    plan_id: planId,
    version,
    actor_kind: editor.kind,
    actor_id: editorIdOf(editor),
    actor_name: editor.name.trim().slice(0, 200) || "Unknown",
    summary,
  });
}

export function refuseUnlessEditable(row: repo.VersionRow, latest: repo.VersionRow): void {
  if (row.version !== latest.version) {
    throw new PlanRefusedError([
      {
        code: "superseded",
        message: `Version ${row.version} is not the latest version of this plan (version ${latest.version} is).`,
      },
    ]);
  }
  if (!EDITABLE_STATUSES.includes(row.status)) {
    throw new PlanRefusedError([
      {
        code: "not_editable",
        message:
          row.status === "submitted"
            ? "This version is waiting for approval, so it cannot be changed. An approver can return it if it needs changing."
            : "This version is approved and is never changed: start a new version to change the plan.",
      },
    ]);
  }
}
