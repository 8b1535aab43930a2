import type { Kysely, Transaction } from "kysely";
import { z } from "zod";
import * as repo from "#/features/tenants/repository.ts";
import { audit } from "#/platform/audit/audit.ts";
import {
  actorRef,
  inTenant,
  isUniqueViolation,
  type ServiceContext,
  type TxContext,
} from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { DB } from "#/platform/db/schema.ts";
import { type Actor, dropToTenant, type TenantTx, withoutTenant, withSystem } from "#/platform/db/tenant.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { JURISDICTIONS, type Jurisdiction, RulePackNotFoundError, rulePackFor } from "#/rules/index.ts";
import { checkModelFitsQuestionnaire, type RasModel, rasModelSchema } from "#/rules/ras-model.ts";
import {
  type CouncilNation,
  isOnsCouncilCode,
  NATION_NAMES,
  ONS_COUNCIL_CODE_PREFIXES,
} from "#/rules/registry.ts";

export type Tenant = {
  tenantId: string;
  slug: string;
  name: string;
  jurisdiction: Jurisdiction;
  createdAt: Date;
  /** The council's ONS (GSS) code; null for councils made without one. It is the LA Code of the Client Level Data return. */
  onsCode: string | null;
};

/** A tenant's RAS model as adopted: allocations keep the version (row) they were made under. */
export type TenantRasModel = {
  rasModelId: string;
  version: number;
  model: RasModel;
  adoptedAt: Date;
  adoptedBy: string;
  reason: string;
};

export const SYSTEM_ACTOR: Actor = { type: "system", id: null };

export const RESERVED_SLUGS: readonly string[] = [
  "admin",
  "api",
  "account",
  "assessments",
  "assets",
  "estimate",
  "govuk",
  "moj",
  "my",
  "pay-estimate",
  "people",
  "public",
  "set-password",
  "sign-in",
  "sign-out",
];

export const newTenantSchema = z
  .strictObject({
    slug: z
      .string()
      .trim()
      .regex(/^[a-z0-9-]{2,40}$/, {
        error: "Use 2 to 40 lower-case letters, numbers and hyphens for the short name",
      })
      // A council's public pages live at /{short name}/…, so it cannot take a name the service uses itself.
      .refine((slug) => !RESERVED_SLUGS.includes(slug), {
        error: "That short name is used by the service itself: choose another",
      }),
    name: z.string().trim().min(1, { error: "Enter the council's name" }).max(200),
    jurisdiction: z.enum(JURISDICTIONS, {
      error: `Choose the rules that apply: ${JURISDICTIONS.join(", ")}`,
    }),
    // Checked against the jurisdiction's code shapes (src/rules/uk/councils.ts) below.
    onsCode: z.string().trim().toUpperCase().optional(),
  })
  .superRefine((tenant, ctx) => {
    if (tenant.onsCode !== undefined && !isOnsCouncilCode(tenant.jurisdiction, tenant.onsCode)) {
      ctx.addIssue({ code: "custom", path: ["onsCode"], message: onsCodeMessage(tenant.jurisdiction) });
    }
  });

/** What a council's ONS code must look like in this nation, e.g. "E06, E07, E08, E09 or E10 then 6 digits". */
export function onsCodeMessage(nation: CouncilNation): string {
  const prefixes = ONS_COUNCIL_CODE_PREFIXES[nation];
  const list =
    prefixes.length === 1 ? prefixes[0] : `${prefixes.slice(0, -1).join(", ")} or ${prefixes.at(-1)}`;
  return `Enter the council's ONS code for ${NATION_NAMES[nation]}: ${list} then 6 digits, like ${prefixes[0]}000001`;
}
export type NewTenant = z.output<typeof newTenantSchema>;

function toTenant(row: repo.TenantRow): Tenant {
  return {
    tenantId: row.tenant_id,
    slug: row.slug,
    name: row.name,
    // The column allows jurisdictions we have no rules for yet; a tenant is only created with one we have.
    jurisdiction: row.jurisdiction as Jurisdiction,
    createdAt: row.created_at,
    onsCode: row.ons_code,
  };
}

function toRasModel(row: repo.RasModelRow): TenantRasModel {
  return {
    rasModelId: row.ras_model_id,
    version: row.version,
    // Parsed on the way out: stored data is checked against the same schema as adopted data.
    model: rasModelSchema.parse(row.model),
    adoptedAt: row.adopted_at,
    adoptedBy: row.adopted_by,
    reason: row.reason,
  };
}

/**
 * Creates a tenant (system path: before the tenant exists there is no tenant to act for) and adopts its
 * rule pack's example RAS model as version 1, in one transaction.
 */
export async function createTenant(
  db: Kysely<DB>,
  input: unknown,
  opts: { today: string; actor?: Actor },
): Promise<Tenant> {
  const parsed = newTenantSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error));
  try {
    return await withSystem(db, async (trx) => {
      const { tenant } = await createTenantIn(trx, parsed.data, opts);
      return tenant;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ConflictError(`A tenant called "${parsed.data.slug}" already exists`);
    throw error;
  }
}

/**
 * The body of createTenant inside an owner transaction: inserts the tenant as the owner, then drops the
 * rest of the transaction to upfront_app for the new tenant (as withTenant does), so the RAS model, the
 * audit events and anything the caller does next (the demo seed) run under RLS. Input must be validated.
 */
export async function createTenantIn(
  trx: Transaction<DB>,
  input: NewTenant,
  opts: { today: string; actor?: Actor },
): Promise<{ tenant: Tenant; tx: TenantTx }> {
  const actor = opts.actor ?? SYSTEM_ACTOR;
  const row = await repo.insertTenant(trx, {
    tenant_id: uuidv7(),
    slug: input.slug,
    name: input.name,
    jurisdiction: input.jurisdiction,
    ons_code: input.onsCode ?? null,
  });
  const tx = await dropToTenant(trx, { tenantId: row.tenant_id, actor });
  await audit(tx, {
    action: "create",
    recordType: "tenant",
    recordId: row.tenant_id,
    changes: { slug: row.slug, name: row.name, jurisdiction: row.jurisdiction, onsCode: row.ons_code },
  });
  await ensureTenantRasModel({ tx, today: opts.today });
  return { tenant: toTenant(row), tx };
}

/** Looks a tenant up by its short name before any tenant is known (sign-in, the seed). */
export async function findTenantBySlug(db: Kysely<DB>, slug: string): Promise<Tenant | undefined> {
  const row = await withoutTenant(db, (trx) => repo.findTenantBySlug(trx, slug));
  return row && toTenant(row);
}

/** Every council's public name and short name, before any tenant is known (the public estimator's list). */
export async function listCouncils(db: Kysely<DB>): Promise<{ slug: string; name: string }[]> {
  const rows = await withoutTenant(db, (trx) => repo.listCouncils(trx));
  return rows.map((r) => ({ slug: r.slug, name: r.name }));
}

/** Every council's id, short name and name (background jobs that visit each council in turn). */
export async function everyCouncil(
  db: Kysely<DB>,
): Promise<{ tenantId: string; slug: string; name: string }[]> {
  const rows = await withoutTenant(db, (trx) => repo.listCouncils(trx));
  return rows.map((r) => ({ tenantId: r.tenant_id, slug: r.slug, name: r.name }));
}

/** Councils that already have this short name or ONS code (the CLI's check before making a council). */
export async function councilsClashingWith(
  db: Kysely<DB>,
  candidate: { slug: string; onsCode: string },
): Promise<{ slug: string; onsCode: string | null }[]> {
  const rows = await withSystem(db, (trx) =>
    repo.tenantsWithSlugOrOnsCode(trx, candidate.slug, candidate.onsCode),
  );
  return rows.map((r) => ({ slug: r.slug, onsCode: r.ons_code }));
}

export async function findTenantById(db: Kysely<DB>, tenantId: string): Promise<Tenant | undefined> {
  if (!z.uuid().safeParse(tenantId).success) return undefined;
  const row = await withoutTenant(db, (trx) => repo.findTenantById(trx, tenantId));
  return row && toTenant(row);
}

// A tenant's slug, name and jurisdiction do not change inside one transaction, and the seed asks hundreds of times.
const tenantOfTx = new WeakMap<TenantTx, Tenant>();

/** The tenant the transaction acts for (RLS shows no other). */
export async function currentTenantIn(tx: TenantTx): Promise<Tenant> {
  const cached = tenantOfTx.get(tx);
  if (cached) return cached;
  const row = await repo.findTenantById(tx, tx.scope.tenantId);
  if (!row) throw new Error(`Tenant ${tx.scope.tenantId} is not visible in its own transaction`);
  const tenant = toTenant(row);
  tenantOfTx.set(tx, tenant);
  return tenant;
}

/**
 * The transaction's council as a subquery for a neighbour's query: staff's and people's sessions read the member
 * or account with their council on every request, and this keeps that one statement (features/staff and
 * features/accounts, identity-lookups.ts).
 */
export function councilSubqueryIn(tx: TenantTx) {
  return repo.councilSubquery(tx);
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The tenant's current RAS model (its highest version). A tenant without one adopts its rule pack's
 * example model as version 1, so there is always a model to price an allocation with.
 */
export async function ensureTenantRasModel({ tx, today }: TxContext): Promise<TenantRasModel> {
  const latest = await repo.latestRasModel(tx);
  if (latest) return toRasModel(latest);
  const tenant = await currentTenantIn(tx);
  const pack = rulePackFor(tenant.jurisdiction, today);
  const row = await repo.insertRasModel(tx, {
    ras_model_id: uuidv7(),
    version: 1,
    model: pack.defaultRasModel,
    adopted_by: "system",
    reason: `Example model shipped with the ${capitalised(pack.jurisdiction)} rule pack`,
  });
  await audit(tx, {
    action: "adopt",
    recordType: "ras_model",
    recordId: row.ras_model_id,
    changes: { version: 1, modelId: pack.defaultRasModel.id, modelVersion: pack.defaultRasModel.version },
  });
  return toRasModel(row);
}

export async function currentRasModel(ctx: ServiceContext): Promise<TenantRasModel> {
  return inTenant(ctx, ensureTenantRasModel);
}

export async function listRasModels(ctx: ServiceContext): Promise<TenantRasModel[]> {
  return inTenant(ctx, async ({ tx }) => listRasModelsIn(tx));
}

/** The version number of one of the council's RAS models (an allocation names the model it was priced with). */
export async function rasModelVersionIn(tx: TenantTx, rasModelId: string): Promise<number | undefined> {
  return repo.findRasModelVersion(tx, rasModelId);
}

/** Every version, newest first, inside the caller's transaction. */
export async function listRasModelsIn(tx: TenantTx): Promise<TenantRasModel[]> {
  return (await repo.listRasModels(tx)).map(toRasModel);
}

/**
 * Adopts a new RAS model as the next version. Allocations already made keep the version they were made
 * under; only assessments submitted afterwards are priced with the new one.
 */
export async function adoptRasModel(
  ctx: ServiceContext,
  input: { model: unknown; reason: string },
): Promise<TenantRasModel> {
  try {
    return await inTenant(ctx, (t) => adoptRasModelIn(t, input));
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ConflictError("Another model was adopted at the same time: try again");
    throw error;
  }
}

/** Adopts the next model version inside a transaction the caller opened (a calibration's adoption). */
export async function adoptRasModelIn(
  { tx, today }: TxContext,
  input: { model: unknown; reason: string },
): Promise<TenantRasModel> {
  const parsed = rasModelSchema.safeParse(input.model);
  const errors = parsed.success ? [] : fieldErrorsFrom(parsed.error, ["model"]);
  const reason = input.reason?.trim() ?? "";
  if (reason === "") errors.push({ path: "reason", message: "Say why the council is adopting this model" });
  if (!parsed.success || errors.length > 0) throw new ValidationError(errors);
  const model = parsed.data;

  const tenant = await currentTenantIn(tx);
  let questionnaire: ReturnType<typeof rulePackFor>["questionnaire"];
  try {
    questionnaire = rulePackFor(tenant.jurisdiction, today).questionnaire;
  } catch (error) {
    if (error instanceof RulePackNotFoundError)
      throw new ValidationError([{ path: error.field, message: error.message }]);
    throw error;
  }
  const problems = checkModelFitsQuestionnaire(model, questionnaire);
  if (problems.length > 0) throw new ValidationError(problems);

  const latest = await repo.latestRasModel(tx);
  const version = (latest?.version ?? 0) + 1;
  const row = await repo.insertRasModel(tx, {
    ras_model_id: uuidv7(),
    version,
    model,
    adopted_by: actorRef(tx.scope.actor),
    reason,
  });
  await audit(tx, {
    action: "adopt",
    recordType: "ras_model",
    recordId: row.ras_model_id,
    changes: { version, modelId: model.id, modelVersion: model.version, reason },
  });
  return toRasModel(row);
}
