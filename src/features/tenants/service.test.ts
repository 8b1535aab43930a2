import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adoptRasModel,
  createTenant,
  currentRasModel,
  findTenantById,
  findTenantBySlug,
  listRasModels,
} from "#/features/tenants/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { exampleRasModel } from "#/rules/england/ras-model.example.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";

describe.each(enginesUnderTest())("tenants service on %s", (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
  });
  afterAll(async () => {
    await database?.drop();
  });

  const ctxFor = (tenantId: string): ServiceContext => ({
    db: database.db,
    scope: { tenantId, actor: { type: "staff", id: "admin-1" } },
    today: TODAY,
  });

  it("rule: a new tenant adopts its rule pack's example RAS model as version 1, by the system", async () => {
    const tenant = await createTenant(
      database.db,
      { slug: "north-shire", name: "North Shire Council", jurisdiction: "england" },
      { today: TODAY },
    );
    expect(await findTenantBySlug(database.db, "north-shire")).toEqual(tenant);
    expect(await findTenantById(database.db, tenant.tenantId)).toEqual(tenant);
    const model = await currentRasModel(ctxFor(tenant.tenantId));
    expect(model).toMatchObject({
      version: 1,
      adoptedBy: "system",
      reason: "Example model shipped with the England rule pack",
      model: exampleRasModel,
    });
  });

  it("rule: a tenant's short name is unique and well formed", async () => {
    await createTenant(database.db, { slug: "dup", name: "Dup", jurisdiction: "england" }, { today: TODAY });
    await expect(
      createTenant(
        database.db,
        { slug: "dup", name: "Dup again", jurisdiction: "england" },
        { today: TODAY },
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    const error = (await createTenant(
      database.db,
      { slug: "Bad Slug", name: "", jurisdiction: "mars" },
      { today: TODAY },
    ).catch((e: unknown) => e)) as ValidationError;
    expect(error.fieldErrors.map((f) => f.path).sort()).toEqual(["jurisdiction", "name", "slug"]);
    // Public pages live at /{short name}/…: a name the service routes itself would hide them.
    const reserved = (await createTenant(
      database.db,
      { slug: "people", name: "People Council", jurisdiction: "england" },
      { today: TODAY },
    ).catch((e: unknown) => e)) as ValidationError;
    expect(reserved.fieldErrors).toEqual([
      { path: "slug", message: "That short name is used by the service itself: choose another" },
    ]);
  });

  it("rule: the current RAS model is the highest version; a bad model is refused with its fields named", async () => {
    const tenant = await createTenant(
      database.db,
      { slug: "south-shire", name: "South Shire", jurisdiction: "england" },
      { today: TODAY },
    );
    const ctx = ctxFor(tenant.tenantId);
    const bad = (await adoptRasModel(ctx, {
      model: { ...exampleRasModel, minimumWeeklyPence: -1 },
      reason: "",
    }).catch((e: unknown) => e)) as ValidationError;
    expect(bad).toBeInstanceOf(ValidationError);
    expect(bad.fieldErrors.map((f) => f.path)).toEqual(["model.minimumWeeklyPence", "reason"]);
    const wrongQuestionnaire = adoptRasModel(ctx, {
      model: { ...exampleRasModel, questionnaireId: "other-questionnaire" },
      reason: "Try",
    });
    await expect(wrongQuestionnaire).rejects.toBeInstanceOf(ValidationError);

    const v2 = await adoptRasModel(ctx, {
      model: { ...exampleRasModel, version: "2" },
      reason: "Calibrated",
    });
    expect(v2).toMatchObject({ version: 2, adoptedBy: "admin-1", reason: "Calibrated" });
    expect((await currentRasModel(ctx)).rasModelId).toBe(v2.rasModelId);
    expect((await listRasModels(ctx)).map((m) => m.version)).toEqual([2, 1]);
  });
});
