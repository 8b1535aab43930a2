/**
 * Money owed back after a budget ends goes back to the funding streams that paid it. A payment may be paid from
 * several streams (its parts); the debt is split between them in proportion to what each paid, to the penny,
 * the pennies left over going to the largest share (then the first stream by id), so the shares always add up
 * to the debt. Pure: no I/O.
 */

export type PaymentPart = { kind: string; fundingStreamId?: string; amount: number };
export type StreamShare = { streamId: string; amount: number };

export function recoveryShares(debtPence: number, parts: readonly PaymentPart[]): StreamShare[] {
  const paid = new Map<string, number>();
  for (const p of parts) {
    // A netted contribution is money the person kept back, not money a stream paid.
    if (p.kind === "contribution_netted" || !p.fundingStreamId || p.amount <= 0) continue;
    paid.set(p.fundingStreamId, (paid.get(p.fundingStreamId) ?? 0) + p.amount);
  }
  const total = [...paid.values()].reduce((a, b) => a + b, 0);
  if (total === 0 || debtPence <= 0) return [];
  const streams = [...paid.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shares = streams.map(([streamId, amount]) => ({
    streamId,
    amount: Math.floor((debtPence * amount) / total),
  }));
  shares[0]!.amount += debtPence - shares.reduce((s, x) => s + x.amount, 0);
  return shares.filter((s) => s.amount > 0);
}
