import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocate, INDICATIVE_BUDGET_STATEMENT } from "#/features/assessment/allocation.calc.ts";
import { answering, answersManagingEverything } from "#/features/assessment/answers.fixture.ts";
import type { AssessmentAnswers } from "#/features/assessment/schemas.ts";
import { englandQuestionnaire } from "#/rules/england/questionnaire.ts";
import { exampleBandedRasModel, exampleRasModel } from "#/rules/england/ras-model.example.ts";
import { type RasModel, type RasModelInput, rasModelSchema } from "#/rules/ras-model.ts";

const q = englandQuestionnaire;
const model = (changes: Partial<RasModelInput>): RasModel =>
  rasModelSchema.parse({ ...exampleRasModel, ...changes });
const noAdjustments = (changes: Partial<RasModelInput> = {}) => model({ adjustments: [], ...changes });

/** 4 + 2 + 12 = 18 points. */
function eighteenPoints(): AssessmentAnswers {
  let answers = answersManagingEverything();
  answers = answering(answers, "nutrition", "nutrition.meal_preparation", "some_help");
  answers = answering(answers, "nutrition", "nutrition.eating_drinking", "prompting");
  return answering(answers, "home_safety", "home_safety.staying_safe", "constant");
}

function everythingAtTheTop(): AssessmentAnswers {
  let answers = answersManagingEverything();
  for (const outcome of q.outcomes) {
    for (const item of outcome.items)
      answers = answering(answers, outcome.id, item.id, item.options.at(-1)!.id);
  }
  return answers;
}

const withCarer = (answers: AssessmentAnswers, informalCarer: AssessmentAnswers["informalCarer"]) => ({
  ...answers,
  informalCarer,
});

describe("allocation: price per point", () => {
  it("prices weighted points at the price per point: 18 × £4.50 = £81.00 a week", () => {
    const allocation = allocate(eighteenPoints(), exampleRasModel, q);
    expect(allocation.totalPoints).toBe(18);
    expect(allocation.domainPoints).toMatchObject({ nutrition: 6, home_safety: 12, clothing: 0 });
    expect(allocation.priceOrBand).toEqual({
      method: "price_per_point",
      pricePerPointPence: 450,
      weightedPoints: 18,
      amountPence: 8100,
    });
    expect(allocation.weeklyPence).toBe(8100);
    // Periods: 4-weekly = weekly × 4, annual = weekly × 52 (platform/money/periods.ts).
    expect(allocation.fourWeeklyPence).toBe(32400);
    expect(allocation.annualPence).toBe(421200);
    expect(allocation.explanation).toContain(
      "18 points × £4.50 a point = £81.00 a week (to the nearest penny, halves rounded up).",
    );
    expect(allocation.statement).toBe(INDICATIVE_BUDGET_STATEMENT);
  });

  it("shows one working line per question, with the answer given and its points", () => {
    const allocation = allocate(eighteenPoints(), exampleRasModel, q);
    expect(allocation.lines).toHaveLength(q.outcomes.flatMap((o) => o.items).length);
    expect(allocation.lines[0]).toEqual({
      kind: "item",
      outcomeId: "nutrition",
      itemId: "nutrition.meal_preparation",
      question: "Making meals and drinks",
      answer: "I need help to make some meals",
      points: 4,
    });
    expect(allocation.lines.reduce((sum, l) => sum + l.points, 0)).toBe(allocation.totalPoints);
  });

  it("applies per-outcome weights and rounds the money once, to the nearest penny, halves up", () => {
    // nutrition 6 × 1.25 = 7.5, plus home_safety 12 → 19.5 points; 19.5 × 333p = 6493.5p → 6494p.
    const weighted = noAdjustments({
      pricing: { method: "price_per_point", pricePerPointPence: 333 },
      minimumWeeklyPence: 0,
      domainWeights: { nutrition: 1.25 },
    });
    const allocation = allocate(eighteenPoints(), weighted, q);
    expect(allocation.weightedPoints).toBe(19.5);
    expect(allocation.weeklyPence).toBe(6494);
    expect(allocation.explanation.join(" ")).toMatch(/weighted points are 19.5/);
  });
});

describe("allocation: bands", () => {
  it("gives the band the points fall in: 18 points is in 10–24, £100.00 a week", () => {
    const allocation = allocate(eighteenPoints(), exampleBandedRasModel, q);
    expect(allocation.priceOrBand).toMatchObject({
      method: "bands",
      bandPoints: 18,
      band: { fromPoints: 10, toPoints: 24, weeklyPence: 10000 },
      aboveTopBand: false,
    });
    expect(allocation.weeklyPence).toBe(10000);
  });

  it("rounds weighted points to a whole point (halves up) to find the band", () => {
    // nutrition 6 × 1.25 = 7.5, plus home_safety 12 → 19.5 weighted points → 20.
    const banded = rasModelSchema.parse({ ...exampleBandedRasModel, domainWeights: { nutrition: 1.25 } });
    expect(allocate(eighteenPoints(), banded, q).priceOrBand).toMatchObject({ bandPoints: 20 });
  });

  it("uses the top band for points above it", () => {
    const short = rasModelSchema.parse({
      ...exampleBandedRasModel,
      pricing: {
        method: "bands",
        bands: [
          { fromPoints: 0, toPoints: 9, weeklyPence: 6000 },
          { fromPoints: 10, toPoints: 15, weeklyPence: 9000 },
        ],
      },
    });
    const allocation = allocate(eighteenPoints(), short, q);
    expect(allocation.priceOrBand).toMatchObject({
      aboveTopBand: true,
      band: { fromPoints: 10, toPoints: 15 },
    });
    expect(allocation.weeklyPence).toBe(9000);
  });
});

describe("allocation: minimum and cap", () => {
  it("raises an amount below the minimum to the minimum", () => {
    const allocation = allocate(answersManagingEverything(), exampleRasModel, q);
    expect(allocation.beforeAdjustments).toBe(0);
    expect(allocation.minimumApplied).toBe(true);
    expect(allocation.weeklyPence).toBe(5000);
  });

  it("caps the indicative amount, and says the cap does not limit the personal budget (guidance 11.24)", () => {
    // 113 points × £10.00 = £1,130.00 → capped at £750.00.
    const allocation = allocate(
      everythingAtTheTop(),
      noAdjustments({ pricing: { method: "price_per_point", pricePerPointPence: 1000 } }),
      q,
    );
    expect(allocation.beforeAdjustments).toBe(113000);
    expect(allocation.capApplied).toBe(true);
    expect(allocation.weeklyPence).toBe(75000);
    expect(allocation.explanation.join(" ")).toMatch(/not a limit on your personal budget/);
  });
});

describe("allocation: informal carer adjustment (Care Act 2014 s18(7); Series & Clements 2013)", () => {
  it("reduces the amount only where the carer is willing and able to continue: 10% of £81.00 = £8.10", () => {
    const allocation = allocate(
      withCarer(eighteenPoints(), { hasCarer: true, willingAndAbleToContinue: true }),
      exampleRasModel,
      q,
    );
    expect(allocation.adjustments).toEqual([
      {
        id: "informal_carer_willing_and_able",
        description: exampleRasModel.adjustments[0]!.description,
        amountPence: -810,
      },
    ]);
    expect(allocation.weeklyPence).toBe(7290);
  });

  it("does not reduce the amount where the carer is not willing or able, has not said, or there is no carer", () => {
    for (const informalCarer of [
      { hasCarer: true, willingAndAbleToContinue: false },
      { hasCarer: true },
      { hasCarer: false },
    ]) {
      const allocation = allocate(withCarer(eighteenPoints(), informalCarer), exampleRasModel, q);
      expect(allocation.adjustments).toEqual([]);
      expect(allocation.weeklyPence).toBe(8100);
    }
  });

  it("rounds the reduction to the nearest penny, halves up: 12.5% of £81.00 = £10.125 → £10.13", () => {
    const adjusted = model({
      adjustments: [
        { kind: "informal_carer", id: "carer", description: "Carer continues", reductionPercent: 12.5 },
      ],
    });
    const allocation = allocate(
      withCarer(eighteenPoints(), { hasCarer: true, willingAndAbleToContinue: true }),
      adjusted,
      q,
    );
    expect(allocation.adjustments[0]?.amountPence).toBe(-1013);
    expect(allocation.weeklyPence).toBe(7087);
  });

  it("applies the minimum after the reduction", () => {
    // 0 points → £0.00, nothing to reduce, then the minimum.
    const allocation = allocate(
      withCarer(answersManagingEverything(), { hasCarer: true, willingAndAbleToContinue: true }),
      exampleRasModel,
      q,
    );
    expect(allocation.weeklyPence).toBe(5000);
  });
});

describe("allocation: properties", () => {
  /** Any valid set of answers: one option per question. */
  const answersArb = fc
    .array(fc.nat(), {
      minLength: q.outcomes.flatMap((o) => o.items).length,
      maxLength: q.outcomes.flatMap((o) => o.items).length,
    })
    .map((choices) => {
      let answers = answersManagingEverything();
      let i = 0;
      for (const outcome of q.outcomes) {
        for (const item of outcome.items) {
          answers = answering(
            answers,
            outcome.id,
            item.id,
            item.options[choices[i++]! % item.options.length]!.id,
          );
        }
      }
      return answers;
    });
  const carerArb = fc.constantFrom(
    { hasCarer: false },
    { hasCarer: true },
    { hasCarer: true, willingAndAbleToContinue: false },
    { hasCarer: true, willingAndAbleToContinue: true },
  );
  const weightArb = fc.constantFrom(0.5, 1, 1.25, 2, 3.3333);
  const modelArb = fc
    .record({
      price: fc.integer({ min: 0, max: 5000 }),
      minimum: fc.integer({ min: 0, max: 50000 }),
      range: fc.integer({ min: 0, max: 200000 }),
      weights: fc.dictionary(fc.constantFrom(...q.outcomes.map((o) => o.id)), weightArb),
      reduction: fc.integer({ min: 0, max: 10000 }).map((n) => n / 100),
    })
    .map(({ price, minimum, range, weights, reduction }) =>
      model({
        pricing: { method: "price_per_point", pricePerPointPence: price },
        minimumWeeklyPence: minimum,
        maximumWeeklyPence: minimum + range,
        domainWeights: weights,
        adjustments: [{ kind: "informal_carer", id: "c", description: "c", reductionPercent: reduction }],
      }),
    );

  it("the weekly amount is always a whole number of pence within [minimum, cap]", () => {
    fc.assert(
      fc.property(answersArb, carerArb, modelArb, (answers, informalCarer, m) => {
        const { weeklyPence, annualPence } = allocate({ ...answers, informalCarer }, m, q);
        expect(Number.isSafeInteger(weeklyPence)).toBe(true);
        expect(weeklyPence).toBeGreaterThanOrEqual(m.minimumWeeklyPence);
        expect(weeklyPence).toBeLessThanOrEqual(m.maximumWeeklyPence);
        expect(annualPence).toBe(weeklyPence * 52);
      }),
    );
  });

  it("more (weighted) points never give less money under a price-per-point model without adjustments", () => {
    fc.assert(
      fc.property(answersArb, answersArb, modelArb, (a, b, m) => {
        const plain = { ...m, adjustments: [] };
        const first = allocate(a, plain, q);
        const second = allocate(b, plain, q);
        const [lower, higher] =
          first.weightedPoints <= second.weightedPoints ? [first, second] : [second, first];
        expect(lower.weeklyPence).toBeLessThanOrEqual(higher.weeklyPence);
      }),
    );
  });

  it("more points never give less money under a banded model either", () => {
    fc.assert(
      fc.property(answersArb, answersArb, (a, b) => {
        const first = allocate(a, exampleBandedRasModel, q);
        const second = allocate(b, exampleBandedRasModel, q);
        const [lower, higher] = first.totalPoints <= second.totalPoints ? [first, second] : [second, first];
        expect(lower.weeklyPence).toBeLessThanOrEqual(higher.weeklyPence);
      }),
    );
  });
});

describe("allocation: inputs must match", () => {
  it("refuses a model that prices another questionnaire", () => {
    expect(() => allocate(eighteenPoints(), model({ questionnaireId: "other" }), q)).toThrow(/must match/);
  });
});
