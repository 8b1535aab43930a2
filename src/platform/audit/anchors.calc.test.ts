import { describe, expect, it } from "vitest";
import { anchorLine, compareWithAnchors, parseAnchors } from "#/platform/audit/anchors.calc.ts";

/** Issue 13 defect 6: seals anchored outside the database, compared with the chain. */

const h = (c: string) => c.repeat(64);
const a = (sealNo: number, hash: string, tenantId = "t1") => ({
  tenantId,
  sealNo,
  sealHash: hash,
  eventCount: 3,
  at: "2026-12-07T10:00:00.000Z",
});

describe("audit anchors", () => {
  it("a line round-trips; lines that are not anchors are reported by number, not thrown", () => {
    const text = [
      anchorLine(a(1, h("a"))),
      "garbage",
      "",
      JSON.stringify({ anchor: 1, tenantId: "t1", sealNo: 2 }),
      anchorLine(a(2, h("b"))),
    ].join("\n");
    const parsed = parseAnchors(text);
    expect(parsed.anchors.map((x) => x.sealNo)).toEqual([1, 2]);
    expect(parsed.unreadable).toEqual([2, 4]);
  });

  it("names seals missing from the chain, changed, not anchored, or anchored twice differently; ignores other councils and duplicate copies", () => {
    const chain = [
      { sealNo: 1, sealHash: h("a") },
      { sealNo: 2, sealHash: h("x") },
      { sealNo: 4, sealHash: h("d") },
    ];
    const anchors = [
      a(1, h("a")),
      a(1, h("a")),
      a(2, h("b")),
      a(3, h("c")),
      a(5, h("e")),
      a(5, h("f")),
      a(9, h("z"), "t2"),
    ];
    expect(compareWithAnchors("t1", chain, anchors)).toEqual([
      { kind: "changed", sealNo: 2, anchoredHash: h("b"), chainHash: h("x") },
      { kind: "missing", sealNo: 3, anchoredHash: h("c") },
      { kind: "not_anchored", sealNo: 4, chainHash: h("d") },
      { kind: "conflicting_anchors", sealNo: 5, hashes: [h("e"), h("f")] },
    ]);
    expect(compareWithAnchors("t1", chain.slice(0, 1), [a(1, h("a"))])).toEqual([]);
  });
});
