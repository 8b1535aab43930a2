import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { letterRecipientsIn } from "#/features/accounts/service.ts";
import { setCorrespondence } from "#/features/people/correspondence.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, demoTenantId, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { InjectBrowser, pageText } from "../../../test/inject-browser.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * The receive_letters scope (issue 16, "Letters": a representative with it gets a copy of every letter the person
 * gets): staff grant it on the "Add a representative" form, and letterRecipientsIn lists the person with the
 * representatives whose representation is in force and holds it.
 */

describe.each(enginesUnderTest())("letter recipients on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let ctx: ServiceContext;
  let personId: string;

  beforeAll(async () => {
    database = await databaseFor(engine, { demo: { people: 3 } });
    app = await buildTestApp(database);
    const tenantId = await demoTenantId(database);
    ctx = { db: database.db, scope: { tenantId, actor: { type: "staff", id: "test" } }, today: TODAY };
    const person = await database.db
      .selectFrom("people")
      .select("person_id")
      .where("tenant_id", "=", tenantId)
      .orderBy("reference")
      .executeTakeFirstOrThrow();
    personId = person.person_id;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("rule (issue 16): staff are offered receive_letters and may grant it; only those who hold it, in force, get copies", async () => {
    const staff = await new InjectBrowser(app).signIn("social_worker");
    const form = await staff.get(`/people/${personId}/representatives/new`);
    expect(pageText(form.body)).toContain("Get a copy of every letter the person gets");
    const add = (name: string, fields: Record<string, string | string[]>) =>
      staff.post(`/people/${personId}/representatives`, { name, ...fields });
    // An advocate acts from the start (the person may object): in force today.
    expect(
      (await add("Ada Advocate", { kind: "independent_advocate", scopes: ["receive_letters"] })).statusCode,
    ).toBe(303);
    // A family member the person told staff about: in force, but not given copies.
    expect(
      (await add("Fay Friend", { kind: "family_or_friend", consent: "told_staff", scopes: ["edit_plan"] }))
        .statusCode,
    ).toBe(303);
    // A family member still waiting for the person's consent: not in force, so no copies yet.
    expect(
      (await add("Sam Son", { kind: "family_or_friend", consent: "ask", scopes: ["receive_letters"] }))
        .statusCode,
    ).toBe(303);

    const recipients = await inTenant(ctx, (t) => letterRecipientsIn(t, personId));
    expect(recipients.person.personId).toBe(personId);
    expect(recipients.person.role).toBe("person");
    expect(recipients.representatives.map((r) => r.name)).toEqual(["Ada Advocate"]);
    expect(recipients.representatives[0]).toMatchObject({ kind: "independent_advocate", email: null });
  });

  it("rule (issue 16): the person's entry carries the preferences recorded on them, to use from then on", async () => {
    await setCorrespondence(ctx, personId, {
      letterChannel: "post",
      textsAllowed: false,
      letterFormat: "braille",
      correspondenceLanguage: "cy",
    });
    const { person } = await inTenant(ctx, (t) => letterRecipientsIn(t, personId));
    expect(person).toMatchObject({
      letterChannel: "post",
      textsAllowed: false,
      letterFormat: "braille",
      correspondenceLanguage: "cy",
    });
  });
});
