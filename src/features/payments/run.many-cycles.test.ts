import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyLedgerIn } from "#/features/ledger/verify.ts";
import { paymentsTenant, personWithBudget } from "#/features/payments/payments.fixture.ts";
import { prepareRun } from "#/features/payments/run.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";

/**
 * Issue 13, found by bench/crash-trials.ts: a run's batch inserts every payment due so far for its budgets (the
 * ones made before are skipped by ON CONFLICT), so the insert grows with each cycle. Past 65,535 bind
 * parameters (about 3,300 payment rows) PostgreSQL refused it ("bind message has … parameter formats"), and a
 * council paying weekly could not run payments once its budgets were about 17 weeks old (4-weekly: 17 cycles).
 */

const PEOPLE = 24;
const START = "2024-01-08"; // a Monday: weekly cycles every Monday
const RUN = "2027-06-07"; // a Monday, 178 weeks on
const CYCLES = 179;

describe.each(enginesUnderTest())("payment runs over many cycles on %s", (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
  }, 60_000);
  afterAll(() => database?.drop());

  it("rule (scale, issue 13): a batch of budgets with 4,000+ payments due makes them all, past the protocol's 65,535 parameters", async () => {
    const tenant = await paymentsTenant(database, "2027-06-01", { anchorDate: START, frequency: "weekly" });
    for (let n = 1; n <= PEOPLE; n++)
      await personWithBudget(
        database,
        tenant,
        { startDate: START, approvedOn: "2024-01-02", directWeekly: 1_000 + n },
        n,
      );
    const outcome = await prepareRun(tenant.maker, { date: RUN }, { batchSize: PEOPLE });
    expect(outcome.held).toEqual([]);
    expect(outcome.made).toBe(PEOPLE * CYCLES); // 4,296 payment rows in one batch: 85,920 parameters
    expect(outcome.madePence).toBe(
      CYCLES * Array.from({ length: PEOPLE }, (_, i) => 1_001 + i).reduce((a, b) => a + b),
    );
    const again = await prepareRun(tenant.maker, { date: RUN }, { batchSize: PEOPLE });
    expect(again).toMatchObject({ made: 0, alreadyMade: PEOPLE * CYCLES });
    expect((await verifyLedgerIn(database.db)).problems).toEqual([]);
  }, 240_000);
});
