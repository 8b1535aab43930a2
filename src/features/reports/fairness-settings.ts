import { z } from "zod";
import * as repo from "#/features/reports/fairness-repository.ts";
import { currentTenantIn } from "#/features/tenants/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext } from "#/platform/context.ts";
import { isCalendarDate } from "#/platform/dates/calendar.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import type { FairnessRules } from "#/rules/fairness-types.ts";
import { rulesFor } from "#/rules/registry.ts";

/**
 * A council's own settings for its public fairness dashboard (issue 15), dated: how few people a figure may be
 * about before it is hidden, and the margin that names a group. Until it sets its own, the rules' defaults
 * apply. A council may hide more, never less: the threshold cannot go below the rules' default.
 */

export type FairnessSetting = {
  suppressFewerThan: number;
  marginPercent: number;
  /** Where the figures come from: the council's setting from a date, or the rules' defaults. */
  source: { kind: "council"; validFrom: string; reason: string } | { kind: "rules"; id: string };
};

/** The settings in force on a date for the council of the transaction. */
export async function fairnessSettingIn(
  tx: TenantTx,
  rules: FairnessRules,
  date: string,
): Promise<FairnessSetting> {
  const row = await repo.settingsOn(tx, date);
  return row
    ? {
        suppressFewerThan: row.suppress_fewer_than,
        marginPercent: row.margin_percent,
        source: { kind: "council", validFrom: row.valid_from, reason: row.reason },
      }
    : {
        suppressFewerThan: rules.suppressFewerThan,
        marginPercent: rules.marginPercent,
        source: { kind: "rules", id: rules.id },
      };
}

const settingSchema = (minimum: number) =>
  z.strictObject({
    suppressFewerThan: z
      .number({ error: "Give the smallest number of people a figure may be about, as a whole number" })
      .int({ error: "Give the smallest number of people as a whole number" })
      .min(minimum, {
        error: `Hide figures about fewer than at least ${minimum} people: fewer could identify someone`,
      })
      .max(1000, { error: "Give at most 1000 people" }),
    marginPercent: z
      .number({ error: "Give the margin as a whole percentage, like 10" })
      .int({ error: "Give the margin as a whole percentage, like 10" })
      .min(1, { error: "The margin must be at least 1%" })
      .max(100, { error: "The margin must be at most 100%" }),
    validFrom: z
      .string({ error: "Give the date the settings apply from, as YYYY-MM-DD" })
      .refine(isCalendarDate, {
        error: "Give the date the settings apply from as a real date written YYYY-MM-DD",
      }),
    reason: z
      .string({ error: "Say why the settings are changing" })
      .trim()
      .min(1, { error: "Say why the settings are changing" })
      .max(500, { error: "Say why in at most 500 characters" }),
  });

/** Sets the council's fairness settings from a date: validated first, then one write, audited. */
export async function setFairnessSettings(ctx: ServiceContext, input: unknown): Promise<FairnessSetting> {
  return inTenant(ctx, async ({ tx, today }) => {
    const tenant = await currentTenantIn(tx);
    const rules = rulesFor(tenant.jurisdiction, today).fairness.rules;
    const parsed = settingSchema(rules.suppressFewerThan).safeParse(input);
    if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error));
    const { suppressFewerThan, marginPercent, validFrom, reason } = parsed.data;
    if (await repo.settingsOn(tx, validFrom).then((r) => r?.valid_from === validFrom)) {
      throw new ConflictError(
        `The council already has fairness settings from ${validFrom}: give a later date`,
      );
    }
    const row = {
      valid_from: validFrom,
      suppress_fewer_than: suppressFewerThan,
      margin_percent: marginPercent,
      reason,
    };
    await repo.insertSettings(tx, { ...row, created_by: actorRef(tx.scope.actor) });
    await audit(tx, { action: "create", recordType: "fairness_settings", recordId: validFrom, changes: row });
    return { suppressFewerThan, marginPercent, source: { kind: "council", validFrom, reason } };
  });
}

export type FairnessSettingsHistoryEntry = {
  validFrom: string;
  suppressFewerThan: number;
  marginPercent: number;
  reason: string;
};

/** The settings page's picture: what is in force today, the rules it falls back on, and every setting made. */
export async function fairnessSettingsOverview(ctx: ServiceContext): Promise<{
  inForce: FairnessSetting;
  rules: FairnessRules;
  history: FairnessSettingsHistoryEntry[];
}> {
  return inTenant(ctx, async ({ tx, today }) => {
    const tenant = await currentTenantIn(tx);
    const rules = rulesFor(tenant.jurisdiction, today).fairness.rules;
    const history = (await repo.allSettings(tx)).map((r) => ({
      validFrom: r.valid_from,
      suppressFewerThan: r.suppress_fewer_than,
      marginPercent: r.margin_percent,
      reason: r.reason,
    }));
    return { inForce: await fairnessSettingIn(tx, rules, today), rules, history };
  });
}
