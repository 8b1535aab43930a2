import type { SourceReference } from "#/rules/types.ts";

/**
 * The shape of the data the ASCOF measures computed from Client Level Data rows read (features/reports/ascof.calc.ts
 * applies it): the CLD strings each step compares, the setting hierarchy and the settled-accommodation list. Values
 * are the CLD text as written in the file; the calc compares them trimmed and without regard to case, as DHSC's
 * SQL Server code does (its default collation ignores case), so Release 1 "Service User" matches Release 2
 * "Service user".
 */

/** One rung of the setting hierarchy: rank 1 is the highest setting. A null mechanism matches any other. */
export type AscofSettingRung = {
  readonly serviceType: string;
  readonly deliveryMechanism: string | null;
  readonly rank: number;
};

/** What a carer's event gave them, ranked: the carer counts once, at the highest (lowest rank number). */
export type CarerSupportKind =
  | "directPayment"
  | "managedPersonalBudget"
  | "commissionedSupport"
  | "unknownMechanism"
  | "informationAndAdvice"
  | "noDirectSupport";

export type AscofRules = {
  readonly id: string;
  readonly jurisdiction: "england";
  /** First day of the first year the method applies to (YYYY-MM-DD, inclusive). */
  readonly validFrom: string;
  readonly validTo?: string;
  readonly clientTypes: {
    readonly serviceUser: readonly string[];
    /** Carers and carers known by association, Release 1 and 2 spellings. */
    readonly carer: readonly string[];
  };
  readonly eventTypes: {
    readonly service: string;
    readonly assessment: string;
    readonly review: string;
    /** A request; older files also write "Referral…" (REPORTING.md §1.3), so these are prefixes. */
    readonly requestPrefixes: readonly string[];
  };
  readonly longTermServiceTypes: {
    readonly nursing: string;
    readonly residential: string;
    readonly community: string;
    readonly prison: string;
  };
  readonly deliveryMechanisms: {
    readonly directPayment: string;
    readonly managedPersonalBudget: string;
    readonly commissionedSupport: string;
  };
  /** The Service Component that makes a service a direct payment whatever its Delivery Mechanism says. */
  readonly directPaymentComponent: string;
  /** 3D clients: the setting hierarchy, Nursing > Residential > Community (DP > managed PB > commissioned > unknown) > Prison. */
  readonly settingHierarchy: readonly AscofSettingRung[];
  readonly carers: {
    readonly directToCarerServiceType: string;
    readonly involvingCaredForServiceType: string;
    /** The outcome that makes an event "information and advice" only. */
    readonly informationAndAdviceOutcome: string;
    /** Highest first. */
    readonly supportHierarchy: readonly CarerSupportKind[];
    /** The kinds in the 3D1b/3D2b denominator; 1b counts the first two, 2b the first. */
    readonly denominatorKinds: readonly CarerSupportKind[];
    readonly selfDirectedKinds: readonly CarerSupportKind[];
    readonly directPaymentKinds: readonly CarerSupportKind[];
  };
  readonly accommodation: {
    /** 2E: "lives in their home or with family". */
    readonly settled: readonly string[];
    /** Every other listed value, "Unknown" last: counted in the denominator, never the numerator. */
    readonly notSettled: readonly string[];
    readonly unknown: string;
  };
  /** 2E's learning-disability part: this primary support reason, aged 18–64. */
  readonly learningDisabilityPrimarySupportReason: string;
  readonly ageBands: { readonly adultFrom: number; readonly olderFrom: number };
  /** Percentages are published to this many decimal places. */
  readonly percentDecimals: number;
  readonly sources: readonly SourceReference[];
};
