import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { ValidationError } from "#/platform/errors.ts";
import { registerErrorHandlers } from "#/platform/web/errors.ts";
import { viewsPlugin } from "#/platform/web/views.ts";
import { pageText } from "./inject-browser.ts";

/** Issue 12: a page never shows a field's internal name (a Zod path such as weeklyPence); the API still does. */
describe("the error page for bad input", () => {
  async function appThrowing(error: Error) {
    const app = Fastify();
    await app.register(viewsPlugin, { locals: () => ({}) });
    registerErrorHandlers(app);
    app.get("/page", async () => {
      throw error;
    });
    app.get("/api/v1/thing", async () => {
      throw error;
    });
    return app;
  }

  it("rule (issue 12): lists each problem in words, without the internal field names", async () => {
    const app = await appThrowing(
      new ValidationError([
        { path: "supports[0].cost.weeklyPence", message: "Give the weekly cost in pounds and pence" },
        { path: "supports[1].cost.weeklyPence", message: "Give the weekly cost in pounds and pence" },
        { path: "startDate", message: "Give the date the plan starts" },
      ]),
    );
    const page = await app.inject({ url: "/page" });
    expect(page.statusCode).toBe(400);
    const text = pageText(page.body);
    expect(text).toContain("Give the weekly cost in pounds and pence");
    expect(text).toContain("Give the date the plan starts");
    expect(text).not.toMatch(/weeklyPence|startDate|supports\[/);
    // Said once, however many fields it is about.
    expect(text.split("Give the weekly cost in pounds and pence").length).toBe(2);

    const api = await app.inject({ url: "/api/v1/thing" });
    expect(api.json().errors).toContainEqual({
      path: "startDate",
      message: "Give the date the plan starts",
    });
    await app.close();
  });
});
