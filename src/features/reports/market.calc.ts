/**
 * The commissioner's market-gaps report: what the plans in force asked for that the council's directory could not
 * supply, by support category and by area (the postcode district, the outward code of the person's postcode);
 * and underspends the reviews put down to support that was hard to find. Pure.
 *
 * Each support line of each plan counts once, in one of:
 * - "directory": a provider (or personal assistant) the directory lists, and the service, when one is named, is
 *   active there;
 * - "outside": bought outside the directory: something the person arranges, a pooled arrangement, a personal
 *   assistant the directory does not list, or a provider or service the directory no longer lists;
 * - "no_provider": a personal assistant not yet found (no name, no directory entry).
 * Universal and community support (free to anyone) is left out: it is not bought.
 */

export type MarketSupport = {
  category: string;
  source: "provider" | "personal_assistant" | "pooled" | "self_arranged" | "universal";
  providerId: string | null;
  serviceId: string | null;
  /** A personal assistant's name, when the plan has one. */
  named: boolean;
  weeklyPence: number;
};

export type MarketPlan = { postcode: string | null; supports: readonly MarketSupport[] };

export const SUPPLY = ["directory", "outside", "no_provider"] as const;
export type Supply = (typeof SUPPLY)[number];

export type MarketRow = { key: string } & Record<Supply, number> & {
    gapWeeklyPence: number;
    /** Lines outside the directory or with no provider, as a share of all lines bought. */
    gapPercent: number | null;
  };

export type MarketReport = {
  totals: MarketRow;
  byCategory: MarketRow[];
  byArea: MarketRow[];
  underspends: { reason: string; reviews: number }[];
};

export const NO_POSTCODE = "not_recorded";

/** The outward code: the part of a UK postcode before the space (the last three characters are the inward code). */
export function outwardCode(postcode: string | null): string {
  const compact = (postcode ?? "").toUpperCase().replace(/\s+/g, "");
  if (compact.length < 5 || compact.length > 7) return NO_POSTCODE;
  return compact.slice(0, -3);
}

export function supplyOf(
  s: MarketSupport,
  directory: { providerIds: ReadonlySet<string>; activeServiceIds: ReadonlySet<string> },
): Supply | null {
  if (s.source === "universal") return null;
  if (s.source === "provider" || s.source === "personal_assistant") {
    const listed =
      s.providerId !== null &&
      directory.providerIds.has(s.providerId) &&
      (s.serviceId === null || directory.activeServiceIds.has(s.serviceId));
    if (listed) return "directory";
    if (s.source === "personal_assistant" && s.providerId === null && !s.named) return "no_provider";
  }
  return "outside";
}

const row = (key: string): MarketRow => ({
  key,
  directory: 0,
  outside: 0,
  no_provider: 0,
  gapWeeklyPence: 0,
  gapPercent: null,
});

function count(r: MarketRow, supply: Supply, weeklyPence: number) {
  r[supply] += 1;
  if (supply !== "directory") r.gapWeeklyPence += weeklyPence;
  const all = r.directory + r.outside + r.no_provider;
  r.gapPercent = Math.round(((r.outside + r.no_provider) / all) * 1000) / 10;
}

export function marketReport(
  plans: readonly MarketPlan[],
  directory: { providerIds: ReadonlySet<string>; activeServiceIds: ReadonlySet<string> },
  underspendReasons: readonly (string | null)[],
): MarketReport {
  const totals = row("all");
  const byCategory = new Map<string, MarketRow>();
  const byArea = new Map<string, MarketRow>();
  const into = (map: Map<string, MarketRow>, key: string) => {
    let r = map.get(key);
    if (!r) {
      r = row(key);
      map.set(key, r);
    }
    return r;
  };
  for (const plan of plans) {
    const area = outwardCode(plan.postcode);
    for (const s of plan.supports) {
      const supply = supplyOf(s, directory);
      if (supply === null) continue;
      count(totals, supply, s.weeklyPence);
      count(into(byCategory, s.category), supply, s.weeklyPence);
      count(into(byArea, area), supply, s.weeklyPence);
    }
  }
  const reasons = new Map<string, number>();
  for (const r of underspendReasons) if (r !== null) reasons.set(r, (reasons.get(r) ?? 0) + 1);
  const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
  return {
    totals,
    byCategory: [...byCategory.values()].sort(byKey),
    byArea: [...byArea.values()].sort(byKey),
    underspends: [...reasons]
      .map(([reason, reviews]) => ({ reason, reviews }))
      .sort((a, b) => a.reason.localeCompare(b.reason)),
  };
}
