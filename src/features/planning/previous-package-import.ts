import { personIdsByReferenceIn } from "#/features/people/fairness-reads.ts";
import { type PreviousPackage, parsePreviousPackage } from "#/features/planning/previous-package.ts";
import * as repo from "#/features/planning/previous-package-repository.ts";
import { plansOfPerson } from "#/features/planning/repository.ts";
import { auditMany } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { ValidationError } from "#/platform/errors.ts";
import { typedPoundsToPence } from "#/platform/money/parse.ts";

/**
 * The bulk import of the packages plans replaced (issue 15, "cover for cuts?"): a CSV naming each person by
 * reference, what the council-arranged care cost a week and the date of that cost, recorded on the person's
 * latest plan. All or nothing: every row is checked first (the same checks as the plan's page), then every
 * plan is changed in one tenant transaction, each change audited.
 */

export const PREVIOUS_PACKAGE_COLUMNS = [
  ["person_reference", "the person's reference, as on their record (their latest plan is the one changed)"],
  ["weekly_cost", "what the care the plan replaced cost a week, in pounds, e.g. 412.50"],
  ["date", "the date of that cost, YYYY-MM-DD (not in the future)"],
] as const;

export type ImportProblem = { row: number; message: string };

export class PreviousPackageImportError extends Error {
  readonly problems: ImportProblem[];
  constructor(problems: ImportProblem[]) {
    super(`The file has ${problems.length} problem${problems.length === 1 ? "" : "s"}: nothing was imported`);
    this.name = "PreviousPackageImportError";
    this.problems = problems;
  }
}

type Good = { row: number; reference: string; planId: string; value: PreviousPackage };

function headerProblems(columns: readonly string[], row: number): ImportProblem[] {
  const known: readonly string[] = PREVIOUS_PACKAGE_COLUMNS.map(([c]) => c);
  return [
    ...columns
      .filter((c) => !known.includes(c))
      .map((c) => ({ row, message: `"${c}" is not a column of this import: use ${known.join(", ")}` })),
    ...known
      .filter((c) => !columns.includes(c))
      .map((c) => ({ row, message: `The header has no "${c}" column` })),
  ];
}

/** Records each row's package on the person's latest plan; throws PreviousPackageImportError listing every bad row. */
export async function importPreviousPackages(
  ctx: ServiceContext,
  records: readonly { row: number; fields: readonly string[] }[],
  readProblems: readonly ImportProblem[] = [],
): Promise<{ reference: string; planId: string; previousPackage: PreviousPackage }[]> {
  const [header, ...rest] = records;
  if (!header)
    throw new PreviousPackageImportError([{ row: 1, message: "The file is empty: give a header row" }]);
  const columns = header.fields.map((c) => c.trim().toLowerCase());
  const problems: ImportProblem[] = [...readProblems, ...headerProblems(columns, header.row)];
  if (problems.length > 0) throw new PreviousPackageImportError(problems);
  const rows = rest.filter((r) => r.fields.some((f) => f.trim() !== ""));
  if (rows.length === 0) throw new PreviousPackageImportError([{ row: 2, message: "The file lists nobody" }]);
  const cell = (r: (typeof rows)[number], column: string) => (r.fields[columns.indexOf(column)] ?? "").trim();

  return inTenant(ctx, async ({ tx, today }) => {
    const ids = await personIdsByReferenceIn(
      tx,
      rows.map((r) => cell(r, "person_reference")),
    );
    const good: Good[] = [];
    const seen = new Set<string>();
    for (const r of rows) {
      const reference = cell(r, "person_reference");
      const problem = (message: string) => problems.push({ row: r.row, message });
      if (r.fields.length !== columns.length) {
        problem(`The row has ${r.fields.length} fields; the header has ${columns.length}`);
        continue;
      }
      const personId = ids.get(reference);
      if (!personId) {
        problem(`No one has the reference "${reference}": check it against the person's record`);
        continue;
      }
      if (seen.has(reference)) problem(`"${reference}" is on an earlier row too: give each person once`);
      seen.add(reference);
      const plan = (await plansOfPerson(tx, personId))[0];
      if (!plan) problem(`${reference} has no support plan yet: start their plan first`);
      const weeklyPence = typedPoundsToPence(cell(r, "weekly_cost"), 7);
      if (weeklyPence === undefined)
        problem(`Give the weekly cost in pounds, like 412.50, not "${cell(r, "weekly_cost")}"`);
      try {
        const value = parsePreviousPackage({ weeklyPence: weeklyPence ?? 0, date: cell(r, "date") }, today);
        if (plan && weeklyPence !== undefined && value)
          good.push({ row: r.row, reference, planId: plan.plan_id, value });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        for (const e of error.fieldErrors) problem(e.message);
      }
    }
    if (problems.length > 0) throw new PreviousPackageImportError(problems);
    for (const g of good) await repo.setPreviousPackage(tx, g.planId, g.value);
    await auditMany(
      tx,
      good.map((g) => ({
        action: "update",
        recordType: "support_plan",
        recordId: g.planId,
        changes: { previousPackage: g.value, by: "import" },
      })),
    );
    return good.map((g) => ({ reference: g.reference, planId: g.planId, previousPackage: g.value }));
  });
}
