import { isCalendarDate } from "#/platform/dates/calendar.ts";
import { englandQuestionnaire } from "#/rules/england/questionnaire.ts";
import { exampleRasModel } from "#/rules/england/ras-model.example.ts";
import type { RasModel } from "#/rules/ras-model.ts";
import type { Questionnaire, SourceReference } from "#/rules/types.ts";

/**
 * The rule-pack registry. A pack is chosen by the date the decision applies to (never "now"), so a
 * decision re-run later gives the same answer, and next year's figures can be added without changing
 * this year's decisions.
 */

export const JURISDICTIONS = ["england"] as const; // wales, scotland and ndis to follow
export type Jurisdiction = (typeof JURISDICTIONS)[number];

/** Eligibility rules the engine knows; each pack names one, and the engine dispatches on it. */
export const ELIGIBILITY_RULE_IDS = ["england-eligibility-2015"] as const;
export type EligibilityRuleId = (typeof ELIGIBILITY_RULE_IDS)[number];

export type RulePack = {
  readonly id: string;
  readonly jurisdiction: Jurisdiction;
  /** First day the pack applies (YYYY-MM-DD, inclusive). */
  readonly validFrom: string;
  /** Last day the pack applies (inclusive); absent while it is current. */
  readonly validTo?: string;
  readonly questionnaire: Questionnaire;
  readonly eligibilityRuleId: EligibilityRuleId;
  readonly defaultRasModel: RasModel;
  readonly sources: readonly SourceReference[];
};

const packs: readonly RulePack[] = [
  {
    id: "england-2015-04",
    jurisdiction: "england",
    // Care Act 2014 Part 1 and the Eligibility Regulations came into force on 1 April 2015.
    validFrom: "2015-04-01",
    questionnaire: englandQuestionnaire,
    eligibilityRuleId: "england-eligibility-2015",
    defaultRasModel: exampleRasModel,
    sources: [
      {
        title: "Care and Support (Eligibility Criteria) Regulations 2015",
        provision: "reg 2",
        url: "https://www.legislation.gov.uk/uksi/2015/313/regulation/2",
      },
    ],
  },
];

export class RulePackNotFoundError extends Error {
  /** Which input to fix: the jurisdiction, or the date. */
  readonly field: "jurisdiction" | "decisionDate";
  constructor(field: "jurisdiction" | "decisionDate", message: string) {
    super(message);
    this.name = "RulePackNotFoundError";
    this.field = field;
  }
}

/** True for a real calendar date written YYYY-MM-DD (kept here for the many callers that import it from rules). */
export { isCalendarDate } from "#/platform/dates/calendar.ts";

function isJurisdiction(value: string): value is Jurisdiction {
  return (JURISDICTIONS as readonly string[]).includes(value);
}

/** The pack for a jurisdiction on the date a decision applies to. Throws RulePackNotFoundError. */
export function rulePackFor(jurisdiction: string, onDate: string): RulePack {
  if (!isJurisdiction(jurisdiction)) {
    throw new RulePackNotFoundError(
      "jurisdiction",
      `There are no rules for "${jurisdiction}". Use one of: ${JURISDICTIONS.join(", ")}`,
    );
  }
  if (!isCalendarDate(onDate)) {
    throw new RulePackNotFoundError("decisionDate", `"${onDate}" is not a real date written as YYYY-MM-DD`);
  }
  // ISO dates compare correctly as strings.
  const pack = packs.find(
    (p) =>
      p.jurisdiction === jurisdiction &&
      p.validFrom <= onDate &&
      (p.validTo === undefined || onDate <= p.validTo),
  );
  if (!pack) {
    const starts = packs
      .filter((p) => p.jurisdiction === jurisdiction)
      .map((p) => p.validFrom)
      .sort();
    throw new RulePackNotFoundError(
      "decisionDate",
      `There are no ${jurisdiction} rules for ${onDate}. The earliest rules start on ${starts[0] ?? "(none)"}`,
    );
  }
  return pack;
}

/** Every registered pack, for listings and tests. */
export function allRulePacks(): readonly RulePack[] {
  return packs;
}
