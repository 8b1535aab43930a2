import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { type Kysely, sql } from "kysely";
import { expect } from "vitest";
import type { ChargingPeriodResult } from "#/features/charging/charging.calc.ts";
import type { CouncilPolicy } from "#/features/charging/schemas.ts";
import { payAnswersFrom, readAnswered, readCarried } from "#/features/pay-estimator/forms.ts";
import { chargingCaseFrom } from "#/features/pay-estimator/pay-estimator.calc.ts";
import type { DB } from "#/platform/db/schema.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";

/** For the pay estimator's page tests: a visitor with no account, what a page says, and what it should say. */

const pounds = (p: number) => formatPounds(p as Pence);

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

/** The case the pages built from the carried answers, as the result page ran it. */
export function caseFromCarried(
  carried: string,
  jurisdiction: "england" | "wales",
  today: string,
  askPremiums: boolean,
  councilPolicy?: CouncilPolicy,
) {
  const read = readCarried({ answers: carried });
  if (!read.ok) throw new Error("unreadable");
  const pages = Object.keys(read.carried.pages) as never[];
  const { answers } = readAnswered(read.carried, pages, {
    askPremiums,
    askPersonalCare: false,
    ...(read.carried.budgetWeeklyPence ? { budgetWeeklyPence: read.carried.budgetWeeklyPence } : {}),
  });
  const pay = payAnswersFrom(answers);
  if (!pay) throw new Error("unanswered pages");
  return chargingCaseFrom(pay, { jurisdiction, today, ...(councilPolicy ? { councilPolicy } : {}) });
}

/** Every figure and step of a period appears on the page, as the page words them. */
export function expectPeriodOnPage(body: string, p: ChargingPeriodResult) {
  const page = text(body);
  expect(page).toContain(`You might pay ${pounds(p.contributionWeeklyPence)} a week`);
  expect(page).toContain(`${pounds(p.contributionFourWeeklyPence)} every 4 weeks`);
  expect(page).toMatch(
    new RegExp(`would pay ${pounds(p.councilPaysWeeklyPence).replace(/[.$]/g, "\\$&")} a week`),
  );
  for (const step of p.steps) {
    if (step.id.startsWith("capital[") && step.text.startsWith("The main home")) continue;
    expect(page, step.id).toContain(step.text);
  }
  expect(page).toContain(p.rounding);
}
