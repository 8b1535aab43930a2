import { describe, expect, it } from "vitest";
import { answering, answersManagingEverything } from "#/features/assessment/answers.fixture.ts";
import { maximumPoints, ScoringError, scoreAnswers } from "#/features/assessment/scoring.calc.ts";
import { englandQuestionnaire } from "#/rules/england/questionnaire.ts";

describe("RAS scoring: points per question, per outcome and in total", () => {
  it("scores nothing for a person who manages everything", () => {
    const scores = scoreAnswers(answersManagingEverything(), englandQuestionnaire);
    expect(scores.totalPoints).toBe(0);
    expect(Object.values(scores.domainPoints).every((p) => p === 0)).toBe(true);
    // One line per question, in questionnaire order.
    expect(scores.items.map((i) => i.itemId)).toEqual(
      englandQuestionnaire.outcomes.flatMap((o) => o.items.map((i) => i.id)),
    );
  });

  it("adds each chosen option's points to its outcome and the total", () => {
    let answers = answersManagingEverything();
    answers = answering(answers, "nutrition", "nutrition.meal_preparation", "some_help"); // 4
    answers = answering(answers, "nutrition", "nutrition.eating_drinking", "prompting"); // 2
    answers = answering(answers, "home_safety", "home_safety.staying_safe", "constant"); // 12
    const scores = scoreAnswers(answers, englandQuestionnaire);
    expect(scores.domainPoints.nutrition).toBe(6);
    expect(scores.domainPoints.home_safety).toBe(12);
    expect(scores.totalPoints).toBe(18);
    expect(scores.items.find((i) => i.itemId === "home_safety.staying_safe")).toEqual({
      outcomeId: "home_safety",
      itemId: "home_safety.staying_safe",
      question: "Staying safe at home, such as using the cooker, knowing who is at the door, or not falling",
      optionId: "constant",
      answer: "I need someone with me all the time, day and night",
      points: 12,
    });
  });

  it("throws on an answer that was not validated against the questionnaire", () => {
    const answers = answering(answersManagingEverything(), "clothing", "clothing.dressing", "sometimes");
    expect(() => scoreAnswers(answers, englandQuestionnaire)).toThrow(ScoringError);
  });

  it("knows the most points the questionnaire can give (sum of each question's top option)", () => {
    // 21 + 12 + 17 + 6 + 22 + 5 + 6 + 8 + 10 + 6, worked from the questionnaire by hand.
    expect(maximumPoints(englandQuestionnaire)).toBe(113);
  });
});
