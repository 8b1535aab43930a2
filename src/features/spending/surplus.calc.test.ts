import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  proposeSurplusRecovery,
  type SurplusInput,
  surplusLimitOn,
} from "#/features/spending/surplus.calc.ts";
import { pence } from "#/platform/money/pence.ts";
import { englandSpendingRules as rules } from "#/rules/england/spending-rules.ts";

const eightWeeks = surplusLimitOn([], "2025-04-01", rules);
const input = (over: Partial<SurplusInput> = {}): SurplusInput => ({
  weeklyBudgetPence: pence(20000),
  limit: eightWeeks,
  balancePence: pence(200000),
  topUpPence: pence(0),
  committedPence: pence(0),
  ...over,
});

describe("surplus limit: the council's dated setting, else the council policy default (8 weeks)", () => {
  it("uses the default when the council has set none", () => {
    expect(eightWeeks).toEqual({ weeks: 8, source: rules.surplus.source.title, councilSet: false });
  });

  it("uses the setting in force on the date: never one that starts later", () => {
    const settings = [
      { validFrom: "2024-04-01", weeks: 6, source: "Direct payments policy 2024" },
      { validFrom: "2025-04-01", weeks: 4, source: "Direct payments policy 2025" },
    ];
    expect(surplusLimitOn(settings, "2025-03-31", rules)).toMatchObject({ weeks: 6, councilSet: true });
    expect(surplusLimitOn(settings, "2025-04-01", rules)).toMatchObject({
      weeks: 4,
      source: "Direct payments policy 2025",
    });
    expect(surplusLimitOn(settings, "2024-01-01", rules)).toMatchObject({ weeks: 8, councilSet: false });
  });
});

describe("surplus recovery (issue 6: proposed for a finance officer to approve, never automatic; the person is told why)", () => {
  it("proposes recovering what is above 8 weeks' worth, and says why in plain English", () => {
    const p = proposeSurplusRecovery(
      input({ balancePence: pence(210000), topUpPence: pence(5000), committedPence: pence(15000) }),
    );
    // £2,100 held − £50 own money − £150 promised = £1,900; 8 × £200 = £1,600; £300 above.
    expect(p).toMatchObject({
      outcome: "recovery_proposed",
      recoveryPence: 30000,
      limitPence: 160000,
      uncommittedPence: 190000,
      needsApproval: true,
    });
    expect(p.explanation).toEqual([
      "Your budget account holds £2,100.00.",
      "£50.00 of that is your own money that you added. It is yours and is never counted here.",
      "£150.00 is already promised to pay for your support (bills not yet paid and card payments still going through).",
      "That leaves £1,900.00 of council money not yet spent or promised.",
      "The council lets a budget keep up to 8 weeks of its weekly amount: 8 × £200.00 = £1,600.00.",
      "That is £300.00 more, so the council proposes to take back £300.00.",
      "A finance officer must agree it first: nothing is taken automatically.",
      "If you have plans for this money (a holiday, equipment, saving for support you need), tell the council before then.",
    ]);
  });

  it("proposes nothing at or below the limit, or below the council's minimum", () => {
    expect(proposeSurplusRecovery(input({ balancePence: pence(160000) }))).toMatchObject({
      outcome: "no_surplus",
      recoveryPence: 0,
    });
    expect(
      proposeSurplusRecovery(input({ balancePence: pence(160500), minimumRecoveryPence: pence(1000) })),
    ).toMatchObject({ outcome: "below_minimum", recoveryPence: 0 });
  });

  it("never counts top-ups as council money (issue 6: top-ups are the person's own money)", () => {
    const without = proposeSurplusRecovery(input({ balancePence: pence(150000) }));
    const withTopUp = proposeSurplusRecovery(
      input({ balancePence: pence(250000), topUpPence: pence(100000) }),
    );
    expect(without.recoveryPence).toBe(0);
    expect(withTopUp.recoveryPence).toBe(0);
  });

  it("refuses top-ups larger than the balance: the ledger keeps them apart", () => {
    expect(() => proposeSurplusRecovery(input({ balancePence: pence(100), topUpPence: pence(200) }))).toThrow(
      RangeError,
    );
  });

  const arb = fc.record({
    weekly: fc.integer({ min: 0, max: 500_000 }),
    weeks: fc.integer({ min: 0, max: 52 }),
    council: fc.integer({ min: -1_000_000, max: 20_000_000 }),
    topUp: fc.integer({ min: 0, max: 1_000_000 }),
    committed: fc.integer({ min: 0, max: 2_000_000 }),
  });
  type Case = { weekly: number; weeks: number; council: number; topUp: number; committed: number };
  const build = (a: Case, extraTopUp = 0) => {
    const council = Math.max(0, a.council);
    return input({
      weeklyBudgetPence: pence(a.weekly),
      limit: { weeks: a.weeks, source: "test", councilSet: true },
      balancePence: pence(council + a.topUp + extraTopUp),
      topUpPence: pence(a.topUp + extraTopUp),
      committedPence: pence(a.committed),
    });
  };

  it("recovers exactly what is above the limit, never more than the uncommitted council money, never negative (property)", () => {
    fc.assert(
      fc.property(arb, (a) => {
        const i = build(a);
        const p = proposeSurplusRecovery(i);
        const uncommitted = i.balancePence - i.topUpPence - i.committedPence;
        expect(p.recoveryPence).toBeGreaterThanOrEqual(0);
        expect(p.recoveryPence).toBeLessThanOrEqual(Math.max(0, uncommitted));
        if (p.outcome === "recovery_proposed") expect(uncommitted - p.recoveryPence).toBe(a.weekly * a.weeks);
        else expect(p.recoveryPence).toBe(0);
        expect(p.needsApproval).toBe(true);
      }),
    );
  });

  it("gives the same proposal whatever the person adds of their own money (property)", () => {
    fc.assert(
      fc.property(arb, fc.integer({ min: 1, max: 5_000_000 }), (a, more) => {
        const before = proposeSurplusRecovery(build(a));
        const after = proposeSurplusRecovery(build(a, more));
        expect(after.recoveryPence).toBe(before.recoveryPence);
        expect(after.outcome).toBe(before.outcome);
      }),
    );
  });
});
