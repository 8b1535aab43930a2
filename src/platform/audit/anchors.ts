import { appendFile } from "node:fs/promises";
import { type Anchor, anchorLine } from "#/platform/audit/anchors.calc.ts";
import type { Seal } from "#/platform/audit/seal.ts";
import type { Database } from "#/platform/db/database.ts";
import { withTenant } from "#/platform/db/tenant.ts";

/**
 * Writing the audit chain's anchors (anchors.calc.ts says why): each seal, once committed, is appended to the
 * anchor file and written as a log line, for the operator to copy off the machine as they are written. A seal
 * made while no anchor file is set is logged only; `audit verify --anchors` names it as not anchored.
 */

export type AnchorSink = (seal: Seal) => Promise<void>;

type Logger = { info: (details: object, message: string) => void };

export function anchorSink(options: { file?: string; log?: Logger }): AnchorSink {
  return async (seal) => {
    const anchor: Anchor = {
      tenantId: seal.tenantId,
      sealNo: seal.sealNo,
      sealHash: seal.sealHash,
      eventCount: seal.eventCount,
      at: new Date().toISOString(),
    };
    const line = anchorLine(anchor);
    // One write per line with O_APPEND: lines from two processes never interleave within a line.
    if (options.file) await appendFile(options.file, `${line}\n`, { encoding: "utf8", flag: "a" });
    options.log?.info({ auditAnchor: anchor }, "audit seal anchored");
  };
}

/** A tenant's seals as the chain holds them (number and hash), read as the tenant. */
export async function sealsOf(
  database: Database,
  tenantId: string,
): Promise<{ sealNo: number; sealHash: string }[]> {
  const rows = await withTenant(database.db, { tenantId, actor: { type: "system", id: null } }, (tx) =>
    tx
      .selectFrom("audit_seals")
      .select(["seal_no", "seal_hash"])
      .where("tenant_id", "=", tenantId)
      .orderBy("seal_no")
      .execute(),
  );
  return rows.map((r) => ({ sealNo: r.seal_no, sealHash: r.seal_hash }));
}
