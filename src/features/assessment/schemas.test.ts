import { describe, expect, it } from "vitest";
import { answering, answersManagingEverything, notAchieving } from "#/features/assessment/answers.fixture.ts";
import {
  assessmentAnswersSchema,
  formatPath,
  parseAnswers,
  validateAnswers,
} from "#/features/assessment/schemas.ts";
import { englandQuestionnaire } from "#/rules/england/questionnaire.ts";

const paths = (input: unknown) => {
  const result = parseAnswers(input, englandQuestionnaire);
  return result.ok ? [] : result.errors.map((e) => e.path);
};

describe("assessment answers schema", () => {
  it("accepts complete answers", () => {
    expect(parseAnswers(answersManagingEverything(), englandQuestionnaire)).toMatchObject({ ok: true });
  });

  it("rejects 'cannot achieve' with no reg 2(3) meaning, rather than guessing one (Eligibility Regulations 2015 reg 2(3))", () => {
    const answers = notAchieving(answersManagingEverything(), ["nutrition"], []);
    const result = parseAnswers(answers, englandQuestionnaire);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toEqual([
        { path: "outcomes.nutrition.difficulties", message: expect.stringMatching(/reg 2\(3\)/) },
      ]);
    }
  });

  it("rejects 'can achieve' alongside a reg 2(3) meaning: any one of them means the outcome is not achieved", () => {
    const base = answersManagingEverything();
    const answers = {
      ...base,
      outcomes: {
        ...base.outcomes,
        clothing: { ...base.outcomes.clothing!, difficulties: ["takes_significantly_longer"] },
      },
    };
    expect(paths(answers)).toEqual(["outcomes.clothing.canAchieveWithoutHelp"]);
  });

  it("requires the period considered when needs fluctuate (Eligibility Regulations 2015 reg 2(4))", () => {
    const answers = { ...answersManagingEverything(), needsFluctuate: true };
    expect(paths(answers)).toEqual(["fluctuationNotes"]);
    expect(paths({ ...answers, fluctuationNotes: "   " })).toEqual(["fluctuationNotes"]);
    expect(paths({ ...answers, fluctuationNotes: "the last 8 weeks, from her diary" })).toEqual([]);
  });

  it("requires the practitioner's reasons for the wellbeing judgement", () => {
    expect(paths({ ...answersManagingEverything(), wellbeingReasons: "" })).toEqual(["wellbeingReasons"]);
  });

  it("does not allow 'willing and able to continue' when there is no carer", () => {
    const answers = {
      ...answersManagingEverything(),
      informalCarer: { hasCarer: false, willingAndAbleToContinue: true },
    };
    expect(paths(answers)).toEqual(["informalCarer.willingAndAbleToContinue"]);
  });

  it("names a misspelt field so it can be fixed", () => {
    const result = parseAnswers(
      { ...answersManagingEverything(), wellbeingImpcat: "some" },
      englandQuestionnaire,
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: "wellbeingImpcat",
          message: '"wellbeingImpcat" is not a field here: check the spelling, or remove it',
        },
      ],
    });
  });

  it("treats an empty optional text box as not given", () => {
    const parsed = assessmentAnswersSchema.parse({ ...answersManagingEverything(), impairmentNotes: "  " });
    expect(parsed.impairmentNotes).toBeUndefined();
  });
});

describe("validateAnswers: ids checked against the questionnaire version", () => {
  it("names an unknown item id by its field path", () => {
    const answers = answering(answersManagingEverything(), "nutrition", "nutrition.juggling", "independent");
    expect(validateAnswers(answers, englandQuestionnaire)).toEqual([
      {
        path: 'outcomes.nutrition.items["nutrition.juggling"]',
        message: '"nutrition.juggling" is not a question about getting enough to eat and drink',
      },
    ]);
  });

  it("names an unknown option, a missing item, an unknown outcome, a missing outcome and unknown list ids", () => {
    const base = answering(answersManagingEverything(), "clothing", "clothing.dressing", "sometimes");
    const { relationships: _dropped, ...outcomes } = base.outcomes;
    const nutrition = base.outcomes.nutrition!;
    const { "nutrition.getting_food": _missing, ...nutritionItems } = nutrition.items;
    const answers = {
      ...base,
      primarySupportReason: "tiredness",
      livingSituation: "castle",
      outcomes: {
        ...outcomes,
        nutrition: { ...nutrition, items: nutritionItems },
        flying: base.outcomes.clothing!,
        clothing: { ...base.outcomes.clothing!, canAchieveWithoutHelp: false, difficulties: ["bored"] },
      },
    };
    expect(validateAnswers(answers, englandQuestionnaire).map((e) => e.path)).toEqual([
      "outcomes.flying",
      'outcomes.nutrition.items["nutrition.getting_food"]',
      "outcomes.clothing.difficulties[0]",
      'outcomes.clothing.items["clothing.dressing"]',
      "outcomes.relationships",
      "primarySupportReason",
      "livingSituation",
    ]);
  });

  it("rejects answers given in a different questionnaire version", () => {
    const answers = { ...answersManagingEverything(), questionnaireId: "england-sdsa-2019.1" };
    expect(validateAnswers(answers, englandQuestionnaire).map((e) => e.path)).toEqual(["questionnaireId"]);
  });

  it("prefixes paths when the answers sit inside a case file", () => {
    const answers = { ...answersManagingEverything(), livingSituation: "castle" };
    expect(validateAnswers(answers, englandQuestionnaire, ["answers"]).map((e) => e.path)).toEqual([
      "answers.livingSituation",
    ]);
  });
});

describe("formatPath", () => {
  it("uses dots for plain names, brackets for indexes and for ids with dots", () => {
    expect(formatPath(["outcomes", "nutrition", "items", "nutrition.meal_preparation"])).toBe(
      'outcomes.nutrition.items["nutrition.meal_preparation"]',
    );
    expect(formatPath(["difficulties", 0])).toBe("difficulties[0]");
    expect(formatPath([])).toBe("(top level)");
  });
});
