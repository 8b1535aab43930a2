import { z } from "zod";
import { MAX_ONE_OFF_PENCE } from "#/vocabulary/money-limits.ts";
import { localIdSchema } from "#/vocabulary/plan-ids.ts";
import { capitalise, duplicateIds, pounds, text, whenMissing } from "#/vocabulary/schema-kit.ts";

/**
 * The staff roles an approver level may name. These are the values of `StaffRole` (platform/db/schema.ts),
 * repeated here because a schema and a calc import no platform code but money; a test checks they match.
 */
export const APPROVER_ROLES = [
  "social_worker",
  "support_planner",
  "team_manager",
  "funding_panel_member",
  "finance_officer",
  "administrator",
] as const;
export type ApproverRole = (typeof APPROVER_ROLES)[number];

/** A percentage from 0 with at most two decimal places (so it is a whole number of basis points). */
const percentSchema = (what: string) =>
  z
    .number(whenMissing(`Give ${what} as a percentage, for example 10`))
    .min(0, { error: `${capitalise(what)} cannot be below 0%` })
    .max(1000, { error: `${capitalise(what)} cannot be above 1000%` })
    .refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-9, {
      error: `${capitalise(what)} may have at most two decimal places`,
    });

const thresholdPence = (what: string) =>
  z
    .int(whenMissing(`Give ${what} as a whole number of pence`))
    .min(0, { error: `${capitalise(what)} cannot be negative` })
    .max(MAX_ONE_OFF_PENCE, { error: `${capitalise(what)} is more than ${pounds(MAX_ONE_OFF_PENCE)}` });

/**
 * When a plan needs at least this level. Every threshold is "more than" (strictly above): a plan at exactly the
 * threshold does not trigger it. Any one threshold passed is enough.
 */
export const approvalThresholdsSchema = z.strictObject({
  /** The plan's weekly cost. */
  weeklyPenceAbove: thresholdPence("the weekly threshold").optional(),
  /** How far the weekly cost is over the indicative allocation, in pence. */
  overAllocationPenceAbove: thresholdPence("the over-allocation threshold").optional(),
  /** How far the weekly cost is over the indicative allocation, as a percentage of the allocation. */
  overAllocationPercentAbove: percentSchema("the over-allocation percentage").optional(),
  /** The plan's one-off costs in total. */
  oneOffPenceAbove: thresholdPence("the one-off threshold").optional(),
});
export type ApprovalThresholds = z.infer<typeof approvalThresholdsSchema>;

export const approverLevelSchema = z.strictObject({
  id: localIdSchema,
  /** e.g. "Social worker", "Team manager", "Funding panel". */
  label: text("the level's name", 100),
  /** Staff with any of these roles act at this level. */
  roles: z
    .array(z.enum(APPROVER_ROLES, { error: `Use one of the staff roles: ${APPROVER_ROLES.join(", ")}` }))
    .min(1, { error: "Name at least one staff role that approves at this level" }),
  /** When a plan needs at least this level. Leave out for the first (lowest) level. */
  requiredWhen: approvalThresholdsSchema.optional(),
});
export type ApproverLevel = z.infer<typeof approverLevelSchema>;

/** The council's scheme of delegated authority for plans: levels from lowest to highest. */
export const delegatedAuthoritySchema = z
  .strictObject({
    levels: z
      .array(approverLevelSchema)
      .min(1, { error: "Give at least one approver level" })
      .max(10, { error: "Give at most 10 approver levels" }),
  })
  .superRefine((authority, ctx) => {
    duplicateIds(
      authority.levels.map((l) => l.id),
      "levels",
      "level",
      ctx,
    );
    if (authority.levels[0]?.requiredWhen !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["levels", 0, "requiredWhen"],
        message:
          "The first level approves every plan no higher level is needed for: leave out its thresholds",
      });
    }
  });
export type DelegatedAuthority = z.infer<typeof delegatedAuthoritySchema>;

/** A council's policy for changing an indicative allocation by hand (an override). */
export const allocationOverridePolicySchema = z.strictObject({
  /** A change of more than this many pence a week (up or down) needs an approver. */
  approvalNeededWhenChangeAbovePence: thresholdPence("the override threshold").optional(),
  /** A change of more than this percentage of the allocation (up or down) needs an approver. */
  approvalNeededWhenChangeAbovePercent: percentSchema("the override percentage").optional(),
  /** Staff with any of these roles may approve an override. */
  approverRoles: z
    .array(z.enum(APPROVER_ROLES, { error: `Use one of the staff roles: ${APPROVER_ROLES.join(", ")}` }))
    .min(1, { error: "Name at least one staff role that approves overrides" }),
});
export type AllocationOverridePolicy = z.infer<typeof allocationOverridePolicySchema>;
