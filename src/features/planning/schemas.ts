import { z } from "zod";
import { DEPLOYMENTS } from "#/vocabulary/deployments.ts";
import { MAX_ONE_OFF_PENCE, MAX_UNIT_COST_PENCE, MAX_UNITS_PER_WEEK } from "#/vocabulary/money-limits.ts";
import { SUPPORT_SOURCE_KINDS, type SupportSourceKind } from "#/vocabulary/plan-costing.ts";
import { localIdSchema } from "#/vocabulary/plan-ids.ts";
import {
  capitalise,
  duplicateIds,
  optionalText,
  pounds,
  text,
  whenMissing,
} from "#/vocabulary/schema-kit.ts";
import { categoryIdSchema } from "#/vocabulary/support-categories.ts";
import { UNITS, UNITS_SCALE } from "#/vocabulary/units.ts";

export {
  type AllocationOverridePolicy,
  APPROVER_ROLES,
  type ApprovalThresholds,
  type ApproverLevel,
  type ApproverRole,
  allocationOverridePolicySchema,
  approvalThresholdsSchema,
  approverLevelSchema,
  type DelegatedAuthority,
  delegatedAuthoritySchema,
} from "#/vocabulary/approval-policy.ts";
// The plan's shared words (units, deployments, support categories, approval policy) live in src/vocabulary/, so
// the features that use them need not import planning; they are re-exported here for planning's own code.
export {
  CLIENT_LEVEL_DATA_DELIVERY_MECHANISM,
  DEPLOYMENT_LABELS,
  DEPLOYMENTS,
  type Deployment,
  SCOTTISH_SDS_OPTION,
} from "#/vocabulary/deployments.ts";
export { MAX_ONE_OFF_PENCE, MAX_UNIT_COST_PENCE, MAX_UNITS_PER_WEEK } from "#/vocabulary/money-limits.ts";
export { localIdSchema } from "#/vocabulary/plan-ids.ts";
export { categoryIdSchema, DEFAULT_SUPPORT_CATEGORIES } from "#/vocabulary/support-categories.ts";
export { UNITS, UNITS_SCALE, type Unit } from "#/vocabulary/units.ts";

/**
 * The support plan as data: what the person wants to achieve (outcomes, in their own words), the supports that
 * will get them there, what each costs and how the money for it is deployed, the risks and how they are handled,
 * and what happens if the support breaks down (the contingency plan).
 *
 * The schema refuses anything that could never be a valid plan (Upfront issue 5, "invalid plans are refused
 * with clear messages"): a plan with no outcome, a support that serves no outcome or one that does not exist,
 * negative costs, and costs that are not whole pence. What a plan needs before it may be approved (a contingency
 * plan, a reason for going over the indicative budget) is checked by plan.calc.ts (`readinessProblems`), because a
 * draft may be saved without it.
 *
 * Money is whole pence (house rule); a weekly cost is a unit cost × units a week; a one-off cost is shown apart
 * from the weekly amount. Shared by the pages, the API and the CLI.
 */

const penceAmount = (what: string, max: number) =>
  z
    .int(whenMissing(`Give ${what} as a whole number of pence (for example 1850 for £18.50)`))
    .min(0, { error: `${capitalise(what)} cannot be negative` })
    .max(max, { error: `${capitalise(what)} is more than ${pounds(max)}: check the amount is in pence` });

// ---------------------------------------------------------------------------------------------------------------
// Outcomes, supports, risks

export const outcomeSchema = z.strictObject({
  id: localIdSchema,
  /** What the person wants, in their own words: never rewritten by staff. */
  inTheirWords: text("the outcome in the person's own words", 1000),
  /** How the person (and we) will know it is met. */
  howWeWillKnow: text("how we will know the outcome is met", 1000),
});

/** Who provides the support (vocabulary/plan-costing.ts: the costing carries it too). */
export { SUPPORT_SOURCE_KINDS, type SupportSourceKind };

export const supportSourceSchema = z.discriminatedUnion(
  "kind",
  [
    /** A provider (and optionally one of its services) from the council's directory. */
    z.strictObject({
      kind: z.literal("provider"),
      providerId: text("the provider's id", 100),
      serviceId: optionalText("the service's id", 100),
      /** The name as it was when chosen, so the plan reads the same if the directory changes. */
      name: text("the provider's name", 200),
    }),
    /** A personal assistant the person employs (who may also be listed in the directory). */
    z.strictObject({
      kind: z.literal("personal_assistant"),
      name: optionalText("the personal assistant's name", 200),
      providerId: optionalText("the directory id", 100),
    }),
    /** A pooled arrangement shared with others; the cost on the line is this person's share. */
    z.strictObject({
      kind: z.literal("pooled"),
      arrangement: text("the name of the pooled arrangement", 200),
      peopleSharing: z
        .int(whenMissing("Say how many people share the arrangement"))
        .min(2, { error: "A pooled arrangement is shared by at least 2 people" })
        .max(100, { error: "A pooled arrangement is shared by at most 100 people" }),
    }),
    /** Something the person arranges themselves (a class, a membership, a friend's paid help). */
    z.strictObject({ kind: z.literal("self_arranged"), description: text("what is arranged", 500) }),
    /** Universal or community support open to anyone, at no cost to the budget. */
    z.strictObject({ kind: z.literal("universal"), name: text("the name of the service or group", 200) }),
  ],
  {
    error: `Say who provides the support: one of ${SUPPORT_SOURCE_KINDS.join(", ")}`,
  },
);
export type SupportSource = z.infer<typeof supportSourceSchema>;

/** Units a week are a number with at most two decimal places (0.25 hours is a quarter of an hour). */
const unitsPerWeekSchema = z
  .number(whenMissing("Give the number of units a week, for example 10.5"))
  .min(0, { error: "The number of units a week cannot be negative" })
  .max(MAX_UNITS_PER_WEEK, {
    error: `More than ${MAX_UNITS_PER_WEEK} units a week: check it is a weekly number`,
  })
  .refine((n) => Math.abs(n * UNITS_SCALE - Math.round(n * UNITS_SCALE)) < 1e-9, {
    error: "Give units a week to at most two decimal places (for example 0.25 for a quarter of an hour)",
  });

export const supportCostSchema = z.discriminatedUnion(
  "basis",
  [
    z.strictObject({
      basis: z.literal("weekly"),
      unitCostPence: penceAmount("the unit cost", MAX_UNIT_COST_PENCE),
      unit: z.enum(UNITS, { error: `Say what the unit is: ${UNITS.join(", ")}` }),
      unitsPerWeek: unitsPerWeekSchema,
    }),
    z.strictObject({
      basis: z.literal("one_off"),
      amountPence: penceAmount("the one-off cost", MAX_ONE_OFF_PENCE),
    }),
    /** No cost to the budget (universal services, unpaid help). */
    z.strictObject({ basis: z.literal("none") }),
  ],
  { error: 'Say how the support is costed: "weekly", "one_off" or "none"' },
);
export type SupportCost = z.infer<typeof supportCostSchema>;

export const supportSchema = z.strictObject({
  id: localIdSchema,
  /** What the support is, in plain words. */
  what: text("what the support is", 500),
  category: categoryIdSchema,
  from: supportSourceSchema,
  cost: supportCostSchema,
  /** Required when the support costs the budget anything; see `DEPLOYMENTS`. */
  deployment: z
    .enum(DEPLOYMENTS, { error: `Say how the money is used: one of ${DEPLOYMENTS.join(", ")}` })
    .optional(),
  /** The outcomes this support helps to meet: at least one, each one in the plan. */
  outcomeIds: z
    .array(localIdSchema, whenMissing("Say which outcomes this support helps to meet"))
    .min(1, { error: "Say which outcome this support helps to meet: every support must serve an outcome" })
    .max(50),
});
export type Support = z.infer<typeof supportSchema>;

export const riskSchema = z.strictObject({
  id: localIdSchema,
  description: text("the risk", 1000),
  howHandled: text("how the risk is handled", 1000),
  /** Who agreed to take the risk or to manage it, where the plan records it. */
  whoManagesIt: optionalText("who manages the risk", 200),
});

// ---------------------------------------------------------------------------------------------------------------
// The plan

const nhsFlag = z
  .boolean({ error: "Say whether the NHS has agreed a personal health budget: true or false" })
  .optional();

export const supportPlanSchema = z
  .strictObject({
    outcomes: z
      .array(outcomeSchema, whenMissing("List the outcomes the person wants from the plan"))
      .min(1, { error: "A plan needs at least one outcome, in the person's own words" })
      .max(50, { error: "A plan has at most 50 outcomes" }),
    supports: z
      .array(supportSchema, whenMissing("List the supports in the plan"))
      .max(200, { error: "A plan has at most 200 supports" })
      .default([]),
    risks: z.array(riskSchema, whenMissing("List the risks")).max(100).default([]),
    /** What happens if the support breaks down; required before the plan goes for approval. */
    contingency: optionalText("the contingency plan", 2000),
    /** Why the plan needs more than the indicative budget; required when it does (sufficiency comes first). */
    overAllocationReason: optionalText("the reason the plan needs more than the indicative budget", 2000),
    /**
     * The NHS has agreed a personal health budget for the person, so NHS personal health budget streams may pay
     * for the plan (they are open to nobody else). Never means-tested: an NHS personal health budget is never
     * charged.
     */
    nhsPersonalHealthBudget: nhsFlag,
  })
  .superRefine((plan, ctx) => {
    duplicateIds(
      plan.outcomes.map((o) => o.id),
      "outcomes",
      "outcome",
      ctx,
    );
    duplicateIds(
      plan.supports.map((s) => s.id),
      "supports",
      "support",
      ctx,
    );
    duplicateIds(
      plan.risks.map((r) => r.id),
      "risks",
      "risk",
      ctx,
    );
    const outcomeIds = new Set(plan.outcomes.map((o) => o.id));
    plan.supports.forEach((support, i) => {
      const seen = new Set<string>();
      support.outcomeIds.forEach((id, j) => {
        if (!outcomeIds.has(id)) {
          ctx.addIssue({
            code: "custom",
            path: ["supports", i, "outcomeIds", j],
            message: `There is no outcome "${id}" in this plan: choose one of the plan's outcomes`,
          });
        }
        if (seen.has(id)) {
          ctx.addIssue({
            code: "custom",
            path: ["supports", i, "outcomeIds", j],
            message: `Outcome "${id}" is listed twice for this support`,
          });
        }
        seen.add(id);
      });
      const costs = support.cost.basis !== "none";
      if (support.from.kind === "universal" && costs) {
        ctx.addIssue({
          code: "custom",
          path: ["supports", i, "cost", "basis"],
          message:
            'Universal and community support is free: set the cost to "none", or say who else provides it',
        });
      }
      if (costs && support.deployment === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["supports", i, "deployment"],
          message: `Say how the money for this support is used: one of ${DEPLOYMENTS.join(", ")}`,
        });
      }
      if (!costs && support.deployment !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["supports", i, "deployment"],
          message: "This support costs nothing, so no money is deployed for it: leave the deployment out",
        });
      }
      if (support.deployment === "individual_service_fund" && support.from.kind !== "provider") {
        ctx.addIssue({
          code: "custom",
          path: ["supports", i, "deployment"],
          message:
            "An individual service fund is held by a provider: choose a provider from the directory, or another deployment",
        });
      }
    });
  });
export type SupportPlan = z.infer<typeof supportPlanSchema>;
export type SupportPlanInput = z.input<typeof supportPlanSchema>;

/** A change to an indicative allocation, with the reason for it. */
export const allocationOverrideRequestSchema = z.strictObject({
  fromWeeklyPence: penceAmount("the current allocation", MAX_UNIT_COST_PENCE),
  toWeeklyPence: penceAmount("the new allocation", MAX_UNIT_COST_PENCE),
  reason: text("the reason for the change", 2000),
});
export type AllocationOverrideRequest = z.infer<typeof allocationOverrideRequestSchema>;

// ---------------------------------------------------------------------------------------------------------------
// A draft plan (saved as it is written)

/**
 * A draft may be incomplete: empty lists are allowed, and a support may name an outcome not written yet. Each
 * outcome, support and risk that is there must be valid on its own (the same item schemas as the whole plan), so
 * nothing stored is nonsense; the whole plan is checked by `supportPlanSchema` when it is submitted.
 */
export const supportPlanDraftSchema = z.strictObject({
  outcomes: z
    .array(outcomeSchema, whenMissing("List the outcomes (an empty list while there are none yet)"))
    .max(50, { error: "A plan has at most 50 outcomes" })
    .default([]),
  supports: z
    .array(
      supportSchema.extend({
        outcomeIds: z
          .array(localIdSchema, whenMissing("Say which outcomes this support helps to meet"))
          .max(50),
      }),
      whenMissing("List the supports (an empty list while there are none yet)"),
    )
    .max(200, { error: "A plan has at most 200 supports" })
    .default([]),
  risks: z.array(riskSchema, whenMissing("List the risks")).max(100).default([]),
  contingency: optionalText("the contingency plan", 2000),
  overAllocationReason: optionalText("the reason the plan needs more than the indicative budget", 2000),
  nhsPersonalHealthBudget: nhsFlag,
});
export type SupportPlanDraft = z.infer<typeof supportPlanDraftSchema>;
export type SupportPlanDraftInput = z.input<typeof supportPlanDraftSchema>;

/** An empty draft: what a new plan starts from. */
export const EMPTY_PLAN_DRAFT: SupportPlanDraft = { outcomes: [], supports: [], risks: [] };
