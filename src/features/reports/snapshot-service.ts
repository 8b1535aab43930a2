import type { CouncilFairness } from "#/features/reports/fairness-service.ts";
import {
  isSnapshotReport,
  SNAPSHOT_REPORT_IDS,
  SNAPSHOT_REPORTS,
  type SnapshotModels,
  type SnapshotParameters,
  type SnapshotReportId,
} from "#/features/reports/snapshot-reports.ts";
import * as repo from "#/features/reports/snapshot-repository.ts";
import { everyCouncil, findTenantBySlug, SYSTEM_ACTOR } from "#/features/tenants/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext } from "#/platform/context.ts";
import { addDays } from "#/platform/dates/calendar.ts";
import type { Database } from "#/platform/db/database.ts";
import { ValidationError } from "#/platform/errors.ts";

/**
 * The dashboard pages' figures, materialised (issue 15, "Scale and correctness": every page under a second at a
 * million people). Each report's model is worked out by its own service (snapshot-reports.ts) and stored as
 * JSON with the data date it is as at; the page, its CSV and XLSX downloads and the API then read the stored
 * model, so the four agree and none of them works the figures out again.
 *
 * When they are worked out: every night, and after a payment run, by the job (snapshot-jobs.ts) for each
 * council's usual views; when a commissioner presses "Refresh the figures now"; by `upfront reports refresh`;
 * and on the first visit for parameters that have no snapshot yet. A page never refreshes a snapshot just
 * because it is old: it shows the figures with the time they were worked out, and the job refreshes them.
 */

/** Snapshots not refreshed for this many days (parameters no one has asked for since) are dropped by the job. */
export const SNAPSHOT_KEPT_DAYS = 31;

export type Snapshot<M> = {
  report: SnapshotReportId;
  parameters: string;
  isDefault: boolean;
  /** The data date the figures are as at (YYYY-MM-DD). */
  asAt: string;
  computedAt: Date;
  model: M;
};

/** A stored model as the page and API read it: the JSON the database keeps, so a first visit reads the same. */
const asStored = <M>(model: M): M => JSON.parse(JSON.stringify(model)) as M;

/** Works a report out for one parameter set through its service, and stores it. */
async function refreshParameters<K extends SnapshotReportId>(
  ctx: ServiceContext,
  report: K,
  parameters: SnapshotParameters,
): Promise<Snapshot<SnapshotModels[K]>> {
  const computedAt = new Date();
  const model = asStored(await SNAPSHOT_REPORTS[report].compute(ctx, parameters.key));
  const snapshot = {
    report,
    parameters: parameters.key,
    isDefault: parameters.isDefault,
    asAt: ctx.today,
    computedAt,
    model,
  };
  await inTenant(ctx, ({ tx }) =>
    repo.saveSnapshot(tx, { ...snapshot, computedBy: actorRef(ctx.scope.actor) }),
  );
  return snapshot;
}

/**
 * The report's figures for the request's parameters (a ValidationError says what to fix in them): the stored
 * snapshot for exactly those parameters; with none given, the latest snapshot of the page's default view; and
 * when there is none yet, worked out now and stored.
 */
export async function readSnapshot<K extends SnapshotReportId>(
  ctx: ServiceContext,
  report: K,
  query: unknown,
): Promise<Snapshot<SnapshotModels[K]>> {
  const parameters = SNAPSHOT_REPORTS[report].parameters(query, ctx.today);
  const stored = await inTenant(ctx, async ({ tx }) => {
    const found =
      (await repo.snapshotFor(tx, report, parameters.key)) ??
      (parameters.isDefault ? await repo.latestDefaultSnapshot(tx, report, ctx.today) : undefined);
    // The staff's view of aggregates over everyone's records is audited, as the services audit their own.
    if (found && ctx.scope.actor.type === "staff") {
      await audit(tx, {
        action: "view",
        recordType: "commissioner_report",
        recordId: report,
        changes: { parameters: found.parameters, asAt: found.asAt },
      });
    }
    return found;
  });
  if (!stored) return refreshParameters(ctx, report, parameters);
  return {
    report,
    parameters: stored.parameters,
    isDefault: stored.isDefault,
    asAt: stored.asAt,
    computedAt: stored.computedAt,
    model: stored.model as SnapshotModels[K],
  };
}

/** When the report's default view was last worked out (as at today or before), without working it out. */
export async function latestSnapshotTimes(
  ctx: ServiceContext,
  report: SnapshotReportId,
): Promise<{ asAt: string; computedAt: Date } | undefined> {
  const found = await inTenant(ctx, ({ tx }) => repo.latestDefaultSnapshot(tx, report, ctx.today));
  return found && { asAt: found.asAt, computedAt: found.computedAt };
}

/** "Refresh now": the report worked out again for the request's parameters, as at today. */
export function refreshSnapshot<K extends SnapshotReportId>(
  ctx: ServiceContext,
  report: K,
  query: unknown,
): Promise<Snapshot<SnapshotModels[K]>> {
  return refreshParameters(ctx, report, SNAPSHOT_REPORTS[report].parameters(query, ctx.today));
}

export type RefreshResult = {
  report: SnapshotReportId;
  parameters: string;
  seconds: number;
  /** Why it was not stored (the report's own refusal, e.g. nothing to report for a year). */
  skipped?: string;
  /** What went wrong when working it out (the other views are still refreshed). */
  failed?: string;
};

/** Checks the reports asked for by name (all of them when none are named). */
export function snapshotReportsNamed(names: readonly string[] | undefined): SnapshotReportId[] {
  if (!names || names.length === 0) return [...SNAPSHOT_REPORT_IDS];
  const unknown = names.filter((n) => !isSnapshotReport(n));
  if (unknown.length > 0) {
    throw new ValidationError([
      {
        path: "report",
        message: `There is no report called ${unknown.map((n) => `"${n}"`).join(", ")}: give one of ${SNAPSHOT_REPORT_IDS.join(", ")}`,
      },
    ]);
  }
  return names as SnapshotReportId[];
}

/**
 * Every usual view of the named reports (all when none are named) worked out again for the council as at
 * today, and the snapshots nobody has refreshed for SNAPSHOT_KEPT_DAYS dropped.
 */
export async function refreshStandardSnapshots(
  ctx: ServiceContext,
  reports?: readonly string[],
): Promise<RefreshResult[]> {
  const results: RefreshResult[] = [];
  for (const report of snapshotReportsNamed(reports)) {
    for (const parameters of SNAPSHOT_REPORTS[report].standard(ctx.today)) {
      const t0 = performance.now();
      try {
        await refreshParameters(ctx, report, parameters);
        results.push({ report, parameters: parameters.key, seconds: (performance.now() - t0) / 1000 });
      } catch (error) {
        const seconds = (performance.now() - t0) / 1000;
        const done = { report, parameters: parameters.key, seconds };
        if (error instanceof ValidationError) {
          const skipped = error.fieldErrors.map((f) => f.message).join("; ") || error.message;
          results.push({ ...done, skipped });
        } else results.push({ ...done, failed: (error as Error).message });
      }
    }
  }
  await inTenant(ctx, ({ tx }) => repo.dropSnapshotsBefore(tx, addDays(ctx.today, -SNAPSHOT_KEPT_DAYS)));
  return results;
}

const JOB_ACTOR = { type: "system" as const, id: "job:reports", name: "report snapshots" };

/**
 * The job's work: every council's usual views, the cheapest reports first; one view's or one council's failure
 * does not stop the others (`failed` lists what did not refresh, and the job then fails so it is tried again).
 */
export async function refreshEveryCouncil(
  database: Pick<Database, "db">,
  today: string,
): Promise<{ slug: string; results?: RefreshResult[]; failed?: string }[]> {
  const councils = (await everyCouncil(database.db)).sort((a, b) => (a.slug < b.slug ? -1 : 1));
  const out: { slug: string; results?: RefreshResult[]; failed?: string }[] = [];
  for (const council of councils) {
    const ctx = { db: database.db, scope: { tenantId: council.tenantId, actor: JOB_ACTOR }, today };
    try {
      const results = await refreshStandardSnapshots(ctx);
      const failed = results.filter((r) => r.failed).map((r) => `${r.report} ${r.parameters}: ${r.failed}`);
      out.push({ slug: council.slug, results, ...(failed.length ? { failed: failed.join("; ") } : {}) });
    } catch (error) {
      out.push({ slug: council.slug, failed: (error as Error).message });
    }
  }
  return out;
}

/**
 * The public fairness dashboard from its snapshot (fairnessForCouncil works it out when there is none yet), or
 * undefined when there is no council at that short name. Nobody is signed in: read as the system.
 */
export async function fairnessSnapshot(
  database: Pick<Database, "db">,
  slug: string,
  today: string,
): Promise<(CouncilFairness & { snapshot: { asAt: string; computedAt: Date } }) | undefined> {
  if (!/^[a-z0-9-]{2,40}$/.test(slug)) return undefined;
  const tenant = await findTenantBySlug(database.db, slug);
  if (!tenant) return undefined;
  const ctx = { db: database.db, scope: { tenantId: tenant.tenantId, actor: SYSTEM_ACTOR }, today };
  const { model, asAt, computedAt } = await readSnapshot(ctx, "fairness", {});
  return { tenant, ...model, snapshot: { asAt, computedAt } };
}
