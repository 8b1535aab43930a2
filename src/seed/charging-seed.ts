import { agreedPlanCostIn } from "#/features/budgets/agreed-plan-cost.ts";
import { ageOn, type FinancialAnswersJson } from "#/features/charging/answers.ts";
import { costOfCareIn } from "#/features/charging/cost-of-care.ts";
import {
  completeFinancialAssessmentIn,
  saveFinancialAnswersIn,
  startFinancialAssessmentIn,
} from "#/features/charging/service.ts";
import { addPolicyVersionIn, addSuppliedFiguresIn } from "#/features/charging/settings-service.ts";
import {
  packFigure,
  type SuppliedFigureKey,
  unsupportedFigureKeys,
} from "#/features/charging/supplied-figures.calc.ts";
import { getPersonIn, type Person } from "#/features/people/service.ts";
import type { TxContext } from "#/platform/context.ts";
import { allChargingRules } from "#/rules/charging.ts";

/**
 * Demo Council's charging: a charging policy and, for every England rule-pack year, the figures the pack could
 * not confirm — all CLEARLY labelled as demonstration figures, not the statutory amounts — so the demo's full
 * financial assessments can be worked out. Then a few people with financial assessments: full, light touch,
 * one with a benefits prompt on their statement, and a draft. Deterministic: the people are the first who fit.
 */

export const DEMO_FIGURES_SOURCE = "Demo Council: demonstration figures, not the statutory amounts";

/** Round demonstration amounts in pence a week (capital limits in pence). NOT the statutory figures. */
const DEMO_AMOUNTS: Record<SuppliedFigureKey, number> = {
  "capital.lower_limit": 1_425_000,
  "capital.upper_limit": 2_325_000,
  "mig.single_18_to_24": 95_00,
  "mig.single_25_to_pension_credit_age": 120_00,
  "mig.single_pension_credit_age": 230_00,
  "mig.lone_parent": 120_00,
  "mig.couple_each": 95_00,
  "mig.couple_pension_credit_age_each": 175_00,
  "mig.per_child": 85_00,
  "mig.disability_premium_single": 50_00,
  "mig.disability_premium_couple_each": 35_00,
  "mig.enhanced_disability_premium_single": 25_00,
  "mig.enhanced_disability_premium_couple_each": 18_00,
  "mig.carer_premium": 45_00,
  "savings_credit_disregard.single": 7_00,
  "savings_credit_disregard.couple": 10_00,
  weekly_maximum_charge: 100_00,
};

/** Every figure the England packs could not confirm, one per pack year, dated to the pack. */
export function demoSuppliedFigures() {
  return allChargingRules()
    .filter((pack) => pack.jurisdiction === "england")
    .flatMap((pack) =>
      unsupportedFigureKeys(pack)
        .filter((key) => packFigure(pack, key) !== null)
        .map((figure) => ({
          figure,
          validFrom: pack.validFrom,
          ...(pack.validTo ? { validTo: pack.validTo } : {}),
          pence: DEMO_AMOUNTS[figure],
          source: DEMO_FIGURES_SOURCE,
        })),
    );
}

export const DEMO_POLICY = {
  reference: "Demo Council: a demonstration charging policy, not any real council's",
  policy: {
    validFrom: "2024-04-01",
    standardDreAllowanceWeeklyPence: 20_00,
    minimumChargeWeeklyPence: 2_00,
    // Kinds of income the England pack could not find the treatment of, disregarded in full by the policy.
    incomeDisregards: [
      { type: "direct_payment" },
      { type: "war_pension" },
      { type: "child_benefit" },
      { type: "child_tax_credit" },
    ],
  },
};

type Plan = {
  name: string;
  answers: (p: { pensionAge: boolean; today: string }) => FinancialAnswersJson;
  complete: boolean;
};

const week = (pounds: number) => ({ amountPence: Math.round(pounds * 100), frequency: "week" as const });

const PLANS: readonly Plan[] = [
  {
    name: "full, working age",
    complete: true,
    answers: ({ pensionAge, today }) => ({
      about: { appliesFrom: today, route: "full", reachedPensionCreditAge: pensionAge },
      circumstances: {
        couple: false,
        children: 0,
        disabilityPremium: true,
        enhancedDisabilityPremium: false,
        carerPremium: false,
      },
      incomes: pensionAge
        ? [
            { type: "state_pension", ...week(230.25) },
            { type: "attendance_allowance", ...week(110.4) },
          ]
        : [
            { type: "employment_and_support_allowance", ...week(140.55) },
            { type: "pip_daily_living", ...week(108.55) },
            { type: "pip_mobility", ...week(29.2) },
          ],
      capital: [{ kind: "savings", valuePence: 1_600_000, description: "Building society account" }],
      // Rent is met in full by Housing Benefit, so only Council Tax is a housing cost here.
      housingCosts: [{ kind: "council_tax", ...week(15) }],
      dre: {
        kind: "itemised",
        items: [
          { description: "Community alarm", ...week(4.5) },
          { description: "Extra laundry", ...week(4) },
        ],
      },
      costOfCare: {},
    }),
  },
  {
    name: "light touch, chooses to pay in full",
    complete: true,
    answers: ({ pensionAge, today }) => ({
      about: { appliesFrom: today, route: "chooses_to_pay_full_cost", reachedPensionCreditAge: pensionAge },
      costOfCare: {},
    }),
  },
  {
    name: "light touch, capital over the upper limit",
    complete: true,
    answers: ({ pensionAge, today }) => ({
      about: {
        appliesFrom: today,
        route: "capital_over_upper_limit",
        reachedPensionCreditAge: pensionAge,
        lightTouchCapitalPence: 4_000_000,
      },
      costOfCare: {},
    }),
  },
  {
    // Told us of no disability benefit: with personal care needs, the statement prompts them to seek advice.
    name: "full, no disability benefit",
    complete: true,
    answers: ({ pensionAge, today }) => ({
      about: { appliesFrom: today, route: "full", reachedPensionCreditAge: pensionAge },
      circumstances: {
        couple: false,
        children: 0,
        disabilityPremium: false,
        enhancedDisabilityPremium: false,
        carerPremium: false,
      },
      incomes: pensionAge
        ? [
            { type: "state_pension", ...week(230.25) },
            { type: "occupational_pension", amountPence: 520_00, frequency: "month" },
          ]
        : [{ type: "universal_credit", amountPence: 700_00, frequency: "month" }],
      capital: [],
      housingCosts: [{ kind: "council_tax", ...week(18) }],
      dre: { kind: "none", items: [] },
      costOfCare: {},
    }),
  },
  {
    name: "a draft, part way through",
    complete: false,
    answers: ({ pensionAge, today }) => ({
      about: { appliesFrom: today, route: "full", reachedPensionCreditAge: pensionAge },
    }),
  },
];

/**
 * Demo Council's charging settings and a few financial assessments, in the seed's transaction. People are
 * taken in order from those with an indicative budget (so the cost of care is real). Does nothing more than
 * the settings when today is outside the England packs.
 */
/** Whether an England charging rule pack applies on the seed's date (a financial assessment needs one). */
function englandChargingCovers(today: string): boolean {
  return allChargingRules().some(
    (p) =>
      p.jurisdiction === "england" && p.validFrom <= today && (p.validTo === undefined || today <= p.validTo),
  );
}

export async function seedDemoCharging(
  t: TxContext,
  people: readonly Person[],
): Promise<{ financialAssessments: number }> {
  await addPolicyVersionIn(t, DEMO_POLICY);
  await addSuppliedFiguresIn(t, demoSuppliedFigures());
  const covered = englandChargingCovers(t.today);
  if (!covered) return { financialAssessments: 0 };
  let made = 0;
  let next = 0;
  for (const plan of PLANS) {
    // The next person with an indicative budget.
    let person: Person | undefined;
    while (next < people.length && !person) {
      const candidate = people[next++]!;
      if (await costOfCareIn(t.tx, candidate.personId, agreedPlanCostIn)) person = candidate;
    }
    if (!person) break;
    const pensionAge = ageOn(person.dateOfBirth, t.today) >= 66;
    const draft = await startFinancialAssessmentIn(t, person.personId);
    await saveFinancialAnswersIn(
      t,
      draft.financialAssessmentId,
      plan.answers({ pensionAge, today: t.today }),
    );
    if (plan.complete) await completeFinancialAssessmentIn(t, draft.financialAssessmentId, agreedPlanCostIn);
    made++;
  }
  return { financialAssessments: made };
}

/**
 * A completed full financial assessment for someone with no income and no capital, so they pay nothing: for
 * demo people whose records must show how their support is funded (the CLD return's Client Funding Status is
 * mandatory on their services). Nothing when no England charging pack covers the seed's date.
 */
export async function seedNothingToPayAssessmentIn(t: TxContext, personId: string): Promise<void> {
  const covered = englandChargingCovers(t.today);
  if (!covered || !(await costOfCareIn(t.tx, personId, agreedPlanCostIn))) return;
  const person = await getPersonIn(t, personId);
  const draft = await startFinancialAssessmentIn(t, person.personId);
  await saveFinancialAnswersIn(t, draft.financialAssessmentId, {
    about: {
      appliesFrom: t.today,
      route: "full",
      reachedPensionCreditAge: ageOn(person.dateOfBirth, t.today) >= 66,
    },
    circumstances: {
      couple: false,
      children: 0,
      disabilityPremium: false,
      enhancedDisabilityPremium: false,
      carerPremium: false,
    },
    incomes: [],
    capital: [],
    housingCosts: [],
    dre: { kind: "none", items: [] },
    costOfCare: {},
  });
  await completeFinancialAssessmentIn(t, draft.financialAssessmentId, agreedPlanCostIn);
}
