import type { Kysely } from "kysely";
import { runChargingCase } from "#/features/charging/case.ts";
import type { ChargingOptions, ChargingOutcome } from "#/features/charging/charging.calc.ts";
import {
  type ChargingInputJson,
  type CouncilPolicy,
  MAX_CAPITAL_PENCE,
} from "#/features/charging/schemas.ts";
import { calculatorSettings, getChargingSettings } from "#/features/charging/settings-service.ts";
import type { SuppliedFigure } from "#/features/charging/supplied-figures.ts";
import {
  type Carried,
  INCOME_PAGES,
  PAGES,
  type PageContext,
  type PageSlug,
  readPage,
} from "#/features/pay-estimator/forms.ts";
import {
  type CaseContext,
  chargingCaseFrom,
  type PayAnswers,
} from "#/features/pay-estimator/pay-estimator.calc.ts";
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

export type Coverage =
  /** A full financial assessment can be estimated (some circumstances may still be refused). */
  | { kind: "full" }
  /** Only some cases: capital over the limit (light touch), or care that is all free personal care. */
  | { kind: "limited"; overLimitPence: number | null; freePersonalCare: boolean; errors: FieldError[] }
  /** No case at all: the reasons, as the calculator gives them. */
  | { kind: "none"; errors: FieldError[] };

/**
 * What the page can estimate today, found by running the calculator on a few plain cases (a single person of
 * working age, and of pension age, with no income or capital; capital over any limit; care that is all personal
 * care) rather than by reading the packs, so it stays true as rules and council figures are added.
 */
export function coverageOf(estimator: PayEstimator): Coverage {
  if (!estimator.caseContext) {
    return {
      kind: "none",
      errors: [{ path: "jurisdiction", message: "There are no charging rules for this council's area" }],
    };
  }
  const run = (answers: Partial<PayAnswers>) =>
    estimateFor(estimator, {
      aboutYou: PROBE_ABOUT_YOU,
      savings: { savingsPence: 0, otherPropertyPence: 0, ownsHome: false },
      careCost: PROBE_COST,
      ...answers,
    }).outcome;
  const workingAge = run({});
  if (workingAge.ok) return { kind: "full" };
  const pensionAge = run({ aboutYou: { ...PROBE_ABOUT_YOU, age: 70, pensionAge: true } });
  if (pensionAge.ok) return { kind: "full" };
  const overLimit = run({
    savings: { savingsPence: MAX_CAPITAL_PENCE, otherPropertyPence: 0, ownsHome: false },
  });
  const freeCare = run({ careCost: { ...PROBE_COST, personalCareWeeklyPence: PROBE_COST.weeklyPence } });
  const errors = workingAge.errors;
  const limit = overLimit.ok ? overLimit.result.periods[0]?.capital.upperLimitPence : undefined;
  const free = estimator.caseContext.jurisdiction === "scotland" && freeCare.ok;
  if (limit == null && !free) {
    const more = overLimit.ok ? [] : overLimit.errors;
    const seen = new Set<string>();
    return {
      kind: "none",
      errors: [...errors, ...more].filter((e) => !seen.has(e.message) && seen.add(e.message)),
    };
  }
  return { kind: "limited", overLimitPence: limit ?? null, freePersonalCare: free, errors };
}
