import { describe, expect, it } from "vitest";
import { type BenefitsPromptInput, benefitsPrompts } from "#/faces/statement/benefits-prompt.calc.ts";

/** The benefits prompt: a prompt to seek advice where the assessment suggests an unclaimed benefit, never a decision. */

const NEEDS = {
  dressing: { id: "clothing", label: "getting dressed" },
  washing: { id: "personal_hygiene", label: "keeping yourself clean" },
  safety: { id: "home_safety", label: "moving around and staying safe at home" },
  outings: { id: "community_facilities", label: "getting out and using local places and transport" },
  friends: { id: "relationships", label: "keeping in touch with family and friends" },
};

const input = (changes: Partial<BenefitsPromptInput> = {}): BenefitsPromptInput => ({
  outcomesNotAchieved: [NEEDS.dressing, NEEDS.washing],
  reachedPensionCreditAge: true,
  incomesReceived: ["state_pension"],
  ...changes,
});

const ids = (i: BenefitsPromptInput) => {
  const outcome = benefitsPrompts(i);
  return outcome.checked ? outcome.prompts.map((p) => p.id) : outcome;
};

describe("the benefits prompt (rule 2: daily living; rule 3: mobility)", () => {
  it("rule 2: pension age, personal care needs, no Attendance Allowance: prompts Attendance Allowance, naming the needs", () => {
    const outcome = benefitsPrompts(input());
    expect(outcome.checked).toBe(true);
    if (!outcome.checked) return;
    expect(outcome.prompts).toHaveLength(1);
    const prompt = outcome.prompts[0]!;
    expect(prompt.id).toBe("attendance_allowance");
    expect(prompt.because).toEqual(["getting dressed", "keeping yourself clean"]);
    expect(prompt.text).toContain("getting dressed and keeping yourself clean");
    expect(prompt.moreInformation.href).toBe("https://www.gov.uk/attendance-allowance");
  });

  it("rule 2: the prompt is never a decision: it says only the DWP decides, and to seek free advice", () => {
    const outcome = benefitsPrompts(input());
    if (!outcome.checked) throw new Error("expected a check");
    const text = outcome.prompts[0]!.text;
    expect(text).toContain("This is not a decision");
    expect(text).toContain("only the Department for Work and Pensions can decide");
    expect(text).toMatch(/benefits check from an independent adviser/);
    expect(text).not.toMatch(/you are entitled|you qualify|you will get/i);
  });

  it("rule 2: under pension age it is the daily living part of PIP instead", () => {
    expect(ids(input({ reachedPensionCreditAge: false, incomesReceived: ["universal_credit"] }))).toEqual([
      "pip_daily_living",
    ]);
  });

  it.each(["attendance_allowance", "dla_care", "pip_daily_living"] as const)(
    "rule 2: no daily-living prompt when they told us they receive %s",
    (benefit) => {
      expect(ids(input({ incomesReceived: ["state_pension", benefit] }))).toEqual([]);
      expect(ids(input({ reachedPensionCreditAge: false, incomesReceived: [benefit] }))).toEqual([]);
    },
  );

  it("rule 2: needing supervision to stay safe at home counts for Attendance Allowance (pension age) only", () => {
    expect(ids(input({ outcomesNotAchieved: [NEEDS.safety] }))).toEqual(["attendance_allowance"]);
    expect(ids(input({ outcomesNotAchieved: [NEEDS.safety], reachedPensionCreditAge: false }))).toEqual([]);
  });

  it("rule 2: needs that are not personal care (keeping in touch with friends) prompt nothing", () => {
    expect(ids(input({ outcomesNotAchieved: [NEEDS.friends] }))).toEqual([]);
  });

  it("rule 3: under pension age, trouble getting out and no mobility benefit: prompts the mobility part of PIP", () => {
    expect(
      ids(
        input({ outcomesNotAchieved: [NEEDS.outings], reachedPensionCreditAge: false, incomesReceived: [] }),
      ),
    ).toEqual(["pip_mobility"]);
    expect(
      ids(
        input({
          outcomesNotAchieved: [NEEDS.outings, NEEDS.dressing],
          reachedPensionCreditAge: false,
          incomesReceived: [],
        }),
      ),
    ).toEqual(["pip_daily_living", "pip_mobility"]);
  });

  it("rule 3: no mobility prompt at pension age (no new PIP claim) or when a mobility part is received", () => {
    expect(ids(input({ outcomesNotAchieved: [NEEDS.outings] }))).toEqual([]);
    expect(
      ids(
        input({
          outcomesNotAchieved: [NEEDS.outings],
          reachedPensionCreditAge: false,
          incomesReceived: ["dla_mobility"],
        }),
      ),
    ).toEqual([]);
  });

  it("rule 1: says nothing without an assessment of needs, without asking about benefits, or without pension age", () => {
    expect(benefitsPrompts(input({ outcomesNotAchieved: null }))).toMatchObject({ checked: false });
    expect(benefitsPrompts(input({ incomesReceived: null }))).toMatchObject({
      checked: false,
      reason: expect.stringMatching(/did not ask which benefits/),
    });
    expect(benefitsPrompts(input({ reachedPensionCreditAge: null }))).toMatchObject({ checked: false });
  });
});
