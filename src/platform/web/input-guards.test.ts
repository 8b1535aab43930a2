import { describe, expect, it } from "vitest";
import { formFieldsNotText, jsonDepthExceeds, paramRulesFor, textProblems } from "./input-guards.ts";

describe("input guards (issue 13)", () => {
  it("rule: path parameters named id or …Id are UUIDs, except the directory's and a plan's text ids", () => {
    expect(paramRulesFor("/people/:personId/debts/:debtId")).toEqual([
      { name: "personId", kind: "uuid" },
      { name: "debtId", kind: "uuid" },
    ]);
    expect(paramRulesFor("/assessments/:id/outcomes/:outcome")).toEqual([{ name: "id", kind: "uuid" }]);
    expect(paramRulesFor("/plans/:planId/versions/:version")).toEqual([
      { name: "planId", kind: "uuid" },
      { name: "version", kind: "number" },
    ]);
    expect(paramRulesFor("/directory/providers/:providerId/services/:serviceId/edit")).toEqual([]);
    expect(paramRulesFor("/plans/:planId/outcomes/:itemId")).toEqual([{ name: "planId", kind: "uuid" }]);
    expect(paramRulesFor("/:council/estimate")).toEqual([]);
  });

  it("rule: JSON depth counts brackets outside strings only, escapes included", () => {
    expect(jsonDepthExceeds("[[[]]]", 3)).toBe(false);
    expect(jsonDepthExceeds("[[[[]]]]", 3)).toBe(true);
    expect(jsonDepthExceeds(JSON.stringify({ a: "[[[[[[[[", b: '\\"[[[[[' }), 1)).toBe(false);
    expect(jsonDepthExceeds(`${"[".repeat(20_000)}${"]".repeat(20_000)}`, 64)).toBe(true);
  });

  it("rule: NUL and other control characters, and lone surrogates, are found in values and keys, with their paths", () => {
    expect(textProblems({ name: "Ann\tLee\r\n", pasted: "line\u000bbreak\f", list: ["ok"] })).toEqual([]);
    expect(textProblems({ name: "A\u0000", notes: ["fine", "x\ud800"], "bad\u0001key": 1 })).toEqual([
      { path: "name", message: expect.stringContaining("invisible control character") },
      { path: "notes[1]", message: expect.stringContaining("half of an emoji") },
      { path: '["bad\\u0001key"]', message: expect.stringContaining("invisible control character") },
    ]);
    expect(textProblems("😀")).toEqual([]);
    expect(textProblems({ feed: { fileName: "a.csv", text: "a\u0000b" } })[0]!.message).toContain("The file");
    expect(textProblems({ receipt: { fileName: "r.png", bytes: new Uint8Array([0, 0]) } })).toEqual([]);
  });

  it("rule: a page's form sends text, lists of text or uploaded files, nothing else", () => {
    expect(formFieldsNotText({ a: "x", b: ["y", "z"], f: { fileName: "a.csv", text: "" } })).toEqual([]);
    expect(formFieldsNotText({ a: 1, b: null, c: { x: 1 }, d: [1] }).map((e) => e.path)).toEqual([
      "a",
      "b",
      "c",
      "d",
    ]);
    expect(formFieldsNotText([])).toHaveLength(1);
  });
});
