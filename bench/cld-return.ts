/**
 * How long the Client Level Data return takes for a large council (issue 15: "the CLD export in under 60 s" for
 * a million people): N people, each with a submitted assessment and a live budget of one direct-payment line,
 * made in seconds by one SQL script (bench/bulk-budgets.ts), then the return worked out through the service,
 * as the CLI and the page do. Prints the figures; run by hand:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/cld-return.ts --people 100000
 *
 * It makes its own database and drops it after (--keep keeps it).
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import { paymentsTenant } from "#/features/payments/payments.fixture.ts";
import { eachCldFactsPage } from "#/features/reports/cld-facts.ts";
import { buildCldReturn } from "#/features/reports/service.ts";
import { openPostgres } from "#/platform/db/database.ts";
import { migrate } from "#/platform/db/migrator.ts";
import { withTenant } from "#/platform/db/tenant.ts";
import { bulkBudgetsSql } from "./bulk-budgets.ts";

const { values } = parseArgs({
  options: {
    people: { type: "string", default: "100000" },
    keep: { type: "boolean", default: false },
  },
});
const people = Number(values.people);
const base = process.env.DATABASE_URL;
if (!base) throw new Error("Set DATABASE_URL to a PostgreSQL server (the benchmark makes its own database)");
const name = `upfront_bench_cld_${process.pid}`;
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(base);
url.pathname = `/${name}`;
const database = openPostgres(url.toString(), { max: 4 });
const fmt = (n: number) => n.toLocaleString("en-GB");
try {
  await migrate(database);
  const tenant = await paymentsTenant(database, "2026-01-07");
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  let t0 = performance.now();
  await client.query(
    bulkBudgetsSql({
      tenantId: tenant.tenantId,
      count: people,
      maker: tenant.maker.scope.actor.id!,
      checker: tenant.checker.scope.actor.id!,
      startDate: "2026-01-12",
      weeklyPence: 10_000,
      contributionWeeklyPence: 2_000,
    }),
  );
  // The council's LA code, so every row has a person identifier and is checked.
  await client.query(`UPDATE tenants SET ons_code = 'E06999998' WHERE tenant_id = '${tenant.tenantId}'`);
  await client.end();
  console.log(
    `set-up (SQL)                 ${fmt(people)} people in ${Math.round(performance.now() - t0)} ms`,
  );
  t0 = performance.now();
  let read = 0;
  await withTenant(database.db, tenant.maker.scope, (tx) =>
    eachCldFactsPage(tx, (facts) => {
      read += facts.people.length;
    }),
  );
  console.log(`facts read (owners' reads)   ${fmt(read)} people in ${Math.round(performance.now() - t0)} ms`);
  t0 = performance.now();
  const result = await buildCldReturn(tenant.maker, { period: "2025-04-01..2026-03-31" });
  const ms = performance.now() - t0;
  console.log(
    `CLD return                   ${fmt(result.rows)} rows, ${fmt(result.people)} people, ${fmt(result.failureCount)} failing fields in ${Math.round(ms)} ms (${fmt(Math.round((people / ms) * 1000))} people/s; a million people in about ${Math.round(1_000_000 / (people / ms) / 1000)} s)`,
  );
} finally {
  await database.close();
  if (!values.keep) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
