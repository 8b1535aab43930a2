import { writeFileSync } from "node:fs";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCOPES, type Scope } from "#/features/accounts/access.calc.ts";
import * as accounts from "#/features/accounts/repository.ts";
import { addRepresentativeIn } from "#/features/accounts/service.ts";
import { prepareRun } from "#/features/payments/run.ts";
import { askToLookAgain } from "#/features/reviews/look-again.ts";
import { findTenantBySlug } from "#/features/tenants/service.ts";
import { hashPassword } from "#/platform/auth/passwords.ts";
// Role and scope NAMES only (to know who to sign in as, and which staff member can hold a token's scope); the
// expected access comes from the hand-written table, never from here.
import { ALL_PERMISSIONS, STAFF_ROLES, tokenScopesFor } from "#/platform/auth/permissions.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { StaffRole } from "#/platform/db/schema.ts";
import { withSystem, withTenant } from "#/platform/db/tenant.ts";
import { DEMO_PERSON_ACCOUNTS } from "#/seed/accounts-seed.ts";
import { DEMO_PASSWORD, DEMO_STAFF, OTHER_STAFF } from "#/seed/seed.ts";
import { ACCESS, type Access } from "./access-matrix.table.ts";
import { apiTokenFor, buildTestApp, staffScope } from "./app.ts";
import { databaseFor, demoTenantId, type TestDatabase } from "./databases.ts";
import { InjectBrowser } from "./inject-browser.ts";
import { listRoutes, type RouteEntry } from "./route-list.ts";
import { NO_SUCH_ID, RouteSamples } from "./route-samples.ts";
import { TODAY } from "./today.ts";

/**
 * Issue 13, the route × role × council matrix: every registered route, asked by every kind of caller (anonymous;
 * a visitor who has just sent the public self-referral form; each staff role; a member of another council's
 * staff; a person with a budget; a representative with each scope; an API token with each scope), with the
 * caller's own ids, another council's ids and another person's ids. What each caller may get is the hand-written
 * table in test/access-matrix.table.ts. A leak is a 2xx the table does not allow; for a write, also a redirect
 * anywhere but a sign-in page, or any row changed in a tenant's tables (audit events, sessions and throttles
 * excepted). Writes are sent only where they must be refused (with a valid CSRF token and an empty body), so the
 * demo data stays as it was. 5xx answers are counted and listed, not failed (test/fuzz.test.ts owns them).
 */

/** Tables a refused request may still write: the audit trail, sessions, and the counters that limit attempts. */
const MAY_CHANGE = (table: string) =>
  ["audit_events", "audit_seals", "sign_in_throttles", "self_referral_submissions"].includes(table) ||
  table.endsWith("sessions");
/** Path parameters that are not record ids (filled with fixed words by RouteSamples). */
const NOT_IDS = new Set(["council", "version", "index", "itemId", "outcome", "token"]);

type Kind = "anonymous" | "self_referral" | "staff" | "other_staff" | "person" | "representative" | "token";
type Principal = {
  name: string;
  kind: Kind;
  /** A member of staff's roles (another council's holds them all, so no role check stops it first). */
  roles?: readonly StaffRole[];
  scopes?: readonly Scope[];
  tokenScope?: string;
  /** Cookie browser (every kind but tokens). */
  browser?: InjectBrowser;
  token?: string;
  /** Another council's caller: every demo id it sends is another council's. */
  foreign?: boolean;
};
/** Whose ids a request carries, from the caller's side. */
type Variant = "own" | "other_person" | "own_person_other_records" | "other_council";
type Sent = {
  route: string;
  principal: Principal;
  variant: Variant;
  url: string;
  method: string;
  status: number;
  allowed: boolean;
  location: string;
};

const routeKey = (r: RouteEntry) => `${r.method} ${r.url}`;
const paramsOf = (url: string) =>
  url
    .split("/")
    .filter((s) => s.startsWith(":"))
    .map((s) => s.slice(1));
const idParams = (url: string) => paramsOf(url).filter((p) => !NOT_IDS.has(p));
const isApi = (url: string) => url.startsWith("/api/");
const isMy = (url: string) => url.startsWith("/my");

const groupBy = <T>(items: T[], key: (item: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
};

/** Whether a filled URL names a real record: one of its id parameters got a row's id, not "no such". */
const namesRecord = (pattern: string, url: string) => {
  const filled = url.split("/");
  return pattern
    .split("/")
    .some(
      (segment, i) =>
        segment.startsWith(":") &&
        !NOT_IDS.has(segment.slice(1)) &&
        filled[i] !== NO_SUCH_ID &&
        filled[i] !== "no-such-provider",
    );
};

/** May this caller get a 2xx from this route with these ids? Straight from the table; ids not theirs: never. */
function allowedBy(access: Access, p: Principal, variant: Variant, route: RouteEntry): boolean {
  if (access.anonymous) return true;
  if (variant !== "own") return false;
  switch (p.kind) {
    case "anonymous":
    case "self_referral":
      return false;
    case "staff":
    case "other_staff":
      return (
        !isMy(route.url) &&
        (access.staff === "any" || (access.staff ?? []).some((role) => p.roles!.includes(role)))
      );
    case "person":
      return isMy(route.url) && (access.person === true || access.account === true);
    case "representative":
      return (
        isMy(route.url) &&
        (access.account === true || (access.representative ?? []).some((s) => p.scopes!.includes(s)))
      );
    case "token":
      return (
        isApi(route.url) &&
        (access.token === "any" ||
          (p.tokenScope === "*"
            ? (access.token ?? []).length > 0
            : (access.token ?? []).includes(p.tokenScope!)))
      );
  }
}

describe("route × role × council matrix (issue 13)", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let tenantId: string;
  let otherTenantId: string;
  let tenantTables: string[];
  const principals: Principal[] = [];
  /** Ids by whose they are: the caller's own person (person2, who has a live budget and an approved plan)… */
  let own: RouteSamples;
  /** …another person of the same council (person1, with a draft plan of their own)… */
  let otherPerson: RouteSamples;
  /** …the self-referral visitor's own new record… */
  let selfReferred: RouteSamples;
  /** …and another council's records. */
  let otherCouncil: RouteSamples;
  /** Text that only the demo council's pages carry, which another council's caller must never see. */
  let demoMarkers: string[];
  /** Text naming person1, whom no person, representative or visitor here may see (nor the visitor person2). */
  let personMarkers: { another: string[]; holder: string[] };
  /** person2's draft assessment and financial assessment, for the pages that edit one. */
  const drafts: Record<string, string> = {};
  const addressOf = new WeakMap<InjectBrowser, string>();
  /** The caller's own ids, with person2's drafts where a page edits an assessment. */
  const fillOwn = (url: string) => {
    const draft = /\/(decision|allocation)$/.test(url)
      ? null
      : /^\/(assessments|financial-assessments)\/:id\b/.exec(url);
    return draft ? own.fill(url.replace(":id", drafts[draft[1]!]!)) : own.fill(url);
  };

  beforeAll(async () => {
    database = await databaseFor("pglite", "demo");
    tenantId = await demoTenantId(database);
    otherTenantId = (await findTenantBySlug(database.db, "other"))!.tenantId;
    const personOf = async (email: string) =>
      withSystem(database.db, async (trx) => {
        const row = await trx
          .selectFrom("person_accounts as a")
          .innerJoin("people as p", (j) =>
            j.onRef("p.tenant_id", "=", "a.tenant_id").onRef("p.person_id", "=", "a.person_id"),
          )
          .where("a.email", "=", email)
          .select(["p.person_id", "p.reference", "p.given_name", "p.family_name"])
          .executeTakeFirstOrThrow();
        return row;
      });
    const holder = await personOf(DEMO_PERSON_ACCOUNTS[1]!.email); // person2: a live budget, an approved plan
    const another = await personOf(DEMO_PERSON_ACCOUNTS[0]!.email); // person1: a draft plan
    demoMarkers = ["Demo Council", holder.reference, another.reference];
    const named = (p: typeof holder) => [p.reference, `${p.given_name} ${p.family_name}`];
    personMarkers = { another: named(another), holder: named(holder) };

    // A representative account for person2 with each scope (every representative may at least view).
    const hash = await hashPassword(DEMO_PASSWORD);
    const repEmails: { email: string; scopes: Scope[] }[] = [];
    await withTenant(
      database.db,
      { tenantId, actor: { type: "system", id: "access-matrix" } },
      async (tx) => {
        for (const scope of SCOPES) {
          const scopes: Scope[] = scope === "view" ? ["view"] : ["view", scope];
          const accountId = uuidv7();
          const email = `matrix.rep.${scope}@demo.upfront.test`;
          await accounts.insertAccount(tx, {
            account_id: accountId,
            name: `Rep ${scope}`,
            email,
            password_hash: hash,
            one_login_sub: null,
          });
          const rep = await addRepresentativeIn({ tx, today: TODAY }, holder.person_id, {
            name: `Rep ${scope}`,
            relationship: "Friend",
            kind: "family_or_friend",
            scopes,
            consent: "in_writing",
          });
          await accounts.updateRepresentative(tx, rep.representativeId, { account_id: accountId });
          repEmails.push({ email, scopes });
        }
      },
    );

    // A request to look at a decision again for each of the two people, recorded by a social worker on their
    // behalf, so the pages about one request are asked with a real request, the caller's own and another's.
    const practitioner = await staffScope(
      database,
      DEMO_STAFF.find((s) => s.roles.includes("social_worker"))!.email,
    );
    for (const who of [holder, another]) {
      await askToLookAgain(
        { db: database.db, scope: practitioner, today: TODAY },
        {
          personId: who.person_id,
          decisionKind: "eligibility",
          whatIsWrong: "The decision missed my evenings.",
        },
      );
    }

    // A payment run (person2's live budget's next payment), so the run's pages are asked with a real run.
    const financeScope = await staffScope(
      database,
      DEMO_STAFF.find((s) => s.roles.includes("finance_officer"))!.email,
    );
    await prepareRun({ db: database.db, scope: financeScope, today: TODAY }, { date: "2026-12-04" });

    tenantTables = await withSystem(database.db, async (trx) =>
      (
        await sql<{ name: string }>`
          SELECT table_name AS name FROM information_schema.columns
          WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY 1`.execute(trx)
      ).rows
        .map((r) => r.name)
        .filter((name) => !MAY_CHANGE(name)),
    );

    app = await buildTestApp(database);
    // Each browser comes from its own address, as people do, so no sign-in throttle counts them together.
    let ip = 0;
    const newBrowser = () => {
      ip++;
      const address = `10.77.${Math.floor(ip / 200)}.${ip % 200}`;
      const browser = new InjectBrowser(app, { ip: address });
      addressOf.set(browser, address);
      return browser;
    };

    // Anonymous, with a CSRF token from a public page, so a write meets the sign-in check, not the CSRF check.
    const anonymous = newBrowser();
    await anonymous.get("/sign-in");
    principals.push({ name: "anonymous", kind: "anonymous", browser: anonymous });

    // A visitor who has just sent the public self-referral form: their new record's ids are "their own".
    const visitor = newBrowser();
    await visitor.get("/demo/self-referral");
    const sent = await visitor.post("/demo/self-referral", {
      givenName: "Matrix",
      familyName: "Visitor",
      "dateOfBirth-day": "3",
      "dateOfBirth-month": "4",
      "dateOfBirth-year": "1951",
      postcode: "zx4 7qp",
      who: "self",
      phone: "01632 960 002",
      email: "",
      supportWanted: "Help with shopping.",
      confirm: "yes",
    });
    expect(sent.statusCode, "the self-referral form was sent").toBe(303);
    await visitor.get(String(sent.headers.location));
    principals.push({ name: "self-referral visitor", kind: "self_referral", browser: visitor });
    const referredId = await withSystem(database.db, async (trx) => {
      const row = await trx
        .selectFrom("people")
        .where("tenant_id", "=", tenantId)
        .where("family_name", "=", "Visitor")
        .where("given_name", "=", "Matrix")
        .select("person_id")
        .executeTakeFirstOrThrow();
      return row.person_id;
    });

    for (const role of STAFF_ROLES) {
      const email = DEMO_STAFF.find((s) => s.roles.includes(role))!.email;
      const browser = await newBrowser().signInAs(email);
      principals.push({ name: `staff ${role}`, kind: "staff", roles: [role], browser });
    }
    // person2's approved plan gets a new draft version (as a planner starts one at a review), so the plan-editing
    // pages open for the callers who may edit, rather than every caller meeting "this plan is not a draft".
    own = await RouteSamples.load(database.db, tenantId, holder.person_id);
    const planner = principals.find((p) => p.roles?.includes("support_planner"))!.browser!;
    const drafted = await planner.post(own.fill("/plans/:planId/versions"));
    // 409: the plan has an open version already, which serves as well.
    expect([303, 409], `a new draft version of person2's plan: ${drafted.body.slice(0, 300)}`).toContain(
      drafted.statusCode,
    );

    // Likewise a draft needs assessment and a draft financial assessment for person2, whose own are finished.
    const worker = principals.find((p) => p.roles?.includes("social_worker"))!.browser!;
    const assessment = await worker.post(own.fill("/people/:personId/assessments"));
    const finance = principals.find((p) => p.roles?.includes("finance_officer"))!.browser!;
    const financial = await finance.post(own.fill("/people/:personId/financial-assessments"));
    for (const [res, what] of [
      [assessment, "assessments"],
      [financial, "financial-assessments"],
    ] as const) {
      const id = new RegExp(`^/${what}/([0-9a-f-]{36})`).exec(String(res.headers.location))?.[1];
      expect(id, `a draft ${what} for person2 (${res.statusCode} ${res.headers.location})`).toBeTruthy();
      drafts[what] = id!;
    }

    // Another council's member of staff, holding every role so that only the council boundary can stop them.
    const foreign = OTHER_STAFF[0]!;
    await withSystem(database.db, (trx) =>
      trx
        .updateTable("staff_users")
        .set({ roles: [...STAFF_ROLES] })
        .where("email", "=", foreign.email)
        .execute(),
    );
    principals.push({
      name: "other council's staff (every role)",
      kind: "other_staff",
      roles: STAFF_ROLES,
      browser: await newBrowser().signInAs(foreign.email),
      foreign: true,
    });

    const person = newBrowser();
    expect((await person.signInPerson(DEMO_PERSON_ACCOUNTS[1]!.email)).statusCode).toBe(303);
    principals.push({ name: "budget holder", kind: "person", browser: person });
    for (const { email, scopes } of repEmails) {
      const browser = newBrowser();
      expect((await browser.signInPerson(email)).statusCode, `representative ${email} signs in`).toBe(303);
      principals.push({
        name: `representative [${scopes.join(", ")}]`,
        kind: "representative",
        scopes,
        browser,
      });
    }

    // An API token with one scope each, made by the first demo member of staff who may hold that scope.
    for (const scope of ALL_PERMISSIONS) {
      const maker = DEMO_STAFF.find((s) => tokenScopesFor(s.roles).includes(scope));
      if (!maker) continue; // api_tokens:own: no token may hold it
      const token = await apiTokenFor(database, maker.email, { scopes: [scope] });
      principals.push({ name: `API token [${scope}]`, kind: "token", tokenScope: scope, token });
    }
    // The other council's administrator's token, with all its scopes, on the demo council's ids.
    principals.push({
      name: "other council's API token (every scope)",
      kind: "token",
      tokenScope: "*",
      token: await apiTokenFor(database, foreign.email),
      foreign: true,
    });

    otherPerson = await RouteSamples.load(database.db, tenantId, another.person_id);
    selfReferred = await RouteSamples.load(database.db, tenantId, referredId);
    otherCouncil = await RouteSamples.load(database.db, otherTenantId, NO_SUCH_ID);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  /** Rows in every tenant table but the audit trail, sessions and throttles, as one comparable line. */
  const rowCounts = async (): Promise<string[]> => {
    const counts = sql.join(
      tenantTables.map((t) => sql`(SELECT count(*) FROM ${sql.table(t)})`),
      sql`, `,
    );
    return withSystem(database.db, async (trx) =>
      (await sql<{ c: string[] }>`SELECT ARRAY[${counts}]::text[] AS c`.execute(trx)).rows[0]!.c.map(String),
    );
  };
  const changedTables = (before: string[], after: string[]) =>
    tenantTables.flatMap((t, i) => (before[i] === after[i] ? [] : [`${t} ${before[i]}→${after[i]}`]));

  const send = (p: Principal, method: string, url: string): Promise<LightMyRequestResponse> => {
    const headers: Record<string, string> = {};
    const options: InjectOptions = { method: method as InjectOptions["method"], url, headers };
    if (p.token) headers.authorization = `Bearer ${p.token}`;
    if (p.browser) {
      headers.cookie = p.browser.cookie;
      const address = addressOf.get(p.browser);
      if (address) options.remoteAddress = address;
    }
    if (method !== "GET") {
      const csrf = p.browser?.csrf ?? "";
      if (isApi(url)) {
        headers["content-type"] = "application/json";
        if (csrf) headers["x-csrf-token"] = csrf;
        options.payload = "{}";
      } else {
        headers["content-type"] = "application/x-www-form-urlencoded";
        options.payload = new URLSearchParams({ _csrf: csrf }).toString();
      }
    }
    return app.inject(options);
  };

  /** The URLs this caller asks for this route, each with whose ids it carries. */
  const variantsFor = (p: Principal, route: RouteEntry): { variant: Variant; url: string }[] => {
    const ids = idParams(route.url);
    if (p.foreign) {
      // The demo council's ids; a route whose ids name no demo record is just the caller's own council's page.
      const url = fillOwn(route.url);
      return [{ variant: namesRecord(route.url, url) ? "other_council" : "own", url }];
    }
    switch (p.kind) {
      case "anonymous":
      case "token":
        return [{ variant: "own", url: fillOwn(route.url) }];
      case "self_referral":
        return [{ variant: "own", url: selfReferred.fill(route.url) }];
      case "staff": {
        const list: { variant: Variant; url: string }[] = [{ variant: "own", url: fillOwn(route.url) }];
        // Another council's records, where that council has a row for one of the route's ids.
        const foreignUrl = otherCouncil.fill(route.url);
        if (namesRecord(route.url, foreignUrl)) list.push({ variant: "other_council", url: foreignUrl });
        return list;
      }
      case "person":
      case "representative": {
        const list: { variant: Variant; url: string }[] = [{ variant: "own", url: fillOwn(route.url) }];
        if (!isMy(route.url) || ids.length === 0) return list;
        // Another person's records (for /my/representatives/:representativeId, another person's representative),
        // unless that person has no such record and the fill fell back to the caller's own.
        const theirsUrl = otherPerson.fill(route.url);
        if (theirsUrl !== fillOwn(route.url)) list.push({ variant: "other_person", url: theirsUrl });
        // Their own person, but a record of someone else's under it (a plan, a receipt, a request).
        if (route.url.includes(":personId") && ids.length > 1) {
          const mine = fillOwn(route.url).split("/");
          const theirs = otherPerson.fill(route.url).split("/");
          const mixed = route.url
            .split("/")
            .map((s, i) => (s === ":personId" ? mine[i]! : theirs[i]!))
            .join("/");
          if (mixed !== mine.join("/")) list.push({ variant: "own_person_other_records", url: mixed });
        }
        return list;
      }
      default:
        return [{ variant: "own", url: fillOwn(route.url) }];
    }
  };

  /** Which callers ask which routes: tokens /api/v1 (and one token every staff page too, to show a token opens
   * nothing outside /api/v1); everyone else every route. */
  const asks = (p: Principal, route: RouteEntry) =>
    p.kind !== "token" || isApi(route.url) || (p.tokenScope === "people:read" && !isMy(route.url));

  it("rule: no caller gets a 2xx, or changes a row, where the hand-written table says they may not; every route is in the table", async () => {
    const started = Date.now();
    const routes = listRoutes(app);
    const missing = routes.filter((r) => !ACCESS[routeKey(r)]).map(routeKey);
    const stale = Object.keys(ACCESS).filter((k) => !routes.some((r) => routeKey(r) === k));

    const sent: Sent[] = [];
    const leaks: string[] = [];
    const record = (
      route: RouteEntry,
      p: Principal,
      variant: Variant,
      url: string,
      res: LightMyRequestResponse,
      allowed: boolean,
    ) => {
      const location = String(res.headers.location ?? "");
      sent.push({
        route: routeKey(route),
        principal: p,
        variant,
        url,
        method: route.method,
        status: res.statusCode,
        allowed,
        location,
      });
      const what = `${route.method} ${url} as ${p.name} (${variant.replace(/_/g, " ")} ids) → ${res.statusCode}`;
      if (!allowed && res.statusCode >= 200 && res.statusCode < 300) leaks.push(what);
      if (!allowed && route.method !== "GET" && res.statusCode >= 300 && res.statusCode < 400) {
        if (!/^\/(my\/)?sign-in\b/.test(location)) leaks.push(`${what} to ${location}`);
      }
      // Another council's caller never sees the demo council's name or people, even on a page it may open…
      // …and a person, representative or visitor never sees another person's name or reference.
      const markers = p.foreign
        ? ACCESS[routeKey(route)]!.anonymous
          ? []
          : demoMarkers
        : p.kind === "person" || p.kind === "representative"
          ? personMarkers.another
          : p.kind === "anonymous" || p.kind === "self_referral"
            ? [...personMarkers.another, ...personMarkers.holder]
            : [];
      if (res.statusCode < 300) {
        const seen = markers.filter((m) => res.body.includes(m));
        if (seen.length > 0) leaks.push(`${what} shows ${seen.join(", ")}`);
      }
    };

    const known = routes.filter((r) => ACCESS[routeKey(r)]);
    // Reads: every caller, every variant, a few at a time.
    const reads = known.filter((r) => r.method === "GET");
    const jobs: (() => Promise<void>)[] = [];
    for (const route of reads) {
      const access = ACCESS[routeKey(route)]!;
      for (const p of principals) {
        if (!asks(p, route)) continue;
        for (const { variant, url } of variantsFor(p, route)) {
          jobs.push(async () =>
            record(route, p, variant, url, await send(p, "GET", url), allowedBy(access, p, variant, route)),
          );
        }
      }
    }
    for (let i = 0; i < jobs.length; i += 8) await Promise.all(jobs.slice(i, i + 8).map((job) => job()));

    const readSeconds = (Date.now() - started) / 1000;
    // Writes: only those that must be refused, one route at a time, with the rows counted around each route.
    const writes = known.filter((r) => r.method !== "GET");
    let writeBatches = 0;
    let counted = await rowCounts();
    for (const route of writes) {
      const access = ACCESS[routeKey(route)]!;
      const planned: { p: Principal; variant: Variant; url: string }[] = [];
      for (const p of principals) {
        if (!asks(p, route)) continue;
        for (const { variant, url } of variantsFor(p, route)) {
          if (!allowedBy(access, p, variant, route)) planned.push({ p, variant, url });
        }
      }
      if (planned.length === 0) continue;
      writeBatches++;
      const before = counted;
      for (const { p, variant, url } of planned)
        record(route, p, variant, url, await send(p, route.method, url), false);
      counted = await rowCounts(); // nothing else writes between batches, so this is the next batch's "before"
      const changed = changedTables(before, counted);
      if (changed.length > 0)
        leaks.push(`${routeKey(route)}: refused callers changed rows: ${changed.join(", ")}`);
    }

    const errors = sent.filter((s) => s.status >= 500);
    const refusedButAllowed = sent.filter(
      (s) => s.allowed && s.variant === "own" && s.status >= 400 && s.status < 500,
    );
    console.log(
      [
        `access matrix: ${routes.length} routes (${reads.length} GET, ${writes.length} writes) × ${principals.length} principals; ` +
          `${sent.length} requests (${sent.filter((s) => s.method === "GET").length} reads, ${sent.filter((s) => s.method !== "GET").length} refused writes in ${writeBatches} counted batches); ` +
          `${leaks.length} leaks; ${errors.length} 5xx; ${missing.length} routes missing from the table; ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s (reads ${readSeconds.toFixed(1)} s)`,
        `  by variant: ${(["own", "other_person", "own_person_other_records", "other_council"] as const).map((v) => `${v} ${sent.filter((s) => s.variant === v).length}`).join(", ")}`,
        `  2xx where the table allows: ${sent.filter((s) => s.allowed && s.status < 300 && s.status >= 200).length}; ` +
          `4xx where the table allows (own ids naming nothing, or a table more generous than the app): ${refusedButAllowed.length}`,
        ...errors.map((s) => `  5xx: ${s.method} ${s.url} as ${s.principal.name} → ${s.status}`),
        // Where the app refuses a role the table allows, the table is more generous than the app: worth a look, as
        // a table too generous could hide a leak. (A bearer token is refused even on public pages, outside /api/v1.)
        ...[
          ...groupBy(
            refusedButAllowed.filter(
              (s) => s.status === 403 && !(s.principal.kind === "token" && !isApi(s.url)),
            ),
            (s) => s.route,
          ),
        ].map(
          ([route, list]) =>
            `  table allows, app refuses (403): ${route}: ${list.map((s) => s.principal.name).join("; ")}`,
        ),
      ].join("\n"),
    );
    // MATRIX_DUMP=<file> writes every request (status, allowed, ids, caller, route, URL, redirect), one a line, to
    // look into a failure or the table's fit.
    if (process.env.MATRIX_DUMP) {
      writeFileSync(
        process.env.MATRIX_DUMP,
        sent
          .map(
            (s) =>
              `${s.status}\t${s.allowed ? "allow" : "deny"}\t${s.variant}\t${s.principal.name}\t${s.route}\t${s.url}\t${s.location}`,
          )
          .join("\n"),
      );
    }
    expect(missing.map((k) => `${k}: add it to test/access-matrix.table.ts`)).toEqual([]);
    expect(stale.map((k) => `${k}: in test/access-matrix.table.ts but no such route`)).toEqual([]);
    expect(leaks).toEqual([]);
    // The words the page checks look for are ones the pages really show, so their absence means something.
    const holderPage = await send(principals.find((p) => p.kind === "person")!, "GET", "/my");
    expect(holderPage.body).toContain(personMarkers.holder[1]);
    const peoplePage = await send(
      principals.find((p) => p.roles?.includes("administrator"))!,
      "GET",
      "/people",
    );
    expect(peoplePage.body).toContain("Demo Council");
    // The matrix reached real records: the callers the table allows opened most of what they asked for.
    expect(sent.filter((s) => s.allowed && s.status >= 200 && s.status < 300).length).toBeGreaterThan(500);
  }, 600_000);
});
