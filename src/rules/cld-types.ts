import type { SourceReference } from "#/rules/types.ts";

/**
 * The shape of the Adult Social Care Client Level Data (CLD) rules: the value lists a return's coded fields take,
 * the way Upfront's own codes map onto them, and the figures the data-quality conditions use. England only (an
 * NHS England collection); the dated packs are data in rules/england/cld*.ts, reached through rules/registry.ts.
 *
 * A value is the exact text written to the file. Release 2 values are sentence case; DHSC's checks compare them
 * case-insensitively (SQL Server's default collation), so the data-quality calc does too.
 */

export type CldValue = {
  /** The text written to the return file. */
  readonly value: string;
  /** The higher-level grouping DHSC derives (e.g. every "NFA: …" outcome groups as "NFA"). */
  readonly group?: string;
  /** ASCOF 2E: true for the settled accommodation values (REPORTING.md §1.10, the first 9). */
  readonly settled?: boolean;
  /** False where the value is Release 1 wording put in Release 2 style, not seen in Release 2 [UNCONFIRMED]. */
  readonly seenInRelease2?: boolean;
};

export type CldList = {
  readonly values: readonly CldValue[];
  readonly source: SourceReference;
};

/** Every coded CLD field's list, by list name. */
export type CldLists = {
  readonly eventTypes: CldList;
  readonly clientTypes: CldList;
  readonly gender: CldList;
  readonly ethnicity: CldList;
  readonly primarySupportReasons: CldList;
  readonly accommodationStatus: CldList;
  readonly employmentStatus: CldList;
  /** Has Unpaid Carer, and the flags (ASD, visual and hearing impairment, dementia, eligible needs). */
  readonly yesNo: CldList;
  readonly clientFundingStatus: CldList;
  readonly eventOutcomes: CldList;
  readonly routesOfAccess: CldList;
  readonly assessmentTypes: CldList;
  readonly methodsOfAssessment: CldList;
  readonly serviceTypes: CldList;
  readonly serviceComponents: CldList;
  readonly deliveryMechanisms: CldList;
  readonly reviewReasons: CldList;
  readonly reviewOutcomesAchieved: CldList;
  readonly methodsOfReview: CldList;
  readonly costFrequencies: CldList;
};
export type CldListName = keyof CldLists;

/** A Release 1 value and the Release 2 value it became (DHSC's REF_*_Mapping pattern: raw → cleaned). */
export type CldRelease1To2 = { readonly release1: string; readonly release2: string };

/**
 * Upfront's own codes → CLD values. Keys are the codes Upfront stores; every value is on its CLD list (a test
 * checks both ways, so a new Upfront code without a mapping fails the build, not the return).
 */
export type CldMappings = {
  /** Person-record codes (rules/england/person-fields.ts) → CLD values. Sex → Gender. */
  readonly gender: Readonly<Record<string, string>>;
  readonly ethnicity: Readonly<Record<string, string>>;
  readonly accommodationStatus: Readonly<Record<string, string>>;
  readonly employmentStatus: Readonly<Record<string, string>>;
  readonly hasUnpaidCarer: Readonly<Record<string, string>>;
  /** The questionnaire's primary support reason ids → CLD Primary Support Reason. */
  readonly primarySupportReason: Readonly<Record<string, string>>;
  /** Referral route-of-access ids (rules/england/referral-lists.ts) → CLD Route of Access. */
  readonly routeOfAccess: Readonly<Record<string, string>>;
  /** Referral outcome ids (the same lists) → CLD Event Outcome. */
  readonly requestOutcome: Readonly<Record<string, string>>;
  /** Upfront's people are the adults with needs: every event is a service user's. */
  readonly clientType: string;
  /** Upfront record kinds → CLD Event Type. */
  readonly eventType: {
    readonly referral: string;
    readonly assessment: string;
    readonly financial_assessment: string;
    readonly budget_line: string;
    readonly review: string;
  };
  readonly assessment: {
    /** Upfront's needs assessment (a supported self-assessment of long-term needs). */
    readonly type: string;
    readonly method: string;
    readonly financialAssessmentType: string;
    /** Event outcome after the eligibility decision. */
    readonly outcomeWhenEligible: string;
    readonly outcomeWhenNotEligible: string;
    /** Eligible Needs Identified (yes/no list). */
    readonly eligibleNeedsIdentified: { readonly eligible: string; readonly notEligible: string };
  };
  /** What the person pays after the financial assessment → Client Funding Status. */
  readonly clientFundingStatus: {
    /** Pays nothing towards the care. */
    readonly paysNothing: string;
    /** Pays part of the cost. */
    readonly paysPart: string;
    /** Pays the full cost (a self-funder). */
    readonly paysAll: string;
  };
  /** A support line on an agreed plan → the CLD service fields. */
  readonly service: {
    /** Every line of a service user's plan is long-term support in the community (Upfront plans no care homes). */
    readonly serviceType: string;
    /** Support category id (vocabulary/support-categories.ts) → Service Component. */
    readonly componentByCategory: Readonly<Record<string, string>>;
    /** Deployment (vocabulary/deployments.ts) → Delivery Mechanism. */
    readonly deliveryMechanismByDeployment: Readonly<Record<string, string>>;
    /** The unit a line is priced in (vocabulary/units.ts) → Cost Frequency (Unit Type). */
    readonly costFrequencyByUnit: Readonly<Record<string, string>>;
    readonly outcomeWhileOpen: string;
    readonly outcomeWhenEnded: string;
    readonly outcomeWhenDied: string;
  };
  readonly review: {
    /** Upfront review kinds (plan, direct_payment) → Review Reason: both are the scheduled reviews. */
    readonly reasonByKind: Readonly<Record<string, string>>;
    /** A review held because something changed, before it was due. */
    readonly unplannedReason: string;
    /** How the review was held (vocabulary/review-methods.ts) → Method of Review. */
    readonly methodByCode: Readonly<Record<string, string>>;
    /** Upfront review results → Event Outcome. */
    readonly outcomeByResult: Readonly<Record<string, string>>;
    /** The person's ratings of their plan's outcomes → Review Outcomes Achieved. */
    readonly outcomesAchieved: {
      readonly allMet: string;
      readonly someMet: string;
      readonly noneMet: string;
    };
  };
};

/** The figures and values the conditional-mandatory rules (REPORTING.md §1.2) test rows against. */
export type CldQualityConditions = {
  readonly serviceUserClientType: string;
  readonly carerKnownByAssociationClientTypes: readonly string[];
  /** Event types (and their older synonyms) by kind; matched as prefixes, case-insensitively, as DHSC does. */
  readonly eventTypePrefixes: {
    readonly request: readonly string[];
    readonly assessment: readonly string[];
    readonly service: readonly string[];
    readonly review: readonly string[];
  };
  readonly financialAssessmentPrefix: string;
  /** Employment Status is mandatory for service users aged from..toBelow with this PSR. */
  readonly employmentStatus: {
    readonly fromAge: number;
    readonly toBelowAge: number;
    readonly primarySupportReasons: readonly string[];
  };
  /** Unit Cost, Cost Frequency and Planned units per week: mandatory unless this delivery mechanism … */
  readonly costsNotMandatoryDeliveryMechanism: string;
  /** … and the service type starts with one of these, or the component is one of these. */
  readonly costsServiceTypePrefixes: readonly string[];
  readonly costsServiceComponents: readonly string[];
  /** Review Outcomes Achieved is mandatory on reviews whose reason starts with this. */
  readonly plannedReviewReasonPrefix: string;
  /** Age is whole years: floor(days / this). */
  readonly daysPerYear: number;
  readonly source: SourceReference;
};

export type CldRules = {
  readonly id: string;
  readonly jurisdiction: "england";
  /** First day the rules apply (YYYY-MM-DD, inclusive). */
  readonly validFrom: string;
  readonly validTo?: string;
  readonly release: string;
  readonly lists: CldLists;
  /** Release 1 → Release 2 service types (REPORTING.md §1.5), and primary support reasons. */
  readonly release1To2: {
    readonly serviceTypes: readonly CldRelease1To2[];
    readonly primarySupportReasons: readonly CldRelease1To2[];
  };
  readonly mappings: CldMappings;
  readonly quality: CldQualityConditions;
  /** The return covers a rolling period of at most this many months, sent every quarter (REPORTING.md §1.1). */
  readonly reportingPeriod: { readonly maxMonths: number; readonly source: SourceReference };
  readonly sources: readonly SourceReference[];
};
