import { z } from "zod";
import { latestSubmittedAssessmentIn } from "#/features/assessment/service.ts";
import {
  chargingInputFrom,
  type FinancialAnswers,
  financialAnswersSchema,
  type Route,
  SECTION_NAMES,
  type SectionName,
  sectionForPath,
} from "#/features/charging/answers.ts";
import { type ChargingResult, calculateCharging } from "#/features/charging/charging.calc.ts";
import { type ChargingInput, chargingInputSchema } from "#/features/charging/charging-input.calc.ts";
import { type AgreedPlanCost, type CostOfCareFound, costOfCareIn } from "#/features/charging/cost-of-care.ts";
import * as repo from "#/features/charging/repository.ts";
import { calculatorSettings, chargingSettingsIn } from "#/features/charging/settings-service.ts";
import type { SuppliedFigure } from "#/features/charging/supplied-figures.calc.ts";
import { findPersonRow, findPersonRows } from "#/features/people/service.ts";
import { currentTenantIn } from "#/features/tenants/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import {
  actorRef,
  inTenant,
  isUniqueViolation,
  type ServiceContext,
  type TxContext,
} from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { isChargingJurisdiction } from "#/rules/charging.ts";

/**
 * Financial assessments: start one for a person (a draft, or the next version of a completed one), save its
 * answers a section at a time, see what they come to, and complete it. Completing checks everything before the
 * first write, works the contribution out by the rules for the dates it applies to (with the council's policy
 * and supplied figures) and stores, in one transaction with its audit event, the calculator's input, the
 * supplied figures and the result with the rule packs it used. A completed one is never changed (a trigger
 * enforces it too); a change is a new version.
 */

export type FinancialAssessment = {
  financialAssessmentId: string;
  personId: string;
  version: number;
  previousFinancialAssessmentId: string | null;
  status: "draft" | "completed";
  answers: FinancialAnswers;
  calculatorInput: ChargingInput | null;
  suppliedFigures: SuppliedFigure[] | null;
  result: ChargingResult | null;
  rulePackIds: string[] | null;
  assessmentKind: "full" | "light_touch" | "nothing_to_charge" | null;
  appliesFrom: string | null;
  appliesTo: string | null;
  weeklyContributionPence: number | null;
  costOfCareWeeklyPence: number | null;
  costOfCareBasis: "agreed_plan" | "indicative_budget" | "estimate" | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  completedBy: string | null;
  completedAt: Date | null;
};

export type FinancialAssessmentSummary = Omit<
  FinancialAssessment,
  "answers" | "calculatorInput" | "suppliedFigures" | "result"
>;

function toSummary(row: repo.FinancialAssessmentRow): FinancialAssessmentSummary {
  return {
    financialAssessmentId: row.financial_assessment_id,
    personId: row.person_id,
    version: row.version,
    previousFinancialAssessmentId: row.previous_financial_assessment_id,
    status: row.status,
    rulePackIds: row.rule_pack_ids,
    assessmentKind: row.assessment_kind,
    appliesFrom: row.applies_from,
    appliesTo: row.applies_to,
    weeklyContributionPence: row.weekly_contribution_pence,
    costOfCareWeeklyPence: row.cost_of_care_weekly_pence,
    costOfCareBasis: row.cost_of_care_basis,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedBy: row.completed_by,
    completedAt: row.completed_at,
  };
}

function toFinancialAssessment(row: repo.FinancialAssessmentRow): FinancialAssessment {
  return {
    ...toSummary(row),
    answers: row.answers as FinancialAnswers,
    calculatorInput: row.calculator_input as ChargingInput | null,
    suppliedFigures: row.supplied_figures as SuppliedFigure[] | null,
    result: row.result as ChargingResult | null,
  };
}

const isUuid = (s: string) => z.uuid().safeParse(s).success;

async function findOrThrow(
  tx: TenantTx,
  id: string,
  forUpdate = false,
): Promise<repo.FinancialAssessmentRow> {
  const row = isUuid(id) ? await repo.findFinancialAssessment(tx, id, { forUpdate }) : undefined;
  if (!row) throw new NotFoundError("The financial assessment");
  return row;
}

/** Unique (tenant, person, version) or one draft per person: someone else started one at the same moment. */
async function versionRace<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(
        "Someone else started a financial assessment for this person at the same time: open it",
      );
    }
    throw error;
  }
}

// ---- start -------------------------------------------------------------------------------------------------

/**
 * Starts a draft: the first, or the next version of the latest completed one with its answers copied in (so
 * only what changed need be changed). One draft per person at a time.
 */
export async function startFinancialAssessment(
  ctx: ServiceContext,
  personId: string,
): Promise<FinancialAssessment> {
  return versionRace(() => inTenant(ctx, (t) => startFinancialAssessmentIn(t, personId)));
}

export async function startFinancialAssessmentIn(
  { tx }: TxContext,
  personId: string,
  opts: { copyAnswers?: boolean } = {},
): Promise<FinancialAssessment> {
  const person = await findPersonRow({ tx }, personId);
  const versions = await repo.listFinancialAssessmentsForPerson(tx, person.person_id);
  const draft = versions.find((v) => v.status === "draft");
  if (draft) {
    throw new ConflictError(
      `Version ${draft.version} of the financial assessment is still a draft: carry on with it`,
    );
  }
  const latest = versions[0];
  const row = await repo.insertFinancialAssessment(tx, {
    financial_assessment_id: uuidv7(),
    person_id: person.person_id,
    version: (latest?.version ?? 0) + 1,
    previous_financial_assessment_id: latest?.financial_assessment_id ?? null,
    answers: opts.copyAnswers === false ? {} : (latest?.answers ?? {}),
    created_by: actorRef(tx.scope.actor),
  });
  await audit(tx, {
    action: "create",
    recordType: "financial_assessment",
    recordId: row.financial_assessment_id,
    changes: {
      personId: row.person_id,
      version: row.version,
      previousFinancialAssessmentId: row.previous_financial_assessment_id,
    },
  });
  return toFinancialAssessment(row);
}

// ---- read ------------------------------------------------------------------------------------------------------

/** Opens a financial assessment; the view is recorded in the audit trail. */
export async function getFinancialAssessment(ctx: ServiceContext, id: string): Promise<FinancialAssessment> {
  return inTenant(ctx, async ({ tx }) => {
    const row = await findOrThrow(tx, id);
    await audit(tx, {
      action: "view",
      recordType: "financial_assessment",
      recordId: row.financial_assessment_id,
    });
    return toFinancialAssessment(row);
  });
}

/**
 * A person's financial assessments, newest first, without their answers: on a page, part of the record getPerson
 * audits; a caller that shows them on their own (the API) says `audited`, and the list is recorded as a view.
 */
export async function listFinancialAssessmentsForPerson(
  ctx: ServiceContext,
  personId: string,
  options: { audited?: boolean } = {},
): Promise<FinancialAssessmentSummary[]> {
  return inTenant(ctx, async ({ tx }) => {
    const person = await findPersonRow({ tx }, personId);
    const rows = await repo.listFinancialAssessmentsForPerson(tx, person.person_id);
    if (options.audited) {
      await audit(tx, {
        action: "view",
        recordType: "person_financial_assessments",
        recordId: person.person_id,
        changes: { financialAssessmentIds: rows.map((r) => r.financial_assessment_id) },
      });
    }
    return rows.map(toSummary);
  });
}

export type RecentFinancialAssessment = FinancialAssessmentSummary & {
  person: { givenName: string; familyName: string; reference: string };
};

/** The council's most recently changed financial assessments (names and amounts only, so not a record view). */
export async function listRecentFinancialAssessments(
  ctx: ServiceContext,
  limit = 20,
): Promise<RecentFinancialAssessment[]> {
  return inTenant(ctx, async ({ tx }) => {
    const rows = await repo.listRecentFinancialAssessments(tx, limit);
    const people = await findPersonRows(
      { tx },
      rows.map((row) => row.person_id),
    );
    return rows.flatMap((row) => {
      const p = people.get(row.person_id);
      if (!p) return [];
      return [
        {
          ...toSummary(row),
          person: { givenName: p.given_name, familyName: p.family_name, reference: p.reference },
        },
      ];
    });
  });
}

/** The person's latest completed financial assessment, in full, or null. For the money statement. */
export async function latestCompletedIn(
  { tx }: Pick<TxContext, "tx">,
  personId: string,
): Promise<FinancialAssessment | null> {
  const rows = await repo.listFinancialAssessmentsForPerson(tx, personId);
  const completed = rows.find((r) => r.status === "completed");
  return completed ? toFinancialAssessment(completed) : null;
}

/** The answers of the person's latest submitted assessment of needs, or null: for the money statement's benefits prompt. */
export async function latestAssessmentAnswersIn(
  { tx }: Pick<TxContext, "tx">,
  personId: string,
): Promise<{ assessmentId: string; version: number; answers: unknown } | null> {
  const latest = await latestSubmittedAssessmentIn({ tx }, personId);
  return latest
    ? { assessmentId: latest.assessmentId, version: latest.version, answers: latest.answers }
    : null;
}

/** The cost of care a financial assessment for this person would use now (for the pages to say which). */
export async function costOfCareFor(
  ctx: ServiceContext,
  personId: string,
  agreedPlanCost: AgreedPlanCost,
): Promise<CostOfCareFound | null> {
  return inTenant(ctx, async ({ tx }) => {
    const person = await findPersonRow({ tx }, personId);
    return costOfCareIn(tx, person.person_id, agreedPlanCost);
  });
}

// ---- save ------------------------------------------------------------------------------------------------------

/** Checks the sections given (each replaces what was saved); completeness waits for completion. */
export function parseSections(input: unknown): { value: FinancialAnswers; sections: SectionName[] } {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new ValidationError([{ path: "(top level)", message: "The answers must be an object" }]);
  }
  const parsed = financialAnswersSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error));
  const sections = SECTION_NAMES.filter((s) => s in input);
  if (sections.length === 0) {
    throw new ValidationError([
      { path: "(top level)", message: "Give at least one section of answers to save" },
    ]);
  }
  return { value: parsed.data, sections };
}

export async function saveFinancialAnswers(
  ctx: ServiceContext,
  id: string,
  partial: unknown,
): Promise<FinancialAssessment> {
  return inTenant(ctx, (t) => saveFinancialAnswersIn(t, id, partial));
}

export async function saveFinancialAnswersIn(
  { tx }: TxContext,
  id: string,
  partial: unknown,
): Promise<FinancialAssessment> {
  const { value, sections } = parseSections(partial);
  const row = await findOrThrow(tx, id, true);
  if (row.status !== "draft") {
    throw new ConflictError(
      `Version ${row.version} has been completed and cannot be changed: start a new version to change it`,
    );
  }
  const merged = { ...(row.answers as FinancialAnswers), ...value };
  const updated = await repo.updateDraftAnswers(tx, row.financial_assessment_id, merged);
  // What changed is named by section, never the amounts themselves.
  await audit(tx, {
    action: "update",
    recordType: "financial_assessment",
    recordId: row.financial_assessment_id,
    changes: { sections },
  });
  return toFinancialAssessment(updated);
}

// ---- work out, and complete ------------------------------------------------------------------------------------

/**
 * Why answers cannot be worked out yet. `missing`: a section not answered. `invalid`: an answer the rules'
 * input check refuses (a date no rule pack covers, say). `refused`: the rules cannot support this case (a figure
 * the rule pack could not confirm and the council has not supplied): what the council can do is in the message.
 */
export type Problem = {
  kind: "missing" | "invalid" | "refused";
  section: SectionName | null;
  path: string;
  message: string;
};

export type WorkedOut = {
  costOfCare: CostOfCareFound | null;
  jurisdiction: string;
} & (
  | { ok: true; input: ChargingInput; result: ChargingResult; suppliedFigures: SuppliedFigure[] }
  | { ok: false; problems: Problem[] }
);

const money = (p: number) => formatPounds(p as Pence);

async function workOutIn(
  tx: TenantTx,
  row: repo.FinancialAssessmentRow,
  agreedPlanCost: AgreedPlanCost,
): Promise<WorkedOut> {
  const answers = row.answers as FinancialAnswers;
  const route: Route | undefined = answers.about?.route;
  const person = await findPersonRow({ tx }, row.person_id);
  const tenant = await currentTenantIn(tx);
  const costOfCare = await costOfCareIn(tx, person.person_id, agreedPlanCost);
  const base = { costOfCare, jurisdiction: tenant.jurisdiction };
  if (!isChargingJurisdiction(tenant.jurisdiction)) {
    return {
      ...base,
      ok: false,
      problems: [
        {
          kind: "refused",
          section: null,
          path: "jurisdiction",
          message: `There are no charging rules for this council's jurisdiction (${tenant.jurisdiction}) yet`,
        },
      ],
    };
  }
  const settings = calculatorSettings(await chargingSettingsIn({ tx }), tenant.name);
  const built = chargingInputFrom(answers, {
    jurisdiction: tenant.jurisdiction,
    dateOfBirth: person.date_of_birth,
    costOfCare,
    ...(settings.councilPolicy ? { councilPolicy: settings.councilPolicy } : {}),
  });
  if (!built.ok) {
    return {
      ...base,
      ok: false,
      problems: built.missing.map((m) => ({
        kind: "missing",
        section: m.section,
        path: m.section,
        message: m.message,
      })),
    };
  }
  const parsed = chargingInputSchema.safeParse(built.input);
  if (!parsed.success) {
    return {
      ...base,
      ok: false,
      problems: fieldErrorsFrom(parsed.error).map((e) => ({
        kind: "invalid",
        section: sectionForPath(e.path, route),
        path: e.path,
        message: e.message,
      })),
    };
  }
  const outcome = calculateCharging(parsed.data, { suppliedFigures: settings.suppliedFigures });
  if (!outcome.ok) {
    return {
      ...base,
      ok: false,
      problems: outcome.errors.map((e) => ({
        kind: /Not supported by the rules for/.test(e.message) ? "refused" : "invalid",
        section: sectionForPath(e.path, route),
        path: e.path,
        message: e.message,
      })),
    };
  }
  // A light-touch assessment because of capital only stands if the capital is over the upper limit throughout.
  if (route === "capital_over_upper_limit") {
    const notOver = outcome.result.periods.find((p) => p.lightTouchReason !== "capital_over_upper_limit");
    if (notOver) {
      const limit = notOver.capital.upperLimitPence;
      return {
        ...base,
        ok: false,
        problems: [
          {
            kind: "invalid",
            section: "about",
            path: "about.lightTouchCapitalPence",
            message:
              limit === null
                ? "A light-touch assessment for capital over the upper limit is not possible here: do a full financial assessment"
                : `Capital of ${money(answers.about!.lightTouchCapitalPence!)} is not over the upper capital limit of ${money(limit)} from ${notOver.from}: do a full financial assessment instead`,
          },
        ],
      };
    }
  }
  return {
    ...base,
    ok: true,
    input: parsed.data,
    result: outcome.result,
    suppliedFigures: settings.suppliedFigures,
  };
}

/** What a draft's answers come to now, without saving anything (the check answers page). */
export async function workOutFinancialAssessment(
  ctx: ServiceContext,
  id: string,
  agreedPlanCost: AgreedPlanCost,
): Promise<WorkedOut> {
  return inTenant(ctx, async ({ tx }) => workOutIn(tx, await findOrThrow(tx, id), agreedPlanCost));
}

export async function completeFinancialAssessment(
  ctx: ServiceContext,
  id: string,
  agreedPlanCost: AgreedPlanCost,
): Promise<FinancialAssessment> {
  return inTenant(ctx, (t) => completeFinancialAssessmentIn(t, id, agreedPlanCost));
}

/** Everything is checked first; then the one update and its audit event. Problems come back as field errors. */
export async function completeFinancialAssessmentIn(
  { tx }: TxContext,
  id: string,
  agreedPlanCost: AgreedPlanCost,
): Promise<FinancialAssessment> {
  const row = await findOrThrow(tx, id, true);
  if (row.status !== "draft") throw new ConflictError(`Version ${row.version} has already been completed`);
  const worked = await workOutIn(tx, row, agreedPlanCost);
  if (!worked.ok) {
    throw new ValidationError(
      worked.problems.map((p) => ({ path: p.path, message: p.message })),
      "The financial assessment cannot be completed yet",
    );
  }
  const { result, input } = worked;
  const first = result.periods[0]!;
  const completed = await repo.markCompleted(tx, row.financial_assessment_id, {
    answers: row.answers,
    calculatorInput: input,
    suppliedFigures: worked.suppliedFigures,
    result,
    rulePackIds: [...new Set(result.periods.map((p) => p.rulePackId))],
    assessmentKind: first.assessment,
    appliesFrom: result.from,
    appliesTo: result.to,
    weeklyContributionPence: first.contributionWeeklyPence,
    costOfCareWeeklyPence: input.costOfCare.weeklyPence,
    costOfCareBasis: input.costOfCare.basis,
    completedBy: actorRef(tx.scope.actor),
  });
  await audit(tx, {
    action: "complete",
    recordType: "financial_assessment",
    recordId: row.financial_assessment_id,
    changes: {
      version: row.version,
      status: { from: "draft", to: "completed" },
      rulePackIds: completed.rule_pack_ids,
      periods: result.periods.map((p) => ({
        from: p.from,
        to: p.to,
        assessment: p.assessment,
        contributionWeeklyPence: p.contributionWeeklyPence,
      })),
      costOfCareBasis: input.costOfCare.basis,
      suppliedFiguresUsed: result.periods.some((p) =>
        p.steps.some((s) => s.rule.basis === "council_supplied"),
      ),
    },
  });
  return toFinancialAssessment(completed);
}

/**
 * Starts, fills and completes a financial assessment in one transaction (the API's create): if anything is
 * missing or wrong, nothing is saved.
 */
export async function createCompletedFinancialAssessment(
  ctx: ServiceContext,
  input: { personId: string; answers: unknown },
  agreedPlanCost: AgreedPlanCost,
): Promise<FinancialAssessment> {
  return versionRace(() =>
    inTenant(ctx, async (t) => {
      const draft = await startFinancialAssessmentIn(t, input.personId, { copyAnswers: false });
      await saveFinancialAnswersIn(t, draft.financialAssessmentId, input.answers);
      return completeFinancialAssessmentIn(t, draft.financialAssessmentId, agreedPlanCost);
    }),
  );
}
