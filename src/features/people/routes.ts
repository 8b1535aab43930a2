import type { FastifyInstance, FastifyReply } from "fastify";
import {
  type AssessmentSummary,
  latestAssessmentsFor,
  listAssessmentsForPerson,
} from "#/features/assessment/service.ts";
import { formatNhsNumber } from "#/features/people/nhs-number.calc.ts";
import { CODED_FIELD_NAMES, MAX_PAGE_SIZE } from "#/features/people/schemas.ts";
import {
  addPerson,
  DuplicatePersonError,
  getPerson,
  type LikelyDuplicate,
  listPeople,
  type PersonRecord,
} from "#/features/people/service.ts";
import { can } from "#/platform/auth/permissions.ts";
import { type FieldError, ValidationError } from "#/platform/errors.ts";
import { pageErrors } from "#/platform/web/page-errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";
import {
  CODED_PERSON_FIELDS,
  type CodedList,
  type CodedPersonField,
  personFieldLabel,
  rulesFor,
} from "#/rules/registry.ts";

/** The people pages: find a person, and open their record with its assessments. */

const PAGE_SIZE = 25;

export const STATUS_TEXT: Record<AssessmentSummary["status"], string> = {
  draft: "Draft",
  submitted: "Submitted",
};

type PageLink = { number?: number; href?: string; current?: boolean; ellipsis?: boolean };

/** GOV.UK pagination items: first, last, and the pages either side of the current one, with gaps. */
export function paginationItems(
  page: number,
  totalPages: number,
  hrefFor: (page: number) => string,
): PageLink[] {
  const items: PageLink[] = [];
  let last = 0;
  for (let n = 1; n <= totalPages; n++) {
    if (n === 1 || n === totalPages || Math.abs(n - page) <= 1) {
      if (n - last > 1) items.push({ ellipsis: true });
      items.push({ number: n, href: hrefFor(n), current: n === page });
      last = n;
    }
  }
  return items;
}

export async function peopleRoutes(app: FastifyInstance, deps: RouteDeps) {
  const guard = { preHandler: requireStaff("people:read") };
  const context = serviceContextFor(deps);

  app.get("/people", guard, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const search = typeof query.search === "string" ? query.search.trim() : "";
    const pageText = typeof query.page === "string" ? query.page : "1";
    const page = /^[1-9][0-9]{0,5}$/.test(pageText) ? Number(pageText) : 1;
    const ctx = context(request);

    let result: Awaited<ReturnType<typeof listPeople>>;
    try {
      result = await listPeople(ctx, { search, page, pageSize: Math.min(PAGE_SIZE, MAX_PAGE_SIZE) });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const message = error.fieldErrors[0]?.message ?? "Check your search";
      return reply.code(400).render("people/views/list.njk", {
        title: "People",
        search,
        people: [],
        total: 0,
        errors: { search: message },
        errorList: [{ text: message, href: "#search" }],
      });
    }

    const latest = await latestAssessmentsFor(
      ctx,
      result.rows.map((person) => person.personId),
    );
    const totalPages = Math.max(1, Math.ceil(result.total / result.pageSize));
    const hrefFor = (n: number) => {
      const params = new URLSearchParams();
      if (search) params.set("search", search);
      if (n > 1) params.set("page", String(n));
      const qs = params.toString();
      return qs ? `/people?${qs}` : "/people";
    };
    const first = (result.page - 1) * result.pageSize + 1;
    return reply.render("people/views/list.njk", {
      title: search ? `People matching “${search}”` : "People",
      search,
      people: result.rows.map((person) => {
        const newest = latest.get(person.personId);
        return { ...person, latest: newest ? { ...newest, statusText: STATUS_TEXT[newest.status] } : null };
      }),
      total: result.total,
      mayAddPeople: can(request.staff!.roles, "people:write"),
      showing: result.rows.length > 0 ? { from: first, to: first + result.rows.length - 1 } : null,
      pagination:
        totalPages > 1
          ? {
              previous: result.page > 1 ? { href: hrefFor(result.page - 1) } : undefined,
              next: result.page < totalPages ? { href: hrefFor(result.page + 1) } : undefined,
              items: paginationItems(result.page, totalPages, hrefFor),
              landmarkLabel: "Pages of results",
            }
          : null,
    });
  });

  const writeGuard = { preHandler: requireStaff("people:write") };

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

  app.get("/people/:personId", guard, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const ctx = context(request);
    const person = await getPerson(ctx, personId);
    const summaries = await listAssessmentsForPerson(ctx, person.personId);
    const mayReadAssessments = can(request.staff!.roles, "assessment:read");
    // Outcomes and budgets are part of the assessment record: only roles that may read it see them.
    const assessments = summaries.map((a) => {
      const eligible = mayReadAssessments ? a.eligible : null;
      return {
        ...a,
        statusText: STATUS_TEXT[a.status],
        outcome: eligible === null ? null : eligible ? "Eligible" : "Not eligible",
        weeklyPence: mayReadAssessments ? a.weeklyPence : null,
        hasBudget: mayReadAssessments && a.weeklyPence !== null,
      };
    });
    const draft = summaries.find((a) => a.status === "draft");
    const latestSubmitted = summaries.find((a) => a.status === "submitted");
    const query = request.query as Record<string, unknown>;
    const roles = request.staff!.roles;
    // Each link is shown only to staff with the permission its page (or, for a change, its form) requires, so the
    // page offers nothing that answers "You cannot see this page".
    const may = {
      plans: can(roles, "plans:read"),
      overrideAllocation:
        can(roles, "allocation:override") &&
        latestSubmitted !== undefined &&
        latestSubmitted.weeklyPence !== null,
      budget: can(roles, "budgets:read"),
      reviews: can(roles, "reviews:read"),
      referrals: can(roles, "referrals:read"),
      charging: can(roles, "charging:read"),
    };
    return reply.render("people/views/person.njk", {
      title: `${person.givenName} ${person.familyName}`,
      backLink: "/people",
      person,
      added: query.added === "1",
      details: detailRows(person),
      mayAddPeople: can(request.staff!.roles, "people:write"),
      assessments,
      mayReadAssessments,
      mayWrite: can(request.staff!.roles, "assessment:write"),
      may,
      draft,
      latestSubmitted,
    });
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

/** The person's details as summary-list rows; an answer never asked shows as "Not asked yet". */
function detailRows(person: PersonRecord) {
  const notAsked = "Not asked yet";
  // Records made before the details were asked (no lists id) have nothing to show yet.
  const text = (v: string | null) => v ?? (person.fieldListsId === null ? notAsked : "Not recorded");
  const coded = (field: CodedPersonField, v: string | null) =>
    v === null ? notAsked : personFieldLabel(field, v);
  const address = [person.addressLine1, person.addressLine2, person.town].filter(Boolean).join(", ");
  return [
    {
      key: { text: "NHS number" },
      value: { text: person.nhsNumber ? formatNhsNumber(person.nhsNumber) : "Not recorded" },
    },
    { key: { text: "Address" }, value: { text: address || "Not recorded" } },
    { key: { text: "Phone" }, value: { text: person.phone ?? "Not recorded" } },
    { key: { text: "Email" }, value: { text: person.email ?? "Not recorded" } },
    { key: { text: "Sex" }, value: { text: coded("sex", person.sex) } },
    { key: { text: "Ethnicity" }, value: { text: coded("ethnicity", person.ethnicity) } },
    {
      key: { text: "Accommodation" },
      value: { text: coded("accommodationStatus", person.accommodationStatus) },
    },
    { key: { text: "Employment" }, value: { text: coded("employmentStatus", person.employmentStatus) } },
    { key: { text: "Has an unpaid carer" }, value: { text: coded("hasUnpaidCarer", person.hasUnpaidCarer) } },
    {
      key: { text: "Communication and information needs" },
      value: {
        text:
          person.communicationNeeds === null
            ? notAsked
            : person.communicationNeeds.length === 0
              ? "None"
              : person.communicationNeeds.map((c) => personFieldLabel("communicationNeeds", c)).join(", "),
      },
    },
    { key: { text: "Preferred language" }, value: { text: text(person.preferredLanguage) } },
    {
      key: { text: "GP practice" },
      value: {
        text:
          [person.gpPracticeName, person.gpPracticeCode ? `(${person.gpPracticeCode})` : null]
            .filter(Boolean)
            .join(" ") || "Not recorded",
      },
    },
  ];
}
