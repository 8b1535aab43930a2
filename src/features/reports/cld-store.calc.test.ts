import { describe, expect, it } from "vitest";
import { choiceAt } from "#/features/reports/cld-events.calc.ts";
import { csvCell } from "#/features/reports/cld-store.calc.ts";
import { csvValue } from "#/platform/csv/write.ts";

/**
 * The pieces the CLD events table's export is put together from: a cell written as the return's CSV writer
 * writes it (same bytes, so the export matches the in-memory return), and the value in force at a period's end.
 */
describe("the CLD events table's pure parts", () => {
  it("rule (RFC 4180, OWASP CSV injection): a cell is written exactly as platform/csv/write.ts writes it", () => {
    const tricky = [
      null,
      "",
      "plain",
      "a,b",
      'say "hi"',
      "line\nbreak",
      "carriage\rreturn",
      "=SUM(A1)",
      "+44",
      "-12.50",
      "-x",
      "@home",
      "\tTab",
      " spaced ",
      "'quoted",
      "Zoë Ñúñez",
      "emoji 🙂",
    ];
    // And many built from the characters that matter, in a fixed pseudo-random sequence (no clock, no Math.random).
    const alphabet = ['"', ",", "\r", "\n", "=", "+", "-", "@", "\t", "1", ".", "a", " ", "'"];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 2000; i++) {
      const length = next() % 6;
      tricky.push(Array.from({ length }, () => alphabet[next() % alphabet.length]).join(""));
    }
    for (const value of tricky) expect([value, csvCell(value)]).toEqual([value, csvValue(value)]);
  });

  it("rule (REPORTING.md §1.2 PSR, funding status): the value in force is the last dated by the period's end, else the last", () => {
    const choices = [
      ["2025-01-10", "Physical Support: Personal Care Support"],
      ["2025-06-01", "Memory & Cognition"],
      ["2025-06-01", null],
    ] as const;
    expect(choiceAt(choices, "2025-03-31")).toBe("Physical Support: Personal Care Support");
    expect(choiceAt(choices, "2025-06-01")).toBe(null);
    // Before any of them: the latest of all, as the derivation does.
    expect(choiceAt(choices, "2024-12-31")).toBe(null);
    expect(choiceAt(choices.slice(0, 2), "2024-12-31")).toBe("Memory & Cognition");
    expect(choiceAt([], "2025-03-31")).toBe(null);
  });
});
