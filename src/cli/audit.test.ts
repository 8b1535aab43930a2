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
