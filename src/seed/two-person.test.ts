import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { earliestPayDateFor, prepareRun } from "#/features/payments/run.ts";
import { approveRun, reviewRun, runFile } from "#/features/payments/service.ts";
import { decideAllocationOverride, requestAllocationOverride } from "#/features/planning/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { ForbiddenError } from "#/platform/errors.ts";
import { DEMO_STAFF } from "#/seed/seed.ts";
import { staffScope } from "../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../test/databases.ts";
import { TODAY } from "../../test/today.ts";

/**
 * Issue 11: the demo's two-person checks complete with demo accounts alone. Demo Council has two finance officers
 * and two team managers, so a payment run prepared and reviewed by one finance officer is approved by the other,
 * and a large change to an allocation asked for by one team manager is approved by the other, with no account made
 * by the test.
 */
describe.each(enginesUnderTest())("the demo's two-person checks on %s", (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
  });
  afterAll(async () => {
    await database?.drop();
  });

  const demoAccounts = (role: string) => DEMO_STAFF.filter((s) => s.roles.includes(role as never));
  const ctxFor = async (email: string): Promise<ServiceContext> => ({
    db: database.db,
    scope: await staffScope(database, email),
    today: TODAY,
  });

  it("rule (issue 11): the demo has two finance officers and two team managers", () => {
    expect(demoAccounts("finance_officer")).toHaveLength(2);
    expect(demoAccounts("team_manager")).toHaveLength(2);
  });

  it("rule (issue 11): a payment run prepared and reviewed by one demo finance officer is approved by the other", async () => {
    const [first, second] = demoAccounts("finance_officer").map((s) => s.email);
    const maker = await ctxFor(first!);
    const checker = await ctxFor(second!);

    // The earliest pay date a Bacs file sent today can meet (a run for today itself is too late; issue 12).
    const prepared = await prepareRun(maker, { date: await earliestPayDateFor(maker) });
    expect(prepared.runId).not.toBeNull();
    // The live budget's payee has bank details approved by the second finance officer in the seed: nothing held.
    expect(prepared.made).toBeGreaterThan(0);
    expect(prepared.held).toEqual([]);
    const runId = prepared.runId!;

    await reviewRun(maker, runId);
    await expect(approveRun(maker, runId)).rejects.toBeInstanceOf(ForbiddenError);
    const approved = await approveRun(checker, runId);
    expect(approved).toMatchObject({
      status: "approved",
      reviewedBy: maker.scope.actor.id,
      approvedBy: checker.scope.actor.id,
    });
    const file = await runFile(checker, runId, "finance_csv");
    expect(file.count).toBeGreaterThan(0);
  });

  it("rule (issue 11): a large allocation change asked for by one demo team manager is approved by the other", async () => {
    const [first, second] = demoAccounts("team_manager").map((s) => s.email);
    const asker = await ctxFor(first!);
    const approver = await ctxFor(second!);
    const allocation = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("allocations")
        .select(["allocation_id", "weekly_pence"])
        .where("tenant_id", "=", asker.scope.tenantId)
        .orderBy("allocation_id")
        .executeTakeFirstOrThrow(),
    );
    const asked = await requestAllocationOverride(asker, {
      allocationId: allocation.allocation_id,
      toWeeklyPence: Number(allocation.weekly_pence) + 20_000,
      reason: "Needs two carers at every visit",
    });
    expect(asked.status).toBe("pending");
    const own = await decideAllocationOverride(asker, asked.overrideId, { approve: true }).catch(
      (e: unknown) => e,
    );
    expect((own as { refusals: { code: string }[] }).refusals.map((r) => r.code)).toEqual(["own_request"]);
    const decided = await decideAllocationOverride(approver, asked.overrideId, {
      approve: true,
      note: "Agreed",
    });
    expect(decided.status).toBe("approved");
  });
});
