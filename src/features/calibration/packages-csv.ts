import type { PackageRow } from "#/features/calibration/calibration.calc.ts";
import type { CarerStatus } from "#/features/calibration/calibration-report.calc.ts";
import { isBlankRecord, readCsv } from "#/platform/csv/read.ts";
import { pence } from "#/platform/money/pence.ts";
import { countOf } from "#/platform/words.calc.ts";
import type { Questionnaire } from "#/rules/types.ts";

/**
 * The packages file a RAS calibration reads: one row per person with a current care and support package.
 * Pure (text in, rows or problems out), so the CLI, the page and the tests share it.
 *
 * Columns, in any order, named in the first row (README "Calibrating the RAS"):
 *   person_reference        a pseudonymous reference, 1 to 40 characters, each person once (not a name)
 *   age                     whole years, 18 to 120
 *   primary_support_reason  an id from the rule pack's primary support reasons, e.g. physical_personal_care
 *   living_situation        an id from the rule pack's living situations, e.g. lives_alone
 *   carer_willing_and_able  yes, no, or no carer: whether an unpaid carer is willing and able to keep caring
 *   <item id> …             one column per questionnaire item, e.g. nutrition.meal_preparation, holding the
 *                           id of the option chosen, e.g. some_help
 *   weekly_cost_pence       the package's actual weekly cost in whole pence, e.g. 42550 for £425.50
 *
 * Any bad row refuses the whole file: every problem is reported with its row number (the header is row 1,
 * the first person row 2, as a spreadsheet shows them), so the file can be corrected in one go.
 */

export const PACKAGE_COLUMNS = {
  reference: "person_reference",
  age: "age",
  primarySupportReason: "primary_support_reason",
  livingSituation: "living_situation",
  carer: "carer_willing_and_able",
  cost: "weekly_cost_pence",
} as const;

export type PackageProblem = { row: number; column?: string; message: string };

export type PackagesParse =
  | { ok: true; rows: PackageRow[]; columns: string[] }
  | { ok: false; problems: PackageProblem[] };

export const MAX_PACKAGE_ROWS = 20_000;
/** £100,000 a week: far above any real package, but catches costs typed in tenths of a penny or with extra zeros. */
export const MAX_WEEKLY_COST_PENCE = 10_000_000;

const MIN_AGE = 18; // adult care and support (Care Act 2014 Part 1)
const MAX_AGE = 120;

function carerStatusOf(value: string): CarerStatus | undefined {
  const v = value
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, " ");
  if (v === "yes") return "willing_and_able";
  if (v === "no") return "not_willing_or_able";
  if (v === "no carer" || v === "none") return "no_carer";
  return undefined;
}

/** Problems as one line each, "row 5, age: …", for the CLI and for error summaries. */
export function describeProblem(p: PackageProblem): string {
  return `Row ${p.row}${p.column ? `, ${p.column}` : ""}: ${p.message}`;
}

export function parsePackagesCsv(text: string, questionnaire: Questionnaire): PackagesParse {
  const problems: PackageProblem[] = [];
  const { records, problems: readProblems } = readCsv(text);
  const header = records[0];
  if (!header || isBlankRecord(header)) {
    return {
      ok: false,
      problems: [{ row: 1, message: "The file is empty: the first row must name the columns" }],
    };
  }
  const check = readHeader(header.fields, questionnaire, problems);
  const readProblemRows = new Map(readProblems.map((p) => [p.row, p.message]));
  const headerProblem = readProblemRows.get(1);
  if (headerProblem) problems.push({ row: 1, message: `The header row ${headerProblem}` });

  // The people are checked even when the header has problems, for every column it does have, so one round
  // of corrections fixes the file.
  const rows: PackageRow[] = [];
  const body = records.slice(1).filter((r) => !isBlankRecord(r));
  if (body.length === 0) {
    problems.push({ row: 2, message: "The file has no people in it, only the header" });
    return { ok: false, problems };
  }
  if (body.length > MAX_PACKAGE_ROWS) {
    problems.push({
      row: body[MAX_PACKAGE_ROWS]!.row,
      message: `The file has ${body.length} people; use a sample of at most ${MAX_PACKAGE_ROWS}`,
    });
    return { ok: false, problems };
  }
  for (const record of body) {
    const readProblem = readProblemRows.get(record.row);
    if (readProblem) {
      problems.push({ row: record.row, message: `This row ${readProblem}` });
      continue;
    }
    const person = readPerson(record, check, problems);
    if (person) rows.push(person);
  }

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, rows, columns: check.columns };
}

/** What checking each person's row needs: the header's columns, the questions and the rule pack's lists. */
type RowCheck = {
  columns: string[];
  indexOf: Map<string, number>;
  items: Questionnaire["outcomes"][number]["items"];
  supportReasons: Set<string>;
  livingSituations: Set<string>;
  /** Each reference and the row it was first seen on, to refuse a person given twice. */
  firstRowOf: Map<string, number>;
};

/** The header's columns: each named once, each one this file can have, none missing. */
function readHeader(
  fields: readonly string[],
  questionnaire: Questionnaire,
  problems: PackageProblem[],
): RowCheck {
  const items = questionnaire.outcomes.flatMap((o) => o.items);
  const itemIds = new Set(items.map((i) => i.id));
  const fixed = new Set<string>(Object.values(PACKAGE_COLUMNS));
  const columns = fields.map((f) => f.trim());
  const indexOf = new Map<string, number>();
  columns.forEach((name, index) => {
    if (name === "") {
      problems.push({ row: 1, message: `Column ${index + 1} has no name` });
      return;
    }
    if (indexOf.has(name)) {
      problems.push({ row: 1, column: name, message: `The column "${name}" appears more than once` });
      return;
    }
    if (!fixed.has(name) && !itemIds.has(name)) {
      problems.push({
        row: 1,
        column: name,
        message: `"${name}" is not a column this file can have: it is not a question (item id) in questionnaire ${questionnaire.id}, nor one of ${[...fixed].join(", ")}`,
      });
      return;
    }
    indexOf.set(name, index);
  });
  const missing = [...fixed, ...items.map((i) => i.id)].filter((name) => !indexOf.has(name));
  if (missing.length > 0) {
    problems.push({
      row: 1,
      message: `These columns are missing: ${missing.join(", ")}`,
    });
  }
  return {
    columns,
    indexOf,
    items,
    supportReasons: new Set(questionnaire.primarySupportReasons.map((c) => c.id)),
    livingSituations: new Set(questionnaire.livingSituations.map((c) => c.id)),
    firstRowOf: new Map(),
  };
}

/**
 * One row's cells by column name. A column the header lacks is reported once, on row 1, so `has` is false
 * and its checks are skipped here.
 */
type Cells = {
  row: number;
  has: (name: string) => boolean;
  value: (name: string) => string;
  bad: (column: string, message: string) => void;
};

/** One person's row, or null when anything in it is wrong (every problem is added to `problems`). */
function readPerson(
  record: { row: number; fields: readonly string[] },
  check: RowCheck,
  problems: PackageProblem[],
): PackageRow | null {
  const { row } = record;
  if (record.fields.length !== check.columns.length) {
    problems.push({
      row,
      message: `This row has ${countOf(record.fields.length, "value")} but the header names ${countOf(check.columns.length, "column")}`,
    });
    return null;
  }
  const before = problems.length;
  const cells: Cells = {
    row,
    has: (name) => check.indexOf.has(name),
    value: (name) => (record.fields[check.indexOf.get(name)!] ?? "").trim(),
    bad: (column, message) => problems.push({ row, column, message }),
  };
  const reference = referenceOf(cells, check.firstRowOf);
  const age = ageOf(cells);
  const { psr, living, carer } = choicesOf(cells, check);
  const answers = answersOf(cells, check.items);
  const cost = costOf(cells);
  if (problems.length !== before || !carer) return null;
  return {
    row,
    reference,
    age,
    primarySupportReason: psr,
    livingSituation: living,
    carer,
    answers,
    weeklyCostPence: pence(cost),
  };
}

function referenceOf({ row, has, value, bad }: Cells, firstRowOf: Map<string, number>): string {
  const reference = has(PACKAGE_COLUMNS.reference) ? value(PACKAGE_COLUMNS.reference) : "";
  if (has(PACKAGE_COLUMNS.reference)) {
    if (reference === "") bad(PACKAGE_COLUMNS.reference, "Give the person's reference");
    else if (reference.length > 40)
      bad(PACKAGE_COLUMNS.reference, "A reference must be 40 characters or fewer");
    else {
      const first = firstRowOf.get(reference);
      if (first !== undefined) {
        bad(
          PACKAGE_COLUMNS.reference,
          `The person "${reference}" is already on row ${first}: give each person once`,
        );
      } else firstRowOf.set(reference, row);
    }
  }
  return reference;
}

function ageOf({ has, value, bad }: Cells): number {
  const ageText = has(PACKAGE_COLUMNS.age) ? value(PACKAGE_COLUMNS.age) : "";
  const age = Number(ageText);
  if (has(PACKAGE_COLUMNS.age)) {
    if (ageText === "") bad(PACKAGE_COLUMNS.age, "Give the person's age in whole years");
    else if (!/^\d+$/.test(ageText)) bad(PACKAGE_COLUMNS.age, `"${ageText}" is not an age in whole years`);
    else if (age < MIN_AGE || age > MAX_AGE)
      bad(PACKAGE_COLUMNS.age, `The age must be from ${MIN_AGE} to ${MAX_AGE}, not ${age}`);
  }
  return age;
}

/** The primary support reason, living situation and carer, each one of the choices allowed. */
function choicesOf({ has, value, bad }: Cells, check: RowCheck) {
  const { supportReasons, livingSituations } = check;
  const psr = has(PACKAGE_COLUMNS.primarySupportReason) ? value(PACKAGE_COLUMNS.primarySupportReason) : "";
  if (has(PACKAGE_COLUMNS.primarySupportReason) && !supportReasons.has(psr)) {
    bad(
      PACKAGE_COLUMNS.primarySupportReason,
      psr === ""
        ? "Give the primary support reason"
        : `"${psr}" is not a primary support reason; use one of: ${[...supportReasons].join(", ")}`,
    );
  }
  const living = has(PACKAGE_COLUMNS.livingSituation) ? value(PACKAGE_COLUMNS.livingSituation) : "";
  if (has(PACKAGE_COLUMNS.livingSituation) && !livingSituations.has(living)) {
    bad(
      PACKAGE_COLUMNS.livingSituation,
      living === ""
        ? "Give the living situation"
        : `"${living}" is not a living situation; use one of: ${[...livingSituations].join(", ")}`,
    );
  }
  const carerText = has(PACKAGE_COLUMNS.carer) ? value(PACKAGE_COLUMNS.carer) : "";
  const carer = carerStatusOf(carerText);
  if (has(PACKAGE_COLUMNS.carer) && !carer) {
    bad(
      PACKAGE_COLUMNS.carer,
      carerText === ""
        ? 'Say whether an unpaid carer is willing and able to continue: "yes", "no" or "no carer"'
        : `"${carerText}" is not one of "yes", "no" or "no carer"`,
    );
  }
  return { psr, living, carer };
}

/** The option chosen for each question, each one of that question's options. */
function answersOf({ has, value, bad }: Cells, items: RowCheck["items"]): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const item of items) {
    if (!has(item.id)) continue;
    const optionId = value(item.id);
    if (optionId === "") {
      bad(item.id, "Give the answer (option id) to this question");
    } else if (!item.options.some((o) => o.id === optionId)) {
      bad(
        item.id,
        `"${optionId}" is not an answer to this question; use one of: ${item.options.map((o) => o.id).join(", ")}`,
      );
    } else answers[item.id] = optionId;
  }
  return answers;
}

function costOf({ has, value, bad }: Cells): number {
  const costText = has(PACKAGE_COLUMNS.cost) ? value(PACKAGE_COLUMNS.cost) : "";
  const cost = Number(costText);
  if (has(PACKAGE_COLUMNS.cost)) {
    if (costText === "") bad(PACKAGE_COLUMNS.cost, "The weekly cost is missing: give it in whole pence");
    else if (/^-\s*[\d.]/.test(costText))
      bad(PACKAGE_COLUMNS.cost, `The weekly cost must not be negative (${costText})`);
    else if (!/^\d+$/.test(costText)) {
      bad(
        PACKAGE_COLUMNS.cost,
        `"${costText}" is not a whole number of pence: write £425.50 as 42550, with no £ sign, commas or decimal point`,
      );
    } else if (cost > MAX_WEEKLY_COST_PENCE) {
      bad(PACKAGE_COLUMNS.cost, `${costText} pence is more than £100,000 a week: check it is in pence`);
    }
  }
  return cost;
}
