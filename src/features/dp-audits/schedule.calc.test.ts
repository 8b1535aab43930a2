import { describe, expect, it } from "vitest";
import { defaultAuditSettings } from "#/features/dp-audits/findings.calc.ts";
import { auditDue } from "#/features/dp-audits/schedule.calc.ts";
import { englandDpAuditRules as rules } from "#/rules/england/dp-audit-rules.ts";

const settings = defaultAuditSettings(rules);
const due = (first: string | null, last: string | null, asOf: string) =>
  auditDue({ firstPaymentDate: first, lastAuditClosedOn: last }, settings, asOf);

describe("rule: first audit 6–12 weeks after the first payment, then every 12 months (Wigan, Worcestershire; REPORTING.md §3)", () => {
  it("nothing is due before the first payment", () => {
    expect(due(null, null, "2026-12-07")).toBeNull();
  });
  it("the first review opens 6 weeks (42 days) after the first payment and must be done by 12 weeks (84 days)", () => {
    expect(due("2026-10-01", null, "2026-11-11")).toEqual({
      kind: "first_review",
      from: "2026-11-12",
      by: "2026-12-24",
      status: "not_yet",
    });
    expect(due("2026-10-01", null, "2026-11-12")?.status).toBe("due");
    expect(due("2026-10-01", null, "2026-12-24")?.status).toBe("due");
    expect(due("2026-10-01", null, "2026-12-25")?.status).toBe("overdue");
  });
  it("after an audit, the next is due 12 months on by the corresponding date, open from 6 weeks before", () => {
    expect(due("2025-01-01", "2025-03-01", "2026-01-17")).toEqual({
      kind: "annual",
      from: "2026-01-18",
      by: "2026-03-01",
      status: "not_yet",
    });
    expect(due("2023-01-01", "2024-02-29", "2025-02-28")).toMatchObject({ by: "2025-02-28", status: "due" });
    expect(due("2023-01-01", "2024-02-29", "2025-03-01")?.status).toBe("overdue");
  });
  it("an audit closed before the first payment (a replaced budget's) does not count as the first review", () => {
    expect(due("2026-10-01", "2026-09-01", "2026-12-07")?.kind).toBe("first_review");
  });
  it("follows the council's own weeks and months", () => {
    const own = { ...settings, firstReviewFromWeeks: 4, firstReviewByWeeks: 8, thenEveryMonths: 6 };
    const first = auditDue({ firstPaymentDate: "2026-10-01", lastAuditClosedOn: null }, own, "2026-10-29");
    expect(first).toMatchObject({ from: "2026-10-29", by: "2026-11-26", status: "due" });
    const next = auditDue(
      { firstPaymentDate: "2026-01-01", lastAuditClosedOn: "2026-03-31" },
      own,
      "2026-08-01",
    );
    expect(next).toMatchObject({ kind: "annual", by: "2026-09-30" });
  });
});
