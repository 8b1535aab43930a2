import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPayments } from "#/cli/payments.ts";
import {
  type FixtureBudget,
  type PaymentsTenant,
  paymentsTenant,
  personWithBudget,
} from "#/features/payments/payments.fixture.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../test/databases.ts";

/**
 * `upfront payments run` (issue 12: the README's example must work for ever): without `--date` it prepares the
 * run for the earliest pay date a Bacs file sent today can meet and prints that date; a `--date` too soon is
 * refused (exit 1), naming the earliest date that works as YYYY-MM-DD, and nothing is made.
 */
describe.each(enginesUnderTest())("upfront payments run on %s", (engine) => {
  let database: TestDatabase;
  let tenant: PaymentsTenant;
  let unpaid: FixtureBudget;
  const run = async (options: { date?: string }) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runPayments(
      database,
      { ...options, tenant: tenant.slug, today: "2026-01-07" },
      { out: (l) => out.push(l), err: (l) => err.push(l), tty: false },
    );
    return { code, out, err };
  };

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    tenant = await paymentsTenant(database, "2026-01-07");
    await personWithBudget(database, tenant, {
      startDate: "2026-01-05",
      approvedOn: "2026-01-02",
      directWeekly: 5_000,
    });
    // No payee yet: the run holds this person's payment.
    unpaid = await personWithBudget(
      database,
      tenant,
      { startDate: "2026-01-05", approvedOn: "2026-01-02", directWeekly: 7_000, bankDetails: false },
      2,
    );
  }, 60_000);
  afterAll(() => database?.drop());

  it("rule (issue 12): a --date too soon for Bacs is refused, naming the earliest date that works", async () => {
    const refused = await run({ date: "2026-01-08" });
    expect(refused.code).toBe(1);
    expect(refused.err.join("\n")).toContain(
      "--date: 2026-01-08 is too soon for a Bacs payment made today: the earliest pay date that works is 2026-01-09",
    );
    expect(refused.out.join("\n")).not.toMatch(/payments? made/);
  });

  it("rule (issue 12): without --date, the run is for the earliest workable pay date, printed", async () => {
    const done = await run({});
    expect(done.err).toEqual([]);
    expect(done.code).toBe(0);
    expect(done.out[0]).toBe(
      `${tenant.slug}: the earliest pay date a Bacs file sent today can meet is 2026-01-09`,
    );
    expect(done.out.join("\n")).toMatch(/run 1 for 2026-01-09: 1 payment made \(£50\.00\)/); // the part cycle 5–11 January
    // And --date still works for that date: the payment is made once.
    const again = await run({ date: "2026-01-09" });
    expect(again.out.join("\n")).toMatch(/0 payments made.*1 already made/);
  });

  it("held payments are printed by the person's name and reference and why, as on the run page, never by the internal payment key", async () => {
    const again = await run({ date: "2026-01-09" });
    const out = again.out.join("\n");
    expect(out).toContain(
      `  held: Person2 Fernhollow (P${unpaid.personId.slice(-8)}): The person has no payee record: add them as a payee with their bank details`,
    );
    expect(out).not.toContain(unpaid.budgetId);
  });
});
