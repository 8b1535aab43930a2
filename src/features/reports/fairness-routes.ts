import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import {
  cutsChart,
  groupChart,
  perPointOverTimeChart,
  spendChart,
} from "#/features/reports/fairness-charts.ts";
import { FAIRNESS_QUARTERS } from "#/features/reports/fairness-service.ts";
import { fairnessSettingsRoutes } from "#/features/reports/fairness-settings-routes.ts";
import { fairnessSnapshot } from "#/features/reports/snapshot-service.ts";
import { snapshotField, snapshotResponse, snapshotSentence } from "#/features/reports/snapshot-view.ts";
import { NotFoundError } from "#/platform/errors.ts";
import { apiRoute } from "#/platform/web/openapi.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";

/**
 * The public fairness dashboard (issue 15): `/{council}/fairness`, no sign-in, and the same figures at
 * `GET /api/v1/councils/{council}/fairness`, both from the council's stored snapshot (snapshot-service.ts,
 * refreshed nightly), with when it was worked out. Read-only GETs, so no CSRF token is needed. Its settings
 * page for administrators (/admin/fairness) is fairness-settings-routes.ts.
 */

const NO_COUNCIL = {
  title: "Page not found",
  paragraphs: [
    "There is no council at this address. If you typed the web address, check it is correct.",
    "The address is the council's short name, for example /demo/fairness.",
  ],
};

async function page(deps: RouteDeps, request: FastifyRequest, reply: FastifyReply) {
  const { council } = request.params as { council: string };
  const found = await fairnessSnapshot(deps, council, deps.today());
  if (!found) return reply.code(404).render("error.njk", NO_COUNCIL);
  const { tenant, rules, setting, dashboard, snapshot } = found;
  // The groups are shown for the latest quarter with enough people to show anything.
  const latest =
    [...dashboard.quarters].reverse().find((q) => !q.everyone.hidden) ?? dashboard.quarters.at(-1)!;
  return reply.render("reports/views/fairness.njk", {
    title: `Is support fair? ${tenant.name}`,
    council: { name: tenant.name, slug: tenant.slug },
    dashboard,
    latest,
    rules,
    setting,
    quarters: FAIRNESS_QUARTERS,
    charts: {
      perPoint: perPointOverTimeChart(dashboard),
      groups: latest.everyone.hidden
        ? []
        : latest.dimensions.map((d) => ({ ...d, chart: groupChart(d, latest.everyone.perPointPence!) })),
      cuts: cutsChart(dashboard),
      spend: spendChart(dashboard),
    },
    apiPath: `/api/v1/councils/${tenant.slug}/fairness`,
    snapshotSentence: snapshotSentence(snapshot),
  });
}

// ---- the API's response, described for the OpenAPI document ---------------------------------------------

const pence = (what: string) => z.number().int().nullable().describe(`${what}, in pence; null when hidden`);

const spend = {
  hidden: z.boolean(),
  people: z.number().int().nullable(),
  totalPence: pence("Spend on long-term support"),
  perPersonPence: pence("Spend per person supported"),
  to: z.iso.date(),
};

const group = z.object({
  id: z.string(),
  label: z.string(),
  hidden: z.boolean().describe("True when the figures are hidden to protect a small number of people"),
  people: z.number().int().nullable(),
  meanWeeklyPence: pence("The mean weekly personal budget"),
  meanNeedPoints: z.number().nullable().describe("The mean assessed need points, to one decimal place"),
  perPointPence: pence("The mean weekly budget per need point"),
  ciLowPence: pence("The low end of its 95% confidence interval"),
  ciHighPence: pence("The high end of its 95% confidence interval"),
  differencePercent: z.number().nullable().describe("Against everyone's budget per need point, one decimal"),
  named: z.enum(["less", "more"]).nullable().describe("Named: beyond the margin, and not likely chance"),
});

export const fairnessResponse = z
  .object({
    council: z.object({ name: z.string(), slug: z.string() }),
    today: z.iso.date(),
    settings: z.object({
      suppressFewerThan: z.number().int().describe("Figures about fewer people than this are hidden"),
      marginPercent: z.number(),
      source: z
        .union([
          z.object({ kind: z.literal("council"), validFrom: z.iso.date(), reason: z.string() }),
          z.object({ kind: z.literal("rules"), id: z.string() }),
        ])
        .describe("The council's own setting from a date, or the rules' defaults"),
    }),
    priceIndex: z.object({ id: z.string(), name: z.string(), description: z.string() }),
    quarters: z.array(
      z.object({
        quarter: z.object({ id: z.string(), label: z.string(), start: z.iso.date(), end: z.iso.date() }),
        snapshotDate: z.iso.date(),
        everyone: group,
        notCompared: z.number().int().nullable(),
        dimensions: z.array(z.object({ id: z.string(), label: z.string(), groups: z.array(group) })),
        named: z.array(z.object({ dimension: z.string(), groupId: z.string(), statement: z.string() })),
        cuts: z.object({
          hidden: z.boolean(),
          people: z.number().int().nullable(),
          meanBudgetPence: pence("The mean weekly personal budget"),
          meanPreviousPence: pence("The mean weekly cost of the package replaced, in the same prices"),
          meanDifferencePence: pence("Budget minus package"),
          ciLowPence: pence("The low end of its 95% confidence interval"),
          ciHighPence: pence("The high end of its 95% confidence interval"),
          less: z.number().int().nullable(),
          same: z.number().int().nullable(),
          more: z.number().int().nullable(),
          verdict: z.enum(["lower", "higher", "no_clear_difference"]).nullable(),
          pricesFrom: z.iso.date().nullable(),
        }),
        spend: z.object(spend),
      }),
    ),
    snapshot: snapshotResponse,
    spendOverTime: z
      .object({ ...spend, from: z.iso.date() })
      .optional()
      .describe(
        "Spend over all the quarters together: their totals added, and the people supported in any of them; " +
          "hidden whenever a quarter is, so it cannot give a hidden quarter back. Absent from a snapshot " +
          "stored before it was added, until the next nightly refresh.",
      ),
  })
  .meta({ id: "FairnessDashboard" });

export async function fairnessRoutes(app: FastifyInstance, deps: RouteDeps) {
  app.get("/:council/fairness", (request, reply) => page(deps, request, reply));
  // The administrator's settings for it (/admin/fairness): signed in, guarded by permission.
  await fairnessSettingsRoutes(app, deps);

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/councils/:council/fairness",
      operationId: "getFairnessDashboard",
      summary:
        "The public fairness dashboard's figures for a council: for each of the last four quarters, personal " +
        "budgets per point of assessed need by group with 95% intervals and the groups named, the budgets " +
        "against the packages they replaced in the same prices, and spend on long-term support. Figures about " +
        "fewer people than the council's setting are null. Public; the same figures as /{council}/fairness.",
      tag: "Reports",
      auth: "public",
      response: fairnessResponse,
    },
    async ({ params }) => {
      const found = await fairnessSnapshot(deps, params.council ?? "", deps.today());
      if (!found) throw new NotFoundError("The council");
      const { tenant, rules, setting, dashboard, snapshot } = found;
      const { id, name, description } = rules.priceIndex;
      return {
        council: { name: tenant.name, slug: tenant.slug },
        ...dashboard,
        settings: { ...dashboard.settings, source: setting.source },
        priceIndex: { id, name, description },
        snapshot: snapshotField(snapshot),
      };
    },
  );
}
