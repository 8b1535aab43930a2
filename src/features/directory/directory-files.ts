import { createHash } from "node:crypto";
import {
  canonical,
  categoryErrors,
  directoryIn,
  linkValues,
  loadIn,
  locationValues,
  type Positioned,
  providerValues,
  serviceValues,
} from "#/features/directory/directory-model.ts";
import { exportHsds, type HsdsDocument, importHsds } from "#/features/directory/hsds.ts";
import { type ImportMode, importOptionsSchema } from "#/features/directory/input-schemas.ts";
import * as repo from "#/features/directory/repository.ts";
import type { Directory } from "#/features/directory/schemas.ts";
import { type Counts, type ImportSummary, MAX_HSDS_BYTES } from "#/features/directory/service-types.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { supportCategoryLabels } from "#/vocabulary/support-categories.ts";

/** Importing an Open Referral UK (HSDS) file into the directory, all or nothing, and exporting the directory as one. */

// ---- import and export -------------------------------------------------------------------------------------------

export type ImportInput = {
  /** The file's text (a page upload or paste)… */
  text?: string;
  /** …or the document already parsed (the API). */
  json?: unknown;
  mode?: ImportMode;
  fileName?: string | null;
};

type Plan<T> = {
  write: { record: T; position: number }[];
  removed: string[];
  counts: Counts;
  created: string[];
  updated: string[];
};

/**
 * What changes for one kind of record: the records to write (new, changed, or moved by a replace), the ids to
 * remove, and the counts. Merge keeps every stored record's position and puts new ones after the last; replace
 * takes the file's order.
 */
function planFor<T extends { id: string }>(
  current: readonly Positioned<T>[],
  incoming: readonly T[],
  mode: ImportMode,
): Plan<T> {
  const stored = new Map(current.map((c) => [c.record.id, c]));
  const incomingIds = new Set(incoming.map((r) => r.id));
  let next = current.reduce((max, c) => Math.max(max, c.position + 1), 0);
  const plan: Plan<T> = {
    write: [],
    removed: [],
    counts: { created: 0, updated: 0, removed: 0, unchanged: 0 },
    created: [],
    updated: [],
  };
  incoming.forEach((record, index) => {
    const before = stored.get(record.id);
    const position = mode === "replace" ? index : (before?.position ?? next++);
    if (!before) {
      plan.counts.created++;
      plan.created.push(record.id);
      plan.write.push({ record, position });
    } else if (canonical(before.record) !== canonical(record)) {
      plan.counts.updated++;
      plan.updated.push(record.id);
      plan.write.push({ record, position });
    } else {
      plan.counts.unchanged++;
      if (before.position !== position) plan.write.push({ record, position });
    }
  });
  if (mode === "replace") {
    plan.removed = current.filter((c) => !incomingIds.has(c.record.id)).map((c) => c.record.id);
    plan.counts.removed = plan.removed.length;
  } else {
    plan.counts.unchanged += current.filter((c) => !incomingIds.has(c.record.id)).length;
  }
  return plan;
}

/** Ids for the audit trail: all of them up to a point, then how many more. */
const listed = (ids: readonly string[], max = 100) =>
  ids.length <= max ? ids : [...ids.slice(0, max), `… and ${ids.length - max} more`];

/** PostgreSQL's foreign_key_violation, from pg or PGlite. */
const isForeignKeyViolation = (error: unknown) =>
  typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23503";

/**
 * Imports an Open Referral UK file into the council's directory, merging (the default) or replacing (see the
 * top of this file). Throws ValidationError naming every problem (paths as in the file, e.g.
 * `services[3].cost_options[0].amount`) and writes nothing; ConflictError if a replace would remove a record
 * something else still uses.
 */
export async function importDirectory(ctx: ServiceContext, input: ImportInput): Promise<ImportSummary> {
  const prepared = prepareImport(input);
  return inTenant(ctx, (t) => writeImport(t, prepared, input.fileName));
}

/** importDirectory inside a transaction the caller opened (the demo seed). */
export async function importDirectoryIn(t: TxContext, input: ImportInput): Promise<ImportSummary> {
  return writeImport(t, prepareImport(input), input.fileName);
}

type PreparedImport = {
  mode: ImportMode;
  file: Directory;
  ignoredFields: readonly string[];
  warnings: readonly string[];
  sha256: string;
  bytes: number;
};

/** Reads and checks the file whole, before any transaction: every problem, or a directory to write. */
function prepareImport(input: ImportInput): PreparedImport {
  const options = importOptionsSchema.safeParse({ mode: input.mode });
  if (!options.success) throw new ValidationError(fieldErrorsFrom(options.error));
  const mode = options.data.mode;

  let json = input.json;
  let bytes: string;
  if (input.text !== undefined) {
    if (input.text.trim() === "") {
      throw new ValidationError([
        { path: "file", message: "Choose an Open Referral UK JSON file, or paste it" },
      ]);
    }
    if (Buffer.byteLength(input.text, "utf8") > MAX_HSDS_BYTES) {
      throw new ValidationError([
        { path: "file", message: `The file is larger than ${MAX_HSDS_BYTES / 1_000_000} MB` },
      ]);
    }
    try {
      json = JSON.parse(input.text);
    } catch (error) {
      throw new ValidationError([
        { path: "file", message: `The file is not JSON: ${(error as Error).message}` },
      ]);
    }
    bytes = input.text;
  } else {
    bytes = JSON.stringify(json ?? null);
  }
  const sha256 = createHash("sha256").update(bytes, "utf8").digest("hex");

  const result = importHsds(json);
  // Replacing with an empty file is the costlier mistake, so it is named first (with why the file is refused).
  if (mode === "replace" && (result.ok ? result.directory.providers.length === 0 : result.empty)) {
    throw new ValidationError([
      {
        path: "file",
        message:
          "The file has no organisations: replacing the directory with it would remove every provider. Check it is the right file",
      },
      ...(result.ok ? [] : result.errors),
    ]);
  }
  if (!result.ok) {
    throw new ValidationError(
      [...result.errors],
      `The file was not used: ${result.errors.length} ${result.errors.length === 1 ? "problem needs" : "problems need"} correcting`,
    );
  }
  const file = result.directory;
  const problems = categoryErrors(file.services, (i) => [...result.servicePaths[i]!, "attributes"]);
  if (problems.length > 0) {
    throw new ValidationError(
      problems,
      `The file was not used: ${problems.length} ${problems.length === 1 ? "problem needs" : "problems need"} correcting`,
    );
  }

  return {
    mode,
    file,
    ignoredFields: result.ignoredFields,
    warnings: result.warnings,
    sha256,
    bytes: Buffer.byteLength(bytes, "utf8"),
  };
}

async function writeImport(
  t: Pick<TxContext, "tx">,
  prepared: PreparedImport,
  fileName: string | null | undefined,
): Promise<ImportSummary> {
  try {
    return await applyImport(t, prepared, fileName);
  } catch (error) {
    if (isForeignKeyViolation(error)) {
      throw new ConflictError(
        "Replacing the directory would remove a provider, service or location that something else (a support plan) still uses. Nothing has been changed: import with merge instead, or keep those records in the file.",
      );
    }
    throw error;
  }
}

async function applyImport(
  { tx }: Pick<TxContext, "tx">,
  prepared: PreparedImport,
  fileName: string | null | undefined,
): Promise<ImportSummary> {
  const { mode, file, sha256 } = prepared;
  await repo.lockDirectory(tx);
  const current = await loadIn(tx);
  const providers = planFor(current.providers, file.providers, mode);
  const locations = planFor(current.locations, file.locations, mode);
  const services = planFor(current.services, file.services, mode);
  const by = actorRef(tx.scope.actor);

  // Parents before children; links replaced before any location goes; removals last, children first.
  await repo.upsertProviders(
    tx,
    providers.write.map((w) => providerValues(w.record, w.position)),
    by,
  );
  await repo.upsertLocations(
    tx,
    locations.write.map((w) => locationValues(w.record, w.position)),
    by,
  );
  await repo.upsertServices(
    tx,
    services.write.map((w) => serviceValues(w.record, w.position)),
    by,
  );
  const relinked = services.write.filter(
    (w) => services.created.includes(w.record.id) || services.updated.includes(w.record.id),
  );
  await repo.replaceLinks(
    tx,
    relinked.map((w) => w.record.id),
    relinked.flatMap((w) => linkValues(w.record)),
  );
  await repo.deleteServices(tx, services.removed);
  await repo.deleteLocations(tx, locations.removed);
  await repo.deleteProviders(tx, providers.removed);

  const summary: ImportSummary = {
    mode,
    providers: providers.counts,
    services: services.counts,
    locations: locations.counts,
    ignoredFields: prepared.ignoredFields,
    warnings: prepared.warnings,
    sha256,
  };
  await audit(tx, {
    action: "import",
    recordType: "directory",
    recordId: tx.scope.tenantId,
    changes: {
      mode,
      fileName: fileName?.trim() || null,
      sha256,
      bytes: prepared.bytes,
      providers: {
        ...providers.counts,
        createdIds: listed(providers.created),
        updatedIds: listed(providers.updated),
        removedIds: listed(providers.removed),
      },
      services: services.counts,
      locations: locations.counts,
      ignoredFields: prepared.ignoredFields,
    },
  });
  return summary;
}

/**
 * The directory as an Open Referral UK document, in its own order, with the council's labels for support
 * categories. Audited as an export.
 */
export async function exportDirectory(ctx: ServiceContext): Promise<HsdsDocument> {
  return inTenant(ctx, async ({ tx }) => {
    const directory = await directoryIn({ tx });
    await audit(tx, {
      action: "export",
      recordType: "directory",
      recordId: tx.scope.tenantId,
      changes: {
        providers: directory.providers.length,
        services: directory.services.length,
        locations: directory.locations.length,
      },
    });
    return exportHsds(directory, { supportCategoryLabels: supportCategoryLabels() });
  });
}
