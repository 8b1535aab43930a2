import { createHash } from "node:crypto";
import { type Kysely, type Selectable, sql } from "kysely";
import type { Database } from "#/platform/db/database.ts";
import type { DB } from "#/platform/db/schema.ts";
import { type TenantTx, withoutTenant, withTenant } from "#/platform/db/tenant.ts";
import type { Jobs } from "#/platform/jobs/jobs.ts";

/**
 * The audit hash chain (DESIGN.md, Audit event): each tenant's audit events are sealed, in batches, by a
 * background job into that tenant's chain of seals, so tampering shows without making any write wait for
 * another. migrations/0003_audit_seal.sql explains the tables and why membership is marked on each event.
 *
 * Hashing, version 1, reproducible with nothing but SQL and sha256:
 *   - each event is one line: the JSON array
 *       [tenant_id, event_id, occurred_at, actor_type, actor_id, action, record_type, record_id, changes]
 *     of strings or nulls, where occurred_at is UTC to the microsecond ("2026-11-23T17:09:31.123456Z") and
 *     changes is PostgreSQL's own text of the jsonb value (already canonical: keys sorted, spacing fixed);
 *   - a seal's events are taken in (occurred_at, event_id) order;
 *   - events_hash = sha256 hex of the lines, each followed by "\n";
 *   - seal_hash = sha256 hex of (previous_seal_hash + events_hash), both as lower-case hex text, and the first
 *     seal's previous_seal_hash is 64 zeros.
 * The chain's head (latest seal_hash) is what to record somewhere else: the chain proves that nothing before
 * the head changed, but someone who can rewrite the database could rebuild every seal after a change, and
 * only a copy held elsewhere shows that: each seal is anchored outside the database as it is made (anchors.ts).
 */
export const HASH_VERSION = 1;
export const GENESIS_HASH = "0".repeat(64);
export const AUDIT_SEAL_JOB = "audit-seal";
const MAX_BATCH = 10_000;

export type CanonicalEvent = {
  tenant_id: string;
  event_id: string;
  occurred_at: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  record_type: string;
  record_id: string;
  changes: string | null;
};

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

export function eventLine(e: CanonicalEvent): string {
  return JSON.stringify([
    e.tenant_id,
    e.event_id,
    e.occurred_at,
    e.actor_type,
    e.actor_id,
    e.action,
    e.record_type,
    e.record_id,
    e.changes,
  ]);
}

export function eventsHash(events: readonly CanonicalEvent[]): string {
  const hash = createHash("sha256");
  for (const e of events) hash.update(`${eventLine(e)}\n`, "utf8");
  return hash.digest("hex");
}

export function sealHash(previousSealHash: string, eventsHashHex: string): string {
  return sha256(previousSealHash + eventsHashHex);
}

// Text made by the database, so the serialisation does not depend on the driver's date or JSON parsing
// (a JavaScript Date would drop the microseconds; a parsed-and-restringified JSON could lose big numbers).
const CANONICAL = sql`tenant_id::text AS tenant_id, event_id::text AS event_id,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at,
  actor_type, actor_id, action, record_type, record_id, changes::text AS changes`;

export type Seal = { tenantId: string; sealNo: number; eventCount: number; sealHash: string };

/**
 * Seals every tenant's unsealed audit events (or one tenant's), oldest first, at most `batchSize` to a seal,
 * until none is left. Each seal is one transaction in the tenant's scope (the app role; the seal is appended by
 * migrations/0025's audit_seal_append), holding a per-tenant advisory lock so that two runs (two servers, or the
 * job and the CLI) take turns rather than collide.
 */
export async function sealAuditEvents(
  database: Database,
  options: {
    batchSize?: number;
    tenantId?: string;
    /** Called with each seal once it is committed: the anchor outside the database (anchors.ts). */
    anchor?: (seal: Seal) => Promise<void>;
  } = {},
): Promise<Seal[]> {
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) {
    throw new RangeError(`batchSize must be a whole number from 1 to ${MAX_BATCH}`);
  }
  const tenantIds = options.tenantId
    ? [options.tenantId]
    : // Every council, through migrations/0025's list_councils (the app role reads no council's row otherwise).
      (
        await withoutTenant(
          database.db,
          async (trx) =>
            (
              await sql<{
                tenant_id: string;
              }>`SELECT tenant_id FROM list_councils() ORDER BY tenant_id`.execute(trx)
            ).rows,
        )
      ).map((t) => t.tenant_id);
  const sealed: Seal[] = [];
  for (const tenantId of tenantIds) {
    for (;;) {
      const seal = await withTenant(database.db, { tenantId, actor: SEALER }, (tx) =>
        sealNext(tx, batchSize),
      );
      if (!seal) break;
      sealed.push(seal);
      await options.anchor?.(seal);
      if (seal.eventCount < batchSize) break;
    }
  }
  return sealed;
}

const SEALER = { type: "system" as const, id: "job:audit-seal" };

/** The next seal of the transaction's council: its events read under RLS, the seal appended by audit_seal_append. */
async function sealNext(trx: TenantTx, batchSize: number): Promise<Seal | null> {
  const tenantId = trx.scope.tenantId;
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`upfront.audit_seal.${tenantId}`}, 0))`.execute(
    trx,
  );
  // Read committed: each statement below sees every event committed before it, including any committed while
  // this run waited for the lock. An event committed after the SELECT is left for the next seal.
  const events = (
    await sql<CanonicalEvent>`
      SELECT ${CANONICAL} FROM audit_events
      WHERE tenant_id = ${tenantId} AND sealed_in IS NULL
      ORDER BY occurred_at, event_id
      LIMIT ${batchSize}`.execute(trx)
  ).rows;
  if (events.length === 0) return null;
  const last = await trx
    .selectFrom("audit_seals")
    .select(["seal_no", "seal_hash"])
    .where("tenant_id", "=", tenantId)
    .orderBy("seal_no", "desc")
    .limit(1)
    .executeTakeFirst();
  const sealNo = (last?.seal_no ?? 0) + 1;
  const hashOfEvents = eventsHash(events);
  const seal: Seal = {
    tenantId,
    sealNo,
    eventCount: events.length,
    sealHash: sealHash(last?.seal_hash ?? GENESIS_HASH, hashOfEvents),
  };
  // Inserts the seal and marks exactly these events (migrations/0025): the app role writes neither table itself.
  const { rows } = await sql<{ marked: number }>`
    SELECT audit_seal_append(${sealNo}, ${HASH_VERSION}::smallint, ${events.map((e) => e.event_id)}::uuid[],
      ${hashOfEvents}, ${last?.seal_hash ?? GENESIS_HASH}, ${seal.sealHash}) AS marked`.execute(trx);
  const marked = { numUpdatedRows: rows[0]!.marked };
  if (Number(marked.numUpdatedRows) !== events.length) {
    // Cannot happen while every sealer takes the lock; if it does, roll back rather than seal a wrong set.
    throw new Error(
      `Sealing ${tenantId} seal ${sealNo}: marked ${marked.numUpdatedRows} of ${events.length} events`,
    );
  }
  return seal;
}

export type ChainProblem =
  | "seal_missing"
  | "unknown_hash_version"
  | "previous_hash_mismatch"
  | "event_count_mismatch"
  | "events_hash_mismatch"
  | "event_range_mismatch"
  | "seal_hash_mismatch"
  | "events_in_unknown_seal";

export type ChainReport = {
  tenantId: string;
  ok: boolean;
  /** Seals found intact, in order, before the first broken one (all of them when ok). */
  sealsVerified: number;
  eventsVerified: number;
  /** Events not sealed yet: written since the last run of the sealing job. */
  unsealedEvents: number;
  /** The latest seal, when the whole chain is intact: record its hash elsewhere to catch a rebuilt chain. */
  head: { sealNo: number; sealHash: string; sealedAt: Date } | null;
  /** The first seal that does not verify, and what is wrong with it. */
  broken: { sealNo: number; problem: ChainProblem; detail: string } | null;
};

const PAGE = 200;

type SealRow = Selectable<DB["audit_seals"]>;
type Finding = { problem: ChainProblem; detail: string } | null;

/** Seal n out of place: missing (a later one is next), of an unknown hash version, or not after seal n − 1. */
function sealOutOfPlace(seal: SealRow, n: number, previous: string): Finding {
  if (seal.seal_no !== n) {
    return {
      problem: "seal_missing",
      detail: `Seal ${n} is missing: the chain goes from seal ${n - 1} to ${seal.seal_no}.`,
    };
  }
  if (seal.hash_version !== HASH_VERSION) {
    return {
      problem: "unknown_hash_version",
      detail: `Seal ${n} says hash version ${seal.hash_version}, unknown here.`,
    };
  }
  if (seal.previous_seal_hash !== previous) {
    return {
      problem: "previous_hash_mismatch",
      detail: `Seal ${n} does not follow seal ${n - 1}: its previous hash differs.`,
    };
  }
  return null;
}

/** Seal n against the events now marked as in it: their number, their hash, the ids at each end, its own hash. */
function sealContentChanged(
  seal: SealRow,
  n: number,
  previous: string,
  events: readonly CanonicalEvent[],
): Finding {
  if (events.length !== seal.event_count) {
    const what = events.length < seal.event_count ? "deleted (or unmarked)" : "added (or moved in)";
    return {
      problem: "event_count_mismatch",
      detail: `Seal ${n} holds ${seal.event_count} events but ${events.length} are marked as in it: events were ${what} after sealing.`,
    };
  }
  const recomputed = eventsHash(events);
  if (recomputed !== seal.events_hash) {
    return {
      problem: "events_hash_mismatch",
      detail: `The events in seal ${n} are not the ones sealed: at least one was changed, re-dated or swapped after sealing.`,
    };
  }
  if (seal.first_event_id !== events[0]?.event_id || seal.last_event_id !== events.at(-1)?.event_id) {
    return { problem: "event_range_mismatch", detail: `Seal ${n}'s first or last event id was altered.` };
  }
  if (sealHash(previous, recomputed) !== seal.seal_hash) {
    return { problem: "seal_hash_mismatch", detail: `Seal ${n}'s own hash was altered.` };
  }
  return null;
}

/**
 * Recomputes one tenant's chain from its events and reports the first seal that does not hold: an event
 * changed, deleted, re-dated or moved after sealing, or a seal altered, removed or out of order. Reads as the
 * tenant (upfront_app, under RLS), so it needs no more than any staff read of the audit trail.
 */
export async function verifyAuditChain(database: Database, tenantId: string): Promise<ChainReport> {
  const asTenant = <T>(fn: (tx: Kysely<DB>) => Promise<T>) =>
    withTenant(database.db, { tenantId, actor: { type: "system", id: null } }, fn);
  const report: ChainReport = {
    tenantId,
    ok: false,
    sealsVerified: 0,
    eventsVerified: 0,
    unsealedEvents: 0,
    head: null,
    broken: null,
  };
  const fail = (sealNo: number, problem: ChainProblem, detail: string): ChainReport => ({
    ...report,
    head: null,
    broken: { sealNo, problem, detail },
  });

  report.unsealedEvents = Number(
    (
      await asTenant((tx) =>
        tx
          .selectFrom("audit_events")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("tenant_id", "=", tenantId)
          .where("sealed_in", "is", null)
          .executeTakeFirstOrThrow(),
      )
    ).n,
  );

  let expected = 1;
  let previous = GENESIS_HASH;
  for (;;) {
    const seals = await asTenant((tx) =>
      tx
        .selectFrom("audit_seals")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("seal_no", ">=", expected)
        .orderBy("seal_no")
        .limit(PAGE)
        .execute(),
    );
    for (const seal of seals) {
      const n = expected;
      const out = sealOutOfPlace(seal, n, previous);
      if (out) return fail(n, out.problem, out.detail);
      const events = (
        await asTenant((tx) =>
          sql<CanonicalEvent>`
            SELECT ${CANONICAL} FROM audit_events
            WHERE tenant_id = ${tenantId} AND sealed_in = ${n}
            ORDER BY occurred_at, event_id`.execute(tx),
        )
      ).rows;
      const changed = sealContentChanged(seal, n, previous, events);
      if (changed) return fail(n, changed.problem, changed.detail);
      report.sealsVerified = n;
      report.eventsVerified += events.length;
      report.head = { sealNo: n, sealHash: seal.seal_hash, sealedAt: seal.sealed_at };
      previous = seal.seal_hash;
      expected = n + 1;
    }
    if (seals.length < PAGE) break;
  }

  // Events marked with a seal past the end of the chain: the chain's tail (seal rows) was removed.
  const { stray } = await asTenant((tx) =>
    tx
      .selectFrom("audit_events")
      .select((eb) => eb.fn.min("sealed_in").as("stray"))
      .where("tenant_id", "=", tenantId)
      .where("sealed_in", ">=", expected)
      .executeTakeFirstOrThrow(),
  );
  if (stray !== null) {
    return fail(
      stray,
      "events_in_unknown_seal",
      `Events are marked as in seal ${stray}, which is not in the chain: the chain was cut short after seal ${expected - 1}.`,
    );
  }
  return { ...report, ok: true };
}

/**
 * Seals every few minutes while the server runs: one `audit-seal` job per tick across all servers, and at
 * most one queued or running at a time (a slow run is not stacked up behind).
 */
export async function registerAuditSealJob(
  jobs: Jobs,
  options: { cron?: string; batchSize?: number; anchor?: (seal: Seal) => Promise<void> } = {},
): Promise<void> {
  const batchSize = options.batchSize ?? 1000;
  await jobs.register(
    AUDIT_SEAL_JOB,
    async () => {
      await sealAuditEvents(jobs.database, {
        batchSize,
        ...(options.anchor ? { anchor: options.anchor } : {}),
      });
    },
    // No retries: the next tick is the retry, and it starts from whatever is still unsealed.
    { policy: "exclusive", retryLimit: 0, pollingIntervalSeconds: 30 },
  );
  await jobs.schedule(AUDIT_SEAL_JOB, options.cron ?? "*/5 * * * *");
}
