import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import { z } from "zod";
import {
  CalibrationError,
  calibrate,
  DEFAULT_MARGIN_PERCENT,
} from "#/features/calibration/calibration.calc.ts";
import type { CalibrationReport } from "#/features/calibration/calibration-report.calc.ts";
import { type PackageProblem, parsePackagesCsv } from "#/features/calibration/packages-csv.ts";
import * as repo from "#/features/calibration/repository.ts";
import {
  adoptRasModelIn,
  currentTenantIn,
  ensureTenantRasModel,
  listRasModelsIn,
  type TenantRasModel,
} from "#/features/tenants/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, isUniqueViolation, type ServiceContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { DB } from "#/platform/db/schema.ts";
import { type TenantTx, withSystem } from "#/platform/db/tenant.ts";
import { ConflictError, type FieldError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { RulePackNotFoundError, rulePackFor } from "#/rules/index.ts";
import { type RasModel, rasModelSchema } from "#/rules/ras-model.ts";

/**
 * RAS calibration, as use cases: propose (read a packages file, fit, store the proposal and its report) and
 * adopt (an administrator, with a reason, makes the proposal the tenant's next RAS model version). Both are
 * audited. Nothing is written unless the whole file is good and the fit succeeds.
 */

export type CalibrationInputSummary = {
  fileName: string | null;
  /** SHA-256 of the file as uploaded, so the report can be tied to the exact file the council holds. */
  sha256: string;
  bytes: number;
  people: number;
  domainWeights: boolean;
  marginPercent: number;
  questionnaireId: string;
};

export type StoredCalibration = {
  calibrationId: string;
  status: "proposed" | "adopted";
  basedOnRasModelId: string;
  inputSummary: CalibrationInputSummary;
  model: RasModel;
  report: CalibrationReport;
  createdBy: string;
  createdAt: Date;
  adoptedRasModelId: string | null;
  adoptedBy: string | null;
  adoptedAt: Date | null;
  adoptionReason: string | null;
};

export type CalibrationSummary = Omit<StoredCalibration, "model" | "report">;

export type ProposeInput = {
  /** The packages file's text (see packages-csv.ts for its columns). */
  csv: string;
  fileName?: string | null;
  domainWeights?: boolean;
  marginPercent?: number;
};

export const MAX_CSV_BYTES = 5_000_000;

function toSummary(row: repo.CalibrationListRow): CalibrationSummary {
  return {
    calibrationId: row.calibration_id,
    status: row.status,
    basedOnRasModelId: row.based_on_ras_model_id,
    inputSummary: row.input_summary as CalibrationInputSummary,
    createdBy: row.created_by,
    createdAt: row.created_at,
    adoptedRasModelId: row.adopted_ras_model_id,
    adoptedBy: row.adopted_by,
    adoptedAt: row.adopted_at,
    adoptionReason: row.adoption_reason,
  };
}

function toCalibration(row: repo.CalibrationRow): StoredCalibration {
  return {
    ...toSummary(row),
    model: rasModelSchema.parse(row.fitted_model),
    report: row.report as CalibrationReport,
  };
}

/** "row 7, age": the row as a spreadsheet numbers it (the header is row 1), and the column. */
const problemsAsFieldErrors = (problems: readonly PackageProblem[]): FieldError[] =>
  problems.map((p) => ({ path: `row ${p.row}${p.column ? `, ${p.column}` : ""}`, message: p.message }));

async function questionnaireFor(tx: TenantTx, today: string) {
  const tenant = await currentTenantIn(tx);
  try {
    return { tenant, questionnaire: rulePackFor(tenant.jurisdiction, today).questionnaire };
  } catch (error) {
    if (error instanceof RulePackNotFoundError)
      throw new ValidationError([{ path: error.field, message: error.message }]);
    throw error;
  }
}

/**
 * Reads a packages file, fits the tenant's RAS model to it and stores the result as a proposed calibration.
 * Throws ValidationError naming every bad row (path "row N, column"), or the reason the model cannot be
 * fitted (path "file"); then nothing is written.
 */
export async function proposeCalibration(
  ctx: ServiceContext,
  input: ProposeInput,
): Promise<StoredCalibration> {
  const errors: FieldError[] = [];
  const marginPercent = input.marginPercent ?? DEFAULT_MARGIN_PERCENT;
  if (!Number.isFinite(marginPercent) || marginPercent < 0 || marginPercent > 100) {
    errors.push({ path: "marginPercent", message: "Give the margin as a percentage from 0 to 100" });
  }
  const bytes = Buffer.byteLength(input.csv ?? "", "utf8");
  if ((input.csv ?? "").trim() === "") {
    errors.push({ path: "file", message: "Choose a packages file (CSV), or paste its contents" });
  } else if (bytes > MAX_CSV_BYTES) {
    errors.push({ path: "file", message: "The file is larger than 5 MB: use a sample of the packages" });
  }
  if (errors.length > 0) throw new ValidationError(errors);
  const domainWeights = input.domainWeights ?? false;

  return inTenant(ctx, async ({ tx, today }) => {
    const { tenant, questionnaire } = await questionnaireFor(tx, today);
    const parsed = parsePackagesCsv(input.csv, questionnaire);
    if (!parsed.ok) {
      throw new ValidationError(
        problemsAsFieldErrors(parsed.problems),
        `The file was not used: ${parsed.problems.length} ${parsed.problems.length === 1 ? "problem needs" : "problems need"} correcting`,
      );
    }
    const current = await ensureTenantRasModel({ tx, today });
    const calibrationId = uuidv7();
    let result: ReturnType<typeof calibrate>;
    try {
      result = calibrate(parsed.rows, current.model, questionnaire, {
        domainWeights,
        marginPercent,
        identity: {
          id: current.model.example ? `${tenant.slug}-ras` : current.model.id,
          version: `calibrated-${today}`,
          description: `Calibrated on ${today} by least squares against ${parsed.rows.length} current packages (calibration ${calibrationId}): a price per point${domainWeights ? " and a weight for each outcome" : ""}; the minimum, cap and adjustments are kept from version ${current.version}.`,
        },
      });
    } catch (error) {
      if (error instanceof CalibrationError)
        throw new ValidationError([{ path: "file", message: error.message }]);
      throw error;
    }

    const inputSummary: CalibrationInputSummary = {
      fileName: input.fileName?.trim() || null,
      sha256: createHash("sha256").update(input.csv, "utf8").digest("hex"),
      bytes,
      people: parsed.rows.length,
      domainWeights,
      marginPercent,
      questionnaireId: questionnaire.id,
    };
    const row = await repo.insertCalibration(tx, {
      calibration_id: calibrationId,
      based_on_ras_model_id: current.rasModelId,
      input_summary: inputSummary,
      fitted_model: result.model,
      report: result.report,
      created_by: actorRef(tx.scope.actor),
    });
    await audit(tx, {
      action: "calibrate",
      recordType: "ras_calibration",
      recordId: calibrationId,
      changes: {
        basedOnVersion: current.version,
        people: inputSummary.people,
        sha256: inputSummary.sha256,
        domainWeights,
        pricePerPointPence: result.report.fit.pricePerPointPence,
        r2: result.report.quality.proposed.r2,
        namedGroups: result.report.named.length,
      },
    });
    return toCalibration(row);
  });
}

const uuid = z.uuid();

async function findOrThrow(tx: TenantTx, calibrationId: string, opts: { forUpdate?: boolean } = {}) {
  if (!uuid.safeParse(calibrationId).success) throw new NotFoundError("The calibration");
  const row = await repo.findCalibration(tx, calibrationId, opts);
  if (!row) throw new NotFoundError("The calibration");
  return row;
}

/** One calibration with its report. The report lists people's references and costs, so viewing is audited. */
export async function getCalibration(ctx: ServiceContext, calibrationId: string): Promise<StoredCalibration> {
  return inTenant(ctx, async ({ tx }) => {
    const row = await findOrThrow(tx, calibrationId);
    await audit(tx, { action: "view", recordType: "ras_calibration", recordId: row.calibration_id });
    return toCalibration(row);
  });
}

export async function listCalibrations(ctx: ServiceContext, limit = 50): Promise<CalibrationSummary[]> {
  return inTenant(ctx, async ({ tx }) => (await repo.listCalibrations(tx, limit)).map(toSummary));
}

/**
 * Makes a proposed calibration the tenant's next RAS model version, with the administrator's reason.
 * Assessments already allocated keep the version they were made under.
 *
 * Refused if the calibration was adopted already, or if the tenant's model has changed since the calibration
 * was made (its report compares the fit with the model that was current then, so it would mislead).
 * One transaction: the calibration row is locked, so two administrators adopting at once make one version.
 */
export async function adoptCalibration(
  ctx: ServiceContext,
  input: { calibrationId: string; reason: string },
): Promise<{ calibration: StoredCalibration; rasModel: TenantRasModel }> {
  const reason = (input.reason ?? "").trim();
  if (reason === "") {
    throw new ValidationError([
      { path: "reason", message: "Say why the council is adopting this calibration" },
    ]);
  }
  if (reason.length > 2000) {
    throw new ValidationError([{ path: "reason", message: "Keep the reason to 2,000 characters or fewer" }]);
  }

  try {
    return await inTenant(ctx, async (t) => {
      const { tx } = t;
      const calibration = toCalibration(await findOrThrow(tx, input.calibrationId, { forUpdate: true }));
      const latest = (await listRasModelsIn(tx))[0];
      if (calibration.status === "adopted") {
        const version = (await listRasModelsIn(tx)).find(
          (m) => m.rasModelId === calibration.adoptedRasModelId,
        )?.version;
        throw new ConflictError(
          `This calibration has already been adopted, as version ${version ?? "?"} of the model`,
        );
      }
      if (latest && latest.rasModelId !== calibration.basedOnRasModelId) {
        throw new ConflictError(
          `The council's model has changed since this calibration was made (it is now version ${latest.version}). Run the calibration again, so that its report compares with the current model.`,
        );
      }
      const rasModel = await adoptRasModelIn(t, { model: calibration.model, reason });
      const row = await repo.markAdopted(tx, calibration.calibrationId, {
        rasModelId: rasModel.rasModelId,
        adoptedBy: actorRef(tx.scope.actor),
        reason,
      });
      if (!row)
        throw new ConflictError("Someone else adopted this calibration at the same time: reload the page");
      await audit(tx, {
        action: "adopt",
        recordType: "ras_calibration",
        recordId: row.calibration_id,
        changes: { rasModelId: rasModel.rasModelId, version: rasModel.version, reason },
      });
      return { calibration: toCalibration(row), rasModel };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ConflictError("Another model was adopted at the same time: try again");
    throw error;
  }
}

/** Whose calibration this is, for the CLI before it knows a council (the system connection, as sign-in). */
export async function councilOfCalibration(
  db: Kysely<DB>,
  calibrationId: string,
): Promise<string | undefined> {
  if (!z.uuid().safeParse(calibrationId).success) return undefined;
  return withSystem(db, (trx) => repo.tenantOfCalibration(trx, calibrationId));
}
