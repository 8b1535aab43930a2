import { afterAll, describe, expect, it } from "vitest";
import { closePdfBrowser, htmlToPdf } from "./pdf.ts";

// Browser-dependent like the e2e tests: without Chromium this fails, saying how to install it.
describe("htmlToPdf", () => {
  afterAll(closePdfBrowser);

  it("prints a tagged PDF (a structure tree for screen readers) with the page's stylesheet loaded", async () => {
    const html = `<!doctype html><html lang="en"><head><title>Statement</title>
      <link rel="stylesheet" href="/govuk/govuk-frontend.min.css"></head>
      <body><h1 class="govuk-heading-l">Your money statement</h1>
      <table class="govuk-table"><tr><th>Budget</th><td>£216.00</td></tr></table></body></html>`;
    const pdf = await htmlToPdf(html);
    const text = pdf.toString("latin1");
    expect(text.startsWith("%PDF-")).toBe(true);
    expect(text).toContain("/StructTreeRoot");
    expect(text).toContain("/Lang");
  });
});
