import { z } from "zod";
import type { Questionnaire } from "#/rules/types.ts";

/**
 * A resource allocation system (RAS) model as data: how questionnaire points become an indicative
 * weekly amount. The shape is what a calibration fits: a price per point (or bands), optional
 * per-outcome weights, a minimum and a cap, then adjustments.
 *
 * Exact arithmetic: prices are whole pence, weights have at most 4 decimal places and percentages at
 * most 2, so every figure is an integer once scaled, and money is rounded once per step, to the penny.
 */

const wholePence = (what: string) =>
  z
    .number({ error: `${what} must be a number of pence` })
    .int({ error: `${what} must be a whole number of pence` })
    .nonnegative({ error: `${what} must not be negative` });

const wholePoints = (what: string) =>
  z
    .number({ error: `${what} must be a number of points` })
    .int({ error: `${what} must be a whole number of points` })
    .nonnegative({ error: `${what} must not be negative` });

/** True when n has at most `places` decimal places (tolerating binary floating-point noise). */
export function hasAtMostDecimalPlaces(n: number, places: number): boolean {
  const scaled = n * 10 ** places;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

export const WEIGHT_SCALE = 10_000; // weights are stored exactly as ten-thousandths
export const PERCENT_SCALE = 100; // percentages are exact to hundredths of a percent

const weightSchema = z
  .number({ error: "A weight must be a number" })
  .positive({ error: "A weight must be more than 0" })
  .max(10, { error: "A weight must be 10 or less" })
  .refine((w) => hasAtMostDecimalPlaces(w, 4), { error: "A weight may have at most 4 decimal places" });

const pricePerPointSchema = z.strictObject({
  method: z.literal("price_per_point"),
  pricePerPointPence: wholePence("The price per point"),
});

const bandSchema = z.strictObject({
  fromPoints: wholePoints("A band's fromPoints"),
  toPoints: wholePoints("A band's toPoints"),
  weeklyPence: wholePence("A band's weekly amount"),
});

const bandsSchema = z
  .strictObject({
    method: z.literal("bands"),
    bands: z.array(bandSchema).min(1, { error: "Give at least one band" }),
  })
  .superRefine((pricing, ctx) => {
    const { bands } = pricing;
    if (bands[0] && bands[0].fromPoints !== 0) {
      ctx.addIssue({
        code: "custom",
        path: ["bands", 0, "fromPoints"],
        message: "The first band must start at 0 points",
      });
    }
    bands.forEach((band, i) => {
      if (band.toPoints < band.fromPoints) {
        ctx.addIssue({
          code: "custom",
          path: ["bands", i, "toPoints"],
          message: "toPoints must not be less than fromPoints",
        });
      }
      const previous = bands[i - 1];
      if (!previous) return;
      // Bands must join up with no gap or overlap, so every score falls in exactly one band.
      if (band.fromPoints !== previous.toPoints + 1) {
        ctx.addIssue({
          code: "custom",
          path: ["bands", i, "fromPoints"],
          message: `This band must start at ${previous.toPoints + 1} points, straight after the band before it`,
        });
      }
      // More need must never mean less money.
      if (band.weeklyPence < previous.weeklyPence) {
        ctx.addIssue({
          code: "custom",
          path: ["bands", i, "weeklyPence"],
          message: "A higher band must not give less money than the band before it",
        });
      }
    });
  });

/**
 * Informal (unpaid) care may reduce the allocation only where the carer has said they are willing and
 * able to continue (Care Act 2014 s18(7) read with the statutory guidance; Series & Clements 2013 on
 * RASs that penalised people living with carers). The calc applies it only on an explicit "yes".
 */
const informalCarerAdjustmentSchema = z.strictObject({
  kind: z.literal("informal_carer"),
  id: z.string().min(1, { error: "Give the adjustment an id" }),
  description: z.string().min(1, { error: "Describe the adjustment in plain English" }),
  reductionPercent: z
    .number({ error: "reductionPercent must be a number" })
    .min(0, { error: "reductionPercent must be between 0 and 100" })
    .max(100, { error: "reductionPercent must be between 0 and 100" })
    .refine((p) => hasAtMostDecimalPlaces(p, 2), {
      error: "reductionPercent may have at most 2 decimal places",
    }),
});

// A union of one for now: later kinds (e.g. a fixed addition) join here.
const adjustmentSchema = z.discriminatedUnion("kind", [informalCarerAdjustmentSchema]);

export const rasModelSchema = z
  .strictObject({
    id: z.string().min(1, { error: "Give the model an id" }),
    version: z.string().min(1, { error: "Give the model a version" }),
    description: z.string(),
    /** True for a tenant-independent example that has not been calibrated against real package costs. */
    example: z.boolean(),
    /** The questionnaire version whose points this model prices. */
    questionnaireId: z.string().min(1, { error: "Say which questionnaire this model prices" }),
    pricing: z.discriminatedUnion("method", [pricePerPointSchema, bandsSchema], {
      error: 'pricing.method must be "price_per_point" or "bands"',
    }),
    minimumWeeklyPence: wholePence("The minimum weekly amount"),
    maximumWeeklyPence: wholePence("The maximum weekly amount (cap)"),
    /** Per-outcome weights; an outcome not listed has weight 1. */
    domainWeights: z.record(z.string(), weightSchema).optional(),
    adjustments: z.array(adjustmentSchema).default([]),
  })
  .superRefine((model, ctx) => {
    if (model.maximumWeeklyPence < model.minimumWeeklyPence) {
      ctx.addIssue({
        code: "custom",
        path: ["maximumWeeklyPence"],
        message: "The maximum weekly amount must not be less than the minimum",
      });
    }
    const carerAdjustments = model.adjustments.filter((a) => a.kind === "informal_carer");
    if (carerAdjustments.length > 1) {
      ctx.addIssue({
        code: "custom",
        path: ["adjustments"],
        message: "Give at most one informal carer adjustment",
      });
    }
  });

export type RasModel = z.output<typeof rasModelSchema>;
export type RasModelInput = z.input<typeof rasModelSchema>;
export type RasBand = z.output<typeof bandSchema>;
export type RasAdjustment = z.output<typeof adjustmentSchema>;

/** Checks a model against the questionnaire it prices; returns problems as field paths and messages. */
export function checkModelFitsQuestionnaire(
  model: RasModel,
  questionnaire: Questionnaire,
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (model.questionnaireId !== questionnaire.id) {
    problems.push({
      path: "model.questionnaireId",
      message: `This model prices questionnaire "${model.questionnaireId}", but the assessment uses "${questionnaire.id}"`,
    });
  }
  const outcomeIds = new Set(questionnaire.outcomes.map((o) => o.id));
  for (const outcomeId of Object.keys(model.domainWeights ?? {})) {
    if (!outcomeIds.has(outcomeId)) {
      problems.push({
        path: `model.domainWeights.${outcomeId}`,
        message: `"${outcomeId}" is not an outcome in questionnaire "${questionnaire.id}"`,
      });
    }
  }
  return problems;
}
