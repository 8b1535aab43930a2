import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { FUNDING_STREAM_KINDS } from "#/features/funding/schemas.ts";
import { type CommittedOnStream, fundingStreamsOn } from "#/features/funding/service.ts";
import { isoDateSchema } from "#/features/funding/settings-schemas.ts";
import { apiRoute } from "#/platform/web/openapi.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";

/**
 * The council's funding streams over `/api/v1`, as they are on a date: the settings version in force, each
 * stream with its pot for that financial year, what is committed and what is available, and the payer order.
 */

/** A query, so no schema id: the OpenAPI document lists its fields as parameters. */
export const fundingStreamsQuery = z.strictObject({
  on: isoDateSchema("the date")
    .optional()
    .describe("The date the streams are wanted for (YYYY-MM-DD); today in London if left out"),
});

export const fundingStreamsResponse = z
  .object({
    date: z.iso.date(),
    financialYear: z.object({ start: z.iso.date(), end: z.iso.date(), label: z.string() }),
    periodWeeks: z
      .number()
      .int()
      .describe(
        "Weeks from the date to the end of its financial year, a part week counted: the period the pots cover",
      ),
    version: z.object({ version: z.number().int(), validFrom: z.iso.date(), settingsVersionId: z.uuid() }),
    streams: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        kind: z.enum(FUNDING_STREAM_KINDS),
        categories: z.array(z.string()).describe("The support categories the stream may pay for"),
        meansTested: z
          .boolean()
          .describe("Only means-tested streams are reduced by the person's contribution"),
        annualPotPence: z.number().int().describe("The stream's pot for the financial year, in pence"),
        committedPence: z
          .number()
          .int()
          .describe("What live personal budgets have committed from it this year"),
        availablePence: z.number().int().describe("The pot less what is committed: what plans may still use"),
      }),
    ),
    payerOrder: z
      .record(z.string(), z.array(z.string()))
      .describe("Per support category, the streams that pay for it, first payer first"),
  })
  .meta({ id: "FundingStreams" });

/** Budgets sit above funding: app.ts passes in how budgets count what is committed from a stream. */
export type FundingApiDeps = RouteDeps & { committedOnStream: CommittedOnStream };

export async function fundingApi(app: FastifyInstance, deps: FundingApiDeps) {
  const ctx = serviceContextFor(deps);

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/funding-streams",
      operationId: "listFundingStreams",
      summary:
        "The council's funding streams in force on a date, each with its pot for the financial year and what is available, and the payer order per support category",
      tag: "Funding",
      auth: "staff",
      permission: "funding:read",
      query: fundingStreamsQuery,
      response: fundingStreamsResponse,
      problems: { 409: "The council has no funding settings in force on the date" },
    },
    async ({ request, query }) =>
      fundingStreamsOn(ctx(request), query.on ?? deps.today(), deps.committedOnStream),
  );
}
