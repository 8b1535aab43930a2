import { AGE_BANDS } from "#/features/calibration/calibration-report.calc.ts";
import { mean, meanConfidenceInterval } from "#/features/calibration/statistics.calc.ts";
import {
  type FairnessBudget,
  type FairnessSettings,
  NOT_RECORDED,
  NOT_RECORDED_LABEL,
  type Quarter,
} from "#/features/reports/fairness-data.calc.ts";
import {
  type CoverForCuts,
  coverForCuts,
  rawSpendIn,
  type Spend,
  type SpendOverTime,
  spendOverTime,
} from "#/features/reports/fairness-money.calc.ts";
import { protect } from "#/features/reports/fairness-protect.calc.ts";
import { snapshotOf } from "#/features/reports/fairness-quarters.calc.ts";
import { formatPounds, type Pence, pence } from "#/platform/money/pence.ts";

/**
 * The public fairness dashboard's figures: for each quarter, the personal budgets live on its last day (today's,
 * for the quarter still running) against the need their assessment scored in points.
 *
 * Method (the page says it in these words): for each person, the weekly budget divided by their need points is
 * "budget per need point", what they get for each point of assessed need. Equal money for equal need means
 * every group's average budget per need point is about everyone's. For each group: the mean, and its 95%
 * confidence interval (Student's t, from the spread of the people in it). A group is named when its mean
 * differs from everyone's by more than the margin and its interval does not include everyone's figure, so it
 * is neither small nor likely chance. People with no need points recorded are counted but not compared.
 * Pence go in whole; means are rounded to the penny once, at the end; percentages to one decimal place.
 */

export type DimensionId = "age_band" | "primary_support_reason" | "ethnicity" | "sex" | "area" | "deployment";

export type GroupFigures = {
  readonly id: string;
  readonly label: string;
  /** True when the group's figures are hidden to protect a small number of people. */
  readonly hidden: boolean;
  readonly people: number | null;
  readonly meanWeeklyPence: Pence | null;
  readonly meanNeedPoints: number | null;
  readonly perPointPence: Pence | null;
  readonly ciLowPence: Pence | null;
  readonly ciHighPence: Pence | null;
  /** The group's budget per need point against everyone's, in percent (one decimal); negative is less. */
  readonly differencePercent: number | null;
  readonly named: "less" | "more" | null;
};

export type Dimension = { readonly id: DimensionId; readonly label: string; readonly groups: GroupFigures[] };

export type NamedGroup = {
  readonly dimension: DimensionId;
  readonly groupId: string;
  readonly statement: string;
};

export type QuarterFairness = {
  readonly quarter: Quarter;
  readonly snapshotDate: string;
  /** Everyone compared (with need points); hidden (null figures) when they are fewer than the setting. */
  readonly everyone: GroupFigures;
  /** People with a live budget but no need points to compare; null when hidden. */
  readonly notCompared: number | null;
  readonly dimensions: Dimension[];
  readonly named: NamedGroup[];
  readonly cuts: CoverForCuts;
  readonly spend: Spend;
};

export type FairnessDashboard = {
  readonly today: string;
  readonly settings: { readonly suppressFewerThan: number; readonly marginPercent: number };
  /** Oldest first. */
  readonly quarters: QuarterFairness[];
  /** Spend over all the quarters together (their totals added; people supported in any of them). */
  readonly spendOverTime: SpendOverTime;
};

/** One quarter's budgets, as the Client Level Data return states them for it (fairness-events.calc.ts). */
export type FairnessQuarterInput = { readonly quarter: Quarter; readonly budgets: readonly FairnessBudget[] };

export type FairnessInput = {
  readonly today: string;
  /** Oldest first. */
  readonly quarters: readonly FairnessQuarterInput[];
  readonly settings: FairnessSettings;
};

/** Whole pence, halves away from zero: a figure is rounded once, here. */
export const toPence = (x: number): Pence => pence(Math.sign(x) * Math.round(Math.abs(x)) || 0);
export const oneDecimal = (x: number): number => Math.round(x * 10) / 10 || 0;

/** Whole years of age on a date. */
export function ageOn(dateOfBirth: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return date.slice(5) < dateOfBirth.slice(5) ? years - 1 : years;
}

/** The outward code of a UK postcode (the part before the space: "ZX4 7QP" → "ZX4"), or undefined. */
export function outwardCode(postcode: string | null): string | undefined {
  const compact = (postcode ?? "").replace(/\s+/g, "").toUpperCase();
  return compact.length > 3 ? compact.slice(0, -3) : undefined;
}

/** A budget live on a date (its end date is the last day it pays for). */
export const liveOn = (b: FairnessBudget, date: string): boolean =>
  b.startDate <= date && (b.endDate === null || date <= b.endDate);

type Compared = { budget: FairnessBudget; points: number; perPoint: number };
type Key = { id: string; label: string; order: number };

/** A group is the return's value (Release 2 wording), named as the return writes it; blank is "Not recorded". */
function keyOf(dimension: DimensionId, c: Compared, snapshot: string): Key {
  const unknown = { id: NOT_RECORDED, label: NOT_RECORDED_LABEL, order: 1e9 };
  const coded = (code: string | null): Key => (code?.trim() ? { id: code, label: code, order: 0 } : unknown);
  switch (dimension) {
    case "age_band": {
      const age = ageOn(c.budget.dateOfBirth, snapshot);
      const i = AGE_BANDS.findIndex((b) => b.from <= age && age <= b.to);
      return i < 0 ? { id: "under-18", label: "Under 18", order: -1 } : { ...AGE_BANDS[i]!, order: i };
    }
    case "primary_support_reason":
      return coded(c.budget.primarySupportReason);
    case "ethnicity":
      return coded(c.budget.ethnicity);
    case "sex":
      return coded(c.budget.sex);
    case "area":
      return coded(outwardCode(c.budget.postcode) ?? null);
    case "deployment": {
      const d = [...new Set(c.budget.deployments)];
      if (d.length === 0) return { id: "none", label: "No weekly support", order: 1e8 };
      return d.length === 1 ? coded(d[0]!) : { id: "mixed", label: "More than one way", order: 1e8 };
    }
  }
}

export const DIMENSIONS: readonly { id: DimensionId; label: string }[] = [
  { id: "age_band", label: "Age" },
  { id: "primary_support_reason", label: "Primary support reason" },
  { id: "ethnicity", label: "Ethnicity" },
  { id: "sex", label: "Sex" },
  { id: "area", label: "Area (postcode district)" },
  { id: "deployment", label: "How the budget is taken" },
];

const HIDDEN_GROUP = {
  hidden: true,
  people: null,
  meanWeeklyPence: null,
  meanNeedPoints: null,
  perPointPence: null,
  ciLowPence: null,
  ciHighPence: null,
  differencePercent: null,
  named: null,
} as const;

function figures(key: Key, members: readonly Compared[], everyoneMean: number, marginPercent: number) {
  const ratios = members.map((m) => m.perPoint);
  const ci = meanConfidenceInterval(ratios, 0.95);
  const m = mean(ratios);
  const difference = ((m - everyoneMean) / everyoneMean) * 100;
  const excludes = ci !== null && (ci.high < everyoneMean || ci.low > everyoneMean);
  const named = Math.abs(difference) > marginPercent && excludes ? (difference < 0 ? "less" : "more") : null;
  return {
    id: key.id,
    label: key.label,
    hidden: false,
    people: members.length,
    meanWeeklyPence: toPence(mean(members.map((c) => c.budget.weeklyPence))),
    meanNeedPoints: oneDecimal(mean(members.map((c) => c.points))),
    perPointPence: toPence(m),
    ciLowPence: ci ? toPence(ci.low) : null,
    ciHighPence: ci ? toPence(ci.high) : null,
    differencePercent: Number.isFinite(difference) ? oneDecimal(difference) : null,
    named,
  } satisfies GroupFigures;
}

type Group = { key: Key; members: Compared[] };

function groupsOf(d: { id: DimensionId }, compared: readonly Compared[], snapshot: string): Group[] {
  const groups = new Map<string, Group>();
  for (const c of compared) {
    const key = keyOf(d.id, c, snapshot);
    const group = groups.get(key.id) ?? { key, members: [] };
    group.members.push(c);
    groups.set(key.id, group);
  }
  return [...groups.values()].sort(
    (a, b) => a.key.order - b.key.order || a.key.label.localeCompare(b.key.label, "en-GB"),
  );
}

/**
 * Every panel splits the same people (everyone compared) a different way, so each adds up to everyone: the
 * panels are protected together, one relation each with everyone as its total (fairness-protect.calc.ts), so no
 * hidden group can be worked out from its own panel's total or from any other panel.
 */
function dimensionsOf(
  compared: readonly Compared[],
  snapshot: string,
  everyoneMean: number,
  input: FairnessInput,
): Dimension[] | null {
  const panels = DIMENSIONS.map((d) => ({ d, groups: groupsOf(d, compared, snapshot) }));
  const sizes = [compared.length];
  const relations = panels.map(({ groups }) => {
    const parts = groups.map((g) => sizes.push(g.members.length) - 1);
    return { total: 0, parts };
  });
  const hidden = protect(sizes, relations, input.settings.suppressFewerThan);
  // Everyone itself hidden (say 2 people, one in each of two areas: the total would tell each area's 1): then
  // nothing about the quarter's groups can be shown.
  if (hidden[0]) return null;
  return panels.map(({ d, groups }, p) => ({
    ...d,
    groups: groups.map((g, i) =>
      hidden[relations[p]!.parts[i]!]
        ? { id: g.key.id, label: g.key.label, ...HIDDEN_GROUP }
        : figures(g.key, g.members, everyoneMean, input.settings.marginPercent),
    ),
  }));
}

function statement(dimension: string, g: GroupFigures, everyone: GroupFigures): string {
  const pounds = (p: Pence | null) => formatPounds(p ?? pence(0));
  return `${dimension}: ${g.label} (${g.people} people) had ${pounds(g.perPointPence)} a week for each point of need on average, ${Math.abs(g.differencePercent ?? 0).toFixed(1)}% ${g.named} than everyone's ${pounds(everyone.perPointPence)} (95% confidence interval ${pounds(g.ciLowPence)} to ${pounds(g.ciHighPence)}).`;
}

function quarterFairness(
  { quarter, budgets }: FairnessQuarterInput,
  spend: Spend,
  input: FairnessInput,
): QuarterFairness {
  const snapshot = snapshotOf(quarter, input.today);
  const live = budgets.filter((b) => liveOn(b, snapshot));
  const compared: Compared[] = live.flatMap((budget) =>
    budget.needPoints !== null && budget.needPoints > 0
      ? [
          {
            budget,
            points: budget.needPoints,
            perPoint: budget.weeklyPence / budget.needPoints,
          },
        ]
      : [],
  );
  const fewerThan = input.settings.suppressFewerThan;
  const notComparedCount = live.length - compared.length;
  const cuts = coverForCuts(live, snapshot, input.settings);
  const base = { quarter, snapshotDate: snapshot, cuts, spend };
  const everyoneMean = compared.length < fewerThan ? 0 : mean(compared.map((c) => c.perPoint));
  const dimensions =
    compared.length < fewerThan ? null : dimensionsOf(compared, snapshot, everyoneMean, input);
  if (dimensions === null) {
    const everyone = { id: "everyone", label: "Everyone", ...HIDDEN_GROUP };
    return { ...base, everyone, notCompared: null, dimensions: [], named: [] };
  }
  const everyone = {
    ...figures({ id: "everyone", label: "Everyone", order: 0 }, compared, everyoneMean, 0),
    named: null,
  };
  const named = dimensions.flatMap((d) =>
    d.groups
      .filter((g) => g.named !== null)
      .map((g) => ({ dimension: d.id, groupId: g.id, statement: statement(d.label, g, everyone) })),
  );
  const notCompared = notComparedCount === 0 || notComparedCount >= fewerThan ? notComparedCount : null;
  return { ...base, everyone, notCompared, dimensions, named };
}

/** The whole dashboard: the quarters given, oldest first. */
export function fairnessDashboard(input: FairnessInput): FairnessDashboard {
  const spend = spendOverTime(
    input.quarters.map((q) => rawSpendIn(q.quarter, input.today, q.budgets)),
    input.quarters[0]?.quarter.start ?? input.today,
    input.settings.suppressFewerThan,
  );
  return {
    today: input.today,
    settings: {
      suppressFewerThan: input.settings.suppressFewerThan,
      marginPercent: input.settings.marginPercent,
    },
    quarters: input.quarters.map((q, i) => quarterFairness(q, spend.quarters[i]!, input)),
    spendOverTime: spend.overTime,
  };
}
