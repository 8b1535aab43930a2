/**
 * The dashboard pages from their snapshots (issue 15, "Scale and correctness": every dashboard page under 1 s),
 * on real PostgreSQL. Run by hand; prints figures, asserts nothing:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/reports-pages.ts [options]
 *     --people N        synthetic people in the council (default 20000)
 *     --database NAME   the benchmark's database beside DATABASE_URL's (default bench_reports_pages; never test)
 *     --today DATE      the day the council is made on and the pages are read on (default today, London)
 *     --reports a,b     only these reports (default every one: caseload, money, outcomes, market, measures,
 *                       fairness); the measures' refresh reads the whole year's CLD rows, so at a million
 *                       people leave it out unless the machine has the memory
 *     --repeat R        times each page is read (default 3; the median and the slowest are shown)
 *
 * The council is bench/reports-data.ts's (made once and kept). First each report's snapshots are refreshed as
 * the nightly job does (refreshStandardSnapshots: the report's usual views through its own service, stored);
 * then the app itself (buildApp, as the server runs it) serves, to a signed-in commissioner, each page, its
 * first table's CSV download and its API from the snapshot, through app.inject: everything a request does
 * except the network. "cpu s" is this process's CPU time (the rest is the database and waiting for a core).
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import pg from "pg";
import { buildApp } from "#/app.ts";
import type { SnapshotReportId } from "#/features/reports/snapshot-reports.ts";
import { refreshStandardSnapshots, snapshotReportsNamed } from "#/features/reports/snapshot-service.ts";
import { todayInLondon } from "#/platform/context.ts";
import { openPostgres } from "#/platform/db/database.ts";
import { DEMO_PASSWORD } from "#/seed/seed.ts";
import { syntheticCouncil } from "./reports-data.ts";

type Row = { what: string; seconds: number; cpuSeconds: number; slowest?: number; note?: string };

const PAGE_TARGET_SECONDS = 1;

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const value = await fn();
  const cpu = process.cpuUsage(cpu0);
  return { value, seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** A signed-in browser over app.inject: its cookies, and the CSRF token of the last page with a form. */
class Browser {
  private jar = new Map<string, string>();
  private csrf = "";
  private readonly app: FastifyInstance;
  constructor(app: FastifyInstance) {
    this.app = app;
  }
  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies) this.jar.set(c.name, c.value);
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? this.csrf;
    return res;
  }
  private get cookie() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  async get(url: string) {
    return this.remember(await this.app.inject({ method: "GET", url, headers: { cookie: this.cookie } }));
  }
  async signIn(email: string) {
    await this.get("/sign-in");
    const res = this.remember(
      await this.app.inject({
        method: "POST",
        url: "/sign-in",
        headers: { cookie: this.cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({
          _csrf: this.csrf,
          email,
          password: DEMO_PASSWORD,
          returnTo: "/account",
        }).toString(),
      }),
    );
    if (res.statusCode !== 303) throw new Error(`Could not sign in as ${email}: ${res.statusCode}`);
  }
}

async function commissionerEmail(url: string, tenantId: string): Promise<{ id: string; email: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const row = (
      await client.query(
        "SELECT user_id, email FROM staff_users WHERE tenant_id = $1 AND 'commissioner' = ANY (roles) LIMIT 1",
        [tenantId],
      )
    ).rows[0];
    if (!row) throw new Error("The seeded council has no commissioner");
    return { id: row.user_id, email: row.email };
  } finally {
    await client.end();
  }
}

/** The page, the API and the first table's CSV download of each report, read from its default snapshot. */
async function addresses(
  browser: Browser,
  report: SnapshotReportId,
): Promise<{ what: string; url: string }[]> {
  if (report === "fairness")
    return [
      { what: "public fairness dashboard page", url: "/demo/fairness" },
      { what: "  its API", url: "/api/v1/councils/demo/fairness" },
    ];
  const page = `/reports/${report}`;
  const api = `/api/v1/reports/${report}`;
  const first = ((await browser.get(api)).json() as { tables: { id: string }[] }).tables[0]!.id;
  return [
    { what: `${report} page`, url: page },
    { what: `  its ${first} CSV`, url: `${page}/download/${first}.csv` },
    { what: "  its API", url: api },
  ];
}

async function main() {
  const { values } = parseArgs({
    options: {
      people: { type: "string", default: "20000" },
      database: { type: "string", default: "bench_reports_pages" },
      today: { type: "string" },
      reports: { type: "string" },
      repeat: { type: "string", default: "3" },
    },
  });
  if (values.database === "test") throw new Error("Give the benchmark a database of its own, not test");
  const today = values.today ?? todayInLondon();
  const reports = snapshotReportsNamed(values.reports?.split(","));
  const base = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const council = await syntheticCouncil(
    {
      baseUrl: base,
      database: values.database,
      people: Number(values.people),
      today,
      paymentRuns: 3,
      fresh: false,
    },
    (line) => console.log(line),
  );
  const database = openPostgres(council.url, { max: 4 });
  const rows: Row[] = [];
  try {
    const commissioner = await commissionerEmail(council.url, council.tenantId);
    const ctx = {
      db: database.db,
      scope: { tenantId: council.tenantId, actor: { type: "staff" as const, id: commissioner.id } },
      today,
    };
    for (const report of reports) {
      const { value, seconds, cpuSeconds } = await timed(() => refreshStandardSnapshots(ctx, [report]));
      const views = value.map(
        (r) => `${r.parameters} ${r.skipped ? "skipped" : `${r.seconds.toFixed(1)} s`}`,
      );
      // Memory: this process's resident set now, and its peak so far (generation included when it ran here).
      const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
      const memory = `RSS ${mb(process.memoryUsage().rss)}, peak ${mb(process.resourceUsage().maxRSS * 1024)}`;
      rows.push({ what: `refresh ${report}`, seconds, cpuSeconds, note: `${views.join(", ")}; ${memory}` });
      console.log(
        `refresh ${report}: ${seconds.toFixed(2)} s, CPU ${cpuSeconds.toFixed(1)} s (${views.join(", ")}; ${memory})`,
      );
    }
    const app = await buildApp({
      config: {
        sessionSecret: "bench-session-secret-".repeat(3),
        cookieSecure: false,
        logLevel: "silent",
        env: "test",
      },
      db: database.db,
      today: () => today,
    });
    try {
      const browser = new Browser(app);
      await browser.signIn(commissioner.email);
      for (const report of reports) {
        for (const { what, url } of await addresses(browser, report)) {
          const times: { seconds: number; cpuSeconds: number; status: number; bytes: number }[] = [];
          for (let i = 0; i < Number(values.repeat); i++) {
            const { value, seconds, cpuSeconds } = await timed(() => browser.get(url));
            times.push({ seconds, cpuSeconds, status: value.statusCode, bytes: value.rawPayload.length });
          }
          const sorted = [...times].sort((a, b) => a.seconds - b.seconds);
          const median = sorted[Math.floor(sorted.length / 2)]!;
          rows.push({
            what: `${what} (${url})`,
            seconds: median.seconds,
            cpuSeconds: median.cpuSeconds,
            slowest: sorted.at(-1)!.seconds,
            note: `HTTP ${median.status}, ${Math.round(median.bytes / 1024)} KB`,
          });
          console.log(`${what}: ${median.seconds.toFixed(3)} s (HTTP ${median.status})`);
        }
      }
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
  console.log(
    `\nupfront report pages benchmark: ${council.people.toLocaleString("en-GB")} people, database ${values.database}, today ${today}`,
  );
  const head = ["what", "median s", "cpu s", "slowest s", "met", "note"];
  const body = rows.map((r) => [
    r.what,
    r.seconds.toFixed(3),
    r.cpuSeconds.toFixed(3),
    r.slowest === undefined ? "" : r.slowest.toFixed(3),
    r.slowest === undefined ? "" : r.slowest < PAGE_TARGET_SECONDS ? "yes" : "NO",
    r.note ?? "",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  console.log(`${line(head)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const b of body) console.log(line(b));
}

await main();
