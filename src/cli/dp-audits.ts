import type { Command } from "commander";
import { FINDING_LABELS } from "#/features/dp-audits/routes.ts";
import { type AuditQueue, auditQueueOn, type QueueEntry } from "#/features/dp-audits/service.ts";
import { findTenantBySlug } from "#/features/tenants/service.ts";
import { todayInLondon } from "#/platform/context.ts";
import { isCalendarDate } from "#/platform/dates/calendar.ts";
import type { Database } from "#/platform/db/database.ts";
import { formatPounds, pence } from "#/platform/money/pence.ts";
import { withCliDatabase } from "./database.ts";
import { cliActor, EXIT, type FileIo, noSuchCouncil, processIo } from "./io.ts";

/**
 * `upfront dp-audits queue --tenant <short-name> [--date YYYY-MM-DD] [--json]`: the finance officer's
 * direct-payment audit queue (issue 15) for a council on a date (today in London by default): the budgets with
 * something flagged, highest risk first, with each finding and the money it is about; then the budgets whose first
 * review or annual audit is due; then repayment requests past their due date. The findings are worked out when
 * asked (there is no stored scan to run first), through the same service as the page and the API, and the
 * reading is audited as the operator. `--json` prints the same as GET /api/v1/dp-audits's lists.
 */

type Options = { tenant: string; date?: string; json?: boolean };

function entryLine(e: QueueEntry): string {
  const flags = e.findings
    .filter((f) => f.severity === "flag")
    .map(
      (f) =>
        `${FINDING_LABELS[f.kind] ?? f.kind}${f.atStakePence > 0 ? ` (${formatPounds(pence(f.atStakePence))})` : ""}`,
    );
  const due =
    e.due && e.due.status !== "not_yet"
      ? `; ${e.due.kind.replace("_", " ")} ${e.due.status} (by ${e.due.by})`
      : "";
  const open = e.openAuditId ? `; audit ${e.openAuditId} open` : "";
  return `  risk ${e.riskScore}  ${e.personName} (${e.reference})  budget ${e.budgetId}: ${flags.join(", ") || "nothing flagged"}${due}${open}`;
}

export function queueLines(slug: string, date: string, queue: AuditQueue): string[] {
  return [
    `${slug}: direct-payment audit queue on ${date}`,
    `Flagged, highest risk first (${queue.flagged.length}):`,
    ...queue.flagged.map(entryLine),
    `First review or annual audit due (${queue.routineDue.length}):`,
    ...queue.routineDue.map(entryLine),
    `Repayment requests past their due date (${queue.repaymentsOverdue.length}):`,
    ...queue.repaymentsOverdue.map(
      (a) =>
        `  ${a.personName} (${a.reference})  audit ${a.auditId}: ${formatPounds(pence(a.repaymentPence ?? 0))} due by ${a.repaymentDueOn}${a.reply ? "; they replied" : ""}`,
    ),
  ];
}

export async function runDpAuditQueue(
  database: Database,
  opts: Options,
  io: Pick<FileIo, "out" | "err"> = processIo,
  today: string = todayInLondon(),
): Promise<number> {
  if (opts.date !== undefined && !isCalendarDate(opts.date)) {
    io.err(`--date: Give a real date as YYYY-MM-DD, for example ${today}`);
    return EXIT.usage;
  }
  const tenant = await findTenantBySlug(database.db, opts.tenant);
  if (!tenant) {
    io.err(`--tenant: ${noSuchCouncil(opts.tenant)}`);
    return EXIT.usage;
  }
  const date = opts.date ?? today;
  const queue = await auditQueueOn(
    { db: database.db, scope: { tenantId: tenant.tenantId, actor: cliActor() }, today },
    date,
  );
  if (opts.json) io.out(JSON.stringify(queue, null, 2));
  else for (const line of queueLines(tenant.slug, date, queue)) io.out(line);
  return EXIT.done;
}

export function registerDpAuditCommands(
  program: Command,
  io: Pick<FileIo, "out" | "err"> = processIo,
): Command {
  const dpAudits = program.command("dp-audits").description("The direct-payment audit (finance)");
  dpAudits
    .command("queue")
    .description("The audit queue by risk, the audits due, and repayments past their due date (audited)")
    .requiredOption("--tenant <short-name>", "the council's short name")
    .option("--date <date>", "the day to work the queue out for, YYYY-MM-DD (today in London by default)")
    .option("--json", "print JSON instead of lines")
    .action(async (opts: Options) => {
      await withCliDatabase((database) => runDpAuditQueue(database, opts, io));
    });
  return dpAudits;
}
