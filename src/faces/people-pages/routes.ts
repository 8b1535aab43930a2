import type { FastifyInstance } from "fastify";
import {
  type AssessmentSummary,
  latestAssessmentsFor,
  listAssessmentsForPerson,
} from "#/features/assessment/service.ts";
import {
  defaultLetterFormat,
  LANGUAGE_TEXT,
  LETTER_CHANNEL_TEXT,
  LETTER_FORMAT_TEXT,
} from "#/features/people/correspondence.calc.ts";
import { formatNhsNumber } from "#/features/people/nhs-number.calc.ts";
import { MAX_PAGE_SIZE } from "#/features/people/schemas.ts";
import { getPerson, listPeople, type PersonRecord } from "#/features/people/service.ts";
import { can } from "#/platform/auth/permissions.ts";
import { ValidationError } from "#/platform/errors.ts";
import { paginationItems } from "#/platform/web/pagination.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";
import { type CodedPersonField, personFieldLabel } from "#/rules/registry.ts";

/**
 * The people pages: find a person, and open their record with its assessments. A face (above the features),
 * because each page shows people (people/) with their assessments (assessment/); adding a person is people/'s own
 * form (features/people/routes.ts).
 */

const PAGE_SIZE = 25;

export const STATUS_TEXT: Record<AssessmentSummary["status"], string> = {
  draft: "Draft",
  submitted: "Submitted",
};

export async function peoplePagesRoutes(app: FastifyInstance, deps: RouteDeps) {
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
      return reply.code(400).render("people-pages/views/list.njk", {
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
    return reply.render("people-pages/views/list.njk", {
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
    return reply.render("people-pages/views/person.njk", {
      title: `${person.givenName} ${person.familyName}`,
      backLink: "/people",
      person,
      added: query.added === "1",
      details: detailRows(person),
      communicationFlag: communicationFlag(person),
      correspondence: correspondenceRows(person),
      updatedCorrespondence: query.correspondence === "1",
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

/**
 * The Accessible Information Standard's flag (identify, record, flag, share, meet): the needs recorded, in words,
 * shown at the top of the record so no one misses them. Null when none are recorded.
 */
export function communicationFlag(person: Pick<PersonRecord, "communicationNeeds">): string[] | null {
  const needs = person.communicationNeeds ?? [];
  return needs.length === 0 ? null : needs.map((c) => personFieldLabel("communicationNeeds", c));
}

/** How the person wants to be told (issue 16), in words; the format follows the needs until one is chosen. */
function correspondenceRows(person: PersonRecord) {
  const notAsked = "Not asked yet";
  const format = person.letterFormat ?? defaultLetterFormat(person.communicationNeeds);
  return [
    {
      key: { text: "Letters" },
      value: {
        text: person.letterChannel ? LETTER_CHANNEL_TEXT[person.letterChannel] : `${notAsked} (by post)`,
      },
    },
    {
      key: { text: "Text messages" },
      value: { text: person.textsAllowed === null ? notAsked : person.textsAllowed ? "Yes" : "No" },
    },
    {
      key: { text: "Letter format" },
      value: {
        text: person.letterFormat
          ? LETTER_FORMAT_TEXT[format]
          : `${LETTER_FORMAT_TEXT[format]} (from the communication needs; not chosen yet)`,
      },
    },
    {
      key: { text: "Language for letters" },
      value: {
        text: person.correspondenceLanguage ? LANGUAGE_TEXT[person.correspondenceLanguage] : notAsked,
      },
    },
  ];
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
