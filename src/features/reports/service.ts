import { deriveCldEvents } from "#/features/reports/cld-events.calc.ts";
import { CLD_PAGE_SIZE, eachCldFactsPage, type FactsProgress } from "#/features/reports/cld-facts.ts";
import { cldLookupsFrom } from "#/features/reports/cld-lookups.calc.ts";
import { cldPersonKey } from "#/features/reports/cld-person-key.calc.ts";
import { checkCldRow, type QualityCount, summariseQuality } from "#/features/reports/cld-quality.calc.ts";
import type { CldEvent } from "#/features/reports/cld-record.ts";
import {
  type CldFailure,
  cldFailuresOf,
  cldQualityReportCsv,
  cldReturnCsv,
} from "#/features/reports/cld-return.calc.ts";
import { type CldPeriod, cldEventsInPeriod, parseCldPeriod } from "#/features/reports/cld-window.calc.ts";
import { currentTenantIn } from "#/features/tenants/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { cldRulesFrom, rulesFor } from "#/rules/registry.ts";

/**
 * The Client Level Data return for one council and period (issue 15): gathers the facts through their owners,
 * derives the events, keeps those in the period, checks each row's data quality, and writes the return file and
 * the data-quality report. One tenant transaction, so the return is one consistent picture; the same data gives
 * the same bytes (rows are put in a fixed order before they are written).
 */

export type { CldFailure } from "#/features/reports/cld-return.calc.ts";
export type { CldPeriod } from "#/features/reports/cld-window.calc.ts";

export type CldReturn = {
  councilName: string;
  period: CldPeriod;
  /** Rows in the return file. */
  rows: number;
  /** The people the return is about. */
  people: number;
  /** The return file (CSV, the CLD columns in REPORTING.md §1.2 order). */
  csv: string;
  /** The data-quality report (CSV): every failing field by person and event. */
  qualityCsv: string;
  failures: readonly CldFailure[];
  summary: readonly QualityCount[];
};

/** The council has no events in the period: there is nothing to send, and the message says why. */
export class NothingToReportError extends ConflictError {
  override name = "NothingToReportError";
}

export type CldProgress = FactsProgress;

export function cldFileName(slug: string, period: CldPeriod, kind: "return" | "quality"): string {
  const what = kind === "return" ? "cld" : "cld-data-quality";
  return `${slug}-${what}-${period.start}-to-${period.end}.csv`;
}

/** The period as typed, checked; the rules for its end date, or a message saying why there are none. */
function periodAndRules(jurisdiction: string, text: string) {
  const period = parseCldPeriod(text);
  if (!period.ok) throw new ValidationError([{ path: "period", message: period.message }]);
  const rules = rulesFor(jurisdiction, period.period.end).cld.rules;
  if (!rules) {
    const message =
      jurisdiction === "england"
        ? `The Client Level Data rules start on ${cldRulesFrom()}: choose a period ending on or after it`
        : "The Client Level Data return is made to NHS England by councils in England only";
    throw new ValidationError([{ path: "period", message }]);
  }
  return { period: period.period, rules };
}

/** Checks a request for a return before the long part starts (a page shows the problem on its form). */
export async function checkCldRequest(ctx: ServiceContext, input: { period: string }): Promise<CldPeriod> {
  return inTenant(ctx, async ({ tx }) => {
    const council = await currentTenantIn(tx);
    return periodAndRules(council.jurisdiction, input.period).period;
  });
}

export async function buildCldReturn(
  ctx: ServiceContext,
  input: { period: string },
  options: { onProgress?: CldProgress; pageSize?: number } = {},
): Promise<CldReturn> {
  return inTenant(ctx, async ({ tx }) => {
    const council = await currentTenantIn(tx);
    const { period, rules } = periodAndRules(council.jurisdiction, input.period);
    const lookups = cldLookupsFrom(rules);
    const events: CldEvent[] = [];
    const people = new Set<string>();
    await eachCldFactsPage(
      tx,
      (facts) => {
        const derived = deriveCldEvents({ ...facts, laCode: council.onsCode }, lookups, period);
        for (const event of cldEventsInPeriod(derived, period)) {
          events.push(event);
          people.add(event.source.personId);
        }
      },
      {
        pageSize: options.pageSize ?? CLD_PAGE_SIZE,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      },
    );
    if (events.length === 0) {
      throw new NothingToReportError(
        `${council.name} has no requests, assessments, services or reviews in ${period.start} to ${period.end}: there is nothing to report for that period`,
      );
    }
    const checked = events.map((event) => ({
      event,
      quality: checkCldRow(event.row, rules),
      key: cldPersonKey({
        nhsNumber: event.row.nhsNumber,
        laCode: event.row.laCode,
        laPersonId: event.row.laPersonUniqueIdentifier,
      }),
    }));
    // The export is an act on everyone's records: audited, with what was sent and how much, no personal data.
    await audit(tx, {
      action: "export",
      recordType: "cld_return",
      recordId: `${period.start}..${period.end}`,
      changes: { rows: events.length, people: people.size },
    });
    const failures = cldFailuresOf(checked);
    return {
      councilName: council.name,
      period,
      rows: events.length,
      people: people.size,
      csv: cldReturnCsv(checked),
      qualityCsv: cldQualityReportCsv(failures),
      failures,
      summary: summariseQuality(checked.map((c) => c.quality)),
    };
  });
}
