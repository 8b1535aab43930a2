import { z } from "zod";
import { itemFieldId, type Section } from "#/features/assessment/sections.ts";
import {
  choice,
  type ErrorLink,
  type FieldErrors,
  type FormBody,
  type FormValues,
  MAX_TEXT,
  many,
  one,
  optionalText,
  orUndefined,
  requiredText,
  yesNo,
} from "#/platform/web/forms.ts";
import type { Questionnaire } from "#/rules/types.ts";

/**
 * How a posted (urlencoded) page becomes that section's answers, or the errors to show on it, in page order.
 * A page checks its own section completely, so a page that says "Completed" will pass at submit.
 */

// ---- reading a posted page (with the forms kit, platform/web/forms.ts) ---------------------------------

export type Parsed = { ok: true; answers: Record<string, unknown> } | { ok: false; errors: FieldErrors };

/** Runs a page's schema over its values; errors keyed by field id, first message per field. */
export function run<T>(
  schema: z.ZodType<T>,
  values: Record<string, unknown>,
  build: (v: T) => Record<string, unknown>,
): Parsed {
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, answers: build(parsed.data) };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "")] ??= issue.message;
  return { ok: false, errors };
}

export type SectionResult =
  | { ok: true; answers: Record<string, unknown>; values: FormValues }
  | { ok: false; errors: FieldErrors; errorList: ErrorLink[]; values: FormValues };

/** The field ids a page shows, in page order (the error summary lists errors in this order). */
export function fieldOrder(section: Section): string[] {
  switch (section.kind) {
    case "about":
      return ["needsFromImpairmentOrIllness", "impairmentNotes", "needsFluctuate", "fluctuationNotes"];
    case "outcome":
      return [
        "canAchieveWithoutHelp",
        "difficulties",
        "carerSupport",
        ...(section.outcome?.items ?? []).map(itemFieldId),
        "notes",
      ];
    case "wellbeing":
      return ["wellbeingImpact", "wellbeingReasons"];
    case "circumstances":
      return ["primarySupportReason", "livingSituation", "hasCarer", "carerWillingAndAble"];
    case "what-matters":
      return ["whatMattersToMe"];
  }
}

/** The values a page posted, by field id, normalised to what the templates show. */
export function valuesFromBody(section: Section, body: FormBody): FormValues {
  const values: FormValues = {};
  for (const field of fieldOrder(section)) {
    values[field] = field === "difficulties" ? many(body, field) : one(body, field);
  }
  return values;
}

/** "About your needs": the impairment or illness, and whether the needs fluctuate. */
function parseAbout(values: FormValues): Parsed {
  return run(
    z
      .object({
        needsFromImpairmentOrIllness: yesNo(
          "Select yes if your needs come from, or are related to, a physical or mental impairment or illness",
        ),
        impairmentNotes: optionalText("The details of the impairment or illness"),
        needsFluctuate: yesNo("Select yes if your needs change from day to day or week to week"),
        fluctuationNotes: optionalText("The period looked at"),
      })
      .superRefine((v, ctx) => {
        if (v.needsFluctuate && v.fluctuationNotes === "") {
          ctx.addIssue({
            code: "custom",
            path: ["fluctuationNotes"],
            message: "Enter the period you looked at and how the harder days were counted",
          });
        }
      }),
    values,
    (v) => ({
      needsFromImpairmentOrIllness: v.needsFromImpairmentOrIllness,
      impairmentNotes: orUndefined(v.impairmentNotes),
      needsFluctuate: v.needsFluctuate,
      fluctuationNotes: orUndefined(v.fluctuationNotes),
    }),
  );
}

/** One outcome's page: can it be done on one's own, why not, and its graded questions. */
function parseOutcome(section: Section, values: FormValues, questionnaire: Questionnaire): Parsed {
  const outcome = section.outcome!;
  const meaningIds = questionnaire.unableToAchieveMeanings.map((m) => m.id);
  const itemShape: Record<string, z.ZodType<string>> = {};
  for (const item of outcome.items) {
    itemShape[itemFieldId(item)] = choice(
      item.options.map((o) => o.id),
      `Select the answer that best describes ${lowerFirst(item.text)}`,
    );
  }
  return run(
    z
      .object({
        canAchieveWithoutHelp: yesNo(`Select yes if you can manage ${outcome.label} on your own`),
        difficulties: z.array(choice(meaningIds, "Select the reasons from the list")),
        carerSupport: optionalText("What someone does to help now"),
        notes: optionalText("The notes"),
        ...itemShape,
      })
      .superRefine((v, ctx) => {
        if (v.canAchieveWithoutHelp === false && v.difficulties.length === 0) {
          ctx.addIssue({
            code: "custom",
            path: ["difficulties"],
            message: "Select why you cannot do this on your own",
          });
        }
        // Any reg 2(3) reason means the outcome is not achieved, so a "yes" with reasons is a contradiction
        // to resolve, not something to drop quietly.
        if (v.canAchieveWithoutHelp === true && v.difficulties.length > 0) {
          ctx.addIssue({
            code: "custom",
            path: ["difficulties"],
            message:
              "You answered yes, so untick these reasons, or change your answer to no: any one of them means you cannot do this on your own",
          });
        }
      }),
    values,
    (v) => {
      const record = v as Record<string, unknown>;
      const items: Record<string, string> = {};
      for (const item of outcome.items) items[item.id] = String(record[itemFieldId(item)]);
      return {
        outcomes: {
          [outcome.id]: {
            canAchieveWithoutHelp: v.canAchieveWithoutHelp,
            difficulties: [...new Set(v.difficulties)],
            carerSupport: orUndefined(v.carerSupport),
            items,
            notes: orUndefined(v.notes),
          },
        },
      };
    },
  );
}

export function parseValues(section: Section, values: FormValues, questionnaire: Questionnaire): Parsed {
  switch (section.kind) {
    case "about":
      return parseAbout(values);

    case "outcome":
      return parseOutcome(section, values, questionnaire);

    case "wellbeing":
      return run(
        z.object({
          wellbeingImpact: choice(
            questionnaire.wellbeingImpacts.map((c) => c.id),
            "Select the impact your needs have on your wellbeing",
          ),
          wellbeingReasons: requiredText(
            "Enter the reasons for the judgement about wellbeing",
            "The reasons",
          ),
        }),
        values,
        (v) => ({ wellbeingImpact: v.wellbeingImpact, wellbeingReasons: v.wellbeingReasons }),
      );

    case "circumstances":
      return run(
        z
          .object({
            primarySupportReason: choice(
              questionnaire.primarySupportReasons.map((c) => c.id),
              "Select the main reason you need support",
            ),
            livingSituation: choice(
              questionnaire.livingSituations.map((c) => c.id),
              "Select who you live with",
            ),
            hasCarer: yesNo("Select yes if someone helps you without being paid, such as family or a friend"),
            carerWillingAndAble: z.string(),
          })
          .superRefine((v, ctx) => {
            if (v.hasCarer && !["yes", "no", "not_asked"].includes(v.carerWillingAndAble)) {
              ctx.addIssue({
                code: "custom",
                path: ["carerWillingAndAble"],
                message: "Select whether the person who helps you is willing and able to keep helping",
              });
            }
          }),
        values,
        (v) => ({
          primarySupportReason: v.primarySupportReason,
          livingSituation: v.livingSituation,
          informalCarer: v.hasCarer
            ? {
                hasCarer: true,
                // Only an explicit "yes" may reduce a budget; "not asked yet" is stored as not known.
                ...(v.carerWillingAndAble === "not_asked"
                  ? {}
                  : { willingAndAbleToContinue: v.carerWillingAndAble === "yes" }),
              }
            : { hasCarer: false },
        }),
      );

    case "what-matters":
      return run(
        z.object({
          whatMattersToMe: requiredText(
            "Enter what matters to you, in your own words",
            "What matters to you",
          ),
        }),
        values,
        (v) => ({ whatMattersToMe: v.whatMattersToMe }),
      );
  }
}

export const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** Orders a page's errors as its fields are, and links each to its field. */
export function summarise(section: Section, errors: FieldErrors, hrefPrefix = ""): ErrorLink[] {
  return (
    fieldOrder(section)
      .filter((field) => errors[field])
      // GOV.UK radios and checkboxes give their first option the field's id, so the link lands on it.
      .map((field) => ({ text: errors[field]!, href: `${hrefPrefix}#${field}` }))
  );
}

/** Reads one posted page into that section's answers, or the errors to show on it. */
export function parseSection(section: Section, body: FormBody, questionnaire: Questionnaire): SectionResult {
  const values = valuesFromBody(section, body);
  const result = parseValues(section, values, questionnaire);
  if (result.ok) return { ok: true, answers: result.answers, values };
  return { ok: false, errors: result.errors, errorList: summarise(section, result.errors), values };
}

/**
 * The lenient read for "Save and come back later": keeps what the service can store even if the page is
 * unfinished. Top-level answers are saved field by field; an outcome needs its yes-or-no answer (the
 * service stores an outcome whole) and keeps whichever graded questions were answered.
 */
export function parseSectionLeniently(
  section: Section,
  body: FormBody,
  questionnaire: Questionnaire,
): Record<string, unknown> {
  const full = parseSection(section, body, questionnaire);
  if (full.ok) return full.answers;
  const v = full.values;
  const text = (s: unknown) =>
    typeof s === "string" && s.trim() !== "" ? s.trim().slice(0, MAX_TEXT) : undefined;
  const bool = (s: unknown) => (s === "yes" ? true : s === "no" ? false : undefined);
  const answers: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => {
    if (value !== undefined) answers[key] = value;
  };
  switch (section.kind) {
    case "about":
      put("needsFromImpairmentOrIllness", bool(v.needsFromImpairmentOrIllness));
      put("impairmentNotes", text(v.impairmentNotes));
      put("needsFluctuate", bool(v.needsFluctuate));
      put("fluctuationNotes", text(v.fluctuationNotes));
      break;
    case "outcome": {
      const outcome = section.outcome!;
      const can = bool(v.canAchieveWithoutHelp);
      const meaningIds = new Set(questionnaire.unableToAchieveMeanings.map((m) => m.id));
      const difficulties = [...new Set((v.difficulties as string[]).filter((d) => meaningIds.has(d)))];
      // The service stores an outcome whole: it needs the yes-or-no answer, and a "no" needs a reason.
      // A "yes" with reasons contradicts itself: leave it for the page's own check to raise.
      if (can === undefined || (can === false) === (difficulties.length === 0)) break;
      const items: Record<string, string> = {};
      for (const item of outcome.items) {
        const chosen = v[itemFieldId(item)];
        if (typeof chosen === "string" && item.options.some((o) => o.id === chosen)) items[item.id] = chosen;
      }
      answers.outcomes = {
        [outcome.id]: {
          canAchieveWithoutHelp: can,
          difficulties,
          items,
          ...(text(v.carerSupport) ? { carerSupport: text(v.carerSupport) } : {}),
          ...(text(v.notes) ? { notes: text(v.notes) } : {}),
        },
      };
      break;
    }
    case "wellbeing":
      if (questionnaire.wellbeingImpacts.some((c) => c.id === v.wellbeingImpact))
        put("wellbeingImpact", v.wellbeingImpact);
      put("wellbeingReasons", text(v.wellbeingReasons));
      break;
    case "circumstances": {
      if (questionnaire.primarySupportReasons.some((c) => c.id === v.primarySupportReason)) {
        put("primarySupportReason", v.primarySupportReason);
      }
      if (questionnaire.livingSituations.some((c) => c.id === v.livingSituation))
        put("livingSituation", v.livingSituation);
      const hasCarer = bool(v.hasCarer);
      if (hasCarer !== undefined) {
        const willing = bool(v.carerWillingAndAble);
        put(
          "informalCarer",
          hasCarer && willing !== undefined ? { hasCarer, willingAndAbleToContinue: willing } : { hasCarer },
        );
      }
      break;
    }
    case "what-matters":
      put("whatMattersToMe", text(v.whatMattersToMe));
      break;
  }
  return answers;
}
