import { submittedAssessmentsForReportsIn } from "#/features/assessment/cld-reads.ts";
import { budgetLinesForReportsIn } from "#/features/budgets/cld-reads.ts";
import { completedFinancialAssessmentsForReportsIn } from "#/features/charging/cld-reads.ts";
import { providersForReportsIn } from "#/features/directory/cld-reads.ts";
import {
  countPeopleForReportsIn,
  type PersonForReports,
  peopleForReportsPageIn,
} from "#/features/people/cld-reads.ts";
import { referralsForReportsIn } from "#/features/referrals/cld-reads.ts";
import type { CldFacts } from "#/features/reports/cld-events.calc.ts";
import { reviewsForReportsIn } from "#/features/reviews/cld-reads.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * Gathers what the Client Level Data return is derived from, through each owning feature's read functions (no
 * SQL on another feature's tables here): people in keyset pages, and for each page one query per owner. A page is
 * handed to `each` and then dropped, so a council of a million people is never held in memory as facts at once.
 */

/** People per page: big enough that the per-query cost is small, small enough that ANY($1) stays quick. */
export const CLD_PAGE_SIZE = 2000;

export type FactsProgress = (done: number, total: number) => void;

/** The facts of these people (a page, or the people a refresh re-derives), one query per owner. */
export async function cldFactsFor(
  tx: TenantTx,
  people: readonly PersonForReports[],
): Promise<Omit<CldFacts, "laCode">> {
  const ids = people.map((p) => p.personId);
  // One after the other: a transaction has one connection.
  const referrals = await referralsForReportsIn(tx, ids);
  const assessments = await submittedAssessmentsForReportsIn(tx, ids);
  const financialAssessments = await completedFinancialAssessmentsForReportsIn(tx, ids);
  const budgetLines = await budgetLinesForReportsIn(tx, ids);
  const reviews = await reviewsForReportsIn(tx, ids);
  const providerIds = [...new Set(budgetLines.flatMap((l) => (l.providerId ? [l.providerId] : [])))];
  const providers = await providersForReportsIn(tx, providerIds);
  return { people, referrals, assessments, financialAssessments, budgetLines, reviews, providers };
}

export async function eachCldFactsPage(
  tx: TenantTx,
  each: (facts: Omit<CldFacts, "laCode">) => void,
  options: { pageSize?: number; onProgress?: FactsProgress } = {},
): Promise<number> {
  const pageSize = options.pageSize ?? CLD_PAGE_SIZE;
  const total = await countPeopleForReportsIn(tx);
  options.onProgress?.(0, total);
  let after: string | null = null;
  let done = 0;
  for (;;) {
    const people = await peopleForReportsPageIn(tx, { after, limit: pageSize });
    if (people.length === 0) break;
    each(await cldFactsFor(tx, people));
    done += people.length;
    options.onProgress?.(Math.min(done, total), total);
    after = people.at(-1)!.personId;
    if (people.length < pageSize) break;
  }
  return done;
}
