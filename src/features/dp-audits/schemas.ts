import { z } from "zod";
import { isCalendarDate } from "#/rules/index.ts";

/** Zod schemas for the direct-payment audit: the council's settings, opening an audit, a decision, a reply. */

const whole = (what: string, min: number, max: number) =>
  z
    .int({ error: `Give ${what} as a whole number` })
    .min(min, { error: `Give ${what} as at least ${min}` })
    .max(max, { error: `Give ${what} as no more than ${max}` });

const mccList = (what: string) =>
  z
    .array(z.string().regex(/^\d{4}$/, { error: `Give each ${what} code as 4 digits, like 5813` }), {
      error: `Give the ${what} codes`,
    })
    .max(500, { error: `List no more than 500 ${what} codes` })
    .transform((codes) => [...new Set(codes)].sort());

export const auditSettingsSchema = z
  .strictObject({
    surplusAboveWeeks: whole("the surplus limit in weeks", 1, 52),
    surplusWarnBelowWeeks: whole("the low-balance warning in weeks", 0, 52),
    blockedMccs: mccList("blocked merchant category"),
    cashMccs: mccList("cash withdrawal merchant category"),
    noEvidenceWeeks: whole("the weeks without spending evidence", 1, 104),
    contributionOverdueDays: whole("the days before an unpaid contribution is flagged", 1, 365),
    firstReviewFromWeeks: whole("the weeks before the first review opens", 1, 52),
    firstReviewByWeeks: whole("the weeks the first review must be done by", 1, 52),
    thenEveryMonths: whole("the months between audits", 1, 24),
    annualOpensWeeksBefore: whole("the weeks before an annual audit counts as due", 0, 26),
    repaymentDays: whole("the days to repay", 1, 90),
  })
  .superRefine((s, ctx) => {
    if (s.surplusWarnBelowWeeks >= s.surplusAboveWeeks)
      ctx.addIssue({
        code: "custom",
        path: ["surplusWarnBelowWeeks"],
        message: "Give a low-balance warning below the surplus limit",
      });
    if (s.firstReviewByWeeks < s.firstReviewFromWeeks)
      ctx.addIssue({
        code: "custom",
        path: ["firstReviewByWeeks"],
        message: "The first review cannot be due by a week before its window opens",
      });
    if (s.blockedMccs.some((m) => s.cashMccs.includes(m)))
      ctx.addIssue({
        code: "custom",
        path: ["blockedMccs"],
        message: "A code cannot be both blocked and a cash withdrawal: cash has its own check",
      });
  });

export const newAuditSettingsSchema = z.strictObject({
  validFrom: z.string({ error: "Give the date the settings apply from" }).refine(isCalendarDate, {
    error: "Give the date the settings apply from as a real date, for example 2027-04-01",
  }),
  reason: z
    .string({ error: "Say why the settings are changing" })
    .trim()
    .min(1, { error: "Say why the settings are changing" })
    .max(2000, { error: "Keep the reason to 2000 characters" }),
  settings: auditSettingsSchema,
});

export const AUDIT_OUTCOMES = [
  "no_action",
  "advice",
  "repayment_request",
  "recovery",
  "managed_account",
] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const OUTCOME_LABELS: Record<AuditOutcome, string> = {
  no_action: "No action",
  advice: "Advice to the person",
  repayment_request: "Ask the person to repay",
  recovery: "Recover money: from the surplus, then from future payments",
  managed_account: "Move to a managed account",
};

const text = (what: string, max: number) =>
  z
    .string({ error: `Give ${what}` })
    .trim()
    .max(max, { error: `Keep ${what} to ${max} characters` });

export const decisionSchema = z
  .strictObject({
    outcome: z.enum(AUDIT_OUTCOMES, { error: "Choose the outcome of the audit" }),
    explanation: text("the person's explanation", 5000).optional(),
    note: text("the note", 5000).optional(),
    repaymentPence: z
      .int({ error: "Give the amount to repay in pounds and pence, like 120.50" })
      .positive({ error: "Give an amount to repay of more than £0" })
      .optional(),
    recoveryPence: z
      .int({ error: "Give the amount to recover in pounds and pence, like 120.50" })
      .positive({ error: "Give an amount to recover of more than £0" })
      .optional(),
  })
  .superRefine((d, ctx) => {
    if (d.outcome === "repayment_request" && d.repaymentPence === undefined)
      ctx.addIssue({ code: "custom", path: ["repaymentPence"], message: "Give the amount to repay" });
    if (d.outcome !== "repayment_request" && d.repaymentPence !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["repaymentPence"],
        message: "Give an amount only when asking the person to repay",
      });
    if (d.outcome === "recovery" && d.recoveryPence === undefined)
      ctx.addIssue({ code: "custom", path: ["recoveryPence"], message: "Give the amount to recover" });
    if (d.outcome !== "recovery" && d.recoveryPence !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["recoveryPence"],
        message: "Give an amount to recover only when recovering money",
      });
    if ((d.outcome === "advice" || d.outcome === "managed_account") && !d.note)
      ctx.addIssue({
        code: "custom",
        path: ["note"],
        message:
          d.outcome === "advice"
            ? "Write the advice the person will read"
            : "Say why the account should be managed",
      });
  });
export type AuditDecision = z.infer<typeof decisionSchema>;

/** Turning an unpaid repayment request into a recovery: the amount, at most the request's (the request's by default). */
export const unpaidRecoverySchema = z.strictObject({
  recoveryPence: z
    .int({ error: "Give the amount to recover in pounds and pence, like 120.50" })
    .positive({ error: "Give an amount to recover of more than £0" })
    .optional(),
  note: text("the note", 5000).optional(),
});

export const replySchema = z.strictObject({
  reply: z
    .string({ error: "Write your reply" })
    .trim()
    .min(1, { error: "Write your reply" })
    .max(5000, { error: "Keep your reply to 5000 characters" }),
});
