import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { samsPlan } from "#/features/planning/plan.fixture.ts";
import {
  APPROVER_ROLES,
  CLIENT_LEVEL_DATA_DELIVERY_MECHANISM,
  DEPLOYMENTS,
  delegatedAuthoritySchema,
  SCOTTISH_SDS_OPTION,
  supportPlanSchema,
} from "#/features/planning/schemas.ts";
import { STAFF_ROLES } from "#/platform/auth/permissions.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";

/** Upfront issue 5: "Invalid plans (no outcome, a support with no outcome, negative costs …) are refused with clear messages". */

function errorsOf(json: unknown) {
  const parsed = supportPlanSchema.safeParse(json);
  return parsed.success ? [] : fieldErrorsFrom(parsed.error);
}
const messageAt = (json: unknown, path: string) => errorsOf(json).find((e) => e.path === path)?.message;
const withSupport = (i: number, patch: Record<string, unknown>) => {
  const plan = samsPlan();
  const supports = plan.supports!.map((s, j) => (j === i ? { ...s, ...patch } : s));
  return { ...plan, supports };
};

describe("the support plan schema", () => {
  it("accepts a plan with outcomes in the person's words, costed supports, a free one, risks and a contingency", () => {
    expect(errorsOf(samsPlan())).toEqual([]);
  });

  it("accepts the example plan in examples/support-plan.json", () => {
    const json = JSON.parse(
      readFileSync(new URL("../../../examples/support-plan.json", import.meta.url), "utf8"),
    );
    expect(errorsOf(json)).toEqual([]);
  });

  it("rule: a plan needs at least one outcome (issue 5)", () => {
    expect(messageAt(samsPlan({ outcomes: [] }), "outcomes")).toBe(
      "A plan needs at least one outcome, in the person's own words",
    );
  });

  it("rule: each outcome says how we will know it is met (issue 5)", () => {
    const plan = samsPlan();
    plan.outcomes[0] = { ...plan.outcomes[0]!, howWeWillKnow: "  " };
    expect(messageAt(plan, "outcomes[0].howWeWillKnow")).toBe("Write how we will know the outcome is met");
  });

  it("rule: every support serves at least one outcome (issue 5)", () => {
    expect(messageAt(withSupport(0, { outcomeIds: [] }), "supports[0].outcomeIds")).toBe(
      "Say which outcome this support helps to meet: every support must serve an outcome",
    );
  });

  it("rule: a support may serve only outcomes that exist in the plan (issue 5)", () => {
    expect(messageAt(withSupport(1, { outcomeIds: ["cook", "holiday"] }), "supports[1].outcomeIds[1]")).toBe(
      'There is no outcome "holiday" in this plan: choose one of the plan\'s outcomes',
    );
  });

  it("rule: no negative costs (issue 5)", () => {
    const negativeUnit = withSupport(0, {
      cost: { basis: "weekly", unitCostPence: -1650, unit: "hour", unitsPerWeek: 10 },
    });
    expect(messageAt(negativeUnit, "supports[0].cost.unitCostPence")).toBe(
      "The unit cost cannot be negative",
    );
    const negativeUnits = withSupport(0, {
      cost: { basis: "weekly", unitCostPence: 1650, unit: "hour", unitsPerWeek: -2 },
    });
    expect(messageAt(negativeUnits, "supports[0].cost.unitsPerWeek")).toBe(
      "The number of units a week cannot be negative",
    );
    const negativeOneOff = withSupport(2, { cost: { basis: "one_off", amountPence: -1 } });
    expect(messageAt(negativeOneOff, "supports[2].cost.amountPence")).toBe(
      "The one-off cost cannot be negative",
    );
  });

  it("rule: costs are whole pence (house rule: money is integer pence)", () => {
    const fraction = withSupport(2, { cost: { basis: "one_off", amountPence: 89.99 } });
    expect(messageAt(fraction, "supports[2].cost.amountPence")).toMatch(/whole number of pence/);
    const text = withSupport(2, { cost: { basis: "one_off", amountPence: "8999" } });
    expect(messageAt(text, "supports[2].cost.amountPence")).toMatch(/whole number of pence/);
  });

  it("rule: units a week have at most two decimal places and at most 168", () => {
    const third = withSupport(0, {
      cost: { basis: "weekly", unitCostPence: 1650, unit: "hour", unitsPerWeek: 1 / 3 },
    });
    expect(messageAt(third, "supports[0].cost.unitsPerWeek")).toMatch(/at most two decimal places/);
    const tooMany = withSupport(0, {
      cost: { basis: "weekly", unitCostPence: 1650, unit: "hour", unitsPerWeek: 169 },
    });
    expect(messageAt(tooMany, "supports[0].cost.unitsPerWeek")).toMatch(/More than 168 units a week/);
  });

  it("rule: universal and community support is at no cost (issue 5)", () => {
    const charged = withSupport(3, {
      cost: { basis: "one_off", amountPence: 500 },
      deployment: "direct_payment",
    });
    expect(messageAt(charged, "supports[3].cost.basis")).toMatch(/Universal and community support is free/);
  });

  it("rule: a costed line says how its money is deployed; a free line has no deployment (issue 5)", () => {
    expect(messageAt(withSupport(0, { deployment: undefined }), "supports[0].deployment")).toMatch(
      /Say how the money for this support is used/,
    );
    expect(messageAt(withSupport(3, { deployment: "direct_payment" }), "supports[3].deployment")).toMatch(
      /costs nothing/,
    );
  });

  it("rule: an individual service fund is held by a provider from the directory", () => {
    expect(
      messageAt(withSupport(0, { deployment: "individual_service_fund" }), "supports[0].deployment"),
    ).toMatch(/held by a provider/);
    expect(errorsOf(withSupport(1, { deployment: "individual_service_fund" }))).toEqual([]);
  });

  it("refuses two outcomes or supports with the same id, and a support listing an outcome twice", () => {
    const plan = samsPlan();
    plan.outcomes.push({ ...plan.outcomes[0]! });
    expect(messageAt(plan, "outcomes[3].id")).toMatch(/Another outcome already has the id "cook"/);
    expect(messageAt(withSupport(0, { outcomeIds: ["cook", "cook"] }), "supports[0].outcomeIds[1]")).toMatch(
      /listed twice/,
    );
  });

  it("refuses unknown fields and an unknown source kind, naming them", () => {
    expect(messageAt({ ...samsPlan(), budget: 1 }, "budget")).toMatch(/is not a field here/);
    expect(messageAt(withSupport(0, { from: { kind: "friend" } }), "supports[0].from.kind")).toMatch(
      /Say who provides the support/,
    );
  });

  it("a pooled arrangement is shared by at least two people", () => {
    const pooled = withSupport(0, {
      from: { kind: "pooled", arrangement: "Shared evening support", peopleSharing: 1 },
    });
    expect(messageAt(pooled, "supports[0].from.peopleSharing")).toMatch(/at least 2 people/);
  });
});

describe("deployments", () => {
  it("map onto Scotland's self-directed support options 1 to 3 (SDS (Scotland) Act 2013 s4) and Client Level Data", () => {
    expect(DEPLOYMENTS.map((d) => SCOTTISH_SDS_OPTION[d])).toEqual([1, 2, 2, 3]);
    expect(CLIENT_LEVEL_DATA_DELIVERY_MECHANISM.council_managed).toBe("CASSR Managed Personal Budget");
  });
});

describe("the delegated authority schema", () => {
  it("names only real staff roles (every approver role is a StaffRole)", () => {
    for (const role of APPROVER_ROLES) expect(STAFF_ROLES).toContain(role);
  });

  it("refuses thresholds on the first level, which approves everything no higher level is needed for", () => {
    const parsed = delegatedAuthoritySchema.safeParse({
      levels: [
        { id: "sw", label: "Social worker", roles: ["social_worker"], requiredWhen: { weeklyPenceAbove: 1 } },
      ],
    });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(fieldErrorsFrom(parsed.error)[0]?.path).toBe("levels[0].requiredWhen");
  });

  it("refuses an unknown role and a percentage with more than two decimal places", () => {
    const parsed = delegatedAuthoritySchema.safeParse({
      levels: [
        { id: "sw", label: "Social worker", roles: ["social_worker"] },
        {
          id: "tm",
          label: "Team manager",
          roles: ["boss"],
          requiredWhen: { overAllocationPercentAbove: 10.123 },
        },
      ],
    });
    expect(parsed.success).toBe(false);
    if (!parsed.success) {
      expect(fieldErrorsFrom(parsed.error).map((e) => e.path)).toEqual([
        "levels[1].roles[0]",
        "levels[1].requiredWhen.overAllocationPercentAbove",
      ]);
    }
  });
});
