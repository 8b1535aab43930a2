import { allRulePacks } from "#/rules/index.ts";
import type { Questionnaire, QuestionnaireItem, QuestionnaireOutcome } from "#/rules/types.ts";

/** The questionnaire's sections as pages: their kinds, order and slugs, and the answers saved so far. */

// ---- types -------------------------------------------------------------------------------------------

/** The answers saved so far (partial while a draft). Kept loose here: the service checks the shape. */
export type SavedAnswers = {
  needsFromImpairmentOrIllness?: boolean;
  impairmentNotes?: string;
  needsFluctuate?: boolean;
  fluctuationNotes?: string;
  outcomes?: Record<
    string,
    {
      canAchieveWithoutHelp?: boolean;
      difficulties?: string[];
      carerSupport?: string;
      items?: Record<string, string>;
      notes?: string;
    }
  >;
  wellbeingImpact?: string;
  wellbeingReasons?: string;
  primarySupportReason?: string;
  livingSituation?: string;
  informalCarer?: { hasCarer?: boolean; willingAndAbleToContinue?: boolean };
  whatMattersToMe?: string;
};

export type SectionKind = "about" | "outcome" | "wellbeing" | "circumstances" | "what-matters";

export type Section = {
  kind: SectionKind;
  /** The page's path under /assessments/:id/, e.g. "about-your-needs" or "outcomes/personal-hygiene". */
  slug: string;
  /** The task list's name for it. */
  title: string;
  /** The task list groups sections under these headings. */
  group: "needs" | "outcomes" | "person";
  outcome?: QuestionnaireOutcome;
};

export type SectionStatus = "not_started" | "in_progress" | "completed";

export const STATUS_LABELS: Record<SectionStatus, string> = {
  not_started: "Not started",
  in_progress: "In progress",
  completed: "Completed",
};

/** The questionnaire a draft was started in (it may be older than today's rule pack). */
export function questionnaireById(id: string): Questionnaire | undefined {
  return allRulePacks().find((p) => p.questionnaire.id === id)?.questionnaire;
}

// ---- sections ----------------------------------------------------------------------------------------

export const sentenceCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
export const outcomeSlug = (id: string) => id.replaceAll("_", "-");

/** Every page of the questionnaire, in the order they are asked. */
export function sectionsOf(questionnaire: Questionnaire): Section[] {
  return [
    { kind: "about", slug: "about-your-needs", title: "About your needs", group: "needs" },
    ...questionnaire.outcomes.map(
      (outcome): Section => ({
        kind: "outcome",
        slug: `outcomes/${outcomeSlug(outcome.id)}`,
        title: sentenceCase(outcome.label),
        group: "outcomes",
        outcome,
      }),
    ),
    { kind: "wellbeing", slug: "wellbeing", title: "Impact on your wellbeing", group: "outcomes" },
    { kind: "circumstances", slug: "circumstances", title: "Your circumstances", group: "person" },
    { kind: "what-matters", slug: "what-matters-to-you", title: "What matters to you", group: "person" },
  ];
}

export function findSection(questionnaire: Questionnaire, slug: string): Section | undefined {
  return sectionsOf(questionnaire).find((s) => s.slug === slug);
}

/** The page after this one, or undefined after the last (then: check your answers). */
export function nextSection(questionnaire: Questionnaire, slug: string): Section | undefined {
  const sections = sectionsOf(questionnaire);
  const i = sections.findIndex((s) => s.slug === slug);
  return i >= 0 ? sections[i + 1] : undefined;
}

/** The form field id for a graded question: ids hold dots, which are awkward in names and fragments. */
export function itemFieldId(item: Pick<QuestionnaireItem, "id">): string {
  return `item-${item.id.replaceAll(".", "-")}`;
}
