import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { chartKey, tableChart } from "#/features/reports/commissioner-charts.ts";
import { formatCell, tableCsv, tableXlsx } from "#/features/reports/commissioner-report.ts";
import type { MeasuresReport } from "#/features/reports/measures-model.ts";
import { readSnapshot, refreshSnapshot } from "#/features/reports/snapshot-service.ts";
import { snapshotField, snapshotResponse, snapshotSentence } from "#/features/reports/snapshot-view.ts";
import { ValidationError } from "#/platform/errors.ts";
import { apiRoute } from "#/platform/web/openapi.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";
import { XLSX_TYPE } from "#/platform/xlsx/write.ts";

/**
 * The measures page (/reports/measures?year=2026): ASCOF 3D and 2E from the CLD return's own rows, spend by ASC-FR
 * setting and personalised spend by year, laid out as the commissioner's reports are (commissioner-routes.ts):
 * a GET form for the year, headline figures, how they are worked out, each table with its chart beside it and
 * CSV and XLSX downloads of the same rows; /api/v1/reports/measures returns the same object. All of them read
 * the year's stored snapshot (snapshot-service.ts) and say when it was worked out; "Work the figures out again
 * now" (a POST, CSRF-checked, the page's permission) refreshes it.
 */

const PAGE = "/reports/measures";
const VIEW = "reports/views/measures.njk";
const TITLE = "ASCOF and spend measures";
const FILE = /^([a-z][a-z0-9-]{0,40})\.(csv|xlsx)$/;

function pageView(report: MeasuresReport) {
  return {
    ...report,
    summary: report.summary.map((s) => ({
      key: { text: s.label },
      value: { text: s.value === null ? "No one counted" : formatCell(s.value, s.kind) },
    })),
    tables: report.tables.map((t) => ({
      ...t,
      chartSvg: tableChart(t),
      chartKey: chartKey(t),
      numeric: t.columns.map((c) => !["text", "date"].includes(c.kind)),
      cells: t.rows.map((row) =>
        row.map((cell, i) => (cell === null ? "No one counted" : formatCell(cell, t.columns[i]!.kind))),
      ),
    })),
  };
}

function yearProblem(reply: FastifyReply, year: string, error: ValidationError) {
  const message = error.fieldErrors[0]?.message ?? error.message;
  return reply.code(400).render(VIEW, {
    title: TITLE,
    backLink: "/reports",
    report: null,
    values: { year },
    errors: { year: message },
    errorList: [{ text: message, href: "#year" }],
  });
}

export async function measuresRoutes(app: FastifyInstance, deps: RouteDeps) {
  const guard = { preHandler: requireStaff("commissioning:read") };
  const context = serviceContextFor(deps);

  app.get(PAGE, guard, async (request, reply) => {
    const year = String((request.query as Record<string, unknown>).year ?? "");
    try {
      const snapshot = await readSnapshot(context(request), "measures", request.query);
      const report = snapshot.model;
      return reply.render(VIEW, {
        title: TITLE,
        backLink: "/reports",
        report: pageView(report),
        values: { year: year || String(report.year) },
        query: new URLSearchParams({ year: String(report.year) }).toString(),
        snapshot: {
          sentence: snapshotSentence(snapshot),
          refresh: `${PAGE}/refresh`,
          fields: year.trim() === "" ? [] : [["year", year]],
        },
        errors: {},
      });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return yearProblem(reply, year, error);
    }
  });

  app.get(`${PAGE}/download/:file`, guard, async (request, reply) => {
    const { file } = request.params as { file: string };
    let report: MeasuresReport;
    try {
      report = (await readSnapshot(context(request), "measures", request.query)).model;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return reply
        .code(400)
        .type("text/plain; charset=utf-8")
        .send(error.fieldErrors.map((f) => f.message).join("\n"));
    }
    const match = FILE.exec(file);
    const table = match ? report.tables.find((t) => t.id === match[1]) : undefined;
    if (!match || !table) return reply.callNotFound();
    const name = `measures-${table.id}-${report.from}-to-${report.to}.${match[2]}`;
    reply.header("content-disposition", `attachment; filename="${name}"`);
    if (match[2] === "csv") return reply.type("text/csv; charset=utf-8").send(tableCsv(table));
    return reply.type(XLSX_TYPE).send(await tableXlsx(table));
  });

  app.post(`${PAGE}/refresh`, guard, async (request, reply) => {
    const year = String((request.body as Record<string, unknown> | undefined)?.year ?? "");
    try {
      await refreshSnapshot(context(request), "measures", { year });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return yearProblem(reply, year, error);
    }
    return reply.redirect(year.trim() === "" ? PAGE : `${PAGE}?${new URLSearchParams({ year })}`, 303);
  });
}

const COLUMN_KINDS = ["text", "date", "count", "pence", "days", "weeks", "percent"] as const;
const cell = z.union([z.string(), z.number(), z.null()]);

export const measuresQuery = z.strictObject({
  year: z
    .string()
    .optional()
    .describe(
      "The year the financial year starts in (2026 is April 2026 to March 2027); the current one if left out",
    ),
});

export const measuresResponse = z
  .object({
    id: z.literal("measures"),
    title: z.string(),
    year: z.int(),
    from: z.iso.date(),
    to: z.iso.date(),
    summary: z.array(z.object({ label: z.string(), value: cell, kind: z.enum(COLUMN_KINDS) })),
    notes: z.array(z.string()).describe("How the figures are worked out, in plain words"),
    tables: z.array(
      z.object({
        id: z.string(),
        caption: z.string(),
        columns: z.array(z.object({ key: z.string(), label: z.string(), kind: z.enum(COLUMN_KINDS) })),
        rows: z
          .array(z.array(cell))
          .describe("One array per row, in the columns' order; null: nobody counted or nothing recorded"),
        chart: z
          .object({ kind: z.enum(["lines", "bars"]), series: z.array(z.string()), label: z.string() })
          .optional(),
      }),
    ),
    snapshot: snapshotResponse,
  })
  .meta({ id: "MeasuresReport" });

export async function measuresApi(app: FastifyInstance, deps: RouteDeps) {
  const context = serviceContextFor(deps);
  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/reports/measures",
      operationId: "commissionerReportMeasures",
      summary:
        "ASCOF 3D and 2E from the year's Client Level Data rows, spend by ASC-FR setting (gross, contributions beside it, top-ups excluded) and personalised spend by year",
      tag: "Reports",
      auth: "staff",
      permission: "commissioning:read",
      query: measuresQuery,
      response: measuresResponse,
    },
    async ({ request, query }) => {
      const snapshot = await readSnapshot(context(request), "measures", query);
      return { ...snapshot.model, snapshot: snapshotField(snapshot) };
    },
  );
}
