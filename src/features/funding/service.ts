import { z } from "zod";
import * as repo from "#/features/funding/repository.ts";
import { type FundingConfig, fundingConfigSchema } from "#/features/funding/schemas.ts";
import {
  type FinancialYear,
  financialYearOf,
  weeksLeftInFinancialYear,
} from "#/features/funding/settings.calc.ts";
import {
  FUNDING_STREAM_KIND_LABELS,
  type FundingSettings,
  fundingSettingsSchema,
  type NewFundingSettingsVersion,
  newFundingSettingsVersionSchema,
  type StreamSetting,
} from "#/features/funding/settings-schemas.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ConflictError, type FieldError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom, formatPath } from "#/platform/validation.ts";
import { isCalendarDate } from "#/rules/index.ts";
import {
  type AllocationOverridePolicy,
  allocationOverridePolicySchema,
  type DelegatedAuthority,
  delegatedAuthoritySchema,
} from "#/vocabulary/approval-policy.ts";
import { supportCategories } from "#/vocabulary/support-categories.ts";

/**
 * The council's funding settings, as use cases. Every change is a new version that applies from a date; old
 * versions are kept and never change (the table refuses it). A version holds the whole settings: funding
 * streams (support categories, means-tested or not, a pot per financial year), the payer order per support
 * category, the scheme of delegated authority for plans, and the policy for allocation overrides. A change is
 * checked whole before anything is written, with every problem named (a stream's kind cannot change once it is
 * set up; categories must be the council's), written under a lock on the tenant's settings, and audited.
 *
 * Other features read the settings in force on the date a decision applies to (never "now"):
 * `fundingConfigOn` (what apportion.calc.ts takes), `delegatedAuthorityOn` and `allocationOverridePolicyOn`,
 * each with an `…In` form for use inside a transaction the caller opened.
 */

export type FundingSettingsVersion = {
  settingsVersionId: string;
  version: number;
  validFrom: string;
  settings: FundingSettings;
  reason: string;
  createdBy: string;
  createdAt: Date;
};

/** What a council starts from before it has any settings: no streams; a social worker approves, overrides by a manager. */
export const STARTING_SETTINGS: FundingSettings = {
  streams: [],
  payerOrder: {},
  delegatedAuthority: {
    levels: [
      { id: "social_worker", label: "Social worker", roles: ["social_worker"] },
      {
        id: "team_manager",
        label: "Team manager",
        roles: ["team_manager"],
        requiredWhen: { overAllocationPercentAbove: 0 },
      },
    ],
  },
  allocationOverridePolicy: { approvalNeededWhenChangeAbovePercent: 0, approverRoles: ["team_manager"] },
};

/** The council has no funding settings in force on the date asked about. */
export class FundingSettingsMissingError extends ConflictError {
  readonly date: string;
  constructor(date: string) {
    super(
      `The council has no funding settings in force on ${dateInWords(date)}: an administrator sets them up under Funding (/admin/funding)`,
    );
    this.name = "FundingSettingsMissingError";
    this.date = date;
  }
}

function toVersion(row: repo.SettingsVersionRow): FundingSettingsVersion {
  return {
    settingsVersionId: row.settings_version_id,
    version: row.version,
    validFrom: row.valid_from,
    // Parsed on the way out: what is stored is checked against the same schema as what was saved.
    settings: fundingSettingsSchema.parse(row.settings),
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

function checkDate(date: string, path = "date"): void {
  if (!isCalendarDate(date)) {
    throw new ValidationError([{ path, message: "Give a real date written YYYY-MM-DD" }]);
  }
}

// ---- reading ---------------------------------------------------------------------------------------------------

/** Every version, newest recorded first. */
export async function listFundingSettingsVersions(ctx: ServiceContext): Promise<FundingSettingsVersion[]> {
  return inTenant(ctx, async ({ tx }) => (await repo.listVersions(tx)).map(toVersion));
}

export async function getFundingSettingsVersion(
  ctx: ServiceContext,
  version: number,
): Promise<FundingSettingsVersion> {
  return inTenant(ctx, async ({ tx }) => {
    const row =
      Number.isSafeInteger(version) && version > 0 ? await repo.findVersion(tx, version) : undefined;
    if (!row) throw new NotFoundError("That version of the funding settings");
    return toVersion(row);
  });
}

/** The version recorded last (what a change starts from), or null before the council has any. */
export async function latestFundingSettings(ctx: ServiceContext): Promise<FundingSettingsVersion | null> {
  return inTenant(ctx, async ({ tx }) => {
    const row = await repo.latestVersion(tx);
    return row ? toVersion(row) : null;
  });
}

/** The version in force on a date, or null when none is. */
export async function fundingSettingsOn(
  ctx: ServiceContext,
  date: string,
): Promise<FundingSettingsVersion | null> {
  return inTenant(ctx, (t) => fundingSettingsIn(t, date));
}

export async function fundingSettingsIn(
  { tx }: Pick<TxContext, "tx">,
  date: string,
): Promise<FundingSettingsVersion | null> {
  checkDate(date);
  const row = await repo.versionOn(tx, date);
  return row ? toVersion(row) : null;
}

async function requireSettingsIn(t: Pick<TxContext, "tx">, date: string): Promise<FundingSettingsVersion> {
  const found = await fundingSettingsIn(t, date);
  if (!found) throw new FundingSettingsMissingError(date);
  return found;
}

/**
 * How much of a stream's pot for a financial year personal budgets have committed: every budget line on the
 * stream, its weekly amount for each week the budget runs in the year and its one-off costs, read in the same
 * transaction. Budgets sit above funding, so the caller passes budgets' `committedOnStreamIn` in.
 */
export type CommittedOnStream = (tx: TenantTx, streamId: string, year: FinancialYear) => Promise<number>;

export type StreamOn = StreamSetting & {
  /** What live budgets have committed from this year's pot (see CommittedOnStream). */
  committedPence: number;
  /** The pot for the year less what is committed, never below 0: what apportionment may still use. */
  availablePence: number;
};

/** Funding streams as they are on a date: the settings version in force, with each pot's available amount. */
export type FundingStreamsOn = {
  date: string;
  financialYear: FinancialYear;
  /** Weeks from the date to the end of its financial year, a part week counted: the period the pots cover. */
  periodWeeks: number;
  version: { version: number; validFrom: string; settingsVersionId: string };
  streams: StreamOn[];
  payerOrder: Record<string, string[]>;
};

export async function fundingStreamsOn(
  ctx: ServiceContext,
  date: string,
  committedOn: CommittedOnStream,
): Promise<FundingStreamsOn> {
  return inTenant(ctx, (t) => fundingStreamsIn(t, date, committedOn));
}

export async function fundingStreamsIn(
  t: Pick<TxContext, "tx">,
  date: string,
  committedOn: CommittedOnStream,
): Promise<FundingStreamsOn> {
  const found = await requireSettingsIn(t, date);
  const financialYear = financialYearOf(date);
  const streams: StreamOn[] = [];
  for (const stream of found.settings.streams) {
    const committedPence = await committedOn(t.tx, stream.id, financialYear);
    streams.push({
      ...stream,
      committedPence,
      availablePence: Math.max(0, stream.annualPotPence - committedPence),
    });
  }
  return {
    date,
    financialYear,
    periodWeeks: weeksLeftInFinancialYear(date),
    version: {
      version: found.version,
      validFrom: found.validFrom,
      settingsVersionId: found.settingsVersionId,
    },
    streams,
    payerOrder: found.settings.payerOrder,
  };
}

/**
 * The funding config the apportionment takes (funding/schemas.ts `FundingConfig`), as it is on a date: the
 * streams in force, each with its pot for that financial year less what is committed (`CommittedOnStream`),
 * and the payer order; with the financial year and the weeks left in it (`periodWeeks` for apportion()), and
 * the version it came from. Throws FundingSettingsMissingError when the council has no settings on the date.
 */
export type FundingConfigOn = FundingConfig & {
  readonly financialYear: FinancialYear;
  readonly periodWeeks: number;
  readonly settingsVersion: { version: number; validFrom: string; settingsVersionId: string };
};

export async function fundingConfigOn(
  ctx: ServiceContext,
  date: string,
  committedOn: CommittedOnStream,
): Promise<FundingConfigOn> {
  return inTenant(ctx, (t) => fundingConfigIn(t, date, committedOn));
}

export async function fundingConfigIn(
  t: Pick<TxContext, "tx">,
  date: string,
  committedOn: CommittedOnStream,
): Promise<FundingConfigOn> {
  const on = await fundingStreamsIn(t, date, committedOn);
  const config = fundingConfigSchema.parse({
    streams: on.streams.map(({ id, name, kind, categories, meansTested, availablePence }) => ({
      id,
      name,
      kind,
      categories,
      meansTested,
      availablePence,
    })),
    payerOrder: on.payerOrder,
  });
  return {
    ...config,
    financialYear: on.financialYear,
    periodWeeks: on.periodWeeks,
    settingsVersion: on.version,
  };
}

/** The scheme of delegated authority for plans in force on a date. */
export async function delegatedAuthorityOn(ctx: ServiceContext, date: string): Promise<DelegatedAuthority> {
  return inTenant(ctx, (t) => delegatedAuthorityIn(t, date));
}

export async function delegatedAuthorityIn(
  t: Pick<TxContext, "tx">,
  date: string,
): Promise<DelegatedAuthority> {
  return (await requireSettingsIn(t, date)).settings.delegatedAuthority;
}

/** The council's policy for allocation overrides in force on a date. */
export async function allocationOverridePolicyOn(
  ctx: ServiceContext,
  date: string,
): Promise<AllocationOverridePolicy> {
  return inTenant(ctx, (t) => allocationOverridePolicyIn(t, date));
}

export async function allocationOverridePolicyIn(
  t: Pick<TxContext, "tx">,
  date: string,
): Promise<AllocationOverridePolicy> {
  return (await requireSettingsIn(t, date)).settings.allocationOverridePolicy;
}

// ---- checking a change -----------------------------------------------------------------------------------------

const prefixed = (error: z.ZodError, ...prefix: PropertyKey[]) => fieldErrorsFrom(error, prefix);

/** Missing sections get a plain message rather than Zod's "expected object, received undefined". */
const SECTION_MISSING: Record<string, string> = {
  streams: "List the funding streams (an empty list if there are none yet)",
  delegatedAuthority: "Give the scheme of delegated authority: who approves plans",
  allocationOverridePolicy: "Give the policy for allocation overrides: who approves a changed allocation",
};

/**
 * Checks a change whole and names every problem it can find at once: the date and reason; each section of the
 * settings on its own (so a mistake in one does not hide those in another); then the sections together, by
 * the apportionment's own schema (fundingConfigSchema: no stream id twice, an NHS personal health budget never
 * means-tested, a payer order naming only streams that may pay for the category); and the council's support
 * categories. Pure: the database checks (a stream's kind) come after.
 */
export function checkFundingSettingsChange(
  input: unknown,
  categories: readonly string[] = supportCategories().map((c) => c.id),
): { ok: true; value: NewFundingSettingsVersion } | { ok: false; errors: FieldError[] } {
  const whole = newFundingSettingsVersionSchema.safeParse(input);
  const errors: FieldError[] = [];
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ path: "(top level)", message: "Give the change as a JSON object" }] };
  }
  const raw = input as Record<string, unknown>;
  const top = newFundingSettingsVersionSchema.pick({ validFrom: true, reason: true, baseVersion: true });
  const topParsed = z
    .strictObject({ ...top.shape, settings: z.unknown() })
    .safeParse({ ...raw, settings: raw.settings });
  if (!topParsed.success) errors.push(...fieldErrorsFrom(topParsed.error));

  const settings = raw.settings;
  if (typeof settings !== "object" || settings === null || Array.isArray(settings)) {
    errors.push({
      path: "settings",
      message: "Give the settings: streams, payer order, delegated authority and overrides",
    });
    return { ok: false, errors };
  }
  const s = settings as Record<string, unknown>;
  for (const key of Object.keys(s)) {
    if (!Object.hasOwn(fundingSettingsSchema.shape, key)) {
      errors.push({
        path: formatPath(["settings", key]),
        message: `"${key}" is not a field here: check the spelling, or remove it`,
      });
    }
  }
  for (const [key, message] of Object.entries(SECTION_MISSING)) {
    if (s[key] === undefined) errors.push({ path: formatPath(["settings", key]), message });
  }

  const funding = z
    .strictObject({
      streams: fundingSettingsSchema.shape.streams,
      payerOrder: fundingSettingsSchema.shape.payerOrder,
    })
    .safeParse({ streams: s.streams ?? [], payerOrder: s.payerOrder });
  if (!funding.success) errors.push(...prefixed(funding.error, "settings"));
  else {
    // The sections together, by the apportionment's own schema; a stream's pot stands for its amount.
    const together = fundingConfigSchema.safeParse({
      streams: funding.data.streams.map(({ annualPotPence, ...stream }) => ({
        ...stream,
        availablePence: annualPotPence,
      })),
      payerOrder: funding.data.payerOrder,
    });
    if (!together.success) {
      for (const e of prefixed(together.error, "settings")) {
        errors.push({ ...e, path: e.path.replace(/\.availablePence$/, ".annualPotPence") });
      }
    }
  }
  // The council's support categories, checked on what was sent, so a mistake elsewhere does not hide them.
  const known = new Set(categories);
  const listed = categories.join(", ");
  const unknownCategory = (category: unknown) =>
    typeof category === "string" && /^[a-z][a-z0-9_]{0,63}$/.test(category) && !known.has(category);
  const notCouncils = (category: string) =>
    `"${category}" is not one of the council's support categories (${listed})`;
  if (Array.isArray(s.streams)) {
    s.streams.forEach((stream: unknown, i) => {
      const list = (stream as { categories?: unknown } | null)?.categories;
      if (!Array.isArray(list)) return;
      list.forEach((category: unknown, j) => {
        if (unknownCategory(category)) {
          errors.push({
            path: formatPath(["settings", "streams", i, "categories", j]),
            message: notCouncils(category as string),
          });
        }
      });
    });
  }
  if (typeof s.payerOrder === "object" && s.payerOrder !== null) {
    for (const category of Object.keys(s.payerOrder)) {
      if (unknownCategory(category)) {
        errors.push({
          path: formatPath(["settings", "payerOrder", category]),
          message: notCouncils(category),
        });
      }
    }
  }
  if (s.delegatedAuthority !== undefined) {
    const parsed = delegatedAuthoritySchema.safeParse(s.delegatedAuthority);
    if (!parsed.success) errors.push(...prefixed(parsed.error, "settings", "delegatedAuthority"));
  }
  if (s.allocationOverridePolicy !== undefined) {
    const parsed = allocationOverridePolicySchema.safeParse(s.allocationOverridePolicy);
    if (!parsed.success) errors.push(...prefixed(parsed.error, "settings", "allocationOverridePolicy"));
  }

  const unique = errors.filter(
    (e, i) => errors.findIndex((f) => f.path === e.path && f.message === e.message) === i,
  );
  if (unique.length > 0 || !whole.success) {
    return {
      ok: false,
      errors: unique.length > 0 ? unique : fieldErrorsFrom((whole as { error: z.ZodError }).error),
    };
  }
  return { ok: true, value: whole.data };
}

/** JSON with object keys sorted at every level: jsonb reorders keys, so settings are compared this way. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** What changed from one version's settings to the next, for the audit trail and the page that confirms it. */
export function describeChange(before: FundingSettings | null, after: FundingSettings) {
  const beforeStreams = new Map((before?.streams ?? []).map((s) => [s.id, s]));
  const afterIds = new Set(after.streams.map((s) => s.id));
  const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);
  return {
    streams: {
      added: after.streams.filter((s) => !beforeStreams.has(s.id)).map((s) => s.id),
      removed: [...beforeStreams.keys()].filter((id) => !afterIds.has(id)),
      changed: after.streams
        .filter((s) => beforeStreams.has(s.id) && !same(beforeStreams.get(s.id), s))
        .map((s) => s.id),
    },
    payerOrderChanged: !same(before?.payerOrder ?? {}, after.payerOrder),
    delegatedAuthorityChanged: !same(before?.delegatedAuthority ?? null, after.delegatedAuthority),
    allocationOverridePolicyChanged: !same(
      before?.allocationOverridePolicy ?? null,
      after.allocationOverridePolicy,
    ),
  };
}

// ---- changing ----------------------------------------------------------------------------------------------------

/**
 * Adds a version of the funding settings that applies from `validFrom` until a later-starting version (one
 * starting the same day replaces it from then, and both are kept). Refused whole, with every problem named,
 * when anything is wrong; refused with ConflictError when `baseVersion` is not the latest version any more.
 */
export async function addFundingSettingsVersion(
  ctx: ServiceContext,
  input: unknown,
): Promise<FundingSettingsVersion> {
  return inTenant(ctx, (t) => addFundingSettingsVersionIn(t, input));
}

export async function addFundingSettingsVersionIn(
  { tx }: TxContext,
  input: unknown,
): Promise<FundingSettingsVersion> {
  const checked = checkFundingSettingsChange(input);
  if (!checked.ok) throw new ValidationError(checked.errors, "The funding settings were not changed");
  const change = checked.value;

  await repo.lockSettings(tx);
  const latest = await repo.latestVersion(tx);
  if (change.baseVersion !== undefined && (latest?.version ?? 0) !== change.baseVersion) {
    throw new ConflictError(
      `The funding settings have changed since you started (version ${latest?.version ?? 0} is now the latest): go back to the funding settings and make your change again`,
    );
  }

  // An id always means the same stream: its kind cannot change once set up.
  const kinds = await repo.listStreamKinds(tx);
  const kindErrors: FieldError[] = [];
  change.settings.streams.forEach((stream, i) => {
    const was = kinds.get(stream.id);
    if (was !== undefined && was !== stream.kind) {
      kindErrors.push({
        path: formatPath(["settings", "streams", i, "kind"]),
        message: `${stream.name} was set up as ${(FUNDING_STREAM_KIND_LABELS as Record<string, string>)[was] ?? was}: a stream's kind cannot change, so add a new stream instead`,
      });
    }
  });
  if (kindErrors.length > 0) throw new ValidationError(kindErrors, "The funding settings were not changed");

  const before = await repo.versionOn(tx, change.validFrom);
  await repo.registerStreams(tx, change.settings.streams);
  const row = await repo.insertVersion(tx, {
    settings_version_id: uuidv7(),
    version: (latest?.version ?? 0) + 1,
    valid_from: change.validFrom,
    settings: change.settings,
    reason: change.reason,
    created_by: actorRef(tx.scope.actor),
  });
  await audit(tx, {
    action: "create",
    recordType: "funding_settings_version",
    recordId: row.settings_version_id,
    changes: {
      version: row.version,
      validFrom: row.valid_from,
      reason: row.reason,
      replaces: before ? { version: before.version, validFrom: before.valid_from } : null,
      ...describeChange(before ? toVersion(before).settings : null, change.settings),
    },
  });
  return toVersion(row);
}
