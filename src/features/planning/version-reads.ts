import * as repo from "#/features/planning/repository.ts";
import type { TxContext } from "#/platform/context.ts";

/**
 * What other features read about plan versions, inside their own transaction (reviews: when the plan behind a
 * budget was agreed, who leads it, and the outcomes a review looks back on). Not audited: the caller audits its
 * own use.
 */

export type PlanVersionRef = { planId: string; version: number };
export type PlanVersionDecision = PlanVersionRef & {
  /** When the version was signed off (the epoch for a version never decided, as before). */
  decidedAt: Date;
  leadWorkerId: string | null;
};

const keyOf = (planId: string, version: number) => `${planId}/${version}`;

/** The versions asked for that exist, keyed by `planId/version`. */
export async function versionDecisionsIn(
  { tx }: Pick<TxContext, "tx">,
  refs: readonly PlanVersionRef[],
): Promise<Map<string, PlanVersionDecision>> {
  const wanted = new Set(refs.map((r) => keyOf(r.planId, r.version)));
  const rows = await repo.versionDecisions(tx, [...new Set(refs.map((r) => r.planId))]);
  return new Map(
    rows
      .filter((r) => wanted.has(keyOf(r.plan_id, r.version)))
      .map((r) => [
        keyOf(r.plan_id, r.version),
        {
          planId: r.plan_id,
          version: r.version,
          decidedAt: new Date(r.decided_at ?? 0),
          leadWorkerId: r.lead_worker_id,
        },
      ]),
  );
}

export const versionKey = (ref: PlanVersionRef) => keyOf(ref.planId, ref.version);

/**
 * The outcomes of one plan version, as the plan holds them (id and the person's words). Read leniently, outcome
 * by outcome: one without an id is left out, rather than the whole plan being refused.
 */
export async function planOutcomesIn(
  { tx }: Pick<TxContext, "tx">,
  planId: string,
  version: number,
): Promise<{ id: string; inTheirWords: string }[]> {
  const content = (await repo.versionContent(tx, planId, version)) as
    | { outcomes?: { id?: unknown; inTheirWords?: unknown }[] }
    | undefined;
  return (content?.outcomes ?? [])
    .filter((o) => typeof o.id === "string")
    .map((o) => ({ id: o.id as string, inTheirWords: String(o.inTheirWords ?? "") }));
}
