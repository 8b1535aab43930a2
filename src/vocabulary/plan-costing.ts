import type { Pence } from "#/platform/money/pence.ts";
import type { Deployment } from "#/vocabulary/deployments.ts";

/**
 * A support plan's costing as the features after planning read it (funding splits its lines across streams,
 * budgets and spending match against them): planning's plan.calc.ts works it out, the others only read it.
 */

/** Who provides the support. */
export const SUPPORT_SOURCE_KINDS = [
  "provider",
  "personal_assistant",
  "pooled",
  "self_arranged",
  "universal",
] as const;
export type SupportSourceKind = (typeof SUPPORT_SOURCE_KINDS)[number];

export type PlanCostLine = {
  readonly supportId: string;
  readonly what: string;
  readonly category: string;
  readonly sourceKind: SupportSourceKind;
  readonly deployment: Deployment | null;
  readonly basis: "weekly" | "one_off" | "none";
  readonly weeklyPence: Pence;
  readonly oneOffPence: Pence;
  /** The working in plain English, e.g. "10.5 hours a week × £18.50 an hour = £194.25 a week". */
  readonly working: string;
};

export type PlanCosting = {
  readonly lines: readonly PlanCostLine[];
  readonly weeklyPence: Pence;
  readonly fourWeeklyPence: Pence;
  readonly annualPence: Pence;
  /** One-off costs in total, shown apart from the weekly cost. */
  readonly oneOffPence: Pence;
  /** Weekly cost per deployment, every deployment listed (0 where none), in DEPLOYMENTS order. */
  readonly weeklyByDeployment: readonly { deployment: Deployment; weeklyPence: Pence; oneOffPence: Pence }[];
};
