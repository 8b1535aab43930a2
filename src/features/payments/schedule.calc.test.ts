import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "#/features/payments/pay-dates.calc.ts";
import {
  paymentKey,
  paymentSchedule,
  reconcilePayments,
  type Schedule,
  ScheduleError,
  type ScheduleInput,
} from "#/features/payments/schedule.calc.ts";
import { pence } from "#/platform/money/pence.ts";
import { weeklyToAnnual } from "#/platform/money/periods.ts";
import { englandPaymentRules as rules } from "#/rules/england/payment-rules.ts";

const base: ScheduleInput = {
  budgetId: "budget-1",
  startDate: "2026-04-06",
  approvedOn: "2026-04-01",
  anchorDate: "2026-04-06",
  frequency: "four_weekly",
  lines: [
    { payeeAccountId: "dp-ann", fundingStreamId: "asc", deployment: "direct_payment", weekly: pence(10000) },
  ],
  through: "2026-06-28",
};

const amounts = (s: Schedule, payee = "dp-ann") =>
  s.cycles.map((c) => c.payments.find((p) => p.payeeAccountId === payee)?.amount ?? 0);
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe("cycles (council policy default: 4-weekly, paid in advance; rules/england/payment-rules.ts)", () => {
  it("a budget starting on the anchor is paid weekly × 4 on the first day of each 28-day cycle", () => {
    const s = paymentSchedule(base, rules);
    expect(s.cycles.map((c) => [c.start, c.end, c.dueDate])).toEqual([
      ["2026-04-06", "2026-05-03", "2026-04-06"],
      ["2026-05-04", "2026-05-31", "2026-05-04"],
      ["2026-06-01", "2026-06-28", "2026-06-01"],
    ]);
    expect(amounts(s)).toEqual([40000, 40000, 40000]);
  });

  it("weekly and monthly cycles (a monthly anchor on the 31st falls on the last day of shorter months)", () => {
    const weekly = paymentSchedule({ ...base, frequency: "weekly", through: "2026-04-19" }, rules);
    expect(weekly.cycles.map((c) => c.start)).toEqual(["2026-04-06", "2026-04-13"]);
    expect(amounts(weekly)).toEqual([10000, 10000]);

    const monthly = paymentSchedule(
      {
        ...base,
        frequency: "monthly",
        anchorDate: "2026-01-31",
        startDate: "2026-01-31",
        through: "2026-04-30",
      },
      rules,
    );
    expect(monthly.cycles.map((c) => [c.start, c.end])).toEqual([
      ["2026-01-31", "2026-02-27"],
      ["2026-02-28", "2026-03-30"],
      ["2026-03-31", "2026-04-29"],
      ["2026-04-30", "2026-05-30"],
    ]);
    // A month is weekly × 52 / 12 = 43333.33…; running totals 43333.33, 86666.67, 130000, 173333.33 round to
    // 43333, 86667, 130000, 173333, so the months are paid 43333, 43334, 43333, 43333 (remainder carried).
    expect(amounts(monthly)).toEqual([43333, 43334, 43333, 43333]);
  });

  it("an anchor after the start still gives the cycle containing the start (cycles repeat backwards)", () => {
    const s = paymentSchedule({ ...base, anchorDate: "2026-05-04", through: "2026-05-04" }, rules);
    expect(s.cycles.map((c) => c.start)).toEqual(["2026-04-06", "2026-05-04"]);
  });

  it("in arrears when the rules say so: due on the last day covered", () => {
    const s = paymentSchedule(base, { ...rules, paidInAdvance: false });
    expect(s.cycles[0]!.dueDate).toBe("2026-05-03");
  });
});

describe("prorating part cycles, to the penny with the remainder carried", () => {
  it("a start part-way through a cycle pays weekly × days / 7 for the days covered", () => {
    // Cycle 6 April – 3 May; the budget starts on 16 April: 18 days. 10001 × 18 / 7 = 25716.86 → 25717.
    const s = paymentSchedule(
      { ...base, startDate: "2026-04-16", lines: [{ ...base.lines[0]!, weekly: pence(10001) }] },
      rules,
    );
    expect(s.cycles[0]).toMatchObject({
      coveredFrom: "2026-04-16",
      daysCovered: 18,
      daysInCycle: 28,
      dueDate: "2026-04-16",
    });
    // Then: round(10001 × 46 / 7) − 25717 = 65721 − 25717 = 40004 (weekly × 4: full cycles are exact).
    expect(amounts(s)).toEqual([25717, 40004, 40004]);
  });

  it("an end date (end of support, death) pays the last cycle to that day only, and nothing after", () => {
    // Ends 10 May: the second cycle covers 4–10 May, 7 days = one week.
    const s = paymentSchedule({ ...base, endDate: "2026-05-10", through: "2027-01-01" }, rules);
    expect(s.cycles.map((c) => [c.start, c.coveredTo, c.daysCovered])).toEqual([
      ["2026-04-06", "2026-05-03", 28],
      ["2026-05-04", "2026-05-10", 7],
    ]);
    expect(amounts(s)).toEqual([40000, 10000]);
  });

  it("a year (52 weeks) of a weekly or 4-weekly budget adds up to exactly the annual amount, weekly × 52 (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: -400, max: 400 }),
        fc.integer({ min: 0, max: 800 }),
        fc.constantFrom("weekly" as const, "four_weekly" as const),
        (weekly, anchorOffset, startOffset, frequency) => {
          const startDate = addDays("2025-01-01", startOffset);
          const s = paymentSchedule(
            {
              ...base,
              frequency,
              startDate,
              approvedOn: startDate,
              anchorDate: addDays(startDate, anchorOffset),
              endDate: addDays(startDate, 363),
              through: addDays(startDate, 400),
              lines: [{ ...base.lines[0]!, weekly: pence(weekly) }],
            },
            rules,
          );
          expect(sum(amounts(s))).toBe(weeklyToAnnual(pence(weekly)));
          expect(sum(s.cycles.map((c) => c.daysCovered))).toBe(364);
          // Each cycle is within a penny of its exact share (weekly × days / 7).
          for (const c of s.cycles) {
            const amount = c.payments[0]?.amount ?? 0;
            expect(Math.abs(amount * 7 - weekly * c.daysCovered)).toBeLessThan(7);
          }
        },
      ),
    );
  });

  it("twelve whole monthly cycles add up to weekly × 52 (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 1500 }),
        (weekly, offset) => {
          const startDate = addDays("2024-01-01", offset);
          const s = paymentSchedule(
            {
              ...base,
              frequency: "monthly",
              startDate,
              approvedOn: startDate,
              anchorDate: startDate,
              through: addDays(startDate, 400),
              lines: [{ ...base.lines[0]!, weekly: pence(weekly) }],
            },
            rules,
          );
          expect(sum(amounts(s).slice(0, 12))).toBe(weekly * 52);
        },
      ),
    );
  });
});

describe("the person's contribution: netted from the direct payment, or invoiced each cycle", () => {
  const twoPayees: ScheduleInput = {
    ...base,
    through: "2026-04-06",
    lines: [
      {
        payeeAccountId: "dp-ann",
        fundingStreamId: "asc",
        deployment: "direct_payment",
        weekly: pence(30000),
      },
      {
        payeeAccountId: "isf-acme",
        fundingStreamId: "asc",
        deployment: "individual_service_fund",
        weekly: pence(20000),
      },
    ],
  };

  it("netted: the direct payment is paid less the contribution; the provider's fund is paid gross", () => {
    const s = paymentSchedule(
      { ...twoPayees, contribution: { weekly: pence(5000), collection: "net_from_direct_payment" } },
      rules,
    );
    const [dp, isf] = s.cycles[0]!.payments;
    expect(dp).toMatchObject({ payeeAccountId: "dp-ann", amount: 100000 });
    expect(dp!.parts).toEqual([
      { kind: "regular", fundingStreamId: "asc", deployment: "direct_payment", amount: 120000 },
      { kind: "contribution_netted", amount: -20000 },
    ]);
    expect(isf).toMatchObject({ payeeAccountId: "isf-acme", amount: 80000 });
    expect(s.cycles[0]!.contribution).toEqual({ due: 20000, netted: 20000, invoiced: 0 });
  });

  it("invoiced: payments are gross and the cycle's contribution is invoiced", () => {
    const s = paymentSchedule(
      { ...twoPayees, contribution: { weekly: pence(5000), collection: "invoice" } },
      rules,
    );
    expect(amounts(s)).toEqual([120000]);
    expect(s.cycles[0]!.contribution).toEqual({ due: 20000, netted: 0, invoiced: 20000 });
  });

  it("netting never takes a payment below zero: the rest is invoiced, and the 0 payment is still listed", () => {
    const s = paymentSchedule(
      {
        ...twoPayees,
        lines: [{ ...twoPayees.lines[0]!, weekly: pence(3000) }],
        contribution: { weekly: pence(5000), collection: "net_from_direct_payment" },
      },
      rules,
    );
    expect(s.cycles[0]!.payments[0]).toMatchObject({ amount: 0 });
    expect(s.cycles[0]!.contribution).toEqual({ due: 20000, netted: 12000, invoiced: 8000 });
  });

  it("over a year the contribution due (netted + invoiced) is weekly × 52 (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 27 }),
        (dpWeekly, contribution, startOffset) => {
          const startDate = addDays(base.startDate, startOffset);
          const s = paymentSchedule(
            {
              ...base,
              startDate,
              endDate: addDays(startDate, 363),
              through: "2028-01-01",
              lines: [{ ...base.lines[0]!, weekly: pence(dpWeekly) }],
              contribution: { weekly: pence(contribution), collection: "net_from_direct_payment" },
            },
            rules,
          );
          const due = sum(s.cycles.map((c) => c.contribution.due));
          expect(due).toBe(contribution * 52);
          for (const c of s.cycles)
            expect(c.contribution.netted + c.contribution.invoiced).toBe(c.contribution.due);
          expect(sum(amounts(s)) + sum(s.cycles.map((c) => c.contribution.netted))).toBe(dpWeekly * 52);
        },
      ),
    );
  });
});

describe("one-off costs: paid once, in the first cycle due on or after approval", () => {
  it("a plan approved on 20 April has its one-off paid in the cycle from 4 May", () => {
    const s = paymentSchedule(
      {
        ...base,
        approvedOn: "2026-04-20",
        oneOffs: [
          {
            payeeAccountId: "dp-ann",
            fundingStreamId: "dfg",
            deployment: "direct_payment",
            amount: pence(45000),
            description: "Shower seat",
          },
        ],
      },
      rules,
    );
    expect(amounts(s)).toEqual([40000, 85000, 40000]);
    expect(s.cycles[1]!.payments[0]!.parts[1]).toEqual({
      kind: "one_off",
      fundingStreamId: "dfg",
      deployment: "direct_payment",
      amount: 45000,
      description: "Shower seat",
    });
  });

  it("a one-off to a payee with no regular payment makes its own payment", () => {
    const s = paymentSchedule(
      {
        ...base,
        oneOffs: [
          {
            payeeAccountId: "provider-x",
            fundingStreamId: "asc",
            deployment: "council_arranged",
            amount: pence(1200),
            description: "Set-up",
          },
        ],
      },
      rules,
    );
    expect(s.cycles[0]!.payments.map((p) => [p.payeeAccountId, p.amount])).toEqual([
      ["dp-ann", 40000],
      ["provider-x", 1200],
    ]);
    expect(amounts(s, "provider-x")).toEqual([1200, 0, 0]);
  });
});

describe("exactly-once keys: one per (budget, cycle, payee account)", () => {
  it("are deterministic and distinct", () => {
    const a = paymentSchedule(base, rules);
    const b = paymentSchedule(base, rules);
    const keys = a.cycles.flatMap((c) => c.payments.map((p) => p.key));
    expect(keys).toEqual(b.cycles.flatMap((c) => c.payments.map((p) => p.key)));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys[0]).toBe(paymentKey("budget-1", "2026-04-06", "dp-ann"));
  });
});

describe("money paid for periods after an end date is owed back", () => {
  it("death on 10 May: the cycle from 4 May was paid in full (4 weeks) but only 1 week was due; June was not due at all", () => {
    const before = paymentSchedule(base, rules);
    const paid = before.cycles.map((c) => ({ key: c.payments[0]!.key, amount: c.payments[0]!.amount }));
    const after = paymentSchedule({ ...base, endDate: "2026-05-10" }, rules);
    expect(reconcilePayments(after, paid)).toEqual([
      { key: paid[0]!.key, paid: 40000, due: 40000, owedBack: 0, owedToPayee: 0 },
      { key: paid[1]!.key, paid: 40000, due: 10000, owedBack: 30000, owedToPayee: 0 },
      { key: paid[2]!.key, paid: 40000, due: 0, owedBack: 40000, owedToPayee: 0 },
    ]);
  });
});

describe("refusals: every problem at once, saying what to fix", () => {
  const refuse = (input: ScheduleInput) => {
    try {
      paymentSchedule(input, rules);
    } catch (error) {
      expect(error).toBeInstanceOf(ScheduleError);
      return (error as ScheduleError).problems;
    }
    throw new Error("expected a refusal");
  };

  it("dates that are not real", () => {
    expect(refuse({ ...base, startDate: "2026-02-30", through: "soon" }).map((p) => p.field)).toEqual([
      "startDate",
      "through",
    ]);
  });

  it("an end before the start, an unknown frequency, negative or fractional amounts, a one-off of nothing, too long a schedule", () => {
    const problems = refuse({
      ...base,
      endDate: "2026-04-01",
      frequency: "fortnightly" as never,
      lines: [
        { ...base.lines[0]!, weekly: -1 as never },
        { ...base.lines[0]!, weekly: 1.5 as never },
      ],
      oneOffs: [
        {
          payeeAccountId: "x",
          fundingStreamId: "asc",
          deployment: "direct_payment",
          amount: pence(0),
          description: "Chair",
        },
      ],
      contribution: { weekly: -5 as never, collection: "invoice" },
      through: "2040-01-01",
    });
    expect(problems.map((p) => p.field)).toEqual([
      "frequency",
      "endDate",
      "through",
      "lines.0.weekly",
      "lines.1.weekly",
      "oneOffs.0.amount",
      "contribution.weekly",
    ]);
    expect(problems[5]!.message).toContain("One-off cost 1 (Chair)");
  });
});
