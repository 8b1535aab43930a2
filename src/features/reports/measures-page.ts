import { z } from "zod";
import { financialYearOf } from "#/features/funding/settings.calc.ts";
import { ascofMeasuresByPage, personalisedSpendByYear, spendMeasures } from "#/features/reports/measures.ts";
import { type MeasuresReport, measuresReport } from "#/features/reports/measures-model.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { ValidationError } from "#/platform/errors.ts";

/**
 * The measures page's figures for a financial year: ASCOF from the CLD rows the return sends for that year
 * (the return's own read, counted a page of people at a time: ascofMeasuresByPage), spend by ASC-FR setting and
 * personalised spend for the year and the four before it (measures.ts). Every refusal (a malformed year, a year before the rules apply, a council with
 * nothing to report) is a ValidationError on `year`, so the page shows it in an error summary.
 */

/** Personalised spend is shown for this many years, ending with the year asked for. */
const YEARS_SHOWN = 5;

const yearQuery = z.strictObject({
  year: z
    .string()
    .trim()
    .regex(/^\d{4}$/, {
      error:
        "Give the year the financial year starts in as 4 digits, for example 2026 for April 2026 to March 2027",
    })
    .optional(),
});

/** The financial year asked for (?year=2026 is April 2026 to March 2027); the current one when none is given. */
export function parseMeasuresYear(query: unknown, today: string): number {
  const raw = { ...((query ?? {}) as Record<string, unknown>) };
  if (typeof raw.year === "string" && raw.year.trim() === "") delete raw.year;
  const parsed = yearQuery.safeParse(raw);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? "Give the year as 4 digits";
    throw new ValidationError([{ path: "year", message }], "The year could not be read");
  }
  return parsed.data.year ? Number(parsed.data.year) : Number(financialYearOf(today).start.slice(0, 4));
}

/** Any refusal from the measures' own checks, said against the one field the page has. */
async function onYear<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(
      error.fieldErrors.map((f) => ({ path: "year", message: f.message })),
      error.message,
    );
  }
}

export async function measuresFor(ctx: ServiceContext, query: unknown): Promise<MeasuresReport> {
  const year = parseMeasuresYear(query, ctx.today);
  const fy = financialYearOf(`${year}-04-01`);
  return onYear(async () => {
    // A page of people at a time: the year's rows are never all in memory (a million people).
    const cld = await ascofMeasuresByPage(ctx, { start: fy.start, end: fy.end });
    const ascof = cld.ascof;
    const spend = await spendMeasures(ctx, { year });
    if (cld.rows === 0 && spend.nothingToReport) {
      throw new ValidationError([
        {
          path: "year",
          message: `${cld.councilName} has nothing to report for ${fy.label}: no requests, assessments, services, reviews, budget lines or payments in that year. Choose another year`,
        },
      ]);
    }
    const byYear = await personalisedSpendByYear(ctx, { fromYear: year - YEARS_SHOWN + 1, toYear: year });
    // Aggregates over everyone's records: the view is audited, with the year, no personal data.
    await inTenant(ctx, ({ tx }) =>
      audit(tx, {
        action: "view",
        recordType: "commissioner_report",
        recordId: "measures",
        changes: { year },
      }),
    );
    return measuresReport({ year: fy, ascof, spend, byYear });
  });
}
