import { basename } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import type { CalibrationReport, GroupResult } from "#/features/calibration/calibration-report.calc.ts";
import {
  adoptCalibration,
  councilOfCalibration,
  proposeCalibration,
  type StoredCalibration,
} from "#/features/calibration/service.ts";
import { everyCouncil, findTenantBySlug } from "#/features/tenants/service.ts";
import { type ServiceContext, todayInLondon } from "#/platform/context.ts";
import type { Database } from "#/platform/db/database.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { formatPounds, pence } from "#/platform/money/pence.ts";
import { withCliDatabase } from "./database.ts";
import { cliActor, EXIT, type FileIo, noSuchCouncil, processIo } from "./io.ts";

/**
 * `upfront ras calibrate|adopt`: fit the tenant's RAS model to a file of current packages and print the report
 * (storing it as a proposed calibration), then adopt a calibration as the next model version, with a reason.
 * The run… functions take an open database and an io, and return the exit code, so tests need no environment.
 */

export type RasIo = FileIo;

async function allTenants(database: Database) {
  return (await everyCouncil(database.db))
    .sort((a, b) => (a.slug < b.slug ? -1 : 1))
    .map((c) => ({ tenant_id: c.tenantId, slug: c.slug }));
}

/** The tenant named by --tenant, or the only tenant there is; otherwise an error naming the choices. */
async function resolveTenant(
  database: Database,
  slug: string | undefined,
  io: RasIo,
): Promise<string | undefined> {
  if (slug) {
    const tenant = await findTenantBySlug(database.db, slug);
    if (!tenant) io.err(noSuchCouncil(slug));
    return tenant?.tenantId;
  }
  const tenants = await allTenants(database);
  if (tenants.length === 1) return tenants[0]!.tenant_id;
  io.err(
    tenants.length === 0
      ? "There are no councils yet."
      : `There are ${tenants.length} councils: say which with --tenant and its short name (${tenants.map((t) => t.slug).join(", ")}).`,
  );
  return undefined;
}

const money = (p: number) => formatPounds(pence(p));
const ratio = (x: number | null) => (x === null ? "not defined" : x.toFixed(3));
const percent = (x: number | null) => (x === null ? "not defined" : `${x.toFixed(1)}%`);

function groupLine(g: GroupResult): string {
  const ci =
    g.ciLowPence === null
      ? "too few people for an interval"
      : `95% CI ${money(g.ciLowPence)} to ${money(g.ciHighPence!)}`;
  const flag =
    g.flag === "under" ? "  << model gives less" : g.flag === "over" ? "  << model gives more" : "";
  return `    ${g.label}: ${g.people} ${g.people === 1 ? "person" : "people"}, mean residual ${money(g.meanResidualPence)} (${percent(g.meanResidualPercent)}), ${ci}${flag}`;
}

/** The report as lines of text for a terminal. */
export function describeCalibration(
  c: Pick<StoredCalibration, "calibrationId" | "status" | "report" | "model">,
): string[] {
  const r: CalibrationReport = c.report;
  const q = r.quality;
  const lines = [
    `Calibration ${c.calibrationId} (${c.status})`,
    `  ${r.input.people} people; fitted ${r.input.domainWeights ? "a price per point and a weight per outcome" : "a price per point"}.`,
    "",
    "Method",
    ...r.method.map((m) => `  - ${m}`),
    ...(r.warnings.length > 0 ? ["", "Warnings", ...r.warnings.map((w) => `  - ${w}`)] : []),
    "",
    "Fit",
    `  Price per point: ${money(r.fit.pricePerPointPence)} (least squares: ${r.fit.parameters.length === 1 ? `${(r.fit.parameters[0]!.estimatePence / 100).toFixed(4)} pounds` : "see the weights"}).`,
    ...(r.fit.domainWeights
      ? Object.entries(r.fit.domainWeights).map(([id, w]) => `    weight for ${id}: ${w}`)
      : []),
    `  R²: ${ratio(q.proposed.r2)} (current model ${ratio(q.current.r2)}); R² of the unrounded line before minimum and cap: ${ratio(r.fit.linearR2)}.`,
    `  Mean absolute percentage error: ${percent(q.proposed.mapePercent)} (current model ${percent(q.current.mapePercent)}), over ${q.proposed.mapePeople} people.`,
    `  Residuals (actual − model): mean ${money(r.residuals.meanPence)}, SD ${r.residuals.sdPence === null ? "n/a" : money(r.residuals.sdPence)}, from ${money(r.residuals.minPence)} to ${money(r.residuals.maxPence)}.`,
    `  Percentiles: ${r.residuals.percentiles.map((p) => `${p.percentile}th ${money(p.pence)}`).join(", ")}.`,
    "",
    `Groups (named when the 95% CI of the mean residual excludes zero and it is beyond ${r.input.marginPercent}% of the group's average package)`,
  ];
  for (const d of r.groups) {
    lines.push(`  ${d.label}`);
    for (const g of d.groups) lines.push(groupLine(g));
  }
  lines.push("", r.named.length > 0 ? "Named groups" : "Named groups: none");
  for (const n of r.named) lines.push(`  - ${n.statement}`);
  const person = (p: CalibrationReport["people"][number]) =>
    `  ${p.reference} (row ${p.row}): package ${money(p.actualPence)}, model ${money(p.proposedPence)}, difference ${money(p.residualPence)}`;
  lines.push("", "Where the model gives most LESS than the current package (a move would cut support)");
  lines.push(...(r.modelBelowPackage.length > 0 ? r.modelBelowPackage.map(person) : ["  nobody"]));
  lines.push("", "Where the model gives most MORE than the current package");
  lines.push(...(r.modelAbovePackage.length > 0 ? r.modelAbovePackage.map(person) : ["  nobody"]));
  lines.push(
    "",
    "If adopted, compared with the current model",
    `  ${r.impact.fall.people} people's indicative budgets would fall, by ${money(r.impact.fall.weeklyPence)} a week in total (${money(r.impact.fall.annualPence)} a year).`,
    `  ${r.impact.rise.people} would rise, by ${money(r.impact.rise.weeklyPence)} a week in total (${money(r.impact.rise.annualPence)} a year); ${r.impact.unchanged} would not change.`,
  );
  return lines;
}

function printErrors(io: RasIo, error: unknown): number {
  if (error instanceof ValidationError) {
    io.err(error.message);
    for (const f of error.fieldErrors) io.err(`  ${f.path}: ${f.message}`);
    return 1;
  }
  if (error instanceof NotFoundError || error instanceof ConflictError) {
    io.err(error.message);
    return 1;
  }
  throw error;
}

export async function runCalibrate(
  database: Database,
  options: {
    input: string;
    tenant?: string;
    domainWeights?: boolean;
    margin?: number;
    json?: boolean;
    today?: string;
  },
  io: RasIo,
): Promise<number> {
  let csv: string;
  try {
    csv = await io.readText(options.input);
  } catch (error) {
    io.err(`--input: Cannot read ${options.input}: ${(error as Error).message}`);
    return EXIT.usage;
  }
  const tenantId = await resolveTenant(database, options.tenant, io);
  if (!tenantId) return EXIT.usage;
  const ctx: ServiceContext = {
    db: database.db,
    scope: { tenantId, actor: cliActor() },
    today: options.today ?? todayInLondon(),
  };
  let calibration: StoredCalibration;
  try {
    calibration = await proposeCalibration(ctx, {
      csv,
      fileName: basename(options.input),
      domainWeights: options.domainWeights ?? false,
      marginPercent: options.margin,
    });
  } catch (error) {
    return printErrors(io, error);
  }
  if (options.json) {
    io.out(
      JSON.stringify(
        { calibrationId: calibration.calibrationId, model: calibration.model, report: calibration.report },
        null,
        2,
      ),
    );
    return 0;
  }
  for (const line of describeCalibration(calibration)) io.out(line);
  io.out("");
  io.out(
    `Stored as a proposal. To adopt it: npm run upfront -- ras adopt --calibration ${calibration.calibrationId} --reason "…"`,
  );
  return 0;
}

export async function runAdopt(
  database: Database,
  options: { calibration: string; reason: string; tenant?: string; today?: string },
  io: RasIo,
): Promise<number> {
  let tenantId: string | undefined;
  if (options.tenant) {
    tenantId = await resolveTenant(database, options.tenant, io);
  } else if (/^[0-9a-f-]{36}$/i.test(options.calibration)) {
    // Before a tenant is known, the calibration's own row says whose it is (the system connection, as sign-in).
    tenantId = await councilOfCalibration(database.db, options.calibration);
  }
  if (!tenantId) {
    if (!options.tenant) io.err(`There is no calibration with the id "${options.calibration}".`);
    return EXIT.usage;
  }
  const ctx: ServiceContext = {
    db: database.db,
    scope: { tenantId, actor: cliActor() },
    today: options.today ?? todayInLondon(),
  };
  try {
    const { rasModel } = await adoptCalibration(ctx, {
      calibrationId: options.calibration,
      reason: options.reason,
    });
    io.out(
      `Adopted as version ${rasModel.version} of the RAS model (price per point ${rasModel.model.pricing.method === "price_per_point" ? money(rasModel.model.pricing.pricePerPointPence) : "bands"}).`,
    );
    io.out("Assessments already allocated keep the version they were made under.");
    return 0;
  } catch (error) {
    return printErrors(io, error);
  }
}

function marginPercent(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100)
    throw new InvalidArgumentError("Give a percentage from 0 to 100.");
  return n;
}

export function registerRasCommands(program: Command, io: RasIo = processIo): Command {
  const ras = program.command("ras").description("The resource allocation system (RAS): calibrate and adopt");
  ras
    .command("calibrate")
    .description(
      "Fit the RAS model to a CSV of current packages, print the fit and equity report, and store it as a proposal",
    )
    .requiredOption("--input <file>", "packages CSV (columns: README, 'Calibrating the RAS')")
    .option("--tenant <short-name>", "the council's short name (needed when there is more than one)")
    .option("--domain-weights", "fit a weight for each outcome as well as the price per point")
    .option(
      "--margin <percent>",
      "name groups whose mean residual is beyond this share of their packages",
      marginPercent,
    )
    .option("--json", "print the model and report as JSON")
    .action(
      async (opts: {
        input: string;
        tenant?: string;
        domainWeights?: boolean;
        margin?: number;
        json?: boolean;
      }) => {
        await withCliDatabase((database) => runCalibrate(database, opts, io));
      },
    );
  ras
    .command("adopt")
    .description("Adopt a proposed calibration as the next version of the RAS model")
    .requiredOption("--calibration <id>", "the calibration's id, as `ras calibrate` printed it")
    .requiredOption("--reason <text>", "why the council is adopting it (recorded and audited)")
    .option("--tenant <short-name>", "the council's short name (found from the calibration if left out)")
    .action(async (opts: { calibration: string; reason: string; tenant?: string }) => {
      await withCliDatabase((database) => runAdopt(database, opts, io));
    });
  return ras;
}
