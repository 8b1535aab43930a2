/**
 * The shapes a rule pack's data takes. Questionnaires are data, not code, so a council (tenant) or a
 * later version can change wording and points without touching the rules that read them.
 */

/** A published source a rule or question rests on. */
export type SourceReference = {
  readonly title: string;
  /** The exact provision, e.g. "reg 2(2)(a)". */
  readonly provision?: string;
  readonly url: string;
  /** e.g. "*check*: read from a secondary copy". */
  readonly note?: string;
};

/** One answer to a graded question; its points feed the resource allocation system (RAS). */
export type ItemOption = {
  readonly id: string;
  readonly label: string;
  readonly points: number;
};

/** A graded question within an outcome. */
export type QuestionnaireItem = {
  /** Stable, prefixed by the outcome id, e.g. "nutrition.meal_preparation". Never reuse an id for a new meaning. */
  readonly id: string;
  readonly text: string;
  readonly hint?: string;
  readonly options: readonly ItemOption[];
};

/** One of the outcomes the eligibility rules list, with the questions asked about it. */
export type QuestionnaireOutcome = {
  readonly id: string;
  /** Where the law lists it, e.g. "Care and Support (Eligibility Criteria) Regulations 2015, reg 2(2)(a)". */
  readonly provision: string;
  /** The words of the law. */
  readonly statutoryWording: string;
  /** Short plain-English name, used in decisions: "getting enough to eat and drink". */
  readonly label: string;
  /** The plain-English question: can you do this without help? */
  readonly question: string;
  readonly hint?: string;
  readonly items: readonly QuestionnaireItem[];
};

/** A labelled choice in a list (meanings, support reasons, living situations). */
export type Choice = {
  readonly id: string;
  readonly label: string;
  readonly hint?: string;
  /** The words of the law or standard the choice comes from, where there are any. */
  readonly officialWording?: string;
  /** For grouped lists (e.g. Client Level Data primary support reasons). */
  readonly group?: string;
};

export type Questionnaire = {
  readonly id: string;
  readonly version: string;
  readonly jurisdiction: string;
  readonly title: string;
  readonly sources: readonly SourceReference[];
  readonly outcomes: readonly QuestionnaireOutcome[];
  /** The ways in which a person counts as "unable to achieve" an outcome (England: reg 2(3)). */
  readonly unableToAchieveMeanings: readonly Choice[];
  readonly primarySupportReasons: readonly Choice[];
  readonly livingSituations: readonly Choice[];
  readonly wellbeingImpacts: readonly Choice[];
};
