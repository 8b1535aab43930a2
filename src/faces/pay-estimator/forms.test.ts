import { describe, expect, it } from "vitest";
import {
  CARRIED_VERSION,
  readAnswered,
  readBudget,
  readCarried,
  writeCarried,
} from "#/faces/pay-estimator/carried.ts";
import { PAGE_FIELDS, type PageContext, readPage, valuesFrom } from "#/faces/pay-estimator/forms.ts";
import { poundsForInput, readPounds } from "#/faces/pay-estimator/money-field.ts";
import { MAX_CAPITAL_PENCE, MAX_WEEKLY_PENCE } from "#/features/charging/charging-input.calc.ts";

/**
 * The pay estimator's pages as forms: amounts of money as people type them, each page's GOV.UK errors (in the
 * order the page asks, each linked to its field), and the answers carried between pages, which are read again
 * by the same readers so nothing tampered with gets past a page's own checks.
 */

const england: PageContext = { askPremiums: true, askPersonalCare: false };

describe("amounts of money, as typed (the charging schema's limits: no negative or absurd amounts)", () => {
  it.each([
    ["125.50", 12_550],
    ["£125.5", 12_550],
    ["£1,250", 125_000],
    ["1,250.00", 125_000],
    [" 30000 ", 3_000_000],
    ["0", 0],
    [".5", 50],
    ["007.10", 710],
    ["-0", 0],
  ])("reads %j as %i pence", (typed, pence) => {
    expect(readPounds(typed, MAX_CAPITAL_PENCE)).toEqual({ ok: true, pence });
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["abc", "not_money"],
    ["1,25", "not_money"],
    ["12e3", "not_money"],
    ["-5", "negative"],
    ["£-5.00", "negative"],
    ["12.345", "too_many_decimals"],
    ["25000.01", "too_big"],
    ["9999999999999999999", "too_big"],
  ])("refuses %j (%s)", (typed, problem) => {
    expect(readPounds(typed, MAX_WEEKLY_PENCE)).toEqual({ ok: false, problem });
  });

  it("shows an amount again as it can be typed", () => {
    expect(poundsForInput(12_550)).toBe("125.50");
    expect(poundsForInput(3_000_000)).toBe("30000");
    expect(poundsForInput(5)).toBe("0.05");
  });
});

describe("reading a page", () => {
  it("About you, sent empty: every question's error, in the page's order, each linked to its field", () => {
    const result = readPage("about-you", {}, england);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errorList).toEqual([
      { text: "Enter your age", href: "#age" },
      { text: "Select yes if you have reached State Pension age", href: "#pensionAge" },
      { text: "Select yes if you have a partner who lives with you", href: "#partner" },
      { text: "Enter how many children live with you, or 0 if none", href: "#children" },
      { text: 'Select the ones you get, or select "None of these"', href: "#premiumBenefits" },
    ]);
  });

  it("About you: an adult's age (the charging rules are for adults, 18 or over), a partner's pension age when there is a partner, and 'None of these' alone", () => {
    const base = {
      age: "17",
      pensionAge: "no",
      partner: "yes",
      children: "-1",
      premiumBenefits: ["pip", "none"],
    };
    const result = readPage("about-you", base, england);
    expect(result.ok ? [] : result.errorList.map((e) => e.text)).toEqual([
      "This estimate is for adults: your age must be 18 or over",
      "You said you have a partner: select yes if they have reached State Pension age",
      "The number of children cannot be negative",
      'Select the ones you get, or "None of these", not both',
    ]);

    const ok = readPage(
      "about-you",
      {
        age: "52",
        pensionAge: "no",
        partner: "no",
        children: "0",
        premiumBenefits: ["pip", "carers_allowance"],
      },
      england,
    );
    expect(ok).toEqual({
      ok: true,
      value: {
        age: 52,
        pensionAge: false,
        partner: false,
        children: 0,
        premiumBenefits: ["pip", "carers_allowance"],
      },
    });
  });

  it("About you outside England asks no premium question (Wales's minimum income is the council's figure)", () => {
    const result = readPage(
      "about-you",
      { age: "70", pensionAge: "yes", partner: "yes", partnerPensionAge: "yes", children: "0" },
      { askPremiums: false, askPersonalCare: false },
    );
    expect(result).toEqual({
      ok: true,
      value: { age: 70, pensionAge: true, partner: true, partnerPensionAge: true, children: 0 },
    });
  });

  it("a weekly amount over £25,000 a week (the charging schema's MAX_WEEKLY_PENCE) or negative is a field error", () => {
    const result = readPage("benefits", { universal_credit: "30000", pip_daily_living: "-72.65" }, england);
    expect(result.ok ? [] : result.errorList).toEqual([
      {
        text: "The amount of Universal Credit must be £25,000.00 a week or less: check it is a weekly amount",
        href: "#universal_credit",
      },
      {
        text: "The amount of Personal Independence Payment (PIP): daily living part cannot be negative",
        href: "#pip_daily_living",
      },
    ]);
  });

  it("savings must be given (0 if none); other property is optional", () => {
    const empty = readPage("savings", { ownsHome: "no" }, england);
    expect(empty.ok ? [] : empty.errorList.map((e) => e.href)).toEqual(["#savings"]);
    expect(readPage("savings", { savings: "£16,000", ownsHome: "yes" }, england)).toEqual({
      ok: true,
      value: { savingsPence: 1_600_000, otherPropertyPence: 0, ownsHome: true },
    });
  });

  it("other income needs what it is as well as how much", () => {
    const result = readPage("other-income", { otherIncome: "20" }, england);
    expect(result.ok ? [] : result.errorList).toEqual([
      { text: "Say what your other income is", href: "#otherIncomeDescription" },
    ]);
    const other = readPage("other-income", { otherIncomeDescription: "Lodger", otherIncome: "" }, england);
    expect(other.ok ? [] : other.errorList.map((e) => e.href)).toEqual(["#otherIncome"]);
  });

  it("extra costs: listing them needs at least one; the standard amount or none needs no list", () => {
    const result = readPage("extra-costs", { extraCosts: "itemised" }, england);
    expect(result.ok ? [] : result.errorList.map((e) => e.href)).toEqual(["#community_alarm"]);
    expect(readPage("extra-costs", { extraCosts: "standard", extra_heating: "5" }, england)).toEqual({
      ok: true,
      value: { kind: "standard" },
    });
    expect(
      readPage(
        "extra-costs",
        { extraCosts: "itemised", extra_laundry: "4", otherCostDescription: "Taxis", otherCost: "6.50" },
        england,
      ),
    ).toEqual({
      ok: true,
      value: {
        kind: "itemised",
        items: { extra_laundry: 400 },
        other: { description: "Taxis", weeklyPence: 650 },
      },
    });
  });

  it("the cost of care: an amount over £0, or the budget brought from the budget estimator; in Scotland the personal care part too", () => {
    const empty = readPage("care-cost", {}, england);
    expect(empty.ok ? [] : empty.errorList.map((e) => e.text)).toEqual([
      "Enter how much your care and support costs",
    ]);
    const withBudget = { ...england, budgetWeeklyPence: 31_050 };
    expect(readPage("care-cost", { useBudget: "yes" }, withBudget)).toEqual({
      ok: true,
      value: { useBudget: true, weeklyPence: 31_050 },
    });
    const scotland = { askPremiums: false, askPersonalCare: true };
    const tooMuch = readPage("care-cost", { weeklyCost: "200", personalCare: "250" }, scotland);
    expect(tooMuch.ok ? [] : tooMuch.errorList.map((e) => e.href)).toEqual(["#personalCare"]);
  });
});

describe("amounts entered a week, every 4 weeks, a month or a year (how-often.calc.ts)", () => {
  it("each amount of income or cost is read with how often it is paid, and given weekly: income down, housing and extra costs up, the cost of care down", () => {
    // £100 a month is 2307.69… pence a week.
    expect(
      readPage(
        "benefits",
        {
          universal_credit: "100",
          universal_creditFrequency: "month",
          carers_allowance: "327.60",
          carers_allowanceFrequency: "4weeks",
        },
        england,
      ),
    ).toEqual({ ok: true, value: { universal_credit: 2307, carers_allowance: 8190 } });
    expect(
      readPage(
        "other-income",
        {
          earnings: "5200",
          earningsFrequency: "year",
          otherIncomeDescription: "Lodger",
          otherIncome: "100",
          otherIncomeFrequency: "month",
        },
        england,
      ),
    ).toEqual({
      ok: true,
      value: { amounts: { earnings: 10_000 }, other: { description: "Lodger", weeklyPence: 2307 } },
    });
    expect(readPage("housing", { rent: "100", rentFrequency: "month" }, england)).toEqual({
      ok: true,
      value: { rent: 2308 },
    });
    expect(
      readPage(
        "extra-costs",
        {
          extraCosts: "itemised",
          extra_heating: "100",
          extra_heatingFrequency: "month",
          otherCostDescription: "Taxis",
          otherCost: "100",
          otherCostFrequency: "month",
        },
        england,
      ),
    ).toEqual({
      ok: true,
      value: {
        kind: "itemised",
        items: { extra_heating: 2308 },
        other: { description: "Taxis", weeklyPence: 2308 },
      },
    });
    expect(readPage("care-cost", { weeklyCost: "100", weeklyCostFrequency: "month" }, england)).toEqual({
      ok: true,
      value: { useBudget: false, weeklyPence: 2307 },
    });
  });

  it("an amount with no choice sent is weekly (the choice's default); savings are capital, with no choice", () => {
    expect(readPage("housing", { rent: "100.50" }, england)).toEqual({ ok: true, value: { rent: 10_050 } });
    expect(readPage("housing", { rent: "100.50", rentFrequency: "week" }, england)).toEqual({
      ok: true,
      value: { rent: 10_050 },
    });
    expect(PAGE_FIELDS.savings).toEqual(["savings", "otherProperty", "ownsHome"]);
    expect(PAGE_FIELDS.housing).toContain("council_taxFrequency");
    expect(PAGE_FIELDS["care-cost"]).toContain("weeklyCostFrequency");
  });

  it("a choice that is not one of the four is an error naming the amount in words, linked to the choice", () => {
    const result = readPage(
      "benefits",
      { universal_credit: "100", universal_creditFrequency: "fortnight" },
      england,
    );
    expect(result.ok ? [] : result.errorList).toEqual([
      { text: "Enter how often you get Universal Credit", href: "#universal_creditFrequency" },
    ]);
    const care = readPage("care-cost", { weeklyCost: "100", weeklyCostFrequency: "" }, england);
    expect(care.ok ? [] : care.errorList.map((e) => e.text)).toEqual([
      "Enter how often your care costs that amount",
    ]);
    // No amount, nothing to say how often.
    expect(readPage("housing", { rent: "", rentFrequency: "fortnight" }, england)).toEqual({
      ok: true,
      value: {},
    });
  });

  it("the most that may be entered is the weekly maximum for the period chosen", () => {
    const result = readPage(
      "benefits",
      {
        universal_credit: "108333.34",
        universal_creditFrequency: "month",
        income_support: "108333.33",
        income_supportFrequency: "month",
      },
      england,
    );
    expect(result.ok ? [] : result.errorList.map((e) => e.text)).toEqual([
      "The amount of Universal Credit must be £108,333.33 a month or less: check the amount and how often",
    ]);
  });
});

describe("the answers carried between pages", () => {
  it("round-trips as the values typed, only the page's own fields, checkboxes always as lists", () => {
    const values = valuesFrom("about-you", {
      age: "52",
      premiumBenefits: "pip",
      somethingElse: "x",
      _csrf: "t",
    });
    expect(values).toEqual({ age: "52", premiumBenefits: ["pip"] });
    const written = writeCarried({ pages: { "about-you": values }, budgetWeeklyPence: 31_050 });
    expect(readCarried({ answers: written })).toEqual({
      ok: true,
      carried: { pages: { "about-you": values }, budgetWeeklyPence: 31_050 },
    });
    expect(readCarried({})).toEqual({ ok: true, carried: { pages: {} } });
  });

  it("refuses answers that were tampered with, and says when the questions have changed", () => {
    for (const answers of [
      "not json",
      "[]",
      JSON.stringify({ v: CARRIED_VERSION, pages: { "not-a-page": {} } }),
      JSON.stringify({ v: CARRIED_VERSION, pages: {}, extra: 1 }),
      JSON.stringify({ v: CARRIED_VERSION, pages: {}, budget: -5 }),
      JSON.stringify({ v: CARRIED_VERSION, pages: { savings: { savings: "x".repeat(600) } } }),
    ]) {
      expect(readCarried({ answers }), answers).toEqual({ ok: false, reason: "unreadable" });
    }
    expect(readCarried({ answers: JSON.stringify({ v: "pay-estimate-0", pages: {} }) })).toEqual({
      ok: false,
      reason: "changed",
    });
  });

  it("a carried page is read by the page's own reader: what it would refuse is a problem to fix, never an answer", () => {
    const { answers, problems } = readAnswered(
      { pages: { savings: { savings: "-100", ownsHome: "no" } } },
      ["about-you", "savings"],
      england,
    );
    expect(answers).toEqual({});
    expect(problems).toEqual([
      { slug: "about-you", text: "About you: answer the questions on this page" },
      { slug: "savings", text: "Your savings and property: Your savings and investments cannot be negative" },
    ]);
  });

  it("a budget from the budget estimator is whole pence, over £0 and under the weekly maximum", () => {
    expect(readBudget("31050")).toBe(31_050);
    for (const bad of ["0", "-1", "1.5", "abc", String(MAX_WEEKLY_PENCE + 1), undefined, ["1"]])
      expect(readBudget(bad), String(bad)).toBeUndefined();
  });
});
