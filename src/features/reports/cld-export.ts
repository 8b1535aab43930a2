import {
  CLD_RETURN_HEADER,
  QUALITY_REPORT_HEADER,
  writeCldQualitySummary,
} from "#/features/reports/cld-csv.ts";
import { CLD_FIELDS, type CldRow } from "#/features/reports/cld-record.ts";
import {
  bringCldEventsUpToDate,
  cldDerivationIn,
  type RefreshOutcome,
} from "#/features/reports/cld-refresh.ts";
import type { CldFailure } from "#/features/reports/cld-return.calc.ts";
import {
  type CldPayload,
  exportRow,
  notSentLine,
  type PeriodChecks,
  periodChecks,
  QualityCounter,
  qualityLine,
  type ReadCldRow,
  sortTiedRows,
} from "#/features/reports/cld-store.calc.ts";
import { cldPeriodHasRowsIn, eachCldEventBatchIn, latestCldRefreshIn } from "#/features/reports/cld-store.ts";
import {
  type CldPeriod,
  type CldReturn,
  FAILURES_LISTED,
  NothingToReportError,
  periodAndRules,
} from "#/features/reports/service.ts";
import { currentTenantIn } from "#/features/tenants/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { readCsv } from "#/platform/csv/read.ts";
import { writeCsv } from "#/platform/csv/write.ts";
import type { CldRules } from "#/rules/registry.ts";

/**
 * The Client Level Data return exported from the events table (cld-store.ts): first the table is brought up to
 * date (a catch-up of the people whose records changed, in its own transactions: cld-refresh.ts), then one
 * transaction reads the period's rows in the file's order through a cursor and writes each line as it goes, so
 * neither a million people's rows nor the files are ever held in memory. The same bytes as the return worked out
 * in memory (service.ts buildCldReturn, cld-csv.ts): cld-export.test.ts compares them.
 */

/** Where a file goes, a piece at a time (a write waits while the reader is behind). */
export type CldSink = { write(text: string): Promise<void> | void; end(): Promise<void> | void };

export type CldExportProgress = (done: number, total: number, what: "people" | "rows") => void;

export type CldExportOptions = {
  /** Opens the files to write; called once the return is known to have rows (never when there is nothing). */
  open?: () => Promise<{ returnFile?: CldSink; qualityFile?: CldSink }>;
  onProgress?: CldExportProgress;
  /** Rows per FETCH. */
  batchSize?: number;
};

export type CldExport = Omit<CldReturn, "csv" | "qualityCsv"> & {
  /** Up to when the council's records were read into the table (the last refresh). */
  recordsReadTo: Date;
  refresh: RefreshOutcome;
};

const BATCH = 2_000;

/** The whole return from the table: brings it up to date, then writes the files given (or only counts). */
export async function exportCldReturn(
  ctx: ServiceContext,
  input: { period: string },
  options: CldExportOptions = {},
): Promise<CldExport> {
  const { period, rules, derivation } = await inTenant(ctx, async ({ tx }) => {
    const council = await currentTenantIn(tx);
    const checked = periodAndRules(council.jurisdiction, input.period);
    return { ...checked, derivation: await cldDerivationIn(tx, checked.rules) };
  });
  const progress = options.onProgress;
  const refresh = await bringCldEventsUpToDate(ctx.db, ctx.scope, derivation, {
    ...(progress ? { onProgress: (done: number, total: number) => progress(done, total, "people") } : {}),
  });
  return inTenant(ctx, async ({ tx }) => {
    const council = await currentTenantIn(tx);
    if (!(await cldPeriodHasRowsIn(tx, period))) {
      throw new NothingToReportError(
        `${council.name} has no requests, assessments, services or reviews in ${period.start} to ${period.end}: there is nothing to report for that period`,
      );
    }
    const files = options.open ? await options.open() : {};
    // The rows go through once, counted as they go (no count first: that would read the table once more).
    const writer = new ExportWriter(period, rules, files, (done) => progress?.(done, done, "rows"));
    await files.returnFile?.write(writeCsv(CLD_RETURN_HEADER, []));
    await files.qualityFile?.write(writeCsv(QUALITY_REPORT_HEADER, []));
    // The data-quality report lists the rows that cannot be sent first: read them first, then the rest. Without
    // the report, one pass in the file's order (the page's list keeps each kind apart and puts them together).
    const passes = files.qualityFile ? [false, true] : [null];
    for (const sendable of passes) {
      await eachCldEventBatchIn(tx, { period, sendable, batchSize: options.batchSize ?? BATCH }, (rows) =>
        writer.batch(rows),
      );
    }
    writer.flushTies();
    await writer.drain();
    await files.returnFile?.end();
    await files.qualityFile?.end();
    const summary = writer.counter.summary();
    const { sent, notSent, people } = writer;
    const failureCount = notSent + summary.reduce((n, s) => n + (s.code < 0 ? s.count : 0), 0);
    await audit(tx, {
      action: "export",
      recordType: "cld_return",
      recordId: `${period.start}..${period.end}`,
      changes: { rows: sent, notSent, people },
    });
    const last = await latestCldRefreshIn(tx);
    return {
      councilName: council.name,
      period,
      rows: sent,
      people,
      qualitySummaryCsv: writeCldQualitySummary(summary),
      failures: [...writer.notSentFailures, ...writer.failures].slice(0, FAILURES_LISTED),
      failureCount,
      rowsFailing: writer.rowsFailing + notSent,
      summary,
      recordsReadTo: last!.recordsReadTo,
      refresh,
    };
  });
}

/** A tied row's cells as written (the rest of the full order, for the rare rows whose six sort fields tie). */
function cellsAsWritten(line: string): CldRow {
  const cells = readCsv(line).records[0]?.fields ?? [];
  return Object.fromEntries(CLD_FIELDS.map((f, i) => [f, cells[i] ? cells[i] : null])) as CldRow;
}

const sameSort = (a: ReadCldRow, b: ReadCldRow) => a.sort.every((cell, i) => cell === b.sort[i]);

class ExportWriter {
  readonly counter = new QualityCounter();
  readonly failures: CldFailure[] = [];
  readonly notSentFailures: CldFailure[] = [];
  rowsFailing = 0;
  sent = 0;
  notSent = 0;
  /** People: a person's rows share their reference and NHS number, so they are together in the file's order. */
  people = 0;
  #block: {
    person: string | null | undefined;
    nhs: string | null | undefined;
    sendable: boolean | null;
    people: Set<string>;
  } = { person: undefined, nhs: undefined, sendable: null, people: new Set() };
  #done = 0;
  #tied: ReadCldRow[] = [];
  readonly #checks: PeriodChecks;
  readonly #period: CldPeriod;
  readonly #files: { returnFile?: CldSink; qualityFile?: CldSink };
  readonly #progress: (done: number) => void;

  constructor(
    period: CldPeriod,
    rules: CldRules,
    files: { returnFile?: CldSink; qualityFile?: CldSink },
    progress: (done: number) => void,
  ) {
    this.#period = period;
    this.#files = files;
    this.#progress = progress;
    this.#checks = periodChecks(period, rules);
  }

  async batch(rows: readonly ReadCldRow[]): Promise<void> {
    for (const row of rows) {
      const first = this.#tied[0];
      if (first && !sameSort(first, row)) this.flushTies();
      this.#tied.push(row);
    }
    await this.drain();
    this.#progress(this.#done);
  }

  /** Writes what the rows so far gave (a batch at a time, not a line at a time). */
  async drain(): Promise<void> {
    const { returnText, qualityText } = this;
    this.returnText = "";
    this.qualityText = "";
    if (returnText) await this.#files.returnFile?.write(returnText);
    if (qualityText) await this.#files.qualityFile?.write(qualityText);
  }

  returnText = "";
  qualityText = "";

  /** Puts the rows whose six sort fields tie in the full order and writes them. */
  flushTies(): void {
    const tied = this.#tied;
    if (tied.length === 0) return;
    this.#tied = [];
    const ordered = tied.length === 1 ? tied : this.#fullOrder(tied);
    for (const row of ordered) {
      this.#done += 1;
      this.#countPerson(row);
      if (!row.sendable) {
        this.notSent += 1;
        if (this.#files.qualityFile) this.qualityText += notSentLine(row);
        this.#list(this.notSentFailures, row, row.payload, [
          "Person identifier",
          null,
          null,
          row.payload.x ?? "",
        ]);
        continue;
      }
      this.sent += 1;
      const exported = exportRow(row.payload, this.#period, this.#checks);
      if (this.#files.returnFile) this.returnText += exported.line;
      this.counter.add(row.payload, exported.periodCodes);
      if (exported.failures.length > 0) this.rowsFailing += 1;
      for (const failure of exported.failures) {
        if (this.#files.qualityFile) this.qualityText += qualityLine(row, failure);
        const [field, code, value, message] = failure;
        this.#list(this.failures, row, row.payload, [fieldName(field), code, value, message]);
      }
    }
  }

  #countPerson(row: ReadCldRow) {
    const block = this.#block;
    if (block.person !== row.sort[0] || block.nhs !== row.sort[1] || block.sendable !== row.sendable) {
      this.#block = { person: row.sort[0], nhs: row.sort[1], sendable: row.sendable, people: new Set() };
    }
    if (this.#block.people.has(row.source.personId)) return;
    this.#block.people.add(row.source.personId);
    this.people += 1;
  }

  #fullOrder(tied: readonly ReadCldRow[]): ReadCldRow[] {
    const cells = new Map(
      tied.map((r) => [r, cellsAsWritten(exportRow(r.payload, this.#period, this.#checks).line)] as const),
    );
    return sortTiedRows(tied, (r) => cells.get(r)!);
  }

  #list(
    into: CldFailure[],
    row: ReadCldRow,
    payload: CldPayload,
    [field, code, value, message]: [string, number | null, string | null, string],
  ) {
    if (this.failures.length + this.notSentFailures.length >= FAILURES_LISTED) return;
    into.push({
      personId: row.source.personId,
      personReference: row.sort[0] ?? null,
      personName: payload.n,
      eventType: row.sort[3] ?? null,
      eventReference: row.sort[4] ?? null,
      sourceKind: row.source.kind,
      sourceId: row.source.id,
      field,
      code,
      value,
      message,
    });
  }
}

const fieldName = (index: number) => CLD_RETURN_HEADER[index]!;

/** A sink over a Node stream (a file, an HTTP response): a write waits for the stream to drain when it is full. */
export function streamSink(stream: NodeJS.WritableStream): CldSink {
  return {
    write: (text) =>
      stream.write(text) ? undefined : new Promise<void>((resolve) => stream.once("drain", () => resolve())),
    end: () => new Promise<void>((resolve) => stream.end(() => resolve())),
  };
}
