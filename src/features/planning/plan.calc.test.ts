import { describe, expect, it } from "vitest";
import {
  budgetFit,
  costPlan,
  formatBasisPoints,
  formatHundredths,
  type ReadinessContext,
  readinessProblems,
  scottishSdsOption,
} from "#/features/planning/plan.calc.ts";
import { samsPlan } from "#/features/planning/plan.fixture.ts";
import { type SupportPlanInput, supportPlanSchema } from "#/features/planning/schemas.ts";
import { pence } from "#/platform/money/pence.ts";

const plan = (input: SupportPlanInput = samsPlan()) => supportPlanSchema.parse(input);
const sams = plan();
const costing = costPlan(sams);

describe("costing a plan", () => {
  it("rule: a weekly line is unit cost × units a week, rounded once to the penny, halves up", () => {
    const pa = costing.lines[0]!;
    expect(pa.weeklyPence).toBe(17325); // 10.5 × £16.50
    expect(pa.working).toBe("10.5 hours a week × £16.50 an hour = £173.25 a week");
    expect(costing.lines[1]!.weeklyPence).toBe(15400); // 7 visits × £22.00
    const quarter = costPlan(
      plan(
        samsPlan({
          supports: [
            {
              id: "x",
              what: "Short calls",
              category: "personal_care",
              from: { kind: "personal_assistant" },
              cost: { basis: "weekly", unitCostPence: 1850, unit: "hour", unitsPerWeek: 10.25 },
              deployment: "direct_payment",
              outcomeIds: ["cook"],
            },
          ],
        }),
      ),
    );
    expect(quarter.lines[0]!.weeklyPence).toBe(18963); // 1850 × 10.25 = 18962.5 → 18963
  });

  it("rule: one-off costs are shown separately, never as part of the weekly cost (issue 5)", () => {
    expect(costing.weeklyPence).toBe(17325 + 15400);
    expect(costing.oneOffPence).toBe(8999);
    expect(costing.lines[2]).toMatchObject({ basis: "one_off", weeklyPence: 0, oneOffPence: 8999 });
  });

  it("rule: universal and community support costs nothing", () => {
    expect(costing.lines[3]).toMatchObject({ basis: "none", weeklyPence: 0, deployment: null });
    expect(costing.lines[3]!.working).toMatch(/^Free/);
  });

  it("derives 4-weekly and annual from weekly (platform/money/periods.ts: × 4, × 52)", () => {
    expect(costing.fourWeeklyPence).toBe(costing.weeklyPence * 4);
    expect(costing.annualPence).toBe(costing.weeklyPence * 52);
  });

  it("totals per deployment, every deployment listed", () => {
    expect(costing.weeklyByDeployment).toEqual([
      { deployment: "direct_payment", weeklyPence: 17325, oneOffPence: 8999 },
      { deployment: "council_managed", weeklyPence: 0, oneOffPence: 0 },
      { deployment: "individual_service_fund", weeklyPence: 0, oneOffPence: 0 },
      { deployment: "council_arranged", weeklyPence: 15400, oneOffPence: 0 },
    ]);
  });
});

describe("budget fit (issue 5: planned weekly cost against the indicative allocation, the difference explained)", () => {
  it("under the allocation: says by how much, and that the budget is the plan's cost", () => {
    const fit = budgetFit(costing, pence(40000));
    expect(fit).toMatchObject({
      position: "under",
      differenceWeeklyPence: -7275,
      overByWeeklyPence: 0,
      overByBasisPoints: 0,
      needsHigherApprover: false,
      problems: [],
    });
    expect(fit.explanation[0]).toBe(
      "The plan costs £327.25 a week (£17,017.00 a year). The indicative budget is £400.00 a week.",
    );
    expect(fit.explanation[1]).toMatch(/£72\.75 a week less than the indicative budget/);
    expect(fit.explanation.at(-1)).toMatch(/one-off costs of £89\.99 in total\. They are shown on their own/);
  });

  it("exactly the allocation", () => {
    const fit = budgetFit(costing, pence(32725));
    expect(fit.position).toBe("exact");
    expect(fit.explanation[1]).toBe("The plan costs exactly the indicative budget.");
  });

  it("rule: over the allocation is allowed only with a reason — sufficiency first (Statutory Guidance 11.24)", () => {
    const noReason = budgetFit(costing, pence(30000));
    expect(noReason).toMatchObject({ position: "over", overByWeeklyPence: 2725, overByBasisPoints: 908 });
    expect(noReason.problems).toEqual([
      {
        path: "overAllocationReason",
        message: "Say why the plan needs more than the indicative budget",
        severity: "error",
      },
    ]);
    const withReason = budgetFit(costing, pence(30000), "Sam needs the morning calls every day");
    expect(withReason.problems).toEqual([]);
    expect(withReason.explanation).toContain(
      "The reason given for the extra cost: Sam needs the morning calls every day",
    );
    expect(withReason.explanation[1]).toMatch(/£27\.25 a week \(9\.08%\) more than the indicative budget/);
  });

  it("rule: over the allocation flags 'needs higher approver' (issue 5)", () => {
    expect(budgetFit(costing, pence(32724), "reason").needsHigherApprover).toBe(true);
    expect(budgetFit(costing, pence(32725)).needsHigherApprover).toBe(false);
  });

  it("over a £0 allocation has no percentage", () => {
    const fit = budgetFit(costing, pence(0), "No allocation was made yet");
    expect(fit.overByBasisPoints).toBeNull();
    expect(fit.explanation[1]).toMatch(/^The plan costs £327\.25 a week more than/);
  });

  it("a blank reason counts as no reason", () => {
    expect(budgetFit(costing, pence(1), "   ").overAllocationReason).toBeNull();
  });
});

describe("ready for approval", () => {
  const context: ReadinessContext = {
    supportCategories: ["household", "personal_care", "equipment_adaptations", "community_access"],
    providers: (id) => (id === "org-1" ? { approvedList: true } : undefined),
    allowProvidersOffApprovedList: false,
  };

  it("Sam's plan is ready", () => {
    expect(readinessProblems(sams, budgetFit(costing, pence(40000)), context)).toEqual([]);
  });

  it("rule: a plan needs a contingency plan before approval (issue 5)", () => {
    const p = plan(samsPlan({ contingency: "" }));
    expect(readinessProblems(p, budgetFit(costPlan(p), pence(40000)), context)).toEqual([
      { path: "contingency", message: expect.stringMatching(/contingency plan/), severity: "error" },
    ]);
  });

  it("rule: over the allocation without a reason stops approval", () => {
    expect(readinessProblems(sams, budgetFit(costing, pence(100)), context).map((p) => p.path)).toEqual([
      "overAllocationReason",
    ]);
  });

  it("rule: providers off the approved list only where the council allows it (issue 5)", () => {
    const offList: ReadinessContext = { ...context, providers: () => ({ approvedList: false }) };
    expect(readinessProblems(sams, budgetFit(costing, pence(40000)), offList)).toEqual([
      {
        path: "supports[1].from.providerId",
        message: expect.stringMatching(/not on the council's approved list/),
        severity: "error",
      },
    ]);
    const allowed = readinessProblems(sams, budgetFit(costing, pence(40000)), {
      ...offList,
      allowProvidersOffApprovedList: true,
    });
    expect(allowed.map((p) => p.severity)).toEqual(["warning"]);
  });

  it("refuses a provider not in the directory and a category the council does not use", () => {
    const problems = readinessProblems(sams, budgetFit(costing, pence(40000)), {
      ...context,
      supportCategories: ["household"],
      providers: () => undefined,
    });
    expect(problems.map((p) => p.path)).toEqual([
      "supports[1].category",
      "supports[1].from.providerId",
      "supports[2].category",
      "supports[3].category",
    ]);
  });

  it("warns about an outcome no support serves", () => {
    const p = plan(samsPlan({ supports: samsPlan().supports!.filter((s) => s.id !== "supporters") }));
    const problems = readinessProblems(p, budgetFit(costPlan(p), pence(40000)), context);
    expect(problems).toEqual([{ path: "outcomes[1]", message: expect.any(String), severity: "warning" }]);
  });
});

describe("Scotland's options (Social Care (Self-directed Support) (Scotland) Act 2013)", () => {
  it("a plan mixing a direct payment and council-arranged support is Option 4", () => {
    expect(scottishSdsOption(sams)).toBe(4);
  });

  it("a plan all by direct payment is Option 1; a plan with nothing costed has no option", () => {
    const dp = plan(samsPlan({ supports: samsPlan().supports!.filter((s) => s.id !== "care") }));
    expect(scottishSdsOption(dp)).toBe(1);
    const free = plan(samsPlan({ supports: samsPlan().supports!.filter((s) => s.id === "supporters") }));
    expect(scottishSdsOption(free)).toBeNull();
  });
});

describe("formatting", () => {
  it.each([
    [1050, "10.5"],
    [25, "0.25"],
    [700, "7"],
    [1, "0.01"],
  ])("%d hundredths is %s", (h, s) => expect(formatHundredths(h)).toBe(s));
  it("basis points as a percentage", () => {
    expect(formatBasisPoints(1000)).toBe("10%");
    expect(formatBasisPoints(313)).toBe("3.13%");
  });
});
