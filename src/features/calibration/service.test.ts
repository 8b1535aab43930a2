import { readFileSync } from "node:fs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answersManagingEverything, notAchieving } from "#/features/assessment/answers.fixture.ts";
import { saveAnswers, startAssessment, submitAssessment } from "#/features/assessment/service.ts";
import {
  adoptCalibration,
  getCalibration,
  listCalibrations,
  proposeCalibration,
} from "#/features/calibration/service.ts";
import { createPerson } from "#/features/people/service.ts";
import { adoptRasModel, currentRasModel, listRasModels } from "#/features/tenants/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { DEMO_STAFF } from "#/seed/seed.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";

const EXAMPLE = readFileSync("examples/packages.csv", "utf8");

describe.each(enginesUnderTest())("calibration service on %s", (engine) => {
  let database: TestDatabase;
  let ctx: ServiceContext;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    const admin = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("staff_users")
        .where("email", "=", DEMO_STAFF.find((s) => s.roles.includes("administrator"))!.email)
        .select(["tenant_id", "user_id"])
        .executeTakeFirstOrThrow(),
    );
    ctx = {
      db: database.db,
      scope: { tenantId: admin.tenant_id, actor: { type: "staff", id: admin.user_id } },
      today: TODAY,
    };
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
  });

  const count = async (table: "ras_calibrations" | "audit_events" | "ras_models") =>
    Number(
      (
        await sql<{
          n: string;
        }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE tenant_id = ${ctx.scope.tenantId}`.execute(
          database.db,
        )
      ).rows[0]!.n,
    );

  it("rule (Bad input): a file with bad rows is refused whole, every row named, and nothing is written", async () => {
    const lines = EXAMPLE.split("\r\n");
    // Row 3: an unknown option; row 5: no cost; row 7: the person on row 2 again.
    const cells = (n: number) => lines[n - 1]!.split(",");
    const row3 = cells(3);
    row3[5] = "sometimes";
    const row5 = cells(5);
    row5[row5.length - 1] = "";
    const row7 = cells(7);
    row7[0] = cells(2)[0]!;
    const bad = [lines[0], lines[1], row3.join(","), lines[3], row5.join(","), lines[5], row7.join(",")].join(
      "\r\n",
    );
    const before = [await count("ras_calibrations"), await count("audit_events")];
    const error = (await proposeCalibration(ctx, { csv: bad }).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe("The file was not used: 3 problems need correcting");
    expect(error.fieldErrors.map((f) => f.path)).toEqual([
      "row 3, nutrition.meal_preparation",
      "row 5, weekly_cost_pence",
      "row 7, person_reference",
    ]);
    expect([await count("ras_calibrations"), await count("audit_events")]).toEqual(before);
  });

  it("rule (Bad input): a file the model cannot be fitted to is a clear error on the file, and nothing is written", async () => {
    const lines = EXAMPLE.split("\r\n");
    const error = (await proposeCalibration(ctx, {
      csv: lines.slice(0, 4).join("\r\n"),
      domainWeights: true,
    }).catch((e: unknown) => e)) as ValidationError;
    expect(error.fieldErrors).toEqual([
      {
        path: "file",
        message: expect.stringMatching(/^Too few people to fit the model: \d+ parameters need/),
      },
    ]);
    expect(await count("ras_calibrations")).toBe(0);
  });

  it("rule: a calibration is stored as a proposal with its report and audited; the model does not change until adopted", async () => {
    const before = await currentRasModel(ctx);
    const calibration = await proposeCalibration(ctx, { csv: EXAMPLE, fileName: "packages.csv" });
    expect(calibration).toMatchObject({
      status: "proposed",
      basedOnRasModelId: before.rasModelId,
      inputSummary: { fileName: "packages.csv", people: 60, domainWeights: false, marginPercent: 10 },
      model: { id: "demo-ras", version: `calibrated-${TODAY}`, example: false },
    });
    expect(calibration.inputSummary.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await getCalibration(ctx, calibration.calibrationId)).report).toEqual(calibration.report);
    expect((await listCalibrations(ctx)).map((c) => c.calibrationId)).toContain(calibration.calibrationId);
    expect((await currentRasModel(ctx)).rasModelId).toBe(before.rasModelId);
    const events = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("audit_events")
        .select(["action", "actor_id"])
        .where("record_type", "=", "ras_calibration")
        .where("record_id", "=", calibration.calibrationId)
        .orderBy("occurred_at")
        .execute(),
    );
    expect(events.map((e) => e.action)).toEqual(["calibrate", "view"]);
  });

  it("rule: adoption makes a new model version with the reason, audited; allocations already made keep their version and amount", async () => {
    const allocationsBefore = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("allocations")
        .select(["allocation_id", "ras_model_id", "weekly_pence"])
        .where("tenant_id", "=", ctx.scope.tenantId)
        .orderBy("allocation_id")
        .execute(),
    );
    expect(allocationsBefore.length).toBeGreaterThan(0);
    // The model in use: the one Demo Council adopted as its own at set-up (version 2, after the pack's example).
    const inUse = await currentRasModel(ctx);
    expect(inUse).toMatchObject({ version: 2, reason: "Demo Council's model, adopted at set-up" });
    const calibration = await proposeCalibration(ctx, { csv: EXAMPLE, domainWeights: true });

    await expect(
      adoptCalibration(ctx, { calibrationId: calibration.calibrationId, reason: "  " }),
    ).rejects.toThrow(ValidationError);
    const { rasModel, calibration: adopted } = await adoptCalibration(ctx, {
      calibrationId: calibration.calibrationId,
      reason: "Agreed by the adult social care board on 20 November 2026",
    });
    expect(rasModel).toMatchObject({
      version: inUse.version + 1,
      reason: "Agreed by the adult social care board on 20 November 2026",
      model: calibration.model,
    });
    expect(adopted).toMatchObject({
      status: "adopted",
      adoptedRasModelId: rasModel.rasModelId,
      adoptionReason: "Agreed by the adult social care board on 20 November 2026",
    });
    expect((await listRasModels(ctx)).map((m) => m.version)).toEqual([inUse.version + 1, inUse.version, 1]);

    // Old allocations: same rows, same model version, same amounts.
    const allocationsAfter = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("allocations")
        .select(["allocation_id", "ras_model_id", "weekly_pence"])
        .where("tenant_id", "=", ctx.scope.tenantId)
        .orderBy("allocation_id")
        .execute(),
    );
    expect(allocationsAfter).toEqual(allocationsBefore);
    expect(new Set(allocationsAfter.map((a) => a.ras_model_id))).toEqual(new Set([inUse.rasModelId]));

    // A new assessment is priced with the adopted version.
    const person = await createPerson(ctx, {
      givenName: "New",
      familyName: "Assessment",
      dateOfBirth: "1950-03-02",
    });
    const draft = await startAssessment(ctx, person.personId);
    await saveAnswers(
      ctx,
      draft.assessmentId,
      notAchieving(answersManagingEverything(), ["nutrition", "personal_hygiene", "toilet_needs"]),
    );
    const submitted = await submitAssessment(ctx, draft.assessmentId, { decisionDate: TODAY });
    expect(submitted.allocation?.rasModelId).toBe(rasModel.rasModelId);

    // Both steps audited; a second adoption is refused.
    const actions = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("audit_events")
        .select(["action", "record_type", "record_id"])
        .where("tenant_id", "=", ctx.scope.tenantId)
        .where("action", "in", ["calibrate", "adopt"])
        .where("record_id", "in", [calibration.calibrationId, rasModel.rasModelId])
        .orderBy("occurred_at")
        .execute(),
    );
    expect(actions.map((a) => `${a.action} ${a.record_type}`)).toEqual([
      "calibrate ras_calibration",
      "adopt ras_model",
      "adopt ras_calibration",
    ]);
    await expect(
      adoptCalibration(ctx, { calibrationId: calibration.calibrationId, reason: "Again" }),
    ).rejects.toThrow(/already been adopted, as version/);
  });

  it("rule: a calibration made against an older model cannot be adopted once the model has changed", async () => {
    const calibration = await proposeCalibration(ctx, { csv: EXAMPLE });
    const current = await currentRasModel(ctx);
    await adoptRasModel(ctx, {
      model: { ...current.model, version: "hand-made" },
      reason: "Changed by hand",
    });
    await expect(
      adoptCalibration(ctx, { calibrationId: calibration.calibrationId, reason: "Too late" }),
    ).rejects.toBeInstanceOf(ConflictError);
  });
});
