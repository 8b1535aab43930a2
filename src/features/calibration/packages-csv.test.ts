import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PACKAGE_COLUMNS, parsePackagesCsv } from "#/features/calibration/packages-csv.ts";
import { writeCsv } from "#/platform/csv/write.ts";
import { englandQuestionnaire as questionnaire } from "#/rules/england/questionnaire.ts";

const items = questionnaire.outcomes.flatMap((o) => o.items);
const HEADER = [
  PACKAGE_COLUMNS.reference,
  PACKAGE_COLUMNS.age,
  PACKAGE_COLUMNS.primarySupportReason,
  PACKAGE_COLUMNS.livingSituation,
  PACKAGE_COLUMNS.carer,
  ...items.map((i) => i.id),
  PACKAGE_COLUMNS.cost,
];

/** A good row: everyone answers the second option of every question. */
function row(ref: string, over: Partial<Record<string, string>> = {}): string[] {
  const base: Record<string, string> = {
    [PACKAGE_COLUMNS.reference]: ref,
    [PACKAGE_COLUMNS.age]: "67",
    [PACKAGE_COLUMNS.primarySupportReason]: "physical_personal_care",
    [PACKAGE_COLUMNS.livingSituation]: "lives_alone",
    [PACKAGE_COLUMNS.carer]: "no carer",
    [PACKAGE_COLUMNS.cost]: "25000",
  };
  for (const item of items) base[item.id] = item.options[1]!.id;
  const merged = { ...base, ...over };
  return HEADER.map((h) => merged[h] ?? "");
}

describe("the packages file", () => {
  it("rule: a good file gives one row per person, with answers by item id and cost in pence", () => {
    const parsed = parsePackagesCsv(
      writeCsv(HEADER, [
        row("P1"),
        row("P2", { [PACKAGE_COLUMNS.carer]: "Yes", [PACKAGE_COLUMNS.cost]: "0" }),
      ]),
      questionnaire,
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.rows).toHaveLength(2);
    expect(parsed.rows[0]).toMatchObject({
      row: 2,
      reference: "P1",
      age: 67,
      carer: "no_carer",
      weeklyCostPence: 25000,
      answers: { "nutrition.meal_preparation": "prompting" },
    });
    expect(parsed.rows[1]).toMatchObject({ row: 3, carer: "willing_and_able", weeklyCostPence: 0 });
  });

  it("rule: the shipped example (examples/packages.csv) is a good file of 60 people", () => {
    const parsed = parsePackagesCsv(readFileSync("examples/packages.csv", "utf8"), questionnaire);
    expect(parsed.ok && parsed.rows.length).toBe(60);
  });

  it("rule (Bad input): any bad row refuses the whole file, and EVERY bad row is reported with its number and reason", () => {
    const header = [...HEADER, "nutrition.not_a_question"];
    const rows = [
      [...row("P1"), "x"], // row 2: good apart from the unknown column
      [...row("P2", { "nutrition.meal_preparation": "sometimes" }), "x"], // row 3: unknown option
      [...row("P3", { [PACKAGE_COLUMNS.cost]: "" }), "x"], // row 4: missing cost
      [...row("P4", { [PACKAGE_COLUMNS.cost]: "-1500" }), "x"], // row 5: negative cost
      [...row("P1"), "x"], // row 6: duplicate person
      [...row("P6", { [PACKAGE_COLUMNS.age]: "seventy" }), "x"], // row 7: bad age
      [...row("P7", { [PACKAGE_COLUMNS.cost]: "£250.00" }), "x"], // row 8: not pence
      [...row("P8", { [PACKAGE_COLUMNS.primarySupportReason]: "frailty" }), "x"], // row 9
      [...row("P9", { [PACKAGE_COLUMNS.carer]: "maybe" }), "x"], // row 10
      ["P10", "70"], // row 11: too few values
      [...row("P11", { [PACKAGE_COLUMNS.age]: "16" }), "x"], // row 12: a child
    ];
    const parsed = parsePackagesCsv(writeCsv(header, rows), questionnaire);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const byRow = (n: number) => parsed.problems.filter((p) => p.row === n);
    expect(byRow(1)).toEqual([
      expect.objectContaining({
        column: "nutrition.not_a_question",
        message: expect.stringMatching(/not a question/),
      }),
    ]);
    expect(byRow(2)).toEqual([]);
    expect(byRow(3)).toEqual([
      expect.objectContaining({
        column: "nutrition.meal_preparation",
        message: expect.stringMatching(/"sometimes" is not an answer/),
      }),
    ]);
    expect(byRow(4)[0]!.message).toMatch(/cost is missing/);
    expect(byRow(5)[0]!.message).toMatch(/must not be negative/);
    expect(byRow(6)[0]!.message).toBe('The person "P1" is already on row 2: give each person once');
    expect(byRow(7)[0]).toMatchObject({ column: "age", message: expect.stringMatching(/not an age/) });
    expect(byRow(8)[0]!.message).toMatch(/not a whole number of pence/);
    expect(byRow(9)[0]!.message).toMatch(/"frailty" is not a primary support reason/);
    expect(byRow(10)[0]!.message).toMatch(/"maybe" is not one of/);
    expect(byRow(11)[0]!.message).toMatch(/has 2 values but the header names/);
    expect(byRow(12)[0]!.message).toMatch(/from 18 to 120/);
    expect([...new Set(parsed.problems.map((p) => p.row))]).toEqual([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it("rule: a missing column is named once on the header row; an empty file or a header alone is refused", () => {
    const header = HEADER.filter((h) => h !== "toilet_needs.night");
    const parsed = parsePackagesCsv(
      writeCsv(header, [row("P1").filter((_, i) => HEADER[i] !== "toilet_needs.night")]),
      questionnaire,
    );
    expect(parsed).toEqual({
      ok: false,
      problems: [{ row: 1, message: "These columns are missing: toilet_needs.night" }],
    });
    expect(parsePackagesCsv("", questionnaire)).toMatchObject({ ok: false, problems: [{ row: 1 }] });
    expect(parsePackagesCsv(writeCsv(HEADER, []), questionnaire)).toMatchObject({
      ok: false,
      problems: [{ row: 2, message: "The file has no people in it, only the header" }],
    });
  });
});
