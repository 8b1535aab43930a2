import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import { DEMO_PASSWORD, DEMO_STAFF } from "#/features/demo/seed.ts";

/**
 * A browser for app.inject in page tests: keeps cookies and the page's CSRF token, posts urlencoded forms (with
 * repeated fields for checkboxes) and multipart forms, and signs in as a demo role.
 */
export type Part = { name: string; value: string; fileName?: string; contentType?: string };
export type FormFields = Record<string, string | readonly string[]>;

export class InjectBrowser {
  jar: Record<string, string> = {};
  csrf = "";
  private readonly app: FastifyInstance;
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
  async post(url: string, fields: FormFields) {
    const params = new URLSearchParams({ _csrf: this.csrf });
    for (const [name, value] of Object.entries(fields)) {
      for (const v of typeof value === "string" ? [value] : value) params.append(name, v);
    }
    return this.remember(
      await this.app.inject({
        method: "POST",
        url,
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
        headers: { cookie: this.cookie, "content-type": `multipart/form-data; boundary=${boundary}` },
        payload: `${body}--${boundary}--\r\n`,
      }),
    );
  }
  async signIn(role: string) {
    const email = DEMO_STAFF.find((s) => s.roles.includes(role as never))!.email;
    await this.get("/sign-in");
    const res = await this.post("/sign-in", { email, password: DEMO_PASSWORD, returnTo: "/account" });
    expect(res.statusCode).toBe(303);
    await this.get("/account");
    return this;
  }
}

/** A page's text without tags, entities decoded and spaces collapsed, for matching what a reader sees. */
export const pageText = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/&pound;/g, "£")
    .replace(/\s+/g, " ");

/** The error summary's links (href and text), in order. */
export function errorSummaryLinks(html: string): { href: string; text: string }[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? "";
  return [...summary.matchAll(/<a href="([^"]+)">([^<]*)<\/a>/g)].map((m) => ({
    href: m[1]!,
    text: pageText(m[2]!).trim(),
  }));
}
