import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import { DEMO_PASSWORD, DEMO_STAFF } from "#/features/demo/seed.ts";

/**
 * For page tests through app.inject: a "browser" that keeps cookies and sends the CSRF token the last page
 * gave it, and small helpers to read what a page says.
 */

export type Fields = Record<string, string | string[]>;

export class PageBrowser {
  jar: Record<string, string> = {};
  csrf = "";
  private app: FastifyInstance;
  constructor(app: FastifyInstance) {
    this.app = app;
  }

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies) this.jar[c.name] = c.value;
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrf = token;
    return res;
  }

  private get cookie() {
    return Object.entries(this.jar)
      .map(([k, v]) => `${k}=${v}`)
      .join("; ");
  }

  async get(url: string) {
    return this.remember(await this.app.inject({ method: "GET", url, headers: { cookie: this.cookie } }));
  }

  async post(url: string, fields: Fields = {}, opts: { csrf?: boolean } = {}) {
    const body = new URLSearchParams();
    if (opts.csrf !== false) body.append("_csrf", this.csrf);
    for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
    return this.remember(
      await this.app.inject({
        method: "POST",
        url,
        headers: { cookie: this.cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: body.toString(),
      }),
    );
  }

  async signIn(email: string) {
    await this.get("/sign-in");
    const res = await this.post("/sign-in", { email, password: DEMO_PASSWORD, returnTo: "/" });
    expect(res.statusCode).toBe(303);
    await this.get("/account");
    return this;
  }
}

export const emailOf = (role: string) => DEMO_STAFF.find((s) => s.roles.includes(role as never))!.email;
export const location = (res: LightMyRequestResponse) => String(res.headers.location ?? "");
/** Text without tags, entities decoded enough for the checks here. */
export const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/\s+/g, " ");
/** The error summary's messages. */
export const errorSummary = (html: string) =>
  [...html.matchAll(/<li>\s*<a href="(#[^"]+)">([^<]+)<\/a>/g)].map((m) => ({
    href: m[1]!,
    text: text(m[2]!).trim(),
  }));
