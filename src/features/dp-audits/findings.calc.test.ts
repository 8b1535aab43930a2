import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  auditBudget,
  auditQueue,
  type BudgetFacts,
  defaultAuditSettings,
  isFlagged,
  lastEvidenceOn,
  type SpendFact,
} from "#/features/dp-audits/findings.calc.ts";
import { englandDpAuditRules as rules } from "#/rules/england/dp-audit-rules.ts";

const settings = defaultAuditSettings(rules);
const weights = rules.riskWeights;
const AS_OF = "2026-12-07";

const spend = (over: Partial<SpendFact> & { spendId: string }): SpendFact => ({
  transferId: `t-${over.spendId}`,
  date: "2026-11-20",
  amountPence: 5000,
  direction: "out",
  state: "posted",
  payeeName: "Ann Carer",
  mcc: null,
  supportId: "support-1",
  receiptIds: [],
  lastReceiptOn: null,
  ...over,
});

/** A tidy budget: £200 a week, 6 weeks held, one matched spend last week, no invoices. */
const facts = (over: Partial<BudgetFacts> = {}): BudgetFacts => ({
  budgetId: "b1",
  personId: "p1",
  firstPaymentDate: "2026-06-01",
  weeklyDirectPaymentPence: 20000,
  councilBalancePence: 120000,
  spends: [spend({ spendId: "s1", date: "2026-12-01" })],
  planPayeeNames: ["Ann Carer"],
  contributionInvoices: [],
  ...over,
});

const run = (f: BudgetFacts, s = settings) => auditBudget(f, s, weights, AS_OF);
const kinds = (f: BudgetFacts, s = settings) => run(f, s).findings.map((x) => x.kind);

describe("the rule pack's defaults (REPORTING.md §3, §6.7)", () => {
  it("rule: surplus flagged above 8 weeks (St Helens), warned below 4 (Sefton), repayment in 14 days (St Helens)", () => {
    expect(settings).toMatchObject({ surplusAboveWeeks: 8, surplusWarnBelowWeeks: 4, repaymentDays: 14 });
    expect(rules.surplus.source.url).toContain("sthelens.gov.uk");
    expect(rules.repayment.source.url).toContain("sthelens.gov.uk");
  });
  it("rule: first review 6–12 weeks after the first payment, then every 12 months (Wigan, Worcestershire)", () => {
    expect(settings).toMatchObject({ firstReviewFromWeeks: 6, firstReviewByWeeks: 12, thenEveryMonths: 12 });
  });
  it("rule: the blocked merchant list is marked unconfirmed, and cash withdrawals are never in it", () => {
    expect(rules.cards.source.note).toContain("[UNCONFIRMED]");
    expect(settings.blockedMccs.some((m) => settings.cashMccs.includes(m))).toBe(false);
  });
});

describe("a budget with nothing wrong", () => {
  it("has no findings and is not on the queue", () => {
    const audit = run(facts());
    expect(audit.findings).toEqual([]);
    expect(audit.riskScore).toBe(0);
    expect(isFlagged(audit)).toBe(false);
  });
});

describe("rule: surplus above N weeks of the direct payment (St Helens: more than 8 weeks may be reclaimed)", () => {
  it("is flagged only when the balance is more than 8 × the weekly payment, to the penny", () => {
    expect(kinds(facts({ councilBalancePence: 160000 }))).toEqual([]);
    const audit = run(facts({ councilBalancePence: 160001 }));
    expect(audit.findings).toHaveLength(1);
    expect(audit.findings[0]).toMatchObject({
      kind: "surplus_above_limit",
      severity: "flag",
      atStakePence: 1,
    });
    expect(audit.findings[0]!.evidence[0]).toMatchObject({ kind: "balance", amountPence: 160001 });
  });
  it("follows the council's own number of weeks", () => {
    expect(kinds(facts({ councilBalancePence: 120001 }), { ...settings, surplusAboveWeeks: 6 })).toEqual([
      "surplus_above_limit",
    ]);
  });
  it("rule (Sefton 4–8 weeks): below 4 weeks is a warning, which alone puts no budget on the queue", () => {
    const audit = run(facts({ councilBalancePence: 79999 }));
    expect(audit.findings.map((f) => [f.kind, f.severity])).toEqual([["low_balance", "warning"]]);
    expect(isFlagged(audit)).toBe(false);
    expect(kinds(facts({ councilBalancePence: 80000 }))).toEqual([]);
  });
  it("says nothing about a budget with no direct payment", () => {
    expect(kinds(facts({ weeklyDirectPaymentPence: 0, councilBalancePence: 999999 }))).toEqual([]);
  });
});

describe("rule: cash withdrawals without receipts (cash breaks the chain unless evidenced, REPORTING.md §3)", () => {
  const cash = (id: string, receiptIds: string[] = []) =>
    spend({ spendId: id, mcc: "6011", payeeName: "ATM High St", supportId: null, receiptIds });
  it("flags each withdrawal with no receipt, with its spend, transfer, date and amount", () => {
    const audit = run(
      facts({ spends: [cash("c1"), cash("c2", ["r1"]), spend({ spendId: "s1", date: "2026-12-01" })] }),
    );
    expect(audit.findings).toHaveLength(1);
    const f = audit.findings[0]!;
    expect(f).toMatchObject({ kind: "cash_without_receipt", atStakePence: 5000 });
    expect(f.evidence).toEqual([
      expect.objectContaining({
        kind: "spend",
        id: "c1",
        transferId: "t-c1",
        date: "2026-11-20",
        amountPence: 5000,
      }),
    ]);
  });
  it("ignores refunds and voided withdrawals", () => {
    const refund = { ...cash("c3"), direction: "in" as const };
    const voided = { ...cash("c4"), state: "voided" as const };
    expect(kinds(facts({ spends: [refund, voided, spend({ spendId: "s1", date: "2026-12-01" })] }))).toEqual(
      [],
    );
  });
});

describe("rule: card spending in blocked categories (MCC list is a council setting, [UNCONFIRMED] default)", () => {
  it("flags spending at a blocked merchant even with a receipt", () => {
    const pub = spend({ spendId: "x1", mcc: "5813", payeeName: "The Crown", receiptIds: ["r9"] });
    expect(kinds(facts({ spends: [pub, spend({ spendId: "s1", date: "2026-12-01" })] }))).toEqual([
      "blocked_merchant",
    ]);
  });
  it("uses the council's list, not the default", () => {
    const shop = spend({ spendId: "x2", mcc: "5411" });
    expect(kinds(facts({ spends: [shop] }), { ...settings, blockedMccs: ["5411"] })).toEqual([
      "blocked_merchant",
    ]);
    const pub = spend({ spendId: "x3", mcc: "5813", date: "2026-12-01" });
    expect(kinds(facts({ spends: [pub] }), { ...settings, blockedMccs: [] })).toEqual([]);
  });
});

describe("rule: payees not in the plan (St Helens: spending not in the support plan may be reclaimed)", () => {
  it("flags money paid to a payee no plan line names and spending's matching tied to no line", () => {
    const odd = spend({ spendId: "o1", payeeName: "Bob's Garage", supportId: null, amountPence: 12000 });
    const audit = run(facts({ spends: [odd, spend({ spendId: "s1", date: "2026-12-01" })] }));
    expect(audit.findings.map((f) => [f.kind, f.atStakePence])).toEqual([["payee_not_in_plan", 12000]]);
    expect(audit.findings[0]!.evidence[0]).toMatchObject({ id: "o1", transferId: "t-o1" });
  });
  it("does not flag a payee the plan names, however the name is spaced or cased", () => {
    const named = spend({ spendId: "o2", payeeName: "  ann   CARER ", supportId: null });
    expect(kinds(facts({ spends: [named, spend({ spendId: "s1", date: "2026-12-01" })] }))).toEqual([]);
  });
});

describe("rule: contribution not paid in (Wigan asks for proof the client contribution is paid)", () => {
  const invoice = (id: string, raisedOn: string, paid: boolean) => ({
    invoiceId: id,
    raisedOn,
    cycleStart: "2026-10-01",
    cycleEnd: "2026-10-28",
    amountPence: 3000,
    paid,
  });
  it("flags invoices unpaid more than N days after they were raised, not before", () => {
    const audit = run(
      facts({
        contributionInvoices: [
          invoice("i1", "2026-11-08", false), // 29 days
          invoice("i2", "2026-11-09", false), // 28 days: not yet
          invoice("i3", "2026-10-01", true),
        ],
      }),
    );
    expect(audit.findings).toHaveLength(1);
    expect(audit.findings[0]).toMatchObject({ kind: "contribution_not_paid", atStakePence: 3000 });
    expect(audit.findings[0]!.evidence.map((e) => e.id)).toEqual(["i1"]);
  });
});

describe("rule: no spending evidence for N weeks (Sefton: quarterly returns; Upfront keeps no statements)", () => {
  it("flags a budget paid 13 weeks or more with nothing recorded since", () => {
    expect(kinds(facts({ spends: [] }))).toEqual(["no_spending_evidence"]);
    expect(kinds(facts({ spends: [], firstPaymentDate: "2026-09-07" }))).toEqual(["no_spending_evidence"]);
    expect(kinds(facts({ spends: [], firstPaymentDate: "2026-09-08" }))).toEqual([]);
  });
  it("counts a receipt uploaded as evidence, as well as a spend", () => {
    const old = spend({ spendId: "s0", date: "2026-08-01" });
    expect(kinds(facts({ spends: [old] }))).toEqual(["no_spending_evidence"]);
    expect(kinds(facts({ spends: [{ ...old, lastReceiptOn: "2026-11-30" }] }))).toEqual([]);
    expect(lastEvidenceOn([{ ...old, lastReceiptOn: "2026-11-30" }])).toBe("2026-11-30");
  });
  it("says nothing before the first payment", () => {
    expect(kinds(facts({ spends: [], firstPaymentDate: null }))).toEqual([]);
  });
});

describe("risk and the queue", () => {
  it("rule: the risk score is the sum of the rule pack's weights for the findings", () => {
    const pub = spend({ spendId: "x1", mcc: "5813", payeeName: "The Crown" });
    const cash = spend({ spendId: "c1", mcc: "6011", supportId: null });
    const audit = run(facts({ spends: [pub, cash], councilBalancePence: 200000 }));
    expect(audit.findings.map((f) => f.kind)).toEqual([
      "blocked_merchant",
      "cash_without_receipt",
      "surplus_above_limit",
    ]);
    expect(audit.riskScore).toBe(
      weights.blocked_merchant + weights.cash_without_receipt + weights.surplus_above_limit,
    );
  });
  it("orders by risk, then money at stake, then budget id; leaves out budgets with nothing flagged", () => {
    const a = run(facts({ budgetId: "a", councilBalancePence: 170000 })); // surplus £100 above
    const b = run(facts({ budgetId: "b", councilBalancePence: 180000 })); // surplus £200 above
    const c = run(
      facts({ budgetId: "c", spends: [spend({ spendId: "x", mcc: "7995", date: "2026-12-01" })] }),
    );
    const d = run(facts({ budgetId: "d" }));
    expect(auditQueue([a, d, b, c]).map((x) => x.budgetId)).toEqual(["c", "b", "a"]);
  });
  it("property: the queue holds exactly the flagged budgets, in non-increasing risk, whatever order they came in", () => {
    const arbitraryFacts = fc.record({
      budgetId: fc.uuid(),
      balance: fc.integer({ min: 0, max: 500000 }),
      mcc: fc.constantFrom(null, "5813", "6011", "5411"),
      supported: fc.boolean(),
      receipt: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(arbitraryFacts, { maxLength: 12 }), (rows) => {
        const audits = rows.map((r) =>
          run(
            facts({
              budgetId: r.budgetId,
              councilBalancePence: r.balance,
              spends: [
                spend({
                  spendId: "s",
                  date: "2026-12-01",
                  mcc: r.mcc,
                  supportId: r.supported ? "support-1" : null,
                  payeeName: "Someone",
                  receiptIds: r.receipt ? ["r"] : [],
                }),
              ],
            }),
          ),
        );
        const queue = auditQueue(audits);
        expect(queue.length).toBe(audits.filter(isFlagged).length);
        for (let i = 1; i < queue.length; i++) {
          expect(queue[i - 1]!.riskScore).toBeGreaterThanOrEqual(queue[i]!.riskScore);
        }
        expect(auditQueue([...audits].reverse()).map((x) => x.budgetId)).toEqual(
          queue.map((x) => x.budgetId),
        );
      }),
    );
  });
});
