/**
 * Open Referral UK (HSDS) JSON import and export of the council's provider and service directory.
 *
 * SOURCES. Field names follow the Human Services Data Specification 3.0 as profiled by Open Referral UK:
 *   - OpenReferralUK/uk-profile, schema/organization.json, service.json, location.json, service_at_location.json,
 *     cost_option.json (an LGA extension), attribute.json, taxonomy_term.json, and profile/*.json (what the UK
 *     profile removes: e.g. cost_option.currency, organization.alternate_name, address.address_2,
 *     location.location_type);
 *   - openreferral/specification (HSDS 3.x), schema/service_area.json and schema/address.json;
 *   - the example OpenReferralUK/uk-profile examples/service_full.json;
 *   - HSDS API reference (openreferral/specification docs/hsds/api_reference.md): a `/services` page lists services
 *     under `contents`, each (with `full=true`) fully nested like `/services/{id}`.
 *
 * WHAT WE READ. Either a directory document as this module exports it —
 *     { "version": "3.0", "profile": …, "organizations": [...], "services": [...], "locations": [...] }
 * with each service naming its `organization_id` and each `service_at_locations` entry its `location_id` — or an
 * Open Referral UK `/services` page, `{ "contents": [ fully nested services ] }`, where each service carries its
 * `organization` and each service_at_location its `location`. Nested organisations and locations are lifted out,
 * once each; the same id with different details is an error.
 * One object as the API gives it (the profile's examples/service_full.json, organization_full.json and
 * service_at_location_full.json) is read as a page of one, with a warning saying so: a service; an organisation
 * with its `services` (which belong to it); a service_at_location with its `service` and `location`.
 * Anything else — a page of organisations or of service_at_locations, an object of no shape we know, or a file
 * that lists nothing — is refused with a message naming the shapes we read: never "imported" with nothing done.
 * A service_at_location that names no location (the profile's examples once gave only its id) is left out with
 * a warning naming it; the rest of its service is imported.
 *
 * WHAT WE KEEP (everything else is ignored, and named in `ignoredFields` so the person importing can see it):
 *   organization: id, name, description, email, website, organization_identifiers (id, identifier_scheme,
 *     identifier_type, identifier), attributes;
 *   service: id, organization_id, name, description, url, email, status, attributes, service_areas (id, name —
 *     or the older profile's `service_area` — description, uri), cost_options (id, option, amount,
 *     amount_description, valid_from, valid_to), service_at_locations (id, location_id);
 *   location: id, name, description, latitude, longitude, addresses (id, address_1, address_2, city,
 *     state_province, postal_code, country, address_type);
 *   attributes (classifications): id, link_type, taxonomy_term (id, term — or HSDS 3's `name` — taxonomy,
 *     term_uri, parent_id).
 *
 * UPFRONT'S EXTENSIONS, so the file stays a valid Open Referral UK document that other tools can read:
 *   - `upfront_approved_list` (boolean) on an organization: on the council's approved list;
 *   - `upfront_unit` on a cost_option: the unit the price is for (hour, session, …), to price plan lines;
 *   - the provider kind (user-led organisation, personal assistant) as an attribute in the taxonomy
 *     `urn:upfront:provider-kind`, and each service's support categories as attributes in the taxonomy
 *     `urn:upfront:support-category`; the term_uri ends with the id (e.g. urn:upfront:support-category:personal_care).
 *     Their attribute and taxonomy-term ids are UUIDs derived from the names (UUID version 5), so the same
 *     directory always exports the same ids.
 *
 * Money: cost_option.amount is in pounds (a number, e.g. 35 or 16.5); Upfront keeps whole pence, so an amount with
 * more than two decimal places is refused.
 *
 * Deviations, chosen and stated: organization.description is required by the standard but we accept and export
 * organisations without one; service.url is listed as required by the UK profile's service.json but is missing
 * from most real feeds, so it is optional here.
 */

export {
  HSDS_VERSION,
  type HsdsAttribute,
  type HsdsCostOption,
  type HsdsDocument,
  type HsdsLocation,
  type HsdsOrganization,
  type HsdsService,
  ORUK_PROFILE,
  UPFRONT_PROVIDER_KIND_TAXONOMY,
  UPFRONT_SUPPORT_CATEGORY_TAXONOMY,
} from "#/features/directory/hsds-document.ts";
export {
  exportHsds,
  type HsdsExportOptions,
  UPFRONT_NAMESPACE,
  uuidV5,
} from "#/features/directory/hsds-export.ts";
export { HSDS_SHAPES, type HsdsImportResult, importHsds } from "#/features/directory/hsds-import.ts";
