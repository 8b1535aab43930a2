import { describe, expect, it } from "vitest";
import type { Carried } from "#/faces/pay-estimator/carried.ts";
import {
  circumstancesOf,
  coverageOf,
  earlyRefusalFor,
  type PayEstimator,
} from "#/faces/pay-estimator/service.ts";
import type { ChargingOptions } from "#/features/charging/charging.calc.ts";
import { fixtureEnglandPacks } from "#/features/charging/rules.fixture.ts";
import type { Tenant } from "#/features/tenants/service.ts";
import { chargingRulesFor } from "#/rules/charging.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * What the pay estimator can estimate, without a database: a council with no figures of its own on England's
 * real packs (2026-27: some MIG amounts secondary, others not found), and fixture packs where every figure is
 * known.
 */

const tenant = (jurisdiction: "england"): Tenant => ({
  tenantId: "00000000-0000-7000-8000-000000000000",
  slug: "other",
  name: "Other Council",
  jurisdiction,
  createdAt: new Date(0),
  onsCode: null,
});

function estimator(
  today: string,
  options: ChargingOptions = { suppliedFigures: [] },
  jurisdiction: "england" = "england",
): PayEstimator {
  return {
    tenant: tenant(jurisdiction),
    today,
    caseContext: { jurisdiction, today },
    pack: chargingRulesFor(jurisdiction, today, options.packs),
    options,
  };
}

const about = (fields: Record<string, string | string[]>): Carried => ({
  pages: { "about-you": { partner: "no", children: "0", premiumBenefits: ["none"], ...fields } },
});

describe("what the pay estimator can estimate (start page), and refusing at the first page", () => {
  it("England 2026-27 with no council figures: partial — the circumstances whose MIG amounts are not known are listed in plain words, with the calculator's reasons", () => {
    const coverage = coverageOf(estimator(TODAY));
    expect(coverage.kind).toBe("partial");
    if (coverage.kind !== "partial") return;
    // Known (secondary): single 18 to 24 (£95.40), single over pension credit age (£241.45).
    expect(coverage.uncovered.map((u) => u.words)).toEqual([
      "people aged 25 to State Pension age",
      "couples",
      "people under State Pension age who get disability benefits (PIP or DLA)",
      "people with children",
      "carers who get Carer's Allowance",
    ]);
    for (const u of coverage.uncovered) expect(u.errors.length, u.id).toBeGreaterThan(0);
    expect(coverage.errors.length).toBeGreaterThan(0);
  });

  it("fixture packs with every figure known: full", () => {
    expect(coverageOf(estimator("2024-06-03", { packs: fixtureEnglandPacks })).kind).toBe("full");
  });

  it("after 31 March 2027 (a carried-forward pack, no figures but the capital limits): only capital over the limit can be estimated", () => {
    const coverage = coverageOf(estimator("2027-05-03"));
    expect(coverage).toMatchObject({ kind: "limited", overLimitPence: 2_325_000, freePersonalCare: false });
  });

  it("the first page's answers refuse at once a person the figures do not cover (aged 25 to State Pension age), naming their circumstance; not one they cover (over State Pension age, or 18 to 24)", () => {
    const e = estimator(TODAY);
    const refused = earlyRefusalFor(e, about({ age: "40", pensionAge: "no" }));
    expect(refused?.uncovered).toEqual(["people aged 25 to State Pension age"]);
    expect(refused?.errors.length).toBeGreaterThan(0);
    expect(refused?.chargingCase.person.age).toBe(40);
    expect(earlyRefusalFor(e, about({ age: "70", pensionAge: "yes" }))).toBeNull();
    expect(earlyRefusalFor(e, about({ age: "20", pensionAge: "no" }))).toBeNull();
    const couple = earlyRefusalFor(
      e,
      about({ age: "70", pensionAge: "yes", partner: "yes", partnerPensionAge: "yes" }),
    );
    expect(couple?.uncovered).toEqual(["couples"]);
    // Unanswered or unreadable answers are never refused early.
    expect(earlyRefusalFor(e, { pages: {} })).toBeNull();
    expect(earlyRefusalFor(e, about({ age: "old" }))).toBeNull();
  });

  it("before the savings page, the refusal says savings over the capital limit could still be estimated (light touch); after it, the savings decide", () => {
    const e = estimator("2027-05-03");
    const first = about({ age: "70", pensionAge: "yes" });
    expect(earlyRefusalFor(e, first)?.overLimitPence).toBe(2_325_000);
    const under: Carried = {
      pages: { ...first.pages, savings: { savings: "1000", ownsHome: "no" } },
    };
    expect(earlyRefusalFor(e, under)?.errors.length).toBeGreaterThan(0);
    expect(earlyRefusalFor(e, under)?.overLimitPence).toBeNull();
    const over: Carried = { pages: { ...first.pages, savings: { savings: "30000", ownsHome: "no" } } };
    expect(earlyRefusalFor(e, over)).toBeNull();
  });

  it("circumstances in the person's answers, in the start page's terms", () => {
    expect(circumstancesOf({ age: 24, pensionAge: false, partner: false, children: 0 }, true)).toEqual([
      "aged_18_to_24",
    ]);
    expect(
      circumstancesOf(
        {
          age: 50,
          pensionAge: false,
          partner: true,
          children: 2,
          premiumBenefits: ["dla", "carers_allowance"],
        },
        true,
      ),
    ).toEqual(["aged_25_to_pension_age", "couple", "children", "disability", "carer"]);
    expect(
      circumstancesOf(
        { age: 70, pensionAge: true, partner: false, children: 0, premiumBenefits: ["dla"] },
        true,
      ),
    ).toEqual(["pension_age"]);
  });
});
