import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceContext } from "#/platform/context.ts";
import { withSystem, withTenant } from "#/platform/db/tenant.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";
import { type Council, makeCouncil, PASSWORD } from "./portal.fixture.ts";
import {
  addRepresentative,
  authorise,
  type ClaimResult,
  claimCode,
  endRepresentative,
  getOnlineAccess,
  issueClaimCode,
  newClaimCode,
  saveOneLoginSettings,
  setConsent,
  signInLocal,
} from "./service.ts";

/** The field errors of a ValidationError, or the error itself when it is something else. */
async function fieldErrors(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ValidationError)) throw error ?? new Error("Expected a ValidationError");
  return error.fieldErrors;
}

describe.each(enginesUnderTest())("person accounts on %s", (engine) => {
  let database: TestDatabase;
  let council: Council;
  let other: Council;
  const as = (result: ClaimResult): ServiceContext => ({
    db: database.db,
    scope: { tenantId: result.tenantId, actor: { type: "person", id: result.accountId } },
    today: TODAY,
  });

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    council = await makeCouncil(database.db, "acc-one", TODAY);
    other = await makeCouncil(database.db, "acc-two", TODAY);
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
  });

  it("makes codes of 16 unambiguous characters in groups of four", () => {
    const codes = new Set(Array.from({ length: 200 }, newClaimCode));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){3}[0-9A-HJKMNP-TV-Z]{4}$/);
  });

  it("links a new local account to the person's record with a one-time code, audited with the person as actor", async () => {
    const issued = await issueClaimCode(council.staff, council.ann.personId);
    const stored = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("person_claim_codes")
        .selectAll()
        .where("claim_id", "=", issued.claimId)
        .executeTakeFirstOrThrow(),
    );
    expect(stored.code_hash).not.toContain(issued.code.replaceAll("-", ""));
    // Typed loosely: lower case, spaces instead of hyphens.
    const typed = issued.code.toLowerCase().replaceAll("-", " ");
    const result = await claimCode(
      database.db,
      typed,
      { kind: "new_local", email: "ann@example.test", password: PASSWORD },
      TODAY,
    );
    expect(result).toMatchObject({
      tenantId: council.tenantId,
      personId: council.ann.personId,
      as: "self",
      newAccount: true,
    });

    const again = await fieldErrors(
      claimCode(
        database.db,
        issued.code,
        { kind: "new_local", email: "someone@example.test", password: PASSWORD },
        TODAY,
      ),
    );
    expect(again).toEqual([{ path: "code", message: expect.stringMatching(/already been used/) }]);
    await expect(issueClaimCode(council.staff, council.ann.personId)).rejects.toBeInstanceOf(ConflictError);

    const events = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("audit_events")
        .select(["actor_type", "actor_id", "action", "record_type"])
        .where("tenant_id", "=", council.tenantId)
        .where("actor_id", "=", result.accountId)
        .orderBy("occurred_at")
        .execute(),
    );
    expect(events.map((e) => [e.actor_type, e.action, e.record_type])).toEqual([
      ["person", "create", "person_account"],
      ["person", "link", "person"],
      ["person", "claim", "person_claim_code"],
    ]);
    expect(await signInLocal(database.db, { email: "ANN@example.test", password: PASSWORD })).toEqual({
      tenantId: council.tenantId,
      accountId: result.accountId,
    });
  });

  it("refuses a wrong password, auditing it in the account's council; and an unknown email, in the same time", async () => {
    expect(
      await signInLocal(database.db, { email: "ann@example.test", password: "not the password" }),
    ).toBeNull();
    expect(await signInLocal(database.db, { email: "nobody@example.test", password: PASSWORD })).toBeNull();
    const failed = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("audit_events")
        .select(["actor_type", "tenant_id"])
        .where("action", "=", "sign_in_failed")
        .where("record_type", "=", "person_account")
        .execute(),
    );
    expect(failed).toEqual([{ actor_type: "system", tenant_id: council.tenantId }]);
  });

  it("stops an older code working when a new one is made, and refuses an expired one", async () => {
    const first = await issueClaimCode(council.staff, council.bob.personId);
    const second = await issueClaimCode(council.staff, council.bob.personId);
    const claimant = { kind: "new_local", email: "bob@example.test", password: PASSWORD } as const;
    expect(await fieldErrors(claimCode(database.db, first.code, claimant, TODAY))).toEqual([
      { path: "code", message: expect.stringMatching(/not right/) },
    ]);
    await withSystem(database.db, (trx) =>
      trx
        .updateTable("person_claim_codes")
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where("claim_id", "=", second.claimId)
        .execute(),
    );
    expect(await fieldErrors(claimCode(database.db, second.code, claimant, TODAY))).toEqual([
      { path: "code", message: expect.stringMatching(/expired/) },
    ]);
    // Nothing was made by the refused claims.
    const accounts = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("person_accounts")
        .select("account_id")
        .where("email", "=", "bob@example.test")
        .execute(),
    );
    expect(accounts).toEqual([]);
  });

  it("refuses a representative whose kind does not allow the scope, and writes nothing", async () => {
    const before = (await getOnlineAccess(council.staff, council.cara.personId)).representatives.length;
    const errors = await fieldErrors(
      addRepresentative(council.staff, council.cara.personId, {
        name: "Ada Advocate",
        kind: "independent_advocate",
        scopes: ["view", "manage_money"],
      }),
    );
    expect(errors).toEqual([
      { path: "scopes", message: expect.stringMatching(/cannot be allowed to: receive and manage/) },
    ]);
    const lpa = await fieldErrors(
      addRepresentative(council.staff, council.cara.personId, {
        name: "Pat Attorney",
        kind: "lasting_power_of_attorney",
        scopes: ["view"],
      }),
    );
    expect(lpa.map((e) => e.path)).toEqual(["authorityType", "authorityReference"]);
    expect((await getOnlineAccess(council.staff, council.cara.personId)).representatives.length).toBe(before);
  });

  it("gives a family member access only with the person's consent, and ends it the moment they withdraw", async () => {
    // Cara gets her own account, then her daughter is recorded (not yet agreed) and claims a code.
    const caraCode = await issueClaimCode(council.staff, council.cara.personId);
    const cara = await claimCode(
      database.db,
      caraCode.code,
      { kind: "new_local", email: "cara@example.test", password: PASSWORD },
      TODAY,
    );
    const daughter = await addRepresentative(council.staff, council.cara.personId, {
      name: "Dee Cole",
      relationship: "Daughter",
      kind: "family_or_friend",
      scopes: ["view", "edit_plan"],
    });
    expect(daughter.state).toBe("awaiting_consent");
    const repCode = await issueClaimCode(council.staff, council.cara.personId, {
      representativeId: daughter.representativeId,
    });
    const dee = await claimCode(
      database.db,
      repCode.code,
      { kind: "new_local", email: "dee@example.test", password: PASSWORD },
      TODAY,
    );
    expect(dee.as).toBe("representative");

    await expect(authorise(as(dee), council.cara.personId, "view")).rejects.toBeInstanceOf(NotFoundError);
    // Only Cara herself may agree: not the representative.
    await expect(setConsent(as(dee), daughter.representativeId, "give")).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await setConsent(as(cara), daughter.representativeId, "give");
    expect(await authorise(as(dee), council.cara.personId, "view")).toMatchObject({ as: "representative" });
    expect(await authorise(as(dee), council.cara.personId, "edit_plan")).toMatchObject({
      as: "representative",
    });
    await expect(authorise(as(dee), council.cara.personId, "manage_money")).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(authorise(as(dee), council.ann.personId, "view")).rejects.toBeInstanceOf(NotFoundError);

    await setConsent(as(cara), daughter.representativeId, "withdraw");
    await expect(authorise(as(dee), council.cara.personId, "view")).rejects.toBeInstanceOf(NotFoundError);
    await expect(setConsent(as(cara), daughter.representativeId, "give")).rejects.toBeInstanceOf(
      ConflictError,
    );

    const trail = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("audit_events")
        .select(["actor_type", "actor_id", "action", "changes"])
        .where("tenant_id", "=", council.tenantId)
        .where("record_type", "in", ["representative", "person"])
        .where("action", "in", ["consent_given", "consent_withdrawn", "act_for"])
        .orderBy("occurred_at")
        .execute(),
    );
    expect(trail.map((e) => [e.actor_type, e.actor_id, e.action])).toEqual([
      ["person", cara.accountId, "consent_given"],
      ["person", dee.accountId, "act_for"],
      ["person", dee.accountId, "act_for"],
      ["person", cara.accountId, "consent_withdrawn"],
    ]);
    expect(trail[1]!.changes).toMatchObject({
      representativeId: daughter.representativeId,
      kind: "family_or_friend",
      scope: "view",
    });
  });

  it("records an attorney's authority, lets them manage money, and ends their access when staff end it", async () => {
    const attorney = await addRepresentative(council.staff, council.bob.personId, {
      name: "Pat Attorney",
      kind: "lasting_power_of_attorney",
      authorityType: "property_and_financial_affairs",
      authorityReference: "7000-1234-5678",
      scopes: ["view", "manage_money"],
    });
    expect(attorney).toMatchObject({
      state: "current",
      basis: "authority",
      authorityReference: "7000-1234-5678",
    });
    const code = await issueClaimCode(council.staff, council.bob.personId, {
      representativeId: attorney.representativeId,
    });
    const pat = await claimCode(
      database.db,
      code.code,
      { kind: "new_local", email: "pat@example.test", password: PASSWORD },
      TODAY,
    );
    expect(await authorise(as(pat), council.bob.personId, "manage_money")).toMatchObject({
      as: "representative",
    });
    // The person cannot withdraw a legal authority online.
    await expect(
      endRepresentative(council.staff, council.bob.personId, attorney.representativeId, { reason: "" }),
    ).rejects.toBeInstanceOf(ValidationError);
    await endRepresentative(council.staff, council.bob.personId, attorney.representativeId, {
      reason: "The LPA was revoked",
    });
    await expect(authorise(as(pat), council.bob.personId, "view")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses a code from another council to an account signed in elsewhere", async () => {
    const code = await issueClaimCode(other.staff, other.ann.personId);
    const ann = await signInLocal(database.db, { email: "ann@example.test", password: PASSWORD });
    const errors = await fieldErrors(
      claimCode(database.db, code.code, { kind: "signed_in", ...ann! }, TODAY),
    );
    expect(errors).toEqual([{ path: "code", message: expect.stringMatching(/different council/) }]);
  });

  it("signs in the one account whose password matches when an email is used in two councils", async () => {
    const code = await issueClaimCode(other.staff, other.bob.personId);
    const there = await claimCode(
      database.db,
      code.code,
      { kind: "new_local", email: "ann@example.test", password: "a different password" },
      TODAY,
    );
    expect(
      await signInLocal(database.db, { email: "ann@example.test", password: "a different password" }),
    ).toEqual({
      tenantId: other.tenantId,
      accountId: there.accountId,
    });
    expect(
      (await signInLocal(database.db, { email: "ann@example.test", password: PASSWORD }))?.tenantId,
    ).toBe(council.tenantId);
  });

  it("keeps secrets from the app role: password hashes, sessions and the One Login key", async () => {
    await saveOneLoginSettings(council.staff, {
      issuerUrl: "https://oidc.example.test/",
      clientId: "client-1",
      clientAuth: "client_secret_post",
      secret: "s3cret",
      vtr: null,
      enabled: true,
    });
    const scope = council.staff.scope;
    const denied = async (query: string) => {
      const error = await withTenant(database.db, scope, (tx) => sql.raw(query).execute(tx)).catch(
        (e: unknown) => e,
      );
      expect(String((error as Error)?.message)).toMatch(/permission denied/);
    };
    await denied("SELECT password_hash FROM person_accounts");
    await denied("SELECT * FROM person_sessions");
    await denied("SELECT client_secret FROM one_login_settings");
    // What the app role may read, it reads only in its own council.
    const seen = await withTenant(database.db, scope, (tx) =>
      tx.selectFrom("person_accounts").select(["tenant_id"]).execute(),
    );
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r.tenant_id === council.tenantId)).toBe(true);
    const reps = await withTenant(database.db, other.staff.scope, (tx) =>
      tx.selectFrom("representatives").select("tenant_id").execute(),
    );
    expect(reps).toEqual([]);
  });
});
