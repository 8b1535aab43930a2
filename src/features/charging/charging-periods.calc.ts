import type { ChargingInput, CouncilPolicyVersion } from "#/features/charging/charging-input.calc.ts";
import { type SuppliedFigure, suppliedFigureCuts } from "#/features/charging/supplied-figures.calc.ts";
import { addDays } from "#/platform/dates/calendar.ts";
import {
  type ChargingJurisdiction,
  type ChargingRules,
  ChargingRulesNotFoundError,
  chargingRulesFor,
} from "#/rules/charging.ts";
import type { FieldError } from "#/vocabulary/field-error.ts";
import type { Segment } from "./charging-working.calc.ts";

/**
 * The periods of a financial assessment: its dates split wherever the rule pack, the council's policy version
 * or a figure the council supplied changes, each period worked out on its own. Pure.
 */

function policyVersionOn(
  input: ChargingInput,
  date: string,
): { version: CouncilPolicyVersion; index: number } | null {
  const versions = input.councilPolicy?.versions ?? [];
  const index = versions.findIndex(
    (v) => v.validFrom <= date && (v.validTo === undefined || date <= v.validTo),
  );
  return index === -1 ? null : { version: versions[index]!, index };
}

function findPack(
  jurisdiction: ChargingJurisdiction,
  date: string,
  packs: readonly ChargingRules[],
  path: string,
): { ok: true; pack: ChargingRules } | { ok: false; error: FieldError } {
  try {
    return { ok: true, pack: chargingRulesFor(jurisdiction, date, packs) };
  } catch (error) {
    if (error instanceof ChargingRulesNotFoundError)
      return { ok: false, error: { path, message: error.message } };
    throw error;
  }
}

/** Splits the assessment's dates wherever the rule pack or the council's policy version changes. */
export function segmentsOf(
  input: ChargingInput,
  packs: readonly ChargingRules[],
  supplied: readonly SuppliedFigure[],
): { ok: true; segments: Segment[] } | { ok: false; errors: FieldError[] } {
  const { from, to } = input.period;
  const byPack: { from: string; to: string | null; pack: ChargingRules }[] = [];
  let cursor = from;
  for (;;) {
    const found = findPack(input.jurisdiction, cursor, packs, cursor === from ? "period.from" : "period.to");
    if (!found.ok) return { ok: false, errors: [found.error] };
    const packEnd = found.pack.validTo ?? null;
    if (to === undefined) {
      byPack.push({ from: cursor, to: packEnd, pack: found.pack });
      break;
    }
    const end = packEnd !== null && packEnd < to ? packEnd : to;
    byPack.push({ from: cursor, to: end, pack: found.pack });
    if (end === to) break;
    cursor = addDays(end, 1);
  }

  const versions = input.councilPolicy?.versions ?? [];
  const segments: Segment[] = [];
  for (const part of byPack) {
    const cuts = new Set<string>();
    for (const v of versions) {
      for (const cut of [v.validFrom, v.validTo === undefined ? undefined : addDays(v.validTo, 1)]) {
        if (cut !== undefined && cut > part.from && (part.to === null || cut <= part.to)) cuts.add(cut);
      }
    }
    for (const cut of suppliedFigureCuts(supplied, part.pack, part.from, part.to)) cuts.add(cut);
    const starts = [part.from, ...[...cuts].sort()];
    starts.forEach((start, i) => {
      const next = starts[i + 1];
      segments.push({
        from: start,
        to: next === undefined ? part.to : addDays(next, -1),
        pack: part.pack,
        policy: policyVersionOn(input, start),
      });
    });
  }
  // Without an end date the assessment runs until the rules next change: the first period only.
  return { ok: true, segments: to === undefined ? segments.slice(0, 1) : segments };
}
