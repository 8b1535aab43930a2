import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Command } from "commander";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AuditIo,
  describeReport,
  registerAuditCommands,
  runAuditSeal,
  runAuditVerify,
} from "#/cli/audit.ts";
import { anchorSink } from "#/platform/audit/anchors.ts";
import { audit } from "#/platform/audit/audit.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { withSystem, withTenant } from "#/platform/db/tenant.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../test/databases.ts";

function capture(): AuditIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

describe("audit commands", () => {
  it("rule (issue 12): counts agree with their nouns (1 seal, 1 event)", () => {
    const lines = describeReport("x", {
      tenantId: "t",
      ok: true,
      sealsVerified: 1,
      eventsVerified: 1,
      unsealedEvents: 1,
      head: null,
      broken: null,
    });
    expect(lines[1]).toBe("  1 seal and 1 event verified; 1 event not sealed yet.");
  });

  it("register `audit seal` and `audit verify --tenant <slug>`", async () => {
    const program = new Command().exitOverride();
    const auditCmd = registerAuditCommands(program);
    expect(auditCmd.commands.map((c) => c.name())).toEqual(["seal", "verify"]);
    const verify = auditCmd.commands.find((c) => c.name() === "verify")!;
    verify.exitOverride().configureOutput({ writeErr: () => {} });
    await expect(program.parseAsync(["node", "upfront", "audit", "verify"])).rejects.toThrow(/--tenant/);
  });
});

describe.each(enginesUnderTest())("audit commands on %s", (engine) => {
  let database: TestDatabase;
  const tenantId = uuidv7();
  const slug = `cli-${engine}`;
  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    await withSystem(database.db, (trx) =>
      trx
        .insertInto("tenants")
        .values({ tenant_id: tenantId, slug, name: "CLI", jurisdiction: "england" })
        .execute(),
    );
    for (const id of ["p1", "p2"]) {
      await withTenant(database.db, { tenantId, actor: { type: "system", id: null } }, (tx) =>
        audit(tx, { action: "create", recordType: "person", recordId: id }),
      );
    }
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("seal prints each seal; verify says intact with the head hash; tampering makes verify exit 1", async () => {
    const sealIo = capture();
    expect(await runAuditSeal(database, { batchSize: 1000 }, sealIo)).toBe(0);
    expect(sealIo.lines).toEqual([
      expect.stringMatching(new RegExp(`^${slug}: seal 1, 2 events, [0-9a-f]{64}$`)),
      "Sealed 2 events in 1 seal.",
    ]);
    const again = capture();
    expect(await runAuditSeal(database, { batchSize: 1000, tenant: slug }, again)).toBe(0);
    expect(again.lines).toEqual(["Nothing to seal: every audit event is already sealed."]);

    const ok = capture();
    expect(await runAuditVerify(database, { tenant: slug }, ok)).toBe(0);
    expect(ok.lines[0]).toBe(`Audit chain for ${slug}: intact.`);
    expect(ok.lines[2]).toMatch(/^ {2}Head: seal 1, [0-9a-f]{64} \(sealed /);

    await withSystem(database.db, async (trx) => {
      await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`.execute(trx);
      await sql`UPDATE audit_events SET record_id = 'p3' WHERE tenant_id = ${tenantId} AND record_id = 'p2'`.execute(
        trx,
      );
      await sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`.execute(trx);
    });
    const broken = capture();
    expect(await runAuditVerify(database, { tenant: slug }, broken)).toBe(1);
    expect(broken.lines[0]).toBe(`Audit chain for ${slug}: BROKEN at seal 1.`);

    const json = capture();
    expect(await runAuditVerify(database, { tenant: slug, json: true }, json)).toBe(1);
    expect(JSON.parse(json.lines.join("\n"))).toMatchObject({
      ok: false,
      broken: { sealNo: 1, problem: "events_hash_mismatch" },
    });
  });

  it("rule (issue 12): an unknown short name is an error with exit code 2, in the words every command uses", async () => {
    const io = capture();
    expect(await runAuditVerify(database, { tenant: "no-such-council" }, io)).toBe(2);
    expect(io.errors).toEqual(['There is no council with the short name "no-such-council".']);
  });
});

describe.each(enginesUnderTest())(
  "audit anchors on %s (issue 13 defect 6: the chain can be rewritten)",
  (engine) => {
    let database: TestDatabase;
    const tenantId = uuidv7();
    const slug = `anchors-${engine}`;
    const file = path.join(mkdtempSync(path.join(tmpdir(), "upfront-anchors-")), "anchors.jsonl");
    const system = { tenantId, actor: { type: "system" as const, id: null } };
    beforeAll(async () => {
      database = await databaseFor(engine, "migrated");
      await withSystem(database.db, (trx) =>
        trx
          .insertInto("tenants")
          .values({ tenant_id: tenantId, slug, name: "Anchors", jurisdiction: "england" })
          .execute(),
      );
      for (const id of ["a1", "a2", "a3", "a4"]) {
        await withTenant(database.db, system, (tx) =>
          audit(tx, { action: "create", recordType: "person", recordId: id }),
        );
      }
    });
    afterAll(async () => {
      await database?.drop();
    });

    /** As someone holding the database's credentials: the append-only triggers are no obstacle to them. */
    const asIntruder = (statements: ReturnType<typeof sql>[]) =>
      withSystem(database.db, async (trx) => {
        await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`.execute(trx);
        await sql`ALTER TABLE audit_seals DISABLE TRIGGER audit_seals_append_only`.execute(trx);
        for (const statement of statements) await statement.execute(trx);
        await sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`.execute(trx);
        await sql`ALTER TABLE audit_seals ENABLE TRIGGER audit_seals_append_only`.execute(trx);
      });
    const verify = async (anchors?: string[]) => {
      const io = capture();
      const code = await runAuditVerify(database, { tenant: slug, ...(anchors ? { anchors } : {}) }, io);
      return { code, text: io.lines.join("\n") };
    };

    it("each seal is appended to the anchor file as it is made; verify --anchors agrees with an intact chain", async () => {
      expect(await runAuditSeal(database, { batchSize: 2, anchor: anchorSink({ file }) }, capture())).toBe(0);
      const lines = readFileSync(file, "utf8").trim().split("\n");
      expect(lines).toHaveLength(2);
      expect(JSON.parse(lines[1]!)).toMatchObject({ anchor: 1, tenantId, sealNo: 2, eventCount: 2 });
      expect(await verify([file])).toMatchObject({
        code: 0,
        text: expect.stringContaining("every seal is anchored"),
      });
    });

    it("deleting the newest seal with its events passes the chain alone, but the anchors name it missing", async () => {
      await asIntruder([
        sql`DELETE FROM audit_events WHERE tenant_id = ${tenantId} AND sealed_in = 2`,
        sql`DELETE FROM audit_seals WHERE tenant_id = ${tenantId} AND seal_no = 2`,
      ]);
      expect((await verify()).code).toBe(0); // the defect: the chain alone cannot see it
      const found = await verify([file]);
      expect(found.code).toBe(1);
      expect(found.text).toMatch(/Seal 2 was anchored \([0-9a-f]{64}\) but is not in the chain/);
    });

    it("changing an event and sealing again passes the chain alone, but the anchors name the changed seal", async () => {
      await asIntruder([
        sql`UPDATE audit_events SET record_id = 'forged', sealed_in = NULL WHERE tenant_id = ${tenantId} AND record_id = 'a1'`,
        sql`UPDATE audit_events SET sealed_in = NULL WHERE tenant_id = ${tenantId}`,
        sql`DELETE FROM audit_seals WHERE tenant_id = ${tenantId}`,
      ]);
      expect(await runAuditSeal(database, { batchSize: 2 }, capture())).toBe(0); // re-sealed, not anchored
      expect((await verify()).code).toBe(0);
      const found = await verify([file]);
      expect(found.code).toBe(1);
      expect(found.text).toMatch(/Seal 1 was anchored as [0-9a-f]{64} but the chain has [0-9a-f]{64}/);
    });

    it("an anchor file that cannot be read is a usage error (exit 2), before any verdict", async () => {
      const io = capture();
      expect(
        await runAuditVerify(database, { tenant: slug, anchors: ["/nonexistent/anchors.jsonl"] }, io),
      ).toBe(2);
      expect(io.errors[0]).toMatch(/^--anchors: Cannot read \/nonexistent\/anchors.jsonl/);
      expect(io.lines).toEqual([]);
    });
  },
);
