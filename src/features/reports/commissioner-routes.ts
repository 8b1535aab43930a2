import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { caseloadFlow, caseloadTables } from "#/features/reports/caseload.ts";
import { chartKey, tableChart } from "#/features/reports/commissioner-charts.ts";
import {
  type DefaultStart,
  parseReportPeriod,
  type ReportPeriod,
} from "#/features/reports/commissioner-period.ts";
import {
  COMMISSIONER_REPORTS,
  type CommissionerReport,
  type CommissionerReportId,
  findTable,
  formatCell,
  tableCsv,
  tableXlsx,
} from "#/features/reports/commissioner-report.ts";
import { marketFigures, marketTables } from "#/features/reports/market.ts";
import { moneyFigures, moneyTables } from "#/features/reports/money.ts";
import { outcomesFigures, outcomesTables } from "#/features/reports/outcomes.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { ValidationError } from "#/platform/errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";
import { XLSX_TYPE } from "#/platform/xlsx/write.ts";

/**
 * The commissioner's reports: an index at /reports, and a page per report with its period (a GET form, so the
 * address can be kept and shared), headline figures, how they are worked out, and each table with its chart
 * beside it and CSV and XLSX downloads of the same rows. Aggregates only: no one's name or record.
 */

const BASE = "/reports";

/** Each report: how it is read, and where its period starts when none is given. */
export const REPORT_BUILDERS: Partial<
  Record<
    CommissionerReportId,
    {
      defaultStart: DefaultStart;
      build: (ctx: ServiceContext, period: ReportPeriod) => Promise<CommissionerReport>;
    }
  >
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

export function commissionerReportIds(): CommissionerReportId[] {
  return COMMISSIONER_REPORTS.map((r) => r.id).filter((id) => id in REPORT_BUILDERS);
}

/** The page's view of a report: every cell formatted, every chart drawn. */
function pageView(report: CommissionerReport) {
  return {
    ...report,
    summary: report.summary.map((s) => ({
      key: { text: s.label },
      value: { text: formatCell(s.value, s.kind) },
    })),
    tables: report.tables.map((t) => ({
      ...t,
      chartSvg: tableChart(t),
      chartKey: chartKey(t),
      numeric: t.columns.map((c) => !["text", "date"].includes(c.kind)),
      cells: t.rows.map((row) => row.map((cell, i) => formatCell(cell, t.columns[i]!.kind))),
    })),
  };
}

const FILE = /^([a-z][a-z0-9-]{0,40})\.(csv|xlsx)$/;

export async function commissionerRoutes(app: FastifyInstance, deps: RouteDeps) {
  const guard = { preHandler: requireStaff("commissioning:read") };
  const context = serviceContextFor(deps);

  app.get(BASE, guard, async (_request, reply) =>
    reply.render("reports/views/commissioner-index.njk", {
      title: "Reports",
      reports: COMMISSIONER_REPORTS.filter((r) => r.id in REPORT_BUILDERS),
    }),
  );

  for (const id of commissionerReportIds()) {
    const meta = COMMISSIONER_REPORTS.find((r) => r.id === id)!;
    const builder = REPORT_BUILDERS[id]!;
    const read = (request: FastifyRequest) => {
      const ctx = context(request);
      return builder.build(ctx, parseReportPeriod(request.query, ctx.today, builder.defaultStart));
    };

    app.get(`${BASE}/${id}`, guard, async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const values = { from: String(query.from ?? ""), to: String(query.to ?? "") };
      try {
        const report = await read(request);
        return reply.render("reports/views/commissioner-report.njk", {
          title: meta.title,
          backLink: BASE,
          report: pageView(report),
          values: { from: values.from || report.from, to: values.to || report.to },
          query: new URLSearchParams({ from: report.from, to: report.to }).toString(),
          errors: {},
        });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return periodProblem(reply, meta.title, values, error);
      }
    });

    app.get(`${BASE}/${id}/download/:file`, guard, async (request, reply) => {
      const { file } = request.params as { file: string };
      const match = FILE.exec(file);
      let report: CommissionerReport;
      try {
        report = await read(request);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return reply
          .code(400)
          .type("text/plain; charset=utf-8")
          .send(error.fieldErrors.map((f) => f.message).join("\n"));
      }
      const table = match ? findTable(report, match[1]!) : undefined;
      if (!match || !table) return reply.callNotFound();
      const name = `${id}-${table.id}-${report.from}-to-${report.to}.${match[2]}`;
      reply.header("content-disposition", `attachment; filename="${name}"`);
      if (match[2] === "csv") return reply.type("text/csv; charset=utf-8").send(tableCsv(table));
      return reply.type(XLSX_TYPE).send(await tableXlsx(table));
    });
  }
}

function periodProblem(
  reply: FastifyReply,
  title: string,
  values: { from: string; to: string },
  error: ValidationError,
) {
  const errors: Record<string, string> = {};
  for (const f of error.fieldErrors) errors[f.path === "to" ? "to" : "from"] ??= f.message;
  return reply.code(400).render("reports/views/commissioner-report.njk", {
    title,
    backLink: BASE,
    report: null,
    values,
    errors,
    errorList: Object.entries(errors).map(([field, text]) => ({ text, href: `#${field}` })),
  });
}
