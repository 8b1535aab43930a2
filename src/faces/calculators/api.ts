import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { runAllocationCase, runEligibilityCase } from "#/cli/calc.ts";
import { allocationResponse, eligibilityDecisionResponse } from "#/features/assessment/result-schemas.ts";
import { assessmentAnswersSchema, caseFileSchema } from "#/features/assessment/schemas.ts";
import { ValidationError } from "#/platform/errors.ts";
import { apiRoute } from "#/platform/web/openapi.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";
import { rasModelSchema } from "#/rules/ras-model.ts";

/**
 * The public calculators: `POST /api/v1/calculate/eligibility` and `/calculate/allocation`. Anyone may send
 * a case file (a person thinking about asking for support, a council testing its RAS model, a researcher)
 * and get back exactly what `upfront calc` prints: the decision or the indicative budget with its working.
 * Nothing is stored, so there is no sign-in and no CSRF check (security.ts).
 *
 * The allocation request is a case file with one optional field more, `model`, rather than a
 * `{ case, model }` envelope: the same file works for both calculators, and every error path
 * (`answers.outcomes.nutrition…`, `model.pricing…`) points at the request body as sent, as it does in the CLI.
 */

// Schemas with ids become named components in the OpenAPI document, shared by every operation using them.
export const assessmentAnswersDoc = assessmentAnswersSchema.meta({
  id: "AssessmentAnswers",
  description:
    "The answers to one supported self-assessment, in the questionnaire version named by questionnaireId",
});

export const rasModelDoc = rasModelSchema.meta({
  id: "RasModel",
  description: "A resource allocation system (RAS) model: how questionnaire points become a weekly amount",
});

export const caseFileRequest = caseFileSchema.extend({ answers: assessmentAnswersDoc }).meta({
  id: "CaseFile",
  description:
    "Which rules apply, the date the decision applies to, and the answers (examples/eligibility-case.json)",
});

export const allocationRequest = caseFileRequest.extend({ model: rasModelDoc.optional() }).meta({
  id: "AllocationRequest",
  description:
    "A case file, plus an optional RAS model to price it with; without one, the rule pack's model for the " +
    "decision date is used (examples/api-allocation-request.json)",
});

// ---- responses (described for the document; tests parse real responses with them) -----------------------

const caseContext = {
  jurisdiction: z.string(),
  decisionDate: z.iso.date(),
  rulePackId: z.string().describe("The rule pack chosen for the jurisdiction on the decision date"),
};

export const eligibilityCaseResponse = z
  .object({ ...caseContext, decision: eligibilityDecisionResponse })
  .meta({ id: "EligibilityCaseResult" });

export const allocationCaseResponse = z
  .object({
    ...caseContext,
    eligible: z.boolean().describe("Whether the same answers meet the eligibility criteria"),
    allocation: allocationResponse,
  })
  .meta({ id: "AllocationCaseResult" });

export async function calculatorApi(app: FastifyInstance, deps: RouteDeps) {
  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/calculate/eligibility",
      operationId: "calculateEligibility",
      summary:
        "Decide eligibility for a case file ({ jurisdiction, decisionDate, answers }) and give the reasons. " +
        "Public; nothing is stored. The same result as `upfront calc eligibility`.",
      tag: "Calculators",
      auth: "public",
      body: caseFileRequest,
      response: eligibilityCaseResponse,
    },
    async ({ request }) => {
      // The raw body, so the result is the CLI's to the letter (the schema above has checked its shape).
      const outcome = runEligibilityCase(request.body);
      if (!outcome.ok) throw new ValidationError(outcome.errors, "The case is not valid");
      return outcome.result;
    },
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/calculate/allocation",
      operationId: "calculateAllocation",
      summary:
        "Work out the indicative budget for a case file, with every line of the working. The body is the case " +
        "file itself ({ jurisdiction, decisionDate, answers }) plus an optional `model` (a RAS model); without " +
        "one, the rule pack's model for the decision date is used. Public; nothing is stored. The same result " +
        "as `upfront calc allocation --model`.",
      tag: "Calculators",
      auth: "public",
      body: allocationRequest,
      response: allocationCaseResponse,
    },
    async ({ request }) => {
      const { model, ...caseFile } = request.body as Record<string, unknown>;
      const outcome = runAllocationCase(caseFile, model);
      if (!outcome.ok) throw new ValidationError(outcome.errors, "The case is not valid");
      return outcome.result;
    },
  );
}
