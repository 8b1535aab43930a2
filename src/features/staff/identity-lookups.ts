import { councilSubqueryIn } from "#/features/tenants/service.ts";
import type { StaffLookups } from "#/platform/web/identity-lookups.ts";
import * as repo from "./repository.ts";

/**
 * What sessions, API tokens and sign-in ask about staff (platform/web/identity-lookups.ts): this feature owns
 * staff_users, so it answers, and src/app.ts hands the answers to the platform.
 */
export const staffLookups: StaffLookups = {
  async activeStaffIn(tx, userId) {
    const row = await repo.findActiveStaffWith(tx, userId, councilSubqueryIn(tx));
    if (!row?.council) return undefined;
    return {
      tenantId: tx.scope.tenantId,
      tenantSlug: row.council.slug,
      tenantName: row.council.name,
      jurisdiction: row.council.jurisdiction,
      userId: row.user_id,
      email: row.email,
      name: row.name,
      roles: row.roles,
    };
  },
  rolesOfActiveStaffIn: (tx, userId) => repo.findActiveStaffRoles(tx, userId),
  staffByEmailAcrossCouncils: (trx, email) => repo.findSignInCandidates(trx, email),
};
