import { readFile } from "node:fs/promises";
import { type Command, InvalidArgumentError } from "commander";
import { loadConfig } from "#/config.ts";
import { everyCouncil, findTenantBySlug } from "#/features/tenants/service.ts";
import {
  type AnchorProblem,
  compareWithAnchors,
  describeAnchorProblem,
  parseAnchors,
} from "#/platform/audit/anchors.calc.ts";
import { anchorSink, sealsOf } from "#/platform/audit/anchors.ts";
import { type ChainReport, type Seal, sealAuditEvents, verifyAuditChain } from "#/platform/audit/seal.ts";
import type { Database } from "#/platform/db/database.ts";
import { countOf } from "#/platform/words.calc.ts";
import { withCliDatabase } from "./database.ts";
import { EXIT, noSuchCouncil } from "./io.ts";

/**
 * `upfront audit seal|verify`: the audit hash chain by hand. The server seals every few minutes on its own;
 * `seal` is for a database with no server running (or to seal right now), `verify` for an inspection.
 * The run… functions take an open database and return what to print, so tests need no environment.
 */

export type AuditIo = {
  out: (line: string) => void;
  err: (line: string) => void;
  readText?: (path: string) => Promise<string>;
};

export async function runAuditSeal(
  database: Database,
  options: { batchSize: number; tenant?: string; anchor?: (seal: Seal) => Promise<void> },
  io: AuditIo,
): Promise<number> {
  let tenantId: string | undefined;
  if (options.tenant) {
    tenantId = await tenantIdOf(database, options.tenant);
    if (!tenantId) {
      io.err(noSuchCouncil(options.tenant));
      return EXIT.usage;
    }
  }
  const seals = await sealAuditEvents(database, {
    batchSize: options.batchSize,
    tenantId,
    ...(options.anchor ? { anchor: options.anchor } : {}),
  });
  if (seals.length === 0) {
    io.out("Nothing to seal: every audit event is already sealed.");
    return 0;
  }
  const slugs = await slugsById(database);
  for (const s of seals) {
    io.out(
      `${slugs.get(s.tenantId) ?? s.tenantId}: seal ${s.sealNo}, ${countOf(s.eventCount, "event")}, ${s.sealHash}`,
    );
  }
  const events = seals.reduce((n, s) => n + s.eventCount, 0);
  io.out(`Sealed ${countOf(events, "event")} in ${countOf(seals.length, "seal")}.`);
  return 0;
}

export async function runAuditVerify(
  database: Database,
  options: { tenant: string; json?: boolean; anchors?: string[] },
  io: AuditIo,
): Promise<number> {
  const tenantId = await tenantIdOf(database, options.tenant);
  if (!tenantId) {
    io.err(noSuchCouncil(options.tenant));
    return EXIT.usage;
  }
  // The anchor files are read first: one that cannot be read is a usage error, before any verdict is printed.
  let anchorText = "";
  for (const file of options.anchors ?? []) {
    try {
      anchorText += `${await (io.readText ?? ((p: string) => readFile(p, "utf8")))(file)}\n`;
    } catch (error) {
      io.err(`--anchors: Cannot read ${file}: ${(error as Error).message}`);
      return EXIT.usage;
    }
  }
  const report = await verifyAuditChain(database, tenantId);
  let anchorProblems: AnchorProblem[] = [];
  let unreadable: number[] = [];
  if (options.anchors?.length) {
    const parsed = parseAnchors(anchorText);
    unreadable = parsed.unreadable;
    anchorProblems = compareWithAnchors(tenantId, await sealsOf(database, tenantId), parsed.anchors);
  }
  if (options.json)
    io.out(JSON.stringify({ ...report, anchorProblems, unreadableAnchorLines: unreadable }, null, 2));
  else {
    for (const line of describeReport(options.tenant, report)) io.out(line);
    if (options.anchors?.length) {
      io.out(
        anchorProblems.length === 0
          ? "  Anchors: every seal is anchored with the same hash."
          : `  Anchors: ${countOf(anchorProblems.length, "problem")}:`,
      );
      for (const p of anchorProblems) io.out(`    ${describeAnchorProblem(p)}`);
      if (unreadable.length) io.out(`  Anchor lines not read (not anchors): ${unreadable.join(", ")}.`);
    }
  }
  return report.ok && anchorProblems.length === 0 ? 0 : 1;
}

export function describeReport(slug: string, report: ChainReport): string[] {
  const counts = `${countOf(report.sealsVerified, "seal")} and ${countOf(report.eventsVerified, "event")} verified; ${countOf(report.unsealedEvents, "event")} not sealed yet.`;
  if (!report.ok && report.broken) {
    return [
      `Audit chain for ${slug}: BROKEN at seal ${report.broken.sealNo}.`,
      `  ${report.broken.detail}`,
      `  ${counts}`,
    ];
  }
  return [
    `Audit chain for ${slug}: intact.`,
    `  ${counts}`,
    report.head
      ? `  Head: seal ${report.head.sealNo}, ${report.head.sealHash} (sealed ${report.head.sealedAt.toISOString()}).`
      : "  No seals yet.",
  ];
}

async function tenantIdOf(database: Database, slug: string): Promise<string | undefined> {
  // Before a tenant is known, so the system connection (as for sign-in).
  return (await findTenantBySlug(database.db, slug))?.tenantId;
}

async function slugsById(database: Database): Promise<Map<string, string>> {
  return new Map((await everyCouncil(database.db)).map((c) => [c.tenantId, c.slug]));
}

const consoleIo: AuditIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    throw new InvalidArgumentError("Give a whole number from 1 to 10000.");
  return n;
}

export function registerAuditCommands(program: Command): Command {
  const auditCmd = program.command("audit").description("The audit trail's hash chain: seal and verify");
  auditCmd
    .command("seal")
    .description("Seal every unsealed audit event now (the server also does this every five minutes)")
    .option("--batch-size <n>", "most events in one seal", positiveInt, 1000)
    .option("--tenant <short-name>", "only this council (its short name)")
    .action(async (opts: { batchSize: number; tenant?: string }) => {
      const file = loadConfig().auditAnchorFile;
      const anchor = anchorSink(file ? { file } : {});
      await withCliDatabase((database) => runAuditSeal(database, { ...opts, anchor }, consoleIo));
    });
  auditCmd
    .command("verify")
    .description("Recompute a tenant's chain and report the first broken seal (exit code 1 if broken)")
    .requiredOption("--tenant <short-name>", "the council's short name")
    .option("--json", "print the report as JSON")
    .option(
      "--anchors <files...>",
      "anchor files (AUDIT_ANCHOR_FILE, copied off the machine): name every seal missing, changed or not anchored",
    )
    .action(async (opts: { tenant: string; json?: boolean; anchors?: string[] }) => {
      await withCliDatabase((database) => runAuditVerify(database, opts, consoleIo));
    });
  return auditCmd;
}
