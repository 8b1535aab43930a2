import type { EligibilityRuleId, Jurisdiction, RulePack } from "#/rules/index.ts";
import type { AssessmentAnswers } from "#/vocabulary/assessment.ts";

/**
 * The eligibility decision: from the recorded facts of one assessment, never from RAS points.
 * Each jurisdiction's rule is a function; the rule pack names which one applies on the decision date.
 */

export type EligibilityConditionId = "impairment" | "two_or_more_outcomes" | "significant_wellbeing_impact";

export type EligibilityCondition = {
  id: EligibilityConditionId;
  met: boolean;
  /** The provision the condition comes from. */
  provision: string;
  reason: string;
};

export type OutcomeNotAchieved = {
  outcomeId: string;
  label: string;
  /** The reg 2(3) meanings recorded, in plain English. */
  because: string[];
  /** Support a carer gives now: recorded, and disregarded in deciding. */
  carerSupportDisregarded?: string;
};

export type EligibilityDecision = {
  eligible: boolean;
  jurisdiction: Jurisdiction;
  ruleId: EligibilityRuleId;
  rulePackId: string;
  questionnaireId: string;
  conditions: EligibilityCondition[];
  outcomesNotAchieved: OutcomeNotAchieved[];
  /** The decision and its reasons, in plain English addressed to the person (Care Act 2014 s13(2)). */
  reasons: string[];
  adviceIfNotEligible?: string[];
};

type EligibilityRule = (answers: AssessmentAnswers, pack: RulePack) => EligibilityDecision;

const REGS = "Care and Support (Eligibility Criteria) Regulations 2015";

/** The outcomes counted as not achieved: a recorded "no" with at least one reg 2(3) meaning. */
export function outcomesNotAchieved(answers: AssessmentAnswers, pack: RulePack): OutcomeNotAchieved[] {
  const { questionnaire } = pack;
  const meaningLabel = (id: string) =>
    questionnaire.unableToAchieveMeanings.find((m) => m.id === id)?.label ?? id;
  const result: OutcomeNotAchieved[] = [];
  for (const outcome of questionnaire.outcomes) {
    const answer = answers.outcomes[outcome.id];
    // A "no" without a reason is not counted: the schema rejects it, and this guards callers that skip it.
    if (!answer || answer.canAchieveWithoutHelp || answer.difficulties.length === 0) continue;
    result.push({
      outcomeId: outcome.id,
      label: outcome.label,
      because: answer.difficulties.map(meaningLabel),
      // Recorded so the person sees it was disregarded; it never turns a "no" into a "yes".
      ...(answer.carerSupport ? { carerSupportDisregarded: answer.carerSupport } : {}),
    });
  }
  return result;
}

const sentenceCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** Free text is quoted inside our sentences, so drop its own closing full stop. */
const clause = (s: string) => s.trim().replace(/[.\s]+$/, "");
/** Labels contain "and" and commas, so lists of them are joined with semicolons. */
const listInWords = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join("; ")}; and ${items.at(-1)}`;

/** England: Care and Support (Eligibility Criteria) Regulations 2015, reg 2. All three conditions must hold. */
const decideEngland2015: EligibilityRule = (answers, pack) => {
  const totalOutcomes = pack.questionnaire.outcomes.length;
  const notAchieved = outcomesNotAchieved(answers, pack);
  const count = notAchieved.length;
  const labels = notAchieved.map((o) => o.label);

  const impairment: EligibilityCondition = {
    id: "impairment",
    met: answers.needsFromImpairmentOrIllness,
    provision: `${REGS}, reg 2(1)(a)`,
    reason: answers.needsFromImpairmentOrIllness
      ? `Your needs come from, or are related to, a physical or mental impairment or illness${answers.impairmentNotes ? `: ${clause(answers.impairmentNotes)}.` : "."}`
      : "We did not find that your needs come from, or are related to, a physical or mental impairment or illness. The national rules only cover needs that do.",
  };

  const outcomesCondition: EligibilityCondition = {
    id: "two_or_more_outcomes",
    met: count >= 2,
    provision: `${REGS}, reg 2(1)(b), 2(2) and 2(3)`,
    reason:
      count === 0
        ? `We did not find any of the ${totalOutcomes} things the rules list that you cannot do on your own. The rules need at least 2.`
        : count === 1
          ? `There is 1 of the ${totalOutcomes} things the rules list that you cannot do on your own: ${labels[0]}. The rules need at least 2.`
          : `There are ${count} of the ${totalOutcomes} things the rules list that you cannot do on your own: ${listInWords(labels)}.`,
  };

  const significant = answers.wellbeingImpact === "significant";
  const wellbeing: EligibilityCondition = {
    id: "significant_wellbeing_impact",
    met: significant,
    provision: `${REGS}, reg 2(1)(c)`,
    reason: significant
      ? `This has, or is likely to have, a significant impact on your wellbeing. Our reasons: ${clause(answers.wellbeingReasons)}.`
      : answers.wellbeingImpact === "some"
        ? `We found this has some impact on your wellbeing, but not a significant one. Our reasons: ${clause(answers.wellbeingReasons)}.`
        : `We did not find an impact on your wellbeing. Our reasons: ${clause(answers.wellbeingReasons)}.`,
  };

  const conditions = [impairment, outcomesCondition, wellbeing];
  const eligible = conditions.every((c) => c.met);

  const reasons: string[] = [
    eligible
      ? "You are eligible for care and support. All three parts of the national eligibility rules are met."
      : `You are not eligible for care and support from the council at the moment. All three parts of the national eligibility rules must be met, and ${conditions.filter((c) => !c.met).length} of them ${conditions.filter((c) => !c.met).length === 1 ? "is" : "are"} not.`,
    ...conditions.map((c) => c.reason),
    ...notAchieved.map((o) => `${sentenceCase(o.label)}: you ${o.because.join("; and you ")}.`),
    ...notAchieved
      .filter((o) => o.carerSupportDisregarded)
      .map(
        (o) =>
          `Someone helps you now with ${o.label} (${clause(o.carerSupportDisregarded ?? "")}). We did not count that help: the rules look at what you can do without it.`,
      ),
  ];
  if (answers.needsFluctuate && answers.fluctuationNotes) {
    reasons.push(
      `Your needs change over time. We looked at them over this period: ${clause(answers.fluctuationNotes)}. Your harder days count where they keep happening.`,
    );
  }

  const decision: EligibilityDecision = {
    eligible,
    jurisdiction: pack.jurisdiction,
    ruleId: pack.eligibilityRuleId,
    rulePackId: pack.id,
    questionnaireId: pack.questionnaire.id,
    conditions,
    outcomesNotAchieved: notAchieved,
    reasons,
  };
  if (!eligible) decision.adviceIfNotEligible = adviceIfNotEligible(answers);
  return decision;
};

/** What a person who is not eligible must still be told (Care Act 2014 s13(5)). */
function adviceIfNotEligible(answers: AssessmentAnswers): string[] {
  const advice = [
    "We will still give you advice and information about what can meet or reduce your needs now, and what can prevent or delay needs in the future (Care Act 2014, section 13(5)).",
    "Community groups, equipment, changes to your home and short-term help to regain skills may help without a care and support plan.",
    "If your needs change, ask us to look at them again.",
    "If you think this decision is wrong, you can ask us to look at it again, or make a complaint.",
  ];
  if (answers.informalCarer.hasCarer) {
    advice.push(
      "The person who helps you can ask for a carer's assessment of their own needs (Care Act 2014, section 10).",
    );
  }
  return advice;
}

const rules: Record<EligibilityRuleId, EligibilityRule> = {
  "england-eligibility-2015": decideEngland2015,
};

/** Decides eligibility under the rule the pack names. Answers must have been validated against pack.questionnaire. */
export function decideEligibility(answers: AssessmentAnswers, pack: RulePack): EligibilityDecision {
  if (answers.questionnaireId !== pack.questionnaire.id) {
    throw new Error(
      `Answers are for questionnaire "${answers.questionnaireId}" but pack ${pack.id} uses "${pack.questionnaire.id}"`,
    );
  }
  return rules[pack.eligibilityRuleId](answers, pack);
}
