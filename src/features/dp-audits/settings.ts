import { type AuditSettings, defaultAuditSettings } from "#/features/dp-audits/findings.calc.ts";
import * as repo from "#/features/dp-audits/repository.ts";
import { auditSettingsSchema, newAuditSettingsSchema } from "#/features/dp-audits/schemas.ts";
import { councilRulesIn } from "#/features/tenants/rules.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { isCalendarDate } from "#/rules/index.ts";

/**
 * The council's direct-payment audit settings: dated versions (dp_audit_settings_versions), each applying from its
 * date, never changed. Until the council sets its own, the rule pack's defaults for the date (registry topic
 * dpAudit: St Helens, Sefton, Wigan and Worcestershire's published figures; the blocked card list unconfirmed).
 */

export type AuditSettingsInForce = {
  settings: AuditSettings;
  /** null while the council uses the rule pack's defaults. */
  version: { version: number; validFrom: string; reason: string; createdBy: string } | null;
  /** The rule pack the defaults come from, with its sources, for the settings page. */
  rules: Awaited<ReturnType<typeof councilRulesIn>>["dpAudit"]["rules"];
};

export async function auditSettingsIn(
  { tx }: Pick<TxContext, "tx">,
  date: string,
): Promise<AuditSettingsInForce> {
  if (!isCalendarDate(date))
    throw new ValidationError([{ path: "date", message: "Give a real date written YYYY-MM-DD" }]);
  const rules = (await councilRulesIn(tx, date)).dpAudit.rules;
  const row = await repo.settingsVersionOn(tx, date);
  if (!row) return { settings: defaultAuditSettings(rules), version: null, rules };
  return {
    settings: auditSettingsSchema.parse(row.settings),
    version: {
      version: row.version,
      validFrom: row.valid_from,
      reason: row.reason,
      createdBy: row.created_by,
    },
    rules,
  };
}

export const auditSettingsOn = (ctx: ServiceContext, date: string) =>
  inTenant(ctx, (t) => auditSettingsIn(t, date));

export async function listAuditSettingsVersions(ctx: ServiceContext) {
  return inTenant(ctx, async ({ tx }) =>
    (await repo.listSettingsVersions(tx)).map((r) => ({
      version: r.version,
      validFrom: r.valid_from,
      reason: r.reason,
      createdBy: r.created_by,
      createdAt: r.created_at,
      settings: auditSettingsSchema.parse(r.settings),
    })),
  );
}

/** Adds a version of the audit settings from a date; refused whole with every problem named. Audited. */
export async function addAuditSettingsVersion(ctx: ServiceContext, input: unknown) {
  const parsed = newAuditSettingsSchema.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The audit settings were not changed");
  }
  return inTenant(ctx, async ({ tx }) => {
    await repo.lockSettings(tx);
    const row = await repo.insertSettingsVersion(tx, {
      settings_version_id: uuidv7(),
      valid_from: parsed.data.validFrom,
      settings: parsed.data.settings,
      reason: parsed.data.reason,
      created_by: actorRef(tx.scope.actor),
    });
    await audit(tx, {
      action: "create",
      recordType: "dp_audit_settings_version",
      recordId: row.settings_version_id,
      changes: { version: row.version, validFrom: row.valid_from, settings: parsed.data.settings },
    });
    return { version: row.version, validFrom: row.valid_from };
  });
}
