import { type AssessmentOutcome, assessmentOutcome } from "#/features/assessment/assessment-outcome.calc.ts";
import type { EligibilityConditionId, EligibilityDecision } from "#/features/assessment/eligibility.calc.ts";
import type { RulePack } from "#/rules/index.ts";
import type { RasModel } from "#/rules/ras-model.ts";
import type { AssessmentAnswers } from "#/vocabulary/assessment.ts";

/**
 * The public estimator's sum is the staff submit path's own function (assessment/assessment-outcome.calc.ts);
 * the service supplies the pack and the council's current model. Nothing here reads or writes anything.
 *
 * It also words the eligibility result for the estimate. The calc's own reasons are a council's decision
 * ("You are eligible", "We did not find…", "Our reasons: …"); an estimate must never read as one, so the
 * estimator says what the person's answers point to, from the same structured result.
 */

/** The estimate is exactly what the staff submit path computes (assessmentOutcome), from the same inputs. */
export type Estimate = AssessmentOutcome;

/** Answers must have been checked with parseAnswers against pack.questionnaire. */
export function estimate(answers: AssessmentAnswers, pack: RulePack, model: RasModel): Estimate {
  return assessmentOutcome(answers, pack, model);
}

// ---- the words of an estimate ---------------------------------------------------------------------------

export type EstimatePart = {
  id: EligibilityConditionId;
  /** "Part 1: …": what the rules ask. */
  title: string;
  met: boolean;
  /** What the person's answers say about it, in plain English. */
  text: string;
  provision: string;
};

export type EligibilityEstimate = {
  looksEligible: boolean;
  headline: string;
  parts: EstimatePart[];
  /** What the person said they cannot do on their own, and why (reg 2(3)). */
  cannotDo: { label: string; because: string[]; helpNotCounted?: string }[];
  /** Anything else the answers raise (needs that come and go). */
  notes: string[];
};

const sentenceCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** Labels contain "and" and commas, so lists of them are joined with semicolons (as the decision does). */
const listInWords = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join("; ")}; and ${items.at(-1)}`;

const TITLES: Record<EligibilityConditionId, string> = {
  impairment: "Your needs come from, or are related to, an impairment or illness",
  two_or_more_outcomes: "There are 2 or more things on the list that you cannot do on your own",
  significant_wellbeing_impact: "This has a significant impact on your wellbeing",
};

/** The eligibility result in the words of an estimate: "your answers suggest", never "we decided". */
export function explainEligibility(
  decision: EligibilityDecision,
  answers: AssessmentAnswers,
  pack: RulePack,
): EligibilityEstimate {
  const total = pack.questionnaire.outcomes.length;
  const labels = decision.outcomesNotAchieved.map((o) => o.label);
  const count = labels.length;
  const textFor = (id: EligibilityConditionId, met: boolean): string => {
    switch (id) {
      case "impairment":
        return met
          ? "You said your needs come from, or are related to, a physical or mental impairment or illness."
          : "You said your needs do not come from a physical or mental impairment or illness. The national rules only cover needs that do. An assessment can look at this with you if you are not sure.";
      case "two_or_more_outcomes":
        return count === 0
          ? `You said you can do all ${total} things on the list on your own. The rules need at least 2 that you cannot do.`
          : count === 1
            ? `You said there is 1 thing on the list of ${total} that you cannot do on your own: ${labels[0]}. The rules need at least 2.`
            : `You said there are ${count} things on the list of ${total} that you cannot do on your own: ${listInWords(labels)}.`;
      case "significant_wellbeing_impact":
        return answers.wellbeingImpact === "significant"
          ? "You said this has, or is likely to have, a significant impact on your wellbeing."
          : answers.wellbeingImpact === "some"
            ? "You said this has some impact on your wellbeing, but not a significant one. The rules need a significant impact."
            : "You said this has no impact on your wellbeing. The rules need a significant impact.";
    }
  };
  const parts = decision.conditions.map((c) => ({
    id: c.id,
    title: TITLES[c.id],
    met: c.met,
    text: textFor(c.id, c.met),
    provision: c.provision,
  }));
  const partsNotMet = parts.filter((p) => !p.met).length;
  const notes: string[] = [];
  if (answers.needsFluctuate) {
    notes.push(
      "You said your needs change from day to day or week to week. An assessment looks at them over a long enough time to see the whole picture, and your harder days count where they keep happening.",
    );
  }
  return {
    looksEligible: decision.eligible,
    headline: decision.eligible
      ? "From your answers, your needs look likely to meet the national eligibility rules."
      : `From your answers, your needs may not meet the national eligibility rules: ${partsNotMet} of the 3 parts ${partsNotMet === 1 ? "is" : "are"} not met.`,
    parts,
    cannotDo: decision.outcomesNotAchieved.map((o) => ({
      label: sentenceCase(o.label),
      because: o.because,
      ...(o.carerSupportDisregarded ? { helpNotCounted: o.carerSupportDisregarded } : {}),
    })),
    notes,
  };
}
