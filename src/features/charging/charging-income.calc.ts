import { pence } from "#/platform/money/pence.ts";
import { DISABILITY_BENEFITS, INCOME_TYPE_LABELS } from "#/rules/charging.ts";
import {
  ASSESSOR,
  cite,
  type IncomeLine,
  money,
  type Period,
  policyCitation,
  type RuleCitation,
} from "./charging-working.calc.ts";

/**
 * Income: each income counted, disregarded in full or in part (by the rule pack, the savings credit disregard or
 * the council's policy), or as the assessment states for other income; and whether a disability benefit is
 * counted, which disability-related expenditure depends on. Pure.
 */

export type AssessedIncome = {
  incomes: IncomeLine[];
  /** Weekly income counted, after disregards. */
  assessable: number;
  hasDisabilityBenefit: boolean;
};

export function assessIncomes(p: Period): AssessedIncome {
  const { input, segment, policy, w } = p;
  const { pack } = segment;
  const incomes: IncomeLine[] = [];
  let hasDisabilityBenefit = false;
  input.incomes.forEach((income, index) => {
    const path = `incomes[${index}]`;
    const label =
      income.type === "other" ? (income.description ?? "Other income") : INCOME_TYPE_LABELS[income.type];
    const amount = income.weeklyPence;
    const add = (countedPence: number, rule: RuleCitation, text: string) => {
      incomes.push({
        index,
        type: income.type,
        label,
        weeklyPence: pence(amount),
        countedWeeklyPence: pence(countedPence),
        disregardedWeeklyPence: pence(amount - countedPence),
        rule,
      });
      w.step(path, text, countedPence, rule);
      if (countedPence > 0 && DISABILITY_BENEFITS.includes(income.type)) hasDisabilityBenefit = true;
    };
    if (income.type === "other") {
      const countedPence = income.treatment === "counted" ? amount : 0;
      add(countedPence, ASSESSOR(income.basis!), `${label}: ${money(amount)} a week, ${income.treatment}`);
      return;
    }
    const councilDisregard = policy?.incomeDisregards.find((d) => d.type === income.type);
    if (councilDisregard && councilDisregard.weeklyPence === undefined) {
      add(
        0,
        policyCitation(input, segment, `incomeDisregards: ${income.type}`),
        `${label}: ${money(amount)} a week, disregarded in full by the council's policy`,
      );
      return;
    }
    const treatment = pack.incomes[income.type];
    if (treatment.treatment === "unsupported") {
      w.refuse(`${path}.type`, treatment.reason);
      return;
    }
    if (treatment.treatment === "disregarded") {
      add(0, cite(treatment.source), `${label}: ${money(amount)} a week, disregarded`);
      return;
    }
    let countedPence = amount;
    let text = `${label}: ${money(amount)} a week, counted`;
    let rule = cite(treatment.source);
    if (treatment.treatment === "savings_credit") {
      const figure = input.person.couple
        ? pack.savingsCreditDisregard.couple
        : pack.savingsCreditDisregard.single;
      const disregard = w.figure(
        figure,
        input.person.couple ? "savings_credit_disregard.couple" : "savings_credit_disregard.single",
        `${path}.type`,
        "the savings credit disregard",
      );
      if (disregard === null) return;
      countedPence = amount - Math.min(amount, disregard.pence);
      text = `${label}: ${money(amount)} a week, less the savings credit disregard of up to ${money(disregard.pence)}: ${money(countedPence)} counted`;
      rule = disregard.rule;
    }
    if (councilDisregard?.weeklyPence !== undefined) {
      const disregarded = Math.min(countedPence, councilDisregard.weeklyPence);
      countedPence -= disregarded;
      text += `; the council's policy disregards ${money(disregarded)}, leaving ${money(countedPence)}`;
      rule = {
        ...rule,
        note: `${rule.note ? `${rule.note} ` : ""}Partial disregard: the council's charging policy.`,
      };
    }
    add(countedPence, rule, text);
  });
  const assessable = incomes.reduce((sum, line) => sum + line.countedWeeklyPence, 0);
  return { incomes, assessable, hasDisabilityBenefit };
}
