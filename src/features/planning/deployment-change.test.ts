import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveBudgetsIn } from "#/features/budgets/service.ts";
import {
  getPlan,
  getPlanVersion,
  PlanRefusedError,
  proposeDeploymentChangeIn,
} from "#/features/planning/service.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { DEMO_STAFF } from "#/seed/seed.ts";
import { staffScope } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * A new draft plan version proposed by another feature's decision (issue 15: a direct-payment audit's move to a
 * managed account): the agreed plan copied with its direct-payment supports moved to a council-managed account,
 * everything else as agreed, said in the change log; an ordinary draft for the council's usual approval, so the
 * live budget does not change yet. Refused, writing nothing, while another version is open or when no support is
 * paid the way it would move from.
 */

const email = (role: string) => DEMO_STAFF.find((s) => s.roles.includes(role as never))!.email;

describe.each(enginesUnderTest())("proposing a deployment change on %s", (engine) => {
  let database: TestDatabase;
  let ctx: ServiceContext;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    ctx = { db: database.appDb, scope: await staffScope(database, email("finance_officer")), today: TODAY };
  }, 180_000);
  afterAll(() => database?.drop());

  it("copies the agreed plan with the direct payment moved to a managed account, once", async () => {
    const budget = await inTenant(ctx, async ({ tx }) =>
      (await liveBudgetsIn(tx, TODAY)).find((b) => b.lines.some((l) => l.deployment === "direct_payment")),
    );
    expect(budget).toBeDefined();
    const agreed = await getPlanVersion(ctx, budget!.planId, budget!.planVersion);
    const proposed = await inTenant(ctx, (t) =>
      proposeDeploymentChangeIn(t, {
        planId: budget!.planId,
        from: "direct_payment",
        to: "council_managed",
        proposedBy: "a direct-payment audit (test)",
      }),
    );
    const dpSupports = agreed.content.supports.filter((s) => s.deployment === "direct_payment");
    expect(proposed.changedSupports).toBe(dpSupports.length);
    const draft = await getPlanVersion(ctx, budget!.planId, proposed.version);
    expect(draft.version.status).toBe("draft");
    expect(draft.content.supports).toEqual(
      agreed.content.supports.map((s) =>
        s.deployment === "direct_payment" ? { ...s, deployment: "council_managed" } : s,
      ),
    );
    expect(draft.changes.at(-1)?.summary).toMatch(/^Proposed by a direct-payment audit \(test\)/);
    // The live budget is unchanged until the council approves the new version.
    const still = await inTenant(ctx, async ({ tx }) =>
      (await liveBudgetsIn(tx, TODAY)).find((b) => b.budgetId === budget!.budgetId),
    );
    expect(still?.planVersion).toBe(budget!.planVersion);
    // A second proposal while the draft is open is refused, and nothing is written.
    await expect(
      inTenant(ctx, (t) =>
        proposeDeploymentChangeIn(t, {
          planId: budget!.planId,
          from: "direct_payment",
          to: "council_managed",
          proposedBy: "test",
        }),
      ),
    ).rejects.toThrow(PlanRefusedError);
    expect((await getPlanVersion(ctx, budget!.planId, proposed.version)).latestVersion).toBe(
      proposed.version,
    );
  });

  it("refuses when nothing in the agreed plan is paid the way it would move from", async () => {
    // A live budget with no individual service fund whose plan has no version open.
    const candidates = await inTenant(ctx, async ({ tx }) =>
      (await liveBudgetsIn(tx, TODAY)).filter(
        (b) => !b.lines.some((l) => l.deployment === "individual_service_fund"),
      ),
    );
    let budget: (typeof candidates)[number] | undefined;
    for (const b of candidates) {
      const plan = await getPlan(ctx, b.planId);
      if (plan.versions.every((v) => v.status === "approved" || v.status === "superseded")) {
        budget = b;
        break;
      }
    }
    expect(budget).toBeDefined();
    await expect(
      inTenant(ctx, (t) =>
        proposeDeploymentChangeIn(t, {
          planId: budget!.planId,
          from: "individual_service_fund",
          to: "council_managed",
          proposedBy: "test",
        }),
      ),
    ).rejects.toThrow(/No support in the person's agreed plan is paid as/);
    expect((await getPlan(ctx, budget!.planId)).latestVersion).toBe(budget!.planVersion);
  });
});
