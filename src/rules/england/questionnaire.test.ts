import { describe, expect, it } from "vitest";
import { englandQuestionnaire } from "#/rules/england/questionnaire.ts";

const q = englandQuestionnaire;

describe("England questionnaire data (Care and Support (Eligibility Criteria) Regulations 2015, reg 2)", () => {
  it("lists the ten outcomes of reg 2(2), in the order of the regulation, (a) to (j)", () => {
    expect(q.outcomes.map((o) => o.id)).toEqual([
      "nutrition",
      "personal_hygiene",
      "toilet_needs",
      "clothing",
      "home_safety",
      "habitable_home",
      "relationships",
      "work_training_education_volunteering",
      "community_facilities",
      "caring_for_child",
    ]);
    expect(q.outcomes.map((o) => o.provision.slice(-3))).toEqual([
      "(a)",
      "(b)",
      "(c)",
      "(d)",
      "(e)",
      "(f)",
      "(g)",
      "(h)",
      "(i)",
      "(j)",
    ]);
    expect(q.outcomes[0]?.statutoryWording).toBe("managing and maintaining nutrition");
  });

  it("lists the four meanings of 'unable to achieve' in reg 2(3)", () => {
    expect(q.unableToAchieveMeanings.map((m) => m.id)).toEqual([
      "needs_assistance",
      "significant_pain_distress_anxiety",
      "endangers_health_safety",
      "takes_significantly_longer",
    ]);
  });

  it("gives every outcome 1 to 3 graded questions with ids prefixed by the outcome id, all unique", () => {
    const itemIds = q.outcomes.flatMap((o) => o.items.map((i) => i.id));
    expect(new Set(itemIds).size).toBe(itemIds.length);
    for (const outcome of q.outcomes) {
      expect(outcome.items.length).toBeGreaterThanOrEqual(1);
      expect(outcome.items.length).toBeLessThanOrEqual(3);
      for (const item of outcome.items) {
        expect(item.id.startsWith(`${outcome.id}.`)).toBe(true);
        const optionIds = item.options.map((o) => o.id);
        expect(new Set(optionIds).size).toBe(optionIds.length);
        // The first option is "manages without help" and scores nothing; points never go negative.
        expect(item.options[0]?.points).toBe(0);
        for (const option of item.options)
          expect(Number.isInteger(option.points) && option.points >= 0).toBe(true);
      }
    }
  });

  it("has unique ids in every list", () => {
    for (const list of [
      q.primarySupportReasons,
      q.livingSituations,
      q.wellbeingImpacts,
      q.unableToAchieveMeanings,
    ]) {
      const ids = list.map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
    // The six Client Level Data primary support reason groups.
    expect(new Set(q.primarySupportReasons.map((r) => r.group))).toEqual(
      new Set([
        "physical_support",
        "sensory_support",
        "memory_and_cognition",
        "learning_disability",
        "mental_health",
        "social_support",
      ]),
    );
  });
});
