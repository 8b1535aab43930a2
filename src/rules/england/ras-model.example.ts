import { ENGLAND_QUESTIONNAIRE_ID } from "#/rules/england/questionnaire.ts";
import { type RasModel, rasModelSchema } from "#/rules/ras-model.ts";

export { type RasModel, rasModelSchema } from "#/rules/ras-model.ts";

/**
 * An example RAS model for England, the same for every tenant. It has NOT been calibrated against real
 * package costs: a council should fit its own (price per point, or weights, by least squares on current
 * clients' scores and costs) and publish it. The questionnaire's points run from 0 to 113.
 *
 * £4.50 a point, at least £50 and at most £750 a week; 10% off only where an unpaid carer has said they
 * are willing and able to keep caring.
 */
export const exampleRasModel: RasModel = rasModelSchema.parse({
  id: "england-example-ras",
  version: "2026.1",
  description:
    "Example resource allocation model for England: £4.50 a week for each point, at least £50 and at most £750 a week. Not calibrated.",
  example: true,
  questionnaireId: ENGLAND_QUESTIONNAIRE_ID,
  pricing: { method: "price_per_point", pricePerPointPence: 450 },
  minimumWeeklyPence: 5000,
  maximumWeeklyPence: 75000,
  adjustments: [
    {
      kind: "informal_carer",
      id: "informal_carer_willing_and_able",
      description:
        "An unpaid carer has told us they are willing and able to keep giving some of the support, so the council pays for less of it",
      reductionPercent: 10,
    },
  ],
});

/** The same example priced by bands instead of a price per point. */
export const exampleBandedRasModel: RasModel = rasModelSchema.parse({
  ...exampleRasModel,
  id: "england-example-ras-banded",
  description: "Example banded resource allocation model for England. Not calibrated.",
  pricing: {
    method: "bands",
    bands: [
      { fromPoints: 0, toPoints: 9, weeklyPence: 5000 },
      { fromPoints: 10, toPoints: 24, weeklyPence: 10000 },
      { fromPoints: 25, toPoints: 44, weeklyPence: 17500 },
      { fromPoints: 45, toPoints: 69, weeklyPence: 27500 },
      { fromPoints: 70, toPoints: 94, weeklyPence: 40000 },
      { fromPoints: 95, toPoints: 113, weeklyPence: 52500 },
    ],
  },
});
