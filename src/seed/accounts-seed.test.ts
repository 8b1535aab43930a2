import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, text } from "#/features/accounts/portal.fixture.ts";
import { DEMO_PERSON_ACCOUNTS } from "#/seed/accounts-seed.ts";
import { DEMO_PASSWORD } from "#/seed/seed.ts";
import { buildTestApp } from "../../test/app.ts";
import { databaseFor, type TestDatabase } from "../../test/databases.ts";

/** The demo's people sign in with the printed password and see their own records; the representative, theirs. */
describe("demo person accounts (PGlite)", () => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof buildTestApp>>;

  beforeAll(async () => {
    database = await databaseFor("pglite", "demo");
    app = await buildTestApp(database);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("lets person1 sign in and see their allocation's working, and person1 is asked about a friend", async () => {
    const browser = new Browser(app);
    const res = await browser.signInPerson(DEMO_PERSON_ACCOUNTS[0]!.email, DEMO_PASSWORD);
    expect(res.statusCode).toBe(303);
    const home = await browser.get("/my");
    expect(text(home.body)).toContain("Your care and support");
    expect(text(home.body)).toContain("Sam Friend");
    const working = /href="(\/my\/people\/[^"]+\/allocation)"/.exec(home.body)?.[1];
    expect((await browser.get(working!)).statusCode).toBe(200);
  });

  it("lets the representative see the person they represent, and nobody else", async () => {
    const browser = new Browser(app);
    await browser.signInPerson(DEMO_PERSON_ACCOUNTS[3]!.email, DEMO_PASSWORD);
    const home = await browser.get("/my");
    expect(text(home.body)).toContain("People you help");
    const record = /href="(\/my\/people\/[0-9a-f-]{36})"/.exec(home.body)?.[1];
    const page = await browser.get(record!);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toMatch(/care and support/);
  });
});
