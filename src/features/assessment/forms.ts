import { z } from "zod";
import type { FieldError } from "#/features/assessment/schemas.ts";
import { allRulePacks } from "#/rules/index.ts";
import type { Questionnaire, QuestionnaireItem, QuestionnaireOutcome } from "#/rules/types.ts";

/**
 * The assessment's question pages as forms: which sections there are and in what order, how a posted
 * (urlencoded) page becomes that section's answers, how saved answers fill a page again, and how an error
 * the service reports (by answer path) is found on a page. Messages follow GOV.UK's error message style and
 * speak to the person, as the questions do (a supported self-assessment is the person's own).
 *
 * Pages check their own section completely, so a page that says "Completed" will pass at submit; the
 * service checks everything again when the assessment is submitted.
 */

// ---- types -------------------------------------------------------------------------------------------

/** What @fastify/formbody gives: a string, or an array of strings for a repeated name (checkboxes). */
export type FormBody = Record<string, unknown>;
/** A page's values, as the templates show them again. */
export type FormValues = Record<string, string | string[]>;
/** Field id → message, for each field's error message. */
export type FieldErrors = Record<string, string>;
/** One line of the GOV.UK error summary. */
export type ErrorLink = { text: string; href: string };

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

const sentenceCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const outcomeSlug = (id: string) => id.replaceAll("_", "-");

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

// ---- reading a posted page -----------------------------------------------------------------------------

const MAX_TEXT = 10_000;

/** One value from a form body: the first if the name was repeated; "" if absent or not text. */
function one(body: FormBody, name: string): string {
  const raw = body[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === "string" ? value : "";
}

/** Every value for a repeated name (checkboxes). */
function many(body: FormBody, name: string): string[] {
  const raw = body[name];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((v): v is string => typeof v === "string" && v !== "");
}

const choice = <T extends string>(ids: readonly T[], message: string) =>
  z.string().refine((v): v is T => (ids as readonly string[]).includes(v), { error: message });

const yesNo = (message: string) => choice(["yes", "no"], message).transform((v) => v === "yes");

const optionalText = (what: string) =>
  z
    .string()
    .trim()
    .max(MAX_TEXT, { error: `${what} must be ${MAX_TEXT.toLocaleString("en-GB")} characters or fewer` });

const requiredText = (message: string, what: string) => optionalText(what).min(1, { error: message });

/** "" → undefined, so an emptied box clears what was saved. */
const orUndefined = (s: string) => (s === "" ? undefined : s);

type Parsed = { ok: true; answers: Record<string, unknown> } | { ok: false; errors: FieldErrors };

/** Runs a page's schema over its values; errors keyed by field id, first message per field. */
function run<T>(
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
function valuesFromBody(section: Section, body: FormBody): FormValues {
  const values: FormValues = {};
  for (const field of fieldOrder(section)) {
    values[field] = field === "difficulties" ? many(body, field) : one(body, field);
  }
  return values;
}

function parseValues(section: Section, values: FormValues, questionnaire: Questionnaire): Parsed {
  switch (section.kind) {
    case "about":
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

    case "outcome": {
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

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** Orders a page's errors as its fields are, and links each to its field. */
function summarise(section: Section, errors: FieldErrors, hrefPrefix = ""): ErrorLink[] {
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

// ---- filling a page from saved answers ------------------------------------------------------------------

const yesNoValue = (b: boolean | undefined) => (b === true ? "yes" : b === false ? "no" : "");

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

const isEmpty = (value: string | string[]) => (Array.isArray(value) ? value.length === 0 : value === "");

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

// ---- check your answers ----------------------------------------------------------------------------------

/** One row of a summary list: the question, the answer's lines, and the field a Change link goes to. */
export type AnswerRow = { key: string; lines: string[]; field: string };

const NOT_ANSWERED = "Not answered";
const yesNoText = (b: boolean | undefined) => (b === true ? "Yes" : b === false ? "No" : NOT_ANSWERED);
const labelIn = (list: readonly { id: string; label: string }[], id: string | undefined) =>
  id === undefined ? NOT_ANSWERED : (list.find((c) => c.id === id)?.label ?? id);
const textOr = (s: string | undefined, none: string) => [s && s.trim() !== "" ? s : none];

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
