import type { Command } from "commander";
import { z } from "zod";
import { addStaffIn, newStaffSchema, SET_PASSWORD_LINK_DAYS } from "#/features/staff/service.ts";
import {
  councilsClashingWith,
  createTenantIn,
  newTenantSchema,
  onsCodeMessage,
} from "#/features/tenants/service.ts";
import { isUniqueViolation, todayInLondon } from "#/platform/context.ts";
import type { Database } from "#/platform/db/database.ts";
import { migrate } from "#/platform/db/migrator.ts";
import { type Actor, withSystem } from "#/platform/db/tenant.ts";
import { COUNCIL_NATIONS, isOnsCouncilCode, missingRulesMessage } from "#/rules/registry.ts";
import { withCliDatabase } from "./database.ts";
import { cliActor, EXIT } from "./io.ts";

/**
 * `upfront tenant create`: a new council with England's rules (its rule pack's example RAS model as version 1)
 * and its first administrator, whose one-time set-password link is printed once. Wales and Scotland are refused
 * for now, naming the rules that are missing. Everything is checked before anything is written, and written in
 * one transaction. runTenantCreate takes an open database and an io and returns the exit code, so tests need no
 * environment.
 */

export type TenantIo = { out(line: string): void; err(line: string): void };

const processIo: TenantIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

const OPTION_NAMES: Record<string, string> = {
  slug: "--slug",
  name: "--name",
  onsCode: "--ons-code",
  jurisdiction: "--jurisdiction",
  adminEmail: "--admin-email",
  adminName: "--admin-name",
  baseUrl: "--base-url",
};

const tenantBase = newTenantSchema.shape;

export const tenantCreateSchema = z
  .object({
    slug: tenantBase.slug,
    name: tenantBase.name,
    onsCode: z
      .string({ error: "Give the council's ONS code" })
      .trim()
      .toUpperCase()
      .min(1, { error: "Give the council's ONS code" }),
    jurisdiction: z.enum(COUNCIL_NATIONS, {
      error: `Give the nation whose rules apply: ${COUNCIL_NATIONS.join(", ")}`,
    }),
    adminEmail: newStaffSchema.shape.email,
    adminName: newStaffSchema.shape.name.default("Administrator"),
    baseUrl: z
      .url({ protocol: /^https?$/, error: "Give the service's address, like https://upfront.example.gov.uk" })
      .transform((url) => url.replace(/\/+$/, ""))
      .optional(),
  })
  .superRefine((input, ctx) => {
    if (!isOnsCouncilCode(input.jurisdiction, input.onsCode)) {
      ctx.addIssue({ code: "custom", path: ["onsCode"], message: onsCodeMessage(input.jurisdiction) });
    }
  });

/** The options as commander gives them: strings, any of which may be missing or wrong until parsed. */
export type TenantCreateOptions = Partial<Record<keyof z.input<typeof tenantCreateSchema>, string>>;

/** Creates the council and its first administrator; prints the link once. Returns the exit code. */
export async function runTenantCreate(
  database: Database,
  options: TenantCreateOptions,
  io: TenantIo,
  opts: { today: string; actor?: Actor },
): Promise<number> {
  const parsed = tenantCreateSchema.safeParse(options);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const option = OPTION_NAMES[String(issue.path[0])] ?? String(issue.path[0]);
      io.err(`${option}: ${issue.message}`);
    }
    io.err("Nothing was created.");
    return EXIT.usage;
  }
  const input = parsed.data;
  const missing = missingRulesMessage(input.jurisdiction);
  if (missing || input.jurisdiction !== "england") {
    io.err(`--jurisdiction: ${missing ?? "There are no rules for that nation yet."}`);
    io.err("Nothing was created.");
    return EXIT.usage;
  }

  const clash = await councilsClashingWith(database.db, input);
  const problems = [
    ...(clash.some((t) => t.slug === input.slug)
      ? [`--slug: There is already a council with the short name "${input.slug}"`]
      : []),
    ...(clash.some((t) => t.onsCode === input.onsCode)
      ? [`--ons-code: There is already a council with the ONS code ${input.onsCode}`]
      : []),
  ];
  if (problems.length > 0) {
    for (const p of problems) io.err(p);
    io.err("Nothing was created.");
    return EXIT.usage;
  }

  let created: Awaited<ReturnType<typeof createInOneTransaction>>;
  try {
    created = await createInOneTransaction(database, input, opts);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    io.err(
      "Another council with that short name or ONS code was created at the same moment. Nothing was created.",
    );
    return EXIT.usage;
  }
  const { tenant, admin, link } = created;
  const url = input.baseUrl ? `${input.baseUrl}${link.path}` : link.path;
  io.out(
    `Created ${tenant.name} (short name ${tenant.slug}, ONS code ${tenant.onsCode}) with England's rules.`,
  );
  io.out(`First administrator: ${admin.name} <${admin.email}>.`);
  io.out("");
  io.out(`Give them this link to set their password. It works once, for ${SET_PASSWORD_LINK_DAYS} days,`);
  io.out("and will not be shown again (a new one can be made on the Staff page):");
  io.out("");
  io.out(`  ${url}`);
  if (!input.baseUrl) {
    io.out("");
    io.out("Put the service's address in front of it (or pass --base-url to print it whole).");
  }
  return EXIT.done;
}

async function createInOneTransaction(
  database: Database,
  input: z.output<typeof tenantCreateSchema>,
  opts: { today: string; actor?: Actor },
) {
  return withSystem(database.db, async (trx) => {
    const { tenant, tx } = await createTenantIn(
      trx,
      { slug: input.slug, name: input.name, jurisdiction: "england", onsCode: input.onsCode },
      { today: opts.today, actor: opts.actor ?? cliActor() },
    );
    const { member, link } = await addStaffIn(
      { tx, today: opts.today },
      { name: input.adminName, email: input.adminEmail, roles: ["administrator"] },
    );
    return { tenant, admin: member, link };
  });
}

export function registerTenantCommands(program: Command, io: TenantIo = processIo): Command {
  const tenant = program.command("tenant").description("Councils (tenants)");
  tenant
    .command("create")
    .description(
      "Create a council with England's rules and its first administrator (prints a set-password link once)",
    )
    .requiredOption(
      "--slug <short-name>",
      "the council's short name, used in its addresses: 2 to 40 lower-case letters, numbers, hyphens",
    )
    .requiredOption("--name <name>", "the council's name, e.g. 'North Shire Council'")
    .requiredOption("--ons-code <code>", "the council's ONS code: E06, E07, E08, E09 or E10 then 6 digits")
    .requiredOption(
      "--jurisdiction <nation>",
      "whose rules apply: england (wales and scotland are not ready yet)",
    )
    .requiredOption("--admin-email <email>", "the first administrator's work email")
    .option("--admin-name <name>", "the first administrator's name", "Administrator")
    .option("--base-url <url>", "the service's address, to print the whole link")
    .action(async (opts: TenantCreateOptions) => {
      await withCliDatabase(
        async (database) => {
          await migrate(database);
          return runTenantCreate(database, opts, io, { today: todayInLondon() });
        },
        { migrated: false },
      );
    });
  return tenant;
}
