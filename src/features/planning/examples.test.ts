import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { importHsds } from "#/features/directory/hsds.ts";
import { apportion, linesFromCosting } from "#/features/funding/apportion.calc.ts";
import { fundingConfigSchema } from "#/features/funding/schemas.ts";
import { checkApproval } from "#/features/planning/approval.calc.ts";
import { budgetFit, costPlan, readinessProblems } from "#/features/planning/plan.calc.ts";
import {
  DEFAULT_SUPPORT_CATEGORIES,
  delegatedAuthoritySchema,
  supportPlanSchema,
} from "#/features/planning/schemas.ts";
import { planReviewDue } from "#/features/reviews/review-dates.calc.ts";
import { pence } from "#/platform/money/pence.ts";
import { reviewRulesFor } from "#/rules/england/review-rules.ts";

/**
 * The pure core end to end, on the example files: Priya's plan (examples/support-plan.json) is costed, fitted to
 * her indicative budget, checked against the council's directory (examples/directory.hsds.json), apportioned
 * across the council's funding streams (examples/funding-config.json), sent to the right approver, and given its
 * first review date. This is the order the service will call them in.
 */

const read = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../examples/${name}`, import.meta.url), "utf8"));

describe("Priya's plan, from the example files", () => {
  const plan = supportPlanSchema.parse(read("support-plan.json"));
  const funding = fundingConfigSchema.parse(read("funding-config.json"));
  const directoryResult = importHsds(read("directory.hsds.json"));
  if (!directoryResult.ok) throw new Error("the example directory does not import");
  const directory = directoryResult.directory;
  const authority = delegatedAuthoritySchema.parse({
    levels: [
      { id: "sw", label: "Social worker", roles: ["social_worker"] },
      {
        id: "tm",
        label: "Team manager",
        roles: ["team_manager"],
        requiredWhen: { weeklyPenceAbove: 60_000 },
      },
      {
        id: "panel",
        label: "Funding panel",
        roles: ["funding_panel_member"],
        requiredWhen: { overAllocationPercentAbove: 25 },
      },
    ],
  });

  const costing = costPlan(plan);
  const fit = budgetFit(costing, pence(20_000), plan.overAllocationReason);
  const readiness = readinessProblems(plan, fit, {
    supportCategories: DEFAULT_SUPPORT_CATEGORIES.map((c) => c.id),
    providers: (id) => directory.providers.find((p) => p.id === id),
    allowProvidersOffApprovedList: false,
  });
  const apportionment = apportion({
    lines: linesFromCosting(costing),
    // Priya has no NHS personal health budget: the service passes only the streams open to her.
    streams: funding.streams
      .filter((s) => s.kind !== "nhs_personal_health_budget")
      .map((s) => ({ ...s, availablePence: pence(s.availablePence) })),
    payerOrder: funding.payerOrder,
    periodWeeks: 52,
    contributionWeeklyPence: pence(3_000),
  });

  it("costs £225.38 a week, over an indicative £200.00 with a reason", () => {
    // 3 × £23.50 + 3 × £28.00 + 4.5 × £15.75 (= 70.875 → £70.88)
    expect(costing.weeklyPence).toBe(7050 + 8400 + 7088);
    expect(fit).toMatchObject({
      position: "over",
      overByWeeklyPence: 2538,
      overByBasisPoints: 1269,
      problems: [],
    });
  });

  it("uses only providers in the directory that are on the approved list", () => {
    expect(readiness).toEqual([]);
  });

  it("is paid by adult social care and supported employment, the contribution only off the means-tested one", () => {
    expect(apportionment.unfunded).toEqual([]);
    expect(apportionment.problems).toEqual([]);
    expect(
      apportionment.streams
        .filter((s) => s.grossWeeklyPence > 0)
        .map((s) => [s.streamId, s.grossWeeklyPence, s.contributionWeeklyPence, s.netWeeklyPence]),
    ).toEqual([
      ["adult_social_care", 7050 + 7088, 3000, 7050 + 7088 - 3000],
      ["supported_employment", 8400, 0, 8400],
    ]);
  });

  it("goes to a team manager: over the allocation, but by less than 25%", () => {
    const decision = checkApproval({
      plan: { version: 1, latestVersion: 1, status: "submitted", editorIds: ["priya", "planner-1"] },
      fit,
      readiness,
      unfunded: apportionment.unfunded,
      approver: { userId: "tm-1", roles: ["team_manager"] },
      authority,
    });
    expect(decision).toMatchObject({ allowed: true, required: { level: { id: "tm" } } });
  });

  it("has its first plan review no later than 12 months after agreement, or 8 weeks where the council says so", () => {
    const rules = reviewRulesFor("2026-05-29");
    expect(
      planReviewDue({ agreedOn: "2026-05-29", completedReviewDates: [], policy: {}, rules }).dueDate,
    ).toBe("2027-05-29");
    expect(
      planReviewDue({
        agreedOn: "2026-05-29",
        completedReviewDates: [],
        policy: { firstReview: { weeks: 8 } },
        rules,
      }).dueDate,
    ).toBe("2026-07-24");
  });
});
