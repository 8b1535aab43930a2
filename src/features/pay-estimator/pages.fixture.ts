import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { type Kysely, sql } from "kysely";
import type { DB } from "#/platform/db/schema.ts";
import { withSystem } from "#/platform/db/tenant.ts";

/** For the pay estimator's page tests: a visitor with no account, and what a page says. */

export type Fields = Record<string, string | string[]>;

export const htmlUnescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#92;/g, "\\")
    .replace(/&amp;/g, "&");
export const titleOf = (html: string) =>
  htmlUnescape(/<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? "");
export const text = (html: string) => htmlUnescape(html.replace(/<[^>]+>/g, " ")).replace(/\s+/g, " ");

/** A visitor with no account: keeps its cookies, the CSRF token, and the answers the last page carried. */
export class Visitor {
  jar: Record<string, string> = {};
  csrf = "";
  carried = "";
  readonly cookiesSet = new Set<string>();
  private readonly app: FastifyInstance;
  constructor(app: FastifyInstance) {
    this.app = app;
  }

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies) {
      this.jar[c.name] = c.value;
      this.cookiesSet.add(c.name);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrf = token;
    const carried = [...res.body.matchAll(/name="answers" value="([^"]*)"/g)].at(-1)?.[1];
    this.carried = carried === undefined ? "" : htmlUnescape(carried);
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

  async post(url: string, fields: Fields = {}, opts: { csrf?: boolean; answers?: string | null } = {}) {
    const body = new URLSearchParams();
    if (opts.csrf !== false) body.append("_csrf", this.csrf);
    if (opts.answers !== null) body.append("answers", opts.answers ?? this.carried);
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

  /** Answers one page as a person would: its fields, and Continue. */
  answer(base: string, page: string, values: Fields, from?: "check") {
    return this.post(`${base}/questions`, { ...values, page, go: "continue", ...(from ? { from } : {}) });
  }
}

/** Rows in every table the app has (audit events, sessions, jobs and all), by table: nothing written shows. */
export async function rowCounts(db: Kysely<DB>): Promise<Record<string, number>> {
  return withSystem(db, async (trx) => {
    const tables = await sql<{ schema: string; name: string }>`
      SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
      ORDER BY 1, 2`.execute(trx);
    const counts: Record<string, number> = {};
    for (const t of tables.rows) {
      const { rows } = await sql<{
        n: string;
      }>`SELECT count(*) AS n FROM ${sql.table(`${t.schema}.${t.name}`)}`.execute(trx);
      counts[`${t.schema}.${t.name}`] = Number(rows[0]!.n);
    }
    return counts;
  });
}
