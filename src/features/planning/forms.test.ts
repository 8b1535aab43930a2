import { describe, expect, it } from "vitest";
import {
  nextId,
  parseDateInput,
  parseOutcome,
  parseOverride,
  parseOverrideDecision,
  parsePounds,
  parseReturnReasons,
  parseRisk,
  parseSupport,
  type SupportFormContext,
  supportValues,
} from "#/features/planning/forms.ts";

/** The plan editor's forms: what a person types becomes the plan's shape (pence, ids), or what to fix. */

const outcomes = [{ id: "o1", inTheirWords: "Get to the allotment", howWeWillKnow: "I go twice a week" }];
const context: SupportFormContext = {
  outcomes,
  categories: ["personal_care", "community_access"],
  providerName: (id) => (id === "p-1" ? "Sunrise Care" : undefined),
};
const weeklyProvider = {
  what: "Help to get up",
  category: "personal_care",
  sourceKind: "provider",
  providerId: "p-1",
  costBasis: "weekly",
  unitCost: "£18.50",
  unit: "hour",
  unitsPerWeek: "10.5",
  deployment: "direct_payment",
  outcomeIds: "o1",
};
const fields = (r: { ok: boolean; errors?: { path: string }[] }) =>
  r.ok ? [] : r.errors!.map((e) => e.path);

describe("money typed in pounds is kept in whole pence (house rule: never floats)", () => {
  it("reads pounds with or without the sign, commas and pennies", () => {
    expect(parsePounds("£1,234.5", "x")).toEqual({ ok: true, pence: 123450 });
    expect(parsePounds("18", "x")).toEqual({ ok: true, pence: 1800 });
    expect(parsePounds("0.07", "x")).toEqual({ ok: true, pence: 7 });
  });
  it("refuses negative amounts, three decimal places and words, saying what to type", () => {
    expect(parsePounds("-5", "the cost")).toEqual({ ok: false, message: "The cost cannot be negative" });
    expect(parsePounds("1.005", "the cost").ok).toBe(false);
    expect(parsePounds("ten", "the cost")).toEqual({
      ok: false,
      message: "Enter the cost in pounds, like 18.50",
    });
  });
});

describe("outcomes and risks", () => {
  it("keeps the person's own words and refuses an empty outcome, naming the box", () => {
    expect(parseOutcome({ inTheirWords: " See my grandson ", howWeWillKnow: "Every Sunday" }, "o2")).toEqual({
      ok: true,
      value: { id: "o2", inTheirWords: "See my grandson", howWeWillKnow: "Every Sunday" },
    });
    expect(fields(parseOutcome({ inTheirWords: "", howWeWillKnow: "" }, "o2"))).toEqual([
      "inTheirWords",
      "howWeWillKnow",
    ]);
  });
  it("a risk needs what it is and how it is handled; who manages it is optional", () => {
    expect(parseRisk({ description: "Falls", howHandled: "Pendant alarm" }, "r1")).toEqual({
      ok: true,
      value: { id: "r1", description: "Falls", howHandled: "Pendant alarm" },
    });
    expect(fields(parseRisk({ description: "Falls" }, "r1"))).toEqual(["howHandled"]);
  });
  it("gives each new item the next free id", () => {
    expect(nextId("o", [])).toBe("o1");
    expect(nextId("s", [{ id: "s2" }, { id: "s1" }])).toBe("s3");
    expect(nextId("r", [{ id: "r2" }])).toBe("r3");
  });
});

describe("a support line (issue 5: unit cost × units a week, or one-off; from whom; deployment; outcomes served)", () => {
  it("reads a weekly provider line into pence and hundredths, with the directory's name for the provider", () => {
    const parsed = parseSupport(weeklyProvider, "s1", context);
    expect(parsed).toEqual({
      ok: true,
      value: {
        id: "s1",
        what: "Help to get up",
        category: "personal_care",
        from: { kind: "provider", providerId: "p-1", name: "Sunrise Care" },
        cost: { basis: "weekly", unitCostPence: 1850, unit: "hour", unitsPerWeek: 10.5 },
        deployment: "direct_payment",
        outcomeIds: ["o1"],
      },
    });
    // And back to the form to change it.
    if (parsed.ok)
      expect(supportValues(parsed.value)).toMatchObject({ unitCost: "18.50", unitsPerWeek: "10.5" });
  });
  it("refuses a support that serves no outcome (issue 5: every support meets an outcome)", () => {
    expect(fields(parseSupport({ ...weeklyProvider, outcomeIds: [] }, "s1", context))).toEqual([
      "outcomeIds",
    ]);
    expect(fields(parseSupport(weeklyProvider, "s1", { ...context, outcomes: [] }))).toContain("what");
  });
  it("refuses negative and non-numeric costs (issue 5: negative costs refused)", () => {
    const parsed = parseSupport({ ...weeklyProvider, unitCost: "-3", unitsPerWeek: "lots" }, "s1", context);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors).toContainEqual({
        path: "unitCost",
        message: "The cost of one unit cannot be negative",
      });
      expect(fields(parsed)).toContain("unitsPerWeek");
    }
  });
  it("a provider must be in the council's directory", () => {
    expect(fields(parseSupport({ ...weeklyProvider, providerId: "nobody" }, "s1", context))).toEqual([
      "providerId",
    ]);
  });
  it("a paid line needs a deployment; free universal support has none and may not cost anything", () => {
    expect(fields(parseSupport({ ...weeklyProvider, deployment: "" }, "s1", context))).toEqual([
      "deployment",
    ]);
    const universal = {
      what: "Lunch club",
      category: "community_access",
      sourceKind: "universal",
      universalName: "St Mary's lunch club",
      costBasis: "none",
      outcomeIds: ["o1"],
    };
    expect(parseSupport(universal, "s2", context).ok).toBe(true);
    const paid = parseSupport(
      { ...universal, costBasis: "one_off", oneOffAmount: "20", deployment: "direct_payment" },
      "s2",
      context,
    );
    expect(paid.ok).toBe(false);
    if (!paid.ok) expect(paid.errors[0]!.message).toMatch(/Universal and community support is free/);
  });
  it("an individual service fund is held by a provider (schemas.ts rule), shown against the deployment", () => {
    const pa = {
      ...weeklyProvider,
      sourceKind: "personal_assistant",
      paName: "Jo",
      deployment: "individual_service_fund",
    };
    const parsed = parseSupport(pa, "s1", context);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.map((e) => e.path)).toEqual(["deployment"]);
  });
  it("asks for every missing choice at once", () => {
    expect(fields(parseSupport({ outcomeIds: "o1" }, "s1", context))).toEqual(
      expect.arrayContaining(["category", "sourceKind", "costBasis", "what"]),
    );
  });
});

describe("decisions", () => {
  it("an approval start date must be a real date", () => {
    expect(
      parseDateInput(
        { "start-day": "1", "start-month": "4", "start-year": "2027" },
        "start",
        "the start date",
      ),
    ).toEqual({
      ok: true,
      value: "2027-04-01",
    });
    expect(
      parseDateInput(
        { "start-day": "31", "start-month": "2", "start-year": "2027" },
        "start",
        "the start date",
      ).ok,
    ).toBe(false);
    expect(fields(parseDateInput({}, "start", "the start date"))).toEqual(["start"]);
  });
  it("return reasons are paragraphs, at least one (approval.calc.ts checkReturn)", () => {
    expect(parseReturnReasons({ reasons: "Add a contingency plan.\r\n\r\nCheck the hours." })).toEqual({
      ok: true,
      value: ["Add a contingency plan.", "Check the hours."],
    });
    expect(parseReturnReasons({ reasons: "  " }).ok).toBe(false);
  });
  it("an allocation override needs a new figure in pounds and a reason (issue 5)", () => {
    expect(parseOverride({ newWeekly: "250", reason: "Needs two carers" })).toEqual({
      ok: true,
      value: { toWeeklyPence: 25000, reason: "Needs two carers" },
    });
    expect(fields(parseOverride({ newWeekly: "", reason: "" }))).toEqual(["newWeekly", "reason"]);
  });
  it("refusing an override needs a note", () => {
    expect(fields(parseOverrideDecision({ decision: "refuse" }))).toEqual(["note"]);
    expect(parseOverrideDecision({ decision: "approve" })).toEqual({
      ok: true,
      value: { approve: true, note: "" },
    });
  });
});
