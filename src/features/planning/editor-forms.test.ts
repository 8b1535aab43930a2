import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withSystem } from "#/platform/db/tenant.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { errorSummaryLinks, htmlUnescape, InjectBrowser, location } from "../../../test/inject-browser.ts";

/**
 * Issue 12's points about the plan editor's forms: a plan's first outcome starts from the assessment's "What
 * matters to you"; an empty reason for going over budget is refused; the Add-a-support form reveals each choice's
 * questions under it (GOV.UK conditional radios, all shown without JavaScript) and keeps what was typed when
 * searching for a provider.
 */

/** The value of a form field on a page: an input's value attribute or a textarea's text. */
function fieldValue(html: string, id: string): string | undefined {
  const input = new RegExp(`<input[^>]*id="${id}"[^>]*>`).exec(html)?.[0];
  if (input) return htmlUnescape(/value="([^"]*)"/.exec(input)?.[1] ?? "");
  const textarea = new RegExp(`<textarea[^>]*id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  return textarea ? htmlUnescape(textarea[1]!.trim()) : undefined;
}

describe.each(enginesUnderTest())("the plan editor's forms on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let worker: InjectBrowser;
  let base: string;
  let whatMatters: string;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database);
    worker = await new InjectBrowser(app).signIn("social_worker");
    // People of the demo council with an indicative budget; the first one a plan can be started for.
    const people = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("people as p")
        .innerJoin("tenants as t", "t.tenant_id", "p.tenant_id")
        .innerJoin("assessments as a", (j) =>
          j.onRef("a.tenant_id", "=", "p.tenant_id").onRef("a.person_id", "=", "p.person_id"),
        )
        .innerJoin("allocations as al", (j) =>
          j.onRef("al.tenant_id", "=", "a.tenant_id").onRef("al.assessment_id", "=", "a.assessment_id"),
        )
        .where("t.slug", "=", "demo")
        .where("a.status", "=", "submitted")
        .select(["p.person_id as personId", "a.answers"])
        .orderBy("p.reference", "desc")
        .execute(),
    );
    for (const person of people) {
      await worker.get(`/people/${person.personId}/plans`);
      const started = await worker.post(`/people/${person.personId}/plans`, {});
      if (started.statusCode === 303) {
        base = location(started);
        whatMatters = String((person.answers as { whatMattersToMe?: string }).whatMattersToMe ?? "");
        break;
      }
    }
    expect(base, "a demo person a plan can be started for").toBeDefined();
    expect(whatMatters).not.toBe("");
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("rule (issue 12): a new plan's first outcome starts from the assessment's “What matters to you”", async () => {
    const page = await worker.get(`${base}/outcomes/new`);
    expect(page.statusCode).toBe(200);
    expect(fieldValue(page.body, "inTheirWords")).toBe(whatMatters.trim());
    expect(page.body).toContain("said matters to them in the assessment");
    const saved = await worker.post(`${base}/outcomes`, {
      inTheirWords: fieldValue(page.body, "inTheirWords")!,
      howWeWillKnow: "I do it every week",
    });
    expect(saved.statusCode).toBe(303);
    // Once the plan has an outcome, the next one starts blank.
    expect(fieldValue((await worker.get(`${base}/outcomes/new`)).body, "inTheirWords")).toBe("");
  });

  it("rule (issue 12): an empty reason for going over budget is refused with an error saying what to write", async () => {
    await worker.get(`${base}/over-budget-reason`);
    const res = await worker.post(`${base}/over-budget-reason`, { overAllocationReason: "   " });
    expect(res.statusCode).toBe(400);
    expect(errorSummaryLinks(res.body)).toEqual([
      { href: "#overAllocationReason", text: "Enter why the plan needs more than the budget" },
    ]);
    const ok = await worker.post(`${base}/over-budget-reason`, {
      overAllocationReason: "Two carers are needed",
    });
    expect(ok.statusCode).toBe(303);
  });

  it("rule (issue 12): each choice's questions sit under it as GOV.UK conditional radios (shown without JavaScript)", async () => {
    const page = (await worker.get(`${base}/supports/new`)).body;
    /** The id of the conditional block a field sits in: the last one opened before it. */
    const conditional = (id: string) => {
      const before = page.slice(0, page.indexOf(`id="${id}"`));
      return [...before.matchAll(/<div class="govuk-radios__conditional[^"]*" id="([^"]+)">/g)].at(-1);
    };
    for (const [radio, fields] of [
      ["sourceKind", ["providerId", "providerSearch"]],
      ["sourceKind-2", ["paName"]],
      ["sourceKind-3", ["poolArrangement", "poolPeople"]],
      ["sourceKind-4", ["selfDescription"]],
      ["sourceKind-5", ["universalName"]],
      ["costBasis", ["unitCost", "unit", "unitsPerWeek"]],
      ["costBasis-2", ["oneOffAmount"]],
    ] as const) {
      const controls = new RegExp(`id="${radio}"[^>]*data-aria-controls="([^"]+)"`).exec(page)?.[1];
      expect(controls, radio).toBeDefined();
      for (const field of fields) expect(conditional(field)?.[1], `${field} under ${radio}`).toBe(controls);
    }
    // Nothing is chosen yet, so the markup hides each one only once JavaScript has run (the class
    // govuk-radios__conditional--hidden); every field is still in the page for a browser without it.
    expect(page).toContain('data-module="govuk-radios"');
  });

  it("rule (issue 12): finding a provider keeps everything typed on the form, and saves nothing", async () => {
    const res = await worker.post(`${base}/supports`, {
      intent: "search",
      providerSearch: "zzz-no-such-provider",
      what: "Help to get to the shops",
      category: "community_access",
      sourceKind: "provider",
      costBasis: "weekly",
      unitCost: "18.50",
      unit: "hour",
      unitsPerWeek: "3",
      deployment: "direct_payment",
    });
    expect(res.statusCode).toBe(200);
    expect(errorSummaryLinks(res.body)).toEqual([]);
    expect(fieldValue(res.body, "what")).toBe("Help to get to the shops");
    expect(fieldValue(res.body, "unitCost")).toBe("18.50");
    expect(fieldValue(res.body, "unitsPerWeek")).toBe("3");
    expect(fieldValue(res.body, "providerSearch")).toBe("zzz-no-such-provider");
    expect(res.body).toMatch(/<option value="community_access" selected>/);
    expect(res.body).toMatch(/id="sourceKind"[^>]*value="provider" checked/);
    expect(res.body).toMatch(/value="direct_payment" checked/);
    expect(res.body).toContain("No providers match the search");
    expect(res.body).toMatch(/Showing 0 of \d+ providers matching/);
    const overview = await worker.get(base);
    expect(overview.body).not.toContain("Help to get to the shops");
  });

  it("rule (issue 12): the provider count agrees with its noun (“1 provider”)", async () => {
    const form = (await worker.get(`${base}/supports/new`)).body;
    const name = htmlUnescape(/<option value="[^"]+"[^>]*>([^<(]+) \(organisation/.exec(form)![1]!.trim());
    const res = await worker.post(`${base}/supports`, { intent: "search", providerSearch: name });
    // A provider's whole name finds that one provider.
    expect(htmlUnescape(res.body)).toContain(`Showing 1 of 1 provider matching “${name}”`);
  });
});
