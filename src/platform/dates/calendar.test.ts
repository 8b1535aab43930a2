import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCalendarDate } from "#/platform/dates/calendar.ts";

/** The definition the arithmetic replaces: a date is real when a UTC Date of it prints back the same. */
function byDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

describe("isCalendarDate (Gregorian calendar: 29 February only in years divisible by 4, except centuries not divisible by 400)", () => {
  it.each([
    ["2024-02-29", true],
    ["2000-02-29", true],
    ["1900-02-29", false],
    ["2025-02-29", false],
    ["2025-04-30", true],
    ["2025-04-31", false],
    ["2025-12-31", true],
    ["2025-13-01", false],
    ["2025-00-10", false],
    ["2025-01-00", false],
    ["2025-4-01", false],
    ["2025-04-01T00:00", false],
    ["", false],
  ])("%s is %s", (value, real) => {
    expect(isCalendarDate(value)).toBe(real);
  });

  it("agrees with a UTC Date's reading for any YYYY-MM-DD with month and day from 00 to 39", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 39 }),
        fc.integer({ min: 0, max: 39 }),
        (year, month, day) => {
          const value = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          expect(isCalendarDate(value)).toBe(byDate(value));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("agrees with a UTC Date's reading for any text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (value) => {
        expect(isCalendarDate(value)).toBe(byDate(value));
      }),
    );
  });
});
