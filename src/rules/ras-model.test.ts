import { describe, expect, it } from "vitest";
import { englandQuestionnaire } from "#/rules/england/questionnaire.ts";
import { exampleBandedRasModel, exampleRasModel } from "#/rules/england/ras-model.example.ts";
import { checkModelFitsQuestionnaire, rasModelSchema } from "#/rules/ras-model.ts";

const issuesOf = (input: unknown) => {
  const result = rasModelSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("RAS model schema", () => {
  it("accepts the example models", () => {
    expect(issuesOf(exampleRasModel)).toEqual([]);
    expect(issuesOf(exampleBandedRasModel)).toEqual([]);
  });

  it("rejects fractional pence and a cap below the minimum (house rule: integer pence)", () => {
    expect(
      issuesOf({ ...exampleRasModel, pricing: { method: "price_per_point", pricePerPointPence: 4.5 } }),
    ).toEqual(["pricing.pricePerPointPence: The price per point must be a whole number of pence"]);
    expect(issuesOf({ ...exampleRasModel, maximumWeeklyPence: 100 })).toEqual([
      "maximumWeeklyPence: The maximum weekly amount must not be less than the minimum",
    ]);
  });

  it("rejects bands with a gap, or that give less money for more points (more need never means less money)", () => {
    const bands = (list: unknown[]) => ({ ...exampleRasModel, pricing: { method: "bands", bands: list } });
    expect(
      issuesOf(
        bands([
          { fromPoints: 0, toPoints: 9, weeklyPence: 100 },
          { fromPoints: 11, toPoints: 20, weeklyPence: 200 },
        ]),
      ),
    ).toEqual([
      "pricing.bands.1.fromPoints: This band must start at 10 points, straight after the band before it",
    ]);
    expect(
      issuesOf(
        bands([
          { fromPoints: 0, toPoints: 9, weeklyPence: 300 },
          { fromPoints: 10, toPoints: 20, weeklyPence: 200 },
        ]),
      ),
    ).toEqual([
      "pricing.bands.1.weeklyPence: A higher band must not give less money than the band before it",
    ]);
    expect(issuesOf(bands([{ fromPoints: 5, toPoints: 9, weeklyPence: 300 }]))).toEqual([
      "pricing.bands.0.fromPoints: The first band must start at 0 points",
    ]);
  });

  it("rejects weights with more than 4 decimal places and a carer reduction over 100%", () => {
    expect(issuesOf({ ...exampleRasModel, domainWeights: { nutrition: 1.23456 } })).toEqual([
      "domainWeights.nutrition: A weight may have at most 4 decimal places",
    ]);
    expect(
      issuesOf({
        ...exampleRasModel,
        adjustments: [{ kind: "informal_carer", id: "c", description: "d", reductionPercent: 101 }],
      }),
    ).toEqual(["adjustments.0.reductionPercent: reductionPercent must be between 0 and 100"]);
  });

  it("checks a model against its questionnaire: id and weight keys", () => {
    const model = rasModelSchema.parse({
      ...exampleRasModel,
      questionnaireId: "other",
      domainWeights: { naps: 2 },
    });
    expect(checkModelFitsQuestionnaire(model, englandQuestionnaire).map((p) => p.path)).toEqual([
      "model.questionnaireId",
      "model.domainWeights.naps",
    ]);
  });
});
