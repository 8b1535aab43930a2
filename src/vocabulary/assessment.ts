/**
 * The answers to one supported self-assessment, as words every step shares: the eligibility, allocation,
 * scoring, calibration and estimator calcs read them; assessment/schemas.ts checks them with Zod (and fails
 * to compile if its schema and these types ever drift apart).
 */

export const WELLBEING_IMPACTS = ["none", "some", "significant"] as const;
export type WellbeingImpact = (typeof WELLBEING_IMPACTS)[number];

/**
 * One outcome. `canAchieveWithoutHelp` means achieving it in the sense of reg 2(3), judged WITHOUT the support
 * a carer gives (that is `carerSupport`, which never counts as meeting the need); a "no" names the reg 2(3)
 * meanings that apply in `difficulties`.
 */
export type OutcomeAnswer = {
  canAchieveWithoutHelp: boolean;
  difficulties: string[];
  carerSupport?: string | undefined;
  /** Graded question id → the chosen option id. */
  items: Record<string, string>;
  notes?: string | undefined;
};

export type InformalCarer = {
  hasCarer: boolean;
  /** Only an explicit true lets a RAS reduce the budget for unpaid care. Absent means not asked. */
  willingAndAbleToContinue?: boolean | undefined;
};

export type AssessmentAnswers = {
  questionnaireId: string;
  needsFromImpairmentOrIllness: boolean;
  impairmentNotes?: string | undefined;
  needsFluctuate: boolean;
  /** When needs fluctuate: the period considered and how bad days were counted (reg 2(4)). */
  fluctuationNotes?: string | undefined;
  /** Outcome id → its answer. */
  outcomes: Record<string, OutcomeAnswer>;
  wellbeingImpact: WellbeingImpact;
  wellbeingReasons: string;
  primarySupportReason: string;
  livingSituation: string;
  informalCarer: InformalCarer;
  whatMattersToMe: string;
};
