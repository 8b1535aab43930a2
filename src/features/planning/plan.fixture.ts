import type { SupportPlanInput } from "#/features/planning/schemas.ts";

/**
 * A plan for tests: Sam wants to cook again, get to the football and keep their flat. Three costed lines (a
 * provider, a personal assistant, a one-off piece of equipment) and one free community group.
 */
export function samsPlan(overrides: Partial<SupportPlanInput> = {}): SupportPlanInput {
  return {
    outcomes: [
      {
        id: "cook",
        inTheirWords: "I want to cook my own tea most nights",
        howWeWillKnow: "Sam cooks at least four evenings a week",
      },
      {
        id: "football",
        inTheirWords: "Get to every home game with my mates",
        howWeWillKnow: "Sam has been to the home games this season",
      },
      {
        id: "flat",
        inTheirWords: "Stay in my flat",
        howWeWillKnow: "No rent arrears, and Sam still lives there at the review",
      },
    ],
    supports: [
      {
        id: "pa",
        what: "A personal assistant to help with cooking and shopping",
        category: "household",
        from: { kind: "personal_assistant", name: "Jo" },
        cost: { basis: "weekly", unitCostPence: 1650, unit: "hour", unitsPerWeek: 10.5 },
        deployment: "direct_payment",
        outcomeIds: ["cook"],
      },
      {
        id: "care",
        what: "Morning personal care",
        category: "personal_care",
        from: { kind: "provider", providerId: "org-1", serviceId: "svc-1", name: "Brightside Care" },
        cost: { basis: "weekly", unitCostPence: 2200, unit: "visit", unitsPerWeek: 7 },
        deployment: "council_arranged",
        outcomeIds: ["cook", "flat"],
      },
      {
        id: "perch",
        what: "A perching stool for the kitchen",
        category: "equipment_adaptations",
        from: { kind: "self_arranged", description: "Bought from the local mobility shop" },
        cost: { basis: "one_off", amountPence: 8999 },
        deployment: "direct_payment",
        outcomeIds: ["cook"],
      },
      {
        id: "supporters",
        what: "The supporters' club disability section",
        category: "community_access",
        from: { kind: "universal", name: "Town FC Disabled Supporters" },
        cost: { basis: "none" },
        outcomeIds: ["football"],
      },
    ],
    risks: [
      {
        id: "knife",
        description: "Cutting vegetables when tired",
        howHandled: "Pre-chopped vegetables on tired days; the PA prepares with Sam",
        whoManagesIt: "Sam and Jo",
      },
    ],
    contingency: "If Jo is off, Sam's sister Amy covers; if she cannot, Sam calls the council's duty team.",
    ...overrides,
  };
}
