import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  CORRESPONDENCE_LANGUAGES,
  LETTER_CHANNELS,
  LETTER_FORMATS,
} from "#/features/people/correspondence.calc.ts";
import {
  correspondenceSchema,
  getCorrespondence,
  setCorrespondence,
} from "#/features/people/correspondence.ts";
import { addPersonSchema, listPeopleSchema } from "#/features/people/schemas.ts";
import { addPerson, getPerson, listPeople } from "#/features/people/service.ts";
import { API_PREFIX, apiRoute } from "#/platform/web/openapi.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { newestPersonFieldLists } from "#/rules/registry.ts";

/**
 * People over `/api/v1`: the same services as the pages. Searching lists names; opening one record is
 * recorded in the audit trail as a view (by the API token, when one is used).
 */

const personSummaryFields = {
  personId: z.uuid(),
  reference: z.string().describe("The council's reference for the person"),
  givenName: z.string(),
  familyName: z.string(),
  dateOfBirth: z.iso.date(),
  postcode: z.string().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
};

/** What a search lists: no contact or coded details (a search is not audited as opening a record). */
export const personSummaryResponse = z.object(personSummaryFields).meta({ id: "PersonSummary" });

/** How the person wants to be told (issue 16); null: not asked yet. */
const correspondenceFields = {
  letterChannel: z.enum(LETTER_CHANNELS).nullable().describe("How letters go; null: not asked yet (by post)"),
  textsAllowed: z
    .boolean()
    .nullable()
    .describe("Whether text messages may be sent to the phone number recorded"),
  letterFormat: z
    .enum(LETTER_FORMATS)
    .nullable()
    .describe("The letter format chosen; null: not chosen, so it follows the communication needs"),
  correspondenceLanguage: z
    .enum(CORRESPONDENCE_LANGUAGES)
    .nullable()
    .describe("en or cy; null: not asked yet"),
};

const correspondenceResponse = z
  .object({
    personId: z.uuid(),
    ...correspondenceFields,
    effectiveLetterFormat: z
      .enum(LETTER_FORMATS)
      .describe(
        "The format letters are written in: the one chosen, else the one the communication needs call for",
      ),
    email: z.string().nullable().describe("The email address recorded on the person"),
    mobile: z.string().nullable().describe("The phone number recorded on the person"),
    communicationNeeds: z.array(z.string()).nullable(),
  })
  .meta({ id: "CorrespondencePreferences" });

export const personResponse = z
  .object({
    ...personSummaryFields,
    nhsNumber: z.string().nullable().describe("10 digits, Modulus 11 checked"),
    addressLine1: z.string().nullable(),
    addressLine2: z.string().nullable(),
    town: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    sex: z.string().nullable().describe("A code from the sex list; null: not asked yet"),
    ethnicity: z
      .string()
      .nullable()
      .describe("A code from the CLD Release 2 ethnicity list; null: not asked yet"),
    accommodationStatus: z.string().nullable(),
    employmentStatus: z.string().nullable(),
    hasUnpaidCarer: z.string().nullable(),
    gpPracticeName: z.string().nullable(),
    gpPracticeCode: z.string().nullable(),
    communicationNeeds: z
      .array(z.string())
      .nullable()
      .describe("Accessible Information Standard needs; empty: none; null: not asked yet"),
    preferredLanguage: z.string().nullable(),
    fieldListsId: z.string().nullable().describe("Which version of the coded lists the answers come from"),
    ...correspondenceFields,
  })
  .meta({ id: "Person" });

/**
 * The request body as documented: codes from the lists in force now. The service checks the codes against the
 * lists of the council's jurisdiction in force on the day the person is added (src/rules/registry.ts).
 */
const addPersonRequest = addPersonSchema(newestPersonFieldLists())
  .extend({
    confirmedDifferentFrom: z
      .array(z.uuid())
      .optional()
      .describe(
        "People with the same name and date of birth that you have checked are someone else (a 409 names them). " +
          "A match on NHS number cannot be confirmed away.",
      ),
  })
  .meta({ id: "NewPerson" });

export const peoplePageResponse = z
  .object({
    rows: z.array(personSummaryResponse),
    total: z.number().int().describe("How many people match the search, on every page"),
    page: z.number().int(),
    pageSize: z.number().int(),
  })
  .meta({ id: "PeoplePage" });

export async function peopleApi(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/people",
      operationId: "listPeople",
      summary: "Search your council's people by name or reference, a page at a time, in order of family name",
      tag: "People",
      auth: "staff",
      permission: "people:read",
      query: listPeopleSchema,
      response: peoplePageResponse,
    },
    async ({ request, query }) => listPeople(ctx(request), query),
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/people/:personId",
      operationId: "getPerson",
      summary: "Open one person's record; the view is recorded in the audit trail",
      tag: "People",
      auth: "staff",
      permission: "people:read",
      response: personResponse,
    },
    async ({ request, params }) => getPerson(ctx(request), params.personId!),
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/people",
      operationId: "addPerson",
      summary:
        "Add a person with every coded answer (declined to say and not known are answers). A likely duplicate " +
        "(same NHS number, or same name and date of birth) is refused with 409 naming the match.",
      tag: "People",
      auth: "staff",
      permission: "people:write",
      body: addPersonRequest,
      response: personResponse,
      successStatus: 201,
      problems: { 409: "This person may already be on record: the problem names the match" },
    },
    async ({ request, reply }) => {
      // The raw body: the service parses it against the lists in force today.
      const { confirmedDifferentFrom, ...input } = request.body as Record<string, unknown> & {
        confirmedDifferentFrom?: string[];
      };
      const person = await addPerson(ctx(request), input, {
        ...(confirmedDifferentFrom ? { confirmedDifferentFrom } : {}),
      });
      reply.header("location", `${API_PREFIX}/people/${person.personId}`);
      return person;
    },
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/people/:personId/correspondence",
      operationId: "getCorrespondencePreferences",
      summary: "How a person wants to be told: letters by post or email, texts, letter format and language",
      tag: "People",
      auth: "staff",
      permission: "people:read",
      response: correspondenceResponse,
    },
    async ({ request, params }) => getCorrespondence(ctx(request), params.personId!),
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "PUT",
      path: "/people/:personId/correspondence",
      operationId: "setCorrespondencePreferences",
      summary:
        "Record how a person wants to be told, all four answers at once. Email needs an email address recorded, " +
        "and texts a phone number; otherwise 400 says what to fix. The change is recorded in the audit trail.",
      tag: "People",
      auth: "staff",
      permission: "people:write",
      body: correspondenceSchema.meta({ id: "CorrespondencePreferencesInput" }),
      response: correspondenceResponse,
    },
    async ({ request, params, body }) => setCorrespondence(ctx(request), params.personId!, body),
  );
}
