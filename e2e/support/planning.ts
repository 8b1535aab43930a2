import type { Page } from "playwright-core";
import { clickAndLoad } from "./browser.ts";

/**
 * On a plan's "Add a support" page: a personal assistant for 2 hours a week at £12.50 an hour, paid by direct
 * payment, for the outcome "Get to the Saturday market with a friend" (which the plan must already have), saved.
 */
export async function addMarketSupport(page: Page): Promise<void> {
  await page.getByLabel("What is the support?").fill("A personal assistant to go to the market");
  await page.getByLabel("What kind of support is it?").selectOption("community_access");
  await page.getByLabel("A personal assistant", { exact: true }).check();
  await page.getByLabel("A cost every week").check();
  await page.getByLabel("Price of one unit").fill("12.50");
  await page.getByLabel("What is a unit?").selectOption("hour");
  await page.getByLabel("How many units a week").fill("2");
  await page.getByLabel("Direct payment", { exact: true }).check();
  await page.getByLabel("Get to the Saturday market with a friend").check();
  await clickAndLoad(page, page.getByRole("button", { name: "Save the support" }));
}
