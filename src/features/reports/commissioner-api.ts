import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { COMMISSIONER_REPORTS } from "#/features/reports/commissioner-report.ts";
import { commissionerReportIds } from "#/features/reports/commissioner-routes.ts";
import { readSnapshot } from "#/features/reports/snapshot-service.ts";
import { snapshotField, snapshotResponse } from "#/features/reports/snapshot-view.ts";
import { apiRoute } from "#/platform/web/openapi.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";

/**
 * The commissioner's reports over `/api/v1`: the same object the pages draw and the downloads write, so the
 * three never disagree (the report's stored snapshot, with `snapshot` saying when its figures were worked out).
 * Money is whole pence (columns whose key ends in _pence).
 */

const COLUMN_KINDS = ["text", "date", "count", "pence", "days", "weeks", "percent"] as const;
const cell = z.union([z.string(), z.number(), z.null()]);

export const commissionerReportQuery = z.strictObject({
  from: z.string().optional().describe("The first day of the period (YYYY-MM-DD)"),
  to: z.string().optional().describe("The last day of the period (YYYY-MM-DD); today in London if left out"),
});

export const commissionerReportResponse = z
  .object({
    id: z.enum(COMMISSIONER_REPORTS.map((r) => r.id) as [string, ...string[]]),
    title: z.string(),
    from: z.iso.date(),
    to: z.iso.date(),
    summary: z.array(z.object({ label: z.string(), value: cell, kind: z.enum(COLUMN_KINDS) })),
    notes: z.array(z.string()).describe("How the figures are worked out, in plain words"),
    tables: z.array(
      z.object({
        id: z.string(),
        caption: z.string(),
        columns: z.array(z.object({ key: z.string(), label: z.string(), kind: z.enum(COLUMN_KINDS) })),
        rows: z.array(z.array(cell)).describe("One array per row, in the columns' order; null: not recorded"),
        chart: z
          .object({ kind: z.enum(["lines", "bars"]), series: z.array(z.string()), label: z.string() })
          .optional(),
      }),
    ),
    snapshot: snapshotResponse,
  })
  .meta({ id: "CommissionerReport" });

export async function commissionerApi(app: FastifyInstance, deps: RouteDeps) {
  const context = serviceContextFor(deps);
  for (const id of commissionerReportIds()) {
    const meta = COMMISSIONER_REPORTS.find((r) => r.id === id)!;
    apiRoute(
      app,
      deps.api,
      {
        method: "GET",
        path: `/reports/${id}`,
        operationId: `commissionerReport${id[0]!.toUpperCase()}${id.slice(1)}`,
        summary: `The commissioner's ${meta.title.toLowerCase()} report for a period: ${meta.description}`,
        tag: "Reports",
        auth: "staff",
        permission: "commissioning:read",
        query: commissionerReportQuery,
        response: commissionerReportResponse,
      },
      async ({ request, query }) => {
        const snapshot = await readSnapshot(context(request), id, query);
        return { ...snapshot.model, snapshot: snapshotField(snapshot) };
      },
    );
  }
}
