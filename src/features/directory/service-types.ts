import type { ImportMode } from "#/features/directory/input-schemas.ts";
import type { Location, Provider, Service } from "#/features/directory/schemas.ts";

/** What the directory's use cases take and give back (directory/service.ts re-exports them). */

export const MAX_HSDS_BYTES = 10_000_000;

export type RecordStamps = { createdBy: string; createdAt: Date; updatedBy: string; updatedAt: Date };
export type StoredProvider = Provider & RecordStamps;
export type StoredService = Service & RecordStamps;

export type ProviderSummary = {
  id: string;
  name: string;
  kind: Provider["kind"];
  approvedList: boolean;
  /** Across the provider's services, in the council's order of categories. */
  categories: string[];
  /** The names of the areas its services cover, each once. */
  areas: string[];
  services: number;
};

export type ProviderPage = { rows: ProviderSummary[]; total: number; page: number; pageSize: number };

export type ProviderRecord = {
  provider: StoredProvider;
  services: StoredService[];
  /** The locations its services are offered at, each once. */
  locations: Location[];
};

export type DirectorySettings = {
  allowProvidersOffApprovedList: boolean;
  updatedBy: string | null;
  updatedAt: Date | null;
};

export type Counts = { created: number; updated: number; removed: number; unchanged: number };
export type ImportSummary = {
  mode: ImportMode;
  providers: Counts;
  services: Counts;
  locations: Counts;
  /** Fields in the file that Upfront does not keep, each named once. */
  ignoredFields: readonly string[];
  warnings: readonly string[];
  sha256: string;
};
