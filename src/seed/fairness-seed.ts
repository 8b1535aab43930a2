import { decideEligibility } from "#/features/assessment/eligibility.calc.ts";
import type { AssessmentAnswers } from "#/features/assessment/schemas.ts";
import { saveAnswersIn, startAssessmentIn, submitAssessmentIn } from "#/features/assessment/service.ts";
import type { NewPerson } from "#/features/people/schemas.ts";
import { createPeopleIn } from "#/features/people/service.ts";
import { setPreviousPackageIn } from "#/features/planning/previous-package.ts";
import type { SupportPlanDraftInput } from "#/features/planning/schemas.ts";
import { approvePlanIn, saveDraftIn, startPlanIn, submitPlanIn } from "#/features/planning/service.ts";
import type { TxContext } from "#/platform/context.ts";
import { addDays } from "#/platform/dates/calendar.ts";
import { rulePackFor } from "#/rules/index.ts";
import { rulesFor } from "#/rules/registry.ts";
import { seedNothingToPayAssessmentIn } from "#/seed/charging-seed.ts";
import { demoNhsNumber } from "#/seed/cld-seed.ts";
import { actingAs, staff as staffEditorFor } from "#/seed/plans-seed.ts";
import type { DemoCast } from "./cast.ts";

/**
 * Demo Council's people for the public fairness dashboard (/demo/fairness, issue 15): 30 people of their own
 * (FAIR-01 … FAIR-30), so no other step's people change, each assessed, with a plan approved and a live
 * personal budget, made through the real use cases. Designed so the dashboard has something to say:
 *   - budgets start ten days apart from 320 days ago, so the oldest quarter shown has too few people (hidden)
 *     and the later ones fill up;
 *   - people in postcode district ZX92 (two in three) get plans costing 70% of their indicative budget, the
 *     others (ZX91) 100%, so the dashboard names an area getting less for the same need;
 *   - every other person's plan replaced a council-arranged package (its weekly cost and date recorded), for
 *     "cover for cuts?"; half of those packages are from 620 days before, so a yearly price rise falls between.
 * Skipped where the demo has few people (tests that seed only a handful).
 */

const COUNT = 30;
const ETHNICITIES = [
  "white-british",
  "white-british",
  "asian-indian",
  "black-caribbean",
  "white-other",
  "mixed-other",
];
const GIVEN = ["Ada", "Ben", "Cleo", "Dev", "Esme", "Femi", "Gus", "Hana", "Ivo", "Jas", "Kit", "Lior"];

/** Who the demo's fairness people are: made up, deterministic for a `today`. */
export function fairnessPeople(today: string): NewPerson[] {
  return Array.from({ length: COUNT }, (_, i) => ({
    reference: `FAIR-${String(i + 1).padStart(2, "0")}`,
    givenName: GIVEN[i % GIVEN.length]!,
    familyName: `Fairfield${String.fromCharCode(65 + i)}`,
    // Ages 30 to 99, spread across the bands.
    dateOfBirth: addDays(today, -Math.round((30 + ((i * 37) % 70)) * 365.25) - 40),
    postcode: i % 3 === 0 ? `ZX91 ${i % 10}AB` : `ZX92 ${i % 10}CD`,
    sex: i % 2 === 0 ? "female" : "male",
    ethnicity: ETHNICITIES[i % ETHNICITIES.length]!,
    // The rest of what the CLD return needs on record (seed/cld-seed.ts), so the demo's return stays clean.
    nhsNumber: demoNhsNumber(1000 + i),
    accommodationStatus: i % 4 === 0 ? "tenant-social" : "owner-occupier",
    employmentStatus: "not-seeking-or-retired",
    hasUnpaidCarer: i % 3 === 0 ? "yes" : "no",
    fieldListsId: rulesFor("england", today).personFields.rules.id,
  }));
}

function planCosting(weeklyPence: number): SupportPlanDraftInput {
  return {
    outcomes: [
      { id: "home", inTheirWords: "I want to keep living at home", howWeWillKnow: "I am still at home" },
    ],
    supports: [
      {
        id: "care",
        what: "Help at home",
        category: "personal_care",
        from: { kind: "personal_assistant" },
        cost: { basis: "weekly", unitCostPence: weeklyPence, unit: "week", unitsPerWeek: 1 },
        // Council-managed: no direct payment, so no payee to set up and nothing for a direct-payment audit.
        deployment: "council_managed",
        outcomeIds: ["home"],
      },
    ],
    risks: [],
    contingency: "My neighbour checks on me; the council's emergency line if she cannot.",
  };
}

/** The first of the person's candidate answers that meet the eligibility criteria, so every one has a budget. */
function eligibleAnswers(answersFor: (i: number) => AssessmentAnswers, i: number, date: string) {
  const pack = rulePackFor("england", date);
  for (let j = 0; j < 50; j++) {
    const answers = answersFor(i * 50 + j);
    if (decideEligibility(answers, pack).eligible) return answers;
  }
  throw new Error("The demo's answers never met the eligibility criteria");
}

export async function seedDemoFairness(
  t: TxContext,
  cast: DemoCast,
  answersFor: (i: number) => AssessmentAnswers,
): Promise<{ people: number; budgets: number }> {
  if (cast.withAllocations.length < 20) return { people: 0, budgets: 0 };
  const planner = staffEditorFor(cast, "support.planner@demo.upfront.test");
  const panel = staffEditorFor(cast, "funding.panel@demo.upfront.test");
  const people = await createPeopleIn(t, fairnessPeople(t.today));
  let budgets = 0;
  for (const [i, person] of people.entries()) {
    const startDate = addDays(t.today, -320 + i * 10);
    const decisionDate = addDays(startDate, -14);
    const draft = await startAssessmentIn({ ...t, today: decisionDate }, person.personId);
    await saveAnswersIn(t, draft.assessmentId, eligibleAnswers(answersFor, i, decisionDate));
    const { allocation } = await submitAssessmentIn(t, draft.assessmentId, { decisionDate });
    if (!allocation) continue; // not eligible: no budget to show
    const share = person.postcode?.startsWith("ZX92") ? 70 : 100;
    const weekly = Math.round((allocation.weeklyPence * share) / 100);
    await actingAs(t, planner.actor, async (t) => {
      const { planId } = await startPlanIn(t, { personId: person.personId, editor: planner.editor });
      await saveDraftIn(t, planId, 1, planCosting(weekly), planner.editor);
      if (i % 2 === 0) {
        // The council-arranged package this plan replaced: 5% dearer than the budget, in its own day's prices.
        const date = addDays(t.today, i % 4 === 0 ? -620 : -330);
        await setPreviousPackageIn(t, planId, { weeklyPence: Math.round(weekly * 1.05), date });
      }
      await submitPlanIn(t, planId, 1, planner.editor);
      await actingAs(t, panel.actor, (t) => approvePlanIn(t, planId, 1, { startDate }));
    });
    // How their support is funded is on record too (CLD Client Funding Status): they pay nothing.
    await seedNothingToPayAssessmentIn(t, person.personId);
    budgets++;
  }
  return { people: people.length, budgets };
}
