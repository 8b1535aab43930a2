import { describe, expect, it } from "vitest";
import { answering, answersManagingEverything, notAchieving } from "#/features/assessment/answers.fixture.ts";
import { decideEligibility } from "#/features/assessment/eligibility.calc.ts";
import { parseAnswers } from "#/features/assessment/schemas.ts";
import { englandQuestionnaire } from "#/rules/england/questionnaire.ts";
import { rulePackFor } from "#/rules/index.ts";

const pack = rulePackFor("england", "2026-11-23");
const condition = (decision: ReturnType<typeof decideEligibility>, id: string) =>
  decision.conditions.find((c) => c.id === id);

describe("England eligibility (Care and Support (Eligibility Criteria) Regulations 2015, reg 2)", () => {
  it("reg 2(1)(b): one outcome not achieved is not enough, so not eligible", () => {
    const decision = decideEligibility(notAchieving(answersManagingEverything(), ["nutrition"]), pack);
    expect(decision.eligible).toBe(false);
    expect(condition(decision, "two_or_more_outcomes")?.met).toBe(false);
    expect(condition(decision, "two_or_more_outcomes")?.reason).toMatch(/1 of the 10 .* at least 2/);
    expect(decision.adviceIfNotEligible?.length).toBeGreaterThan(0);
  });

  it("reg 2(1): two outcomes not achieved, from an impairment, with significant impact on wellbeing: eligible", () => {
    const decision = decideEligibility(
      notAchieving(answersManagingEverything(), ["nutrition", "clothing"]),
      pack,
    );
    expect(decision.eligible).toBe(true);
    expect(decision.conditions.map((c) => [c.id, c.met])).toEqual([
      ["impairment", true],
      ["two_or_more_outcomes", true],
      ["significant_wellbeing_impact", true],
    ]);
    expect(decision.outcomesNotAchieved.map((o) => o.outcomeId)).toEqual(["nutrition", "clothing"]);
    expect(decision.reasons[0]).toMatch(/^You are eligible/);
    expect(decision.adviceIfNotEligible).toBeUndefined();
    expect(decision).toMatchObject({ jurisdiction: "england", ruleId: "england-eligibility-2015" });
  });

  it("reg 2(3): each meaning of 'unable to achieve' counts on its own, and is named in the reasons", () => {
    for (const meaning of englandQuestionnaire.unableToAchieveMeanings) {
      const answers = notAchieving(
        answersManagingEverything(),
        ["toilet_needs", "home_safety"],
        [meaning.id],
      );
      const decision = decideEligibility(answers, pack);
      expect(decision.eligible).toBe(true);
      expect(decision.outcomesNotAchieved[0]?.because).toEqual([meaning.label]);
      expect(decision.reasons.join(" ")).toContain(meaning.label);
    }
  });

  it("support a carer gives is disregarded: an outcome a carer helps with still counts as not achieved", () => {
    const answers = notAchieving(
      answersManagingEverything(),
      ["nutrition", "personal_hygiene"],
      ["needs_assistance"],
      "My son cooks for me and helps me shower every day",
    );
    const decision = decideEligibility(
      { ...answers, informalCarer: { hasCarer: true, willingAndAbleToContinue: true } },
      pack,
    );
    expect(decision.eligible).toBe(true);
    expect(decision.outcomesNotAchieved.map((o) => o.carerSupportDisregarded)).toEqual([
      "My son cooks for me and helps me shower every day",
      "My son cooks for me and helps me shower every day",
    ]);
    expect(decision.reasons.join(" ")).toMatch(/We did not count that help/);
  });

  it("reg 2(1)(c): without a significant impact on wellbeing, not eligible ('some' is not enough)", () => {
    const answers = notAchieving(answersManagingEverything(), ["nutrition", "clothing", "relationships"]);
    for (const impact of ["some", "none"] as const) {
      const decision = decideEligibility({ ...answers, wellbeingImpact: impact }, pack);
      expect(decision.eligible).toBe(false);
      expect(condition(decision, "significant_wellbeing_impact")?.met).toBe(false);
      expect(condition(decision, "two_or_more_outcomes")?.met).toBe(true);
    }
  });

  it("reg 2(1)(a): needs that do not arise from an impairment or illness are not eligible", () => {
    const answers = notAchieving(answersManagingEverything(), ["nutrition", "clothing", "relationships"]);
    const decision = decideEligibility({ ...answers, needsFromImpairmentOrIllness: false }, pack);
    expect(decision.eligible).toBe(false);
    expect(condition(decision, "impairment")?.met).toBe(false);
    expect(decision.reasons[0]).toMatch(/^You are not eligible.*1 of them is not/);
  });

  it("reg 2(4): fluctuating needs are judged over the period recorded, so needs on recurring bad days count", () => {
    // On good days she manages; on her recurring bad days she cannot wash or dress safely. The answers
    // describe her over the period considered, so the bad-day needs are recorded as not achieved.
    let answers = notAchieving(
      answersManagingEverything(),
      ["personal_hygiene", "clothing"],
      ["endangers_health_safety"],
    );
    answers = answering(answers, "personal_hygiene", "personal_hygiene.washing", "some_help");
    answers = {
      ...answers,
      needsFluctuate: true,
      fluctuationNotes: "the 8 weeks to 1 November, with bad days twice a week",
    };
    expect(parseAnswers(answers, englandQuestionnaire).ok).toBe(true);
    const decision = decideEligibility(answers, pack);
    expect(decision.eligible).toBe(true);
    expect(decision.reasons.at(-1)).toBe(
      "Your needs change over time. We looked at them over this period: the 8 weeks to 1 November, with bad days twice a week. Your harder days count where they keep happening.",
    );
  });

  it("a 'cannot achieve' with no reg 2(3) meaning is not counted (the schema also rejects it)", () => {
    const base = notAchieving(answersManagingEverything(), ["nutrition"]);
    const unreasoned = { ...base.outcomes.clothing!, canAchieveWithoutHelp: false, difficulties: [] };
    const decision = decideEligibility(
      { ...base, outcomes: { ...base.outcomes, clothing: unreasoned } },
      pack,
    );
    expect(decision.outcomesNotAchieved.map((o) => o.outcomeId)).toEqual(["nutrition"]);
    expect(decision.eligible).toBe(false);
  });

  it("is decided from the recorded facts, never from points: high points alone do not make a person eligible", () => {
    let answers = answersManagingEverything();
    answers = answering(answers, "home_safety", "home_safety.staying_safe", "constant");
    answers = answering(answers, "nutrition", "nutrition.eating_drinking", "full_help");
    expect(decideEligibility(answers, pack).eligible).toBe(false);
  });

  it("tells a carer they can ask for their own assessment when the person is not eligible (Care Act 2014 s10)", () => {
    const answers = { ...answersManagingEverything(), informalCarer: { hasCarer: true } };
    expect(decideEligibility(answers, pack).adviceIfNotEligible?.join(" ")).toMatch(/carer's assessment/);
    expect(decideEligibility(answersManagingEverything(), pack).adviceIfNotEligible?.join(" ")).not.toMatch(
      /carer's assessment/,
    );
  });

  it("refuses answers given in another questionnaire version than the pack's", () => {
    const answers = { ...answersManagingEverything(), questionnaireId: "england-sdsa-2019.1" };
    expect(() => decideEligibility(answers, pack)).toThrow(/questionnaire/);
  });
});
