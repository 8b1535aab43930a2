import { describe, expect, it } from "vitest";
import {
  addBankingDays,
  bacsCycleForDueDate,
  bacsCycleFromInputDay,
  bankHolidaysIn,
  bankingDayOnOrAfter,
  bankingDayOnOrBefore,
  earliestPayDate,
  easterSunday,
  isBankingDay,
  PayDateError,
  statutoryBankHolidays,
} from "#/features/payments/pay-dates.calc.ts";
import { bacsCycleRules } from "#/rules/uk/bacs18-layout.ts";
import { BANK_HOLIDAY_REGIONS, ukBankHolidays } from "#/rules/uk/bank-holidays.ts";

describe("UK bank holiday table (GOV.UK bank-holidays.json; Banking and Financial Dealings Act 1971, Sch 1)", () => {
  const years = Array.from(
    { length: ukBankHolidays.lastYear - ukBankHolidays.firstYear + 1 },
    (_, i) => ukBankHolidays.firstYear + i,
  );

  it("covers 2024 to 2028 for England and Wales, Scotland and Northern Ireland, each year marked published or computed", () => {
    expect(years).toEqual([2024, 2025, 2026, 2027, 2028]);
    for (const region of BANK_HOLIDAY_REGIONS)
      for (const year of years) {
        const entry = ukBankHolidays.regions[region][year]!;
        expect(entry.status).toBe(year <= 2026 ? "published" : "computed");
        for (const holiday of entry.holidays) expect(holiday.date.startsWith(String(year))).toBe(true);
      }
  });

  it.each(
    BANK_HOLIDAY_REGIONS.flatMap((region) => [2024, 2025, 2026].map((year) => [region, year] as const)),
  )("the statutory rules give exactly GOV.UK's published %s %i", (region, year) => {
    expect(statutoryBankHolidays(year, region)).toEqual(ukBankHolidays.regions[region][year]!.holidays);
  });

  it.each(BANK_HOLIDAY_REGIONS.flatMap((region) => [2027, 2028].map((year) => [region, year] as const)))(
    "the computed %s %i is what the statutory rules give",
    (region, year) => {
      expect(statutoryBankHolidays(year, region)).toEqual(ukBankHolidays.regions[region][year]!.holidays);
    },
  );

  it("has the counts each region's rules give: 8 in England and Wales, 9 in Scotland, 10 in Northern Ireland", () => {
    for (const year of years) {
      expect(bankHolidaysIn("england-and-wales", year)).toHaveLength(8);
      expect(bankHolidaysIn("scotland", year)).toHaveLength(9);
      expect(bankHolidaysIn("northern-ireland", year)).toHaveLength(10);
    }
  });

  it("Easter Sunday by the Gregorian computus", () => {
    expect([2024, 2025, 2026, 2027, 2028, 2038, 2285].map(easterSunday)).toEqual([
      "2024-03-31",
      "2025-04-20",
      "2026-04-05",
      "2027-03-28",
      "2028-04-16",
      "2038-04-25", // latest possible
      "2285-03-22", // earliest possible
    ]);
  });

  it("substitute days: a weekend holiday moves to the next weekday not already a holiday (Christmas 2022 on a Sunday → Tue 27th)", () => {
    const dates = statutoryBankHolidays(2022, "england-and-wales").slice(-2);
    expect(dates).toEqual([
      { date: "2022-12-26", title: "Boxing Day", substitute: false },
      { date: "2022-12-27", title: "Christmas Day", substitute: true },
    ]);
    // Scotland 2028: 1 and 2 January fall on Saturday and Sunday → Monday 3rd and Tuesday 4th.
    expect(
      statutoryBankHolidays(2028, "scotland")
        .slice(0, 2)
        .map((x) => x.date),
    ).toEqual(["2028-01-03", "2028-01-04"]);
  });

  it("refuses a year the table does not cover, saying where to add it", () => {
    expect(() => bankHolidaysIn("england-and-wales", 2029)).toThrow(PayDateError);
    expect(() => isBankingDay("2023-12-25", "scotland")).toThrow(/covers 2024 to 2028/);
  });
});

describe("banking days: Monday to Friday and not a bank holiday in the region", () => {
  it("weekends and each region's own holidays", () => {
    expect(isBankingDay("2026-04-04", "england-and-wales")).toBe(false); // Saturday
    expect(isBankingDay("2026-04-06", "england-and-wales")).toBe(false); // Easter Monday
    expect(isBankingDay("2026-04-06", "scotland")).toBe(true); // not a Scottish bank holiday
    expect(isBankingDay("2026-03-17", "northern-ireland")).toBe(false); // St Patrick's Day
    expect(isBankingDay("2026-03-17", "england-and-wales")).toBe(true);
    expect(isBankingDay("2026-11-30", "scotland")).toBe(false); // St Andrew's Day
    expect(isBankingDay("2026-08-03", "scotland")).toBe(false); // Scotland's summer holiday, first Monday
    expect(isBankingDay("2026-08-31", "scotland")).toBe(true);
  });

  it("around Christmas: 2026's Boxing Day is a Saturday, so Monday 28th is the substitute", () => {
    expect(bankingDayOnOrAfter("2026-12-25", "england-and-wales")).toBe("2026-12-29");
    expect(bankingDayOnOrBefore("2026-12-28", "england-and-wales")).toBe("2026-12-24");
    expect(bankingDayOnOrBefore("2027-12-28", "england-and-wales")).toBe("2027-12-24");
  });

  it("around Easter: Good Friday to Easter Monday", () => {
    expect(bankingDayOnOrAfter("2025-04-18", "england-and-wales")).toBe("2025-04-22");
    expect(bankingDayOnOrAfter("2025-04-18", "scotland")).toBe("2025-04-21");
    expect(bankingDayOnOrBefore("2025-04-21", "england-and-wales")).toBe("2025-04-17");
  });

  it("over the year end, and Scotland's 2 January", () => {
    expect(bankingDayOnOrAfter("2025-12-31", "england-and-wales")).toBe("2025-12-31");
    expect(bankingDayOnOrAfter("2026-01-01", "england-and-wales")).toBe("2026-01-02");
    expect(bankingDayOnOrAfter("2026-01-01", "scotland")).toBe("2026-01-05");
    expect(bankingDayOnOrAfter("2027-12-25", "scotland")).toBe("2027-12-29");
    expect(bankingDayOnOrBefore("2028-01-03", "england-and-wales")).toBe("2027-12-31");
  });

  it("adds banking days forwards and backwards, not counting the start", () => {
    expect(addBankingDays("2026-12-23", 2, "england-and-wales")).toBe("2026-12-29");
    expect(addBankingDays("2026-12-29", -2, "england-and-wales")).toBe("2026-12-23");
    expect(addBankingDays("2026-12-23", 0, "england-and-wales")).toBe("2026-12-23");
  });
});

describe("Bacs three-day cycle (input day, processing day, entry day) on England and Wales banking days", () => {
  it("an ordinary week: in Monday, processed Tuesday, paid Wednesday", () => {
    expect(bacsCycleForDueDate("2026-03-11")).toEqual({
      inputDay: "2026-03-09",
      processingDay: "2026-03-10",
      entryDay: "2026-03-11",
    });
  });

  it("a due date on a weekend is paid the Friday before (nobody paid late), or the Monday after if chosen", () => {
    expect(bacsCycleForDueDate("2026-03-14").entryDay).toBe("2026-03-13");
    expect(bacsCycleForDueDate("2026-03-14", "after").entryDay).toBe("2026-03-16");
  });

  it("Christmas 2026: due on Christmas Day is paid Thursday 24th, sent Tuesday 22nd", () => {
    expect(bacsCycleForDueDate("2026-12-25")).toEqual({
      inputDay: "2026-12-22",
      processingDay: "2026-12-23",
      entryDay: "2026-12-24",
    });
    expect(bacsCycleForDueDate("2026-12-29")).toEqual({
      inputDay: "2026-12-23",
      processingDay: "2026-12-24",
      entryDay: "2026-12-29",
    });
  });

  it("Easter 2026: due Tuesday 7 April is processed Thursday 2nd (Good Friday and Easter Monday skipped)", () => {
    expect(bacsCycleForDueDate("2026-04-07")).toEqual({
      inputDay: "2026-04-01",
      processingDay: "2026-04-02",
      entryDay: "2026-04-07",
    });
  });

  it("year end: due 1 January 2027 is paid on 31 December", () => {
    expect(bacsCycleForDueDate("2027-01-01")).toEqual({
      inputDay: "2026-12-29",
      processingDay: "2026-12-30",
      entryDay: "2026-12-31",
    });
  });

  it("from an input day: sent Thursday 24 December 2026, processed 29th, paid 30th", () => {
    expect(bacsCycleFromInputDay("2026-12-24")).toEqual({
      inputDay: "2026-12-24",
      processingDay: "2026-12-29",
      entryDay: "2026-12-30",
    });
  });

  it("refuses a date that is not real", () => {
    expect(() => bacsCycleForDueDate("2026-13-01")).toThrow(PayDateError);
  });
});

describe("rule (issue 12): the earliest pay date a run prepared today can meet (the Bacs lead time, from rule data)", () => {
  it("the lead time is rule data with its source: two processing days from input to entry", () => {
    expect(bacsCycleRules.leadProcessingDays).toBe(2);
    expect(bacsCycleRules.sources.length).toBeGreaterThan(0);
  });

  it("Monday 7 December 2026 pays on Wednesday 9th; a weekend sends on Monday", () => {
    expect(earliestPayDate("2026-12-07", "england-and-wales")).toBe("2026-12-09");
    expect(earliestPayDate("2026-12-05", "england-and-wales")).toBe("2026-12-09");
    expect(earliestPayDate("2026-12-06", "england-and-wales")).toBe("2026-12-09");
  });

  it("over Christmas: sent Thursday 24 December 2026, paid Wednesday 30th (as the three-day cycle gives)", () => {
    expect(earliestPayDate("2026-12-24", "england-and-wales")).toBe(
      bacsCycleFromInputDay("2026-12-24").entryDay,
    );
    expect(earliestPayDate("2026-12-24", "england-and-wales")).toBe("2026-12-30");
  });

  it("is always a banking day in the council's region, and its Bacs cycle's input day is never before today", () => {
    for (let day = 0; day < 400; day++) {
      const today = new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
      for (const region of BANK_HOLIDAY_REGIONS) {
        const earliest = earliestPayDate(today, region);
        expect(isBankingDay(earliest, region)).toBe(true);
        expect(bacsCycleForDueDate(earliest).inputDay >= today).toBe(true);
      }
    }
  });
});
