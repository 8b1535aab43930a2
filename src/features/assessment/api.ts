import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { allocationResponse, eligibilityDecisionResponse } from "#/features/assessment/result-schemas.ts";
import { assessmentAnswersSchema } from "#/features/assessment/schemas.ts";
import {
  getAllocation,
  getAssessment,
  getDecision,
  listAssessmentsForPerson,
  saveAnswers,
  saveAnswersIn,
  startAssessmentIn,
  submitAssessment,
} from "#/features/assessment/service.ts";
import { inTenant, isUniqueViolation } from "#/platform/context.ts";
import { ConflictError } from "#/platform/errors.ts";
import { API_PREFIX, apiRoute } from "#/platform/web/openapi.ts";
import { sendProblem } from "#/platform/web/problem.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { isCalendarDate } from "#/rules/index.ts";

/**
 * Assessments over `/api/v1`: start a draft, save answers a section at a time, submit (which decides
 * eligibility and, if eligible, makes the allocation), and read the results. The same services as the pages,
 * so the same checks, the same single transaction per call and the same audit events.
 */

// ---- request schemas -----------------------------------------------------------------------------------

/**
 * Any of the answer sections; each one given replaces what was saved, and each outcome given replaces that
 * outcome. Completeness is checked on submit, not here. The service checks the sections again against the
 * assessment's questionnaire (unknown outcome ids, a different questionnaireId).
 */
export const answersPatchRequest = z.strictObject(assessmentAnswersSchema.shape).partial().meta({
  id: "AssessmentAnswersPatch",
  description:
    "Some or all sections of the answers; completeness is checked when the assessment is submitted",
});

/** The body of PUT …/answers: at least one section (the service says the same; this makes the document say it). */
export const saveAnswersRequest = answersPatchRequest.refine((sections) => Object.keys(sections).length > 0, {
  error: "Give at least one answer to save",
});

export const startAssessmentRequest = z
  .strictObject(
    {
      personId: z.uuid({ error: "Give the person's id (personId from GET /people), a UUID" }),
      answers: answersPatchRequest.optional(),
    },
    { error: "The request must be a JSON object" },
  )
  .meta({ id: "StartAssessmentRequest" });

export const submitAssessmentRequest = z
  .strictObject(
    {
      decisionDate: z
        .string({ error: "Give the date the decision applies to, as YYYY-MM-DD" })
        .refine(isCalendarDate, { error: "The decision date must be a real date written as YYYY-MM-DD" })
        .optional()
        .describe("The date the decision applies to, which chooses the rules; today (London) if left out"),
    },
    { error: "The request must be a JSON object" },
  )
  .meta({ id: "SubmitAssessmentRequest" });

// ---- responses -------------------------------------------------------------------------------------------

const timestamp = z.iso.datetime({ offset: true });

const summaryShape = {
  assessmentId: z.uuid(),
  personId: z.uuid(),
  version: z.number().int().describe("1 for the first assessment; each revision is the next version"),
  previousAssessmentId: z.uuid().nullable(),
  questionnaireId: z.string(),
  status: z.enum(["draft", "submitted"]),
  decisionDate: z.iso.date().nullable(),
  createdBy: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
  submittedBy: z.string().nullable(),
  submittedAt: timestamp.nullable(),
};

export const assessmentSummaryResponse = z.object(summaryShape).meta({ id: "AssessmentSummary" });

export const assessmentResponse = z
  .object({ ...summaryShape, answers: answersPatchRequest })
  .meta({ id: "Assessment" });

export const storedDecisionResponse = z
  .object({
    decisionId: z.uuid(),
    assessmentId: z.uuid(),
    eligible: z.boolean(),
    ruleId: z.string(),
    decision: eligibilityDecisionResponse,
    decidedBy: z.string(),
    decidedAt: timestamp,
  })
  .meta({ id: "StoredDecision" });

export const storedAllocationResponse = z
  .object({
    allocationId: z.uuid(),
    assessmentId: z.uuid(),
    rasModelId: z.uuid(),
    rasModelVersion: z
      .number()
      .int()
      .describe("The version of the council's RAS model the budget was made with"),
    weeklyPence: z.number().int(),
    annualPence: z.number().int(),
    working: allocationResponse,
    createdBy: z.string(),
    createdAt: timestamp,
  })
  .meta({ id: "StoredAllocation" });

export const submitResultResponse = z
  .object({
    assessment: assessmentResponse,
    decision: storedDecisionResponse,
    allocation: storedAllocationResponse.nullable().describe("Only an eligible person gets an allocation"),
  })
  .meta({ id: "SubmitResult" });

// ---- routes ----------------------------------------------------------------------------------------------

type Context = ReturnType<typeof serviceContextFor>;

export async function assessmentApi(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);
  draftRoutes(app, deps, ctx);
  resultRoutes(app, deps, ctx);
}

/** Listing, starting, reading and saving a draft. */
function draftRoutes(app: FastifyInstance, deps: RouteDeps, ctx: Context) {
  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/people/:personId/assessments",
      operationId: "listAssessmentsForPerson",
      summary: "The versions of a person's assessment, newest first, without their answers",
      tag: "Assessments",
      auth: "staff",
      permission: "assessment:read",
      response: z.array(assessmentSummaryResponse),
    },
    async ({ request, params }) =>
      listAssessmentsForPerson(ctx(request), params.personId!, { audited: true }),
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/assessments",
      operationId: "startAssessment",
      summary:
        "Start a draft assessment for a person, in the questionnaire of today's rules, optionally saving some " +
        "or all answers at once. One draft per person at a time. Nothing is saved unless everything is valid.",
      tag: "Assessments",
      auth: "staff",
      permission: "assessment:write",
      body: startAssessmentRequest,
      response: assessmentResponse,
      successStatus: 201,
      problems: { 409: "The person already has a draft assessment: carry on with that one" },
    },
    async ({ request, reply, body }) => {
      // The raw answers: the service parses them against the draft's questionnaire itself.
      const answers = (request.body as { answers?: Record<string, unknown> }).answers;
      try {
        // One transaction: if the answers are not valid, no draft is left behind.
        const assessment = await inTenant(ctx(request), async (t) => {
          const draft = await startAssessmentIn(t, body.personId);
          if (!answers || Object.keys(answers).length === 0) return draft;
          return saveAnswersIn(t, draft.assessmentId, answers);
        });
        reply.header("location", `${API_PREFIX}/assessments/${assessment.assessmentId}`);
        return assessment;
      } catch (error) {
        // Unique (tenant, person, version): another draft was started at the same moment.
        if (isUniqueViolation(error)) {
          throw new ConflictError("Someone else started a new version at the same time: open it instead");
        }
        throw error;
      }
    },
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/assessments/:assessmentId",
      operationId: "getAssessment",
      summary: "Open an assessment with its answers so far; the view is recorded in the audit trail",
      tag: "Assessments",
      auth: "staff",
      permission: "assessment:read",
      response: assessmentResponse,
    },
    async ({ request, params }) => getAssessment(ctx(request), params.assessmentId!),
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "PUT",
      path: "/assessments/:assessmentId/answers",
      operationId: "saveAnswers",
      summary:
        "Save some sections of a draft's answers: each top-level field given replaces what was saved, and each " +
        "outcome given replaces that outcome. Completeness is checked on submit.",
      tag: "Assessments",
      auth: "staff",
      permission: "assessment:write",
      body: saveAnswersRequest,
      response: assessmentResponse,
      problems: { 409: "The assessment has been submitted and cannot be changed: revise it instead" },
    },
    async ({ request, params }) => saveAnswers(ctx(request), params.assessmentId!, request.body),
  );
}

/** Submitting, and the decision and allocation it makes. */
function resultRoutes(app: FastifyInstance, deps: RouteDeps, ctx: Context) {
  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/assessments/:assessmentId/submit",
      operationId: "submitAssessment",
      summary:
        "Submit a draft: checks the answers are complete (400 names every missing or wrong field, and nothing " +
        "is saved), then decides eligibility and, if eligible, works out the indicative budget, in one go.",
      tag: "Assessments",
      auth: "staff",
      permission: "assessment:write",
      body: submitAssessmentRequest,
      response: submitResultResponse,
      problems: { 409: "The assessment has already been submitted" },
    },
    async ({ request, params, body }) =>
      submitAssessment(
        ctx(request),
        params.assessmentId!,
        body.decisionDate ? { decisionDate: body.decisionDate } : {},
      ),
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/assessments/:assessmentId/eligibility",
      operationId: "getEligibility",
      summary:
        "The eligibility decision on a submitted assessment, with its reasons (404 while it is a draft). " +
        "The view is recorded in the audit trail.",
      tag: "Assessments",
      auth: "staff",
      permission: "assessment:read",
      response: storedDecisionResponse,
    },
    async ({ request, reply, params }) => {
      const decision = await getDecision(ctx(request), params.assessmentId!);
      if (decision) return decision;
      return sendProblem(reply, {
        status: 404,
        title: "Not found",
        detail: "This assessment has not been submitted, so there is no eligibility decision yet.",
      });
    },
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/assessments/:assessmentId/allocation",
      operationId: "getAllocation",
      summary:
        "The indicative budget made when the assessment was submitted, with every line of its working (404 " +
        "while it is a draft, or when the needs were not eligible). The view is recorded in the audit trail.",
      tag: "Assessments",
      auth: "staff",
      permission: "assessment:read",
      response: storedAllocationResponse,
    },
    async ({ request, reply, params }) => {
      const allocation = await getAllocation(ctx(request), params.assessmentId!);
      if (allocation) return allocation;
      return sendProblem(reply, {
        status: 404,
        title: "Not found",
        detail:
          "There is no allocation for this assessment: it has not been submitted, or the needs were not " +
          "found eligible (see its eligibility decision).",
      });
    },
  );
}
