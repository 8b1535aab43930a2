import fc from "fast-check";
import type { AssessmentAnswers, OutcomeAnswer } from "#/features/assessment/schemas.ts";
import type { Questionnaire } from "#/rules/types.ts";

/**
 * Test helper (only tests import this file): any complete, valid set of answers to a questionnaire, for
 * property tests. Weighted towards eligible people, so that budgets are exercised as much as refusals:
 * most have an impairment, about half the outcomes are not achieved, and the wellbeing impact is most
 * often significant. Free text includes quotes, ampersands and angle brackets, which must survive being
 * carried through a page's hidden field.
 */

const text = fc.oneof(
  // Trimmed, as every reader of the answers trims them: the same answers before and after a round trip.
  fc
    .string({ minLength: 1, maxLength: 30 })
    .map((s) => s.trim())
    .filter((s) => s !== ""),
  fc.constantFrom(
    'My son "helps" with <everything> & more',
    "It's hard on bad days.",
    "Ça dépend — some weeks are worse",
  ),
);

export function answersArbitrary(questionnaire: Questionnaire): fc.Arbitrary<AssessmentAnswers> {
  const meaningIds = questionnaire.unableToAchieveMeanings.map((m) => m.id);
  const outcome = (o: Questionnaire["outcomes"][number]): fc.Arbitrary<OutcomeAnswer> => {
    const items = fc.record(
      Object.fromEntries(o.items.map((item) => [item.id, fc.constantFrom(...item.options.map((x) => x.id))])),
    ) as fc.Arbitrary<Record<string, string>>;
    return fc
      .record({
        canAchieveWithoutHelp: fc.boolean(),
        reasons: fc.subarray(meaningIds, { minLength: 1 }),
        carerSupport: fc.option(text, { nil: undefined }),
        notes: fc.option(text, { nil: undefined }),
        items,
      })
      .map(({ canAchieveWithoutHelp, reasons, carerSupport, notes, items }) => ({
        canAchieveWithoutHelp,
        difficulties: canAchieveWithoutHelp ? [] : reasons,
        items,
        ...(carerSupport === undefined ? {} : { carerSupport }),
        ...(notes === undefined ? {} : { notes }),
      }));
  };
  const outcomes = fc.record(
    Object.fromEntries(questionnaire.outcomes.map((o) => [o.id, outcome(o)])),
  ) as fc.Arbitrary<Record<string, OutcomeAnswer>>;

  return fc
    .record({
      needsFromImpairmentOrIllness: fc.oneof(
        { arbitrary: fc.constant(true), weight: 4 },
        { arbitrary: fc.constant(false), weight: 1 },
      ),
      impairmentNotes: fc.option(text, { nil: undefined }),
      fluctuation: fc.option(text, { nil: undefined }),
      outcomes,
      wellbeingImpact: fc.oneof(
        { arbitrary: fc.constant("significant" as const), weight: 4 },
        { arbitrary: fc.constantFrom("some" as const, "none" as const), weight: 1 },
      ),
      wellbeingReasons: text,
      primarySupportReason: fc.constantFrom(...questionnaire.primarySupportReasons.map((c) => c.id)),
      livingSituation: fc.constantFrom(...questionnaire.livingSituations.map((c) => c.id)),
      informalCarer: fc.constantFrom(
        { hasCarer: false },
        { hasCarer: true },
        { hasCarer: true, willingAndAbleToContinue: false },
        { hasCarer: true, willingAndAbleToContinue: true },
      ),
      whatMattersToMe: text,
    })
    .map(({ fluctuation, impairmentNotes, ...rest }) => ({
      questionnaireId: questionnaire.id,
      ...rest,
      ...(impairmentNotes === undefined ? {} : { impairmentNotes }),
      needsFluctuate: fluctuation !== undefined,
      ...(fluctuation === undefined ? {} : { fluctuationNotes: fluctuation }),
    }));
}
