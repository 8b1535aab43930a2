import { PassThrough } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type CldExport, exportCldReturn, streamSink } from "#/features/reports/cld-export.ts";
import { defaultCldPeriod } from "#/features/reports/cld-return.calc.ts";
import {
  type CldPeriod,
  checkCldRequest,
  cldFileName,
  NothingToReportError,
} from "#/features/reports/service.ts";
import { currentTenantIn } from "#/features/tenants/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { withTenant } from "#/platform/db/tenant.ts";
import { ValidationError } from "#/platform/errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";

/**
 * The commissioner's Client Level Data page (issue 15): choose a period, see the return worked out with its
 * progress, the failing fields listed by person and event, and download the return and its data-quality report.
 *
 * Progress without JavaScript: the results page is streamed. The top of the page goes first, then a line each
 * time another slice of people has been read into the events table ("Read 4,000 of 12,000 people") or of rows
 * checked, which a browser shows as it arrives, then the results and the rest of the page. The return is
 * exported from the events table (cld-export.ts), brought up to date first; each download does the same for the
 * same period and streams the file as it is written, and because the same data gives the same bytes the file
 * matches the page.
 */

const BASE = "/returns/cld";
const VIEW = "reports/views/cld-return.njk";
/** Where the streamed page is cut: before it, the top of the page; after it, the results and the rest. */
const MARK = "<!-- cld-progress -->";

const periodParam = (request: FastifyRequest): string | undefined => {
  const value = (request.query as Record<string, unknown>).period;
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
};

const count = (n: number) => n.toLocaleString("en-GB");

function resultView(result: CldExport) {
  const query = `period=${encodeURIComponent(`${result.period.start}..${result.period.end}`)}`;
  return {
    result,
    listed: result.failures,
    more: result.failureCount - result.failures.length,
    returnHref: `${BASE}/return.csv?${query}`,
    qualityHref: `${BASE}/data-quality.csv?${query}`,
  };
}

/** The page before the mark (`head`), or after it with the outcome (`tail`). */
function renderPart(reply: FastifyReply, context: Record<string, unknown>, part: "head" | "tail"): string {
  const [head, tail] = reply.renderToString(VIEW, context).split(MARK) as [string, string];
  return part === "head" ? head : tail;
}

async function streamReturn(reply: FastifyReply, ctx: ServiceContext, period: CldPeriod) {
  const text = `${period.start}..${period.end}`;
  const page = {
    title: "Client Level Data return",
    period: text,
    periodStart: period.start,
    periodEnd: period.end,
    running: true,
  };
  const stream = new PassThrough();
  void reply.type("text/html; charset=utf-8").send(stream);
  stream.write(renderPart(reply, page, "head"));
  let lastShown = "";
  try {
    const result = await exportCldReturn(
      ctx,
      { period: text },
      {
        onProgress: (done, total, what) => {
          const shown = `${what} ${done}`;
          if (shown === lastShown) return;
          lastShown = shown;
          stream.write(
            what === "people"
              ? `<li>Read ${count(done)} of ${count(total)} people</li>\n`
              : `<li>Checked ${count(done)} rows</li>\n`,
          );
        },
      },
    );
    stream.end(renderPart(reply, { ...page, ...resultView(result) }, "tail"));
  } catch (error) {
    if (!(error instanceof NothingToReportError)) reply.log.error(error);
    const problem =
      error instanceof NothingToReportError || error instanceof ValidationError
        ? error.message
        : "Something went wrong working out the return. Try again; if it happens again, tell the service desk.";
    stream.end(renderPart(reply, { ...page, problem }, "tail"));
  }
}

async function downloadFile(
  deps: RouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  kind: "return" | "quality",
) {
  const period = periodParam(request);
  if (!period) return reply.redirect(BASE, 303);
  const ctx = serviceContextFor(deps)(request);
  const slug = (await withTenant(ctx.db, ctx.scope, currentTenantIn)).slug;
  let body: PassThrough | undefined;
  try {
    const checked = await checkCldRequest(ctx, { period });
    // The file is streamed as it is written: the response starts once the return is known to have rows.
    await exportCldReturn(
      ctx,
      { period },
      {
        open: async () => {
          body = new PassThrough();
          void reply
            .type("text/csv; charset=utf-8")
            .header("content-disposition", `attachment; filename="${cldFileName(slug, checked, kind)}"`)
            .send(body);
          return kind === "return" ? { returnFile: streamSink(body) } : { qualityFile: streamSink(body) };
        },
      },
    );
    return reply;
  } catch (error) {
    if (body) {
      // Too late for a page: the download stops short, and the browser says it failed.
      reply.log.error(error);
      body.destroy(error as Error);
      return reply;
    }
    if (error instanceof ValidationError || error instanceof NothingToReportError) {
      return reply.redirect(`${BASE}?period=${encodeURIComponent(period)}`, 303);
    }
    throw error;
  }
}

export async function cldReturnRoutes(app: FastifyInstance, deps: RouteDeps) {
  const guard = { preHandler: requireStaff("returns:cld") };
  const context = serviceContextFor(deps);

  // The form, with the 12 months to the last quarter's end filled in; with a period, the return worked out.
  app.get(BASE, guard, async (request, reply) => {
    const period = periodParam(request);
    if (!period) {
      return reply.render(VIEW, {
        title: "Client Level Data return",
        period: defaultCldPeriod(deps.today()),
      });
    }
    const ctx = context(request);
    try {
      await streamReturn(reply, ctx, await checkCldRequest(ctx, { period }));
      return reply;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const message = error.fieldErrors[0]?.message ?? error.message;
      return reply.code(400).render(VIEW, {
        title: "Client Level Data return",
        period,
        errorList: [{ text: message, href: "#period" }],
        periodError: message,
      });
    }
  });

  app.get(`${BASE}/return.csv`, guard, (request, reply) => downloadFile(deps, request, reply, "return"));
  app.get(`${BASE}/data-quality.csv`, guard, (request, reply) =>
    downloadFile(deps, request, reply, "quality"),
  );
}
