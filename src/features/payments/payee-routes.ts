import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  addPayeeWithBankDetails,
  approveBankDetails,
  listPayees,
  payeeChoices,
  personForPayee,
  proposeBankDetails,
} from "#/features/payments/bank-details.ts";
import { formDate, withDateProblems } from "#/features/payments/date-fields.ts";
import { type Body, type ContextOf, errorView, one, render } from "#/features/payments/page-kit.ts";
import { dateFieldValues } from "#/platform/date-input.ts";
import { type FieldError, ValidationError } from "#/platform/errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";

/**
 * Payees and their bank details (/payees): the list, adding a payee with bank details, proposing new details
 * for a payee, and a second person approving them.
 */

async function payeesPage(
  ctx: ContextOf,
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
  ctx: ContextOf,
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

/** The form, for the person named in ?personId= when there is one (from a run's held payment). */
async function addPayeeForm(ctx: ContextOf, request: FastifyRequest, reply: FastifyReply) {
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
  return addPayeePage(ctx, request, reply, values);
}

async function addPayeeFromForm(ctx: ContextOf, request: FastifyRequest, reply: FastifyReply) {
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
    return addPayeePage(ctx, request, reply, values, withDateProblems(error.fieldErrors, { effectiveFrom }));
  }
}

async function proposeBankDetailsFromForm(ctx: ContextOf, request: FastifyRequest, reply: FastifyReply) {
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
    return payeesPage(ctx, request, reply, {
      payeeId,
      values,
      fieldErrors: withDateProblems(error.fieldErrors, { effectiveFrom }),
    });
  }
}

async function approveBankDetailsFromForm(ctx: ContextOf, request: FastifyRequest, reply: FastifyReply) {
  const { detailsId } = request.params as { detailsId: string };
  await approveBankDetails(ctx(request), detailsId);
  return reply.redirect("/payments?approved=1", 303);
}

export async function payeeRoutes(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);
  const guard = { preHandler: requireStaff("bank_details:manage") };
  app.get("/payees", guard, (request, reply) => payeesPage(ctx, request, reply));
  app.get("/payees/new", guard, (request, reply) => addPayeeForm(ctx, request, reply));
  app.post("/payees/new", guard, (request, reply) => addPayeeFromForm(ctx, request, reply));
  app.post("/payees/:payeeId/bank-details", guard, (request, reply) =>
    proposeBankDetailsFromForm(ctx, request, reply),
  );
  app.post("/payees/:payeeId/bank-details/:detailsId/approve", guard, (request, reply) =>
    approveBankDetailsFromForm(ctx, request, reply),
  );
}
