import { type ColumnType, sql } from "kysely";
import type { CldPeriod } from "#/features/reports/cld-period.calc.ts";
import {
  decodePayload,
  encodePayload,
  type ReadCldRow,
  type StoredCldRow,
} from "#/features/reports/cld-store.calc.ts";
import { anyUuid } from "#/platform/db/any-of.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * The CLD events table and its refreshes (migrations/0029_cld_events.sql), declared here rather than in a
 * tables.ts so the reports feature's parts being built side by side do not write the same new file; and their
 * SQL, inside the caller's tenant transaction.
 */

declare module "#/platform/db/schema.ts" {
  interface DB {
    cld_events: {
      tenant_id: string;
      source_kind: string;
      source_id: string;
      part: number;
      person_id: string;
      sort_person: string | null;
      sort_nhs: string | null;
      sort_start: string | null;
      sort_type: string | null;
      sort_reference: string | null;
      sort_end: string | null;
      starts_on: ColumnType<string | null, string | null, string | null>;
      ends_on: ColumnType<string | null, string | null, string | null>;
      placeable: boolean;
      service: boolean;
      sendable: boolean;
      payload: string;
    };
    cld_refreshes: {
      tenant_id: string;
      refresh_id: string;
      kind: "full" | "catch_up";
      started_at: Date;
      finished_at: Date;
      records_read_to: Date;
      people: number;
      rows_written: number;
      milliseconds: number;
      rules_key: string;
      la_code: string | null;
    };
  }
}

/** Rows per INSERT: 17 parameters a row stays well under the protocol's 65,535. */
const INSERT_BATCH = 2_000;

/** Only one refresh of a council's rows at a time (the job, the nightly rebuild, an export's catch-up). */
export async function lockCldEventsIn(tx: TenantTx): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`cld_events:${tx.scope.tenantId}`}))`.execute(tx);
}

/** The database's clock (a refresh's times are the database's, as the audit trail's are). */
export async function databaseNowIn(tx: TenantTx): Promise<Date> {
  const { rows } = await sql<{ now: Date }>`SELECT clock_timestamp() AS now`.execute(tx);
  return new Date(rows[0]!.now);
}

/** Deletes these people's rows. */
export async function deleteCldEventsOfPeopleIn(tx: TenantTx, personIds: readonly string[]): Promise<void> {
  if (personIds.length === 0) return;
  await tx
    .deleteFrom("cld_events")
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("person_id", "=", anyUuid(personIds))
    .execute();
}

/**
 * Deletes the rows of everyone in a range of person ids (after `after`, up to `upTo`; either end open): a full
 * rebuild's page, before it writes the page's people again, so the rows of anyone no longer there go too.
 */
export async function deleteCldEventsInRangeIn(
  tx: TenantTx,
  range: { after: string | null; upTo: string | null },
): Promise<void> {
  let query = tx.deleteFrom("cld_events").where("tenant_id", "=", tx.scope.tenantId);
  if (range.after !== null) query = query.where("person_id", ">", range.after);
  if (range.upTo !== null) query = query.where("person_id", "<=", range.upTo);
  await query.execute();
}

export async function insertCldEventsIn(tx: TenantTx, rows: readonly StoredCldRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    await tx
      .insertInto("cld_events")
      .values(
        rows.slice(i, i + INSERT_BATCH).map((r) => ({
          tenant_id: tx.scope.tenantId,
          source_kind: r.source.kind,
          source_id: r.source.id,
          part: r.part,
          person_id: r.source.personId,
          sort_person: r.sort[0] ?? null,
          sort_nhs: r.sort[1] ?? null,
          sort_start: r.sort[2] ?? null,
          sort_type: r.sort[3] ?? null,
          sort_reference: r.sort[4] ?? null,
          sort_end: r.sort[5] ?? null,
          starts_on: r.startsOn,
          ends_on: r.endsOn,
          placeable: r.placeable,
          service: r.service,
          sendable: r.sendable,
          payload: encodePayload(r.payload),
        })),
      )
      .execute();
  }
}

export type CldRefresh = {
  kind: "full" | "catch_up";
  startedAt: Date;
  finishedAt: Date;
  recordsReadTo: Date;
  people: number;
  rows: number;
  milliseconds: number;
  rulesKey: string;
  laCode: string | null;
};

export async function recordCldRefreshIn(tx: TenantTx, refresh: CldRefresh): Promise<void> {
  await tx
    .insertInto("cld_refreshes")
    .values({
      tenant_id: tx.scope.tenantId,
      refresh_id: uuidv7(),
      kind: refresh.kind,
      started_at: refresh.startedAt,
      finished_at: refresh.finishedAt,
      records_read_to: refresh.recordsReadTo,
      people: refresh.people,
      rows_written: refresh.rows,
      milliseconds: refresh.milliseconds,
      rules_key: refresh.rulesKey,
      la_code: refresh.laCode,
    })
    .execute();
}

/** The latest refresh of a kind (or of either), or undefined when the table was never built. */
export async function latestCldRefreshIn(
  tx: TenantTx,
  kind?: "full" | "catch_up",
): Promise<CldRefresh | undefined> {
  let query = tx.selectFrom("cld_refreshes").selectAll().where("tenant_id", "=", tx.scope.tenantId);
  if (kind) query = query.where("kind", "=", kind);
  const row = await query.orderBy("finished_at", "desc").limit(1).executeTakeFirst();
  return row
    ? {
        kind: row.kind,
        startedAt: new Date(row.started_at),
        finishedAt: new Date(row.finished_at),
        recordsReadTo: new Date(row.records_read_to),
        people: row.people,
        rows: row.rows_written,
        milliseconds: row.milliseconds,
        rulesKey: row.rules_key,
        laCode: row.la_code,
      }
    : undefined;
}

/** The period filter (REPORTING.md §1.12; cld-period.calc.ts eventInPeriod) on the stored dates. */
const inPeriod = (period: CldPeriod) => sql<boolean>`placeable AND starts_on <= ${period.end}::date AND (
  CASE WHEN service THEN ends_on IS NULL OR ends_on >= ${period.start}::date
  ELSE ends_on IS NOT NULL AND ends_on >= ${period.start}::date AND ends_on <= ${period.end}::date END)`;

/** Whether the period has any row (sendable or not). */
export async function cldPeriodHasRowsIn(tx: TenantTx, period: CldPeriod): Promise<boolean> {
  const { rows } = await sql<{ found: number }>`
    SELECT 1 AS found FROM cld_events WHERE tenant_id = ${tx.scope.tenantId} AND ${inPeriod(period)} LIMIT 1`.execute(
    tx,
  );
  return rows.length > 0;
}

type CursorRow = {
  person_id: string;
  source_kind: ReadCldRow["source"]["kind"];
  source_id: string;
  sort_person: string | null;
  sort_nhs: string | null;
  sort_start: string | null;
  sort_type: string | null;
  sort_reference: string | null;
  sort_end: string | null;
  sendable: boolean;
  payload: string;
};

/**
 * The period's rows that can (or cannot, or either when `sendable` is null) be sent, in the file's order by their
 * six sort fields, a batch at a time through a cursor: never the whole council in memory.
 */
export async function eachCldEventBatchIn(
  tx: TenantTx,
  query: { period: CldPeriod; sendable: boolean | null; batchSize: number },
  each: (rows: ReadCldRow[]) => Promise<void>,
): Promise<void> {
  const cursor = sql.raw(
    `cld_export_${query.sendable === null ? "all" : query.sendable ? "sent" : "not_sent"}`,
  );
  const which = query.sendable === null ? sql`TRUE` : sql`sendable = ${query.sendable}`;
  await sql`DECLARE ${cursor} NO SCROLL CURSOR FOR
    SELECT person_id, source_kind, source_id, sort_person, sort_nhs, sort_start, sort_type, sort_reference,
      sort_end, sendable, payload
    FROM cld_events
    WHERE tenant_id = ${tx.scope.tenantId} AND ${which} AND ${inPeriod(query.period)}
    ORDER BY sort_person NULLS FIRST, sort_nhs NULLS FIRST, sort_start NULLS FIRST, sort_type NULLS FIRST,
      sort_reference NULLS FIRST, sort_end NULLS FIRST`.execute(tx);
  const fetch = () => {
    const batch = sql<CursorRow>`FETCH ${sql.raw(String(query.batchSize))} FROM ${cursor}`.execute(tx);
    // Awaited below; if handling a batch fails first, the batch asked for ahead must not fail unheard.
    batch.catch(() => undefined);
    return batch;
  };
  // The next batch is asked for before this one is handled, so the database reads it while this one is written.
  let next = fetch();
  for (;;) {
    const { rows } = await next;
    if (rows.length === 0) break;
    next = fetch();
    await each(
      rows.map((r) => ({
        source: { personId: r.person_id, kind: r.source_kind, id: r.source_id },
        sort: [r.sort_person, r.sort_nhs, r.sort_start, r.sort_type, r.sort_reference, r.sort_end],
        sendable: r.sendable,
        payload: decodePayload(r.payload),
      })),
    );
  }
  // An error above ends the transaction, and the cursor with it.
  await sql`CLOSE ${cursor}`.execute(tx);
}
