import { z } from "zod";
import { isCalendarDate } from "#/rules/index.ts";

/**
 * Zod schemas shared by the budget pages and the API: ending a budget (Upfront issue 6: end of support, death,
 * moving away; a new plan version replaces a budget through planning instead), and writing off money owed back.
 */

/** The reasons a member of staff may give for ending a budget (endBudgetIn's, less "replaced"). */
export const END_REASONS = ["support_ended", "died", "moved_away", "other"] as const;
export type EndReason = (typeof END_REASONS)[number];

export const END_REASON_LABELS: Record<EndReason, string> = {
  support_ended: "Support is no longer needed",
  died: "The person has died",
  moved_away: "The person moved to another council",
  other: "Other",
};

export const endBudgetSchema = z
  .strictObject({
    endDate: z
      .string({ error: "Give the last day the budget pays for, written YYYY-MM-DD" })
      .refine(isCalendarDate, { error: "Give the end date as a real date written YYYY-MM-DD" })
      .describe("The last day the budget pays for (YYYY-MM-DD); payments stop after it"),
    reason: z
      .enum(END_REASONS, { error: `Say why the budget ends: ${END_REASONS.join(", ")}` })
      .describe("Why the budget ends"),
  })
  .meta({ id: "EndBudget" });
export type EndBudgetInput = z.input<typeof endBudgetSchema>;
export type EndBudgetRequest = z.output<typeof endBudgetSchema>;
