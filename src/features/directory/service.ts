/**
 * The council's provider and service directory, as use cases: search it, open a provider with its services,
 * add and edit providers and services, import an Open Referral UK (HSDS) file and export one, and the
 * tenant's setting for providers off the approved list. Every change is checked whole before anything is
 * written, runs in one tenant transaction and is audited.
 *
 * IMPORT, chosen and stated. The file is read by hsds.ts and refused whole, with every problem named, if
 * anything in it is wrong (including support categories the council does not use); nothing is half-written.
 * What hsds.ts leaves out but can import without (e.g. a service_at_location that names no location) comes
 * back as warnings, shown on the summary.
 * Two modes:
 *   - merge (the default): each organisation, service and location in the file is added, or replaces the record
 *     with the same id; records not in the file are left as they are. A file must still be complete in itself
 *     (its services' organisations and locations are in it), as hsds.ts requires.
 *   - replace: the file becomes the whole directory; records not in it are removed. Refused if something else
 *     (a support plan) still refers to a record it would remove.
 * Unchanged records are left alone; the order of the file is kept for export (new records go at the end).
 * One audit event records the import: the mode, the file's SHA-256 and what was added, changed and removed.
 *
 * Viewing the directory is not audited (it lists organisations and what they offer, not the people the council
 * supports); exporting it is.
 */

export {
  createProvider,
  createProviderIn,
  createService,
  updateProvider,
  updateService,
} from "#/features/directory/directory-editing.ts";
export {
  exportDirectory,
  type ImportInput,
  importDirectory,
  importDirectoryIn,
} from "#/features/directory/directory-files.ts";
export { directoryIn } from "#/features/directory/directory-model.ts";
export {
  directorySettingsIn,
  getDirectorySettings,
  getProvider,
  getProviderIn,
  providersForPlanIn,
  searchProviders,
  setDirectorySettings,
  setDirectorySettingsIn,
} from "#/features/directory/directory-reads.ts";
export {
  type DirectorySettings,
  type ImportSummary,
  MAX_HSDS_BYTES,
  type ProviderPage,
  type ProviderRecord,
  type ProviderSummary,
  type RecordStamps,
  type StoredProvider,
  type StoredService,
} from "#/features/directory/service-types.ts";
