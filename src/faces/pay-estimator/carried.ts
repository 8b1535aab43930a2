import { z } from "zod";
import {
  PAGE_TITLES,
  PAGES,
  type PageContext,
  type PageSlug,
  type PageValue,
  readPage,
  valuesFrom,
} from "#/faces/pay-estimator/forms.ts";
import type { PayAnswers } from "#/faces/pay-estimator/pay-estimator.calc.ts";
import { MAX_WEEKLY_PENCE } from "#/features/charging/charging-input.calc.ts";
import type { FormBody, FormValues } from "#/platform/web/forms.ts";
/**
 * The answers the pay estimator's pages carry between them (nothing is stored: one hidden field holds the pages
 * answered so far, as typed), and every page read together from them for check your answers and the estimate.
 */

// ---- the answers carried between pages ---------------------------------------------------------------------

export const CARRIED_FIELD = "answers";
/** Changes whenever the pages' fields change, so answers from older pages are not misread. */
export const CARRIED_VERSION = "pay-estimate-2";

export type Carried = {
  /** Each answered page's values, as typed. */
  pages: Partial<Record<PageSlug, FormValues>>;
  /** From the budget estimator's result: the estimated weekly budget. */
  budgetWeeklyPence?: number;
};

const fieldValue = z.union([z.string().max(500), z.array(z.string().max(100)).max(20)]);
const carriedSchema = z.strictObject({
  v: z.literal(CARRIED_VERSION),
  pages: z.partialRecord(z.enum(PAGES), z.record(z.string().max(60), fieldValue)).default({}),
  budget: z.int().min(1).max(MAX_WEEKLY_PENCE).optional(),
});

export type CarriedRead = { ok: true; carried: Carried } | { ok: false; reason: "unreadable" | "changed" };

export function writeCarried(carried: Carried): string {
  return JSON.stringify({
    v: CARRIED_VERSION,
    pages: carried.pages,
    ...(carried.budgetWeeklyPence !== undefined ? { budget: carried.budgetWeeklyPence } : {}),
  });
}

/** Reads the carried answers: absent or empty is a new start. */
export function readCarried(body: FormBody): CarriedRead {
  const raw = body[CARRIED_FIELD];
  if (raw === undefined || raw === "") return { ok: true, carried: { pages: {} } };
  if (typeof raw !== "string") return { ok: false, reason: "unreadable" };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, reason: "unreadable" };
  }
  if (typeof value === "object" && value !== null && "v" in value && value.v !== CARRIED_VERSION)
    return { ok: false, reason: "changed" };
  const parsed = carriedSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: "unreadable" };
  const pages: Carried["pages"] = {};
  for (const slug of PAGES) {
    const values = parsed.data.pages[slug];
    if (values) pages[slug] = valuesFrom(slug, values);
  }
  return {
    ok: true,
    carried: {
      pages,
      ...(parsed.data.budget !== undefined ? { budgetWeeklyPence: parsed.data.budget } : {}),
    },
  };
}

/** A weekly budget sent by the budget estimator's result page, if it is one. */
export function readBudget(raw: unknown): number | undefined {
  if (typeof raw !== "string" || !/^\d{1,9}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= MAX_WEEKLY_PENCE ? n : undefined;
}

// ---- every page together ------------------------------------------------------------------------------------

export type Problem = { slug: PageSlug; text: string };

/** Each page's reading of the carried answers: the typed answers, and what is missing or wrong. */
export function readAnswered(
  carried: Carried,
  pages: readonly PageSlug[],
  ctx: PageContext,
): { answers: Partial<PageValue>; problems: Problem[] } {
  const answers: Partial<Record<PageSlug, unknown>> = {};
  const problems: Problem[] = [];
  for (const slug of pages) {
    const values = carried.pages[slug];
    if (!values) {
      problems.push({ slug, text: `${PAGE_TITLES[slug]}: answer the questions on this page` });
      continue;
    }
    const result = readPage(slug, values, ctx);
    if (result.ok) answers[slug] = result.value;
    else for (const e of result.errorList) problems.push({ slug, text: `${PAGE_TITLES[slug]}: ${e.text}` });
  }
  return { answers: answers as Partial<PageValue>, problems };
}

/** The answers in the calculator's terms, once every page asked is answered. */
export function payAnswersFrom(answers: Partial<PageValue>): PayAnswers | undefined {
  const aboutYou = answers["about-you"];
  const savings = answers.savings;
  const careCost = answers["care-cost"];
  if (!aboutYou || !savings || !careCost) return undefined;
  return {
    aboutYou,
    savings,
    careCost,
    ...(answers.benefits ? { benefits: answers.benefits } : {}),
    ...(answers["other-income"] ? { otherIncome: answers["other-income"] } : {}),
    ...(answers.housing ? { housing: answers.housing } : {}),
    ...(answers["extra-costs"] ? { extraCosts: answers["extra-costs"] } : {}),
  };
}
