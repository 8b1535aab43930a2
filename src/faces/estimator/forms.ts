import {
  type AnswerRow,
  describeSection,
  fieldOrder,
  parseSection,
  type SavedAnswers,
  type Section,
  type SectionResult,
  sectionsOf,
  valuesFromAnswers,
} from "#/features/assessment/forms.ts";
import { parseSections } from "#/features/assessment/service.ts";
import { ValidationError } from "#/platform/errors.ts";
import type { FormBody } from "#/platform/web/forms.ts";
import type { Questionnaire } from "#/rules/types.ts";

/**
 * The estimator's pages as forms. Each page is read by the staff question pages' own reader
 * (assessment/forms.ts parseSection), so a page accepts and refuses exactly what the staff page does.
 *
 * Nothing is stored, so the answers given so far travel with the person: every form carries them in one
 * hidden field (`answers`, JSON), and every page checks them again on the way in (parseSections, the staff
 * path's check of saved sections). The answers are the person's own and only ever produce their own
 * estimate, but they are still checked as fully as anything a form sends, and the final estimate checks
 * them as submit does (parseAnswers).
 *
 * Two things the assessment records are not asked here, because they change nothing in the estimate: what
 * matters to the person (the start of their support plan, which an estimate does not make) and the reasons
 * for the wellbeing judgement (a practitioner's). Both are required by the answers schema, so they are
 * filled with NOT_ASKED; the estimator's own words never show them.
 */

export const CARRIED_FIELD = "answers";

export const NOT_ASKED = "Not asked in the online estimate";

/** The pages the estimator asks, in order: every assessment page except "What matters to you". */
export function estimatorSections(questionnaire: Questionnaire): Section[] {
  return sectionsOf(questionnaire).filter((s) => s.kind !== "what-matters");
}

export function findEstimatorSection(questionnaire: Questionnaire, slug: string): Section | undefined {
  return estimatorSections(questionnaire).find((s) => s.slug === slug);
}

/** The page before and after this one (undefined: the start page before, "Check your answers" after). */
export function neighbours(
  questionnaire: Questionnaire,
  slug: string,
): { previous?: Section; next?: Section; index: number; total: number } {
  const sections = estimatorSections(questionnaire);
  const index = sections.findIndex((s) => s.slug === slug);
  return {
    ...(index > 0 ? { previous: sections[index - 1] } : {}),
    ...(index >= 0 && index < sections.length - 1 ? { next: sections[index + 1] } : {}),
    index,
    total: sections.length,
  };
}

// ---- the answers carried between pages ----------------------------------------------------------------

export type Carried = { ok: true; answers: SavedAnswers } | { ok: false; reason: "unreadable" | "changed" };

/** The hidden field's value for these answers. */
export function writeCarried(answers: SavedAnswers, questionnaire: Questionnaire): string {
  return JSON.stringify({ ...answers, questionnaireId: questionnaire.id });
}

/**
 * Reads the answers a form carried. Absent or empty is a new start. "changed": they were given in another
 * version of the questions (the rules changed between pages); "unreadable": anything else that does not
 * pass the staff path's check of saved sections.
 */
export function readCarried(body: FormBody, questionnaire: Questionnaire): Carried {
  const raw = body[CARRIED_FIELD];
  if (raw === undefined || raw === "") return { ok: true, answers: {} };
  if (typeof raw !== "string") return { ok: false, reason: "unreadable" };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, reason: "unreadable" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, reason: "unreadable" };
  }
  const record = value as Record<string, unknown>;
  if (record.questionnaireId !== questionnaire.id) return { ok: false, reason: "changed" };
  const { questionnaireId: _, ...answers } = record;
  if (Object.keys(answers).length === 0) return { ok: true, answers: {} };
  try {
    const { value: parsed } = parseSections(record, questionnaire);
    const { questionnaireId: __, ...saved } = parsed;
    return { ok: true, answers: saved as SavedAnswers };
  } catch (error) {
    if (error instanceof ValidationError) return { ok: false, reason: "unreadable" };
    throw error;
  }
}

/**
 * One page's answers put into the rest, as saving a section does in the staff path: top-level answers
 * replace what was there, an outcome replaces that outcome, and an emptied optional box is removed.
 */
export function withSection(answers: SavedAnswers, section: Record<string, unknown>): SavedAnswers {
  const value = section as SavedAnswers;
  const merged: Record<string, unknown> = {
    ...answers,
    ...value,
    ...(value.outcomes || answers.outcomes ? { outcomes: { ...answers.outcomes, ...value.outcomes } } : {}),
  };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return merged as SavedAnswers;
}

// ---- reading a page ---------------------------------------------------------------------------------------

/**
 * Where the estimator words a question differently from the staff page (the person answers alone, not with
 * a practitioner), its error message says so in the same words.
 */
const MESSAGES: Partial<Record<string, string>> = {
  fluctuationNotes: "Enter how often you have harder days, and what they are like",
};

/** Reads one posted page with the staff page's reader; the wellbeing reasons are not asked (NOT_ASKED). */
export function parseEstimatorSection(
  section: Section,
  body: FormBody,
  questionnaire: Questionnaire,
): SectionResult {
  const input = section.kind === "wellbeing" ? { ...body, wellbeingReasons: NOT_ASKED } : body;
  const result = parseSection(section, input, questionnaire);
  if (result.ok) return result;
  const errors = { ...result.errors };
  for (const field of Object.keys(errors)) errors[field] = MESSAGES[field] ?? errors[field]!;
  const errorList = result.errorList.map((link) => {
    const field = link.href.slice(link.href.indexOf("#") + 1);
    return { ...link, text: errors[field] ?? link.text };
  });
  return { ...result, errors, errorList };
}

// ---- check your answers, and the whole set ---------------------------------------------------------------

/** Everything the answers schema needs: what was asked, plus what the estimator does not ask. */
export function completeAnswers(
  answers: SavedAnswers,
  questionnaire: Questionnaire,
): Record<string, unknown> {
  return { ...answers, questionnaireId: questionnaire.id, whatMattersToMe: NOT_ASKED };
}

/** Answers the estimator does not ask for (or, for the wellbeing reasons, fills with NOT_ASKED). */
const NOT_SHOWN = new Set(["impairmentNotes", "wellbeingReasons", "notes"]);

/** A page's answers as summary rows, leaving out what the estimator did not ask. */
export function estimatorRows(
  section: Section,
  answers: SavedAnswers,
  questionnaire: Questionnaire,
): AnswerRow[] {
  return describeSection(section, answers, questionnaire).filter((row) => !NOT_SHOWN.has(row.field));
}

export type Unfinished = { text: string; slug: string; field: string };

const isEmpty = (value: string | string[]) => (Array.isArray(value) ? value.length === 0 : value === "");

/**
 * Each asked page's own check over the answers: what must be fixed before an estimate. As the staff check
 * before submit (assessment/forms.ts unfinishedSections), a page not started at all is one line.
 */
export function unfinished(answers: SavedAnswers, questionnaire: Questionnaire): Unfinished[] {
  const found: Unfinished[] = [];
  for (const section of estimatorSections(questionnaire)) {
    const values = valuesFromAnswers(section, answers);
    if (Object.values(values).every(isEmpty)) {
      found.push({
        text: `${section.title}: answer the questions on this page`,
        slug: section.slug,
        field: fieldOrder(section)[0]!,
      });
      continue;
    }
    const result = parseEstimatorSection(section, values, questionnaire);
    if (result.ok) continue;
    for (const link of result.errorList) {
      found.push({
        text: `${section.title}: ${link.text}`,
        slug: section.slug,
        field: link.href.slice(link.href.indexOf("#") + 1),
      });
    }
  }
  return found;
}
