import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, location, text } from "#/features/accounts/portal.fixture.ts";
import {
  countRows,
  type PaymentsTenant,
  paymentsTenant,
  personWithBudget,
} from "#/features/payments/payments.fixture.ts";
import { approveRedate, proposeRedate, runRedating } from "#/features/payments/redate.ts";
import { prepareRun } from "#/features/payments/run.ts";
import { approveRun, reviewRun } from "#/features/payments/service.ts";
import { ConflictError, ForbiddenError } from "#/platform/errors.ts";
import { CSRF_HEADER } from "#/platform/web/security.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";

/**
 * Issue 12, money paths cannot dead-end: an approved run whose Bacs file was not sent by its deadline gets its file
 * for a later pay date. On Wednesday 7 January 2026 a run for Monday 12 January is prepared, reviewed and approved;
 * nobody downloads the file by Thursday 8 January. On Monday 12 January the file is refused, and the run page
 * offers the earliest date that works (Wednesday 14 January: sent today, paid two Bacs days later). One finance
 * officer asks for it with a reason; a different one approves it (maker-checker); the Bacs file and the finance
 * CSV then pay on 14 January, and no payment or ledger transfer is made again.
 */

describe.each(enginesUnderTest())(
  "a later pay date for a run whose Bacs file was not sent in time, on %s",
  (engine) => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let tenant: PaymentsTenant;
    let today = "2026-01-07";
    let runId: string;

    beforeAll(async () => {
      database = await databaseFor(engine, "migrated");
      tenant = await paymentsTenant(database, "2026-01-07");
      await personWithBudget(database, tenant, {
        startDate: "2026-01-12",
        approvedOn: "2026-01-05",
        directWeekly: 10_000,
      });
      app = await buildTestApp(database, { today: () => today });
      const run = await prepareRun(tenant.maker, { date: "2026-01-12" });
      runId = run.runId!;
      await reviewRun(tenant.maker, runId);
      await approveRun(tenant.checker, runId);
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await database?.drop();
    });

    const moneyRows = async () => ({
      transfers: await countRows(
        database.db,
        sql<{ n: number }>`SELECT count(*) AS n FROM ledger_transfers WHERE tenant_id = ${tenant.tenantId}`,
      ),
      payments: await countRows(
        database.db,
        sql<{ n: number }>`SELECT count(*) AS n FROM payments WHERE tenant_id = ${tenant.tenantId}`,
      ),
    });

    it("before the deadline nothing is offered and asking for a later date is refused: the file can still be made", async () => {
      await expect(proposeRedate(tenant.maker, runId, { reason: "Testing" })).rejects.toThrow(
        /can still be made: download it and send it to Bacs by 8 January 2026/,
      );
      const maker = new Browser(app);
      await maker.signInStaff(tenant.maker.email);
      const page = text((await maker.get(`/payments/runs/${runId}`)).body);
      expect(page).not.toContain("Make the Bacs file for a later pay date");
      expect(page).toContain("Bacs Standard 18 file");
      // The API says the same (409), and documents both operations.
      const viaApi = await app.inject({
        method: "POST",
        url: `/api/v1/payments/runs/${runId}/redate`,
        headers: {
          cookie: Object.entries(maker.jar)
            .map(([k, v]) => `${k}=${v}`)
            .join("; "),
          [CSRF_HEADER]: maker.csrf,
        },
        payload: { reason: "Testing" },
      });
      expect(viaApi.statusCode).toBe(409);
      const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
      expect(doc.paths["/payments/runs/{runId}/redate"].post.operationId).toBe("proposePaymentRunRedate");
      expect(doc.paths["/payments/runs/{runId}/redate/{redateId}/approve"].post.operationId).toBe(
        "approvePaymentRunRedate",
      );
    });

    it("after the deadline: the run page offers the earliest date; the reason is required; the asker cannot approve; a second officer approves; files pay on the new date and nothing is paid twice", async () => {
      today = "2026-01-12";
      const before = await moneyRows();
      const maker = new Browser(app);
      await maker.signInStaff(tenant.maker.email);
      const runUrl = `/payments/runs/${runId}`;

      const refused = await maker.get(`${runUrl}/files/bacs18`);
      expect(refused.statusCode).toBe(409);
      expect(text(refused.body)).toContain("Ask for the file for a later pay date on the run's page");

      const page = await maker.get(runUrl);
      expect(text(page.body)).toMatch(
        /Make the Bacs file for a later pay date.*had to reach Bacs by 8 January 2026.*earliest pay date a Bacs file sent today can meet is 14 January 2026/,
      );
      expect(page.body).not.toContain(`${runUrl}/files/bacs18`);

      // The reason is required: an error summary linking to the field, nothing written.
      const empty = await maker.post(`${runUrl}/redate`, { reason: "  " });
      expect(empty.statusCode).toBe(400);
      expect(empty.body).toContain('href="#reason"');
      expect(text(empty.body)).toMatch(/There is a problem.*Say why the Bacs file was not sent in time/);
      expect((await runRedating(tenant.maker, runId)).history).toEqual([]);

      const asked = await maker.post(`${runUrl}/redate`, {
        reason: "The officer was off sick; the bank confirms no file came",
      });
      expect(asked.statusCode).toBe(303);
      const waiting = text((await maker.get(location(asked))).body);
      expect(waiting).toMatch(
        /You have asked for a new pay date.*A new pay date of 14 January 2026 was asked for/,
      );
      expect(waiting).toContain("A different finance officer must approve it");
      const redateId = (await runRedating(tenant.maker, runId)).waiting!.redateId;

      // Maker-checker: the officer who asked cannot approve it.
      expect((await maker.post(`${runUrl}/redate/${redateId}/approve`)).statusCode).toBe(403);

      const checker = new Browser(app);
      await checker.signInStaff(tenant.checker.email);
      expect(text((await checker.get(runUrl)).body)).toContain("Approve the new pay date of 14 January 2026");
      const approved = await checker.post(`${runUrl}/redate/${redateId}/approve`);
      expect(approved.statusCode).toBe(303);
      const after = text((await checker.get(location(approved))).body);
      expect(after).toMatch(/Pay date\s*14 January 2026 \(moved from 12 January 2026\)/);
      expect(after).toMatch(
        /Pay date changes.*From 12 January 2026 to 14 January 2026.*off sick.*Approved on/,
      );
      expect(after).not.toContain("Make the Bacs file for a later pay date");
      expect(text((await checker.get("/payments")).body)).toContain(
        "14 January 2026 (moved from 12 January 2026)",
      );

      const bacs = await checker.get(`${runUrl}/files/bacs18`);
      expect(bacs.statusCode).toBe(200);
      expect(bacs.headers["content-disposition"]).toContain("2026-01-14");
      // UHL1 carries the processing day, Tuesday 13 January 2026 (" 26013").
      expect(
        bacs.body
          .split(/\r?\n/)
          .find((l) => l.startsWith("UHL1"))!
          .slice(4, 10),
      ).toBe(" 26013");
      const csv = await checker.get(`${runUrl}/files/finance.csv`);
      expect(csv.statusCode).toBe(200);
      const [head, row] = csv.body.trim().split(/\r?\n/);
      const payDate = head!.split(",").indexOf("pay_date");
      expect(row!.split(",")[payDate]).toBe("2026-01-14");

      // The payments stay made exactly once: no payment row and no ledger transfer was added.
      expect(await moneyRows()).toEqual(before);
      const audited = await countRows(
        database.db,
        sql<{ n: number }>`SELECT count(*) AS n FROM audit_events WHERE tenant_id = ${tenant.tenantId}
        AND action IN ('payment_run.redate_propose', 'payment_run.redate_approve') AND record_id = ${runId}`,
      );
      expect(audited).toBe(2);
    });

    it("a new date left too long is refused at approval naming the next one; asking again replaces it", async () => {
      // The approved file pays on 14 January (processing day 13 January); by 15 January that file is too late too.
      const late = (ctx: typeof tenant.maker, day: string) => ({ ...ctx, today: day });
      const first = await proposeRedate(late(tenant.maker, "2026-01-15"), runId, { reason: "Missed again" });
      expect(first).toMatchObject({ fromPayDate: "2026-01-14", payDate: "2026-01-19" });
      await expect(approveRedate(late(tenant.checker, "2026-01-19"), runId, first.redateId)).rejects.toThrow(
        ConflictError,
      );
      await expect(approveRedate(late(tenant.checker, "2026-01-19"), runId, first.redateId)).rejects.toThrow(
        /19 January 2026 is now too soon.*ask again for 21 January 2026 or later/,
      );
      const second = await proposeRedate(late(tenant.maker, "2026-01-19"), runId, { reason: "Missed again" });
      expect(second.payDate).toBe("2026-01-21");
      await expect(approveRedate(late(tenant.maker, "2026-01-19"), runId, second.redateId)).rejects.toThrow(
        ForbiddenError,
      );
      await approveRedate(late(tenant.checker, "2026-01-19"), runId, second.redateId);
      const history = (await runRedating(late(tenant.maker, "2026-01-19"), runId)).history;
      expect(history.map((r) => [r.status, r.payDate])).toEqual([
        ["approved", "2026-01-14"],
        ["replaced", "2026-01-19"],
        ["approved", "2026-01-21"],
      ]);
      expect((await runRedating(late(tenant.maker, "2026-01-19"), runId)).filePayDate).toBe("2026-01-21");
    });
  },
);
