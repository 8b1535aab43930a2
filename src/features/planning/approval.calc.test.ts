import { describe, expect, it } from "vitest";
import {
  type ApprovalRequest,
  approverLevelOf,
  checkApproval,
  checkOverrideApproval,
  checkReturn,
  decideAllocationOverride,
  requiredApprover,
} from "#/features/planning/approval.calc.ts";
import { budgetFit, type PlanCosting } from "#/features/planning/plan.calc.ts";
import {
  type AllocationOverridePolicy,
  allocationOverridePolicySchema,
  type DelegatedAuthority,
  delegatedAuthoritySchema,
} from "#/features/planning/schemas.ts";
import { pence } from "#/platform/money/pence.ts";

/** A scheme of delegated authority like many councils': social worker → team manager → funding panel. */
const authority: DelegatedAuthority = delegatedAuthoritySchema.parse({
  levels: [
    { id: "sw", label: "Social worker", roles: ["social_worker"] },
    {
      id: "tm",
      label: "Team manager",
      roles: ["team_manager"],
      requiredWhen: { weeklyPenceAbove: 60_000, oneOffPenceAbove: 100_000 },
    },
    {
      id: "panel",
      label: "Funding panel",
      roles: ["funding_panel_member"],
      requiredWhen: {
        weeklyPenceAbove: 150_000,
        overAllocationPenceAbove: 10_000,
        overAllocationPercentAbove: 10,
        oneOffPenceAbove: 500_000,
      },
    },
  ],
});

function fitOf(weekly: number, allocation: number, oneOff = 0, reason = "Needed to meet eligible needs") {
  const costing: PlanCosting = {
    lines: [],
    weeklyPence: pence(weekly),
    fourWeeklyPence: pence(weekly * 4),
    annualPence: pence(weekly * 52),
    oneOffPence: pence(oneOff),
    weeklyByDeployment: [],
  };
  return budgetFit(costing, pence(allocation), reason);
}

const levelFor = (weekly: number, allocation: number, oneOff = 0) =>
  requiredApprover(fitOf(weekly, allocation, oneOff), authority).level.id;

describe("delegated authority: who must approve (issue 5: thresholds by amount and by how far over)", () => {
  it("rule: a plan within the allocation and below every threshold needs only the first level", () => {
    const required = requiredApprover(fitOf(40_000, 45_000), authority);
    expect(required).toMatchObject({
      levelIndex: 0,
      roles: ["social_worker", "team_manager", "funding_panel_member"],
    });
    expect(required.reasons).toEqual([
      "The plan is within the indicative budget and below every threshold, so Social worker approval is enough.",
    ]);
  });

  it("rule: thresholds are strictly 'more than' — exactly at the weekly threshold does not trigger it", () => {
    expect(levelFor(60_000, 70_000)).toBe("sw");
    expect(levelFor(60_001, 70_000)).toBe("tm");
    expect(requiredApprover(fitOf(60_001, 70_000), authority).reasons).toEqual([
      "Team manager approval is needed: it costs £600.01 a week, more than £600.00.",
    ]);
    expect(levelFor(150_001, 200_000)).toBe("panel");
  });

  it("rule: any amount over the allocation routes to a higher approver than the first level (issue 5)", () => {
    const required = requiredApprover(fitOf(40_001, 40_000), authority);
    expect(required.level.id).toBe("tm");
    expect(required.reasons).toEqual([
      "The plan costs more than the indicative budget, so it needs a higher approver than Social worker: at least Team manager.",
    ]);
  });

  it("rule: how far over, in pence, decides the level", () => {
    expect(levelFor(110_000, 100_000)).toBe("tm"); // exactly £100.00 and exactly 10%: neither is "more than"
    expect(levelFor(110_001, 100_000)).toBe("panel"); // £100.01 over
  });

  it("rule: how far over, as a percentage of the allocation, decides the level", () => {
    // £50.00 over £400.00 is 12.5%: more than 10%, though less than £100.00.
    const required = requiredApprover(fitOf(45_000, 40_000), authority);
    expect(required.level.id).toBe("panel");
    expect(required.reasons[0]).toBe(
      "Funding panel approval is needed: it is 12.5% over the indicative budget, more than 10%.",
    );
    expect(levelFor(43_999, 40_000)).toBe("tm"); // 9.9975% → 10.00% after rounding to a basis point: not more than 10%
  });

  it("over an allocation of £0 counts as over every percentage", () => {
    expect(levelFor(1, 0)).toBe("panel");
  });

  it("rule: one-off costs have their own threshold", () => {
    expect(levelFor(10_000, 20_000, 100_000)).toBe("sw");
    expect(levelFor(10_000, 20_000, 100_001)).toBe("tm");
    expect(levelFor(10_000, 20_000, 500_001)).toBe("panel");
  });

  it("with one level only, an over-allocation plan stays with it, saying so", () => {
    const one = delegatedAuthoritySchema.parse({
      levels: [{ id: "sw", label: "Social worker", roles: ["social_worker"] }],
    });
    const required = requiredApprover(fitOf(2, 1), one);
    expect(required.levelIndex).toBe(0);
    expect(required.reasons[0]).toMatch(/only one approver level/);
  });

  it("an approver acts at the highest level any of their roles reaches", () => {
    expect(approverLevelOf(["social_worker", "funding_panel_member"], authority)).toBe(2);
    expect(approverLevelOf(["commissioner"], authority)).toBeNull();
  });
});

describe("checking an approval", () => {
  const ready: ApprovalRequest = {
    plan: { version: 2, latestVersion: 2, status: "submitted", editorIds: ["planner-1", "person-1"] },
    fit: fitOf(40_000, 45_000),
    readiness: [],
    unfunded: [],
    approver: { userId: "sw-2", roles: ["social_worker"] },
    authority,
  };
  const codes = (request: ApprovalRequest) => checkApproval(request).refusals.map((r) => r.code);

  it("allows a social worker who did not write it to approve a plan needing only a social worker", () => {
    expect(checkApproval(ready)).toMatchObject({ allowed: true, refusals: [], approverLevelIndex: 0 });
  });

  it("a higher level may approve a plan that needs a lower one", () => {
    expect(checkApproval({ ...ready, approver: { userId: "tm-1", roles: ["team_manager"] } }).allowed).toBe(
      true,
    );
  });

  it("rule: maker-checker — nobody approves a plan they wrote or edited (issue 5)", () => {
    const own = checkApproval({ ...ready, approver: { userId: "planner-1", roles: ["team_manager"] } });
    expect(own.allowed).toBe(false);
    expect(own.refusals).toEqual([
      {
        code: "own_plan",
        message: "You wrote or edited this version of the plan, so someone else must approve it.",
      },
    ]);
  });

  it("rule: approving a plan superseded by a later version is refused (issue 5)", () => {
    const old = checkApproval({ ...ready, plan: { ...ready.plan, version: 1, latestVersion: 2 } });
    expect(old.refusals).toEqual([
      {
        code: "superseded",
        message:
          "Version 1 of this plan has been replaced by version 2. Only the latest version can be approved.",
      },
    ]);
    expect(codes({ ...ready, plan: { ...ready.plan, status: "superseded" } })).toEqual(["superseded"]);
  });

  it("rule: only a submitted plan may be approved; an approved plan is never changed", () => {
    expect(codes({ ...ready, plan: { ...ready.plan, status: "draft" } })).toEqual(["not_submitted"]);
    expect(codes({ ...ready, plan: { ...ready.plan, status: "returned" } })).toEqual(["not_submitted"]);
    expect(codes({ ...ready, plan: { ...ready.plan, status: "approved" } })).toEqual(["already_approved"]);
  });

  it("rule: the approver must reach the required level, and is told why it is needed", () => {
    const over = checkApproval({ ...ready, fit: fitOf(46_000, 45_000) });
    expect(over.refusals).toEqual([
      {
        code: "not_authorised",
        message:
          "This plan needs approval by Team manager or above. The plan costs more than the indicative budget, so it needs a higher approver than Social worker: at least Team manager.",
      },
    ]);
    expect(codes({ ...ready, approver: { userId: "c", roles: ["commissioner"] } })).toEqual([
      "not_authorised",
    ]);
  });

  it("readiness errors and unfunded lines stop approval; warnings do not", () => {
    const request: ApprovalRequest = {
      ...ready,
      readiness: [
        {
          path: "contingency",
          message: "Say what will happen if the support breaks down",
          severity: "error",
        },
        { path: "outcomes[1]", message: "No support helps yet", severity: "warning" },
      ],
      unfunded: [
        {
          supportId: "gym",
          basis: "weekly",
          unfundedPence: pence(1500),
          reason: "no_stream_may_pay",
          message: "No funding stream may pay for leisure.",
        },
      ],
    };
    expect(checkApproval(request).refusals).toEqual([
      {
        code: "not_ready",
        message: "The plan is not ready to approve: Say what will happen if the support breaks down.",
      },
      {
        code: "unfunded",
        message: "Part of the plan has no funding: No funding stream may pay for leisure.",
      },
    ]);
    expect(checkApproval({ ...ready, readiness: [request.readiness[1]!] }).allowed).toBe(true);
  });

  it("collects every refusal rather than stopping at the first", () => {
    expect(
      codes({
        ...ready,
        plan: { ...ready.plan, version: 1, latestVersion: 3 },
        approver: { userId: "planner-1", roles: ["support_planner"] },
        fit: fitOf(46_000, 45_000, 0, ""),
        readiness: fitOf(46_000, 45_000, 0, "").problems,
      }),
    ).toEqual(["superseded", "own_plan", "not_authorised", "not_ready"]);
  });
});

describe("returning a plan (issue 5: approvers return it with reasons the person can read)", () => {
  const plan = { version: 3, latestVersion: 3, status: "submitted" as const, editorIds: ["planner-1"] };
  const returner = { userId: "tm-1", roles: ["team_manager"] };

  it("rule: a return needs at least one reason", () => {
    expect(
      checkReturn({ plan, reasons: ["The evening support has no cost yet"], returner, authority }).allowed,
    ).toBe(true);
    expect(checkReturn({ plan, reasons: ["  "], returner, authority }).refusals.map((r) => r.code)).toEqual([
      "no_reasons",
    ]);
  });

  it("rule: only the latest submitted version, and only by an approver", () => {
    const codes = (r: ReturnType<typeof checkReturn>) => r.refusals.map((x) => x.code);
    expect(
      codes(checkReturn({ plan: { ...plan, version: 2 }, reasons: ["r"], returner, authority })),
    ).toEqual(["superseded"]);
    expect(
      codes(checkReturn({ plan: { ...plan, status: "draft" }, reasons: ["r"], returner, authority })),
    ).toEqual(["not_submitted"]);
    expect(
      codes(
        checkReturn({ plan, reasons: ["r"], returner: { userId: "x", roles: ["commissioner"] }, authority }),
      ),
    ).toEqual(["not_authorised"]);
  });
});

describe("allocation overrides (issue 5: a change with a reason; above a tenant threshold it needs an approver)", () => {
  const policy: AllocationOverridePolicy = allocationOverridePolicySchema.parse({
    approvalNeededWhenChangeAbovePence: 5_000,
    approvalNeededWhenChangeAbovePercent: 10,
    approverRoles: ["team_manager"],
  });

  it("rule: a small change, with a reason, needs no approver", () => {
    const decision = decideAllocationOverride(
      { fromWeeklyPence: 100_000, toWeeklyPence: 104_000, reason: "Extra evening call" },
      policy,
    );
    expect(decision).toMatchObject({
      changeWeeklyPence: 4_000,
      changeBasisPoints: 400,
      needsApprover: false,
      approverRoles: [],
      problems: [],
    });
  });

  it("rule: a change of more than the threshold in pence needs an approver", () => {
    const decision = decideAllocationOverride(
      { fromWeeklyPence: 100_000, toWeeklyPence: 105_001, reason: "r" },
      policy,
    );
    expect(decision.needsApprover).toBe(true);
    expect(decision.approverRoles).toEqual(["team_manager"]);
    expect(decision.reasons).toEqual([
      "It is an increase of £50.01 a week, more than the £50.00 a member of staff may change alone.",
    ]);
  });

  it("rule: a reduction counts as a change too, by percentage as well as pence", () => {
    const decision = decideAllocationOverride(
      { fromWeeklyPence: 40_000, toWeeklyPence: 35_500, reason: "r" },
      policy,
    );
    expect(decision.changeWeeklyPence).toBe(-4_500);
    expect(decision.reasons).toEqual([
      "It is a reduction of 11.25%, more than the 10% a member of staff may change alone.",
    ]);
  });

  it("refuses a change that changes nothing", () => {
    expect(
      decideAllocationOverride({ fromWeeklyPence: 1, toWeeklyPence: 1, reason: "r" }, policy).problems,
    ).toEqual(["The new allocation is the same as the current one: there is nothing to change."]);
  });

  it("rule: maker-checker — nobody approves an override they asked for", () => {
    const decision = decideAllocationOverride(
      { fromWeeklyPence: 0, toWeeklyPence: 10_000, reason: "r" },
      policy,
    );
    expect(decision.changeBasisPoints).toBeNull();
    expect(
      checkOverrideApproval({
        decision,
        requestedBy: "sw-1",
        approver: { userId: "tm-1", roles: ["team_manager"] },
      }).allowed,
    ).toBe(true);
    expect(
      checkOverrideApproval({
        decision,
        requestedBy: "tm-1",
        approver: { userId: "tm-1", roles: ["team_manager"] },
      }).refusals.map((r) => r.code),
    ).toEqual(["own_request"]);
    expect(
      checkOverrideApproval({
        decision,
        requestedBy: "sw-1",
        approver: { userId: "sw-2", roles: ["social_worker"] },
      }).refusals.map((r) => r.code),
    ).toEqual(["not_authorised"]);
  });
});
