import { describe, expect, it } from "vitest";
import { estimate, explainEligibility } from "#/faces/estimator/estimator.calc.ts";
import { allocate } from "#/features/assessment/allocation.calc.ts";
import { answering, answersManagingEverything, notAchieving } from "#/features/assessment/answers.fixture.ts";
import { RasModelMismatchError } from "#/features/assessment/assessment-outcome.calc.ts";
import { decideEligibility } from "#/features/assessment/eligibility.calc.ts";
import { exampleRasModel } from "#/rules/england/ras-model.example.ts";
import { rulePackFor } from "#/rules/index.ts";

const pack = rulePackFor("england", "2026-11-23");
const eligible = () =>
  answering(
    notAchieving(
      answersManagingEverything(),
      ["nutrition", "clothing"],
      ["needs_assistance"],
      "My son cooks.",
    ),
    "nutrition",
    "nutrition.meal_preparation",
    "full_help",
  );

describe("estimate", () => {
  it("is the eligibility decision and, when eligible, the allocation, from the same calcs", () => {
    const answers = eligible();
    const result = estimate(answers, pack, exampleRasModel);
    expect(result.eligibility).toEqual(decideEligibility(answers, pack));
    expect(result.allocation).toEqual(allocate(answers, exampleRasModel, pack.questionnaire));
  });

  it("makes no allocation when the needs do not look eligible", () => {
    const result = estimate(notAchieving(answersManagingEverything(), ["nutrition"]), pack, exampleRasModel);
    expect(result.eligibility.eligible).toBe(false);
    expect(result.allocation).toBeNull();
  });

  it("refuses a model that does not price this questionnaire, as submit does", () => {
    const misfit = { ...exampleRasModel, domainWeights: { flying: 2 } };
    expect(() => estimate(eligible(), pack, misfit)).toThrow(RasModelMismatchError);
    // Not eligible: the model is never used, so it is never checked (as in the staff path).
    expect(estimate(answersManagingEverything(), pack, misfit).allocation).toBeNull();
  });
});

describe("explainEligibility: the words of an estimate", () => {
  const explain = (answers: ReturnType<typeof answersManagingEverything>) =>
    explainEligibility(decideEligibility(answers, pack), answers, pack);

  it("says what the answers suggest, never what was decided", () => {
    const e = explain(eligible());
    expect(e.looksEligible).toBe(true);
    expect(e.headline).toBe(
      "From your answers, your needs look likely to meet the national eligibility rules.",
    );
    expect(e.parts.map((p) => p.met)).toEqual([true, true, true]);
    expect(e.parts[1]!.text).toBe(
      "You said there are 2 things on the list of 10 that you cannot do on your own: getting enough to eat and drink; and getting dressed.",
    );
    expect(e.cannotDo[0]).toEqual({
      label: "Getting enough to eat and drink",
      because: ["cannot do it without help, including being reminded or prompted"],
      helpNotCounted: "My son cooks.",
    });
    const words = JSON.stringify(e);
    expect(words).not.toMatch(/We did not find|We found|Our reasons|You are eligible|You are not eligible/);
  });

  it("counts none, one or several outcomes, and names the parts not met", () => {
    const none = explain({ ...answersManagingEverything(), wellbeingImpact: "some" });
    expect(none.looksEligible).toBe(false);
    expect(none.headline).toBe(
      "From your answers, your needs may not meet the national eligibility rules: 2 of the 3 parts are not met.",
    );
    expect(none.parts[1]!.text).toBe(
      "You said you can do all 10 things on the list on your own. The rules need at least 2 that you cannot do.",
    );
    expect(none.parts[2]!.text).toContain("some impact on your wellbeing, but not a significant one");

    const one = explain({
      ...notAchieving(answersManagingEverything(), ["toilet_needs"]),
      wellbeingImpact: "none",
    });
    expect(one.parts[1]!.text).toBe(
      "You said there is 1 thing on the list of 10 that you cannot do on your own: using the toilet. The rules need at least 2.",
    );
    expect(one.parts[2]!.text).toBe(
      "You said this has no impact on your wellbeing. The rules need a significant impact.",
    );

    const noImpairment = explain({ ...eligible(), needsFromImpairmentOrIllness: false });
    expect(noImpairment.headline).toContain("1 of the 3 parts is not met");
    expect(noImpairment.parts[0]!.text).toContain("The national rules only cover needs that do.");
  });

  it("notes needs that change from day to day", () => {
    const e = explain({ ...eligible(), needsFluctuate: true, fluctuationNotes: "Bad days twice a week" });
    expect(e.notes).toHaveLength(1);
    expect(e.notes[0]).toContain("your harder days count where they keep happening");
    expect(explain(eligible()).notes).toEqual([]);
  });
});
