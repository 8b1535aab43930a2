import { councilSubqueryIn } from "#/features/tenants/service.ts";
import type { PersonAccountLookups } from "#/platform/web/identity-lookups.ts";
import * as repo from "./repository.ts";

/**
 * What a person's session asks about their account (platform/web/identity-lookups.ts): this feature owns
 * person_accounts, so it answers, and src/app.ts hands the answer to the platform.
 */
export const personAccountLookups: PersonAccountLookups = {
  async activePersonAccountIn(tx, accountId) {
    const row = await repo.findActiveAccountWith(tx, accountId, councilSubqueryIn(tx));
    if (!row?.council) return undefined;
    return {
      tenantId: tx.scope.tenantId,
      tenantSlug: row.council.slug,
      tenantName: row.council.name,
      accountId: row.account_id,
      name: row.name,
      email: row.email,
      personId: row.person_id,
    };
  },
};
