/**
 * Where the CLD return's time goes (bench/reports.ts, timing "cld-stages"): the same pages, owners' read
 * functions, derivation, period filter and data-quality check as reports/service.ts, each timed on its own, with
 * each page dropped once checked, so it runs in bounded memory at any council size. What it leaves out is what
 * the service does with all the rows at once: sort them, write the two files as strings, list the failures.
 */
import { performance } from "node:perf_hooks";
import { submittedAssessmentsForReportsIn } from "#/features/assessment/cld-reads.ts";
import { budgetLinesForReportsIn } from "#/features/budgets/cld-reads.ts";
import { completedFinancialAssessmentsForReportsIn } from "#/features/charging/cld-reads.ts";
import { providersForReportsIn } from "#/features/directory/cld-reads.ts";
import { countPeopleForReportsIn, peopleForReportsPageIn } from "#/features/people/cld-reads.ts";
import { referralsForReportsIn } from "#/features/referrals/cld-reads.ts";
import { deriveCldEvents } from "#/features/reports/cld-events.calc.ts";
import { CLD_PAGE_SIZE } from "#/features/reports/cld-facts.ts";
import { cldLookupsFrom } from "#/features/reports/cld-lookups.calc.ts";
import { eventsInPeriod } from "#/features/reports/cld-period.calc.ts";
import { checkCldRow, failingFields } from "#/features/reports/cld-quality.calc.ts";
import { reviewsForReportsIn } from "#/features/reviews/cld-reads.ts";
import { currentTenantIn } from "#/features/tenants/service.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { rulesFor } from "#/rules/registry.ts";

export type Stage = { stage: string; seconds: number; rows: number };

export async function cldStages(
  ctx: ServiceContext,
  period: { start: string; end: string },
): Promise<{ stages: Stage[]; rows: number; failingFields: number }> {
  const stages = new Map<string, Stage>();
  async function timed<T>(stage: string, fn: () => Promise<T> | T, rows: (v: T) => number): Promise<T> {
    const t0 = performance.now();
    const value = await fn();
    const s = stages.get(stage) ?? { stage, seconds: 0, rows: 0 };
    s.seconds += (performance.now() - t0) / 1000;
    s.rows += rows(value);
    stages.set(stage, s);
    return value;
  }
  const length = (v: readonly unknown[]) => v.length;
  const rules = rulesFor("england", period.end).cld.rules;
  if (!rules) throw new Error(`No CLD rules for ${period.end}`);
  const lookups = cldLookupsFrom(rules);
  let rows = 0;
  let failing = 0;
  await inTenant(ctx, async ({ tx }) => {
    const council = await currentTenantIn(tx);
    await timed(
      "count people",
      () => countPeopleForReportsIn(tx),
      () => 1,
    );
    let after: string | null = null;
    for (;;) {
      const people = await timed(
        "read people (keyset page)",
        () => peopleForReportsPageIn(tx, { after, limit: CLD_PAGE_SIZE }),
        length,
      );
      if (people.length === 0) break;
      const ids = people.map((p) => p.personId);
      const referrals = await timed("read referrals", () => referralsForReportsIn(tx, ids), length);
      const assessments = await timed(
        "read assessments",
        () => submittedAssessmentsForReportsIn(tx, ids),
        length,
      );
      const financialAssessments = await timed(
        "read financial assessments",
        () => completedFinancialAssessmentsForReportsIn(tx, ids),
        length,
      );
      const budgetLines = await timed("read budget lines", () => budgetLinesForReportsIn(tx, ids), length);
      const reviews = await timed("read reviews", () => reviewsForReportsIn(tx, ids), length);
      const providerIds = [...new Set(budgetLines.flatMap((l) => (l.providerId ? [l.providerId] : [])))];
      const providers = await timed("read providers", () => providersForReportsIn(tx, providerIds), length);
      const facts = { people, referrals, assessments, financialAssessments, budgetLines, reviews, providers };
      const derived = await timed(
        "derive events",
        () => deriveCldEvents({ ...facts, laCode: council.onsCode }, lookups, period),
        length,
      );
      const kept = await timed("keep the period", () => eventsInPeriod(derived, period, rules), length);
      const checked = await timed(
        "check data quality",
        () => kept.map((e) => checkCldRow(e.row, rules)),
        length,
      );
      rows += kept.length;
      failing += checked.reduce((n, q) => n + failingFields(q).length, 0);
      after = people.at(-1)!.personId;
      if (people.length < CLD_PAGE_SIZE) break;
    }
  });
  return { stages: [...stages.values()], rows, failingFields: failing };
}
