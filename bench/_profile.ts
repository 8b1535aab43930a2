import pg from "pg";
import { submittedAssessmentsForReportsIn } from "#/features/assessment/cld-reads.ts";
import { budgetLinesForReportsIn } from "#/features/budgets/cld-reads.ts";
import { completedFinancialAssessmentsForReportsIn } from "#/features/charging/cld-reads.ts";
import { providersForReportsIn } from "#/features/directory/cld-reads.ts";
import { countPeopleForReportsIn, peopleForReportsPageIn } from "#/features/people/cld-reads.ts";
import { referralsForReportsIn } from "#/features/referrals/cld-reads.ts";
import { deriveCldEvents } from "#/features/reports/cld-events.calc.ts";
import { cldLookupsFrom } from "#/features/reports/cld-lookups.calc.ts";
import { checkCldRow } from "#/features/reports/cld-quality.calc.ts";
import { cldEventsInPeriod, parseCldPeriod } from "#/features/reports/cld-window.calc.ts";
import { reviewsForReportsIn } from "#/features/reviews/cld-reads.ts";
import { inTenant } from "#/platform/context.ts";
import { openPostgres } from "#/platform/db/database.ts";
import { rulesFor } from "#/rules/registry.ts";

const url = "postgres://postgres@127.0.0.1:5432/bench_reports";
const c = new pg.Client({ connectionString: url });
await c.connect();
const tenantId = (await c.query("select tenant_id from bench_meta")).rows[0].tenant_id;
await c.end();
const database = openPostgres(url, { max: 2 });
const times = new Map<string, number>();
const t = async <T>(k: string, f: () => Promise<T> | T): Promise<T> => {
  const s = performance.now();
  const v = await f();
  times.set(k, (times.get(k) ?? 0) + performance.now() - s);
  return v;
};
const rules = rulesFor("england", "2026-09-30").cld.rules!;
const lookups = cldLookupsFrom(rules);
const period = (parseCldPeriod("2025-10-01..2026-09-30") as any).period;
await inTenant(
  { db: database.db, scope: { tenantId, actor: { type: "system", id: null } }, today: "2026-12-07" },
  async ({ tx }) => {
    await t("count", () => countPeopleForReportsIn(tx));
    let after: string | null = null;
    for (;;) {
      const people = await t("people", () => peopleForReportsPageIn(tx, { after, limit: 2000 }));
      if (people.length === 0) break;
      const ids = people.map((p) => p.personId);
      const referrals = await t("referrals", () => referralsForReportsIn(tx, ids));
      const assessments = await t("assessments", () => submittedAssessmentsForReportsIn(tx, ids));
      const financialAssessments = await t("fas", () => completedFinancialAssessmentsForReportsIn(tx, ids));
      const budgetLines = await t("lines", () => budgetLinesForReportsIn(tx, ids));
      const reviews = await t("reviews", () => reviewsForReportsIn(tx, ids));
      const providerIds = [...new Set(budgetLines.flatMap((l) => (l.providerId ? [l.providerId] : [])))];
      const providers = await t("providers", () => providersForReportsIn(tx, providerIds));
      const derived = await t("derive", () =>
        deriveCldEvents(
          {
            people,
            referrals,
            assessments,
            financialAssessments,
            budgetLines,
            reviews,
            providers,
            laCode: "E06999999",
          },
          lookups,
          period,
        ),
      );
      const kept = await t("window", () => cldEventsInPeriod(derived, period));
      await t("quality", () => kept.map((e) => checkCldRow(e.row, rules)));
      after = people.at(-1)!.personId;
    }
  },
);
console.log([...times].map(([k, v]) => `${k} ${(v / 1000).toFixed(2)}`).join("\n"));
await database.close();
