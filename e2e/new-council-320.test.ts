import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { launchChromium, withoutJavaScriptAt320 } from "./support/browser.ts";
import {
  addPerson,
  addStaff,
  type Council,
  createCouncil,
  firstAdministratorSetsContact,
  journey,
  openReferralTask,
  selfRefer,
  setPasswordAndSignIn,
} from "./support/new-council.ts";
import { pageChecks } from "./support/page-checks.ts";
import { startServer, type TestServer } from "./support/server.ts";

/**
 * A brand-new council's first day in a browser (Upfront issue 11), with JavaScript off at 320px, on its own new
 * council: the checklist, contact details, a social worker, "Add a person" and a self-referral. Every page: axe
 * WCAG 2.2 AA, one h1, a title, nothing sticking out sideways (which found a new council's contact email too long
 * to fit at 320px on the checklist and the public pages). The JavaScript-on journey is e2e/new-council.test.ts,
 * which runs beside this one.
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
  it("rule (issue 11), with JavaScript off, 320px wide: a new council's checklist, contact details, a social worker, Add a person and a self-referral", async () => {
    const council: Council = {
      slug: "oldshire",
      name: "Oldshire Council",
      onsCode: "E06000902",
      domain: "oldshire.upfront.test",
    };
    const link = await createCouncil(council);
    await withoutJavaScriptAt320(browser, (admin) =>
      withoutJavaScriptAt320(browser, (worker) =>
        withoutJavaScriptAt320(browser, async (publicContext) => {
          const page = await admin.newPage();
          const checks = pageChecks(page);
          await firstAdministratorSetsContact(page, checks, link, council);

          const workerEmail = `sam.social@${council.domain}`;
          const workerLink = await addStaff(page, checks, "Sam Social", workerEmail, ["Social worker"]);
          const workerPage = await worker.newPage();
          const workerChecks = pageChecks(workerPage);
          await setPasswordAndSignIn(workerPage, workerChecks, workerLink, workerEmail);
          await addPerson(workerPage, workerChecks, "Ngozi", "Okafor");
          const reference = await selfRefer(publicContext, council, "Robin");
          await openReferralTask(workerPage, workerChecks, reference, "Robin");

          checks.expectClean();
          workerChecks.expectClean();
          console.log(
            `New council, JavaScript off: ${checks.visited.length + workerChecks.visited.length} pages checked`,
          );
        }),
      ),
    );
  });
});
