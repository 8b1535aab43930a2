import { buildCldFiles, sortCldEvents } from "#/features/reports/cld-csv.ts";
import type { CldFacts, CldLookups } from "#/features/reports/cld-events.calc.ts";
import { deriveCldEvents } from "#/features/reports/cld-events.calc.ts";
import { CLD_PAGE_SIZE, eachCldFactsPage, type FactsProgress } from "#/features/reports/cld-facts.ts";
import { cldLookupsFrom } from "#/features/reports/cld-lookups.calc.ts";
import { type CldPeriod, eventsInPeriod, parseCldPeriod } from "#/features/reports/cld-period.calc.ts";
import { cldPersonKey } from "#/features/reports/cld-person-key.calc.ts";
import type { QualityCount } from "#/features/reports/cld-quality.calc.ts";
import type { CldEvent, CldRow } from "#/features/reports/cld-record.ts";
import { type CldFailure, cldFailuresOf } from "#/features/reports/cld-return.calc.ts";
import { currentTenantIn } from "#/features/tenants/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { type CldRules, cldRulesFrom, rulesFor } from "#/rules/registry.ts";

/**
 * The Client Level Data return for one council and period (issue 15): gathers the facts through their owners,
 * derives the events, keeps those in the period, checks each row's data quality, and writes the return file and
 * the data-quality report. One tenant transaction, so the return is one consistent picture; the same data gives
 * the same bytes (rows are put in a fixed order before they are written).
 */

export type { CldPeriod } from "#/features/reports/cld-period.calc.ts";
export type { CldFailure } from "#/features/reports/cld-return.calc.ts";

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
  /** Counts per field and data-quality code (CSV). */
  qualitySummaryCsv: string;
  /** The first failing fields, in the report's order (FAILURES_LISTED at most: the report has them all). */
  failures: readonly CldFailure[];
  /** How many fields fail, counting a row that cannot be sent as one. */
  failureCount: number;
  /** Rows with a failing field, and rows that cannot be sent (no person identifier). */
  rowsFailing: number;
  summary: readonly QualityCount[];
};

/** The council has no events in the period: there is nothing to send, and the message says why. */
export class NothingToReportError extends ConflictError {
  override name = "NothingToReportError";
}

export type CldProgress = FactsProgress;

/** The most failing fields a return carries for a page or a terminal to list; the report lists them all. */
export const FAILURES_LISTED = 500;

export function cldFileName(slug: string, period: CldPeriod, kind: "return" | "quality"): string {
  const what = kind === "return" ? "cld" : "cld-data-quality";
  return `${slug}-${what}-${period.start}-to-${period.end}.csv`;
}

/** The period as typed, checked, and the rules for its end date; a field error saying what to fix. */
export function periodAndRules(jurisdiction: string, text: string) {
  const rulesOn = (date: string) => rulesFor(jurisdiction, date).cld.rules;
  const parsed = parseCldPeriod(text, rulesOn, cldRulesFrom());
  if (!parsed.ok) throw new ValidationError([{ path: "period", message: parsed.error }]);
  return { period: parsed.period, rules: rulesOn(parsed.period.end)! };
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
        // LA Code: the council's ONS code. [UNCONFIRMED] REPORTING.md gives no format for it (the older
        // 3-digit CASSR code may be what AGEM expects); blank when the council has none recorded.
        const derived = deriveCldEvents({ ...facts, laCode: council.onsCode }, lookups, period);
        for (const event of eventsInPeriod(derived, period, rules)) {
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
    const files = buildCldFiles(events, rules);
    const failureCount =
      files.rejected.length + files.summary.reduce((n, s) => n + (s.code < 0 ? s.count : 0), 0);
    // The export is an act on everyone's records: audited, with what was sent and how much, no personal data.
    await audit(tx, {
      action: "export",
      recordType: "cld_return",
      recordId: `${period.start}..${period.end}`,
      changes: { rows: files.sent, notSent: files.rejected.length, people: people.size },
    });
    return {
      councilName: council.name,
      period,
      rows: files.sent,
      people: people.size,
      csv: files.returnCsv,
      qualityCsv: files.qualityReportCsv,
      qualitySummaryCsv: files.qualitySummaryCsv,
      // Listing them checks rows again: only when there is something to list.
      failures: failureCount === 0 ? [] : cldFailuresOf(events, rules, FAILURES_LISTED),
      failureCount,
      rowsFailing: files.rowsFailing + files.rejected.length,
      summary: files.summary,
    };
  });
}

/** A council's return for a period, checked: who sends it, the period, and the rules for the period's end. */
export type CldSending = {
  readonly councilName: string;
  readonly laCode: string | null;
  readonly period: CldPeriod;
  readonly rules: CldRules;
  readonly lookups: CldLookups;
};

/** The period as typed, checked against the council's rules (a field error on `period` saying what to fix). */
export async function cldSendingIn(tx: TenantTx, input: { period: string }): Promise<CldSending> {
  const council = await currentTenantIn(tx);
  const { period, rules } = periodAndRules(council.jurisdiction, input.period);
  return {
    councilName: council.name,
    laCode: council.onsCode,
    period,
    rules,
    lookups: cldLookupsFrom(rules),
  };
}

/** One page's events the return sends: derived, in the period, about someone it can identify. */
function sentEventsOf(facts: Omit<CldFacts, "laCode">, sending: CldSending): CldEvent[] {
  const derived = deriveCldEvents({ ...facts, laCode: sending.laCode }, sending.lookups, sending.period);
  return eventsInPeriod(derived, sending.period, sending.rules).filter(
    (event) =>
      cldPersonKey({
        nhsNumber: event.row.nhsNumber,
        laCode: event.row.laCode,
        laPersonId: event.row.laPersonUniqueIdentifier,
      }).ok,
  );
}

/**
 * The rows the return sends for a period, a page of people at a time, never all at once (the measures page at a
 * million people). A facts page holds all of each of its people's events, and a person's CLD id (their NHS
 * number, unique in a council, else the council's code and their unique reference) is theirs alone, so no
 * person's rows are split between pages. The rows within a page are in no particular order. Returns how many
 * rows there were.
 */
export async function eachCldRowsPageIn(
  tx: TenantTx,
  sending: CldSending,
  each: (rows: CldRow[]) => void,
  options: { pageSize?: number } = {},
): Promise<number> {
  let rows = 0;
  await eachCldFactsPage(
    tx,
    (facts) => {
      const page = sentEventsOf(facts, sending).map((event) => event.row);
      rows += page.length;
      if (page.length > 0) each(page);
    },
    { pageSize: options.pageSize ?? CLD_PAGE_SIZE },
  );
  return rows;
}

/**
 * The rows the return sends for a period (the events in it, people identified as the return requires, in the
 * return's order), all at once, for checking a measure against the return's own rows. No files, no export
 * audit: the caller records what it shows. Empty when the council has nothing in the period.
 */
export async function cldRowsFor(
  ctx: ServiceContext,
  input: { period: string },
): Promise<{ councilName: string; period: CldPeriod; rows: CldRow[] }> {
  return inTenant(ctx, async ({ tx }) => {
    const sending = await cldSendingIn(tx, input);
    const events: CldEvent[] = [];
    await eachCldFactsPage(tx, (facts) => events.push(...sentEventsOf(facts, sending)), {
      pageSize: CLD_PAGE_SIZE,
    });
    const rows = sortCldEvents(events).map((event) => event.row);
    return { councilName: sending.councilName, period: sending.period, rows };
  });
}
