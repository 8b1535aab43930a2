import type { Quarter } from "#/features/reports/fairness-data.calc.ts";
import { MONTH_NAMES } from "#/platform/date-words.calc.ts";

/** Financial-year quarters (April to June is the first), as councils report: pure date arithmetic. */

const pad = (n: number) => String(n).padStart(2, "0");

/** The quarter a date (YYYY-MM-DD) falls in. */
export function quarterOf(date: string): Quarter {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const startMonth = month - ((month - 1) % 3); // 1, 4, 7 or 10
  const endMonth = startMonth + 2;
  const fyStart = startMonth >= 4 ? year : year - 1;
  const number = startMonth >= 4 ? (startMonth - 1) / 3 : 4;
  const lastDay = new Date(Date.UTC(year, endMonth, 0)).getUTCDate();
  return {
    id: `${fyStart}-${pad((fyStart + 1) % 100)}-q${number}`,
    label: `${MONTH_NAMES[startMonth - 1]} to ${MONTH_NAMES[endMonth - 1]} ${year}`,
    start: `${year}-${pad(startMonth)}-01`,
    end: `${year}-${pad(endMonth)}-${pad(lastDay)}`,
  };
}

/** The `count` quarters up to and including the one `today` falls in, oldest first. */
export function quartersUpTo(today: string, count: number): Quarter[] {
  const quarters = [quarterOf(today)];
  while (quarters.length < count) {
    const first = quarters[0]!;
    const before = new Date(Date.parse(`${first.start}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    quarters.unshift(quarterOf(before));
  }
  return quarters;
}

/** The day figures for a quarter are taken on: its last day, or today while it is still running. */
export const snapshotOf = (quarter: Quarter, today: string): string =>
  today < quarter.end ? today : quarter.end;
