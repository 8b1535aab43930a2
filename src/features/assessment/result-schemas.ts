import { z } from "zod";

/**
 * The eligibility decision and the allocation as the API returns them: described for the OpenAPI document, and
 * used by tests to parse real responses. Shared by the assessments API and the public calculators (faces/).
 */

export const eligibilityDecisionResponse = z
  .object({
    eligible: z.boolean(),
    jurisdiction: z.string(),
    ruleId: z.string(),
    rulePackId: z.string(),
    questionnaireId: z.string(),
    conditions: z.array(
      z.object({
        id: z.enum(["impairment", "two_or_more_outcomes", "significant_wellbeing_impact"]),
        met: z.boolean(),
        provision: z.string(),
        reason: z.string(),
      }),
    ),
    outcomesNotAchieved: z.array(
      z.object({
        outcomeId: z.string(),
        label: z.string(),
        because: z.array(z.string()),
        carerSupportDisregarded: z.string().optional(),
      }),
    ),
    reasons: z.array(z.string()).describe("The decision and its reasons, addressed to the person"),
    adviceIfNotEligible: z.array(z.string()).optional(),
  })
  .meta({ id: "EligibilityDecision" });

const pence = (description: string) => z.number().int().describe(`${description}, in whole pence`);

export const allocationResponse = z
  .object({
    modelId: z.string(),
    modelVersion: z.string(),
    modelIsExample: z.boolean(),
    questionnaireId: z.string(),
    lines: z.array(
      z.object({
        kind: z.literal("item"),
        outcomeId: z.string(),
        itemId: z.string(),
        question: z.string(),
        answer: z.string(),
        points: z.number(),
      }),
    ),
    domainPoints: z.record(z.string(), z.number()),
    totalPoints: z.number(),
    weightedPoints: z.number(),
    priceOrBand: z.discriminatedUnion("method", [
      z.object({
        method: z.literal("price_per_point"),
        pricePerPointPence: pence("The price of one point"),
        weightedPoints: z.number(),
        amountPence: pence("The amount before adjustments"),
      }),
      z.object({
        method: z.literal("bands"),
        bandPoints: z.number().int(),
        band: z.object({
          fromPoints: z.number().int(),
          toPoints: z.number().int(),
          weeklyPence: pence("The band"),
        }),
        aboveTopBand: z.boolean(),
        amountPence: pence("The amount before adjustments"),
      }),
    ]),
    beforeAdjustments: pence("The weekly amount before adjustments"),
    adjustments: z.array(
      z.object({ id: z.string(), description: z.string(), amountPence: pence("The change") }),
    ),
    afterAdjustments: pence("The weekly amount after adjustments"),
    minimumApplied: z.boolean(),
    capApplied: z.boolean(),
    weeklyPence: pence("The indicative weekly budget"),
    fourWeeklyPence: pence("The indicative 4-weekly budget"),
    annualPence: pence("The indicative annual budget"),
    explanation: z.array(z.string()).describe("Each line of the working, in plain English"),
    statement: z.string().describe("Always shown with the amount: it is indicative and can go up or down"),
  })
  .meta({ id: "Allocation" });
