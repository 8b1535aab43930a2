import type { ADDRESS_TYPES, SERVICE_STATUSES } from "#/features/directory/schemas.ts";
import type { UNITS } from "#/vocabulary/units.ts";

/** The HSDS 3.0 document as Upfront exports it (Open Referral UK profile), and the profile's names. */

export const HSDS_VERSION = "3.0";
export const ORUK_PROFILE = "https://github.com/OpenReferralUK/uk-profile";
export const UPFRONT_SUPPORT_CATEGORY_TAXONOMY = "urn:upfront:support-category";
export const UPFRONT_PROVIDER_KIND_TAXONOMY = "urn:upfront:provider-kind";

// ---------------------------------------------------------------------------------------------------------------
// The JSON as exported

export type HsdsAttribute = {
  id: string;
  link_type?: string;
  taxonomy_term: { id: string; term: string; taxonomy?: string; term_uri?: string; parent_id?: string };
};
export type HsdsOrganization = {
  id: string;
  name: string;
  description?: string;
  email?: string;
  website?: string;
  organization_identifiers: {
    id: string;
    identifier_scheme?: string;
    identifier_type?: string;
    identifier: string;
  }[];
  attributes: HsdsAttribute[];
  upfront_approved_list: boolean;
};
export type HsdsCostOption = {
  id: string;
  option?: string;
  amount?: number;
  amount_description?: string;
  valid_from?: string;
  valid_to?: string;
  upfront_unit?: (typeof UNITS)[number];
};
export type HsdsService = {
  id: string;
  organization_id: string;
  name: string;
  description?: string;
  url?: string;
  email?: string;
  status: (typeof SERVICE_STATUSES)[number];
  attributes: HsdsAttribute[];
  service_areas: { id: string; name: string; description?: string; uri?: string }[];
  cost_options: HsdsCostOption[];
  service_at_locations: { id: string; location_id: string }[];
};
export type HsdsLocation = {
  id: string;
  name?: string;
  description?: string;
  latitude?: number;
  longitude?: number;
  addresses: {
    id: string;
    address_1: string;
    address_2?: string;
    city: string;
    state_province?: string;
    postal_code: string;
    country: string;
    address_type: (typeof ADDRESS_TYPES)[number];
  }[];
};
export type HsdsDocument = {
  version: string;
  profile: string;
  organizations: HsdsOrganization[];
  services: HsdsService[];
  locations: HsdsLocation[];
};
