import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundingSharesIn } from "#/faces/statement/service.ts";
import { agreedPlanCostIn } from "#/features/budgets/agreed-plan-cost.ts";
import { committedInYear } from "#/features/budgets/budget.calc.ts";
import {
  budgetsForPerson,
  committedOnStreamIn,
  endBudgetIn,
  liveBudgetOnIn,
  liveBudgetsIn,
  recordFirstPaymentIn,
} from "#/features/budgets/service.ts";
import { fundingStreamsOn } from "#/features/funding/service.ts";
import { financialYearOf } from "#/features/funding/settings.calc.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { withSystem, withTenant } from "#/platform/db/tenant.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { DEMO_STAFF } from "#/seed/seed.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * The live personal budget as other features read it (Upfront issue 5; the money issue builds on it): the budget
 * in force on a date, every budget in force, what budgets commit from each funding stream's pot, the first
 * payment (recorded once), ending a budget, and the seams that read it (the cost of care is the agreed plan's,
 * the money statement's split between funders). The demo seed approves one plan four weeks before `today`.
 */

const START = "2026-10-26"; // the demo's approved plan starts 28 days before today

describe.each(enginesUnderTest())("personal budgets on %s", (engine) => {
  let database: TestDatabase;
  let ctx: ServiceContext;
  let personId: string;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    const user = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("staff_users")
        .where("email", "=", DEMO_STAFF.find((s) => s.roles.includes("finance_officer"))!.email)
        .select(["tenant_id", "user_id"])
        .executeTakeFirstOrThrow(),
    );
    ctx = {
      db: database.db,
      scope: { tenantId: user.tenant_id, actor: { type: "staff", id: user.user_id } },
      today: TODAY,
    };
    personId = (
      await withSystem(database.db, (trx) =>
        trx.selectFrom("personal_budgets").select("person_id").executeTakeFirstOrThrow(),
      )
    ).person_id;
  }, 240_000);
  afterAll(async () => {
    await database?.drop();
  });

  const inTx = <T>(fn: (tx: Parameters<typeof liveBudgetsIn>[0]) => Promise<T>) =>
    withTenant(database.db, ctx.scope, fn);

  it("rule (issue 5): a budget is in force from its start date, with lines that add up to its weekly amount", async () => {
    await inTx(async (tx) => {
      expect(await liveBudgetOnIn(tx, personId, "2026-10-25")).toBeNull();
      const budget = (await liveBudgetOnIn(tx, personId, START))!;
      expect(budget).toMatchObject({ status: "live", startDate: START, endDate: null });
      const gross = budget.lines.reduce((sum, l) => sum + l.weeklyPence, 0);
      expect(gross).toBe(budget.weeklyPence);
      const net = budget.lines.reduce((sum, l) => sum + l.netWeeklyPence, 0);
      expect(net).toBe(budget.weeklyPence - budget.contributionWeeklyPence);
      expect(budget.lines.filter((l) => !l.meansTested).every((l) => l.contributionWeeklyPence === 0)).toBe(
        true,
      );
      expect((await liveBudgetsIn(tx, TODAY)).map((b) => b.budgetId)).toContain(budget.budgetId);
    });
  });

  it("rule (issue 5): a stream's pot shows what live budgets commit from it this financial year", async () => {
    const on = await fundingStreamsOn(ctx, TODAY, committedOnStreamIn);
    const budgets = await inTx((tx) => liveBudgetsIn(tx, TODAY));
    for (const stream of on.streams) {
      const expected = committedInYear(
        budgets.flatMap((budget) =>
          budget.lines
            .filter((l) => l.streamId === stream.id)
            .map((l) => ({
              startDate: budget.startDate,
              endDate: null,
              weeklyPence: l.weeklyPence,
              oneOffPence: l.oneOffPence,
            })),
        ),
        financialYearOf(TODAY),
      );
      expect([stream.id, stream.committedPence]).toEqual([stream.id, expected]);
      expect(stream.availablePence).toBe(Math.max(0, stream.annualPotPence - expected));
    }
    expect(on.streams.find((s) => s.id === "adult_social_care")!.committedPence).toBeGreaterThan(0);
  });

  it("rule (charging): the cost of care is the agreed plan's, and the statement splits it between funders", async () => {
    await inTx(async (tx) => {
      const budget = (await liveBudgetOnIn(tx, personId, TODAY))!;
      expect(await agreedPlanCostIn(tx, personId)).toMatchObject({
        basis: "agreed_plan",
        weeklyPence: budget.weeklyPence,
      });
      const shares = (await fundingSharesIn(tx, personId))!;
      expect(shares.map((s) => s.funder).sort()).toEqual(["Adult social care", "Supported employment"]);
      expect(shares.reduce((sum, s) => sum + s.weeklyPence, 0)).toBe(
        budget.weeklyPence - budget.contributionWeeklyPence,
      );
    });
  });

  it("rule (direct payments): the first payment is recorded once; a different date later is refused", async () => {
    const budget = (await inTx((tx) => liveBudgetOnIn(tx, personId, TODAY)))!;
    await expect(
      inTx((tx) => recordFirstPaymentIn(tx, budget.budgetId, "2026-10-01")),
    ).rejects.toBeInstanceOf(ValidationError);
    await inTx((tx) => recordFirstPaymentIn(tx, budget.budgetId, "2026-10-30"));
    await inTx((tx) => recordFirstPaymentIn(tx, budget.budgetId, "2026-10-30"));
    await expect(
      inTx((tx) => recordFirstPaymentIn(tx, budget.budgetId, "2026-11-06")),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await budgetsForPerson(ctx, personId))[0]!.firstPaymentDate).toBe("2026-10-30");
  });

  it("rule (issue 5): ending a budget keeps it, ended from a date with a reason; it cannot end twice", async () => {
    const budget = (await inTx((tx) => liveBudgetOnIn(tx, personId, TODAY)))!;
    await expect(
      inTx((tx) => endBudgetIn(tx, budget.budgetId, "2026-12-31", "replaced" as never)),
    ).rejects.toBeInstanceOf(ValidationError);
    await inTx((tx) => endBudgetIn(tx, budget.budgetId, "2026-12-31", "moved_away"));
    await inTx(async (tx) => {
      expect((await liveBudgetOnIn(tx, personId, "2026-12-31"))?.status).toBe("ended");
      expect(await liveBudgetOnIn(tx, personId, "2027-01-01")).toBeNull();
    });
    await expect(inTx((tx) => endBudgetIn(tx, budget.budgetId, "2027-01-31", "other"))).rejects.toMatchObject(
      {
        fieldErrors: [{ path: "budgetId", message: "This budget has already ended" }],
      },
    );
  });
});
