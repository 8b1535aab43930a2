import { describe, expect, it } from "vitest";
import { costOptionSchema, providerSchema, serviceSchema } from "#/features/directory/schemas.ts";

/** The directory as Upfront keeps it (entered on pages, or read from Open Referral UK by hsds.ts). */

describe("the directory schemas", () => {
  it("a provider is an organisation, a user-led organisation or a personal assistant, on the approved list or not", () => {
    const pa = providerSchema.parse({
      id: "pa-1",
      name: "Jo",
      kind: "personal_assistant",
      approvedList: false,
    });
    expect(pa).toEqual({
      id: "pa-1",
      name: "Jo",
      kind: "personal_assistant",
      approvedList: false,
      identifiers: [],
      otherTerms: [],
    });
    expect(
      providerSchema.safeParse({ id: "x", name: "X", kind: "charity", approvedList: true }).success,
    ).toBe(false);
    expect(
      providerSchema.safeParse({ id: "x", name: "X", kind: "organisation" }).error?.issues[0]?.message,
    ).toBe("Say whether the provider is on the approved list");
  });

  it("a price is whole pence, never negative, and ends on or after it starts", () => {
    expect(costOptionSchema.safeParse({ id: "c", amountPence: 16.5 }).success).toBe(false);
    expect(costOptionSchema.safeParse({ id: "c", amountPence: -1 }).success).toBe(false);
    expect(
      costOptionSchema.safeParse({ id: "c", validFrom: "2026-04-01", validTo: "2026-03-31" }).error
        ?.issues[0],
    ).toMatchObject({
      path: ["validTo"],
      message: "The price's end date is before its start date",
    });
  });

  it("a service's categories are support category ids, and its status one of Open Referral UK's", () => {
    const base = { id: "s", providerId: "p", name: "Visits", status: "active" };
    expect(serviceSchema.safeParse({ ...base, categories: ["personal_care"] }).success).toBe(true);
    expect(serviceSchema.safeParse({ ...base, categories: ["Personal care"] }).success).toBe(false);
    expect(serviceSchema.safeParse({ ...base, status: "open" }).success).toBe(false);
  });
});
