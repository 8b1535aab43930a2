import { financialYearOf } from "#/features/funding/settings.calc.ts";
import { caseloadFlow, caseloadTables } from "#/features/reports/caseload.ts";
import {
  type DefaultStart,
  parseReportPeriod,
  type ReportPeriod,
} from "#/features/reports/commissioner-period.ts";
import type { CommissionerReport, CommissionerReportId } from "#/features/reports/commissioner-report.ts";
import { type CouncilFairness, fairnessForCouncil } from "#/features/reports/fairness-service.ts";
import { marketFigures, marketTables } from "#/features/reports/market.ts";
import type { MeasuresReport } from "#/features/reports/measures-model.ts";
import { measuresFor, parseMeasuresYear } from "#/features/reports/measures-page.ts";
import { moneyFigures, moneyTables } from "#/features/reports/money.ts";
import { outcomesFigures, outcomesTables } from "#/features/reports/outcomes.ts";
import { findTenantById } from "#/features/tenants/service.ts";
import type { ServiceContext } from "#/platform/context.ts";

/**
 * The reports that are kept as snapshots (snapshot-service.ts), each with how a request's parameters become the
 * snapshot's key, how its model is worked out (through the report's own service: one computation, no second copy
 * of any figure), and the parameter sets the nightly job keeps fresh. The commissioner's pages, the measures
 * page and the public fairness dashboard all read through here.
 */

/** Each commissioner's report: how it is read, and where its period starts when none is given. */
export const REPORT_BUILDERS: Record<
  CommissionerReportId,
  {
    defaultStart: DefaultStart;
    build: (ctx: ServiceContext, period: ReportPeriod) => Promise<CommissionerReport>;
  }
> = {
  caseload: {
    defaultStart: "twelve_weeks",
    build: async (ctx, period) => caseloadTables(await caseloadFlow(ctx, period), period),
  },
  money: {
    defaultStart: "financial_year",
    build: async (ctx, period) => moneyTables(await moneyFigures(ctx, period)),
  },
  outcomes: {
    defaultStart: "financial_year",
    build: async (ctx, period) => outcomesTables(await outcomesFigures(ctx, period)),
  },
  market: {
    defaultStart: "financial_year",
    build: async (ctx, period) => marketTables(await marketFigures(ctx, period)),
  },
};

/** The public fairness dashboard as stored: the council itself is read afresh (its name may change). */
export type FairnessModel = Omit<CouncilFairness, "tenant">;

export type SnapshotModels = {
  caseload: CommissionerReport;
  money: CommissionerReport;
  outcomes: CommissionerReport;
  market: CommissionerReport;
  measures: MeasuresReport;
  fairness: FairnessModel;
};
export type SnapshotReportId = keyof SnapshotModels;

export type SnapshotParameters = {
  /** The canonical key: the same figures asked for in another way find the same snapshot. */
  key: string;
  /** True when the page was asked with no parameters: its default view, which the job keeps fresh. */
  isDefault: boolean;
};

export type SnapshotKind<M> = {
  /** The request's parameters, checked (a ValidationError says what to fix). */
  parameters(query: unknown, today: string): SnapshotParameters;
  compute(ctx: ServiceContext, key: string): Promise<M>;
  /** What the job refreshes as at a day: the default view first, then the page's other usual choices. */
  standard(today: string): SnapshotParameters[];
};

const given = (query: unknown, names: string[]) => {
  const raw = (query ?? {}) as Record<string, unknown>;
  return names.some((n) => typeof raw[n] === "string" && (raw[n] as string).trim() !== "");
};

function commissioner(id: CommissionerReportId): SnapshotKind<CommissionerReport> {
  const builder = REPORT_BUILDERS[id];
  const parameters = (query: unknown, today: string) => {
    const { from, to } = parseReportPeriod(query, today, builder.defaultStart);
    return { key: `${from}..${to}`, isDefault: !given(query, ["from", "to"]) };
  };
  return {
    parameters,
    compute(ctx, key) {
      const [from, to] = key.split("..") as [string, string];
      return builder.build(ctx, { from, to });
    },
    standard: (today) => [parameters({}, today)],
  };
}

const measures: SnapshotKind<MeasuresReport> = {
  parameters: (query, today) => ({
    key: `year=${parseMeasuresYear(query, today)}`,
    isDefault: !given(query, ["year"]),
  }),
  compute: (ctx, key) => measuresFor(ctx, { year: key.slice("year=".length) }),
  // The current financial year (the default) and the last whole one, whose returns the council sends.
  standard(today) {
    const year = Number(financialYearOf(today).start.slice(0, 4));
    return [
      { key: `year=${year}`, isDefault: true },
      { key: `year=${year - 1}`, isDefault: false },
    ];
  },
};

const fairness: SnapshotKind<FairnessModel> = {
  // One view: the last four quarters up to the day it is worked out.
  parameters: () => ({ key: "dashboard", isDefault: true }),
  async compute(ctx) {
    const tenant = await findTenantById(ctx.db, ctx.scope.tenantId);
    const found = tenant && (await fairnessForCouncil(ctx.db, tenant.slug, ctx.today));
    if (!found) throw new Error(`No council ${ctx.scope.tenantId} for its fairness dashboard`);
    const { tenant: _tenant, ...model } = found;
    return model;
  },
  standard: () => [{ key: "dashboard", isDefault: true }],
};

export const SNAPSHOT_REPORTS: { [K in SnapshotReportId]: SnapshotKind<SnapshotModels[K]> } = {
  caseload: commissioner("caseload"),
  money: commissioner("money"),
  outcomes: commissioner("outcomes"),
  market: commissioner("market"),
  fairness,
  // Last: it works out a whole year of CLD rows, the slowest of them all for a large council.
  measures,
};

export const SNAPSHOT_REPORT_IDS = Object.keys(SNAPSHOT_REPORTS) as SnapshotReportId[];

export function isSnapshotReport(id: string): id is SnapshotReportId {
  return (SNAPSHOT_REPORT_IDS as string[]).includes(id);
}
