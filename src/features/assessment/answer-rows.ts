import {
  itemFieldId,
  type SavedAnswers,
  type Section,
  sentenceCase,
} from "#/features/assessment/sections.ts";
import type { Questionnaire } from "#/rules/types.ts";

/** Check your answers: each section's answers as summary list rows, in page order. */

// ---- check your answers ----------------------------------------------------------------------------------

/** One row of a summary list: the question, the answer's lines, and the field a Change link goes to. */
export type AnswerRow = { key: string; lines: string[]; field: string };

export const NOT_ANSWERED = "Not answered";
export const yesNoText = (b: boolean | undefined) => (b === true ? "Yes" : b === false ? "No" : NOT_ANSWERED);
export const labelIn = (list: readonly { id: string; label: string }[], id: string | undefined) =>
  id === undefined ? NOT_ANSWERED : (list.find((c) => c.id === id)?.label ?? id);
export const textOr = (s: string | undefined, none: string) => [s && s.trim() !== "" ? s : none];

/** A section's answers as summary list rows, in page order. */
export function describeSection(
  section: Section,
  answers: SavedAnswers,
  questionnaire: Questionnaire,
): AnswerRow[] {
  switch (section.kind) {
    case "about":
      return [
        {
          key: "Do your needs come from, or relate to, a physical or mental impairment or illness?",
          lines: [yesNoText(answers.needsFromImpairmentOrIllness)],
          field: "needsFromImpairmentOrIllness",
        },
        {
          key: "About the impairment or illness",
          lines: textOr(answers.impairmentNotes, "Nothing written"),
          field: "impairmentNotes",
        },
        {
          key: "Do your needs change from day to day or week to week?",
          lines: [yesNoText(answers.needsFluctuate)],
          field: "needsFluctuate",
        },
        ...(answers.needsFluctuate
          ? [
              {
                key: "The period looked at, and how harder days were counted",
                lines: textOr(answers.fluctuationNotes, NOT_ANSWERED),
                field: "fluctuationNotes",
              },
            ]
          : []),
      ];
    case "outcome": {
      const outcome = section.outcome!;
      const saved = answers.outcomes?.[outcome.id];
      const rows: AnswerRow[] = [
        {
          key: outcome.question,
          lines: [yesNoText(saved?.canAchieveWithoutHelp)],
          field: "canAchieveWithoutHelp",
        },
      ];
      if (saved?.canAchieveWithoutHelp === false) {
        rows.push({
          key: "Why you cannot do this on your own",
          lines:
            (saved.difficulties ?? []).length > 0
              ? (saved.difficulties ?? []).map((d) =>
                  sentenceCase(labelIn(questionnaire.unableToAchieveMeanings, d)),
                )
              : [NOT_ANSWERED],
          field: "difficulties",
        });
      }
      rows.push({
        key: "What someone does to help now",
        lines: textOr(saved?.carerSupport, "Nothing written"),
        field: "carerSupport",
      });
      for (const item of outcome.items) {
        rows.push({
          key: item.text,
          lines: [labelIn(item.options, saved?.items?.[item.id])],
          field: itemFieldId(item),
        });
      }
      rows.push({ key: "Notes", lines: textOr(saved?.notes, "Nothing written"), field: "notes" });
      return rows;
    }
    case "wellbeing":
      return [
        {
          key: "The impact on your wellbeing",
          lines: [labelIn(questionnaire.wellbeingImpacts, answers.wellbeingImpact)],
          field: "wellbeingImpact",
        },
        {
          key: "The reasons for this judgement",
          lines: textOr(answers.wellbeingReasons, NOT_ANSWERED),
          field: "wellbeingReasons",
        },
      ];
    case "circumstances": {
      const carer = answers.informalCarer;
      return [
        {
          key: "The main reason you need support",
          lines: [labelIn(questionnaire.primarySupportReasons, answers.primarySupportReason)],
          field: "primarySupportReason",
        },
        {
          key: "Who you live with",
          lines: [labelIn(questionnaire.livingSituations, answers.livingSituation)],
          field: "livingSituation",
        },
        {
          key: "Does someone help you without being paid?",
          lines: [yesNoText(carer?.hasCarer)],
          field: "hasCarer",
        },
        ...(carer?.hasCarer
          ? [
              {
                key: "Are they willing and able to keep helping?",
                lines: [
                  carer.willingAndAbleToContinue === undefined
                    ? "Not asked yet"
                    : yesNoText(carer.willingAndAbleToContinue),
                ],
                field: "carerWillingAndAble",
              },
            ]
          : []),
      ];
    }
    case "what-matters":
      return [
        {
          key: "What matters to you",
          lines: textOr(answers.whatMattersToMe, NOT_ANSWERED),
          field: "whatMattersToMe",
        },
      ];
  }
}
