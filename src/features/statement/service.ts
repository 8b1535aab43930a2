import { agreedPlanCostIn } from "#/features/budgets/agreed-plan-cost.ts";
import { currentBudgetIn } from "#/features/budgets/service.ts";
import type { FinancialAnswers } from "#/features/charging/answers.ts";
import { costOfCareIn } from "#/features/charging/cost-of-care.ts";
import { latestAssessmentAnswersIn, latestCompletedIn } from "#/features/charging/service.ts";
import { fundingSettingsIn } from "#/features/funding/service.ts";
import {
  type ContributionInvoice,
  contributionInvoicesOfPersonIn,
} from "#/features/payments/contribution-invoices.ts";
import { getPersonIn, type Person } from "#/features/people/service.ts";
import { benefitsPrompts } from "#/features/statement/benefits-prompt.calc.ts";
import {
  type FundingShare,
  type MoneyStatement,
  moneyStatement,
} from "#/features/statement/statement.calc.ts";
import { currentTenantIn } from "#/features/tenants/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { allRulePacks } from "#/rules/index.ts";

/**
 * The money statement for one person, gathered in one transaction and audited as a view. It does not depend on
 * who is reading: staff (routes.ts) and the person and their representatives (portal-routes.ts, at /my) read the
 * same statement through this same function.
 */

export type StatementView = {
  person: Person;
  councilName: string;
  today: string;
  statement: MoneyStatement;
  /** Where the council invoices the contribution: the person's invoices, newest first (features/payments). */
  contributionInvoices: ContributionInvoice[];
};

/**
 * How the budget is split between funders, from the person's current personal budget: what each funding stream
 * pays a week after the person's contribution (which reduces only means-tested streams). Null while there is no
 * budget, or it has one funder: then the council pays everything the person does not.
 */
export async function fundingSharesIn(
  tx: TenantTx,
  personId: string,
  /** Who a stream with no name in the funding settings is shown as (never its code): the council, say. */
  unnamed = "The council",
): Promise<FundingShare[] | null> {
  const budget = await currentBudgetIn(tx, personId);
  if (!budget) return null;
  const byStream = new Map<string, { weeklyPence: number; meansTested: boolean }>();
  for (const line of budget.lines) {
    const share = byStream.get(line.streamId) ?? { weeklyPence: 0, meansTested: line.meansTested };
    share.weeklyPence += line.netWeeklyPence;
    byStream.set(line.streamId, share);
  }
  if (byStream.size < 2) return null;
  const names = new Map(
    ((await fundingSettingsIn({ tx }, budget.startDate))?.settings.streams ?? []).map((s) => [s.id, s.name]),
  );
  return [...byStream].map(([streamId, share]) => ({
    funder: names.get(streamId) ?? unnamed,
    weeklyPence: share.weeklyPence,
    ...(share.meansTested ? {} : { note: "Not means-tested: your contribution never reduces it" }),
  }));
}

/** The outcomes the latest submitted assessment found not achieved, with their plain-English labels. */
function outcomesNotAchieved(
  answers: unknown,
  questionnaireId: string | undefined,
): { id: string; label: string }[] {
  const outcomes =
    (answers as { outcomes?: Record<string, { canAchieveWithoutHelp?: boolean }> }).outcomes ?? {};
  const questionnaire = allRulePacks().find((p) => p.questionnaire.id === questionnaireId)?.questionnaire;
  return Object.entries(outcomes)
    .filter(([, o]) => o.canAchieveWithoutHelp === false)
    .map(([id]) => ({ id, label: questionnaire?.outcomes.find((o) => o.id === id)?.label ?? id }));
}

export async function getMoneyStatement(ctx: ServiceContext, personId: string): Promise<StatementView> {
  return inTenant(ctx, (t) => moneyStatementIn(t, personId));
}

export async function moneyStatementIn(t: TxContext, personId: string): Promise<StatementView> {
  const { tx, today } = t;
  const person = await getPersonIn(t, personId);
  const tenant = await currentTenantIn(tx);
  const [cost, fa, assessment, shares] = [
    await costOfCareIn(tx, person.personId, agreedPlanCostIn),
    await latestCompletedIn({ tx }, person.personId),
    await latestAssessmentAnswersIn({ tx }, person.personId),
    await fundingSharesIn(tx, person.personId, tenant.name),
  ];
  const answers = fa?.answers as FinancialAnswers | undefined;
  const route = answers?.about?.route ?? "full";
  const statement = moneyStatement({
    councilName: tenant.name,
    today,
    budget: cost
      ? {
          weeklyPence: cost.weeklyPence,
          kind: cost.basis === "agreed_plan" ? "agreed" : "indicative",
          description: cost.description,
        }
      : null,
    financial:
      fa?.result && fa.calculatorInput
        ? {
            version: fa.version,
            completedAt: fa.completedAt ?? fa.updatedAt,
            input: fa.calculatorInput,
            result: fa.result,
            route,
          }
        : null,
    fundingShares: shares,
    benefits: benefitsPrompts({
      outcomesNotAchieved: assessment
        ? outcomesNotAchieved(
            assessment.answers,
            (assessment.answers as { questionnaireId?: string }).questionnaireId,
          )
        : null,
      reachedPensionCreditAge: answers?.about?.reachedPensionCreditAge ?? null,
      incomesReceived:
        fa?.calculatorInput && route === "full" ? fa.calculatorInput.incomes.map((i) => i.type) : null,
    }),
  });
  await audit(tx, {
    action: "view",
    recordType: "money_statement",
    recordId: person.personId,
    changes: { financialAssessmentId: fa?.financialAssessmentId ?? null },
  });
  const contributionInvoices = await contributionInvoicesOfPersonIn(t, person.personId);
  return { person, councilName: tenant.name, today, statement, contributionInvoices };
}
