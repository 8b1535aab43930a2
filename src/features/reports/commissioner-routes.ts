import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { chartKey, tableChart } from "#/features/reports/commissioner-charts.ts";
import {
  COMMISSIONER_REPORTS,
  type CommissionerReport,
  type CommissionerReportId,
  findTable,
  formatCell,
  tableCsv,
  tableXlsx,
} from "#/features/reports/commissioner-report.ts";
import { REPORT_BUILDERS } from "#/features/reports/snapshot-reports.ts";
import { latestSnapshotTimes, readSnapshot, refreshSnapshot } from "#/features/reports/snapshot-service.ts";
import { snapshotSentence } from "#/features/reports/snapshot-view.ts";
import { findTenantById } from "#/features/tenants/service.ts";
import { ValidationError } from "#/platform/errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";
import { XLSX_TYPE } from "#/platform/xlsx/write.ts";

/**
 * The commissioner's reports: an index at /reports, and a page per report with its period (a GET form, so the
 * address can be kept and shared), headline figures, how they are worked out, and each table with its chart
 * beside it and CSV and XLSX downloads of the same rows. Aggregates only: no one's name or record. The page,
 * its downloads and the API read the report's stored snapshot (snapshot-service.ts) and say when its figures
 * were worked out; "Refresh the figures now" (a POST, CSRF-checked, same permission) works them out again.
 */

const BASE = "/reports";

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

  app.get(BASE, guard, async (request, reply) => {
    const ctx = context(request);
    const fairness = await latestSnapshotTimes(ctx, "fairness");
    return reply.render("reports/views/commissioner-index.njk", {
      title: "Reports",
      reports: COMMISSIONER_REPORTS.filter((r) => r.id in REPORT_BUILDERS),
      fairness: {
        path: `/${(await findTenantById(ctx.db, ctx.scope.tenantId))?.slug}/fairness`,
        sentence: fairness ? snapshotSentence(fairness) : undefined,
      },
    });
  });

  // The public fairness dashboard has no sign-in, so its "work the figures out again now" is here.
  app.post(`${BASE}/fairness/refresh`, guard, async (request, reply) => {
    await refreshSnapshot(context(request), "fairness", {});
    return reply.redirect(`${BASE}#fairness`, 303);
  });

  for (const id of commissionerReportIds()) {
    const meta = COMMISSIONER_REPORTS.find((r) => r.id === id)!;
    const read = (request: FastifyRequest) => readSnapshot(context(request), id, request.query);

    app.get(`${BASE}/${id}`, guard, async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const values = { from: String(query.from ?? ""), to: String(query.to ?? "") };
      try {
        const snapshot = await read(request);
        const report = snapshot.model;
        return reply.render("reports/views/commissioner-report.njk", {
          title: meta.title,
          backLink: BASE,
          report: pageView(report),
          values: { from: values.from || report.from, to: values.to || report.to },
          query: new URLSearchParams({ from: report.from, to: report.to }).toString(),
          snapshot: {
            sentence: snapshotSentence(snapshot),
            refresh: `${BASE}/${id}/refresh`,
            // The default view is refreshed as the default view (today's period); a period asked for, as itself.
            fields: Object.entries(values).filter(([, v]) => v.trim() !== ""),
          },
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
        report = (await read(request)).model;
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

    app.post(`${BASE}/${id}/refresh`, guard, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const values = { from: String(body.from ?? ""), to: String(body.to ?? "") };
      try {
        await refreshSnapshot(context(request), id, values);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return periodProblem(reply, meta.title, values, error);
      }
      const query = new URLSearchParams(Object.entries(values).filter(([, v]) => v.trim() !== ""));
      return reply.redirect(`${BASE}/${id}${query.size ? `?${query}` : ""}`, 303);
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
