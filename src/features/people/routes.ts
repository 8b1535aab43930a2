import type { FastifyInstance, FastifyReply } from "fastify";
import { correspondenceRoutes } from "#/features/people/correspondence-routes.ts";
import { CODED_FIELD_NAMES } from "#/features/people/schemas.ts";
import { addPerson, DuplicatePersonError, type LikelyDuplicate } from "#/features/people/service.ts";
import type { FieldError } from "#/platform/errors.ts";
import { ValidationError } from "#/platform/errors.ts";
import { pageErrors } from "#/platform/web/page-errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";
import { CODED_PERSON_FIELDS, type CodedList, type CodedPersonField, rulesFor } from "#/rules/registry.ts";

/**
 * Add a person. Finding a person and their record page show their assessments too, so they are a face above
 * the features (faces/people-pages/routes.ts).
 */

export async function peopleRoutes(app: FastifyInstance, deps: RouteDeps) {
  const context = serviceContextFor(deps);
  const writeGuard = { preHandler: requireStaff("people:write") };
  await correspondenceRoutes(app, deps);

  const renderAddForm = (
    reply: FastifyReply,
    today: string,
    values: FormValues,
    opts: { status?: number; fieldErrors?: readonly FieldError[] } = {},
  ) => {
    const order = (path: string) => {
      const i = FORM_ORDER.indexOf(path.split(/[.[]/)[0]!);
      return i === -1 ? FORM_ORDER.length : i;
    };
    const fieldErrors = [...(opts.fieldErrors ?? [])]
      .map((e) => (isCoded(e.path) ? { ...e, message: codedMessage(e.path) } : e))
      .map((e) => (e.path === "dateOfBirth" ? { ...e, message: dateMessage(values, e.message) } : e))
      .map((e) =>
        e.path.startsWith("communicationNeeds")
          ? {
              path: "communicationNeeds",
              message:
                values.communicationNeeds.length === 0
                  ? "Select the person's communication and information needs, or None"
                  : e.message,
            }
          : e,
      )
      .sort((a, b) => order(a.path) - order(b.path));
    const { errors, errorList } = pageErrors(fieldErrors, (path) =>
      path === "dateOfBirth" ? "dateOfBirth-day" : path,
    );
    if (errors["dateOfBirth-day"]) errors.dateOfBirth = errors["dateOfBirth-day"];
    const lists = rulesFor(reply.request.staff!.jurisdiction, today).personFields.rules;
    const radios = (list: CodedList, value: string) =>
      list.options.map((o) => ({ value: o.code, text: o.label, checked: o.code === value }));
    const selectItems = (list: CodedList, value: string) => [
      { value: "", text: "Choose an answer", selected: value === "" },
      ...list.options.map((o) => ({
        value: o.code,
        text: o.group ? `${o.group}: ${o.label}` : o.label,
        selected: o.code === value,
      })),
    ];
    return reply.code(opts.status ?? 200).render("people/views/add.njk", {
      title: "Add a person",
      backLink: "/people",
      values,
      errors,
      errorList,
      sexItems: radios(lists.sex, values.sex),
      carerItems: radios(lists.hasUnpaidCarer, values.hasUnpaidCarer),
      employmentItems: radios(lists.employmentStatus, values.employmentStatus),
      ethnicityItems: selectItems(lists.ethnicity, values.ethnicity),
      accommodationItems: selectItems(lists.accommodationStatus, values.accommodationStatus),
      needItems: lists.communicationNeeds.options.map((o) => ({
        value: o.code,
        text: o.label,
        checked: values.communicationNeeds.includes(o.code),
      })),
      noNeeds: values.communicationNeeds.includes("none"),
      sources: [lists.ethnicity.source, lists.sex.source, lists.communicationNeeds.source],
    });
  };

  app.get("/people/new", writeGuard, async (_request, reply) =>
    renderAddForm(reply, deps.today(), formValuesFrom({})),
  );

  app.post("/people/new", writeGuard, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const values = formValuesFrom(body);
    const ctx = context(request);
    const confirmed = all(body, "confirmedDifferentFrom");
    try {
      const person = await addPerson(ctx, inputFrom(values), { confirmedDifferentFrom: confirmed });
      return reply.redirect(`/people/${person.personId}?added=1`, 303);
    } catch (error) {
      if (error instanceof ValidationError) {
        return renderAddForm(reply, ctx.today, values, { status: 400, fieldErrors: error.fieldErrors });
      }
      if (error instanceof DuplicatePersonError) {
        return reply.code(409).render("people/views/duplicate.njk", {
          title: "This person may already be on record",
          backLink: "/people/new",
          matches: error.matches.map(matchView),
          sameNhsNumber: error.matches.some((m) => m.reason === "nhs-number"),
          // Everything the form held, to post again if staff confirm this is someone else.
          hidden: hiddenFieldsFrom(values),
          confirmIds: error.matches.map((m) => m.person.personId),
          values,
        });
      }
      throw error;
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// The "Add a person" form: what it posts, and how it reads back.

type FormBody = Record<string, string | string[] | undefined>;

const TEXT_FIELDS = [
  "givenName",
  "familyName",
  "dobDay",
  "dobMonth",
  "dobYear",
  "nhsNumber",
  "reference",
  "addressLine1",
  "addressLine2",
  "town",
  "postcode",
  "phone",
  "email",
  "sex",
  "ethnicity",
  "accommodationStatus",
  "employmentStatus",
  "hasUnpaidCarer",
  "gpPracticeName",
  "gpPracticeCode",
  "preferredLanguage",
] as const;

type FormValues = Record<(typeof TEXT_FIELDS)[number], string> & { communicationNeeds: string[] };

/** The order the form asks its questions, so the error summary reads in the same order. */
const FORM_ORDER = [
  "givenName",
  "familyName",
  "dateOfBirth",
  "nhsNumber",
  "reference",
  "sex",
  "ethnicity",
  "addressLine1",
  "addressLine2",
  "town",
  "postcode",
  "accommodationStatus",
  "phone",
  "email",
  "employmentStatus",
  "hasUnpaidCarer",
  "communicationNeeds",
  "preferredLanguage",
  "gpPracticeName",
  "gpPracticeCode",
];

const one = (body: FormBody, name: string): string => {
  const v = body[name];
  return (Array.isArray(v) ? v[0] : v) ?? "";
};
const all = (body: FormBody, name: string): string[] => {
  const v = body[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

function formValuesFrom(body: FormBody): FormValues {
  const values = Object.fromEntries(TEXT_FIELDS.map((f) => [f, one(body, f)])) as unknown as FormValues;
  values.communicationNeeds = all(body, "communicationNeeds");
  return values;
}

/** What the form says, as the service takes it: the date from its three boxes, "None" as no needs. */
function inputFrom(values: FormValues): Record<string, unknown> {
  const { dobDay, dobMonth, dobYear, communicationNeeds, ...rest } = values;
  const day = dobDay.trim();
  const month = dobMonth.trim();
  const year = dobYear.trim();
  const dateOfBirth =
    day || month || year ? `${year.padStart(4, "0")}-${month.padStart(2, "0")}-${day.padStart(2, "0")}` : "";
  const needs = communicationNeeds.filter((n) => n !== "none");
  return {
    ...rest,
    dateOfBirth,
    // Nothing ticked is not "no needs": the question needs an answer ("None" is one).
    ...(communicationNeeds.length > 0 ? { communicationNeeds: needs } : {}),
  };
}

function hiddenFieldsFrom(values: FormValues): { name: string; value: string }[] {
  const fields = TEXT_FIELDS.map((name) => ({ name, value: values[name] }));
  return [...fields, ...values.communicationNeeds.map((value) => ({ name: "communicationNeeds", value }))];
}

const isCoded = (path: string): path is CodedPersonField =>
  (CODED_PERSON_FIELDS as readonly string[]).includes(path);

/** On the page the answers are choices, so the message asks for one rather than listing codes. */
function codedMessage(field: CodedPersonField): string {
  return field === "hasUnpaidCarer"
    ? "Select whether the person has an unpaid carer"
    : `Select the person's ${CODED_FIELD_NAMES[field]}`;
}

/** The page asks for the date in three boxes, so its messages speak of them, as the GOV.UK pattern does. */
function dateMessage(values: FormValues, message: string): string {
  if (!values.dobDay.trim() && !values.dobMonth.trim() && !values.dobYear.trim()) {
    return "Enter the person's date of birth";
  }
  return /real date/.test(message) ? "Date of birth must be a real date, for example 27 3 1970" : message;
}

function matchView({ person, reason }: LikelyDuplicate) {
  return {
    personId: person.personId,
    name: `${person.givenName} ${person.familyName}`,
    reference: person.reference,
    dateOfBirth: person.dateOfBirth,
    reason: reason === "nhs-number" ? "The same NHS number" : "The same name and date of birth",
  };
}
