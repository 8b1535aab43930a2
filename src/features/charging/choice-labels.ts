import { FREQUENCIES, FREQUENCY_LABELS, type Route } from "#/features/charging/answers.ts";
import type { CAPITAL_KINDS, HOUSING_COST_KINDS } from "#/features/charging/charging-input.calc.ts";
import { INCOME_TYPE_LABELS, INCOME_TYPES } from "#/rules/charging.ts";

/** What each choice on the financial-assessment pages is called, and its hint, as the pages and summaries say it. */

export const ROUTE_LABELS: Record<Route, { text: string; hint: string }> = {
  full: {
    text: "A full financial assessment",
    hint: "Income, savings, housing costs and disability-related expenses are looked at.",
  },
  chooses_to_pay_full_cost: {
    text: "Light touch: the person chooses to pay the full cost",
    hint: "No questions about money are needed.",
  },
  capital_over_upper_limit: {
    text: "Light touch: the person's savings and other capital are over the upper limit",
    hint: "They pay the full cost. Only the amount of capital is needed, to check it against the limit.",
  },
};

export const CAPITAL_LABELS: Record<(typeof CAPITAL_KINDS)[number], { text: string; hint?: string }> = {
  savings: { text: "Savings", hint: "Bank and building society accounts, cash, Premium Bonds" },
  investments: { text: "Investments", hint: "Shares, unit trusts, bonds" },
  main_home: {
    text: "The home the person lives in",
    hint: "Recorded, but not counted for care outside a care home",
  },
  other_property: { text: "Other property or land" },
  other: { text: "Something else" },
};

export const HOUSING_LABELS: Record<(typeof HOUSING_COST_KINDS)[number], string> = {
  rent: "Rent",
  mortgage: "Mortgage",
  council_tax: "Council Tax",
  ground_rent: "Ground rent",
  service_charges: "Service charges",
};

export const FREQUENCY_ITEMS = FREQUENCIES.map((f) => ({ value: f, text: FREQUENCY_LABELS[f] }));
export const INCOME_ITEMS = INCOME_TYPES.map((t) => ({ value: t, text: INCOME_TYPE_LABELS[t] }));
