import { type Kysely, type RawBuilder, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit } from "#/platform/audit/audit.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { DB } from "#/platform/db/schema.ts";
import { withSystem, withTenant } from "#/platform/db/tenant.ts";
import { startJobs } from "#/platform/jobs/jobs.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import {
  AUDIT_SEAL_JOB,
  type CanonicalEvent,
  eventLine,
  eventsHash,
  GENESIS_HASH,
  registerAuditSealJob,
  sealAuditEvents,
  sealHash,
  verifyAuditChain,
} from "./seal.ts";

describe("hashing (version 1)", () => {
  const event: CanonicalEvent = {
    tenant_id: "0193a000-0000-7000-8000-000000000001",
    event_id: "0193a000-0000-7000-8000-000000000002",
    occurred_at: "2026-11-23T17:09:31.123456Z",
    actor_type: "staff",
    actor_id: "u1",
    action: "update",
    record_type: "person",
    record_id: "p1",
    changes: '{"a": 1, "postcode": "N1 1AA"}',
  };

  it("serialises an event as one JSON array line, fields in a fixed order", () => {
    expect(eventLine(event)).toBe(
      '["0193a000-0000-7000-8000-000000000001","0193a000-0000-7000-8000-000000000002",' +
        '"2026-11-23T17:09:31.123456Z","staff","u1","update","person","p1","{\\"a\\": 1, \\"postcode\\": \\"N1 1AA\\"}"]',
    );
  });

  it("hashes lines each ending in a newline, and chains seal hashes over hex text", async () => {
    const { createHash } = await import("node:crypto");
    const sha = (s: string) => createHash("sha256").update(s).digest("hex");
    expect(eventsHash([event, event])).toBe(sha(`${eventLine(event)}\n${eventLine(event)}\n`));
    expect(sealHash(GENESIS_HASH, "ab".repeat(32))).toBe(sha(`${"0".repeat(64)}${"ab".repeat(32)}`));
    // A field moving into its neighbour changes the hash (no ambiguous concatenation).
    expect(eventsHash([{ ...event, action: "up", record_type: "dateperson" }])).not.toBe(eventsHash([event]));
  });
});

describe.each(enginesUnderTest())("audit hash chain on %s", (engine) => {
  let database: TestDatabase;
  let db: Kysely<DB>;
  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    db = database.db;
  });
  afterAll(async () => {
    await database?.drop();
  });

  let slugs = 0;
  async function makeTenant(): Promise<string> {
    const tenantId = uuidv7();
    await withSystem(db, (trx) =>
      trx
        .insertInto("tenants")
        .values({
          tenant_id: tenantId,
          slug: `seal-${engine}-${++slugs}`,
          name: "Council",
          jurisdiction: "england",
        })
        .execute(),
    );
    return tenantId;
  }

  /** Writes audit events the way services do; returns their ids in order. */
  async function writeEvents(tenantId: string, count: number, label = "e"): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      await withTenant(db, { tenantId, actor: { type: "staff", id: "u1" } }, async (tx) => {
        await audit(tx, {
          action: "update",
          recordType: "person",
          recordId: `${label}${i}`,
          changes: { i, label },
        });
        const row = await tx
          .selectFrom("audit_events")
          .select("event_id")
          .where("record_id", "=", `${label}${i}`)
          .executeTakeFirstOrThrow();
        ids.push(row.event_id);
      });
    }
    return ids;
  }

  /** As the owner, with the append-only guard switched off: what someone with the database's keys could do. */
  async function tamper(statement: RawBuilder<unknown>): Promise<void> {
    await withSystem(db, async (trx) => {
      await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`.execute(trx);
      await sql`ALTER TABLE audit_seals DISABLE TRIGGER audit_seals_append_only`.execute(trx);
      await statement.execute(trx);
      await sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`.execute(trx);
      await sql`ALTER TABLE audit_seals ENABLE TRIGGER audit_seals_append_only`.execute(trx);
    });
  }

  const sealsOf = (tenantId: string) =>
    withSystem(db, (trx) =>
      trx
        .selectFrom("audit_seals")
        .select(["seal_no", "event_count", "previous_seal_hash", "seal_hash"])
        .where("tenant_id", "=", tenantId)
        .orderBy("seal_no")
        .execute(),
    );

  const sealOfEvent = async (tenantId: string, eventId: string) =>
    (
      await withSystem(db, (trx) =>
        trx
          .selectFrom("audit_events")
          .select("sealed_in")
          .where("tenant_id", "=", tenantId)
          .where("event_id", "=", eventId)
          .executeTakeFirstOrThrow(),
      )
    ).sealed_in;

  it("seals a tenant's events into one linked seal, and the chain verifies", async () => {
    const tenantId = await makeTenant();
    expect(await verifyAuditChain(database, tenantId)).toMatchObject({
      ok: true,
      sealsVerified: 0,
      head: null,
    });
    await writeEvents(tenantId, 3);

    const sealed = await sealAuditEvents(database, { tenantId });
    expect(sealed).toEqual([
      { tenantId, sealNo: 1, eventCount: 3, sealHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    const seals = await sealsOf(tenantId);
    expect(seals).toEqual([
      { seal_no: 1, event_count: 3, previous_seal_hash: GENESIS_HASH, seal_hash: sealed[0]!.sealHash },
    ]);
    expect(await sealAuditEvents(database, { tenantId })).toEqual([]);

    const report = await verifyAuditChain(database, tenantId);
    expect(report).toMatchObject({
      ok: true,
      sealsVerified: 1,
      eventsVerified: 3,
      unsealedEvents: 0,
      head: { sealNo: 1, sealHash: sealed[0]!.sealHash },
      broken: null,
    });
  });

  it("seals at most batchSize events to a seal, oldest first, until none is left", async () => {
    const tenantId = await makeTenant();
    const ids = await writeEvents(tenantId, 5);
    const sealed = await sealAuditEvents(database, { tenantId, batchSize: 2 });
    expect(sealed.map((s) => [s.sealNo, s.eventCount])).toEqual([
      [1, 2],
      [2, 2],
      [3, 1],
    ]);
    expect(await Promise.all(ids.map((id) => sealOfEvent(tenantId, id)))).toEqual([1, 1, 2, 2, 3]);
    const seals = await sealsOf(tenantId);
    expect(seals[1]!.previous_seal_hash).toBe(seals[0]!.seal_hash);
    expect(seals[2]!.previous_seal_hash).toBe(seals[1]!.seal_hash);
    expect(await verifyAuditChain(database, tenantId)).toMatchObject({
      ok: true,
      sealsVerified: 3,
      eventsVerified: 5,
    });
  });

  it("new events after a seal go into the next seal, even one stamped before events already sealed", async () => {
    const tenantId = await makeTenant();
    await writeEvents(tenantId, 2, "first");
    await sealAuditEvents(database, { tenantId });
    const later = await writeEvents(tenantId, 2, "later");
    // What a transaction that stamped its event early but committed after the seal looks like.
    const lateId = uuidv7(Date.parse("2000-01-01T00:00:00Z"));
    await withTenant(db, { tenantId, actor: { type: "staff", id: "u1" } }, (tx) =>
      tx
        .insertInto("audit_events")
        .values({
          tenant_id: tenantId,
          event_id: lateId,
          occurred_at: new Date("2000-01-01T00:00:00Z"),
          actor_type: "staff",
          actor_id: "u1",
          action: "view",
          record_type: "person",
          record_id: "late",
          changes: null,
        })
        .execute(),
    );
    expect((await verifyAuditChain(database, tenantId)).unsealedEvents).toBe(3);

    expect((await sealAuditEvents(database, { tenantId })).map((s) => [s.sealNo, s.eventCount])).toEqual([
      [2, 3],
    ]);
    for (const id of [...later, lateId]) expect(await sealOfEvent(tenantId, id)).toBe(2);
    expect(await verifyAuditChain(database, tenantId)).toMatchObject({
      ok: true,
      sealsVerified: 2,
      eventsVerified: 5,
      unsealedEvents: 0,
    });
  });

  async function threeSeals(tenantId: string): Promise<string[][]> {
    const batches = [await writeEvents(tenantId, 2, "a")];
    await sealAuditEvents(database, { tenantId });
    batches.push(await writeEvents(tenantId, 2, "b"));
    await sealAuditEvents(database, { tenantId });
    batches.push(await writeEvents(tenantId, 1, "c"));
    await sealAuditEvents(database, { tenantId });
    expect(await verifyAuditChain(database, tenantId)).toMatchObject({ ok: true, sealsVerified: 3 });
    return batches;
  }

  it("an event's changes altered by the owner: verify names the seal that holds it", async () => {
    const tenantId = await makeTenant();
    const [, second] = await threeSeals(tenantId);
    await tamper(sql`UPDATE audit_events SET changes = '{"i": 1, "label": "forged"}'
      WHERE tenant_id = ${tenantId} AND event_id = ${second![1]}`);
    const report = await verifyAuditChain(database, tenantId);
    expect(report).toMatchObject({
      ok: false,
      sealsVerified: 1,
      head: null,
      broken: { sealNo: 2, problem: "events_hash_mismatch" },
    });
    expect(report.broken?.detail).toMatch(/seal 2/);
  });

  it("an event deleted by the owner: verify names its seal", async () => {
    const tenantId = await makeTenant();
    const [first] = await threeSeals(tenantId);
    await tamper(sql`DELETE FROM audit_events WHERE tenant_id = ${tenantId} AND event_id = ${first![0]}`);
    expect(await verifyAuditChain(database, tenantId)).toMatchObject({
      ok: false,
      sealsVerified: 0,
      broken: { sealNo: 1, problem: "event_count_mismatch" },
    });
  });

  it("events reordered (their times swapped) or re-dated: verify names the seal", async () => {
    const tenantId = await makeTenant();
    const [, second] = await threeSeals(tenantId);
    // The later event re-dated to a second before the earlier one, so the two swap places in seal order. (Not a
    // swap of their two times: PGlite's clock can give two quick events the same time, and swapping equal
    // times changes nothing.)
    await tamper(sql`UPDATE audit_events e SET occurred_at = o.occurred_at - interval '1 second'
      FROM audit_events o
      WHERE e.tenant_id = ${tenantId} AND o.tenant_id = ${tenantId}
        AND e.event_id = ${second![1]} AND o.event_id = ${second![0]}`);
    expect(await verifyAuditChain(database, tenantId)).toMatchObject({
      ok: false,
      broken: { sealNo: 2, problem: "events_hash_mismatch" },
    });
  });

  it("an event moved into another seal, or unmarked: verify names the first seal affected", async () => {
    const tenantId = await makeTenant();
    const [, , third] = await threeSeals(tenantId);
    await tamper(
      sql`UPDATE audit_events SET sealed_in = 2 WHERE tenant_id = ${tenantId} AND event_id = ${third![0]}`,
    );
    expect(await verifyAuditChain(database, tenantId)).toMatchObject({
      ok: false,
      broken: { sealNo: 2, problem: "event_count_mismatch" },
    });
  });

  it("a seal rewritten to match a forged event breaks the link to the next seal", async () => {
    const tenantId = await makeTenant();
    const [, second] = await threeSeals(tenantId);
    await tamper(
      sql`UPDATE audit_events SET action = 'forged' WHERE tenant_id = ${tenantId} AND event_id = ${second![0]}`,
    );
    // The forger recomputes seal 2 from the forged events; seal 3 still names the old seal 2.
    const events = (
      await sql<CanonicalEvent>`
        SELECT tenant_id::text AS tenant_id, event_id::text AS event_id,
          to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at,
          actor_type, actor_id, action, record_type, record_id, changes::text AS changes
        FROM audit_events WHERE tenant_id = ${tenantId} AND sealed_in = 2 ORDER BY occurred_at, event_id`.execute(
        db,
      )
    ).rows;
    const [one] = await sealsOf(tenantId);
    const forgedEvents = eventsHash(events);
    await tamper(sql`UPDATE audit_seals SET events_hash = ${forgedEvents},
      seal_hash = ${sealHash(one!.seal_hash, forgedEvents)} WHERE tenant_id = ${tenantId} AND seal_no = 2`);
    expect(await verifyAuditChain(database, tenantId)).toMatchObject({
      ok: false,
      sealsVerified: 2,
      broken: { sealNo: 3, problem: "previous_hash_mismatch" },
    });
  });

  it("the chain's tail cut off (last seal removed) shows as events in a seal that is not there", async () => {
    const tenantId = await makeTenant();
    await threeSeals(tenantId);
    await tamper(sql`ALTER TABLE audit_events DROP CONSTRAINT audit_events_tenant_id_sealed_in_fkey`);
    try {
      await tamper(sql`DELETE FROM audit_seals WHERE tenant_id = ${tenantId} AND seal_no = 3`);
      expect(await verifyAuditChain(database, tenantId)).toMatchObject({
        ok: false,
        sealsVerified: 2,
        broken: { sealNo: 3, problem: "events_in_unknown_seal" },
      });
    } finally {
      await tamper(sql`DELETE FROM audit_events WHERE tenant_id = ${tenantId} AND sealed_in = 3`);
      await sql`ALTER TABLE audit_events ADD CONSTRAINT audit_events_tenant_id_sealed_in_fkey
        FOREIGN KEY (tenant_id, sealed_in) REFERENCES audit_seals (tenant_id, seal_no)`.execute(db);
    }
  });

  it("tenants' chains are independent: each numbered from 1, and tampering one leaves the other intact", async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    const aIds = await writeEvents(a, 2, "a");
    await writeEvents(b, 3, "b");
    // No tenantId: the job's way, every tenant.
    const sealed = await sealAuditEvents(database);
    expect(
      sealed
        .filter((s) => s.tenantId === a || s.tenantId === b)
        .map((s) => [s.tenantId, s.sealNo, s.eventCount]),
    ).toEqual(
      [
        [a, 1, 2],
        [b, 1, 3],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    expect((await sealsOf(a))[0]!.seal_hash).not.toBe((await sealsOf(b))[0]!.seal_hash);

    await tamper(
      sql`UPDATE audit_events SET record_id = 'other' WHERE tenant_id = ${a} AND event_id = ${aIds[0]}`,
    );
    expect(await verifyAuditChain(database, a)).toMatchObject({ ok: false, broken: { sealNo: 1 } });
    expect(await verifyAuditChain(database, b)).toMatchObject({
      ok: true,
      sealsVerified: 1,
      eventsVerified: 3,
    });
    // A tenant's verification sees only its own events (it reads under RLS as that tenant).
    expect(await verifyAuditChain(database, uuidv7())).toMatchObject({
      ok: true,
      sealsVerified: 0,
      unsealedEvents: 0,
    });
  });

  it("the owner cannot change or delete an audit event or a seal by accident; the app role cannot mark one sealed", async () => {
    const tenantId = await makeTenant();
    const [id] = await writeEvents(tenantId, 1);
    await sealAuditEvents(database, { tenantId });
    const refused = async (statement: RawBuilder<unknown>) =>
      withSystem(db, (trx) => statement.execute(trx)).then(
        () => "allowed",
        (e: Error) => e.message,
      );
    expect(await refused(sql`UPDATE audit_events SET action = 'x' WHERE event_id = ${id}`)).toMatch(
      /append-only/,
    );
    expect(await refused(sql`UPDATE audit_events SET sealed_in = NULL WHERE event_id = ${id}`)).toMatch(
      /append-only/,
    );
    expect(await refused(sql`DELETE FROM audit_events WHERE event_id = ${id}`)).toMatch(/append-only/);
    expect(await refused(sql`TRUNCATE audit_events`)).toMatch(/append-only/);
    expect(
      await refused(sql`UPDATE audit_seals SET sealed_at = now() WHERE tenant_id = ${tenantId}`),
    ).toMatch(/append-only/);
    expect(await refused(sql`DELETE FROM audit_seals WHERE tenant_id = ${tenantId}`)).toMatch(/append-only/);

    const asApp = await withTenant(db, { tenantId, actor: { type: "staff", id: "u1" } }, async (tx) => {
      await sql`SAVEPOINT probe`.execute(tx);
      const error =
        await sql`INSERT INTO audit_events (tenant_id, event_id, actor_type, action, record_type, record_id, sealed_in)
          VALUES (${tenantId}, ${uuidv7()}, 'staff', 'x', 'person', 'p', 1)`
          .execute(tx)
          .then(
            () => "allowed",
            (e: Error) => e.message,
          );
      await sql`ROLLBACK TO SAVEPOINT probe`.execute(tx);
      const seals = await tx.selectFrom("audit_seals").select("seal_no").execute();
      return { error, seals };
    });
    expect(asApp.error).toMatch(/permission denied/);
    expect(asApp.seals).toEqual([{ seal_no: 1 }]);
    expect(await verifyAuditChain(database, tenantId)).toMatchObject({ ok: true });
  });

  it.runIf(engine === "postgres")(
    "an event committed after a seal that began later is sealed into the next seal (real concurrency)",
    async () => {
      const tenantId = await makeTenant();
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      let inserted!: () => void;
      const insertedYet = new Promise<void>((r) => {
        inserted = r;
      });
      // Transaction 1 stamps its event first, then stays open.
      const slow = withTenant(db, { tenantId, actor: { type: "staff", id: "u1" } }, async (tx) => {
        await audit(tx, { action: "update", recordType: "person", recordId: "slow" });
        inserted();
        await gate;
      });
      await insertedYet;
      await writeEvents(tenantId, 1, "fast");
      expect((await sealAuditEvents(database, { tenantId })).map((s) => s.eventCount)).toEqual([1]);
      release();
      await slow;
      expect((await sealAuditEvents(database, { tenantId })).map((s) => [s.sealNo, s.eventCount])).toEqual([
        [2, 1],
      ]);
      expect(await verifyAuditChain(database, tenantId)).toMatchObject({
        ok: true,
        sealsVerified: 2,
        eventsVerified: 2,
      });
    },
  );

  it("registerAuditSealJob schedules the job, and a run seals", async () => {
    const tenantId = await makeTenant();
    await writeEvents(tenantId, 2);
    const jobs = await startJobs(database, { schedule: false });
    try {
      await registerAuditSealJob(jobs, { cron: "*/5 * * * *" });
      expect((await jobs.boss.getSchedules(AUDIT_SEAL_JOB)).map((s) => s.cron)).toEqual(["*/5 * * * *"]);
      await jobs.send(AUDIT_SEAL_JOB, {});
      const deadline = Date.now() + 15_000;
      while ((await sealsOf(tenantId)).length === 0) {
        if (Date.now() > deadline) throw new Error("the seal job did not run");
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await verifyAuditChain(database, tenantId)).toMatchObject({ ok: true, eventsVerified: 2 });
    } finally {
      await jobs.stop();
    }
  });
});
