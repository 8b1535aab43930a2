import type { PriceIndex } from "#/rules/fairness-types.ts";

/**
 * What the public fairness dashboard is worked out from (read through the owners' read functions by
 * fairness-service.ts) and the settings it is worked out with. Types only, shared by the fairness calcs.
 */

/**
 * One personal budget as the Client Level Data return states it for a quarter (fairness-events.calc.ts): its
 * long-term service events put together, the person's fields as the return writes them (Release 2 values), and
 * what the return does not carry (need points, the package its plan replaced) from their owners.
 */
export type FairnessBudget = {
  readonly budgetId: string;
  readonly personId: string;
  readonly startDate: string;
  /** The last day it pays for (a date of death inside it ends it); null while it runs on. */
  readonly endDate: string | null;
  /** Its weekly lines' Unit Cost × Planned units per week, summed. */
  readonly weeklyPence: number;
  /** The Delivery Mechanisms of its lines that pay something each week. */
  readonly deployments: readonly string[];
  /** The points the assessment its plan was made from scored for need; null when there is none to compare. */
  readonly needPoints: number | null;
  /** The return's Primary Support Reason for the person; null when blank. */
  readonly primarySupportReason: string | null;
  /** The council-arranged package the plan replaced, where one did: its weekly cost and the date of that cost. */
  readonly previousPackage: { readonly weeklyPence: number; readonly date: string } | null;
  readonly dateOfBirth: string;
  /** The return's Gender and Ethnicity; null when blank. */
  readonly sex: string | null;
  readonly ethnicity: string | null;
  readonly postcode: string | null;
};

export type FairnessSettings = {
  /** Figures about fewer people than this are hidden. */
  readonly suppressFewerThan: number;
  readonly marginPercent: number;
  readonly priceIndex: PriceIndex;
};

/** A financial-year quarter: April to June is the first. */
export type Quarter = {
  readonly id: string;
  readonly label: string;
  readonly start: string;
  readonly end: string;
};

export const NOT_RECORDED = "not_recorded";
export const NOT_RECORDED_LABEL = "Not recorded";
