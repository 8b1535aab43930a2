import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  exportHsds,
  type HsdsImportResult,
  importHsds,
  UPFRONT_SUPPORT_CATEGORY_TAXONOMY,
  uuidV5,
} from "#/features/directory/hsds.ts";
import { type Directory, directorySchema, PROVIDER_KINDS } from "#/features/directory/schemas.ts";
import { DEFAULT_SUPPORT_CATEGORIES, UNITS } from "#/features/planning/schemas.ts";

const example = JSON.parse(
  readFileSync(new URL("../../../examples/directory.hsds.json", import.meta.url), "utf8"),
);

function imported(result: HsdsImportResult) {
  if (!result.ok) throw new Error(`Import failed: ${JSON.stringify(result.errors, null, 2)}`);
  return result;
}
const errorsOf = (json: unknown) => {
  const result = importHsds(json);
  return result.ok ? [] : result.errors;
};
const clone = () => structuredClone(example);

describe("Open Referral UK round trip (issue 5: import and export the directory as HSDS JSON)", () => {
  it("rule: export(import(x)) ≡ x for a document in the fields we keep (examples/directory.hsds.json)", () => {
    const { directory, ignoredFields, warnings } = imported(importHsds(example));
    expect(exportHsds(directory)).toEqual(example);
    expect(JSON.parse(JSON.stringify(exportHsds(directory)))).toEqual(example); // survives JSON as it is
    expect(ignoredFields).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it("reads providers with their kind, the approved-list flag (an Upfront extension) and registration numbers", () => {
    const { directory } = imported(importHsds(example));
    expect(directory.providers.map((p) => [p.name, p.kind, p.approvedList])).toEqual([
      ["Riverside Home Support", "organisation", true],
      ["Ability Works", "user_led_organisation", true],
      ["Jo Patel (personal assistant)", "personal_assistant", false],
    ]);
    expect(directory.providers[0]!.identifiers[0]).toMatchObject({
      scheme: "GB-COH",
      identifier: "09876543",
    });
    expect(directory.providers[1]!.otherTerms[0]).toMatchObject({
      term: "Charity",
      linkType: "organisation_type",
    });
  });

  it("reads services' support categories, areas and prices in whole pence (cost_option.amount is pounds)", () => {
    const { directory } = imported(importHsds(example));
    const care = directory.services[0]!;
    expect(care.categories).toEqual(["personal_care", "household"]);
    expect(care.costOptions.map((c) => [c.option, c.amountPence, c.unit])).toEqual([
      ["Weekdays", 2350, "visit"],
      ["Evenings and weekends", 2695, "visit"],
    ]);
    expect(care.serviceAreas[0]!.name).toBe("Northtown borough");
    expect(care.locations).toEqual([
      { id: "a5b6c7d8-e9f0-4a1b-8c2d-4e5f6a7b8c10", locationId: "0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c11" },
    ]);
    expect(directory.locations[0]!.addresses[0]).toMatchObject({
      postalCode: "NT1 2AB",
      addressType: "physical",
    });
  });

  it("labels support categories when the council gives labels, keeping the id in term_uri", () => {
    const { directory } = imported(importHsds(example));
    const labels = Object.fromEntries(DEFAULT_SUPPORT_CATEGORIES.map((c) => [c.id, c.label]));
    const doc = exportHsds(directory, { supportCategoryLabels: labels });
    expect(doc.services[0]!.attributes[0]!.taxonomy_term).toEqual({
      id: uuidV5(`${UPFRONT_SUPPORT_CATEGORY_TAXONOMY}:personal_care`),
      term: "Personal care (washing, dressing, eating, using the toilet)",
      taxonomy: UPFRONT_SUPPORT_CATEGORY_TAXONOMY,
      term_uri: `${UPFRONT_SUPPORT_CATEGORY_TAXONOMY}:personal_care`,
    });
    expect(imported(importHsds(doc)).directory).toEqual(directory);
  });

  it("derives Upfront's attribute ids as UUID version 5 (RFC 9562), so exports are stable", () => {
    // The RFC's DNS namespace and Python's documented example: uuid5(NAMESPACE_DNS, 'python.org').
    expect(uuidV5("python.org", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe(
      "886313e1-3b8a-5372-9b90-0c9aee199e5d",
    );
  });

  it("round-trips any directory Upfront holds (property)", () => {
    const ids = fc.uuid();
    const text = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() === s && s.length > 0);
    const directoryArb: fc.Arbitrary<Directory> = fc
      .uniqueArray(ids, { minLength: 1, maxLength: 3 })
      .chain((providerIds) =>
        fc.record({
          providers: fc.tuple(
            ...providerIds.map((id) =>
              fc.record({
                id: fc.constant(id),
                name: text,
                description: fc.option(text, { nil: undefined }),
                kind: fc.constantFrom(...PROVIDER_KINDS),
                approvedList: fc.boolean(),
                identifiers: fc.constant([]),
                otherTerms: fc.constant([]),
              }),
            ),
          ),
          services: fc.uniqueArray(
            fc.record({
              id: ids,
              providerId: fc.constantFrom(...providerIds),
              name: text,
              status: fc.constantFrom("active" as const, "inactive" as const),
              categories: fc.uniqueArray(fc.constantFrom(...DEFAULT_SUPPORT_CATEGORIES.map((c) => c.id)), {
                maxLength: 3,
              }),
              otherTerms: fc.constant([]),
              serviceAreas: fc.constant([]),
              costOptions: fc.uniqueArray(
                fc.record({
                  id: ids,
                  amountPence: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: undefined }),
                  unit: fc.option(fc.constantFrom(...UNITS), { nil: undefined }),
                }),
                { maxLength: 3, selector: (c) => c.id },
              ),
              locations: fc.constant([]),
            }),
            { maxLength: 4, selector: (s) => s.id },
          ),
          locations: fc.constant([]),
        }),
      )
      .map((d) => directorySchema.parse(JSON.parse(JSON.stringify(d))));
    fc.assert(
      fc.property(directoryArb, (directory) => {
        const doc = exportHsds(directory);
        const back = imported(importHsds(JSON.parse(JSON.stringify(doc)))).directory;
        expect(back).toEqual(directory);
        expect(exportHsds(back)).toEqual(doc);
      }),
      { numRuns: 200 },
    );
  });
});

describe("importing an Open Referral UK /services page (fully nested services)", () => {
  const page = {
    total_items: 1,
    total_pages: 1,
    page_number: 1,
    size: 1,
    first_page: true,
    last_page: true,
    empty: false,
    contents: [
      {
        id: "ac148810-d857-441c-9679-408f346de14b",
        name: "Community Counselling",
        description: "Counselling by trained professionals.",
        url: "http://example.com/counselling",
        email: "email@example.com",
        status: "active",
        fees: "fees_description",
        last_modified: "2023-03-15T10:30:45.123Z",
        schedules: [{ id: "48102e86-bb50-41c4-8f1e-e269368c41d1", freq: "WEEKLY" }],
        service_areas: [
          {
            id: "381c64f1-a724-4884-9c21-ac96c21cca3e",
            service_area: "All residents of MyCity",
            extent: "extent",
            extent_type: "geojson",
          },
        ],
        service_at_locations: [
          {
            id: "e94c9f38-1e8f-4564-91d4-d53501ab1765",
            location: {
              id: "3a19ff88-4620-4d17-9830-ac1d859eb5d5",
              name: "MyCity Civic Center",
              latitude: 52.1,
              longitude: null,
              external_identifier: "10092008082",
              addresses: [
                {
                  id: "74706e55-df26-4b84-80fe-ecc30b5befb4",
                  address_1: "1-30 Main Street",
                  city: "MyCity",
                  state_province: "MyCounty",
                  postal_code: "MC1 1AA",
                  country: "GB",
                  address_type: "physical",
                },
              ],
            },
          },
        ],
        organization: {
          id: "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
          name: "Example Organization Inc.",
          description: "A non-profit organization.",
          website: "http://example.com",
          logo: "https://example.com/logo.png",
          organization_identifiers: [
            {
              id: "d4dbcebc-0802-47cb-8651-b937ac4f2f3e",
              identifier_scheme: "GB-COH",
              identifier_type: "Company number",
              identifier: "1234567",
            },
          ],
        },
        funding: [{ id: "1f2df32c-bf08-4b8e-bd6f-e834014b19bc", source: "MyCity council" }],
        cost_options: [
          {
            id: "1fdf4d39-3d80-484d-9f92-a8ffa08621e7",
            service_id: "ac148810-d857-441c-9679-408f346de14b",
            valid_from: "2020-01-01",
            valid_to: "2022-12-31",
            option: "Under 18s and Over 60s",
            amount: 35,
            amount_description: "per 1 hour session",
          },
        ],
        contacts: [{ id: "1e7efce3-639b-4880-940c-b95cd30cdb50", name: "Ann Persona" }],
        attributes: [
          { id: "ae58cc39-8b70-4ab1-8aea-786882e5ac8e", link_type: "link_type" },
          {
            id: "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
            taxonomy_term: {
              id: "3f7b145d-84af-42d7-8fae-eaca714b02b2",
              name: "Counselling",
              taxonomy: "esdServiceTypes",
            },
          },
        ],
      },
    ],
  };

  it("lifts the nested organisation and location out, keeps what Upfront keeps, and names what it ignores", () => {
    const result = imported(importHsds(page));
    expect(result.ignoredFields).toEqual([
      "location.external_identifier",
      "organization.logo",
      "service.contacts",
      "service.fees",
      "service.funding",
      "service.last_modified",
      "service.schedules",
      "service_area.extent",
      "service_area.extent_type",
    ]);
    expect(result.warnings).toEqual([
      "Attributes without a nested taxonomy_term (with its term) are not kept.",
    ]);
    expect(exportHsds(result.directory)).toEqual({
      version: "3.0",
      profile: "https://github.com/OpenReferralUK/uk-profile",
      organizations: [
        {
          id: "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
          name: "Example Organization Inc.",
          description: "A non-profit organization.",
          website: "http://example.com",
          organization_identifiers: [
            {
              id: "d4dbcebc-0802-47cb-8651-b937ac4f2f3e",
              identifier_scheme: "GB-COH",
              identifier_type: "Company number",
              identifier: "1234567",
            },
          ],
          attributes: [],
          upfront_approved_list: false,
        },
      ],
      services: [
        {
          id: "ac148810-d857-441c-9679-408f346de14b",
          organization_id: "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
          name: "Community Counselling",
          description: "Counselling by trained professionals.",
          url: "http://example.com/counselling",
          email: "email@example.com",
          status: "active",
          attributes: [
            {
              id: "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
              taxonomy_term: {
                id: "3f7b145d-84af-42d7-8fae-eaca714b02b2",
                term: "Counselling",
                taxonomy: "esdServiceTypes",
              },
            },
          ],
          service_areas: [{ id: "381c64f1-a724-4884-9c21-ac96c21cca3e", name: "All residents of MyCity" }],
          cost_options: [
            {
              id: "1fdf4d39-3d80-484d-9f92-a8ffa08621e7",
              option: "Under 18s and Over 60s",
              amount: 35,
              amount_description: "per 1 hour session",
              valid_from: "2020-01-01",
              valid_to: "2022-12-31",
            },
          ],
          service_at_locations: [
            {
              id: "e94c9f38-1e8f-4564-91d4-d53501ab1765",
              location_id: "3a19ff88-4620-4d17-9830-ac1d859eb5d5",
            },
          ],
        },
      ],
      locations: [
        {
          id: "3a19ff88-4620-4d17-9830-ac1d859eb5d5",
          name: "MyCity Civic Center",
          latitude: 52.1,
          addresses: [
            {
              id: "74706e55-df26-4b84-80fe-ecc30b5befb4",
              address_1: "1-30 Main Street",
              city: "MyCity",
              state_province: "MyCounty",
              postal_code: "MC1 1AA",
              country: "GB",
              address_type: "physical",
            },
          ],
        },
      ],
    });
    expect(result.directory.services[0]!.costOptions[0]!.amountPence).toBe(3500);
  });

  it("a provider from a feed without Upfront's extensions is an organisation, not on the approved list", () => {
    const { directory } = imported(importHsds(page));
    expect(directory.providers[0]).toMatchObject({ kind: "organisation", approvedList: false });
  });

  it("refuses the same organisation nested twice with different details", () => {
    const two = structuredClone(page);
    const second = structuredClone(page.contents[0]!);
    second.id = "bb148810-d857-441c-9679-408f346de14b";
    second.organization.name = "Another name";
    two.contents.push(second);
    expect(errorsOf(two)).toEqual([
      {
        path: "contents[1].organization",
        message:
          'This organisation "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610" differs from the one at contents[0].organization: give one set of details for it',
      },
    ]);
  });
});

describe("import refuses bad files with row and field errors, importing nothing", () => {
  it("rule: an amount with more than two decimal places of a pound is refused (money is whole pence)", () => {
    const doc = clone();
    doc.services[0].cost_options[0].amount = 23.555;
    expect(errorsOf(doc)).toEqual([
      {
        path: "services[0].cost_options[0].amount",
        message: "Give the amount in pounds to at most two decimal places",
      },
    ]);
    doc.services[0].cost_options[0].amount = -1;
    expect(errorsOf(doc)[0]!.message).toBe("The amount cannot be negative");
    doc.services[0].cost_options[0].amount = "23.50";
    expect(errorsOf(doc)[0]!.message).toMatch(/Give the amount in pounds, as a number/);
  });

  it("names every bad field at once: missing name, unknown status, bad email, web address and dates", () => {
    const doc = clone();
    doc.organizations[0].name = "";
    doc.services[1].status = "open";
    doc.services[1].email = "not-an-email";
    doc.organizations[1].website = "www.abilityworks.example";
    doc.services[0].cost_options[1].valid_to = "2026-02-30";
    doc.locations[0].addresses[0].country = "United Kingdom";
    expect(errorsOf(doc).map((e) => e.path)).toEqual([
      "organizations[0].name",
      "organizations[1].website",
      "services[0].cost_options[1].valid_to",
      "services[1].email",
      "services[1].status",
      "locations[0].addresses[0].country",
    ]);
  });

  it("refuses a price that ends before it starts", () => {
    const doc = clone();
    doc.services[0].cost_options[0].valid_to = "2026-03-31";
    expect(errorsOf(doc)).toEqual([
      { path: "services[0].cost_options[0].valid_to", message: "valid_to is before valid_from" },
    ]);
  });

  it("refuses references to organisations and locations that are not in the file, and duplicate ids", () => {
    const doc = clone();
    doc.services[1].organization_id = "no-such-org";
    doc.services[0].service_at_locations[0].location_id = "no-such-place";
    doc.services[2].id = doc.services[3].id;
    doc.organizations[2].id = doc.organizations[0].id;
    expect(errorsOf(doc)).toEqual([
      {
        path: "organizations[2].id",
        message: `Another organisation (organizations[0]) has the id "${doc.organizations[0].id}"`,
      },
      { path: "services[3].id", message: `Another service (services[2]) has the id "${doc.services[3].id}"` },
      {
        path: "services[0].service_at_locations[0].location_id",
        message: 'There is no location "no-such-place" in the file',
      },
      { path: "services[1].organization_id", message: 'There is no organisation "no-such-org" in the file' },
      // The personal assistant's organisation lost its id to the duplicate, so its service points nowhere.
      {
        path: "services[3].organization_id",
        message: 'There is no organisation "b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d05" in the file',
      },
    ]);
  });

  it("refuses a service with no organisation, an unknown provider kind and a bad support category", () => {
    const doc = clone();
    delete doc.services[0].organization_id;
    expect(errorsOf(doc)).toEqual([
      {
        path: "services[0].organization_id",
        message: "Say which organisation provides this service: give organization_id, or the organization",
      },
    ]);
    const kind = clone();
    kind.organizations[1].attributes[0].taxonomy_term.term_uri = "urn:upfront:provider-kind:charity_shop";
    expect(errorsOf(kind)[0]).toEqual({
      path: "organizations[1].attributes",
      message:
        '"charity_shop" is not a provider kind: use one of organisation, user_led_organisation, personal_assistant',
    });
    const category = clone();
    category.services[0].attributes[0].taxonomy_term.term_uri = `${UPFRONT_SUPPORT_CATEGORY_TAXONOMY}:Personal Care`;
    expect(errorsOf(category)[0]!.message).toBe('"Personal Care" is not a support category id');
  });

  it("refuses something that is not a directory", () => {
    expect(errorsOf([])).toEqual([
      {
        path: "(top level)",
        message:
          "Give an Open Referral UK directory: { organizations, services, locations }, or a page of { contents }",
      },
    ]);
    expect(errorsOf({ services: "none" })).toEqual([{ path: "services", message: "This must be a list" }]);
  });

  it("reads null as absent, and numeric ids as text", () => {
    const doc = clone();
    doc.organizations[0].email = null;
    doc.services[0].description = null;
    doc.services[0].service_areas = null;
    doc.locations[0].addresses[0].id = 42;
    const { directory } = imported(importHsds(doc));
    expect(directory.providers[0]!.email).toBeUndefined();
    expect(directory.services[0]!.serviceAreas).toEqual([]);
    expect(directory.locations[0]!.addresses[0]!.id).toBe("42");
  });
});
