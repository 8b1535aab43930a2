import type { SourceReference } from "#/rules/types.ts";

/**
 * UK bank holidays, 2024 to 2028, per region: the bundled, dated table pay dates are worked out from
 * (features/payments/pay-dates.calc.ts). Data, not code: a new year is added here, never computed at run time.
 *
 * Source: GOV.UK "UK bank holidays", https://www.gov.uk/bank-holidays.json (the same data as
 * https://www.gov.uk/bank-holidays), copied for 2024, 2025 and 2026 ("published").
 *
 * 2027 and 2028 were not taken from GOV.UK when this table was written (it had no network copy to read), so they
 * are worked out from the statutory rules and marked "computed": the Banking and Financial Dealings Act 1971,
 * Schedule 1 (as amended, including the St Andrew's Day Bank Holiday (Scotland) Act 2007), with the dates fixed
 * each year by royal proclamation (early May, spring, and 12 July in Northern Ireland), and Good Friday and
 * Christmas Day as common-law holidays in England, Wales and Northern Ireland. A holiday that falls on a Saturday
 * or Sunday moves to the next weekday that is not already a holiday ("substitute day"). A proclamation can move a
 * date (as in 2020, 2022 and 2023), so replace a "computed" year with GOV.UK's published one when it appears.
 * pay-dates.calc.test.ts checks that the same rules give exactly the published years, and the computed ones.
 */

export const BANK_HOLIDAY_REGIONS = ["england-and-wales", "scotland", "northern-ireland"] as const;
export type BankHolidayRegion = (typeof BANK_HOLIDAY_REGIONS)[number];

export type BankHoliday = {
  /** YYYY-MM-DD */
  readonly date: string;
  /** GOV.UK's title. */
  readonly title: string;
  /** True when the holiday itself fell on a weekend and this is the weekday it moved to. */
  readonly substitute: boolean;
};

export type BankHolidayYear = {
  readonly status: "published" | "computed";
  readonly holidays: readonly BankHoliday[];
};

export type BankHolidayTable = {
  readonly id: string;
  /** The first and last years the table covers; a date outside them has no answer (never a guess). */
  readonly firstYear: number;
  readonly lastYear: number;
  readonly sources: readonly SourceReference[];
  readonly regions: Readonly<Record<BankHolidayRegion, Readonly<Record<number, BankHolidayYear>>>>;
};

/** GOV.UK's titles, used by the table and by the statutory rules in pay-dates.calc.ts. */
export const HOLIDAY_TITLES = {
  newYear: "New Year’s Day",
  secondJanuary: "2nd January",
  stPatrick: "St Patrick’s Day",
  goodFriday: "Good Friday",
  easterMonday: "Easter Monday",
  earlyMay: "Early May bank holiday",
  spring: "Spring bank holiday",
  boyne: "Battle of the Boyne (Orangemen’s Day)",
  summer: "Summer bank holiday",
  stAndrew: "St Andrew’s Day",
  christmas: "Christmas Day",
  boxing: "Boxing Day",
} as const;

const T = HOLIDAY_TITLES;
const h = (date: string, title: string, substitute = false): BankHoliday => ({ date, title, substitute });

export const ukBankHolidays: BankHolidayTable = {
  id: "uk-bank-holidays-2024-2028",
  firstYear: 2024,
  lastYear: 2028,
  sources: [
    {
      title: "GOV.UK, UK bank holidays (JSON)",
      url: "https://www.gov.uk/bank-holidays.json",
      note: "2024–2026 copied from GOV.UK; 2027–2028 computed from the statutory rules, to be replaced when published",
    },
    {
      title: "Banking and Financial Dealings Act 1971",
      provision: "Schedule 1",
      url: "https://www.legislation.gov.uk/ukpga/1971/80/schedule/1",
    },
    {
      title: "St Andrew's Day Bank Holiday (Scotland) Act 2007",
      url: "https://www.legislation.gov.uk/asp/2007/2",
    },
  ],
  regions: {
    "england-and-wales": {
      2024: {
        status: "published",
        holidays: [
          h("2024-01-01", T.newYear),
          h("2024-03-29", T.goodFriday),
          h("2024-04-01", T.easterMonday),
          h("2024-05-06", T.earlyMay),
          h("2024-05-27", T.spring),
          h("2024-08-26", T.summer),
          h("2024-12-25", T.christmas),
          h("2024-12-26", T.boxing),
        ],
      },
      2025: {
        status: "published",
        holidays: [
          h("2025-01-01", T.newYear),
          h("2025-04-18", T.goodFriday),
          h("2025-04-21", T.easterMonday),
          h("2025-05-05", T.earlyMay),
          h("2025-05-26", T.spring),
          h("2025-08-25", T.summer),
          h("2025-12-25", T.christmas),
          h("2025-12-26", T.boxing),
        ],
      },
      2026: {
        status: "published",
        holidays: [
          h("2026-01-01", T.newYear),
          h("2026-04-03", T.goodFriday),
          h("2026-04-06", T.easterMonday),
          h("2026-05-04", T.earlyMay),
          h("2026-05-25", T.spring),
          h("2026-08-31", T.summer),
          h("2026-12-25", T.christmas),
          h("2026-12-28", T.boxing, true),
        ],
      },
      2027: {
        status: "computed",
        holidays: [
          h("2027-01-01", T.newYear),
          h("2027-03-26", T.goodFriday),
          h("2027-03-29", T.easterMonday),
          h("2027-05-03", T.earlyMay),
          h("2027-05-31", T.spring),
          h("2027-08-30", T.summer),
          h("2027-12-27", T.christmas, true),
          h("2027-12-28", T.boxing, true),
        ],
      },
      2028: {
        status: "computed",
        holidays: [
          h("2028-01-03", T.newYear, true),
          h("2028-04-14", T.goodFriday),
          h("2028-04-17", T.easterMonday),
          h("2028-05-01", T.earlyMay),
          h("2028-05-29", T.spring),
          h("2028-08-28", T.summer),
          h("2028-12-25", T.christmas),
          h("2028-12-26", T.boxing),
        ],
      },
    },
    scotland: {
      2024: {
        status: "published",
        holidays: [
          h("2024-01-01", T.newYear),
          h("2024-01-02", T.secondJanuary),
          h("2024-03-29", T.goodFriday),
          h("2024-05-06", T.earlyMay),
          h("2024-05-27", T.spring),
          h("2024-08-05", T.summer),
          h("2024-12-02", T.stAndrew, true),
          h("2024-12-25", T.christmas),
          h("2024-12-26", T.boxing),
        ],
      },
      2025: {
        status: "published",
        holidays: [
          h("2025-01-01", T.newYear),
          h("2025-01-02", T.secondJanuary),
          h("2025-04-18", T.goodFriday),
          h("2025-05-05", T.earlyMay),
          h("2025-05-26", T.spring),
          h("2025-08-04", T.summer),
          h("2025-12-01", T.stAndrew, true),
          h("2025-12-25", T.christmas),
          h("2025-12-26", T.boxing),
        ],
      },
      2026: {
        status: "published",
        holidays: [
          h("2026-01-01", T.newYear),
          h("2026-01-02", T.secondJanuary),
          h("2026-04-03", T.goodFriday),
          h("2026-05-04", T.earlyMay),
          h("2026-05-25", T.spring),
          h("2026-08-03", T.summer),
          h("2026-11-30", T.stAndrew),
          h("2026-12-25", T.christmas),
          h("2026-12-28", T.boxing, true),
        ],
      },
      2027: {
        status: "computed",
        holidays: [
          h("2027-01-01", T.newYear),
          h("2027-01-04", T.secondJanuary, true),
          h("2027-03-26", T.goodFriday),
          h("2027-05-03", T.earlyMay),
          h("2027-05-31", T.spring),
          h("2027-08-02", T.summer),
          h("2027-11-30", T.stAndrew),
          h("2027-12-27", T.christmas, true),
          h("2027-12-28", T.boxing, true),
        ],
      },
      2028: {
        status: "computed",
        holidays: [
          h("2028-01-03", T.newYear, true),
          h("2028-01-04", T.secondJanuary, true),
          h("2028-04-14", T.goodFriday),
          h("2028-05-01", T.earlyMay),
          h("2028-05-29", T.spring),
          h("2028-08-07", T.summer),
          h("2028-11-30", T.stAndrew),
          h("2028-12-25", T.christmas),
          h("2028-12-26", T.boxing),
        ],
      },
    },
    "northern-ireland": {
      2024: {
        status: "published",
        holidays: [
          h("2024-01-01", T.newYear),
          h("2024-03-18", T.stPatrick, true),
          h("2024-03-29", T.goodFriday),
          h("2024-04-01", T.easterMonday),
          h("2024-05-06", T.earlyMay),
          h("2024-05-27", T.spring),
          h("2024-07-12", T.boyne),
          h("2024-08-26", T.summer),
          h("2024-12-25", T.christmas),
          h("2024-12-26", T.boxing),
        ],
      },
      2025: {
        status: "published",
        holidays: [
          h("2025-01-01", T.newYear),
          h("2025-03-17", T.stPatrick),
          h("2025-04-18", T.goodFriday),
          h("2025-04-21", T.easterMonday),
          h("2025-05-05", T.earlyMay),
          h("2025-05-26", T.spring),
          h("2025-07-14", T.boyne, true),
          h("2025-08-25", T.summer),
          h("2025-12-25", T.christmas),
          h("2025-12-26", T.boxing),
        ],
      },
      2026: {
        status: "published",
        holidays: [
          h("2026-01-01", T.newYear),
          h("2026-03-17", T.stPatrick),
          h("2026-04-03", T.goodFriday),
          h("2026-04-06", T.easterMonday),
          h("2026-05-04", T.earlyMay),
          h("2026-05-25", T.spring),
          h("2026-07-13", T.boyne, true),
          h("2026-08-31", T.summer),
          h("2026-12-25", T.christmas),
          h("2026-12-28", T.boxing, true),
        ],
      },
      2027: {
        status: "computed",
        holidays: [
          h("2027-01-01", T.newYear),
          h("2027-03-17", T.stPatrick),
          h("2027-03-26", T.goodFriday),
          h("2027-03-29", T.easterMonday),
          h("2027-05-03", T.earlyMay),
          h("2027-05-31", T.spring),
          h("2027-07-12", T.boyne),
          h("2027-08-30", T.summer),
          h("2027-12-27", T.christmas, true),
          h("2027-12-28", T.boxing, true),
        ],
      },
      2028: {
        status: "computed",
        holidays: [
          h("2028-01-03", T.newYear, true),
          h("2028-03-17", T.stPatrick),
          h("2028-04-14", T.goodFriday),
          h("2028-04-17", T.easterMonday),
          h("2028-05-01", T.earlyMay),
          h("2028-05-29", T.spring),
          h("2028-07-12", T.boyne),
          h("2028-08-28", T.summer),
          h("2028-12-25", T.christmas),
          h("2028-12-26", T.boxing),
        ],
      },
    },
  },
};
