import { z } from "zod";
import { CARD_FEED_LAYOUT_IDS } from "#/features/spending/card-feed-layouts.calc.ts";
import { isCalendarDate } from "#/rules/index.ts";
import { localIdSchema } from "#/vocabulary/plan-ids.ts";
import { categoryIdSchema } from "#/vocabulary/support-categories.ts";

/**
 * Zod schemas for spending, shared by pages, API and CLI: card feed imports, provider invoices, pools, and the
 * council's surplus and monitoring settings. The rules that need more than one field (dates within the budget,
 * totals adding up, shares adding up to 1) are in the calcs, which report them with the same kind of message.
 */

const whenMissing = (message: string) => ({
  error: (issue: { code?: string }) => (issue.code === "invalid_type" ? message : undefined),
});

const text = (what: string, max: number) =>
  z
    .string(whenMissing(`Write ${what}`))
    .trim()
    .min(1, { error: `Write ${what}` })
    .max(max, { error: `Keep ${what} to ${max} characters` });

export const dateSchema = (what: string) =>
  z.string(whenMissing(`Give ${what} as a date, for example 2025-04-01`)).refine(isCalendarDate, {
    error: `${what.charAt(0).toUpperCase()}${what.slice(1)} must be a real date, for example 2025-04-01`,
  });

/** £1,000,000: more on one invoice line is almost certainly pounds typed as pence. */
export const MAX_INVOICE_LINE_PENCE = 100_000_000;

const penceSchema = (what: string, { min = 0, max = MAX_INVOICE_LINE_PENCE } = {}) =>
  z
    .int(whenMissing(`Give ${what} as a whole number of pence (for example 1850 for £18.50)`))
    .min(min, { error: min > 0 ? `${what} must be more than £0.00` : `${what} cannot be negative` })
    .max(max, { error: `${what} is more than £1,000,000: check the amount is in pence` });

// ---------------------------------------------------------------------------------------------------------------
// Card feeds

export const cardFeedImportSchema = z.strictObject({
  layout: z.enum([...CARD_FEED_LAYOUT_IDS, "detect"], {
    error: `Choose the layout of the file: ${[...CARD_FEED_LAYOUT_IDS, "detect"].join(", ")}`,
  }),
  /** The provider name used in idempotency keys; defaults to the layout's. */
  provider: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, {
      error: "The provider is a short name in lower case, for example allpay",
    })
    .optional(),
  cashWithdrawalsPermitted: z.boolean(whenMissing("Say whether cash withdrawals are permitted on this card")),
});
export type CardFeedImport = z.infer<typeof cardFeedImportSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Provider invoices

export const invoiceLineSchema = z
  .strictObject({
    description: text("what the line is for", 300),
    /** The plan's support line this pays for, where the provider knows it. */
    supportId: localIdSchema.optional(),
    category: categoryIdSchema.optional(),
    serviceFrom: dateSchema("the first day of the service on this line").optional(),
    serviceTo: dateSchema("the last day of the service on this line").optional(),
    amountPence: penceSchema("The line's amount", { min: 1 }),
  })
  .refine((l) => l.supportId !== undefined || l.category !== undefined, {
    error: "Say which support line or support category the line is for",
    path: ["category"],
  });

export const invoiceSchema = z.strictObject({
  /** The directory id, where the provider is in the council's directory. */
  providerId: text("the provider's id", 100).optional(),
  providerName: text("the provider's name", 200),
  invoiceNumber: text("the invoice number", 50),
  issueDate: dateSchema("the invoice date"),
  serviceFrom: dateSchema("the first day of the service invoiced"),
  serviceTo: dateSchema("the last day of the service invoiced"),
  lines: z
    .array(invoiceLineSchema, whenMissing("List the invoice's lines"))
    .min(1, { error: "An invoice needs at least one line" })
    .max(500, { error: "An invoice may have at most 500 lines: split it" }),
  totalPence: penceSchema("The invoice total", { max: 1_000_000_000 }),
});
export type Invoice = z.infer<typeof invoiceSchema>;
export type InvoiceLine = Invoice["lines"][number];

// ---------------------------------------------------------------------------------------------------------------
// Pools

export const poolShareSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("fraction"),
      numerator: z.int().min(1, { error: "A share's top number is at least 1" }),
      denominator: z.int().min(1, { error: "A share's bottom number is at least 1" }),
    }),
    z.strictObject({ kind: z.literal("fixed"), pence: penceSchema("The fixed share") }),
  ],
  { error: 'Say whether the share is a "fraction" or a "fixed" amount' },
);

export const poolSchema = z.strictObject({
  name: text("the name of the pooled arrangement", 200),
  members: z
    .array(z.strictObject({ budgetId: text("the budget's id", 100), share: poolShareSchema }))
    .min(2, { error: "A pool is shared by at least 2 budgets" })
    .max(100, { error: "A pool is shared by at most 100 budgets" }),
});
export type PoolInput = z.infer<typeof poolSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Council settings for spending (dated versions; a new one applies from its date)

export const surplusLimitSettingSchema = z.strictObject({
  validFrom: dateSchema("the date the limit applies from"),
  weeks: z
    .int(whenMissing("Give the limit as a whole number of weeks"))
    .min(0, { error: "The limit cannot be negative" })
    .max(52, { error: "The limit is at most 52 weeks" }),
  source: text("where the council decided this (policy and section)", 300),
  minimumRecoveryPence: penceSchema("The smallest amount worth recovering").optional(),
});

export const monitoringThresholdsSchema = z
  .strictObject({
    underspendBelowBasisPoints: z.int().min(0).max(10_000),
    overspendAboveBasisPoints: z.int().min(10_000).max(100_000),
  })
  .describe("Basis points of the planned amount: 7500 is 75%");
