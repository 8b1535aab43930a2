import { type Kysely, sql } from "kysely";
import { type VerifyReport, verifyLedger } from "#/features/ledger/ledger.calc.ts";
import {
  accountSumsForVerify,
  badTransfersForVerify,
  transferCountForVerify,
} from "#/features/ledger/repository.ts";
import type { DB } from "#/platform/db/schema.ts";
import { withSystem } from "#/platform/db/tenant.ts";

/**
 * `upfront ledger verify`: recomputes every account's sums from its transfers and checks the ledger's invariants
 * (see verifyLedger). Runs as the owner in one REPEATABLE READ snapshot, so transfers committing meanwhile cannot
 * make a healthy ledger look broken; for every tenant, or one.
 */
export async function verifyLedgerIn(db: Kysely<DB>, tenantId?: string): Promise<VerifyReport> {
  return withSystem(db, async (trx) => {
    // The first statement fixes the snapshot; it must come before any read.
    await sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY`.execute(trx);
    const accounts = await accountSumsForVerify(trx, tenantId);
    const badTransfers = await badTransfersForVerify(trx, tenantId);
    const transferCount = await transferCountForVerify(trx, tenantId);
    return verifyLedger({ accounts, badTransfers, transferCount });
  });
}
