import { describe, expect, it } from "vitest";
import {
  bankDetailsSchema,
  financeCodeMappingSchema,
  originatorSchema,
  paymentRunRequestSchema,
  paymentSettingsSchema,
} from "#/features/payments/schemas.ts";

const messages = (result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) => Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));

describe("bank details (Bacs: sort code 6 digits, account number 8 digits, names in the Bacs character set)", () => {
  it("accepts and normalises sort codes written with hyphens or spaces", () => {
    expect(
      bankDetailsSchema.parse({
        accountName: "Siân O'Brien",
        sortCode: "12-34-56",
        accountNumber: "12345678",
      }),
    ).toEqual({ accountName: "Siân O'Brien", sortCode: "123456", accountNumber: "12345678" });
    expect(
      bankDetailsSchema.parse({ accountName: "A", sortCode: "12 34 56", accountNumber: "12345678" }).sortCode,
    ).toBe("123456");
  });

  it("says what to fix in each field", () => {
    const result = bankDetailsSchema.safeParse({
      accountName: "Ann @ Home",
      sortCode: "1234-56",
      accountNumber: "1234567",
    });
    expect(messages(result)).toEqual({
      accountName: "The name on the account may only use letters, digits, spaces, apostrophes and . & / -",
      sortCode: "Enter a sort code like 12-34-56",
      accountNumber:
        "Enter an account number of 8 digits; ask the bank for the 8-digit form of a shorter one",
    });
    expect(messages(bankDetailsSchema.safeParse({}))).toMatchObject({ sortCode: "Give the sort code" });
  });

  it("the council's service user number is 6 digits", () => {
    const result = originatorSchema.safeParse({
      accountName: "Demo Council",
      sortCode: "401162",
      accountNumber: "12345678",
      serviceUserNumber: "12345",
    });
    expect(messages(result)).toEqual({ serviceUserNumber: "The Bacs service user number (SUN) is 6 digits" });
  });
});

describe("payment settings, finance codes and run requests", () => {
  it("accepts the council policy choices and refuses others with a message", () => {
    const settings = {
      frequency: "four_weekly",
      anchorDate: "2026-04-06",
      contributionCollection: "net_from_direct_payment",
      whenNotBankingDay: "before",
      bankHolidayRegion: "scotland",
    };
    expect(paymentSettingsSchema.parse(settings)).toEqual(settings);
    expect(
      messages(
        paymentSettingsSchema.safeParse({ ...settings, frequency: "daily", anchorDate: "2026-02-30" }),
      ),
    ).toEqual({
      frequency: "Choose weekly, every 4 weeks or monthly",
      anchorDate: "The first day of a payment cycle must be a real date",
    });
  });

  it("finance codes per funding stream", () => {
    const ok = {
      streams: { asc: { glCode: "5100", costCentre: "ASC01" } },
      contribution: { glCode: "9100", costCentre: "ASC01" },
    };
    expect(financeCodeMappingSchema.parse(ok)).toEqual(ok);
    expect(
      messages(
        financeCodeMappingSchema.safeParse({ ...ok, streams: { asc: { glCode: "=1+1", costCentre: "" } } }),
      ),
    ).toEqual({
      "streams.asc.glCode":
        "The general-ledger code is up to 32 letters, digits, . _ / or -, starting with a letter or digit",
      "streams.asc.costCentre":
        "The cost centre is up to 32 letters, digits, . _ / or -, starting with a letter or digit",
    });
  });

  it("a run is for a real date", () => {
    expect(paymentRunRequestSchema.parse({ date: "2026-04-07" })).toEqual({ date: "2026-04-07" });
    expect(messages(paymentRunRequestSchema.safeParse({ date: "7/4/2026" }))).toEqual({
      date: "Write the date of the payment run as YYYY-MM-DD, for example 2026-04-06",
    });
  });
});
