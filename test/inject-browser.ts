import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import { DEMO_PASSWORD, DEMO_STAFF } from "#/seed/seed.ts";

/**
 * A browser for app.inject in page tests: keeps cookies and the page's CSRF token, posts urlencoded forms (with
 * repeated fields for checkboxes) and multipart forms, and signs in as a demo role. The cookie and text helpers
 * beneath it serve tests that drive requests by hand.
 */
export type Part = { name: string; value: string; fileName?: string; contentType?: string };
export type FormFields = Record<string, string | readonly string[]>;
type SetCookie = { name: string; value: string; expires?: Date };

/** Adds the cookies a response set to a jar; a cleared or expired one is forgotten, as a browser would. */
export function cookiesFrom(res: { cookies: SetCookie[] }, jar: Record<string, string> = {}) {
  for (const c of res.cookies) {
    if (c.value === "" || (c.expires && c.expires.getTime() < Date.now())) delete jar[c.name];
    else jar[c.name] = c.value;
  }
  return jar;
}
/** The Cookie header a browser holding this jar sends. */
export const cookieHeader = (jar: Record<string, string>) =>
  Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join("; ");
/** The CSRF token a page's forms carry ("" when it has none). */
export const csrfFrom = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
/** The email of the first demo staff member who has this role. */
export const emailOf = (role: string) => DEMO_STAFF.find((s) => s.roles.includes(role as never))!.email;
/** Where a redirect points ("" when it is not one). */
export const location = (res: LightMyRequestResponse) => String(res.headers.location ?? "");

export class InjectBrowser {
  jar: Record<string, string> = {};
  csrf = "";
  /** Every cookie any response set, even one since cleared (to check what a page leaves behind). */
  readonly cookiesSet = new Set<string>();
  protected readonly app: FastifyInstance;
  /** The address requests come from (light-my-request's own, 127.0.0.1, when not given). */
  private readonly ip: string | undefined;
  constructor(app: FastifyInstance, options: { ip?: string } = {}) {
    this.app = app;
    this.ip = options.ip;
  }
  protected remember(res: LightMyRequestResponse) {
    cookiesFrom(res, this.jar);
    for (const c of res.cookies) this.cookiesSet.add(c.name);
    const token = csrfFrom(res.body);
    if (token) this.csrf = token;
    return res;
  }
  get cookie() {
    return cookieHeader(this.jar);
  }
  private from(ip: string | undefined) {
    const remoteAddress = ip ?? this.ip;
    return remoteAddress === undefined ? {} : { remoteAddress };
  }
  async get(url: string, ip?: string) {
    return this.remember(
      await this.app.inject({ method: "GET", url, ...this.from(ip), headers: { cookie: this.cookie } }),
    );
  }
  /** Posts a form with the page's CSRF token first (`csrf: false` leaves it out, as a forged post would). */
  async post(url: string, fields: FormFields = {}, opts: { csrf?: boolean; ip?: string } = {}) {
    const params = new URLSearchParams();
    if (opts.csrf !== false) params.append("_csrf", this.csrf);
    for (const [name, value] of Object.entries(fields)) {
      for (const v of typeof value === "string" ? [value] : value) params.append(name, v);
    }
    return this.remember(
      await this.app.inject({
        method: "POST",
        url,
        ...this.from(opts.ip),
        headers: { cookie: this.cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: params.toString(),
      }),
    );
  }
  async postMultipart(url: string, parts: Part[]) {
    const boundary = "----upfront-test-boundary";
    const body = [{ name: "_csrf", value: this.csrf } as Part, ...parts]
      .map(
        (p) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.fileName !== undefined ? `; filename="${p.fileName}"\r\nContent-Type: ${p.contentType ?? "application/json"}` : ""}\r\n\r\n${p.value}\r\n`,
      )
      .join("");
    return this.remember(
      await this.app.inject({
        method: "POST",
        url,
        ...this.from(undefined),
        headers: { cookie: this.cookie, "content-type": `multipart/form-data; boundary=${boundary}` },
        payload: `${body}--${boundary}--\r\n`,
      }),
    );
  }
  /** Signs in as the first demo staff member with this role. */
  async signIn(role: string) {
    return this.signInAs(emailOf(role));
  }
  /** Signs in as staff; a new session gets a new CSRF seed, so a fresh page picks up its token. */
  async signInAs(email: string, password = DEMO_PASSWORD) {
    await this.get("/sign-in");
    const res = await this.post("/sign-in", { email, password, returnTo: "/account" });
    expect(res.statusCode, `staff sign-in for ${email}`).toBe(303);
    await this.get("/account");
    return this;
  }
  /**
   * Signs in at /my as a budget holder or a representative (a person's account); returns the response (303 when
   * it worked), so a test can check a refusal too. A fresh page afterwards picks up the new session's CSRF token.
   */
  async signInPerson(email: string, password = DEMO_PASSWORD, ip?: string) {
    await this.get("/my/sign-in", ip);
    const res = await this.post("/my/sign-in", { email, password, returnTo: "/my" }, ip ? { ip } : {});
    if (res.statusCode === 303) await this.get("/my/sign-in", ip);
    return res;
  }
}

/**
 * A visitor to the calculators, which keep no answers on the server: each page carries them in a hidden
 * `answers` field, which this visitor reads from the last page and posts back (before the page's own fields).
 */
export class CarryingVisitor extends InjectBrowser {
  carried = "";
  protected override remember(res: LightMyRequestResponse) {
    super.remember(res);
    // The page's own form comes last (a Back button's form, if any, comes first); both carry the same.
    const carried = [...res.body.matchAll(/name="answers" value="([^"]*)"/g)].at(-1)?.[1];
    this.carried = carried === undefined ? "" : htmlUnescape(carried);
    return res;
  }
  /** `answers` posts these instead of the carried ones; `null` posts none. */
  override async post(
    url: string,
    fields: FormFields = {},
    opts: { csrf?: boolean; ip?: string; answers?: string | null } = {},
  ) {
    const { answers, ...rest } = opts;
    const carried: FormFields = answers === null ? {} : { answers: answers ?? this.carried };
    return super.post(url, { ...carried, ...fields }, rest);
  }
}

/** Undoes Nunjucks' escaping (& < > " ' \) of text or a hidden field's value. */
export const htmlUnescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#92;/g, "\\")
    .replace(/&pound;/g, "£")
    .replace(/&amp;/g, "&");

/** A page's text without tags, entities decoded and spaces collapsed, for matching what a reader sees. */
export const pageText = (html: string) => htmlUnescape(html.replace(/<[^>]+>/g, " ")).replace(/\s+/g, " ");

/** The page's <title>, decoded. */
export const titleOf = (html: string) =>
  htmlUnescape(/<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? "");

/** The error summary's links (href and text), in order. */
export function errorSummaryLinks(html: string): { href: string; text: string }[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? "";
  return [...summary.matchAll(/<a href="([^"]+)">([^<]*)<\/a>/g)].map((m) => ({
    href: m[1]!,
    text: pageText(m[2]!).trim(),
  }));
}
