import { describe, expect, it } from "vitest";
import { recoveryShares } from "#/features/payments/debts.calc.ts";

describe("recoveryShares", () => {
  it("rule (issue 6): money owed back goes to the streams that paid it, in proportion, to the penny", () => {
    const shares = recoveryShares(1_001, [
      { kind: "regular", fundingStreamId: "asc", amount: 20_000 },
      { kind: "regular", fundingStreamId: "nhs", amount: 10_000 },
      { kind: "contribution_netted", amount: -4_000 },
    ]);
    expect(shares).toEqual([
      { streamId: "asc", amount: 668 },
      { streamId: "nhs", amount: 333 },
    ]);
    expect(shares.reduce((s, x) => s + x.amount, 0)).toBe(1_001);
  });

  it("a stream paying in several parts counts once; a payment no stream paid gives nothing to move", () => {
    expect(
      recoveryShares(500, [
        { kind: "regular", fundingStreamId: "asc", amount: 4_000 },
        { kind: "one_off", fundingStreamId: "asc", amount: 15_000 },
      ]),
    ).toEqual([{ streamId: "asc", amount: 500 }]);
    expect(recoveryShares(500, [{ kind: "contribution_netted", amount: -500 }])).toEqual([]);
  });
});
