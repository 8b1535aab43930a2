import { currentTenantIn } from "#/features/tenants/service.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import {
  type JurisdictionRules,
  type RuleJurisdiction,
  ruleJurisdiction,
  rulesFor,
} from "#/rules/registry.ts";

/**
 * The rules a council works under come from its jurisdiction (a column of its tenant row) and the date a decision
 * applies to, through the rules registry: never from an import of England's files.
 */

/** The jurisdiction of the council the transaction acts for. */
export async function councilJurisdictionIn(tx: TenantTx): Promise<RuleJurisdiction> {
  return ruleJurisdiction((await currentTenantIn(tx)).jurisdiction);
}

/** Every topic's rules for the council the transaction acts for, on the date a decision applies to. */
export async function councilRulesIn(tx: TenantTx, date: string): Promise<JurisdictionRules> {
  return rulesFor(await councilJurisdictionIn(tx), date);
}

/** The jurisdiction of the council a service call acts for, when no transaction is open yet (checks before one). */
export async function councilJurisdiction(ctx: ServiceContext): Promise<RuleJurisdiction> {
  return inTenant(ctx, ({ tx }) => councilJurisdictionIn(tx));
}
