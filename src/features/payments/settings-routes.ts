import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type FormDate, formDate, withDateProblems } from "#/features/payments/date-fields.ts";
import { type Body, type ContextOf, errorView, one, render } from "#/features/payments/page-kit.ts";
import {
  defaultPaymentSettings,
  listPaymentSettings,
  savePaymentSettings,
} from "#/features/payments/service.ts";
import { dateFieldValues, dateValues } from "#/platform/date-input.ts";
import { type FieldError, ValidationError } from "#/platform/errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";

/**
 * The council's payment settings (/admin/payments): each version with the date it applies from, and the form
 * for a new one, filled in from the latest (or the defaults when there is none).
 */

type SettingsVersion = Awaited<ReturnType<typeof listPaymentSettings>>[number]["settings"];

/** The form's values from the latest settings, or the defaults. */
function valuesOf(
  latest: SettingsVersion | undefined,
  defaults: ReturnType<typeof defaultPaymentSettings>,
): Record<string, string> {
  const codes = latest?.financeCodes;
  return {
    frequency: latest?.frequency ?? defaults.frequency,
    ...dateValues("anchorDate", latest?.anchorDate),
    contributionCollection: latest?.contributionCollection ?? defaults.contributionCollection,
    whenNotBankingDay: latest?.whenNotBankingDay ?? defaults.whenNotBankingDay,
    bankHolidayRegion: latest?.bankHolidayRegion ?? defaults.bankHolidayRegion,
    accountName: latest?.originator.accountName ?? "",
    sortCode: latest?.originator.sortCode ?? "",
    accountNumber: latest?.originator.accountNumber ?? "",
    serviceUserNumber: latest?.originator.serviceUserNumber ?? "",
    streamCodes: codes
      ? Object.entries(codes.streams)
          .map(([s, c]) => `${s},${c.glCode},${c.costCentre}`)
          .join("\n")
      : "",
    contributionGl: codes?.contribution.glCode ?? "",
    contributionCostCentre: codes?.contribution.costCentre ?? "",
    reason: "",
  };
}

/** The form field an error belongs to: nested paths (originator.*, financeCodes.*) map onto the flat form. */
function fieldOf(path: string): string {
  const head = path.split(".")[0]!;
  if (head === "originator") return path.split(".")[1] ?? "accountName";
  if (path.startsWith("financeCodes.contribution"))
    return path.endsWith("costCentre") ? "contributionCostCentre" : "contributionGl";
  if (head === "financeCodes") return "streamCodes";
  return head;
}

async function settingsPage(
  ctx: ContextOf,
  request: FastifyRequest,
  reply: FastifyReply,
  values?: Record<string, string>,
  fieldErrors: FieldError[] = [],
) {
  const c = ctx(request);
  const versions = await listPaymentSettings(c);
  const defaults = defaultPaymentSettings(request.staff!.jurisdiction, c.today);
  return render(reply, "settings.njk", {
    title: "Payment settings",
    versions,
    values: values ?? valuesOf(versions[0]?.settings, defaults),
    saved: (request.query as Record<string, string | undefined>).saved,
    ...errorView(fieldErrors, fieldOf, ["anchorDate", "validFrom"]),
  });
}

const SETTINGS_FIELDS = [
  "frequency",
  "contributionCollection",
  "whenNotBankingDay",
  "bankHolidayRegion",
  "accountName",
  "sortCode",
  "accountNumber",
  "serviceUserNumber",
  "streamCodes",
  "contributionGl",
  "contributionCostCentre",
  "reason",
];

/** One line per funding stream: "stream id, GL code, cost centre". */
function streamCodesOf(text: string): Record<string, { glCode: string; costCentre: string }> {
  const streams: Record<string, { glCode: string; costCentre: string }> = {};
  for (const line of text.split(/\r?\n/).filter((l) => l.trim())) {
    const [stream = "", glCode = "", costCentre = ""] = line.split(",").map((s) => s.trim());
    streams[stream] = { glCode, costCentre };
  }
  return streams;
}

async function saveSettingsFromForm(ctx: ContextOf, request: FastifyRequest, reply: FastifyReply) {
  const body = (request.body ?? {}) as Body;
  const values: Record<string, string> = {
    ...Object.fromEntries(SETTINGS_FIELDS.map((k) => [k, one(body, k)])),
    ...dateFieldValues(body, "anchorDate"),
    ...dateFieldValues(body, "validFrom"),
  };
  const dates: Record<string, FormDate> = {
    anchorDate: formDate(body, "anchorDate", "the first day of a payment cycle", { required: true }),
    validFrom: formDate(body, "validFrom", "the date the settings apply from", { required: true }),
  };
  try {
    await savePaymentSettings(ctx(request), {
      frequency: values.frequency,
      anchorDate: dates.anchorDate!.iso,
      contributionCollection: values.contributionCollection,
      whenNotBankingDay: values.whenNotBankingDay,
      bankHolidayRegion: values.bankHolidayRegion,
      originator: {
        accountName: values.accountName,
        sortCode: values.sortCode,
        accountNumber: values.accountNumber,
        serviceUserNumber: values.serviceUserNumber,
      },
      financeCodes: {
        streams: streamCodesOf(values.streamCodes ?? ""),
        contribution: { glCode: values.contributionGl, costCentre: values.contributionCostCentre },
      },
      validFrom: dates.validFrom!.iso,
      reason: values.reason,
    });
    return reply.redirect("/admin/payments?saved=1", 303);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    reply.code(400);
    return settingsPage(ctx, request, reply, values, withDateProblems(error.fieldErrors, dates));
  }
}

export async function settingsRoutes(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);
  const guard = { preHandler: requireStaff("payments:approve") };
  app.get("/admin/payments", guard, (request, reply) => settingsPage(ctx, request, reply));
  app.post("/admin/payments", guard, (request, reply) => saveSettingsFromForm(ctx, request, reply));
}
