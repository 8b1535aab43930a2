import { expect } from "vitest";
import { payAnswersFrom, readAnswered, readCarried } from "#/faces/pay-estimator/carried.ts";
import { chargingCaseFrom } from "#/faces/pay-estimator/pay-estimator.calc.ts";
import type { ChargingPeriodResult } from "#/features/charging/charging.calc.ts";
import type { CouncilPolicy } from "#/features/charging/charging-input.calc.ts";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";
import { CarryingVisitor, pageText } from "../../../test/inject-browser.ts";

/** For the pay estimator's page tests: a visitor with no account, what a page says, and what it should say. */

const pounds = (p: number) => formatPounds(p as Pence);

export type Fields = Record<string, string | string[]>;

/** A visitor with no account: keeps its cookies, the CSRF token, and the answers the last page carried. */
export class Visitor extends CarryingVisitor {
  /** Answers one page as a person would: its fields, and Continue. */
  answer(base: string, page: string, values: Fields, from?: "check") {
    return this.post(`${base}/questions`, { ...values, page, go: "continue", ...(from ? { from } : {}) });
  }
}

/** The case the pages built from the carried answers, as the result page ran it. */
export function caseFromCarried(
  carried: string,
  jurisdiction: "england" | "wales",
  today: string,
  askPremiums: boolean,
  councilPolicy?: CouncilPolicy,
) {
  const read = readCarried({ answers: carried });
  if (!read.ok) throw new Error("unreadable");
  const pages = Object.keys(read.carried.pages) as never[];
  const { answers } = readAnswered(read.carried, pages, {
    askPremiums,
    askPersonalCare: false,
    ...(read.carried.budgetWeeklyPence ? { budgetWeeklyPence: read.carried.budgetWeeklyPence } : {}),
  });
  const pay = payAnswersFrom(answers);
  if (!pay) throw new Error("unanswered pages");
  return chargingCaseFrom(pay, { jurisdiction, today, ...(councilPolicy ? { councilPolicy } : {}) });
}

/** Every figure and step of a period appears on the page, as the page words them. */
export function expectPeriodOnPage(body: string, p: ChargingPeriodResult) {
  const page = pageText(body);
  expect(page).toContain(`You might pay ${pounds(p.contributionWeeklyPence)} a week`);
  expect(page).toContain(`${pounds(p.contributionFourWeeklyPence)} every 4 weeks`);
  expect(page).toMatch(
    new RegExp(`would pay ${pounds(p.councilPaysWeeklyPence).replace(/[.$]/g, "\\$&")} a week`),
  );
  for (const step of p.steps) {
    if (step.id.startsWith("capital[") && step.text.startsWith("The main home")) continue;
    expect(page, step.id).toContain(step.text);
  }
  expect(page).toContain(p.rounding);
}
