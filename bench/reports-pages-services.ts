/**
 * The dashboard pages' data for bench/reports.ts: the public fairness dashboard and the commissioner's four
 * reports, each built through the service its page calls (the page adds only the Nunjucks render and the charts
 * drawn from these figures). Target: under a second each (issue 15).
 */
import { performance } from "node:perf_hooks";
import type { Kysely } from "kysely";
import { caseloadFlow, caseloadTables } from "#/features/reports/caseload.ts";
import {
  type DefaultStart,
  parseReportPeriod,
  type ReportPeriod,
} from "#/features/reports/commissioner-period.ts";
import type { CommissionerReport } from "#/features/reports/commissioner-report.ts";
import { fairnessForCouncil } from "#/features/reports/fairness-service.ts";
import { marketFigures, marketTables } from "#/features/reports/market.ts";
import { moneyFigures, moneyTables } from "#/features/reports/money.ts";
import { outcomesFigures, outcomesTables } from "#/features/reports/outcomes.ts";
import type { ServiceContext } from "#/platform/context.ts";
import type { DB } from "#/platform/db/schema.ts";

export type PageTiming = { what: string; rows: number; seconds: number; cpuSeconds: number };

/** As commissioner-routes.ts builds each report for its page, with the page's default period. */
const COMMISSIONER_REPORTS: {
  id: string;
  defaultStart: DefaultStart;
  build: (ctx: ServiceContext, period: ReportPeriod) => Promise<CommissionerReport>;
}[] = [
  {
    id: "caseload",
    defaultStart: "twelve_weeks",
    build: async (ctx, p) => caseloadTables(await caseloadFlow(ctx, p), p),
  },
  {
    id: "money",
    defaultStart: "financial_year",
    build: async (ctx, p) => moneyTables(await moneyFigures(ctx, p)),
  },
  {
    id: "outcomes",
    defaultStart: "financial_year",
    build: async (ctx, p) => outcomesTables(await outcomesFigures(ctx, p)),
  },
  {
    id: "market",
    defaultStart: "financial_year",
    build: async (ctx, p) => marketTables(await marketFigures(ctx, p)),
  },
];

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const value = await fn();
  const cpu = process.cpuUsage(cpu0);
  return { value, seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

export async function commissionerPages(ctx: ServiceContext): Promise<PageTiming[]> {
  const out: PageTiming[] = [];
  for (const report of COMMISSIONER_REPORTS) {
    const period = parseReportPeriod({}, ctx.today, report.defaultStart);
    const { value, seconds, cpuSeconds } = await timed(() => report.build(ctx, period));
    out.push({
      what: `commissioner's ${report.id} report, ${period.from} to ${period.to}`,
      rows: value.tables.reduce((n, t) => n + t.rows.length, 0),
      seconds,
      cpuSeconds,
    });
  }
  return out;
}

export async function fairnessPage(db: Kysely<DB>, slug: string, today: string): Promise<PageTiming> {
  const { value, seconds, cpuSeconds } = await timed(() => fairnessForCouncil(db, slug, today));
  if (!value) throw new Error(`No council at ${slug}`);
  return {
    what: `public fairness dashboard (${value.dashboard.quarters.length} quarters)`,
    rows: value.dashboard.quarters.length,
    seconds,
    cpuSeconds,
  };
}
