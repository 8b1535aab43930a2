import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { CARER_LABELS, type CalibrationReport } from "#/features/calibration/calibration-report.calc.ts";
import * as charts from "#/features/calibration/charts.ts";
import { groupsCsv, peopleCsv, summaryCsv } from "#/features/calibration/report-csv.ts";
import {
  adoptCalibration,
  getCalibration,
  listCalibrations,
  MAX_CSV_BYTES,
  proposeCalibration,
  type StoredCalibration,
} from "#/features/calibration/service.ts";
import { currentRasModel, listRasModels, type TenantRasModel } from "#/features/tenants/service.ts";
import { type FieldError, ValidationError } from "#/platform/errors.ts";
import { formatPounds, pence } from "#/platform/money/pence.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";
import { acceptTextUploads, isUploadedText } from "#/platform/web/uploads.ts";
import { allRulePacks } from "#/rules/index.ts";
import type { RasModel } from "#/rules/ras-model.ts";

/**
 * The administrator's RAS pages: the current model and its versions; a packages file in (uploaded, or pasted
 * for anyone who cannot upload), a calibration out; its report with charts (server-rendered SVG, a table
 * beside each) and CSV downloads; and "Adopt this calibration", with a reason.
 */

const BASE = "/admin/ras";
const PEOPLE_ON_PAGE = 500;
const FILE_FIELD = "packagesFile";

const money = (p: number) => formatPounds(pence(p));
const ratio = (x: number | null) => (x === null ? "not defined" : x.toFixed(3));
const percent = (x: number | null) => (x === null ? "not defined" : `${x.toFixed(1)}%`);

function labelsFor(questionnaireId: string) {
  const q = allRulePacks().find((p) => p.questionnaire.id === questionnaireId)?.questionnaire;
  const map = (choices: readonly { id: string; label: string }[] | undefined) =>
    Object.fromEntries((choices ?? []).map((c) => [c.id, c.label]));
  return {
    primarySupportReason: map(q?.primarySupportReasons),
    livingSituation: map(q?.livingSituations),
    outcome: map(q?.outcomes),
  };
}

/** The model in plain words, for summary lists. */
function describeModel(model: RasModel, outcomeLabels: Record<string, string>) {
  const pricing =
    model.pricing.method === "price_per_point"
      ? `${money(model.pricing.pricePerPointPence)} a point`
      : `${model.pricing.bands.length} bands, from ${money(model.pricing.bands[0]!.weeklyPence)} to ${money(model.pricing.bands.at(-1)!.weeklyPence)} a week`;
  // In the questionnaire's order (the database returns a JSON object's keys in its own order).
  const weights = Object.entries(outcomeLabels)
    .map(([id, label]) => [label, model.domainWeights?.[id] ?? 1] as const)
    .filter(([, w]) => w !== 1)
    .map(([label, w]) => `${label}: ${w}`);
  return {
    pricing,
    weights: weights.length > 0 ? weights.join("; ") : "None (every area counts once)",
    minimum: `${money(model.minimumWeeklyPence)} a week`,
    maximum: `${money(model.maximumWeeklyPence)} a week`,
    adjustments:
      model.adjustments.length > 0
        ? model.adjustments.map((a) => `${a.reductionPercent}% off: ${a.description}`).join("; ")
        : "None",
  };
}

/** A calibration's report as the page shows it: figures in words, groups with charts, people with labels. */
function reportView(calibration: StoredCalibration, versions: TenantRasModel[]) {
  const report: CalibrationReport = calibration.report;
  const labels = labelsFor(report.input.questionnaireId);
  const versionOf = new Map(versions.map((v) => [v.rasModelId, v.version]));
  const person = (p: CalibrationReport["people"][number]) => ({
    ...p,
    primarySupportReasonLabel: labels.primarySupportReason[p.primarySupportReason] ?? p.primarySupportReason,
    livingSituationLabel: labels.livingSituation[p.livingSituation] ?? p.livingSituation,
    carerLabel: CARER_LABELS[p.carer],
  });
  const latest = versions[0];
  const q = report.quality;
  return {
    figures: {
      r2: ratio(q.proposed.r2),
      r2Current: ratio(q.current.r2),
      linearR2: ratio(report.fit.linearR2),
      mape: percent(q.proposed.mapePercent),
      mapeCurrent: percent(q.current.mapePercent),
      estimate:
        report.fit.parameters.length === 1 && report.fit.parameters[0]!.id === "price_per_point"
          ? `£${(report.fit.parameters[0]!.estimatePence / 100).toFixed(4)}`
          : null,
    },
    groups: report.groups.map((d) => ({
      ...d,
      chart: charts.groupChart(d),
      groups: d.groups.map((g) => ({
        ...g,
        percentText: percent(g.meanResidualPercent),
        ciText:
          g.ciLowPence === null ? "Too few people" : `${money(g.ciLowPence)} to ${money(g.ciHighPence!)}`,
      })),
    })),
    calibration,
    report,
    modelText: describeModel(calibration.model, labels.outcome),
    weights: Object.entries(report.fit.domainWeights ?? {}).map(([id, weight]) => ({
      label: labels.outcome[id] ?? id,
      weight,
      estimate: report.fit.parameters.find((p) => p.id === id)?.estimatePence,
    })),
    basedOnVersion: versionOf.get(calibration.basedOnRasModelId),
    adoptedVersion: calibration.adoptedRasModelId ? versionOf.get(calibration.adoptedRasModelId) : undefined,
    stale:
      calibration.status === "proposed" &&
      latest !== undefined &&
      latest.rasModelId !== calibration.basedOnRasModelId,
    // The page lists at most PEOPLE_ON_PAGE people; the CSV has everyone.
    people: report.people.slice(0, PEOPLE_ON_PAGE).map(person),
    peopleTotal: report.people.length,
    modelBelowPackage: report.modelBelowPackage.map(person),
    modelAbovePackage: report.modelAbovePackage.map(person),
    charts: {
      packages: charts.packagesAgainstModelChart(report),
      residuals: charts.residualsChart(report),
      impact: charts.impactChart(report),
    },
    csvBase: `${BASE}/calibrations/${calibration.calibrationId}`,
  };
}

export async function calibrationRoutes(app: FastifyInstance, deps: RouteDeps) {
  // Multipart only here (encapsulated in this plugin): the packages file upload.
  await acceptTextUploads(app, { maxBytes: MAX_CSV_BYTES, fields: 10, fieldSize: MAX_CSV_BYTES });

  const pages: RasPages = {
    guard: { preHandler: requireStaff("ras:calibrate") },
    context: serviceContextFor(deps),
  };
  indexPages(app, pages);
  reportPages(app, pages);
}

/** What every RAS page needs: the guard (administrators who calibrate) and the service context. */
type RasPages = {
  guard: { preHandler: ReturnType<typeof requireStaff> };
  context: ReturnType<typeof serviceContextFor>;
};

/** The current model, its versions and calibrations, and a packages file in for a new calibration. */
function indexPages(app: FastifyInstance, { guard, context }: RasPages) {
  async function renderIndex(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: {
      errors?: Record<string, string>;
      errorList?: { text: string; href: string }[];
      problems?: FieldError[];
      values?: Record<string, string>;
      status?: number;
    } = {},
  ) {
    const ctx = context(request);
    const current = await currentRasModel(ctx);
    const versions = await listRasModels(ctx);
    const calibrations = await listCalibrations(ctx);
    const versionOf = new Map(versions.map((v) => [v.rasModelId, v.version]));
    const labels = labelsFor(current.model.questionnaireId);
    const query = request.query as Record<string, unknown>;
    return reply.code(extra.status ?? 200).render("calibration/views/index.njk", {
      title: "Resource allocation model",
      current,
      currentText: describeModel(current.model, labels.outcome),
      versions: versions.map((v: TenantRasModel) => ({ ...v, text: describeModel(v.model, labels.outcome) })),
      calibrations: calibrations.map((c) => ({
        ...c,
        basedOnVersion: versionOf.get(c.basedOnRasModelId),
        adoptedVersion: c.adoptedRasModelId ? versionOf.get(c.adoptedRasModelId) : undefined,
      })),
      adoptedVersion:
        typeof query.adopted === "string" && /^\d{1,6}$/.test(query.adopted) ? query.adopted : null,
      errors: extra.errors ?? {},
      errorList: extra.errorList,
      problems: extra.problems ?? [],
      values: extra.values ?? { marginPercent: "10" },
      maxMegabytes: MAX_CSV_BYTES / 1_000_000,
    });
  }

  app.get(BASE, guard, async (request, reply) => renderIndex(request, reply));

  app.post(`${BASE}/calibrations`, guard, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const file = isUploadedText(body[FILE_FIELD]) ? body[FILE_FIELD] : undefined;
    const pasted = typeof body.packagesText === "string" ? body.packagesText : "";
    const marginText = typeof body.marginPercent === "string" ? body.marginPercent.trim() : "";
    const domainWeights = body.domainWeights === "yes";
    const values = {
      packagesText: pasted,
      marginPercent: marginText,
      domainWeights: domainWeights ? "yes" : "",
    };

    const fail = (
      errors: Record<string, string>,
      errorList: { text: string; href: string }[],
      problems?: FieldError[],
    ) => renderIndex(request, reply, { errors, errorList, problems, values, status: 400 });

    if (file?.tooLarge) {
      const text = `The file must be smaller than ${MAX_CSV_BYTES / 1_000_000} MB: use a sample of the packages`;
      return fail({ file: text }, [{ text, href: "#packages-file" }]);
    }
    const useFile = file !== undefined && file.text.trim() !== "";
    const csv = useFile ? file.text : pasted;
    const margin = marginText === "" ? 10 : Number(marginText);
    if (marginText !== "" && !/^\d{1,3}(\.\d{1,2})?$/.test(marginText)) {
      const text = "Enter the margin as a percentage from 0 to 100, like 10";
      return fail({ marginPercent: text }, [{ text, href: "#margin-percent" }]);
    }
    try {
      const calibration = await proposeCalibration(context(request), {
        csv,
        fileName: useFile ? file.fileName : "pasted text",
        domainWeights,
        marginPercent: margin,
      });
      return reply.redirect(`${BASE}/calibrations/${calibration.calibrationId}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const { errors, errorList, rowProblems } = fileProblems(error);
      return fail(errors, errorList, rowProblems);
    }
  });
}

/** Why the packages file was refused: a summary of its rows' problems (listed below it), and anything else. */
function fileProblems(error: ValidationError) {
  const rowProblems = error.fieldErrors.filter((f) => f.path.startsWith("row "));
  const other = error.fieldErrors.filter((f) => !f.path.startsWith("row "));
  const errors: Record<string, string> = {};
  const errorList: { text: string; href: string }[] = [];
  if (rowProblems.length > 0) {
    const text = `The file was not used: it has ${rowProblems.length} ${rowProblems.length === 1 ? "problem" : "problems"}, listed below. Correct ${rowProblems.length === 1 ? "it" : "them all"} and upload the file again. Nothing has been saved.`;
    errors.file = text;
    errorList.push({ text, href: "#problems" });
  }
  for (const f of other) {
    const field = f.path === "marginPercent" ? "marginPercent" : "file";
    errors[field] = f.message;
    errorList.push({
      text: f.message,
      href: field === "marginPercent" ? "#margin-percent" : "#packages-file",
    });
  }
  return { errors, errorList, rowProblems };
}

/** A calibration's report, its CSV downloads, and "Adopt this calibration". */
function reportPages(app: FastifyInstance, { guard, context }: RasPages) {
  async function renderReport(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: {
      errors?: Record<string, string>;
      errorList?: { text: string; href: string }[];
      reason?: string;
      status?: number;
    } = {},
  ) {
    const { id } = request.params as { id: string };
    const ctx = context(request);
    const calibration = await getCalibration(ctx, id);
    const versions = await listRasModels(ctx);
    return reply.code(extra.status ?? 200).render("calibration/views/report.njk", {
      title: "Calibration report",
      backLink: BASE,
      ...reportView(calibration, versions),
      errors: extra.errors ?? {},
      errorList: extra.errorList,
      reason: extra.reason ?? "",
    });
  }

  app.get(`${BASE}/calibrations/:id`, guard, async (request, reply) => renderReport(request, reply));

  const download = (name: string, build: (r: CalibrationReport) => string) =>
    app.get(`${BASE}/calibrations/:id/${name}.csv`, guard, async (request, reply) => {
      const { id } = request.params as { id: string };
      const calibration = await getCalibration(context(request), id);
      return reply
        .type("text/csv; charset=utf-8")
        .header(
          "content-disposition",
          `attachment; filename="calibration-${calibration.calibrationId.slice(0, 8)}-${name}.csv"`,
        )
        .send(build(calibration.report));
    });
  download("summary", summaryCsv);
  download("people", peopleCsv);
  download("groups", groupsCsv);

  app.post(`${BASE}/calibrations/:id/adopt`, guard, async (request, reply) => {
    const { id } = request.params as { id: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    const reason = typeof body.reason === "string" ? body.reason : "";
    try {
      const { rasModel } = await adoptCalibration(context(request), { calibrationId: id, reason });
      return reply.redirect(`${BASE}?adopted=${rasModel.version}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const text = error.fieldErrors[0]?.message ?? "Say why the council is adopting this calibration";
      return renderReport(request, reply, {
        errors: { reason: text },
        errorList: [{ text, href: "#reason" }],
        reason,
        status: 400,
      });
    }
  });
}
