import { fieldOrder, parseValues, summarise } from "#/features/assessment/page-parse.ts";
import type { FieldError } from "#/features/assessment/schemas.ts";
import {
  itemFieldId,
  type SavedAnswers,
  type Section,
  type SectionKind,
  type SectionStatus,
  sectionsOf,
} from "#/features/assessment/sections.ts";
import type { ErrorLink, FormValues } from "#/platform/web/forms.ts";
import type { Questionnaire } from "#/rules/types.ts";

/** How saved answers fill a page again, each section's status, and where on a page an error the service reports is. */

// ---- filling a page from saved answers ------------------------------------------------------------------

export const yesNoValue = (b: boolean | undefined) => (b === true ? "yes" : b === false ? "no" : "");

/** The page's values from what has been saved, so a page shows its answers again. */
export function valuesFromAnswers(section: Section, answers: SavedAnswers): FormValues {
  switch (section.kind) {
    case "about":
      return {
        needsFromImpairmentOrIllness: yesNoValue(answers.needsFromImpairmentOrIllness),
        impairmentNotes: answers.impairmentNotes ?? "",
        needsFluctuate: yesNoValue(answers.needsFluctuate),
        fluctuationNotes: answers.fluctuationNotes ?? "",
      };
    case "outcome": {
      const outcome = section.outcome!;
      const saved = answers.outcomes?.[outcome.id];
      const values: FormValues = {
        canAchieveWithoutHelp: yesNoValue(saved?.canAchieveWithoutHelp),
        difficulties: saved?.difficulties ?? [],
        carerSupport: saved?.carerSupport ?? "",
        notes: saved?.notes ?? "",
      };
      for (const item of outcome.items) values[itemFieldId(item)] = saved?.items?.[item.id] ?? "";
      return values;
    }
    case "wellbeing":
      return {
        wellbeingImpact: answers.wellbeingImpact ?? "",
        wellbeingReasons: answers.wellbeingReasons ?? "",
      };
    case "circumstances": {
      const carer = answers.informalCarer;
      return {
        primarySupportReason: answers.primarySupportReason ?? "",
        livingSituation: answers.livingSituation ?? "",
        hasCarer: yesNoValue(carer?.hasCarer),
        carerWillingAndAble:
          carer?.hasCarer === true
            ? carer.willingAndAbleToContinue === undefined
              ? "not_asked"
              : yesNoValue(carer.willingAndAbleToContinue)
            : "",
      };
    }
    case "what-matters":
      return { whatMattersToMe: answers.whatMattersToMe ?? "" };
  }
}

export const isEmpty = (value: string | string[]) =>
  Array.isArray(value) ? value.length === 0 : value === "";

/** Not started (nothing saved), Completed (the page's own check passes) or In progress. */
export function sectionStatus(
  section: Section,
  answers: SavedAnswers,
  questionnaire: Questionnaire,
): SectionStatus {
  const values = valuesFromAnswers(section, answers);
  if (Object.values(values).every(isEmpty)) return "not_started";
  return parseValues(section, values, questionnaire).ok ? "completed" : "in_progress";
}

/**
 * Every page's own check over the saved answers: what "Submit" shows before the service is asked. Each
 * error links to the field on the page that needs fixing; a page not started at all is one line.
 */
export function unfinishedSections(
  answers: SavedAnswers,
  questionnaire: Questionnaire,
  pageHref: (section: Section) => string,
): ErrorLink[] {
  const links: ErrorLink[] = [];
  for (const section of sectionsOf(questionnaire)) {
    const values = valuesFromAnswers(section, answers);
    // A page not started is one line, not one per question on it.
    if (Object.values(values).every(isEmpty)) {
      links.push({
        text: `${section.title}: answer the questions on this page`,
        href: `${pageHref(section)}#${fieldOrder(section)[0]}`,
      });
      continue;
    }
    const result = parseValues(section, values, questionnaire);
    if (result.ok) continue;
    for (const link of summarise(section, result.errors, pageHref(section))) {
      links.push({ text: `${section.title}: ${link.text}`, href: link.href });
    }
  }
  return links;
}

// ---- errors the service reports ------------------------------------------------------------------------

/**
 * Finds the page and field for an error the service reports by answer path, e.g.
 * `outcomes.nutrition.items["nutrition.meal_preparation"]` or `informalCarer.hasCarer`.
 */
export function locateFieldError(
  error: FieldError,
  questionnaire: Questionnaire,
): { section: Section; field: string } | undefined {
  const sections = sectionsOf(questionnaire);
  const of = (kind: SectionKind) => sections.find((s) => s.kind === kind)!;
  const path = error.path;
  const head = path.split(/[.[]/)[0] ?? "";
  switch (head) {
    case "needsFromImpairmentOrIllness":
    case "impairmentNotes":
    case "needsFluctuate":
    case "fluctuationNotes":
      return { section: of("about"), field: head };
    case "wellbeingImpact":
    case "wellbeingReasons":
      return { section: of("wellbeing"), field: head };
    case "primarySupportReason":
    case "livingSituation":
      return { section: of("circumstances"), field: head };
    case "informalCarer":
      return {
        section: of("circumstances"),
        field: path.includes("willingAndAbleToContinue") ? "carerWillingAndAble" : "hasCarer",
      };
    case "whatMattersToMe":
      return { section: of("what-matters"), field: head };
    case "outcomes": {
      const match = /^outcomes\.([A-Za-z0-9_]+)(?:\.(\w+))?(?:\["([^"]+)"\]|\.([\w.]+))?/.exec(path);
      const section =
        sections.find((s) => s.outcome?.id === match?.[1]) ?? sections.find((s) => s.kind === "outcome");
      if (!section) return undefined;
      const sub = match?.[2];
      const itemId = match?.[3] ?? match?.[4];
      if (sub === "items" && itemId) return { section, field: itemFieldId({ id: itemId }) };
      if (sub === "difficulties" || sub === "carerSupport" || sub === "notes") return { section, field: sub };
      return { section, field: "canAchieveWithoutHelp" };
    }
    default:
      return undefined;
  }
}
