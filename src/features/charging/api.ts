import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { runChargingCase } from "#/features/charging/case.ts";
import {
  CAPITAL_KINDS,
  COST_OF_CARE_BASES,
  chargingInputSchema,
} from "#/features/charging/charging-input.calc.ts";
import { ValidationError } from "#/platform/errors.ts";
import { apiRoute } from "#/platform/web/openapi.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";
import { CHARGING_JURISDICTIONS, INCOME_TYPES, MIG_COMPONENTS } from "#/rules/charging.ts";

/**
 * The public charging calculator: `POST /api/v1/calculate/charging`. Anyone may send a case (a person
 * estimating what they might pay, a council checking its policy, an adviser) and get back what
 * `upfront calc charging` prints: the weekly contribution for each period, every step with its rule. Nothing is
 * stored, so there is no sign-in and no CSRF check. A case the rule packs cannot support is refused with a 400
 * whose errors name the input that led there and why.
 */

export const chargingCaseRequest = chargingInputSchema.meta({
  id: "ChargingCase",
  description:
    "A financial assessment for care outside a care home: the rules (jurisdiction), the dates it applies to, the " +
    "person's circumstances, weekly incomes, capital, housing costs, disability-related expenditure, the weekly " +
    "cost of care and, optionally, the council's dated charging policy. Money is whole pence " +
    "(examples/charging-case-*.json).",
});

const pence = (description: string) => z.number().int().describe(`${description}, in whole pence`);
const nullablePence = (description: string) => pence(description).nullable();

const ruleCitation = z
  .object({
    title: z.string(),
    provision: z.string().optional(),
    url: z.string().optional(),
    basis: z
      .enum(["official", "secondary", "council_policy", "council_supplied", "assessor"])
      .describe(
        "official: read in the published text; secondary: read only in a secondary copy; council_policy: the " +
          "council's policy in the case; council_supplied: a figure the rule pack could not confirm, supplied by " +
          "the council (provision: the source it cites); assessor: stated in the case",
      ),
    note: z.string().optional(),
  })
  .meta({ id: "RuleCitation" });

const chargingPeriod = z
  .object({
    from: z.iso.date(),
    to: z.iso.date().nullable().describe("Null: no known end to these rules"),
    rulePackId: z.string(),
    rulePackTitle: z.string(),
    councilPolicy: z.object({ name: z.string().nullable(), validFrom: z.iso.date() }).nullable(),
    assessment: z.enum(["full", "light_touch", "nothing_to_charge"]),
    lightTouchReason: z.enum(["chooses_to_pay_full_cost", "capital_over_upper_limit"]).nullable(),
    costOfCareWeeklyPence: pence("The weekly cost of care"),
    costOfCareBasis: z.enum(COST_OF_CARE_BASES),
    freePersonalCareWeeklyPence: pence("Personal care that is free (Scotland)"),
    chargeableCostWeeklyPence: pence("The cost that can be charged for"),
    incomes: z.array(
      z.object({
        index: z.number().int(),
        type: z.enum(INCOME_TYPES),
        label: z.string(),
        weeklyPence: pence("The weekly amount"),
        countedWeeklyPence: pence("The amount counted"),
        disregardedWeeklyPence: pence("The amount disregarded"),
        rule: ruleCitation,
      }),
    ),
    assessableIncomeWeeklyPence: nullablePence("Income counted, after disregards"),
    capital: z.object({
      lines: z.array(
        z.object({
          index: z.number().int(),
          kind: z.enum(CAPITAL_KINDS),
          valuePence: pence("The value"),
          counted: z.boolean(),
          rule: ruleCitation.nullable(),
        }),
      ),
      countedPence: pence("Capital counted"),
      lowerLimitPence: nullablePence("The lower capital limit applied"),
      upperLimitPence: nullablePence("The upper capital limit applied"),
      tariffIncomeWeeklyPence: nullablePence("Tariff income"),
    }),
    minimumIncome: z
      .object({
        kind: z.enum(["mig", "supplied_by_council"]),
        components: z.array(
          z.object({
            component: z.enum(MIG_COMPONENTS),
            label: z.string(),
            count: z.number().int(),
            weeklyPence: pence("The amount"),
            rule: ruleCitation,
          }),
        ),
        statutoryWeeklyPence: pence("The statutory minimum income"),
        councilUpliftWeeklyPence: pence("The council's uplift"),
        appliedWeeklyPence: pence("The minimum income applied"),
      })
      .nullable(),
    housingCostsWeeklyPence: nullablePence("Housing costs"),
    disabilityRelatedExpenditure: z
      .object({
        kind: z.enum(["none", "itemised", "standard"]),
        claimedWeeklyPence: pence("Disability-related expenditure claimed"),
        allowedWeeklyPence: pence("Disability-related expenditure allowed"),
      })
      .nullable(),
    disposableIncomeWeeklyPence: nullablePence("Disposable income"),
    chargePercent: z.number().nullable(),
    chargeBeforeLimitsWeeklyPence: pence("The charge before the limits"),
    limits: z.array(
      z.object({
        id: z.enum([
          "cost_of_care",
          "statutory_weekly_maximum",
          "council_weekly_maximum",
          "council_minimum_charge",
        ]),
        weeklyPence: pence("The limit"),
        applied: z.boolean(),
        rule: ruleCitation,
      }),
    ),
    contributionWeeklyPence: pence("The weekly contribution"),
    contributionFourWeeklyPence: pence("The contribution every 4 weeks"),
    councilPaysWeeklyPence: pence("What the council pays each week"),
    steps: z
      .array(
        z.object({
          id: z.string(),
          text: z.string(),
          weeklyPence: nullablePence("The amount this step produced"),
          rule: ruleCitation,
        }),
      )
      .describe("Every step of the working, in order, each with its rule"),
    rounding: z.string().describe("How amounts are rounded"),
  })
  .meta({ id: "ChargingPeriod" });

export const chargingResultResponse = z
  .object({
    jurisdiction: z.enum(CHARGING_JURISDICTIONS),
    from: z.iso.date(),
    to: z.iso.date().nullable(),
    periods: z
      .array(chargingPeriod)
      .describe("One per period: a new one starts when the rules or the policy change"),
    statement: z.string(),
  })
  .meta({ id: "ChargingResult" });

export async function chargingApi(app: FastifyInstance, deps: RouteDeps) {
  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/calculate/charging",
      operationId: "calculateCharging",
      summary:
        "Work out the weekly contribution towards care outside a care home, by the rules of the dates the assessment " +
        "applies to (one result per period when it spans a change), with every step and its rule. Public; nothing is " +
        "stored. The same result as `upfront calc charging`. Cases that need a figure the rule packs cannot support " +
        "are refused with a 400 saying why.",
      tag: "Calculators",
      auth: "public",
      body: chargingCaseRequest,
      response: chargingResultResponse,
    },
    async ({ request }) => {
      // The raw body, so the result (and every error path) is the CLI's to the letter.
      const outcome = runChargingCase(request.body);
      if (!outcome.ok) throw new ValidationError(outcome.errors, "The charging case cannot be calculated");
      return outcome.result;
    },
  );
}
