import { createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { exportCldReturn, streamSink } from "#/features/reports/cld-export.ts";
import { bringCldEventsUpToDate, cldDerivationIn } from "#/features/reports/cld-refresh.ts";
import { currentTenantIn } from "#/features/tenants/service.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { rulesFor } from "#/rules/registry.ts";

/**
 * The CLD events table (issue 15, `--only cld-store`): a full rebuild of the table (what the nightly job does),
 * a catch-up with nothing changed (what every export does first), and the export from the table with both files
 * streamed to disk, timed apart. Wall seconds and this process's CPU seconds; the rest is the database.
 */

export type StoreTiming = { what: string; rows: number; seconds: number; cpuSeconds: number; note?: string };

async function timed<T>(fn: () => Promise<T>) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const value = await fn();
  const cpu = process.cpuUsage(cpu0);
  return { value, seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

export async function cldStoreTimings(
  ctx: ServiceContext,
  period: { start: string; end: string },
  log: (line: string) => void,
  options: { rebuild: boolean },
): Promise<StoreTiming[]> {
  const rebuilt = options.rebuild ? await rebuildTimings(ctx, period, log) : [];
  return [...rebuilt, await exportTiming(ctx, period)];
}

async function rebuildTimings(
  ctx: ServiceContext,
  period: { start: string; end: string },
  log: (line: string) => void,
): Promise<StoreTiming[]> {
  const derivation = await inTenant(ctx, async ({ tx }) => {
    const council = await currentTenantIn(tx);
    return cldDerivationIn(tx, rulesFor(council.jurisdiction, period.end).cld!.rules!);
  });
  let shown = 0;
  const rebuild = await timed(() =>
    bringCldEventsUpToDate(ctx.db, ctx.scope, derivation, {
      forceFull: true,
      onProgress: (done: number) => {
        if (done - shown < 100_000) return;
        shown = done;
        log(`  rebuilt ${done.toLocaleString("en-GB")} people`);
      },
    }),
  );
  // Autovacuum analyses the table after a rebuild rewrites it (within a minute or so); the benchmark does it at
  // once, as the database's owner, so the export is planned with the table's real size.
  const analysed = await timed(() => sql`ANALYZE cld_events`.execute(ctx.db));
  const catchUp = await timed(() => bringCldEventsUpToDate(ctx.db, ctx.scope, derivation));
  return [
    {
      what: "CLD events table: full rebuild (nightly)",
      rows: rebuild.value.rows,
      seconds: rebuild.seconds,
      cpuSeconds: rebuild.cpuSeconds,
      note: `${rebuild.value.people.toLocaleString("en-GB")} people, a page of 2,000 per transaction; ANALYZE after it ${analysed.seconds.toFixed(1)} s`,
    },
    {
      what: "CLD events table: catch-up, nothing changed",
      rows: catchUp.value.rows,
      seconds: catchUp.seconds,
      cpuSeconds: catchUp.cpuSeconds,
    },
  ];
}

async function exportTiming(
  ctx: ServiceContext,
  period: { start: string; end: string },
): Promise<StoreTiming> {
  const dir = tmpdir();
  const returnPath = join(dir, "bench-cld-return.csv");
  const qualityPath = join(dir, "bench-cld-quality.csv");
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const exported = await timed(() =>
    exportCldReturn(
      ctx,
      { period: `${period.start}..${period.end}` },
      {
        open: async () => ({
          returnFile: streamSink(createWriteStream(returnPath)),
          qualityFile: streamSink(createWriteStream(qualityPath)),
        }),
        onProgress: () => {
          peak = Math.max(peak, process.memoryUsage().rss);
        },
      },
    ),
  );
  const mb = async (path: string) => Math.round((await stat(path)).size / 1e6);
  return {
    what: `CLD export from the table ${period.start} to ${period.end}`,
    rows: exported.value.rows,
    seconds: exported.seconds,
    cpuSeconds: exported.cpuSeconds,
    note: `${exported.value.people.toLocaleString("en-GB")} people, return ${await mb(returnPath)} MB and data-quality report ${await mb(qualityPath)} MB streamed to disk, ${exported.value.failureCount.toLocaleString("en-GB")} failures, peak RSS +${Math.round((peak - rss0) / 1e6)} MB (includes its catch-up: ${exported.value.refresh.people} people)`,
  };
}
