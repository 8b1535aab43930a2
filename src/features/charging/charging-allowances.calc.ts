import type { ChargingInput } from "#/features/charging/charging-input.calc.ts";
import { pence } from "#/platform/money/pence.ts";
import {
  type ChargingRules,
  MIG_COMPONENT_LABELS,
  MIG_COMPONENT_PROVISIONS,
  type MigComponent,
} from "#/rules/charging.ts";
import {
  type ChargingPeriodResult,
  cite,
  type MigLine,
  money,
  type Period,
  percentUp,
  policyCitation,
  type RuleCitation,
  type Working,
} from "./charging-working.calc.ts";

/**
 * What is allowed for before anything is charged: the minimum income (England's Minimum Income Guarantee by the
 * person's circumstances, or the amount a Welsh council works out; plus any council uplift), housing costs, and
 * disability-related expenditure. Each refuses through the working when the rules for it were not read. Pure.
 */

/** The minimum income the person keeps, or null when it could not be worked out (refused in the working). */
export function minimumIncomeOf(p: Period): ChargingPeriodResult["minimumIncome"] {
  const { input, segment, policy, w } = p;
  const { pack } = segment;
  let minimumIncome: ChargingPeriodResult["minimumIncome"] = null;
  const mi = pack.minimumIncome;
  if (mi.kind === "unsupported") {
    w.refuse("jurisdiction", mi.reason);
  } else if (mi.kind === "supplied_by_council") {
    if (input.minimumIncomeAmountWeeklyPence === undefined) {
      w.errors.push({
        path: "minimumIncomeAmountWeeklyPence",
        message: `Give the minimum income amount the council worked out for this person. ${mi.explanation}`,
      });
    } else {
      const statutory = input.minimumIncomeAmountWeeklyPence;
      const uplift =
        policy?.migUpliftPercent !== undefined ? percentUp(statutory, policy.migUpliftPercent) : 0;
      w.step(
        "minimum_income",
        `Minimum income amount, as the council worked it out: ${money(statutory)} a week`,
        statutory,
        { ...cite(mi.source), note: `${mi.source.note ?? ""} The amount was supplied in the case.`.trim() },
      );
      if (uplift > 0) {
        w.step(
          "minimum_income.council_uplift",
          `The council adds ${policy!.migUpliftPercent}%: ${money(uplift)}`,
          uplift,
          policyCitation(input, segment, "migUpliftPercent"),
        );
      }
      minimumIncome = {
        kind: "supplied_by_council",
        components: [],
        statutoryWeeklyPence: pence(statutory),
        councilUpliftWeeklyPence: pence(uplift),
        appliedWeeklyPence: pence(statutory + uplift),
      };
    }
  } else {
    const components = migComponents(input, mi, w);
    if (components !== null) {
      const migLines: MigLine[] = [];
      for (const { component, count } of components) {
        const found = w.figure(
          mi.amounts[component],
          `mig.${component}`,
          componentPath(component),
          `the MIG amount "${MIG_COMPONENT_LABELS[component]}"`,
        );
        if (found === null) continue;
        const each = found.pence;
        // A confirmed figure cites its regulation's paragraph; a supplied one keeps the source the council cites.
        const rule: RuleCitation =
          found.rule.basis === "council_supplied"
            ? found.rule
            : { ...found.rule, provision: MIG_COMPONENT_PROVISIONS[component] };
        migLines.push({
          component,
          label: MIG_COMPONENT_LABELS[component],
          count,
          weeklyPence: pence(each * count),
          rule,
        });
        w.step(
          `mig.${component}`,
          count === 1
            ? `${MIG_COMPONENT_LABELS[component]}: ${money(each)}`
            : `${MIG_COMPONENT_LABELS[component]}: ${count} × ${money(each)} = ${money(each * count)}`,
          each * count,
          rule,
        );
      }
      if (w.errors.length === 0) {
        const statutory = migLines.reduce((sum, line) => sum + line.weeklyPence, 0);
        const uplift =
          policy?.migUpliftPercent !== undefined ? percentUp(statutory, policy.migUpliftPercent) : 0;
        w.step("mig", `Minimum Income Guarantee: ${money(statutory)} a week`, statutory, cite(mi.source));
        if (uplift > 0) {
          w.step(
            "mig.council_uplift",
            `The council adds ${policy!.migUpliftPercent}% to the MIG: ${money(uplift)} (rounded up), making ${money(statutory + uplift)}`,
            uplift,
            policyCitation(input, segment, "migUpliftPercent"),
          );
        }
        minimumIncome = {
          kind: "mig",
          components: migLines,
          statutoryWeeklyPence: pence(statutory),
          councilUpliftWeeklyPence: pence(uplift),
          appliedWeeklyPence: pence(statutory + uplift),
        };
      }
    }
  }
  return minimumIncome;
}

/** Weekly housing costs the person pays, after any housing benefit or council tax reduction. */
export function housingCostsOf(p: Period): number {
  const { input, segment, w } = p;
  const { pack } = segment;
  let housing = 0;
  if (input.housingCosts.length > 0) {
    if (pack.housingCosts.status === "unsupported") {
      w.refuse("housingCosts", pack.housingCosts.reason);
    } else {
      housing = input.housingCosts.reduce((sum, cost) => sum + cost.weeklyPence, 0);
      w.step(
        "housing_costs",
        `Housing costs (${input.housingCosts.map((c) => c.kind.replace("_", " ")).join(", ")}), after any housing benefit or council tax reduction: ${money(housing)} a week`,
        housing,
        cite(pack.housingCosts.source),
      );
    }
  }

  return housing;
}

/** Disability-related expenditure claimed, and allowed (only where a disability benefit is counted). */
export function disabilityRelatedExpenditureOf(
  p: Period,
  hasDisabilityBenefit: boolean,
): { kind: ChargingInput["disabilityRelatedExpenditure"]["kind"]; claimed: number; allowed: number } {
  const { input, segment, policy, w } = p;
  const { pack } = segment;
  const dreInput = input.disabilityRelatedExpenditure;
  let claimed = 0;
  let allowed = 0;
  if (dreInput.kind !== "none") {
    const rule = pack.disabilityRelatedExpenditure;
    if (rule.status === "unsupported") {
      w.refuse("disabilityRelatedExpenditure", rule.reason);
    } else if (dreInput.kind === "standard" && policy?.standardDreAllowanceWeeklyPence === undefined) {
      w.errors.push({
        path: "disabilityRelatedExpenditure.kind",
        message: `The council's policy for ${segment.from} sets no standard disability-related expenditure allowance: itemise the expenses instead. ${pack.standardDreAllowance.note}`,
      });
    } else {
      claimed =
        dreInput.kind === "itemised"
          ? dreInput.items.reduce((sum, item) => sum + item.weeklyPence, 0)
          : policy!.standardDreAllowanceWeeklyPence!;
      allowed = hasDisabilityBenefit ? claimed : 0;
      const dreRule =
        dreInput.kind === "standard"
          ? policyCitation(input, segment, "standardDreAllowanceWeeklyPence")
          : cite(rule.source);
      w.step(
        "disability_related_expenditure",
        hasDisabilityBenefit
          ? dreInput.kind === "itemised"
            ? `Disability-related expenditure: ${dreInput.items.map((i) => `${i.description} ${money(i.weeklyPence)}`).join(", ")}: ${money(allowed)} a week`
            : `Disability-related expenditure: the council's standard allowance of ${money(allowed)} a week`
          : `Disability-related expenditure of ${money(claimed)} is not allowed: it is allowed only where a disability benefit (Attendance Allowance, DLA care, PIP daily living) is counted as income`,
        allowed,
        hasDisabilityBenefit ? dreRule : cite(rule.source),
      );
    }
  }

  return { kind: dreInput.kind, claimed, allowed };
}

/** The input field that leads to each MIG component, for refusals. */
function componentPath(component: MigComponent): string {
  if (component === "per_child") return "person.children";
  if (component.startsWith("disability_premium")) return "person.disabilityPremium";
  if (component.startsWith("enhanced_disability_premium")) return "person.enhancedDisabilityPremium";
  if (component === "carer_premium") return "person.carerPremium";
  if (component.startsWith("couple")) return "person.couple";
  if (component === "single_pension_credit_age") return "person.reachedPensionCreditAge";
  if (component === "lone_parent") return "person.children";
  return "person.age";
}

/** Which parts of the England MIG apply to this person (reg 7), or null after refusing. */
function migComponents(
  input: ChargingInput,
  mig: Extract<ChargingRules["minimumIncome"], { kind: "mig" }>,
  w: Working,
): { component: MigComponent; count: number }[] | null {
  const { person } = input;
  const parts: { component: MigComponent; count: number }[] = [];
  const loneParent = !person.couple && person.children > 0;
  const errorsBefore = w.errors.length;

  if (person.couple) {
    const pensionAge = person.reachedPensionCreditAge || person.partnerReachedPensionCreditAge === true;
    parts.push({ component: pensionAge ? "couple_pension_credit_age_each" : "couple_each", count: 1 });
  } else if (loneParent) {
    if (person.reachedPensionCreditAge) {
      const rule = mig.loneParentPensionCreditAge;
      if (rule.status === "unsupported") w.refuse("person.reachedPensionCreditAge", rule.reason);
      else parts.push({ component: rule.component, count: 1 });
    } else {
      parts.push({ component: "lone_parent", count: 1 });
    }
  } else if (person.reachedPensionCreditAge) {
    parts.push({ component: "single_pension_credit_age", count: 1 });
  } else {
    parts.push({
      component: person.age < 25 ? "single_18_to_24" : "single_25_to_pension_credit_age",
      count: 1,
    });
  }
  if (person.children > 0) parts.push({ component: "per_child", count: person.children });

  const premium = (single: MigComponent, couple: MigComponent, path: string) => {
    if (person.couple) {
      parts.push({ component: couple, count: 1 });
    } else if (loneParent && mig.loneParentPremiums.status === "unsupported") {
      w.refuse(path, mig.loneParentPremiums.reason);
    } else {
      parts.push({ component: single, count: 1 });
    }
  };
  if (person.disabilityPremium)
    premium("disability_premium_single", "disability_premium_couple_each", "person.disabilityPremium");
  if (person.enhancedDisabilityPremium)
    premium(
      "enhanced_disability_premium_single",
      "enhanced_disability_premium_couple_each",
      "person.enhancedDisabilityPremium",
    );
  if (person.carerPremium) parts.push({ component: "carer_premium", count: 1 });
  return w.errors.length > errorsBefore ? null : parts;
}
