import { createHash } from "node:crypto";
import {
  HSDS_VERSION,
  type HsdsAttribute,
  type HsdsDocument,
  ORUK_PROFILE,
  UPFRONT_PROVIDER_KIND_TAXONOMY,
  UPFRONT_SUPPORT_CATEGORY_TAXONOMY,
} from "#/features/directory/hsds-document.ts";
import type { Directory, ProviderKind, TaxonomyTermRef } from "#/features/directory/schemas.ts";

/** Writing the directory as an HSDS document, with stable ids and Upfront's own attributes. */

// ---------------------------------------------------------------------------------------------------------------
// Writing

/** Drops undefined properties, so the JSON never carries `"field": null` for something absent. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** UUID version 5 (RFC 9562 §5.5): SHA-1 of a namespace and a name, so the same name always gives the same id. */
export function uuidV5(name: string, namespace = UPFRONT_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
/** Upfront's own namespace for derived ids (a random UUID, fixed for ever). */
export const UPFRONT_NAMESPACE = "0b6d7c3e-4a52-4f8e-9f0a-6d1c2b3a4e5f";

function upfrontAttribute(
  linkId: string,
  taxonomy: string,
  code: string,
  label: string | undefined,
): HsdsAttribute {
  return {
    id: uuidV5(`${taxonomy}:${code}@${linkId}`),
    taxonomy_term: {
      id: uuidV5(`${taxonomy}:${code}`),
      term: label ?? code,
      taxonomy,
      term_uri: `${taxonomy}:${code}`,
    },
  };
}

function otherAttribute(t: TaxonomyTermRef): HsdsAttribute {
  return compact({
    id: t.attributeId,
    link_type: t.linkType,
    taxonomy_term: compact({
      id: t.termId,
      term: t.term,
      taxonomy: t.taxonomy,
      term_uri: t.termUri,
      parent_id: t.parentId,
    }),
  });
}

/** Pence as pounds for cost_option.amount: 1650 → 16.5 (exact: whole pence have at most two decimals). */
export const pounds = (p: number) => p / 100;

export type HsdsExportOptions = {
  /** Labels for support categories (the term); the id is used where none is given. */
  readonly supportCategoryLabels?: Readonly<Record<string, string>>;
};

const PROVIDER_KIND_LABELS: Record<ProviderKind, string> = {
  organisation: "Organisation",
  user_led_organisation: "User-led organisation",
  personal_assistant: "Personal assistant",
};

/** Writes the directory as an Open Referral UK document, in the directory's own order. */
export function exportHsds(directory: Directory, options: HsdsExportOptions = {}): HsdsDocument {
  return {
    version: HSDS_VERSION,
    profile: ORUK_PROFILE,
    organizations: directory.providers.map((p) =>
      compact({
        id: p.id,
        name: p.name,
        description: p.description,
        email: p.email,
        website: p.website,
        organization_identifiers: p.identifiers.map((i) =>
          compact({
            id: i.id,
            identifier_scheme: i.scheme,
            identifier_type: i.type,
            identifier: i.identifier,
          }),
        ),
        attributes: [
          ...(p.kind === "organisation"
            ? []
            : [upfrontAttribute(p.id, UPFRONT_PROVIDER_KIND_TAXONOMY, p.kind, PROVIDER_KIND_LABELS[p.kind])]),
          ...p.otherTerms.map(otherAttribute),
        ],
        upfront_approved_list: p.approvedList,
      }),
    ),
    services: directory.services.map((s) =>
      compact({
        id: s.id,
        organization_id: s.providerId,
        name: s.name,
        description: s.description,
        url: s.url,
        email: s.email,
        status: s.status,
        attributes: [
          ...s.categories.map((c) =>
            upfrontAttribute(s.id, UPFRONT_SUPPORT_CATEGORY_TAXONOMY, c, options.supportCategoryLabels?.[c]),
          ),
          ...s.otherTerms.map(otherAttribute),
        ],
        service_areas: s.serviceAreas.map((a) =>
          compact({ id: a.id, name: a.name, description: a.description, uri: a.uri }),
        ),
        cost_options: s.costOptions.map((c) =>
          compact({
            id: c.id,
            option: c.option,
            amount: c.amountPence === undefined ? undefined : pounds(c.amountPence),
            amount_description: c.amountDescription,
            valid_from: c.validFrom,
            valid_to: c.validTo,
            upfront_unit: c.unit,
          }),
        ),
        service_at_locations: s.locations.map((l) => ({ id: l.id, location_id: l.locationId })),
      }),
    ),
    locations: directory.locations.map((l) =>
      compact({
        id: l.id,
        name: l.name,
        description: l.description,
        latitude: l.latitude,
        longitude: l.longitude,
        addresses: l.addresses.map((a) =>
          compact({
            id: a.id,
            address_1: a.address1,
            address_2: a.address2,
            city: a.city,
            state_province: a.stateProvince,
            postal_code: a.postalCode,
            country: a.country,
            address_type: a.addressType,
          }),
        ),
      }),
    ),
  };
}
