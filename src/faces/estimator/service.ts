import type { Kysely } from "kysely";
import { type Estimate, estimate } from "#/faces/estimator/estimator.calc.ts";
import { type AssessmentAnswers, type FieldError, parseAnswers } from "#/features/assessment/schemas.ts";
import { findTenantBySlug, listRasModels, SYSTEM_ACTOR, type Tenant } from "#/features/tenants/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import type { DB } from "#/platform/db/schema.ts";
import { type RulePack, rulePackFor } from "#/rules/index.ts";
import type { RasModel } from "#/rules/ras-model.ts";

/**
 * The public estimator's use cases. Nothing here writes: no person, no assessment, no audit event (reading
 * a council's published model is not a view of anyone's record). The rules and model are chosen exactly as
 * the staff submit path chooses them: the tenant's rule pack for the date (today), and the tenant's current
 * RAS model (its highest version).
 */

export type Estimator = { tenant: Tenant; pack: RulePack };

/** A council's short name, as tenants are created (tenants/service.ts newTenantSchema). */
const SLUG = /^[a-z0-9-]{2,40}$/;

/** The council's estimator for today's rules, or undefined if there is no council at that short name. */
export async function findEstimator(
  db: Kysely<DB>,
  slug: string,
  today: string,
): Promise<Estimator | undefined> {
  if (!SLUG.test(slug)) return undefined;
  const tenant = await findTenantBySlug(db, slug);
  if (!tenant) return undefined;
  return { tenant, pack: rulePackFor(tenant.jurisdiction, today) };
}

/**
 * The council's current RAS model, read only. The staff path's ensureTenantRasModel adopts the pack's example
 * model as version 1 when a tenant has none (every tenant gets one when it is created); a public page must not
 * write, so here that case prices with the same example model without adopting it.
 */
export async function currentModelFor(
  db: Kysely<DB>,
  estimator: Estimator,
  today: string,
): Promise<RasModel> {
  const ctx: ServiceContext = {
    db,
    scope: { tenantId: estimator.tenant.tenantId, actor: SYSTEM_ACTOR },
    today,
  };
  const models = await listRasModels(ctx);
  const latest = models.reduce<(typeof models)[number] | undefined>(
    (best, m) => (best === undefined || m.version > best.version ? m : best),
    undefined,
  );
  return latest?.model ?? estimator.pack.defaultRasModel;
}

export type EstimateResult =
  | { ok: true; answers: AssessmentAnswers; estimate: Estimate }
  | { ok: false; errors: FieldError[] };

/**
 * Checks complete answers as submit does (parseAnswers against the pack's questionnaire), then estimates
 * with the council's current model.
 */
export async function estimateFor(
  db: Kysely<DB>,
  estimator: Estimator,
  today: string,
  input: unknown,
): Promise<EstimateResult> {
  const parsed = parseAnswers(input, estimator.pack.questionnaire);
  if (!parsed.ok) return parsed;
  const model = await currentModelFor(db, estimator, today);
  return { ok: true, answers: parsed.value, estimate: estimate(parsed.value, estimator.pack, model) };
}

/**
 * How to ask for an assessment. Where the council has set its contact details (tenants/contact-service.ts),
 * the page shows them just after these words; until then, how to find the council.
 */
export function howToAskForAnAssessment(councilName: string, contactDetailsShown = false): string[] {
  return [
    contactDetailsShown
      ? `Contact the adult social care team at ${councilName}: their phone number, email address and opening hours are below.`
      : `Contact the adult social care team at ${councilName}. You can usually phone them, email them or fill in a form on the council's website: search online for "${councilName} adult social care".`,
    "Say that you would like a needs assessment. You can ask for one for yourself, or for someone else with their agreement.",
    "If you look after someone without being paid, you can also ask for a carer's assessment of your own needs (Care Act 2014, section 10).",
  ];
}
