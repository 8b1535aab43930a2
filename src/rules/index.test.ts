import { describe, expect, it } from "vitest";
import { englandQuestionnaire } from "#/rules/england/questionnaire.ts";
import { allRulePacks, isCalendarDate, RulePackNotFoundError, rulePackFor } from "#/rules/index.ts";
import { checkModelFitsQuestionnaire } from "#/rules/ras-model.ts";

describe("rule-pack registry (house rule: packs are chosen by the decision date, never 'now')", () => {
  it("returns the England pack for a date on or after 1 April 2015 (Care Act 2014 Part 1 commencement)", () => {
    const pack = rulePackFor("england", "2026-11-23");
    expect(pack.jurisdiction).toBe("england");
    expect(pack.eligibilityRuleId).toBe("england-eligibility-2015");
    expect(pack.questionnaire).toBe(englandQuestionnaire);
    expect(rulePackFor("england", "2015-04-01").id).toBe(pack.id);
  });

  it("refuses a date before any England pack starts, naming the date as the field to fix", () => {
    const attempt = () => rulePackFor("england", "2015-03-31");
    expect(attempt).toThrow(RulePackNotFoundError);
    expect(attempt).toThrow(/2015-04-01/);
    try {
      attempt();
    } catch (error) {
      expect((error as RulePackNotFoundError).field).toBe("decisionDate");
    }
  });

  it("refuses an unknown jurisdiction, naming the jurisdiction as the field to fix", () => {
    try {
      rulePackFor("narnia", "2026-01-01");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RulePackNotFoundError);
      expect((error as RulePackNotFoundError).field).toBe("jurisdiction");
      expect((error as Error).message).toMatch(/narnia/);
    }
  });

  it("refuses dates that are not real YYYY-MM-DD dates", () => {
    expect(() => rulePackFor("england", "2026-02-30")).toThrow(/not a real date/);
    expect(() => rulePackFor("england", "23/11/2026")).toThrow(/not a real date/);
    expect(isCalendarDate("2024-02-29")).toBe(true);
    expect(isCalendarDate("2023-02-29")).toBe(false);
  });

  it("gives every pack a default RAS model that prices the pack's own questionnaire", () => {
    for (const pack of allRulePacks()) {
      expect(checkModelFitsQuestionnaire(pack.defaultRasModel, pack.questionnaire)).toEqual([]);
    }
  });
});
