import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  addPayeeWithBankDetails,
  approveBankDetails,
  listPayees,
  payeeChoices,
  personForPayee,
  proposeBankDetails,
} from "#/features/payments/bank-details.ts";
import { contributionInvoiceRoutes } from "#/features/payments/contribution-invoices-routes.ts";
import { type FormDate, formDate, withDateProblems } from "#/features/payments/date-fields.ts";
import { debtRoutes } from "#/features/payments/debt-routes.ts";
import { approveRedate, proposeRedate, runRedating } from "#/features/payments/redate.ts";
import { RETURN_REASONS } from "#/features/payments/returns.calc.ts";
import { recordReturn } from "#/features/payments/returns.ts";
import { earliestPayDateFor, PayDateTooEarlyError, prepareRun } from "#/features/payments/run.ts";
import {
  approveRun,
  DEFAULT_SETTINGS,
  financeWork,
  getPayment,
  getRun,
  listPaymentSettings,
  listRuns,
  reviewRun,
  runFile,
  savePaymentSettings,
} from "#/features/payments/service.ts";
import { can, type Permission } from "#/platform/auth/permissions.ts";
import { dateFieldValues, dateValues } from "#/platform/date-input.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { type FieldError, ValidationError } from "#/platform/errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff, scopeOf } from "#/platform/web/security.ts";

/**
 * Finance pages for payments: /payments (runs, prepare a run for a pay date, returned payments to act on, money
 * owed back, bank details waiting for a second person), a run (its payments; review; approve; download the Bacs
 * and finance files once approved), recording a returned payment, payees and proposing bank details (/payees),
 * the council's payment settings (/admin/payments), and contribution invoices to record as paid. The services
 * make every check; the pages map their field errors onto the form with an error summary. Plain forms:
 * everything works without JavaScript.
 */

type Body = Record<string, string | string[] | undefined>;
const one = (body: Body, key: string) => {
  const v = body[key];
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? "";
};

/** Errors by field, and the error summary's links: a date field's goes to its day box. */
function errorView(
  fieldErrors: readonly FieldError[],
  fieldOf: (path: string) => string = (p) => p,
  dateFields: readonly string[] = [],
) {
  const errors: Record<string, string> = {};
  for (const e of fieldErrors) errors[fieldOf(e.path)] ??= e.message;
  return {
    errors,
    errorList: Object.entries(errors).map(([f, text]) => ({
      text,
      href: `#${dateFields.includes(f) ? `${f}-day` : f}`,
    })),
  };
}

const STATUS_LABELS = { prepared: "Prepared", reviewed: "Reviewed", approved: "Approved" } as const;
const DEPLOYMENT_LABELS: Record<string, string> = {
  direct_payment: "Direct payment",
  council_managed: "Council-managed",
  individual_service_fund: "Individual service fund",
  council_arranged: "Council-arranged",
};

export async function paymentsRoutes(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);
  const render = (reply: FastifyReply, template: string, locals: Record<string, unknown>) =>
    reply.render(`payments/views/${template}`, {
      statusLabels: STATUS_LABELS,
      deploymentLabels: DEPLOYMENT_LABELS,
      ...locals,
    });
  const staffCan = (request: FastifyRequest, permission: Permission) =>
    request.staff ? can(request.staff.roles, permission) : false;

  // Contribution invoices not paid yet, and recording a payment received (contribution-invoices-routes.ts).
  await contributionInvoiceRoutes(app, deps);
  // Money to recover after a budget ends: a page per debt, under the person (debt-routes.ts).
  await debtRoutes(app, deps);

  // ---- runs ---------------------------------------------------------------------------------------------------

  async function runsPage(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { values: Record<string, string>; errors?: Record<string, string>; errorList?: unknown[] } = {
      values: {},
    },
  ) {
    const c = ctx(request);
    const [runs, work, earliest] = await Promise.all([
      listRuns(c),
      financeWork(c),
      earliestPayDateFor(c).catch((error: unknown) => {
        if (error instanceof ValidationError) return undefined; // no payment settings yet: the form says so
        throw error;
      }),
    ]);
    return render(reply, "runs.njk", {
      title: "Payments",
      runs,
      work,
      earliest,
      values: form.values,
      errors: form.errors ?? {},
      errorList: form.errorList ?? [],
      canApproveDetails: staffCan(request, "bank_details:manage"),
    });
  }

  app.get("/payments", { preHandler: requireStaff("payments:run") }, (request, reply) =>
    runsPage(request, reply),
  );

  app.post("/payments/runs", { preHandler: requireStaff("payments:run") }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const date = formDate(body, "date", "the pay date", { required: true });
    try {
      const outcome = await prepareRun(ctx(request), { date: date.iso });
      return reply.redirect(`/payments/runs/${outcome.runId}?prepared=${outcome.made}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      reply.code(400);
      // Too soon for Bacs: the earliest date that works, in words (the API and the command give it as YYYY-MM-DD).
      const fieldErrors =
        error instanceof PayDateTooEarlyError
          ? [
              {
                path: "date",
                message: `The pay date is too soon for a Bacs payment made today: choose ${dateInWords(error.earliest)} or later`,
              },
            ]
          : error.fieldErrors;
      return runsPage(request, reply, {
        values: dateFieldValues(body, "date"),
        ...errorView(withDateProblems(fieldErrors, { date }), () => "date", ["date"]),
      });
    }
  });

  async function runPage(
    request: FastifyRequest,
    reply: FastifyReply,
    runId: string,
    redateForm: { reason: string; fieldErrors: FieldError[] } = { reason: "", fieldErrors: [] },
  ) {
    const c = ctx(request);
    const { run, payments, held } = await getRun(c, runId);
    const redating = await runRedating(c, runId);
    const q = request.query as Record<string, string | undefined>;
    return render(reply, "run.njk", {
      title: `Payment run ${run.runNo} for ${dateInWords(run.payDate)}`,
      run,
      redating,
      redateValues: { reason: redateForm.reason },
      ...errorView(redateForm.fieldErrors, (p) => (p === "reason" ? "reason" : "redate")),
      payments,
      held: held.map((h) => ({
        ...h,
        who: h.personName ?? h.payeeName ?? "A person whose record cannot be found",
        // The page that fixes the hold: add the person as a payee, or their bank details (a second person approves).
        fixHref:
          h.fix === "add_person_payee" && h.personId
            ? `/payees/new?personId=${h.personId}`
            : h.fix === "bank_details" && h.payeeId
              ? `/payees#payee-${h.payeeId}`
              : "/payees/new",
        fixText:
          h.fix === "bank_details"
            ? "Add or approve their bank details"
            : "Add them as a payee with bank details",
      })),
      prepared: q.prepared,
      done: q.done,
      me: scopeOf(request).actor.id,
      canApprove: staffCan(request, "payments:approve"),
    });
  }

  app.get("/payments/runs/:runId", { preHandler: requireStaff("payments:run") }, async (request, reply) =>
    runPage(request, reply, (request.params as { runId: string }).runId),
  );

  // An approved run whose Bacs file was not sent in time: ask for the file for a later pay date (redate.ts); a
  // different finance officer approves it.
  app.post(
    "/payments/runs/:runId/redate",
    { preHandler: requireStaff("payments:run") },
    async (request, reply) => {
      const { runId } = request.params as { runId: string };
      const body = (request.body ?? {}) as Body;
      const reason = one(body, "reason");
      try {
        await proposeRedate(ctx(request), runId, { date: one(body, "date"), reason });
        return reply.redirect(`/payments/runs/${runId}?done=redate#redate`, 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        reply.code(400);
        return runPage(request, reply, runId, { reason, fieldErrors: error.fieldErrors });
      }
    },
  );

  app.post(
    "/payments/runs/:runId/redate/:redateId/approve",
    { preHandler: requireStaff("payments:approve") },
    async (request, reply) => {
      const { runId, redateId } = request.params as { runId: string; redateId: string };
      await approveRedate(ctx(request), runId, redateId);
      return reply.redirect(`/payments/runs/${runId}?done=redate_approve`, 303);
    },
  );

  for (const action of ["review", "approve"] as const)
    app.post(
      `/payments/runs/:runId/${action}`,
      { preHandler: requireStaff("payments:approve") },
      async (request, reply) => {
        const { runId } = request.params as { runId: string };
        if (action === "review") await reviewRun(ctx(request), runId);
        else await approveRun(ctx(request), runId);
        return reply.redirect(`/payments/runs/${runId}?done=${action}`, 303);
      },
    );

  for (const file of ["bacs18", "finance.csv"] as const)
    app.get(
      `/payments/runs/:runId/files/${file}`,
      { preHandler: requireStaff("payments:run") },
      async (request, reply) => {
        const { runId } = request.params as { runId: string };
        const f = await runFile(ctx(request), runId, file === "bacs18" ? "bacs18" : "finance_csv");
        return reply
          .header("content-type", f.contentType)
          .header("content-disposition", `attachment; filename="${f.filename}"`)
          .send(f.body);
      },
    );

  // ---- returned payments ---------------------------------------------------------------------------------------

  const returnPage = (
    reply: FastifyReply,
    paymentId: string,
    values: Record<string, string>,
    fieldErrors: FieldError[] = [],
  ) =>
    render(reply, "return.njk", {
      title: "Record a returned payment",
      paymentId,
      reasons: RETURN_REASONS,
      values,
      ...errorView(fieldErrors, (p) => p, ["returnedOn"]),
    });

  app.get(
    "/payments/:paymentId/return",
    { preHandler: requireStaff("payments:run") },
    async (request, reply) => {
      // Only a payment of the caller's own council: another council's id, or one that names nothing, is not found.
      const { paymentId } = await getPayment(
        ctx(request),
        (request.params as { paymentId: string }).paymentId,
      );
      return returnPage(reply, paymentId, { reasonCode: "" });
    },
  );

  app.post(
    "/payments/:paymentId/return",
    { preHandler: requireStaff("payments:run") },
    async (request, reply) => {
      const { paymentId } = request.params as { paymentId: string };
      const body = (request.body ?? {}) as Body;
      const values = { reasonCode: one(body, "reasonCode"), ...dateFieldValues(body, "returnedOn") };
      const returnedOn = formDate(body, "returnedOn", "the date the payment came back", { required: true });
      try {
        const payment = await recordReturn(ctx(request), paymentId, {
          reasonCode: values.reasonCode,
          returnedOn: returnedOn.iso,
        });
        return reply.redirect(`/payments/runs/${payment.runId}?done=return`, 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        reply.code(400);
        return returnPage(reply, paymentId, values, withDateProblems(error.fieldErrors, { returnedOn }));
      }
    },
  );

  // ---- payees and bank details ---------------------------------------------------------------------------------

  async function payeesPage(
    request: FastifyRequest,
    reply: FastifyReply,
    form?: { payeeId: string; values: Record<string, string>; fieldErrors: FieldError[] },
  ) {
    const payees = await listPayees(ctx(request));
    const q = request.query as Record<string, string | undefined>;
    return render(reply, "payees.njk", {
      title: "Payees and bank details",
      payees,
      added: payees.find((p) => p.payeeId === q.added),
      form: form ? { payeeId: form.payeeId, values: form.values } : undefined,
      ...errorView(form?.fieldErrors ?? [], (p) => p, ["effectiveFrom"]),
    });
  }

  app.get("/payees", { preHandler: requireStaff("bank_details:manage") }, (request, reply) =>
    payeesPage(request, reply),
  );

  // ---- add a payee with their bank details (a second person approves the details) ------------------------------

  const PAYEE_FIELDS = [
    "kind",
    "personId",
    "providerId",
    "name",
    "accountName",
    "sortCode",
    "accountNumber",
  ] as const;

  async function addPayeePage(
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string>,
    fieldErrors: FieldError[] = [],
  ) {
    const c = ctx(request);
    const [choices, fixed] = await Promise.all([
      payeeChoices(c),
      values.personId && values.fixedPerson ? personForPayee(c, values.personId) : undefined,
    ]);
    return render(reply, "add-payee.njk", {
      title: fixed ? `Add ${fixed.name} as a payee` : "Add a payee",
      choices,
      fixed,
      values,
      // Errors on the person or provider belong to the choice the form shows for them.
      ...errorView(
        fieldErrors,
        (p) => (p === "personId" && !fixed ? "personId" : p === "personId" ? "name" : p),
        ["effectiveFrom"],
      ),
    });
  }

  app.get("/payees/new", { preHandler: requireStaff("bank_details:manage") }, async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const personId = q.personId?.trim() ?? "";
    const values: Record<string, string> = {};
    if (personId) {
      const person = await personForPayee(ctx(request), personId);
      if (person)
        Object.assign(values, {
          kind: "person",
          personId,
          fixedPerson: "1",
          name: person.name,
          accountName: person.name,
        });
    }
    return addPayeePage(request, reply, values);
  });

  app.post("/payees/new", { preHandler: requireStaff("bank_details:manage") }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const values: Record<string, string> = {
      ...Object.fromEntries(PAYEE_FIELDS.map((k) => [k, one(body, k)])),
      ...dateFieldValues(body, "effectiveFrom"),
    };
    values.fixedPerson = one(body, "fixedPerson");
    // Optional: left empty, the details are used from today.
    const effectiveFrom = formDate(body, "effectiveFrom", "the date to use them from");
    try {
      const added = await addPayeeWithBankDetails(ctx(request), {
        kind: values.kind ?? "",
        ...(values.kind === "person" ? { personId: values.personId ?? "" } : {}),
        ...(values.kind === "provider" ? { providerId: values.providerId ?? "" } : {}),
        name: values.name ?? "",
        accountName: values.accountName ?? "",
        sortCode: values.sortCode ?? "",
        accountNumber: values.accountNumber ?? "",
        effectiveFrom: effectiveFrom.iso,
      });
      return reply.redirect(`/payees?added=${added.payee.payeeId}#payee-${added.payee.payeeId}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      reply.code(400);
      return addPayeePage(request, reply, values, withDateProblems(error.fieldErrors, { effectiveFrom }));
    }
  });

  app.post(
    "/payees/:payeeId/bank-details",
    { preHandler: requireStaff("bank_details:manage") },
    async (request, reply) => {
      const { payeeId } = request.params as { payeeId: string };
      const body = (request.body ?? {}) as Body;
      const values = {
        accountName: one(body, "accountName"),
        sortCode: one(body, "sortCode"),
        accountNumber: one(body, "accountNumber"),
        ...dateFieldValues(body, "effectiveFrom"),
      };
      const effectiveFrom = formDate(body, "effectiveFrom", "the date to use them from", { required: true });
      try {
        await proposeBankDetails(ctx(request), payeeId, {
          accountName: values.accountName,
          sortCode: values.sortCode,
          accountNumber: values.accountNumber,
          effectiveFrom: effectiveFrom.iso,
        });
        return reply.redirect("/payees?proposed=1", 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        reply.code(400);
        return payeesPage(request, reply, {
          payeeId,
          values,
          fieldErrors: withDateProblems(error.fieldErrors, { effectiveFrom }),
        });
      }
    },
  );

  app.post(
    "/payees/:payeeId/bank-details/:detailsId/approve",
    { preHandler: requireStaff("bank_details:manage") },
    async (request, reply) => {
      const { detailsId } = request.params as { detailsId: string };
      await approveBankDetails(ctx(request), detailsId);
      return reply.redirect("/payments?approved=1", 303);
    },
  );

  // ---- the council's payment settings ----------------------------------------------------------------------------

  async function settingsPage(
    request: FastifyRequest,
    reply: FastifyReply,
    values?: Record<string, string>,
    fieldErrors: FieldError[] = [],
  ) {
    const versions = await listPaymentSettings(ctx(request));
    const latest = versions[0]?.settings;
    const codes = latest?.financeCodes;
    return render(reply, "settings.njk", {
      title: "Payment settings",
      versions,
      values: values ?? {
        frequency: latest?.frequency ?? DEFAULT_SETTINGS.frequency,
        ...dateValues("anchorDate", latest?.anchorDate),
        contributionCollection: latest?.contributionCollection ?? DEFAULT_SETTINGS.contributionCollection,
        whenNotBankingDay: latest?.whenNotBankingDay ?? DEFAULT_SETTINGS.whenNotBankingDay,
        bankHolidayRegion: latest?.bankHolidayRegion ?? DEFAULT_SETTINGS.bankHolidayRegion,
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
      },
      saved: (request.query as Record<string, string | undefined>).saved,
      ...errorView(
        fieldErrors,
        (p) => {
          const head = p.split(".")[0]!;
          if (head === "originator") return p.split(".")[1] ?? "accountName";
          if (p.startsWith("financeCodes.contribution"))
            return p.endsWith("costCentre") ? "contributionCostCentre" : "contributionGl";
          if (head === "financeCodes") return "streamCodes";
          return head;
        },
        ["anchorDate", "validFrom"],
      ),
    });
  }

  app.get("/admin/payments", { preHandler: requireStaff("payments:approve") }, (request, reply) =>
    settingsPage(request, reply),
  );

  app.post("/admin/payments", { preHandler: requireStaff("payments:approve") }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const keys = [
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
    const values: Record<string, string> = {
      ...Object.fromEntries(keys.map((k) => [k, one(body, k)])),
      ...dateFieldValues(body, "anchorDate"),
      ...dateFieldValues(body, "validFrom"),
    };
    const dates: Record<string, FormDate> = {
      anchorDate: formDate(body, "anchorDate", "the first day of a payment cycle", { required: true }),
      validFrom: formDate(body, "validFrom", "the date the settings apply from", { required: true }),
    };
    // One line per funding stream: "stream id, GL code, cost centre".
    const streams: Record<string, { glCode: string; costCentre: string }> = {};
    for (const line of (values.streamCodes ?? "").split(/\r?\n/).filter((l) => l.trim())) {
      const [stream = "", glCode = "", costCentre = ""] = line.split(",").map((s) => s.trim());
      streams[stream] = { glCode, costCentre };
    }
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
          streams,
          contribution: { glCode: values.contributionGl, costCentre: values.contributionCostCentre },
        },
        validFrom: dates.validFrom!.iso,
        reason: values.reason,
      });
      return reply.redirect("/admin/payments?saved=1", 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      reply.code(400);
      return settingsPage(request, reply, values, withDateProblems(error.fieldErrors, dates));
    }
  });
}
