import { describe, expect, it } from "vitest";
import {
  cardFeedImportSchema,
  invoiceLineSchema,
  poolSchema,
  surplusLimitSettingSchema,
} from "#/features/spending/schemas.ts";

const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  r.success ? [] : r.error!.issues.map((i) => i.message);

describe("spending schemas (clear messages saying what to fix)", () => {
  it("card feed import: a known layout or detect, and whether cash is permitted", () => {
    expect(cardFeedImportSchema.parse({ layout: "upfront", cashWithdrawalsPermitted: false })).toEqual({
      layout: "upfront",
      cashWithdrawalsPermitted: false,
    });
    expect(messages(cardFeedImportSchema.safeParse({ layout: "csv" }))).toEqual([
      "Choose the layout of the file: upfront, crosscard-style, detect",
      "Say whether cash withdrawals are permitted on this card",
    ]);
  });

  it("invoice line: names a support line or a category, in whole pence above £0.00", () => {
    expect(messages(invoiceLineSchema.safeParse({ description: "Visits", amountPence: 100 }))).toEqual([
      "Say which support line or support category the line is for",
    ]);
    expect(
      messages(invoiceLineSchema.safeParse({ description: "Visits", category: "household", amountPence: 0 })),
    ).toEqual(["The line's amount must be more than £0.00"]);
  });

  it("pool: at least 2 budgets, shares a fraction or fixed pence", () => {
    expect(
      messages(
        poolSchema.safeParse({
          name: "Shared PA",
          members: [{ budgetId: "a", share: { kind: "fixed", pence: 100 } }],
        }),
      ),
    ).toEqual(["A pool is shared by at least 2 budgets"]);
    expect(
      messages(
        poolSchema.safeParse({
          name: "Shared PA",
          members: [
            { budgetId: "a", share: { kind: "half" } },
            { budgetId: "b", share: { kind: "fixed", pence: 1 } },
          ],
        }),
      ),
    ).toEqual(['Say whether the share is a "fraction" or a "fixed" amount']);
  });

  it("surplus limit setting: dated, whole weeks up to 52, with where the council decided it", () => {
    expect(
      messages(
        surplusLimitSettingSchema.safeParse({
          validFrom: "2025-04-01",
          weeks: 53,
          source: "Policy 2025, s9",
        }),
      ),
    ).toEqual(["The limit is at most 52 weeks"]);
  });
});
