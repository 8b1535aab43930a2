import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD } from "#/features/accounts/portal.fixture.ts";
import { budgetsForPersonIn } from "#/features/budgets/service.ts";
import { approvePlan } from "#/features/planning/service.ts";
import { staffCtx } from "#/features/spending/spending.fixture.ts";
import { inTenant } from "#/platform/context.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { InjectBrowser, pageText } from "../../../test/inject-browser.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * The budget page on a budget's first day (Upfront issue 12): the demo's waiting plan is approved to start today,
 * before any payment has been made, and its holder opens their budget at /my. Nothing has had time to be spent, so
 * there is no "0% spent" alert; the first payment is not in yet, so no account is projected below zero; and the
 * chart writes every amount exactly as the table beside it does.
 */

/** The text of each cell of the page's balances table. */
const tableCells = (html: string) => {
  const table = /<table[^>]*id="budget-table"[\s\S]*?<\/table>/.exec(html)![0];
  return [...table.matchAll(/<t[dh]\b[^>]*>([\s\S]*?)<\/t[dh]>/g)].map((m) => pageText(m[1]!).trim());
};
/** Each bar's amount, as drawn under its measure ("Came in", then "£0.00"). */
const barLabels = (html: string) =>
  [
    ...html.matchAll(
      /<tspan[^>]*>(?:Came in|Went out|Planned|Projected at end)<\/tspan><tspan[^>]*>([^<]+)<\/tspan>/g,
    ),
  ].map((m) => m[1]!);
/** The chart's axis labels. */
const axisLabels = (html: string) =>
  [...(/<svg[\s\S]*?<\/svg>/.exec(html)?.[0] ?? "").matchAll(/<text\b[^>]*>([^<]+)<\/text>/g)]
    .map((m) => m[1]!)
    .filter((t) => /\d/.test(t));

describe.each(enginesUnderTest())("a budget on its first day on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let personId: string;
  let holder: InjectBrowser;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    const manager = await staffCtx(database, "team_manager");
    const plan = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("support_plans as p")
        .innerJoin("plan_versions as v", (j) =>
          j.onRef("v.tenant_id", "=", "p.tenant_id").onRef("v.plan_id", "=", "p.plan_id"),
        )
        .where("v.status", "=", "submitted")
        .select(["p.plan_id", "v.version", "p.person_id"])
        .executeTakeFirstOrThrow(),
    );
    personId = plan.person_id;
    await approvePlan(manager, plan.plan_id, plan.version, { startDate: TODAY });
    const budget = await inTenant(manager, async ({ tx }) => (await budgetsForPersonIn(tx, personId))[0]!);
    expect(budget.startDate).toBe(TODAY);
    expect(budget.lines.some((l) => l.deployment === "direct_payment")).toBe(true);

    app = await buildTestApp(database, { cookieSecure: true });
    // The holder gets an online account the way a person does: staff make a code, the person claims it.
    const staff = await new InjectBrowser(app).signIn("social_worker");
    await staff.get(`/people/${personId}/online-access`);
    const made = await staff.post(`/people/${personId}/online-access/codes`, {});
    const code = /id="claim-code"[^>]*>([0-9A-Z-]{19})</.exec(made.body)![1]!;
    holder = new InjectBrowser(app);
    await holder.get("/my/claim");
    const claimed = await holder.post("/my/claim", {
      code,
      email: "first-day@demo.upfront.test",
      password: PASSWORD,
      confirmPassword: PASSWORD,
    });
    expect(claimed.statusCode).toBe(303);
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("rule (issue 12): no under- or overspend alert (no '0% spent') before the period has run long enough to judge; the page says when it will", async () => {
    const res = await holder.get(`/my/people/${personId}/budget`);
    expect(res.statusCode).toBe(200);
    const text = pageText(res.body);
    expect(text).toContain("Your budget");
    expect(text).not.toContain("Less spent than planned");
    expect(text).not.toContain("More spent than planned");
    expect(text).not.toMatch(/\b0% of/);
    // TODAY is 23 November 2026; 14 days of the budget have run on 6 December 2026.
    expect(text).toContain("It is too soon to compare spending with the plan: we start on 6 December 2026");
  });

  it("rule (issue 12): before the first payment is in, no account is projected below zero", async () => {
    const res = await holder.get(`/my/people/${personId}/budget`);
    const cells = tableCells(res.body);
    expect(cells.length).toBeGreaterThan(6);
    expect(cells.filter((c) => c.includes("-£"))).toEqual([]);
    expect(res.body).not.toMatch(/projected balance at the end -£/);
  });

  it("rule (issue 12): the chart writes money exactly as the table does: each bar's amount is one of the table's figures, and the axis is in the same form", async () => {
    const res = await holder.get(`/my/people/${personId}/budget`);
    const cells = new Set(tableCells(res.body));
    const bars = barLabels(res.body);
    expect(bars).toHaveLength(4); // one account (the direct payment): came in, went out, planned, projected
    for (const t of bars) expect(cells.has(t), `${t} is in the table`).toBe(true);
    const axis = axisLabels(res.body);
    expect(axis.length).toBeGreaterThan(1);
    for (const t of axis) expect(t).toMatch(/^-?£\d{1,3}(,\d{3})*\.\d\d$/);
  });
});
