import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import { peopleOfAssessmentsForReportsIn } from "#/features/assessment/cld-reads.ts";
import { peopleOfBudgetsForReportsIn } from "#/features/budgets/cld-reads.ts";
import { peopleOfFinancialAssessmentsForReportsIn } from "#/features/charging/cld-reads.ts";
import {
  countPeopleForReportsIn,
  peopleForReportsByIdIn,
  peopleForReportsPageIn,
} from "#/features/people/cld-reads.ts";
import { peopleOfReferralsForReportsIn } from "#/features/referrals/cld-reads.ts";
import { CLD_PAGE_SIZE, cldFactsFor } from "#/features/reports/cld-facts.ts";
import { cldLookupsFrom } from "#/features/reports/cld-lookups.calc.ts";
import { storedCldRows } from "#/features/reports/cld-store.calc.ts";
import {
  databaseNowIn,
  deleteCldEventsInRangeIn,
  deleteCldEventsOfPeopleIn,
  insertCldEventsIn,
  latestCldRefreshIn,
  lockCldEventsIn,
  recordCldRefreshIn,
} from "#/features/reports/cld-store.ts";
import { peopleOfReviewsForReportsIn } from "#/features/reviews/cld-reads.ts";
import { currentTenantIn } from "#/features/tenants/service.ts";
import { recordsChangedIn } from "#/platform/audit/audit.ts";
import type { DB } from "#/platform/db/schema.ts";
import { type TenantScope, type TenantTx, withTenant } from "#/platform/db/tenant.ts";
import type { CldRules } from "#/rules/registry.ts";

/**
 * Keeps the CLD events table (cld-store.ts) up to date, through the one derivation (cld-facts.ts →
 * cld-events.calc.ts → cld-quality.calc.ts, via cld-store.calc.ts): for some people, their rows are deleted,
 * derived again from their owners' records and written, a page of people per transaction.
 *
 * - A full rebuild pages through every person (nightly, and whenever the rules or the council's code the rows were
 *   derived with have changed).
 * - A catch-up re-derives only the people whose records changed since the last refresh. Who changed is read from
 *   the audit trail: every service that creates or changes a record the return is derived from (a person, a
 *   referral, an assessment or its eligibility decision, a financial assessment, a personal budget, a review, a
 *   directory provider) audits it in the same transaction, with the record's id, so the trail is complete where
 *   owners' timestamps are not (people and referrals have no updated_at, and a referral's outcome, a budget's end
 *   or a provider's CQC location change rows in place). Each owner says which people its records are about
 *   (their cld-reads.ts), so no feature imports reports and reports reads no neighbour's table. The window starts
 *   OVERLAP before the last refresh's end, so a change whose transaction committed after that refresh read the
 *   trail (its event dated before) is still seen; re-deriving someone twice changes nothing.
 */

/** How far back past the last refresh a catch-up looks again (longer than any transaction that writes records). */
export const CHANGE_OVERLAP_MS = 10 * 60_000;

/** The audit trail's record types the return is derived from. */
const RECORD_TYPES = [
  "person",
  "referral",
  "assessment",
  "eligibility_decision",
  "financial_assessment",
  "personal_budget",
  "review",
  "directory_provider",
] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Which rules the rows were derived with: a change to the CLD rules means the rows are derived again. */
export function cldRulesKey(rules: CldRules): string {
  return createHash("sha256").update(JSON.stringify(rules)).digest("hex").slice(0, 32);
}

export type CldDerivation = { rules: CldRules; rulesKey: string; laCode: string | null };

/** People re-derived so far, of how many. */
export type RefreshProgress = (done: number, total: number) => void;

export type RefreshOutcome = {
  kind: "full" | "catch_up";
  people: number;
  rows: number;
  milliseconds: number;
};

type Db = Kysely<DB>;

async function refreshPeopleIn(
  tx: TenantTx,
  derivation: CldDerivation,
  people: Awaited<ReturnType<typeof peopleForReportsPageIn>>,
): Promise<number> {
  const facts = await cldFactsFor(tx, people);
  const rows = storedCldRows(
    { ...facts, laCode: derivation.laCode },
    cldLookupsFrom(derivation.rules),
    derivation.rules,
  );
  await insertCldEventsIn(tx, rows);
  return rows.length;
}

/** Every person's rows derived again, a page of people per transaction; recorded as a full refresh. */
export async function rebuildCldEvents(
  db: Db,
  scope: TenantScope,
  derivation: CldDerivation,
  options: { pageSize?: number; onProgress?: RefreshProgress } = {},
): Promise<RefreshOutcome> {
  const pageSize = options.pageSize ?? CLD_PAGE_SIZE;
  const t0 = performance.now();
  const { startedAt, total } = await withTenant(db, scope, async (tx) => ({
    startedAt: await databaseNowIn(tx),
    total: await countPeopleForReportsIn(tx),
  }));
  options.onProgress?.(0, total);
  let after: string | null = null;
  let people = 0;
  let rows = 0;
  for (;;) {
    const page = await withTenant(db, scope, async (tx) => {
      await lockCldEventsIn(tx);
      const found = await peopleForReportsPageIn(tx, { after, limit: pageSize });
      const last = found.length < pageSize ? null : found.at(-1)!.personId;
      await deleteCldEventsInRangeIn(tx, { after, upTo: last });
      return { found, last, rows: found.length === 0 ? 0 : await refreshPeopleIn(tx, derivation, found) };
    });
    people += page.found.length;
    rows += page.rows;
    options.onProgress?.(Math.min(people, total), Math.max(people, total));
    if (page.last === null) break;
    after = page.last;
  }
  const outcome = { kind: "full" as const, people, rows, milliseconds: Math.round(performance.now() - t0) };
  await withTenant(db, scope, async (tx) => record(tx, derivation, outcome, startedAt, startedAt));
  return outcome;
}

async function record(
  tx: TenantTx,
  derivation: CldDerivation,
  outcome: RefreshOutcome,
  startedAt: Date,
  recordsReadTo: Date,
) {
  await recordCldRefreshIn(tx, {
    ...outcome,
    startedAt,
    finishedAt: await databaseNowIn(tx),
    recordsReadTo,
    rulesKey: derivation.rulesKey,
    laCode: derivation.laCode,
  });
}

/** The people whose records the audit trail shows created or changed in the window, through their owners. */
export async function peopleChangedIn(tx: TenantTx, window: { after: Date; upTo: Date }): Promise<string[]> {
  const records = await recordsChangedIn(tx, { ...window, recordTypes: RECORD_TYPES });
  const ids = (type: (typeof RECORD_TYPES)[number]) =>
    records.filter((r) => r.recordType === type && UUID.test(r.recordId)).map((r) => r.recordId);
  const people = new Set<string>(ids("person"));
  const add = (list: readonly string[]) => {
    for (const id of list) people.add(id);
  };
  add(await peopleOfReferralsForReportsIn(tx, ids("referral")));
  add(
    await peopleOfAssessmentsForReportsIn(tx, {
      assessmentIds: ids("assessment"),
      decisionIds: ids("eligibility_decision"),
    }),
  );
  add(await peopleOfFinancialAssessmentsForReportsIn(tx, ids("financial_assessment")));
  add(
    await peopleOfBudgetsForReportsIn(tx, {
      budgetIds: ids("personal_budget"),
      providerIds: ids("directory_provider"),
    }),
  );
  add(await peopleOfReviewsForReportsIn(tx, ids("review")));
  return [...people].sort();
}

/** Re-derives these people's rows (a page per transaction); those no longer in the council lose theirs. */
export async function refreshCldPeople(
  db: Db,
  scope: TenantScope,
  derivation: CldDerivation,
  personIds: readonly string[],
  pageSize = CLD_PAGE_SIZE,
): Promise<{ people: number; rows: number }> {
  let rows = 0;
  for (let i = 0; i < personIds.length; i += pageSize) {
    const ids = personIds.slice(i, i + pageSize);
    rows += await withTenant(db, scope, async (tx) => {
      await lockCldEventsIn(tx);
      await deleteCldEventsOfPeopleIn(tx, ids);
      const people = await peopleForReportsByIdIn(tx, ids);
      return people.length === 0 ? 0 : refreshPeopleIn(tx, derivation, people);
    });
  }
  return { people: personIds.length, rows };
}

/**
 * Brings the table up to date: a catch-up of the people changed since the last refresh, or a full rebuild when
 * there has been none, or the rows were derived with other rules or another council code.
 */
export async function bringCldEventsUpToDate(
  db: Db,
  scope: TenantScope,
  derivation: CldDerivation,
  options: { forceFull?: boolean; onProgress?: RefreshProgress; overlapMs?: number } = {},
): Promise<RefreshOutcome> {
  const t0 = performance.now();
  const state = await withTenant(db, scope, async (tx) => {
    await lockCldEventsIn(tx);
    return { last: await latestCldRefreshIn(tx), now: await databaseNowIn(tx) };
  });
  const { last, now } = state;
  if (
    options.forceFull ||
    !last ||
    last.rulesKey !== derivation.rulesKey ||
    last.laCode !== derivation.laCode
  ) {
    return rebuildCldEvents(
      db,
      scope,
      derivation,
      options.onProgress ? { onProgress: options.onProgress } : {},
    );
  }
  const after = new Date(last.recordsReadTo.getTime() - (options.overlapMs ?? CHANGE_OVERLAP_MS));
  const changed = await withTenant(db, scope, (tx) => peopleChangedIn(tx, { after, upTo: now }));
  options.onProgress?.(0, changed.length);
  const done = await refreshCldPeople(db, scope, derivation, changed);
  options.onProgress?.(changed.length, changed.length);
  const outcome = {
    kind: "catch_up" as const,
    ...done,
    milliseconds: Math.round(performance.now() - t0),
  };
  await withTenant(db, scope, (tx) => record(tx, derivation, outcome, now, now));
  return outcome;
}

/** The council's code and these rules, as a refresh derives with them. */
export async function cldDerivationIn(tx: TenantTx, rules: CldRules): Promise<CldDerivation> {
  const council = await currentTenantIn(tx);
  return { rules, rulesKey: cldRulesKey(rules), laCode: council.onsCode };
}
