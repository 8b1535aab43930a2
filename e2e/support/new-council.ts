import type { BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { runTenantCreate } from "#/cli/tenant.ts";
import { todayInLondon } from "#/platform/context.ts";
import {
  answerEveryQuestion,
  answerQuestionPage,
  eligiblePerson,
  expectNoErrorSummary,
  textOf,
} from "./assessment.ts";
import { clickAndLoad } from "./browser.ts";
import { type PageChecks, pageChecks } from "./page-checks.ts";
import { addMarketSupport } from "./planning.ts";
import type { TestServer } from "./server.ts";

/**
 * The steps of a brand-new council's first day (e2e/new-council*.test.ts), each on the pages a council's staff
 * use. The journey files start the server and set `journey.server` before any step runs.
 */
export const journey = {} as { server: TestServer };

export const PASSWORD = "kettle orchard lantern";
export const h1 = (page: Page) => textOf(page.getByRole("heading", { level: 1 }));
export const main = (page: Page) => textOf(page.locator("main"));

export type Council = { slug: string; name: string; onsCode: string; domain: string };

/** `upfront tenant create`, as the operator runs it: returns the first administrator's set-password link. */
export async function createCouncil(council: Council): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runTenantCreate(
    journey.server.database,
    {
      slug: council.slug,
      name: council.name,
      onsCode: council.onsCode,
      jurisdiction: "england",
      adminEmail: `admin@${council.domain}`,
      adminName: "Ada Administrator",
      baseUrl: journey.server.baseUrl,
    },
    { out: (line) => out.push(line), err: (line) => err.push(line) },
    { today: todayInLondon() },
  );
  expect(err).toEqual([]);
  expect(code).toBe(0);
  const link = out.map((line) => line.trim()).find((line) => line.startsWith(`${journey.server.baseUrl}/`));
  expect(link).toMatch(/\/set-password\/[A-Za-z0-9_-]{40,}$/);
  return link!;
}

/** A member of staff opens their one-time link, sets a password and signs in. */
export async function setPasswordAndSignIn(page: Page, checks: PageChecks, link: string, email: string) {
  await page.goto(link);
  expect(await h1(page)).toBe("Set your password");
  await checks.check("Set your password");
  await page.getByLabel("New password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Enter the new password again").fill(PASSWORD);
  await clickAndLoad(page, page.getByRole("button", { name: "Set password" }));
  expect(await textOf(page.locator(".govuk-notification-banner"))).toContain("Your password is set");
  await checks.check("Password set: sign in");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await clickAndLoad(page, page.getByRole("button", { name: "Sign in" }));
  await expectNoErrorSummary(page);
}

/** The checklist's items, by the words each starts with. */
export const CHECKLIST_ITEMS = [
  "RAS model",
  "Funding streams and payer order",
  "Delegated authority",
  "Charging policy and figures",
  "Payment settings",
  "Providers",
  "Contact details",
];

/** The checklist's item, by its label: "Done" or "Not done". */
export async function itemStatus(page: Page, label: string): Promise<"Done" | "Not done"> {
  const item = page.locator(".govuk-task-list__item", { hasText: label });
  expect(await item.count(), `the checklist item ${label}`).toBe(1);
  const status = await textOf(item.locator(".govuk-task-list__status"));
  return status.includes("Not done") ? "Not done" : "Done";
}

/** Follows a checklist item's own link (the steps below link to the same pages). */
export async function followChecklist(page: Page, label: string) {
  await clickAndLoad(page, page.locator(".govuk-task-list__link", { hasText: label }));
}

export async function openChecklist(page: Page, checks: PageChecks, what: string) {
  await page.goto(`${journey.server.baseUrl}/admin/setup`);
  expect(await h1(page)).toBe("Set-up checklist");
  await checks.check(what);
}

/** From the checklist, the contact details: a real council's phone, email, address and opening hours. */
export async function setContactDetails(page: Page, checks: PageChecks, council: Council) {
  await followChecklist(page, "Contact details");
  expect(await h1(page)).toBe("Contact details");
  await checks.check("Contact details form");
  await page.getByLabel("Phone number").fill("0300 123 4567");
  await page.getByLabel("Email address").fill(`adult.social.care@${council.domain}`);
  await page.getByLabel("Address line 1").fill("County Hall");
  await page.getByLabel("Town or city").fill("Newtown");
  await page.getByLabel("Postcode").fill("ab12 3cd");
  await page.getByLabel("Opening hours").fill("Monday to Friday, 9am to 5pm");
  await clickAndLoad(page, page.getByRole("button", { name: "Save the contact details" }));
  await expectNoErrorSummary(page);
  expect(await textOf(page.locator(".govuk-notification-banner"))).toContain(
    "The contact details have been saved",
  );
  await checks.check("Contact details saved");
}

/** The administrator adds a member of staff and returns their one-time set-password link. */
/**
 * The first administrator's first steps, in both runs: set a password from the link the command printed, find
 * every checklist item not done, and set the contact details (assessment decisions need them).
 */
export async function firstAdministratorSetsContact(
  page: Page,
  checks: PageChecks,
  link: string,
  council: Council,
) {
  await setPasswordAndSignIn(page, checks, link, `admin@${council.domain}`);
  await clickAndLoad(page, page.getByRole("link", { name: "Set-up checklist" }));
  expect(await h1(page)).toBe("Set-up checklist");
  await checks.check("Set-up checklist, nothing done");
  for (const item of CHECKLIST_ITEMS) expect(await itemStatus(page, item), item).toBe("Not done");
  await setContactDetails(page, checks, council);
  await openChecklist(page, checks, "Set-up checklist, contact done");
  expect(await itemStatus(page, "Contact details")).toBe("Done");
}

export async function addStaff(page: Page, checks: PageChecks, name: string, email: string, roles: string[]) {
  await page.goto(`${journey.server.baseUrl}/admin/staff`);
  expect(await h1(page)).toBe("Staff");
  await checks.check("Staff list");
  await clickAndLoad(page, page.getByRole("button", { name: "Add a member of staff" }));
  await checks.check(`Add ${name}`);
  await page.getByLabel("Full name").fill(name);
  await page.getByLabel("Email address").fill(email);
  for (const role of roles) await page.getByLabel(role, { exact: true }).check();
  const noTeam = page.getByLabel("No team");
  if ((await noTeam.count()) > 0) await noTeam.check();
  await clickAndLoad(page, page.getByRole("button", { name: "Add member of staff" }));
  await expectNoErrorSummary(page);
  expect(await h1(page)).toBe(`${name} has been added`);
  await checks.check(`${name} added`);
  return (await textOf(page.locator("#set-password-link"))).trim();
}

/** "Add a person" on the people list, by a social worker of the new council. */
export async function addPerson(page: Page, checks: PageChecks, givenName: string, familyName: string) {
  await page.goto(`${journey.server.baseUrl}/people`);
  await checks.check("People, new council");
  await clickAndLoad(page, page.getByRole("button", { name: "Add a person" }));
  expect(await h1(page)).toBe("Add a person");
  await checks.check("Add a person");
  await page.getByLabel("First name").fill(givenName);
  await page.getByLabel("Last name").fill(familyName);
  await page.getByLabel("Day").fill("3");
  await page.getByLabel("Month").fill("11");
  await page.getByLabel("Year").fill("1956");
  await page.getByLabel("Female", { exact: true }).check();
  await page.getByLabel("Ethnicity").selectOption("black-african");
  await page.getByLabel("Postcode (optional)").fill("zx4 7qp");
  await page.getByLabel("Accommodation").selectOption("tenant-social");
  await page.getByLabel("Not in paid employment: Not actively seeking work or retired").check();
  await page
    .getByRole("group", { name: "Does the person have an unpaid carer?" })
    .getByLabel("No", { exact: true })
    .check();
  await page.getByLabel("Large print").check();
  await clickAndLoad(page, page.getByRole("button", { name: "Add the person" }));
  await expectNoErrorSummary(page);
  expect(await textOf(page.locator(".govuk-notification-banner"))).toContain(
    `${givenName} ${familyName} has been added`,
  );
  await checks.check("The new person's record");
  return new URL(page.url()).pathname;
}

/** Someone asks the new council for help on its public page, with no sign-in. Returns the reference. */
export async function selfRefer(
  context: BrowserContext,
  council: Council,
  givenName: string,
): Promise<string> {
  const page = await context.newPage();
  const checks = pageChecks(page);
  await page.goto(`${journey.server.baseUrl}/${council.slug}/self-referral`);
  expect(await main(page)).toContain(council.name);
  await checks.check("Self-referral form, new council");
  await page.getByLabel("First name").fill(givenName);
  await page.getByLabel("Last name").fill("Referral");
  await page.getByLabel("Day").fill("14");
  await page.getByLabel("Month").fill("2");
  await page.getByLabel("Year").fill("1949");
  await page.getByLabel("I need help myself").check();
  await page.getByLabel("Phone number").fill("01632 960 003");
  await page.getByLabel("What help would they like?").fill("Help getting up and dressed in the morning.");
  await page.getByLabel(/I have read how this information is used/).check();
  await clickAndLoad(page, page.getByRole("button", { name: "Send request" }));
  await expectNoErrorSummary(page);
  const reference = (await textOf(page.locator("#reference"))).trim();
  expect(reference).toMatch(/^SR-[A-Z2-9]{8}$/);
  await checks.check("Request sent, new council");
  checks.expectClean();
  await page.close();
  return reference;
}

/** The social worker finds the self-referral in their tasks and opens it. */
export async function openReferralTask(page: Page, checks: PageChecks, reference: string, givenName: string) {
  await clickAndLoad(page, page.getByRole("link", { name: "Tasks" }));
  await checks.check("Your tasks, new council");
  await clickAndLoad(page, page.getByRole("link", { name: `New self-referral ${reference}` }));
  expect(await h1(page)).toBe("Referrals");
  expect(await main(page)).toContain(`${givenName} Referral`);
  await checks.check("The self-referred person's referrals");
}

/** The date a funding settings version applies from, and why: today, the council's first settings. */
export async function fillChangeFields(page: Page, reason: string) {
  const [year, month, day] = todayInLondon().split("-");
  await page.locator("#validFrom-day").fill(String(Number(day)));
  await page.locator("#validFrom-month").fill(String(Number(month)));
  await page.locator("#validFrom-year").fill(year!);
  await page.getByLabel("Why is this changing?").fill(reason);
}

export async function saveFundingVersion(page: Page, checks: PageChecks, what: string) {
  await clickAndLoad(page, page.getByRole("button", { name: "Save a new version" }));
  await expectNoErrorSummary(page);
  expect(await main(page)).toContain("has been saved");
  await checks.check(what);
}

/**
 * From the checklist: one adult social care stream that may pay for every kind of support, then the payer
 * order (that stream pays first for each), then who signs plans off (team managers, one level).
 */
export async function setFunding(page: Page, checks: PageChecks) {
  await followChecklist(page, "Funding streams and payer order");
  await checks.check("Change the funding streams, new council");
  await page.locator("#stream-0-name").fill("Adult social care");
  await page.locator("#stream-0-kind").selectOption("adult_social_care");
  for (const box of await page.locator('input[name="stream-0-categories"]').all()) await box.check();
  await page.locator('input[name="stream-0-meansTested"][value="yes"]').check();
  await page.locator("#stream-0-pot").fill("2500000");
  await fillChangeFields(page, "Budget agreed by cabinet");
  await saveFundingVersion(page, checks, "Funding streams saved");

  await page.goto(`${journey.server.baseUrl}/admin/funding/payer-order`);
  await checks.check("Change the payer order, new council");
  const firsts = page.locator('select[id^="order-"][id$="-0"]');
  expect(await firsts.count()).toBeGreaterThan(0);
  for (const select of await firsts.all()) await select.selectOption({ label: "Adult social care" });
  await fillChangeFields(page, "Adult social care pays for everything");
  await saveFundingVersion(page, checks, "Payer order saved");

  await openChecklist(page, checks, "Set-up checklist, funding done");
  await followChecklist(page, "Delegated authority");
  await checks.check("Change who signs plans off, new council");
  await page.locator("#level-0-label").fill("Team manager");
  await page.locator('input[name="level-0-roles"][value="team_manager"]').check();
  await page.locator('input[name="override-roles"][value="team_manager"]').check();
  await fillChangeFields(page, "Scheme of delegation agreed");
  await saveFundingVersion(page, checks, "Who signs plans off saved");
}

/** From the checklist: the example packages file fitted, and the calibration adopted as the council's model. */
export async function adoptRasModel(page: Page, checks: PageChecks) {
  await followChecklist(page, "RAS model");
  await checks.check("RAS page, new council");
  await page.getByLabel("Packages file (CSV)").setInputFiles("examples/packages.csv");
  await clickAndLoad(page, page.getByRole("button", { name: "Fit the model and show the report" }));
  await expectNoErrorSummary(page);
  expect(new URL(page.url()).pathname).toMatch(/^\/admin\/ras\/calibrations\/[0-9a-f-]{36}$/);
  await checks.check("Calibration report, new council");
  await page.getByLabel("Why is the council adopting it?").fill("Agreed by the board on its first day");
  await clickAndLoad(page, page.getByRole("button", { name: "Adopt this calibration" }));
  expect(await textOf(page.locator(".govuk-notification-banner"))).toContain(
    "The calibration is now version 2 of the model",
  );
  await checks.check("RAS page after adopting, new council");
}

/** From the checklist: the council's first provider, on its approved list. */
export async function addProvider(page: Page, checks: PageChecks) {
  await followChecklist(page, "Providers");
  await checks.check("Provider directory, empty");
  await page.goto(`${journey.server.baseUrl}/directory/providers/new`);
  await checks.check("Add a provider, new council");
  await page.getByLabel("Name").fill("Peer Power");
  await page.getByLabel("User-led organisation").check();
  await page
    .getByRole("group", { name: "Is the provider on the council's approved list?" })
    .getByLabel("Yes")
    .check();
  await clickAndLoad(page, page.getByRole("button", { name: "Save the provider" }));
  await expectNoErrorSummary(page);
  expect(await h1(page)).toContain("Peer Power");
  await checks.check("The new council's first provider");
}

/** From the checklist: a charging policy from today, and every figure the rules could not confirm. */
export async function setCharging(page: Page, checks: PageChecks) {
  await followChecklist(page, "Charging policy and figures");
  expect(await h1(page)).toBe("Charging settings");
  await checks.check("Charging settings, new council");
  await clickAndLoad(page, page.getByRole("button", { name: "Add a policy version" }));
  await checks.check("Add a charging policy version");
  const [year, month, day] = todayInLondon().split("-");
  await page.locator("#validFrom-day").fill(String(Number(day)));
  await page.locator("#validFrom-month").fill(String(Number(month)));
  await page.locator("#validFrom-year").fill(year!);
  await page
    .getByLabel("Where the council decided it")
    .fill("Cabinet decision, Adult Social Care Charging Policy");
  await clickAndLoad(page, page.getByRole("button", { name: "Add the policy version" }));
  await expectNoErrorSummary(page);
  expect(await textOf(page.locator(".govuk-notification-banner"))).toContain("The policy version was added");
  await checks.check("Charging policy added");
  // Each figure not supplied yet for the financial year of today (1 April to 31 March), one after another.
  const startYear = Number(month) >= 4 ? Number(year) : Number(year) - 1;
  const thisYear = page.locator("main table", {
    has: page.locator("caption", { hasText: `financial year ${startYear} to ${startYear + 1}` }),
  });
  expect(await thisYear.count(), `figures for the financial year from April ${startYear}`).toBe(1);
  for (let i = 0; i < 40; i++) {
    const supply = thisYear.getByRole("link", { name: /^Supply/ });
    if ((await supply.count()) === 0) break;
    await clickAndLoad(page, supply.first());
    if (i === 0) await checks.check("Supply a figure");
    await page.getByLabel("Amount").fill("100.00");
    await page.getByLabel("Source").fill("LAC(DHSC)(2025)1 Annex A table 1");
    await clickAndLoad(page, page.getByRole("button", { name: "Add the figure" }));
    await expectNoErrorSummary(page);
  }
  await checks.check("Charging settings, set");
}

/** A finance officer sets the payment settings: the council's Bacs number and account, codes per stream. */
export async function setPayments(page: Page, checks: PageChecks, streamId: string) {
  await page.goto(`${journey.server.baseUrl}/admin/payments`);
  await checks.check("Payment settings, new council");
  await page.getByLabel("Every 4 weeks").check();
  // Dates are GOV.UK date inputs: day, month and year boxes in a fieldset named by its legend.
  const fillDate = async (legend: string, iso: string) => {
    const [year, month, day] = iso.split("-");
    const group = page.getByRole("group", { name: new RegExp(`^${legend}`) });
    await group.getByLabel("Day").fill(String(Number(day)));
    await group.getByLabel("Month").fill(String(Number(month)));
    await group.getByLabel("Year").fill(year!);
  };
  await fillDate("First day of a payment cycle", todayInLondon());
  await page.getByLabel("Taken off the direct payment").check();
  await page.getByLabel("The banking day before, so nobody is paid late").check();
  await page.getByLabel("England and Wales").check();
  await page.getByLabel("Name on the account").fill("Newshire Council");
  await page.getByLabel("Sort code").fill("20-00-00");
  await page.getByLabel("Account number").fill("55779911");
  await page.getByLabel("Bacs service user number").fill("123456");
  await page
    .getByLabel("General-ledger code and cost centre per funding stream")
    .fill(`${streamId}, ASC-DP, CC100`);
  await page.getByLabel("GL code for contributions").fill("ASC-CONTRIB");
  await page.getByLabel("Cost centre for contributions").fill("CC100");
  await fillDate("From what date\\?", todayInLondon());
  await page.getByLabel("Why are the settings changing?").fill("The council's first payment settings");
  await clickAndLoad(page, page.getByRole("button", { name: "Save the settings" }));
  await expectNoErrorSummary(page);
  await checks.check("Payment settings saved");
}

/** A social worker assesses the person: every question page, check, submit; eligible with a budget. */
export async function assess(page: Page, checks: PageChecks, personPath: string) {
  await page.goto(`${journey.server.baseUrl}${personPath}`);
  await clickAndLoad(page, page.getByRole("button", { name: /start a new assessment/i }));
  await checks.check("Task list, new council");
  await clickAndLoad(page, page.locator(".govuk-task-list a").first());
  await checks.check("First question page, new council");
  await answerQuestionPage(page, eligiblePerson);
  await answerEveryQuestion(page, eligiblePerson, () => checks.check());
  expect(await h1(page)).toBe("Check your answers");
  await clickAndLoad(page, page.getByRole("button", { name: /submit/i }));
  const submitted = await main(page);
  expect(submitted).toContain("Assessment submitted");
  expect(submitted).toMatch(/Eligible for care and support\s+Yes/);
  await checks.check("Submitted assessment, new council");
}

/** The social worker starts the plan from the indicative budget, writes it and sends it for approval. */
export async function planAndSend(page: Page, checks: PageChecks, personPath: string): Promise<string> {
  await page.goto(`${journey.server.baseUrl}${personPath}/plans`);
  await checks.check("Support plans, none yet");
  await clickAndLoad(page, page.getByRole("button", { name: "Start a support plan" }));
  const planId = new URL(page.url()).pathname.split("/").at(-1)!;
  expect(await main(page)).toContain("Budget fit");
  await checks.check("Plan overview, new council");

  await clickAndLoad(page, page.getByRole("link", { name: "Add an outcome" }));
  await checks.check("Add an outcome, new council");
  await page.getByLabel(/want to achieve\?/).fill("Get to the Saturday market with a friend");
  await page.getByLabel("How will we know it is happening?").fill("Going most Saturdays");
  await clickAndLoad(page, page.getByRole("button", { name: "Save the outcome" }));
  await expectNoErrorSummary(page);
  await clickAndLoad(page, page.getByRole("link", { name: "Add a risk" }));
  await checks.check("Add a risk, new council");
  await page.getByLabel("What is the risk?").fill("Getting lost on the way home");
  await page.getByLabel("How is it handled?").fill("A phone with the route saved");
  await clickAndLoad(page, page.getByRole("button", { name: "Save the risk" }));
  await expectNoErrorSummary(page);
  await clickAndLoad(page, page.getByRole("link", { name: "Change the contingency plan" }));
  await checks.check("Contingency plan, new council");
  await page.getByLabel("What happens if the support breaks down").fill("Her sister can step in for a week.");
  await clickAndLoad(page, page.getByRole("button", { name: "Save" }));
  await expectNoErrorSummary(page);

  await clickAndLoad(page, page.getByRole("link", { name: "Add support" }));
  await checks.check("Add a support, new council");
  await addMarketSupport(page);
  await expectNoErrorSummary(page);
  expect(await main(page)).toContain("2 hours a week × £12.50 an hour = £25.00 a week");
  await checks.check("Plan with its support");

  await clickAndLoad(page, page.getByRole("button", { name: "Check the plan and send it for approval" }));
  await checks.check("Check the plan, new council");
  await clickAndLoad(page, page.getByRole("button", { name: "Send for approval" }));
  await expectNoErrorSummary(page);
  expect(await main(page)).toContain("The plan has been sent for approval");
  await checks.check("Sent for approval, new council");
  return planId;
}

/** The team manager approves it from their queue; the personal budget appears. */
export async function approve(page: Page, checks: PageChecks, planId: string) {
  await clickAndLoad(page, page.getByRole("link", { name: "Approvals" }));
  expect(await h1(page)).toBe("Plans waiting for approval");
  await checks.check("Approvals, new council");
  await clickAndLoad(page, page.locator(`main a[href^="/plans/${planId}/"]`));
  expect(await h1(page)).toMatch(/^Approve the support plan for /);
  await checks.check("Approve a plan, new council");
  await clickAndLoad(page, page.getByRole("button", { name: "Approve the plan" }));
  await expectNoErrorSummary(page);
  const overview = await main(page);
  expect(overview).toContain("The plan is agreed");
  expect(overview).toMatch(/The personal budget Amount £[\d,]+\.\d\d a week/);
  await checks.check("Plan agreed, new council");
}
