import type { Command } from "commander";
import { verifyLedgerIn } from "#/features/ledger/verify.ts";
import { findTenantBySlug } from "#/features/tenants/service.ts";
import type { Database } from "#/platform/db/database.ts";
import { countOf } from "#/platform/words.calc.ts";
import { withCliDatabase } from "./database.ts";
import { EXIT, noSuchCouncil } from "./io.ts";

/**
 * `upfront ledger verify [--tenant short-name]`: checks the ledger's invariants (every transfer balances, balances sum
 * to zero per tenant and currency, stored balances equal their transfers) and prints what is wrong, exit code 1;
 * or "ledger verified: N accounts, M transfers", exit code 0. runLedgerVerify takes an open database so tests
 * need no environment.
 */

export type LedgerIo = { out: (line: string) => void; err: (line: string) => void };

export async function runLedgerVerify(
  database: Database,
  options: { tenant?: string },
  io: LedgerIo,
): Promise<number> {
  let tenantId: string | undefined;
  if (options.tenant) {
    const slug = options.tenant;
    // Before a tenant is known, so the owner connection (as the audit commands do).
    const council = await findTenantBySlug(database.db, slug);
    if (!council) {
      io.err(noSuchCouncil(slug));
      return EXIT.usage;
    }
    tenantId = council.tenantId;
  }
  const report = await verifyLedgerIn(database.db, tenantId);
  if (!report.ok) {
    io.err(`ledger NOT verified: ${countOf(report.problems.length, "problem")}`);
    for (const p of report.problems) io.err(`  ${p}`);
    io.err(`(checked ${countOf(report.accounts, "account")}, ${countOf(report.transfers, "transfer")})`);
    return EXIT.refused;
  }
  io.out(`ledger verified: ${countOf(report.accounts, "account")}, ${countOf(report.transfers, "transfer")}`);
  return 0;
}

export function registerLedgerCommands(program: Command): Command {
  const ledger = program.command("ledger").description("The double-entry budget ledger");
  ledger
    .command("verify")
    .description("Check every transfer balances and every balance equals its transfers (exit code 1 if not)")
    .option("--tenant <short-name>", "only this council (its short name)")
    .action(async (opts: { tenant?: string }) => {
      await withCliDatabase((database) =>
        runLedgerVerify(database, opts, { out: (l) => console.log(l), err: (l) => console.error(l) }),
      );
    });
  return ledger;
}
