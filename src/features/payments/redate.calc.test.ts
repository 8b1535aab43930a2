import { describe, expect, it } from "vitest";
import { earliestPayDate } from "#/features/payments/pay-dates.calc.ts";
import { newPayDateProblem, redateOffer } from "#/features/payments/redate.calc.ts";

/**
 * redate.calc.ts: a run's Bacs file is too late once today is after the processing day of its pay date, and the
 * new date offered is the earliest a file sent today can meet (the same lead-time rule as prepare).
 */
const base = { whenNotBankingDay: "before", region: "england-and-wales" } as const;

describe("a later pay date for a run whose Bacs file was not sent in time", () => {
  it("the file is not late up to the processing day of its pay date (Mon 12 Jan 2026: input Thu 8, processing Fri 9)", () => {
    expect(redateOffer({ ...base, filePayDate: "2026-01-12", today: "2026-01-08" })).toEqual({
      late: false,
      mustReachBacsBy: "2026-01-08",
    });
    expect(redateOffer({ ...base, filePayDate: "2026-01-12", today: "2026-01-09" }).late).toBe(false);
  });

  it("after the processing day it is late and offers earliestPayDate(today): on Mon 12 Jan, Wed 14 Jan", () => {
    const offer = redateOffer({ ...base, filePayDate: "2026-01-12", today: "2026-01-12" });
    expect(offer).toEqual({ late: true, mustReachBacsBy: "2026-01-08", earliest: "2026-01-14" });
  });

  it("over Christmas the offer skips the bank holidays and is always after the old date and a banking day", () => {
    const offer = redateOffer({ ...base, filePayDate: "2026-12-24", today: "2026-12-24" });
    expect(offer).toMatchObject({ late: true, earliest: earliestPayDate("2026-12-24", "england-and-wales") });
    expect(offer.late && offer.earliest).toBe("2026-12-30");
    for (let d = 1; d <= 28; d++) {
      const today = `2026-02-${String(d).padStart(2, "0")}`;
      const o = redateOffer({ ...base, filePayDate: "2026-02-02", today });
      if (o.late) {
        expect(o.earliest > "2026-02-02").toBe(true);
        expect(newPayDateProblem(o.earliest, o, "england-and-wales")).toBeUndefined();
      }
    }
  });

  it("a chosen date before the earliest is too soon; a later weekend is not a banking day; a later banking day works", () => {
    const offer = redateOffer({ ...base, filePayDate: "2026-01-12", today: "2026-01-12" });
    if (!offer.late) throw new Error("expected late");
    expect(newPayDateProblem("2026-01-13", offer, "england-and-wales")).toBe("too_soon");
    expect(newPayDateProblem("2026-01-17", offer, "england-and-wales")).toBe("not_banking_day");
    expect(newPayDateProblem("2026-01-16", offer, "england-and-wales")).toBeUndefined();
  });
});
