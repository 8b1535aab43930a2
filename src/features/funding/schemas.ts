import { z } from "zod";
import { categoryIdSchema } from "#/vocabulary/support-categories.ts";

/**
 * A council's funding streams and its payer order, as the pages, API and CLI take them.
 *
 * A funding stream is a source of money with its own restrictions (Right to Control trailblazers, 2010–2013:
 * adult social care, Supporting People, Independent Living Fund, Disabled Facilities Grant, Access to Work …).
 * Each says which support categories it may pay for, whether it is means-tested (only means-tested streams are
 * reduced by the person's contribution) and how much its pot has left for the period being planned.
 *
 * The payer order says, per support category, which streams pay and in what order: the first listed pays as much
 * as it may, then the next, and so on (see apportion.calc.ts).
 */

const whenMissing = (message: string) => ({
  error: (issue: { code?: string }) => (issue.code === "invalid_type" ? message : undefined),
});

export const FUNDING_STREAM_KINDS = [
  "adult_social_care",
  "nhs_personal_health_budget",
  "employment_support",
  "housing_related_support",
  "disabled_facilities_grant",
  "independent_living_fund",
  "other",
] as const;
export type FundingStreamKind = (typeof FUNDING_STREAM_KINDS)[number];

/** The largest pot we accept for one stream and period: £10 billion. More is a slip (pounds typed as pence). */
export const MAX_POT_PENCE = 1_000_000_000_000;

export const streamIdSchema = z
  .string(whenMissing("Give the funding stream's id"))
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, {
    error: "A funding stream id is a short id in lower case, for example adult_social_care",
  });

export const fundingStreamSchema = z
  .strictObject({
    id: streamIdSchema,
    name: z
      .string(whenMissing("Give the funding stream's name"))
      .trim()
      .min(1, { error: "Give the funding stream's name" })
      .max(200),
    kind: z.enum(FUNDING_STREAM_KINDS, {
      error: `Say what kind of stream this is: one of ${FUNDING_STREAM_KINDS.join(", ")}`,
    }),
    /** The support categories this stream may pay for. */
    categories: z
      .array(categoryIdSchema)
      .min(1, { error: "Say which support categories this stream may pay for" }),
    /** Only means-tested streams are reduced by the person's contribution. */
    meansTested: z.boolean(whenMissing("Say whether the stream is means-tested: true or false")),
    /** What the stream's pot has left for the period being planned, in whole pence. */
    availablePence: z
      .int(whenMissing("Give the amount left in the stream's pot as a whole number of pence"))
      .min(0, { error: "The amount left in the pot cannot be negative" })
      .max(MAX_POT_PENCE, {
        error: "The amount left in the pot is more than £10 billion: check it is in pence",
      }),
  })
  .superRefine((stream, ctx) => {
    // NHS care is free at the point of use unless charges are expressly provided for (National Health Service
    // Act 2006, s1(4)); a personal health budget is never charged, so it is never means-tested.
    if (stream.kind === "nhs_personal_health_budget" && stream.meansTested) {
      ctx.addIssue({
        code: "custom",
        path: ["meansTested"],
        message: "An NHS personal health budget is never charged for, so it cannot be means-tested",
      });
    }
    const seen = new Set<string>();
    stream.categories.forEach((category, i) => {
      if (seen.has(category)) {
        ctx.addIssue({ code: "custom", path: ["categories", i], message: `"${category}" is listed twice` });
      }
      seen.add(category);
    });
  });
export type FundingStream = z.infer<typeof fundingStreamSchema>;

/** Per support category, the streams that pay for it, first payer first. */
export const payerOrderSchema = z.record(
  categoryIdSchema,
  z.array(streamIdSchema).min(1, { error: "List at least one stream, or leave the category out" }),
);
export type PayerOrder = z.infer<typeof payerOrderSchema>;

export const fundingConfigSchema = z
  .strictObject({
    streams: z.array(fundingStreamSchema).max(50, { error: "A council has at most 50 funding streams" }),
    payerOrder: payerOrderSchema.default({}),
  })
  .superRefine((config, ctx) => {
    const byId = new Map<string, FundingStream>();
    config.streams.forEach((stream, i) => {
      if (byId.has(stream.id)) {
        ctx.addIssue({
          code: "custom",
          path: ["streams", i, "id"],
          message: `Another funding stream already has the id "${stream.id}"`,
        });
      }
      byId.set(stream.id, stream);
    });
    for (const [category, streamIds] of Object.entries(config.payerOrder)) {
      const seen = new Set<string>();
      streamIds.forEach((id, i) => {
        const stream = byId.get(id);
        if (!stream) {
          ctx.addIssue({
            code: "custom",
            path: ["payerOrder", category, i],
            message: `There is no funding stream "${id}"`,
          });
        } else if (!stream.categories.includes(category)) {
          ctx.addIssue({
            code: "custom",
            path: ["payerOrder", category, i],
            message: `${stream.name} may not pay for ${category}: add the category to the stream, or take it out of this order`,
          });
        }
        if (seen.has(id)) {
          ctx.addIssue({
            code: "custom",
            path: ["payerOrder", category, i],
            message: `"${id}" is listed twice for ${category}`,
          });
        }
        seen.add(id);
      });
    }
  });
export type FundingConfig = z.infer<typeof fundingConfigSchema>;
