import type { Locator, Page } from "playwright-core";

/** A locator's words, with runs of white space made single spaces (what a person reads, near enough). */
export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? "").replace(/\s+/g, " ").trim();
}

/**
 * Walks the assessment's question pages as a person would: reads each question (a fieldset's legend, a
 * field's label), picks answers by their visible labels, presses "Save and continue" and goes on until
 * "Check your answers". Nothing here knows field names or the order of pages, so it keeps working as the
 * pages are reworded or reordered; what to answer is decided by an `AnswerPolicy` from the words on the
 * page.
 */

/** One question with options: radios (pick one) or checkboxes (pick any). */
export type Choice = { question: string; options: string[]; multiple: boolean };

export type AnswerPolicy = {
  /** The labels of the options to select. */
  choose(choice: Choice): string[];
  /** What to type into a free-text field, or undefined to leave it empty. */
  write(label: string): string | undefined;
};

const pick = (options: string[], ...patterns: RegExp[]): string => {
  for (const pattern of patterns) {
    const found = options.find((o) => pattern.test(o));
    if (found) return found;
  }
  return options[0]!;
};

/**
 * A person who is eligible under the England rules: needs from an illness, unable to do most of the listed
 * outcomes on their own, a significant impact on wellbeing. Graded questions get "some help" answers, so
 * the indicative budget is a real amount, neither the minimum nor the cap.
 */
export const eligiblePerson: AnswerPolicy = {
  choose({ question, options, multiple }) {
    if (multiple) return [pick(options, /without help/i)];
    if (/impairment or illness/i.test(question)) return [pick(options, /^yes/i)];
    if (/day to day|week to week/i.test(question)) return [pick(options, /^no\b/i)];
    // "Can you … on your own?": the outcome itself. Looking after a child is not something they do.
    if (options.some((o) => /on my own/i.test(o))) {
      return [/child/i.test(question) ? pick(options, /on my own/i) : pick(options, /^no\b/i)];
    }
    if (/wellbeing/i.test(question)) return [pick(options, /^(?!.*not significant).*significant/i)];
    if (/main reason/i.test(question)) return [pick(options, /personal care/i)];
    if (/live with/i.test(question)) return [pick(options, /alone/i)];
    if (/without being paid|unpaid/i.test(question)) return [pick(options, /^no\b/i)];
    if (/willing and able/i.test(question)) return [pick(options, /^yes/i)];
    // A graded question about how much help: "some help" where there is such an answer.
    if (options.some((o) => /do not look after/i.test(o))) return [pick(options, /do not look after/i)];
    return [
      options.find((o) => /some help|need some|some of the time/i.test(o)) ?? options[1] ?? options[0]!,
    ];
  },
  write(label) {
    if (/\(optional\)/i.test(label)) return undefined;
    if (/reason/i.test(label)) {
      return "Without help to wash, dress and eat they are at risk of falls and of not eating enough, and they have stopped seeing friends.";
    }
    if (/what matters/i.test(label)) {
      return "Staying in my own flat, seeing my grandchildren on Sundays and getting back to the allotment.";
    }
    // Follow-up text only asked for after a particular answer (for example the period looked at).
    if (/period/i.test(label)) return undefined;
    return "Nothing more to add.";
  },
};

type Group = { name: string; type: "radio" | "checkbox"; question: string; options: string[] };

/**
 * The form's questions, in page order, skipping any that belong to an answer not chosen (GOV.UK's
 * conditional reveals, which show without JavaScript too): a person does not answer those.
 */
async function readForm(page: Page) {
  return page
    .locator("main form")
    .last()
    .evaluate((form) => {
      const inUnchosenReveal = (el: Element): boolean => {
        const reveal = el.closest(".govuk-radios__conditional, .govuk-checkboxes__conditional");
        if (!reveal) return false;
        const controller = form.querySelector<HTMLInputElement>(
          `[aria-controls="${reveal.id}"], [data-aria-controls="${reveal.id}"]`,
        );
        return !controller?.checked || inUnchosenReveal(controller);
      };
      const labelOf = (el: Element) =>
        (el.id ? form.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent : "")
          ?.trim()
          .replace(/\s+/g, " ") ?? "";
      const groups: { name: string; type: "radio" | "checkbox"; question: string; options: string[] }[] = [];
      for (const input of form.querySelectorAll<HTMLInputElement>(
        "input[type=radio], input[type=checkbox]",
      )) {
        if (inUnchosenReveal(input)) continue;
        let group = groups.find((g) => g.name === input.name);
        if (!group) {
          const legend = input.closest("fieldset")?.querySelector("legend");
          group = {
            name: input.name,
            type: input.type as "radio" | "checkbox",
            question: legend?.textContent?.trim().replace(/\s+/g, " ") ?? "",
            options: [],
          };
          groups.push(group);
        }
        group.options.push(labelOf(input));
      }
      const texts = [
        ...form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("textarea, input[type=text]"),
      ]
        .filter((el) => !inUnchosenReveal(el))
        .map((el) => ({ label: labelOf(el), empty: el.value.trim() === "" }));
      return { groups, texts };
    });
}

/** What was answered on one page, for the test's log. */
export type PageRecord = { url: string; heading: string; answers: string[] };

/** Answers every question on the page in front of it (does not submit). */
export async function answerQuestionPage(page: Page, policy: AnswerPolicy): Promise<string[]> {
  const done: string[] = [];
  const answered = new Set<string>();
  // The last one-of answer on the page, for follow-ups worded "If no: …" or "If yes, …".
  let lastAnswer = "";
  const notForThisAnswer = (question: string) => {
    const condition = /^if (yes|no)\b/i.exec(question)?.[1];
    return condition !== undefined && !new RegExp(`^${condition}\\b`, "i").test(lastAnswer);
  };
  // Read the form again after each answer: an answer can reveal a follow-up question.
  for (;;) {
    const { groups } = await readForm(page);
    const group = (groups as Group[]).find((g) => !answered.has(g.name));
    if (!group) break;
    answered.add(group.name);
    if (notForThisAnswer(group.question)) {
      done.push(`${group.question} → (not asked after "${lastAnswer}")`);
      continue;
    }
    const chosen = policy.choose({
      question: group.question,
      options: group.options,
      multiple: group.type === "checkbox",
    });
    for (const label of chosen) {
      // By its label, among the inputs of this question only (several questions have a "Yes").
      await page
        .getByRole(group.type, { name: label, exact: true })
        .and(page.locator(`[name="${group.name}"]`))
        .check();
    }
    if (group.type === "radio" && chosen[0]) lastAnswer = chosen[0];
    done.push(`${group.question} → ${chosen.join("; ")}`);
  }
  const { texts } = await readForm(page);
  for (const { label, empty } of texts) {
    const text = notForThisAnswer(label) ? undefined : policy.write(label);
    if (text === undefined || !empty) continue;
    await page.getByLabel(label, { exact: true }).fill(text);
    done.push(`${label} → ${text}`);
  }
  return done;
}

/** Throws with the error summary's words when the page shows one. */
export async function expectNoErrorSummary(page: Page): Promise<void> {
  const summary = page.locator(".govuk-error-summary");
  if ((await summary.count()) > 0) {
    throw new Error(
      `The page ${page.url()} shows errors:\n${await textOf(summary)}\nin reply to answers on it.`,
    );
  }
}

/**
 * From a question page, answers page after page until "Check your answers". `afterEach` runs after every
 * navigation (the accessibility check). Returns what was answered where.
 */
export async function answerEveryQuestion(
  page: Page,
  policy: AnswerPolicy,
  afterEach: (page: Page) => Promise<void>,
): Promise<PageRecord[]> {
  const record: PageRecord[] = [];
  for (let pages = 0; pages < 40; pages++) {
    if (new URL(page.url()).pathname.endsWith("/check-answers")) return record;
    const save = page.getByRole("button", { name: /save and continue/i });
    if ((await save.count()) === 0) {
      throw new Error(`Expected a question page or "Check your answers", but got ${page.url()}`);
    }
    const heading = await textOf(page.getByRole("heading", { level: 1 }).first());
    const answers = await answerQuestionPage(page, policy);
    record.push({ url: page.url(), heading, answers });
    await save.click();
    await page.waitForLoadState("load");
    await expectNoErrorSummary(page);
    await afterEach(page);
  }
  throw new Error("Gave up after 40 question pages: the pages may be going round in a loop");
}
