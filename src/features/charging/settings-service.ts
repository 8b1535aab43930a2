import { z } from "zod";
import {
  type CouncilPolicy,
  type CouncilPolicyVersion,
  councilPolicyVersionSchema,
} from "#/features/charging/charging-input.calc.ts";
import * as repo from "#/features/charging/repository.ts";
import {
  type SuppliedFigure,
  type SuppliedFigureKey,
  suppliedFigureLabel,
  suppliedFigureSchema,
} from "#/features/charging/supplied-figures.calc.ts";
import { currentTenantIn } from "#/features/tenants/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { addDays } from "#/platform/dates/calendar.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { NotFoundError, ValidationError } from "#/platform/errors.ts";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { allChargingRules, isChargingJurisdiction } from "#/rules/charging.ts";

/**
 * The council's charging settings: dated versions of its charging policy (what it does more generously than
 * the national rules) and dated figures it supplies where a rule pack could not confirm one, each with the
 * source it cites. Every change is checked first (shape, sense, no overlapping dates), made under a lock on the
 * tenant's settings and audited with what changed. A new version that starts while an earlier one is still
 * open ends that one the day before; anything else that overlaps is refused. Completed financial assessments
 * keep their own copy of the settings they used, so no change here alters a past result.
 */

export type PolicyVersion = {
  policyVersionId: string;
  validFrom: string;
  validTo: string | null;
  policy: CouncilPolicyVersion;
  reference: string;
  createdBy: string;
  createdAt: Date;
};

export type StoredSuppliedFigure = SuppliedFigure & {
  suppliedFigureId: string;
  createdBy: string;
  createdAt: Date;
};

export type ChargingSettings = {
  policyVersions: PolicyVersion[];
  suppliedFigures: StoredSuppliedFigure[];
};

function toPolicyVersion(row: repo.PolicyVersionRow): PolicyVersion {
  return {
    policyVersionId: row.policy_version_id,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    policy: row.policy as CouncilPolicyVersion,
    reference: row.reference,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

function toSuppliedFigure(row: repo.SuppliedFigureRow): StoredSuppliedFigure {
  return {
    suppliedFigureId: row.supplied_figure_id,
    figure: row.figure as SuppliedFigureKey,
    validFrom: row.valid_from,
    ...(row.valid_to ? { validTo: row.valid_to } : {}),
    pence: row.pence,
    source: row.source,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export async function getChargingSettings(ctx: ServiceContext): Promise<ChargingSettings> {
  return inTenant(ctx, (t) => chargingSettingsIn(t));
}

export async function chargingSettingsIn({ tx }: Pick<TxContext, "tx">): Promise<ChargingSettings> {
  const [policies, figures] = await Promise.all([repo.listPolicyVersions(tx), repo.listSuppliedFigures(tx)]);
  return { policyVersions: policies.map(toPolicyVersion), suppliedFigures: figures.map(toSuppliedFigure) };
}

/** The settings as the calculator takes them: the policy (if any version) and the supplied figures. */
export function calculatorSettings(
  settings: ChargingSettings,
  councilName: string,
): { councilPolicy?: CouncilPolicy; suppliedFigures: SuppliedFigure[] } {
  const suppliedFigures = settings.suppliedFigures.map(({ figure, validFrom, validTo, pence, source }) => ({
    figure,
    validFrom,
    ...(validTo ? { validTo } : {}),
    pence,
    source,
  }));
  if (settings.policyVersions.length === 0) return { suppliedFigures };
  return {
    councilPolicy: {
      name: `${councilName} charging policy`,
      versions: settings.policyVersions.map((v) => v.policy),
    },
    suppliedFigures,
  };
}

// ---- dates -----------------------------------------------------------------------------------------------------

type Dated = { id: string; from: string; to: string | null; label: string };

/**
 * Where a new dated version fits: an earlier open version is ended the day before it starts; any other overlap
 * is refused, naming the version in the way.
 */
function placeVersion(
  existing: readonly Dated[],
  from: string,
  to: string | null,
): { ok: true; end: Dated | null } | { ok: false; path: "validFrom" | "validTo"; message: string } {
  let end: Dated | null = null;
  for (const e of existing) {
    const overlaps = e.from <= (to ?? "9999-12-31") && from <= (e.to ?? "9999-12-31");
    if (!overlaps) continue;
    if (e.from < from && e.to === null) {
      end = e;
      continue;
    }
    if (e.from > from && to === null) {
      return {
        ok: false,
        path: "validTo",
        message: `${e.label} starts on ${dateInWords(e.from)}: give this one an end date before then`,
      };
    }
    return {
      ok: false,
      path: "validFrom",
      message: `These dates overlap ${e.label.charAt(0).toLowerCase()}${e.label.slice(1)} (${dateInWords(e.from)} to ${e.to ? dateInWords(e.to) : "no end date"}): withdraw or end that one first`,
    };
  }
  return { ok: true, end };
}

// ---- policy versions -------------------------------------------------------------------------------------------

export const newPolicyVersionSchema = z
  .strictObject({
    reference: z
      .string({ error: "Say where the council decided this policy" })
      .trim()
      .min(1, { error: "Say where the council decided this policy, for example the cabinet decision" })
      .max(500, { error: "Keep this to 500 characters" }),
    policy: councilPolicyVersionSchema,
  })
  .meta({ id: "NewChargingPolicyVersion" });

/**
 * A council may be more generous than the law, never less: its capital limits may not be below the confirmed
 * statutory ones for any day the version covers.
 */
function checkAgainstStatute(
  policy: CouncilPolicyVersion,
  jurisdiction: string,
): { path: string; message: string }[] {
  if (!isChargingJurisdiction(jurisdiction)) return [];
  const errors: { path: string; message: string }[] = [];
  for (const pack of allChargingRules()) {
    if (pack.jurisdiction !== jurisdiction) continue;
    const overlaps =
      pack.validFrom <= (policy.validTo ?? "9999-12-31") &&
      policy.validFrom <= (pack.validTo ?? "9999-12-31");
    if (!overlaps) continue;
    const checks = [
      ["lowerCapitalLimitPence", "lower", pack.capital.lowerLimit],
      ["upperCapitalLimitPence", "upper", pack.capital.upperLimit],
    ] as const;
    for (const [field, which, figure] of checks) {
      const value = policy[field];
      if (value === undefined) continue;
      if (figure === null && field === "lowerCapitalLimitPence") {
        errors.push({
          path: `policy.${field}`,
          message: `${pack.title} has a single capital limit: leave the lower limit empty`,
        });
      } else if (figure?.status === "confirmed" && value < figure.pence) {
        errors.push({
          path: `policy.${field}`,
          message: `A council may set a higher ${which} capital limit, not a lower one: for ${pack.title} it must be at least ${formatPounds(figure.pence as Pence)}`,
        });
      }
    }
  }
  return errors.filter((e, i) => errors.findIndex((f) => f.path === e.path) === i);
}

export async function addPolicyVersion(
  ctx: ServiceContext,
  input: unknown,
): Promise<{ added: PolicyVersion; ended: PolicyVersion | null }> {
  return inTenant(ctx, (t) => addPolicyVersionIn(t, input));
}

export async function addPolicyVersionIn(
  { tx }: TxContext,
  input: unknown,
): Promise<{ added: PolicyVersion; ended: PolicyVersion | null }> {
  const parsed = newPolicyVersionSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error));
  const { reference, policy } = parsed.data;
  const tenant = await currentTenantIn(tx);
  const statute = checkAgainstStatute(policy, tenant.jurisdiction);
  if (statute.length > 0) throw new ValidationError(statute);

  await repo.lockSettings(tx);
  const existing = (await repo.listPolicyVersions(tx)).map(toPolicyVersion);
  const place = placeVersion(
    existing.map((v) => ({
      id: v.policyVersionId,
      from: v.validFrom,
      to: v.validTo,
      label: `The policy version from ${dateInWords(v.validFrom)}`,
    })),
    policy.validFrom,
    policy.validTo ?? null,
  );
  if (!place.ok) throw new ValidationError([{ path: `policy.${place.path}`, message: place.message }]);

  const who = actorRef(tx.scope.actor);
  let ended: PolicyVersion | null = null;
  if (place.end) {
    const before = existing.find((v) => v.policyVersionId === place.end!.id)!;
    const validTo = addDays(policy.validFrom, -1);
    const endedPolicy = { ...before.policy, validTo };
    await repo.endPolicyVersion(tx, before.policyVersionId, validTo, endedPolicy);
    await audit(tx, {
      action: "update",
      recordType: "charging_policy_version",
      recordId: before.policyVersionId,
      changes: {
        validTo: { from: null, to: validTo },
        reason: `The version from ${dateInWords(policy.validFrom)} follows it`,
      },
    });
    ended = { ...before, validTo, policy: endedPolicy };
  }
  const row = await repo.insertPolicyVersion(tx, {
    policy_version_id: uuidv7(),
    valid_from: policy.validFrom,
    valid_to: policy.validTo ?? null,
    policy,
    reference,
    created_by: who,
  });
  await audit(tx, {
    action: "create",
    recordType: "charging_policy_version",
    recordId: row.policy_version_id,
    changes: { reference, policy },
  });
  return { added: toPolicyVersion(row), ended };
}

export async function withdrawPolicyVersion(ctx: ServiceContext, id: string): Promise<PolicyVersion> {
  return inTenant(ctx, async ({ tx }) => {
    await repo.lockSettings(tx);
    const row = z.uuid().safeParse(id).success ? await repo.deletePolicyVersion(tx, id) : undefined;
    if (!row) throw new NotFoundError("The policy version");
    const removed = toPolicyVersion(row);
    await audit(tx, {
      action: "delete",
      recordType: "charging_policy_version",
      recordId: id,
      changes: { reference: removed.reference, policy: removed.policy },
    });
    return removed;
  });
}

// ---- supplied figures ------------------------------------------------------------------------------------------

/** Adds one or more supplied figures (the demo seed and the API add a year's at once), all or none. */
export async function addSuppliedFigures(
  ctx: ServiceContext,
  input: unknown,
): Promise<{ added: StoredSuppliedFigure[]; ended: StoredSuppliedFigure[] }> {
  return inTenant(ctx, (t) => addSuppliedFiguresIn(t, input));
}

export async function addSuppliedFiguresIn(
  { tx }: TxContext,
  input: unknown,
): Promise<{ added: StoredSuppliedFigure[]; ended: StoredSuppliedFigure[] }> {
  const parsed = z.array(suppliedFigureSchema).min(1).max(100).safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error));
  const figures = parsed.data;

  await repo.lockSettings(tx);
  const existing = (await repo.listSuppliedFigures(tx)).map(toSuppliedFigure);
  const errors: { path: string; message: string }[] = [];
  const ends = new Map<string, { figure: StoredSuppliedFigure; validTo: string }>();
  // Each new figure is placed among the stored ones and the new ones before it.
  const placed: Dated[] = existing.map((f) => ({
    id: f.suppliedFigureId,
    from: f.validFrom,
    to: f.validTo ?? null,
    label: `The ${suppliedFigureLabel(f.figure).toLowerCase()} from ${dateInWords(f.validFrom)}`,
  }));
  const keyOf = new Map(existing.map((f) => [f.suppliedFigureId, f.figure]));
  figures.forEach((f, index) => {
    const sameFigure = placed.filter((p) => keyOf.get(p.id) === f.figure);
    const place = placeVersion(sameFigure, f.validFrom, f.validTo ?? null);
    if (!place.ok) {
      errors.push({ path: `[${index}].${place.path}`, message: place.message });
      return;
    }
    if (place.end) {
      const stored = existing.find((e) => e.suppliedFigureId === place.end!.id);
      if (!stored) {
        errors.push({
          path: `[${index}].validFrom`,
          message: `${place.end.label} has no end date: give it one`,
        });
        return;
      }
      const validTo = addDays(f.validFrom, -1);
      ends.set(stored.suppliedFigureId, { figure: stored, validTo });
      place.end.to = validTo;
    }
    const id = `new-${index}`;
    keyOf.set(id, f.figure);
    placed.push({
      id,
      from: f.validFrom,
      to: f.validTo ?? null,
      label: `The ${suppliedFigureLabel(f.figure).toLowerCase()} from ${dateInWords(f.validFrom)}`,
    });
  });
  if (errors.length > 0) throw new ValidationError(errors);

  const ended: StoredSuppliedFigure[] = [];
  for (const { figure, validTo } of ends.values()) {
    await repo.endSuppliedFigure(tx, figure.suppliedFigureId, validTo);
    await audit(tx, {
      action: "update",
      recordType: "charging_supplied_figure",
      recordId: figure.suppliedFigureId,
      changes: { validTo: { from: null, to: validTo } },
    });
    ended.push({ ...figure, validTo });
  }
  const who = actorRef(tx.scope.actor);
  const rows = await repo.insertSuppliedFigures(
    tx,
    figures.map((f) => ({
      supplied_figure_id: uuidv7(),
      figure: f.figure,
      valid_from: f.validFrom,
      valid_to: f.validTo ?? null,
      pence: f.pence,
      source: f.source,
      created_by: who,
    })),
  );
  for (const row of rows) {
    await audit(tx, {
      action: "create",
      recordType: "charging_supplied_figure",
      recordId: row.supplied_figure_id,
      changes: {
        figure: row.figure,
        validFrom: row.valid_from,
        validTo: row.valid_to,
        pence: row.pence,
        source: row.source,
      },
    });
  }
  return { added: rows.map(toSuppliedFigure), ended };
}

export async function withdrawSuppliedFigure(ctx: ServiceContext, id: string): Promise<StoredSuppliedFigure> {
  return inTenant(ctx, async ({ tx }) => {
    await repo.lockSettings(tx);
    const row = z.uuid().safeParse(id).success ? await repo.deleteSuppliedFigure(tx, id) : undefined;
    if (!row) throw new NotFoundError("The supplied figure");
    const removed = toSuppliedFigure(row);
    await audit(tx, {
      action: "delete",
      recordType: "charging_supplied_figure",
      recordId: id,
      changes: {
        figure: removed.figure,
        validFrom: removed.validFrom,
        pence: removed.pence,
        source: removed.source,
      },
    });
    return removed;
  });
}
