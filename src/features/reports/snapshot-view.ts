import { z } from "zod";
import { todayInLondon } from "#/platform/context.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";

/**
 * When a snapshot's figures were worked out, as the pages say it ("Figures as at 7 December 2026, 06:00") and
 * the API gives it (the `snapshot` field of each report).
 */

const londonTime = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "Europe/London",
});

export type SnapshotTimes = { asAt: string; computedAt: Date };

/** The sentence the page shows above the figures. */
export function snapshotSentence({ asAt, computedAt }: SnapshotTimes): string {
  const day = todayInLondon(computedAt);
  const time = londonTime.format(computedAt);
  return day === asAt
    ? `Figures as at ${dateInWords(asAt)}, ${time}`
    : `Figures as at ${dateInWords(asAt)} (worked out on ${dateInWords(day)} at ${time})`;
}

export const snapshotResponse = z
  .object({
    asAt: z.iso.date().describe("The day the figures are as at"),
    computedAt: z.iso.datetime().describe("When they were worked out and stored"),
    text: z.string().describe("The same, as the page says it"),
  })
  .describe("When the figures were worked out: the API, the page and its downloads read the same snapshot");

export function snapshotField(times: SnapshotTimes): z.infer<typeof snapshotResponse> {
  return { asAt: times.asAt, computedAt: times.computedAt.toISOString(), text: snapshotSentence(times) };
}
