import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FairnessQuarterInput } from "#/features/reports/fairness.calc.ts";
import { spendIn } from "#/features/reports/fairness-money.calc.ts";
import { snapshotOf } from "#/features/reports/fairness-quarters.calc.ts";
import { fairnessForCouncil, fairnessQuartersIn } from "#/features/reports/fairness-service.ts";
import { cldRowsFor } from "#/features/reports/service.ts";
import { findTenantBySlug } from "#/features/tenants/service.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { rulesFor } from "#/rules/registry.ts";
import { DEMO_TENANT_SLUG } from "#/seed/seed.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * Issue 15: the public fairness dashboard "is built from the same events as the returns, so the numbers agree
 * with what the council sends to NHS England". For the demo council, each quarter's CLD rows (cldRowsFor over the
 * quarter as the period, to the day its figures are taken) are read with plain arithmetic: the people with a
 * long-term service event, those still open on the last day, and each weekly service's cost for its days in
 * the quarter. The dashboard's people and spend (before suppression, and as shown where shown) equal them.
 */

const LONG_TERM = Object.values(rulesFor("england", TODAY).ascof.rules!.longTermServiceTypes);
const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;

describe.each(enginesUnderTest())(
  "the fairness dashboard agrees with the demo council's CLD return on %s",
  (engine) => {
    let database: TestDatabase;
    let ctx: ServiceContext;
    let quarters: FairnessQuarterInput[];

    beforeAll(async () => {
      database = await databaseFor(engine, "demo");
      const tenant = (await findTenantBySlug(database.db, DEMO_TENANT_SLUG))!;
      ctx = {
        db: database.appDb ?? database.db,
        scope: { tenantId: tenant.tenantId, actor: { type: "system", id: "test" } },
        today: TODAY,
      };
      quarters = await inTenant(ctx, ({ tx }) => fairnessQuartersIn(tx, tenant, TODAY));
    }, 180_000);
    afterAll(() => database?.drop());

    it("each quarter: people supported, people on the last day, and long-term spend are the return's", async () => {
      const shown = (await fairnessForCouncil(database.appDb ?? database.db, DEMO_TENANT_SLUG, TODAY))!
        .dashboard;
      let compared = 0;
      for (const [i, { quarter, budgets }] of quarters.entries()) {
        const end = snapshotOf(quarter, TODAY);
        const { rows } = await cldRowsFor(ctx, { period: `${quarter.start}..${end}` });
        const services = rows.filter((r) => r.eventType === "Service" && LONG_TERM.includes(r.serviceType!));
        const people = new Set(
          services.map((r) => r.nhsNumber ?? `${r.laCode}_${r.laPersonUniqueIdentifier}`),
        );
        const onLastDay = new Set(
          services
            .filter((r) => r.eventEndDate === null || r.eventEndDate >= end)
            .map((r) => r.nhsNumber ?? `${r.laCode}_${r.laPersonUniqueIdentifier}`),
        );
        let weeklyTimesDays = 0;
        for (const r of services) {
          if (r.costFrequencyUnitType !== "Weekly") continue;
          const weekly = Math.round(Number(r.unitCost) * 100) * Number(r.plannedUnitsPerWeek);
          const first = Math.max(day(r.eventStartDate!), day(quarter.start));
          const last = Math.min(r.eventEndDate === null ? day(end) : day(r.eventEndDate), day(end));
          weeklyTimesDays += weekly * (last - first + 1);
        }
        const total = Math.round(weeklyTimesDays / 7);

        // Before suppression: the quarter's budgets as the dashboard has them.
        const unsuppressed = spendIn(quarter, TODAY, budgets, 1);
        expect([unsuppressed.people, unsuppressed.totalPence]).toEqual([people.size, total]);
        const live = budgets.filter((b) => b.startDate <= end && (b.endDate === null || end <= b.endDate));
        expect(new Set(live.map((b) => b.personId)).size).toBe(onLastDay.size);

        // As shown: the same figures, where the quarter has enough people to show them.
        const q = shown.quarters[i]!;
        if (!q.spend.hidden) {
          expect([q.spend.people, q.spend.totalPence]).toEqual([people.size, total]);
          compared += 1;
        }
        if (!q.everyone.hidden && q.notCompared !== null) {
          expect(q.everyone.people! + q.notCompared).toBe(onLastDay.size);
        }
      }
      // The demo has quarters big enough to show: the comparison is not empty.
      expect(compared).toBeGreaterThan(1);
    });
  },
);
