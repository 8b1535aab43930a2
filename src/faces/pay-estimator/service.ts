import type { Kysely } from "kysely";
import type { Carried } from "#/faces/pay-estimator/carried.ts";
import {
  INCOME_PAGES,
  PAGES,
  type PageContext,
  type PageSlug,
  readPage,
} from "#/faces/pay-estimator/forms.ts";
import {
  type AboutYou,
  type CareCost,
  type CaseContext,
  chargingCaseFrom,
  type PayAnswers,
  premiumsFrom,
  type Savings,
} from "#/faces/pay-estimator/pay-estimator.calc.ts";
import { runChargingCase } from "#/features/charging/case.ts";
import type { ChargingOptions, ChargingOutcome } from "#/features/charging/charging.calc.ts";
import {
  type ChargingInputJson,
  type CouncilPolicy,
  MAX_CAPITAL_PENCE,
} from "#/features/charging/charging-input.calc.ts";
import { calculatorSettings, getChargingSettings } from "#/features/charging/settings-service.ts";
import type { SuppliedFigure } from "#/features/charging/supplied-figures.calc.ts";
import { findTenantBySlug, SYSTEM_ACTOR, type Tenant } from "#/features/tenants/service.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { FieldError } from "#/platform/validation.ts";
import { type ChargingRules, chargingRulesFor, isChargingJurisdiction } from "#/rules/charging.ts";

/**
 * The public "estimate what you might pay" page's use cases. Nothing here writes: no person, no assessment, no
 * audit event. Every estimate is a charging case run by the charging calculator exactly as the API and CLI run
 * one (charging/case.ts runChargingCase), for today's date and the council's rules.
 */

/** A council's short name, as tenants are created (tenants/service.ts newTenantSchema). */
const SLUG = /^[a-z0-9-]{2,40}$/;

export type PayEstimator = {
  tenant: Tenant;
  today: string;
  /** Null: there are no charging rules for the council's area (its jurisdiction has none). */
  caseContext: CaseContext | null;
  /** The rule pack for today, or null where none covers it. */
  pack: ChargingRules | null;
  /** The rule packs to choose from (default: every registered pack). Tests pass fixtures. */
  options: ChargingOptions;
};

/** What a council has set for charging: its policy (dated versions) and figures it supplies. */
export type CouncilChargingSettings = {
  councilPolicy?: CouncilPolicy;
  suppliedFigures: readonly SuppliedFigure[];
};

/**
 * The council's charging settings (charging/settings-service.ts): its dated policy (what it does more generously
 * than the national rules) and the figures it supplies where a rule pack could not confirm one. Read only: a
 * council's published settings are not anyone's record, so reading them is not audited.
 */
export async function councilSettingsFor(
  db: Kysely<DB>,
  tenant: Tenant,
  today: string,
): Promise<CouncilChargingSettings> {
  const settings = await getChargingSettings({
    db,
    scope: { tenantId: tenant.tenantId, actor: SYSTEM_ACTOR },
    today,
  });
  return calculatorSettings(settings, tenant.name);
}

/** The council's pay estimator for today, or undefined if there is no council at that short name. */
export async function findPayEstimator(
  db: Kysely<DB>,
  slug: string,
  today: string,
  options: ChargingOptions = {},
): Promise<PayEstimator | undefined> {
  if (!SLUG.test(slug)) return undefined;
  const tenant = await findTenantBySlug(db, slug);
  if (!tenant) return undefined;
  const jurisdiction: string = tenant.jurisdiction;
  if (!isChargingJurisdiction(jurisdiction)) return { tenant, today, caseContext: null, pack: null, options };
  const { councilPolicy, suppliedFigures } = await councilSettingsFor(db, tenant, today);
  let pack: ChargingRules | null = null;
  try {
    pack = chargingRulesFor(jurisdiction, today, options.packs);
  } catch {
    // No pack covers today: the calculator says so, naming the dates that are covered.
  }
  return {
    tenant,
    today,
    caseContext: { jurisdiction, today, ...(councilPolicy ? { councilPolicy } : {}) },
    pack,
    options: { ...options, suppliedFigures: options.suppliedFigures ?? suppliedFigures },
  };
}

/** What the question pages depend on: the rules' circumstances, and a budget brought from the estimator. */
export function pageContextFor(estimator: PayEstimator, carried: Carried): PageContext {
  return {
    askPremiums: estimator.pack?.minimumIncome.kind === "mig",
    askPersonalCare: estimator.caseContext?.jurisdiction === "scotland",
    ...(carried.budgetWeeklyPence !== undefined ? { budgetWeeklyPence: carried.budgetWeeklyPence } : {}),
  };
}

/** Runs the answers as a charging case: the case, and the calculator's outcome. */
export function estimateFor(
  estimator: PayEstimator,
  answers: PayAnswers,
): { chargingCase: ChargingInputJson; outcome: ChargingOutcome } {
  if (!estimator.caseContext) throw new Error("There are no charging rules for this council's area");
  const chargingCase = chargingCaseFrom(answers, estimator.caseContext);
  return { chargingCase, outcome: runChargingCase(chargingCase, estimator.options) };
}

const PROBE_ABOUT_YOU = { age: 40, pensionAge: false, partner: false, children: 0, premiumBenefits: [] };
const PROBE_COST = { useBudget: false, weeklyPence: 100_00 };

/**
 * The pages to ask, in order. With capital over the upper limit the person pays the full cost (a light-touch
 * assessment), so their income, housing costs and extra costs are not asked: the calculator, run on the
 * answers about them and their savings, says whether that is so.
 */
export function pagesFor(estimator: PayEstimator, carried: Carried): PageSlug[] {
  const ctx = pageContextFor(estimator, carried);
  const about = carried.pages["about-you"] && readPage("about-you", carried.pages["about-you"], ctx);
  const savings = carried.pages.savings && readPage("savings", carried.pages.savings, ctx);
  if (estimator.caseContext && about?.ok && savings?.ok) {
    const { outcome } = estimateFor(estimator, {
      aboutYou: about.value,
      savings: savings.value,
      careCost: PROBE_COST,
    });
    if (outcome.ok && outcome.result.periods[0]?.lightTouchReason === "capital_over_upper_limit")
      return PAGES.filter((p) => !INCOME_PAGES.includes(p));
  }
  return [...PAGES];
}

// ---- what the page can estimate today -------------------------------------------------------------------

/** Circumstances the start page says it can or cannot estimate for, in plain words. */
export const CIRCUMSTANCES = [
  "aged_18_to_24",
  "aged_25_to_pension_age",
  "pension_age",
  "couple",
  "disability",
  "children",
  "carer",
] as const;
export type CircumstanceId = (typeof CIRCUMSTANCES)[number];

/** Completes "The estimate cannot yet be worked out for: …". */
export const CIRCUMSTANCE_WORDS: Record<CircumstanceId, string> = {
  aged_18_to_24: "people aged 18 to 24",
  aged_25_to_pension_age: "people aged 25 to State Pension age",
  pension_age: "people over State Pension age",
  couple: "couples",
  disability: "people under State Pension age who get disability benefits (PIP or DLA)",
  children: "people with children",
  carer: "carers who get Carer's Allowance",
};

/** A circumstance the estimate cannot be worked out for yet, and the calculator's reasons. */
export type Uncovered = { id: CircumstanceId; words: string; errors: FieldError[] };

export type Coverage =
  /** A full financial assessment can be estimated for every circumstance probed (some answers may still be refused). */
  | { kind: "full" }
  /** A full financial assessment for some circumstances, not for those listed. */
  | { kind: "partial"; uncovered: Uncovered[]; errors: FieldError[] }
  /** Only some cases: capital over the limit (light touch), or care that is all free personal care. */
  | { kind: "limited"; overLimitPence: number | null; freePersonalCare: boolean; errors: FieldError[] }
  /** No case at all: the reasons, as the calculator gives them. */
  | { kind: "none"; errors: FieldError[] };

const single = (age: number, pensionAge: boolean): AboutYou => ({
  age,
  pensionAge,
  partner: false,
  children: 0,
  premiumBenefits: [],
});
const AGE_PROBES: readonly [CircumstanceId, AboutYou][] = [
  ["aged_18_to_24", single(20, false)],
  ["aged_25_to_pension_age", single(40, false)],
  ["pension_age", single(70, true)],
];
const NO_SAVINGS: Savings = { savingsPence: 0, otherPropertyPence: 0, ownsHome: false };

const distinct = (errors: readonly FieldError[]): FieldError[] => {
  const seen = new Set<string>();
  return errors.filter((e) => !seen.has(e.message) && seen.add(e.message));
};

/** The circumstances (of those the start page lists) that a person's answers about themselves put them in. */
export function circumstancesOf(about: AboutYou, askPremiums: boolean): CircumstanceId[] {
  const ids: CircumstanceId[] = [
    about.pensionAge ? "pension_age" : about.age < 25 ? "aged_18_to_24" : "aged_25_to_pension_age",
  ];
  if (about.partner) ids.push("couple");
  if (about.children > 0) ids.push("children");
  if (askPremiums) {
    const premiums = premiumsFrom(about);
    if (premiums.disabilityPremium) ids.push("disability");
    if (premiums.carerPremium) ids.push("carer");
  }
  return ids;
}

/**
 * What the page can estimate today, found by running the calculator on a few plain cases rather than by reading
 * the packs, so it stays true as rules and council figures are added: a single person with no income or capital
 * aged 18 to 24, 25 to State Pension age, and over it; then, on the first of those that can be estimated, a
 * couple, children, and (where the minimum income has premiums) disability benefits and Carer's Allowance. Where
 * no age can be estimated: capital over any limit, and care that is all personal care.
 */
export function coverageOf(estimator: PayEstimator): Coverage {
  if (!estimator.caseContext) {
    return {
      kind: "none",
      errors: [{ path: "jurisdiction", message: "There are no charging rules for this council's area" }],
    };
  }
  const run = (aboutYou: AboutYou, answers: Partial<PayAnswers> = {}) =>
    estimateFor(estimator, { aboutYou, savings: NO_SAVINGS, careCost: PROBE_COST, ...answers }).outcome;
  const ages = AGE_PROBES.map(([id, about]) => ({ id, about, outcome: run(about) }));
  const working = ages.filter((a) => a.outcome.ok);
  if (working.length > 0) {
    const uncovered: Uncovered[] = ages.flatMap((a) =>
      a.outcome.ok ? [] : [{ id: a.id, words: CIRCUMSTANCE_WORDS[a.id], errors: a.outcome.errors }],
    );
    // The extras on an age that can be estimated, preferring 25 to State Pension age (the widest).
    const base = (working.find((a) => a.id === "aged_25_to_pension_age") ?? working[0]!).about;
    const underPensionAge = working.find((a) => !a.about.pensionAge)?.about ?? single(40, false);
    const extras: [CircumstanceId, AboutYou][] = [
      ["couple", { ...base, partner: true, partnerPensionAge: base.pensionAge }],
      ["children", { ...base, children: 1 }],
    ];
    if (pageContextFor(estimator, { pages: {} }).askPremiums) {
      extras.splice(1, 0, ["disability", { ...underPensionAge, premiumBenefits: ["pip"] }]);
      extras.push(["carer", { ...base, premiumBenefits: ["carers_allowance"] }]);
    }
    for (const [id, about] of extras) {
      const outcome = run(about);
      if (!outcome.ok) uncovered.push({ id, words: CIRCUMSTANCE_WORDS[id], errors: outcome.errors });
    }
    if (uncovered.length === 0) return { kind: "full" };
    return { kind: "partial", uncovered, errors: distinct(uncovered.flatMap((u) => u.errors)) };
  }
  const errors = ages[1]!.outcome.ok ? [] : ages[1]!.outcome.errors;
  const overLimit = run(PROBE_ABOUT_YOU, { savings: { ...NO_SAVINGS, savingsPence: MAX_CAPITAL_PENCE } });
  const freeCare = run(PROBE_ABOUT_YOU, {
    careCost: { ...PROBE_COST, personalCareWeeklyPence: PROBE_COST.weeklyPence },
  });
  const limit = overLimit.ok ? overLimit.result.periods[0]?.capital.upperLimitPence : undefined;
  const free = estimator.caseContext.jurisdiction === "scotland" && freeCare.ok;
  if (limit == null && !free) {
    return { kind: "none", errors: distinct([...errors, ...(overLimit.ok ? [] : overLimit.errors)]) };
  }
  return { kind: "limited", overLimitPence: limit ?? null, freePersonalCare: free, errors };
}

// ---- refusing early ---------------------------------------------------------------------------------------

export type EarlyRefusal = {
  errors: FieldError[];
  chargingCase: ChargingInputJson;
  /** The start page's circumstances that the person is in and that cannot be estimated, in words. */
  uncovered: string[];
  /**
   * Asked before the savings page: the capital limit over which an estimate can still be given (the person pays
   * the full cost), so they may go on if their savings are over it. Null: nothing they could answer would help.
   */
  overLimitPence: number | null;
};

/**
 * Whether the answers so far already mean no estimate can be given, so the person is told now rather than after
 * every page: the calculator run on their answers about themselves and their savings (as `pagesFor` does), with
 * no income or other costs and a probe cost of care. Until the savings page is answered, savings over the
 * capital limit might still give an estimate (a light-touch case needs no minimum income): the refusal then says
 * so (`overLimitPence`), and lets them go on.
 */
export function earlyRefusalFor(estimator: PayEstimator, carried: Carried): EarlyRefusal | null {
  if (!estimator.caseContext) return null;
  const ctx = pageContextFor(estimator, carried);
  const about = carried.pages["about-you"] && readPage("about-you", carried.pages["about-you"], ctx);
  if (!about?.ok) return null;
  const savings = carried.pages.savings && readPage("savings", carried.pages.savings, ctx);
  const run = (s: Savings, careCost: CareCost = PROBE_COST) =>
    estimateFor(estimator, { aboutYou: about.value, savings: s, careCost });
  const given = savings?.ok ? savings.value : NO_SAVINGS;
  const { chargingCase, outcome } = run(given);
  if (outcome.ok) return null;
  // Before the savings page: savings over the capital limit would still give an estimate (the full cost).
  const overLimit = savings?.ok ? undefined : run({ ...NO_SAVINGS, savingsPence: MAX_CAPITAL_PENCE }).outcome;
  // Scotland: care that is all personal care is free, whatever the rest (the cost of care is asked last).
  if (
    ctx.askPersonalCare &&
    run(given, { ...PROBE_COST, personalCareWeeklyPence: PROBE_COST.weeklyPence }).outcome.ok
  )
    return null;
  const coverage = coverageOf(estimator);
  const mine = circumstancesOf(about.value, ctx.askPremiums);
  const uncovered =
    coverage.kind === "partial"
      ? coverage.uncovered.filter((u) => mine.includes(u.id)).map((u) => u.words)
      : [];
  const overLimitPence = overLimit?.ok
    ? (overLimit.result.periods[0]?.capital.upperLimitPence ?? null)
    : null;
  return { errors: outcome.errors, chargingCase, uncovered, overLimitPence };
}
