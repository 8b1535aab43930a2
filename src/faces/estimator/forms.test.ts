import { describe, expect, it } from "vitest";
import {
  completeAnswers,
  estimatorSections,
  NOT_ASKED,
  parseEstimatorSection,
  readCarried,
  unfinished,
  withSection,
  writeCarried,
} from "#/faces/estimator/forms.ts";
import { answersManagingEverything } from "#/features/assessment/answers.fixture.ts";
import { valuesFromAnswers } from "#/features/assessment/forms.ts";
import { parseAnswers } from "#/features/assessment/schemas.ts";
import { englandQuestionnaire as q } from "#/rules/england/questionnaire.ts";

const sections = estimatorSections(q);
const section = (slug: string) => sections.find((s) => s.slug === slug)!;

describe("the estimator's pages", () => {
  it("are every assessment page but 'What matters to you'", () => {
    expect(sections.map((s) => s.kind)).toEqual([
      "about",
      ...q.outcomes.map(() => "outcome"),
      "wellbeing",
      "circumstances",
    ]);
  });

  it("read a page as the staff page does, filling in the wellbeing reasons it does not ask", () => {
    const wellbeing = parseEstimatorSection(section("wellbeing"), { wellbeingImpact: "significant" }, q);
    expect(wellbeing).toMatchObject({
      ok: true,
      answers: { wellbeingImpact: "significant", wellbeingReasons: NOT_ASKED },
    });
    const about = parseEstimatorSection(
      section("about-your-needs"),
      { needsFromImpairmentOrIllness: "yes", needsFluctuate: "yes" },
      q,
    );
    expect(about.ok).toBe(false);
    if (!about.ok) {
      expect(about.errors.fluctuationNotes).toBe(
        "Enter how often you have harder days, and what they are like",
      );
      expect(about.errorList).toEqual([
        { text: "Enter how often you have harder days, and what they are like", href: "#fluctuationNotes" },
      ]);
    }
  });
});

describe("answers carried in a hidden field", () => {
  it("go there and back unchanged, and every page's answers add up to answers submit accepts", () => {
    const full = answersManagingEverything();
    let answers = {};
    for (const s of sections) {
      const page = parseEstimatorSection(s, valuesFromAnswers(s, full as never), q);
      if (!page.ok) throw new Error(`${s.slug}: ${JSON.stringify(page.errors)}`);
      answers = withSection(answers, page.answers);
      const carried = readCarried({ answers: writeCarried(answers, q) }, q);
      expect(carried).toEqual({ ok: true, answers });
    }
    expect(unfinished(answers, q)).toEqual([]);
    const parsed = parseAnswers(completeAnswers(answers, q), q);
    expect(parsed.ok).toBe(true);
  });

  it("start empty, and refuse what is not answers to these questions", () => {
    expect(readCarried({}, q)).toEqual({ ok: true, answers: {} });
    expect(readCarried({ answers: "" }, q)).toEqual({ ok: true, answers: {} });
    expect(readCarried({ answers: JSON.stringify({ questionnaireId: q.id }) }, q)).toEqual({
      ok: true,
      answers: {},
    });
    for (const bad of ["{", "null", "[1]", JSON.stringify({ questionnaireId: q.id, nonsense: true })]) {
      expect(readCarried({ answers: bad }, q)).toEqual({ ok: false, reason: "unreadable" });
    }
    expect(readCarried({ answers: ["a", "b"] }, q)).toEqual({ ok: false, reason: "unreadable" });
    expect(readCarried({ answers: JSON.stringify({ questionnaireId: "older" }) }, q)).toEqual({
      ok: false,
      reason: "changed",
    });
  });

  it("one page replaces its own answers only; an emptied box is removed", () => {
    const before = {
      needsFluctuate: true,
      fluctuationNotes: "x",
      outcomes: { nutrition: { canAchieveWithoutHelp: true } },
    };
    const after = withSection(before, {
      needsFluctuate: false,
      fluctuationNotes: undefined,
      outcomes: { clothing: { canAchieveWithoutHelp: false } },
    });
    expect(after).toEqual({
      needsFluctuate: false,
      outcomes: { nutrition: { canAchieveWithoutHelp: true }, clothing: { canAchieveWithoutHelp: false } },
    });
  });

  it("list what is missing page by page, a page not started as one line", () => {
    const missing = unfinished({ needsFromImpairmentOrIllness: true }, q);
    expect(missing[0]).toEqual({
      text: "About your needs: Select yes if your needs change from day to day or week to week",
      slug: "about-your-needs",
      field: "needsFluctuate",
    });
    expect(missing).toHaveLength(sections.length);
    expect(missing.some((m) => m.slug === "what-matters-to-you")).toBe(false);
  });
});
