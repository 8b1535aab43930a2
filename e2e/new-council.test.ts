import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/browser.ts";
import {
  addPerson,
  addProvider,
  addStaff,
  adoptRasModel,
  approve,
  assess,
  CHECKLIST_ITEMS,
  type Council,
  createCouncil,
  firstAdministratorSetsContact,
  itemStatus,
  journey,
  main,
  openChecklist,
  openReferralTask,
  planAndSend,
  selfRefer,
  setCharging,
  setFunding,
  setPasswordAndSignIn,
  setPayments,
} from "./support/new-council.ts";
import { pageChecks } from "./support/page-checks.ts";
import { startServer, type TestServer } from "./support/server.ts";

/**
 * A brand-new council's first day in a browser (Upfront issue 11). `upfront tenant create` (its run function,
 * on the test server's own database: the in-memory PGlite cannot be opened by another process) makes the
 * council and prints its first administrator's one-time set-password link. With JavaScript on (the JavaScript-off run is e2e/new-council-320.test.ts, beside it; the steps are in e2e/support/new-council.ts):
 *
 * - the administrator opens the link, sets a password, signs in and opens the set-up checklist: all seven items
 *   are "Not done";
 * - from the checklist they set every item the council needs, on its pages: contact details, funding streams
 *   and payer order, who signs plans off (team managers), the RAS model (the example packages file fitted and
 *   adopted), a provider, the charging policy and the figures for this financial year; they add a social
 *   worker, a team manager and a finance officer, who set their own passwords through their links; the finance
 *   officer sets the payment settings. The checklist then says every item is "Done" and all six steps of the
 *   cycle "Ready";
 * - the social worker adds a person with "Add a person"; someone asks for help on the council's public
 *   self-referral page and the social worker finds it in their tasks; the added person is assessed (eligible,
 *   with an indicative budget), the social worker writes a support plan and sends it, and the team manager
 *   approves it: the personal budget appears.
 *
 * Every page: axe WCAG 2.2 AA, one h1, a title, nothing sticking out sideways.
 */

let browser: Browser;

beforeAll(async () => {
  let server: TestServer;
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  journey.server = server;
});

afterAll(async () => {
  await browser?.close();
  await journey.server?.stop();
});

describe("a brand-new council in a browser", () => {
  it("rule (issue 11), with JavaScript on: a council made by `upfront tenant create` sets up every checklist item on pages, adds its staff, a person and a self-referral, and approves a plan", async () => {
    const council: Council = {
      slug: "newshire",
      name: "Newshire Council",
      onsCode: "E06000901",
      domain: "newshire.upfront.test",
    };
    const link = await createCouncil(council);
    const contexts = await Promise.all([1, 2, 3, 4, 5].map(() => browser.newContext()));
    const [admin, worker, manager, finance, publicContext] = contexts as [
      BrowserContext,
      BrowserContext,
      BrowserContext,
      BrowserContext,
      BrowserContext,
    ];
    try {
      // The first administrator, from the link the command printed; nothing on the checklist is done.
      const page = await admin.newPage();
      const checks = pageChecks(page);
      await firstAdministratorSetsContact(page, checks, link, council);

      // Funding and who signs plans off (planning needs them).
      await setFunding(page, checks);

      await openChecklist(page, checks, "Set-up checklist, funding set");
      await adoptRasModel(page, checks);
      await openChecklist(page, checks, "Set-up checklist, RAS model adopted");
      await addProvider(page, checks);
      await openChecklist(page, checks, "Set-up checklist, a provider");
      await setCharging(page, checks);
      await page.goto(`${journey.server.baseUrl}/admin/funding`);
      await checks.check("Funding and sign-off, new council");
      const streamId = /Adult social care \(([^)]+)\)/.exec(await main(page))?.[1];
      expect(streamId).toBeDefined();

      // The staff the council needs, each setting their own password through their link.
      const workerEmail = `sam.social@${council.domain}`;
      const managerEmail = `tess.manager@${council.domain}`;
      const financeEmail = `fin.officer@${council.domain}`;
      const workerLink = await addStaff(page, checks, "Sam Social", workerEmail, ["Social worker"]);
      const managerLink = await addStaff(page, checks, "Tess Manager", managerEmail, ["Team manager"]);
      const financeLink = await addStaff(page, checks, "Fin Officer", financeEmail, ["Finance officer"]);
      const financePage = await finance.newPage();
      const financeChecks = pageChecks(financePage);
      await setPasswordAndSignIn(financePage, financeChecks, financeLink, financeEmail);
      await setPayments(financePage, financeChecks, streamId!);

      // Every item done, every step of the cycle ready.
      await openChecklist(page, checks, "Set-up checklist, everything done");
      for (const item of CHECKLIST_ITEMS) expect(await itemStatus(page, item), item).toBe("Done");
      const checklist = await main(page);
      expect(checklist).toContain("Everything the council needs is set up");
      expect(checklist).not.toContain("Blocked");
      expect(await page.locator("#steps").getByText("Ready", { exact: true }).count()).toBe(6);

      const workerPage = await worker.newPage();
      const workerChecks = pageChecks(workerPage);
      await setPasswordAndSignIn(workerPage, workerChecks, workerLink, workerEmail);
      const managerPage = await manager.newPage();
      const managerChecks = pageChecks(managerPage);
      await setPasswordAndSignIn(managerPage, managerChecks, managerLink, managerEmail);

      // "Add a person", and someone who asks for help on the council's public page.
      const personPath = await addPerson(workerPage, workerChecks, "Adaeze", "Okafor");
      const reference = await selfRefer(publicContext, council, "Rowan");
      await openReferralTask(workerPage, workerChecks, reference, "Rowan");

      // The added person: assessed, a plan written and sent, the team manager approves it.
      await assess(workerPage, workerChecks, personPath);
      const planId = await planAndSend(workerPage, workerChecks, personPath);
      await approve(managerPage, managerChecks, planId);

      for (const c of [checks, workerChecks, managerChecks, financeChecks]) {
        expect(c.scriptErrors, c.scriptErrors.join("\n")).toEqual([]);
        c.expectClean();
      }
      const pages = [checks, workerChecks, managerChecks, financeChecks].reduce(
        (n, c) => n + c.visited.length,
        0,
      );
      console.log(`New council, JavaScript on: ${pages} pages checked`);
    } finally {
      await Promise.all(contexts.map((c) => c.close()));
    }
    // About a minute alone on this machine: room for running beside another journey on 2 cores.
  }, 240_000);
});
