import { allocationFactsOfAssessmentIn } from "#/features/assessment/allocation-facts.ts";
import { committedOnStreamIn, liveBudgetOnIn } from "#/features/budgets/service.ts";
import { contributionForPlanIn, type PlanContribution } from "#/features/charging/plan-contribution.ts";
import { providersForPlanIn } from "#/features/directory/service.ts";
import {
  type Apportionment,
  ApportionmentError,
  type ApportionStreamInput,
  apportion,
  linesFromCosting,
} from "#/features/funding/apportion.calc.ts";
import {
  FundingSettingsMissingError,
  type FundingStreamsOn,
  fundingSettingsIn,
  fundingStreamsIn,
} from "#/features/funding/service.ts";
import { financialYearOf } from "#/features/funding/settings.calc.ts";
import { type RequiredApprover, requiredApprover } from "#/features/planning/approval.calc.ts";
import { committedInYear } from "#/features/planning/budget.calc.ts";
import { budgetFit, costPlan, readinessProblems } from "#/features/planning/plan.calc.ts";
import type { PlanAnalysis, SupportPlanDraft } from "#/features/planning/plan-types.ts";
import * as repo from "#/features/planning/repository.ts";
import { type DelegatedAuthority, type SupportPlan, supportPlanSchema } from "#/features/planning/schemas.ts";
import type { TxContext } from "#/platform/context.ts";
import { dayBefore } from "#/platform/dates/calendar.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { pence } from "#/platform/money/pence.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { supportCategories } from "#/vocabulary/support-categories.ts";

/**
 * A plan worked out against everything it depends on: the allocation (after overrides), the costing and
 * budget fit, readiness, the person's contribution, the funding streams' split and who must approve it.
 */

/** The allocation after the latest applied or approved override, with the overrides. */
export async function effectiveAllocationIn(
  tx: TenantTx,
  allocationId: string,
  calculatedWeeklyPence: number,
): Promise<{ effectiveWeeklyPence: number; overrides: repo.OverrideRow[] }> {
  const overrides = await repo.overridesOf(tx, allocationId);
  const decided = overrides.filter((o) => o.status === "applied" || o.status === "approved");
  // An approved override takes effect when it is decided; applied ones when requested.
  const when = (o: repo.OverrideRow) => (o.decided_at ?? o.requested_at).getTime();
  const last = decided.sort((a, b) => when(a) - when(b) || (a.override_id < b.override_id ? -1 : 1)).at(-1);
  return { effectiveWeeklyPence: last ? last.to_weekly_pence : calculatedWeeklyPence, overrides };
}

export async function planAllocationIn(
  tx: TenantTx,
  plan: repo.PlanRow,
): Promise<{ allocationId: string | null; weeklyPence: number | null }> {
  const facts = await allocationFactsOfAssessmentIn({ tx }, plan.assessment_id);
  if (!facts?.allocationId || facts.weeklyPence === null) return { allocationId: null, weeklyPence: null };
  const { effectiveWeeklyPence } = await effectiveAllocationIn(tx, facts.allocationId, facts.weeklyPence);
  return { allocationId: facts.allocationId, weeklyPence: effectiveWeeklyPence };
}

/**
 * The funding streams open to this person on a date, each with what its pot has left. What the person's own
 * live budget has committed from the date on is added back: the new plan would replace it from then.
 */
async function streamsForPersonIn(
  tx: TenantTx,
  on: FundingStreamsOn,
  personId: string,
  date: string,
  content: SupportPlanDraft,
): Promise<ApportionStreamInput[]> {
  const own = await liveBudgetOnIn(tx, personId, date);
  const year = financialYearOf(date);
  return on.streams
    .filter((s) => s.kind !== "nhs_personal_health_budget" || content.nhsPersonalHealthBudget === true)
    .map((s) => {
      let ownFromDate = 0;
      if (own) {
        const lines = own.lines.filter((l) => l.streamId === s.id);
        const asIs = lines.map((l) => ({ ...own, weeklyPence: l.weeklyPence, oneOffPence: l.oneOffPence }));
        const ended = asIs.map((b) => ({ ...b, endDate: dayBefore(date) }));
        ownFromDate = committedInYear(asIs, year) - committedInYear(ended, year);
      }
      return {
        id: s.id,
        name: s.name,
        categories: s.categories,
        meansTested: s.meansTested,
        availablePence: pence(Math.max(0, s.annualPotPence - (s.committedPence - ownFromDate))),
      };
    });
}

type Analysed = PlanAnalysis & { authority: DelegatedAuthority | null; contribution: PlanContribution };

/** Costing, fit, apportionment, readiness and the approver needed, for content on a date. Reads only. */
export async function analyseIn(
  t: TxContext,
  personId: string,
  content: SupportPlanDraft,
  indicativeWeeklyPence: number,
  date: string,
): Promise<Analysed> {
  const plan = content as SupportPlan; // costing reads only the supports, which the draft schema checks
  const costing = costPlan(plan);
  const fit = budgetFit(costing, pence(indicativeWeeklyPence), content.overAllocationReason);
  const whole = supportPlanSchema.safeParse(content);
  const schemaProblems = whole.success ? [] : fieldErrorsFrom(whole.error);
  // The contribution for this plan's cost: the financial assessment worked out again where its cost differs.
  const contribution = await contributionForPlanIn(t, personId, costing.weeklyPence, date);

  const providerIds = content.supports.flatMap((s) =>
    (s.from.kind === "provider" || s.from.kind === "personal_assistant") && s.from.providerId
      ? [s.from.providerId]
      : [],
  );
  const directory = await providersForPlanIn(t, providerIds);
  const readiness = readinessProblems(plan, fit, {
    supportCategories: supportCategories().map((c) => c.id),
    providers: (id) => directory.providers.get(id),
    allowProvidersOffApprovedList: directory.allowProvidersOffApprovedList,
  });

  let apportionment: Apportionment | null = null;
  let fundingProblem: string | null = null;
  let authority: DelegatedAuthority | null = null;
  let required: RequiredApprover | null = null;
  const settings = await fundingSettingsIn(t, date);
  if (!settings) {
    fundingProblem = new FundingSettingsMissingError(date).message;
  } else {
    authority = settings.settings.delegatedAuthority;
    required = requiredApprover(fit, authority);
    const on = await fundingStreamsIn(t, date, committedOnStreamIn);
    try {
      apportionment = apportion({
        lines: linesFromCosting(costing),
        streams: await streamsForPersonIn(t.tx, on, personId, date, content),
        payerOrder: on.payerOrder,
        periodWeeks: on.periodWeeks,
        contributionWeeklyPence: pence(contribution.weeklyPence),
      });
    } catch (error) {
      if (!(error instanceof ApportionmentError)) throw error;
      fundingProblem = `The plan cannot be split across the funding streams yet: ${error.message}`;
    }
  }
  return {
    costing,
    fit,
    apportionment,
    fundingDate: date,
    fundingProblem,
    readiness,
    schemaProblems,
    required,
    contributionWeeklyPence: contribution.weeklyPence,
    contributionNote: contribution.note,
    authority,
    contribution,
  };
}

export function strip({ authority: _a, contribution: _c, ...analysis }: Analysed): PlanAnalysis {
  return analysis;
}
