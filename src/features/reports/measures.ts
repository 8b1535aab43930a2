import { z } from "zod";
import { budgetLinesInPeriodIn } from "#/features/budgets/spend-reads.ts";
import { financialYearOf } from "#/features/funding/settings.calc.ts";
import { contributionInvoicesInPeriodIn, paymentsMadeInPeriodIn } from "#/features/payments/paid-reads.ts";
import { spendBySetting, type YearSpend } from "#/features/reports/asc-fr.calc.ts";
import { type AscofResult, computeAscof } from "#/features/reports/ascof.calc.ts";
import {
  type AscofSummary,
  addAscofCounts,
  ascofCountsOf,
  ascofSummaryOf,
  noAscofCounts,
} from "#/features/reports/ascof-counts.calc.ts";
import type { CldRow } from "#/features/reports/cld-record.ts";
import { cldSendingIn, eachCldRowsPageIn } from "#/features/reports/service.ts";
import { type TopUpsInPeriod, topUpsInPeriodIn } from "#/features/spending/top-up-reads.ts";
import { councilRulesIn } from "#/features/tenants/rules.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { addMonths, dayBefore, isCalendarDate } from "#/platform/dates/calendar.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import type { AscFrRules, AscofRules } from "#/rules/registry.ts";
import { DEPLOYMENTS, type Deployment } from "#/vocabulary/deployments.ts";

/**
 * Spend by ASC-FR setting for a council and financial year (asc-fr.calc.ts), with what sits beside it: the
 * payments made in the year by deployment (cash, net of contributions netted), the contributions collected, and
 * the third-party top-ups left out. Reads through the owners' read functions in one tenant transaction.
 */

/** A financial year by the calendar year it starts in: 2025 is 1 April 2025 to 31 March 2026. */
const FIRST_YEAR = 2014; // ASC-FR began in 2014-15; the rule data says so too
const yearSchema = z
  .int({ error: "Give the year the financial year starts in, for example 2025 for April 2025 to March 2026" })
  .min(FIRST_YEAR, {
    error: `Spend by ASC-FR setting starts with April ${FIRST_YEAR}: give ${FIRST_YEAR} or later`,
  })
  .max(2100, { error: "Give a year before 2100" });

export const spendYearSchema = z.strictObject({ year: yearSchema });
export const spendYearsSchema = z
  .strictObject({ fromYear: yearSchema, toYear: yearSchema })
  .refine((v) => v.fromYear <= v.toYear, {
    error: "The first year must not be after the last",
    path: ["toYear"],
  })
  .refine((v) => v.toYear - v.fromYear < 30, { error: "Ask for 30 years at most", path: ["toYear"] });

export type PaidByDeployment = {
  readonly deployment: Deployment;
  readonly payments: number;
  readonly netPence: number;
  readonly contributionNettedPence: number;
};

export type SpendMeasures = {
  readonly spend: YearSpend;
  readonly paidByDeployment: readonly PaidByDeployment[];
  readonly contributions: {
    /** From the budget lines: the contribution taken off each line for the days it ran (income by setting). */
    readonly assessedPence: number;
    /** Taken off direct payments made in the year. */
    readonly nettedFromPaymentsPence: number;
    readonly invoicedPence: number;
    readonly invoicesPaidPence: number;
  };
  /** Third-party top-ups received in the year: excluded from spend (REPORTING.md §2). */
  readonly topUpsExcluded: TopUpsInPeriod;
  /** True when the council had no budget lines, payments or top-ups in the year. */
  readonly nothingToReport: boolean;
};

function parsed<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (!result.success)
    throw new ValidationError(fieldErrorsFrom(result.error), `${what} could not be worked out`);
  return result.data;
}

async function ascFrRulesIn(tx: TenantTx, yearStart: string): Promise<AscFrRules> {
  const rules = (await councilRulesIn(tx, yearStart)).ascFr.rules;
  if (!rules) {
    throw new ValidationError([
      { path: "year", message: `There are no ASC-FR settings for the year from ${yearStart}` },
    ]);
  }
  return rules;
}

/** Spend by ASC-FR setting for one financial year, with payments, contributions and top-ups beside it. */
export async function spendMeasures(ctx: ServiceContext, input: unknown): Promise<SpendMeasures> {
  const { year } = parsed(spendYearSchema, input, "Spend by setting");
  const fy = financialYearOf(`${year}-04-01`);
  return inTenant(ctx, async ({ tx }) => {
    const rules = await ascFrRulesIn(tx, fy.start);
    const lines = await budgetLinesInPeriodIn(tx, fy.start, fy.end);
    const paid = await paymentsMadeInPeriodIn(tx, fy.start, fy.end);
    const invoices = await contributionInvoicesInPeriodIn(tx, fy.start, fy.end);
    const topUps = await topUpsInPeriodIn(tx, fy.start, fy.end);
    const spend = spendBySetting(lines, fy, rules);
    const paidByDeployment = DEPLOYMENTS.map((deployment) => {
      const mine = paid.filter((p) => p.deployment === deployment);
      return {
        deployment,
        payments: mine.reduce((t, p) => t + p.payments, 0),
        netPence: mine.reduce((t, p) => t + p.netPence, 0),
        contributionNettedPence: mine.reduce((t, p) => t + p.contributionNettedPence, 0),
      };
    });
    return {
      spend,
      paidByDeployment,
      contributions: {
        assessedPence: spend.contributionIncomePence,
        nettedFromPaymentsPence: paidByDeployment.reduce((t, p) => t + p.contributionNettedPence, 0),
        invoicedPence: invoices.invoicedPence,
        invoicesPaidPence: invoices.paidPence,
      },
      topUpsExcluded: topUps,
      nothingToReport: spend.lines.length === 0 && paid.length === 0 && topUps.count === 0,
    };
  });
}

export type PersonalisedYear = Pick<
  YearSpend,
  "year" | "grossPence" | "personalisedPence" | "nonPersonalisedPence" | "personalisedPercent"
>;

/** Personalised vs non-personalised gross spend for each financial year from `fromYear` to `toYear`. */
export async function personalisedSpendByYear(
  ctx: ServiceContext,
  input: unknown,
): Promise<PersonalisedYear[]> {
  const { fromYear, toYear } = parsed(spendYearsSchema, input, "Personalised spend by year");
  const first = financialYearOf(`${fromYear}-04-01`);
  const last = financialYearOf(`${toYear}-04-01`);
  return inTenant(ctx, async ({ tx }) => {
    const lines = await budgetLinesInPeriodIn(tx, first.start, last.end);
    const years: PersonalisedYear[] = [];
    for (let y = fromYear; y <= toYear; y++) {
      const fy = financialYearOf(`${y}-04-01`);
      const { grossPence, personalisedPence, nonPersonalisedPence, personalisedPercent } = spendBySetting(
        lines,
        fy,
        await ascFrRulesIn(tx, fy.start),
      );
      years.push({ year: fy, grossPence, personalisedPence, nonPersonalisedPence, personalisedPercent });
    }
    return years;
  });
}

const periodDate = (what: string) =>
  z.string({ error: `Give ${what} as a date, for example 2025-04-01` }).refine(isCalendarDate, {
    error: `Give ${what} as a real date written YYYY-MM-DD, for example 2025-04-01`,
  });

export const ascofPeriodSchema = z
  .strictObject({
    start: periodDate("the first day of the period"),
    end: periodDate("the last day of the period"),
  })
  .refine((p) => p.start <= p.end, {
    error: "The period must end on or after the day it starts",
    path: ["end"],
  })
  .refine((p) => p.end <= dayBefore(addMonths(p.start, 12)), {
    error: "An ASCOF period is at most 12 months: for a year, give 1 April to 31 March",
    path: ["end"],
  });

/**
 * ASCOF 3D and 2E for a council over a period (normally a financial year; 3D's client snapshot is its last day)
 * from the CLD rows for that period, by the method in force at its end (rulesFor(…).ascof).
 */
function ascofRulesOrRefuse(rules: AscofRules | undefined): AscofRules {
  if (rules) return rules;
  throw new ValidationError(
    [
      {
        path: "end",
        message:
          "ASCOF from Client Level Data starts with 2024 to 2025: give a period ending on or after 1 April 2024",
      },
    ],
    "ASCOF could not be worked out",
  );
}

export async function ascofMeasures(
  ctx: ServiceContext,
  input: unknown,
  rows: readonly CldRow[],
): Promise<AscofResult> {
  const period = parsed(ascofPeriodSchema, input, "ASCOF");
  return inTenant(ctx, async ({ tx }) => {
    const rules = ascofRulesOrRefuse((await councilRulesIn(tx, period.end)).ascof.rules);
    return computeAscof(rows, period, rules);
  });
}

export type AscofOfYear = {
  readonly councilName: string;
  /** The CLD rows the return sends for the period: the rows the figures were counted from. */
  readonly rows: number;
  readonly ascof: AscofSummary;
};

/**
 * ASCOF 3D and 2E for a council over a period from the rows its CLD return sends for that period, counted a page
 * of people at a time (ascof-counts.calc.ts), so memory holds one page, never the year: the same figures as
 * ascofMeasures over all the rows at once. One tenant transaction: the period is checked as the return checks
 * it, then against the ASCOF rules for its end.
 */
export async function ascofMeasuresByPage(
  ctx: ServiceContext,
  input: unknown,
  options: { pageSize?: number } = {},
): Promise<AscofOfYear> {
  const period = parsed(ascofPeriodSchema, input, "ASCOF");
  return inTenant(ctx, async ({ tx }) => {
    const sending = await cldSendingIn(tx, { period: `${period.start}..${period.end}` });
    const rules = ascofRulesOrRefuse((await councilRulesIn(tx, period.end)).ascof.rules);
    let counts = noAscofCounts(period, rules);
    const rows = await eachCldRowsPageIn(
      tx,
      sending,
      (page) => {
        counts = addAscofCounts(counts, ascofCountsOf(page, period, rules));
      },
      options,
    );
    return { councilName: sending.councilName, rows, ascof: ascofSummaryOf(counts, period, rules) };
  });
}
