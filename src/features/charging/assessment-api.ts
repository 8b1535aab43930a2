import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { financialAnswersSchema } from "#/features/charging/answers.ts";
import { chargingCaseRequest, chargingResultResponse } from "#/features/charging/api.ts";
import type { ChargingRouteDeps } from "#/features/charging/page-kit.ts";
import {
  createCompletedFinancialAssessment,
  getFinancialAssessment,
  listFinancialAssessmentsForPerson,
} from "#/features/charging/service.ts";
import { SUPPLIABLE_FIGURES } from "#/features/charging/supplied-figures.calc.ts";
import { API_PREFIX, apiRoute } from "#/platform/web/openapi.ts";
import { serviceContextFor } from "#/platform/web/routes.ts";

/**
 * Financial assessments over `/api/v1`, for signed-in staff: create one (answers in, worked out and completed
 * in one transaction, so nothing is saved unless everything is valid and the rules support the case) and read
 * them. The same service as the pages: the same checks, rules, settings and audit events.
 */

export const createFinancialAssessmentRequest = z
  .strictObject(
    {
      personId: z.uuid({ error: "Give the person's id (personId from GET /people), a UUID" }),
      answers: financialAnswersSchema,
    },
    { error: "The request must be a JSON object" },
  )
  .meta({ id: "CreateFinancialAssessmentRequest" });

const timestamp = z.iso.datetime({ offset: true });

const summaryShape = {
  financialAssessmentId: z.uuid(),
  personId: z.uuid(),
  version: z.number().int().describe("1 for the first; each change is the next version"),
  previousFinancialAssessmentId: z.uuid().nullable(),
  status: z.enum(["draft", "completed"]),
  rulePackIds: z.array(z.string()).nullable().describe("The charging rule packs the result used"),
  assessmentKind: z.enum(["full", "light_touch", "nothing_to_charge"]).nullable(),
  appliesFrom: z.iso.date().nullable(),
  appliesTo: z.iso.date().nullable(),
  weeklyContributionPence: z.number().int().nullable().describe("The first period's weekly contribution"),
  costOfCareWeeklyPence: z.number().int().nullable(),
  costOfCareBasis: z.enum(["agreed_plan", "indicative_budget", "estimate"]).nullable(),
  createdBy: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
  completedBy: z.string().nullable(),
  completedAt: timestamp.nullable(),
};

export const financialAssessmentSummaryResponse = z
  .object(summaryShape)
  .meta({ id: "FinancialAssessmentSummary" });

const suppliedFigureResponse = z.object({
  figure: z.enum(SUPPLIABLE_FIGURES as [string, ...string[]]),
  validFrom: z.iso.date(),
  validTo: z.iso.date().optional(),
  pence: z.number().int(),
  source: z.string(),
});

export const financialAssessmentResponse = z
  .object({
    ...summaryShape,
    answers: financialAnswersSchema,
    calculatorInput: chargingCaseRequest
      .nullable()
      .describe("Exactly what the charging calculator was given"),
    suppliedFigures: z
      .array(suppliedFigureResponse)
      .nullable()
      .describe("The figures the council supplied, as in force when it was completed"),
    result: chargingResultResponse.nullable(),
  })
  .meta({ id: "FinancialAssessment" });

export async function financialAssessmentApi(app: FastifyInstance, deps: ChargingRouteDeps) {
  const ctx = serviceContextFor(deps);

  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/financial-assessments",
      operationId: "createFinancialAssessment",
      summary:
        "Record a person's financial assessment and work out their weekly contribution, by the rules for the dates " +
        "it applies to, with the council's charging policy and supplied figures. Created completed, as the next " +
        "version, in one transaction: a 400 names every wrong answer, or why the rules cannot support the case, " +
        "and nothing is saved. The cost of care is the agreed plan's, else the indicative budget, else " +
        "answers.costOfCare.estimateWeeklyPence.",
      tag: "Financial assessments",
      auth: "staff",
      permission: "charging:write",
      body: createFinancialAssessmentRequest,
      response: financialAssessmentResponse,
      successStatus: 201,
      problems: {
        404: "There is no such person in your council",
        409: "The person has a draft financial assessment",
      },
    },
    async ({ request, reply, body }) => {
      // The raw answers: the service parses them itself, so its field errors are the pages' errors.
      const answers = (request.body as { answers?: unknown }).answers;
      const created = await createCompletedFinancialAssessment(
        ctx(request),
        { personId: body.personId, answers },
        deps.agreedPlanCost,
      );
      reply.header("location", `${API_PREFIX}/financial-assessments/${created.financialAssessmentId}`);
      return created;
    },
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/financial-assessments/:financialAssessmentId",
      operationId: "getFinancialAssessment",
      summary:
        "A financial assessment with its answers and, once completed, the calculator's input, the supplied figures " +
        "and the result with every step and its rule. The view is recorded in the audit trail.",
      tag: "Financial assessments",
      auth: "staff",
      permission: "charging:read",
      response: financialAssessmentResponse,
    },
    async ({ request, params }) => getFinancialAssessment(ctx(request), params.financialAssessmentId!),
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/people/:personId/financial-assessments",
      operationId: "listFinancialAssessmentsForPerson",
      summary: "A person's financial assessments, newest first, without their answers or working",
      tag: "Financial assessments",
      auth: "staff",
      permission: "charging:read",
      response: z.array(financialAssessmentSummaryResponse),
    },
    async ({ request, params }) =>
      listFinancialAssessmentsForPerson(ctx(request), params.personId!, { audited: true }),
  );
}
