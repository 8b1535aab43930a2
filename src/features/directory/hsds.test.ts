import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  exportHsds,
  HSDS_SHAPES,
  type HsdsImportResult,
  importHsds,
  UPFRONT_SUPPORT_CATEGORY_TAXONOMY,
  uuidV5,
} from "#/features/directory/hsds.ts";
import { type Directory, directorySchema, PROVIDER_KINDS } from "#/features/directory/schemas.ts";
import { createViewEnvironment } from "#/platform/web/views.ts";
import { DEFAULT_SUPPORT_CATEGORIES } from "#/vocabulary/support-categories.ts";
import { UNITS } from "#/vocabulary/units.ts";
import { pageText } from "../../../test/inject-browser.ts";

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
    expect(errorsOf([])).toEqual([{ path: "(top level)", message: `Give a JSON object. ${HSDS_SHAPES}.` }]);
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

describe("the Open Referral UK profile's own published examples (issue 19), as published", () => {
  // Byte-for-byte copies of OpenReferralUK/uk-profile examples/*.json: see fixtures/oruk/README.md.
  const oruk = (file: string, edit = (text: string) => text) =>
    JSON.parse(edit(readFileSync(new URL(`./fixtures/oruk/${file}`, import.meta.url), "utf8")));
  const realLatitude = (text: string) => text.replace('"latitude": 100,', '"latitude": 52.1,');
  const SERVICE = "ac148810-d857-441c-9679-408f346de14b";
  const ORGANIZATION = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610";
  const SAL = "e94c9f38-1e8f-4564-91d4-d53501ab1765";
  const LOCATION = "3a19ff88-4620-4d17-9830-ac1d859eb5d5";
  // The older examples' one attribute has no taxonomy_term: an existing warning, kept.
  const NO_TERM = "Attributes without a nested taxonomy_term (with its term) are not kept.";
  const unlocated = (where: string) =>
    `The service "Community Counselling" lists a service_at_location (id ${SAL}, at ${where}) that does not say which location it is: it has neither location_id nor a nested location. It was left out and the rest of the service was imported. To include it, give its location_id or its location.`;

  it("rule (issue 19): a service_at_location that names no location is left out with a warning naming it, and the rest of the service is imported (service_full.json of 7ccc2fc as a /services page)", () => {
    const result = imported(importHsds({ contents: [oruk("7ccc2fc/service_full.json")] }));
    expect(result.warnings).toEqual([unlocated("contents[0].service_at_locations[0]"), NO_TERM]);
    const { directory } = result;
    expect(directory.providers.map((p) => [p.id, p.name])).toEqual([
      [ORGANIZATION, "Example Organization Inc."],
    ]);
    expect(directory.services).toHaveLength(1);
    expect(directory.services[0]).toMatchObject({ id: SERVICE, providerId: ORGANIZATION, locations: [] });
    expect(directory.services[0]!.costOptions[0]!.amountPence).toBe(3500);
    expect(directory.locations).toEqual([]);
    // Next to one that names its location, only the one that does not is left out.
    const page = { contents: [oruk("7ccc2fc/service_full.json")] };
    page.contents[0].service_at_locations.push({ id: "sal-2", location: { id: "loc-2", name: "Library" } });
    const two = imported(importHsds(page));
    expect(two.directory.services[0]!.locations).toEqual([{ id: "sal-2", locationId: "loc-2" }]);
    expect(two.directory.locations.map((l) => l.id)).toEqual(["loc-2"]);
    expect(two.warnings).toEqual([unlocated("contents[0].service_at_locations[0]"), NO_TERM]);
  });

  it("rule (issue 19): a bare service is read as a page of one, with a warning — never ok with nothing imported (service_full.json of 7ccc2fc)", () => {
    const result = imported(importHsds(oruk("7ccc2fc/service_full.json")));
    expect(result.warnings).toEqual([
      "The file is one service, not a directory or a page of services: it was read as a page of that one service.",
      unlocated("service_at_locations[0]"),
      NO_TERM,
    ]);
    expect(result.directory.services.map((s) => s.id)).toEqual([SERVICE]);
    expect(result.directory.providers.map((p) => p.id)).toEqual([ORGANIZATION]);
    expect(result.servicePaths).toEqual([[]]);
    expect(result.ignoredFields).toContain("service.schedules");
  });

  it("rule (issue 19): a bare organisation is read as that organisation with its services, which belong to it (organization_full.json of 7ccc2fc)", () => {
    const result = imported(importHsds(oruk("7ccc2fc/organization_full.json")));
    expect(result.warnings).toEqual([
      "The file is one organisation, not a directory or a page of services: it was read as that organisation with its 1 service.",
      unlocated("services[0].service_at_locations[0]"),
      NO_TERM,
    ]);
    expect(result.directory.providers.map((p) => [p.id, p.identifiers[0]?.identifier])).toEqual([
      [ORGANIZATION, "1234567"],
    ]);
    expect(result.directory.services.map((s) => [s.id, s.providerId])).toEqual([[SERVICE, ORGANIZATION]]);
    expect(result.servicePaths).toEqual([["services", 0]]);
    expect(result.ignoredFields).not.toContain("organization.services"); // read, not ignored
    expect(result.ignoredFields).toContain("organization.logo");
  });

  it("rule (issue 19): a bare service_at_location is read as its service; one naming no location leaves the service without it, with a warning (service_at_location_full.json of 7ccc2fc)", () => {
    const result = imported(importHsds(oruk("7ccc2fc/service_at_location_full.json")));
    expect(result.warnings).toEqual([
      "The file is one service_at_location, not a directory or a page of services: it was read as its service, offered at its location.",
      unlocated("(top level)"),
      NO_TERM,
    ]);
    expect(result.directory.services.map((s) => [s.id, s.providerId, s.locations])).toEqual([
      [SERVICE, ORGANIZATION, []],
    ]);
    expect(result.servicePaths).toEqual([["service"]]);
  });

  it.each([
    ["service_full.json", "service_at_locations[0].location.latitude"],
    ["organization_full.json", "services[0].service_at_locations[0].location.latitude"],
    ["service_at_location_full.json", "location.latitude"],
  ])(
    "rule (issue 19): the current %s is refused with a clear reason (its placeholder latitude 100 is off the globe); with a real latitude it imports whole",
    (file, path) => {
      expect(importHsds(oruk(file))).toEqual({
        ok: false,
        errors: [{ path, message: "The latitude is in degrees, from -90 to 90" }],
        empty: false,
      });
      // Everything else in it is understood: correct only the latitude and it imports, location and all.
      const { directory, warnings } = imported(importHsds(oruk(file, realLatitude)));
      expect(warnings).toHaveLength(1); // which shape the file was read as
      expect(directory.providers.map((p) => p.id)).toEqual([ORGANIZATION]);
      expect(directory.services.map((s) => [s.id, s.providerId, s.locations])).toEqual([
        [SERVICE, ORGANIZATION, [{ id: SAL, locationId: LOCATION }]],
      ]);
      expect(
        directory.locations.map((l) => [l.id, l.latitude, l.longitude, l.addresses[0]?.postalCode]),
      ).toEqual([[LOCATION, 52.1, 101, "ABC 1234"]]);
    },
  );

  it("rule (issue 19): a document of no shape Upfront reads is refused, saying which shapes it reads — never ok with nothing done", () => {
    const refused = (json: unknown) => {
      const result = importHsds(json);
      if (result.ok) throw new Error(`imported: ${JSON.stringify(json)}`);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]!.message).toContain(HSDS_SHAPES);
      return result;
    };
    // Nothing in it at all.
    for (const nothing of [{}, { version: "3.0" }, { contents: [] }, { organizations: [], services: [] }]) {
      expect(refused(nothing)).toMatchObject({
        empty: true,
        errors: [
          { message: expect.stringMatching(/^The file lists no organisations, services or locations/) },
        ],
      });
    }
    // An HSDS 3 /organizations page: organisations under contents.
    const organizations = { contents: [oruk("organization_full.json")], total_items: 1 };
    expect(refused(organizations)).toMatchObject({
      empty: false,
      errors: [{ path: "contents", message: expect.stringMatching(/^This is a page of organisations/) }],
    });
    // A /service_at_locations page, and a page of something else (taxonomy terms).
    expect(refused({ contents: [oruk("service_at_location_full.json")] }).errors[0]!.message).toMatch(
      /^This is a page of service_at_locations/,
    );
    expect(
      refused({ contents: [{ id: "t1", name: "Counselling", taxonomy_id: "x" }] }).errors[0]!.message,
    ).toMatch(/^The items under contents are not services/);
    // Top-level fields of no shape we know are named.
    expect(refused({ data: [], meta: {} }).errors[0]!.message).toMatch(
      /^Upfront cannot tell what this file is: .*"data", "meta"/,
    );
  });

  it("rule (issue 19): a service_at_location file whose service lists it again reads it once; two of one service with the same id are refused", () => {
    const doc = oruk("service_at_location_full.json", realLatitude);
    doc.service.service_at_locations = [{ id: SAL, location_id: LOCATION }];
    expect(imported(importHsds(doc)).directory.services[0]!.locations).toEqual([
      { id: SAL, locationId: LOCATION },
    ]);
    const page = { contents: [oruk("service_full.json", realLatitude)] };
    page.contents[0].service_at_locations.push({ id: SAL, location_id: LOCATION });
    expect(errorsOf(page)).toEqual([
      {
        path: "contents[0].service_at_locations[1].id",
        message: `Another service_at_location of this service has the id "${SAL}"`,
      },
    ]);
  });

  it("rule (issue 19): the import summary page lists the warnings under a heading, as GOV.UK warning text and a list", () => {
    const result = imported(importHsds({ contents: [oruk("7ccc2fc/service_full.json")] }));
    const counts = { created: 1, updated: 0, removed: 0, unchanged: 0 };
    const html = createViewEnvironment().render("directory/views/import-result.njk", {
      title: "The directory file has been imported",
      fileName: "service_full.json",
      summary: {
        mode: "merge",
        providers: counts,
        services: counts,
        locations: { ...counts, created: 0 },
        ignoredFields: result.ignoredFields,
        warnings: result.warnings,
      },
    });
    expect(html).toMatch(
      /<h2 class="govuk-heading-m">Warnings \(2\)<\/h2>\s*<div class="govuk-warning-text">/,
    );
    expect(html).toMatch(
      /<ul class="govuk-list govuk-list--bullet"><li>The service &quot;Community Counselling&quot; lists a service_at_location/,
    );
    expect(pageText(html)).toContain(unlocated("contents[0].service_at_locations[0]"));
  });
});
