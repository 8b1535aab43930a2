import type { SourceReference } from "#/rules/types.ts";

/**
 * The shape of a jurisdiction's coded lists a referral is recorded with (features/referrals validates against them). One shape for every jurisdiction; the dated packs are
 * data in the jurisdiction folders (rules/england/referral-lists.ts), reached through rules/registry.ts.
 */

export type CodedValue = { readonly id: string; readonly label: string };

export type ReferralLists = {
  readonly id: string;
  readonly jurisdiction: "england";
  /** First day the lists apply (YYYY-MM-DD, inclusive). */
  readonly validFrom: string;
  readonly validTo?: string;
  readonly routesOfAccess: readonly CodedValue[];
  readonly requestSources: readonly CodedValue[];
  readonly eventOutcomes: readonly (CodedValue & { readonly group: string })[];
  /** The route a self-referral from the public form is recorded with (the list's nearest value). */
  readonly selfReferralRoute: string;
  /** The sources a self-referral is recorded with: by the person, or by someone on their behalf. */
  readonly selfReferralSources: { readonly person: string; readonly onBehalf: string };
  readonly sources: readonly SourceReference[];
};
