import { type CldFacts, type CldLookups, deriveCldEvents } from "#/features/reports/cld-events.calc.ts";
import { type CldPeriod, eventsInPeriod } from "#/features/reports/cld-period.calc.ts";
import { cldPersonKey } from "#/features/reports/cld-person-key.calc.ts";
import type { CldEvent, CldRow } from "#/features/reports/cld-record.ts";
import type { FairnessBudget } from "#/features/reports/fairness-data.calc.ts";
import { parsePoundsText } from "#/platform/money/parse.ts";
import type { CldRules } from "#/rules/registry.ts";

/**
 * The public fairness dashboard's people and budgets for one quarter, from the Client Level Data return's own
 * events (issue 15: "built from the same events as the returns, so the numbers agree with what the council sends
 * to NHS England"): the facts pages the return reads, derived by the return's derivation (cld-events.calc.ts)
 * over the quarter as the reporting period, kept by the return's period filter (cld-period.calc.ts, a date of
 * death inside a service ending it), and only the rows the return can send (a person identifier,
 * cld-person-key.calc.ts). Of those, the long-term service events (Service Type one of the rules' long-term
 * types, ASCOF's list) are the dashboard's: each agreed support line of a personal budget, as the return states it.
 *
 * Who counts, and everything a person is grouped by, is the return's, not Upfront's own record read another
 * way. Where the two differ the return's is chosen:
 *   - primary support reason: the return's one per person (their latest assessment decided by the period's end),
 *     not the assessment the budget's plan was made from;
 *   - sex, ethnicity, primary support reason: the return's Release 2 values (rules/england/cld.ts mappings) are
 *     the groups and their names, not Upfront's codes and labels;
 *   - how the budget is taken: the return's Delivery Mechanism, in which a council-managed budget and an
 *     individual service fund are both "CASSR managed personal budget" (one group, where Upfront had two);
 *   - weekly cost: Unit Cost × Planned units per week of the weekly lines (one-off lines left out), summed over
 *     the budget's lines, rather than the budget's stored weekly total;
 *   - the end date: the return's, a date of death inside the budget ending it.
 * What the return does not carry is added from its owner, by budget: the need points of the assessment the
 * budget's plan was made from, and the council-arranged package the plan replaced.
 *
 * Pure: a page of facts in, the page's budgets out.
 */

/** What the return lacks and the dashboard needs, by budget (read through the owners: assessment, planning). */
export type FairnessExtra = {
  readonly needPoints: number | null;
  readonly previousPackage: { readonly weeklyPence: number; readonly date: string } | null;
};

export type FairnessQuarterRules = {
  /** The reporting period: the quarter's first day to the day its figures are taken. */
  readonly period: CldPeriod;
  readonly cld: CldRules;
  readonly lookups: CldLookups;
  /** The Service Types that are long-term support (rules.ascof.longTermServiceTypes). */
  readonly longTermServiceTypes: readonly string[];
};

const same = (a: string | null, b: string) => (a ?? "").trim().toLowerCase() === b.trim().toLowerCase();

/** A long-term service row the return can send. */
export function isLongTermService(row: CldRow, rules: FairnessQuarterRules): boolean {
  return (
    rules.cld.quality.eventTypePrefixes.service.some((p) => same(row.eventType, p)) &&
    rules.longTermServiceTypes.some((t) => same(row.serviceType, t)) &&
    cldPersonKey({ nhsNumber: row.nhsNumber, laCode: row.laCode, laPersonId: row.laPersonUniqueIdentifier })
      .ok
  );
}

/** A weekly line's cost a week in pence (Unit Cost × Planned units per week), or 0 for any other line. */
export function weeklyPenceOf(row: CldRow, lookups: CldLookups): number {
  if (!same(row.costFrequencyUnitType, lookups.costFrequency.weekly)) return 0;
  const unit = parsePoundsText(row.unitCost ?? "");
  const units = Number(row.plannedUnitsPerWeek ?? "");
  if (!unit || unit.negative || !Number.isInteger(units) || units < 0) return 0;
  return unit.pence * units;
}

/** The long-term service events of the quarter the return would send, from one page of facts. */
export function longTermServiceEvents(facts: CldFacts, rules: FairnessQuarterRules): CldEvent[] {
  const derived = deriveCldEvents(facts, rules.lookups, rules.period);
  return eventsInPeriod(
    derived.filter((e) => e.source.kind === "budget_line"),
    rules.period,
    rules.cld,
  ).filter((e) => isLongTermService(e.row, rules));
}

/** The dashboard's budgets for the quarter: the long-term service events of each budget, put together. */
export function fairnessBudgetsFrom(
  events: readonly CldEvent[],
  lookups: CldLookups,
  extras: ReadonlyMap<string, FairnessExtra>,
): FairnessBudget[] {
  const byBudget = new Map<string, CldEvent[]>();
  for (const e of events) {
    const budgetId = e.source.id.split("/")[0]!;
    const list = byBudget.get(budgetId);
    if (list) list.push(e);
    else byBudget.set(budgetId, [e]);
  }
  return [...byBudget].map(([budgetId, lines]) => {
    const row = lines[0]!.row;
    let weeklyPence = 0;
    const deployments = new Set<string>();
    for (const line of lines) {
      const weekly = weeklyPenceOf(line.row, lookups);
      weeklyPence += weekly;
      if (weekly > 0 && line.row.deliveryMechanism) deployments.add(line.row.deliveryMechanism);
    }
    const extra = extras.get(budgetId);
    return {
      budgetId,
      personId: lines[0]!.source.personId,
      // Every line of a budget has the budget's dates (and the person's date of death).
      startDate: row.eventStartDate!,
      endDate: row.eventEndDate,
      weeklyPence,
      deployments: [...deployments].sort(),
      needPoints: extra?.needPoints ?? null,
      previousPackage: extra?.previousPackage ?? null,
      primarySupportReason: row.primarySupportReason,
      dateOfBirth: row.dateOfBirth ?? "",
      sex: row.gender,
      ethnicity: row.ethnicity,
      postcode: row.postcode,
    };
  });
}
