import { describe, expect, it } from "vitest";
import { checkInvoice, invoiceIdempotencyKey } from "#/features/spending/invoice.calc.ts";
import { type Invoice, invoiceSchema } from "#/features/spending/schemas.ts";

const budget = {
  budgetStart: "2025-04-01",
  budgetEnd: "2026-03-31",
  supports: [
    { supportId: "care", category: "personal_care" },
    { supportId: "pa", category: "household" },
  ],
  categories: ["personal_care", "household", "transport"],
};
const invoice = (over: Partial<Invoice> = {}): Invoice =>
  invoiceSchema.parse({
    providerId: "org-1",
    providerName: "Brightside Care",
    invoiceNumber: "INV 0042",
    issueDate: "2025-05-01",
    serviceFrom: "2025-04-01",
    serviceTo: "2025-04-28",
    lines: [
      { description: "Morning visits, 28 × £22.00", supportId: "care", amountPence: 61600 },
      { description: "Taxi to the day centre", category: "transport", amountPence: 1850 },
    ],
    totalPence: 63450,
    ...over,
  });

describe("provider invoices (issue 6: each becomes a transfer against the right budget)", () => {
  it("accepts an invoice within the budget whose lines add up, with a stable idempotency key", () => {
    expect(checkInvoice(invoice(), budget)).toEqual({
      ok: true,
      idempotencyKey: "invoice:org-1:INV0042",
      totalPence: 63450,
    });
  });

  it("gives the same key however the invoice number is spaced or cased (the same invoice twice is one invoice)", () => {
    expect(
      invoiceIdempotencyKey({ providerId: "org-1", providerName: "x", invoiceNumber: " inv 0042 " }),
    ).toBe("invoice:org-1:INV0042");
    expect(invoiceIdempotencyKey({ providerName: "Jo  Smith", invoiceNumber: "7" })).toBe(
      "invoice:name:jo smith:7",
    );
  });

  it("refuses lines that do not add up to the total, saying both figures", () => {
    const check = checkInvoice(invoice({ totalPence: 63400 }), budget);
    expect(check).toEqual({
      ok: false,
      problems: [
        {
          path: "totalPence",
          message: "The lines add up to £634.50 but the total says £634.00: correct the lines or the total",
        },
      ],
    });
  });

  it("refuses service dates outside the budget, and line dates outside the invoice's", () => {
    const check = checkInvoice(
      invoice({
        serviceFrom: "2025-03-25",
        serviceTo: "2026-04-02",
        lines: [
          {
            description: "Visits",
            supportId: "care",
            serviceFrom: "2025-03-20",
            serviceTo: "2025-03-31",
            amountPence: 100,
          },
        ],
        totalPence: 100,
      }),
      { ...budget },
    );
    expect(!check.ok && check.problems.map((p) => p.path)).toEqual([
      "serviceFrom",
      "serviceTo",
      "lines.0.serviceFrom",
    ]);
    expect(!check.ok && check.problems[0]!.message).toBe(
      "The service starts before the budget does (1 April 2025): check the dates or the budget",
    );
  });

  it("refuses a support line the plan does not have, a mismatched category, and an unknown category", () => {
    const check = checkInvoice(
      invoice({
        lines: [
          { description: "Gym", supportId: "gym", amountPence: 100 },
          { description: "Cleaning", supportId: "pa", category: "personal_care", amountPence: 100 },
          { description: "Holiday", category: "holidays", amountPence: 100 },
        ],
        totalPence: 300,
      }),
      budget,
    );
    expect(!check.ok && check.problems.map((p) => p.message)).toEqual([
      'Line 1: the plan has no support line "gym"',
      'Line 2: support line "pa" is household, not personal_care',
      'Line 3: "holidays" is not one of the council\'s support categories',
    ]);
  });

  it("schema: refuses a line with neither support line nor category, amounts not in whole pence, and impossible dates", () => {
    const result = invoiceSchema.safeParse({
      providerName: "Brightside Care",
      invoiceNumber: "1",
      issueDate: "2025-02-30",
      serviceFrom: "2025-04-01",
      serviceTo: "2025-04-28",
      lines: [{ description: "Visits", amountPence: 12.5 }],
      totalPence: 1250,
    });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        "issueDate: The invoice date must be a real date, for example 2025-04-01",
        expect.stringMatching(/^lines\.0\.amountPence: /),
      ]),
    );
  });
});
