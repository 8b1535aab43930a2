import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endBudgetIn } from "#/features/budgets/service.ts";
import {
  type FixtureBudget,
  type PaymentsTenant,
  paymentsTenant,
  personWithBudget,
} from "#/features/payments/payments.fixture.ts";
import { prepareRun } from "#/features/payments/run.ts";
import { approveRun, reviewRun } from "#/features/payments/service.ts";
import { carerRows, serviceUserRows, YEAR_2025_26 } from "#/features/reports/ascof.fixture.ts";
import { ascofMeasures, personalisedSpendByYear, spendMeasures } from "#/features/reports/measures.ts";
import { recordTopUp } from "#/features/spending/top-ups.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { withTenant } from "#/platform/db/tenant.ts";
import { ValidationError } from "#/platform/errors.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";

/**
 * Spend by ASC-FR setting for a council and year, read through the owners (issue 15, "Measures from the same
 * events"; REPORTING.md §2, §6.8): every budget line in a setting, gross cost for the days it ran in the year,
 * contributions as income beside it (never netted), top-ups excluded, payments made by deployment beside it, and
 * personalised vs non-personalised by year. A small council built by hand (payments fixture, 4-weekly cycles
 * from Monday 12 January 2026):
 *
 * - Ann: from 12 Jan 2026, a £100/wk direct payment (personal care) with a £20/wk contribution netted, a £150
 *   one-off, and £50/wk council-arranged "day_opportunities" (a category the mapping does not name). Paid by runs
 *   on 12 Jan (cycle 1) and 9 Mar (cycles 2, 3) in 2025-26, and on 2 Apr 2026 (cycle 4, due on Easter Monday) in
 *   2026-27. A £25 top-up on 1 Feb 2026 and £40 on 1 May 2026.
 * - Bo: from 2 Jun 2025 to 28 Feb 2026, a £70/wk direct payment; no bank details, so never paid.
 */

describe.each(enginesUnderTest())("spend by ASC-FR setting on %s", (engine) => {
  let database: TestDatabase;
  let tenant: PaymentsTenant;
  let finance: ServiceContext;
  let ann: FixtureBudget;

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    tenant = await paymentsTenant(database);
    finance = { ...tenant.maker, today: "2026-06-01" };
    ann = await personWithBudget(database, tenant, {
      startDate: "2026-01-12",
      approvedOn: "2026-01-05",
      directWeekly: 10_000,
      councilWeekly: 5_000,
      contributionWeekly: 2_000,
      oneOff: 15_000,
    });
    const bo = await personWithBudget(
      database,
      tenant,
      { startDate: "2025-06-02", approvedOn: "2025-05-20", directWeekly: 7_000, bankDetails: false },
      2,
    );
    await withTenant(finance.db, finance.scope, (tx) =>
      endBudgetIn(tx, bo.budgetId, "2026-02-28", "moved_away"),
    );
    const first = await prepareRun(tenant.maker, { date: "2026-01-12" });
    await reviewRun(tenant.maker, first.runId!);
    await approveRun(tenant.checker, first.runId!);
    await prepareRun(tenant.maker, { date: "2026-03-09" });
    await prepareRun(tenant.maker, { date: "2026-04-02" });
    await recordTopUp(finance, ann.budgetId, {
      amountPence: 2_500,
      receivedOn: "2026-02-01",
      fromWhom: "Her son",
    });
    await recordTopUp(finance, ann.budgetId, {
      amountPence: 4_000,
      receivedOn: "2026-05-01",
      fromWhom: "Her son",
    });
  }, 120_000);
  afterAll(() => database?.drop());

  it("2025-26: each line in its setting, gross for the days it ran (ASC-FR: gross expenditure)", async () => {
    const { spend } = await spendMeasures(finance, { year: 2025 });
    const gross = Object.fromEntries(spend.settings.map((s) => [s.id, s.grossPence]));
    // Ann, 12 Jan–31 Mar 2026 = 79 days: DP 10000 × 79 / 7 = 112,857.14 → 112,857, + the 15,000 one-off = 127,857;
    // Bo, 2 Jun 2025–28 Feb 2026 = 272 days: 7000 × 272 / 7 = 272,000. Community: Direct Payments = 399,857.
    expect(gross.community_direct_payments).toBe(399_857);
    // Ann's council-arranged day_opportunities: 5000 × 79 / 7 = 56,428.57 → 56,429, in the fallback, unmapped.
    expect(gross.community_other_long_term).toBe(56_429);
    expect(spend.lines.filter((l) => !l.mapped).map((l) => l.budgetId)).toEqual([ann.budgetId]);
    expect(spend.lines.find((l) => !l.mapped)).toMatchObject({
      category: "day_opportunities",
      deployment: "council_arranged",
      streamId: "asc",
    });
    expect(spend.grossPence).toBe(456_286);
  });

  it("2025-26: the contribution is income beside the gross, never netted from it", async () => {
    const { spend, contributions } = await spendMeasures(finance, { year: 2025 });
    // 2000 × 79 / 7 = 22,571.43 → 22,571 assessed on Ann's DP line; the gross above still counts the whole £100/wk.
    expect(spend.contributionIncomePence).toBe(22_571);
    expect(contributions.assessedPence).toBe(22_571);
    // Netted from the three direct payments made in the year: 3 cycles × 4 weeks × £20 = 24,000.
    expect(contributions.nettedFromPaymentsPence).toBe(24_000);
    expect(contributions.invoicedPence).toBe(0); // this council nets, it does not invoice
  });

  it("2025-26: payments made by deployment, cash net of contributions; Bo (no bank details) was never paid", async () => {
    const { paidByDeployment } = await spendMeasures(finance, { year: 2025 });
    const paid = Object.fromEntries(paidByDeployment.map((p) => [p.deployment, p]));
    // DP: cycle 1 = 4 × (10000 − 2000) + 15000 = 47,000; cycles 2 and 3 = 32,000 each → 111,000 in 3 payments.
    expect(paid.direct_payment).toMatchObject({
      payments: 3,
      netPence: 111_000,
      contributionNettedPence: 24_000,
    });
    // Council-arranged: 3 cycles × 4 × 5000 = 60,000. Cycle 4 (paid 2 Apr 2026) is in 2026-27.
    expect(paid.council_arranged).toMatchObject({ payments: 3, netPence: 60_000 });
    expect(paid.council_managed).toMatchObject({ payments: 0, netPence: 0 });
  });

  it("2025-26: top-ups are excluded from spend and reported as excluded", async () => {
    const { topUpsExcluded, spend } = await spendMeasures(finance, { year: 2025 });
    expect(topUpsExcluded).toEqual({ count: 1, pence: 2_500, people: 1 });
    expect(spend.grossPence).toBe(456_286); // unchanged by the top-up
  });

  it("personalised vs non-personalised by year (REPORTING.md §2 PROPOSAL: DP rows)", async () => {
    const years = await personalisedSpendByYear(finance, { fromYear: 2024, toYear: 2026 });
    expect(years.map((y) => y.year.label)).toEqual(["2024 to 2025", "2025 to 2026", "2026 to 2027"]);
    // 2024-25: nothing. 2025-26: 399,857 of 456,286 = 87.63…% → 87.6.
    // 2026-27 (365 days, Bo ended): DP 10000 × 365 / 7 = 521,429; council 5000 × 365 / 7 = 260,714 → 66.67% → 66.7.
    expect(years.map((y) => [y.personalisedPence, y.nonPersonalisedPence, y.personalisedPercent])).toEqual([
      [0, 0, null],
      [399_857, 56_429, 87.6],
      [521_429, 260_714, 66.7],
    ]);
  });

  it("a council with nothing in the year says so", async () => {
    const empty = await paymentsTenant(database);
    const result = await spendMeasures(empty.maker, { year: 2025 });
    expect(result.nothingToReport).toBe(true);
    expect(result.spend.grossPence).toBe(0);
  });

  it("bad input gets a message saying what to fix", async () => {
    const failure = (input: unknown, call = spendMeasures) => call(finance, input).catch((e: unknown) => e);
    const early = await failure({ year: 2013 });
    expect(early).toBeInstanceOf(ValidationError);
    expect((early as ValidationError).fieldErrors[0]?.message).toMatch(/starts with April 2014/);
    expect(await failure({ year: "this year" })).toBeInstanceOf(ValidationError);
    const backwards = await personalisedSpendByYear(finance, { fromYear: 2026, toYear: 2025 }).catch(
      (e) => e,
    );
    expect((backwards as ValidationError).fieldErrors[0]?.message).toMatch(
      /first year must not be after the last/,
    );
  });

  it("ASCOF for the council's year runs the hand-checked population through the council's rules", async () => {
    const result = await ascofMeasures(finance, YEAR_2025_26, [...serviceUserRows(), ...carerRows()]);
    // As ascof.calc.test.ts works out: 3D1a 5/7 = 71.4%, 2E 4/11 = 36.4%.
    const total = (measure: string) =>
      result.figures.find((f) => f.measure === measure && f.group === "total");
    expect(total("3D1a")).toMatchObject({ numerator: 5, denominator: 7, percent: 71.4 });
    expect(total("2E")).toMatchObject({ numerator: 4, denominator: 11, percent: 36.4 });
  });

  it("ASCOF refuses a period over 12 months, backwards, or before CLD-based ASCOF, saying what to give", async () => {
    const failure = (period: unknown): Promise<ValidationError> =>
      ascofMeasures(finance, period, []).then(
        () => Promise.reject(new Error("expected a ValidationError")),
        (e: unknown) => e as ValidationError,
      );
    const long = await failure({ start: "2025-04-01", end: "2026-04-01" });
    expect(long.fieldErrors[0]?.message).toMatch(/at most 12 months/);
    const backwards = await failure({ start: "2025-04-01", end: "2025-03-31" });
    expect(backwards.fieldErrors[0]?.message).toMatch(/end on or after/);
    const early = await failure({ start: "2023-04-01", end: "2024-03-31" });
    expect(early.fieldErrors[0]?.message).toMatch(/starts with 2024 to 2025/);
    expect(await failure({ start: "2025-04-31", end: "2026-03-31" })).toBeInstanceOf(ValidationError);
  });
});
