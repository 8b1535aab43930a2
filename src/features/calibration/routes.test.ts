import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { InjectBrowser, pageText } from "../../../test/inject-browser.ts";

/**
 * The administrator's RAS pages through app.inject: who may see them, uploading a packages file (multipart)
 * or pasting it, a refused file with every problem listed, the report with its charts and tables, the CSV
 * downloads, and adopting with a reason.
 */

const EXAMPLE = readFileSync("examples/packages.csv", "utf8");

describe.each(enginesUnderTest())("RAS administration pages on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("rule: only administrators may calibrate; a social worker gets 403 and a visitor is sent to sign in", async () => {
    const visitor = new InjectBrowser(app);
    const anonymous = await visitor.get("/admin/ras");
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toMatch(/^\/sign-in/);

    const worker = await new InjectBrowser(app).signIn("social_worker");
    expect((await worker.get("/admin/ras")).statusCode).toBe(403);
    const upload = await worker.postMultipart("/admin/ras/calibrations", [
      { name: "packagesFile", value: EXAMPLE, fileName: "packages.csv", contentType: "text/csv" },
    ]);
    expect(upload.statusCode).toBe(403);

    const admin = await new InjectBrowser(app).signIn("administrator");
    const page = await admin.get("/admin/ras");
    expect(page.statusCode).toBe(200);
    // Version 2: Demo Council adopted the example figures as its own model at set-up.
    expect(pageText(page.body)).toContain("The model in use: version 2");
    expect(pageText(page.body)).toContain("Demo Council's model, adopted at set-up");
    expect(pageText(page.body)).toContain("This is the example model shipped with the rules");
  });

  it("rule (Bad input): a file with bad rows is refused with every problem listed by row, and nothing is saved", async () => {
    const admin = await new InjectBrowser(app).signIn("administrator");
    await admin.get("/admin/ras");
    const lines = EXAMPLE.split("\r\n");
    const row4 = lines[3]!.split(",");
    row4[row4.length - 1] = "-100";
    const bad = [lines[0], lines[1], lines[2], row4.join(","), lines[1]].join("\r\n");
    const res = await admin.postMultipart("/admin/ras/calibrations", [
      { name: "packagesFile", value: bad, fileName: "bad.csv", contentType: "text/csv" },
    ]);
    expect(res.statusCode).toBe(400);
    const body = pageText(res.body);
    expect(body).toContain("There is a problem");
    expect(body).toContain("The file was not used: it has 2 problems");
    expect(body).toMatch(/Row 4, weekly_cost_pence The weekly cost must not be negative \(-100\)/);
    expect(body).toMatch(/Row 5, person_reference The person "EX0001" is already on row 2/);
    expect(body).toContain("No calibrations yet.");
  });

  it("rule: an uploaded file gives a report with charts (SVG in figures) and a table beside each; CSVs download", async () => {
    const admin = await new InjectBrowser(app).signIn("administrator");
    await admin.get("/admin/ras");
    const res = await admin.postMultipart("/admin/ras/calibrations", [
      { name: "packagesFile", value: EXAMPLE, fileName: "packages.csv", contentType: "text/csv" },
      { name: "marginPercent", value: "10" },
    ]);
    expect(res.statusCode).toBe(303);
    const reportUrl = String(res.headers.location);
    expect(reportUrl).toMatch(/^\/admin\/ras\/calibrations\/[0-9a-f-]{36}$/);

    const report = await admin.get(reportUrl);
    expect(report.statusCode).toBe(200);
    const html = report.body;
    const figures = html.match(/<figure class="app-chart"/g) ?? [];
    expect(figures.length).toBe(7); // impact, packages, residuals, and one per group dimension (4)
    expect(html.match(/<svg[^>]*role="img"[^>]*aria-label="[^"]+"/g)?.length).toBe(7);
    expect(html).not.toMatch(/<style/); // the CSP allows no inline styles
    expect(html.match(/<caption class="govuk-table__caption/g)!.length).toBeGreaterThanOrEqual(9);
    const body = pageText(html);
    expect(body).toContain("60 people");
    expect(body).toMatch(/people's indicative budgets would fall, by £[\d,.]+ a week in total/);
    expect(body).toContain("Primary support reason: Learning disability support");
    expect(body).toContain("Adopt this calibration");

    const csv = await admin.get(`${reportUrl}/people.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    expect(csv.headers["content-disposition"]).toMatch(
      /^attachment; filename="calibration-[0-9a-f]{8}-people\.csv"$/,
    );
    expect(csv.body.split("\r\n")[0]).toMatch(/^row,person_reference,age,/);
    expect(csv.body.trim().split("\r\n")).toHaveLength(61);
    expect((await admin.get(`${reportUrl}/groups.csv`)).body).toMatch(/^dimension,group,people/);
    expect((await admin.get(`${reportUrl}/summary.csv`)).body).toMatch(/^measure,value\r\npeople,60\r\n/);
  });

  it("rule: adopting needs a reason, then makes the next model version; the pasted-text route works without a file", async () => {
    const admin = await new InjectBrowser(app).signIn("administrator");
    await admin.get("/admin/ras");
    const res = await admin.postMultipart("/admin/ras/calibrations", [
      { name: "packagesFile", value: "", fileName: "", contentType: "text/csv" },
      { name: "packagesText", value: EXAMPLE },
      { name: "domainWeights", value: "yes" },
    ]);
    expect(res.statusCode).toBe(303);
    const reportUrl = String(res.headers.location);
    await admin.get(reportUrl);

    const noReason = await admin.post(`${reportUrl}/adopt`, { reason: "" });
    expect(noReason.statusCode).toBe(400);
    expect(pageText(noReason.body)).toContain("Say why the council is adopting this calibration");

    const adopted = await admin.post(`${reportUrl}/adopt`, {
      reason: "Agreed by the board, 20 November 2026",
    });
    expect(adopted.statusCode).toBe(303);
    // The demo council adopted its own model at set-up (version 2): the calibration is the next, version 3.
    expect(adopted.headers.location).toBe("/admin/ras?adopted=3");
    const page = pageText((await admin.get("/admin/ras?adopted=3")).body);
    expect(page).toContain("The calibration is now version 3 of the model");
    expect(page).toContain("The model in use: version 3");
    expect(page).toContain("Agreed by the board, 20 November 2026");

    const after = pageText((await admin.get(reportUrl)).body);
    expect(after).toContain("Adopted as version 3");
    expect(after).not.toContain("Adopt this calibration");
  });

  it("rule: CSRF protects the upload like every other form", async () => {
    const admin = await new InjectBrowser(app).signIn("administrator");
    admin.csrf = "forged";
    const res = await admin.postMultipart("/admin/ras/calibrations", [
      { name: "packagesFile", value: EXAMPLE, fileName: "packages.csv", contentType: "text/csv" },
    ]);
    expect(res.statusCode).toBe(403);
  });
});
