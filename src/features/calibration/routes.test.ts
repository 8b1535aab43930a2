import { readFileSync } from "node:fs";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "#/app.ts";
import { DEMO_PASSWORD, DEMO_STAFF, seedDemo } from "#/features/demo/seed.ts";
import { enginesUnderTest, freshDatabase, type TestDatabase } from "../../../test/databases.ts";

/**
 * The administrator's RAS pages through app.inject: who may see them, uploading a packages file (multipart)
 * or pasting it, a refused file with every problem listed, the report with its charts and tables, the CSV
 * downloads, and adopting with a reason.
 */

const TODAY = "2026-11-23";
const EXAMPLE = readFileSync("examples/packages.csv", "utf8");

type Part = { name: string; value: string; fileName?: string };

/** A browser for app.inject that keeps cookies and the page's CSRF token, and can post multipart forms. */
class Browser {
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
  async post(url: string, fields: Record<string, string>) {
    const payload = new URLSearchParams({ _csrf: this.csrf, ...fields }).toString();
    return this.remember(
      await this.app.inject({
        method: "POST",
        url,
        headers: { cookie: this.cookie, "content-type": "application/x-www-form-urlencoded" },
        payload,
      }),
    );
  }
  async postMultipart(url: string, parts: Part[]) {
    const boundary = "----upfront-test-boundary";
    const body = [{ name: "_csrf", value: this.csrf }, ...parts]
      .map(
        (p) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.fileName !== undefined ? `; filename="${p.fileName}"\r\nContent-Type: text/csv` : ""}\r\n\r\n${p.value}\r\n`,
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

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

describe.each(enginesUnderTest())("RAS administration pages on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await freshDatabase(engine);
    await seedDemo(database, { today: TODAY, people: 6 });
    app = await buildApp({
      config: { sessionSecret: "x".repeat(40), cookieSecure: false, logLevel: "silent", env: "test" },
      db: database.db,
      today: () => TODAY,
    });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("rule: only administrators may calibrate; a social worker gets 403 and a visitor is sent to sign in", async () => {
    const visitor = new Browser(app);
    const anonymous = await visitor.get("/admin/ras");
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toMatch(/^\/sign-in/);

    const worker = await new Browser(app).signIn("social_worker");
    expect((await worker.get("/admin/ras")).statusCode).toBe(403);
    const upload = await worker.postMultipart("/admin/ras/calibrations", [
      { name: "packagesFile", value: EXAMPLE, fileName: "packages.csv" },
    ]);
    expect(upload.statusCode).toBe(403);

    const admin = await new Browser(app).signIn("administrator");
    const page = await admin.get("/admin/ras");
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain("The model in use: version 1");
    expect(text(page.body)).toContain("This is the example model shipped with the rules");
  });

  it("rule (Bad input): a file with bad rows is refused with every problem listed by row, and nothing is saved", async () => {
    const admin = await new Browser(app).signIn("administrator");
    await admin.get("/admin/ras");
    const lines = EXAMPLE.split("\r\n");
    const row4 = lines[3]!.split(",");
    row4[row4.length - 1] = "-100";
    const bad = [lines[0], lines[1], lines[2], row4.join(","), lines[1]].join("\r\n");
    const res = await admin.postMultipart("/admin/ras/calibrations", [
      { name: "packagesFile", value: bad, fileName: "bad.csv" },
    ]);
    expect(res.statusCode).toBe(400);
    const body = text(res.body);
    expect(body).toContain("There is a problem");
    expect(body).toContain("The file was not used: it has 2 problems");
    expect(body).toMatch(/Row 4, weekly_cost_pence The weekly cost must not be negative \(-100\)/);
    expect(body).toMatch(/Row 5, person_reference The person "EX0001" is already on row 2/);
    expect(body).toContain("No calibrations yet.");
  });

  it("rule: an uploaded file gives a report with charts (SVG in figures) and a table beside each; CSVs download", async () => {
    const admin = await new Browser(app).signIn("administrator");
    await admin.get("/admin/ras");
    const res = await admin.postMultipart("/admin/ras/calibrations", [
      { name: "packagesFile", value: EXAMPLE, fileName: "packages.csv" },
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
    const body = text(html);
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
    const admin = await new Browser(app).signIn("administrator");
    await admin.get("/admin/ras");
    const res = await admin.postMultipart("/admin/ras/calibrations", [
      { name: "packagesFile", value: "", fileName: "" },
      { name: "packagesText", value: EXAMPLE },
      { name: "domainWeights", value: "yes" },
    ]);
    expect(res.statusCode).toBe(303);
    const reportUrl = String(res.headers.location);
    await admin.get(reportUrl);

    const noReason = await admin.post(`${reportUrl}/adopt`, { reason: "" });
    expect(noReason.statusCode).toBe(400);
    expect(text(noReason.body)).toContain("Say why the council is adopting this calibration");

    const adopted = await admin.post(`${reportUrl}/adopt`, {
      reason: "Agreed by the board, 20 November 2026",
    });
    expect(adopted.statusCode).toBe(303);
    expect(adopted.headers.location).toBe("/admin/ras?adopted=2");
    const page = text((await admin.get("/admin/ras?adopted=2")).body);
    expect(page).toContain("The calibration is now version 2 of the model");
    expect(page).toContain("The model in use: version 2");
    expect(page).toContain("Agreed by the board, 20 November 2026");

    const after = text((await admin.get(reportUrl)).body);
    expect(after).toContain("Adopted as version 2");
    expect(after).not.toContain("Adopt this calibration");
  });

  it("rule: CSRF protects the upload like every other form", async () => {
    const admin = await new Browser(app).signIn("administrator");
    admin.csrf = "forged";
    const res = await admin.postMultipart("/admin/ras/calibrations", [
      { name: "packagesFile", value: EXAMPLE, fileName: "packages.csv" },
    ]);
    expect(res.statusCode).toBe(403);
  });
});
