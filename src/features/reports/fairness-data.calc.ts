import type { PriceIndex } from "#/rules/fairness-types.ts";

/**
 * What the public fairness dashboard is worked out from (read through the owners' read functions by
 * fairness-service.ts) and the settings it is worked out with. Types only, shared by the fairness calcs.
 */

export type FairnessPerson = {
  readonly personId: string;
  readonly dateOfBirth: string;
  /** Coded person fields (people feature, rules' person-field lists); null when not recorded. */
  readonly sex: string | null;
  readonly ethnicity: string | null;
  readonly postcode: string | null;
};

export type FairnessBudget = {
  readonly budgetId: string;
  readonly personId: string;
  readonly startDate: string;
  /** The last day it pays for; null while it runs on. */
  readonly endDate: string | null;
  readonly weeklyPence: number;
  /** How its lines that pay something each week are arranged (direct payment, council-managed…). */
  readonly deployments: readonly string[];
  /** The points the assessment its plan was made from scored for need; null when there is none to compare. */
  readonly needPoints: number | null;
  readonly primarySupportReason: string | null;
  /** The council-arranged package the plan replaced, where one did: its weekly cost and the date of that cost. */
  readonly previousPackage: { readonly weeklyPence: number; readonly date: string } | null;
};

export type FairnessSettings = {
  /** Figures about fewer people than this are hidden. */
  readonly suppressFewerThan: number;
  readonly marginPercent: number;
  readonly priceIndex: PriceIndex;
};

/** The words for coded values, from the rules' lists (the calc is given them; it reads no rules itself). */
export type FairnessLabels = {
  readonly primarySupportReason: (code: string) => string;
  readonly ethnicity: (code: string) => string;
  readonly sex: (code: string) => string;
  readonly deployment: (code: string) => string;
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
