import { describe, expect, it } from "vitest";
import { ChargingRulesNotFoundError } from "#/rules/charging.ts";
import { englandCldR2 } from "#/rules/england/cld.ts";
import { englandPaymentRules } from "#/rules/england/payment-rules.ts";
import { englandPersonFieldsCldR2 } from "#/rules/england/person-fields.ts";
import { englandQuestionnaire } from "#/rules/england/questionnaire.ts";
import { exampleRasModel } from "#/rules/england/ras-model.example.ts";
import { englandReferralListsR2, REFERRAL_LISTS_FROM } from "#/rules/england/referral-lists.ts";
import { englandReviewRules } from "#/rules/england/review-rules.ts";
import { englandSpendingRules } from "#/rules/england/spending-rules.ts";
import {
  RULE_TOPICS,
  RulesNotFoundError,
  rulesFor,
  SAME_AS_ENGLAND,
  unconfirmedTopics,
} from "#/rules/registry.ts";

describe("rules registry: rulesFor(jurisdiction, date) gives every topic", () => {
  it("gives an English council England's own pack for every topic", () => {
    const rules = rulesFor("england", "2026-05-01");
    expect(rules.jurisdiction).toBe("england");
    expect(rules.date).toBe("2026-05-01");
    expect(rules.charging.rules.id).toBe("england-charging-2026-27");
    expect(rules.payments.rules).toBe(englandPaymentRules);
    expect(rules.reviews.rules).toBe(englandReviewRules);
    expect(rules.spending.rules).toBe(englandSpendingRules);
    expect(rules.questionnaire.rules).toBe(englandQuestionnaire);
    expect(rules.rasModel.rules).toBe(exampleRasModel);
    expect(rules.personFields.rules).toBe(englandPersonFieldsCldR2);
    expect(rules.referralLists.rules).toBe(englandReferralListsR2);
    expect(rules.cld.rules).toBe(englandCldR2);
    for (const topic of RULE_TOPICS) expect(rules[topic].provenance, topic).toBe("own");
    expect(unconfirmedTopics("england")).toEqual([]);
  });

  it("gives a Welsh council its own charging pack, and England's for the rest, marked same as England, unconfirmed", () => {
    const rules = rulesFor("wales", "2025-11-01");
    expect(rules.charging.provenance).toBe("own");
    expect(rules.charging.rules.jurisdiction).toBe("wales");
    expect(rules.payments).toEqual({ rules: englandPaymentRules, provenance: SAME_AS_ENGLAND });
    expect(rules.reviews).toEqual({ rules: englandReviewRules, provenance: SAME_AS_ENGLAND });
    expect(rules.spending).toEqual({ rules: englandSpendingRules, provenance: SAME_AS_ENGLAND });
    expect(rules.questionnaire).toEqual({ rules: englandQuestionnaire, provenance: SAME_AS_ENGLAND });
    expect(rules.rasModel).toEqual({ rules: exampleRasModel, provenance: SAME_AS_ENGLAND });
    expect(rules.personFields.provenance).toBe(SAME_AS_ENGLAND);
    expect(rules.referralLists.provenance).toBe(SAME_AS_ENGLAND);
    expect(SAME_AS_ENGLAND).toBe("same as England, unconfirmed");
    expect(unconfirmedTopics("wales")).toEqual(RULE_TOPICS.filter((t) => t !== "charging" && t !== "cld"));
  });

  it("gives a Scottish council its own charging pack and marks every other topic as borrowed from England", () => {
    const rules = rulesFor("scotland", "2025-06-01");
    expect(rules.charging.rules.jurisdiction).toBe("scotland");
    expect(rules.charging.provenance).toBe("own");
    expect(unconfirmedTopics("scotland")).toEqual(RULE_TOPICS.filter((t) => t !== "charging" && t !== "cld"));
  });

  it("chooses each topic's pack by the date given, not by today", () => {
    expect(rulesFor("england", "2024-04-01").charging.rules.id).toBe("england-charging-2024-25");
    expect(rulesFor("england", "2025-03-31").charging.rules.id).toBe("england-charging-2024-25");
    expect(rulesFor("england", "2025-04-01").charging.rules.id).toBe("england-charging-2025-26");
    expect(rulesFor("wales", "2024-06-01").charging.rules.id).not.toBe(
      rulesFor("wales", "2025-06-01").charging.rules.id,
    );
    const before = rulesFor("england", "2020-01-01");
    expect(before.referralLists.rules).toBeUndefined();
    expect(rulesFor("england", REFERRAL_LISTS_FROM).referralLists.rules).toBe(englandReferralListsR2);
  });

  it("looks a topic up only when it is read, so a date one topic has no pack for fails only that topic", () => {
    const rules = rulesFor("england", "2020-01-01");
    expect(rules.payments.rules).toBe(englandPaymentRules);
    expect(() => rules.charging).toThrow(ChargingRulesNotFoundError);
    expect(() => rulesFor("england", "2015-03-31").payments).toThrow(/2015-04-01/);
  });

  it("refuses a jurisdiction Upfront has no rules for", () => {
    expect(() => rulesFor("ndis", "2026-05-01")).toThrow(RulesNotFoundError);
    expect(() => rulesFor("ndis", "2026-05-01")).toThrow(/england, wales, scotland/);
  });
});
