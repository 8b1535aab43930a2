import { readFileSync } from "node:fs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportHsds, importHsds } from "#/features/directory/hsds.ts";
import {
  createProvider,
  createService,
  directoryIn,
  exportDirectory,
  getDirectorySettings,
  getProvider,
  importDirectory,
  providersForPlanIn,
  searchProviders,
  setDirectorySettings,
  updateProvider,
  updateService,
} from "#/features/directory/service.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { NotFoundError, ValidationError } from "#/platform/errors.ts";
import { DEMO_STAFF, OTHER_STAFF } from "#/seed/seed.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * The provider and service directory through its service, on every engine: the HSDS round trip through the
 * database, imports refused whole with every problem and nothing written, merge and replace, providers and
 * services added and edited (audited, refused whole), search by text, category, area, kind and approved list,
 * the approved-list setting, and tenant isolation. Demo Council has the example directory seeded; the blank
 * council ("Other Council") starts empty.
 */

const EXAMPLE = JSON.parse(
  readFileSync(new URL("../../../examples/directory.hsds.json", import.meta.url), "utf8"),
);
const RIVERSIDE = "5f0f8a2e-8d2b-4c55-9a51-2d8b1f0c9a01";
const JO = "b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d05";

describe.each(enginesUnderTest())("directory service on %s", (engine) => {
  let database: TestDatabase;
  let demo: ServiceContext;
  let blank: ServiceContext;

  async function contextFor(email: string): Promise<ServiceContext> {
    const user = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("staff_users")
        .where("email", "=", email)
        .select(["tenant_id", "user_id"])
        .executeTakeFirstOrThrow(),
    );
    return {
      db: database.db,
      scope: { tenantId: user.tenant_id, actor: { type: "staff", id: user.user_id } },
      today: TODAY,
    };
  }

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    demo = await contextFor(DEMO_STAFF.find((s) => s.roles.includes("administrator"))!.email);
    blank = await contextFor(OTHER_STAFF[0]!.email);
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
  });

  const rows = async (ctx: ServiceContext) => {
    const n = async (table: string) =>
      Number(
        (
          await sql<{
            n: string;
          }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE tenant_id = ${ctx.scope.tenantId}`.execute(
            database.db,
          )
        ).rows[0]!.n,
      );
    return {
      providers: await n("directory_providers"),
      services: await n("directory_services"),
      locations: await n("directory_locations"),
      links: await n("directory_service_locations"),
      audit: await n("audit_events"),
    };
  };
  const auditOf = (ctx: ServiceContext, recordType: string) =>
    withSystem(database.db, (trx) =>
      trx
        .selectFrom("audit_events")
        .select(["action", "record_id", "changes", "actor_id"])
        .where("tenant_id", "=", ctx.scope.tenantId)
        .where("record_type", "=", recordType)
        .orderBy("occurred_at")
        .orderBy("event_id")
        .execute(),
    );

  it("rule: HSDS round trip through the database — export(stored import of x) reads back as x, and re-importing it changes nothing", async () => {
    const exported = await exportDirectory(demo);
    const fromFile = importHsds(EXAMPLE);
    const fromExport = importHsds(JSON.parse(JSON.stringify(exported)));
    if (!fromFile.ok || !fromExport.ok) throw new Error("import failed");
    expect(fromExport.directory).toEqual(fromFile.directory);
    expect(await inTenant(demo, (t) => directoryIn(t))).toEqual(fromFile.directory);
    // Without the council's labels, the export is the example file itself.
    expect(exportHsds(await inTenant(demo, (t) => directoryIn(t)))).toEqual(EXAMPLE);
    // The export uses the council's labels for support categories.
    expect(exported.services[0]!.attributes[0]!.taxonomy_term?.term).toBe(
      "Personal care (washing, dressing, eating, using the toilet)",
    );

    const again = await importDirectory(demo, { json: exported, mode: "merge" });
    expect(again.providers).toEqual({ created: 0, updated: 0, removed: 0, unchanged: 3 });
    expect(again.services).toEqual({ created: 0, updated: 0, removed: 0, unchanged: 4 });
    expect(again.locations).toEqual({ created: 0, updated: 0, removed: 0, unchanged: 1 });
    const exports = await auditOf(demo, "directory");
    expect(exports.map((e) => e.action)).toEqual(["import", "export", "import"]);
  });

  it("rule (Bad input): an import is refused whole — every problem named by where it is in the file — and nothing is written", async () => {
    const bad = structuredClone(EXAMPLE);
    bad.organizations[0].name = "";
    bad.services[0].cost_options[0].amount = 23.505;
    bad.services[2].attributes.push({
      id: "c0ffee00-0000-4000-8000-000000000001",
      taxonomy_term: {
        id: "c0ffee00-0000-4000-8000-000000000002",
        term: "Gardening",
        taxonomy: "urn:upfront:support-category",
        term_uri: "urn:upfront:support-category:gardening",
      },
    });
    const before = await rows(blank);
    const error = (await importDirectory(blank, { json: bad }).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe("The file was not used: 2 problems need correcting");
    expect(error.fieldErrors).toEqual([
      { path: "organizations[0].name", message: "Give the organisation's name" },
      {
        path: "services[0].cost_options[0].amount",
        message: "Give the amount in pounds to at most two decimal places",
      },
    ]);
    expect(await rows(blank)).toEqual(before);

    // Support categories the council does not use are refused too (checked once the file reads).
    const gardening = structuredClone(EXAMPLE);
    gardening.services[2].attributes.push(bad.services[2].attributes.at(-1));
    const refused = (await importDirectory(blank, { json: gardening }).catch(
      (e: unknown) => e,
    )) as ValidationError;
    expect(refused.fieldErrors).toEqual([
      {
        path: "services[2].attributes",
        message: expect.stringMatching(/^"gardening" is not one of the council's support categories/),
      },
    ]);
    const notJson = (await importDirectory(blank, { text: "{ not json" }).catch(
      (e: unknown) => e,
    )) as ValidationError;
    expect(notJson.fieldErrors[0]).toMatchObject({
      path: "file",
      message: expect.stringMatching(/^The file is not JSON/),
    });
    expect(await rows(blank)).toEqual(before);
  });

  it("rule: merge adds new records and replaces those with the same id, leaving the rest; replace makes the file the whole directory", async () => {
    const first = await importDirectory(blank, {
      text: JSON.stringify(EXAMPLE),
      fileName: "directory.hsds.json",
    });
    expect(first.providers).toEqual({ created: 3, updated: 0, removed: 0, unchanged: 0 });
    expect(await rows(blank)).toMatchObject({ providers: 3, services: 4, locations: 1, links: 1 });

    // A file with one changed organisation and one new one: merge keeps the other two as they were.
    const partial = {
      organizations: [
        { ...EXAMPLE.organizations[0], name: "Riverside Home Support Ltd" },
        {
          id: "new-org-1",
          name: "Brightside Day Opportunities",
          organization_identifiers: [],
          attributes: [],
          upfront_approved_list: true,
        },
      ],
      services: [],
      locations: [],
    };
    const merged = await importDirectory(blank, { json: partial, mode: "merge" });
    expect(merged.providers).toEqual({ created: 1, updated: 1, removed: 0, unchanged: 2 });
    expect(merged.services).toEqual({ created: 0, updated: 0, removed: 0, unchanged: 4 });
    const all = await inTenant(blank, (t) => directoryIn(t));
    expect(all.providers.map((p) => p.name)).toEqual([
      "Riverside Home Support Ltd",
      "Ability Works",
      "Jo Patel (personal assistant)",
      "Brightside Day Opportunities",
    ]);

    // Replace: only what is in the file remains (the services and location go with their organisations).
    const replaced = await importDirectory(blank, { json: partial, mode: "replace" });
    expect(replaced.providers).toEqual({ created: 0, updated: 0, removed: 2, unchanged: 2 });
    expect(replaced.services.removed).toBe(4);
    expect(replaced.locations.removed).toBe(1);
    expect(await rows(blank)).toMatchObject({ providers: 2, services: 0, locations: 0, links: 0 });

    const events = (await auditOf(blank, "directory")).map((e) => e.changes as Record<string, unknown>);
    expect(events.map((e) => e.mode)).toEqual(["merge", "merge", "replace"]);
    expect(events[0]).toMatchObject({
      fileName: "directory.hsds.json",
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(events[2]).toMatchObject({
      providers: { removed: 2, removedIds: [EXAMPLE.organizations[1].id, JO] },
    });

    // Back to the example, for the tests that follow.
    await importDirectory(blank, { json: EXAMPLE, mode: "replace" });
    expect(await rows(blank)).toMatchObject({ providers: 3, services: 4, locations: 1 });
  });

  it("rule: adding and editing a provider is checked whole and audited with what changed; registration numbers are kept", async () => {
    const before = await rows(blank);
    const bad = (await createProvider(blank, {
      name: " ",
      kind: "charity",
      approvedList: "maybe",
      email: "not-an-email",
    }).catch((e: unknown) => e)) as ValidationError;
    expect(bad).toBeInstanceOf(ValidationError);
    expect(bad.fieldErrors.map((e) => e.path).sort()).toEqual(["approvedList", "kind"]);
    const badEmail = (await createProvider(blank, {
      name: " ",
      kind: "organisation",
      approvedList: "true",
      email: "not-an-email",
    }).catch((e: unknown) => e)) as ValidationError;
    expect(badEmail.fieldErrors.map((e) => e.path).sort()).toEqual(["email", "name"]);
    expect(await rows(blank)).toEqual(before);

    const created = await createProvider(blank, {
      name: "Sam Lee (personal assistant)",
      kind: "personal_assistant",
      approvedList: false,
      email: "sam@example.org",
    });
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/); // a UUIDv7
    expect(created.createdBy).toBe(blank.scope.actor.id);

    const updated = await updateProvider(blank, RIVERSIDE, {
      name: "Riverside Home Support",
      kind: "organisation",
      approvedList: "false",
      description: "",
      email: "hello@riverside-support.example",
      website: "https://riverside-support.example",
    });
    expect(updated.approvedList).toBe(false);
    expect(updated.description).toBeUndefined();
    expect(updated.identifiers[0]!.identifier).toBe("09876543");

    const events = await auditOf(blank, "directory_provider");
    expect(events.map((e) => [e.action, e.record_id])).toEqual([
      ["create", created.id],
      ["update", RIVERSIDE],
    ]);
    expect(events[1]!.changes).toEqual({
      approvedList: { from: true, to: false },
      description: {
        from: "Home care and support across the borough, registered with the Care Quality Commission.",
        to: null,
      },
    });
    await expect(
      updateProvider(blank, "no-such-provider", { name: "x", kind: "organisation", approvedList: true }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("rule: a service is checked whole (council's categories, prices in whole pence); areas and prices keep their ids and dates; audited", async () => {
    const bad = (await createService(blank, JO, {
      name: "Gardening",
      status: "active",
      categories: ["gardening"],
      prices: [{ amountPence: -1 }],
    }).catch((e: unknown) => e)) as ValidationError;
    expect(bad.fieldErrors.map((e) => e.path)).toEqual(["costOptions[0].amountPence"]);
    const badCategory = (await createService(blank, JO, {
      name: "Gardening",
      status: "active",
      categories: ["gardening"],
    }).catch((e: unknown) => e)) as ValidationError;
    expect(badCategory.fieldErrors).toEqual([
      { path: "categories", message: expect.stringMatching(/^"gardening" is not one of the council's/) },
    ]);

    const service = await createService(blank, JO, {
      name: "Help with shopping",
      status: "active",
      categories: ["household", "household"],
      areas: ["Northtown borough", " northtown BOROUGH ", "Southtown"],
      prices: [{ option: "Weekdays", amountPence: 1650, unit: "hour" }],
    });
    expect(service.categories).toEqual(["household"]);
    expect(service.serviceAreas.map((a) => a.name)).toEqual(["Northtown borough", "Southtown"]);

    const record = await getProvider(blank, RIVERSIDE);
    const care = record.services[0]!;
    const withDates = care.costOptions.find((c) => c.validFrom !== undefined);
    const edited = await updateService(blank, RIVERSIDE, care.id, {
      name: care.name,
      description: care.description,
      url: care.url,
      email: care.email,
      status: "temporarily closed",
      categories: care.categories,
      areas: [care.serviceAreas[0]!.name],
      prices: care.costOptions.map((c) => ({
        id: c.id,
        option: c.option,
        amountPence: c.amountPence,
        unit: c.unit,
        amountDescription: c.amountDescription,
      })),
    });
    expect(edited.status).toBe("temporarily closed");
    expect(edited.serviceAreas[0]!.id).toBe(care.serviceAreas[0]!.id);
    expect(edited.costOptions.map((c) => c.id)).toEqual(care.costOptions.map((c) => c.id));
    if (withDates)
      expect(edited.costOptions.find((c) => c.id === withDates.id)?.validFrom).toBe(withDates.validFrom);
    expect(edited.locations).toEqual(care.locations);

    const events = await auditOf(blank, "directory_service");
    expect(events.map((e) => e.action)).toEqual(["create", "update"]);
    expect(Object.keys(events[1]!.changes as object)).toEqual(["status"]);
    await expect(updateService(blank, JO, care.id, { name: "x", status: "active" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it("rule: search finds providers by name or service name, support category, area, kind and approved list", async () => {
    const names = async (query: Parameters<typeof searchProviders>[1]) =>
      (await searchProviders(demo, query)).rows.map((r) => r.name);
    expect(await names({})).toEqual([
      "Ability Works",
      "Jo Patel (personal assistant)",
      "Riverside Home Support",
    ]);
    expect(await names({ search: "home care" })).toEqual(["Riverside Home Support"]);
    expect(await names({ category: "employment" })).toEqual(["Ability Works"]);
    expect(await names({ area: "northtown" })).toContain("Riverside Home Support");
    expect(await names({ kind: "personal_assistant" })).toEqual(["Jo Patel (personal assistant)"]);
    expect(await names({ approvedList: "false" })).toEqual(["Jo Patel (personal assistant)"]);
    expect(await names({ search: "100%_" })).toEqual([]);
    const page = await searchProviders(demo, { pageSize: 1, page: 2 });
    expect(page).toMatchObject({ total: 3, page: 2, pageSize: 1 });
    expect(page.rows[0]).toMatchObject({ name: "Jo Patel (personal assistant)", kind: "personal_assistant" });
    const riverside = (await searchProviders(demo, { search: "Riverside" })).rows[0]!;
    expect(riverside.categories).toEqual(["personal_care", "household"]);
    await expect(searchProviders(demo, { category: "Not A Category" })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it("rule: plans may use providers off the approved list only where the council allows it (default: not); a change is audited", async () => {
    expect((await getDirectorySettings(blank)).allowProvidersOffApprovedList).toBe(false);
    expect((await getDirectorySettings(demo)).allowProvidersOffApprovedList).toBe(true); // the demo seed
    const saved = await setDirectorySettings(blank, { allowProvidersOffApprovedList: true });
    expect(saved).toMatchObject({ allowProvidersOffApprovedList: true, updatedBy: blank.scope.actor.id });
    await expect(
      setDirectorySettings(blank, { allowProvidersOffApprovedList: "yes" }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect((await auditOf(blank, "directory_settings")).map((e) => e.changes)).toEqual([
      { allowProvidersOffApprovedList: { from: false, to: true } },
    ]);
    const forPlan = await inTenant(blank, (t) => providersForPlanIn(t, [JO, "missing"]));
    expect(forPlan.allowProvidersOffApprovedList).toBe(true);
    expect(forPlan.providers.get(JO)).toEqual({
      name: "Jo Patel (personal assistant)",
      kind: "personal_assistant",
      approvedList: false,
    });
    expect(forPlan.providers.has("missing")).toBe(false);
  });

  it("rule: tenants are isolated — a provider one council added is not found by another", async () => {
    const mine = await createProvider(blank, {
      name: "Only in Other Council",
      kind: "organisation",
      approvedList: true,
    });
    await expect(getProvider(demo, mine.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await searchProviders(demo, { search: "Only in Other" })).total).toBe(0);
  });
});
