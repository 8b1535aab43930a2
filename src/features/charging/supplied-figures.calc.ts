import { z } from "zod";
import { MAX_CAPITAL_PENCE, MAX_WEEKLY_PENCE } from "#/features/charging/charging-input.calc.ts";
import { addDays } from "#/platform/dates/calendar.ts";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";
import {
  type ChargingFigure,
  type ChargingRules,
  MIG_COMPONENT_LABELS,
  MIG_COMPONENT_PROVISIONS,
  MIG_COMPONENTS,
  type MigComponent,
} from "#/rules/charging.ts";
import { isCalendarDate } from "#/rules/index.ts";

/**
 * Figures the council supplies. A rule pack relies only on figures read in the official text; where it could
 * not read one it marks the figure `unsupported` (the calculator refuses the cases that need it) or, where
 * published secondary sources agree, `secondary` (used, saying so). A council that has read the circular itself
 * can supply the figure it uses, dated, with the source it cites ("LAC(DHSC)(2025)1 Annex A table 1"), and does
 * so each year on the uprating page. The calculator uses a supplied figure ONLY where the pack has no confirmed
 * one, and every step that uses it says "supplied by the council, source: …". Pure: no I/O.
 */

export type SuppliedFigureKey =
  | "capital.lower_limit"
  | "capital.upper_limit"
  | `mig.${MigComponent}`
  | "savings_credit_disregard.single"
  | "savings_credit_disregard.couple"
  | "weekly_maximum_charge";

/** Every figure a council may supply, in the order the settings page lists them. */
export const SUPPLIABLE_FIGURES: readonly SuppliedFigureKey[] = [
  "capital.lower_limit",
  "capital.upper_limit",
  ...MIG_COMPONENTS.map((c) => `mig.${c}` as const),
  "savings_credit_disregard.single",
  "savings_credit_disregard.couple",
  "weekly_maximum_charge",
];

export function isSuppliedFigureKey(value: string): value is SuppliedFigureKey {
  return (SUPPLIABLE_FIGURES as readonly string[]).includes(value);
}

/** Capital limits are amounts of capital; everything else is a weekly amount. */
export const isCapitalFigure = (key: SuppliedFigureKey) => key.startsWith("capital.");

export function suppliedFigureLabel(key: SuppliedFigureKey): string {
  if (key.startsWith("mig.")) {
    const component = key.slice(4) as MigComponent;
    return `Minimum Income Guarantee: ${MIG_COMPONENT_LABELS[component].charAt(0).toLowerCase()}${MIG_COMPONENT_LABELS[component].slice(1)} (${MIG_COMPONENT_PROVISIONS[component]})`;
  }
  const labels: Record<string, string> = {
    "capital.lower_limit": "Lower capital limit",
    "capital.upper_limit": "Upper capital limit",
    "savings_credit_disregard.single": "Savings credit disregard (single person)",
    "savings_credit_disregard.couple": "Savings credit disregard (couple)",
    weekly_maximum_charge: "Maximum weekly charge",
  };
  return labels[key]!;
}

/** The pack's own figure for a key, or null where the pack has no such figure (Wales has no lower limit). */
export function packFigure(pack: ChargingRules, key: SuppliedFigureKey): ChargingFigure | null {
  if (key === "capital.lower_limit") return pack.capital.lowerLimit;
  if (key === "capital.upper_limit") return pack.capital.upperLimit;
  if (key === "savings_credit_disregard.single") return pack.savingsCreditDisregard.single;
  if (key === "savings_credit_disregard.couple") return pack.savingsCreditDisregard.couple;
  if (key === "weekly_maximum_charge") return pack.weeklyMaximumCharge;
  const mi = pack.minimumIncome;
  return mi.kind === "mig" ? mi.amounts[key.slice(4) as MigComponent] : null;
}

/** The figures this pack has no value for: the calculator refuses what needs them unless the council supplies them. */
export function unsupportedFigureKeys(pack: ChargingRules): SuppliedFigureKey[] {
  return SUPPLIABLE_FIGURES.filter((key) => packFigure(pack, key)?.status === "unsupported");
}

/**
 * The figures this pack could not confirm in the official text (unsupported, or agreed only by secondary
 * sources): the only ones a supplied figure can stand in for.
 */
export function unconfirmedFigureKeys(pack: ChargingRules): SuppliedFigureKey[] {
  return SUPPLIABLE_FIGURES.filter((key) => {
    const status = packFigure(pack, key)?.status;
    return status === "unsupported" || status === "secondary";
  });
}

/** One dated figure, as the council supplies it. */
export type SuppliedFigure = {
  readonly figure: SuppliedFigureKey;
  /** First day it applies (YYYY-MM-DD, inclusive). */
  readonly validFrom: string;
  /** Last day it applies (inclusive); absent while current. */
  readonly validTo?: string;
  /** Whole pence: a weekly amount, or for capital limits an amount of capital. */
  readonly pence: number;
  /** What the council cites for the figure, e.g. "LAC(DHSC)(2025)1 Annex A table 1". */
  readonly source: string;
};

/** The supplied figure for a key in force on a date, if any. */
export function suppliedFigureOn(
  figures: readonly SuppliedFigure[],
  key: SuppliedFigureKey,
  date: string,
): SuppliedFigure | undefined {
  return figures.find(
    (f) => f.figure === key && f.validFrom <= date && (f.validTo === undefined || date <= f.validTo),
  );
}

/**
 * The days (after `from`, up to `to`) on which a supplied figure that this pack needs starts or stops: the
 * calculator starts a new period there, so each period uses one value of each figure.
 */
export function suppliedFigureCuts(
  figures: readonly SuppliedFigure[],
  pack: ChargingRules,
  from: string,
  to: string | null,
): string[] {
  const needed = new Set(unconfirmedFigureKeys(pack));
  const cuts: string[] = [];
  for (const f of figures) {
    if (!needed.has(f.figure)) continue;
    for (const cut of [f.validFrom, f.validTo === undefined ? undefined : addDays(f.validTo, 1)]) {
      if (cut !== undefined && cut > from && (to === null || cut <= to)) cuts.push(cut);
    }
  }
  return cuts;
}

// ---- the settings' schema ------------------------------------------------------------------------------------

const whenMissing = (message: string) => ({
  error: (issue: { code?: string }) => (issue.code === "invalid_type" ? message : undefined),
});

const date = (what: string) =>
  z
    .string(whenMissing(`Give ${what} as a date written YYYY-MM-DD`))
    .refine(isCalendarDate, { error: `${what.charAt(0).toUpperCase()}${what.slice(1)} must be a real date` });

/** One supplied figure, checked for sense: a known figure, dates in order, a plausible amount, a source. */
export const suppliedFigureSchema = z
  .strictObject({
    figure: z.string(whenMissing("Choose the figure")).refine(isSuppliedFigureKey, {
      error: (issue) =>
        `Unknown figure ${JSON.stringify(issue.input)}. Use one of: ${SUPPLIABLE_FIGURES.join(", ")}`,
    }),
    validFrom: date("the date the figure applies from"),
    validTo: date("the last day the figure applies").optional(),
    pence: z
      .int(whenMissing("Give the amount as a whole number of pence"))
      .min(0, { error: "The amount cannot be negative" }),
    source: z
      .string(whenMissing("Say where the figure comes from"))
      .trim()
      .min(3, { error: "Say where the figure comes from, for example the circular and its table" })
      .max(500, { error: "Keep the source to 500 characters" }),
  })
  .superRefine((f, ctx) => {
    if (f.validTo !== undefined && f.validTo < f.validFrom) {
      ctx.addIssue({
        code: "custom",
        path: ["validTo"],
        message: "The end date must not be before the start date",
      });
    }
    if (!isSuppliedFigureKey(f.figure)) return;
    const max = isCapitalFigure(f.figure) ? MAX_CAPITAL_PENCE : MAX_WEEKLY_PENCE;
    if (f.pence > max) {
      ctx.addIssue({
        code: "custom",
        path: ["pence"],
        message: `The amount is more than ${formatPounds(max as Pence)}${isCapitalFigure(f.figure) ? "" : " a week"}: check it`,
      });
    }
  })
  .transform((f) => f as SuppliedFigure);

/** Two versions of the same figure must not overlap. Returns the index of each one that does, with why. */
export function overlappingFigures(figures: readonly SuppliedFigure[]): { index: number; message: string }[] {
  const problems: { index: number; message: string }[] = [];
  figures.forEach((f, i) => {
    const clash = figures.findIndex(
      (g, j) =>
        j !== i &&
        g.figure === f.figure &&
        g.validFrom <= (f.validTo ?? "9999-12-31") &&
        f.validFrom <= (g.validTo ?? "9999-12-31"),
    );
    if (clash !== -1 && clash < i) {
      problems.push({
        index: i,
        message: `This overlaps the ${suppliedFigureLabel(f.figure).toLowerCase()} from ${figures[clash]!.validFrom}: end that one first`,
      });
    }
  });
  return problems;
}
