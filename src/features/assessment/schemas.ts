import { z } from "zod";
import { isCalendarDate } from "#/rules/index.ts";
import type { Questionnaire } from "#/rules/types.ts";
import {
  type AssessmentAnswers,
  type OutcomeAnswer,
  WELLBEING_IMPACTS,
  type WellbeingImpact,
} from "#/vocabulary/assessment.ts";

/**
 * The answers to one supported self-assessment, shared by pages, the API and the CLI.
 *
 * Two layers: the Zod schema checks the shape and the facts that must go together (a "no" needs a
 * reason, fluctuating needs need the period considered); validateAnswers then checks every id against
 * the questionnaire version the answers were given in. parseAnswers runs both.
 */

import { type FieldError, fieldErrorsFrom, formatPath } from "#/platform/validation.ts";

// Shared by every feature; re-exported here because the answers' callers reach for them together.
export { type FieldError, fieldErrorsFrom, formatPath };

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

// Only the "missing or wrong type" message is replaced; any other issue keeps its own message.
const whenMissing = (message: string) => ({
  error: (issue: { code?: string }) => (issue.code === "invalid_type" ? message : undefined),
});

const yesNo = (message: string) => z.boolean(whenMissing(message));

const requiredText = (message: string) => z.string(whenMissing(message)).trim().min(1, { error: message });

/** Optional free text; an empty box (as a form posts it) counts as not given. */
const optionalText = z
  .string(whenMissing("This must be text"))
  .trim()
  .transform((s) => (s === "" ? undefined : s))
  .optional();

// The answers' types are shared words (vocabulary/assessment.ts), so pure calcs can name them; re-exported here
// because the answers' callers reach for them with the schemas.
export { type AssessmentAnswers, type OutcomeAnswer, WELLBEING_IMPACTS, type WellbeingImpact };

/**
 * One outcome. `canAchieveWithoutHelp` means achieving it in the sense of reg 2(3): without help or
 * prompting, without significant pain, distress or anxiety, safely, and in a normal time. It is judged
 * WITHOUT the support a carer gives; that support is recorded in `carerSupport` and never counts as
 * meeting the need. A "no" must say which reg 2(3) meaning applies; a "yes" must not name any, because
 * any one of them makes the outcome "not achieved".
 */
export const outcomeAnswerSchema = z
  .strictObject({
    canAchieveWithoutHelp: yesNo("Say whether the person can do this on their own (true or false)"),
    difficulties: z
      .array(
        z.string(whenMissing("Each difficulty must be the id of a reason, as text")),
        whenMissing("List the reasons as an array"),
      )
      .default([]),
    carerSupport: optionalText,
    items: z.record(
      z.string(),
      z.string(whenMissing("Choose an answer")),
      whenMissing("Answer the questions about this outcome"),
    ),
    notes: optionalText,
  })
  .superRefine((outcome, ctx) => {
    if (!outcome.canAchieveWithoutHelp && outcome.difficulties.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["difficulties"],
        message:
          "Say why this cannot be done: without help, only with significant pain, distress or anxiety, only unsafely, or taking much longer (reg 2(3))",
      });
    }
    if (outcome.canAchieveWithoutHelp && outcome.difficulties.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["canAchieveWithoutHelp"],
        message:
          "You chose reasons this is hard, so it is not achieved: answer false, or remove the reasons (reg 2(3))",
      });
    }
    if (new Set(outcome.difficulties).size !== outcome.difficulties.length) {
      ctx.addIssue({ code: "custom", path: ["difficulties"], message: "Choose each reason only once" });
    }
  });

export const informalCarerSchema = z
  .strictObject(
    {
      hasCarer: yesNo("Say whether an unpaid carer (family or friend) helps the person (true or false)"),
      /** Only an explicit true lets a RAS reduce the budget for unpaid care. Absent means not asked. */
      willingAndAbleToContinue: yesNo(
        "Say whether the carer is willing and able to continue (true or false)",
      ).optional(),
    },
    whenMissing("Say whether the person has an unpaid carer"),
  )
  .superRefine((carer, ctx) => {
    if (!carer.hasCarer && carer.willingAndAbleToContinue !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["willingAndAbleToContinue"],
        message: "Leave this out when there is no unpaid carer",
      });
    }
  });

export const assessmentAnswersSchema = z
  .strictObject(
    {
      questionnaireId: requiredText("Say which questionnaire version the answers were given in"),
      needsFromImpairmentOrIllness: yesNo(
        "Say whether the needs arise from or relate to a physical or mental impairment or illness (true or false)",
      ),
      impairmentNotes: optionalText,
      needsFluctuate: yesNo(
        "Say whether the person's needs change from day to day or week to week (true or false)",
      ),
      /** When needs fluctuate: the period considered and how bad days were counted (reg 2(4)). */
      fluctuationNotes: optionalText,
      outcomes: z.record(
        z.string(),
        outcomeAnswerSchema,
        whenMissing("Answer the questions for each outcome"),
      ),
      wellbeingImpact: z.enum(WELLBEING_IMPACTS, {
        error: 'Choose the impact on wellbeing: "none", "some" or "significant"',
      }),
      wellbeingReasons: requiredText("Give the reasons for the judgement about the impact on wellbeing"),
      primarySupportReason: requiredText("Choose the person's main reason for needing support"),
      livingSituation: requiredText("Choose who the person lives with"),
      informalCarer: informalCarerSchema,
      whatMattersToMe: requiredText("Write down what matters to the person, in their own words"),
    },
    whenMissing("The answers must be an object"),
  )
  .superRefine((answers, ctx) => {
    if (answers.needsFluctuate && !answers.fluctuationNotes) {
      ctx.addIssue({
        code: "custom",
        path: ["fluctuationNotes"],
        message:
          "The needs fluctuate, so say over what period they were looked at and how the harder days were counted (reg 2(4))",
      });
    }
  });

// Fails to compile if a schema and its vocabulary type drift apart (either way round).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : never;
const schemasMatchVocabulary: [
  Same<z.output<typeof outcomeAnswerSchema>, OutcomeAnswer>,
  Same<z.output<typeof assessmentAnswersSchema>, AssessmentAnswers>,
] = [true, true];
void schemasMatchVocabulary;

export type AssessmentAnswersInput = z.input<typeof assessmentAnswersSchema>;

/** A case for the CLI and API: which rules, the date the decision applies to, and the answers. */
export const caseFileSchema = z.strictObject(
  {
    description: z.string().optional(),
    jurisdiction: requiredText('Say which rules apply, for example "england"'),
    decisionDate: z
      .string(whenMissing("Give the date the decision applies to, as YYYY-MM-DD"))
      .refine(isCalendarDate, { error: "The decision date must be a real date written as YYYY-MM-DD" }),
    answers: assessmentAnswersSchema,
  },
  whenMissing("The case must be a JSON object"),
);

export type CaseFile = z.output<typeof caseFileSchema>;

/**
 * Checks answers against the questionnaire they were given in: every outcome answered, every id known,
 * every graded question answered with one of its options. Returns no errors when all is well.
 */
export function validateAnswers(
  answers: AssessmentAnswers,
  questionnaire: Questionnaire,
  prefix: readonly PropertyKey[] = [],
): FieldError[] {
  const errors: FieldError[] = [];
  const at = (...path: PropertyKey[]) => formatPath([...prefix, ...path]);
  const known = (list: readonly { id: string }[]) => new Set(list.map((c) => c.id));

  if (answers.questionnaireId !== questionnaire.id) {
    errors.push({
      path: at("questionnaireId"),
      message: `These answers were given in questionnaire "${answers.questionnaireId}", but the rules for this date use "${questionnaire.id}"`,
    });
  }

  const outcomeIds = known(questionnaire.outcomes);
  for (const outcomeId of Object.keys(answers.outcomes)) {
    if (!outcomeIds.has(outcomeId)) {
      errors.push({
        path: at("outcomes", outcomeId),
        message: `"${outcomeId}" is not an outcome in this questionnaire`,
      });
    }
  }

  const meaningIds = known(questionnaire.unableToAchieveMeanings);
  for (const outcome of questionnaire.outcomes) {
    const answer = answers.outcomes[outcome.id];
    if (!answer) {
      errors.push({
        path: at("outcomes", outcome.id),
        message: `Answer the questions about ${outcome.label}`,
      });
      continue;
    }
    answer.difficulties.forEach((difficulty, i) => {
      if (!meaningIds.has(difficulty)) {
        errors.push({
          path: at("outcomes", outcome.id, "difficulties", i),
          message: `"${difficulty}" is not a reason on the list. Use one of: ${[...meaningIds].join(", ")}`,
        });
      }
    });
    const itemIds = known(outcome.items);
    for (const itemId of Object.keys(answer.items)) {
      if (!itemIds.has(itemId)) {
        errors.push({
          path: at("outcomes", outcome.id, "items", itemId),
          message: `"${itemId}" is not a question about ${outcome.label}`,
        });
      }
    }
    for (const item of outcome.items) {
      const optionId = answer.items[item.id];
      if (optionId === undefined) {
        errors.push({ path: at("outcomes", outcome.id, "items", item.id), message: `Answer "${item.text}"` });
      } else if (!item.options.some((o) => o.id === optionId)) {
        errors.push({
          path: at("outcomes", outcome.id, "items", item.id),
          message: `"${optionId}" is not an answer to "${item.text}". Use one of: ${item.options.map((o) => o.id).join(", ")}`,
        });
      }
    }
  }

  if (!known(questionnaire.primarySupportReasons).has(answers.primarySupportReason)) {
    errors.push({
      path: at("primarySupportReason"),
      message: `"${answers.primarySupportReason}" is not on the list. Use one of: ${questionnaire.primarySupportReasons.map((c) => c.id).join(", ")}`,
    });
  }
  if (!known(questionnaire.livingSituations).has(answers.livingSituation)) {
    errors.push({
      path: at("livingSituation"),
      message: `"${answers.livingSituation}" is not on the list. Use one of: ${questionnaire.livingSituations.map((c) => c.id).join(", ")}`,
    });
  }
  return errors;
}

/** Shape check, then questionnaire check: the one call pages, the API and the CLI make. */
export function parseAnswers(
  input: unknown,
  questionnaire: Questionnaire,
  prefix: readonly PropertyKey[] = [],
): ParseResult<AssessmentAnswers> {
  const parsed = assessmentAnswersSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrorsFrom(parsed.error, prefix) };
  const errors = validateAnswers(parsed.data, questionnaire, prefix);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: parsed.data };
}
