import type { FinancialAnswers } from "#/features/charging/answers.ts";
import {
  type ChargingPeriodResult,
  type ChargingResult,
  calculateCharging,
} from "#/features/charging/charging.calc.ts";
import type { ChargingInput } from "#/features/charging/charging-input.calc.ts";
import * as repo from "#/features/charging/repository.ts";
import { type FinancialAssessment, latestCompletedIn } from "#/features/charging/service.ts";
import { raiseTaskIn } from "#/features/tasks/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, type TxContext } from "#/platform/context.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";

/**
 * The contribution a new budget takes, for a plan agreed at a weekly cost. A charge may cover only what meeting
 * the needs costs (Care Act 2014 s14(4)), so a financial assessment worked out on another cost (the indicative
 * budget, or an earlier plan) is worked out again with the agreed cost: the same answers, the same rules and the
 * same figures as it stored, period by period, so the person pays the lesser of their charge and the cost. Where
 * that needs a person's judgement — no assessment covers the start date, a newer draft is open, or the cost's
 * free personal care part is not known — the budget takes what can be worked out and a "Contribution to re-check"
 * task goes to finance.
 */

export type PlanContribution = {
  weeklyPence: number;
  /** The financial assessment the contribution comes from (before any new version is recorded). */
  financialAssessmentId: string | null;
  /** One or two sentences for the plan and approval pages. */
  note: string;
  /** Why finance must look at it, or null. */
  recheck: string | null;
  /** The assessment worked out again with the agreed cost, to record as its next version at approval. */
  workedAgain: { previous: FinancialAssessment; input: ChargingInput; result: ChargingResult } | null;
};

const money = (p: number) => formatPounds(p as Pence);

function periodOn(result: ChargingResult, date: string): ChargingPeriodResult | undefined {
  return result.periods.find((p) => p.from <= date && (p.to === null || date <= p.to));
}

/** What the latest completed financial assessment comes to for a plan costing `weeklyCostPence` from `date`. Reads only. */
export async function contributionForPlanIn(
  t: Pick<TxContext, "tx">,
  personId: string,
  weeklyCostPence: number,
  date: string,
): Promise<PlanContribution> {
  const fa = await latestCompletedIn(t, personId);
  const none = { financialAssessmentId: null, workedAgain: null };
  if (!fa?.calculatorInput || !fa.result) {
    return {
      ...none,
      weeklyPence: 0,
      recheck: null,
      note: "There is no completed financial assessment, so no contribution is taken off the budget.",
    };
  }
  const stored = periodOn(fa.result, date);
  if (!stored) {
    return {
      ...none,
      weeklyPence: 0,
      recheck: `Financial assessment version ${fa.version} does not cover the budget's start date (${dateInWords(date)}): decide the contribution from then.`,
      note: `The latest financial assessment (version ${fa.version}) does not apply on ${dateInWords(date)}, so no contribution is taken off the budget until finance has looked at it.`,
    };
  }
  const from = `financial assessment version ${fa.version}`;
  if (stored.costOfCareWeeklyPence === weeklyCostPence) {
    return {
      weeklyPence: stored.contributionWeeklyPence,
      financialAssessmentId: fa.financialAssessmentId,
      workedAgain: null,
      recheck: null,
      note: `The weekly contribution of ${money(stored.contributionWeeklyPence)} comes from ${from}, which applies on ${dateInWords(date)}. It reduces only means-tested funding streams.`,
    };
  }
  const input: ChargingInput = {
    ...fa.calculatorInput,
    costOfCare: { ...fa.calculatorInput.costOfCare, weeklyPence: weeklyCostPence, basis: "agreed_plan" },
  };
  const outcome =
    fa.calculatorInput.costOfCare.personalCareWeeklyPence === undefined
      ? calculateCharging(input, { suppliedFigures: fa.suppliedFigures ?? [] })
      : null;
  const again = outcome?.ok ? periodOn(outcome.result, date) : undefined;
  const changed = `The plan costs ${money(weeklyCostPence)} a week; ${from} was worked out on ${money(stored.costOfCareWeeklyPence)}.`;
  if (!outcome?.ok || !again) {
    // The lesser of the stored contribution and the cost can never overcharge; finance decides the rest.
    const weeklyPence = Math.min(stored.contributionWeeklyPence, weeklyCostPence);
    return {
      weeklyPence,
      financialAssessmentId: fa.financialAssessmentId,
      workedAgain: null,
      recheck: `${changed} It could not be worked out again by itself${outcome === null ? " (the free personal care part of the new cost is not known)" : ""}: check the contribution.`,
      note: `${changed} Until finance has checked it, the contribution is ${money(weeklyPence)} a week, never more than the cost.`,
    };
  }
  const draftOpen = await repo
    .listFinancialAssessmentsForPerson(t.tx, personId)
    .then((rows) => rows.some((r) => r.status === "draft"));
  return {
    weeklyPence: again.contributionWeeklyPence,
    financialAssessmentId: fa.financialAssessmentId,
    workedAgain: draftOpen ? null : { previous: fa, input, result: outcome.result },
    recheck: draftOpen
      ? `${changed} The contribution was worked out again as ${money(again.contributionWeeklyPence)} a week, but a newer draft financial assessment is open: check it uses the agreed cost.`
      : null,
    note: `${changed} Worked out again with the plan's cost (the same answers and rules), the weekly contribution is ${money(again.contributionWeeklyPence)} (it was ${money(stored.contributionWeeklyPence)}). It reduces only means-tested funding streams.`,
  };
}

/**
 * At approval, in its transaction: records the assessment worked out again as its next completed version
 * (answers copied, its own audit event), and raises the task for finance where one is needed. Returns the
 * financial assessment the budget now rests on.
 */
export async function recordPlanContributionIn(
  t: TxContext,
  personId: string,
  contribution: PlanContribution,
  plan: { planId: string; version: number },
): Promise<string | null> {
  const { tx } = t;
  let financialAssessmentId = contribution.financialAssessmentId;
  if (contribution.workedAgain) {
    const { previous, input, result } = contribution.workedAgain;
    const row = await repo.insertFinancialAssessment(tx, {
      financial_assessment_id: uuidv7(),
      person_id: personId,
      version: previous.version + 1,
      previous_financial_assessment_id: previous.financialAssessmentId,
      answers: previous.answers satisfies FinancialAnswers,
      created_by: actorRef(tx.scope.actor),
    });
    const first = result.periods[0]!;
    await repo.markCompleted(tx, row.financial_assessment_id, {
      answers: previous.answers,
      calculatorInput: input,
      suppliedFigures: previous.suppliedFigures ?? [],
      result,
      rulePackIds: [...new Set(result.periods.map((p) => p.rulePackId))],
      assessmentKind: first.assessment,
      appliesFrom: result.from,
      appliesTo: result.to,
      weeklyContributionPence: first.contributionWeeklyPence,
      costOfCareWeeklyPence: input.costOfCare.weeklyPence,
      costOfCareBasis: "agreed_plan",
      completedBy: actorRef(tx.scope.actor),
    });
    await audit(tx, {
      action: "complete",
      recordType: "financial_assessment",
      recordId: row.financial_assessment_id,
      changes: {
        version: row.version,
        reason: `Worked out again with the cost of support plan version ${plan.version} at its approval`,
        costOfCareWeeklyPence: { from: previous.costOfCareWeeklyPence, to: input.costOfCare.weeklyPence },
        periods: result.periods.map((p) => ({
          from: p.from,
          to: p.to,
          contributionWeeklyPence: p.contributionWeeklyPence,
        })),
      },
    });
    financialAssessmentId = row.financial_assessment_id;
  }
  if (contribution.recheck) {
    await raiseTaskIn(t, {
      kind: "contribution_recheck",
      title: contribution.recheck,
      personId,
      forRoles: ["finance_officer"],
      dueOn: t.today,
      link: `/people/${personId}/charging`,
      source: { type: "support_plan", id: `${plan.planId}:${plan.version}` },
    });
  }
  return financialAssessmentId;
}
