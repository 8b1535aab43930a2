import type { Command } from "commander";
import { z } from "zod";
import { addPolicyVersionIn, addSuppliedFiguresIn } from "#/features/charging/settings-service.ts";
import { suppliedFigureLabel } from "#/features/charging/supplied-figures.calc.ts";
import { findTenantBySlug } from "#/features/tenants/service.ts";
import { inTenant, todayInLondon } from "#/platform/context.ts";
import type { Database } from "#/platform/db/database.ts";
import { ValidationError } from "#/platform/errors.ts";
import { formatPounds, pence } from "#/platform/money/pence.ts";
import { withCliDatabase } from "./database.ts";
import { cliActor, EXIT, type FileIo, noSuchCouncil, processIo } from "./io.ts";

/**
 * `upfront charging-settings import --tenant <short-name> --file settings.json`: load a council's charging policy
 * versions and the figures it supplies (for example the year's MIG amounts, once read in the DHSC circular)
 * from a file, all or nothing, through the same service as the settings page: validated, dated, audited.
 *
 * The file: { "policyVersions": [{ "reference": "…", "policy": { "validFrom": "2026-04-01", … } }],
 *             "suppliedFigures": [{ "figure": "mig.single_25_to_pension_credit_age", "validFrom": "2026-04-01",
 *                                   "validTo": "2027-03-31", "pence": 12345, "source": "LAC(DHSC)(2026)1 Annex A" }] }
 */

export type SettingsIo = FileIo;

const fileSchema = z.strictObject({
  policyVersions: z.array(z.unknown()).default([]),
  suppliedFigures: z.array(z.unknown()).default([]),
});

/**
 * Returns the exit code (EXIT): 0 when everything was added; 1 when the file's content is refused (nothing is
 * added); 2 for an unknown council or a file that cannot be read as JSON.
 */
export async function runChargingSettingsImport(
  database: Database,
  opts: { tenant: string; file: string },
  io: SettingsIo = processIo,
  today: string = todayInLondon(),
): Promise<number> {
  const tenant = await findTenantBySlug(database.db, opts.tenant);
  if (!tenant) {
    io.err(`--tenant: ${noSuchCouncil(opts.tenant)}`);
    return EXIT.usage;
  }
  let json: unknown;
  try {
    json = JSON.parse(await io.readText(opts.file));
  } catch (error) {
    io.err(`--file: Cannot read ${opts.file} as JSON: ${(error as Error).message}`);
    return EXIT.usage;
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    io.err(`--file: Give an object with "policyVersions" and/or "suppliedFigures" lists`);
    return EXIT.refused;
  }
  const { policyVersions, suppliedFigures } = parsed.data;
  try {
    await inTenant(
      { db: database.db, scope: { tenantId: tenant.tenantId, actor: cliActor() }, today },
      async (t) => {
        for (const [index, version] of policyVersions.entries()) {
          try {
            const { added, ended } = await addPolicyVersionIn(t, version);
            io.out(`Added the policy version from ${added.validFrom} (${added.reference})`);
            if (ended) io.out(`  and ended the version from ${ended.validFrom} on ${ended.validTo}`);
          } catch (error) {
            if (error instanceof ValidationError) {
              throw new ValidationError(
                error.fieldErrors.map((e) => ({ ...e, path: `policyVersions[${index}].${e.path}` })),
              );
            }
            throw error;
          }
        }
        if (suppliedFigures.length > 0) {
          try {
            const { added } = await addSuppliedFiguresIn(t, suppliedFigures);
            for (const f of added) {
              io.out(
                `Added ${suppliedFigureLabel(f.figure)}: ${formatPounds(pence(f.pence))} from ${f.validFrom}${f.validTo ? ` to ${f.validTo}` : ""} (source: ${f.source})`,
              );
            }
          } catch (error) {
            if (error instanceof ValidationError) {
              throw new ValidationError(
                error.fieldErrors.map((e) => ({ ...e, path: `suppliedFigures${e.path}` })),
              );
            }
            throw error;
          }
        }
      },
    );
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    for (const e of error.fieldErrors) io.err(`${e.path}: ${e.message}`);
    io.err("Nothing was added.");
    return EXIT.refused;
  }
  return EXIT.done;
}

export function registerChargingSettingsCommands(program: Command, io: SettingsIo = processIo): Command {
  const settings = program
    .command("charging-settings")
    .description("A council's charging settings: its charging policy and the figures it supplies");
  settings
    .command("import")
    .description(
      "Add policy versions and supplied figures from a JSON file, all or nothing (validated and audited)",
    )
    .requiredOption("--tenant <short-name>", "the council's short name")
    .requiredOption("--file <file>", "the settings file (see src/cli/charging-settings.ts)")
    .action(async (opts: { tenant: string; file: string }) => {
      await withCliDatabase((database) => runChargingSettingsImport(database, opts, io));
    });
  return settings;
}
