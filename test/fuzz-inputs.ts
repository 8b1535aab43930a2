import fc from "fast-check";
import { NO_SUCH_ID } from "./route-samples.ts";

/**
 * What the fuzzing test (test/fuzz.test.ts) sends: values generated from a route's own schema (the OpenAPI
 * document's JSON Schema for an API body or query, the fields of the page's form for a form route), some of them
 * with one value swapped for a hostile one.
 */

/** Values that have broken, or could break, a server that trusts its input. */
export const HOSTILE_STRINGS: readonly string[] = [
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udc00y",
  "\u0007bell\u001b",
  "x".repeat(200_000),
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "00000000-0000-0000-0000-000000000000",
  NO_SUCH_ID,
  "2026-02-30",
  "9999-99-99",
  "1e400",
  "-1",
  "99999999999999999999999",
  " ",
  "",
  "\u202eevil",
];

export const HOSTILE_VALUES: readonly unknown[] = [
  ...HOSTILE_STRINGS,
  null,
  true,
  0,
  -1,
  1.5,
  2 ** 53 + 2,
  -(2 ** 63),
  1e308,
  [],
  [null],
  {},
  { "\u0000": 1 },
];

/** Whole JSON bodies that are not what any route expects. */
export const HOSTILE_JSON_BODIES: readonly string[] = [
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  "[]",
  "null",
  '"text"',
  "12",
  "{",
  '{"a":"\\u0000"}',
  '{"a":"\\ud800"}',
];

/** A JSON array nested `depth` deep: `[[[…]]]`, as text (JSON.stringify would overflow on it). */
export const deepJson = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

type Schema = Record<string, unknown>;

/** A fast-check arbitrary for values of a JSON Schema (2020-12, as Zod writes it), valid or near it. */
export function arbitraryFor(
  schema: unknown,
  components: Record<string, unknown>,
  ids: (name: string) => string[],
  name = "",
  depth = 0,
): fc.Arbitrary<unknown> {
  if (schema === true || schema === undefined || schema === null || depth > 6)
    return fc.jsonValue({ maxDepth: 2 });
  const s = schema as Schema;
  if (typeof s.$ref === "string") {
    const target = components[s.$ref.replace("#/components/schemas/", "")];
    return arbitraryFor(target, components, ids, name, depth + 1);
  }
  if ("const" in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const alternatives = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (alternatives?.length)
    return fc.oneof(...alternatives.map((a) => arbitraryFor(a, components, ids, name, depth + 1)));
  if (Array.isArray(s.type)) {
    return fc.oneof(
      ...(s.type as string[]).map((type) => arbitraryFor({ ...s, type }, components, ids, name, depth + 1)),
    );
  }
  switch (s.type) {
    case "object": {
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      const required = (s.required ?? []) as string[];
      const keys = Object.keys(properties);
      if (keys.length === 0) {
        return fc.dictionary(
          fc.string({ minLength: 1, maxLength: 8 }),
          arbitraryFor(s.additionalProperties, components, ids, name, depth + 1),
          { maxKeys: 3 },
        );
      }
      return fc.record(
        Object.fromEntries(keys.map((k) => [k, arbitraryFor(properties[k], components, ids, k, depth + 1)])),
        { requiredKeys: keys.filter((k) => required.includes(k)) },
      );
    }
    case "array": {
      const minLength = Math.min(Number(s.minItems ?? 0), 3);
      const maxLength = Math.max(minLength, Math.min(Number(s.maxItems ?? 3), 3));
      return fc.array(arbitraryFor(s.items, components, ids, name, depth + 1), { minLength, maxLength });
    }
    case "string":
      return stringFor(s, ids(name));
    case "integer": {
      const min = Math.max(Number(s.minimum ?? -1_000_000), Number.MIN_SAFE_INTEGER);
      const max = Math.min(Number(s.maximum ?? 1_000_000), Number.MAX_SAFE_INTEGER);
      return min <= max ? fc.integer({ min, max }) : fc.integer();
    }
    case "number":
      return fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringFor(s: Schema, known: string[]): fc.Arbitrary<string> {
  const minLength = Number(s.minLength ?? 0);
  const maxLength = Math.max(minLength, Math.min(Number(s.maxLength ?? 30), 60));
  if (s.format === "uuid") return fc.oneof(fc.constantFrom(...known, NO_SUCH_ID), fc.uuid());
  if (s.format === "date")
    return fc
      .date({ min: new Date("2020-01-01"), max: new Date("2030-12-31"), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
  if (s.format === "date-time")
    return fc
      .date({ min: new Date("2020-01-01"), max: new Date("2030-12-31"), noInvalidDate: true })
      .map((d) => d.toISOString());
  if (s.format === "email") return fc.emailAddress();
  if (typeof s.pattern === "string") {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= 200);
    } catch {
      // a pattern fast-check cannot generate from: plain strings below
    }
  }
  return fc.string({ minLength, maxLength });
}

/** Swaps one leaf (or the whole value) of a generated value for a hostile one. */
export function withHostileLeaf(value: unknown, hostile: unknown, pick: number): unknown {
  const leaves: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        leaves.push({ parent: v, key: i });
        visit(item);
      });
    } else if (v !== null && typeof v === "object") {
      for (const [k, item] of Object.entries(v)) {
        leaves.push({ parent: v as Record<string, unknown>, key: k });
        visit(item);
      }
    }
  };
  const copy = structuredClone(value);
  visit(copy);
  if (leaves.length === 0) return hostile;
  const leaf = leaves[pick % leaves.length]!;
  (leaf.parent as Record<string | number, unknown>)[leaf.key] = hostile;
  return copy;
}

/** A form of a page: where it posts, how, and its fields with the values the page offers for each. */
export type PageForm = {
  action: string;
  method: string;
  multipart: boolean;
  fields: Map<string, Set<string>>;
  files: Set<string>;
};

const attr = (tag: string, name: string) =>
  new RegExp(`\\s${name}="([^"]*)"`, "i").exec(tag)?.[1]?.replace(/&amp;/g, "&");

/** The forms on a page (as served: action, method, fields and their offered values). */
export function formsOf(html: string, pageUrl: string): PageForm[] {
  const forms: PageForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const tag = match[1]!;
    const body = match[2]!;
    const action = (attr(tag, "action") ?? pageUrl.split("?")[0]!).split("#")[0]!;
    if (!action.startsWith("/")) continue;
    const fields = new Map<string, Set<string>>();
    const files = new Set<string>();
    for (const field of body.matchAll(/<(input|select|textarea|button)\b([^>]*)>/gi)) {
      const fieldTag = field[2]!;
      const name = attr(fieldTag, "name");
      if (!name || name === "_csrf") continue;
      if (attr(fieldTag, "type") === "file") {
        files.add(name);
        continue;
      }
      const values = fields.get(name) ?? new Set<string>();
      const value = attr(fieldTag, "value");
      if (value !== undefined) values.add(value);
      fields.set(name, values);
    }
    for (const select of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const name = attr(select[1]!, "name");
      if (!name) continue;
      const values = fields.get(name) ?? new Set<string>();
      for (const option of select[2]!.matchAll(/<option\b([^>]*)>/gi)) {
        const value = attr(option[1]!, "value");
        if (value !== undefined) values.add(value);
      }
      fields.set(name, values);
    }
    forms.push({
      action,
      method: (attr(tag, "method") ?? "get").toUpperCase(),
      multipart: /multipart\/form-data/i.test(attr(tag, "enctype") ?? ""),
      fields,
      files,
    });
  }
  return forms;
}

/** Form field values: what the page offers, plain strings, and now and then a hostile string. */
export function formArbitrary(form: Pick<PageForm, "fields">): fc.Arbitrary<Record<string, string>> {
  const entries = [...form.fields.entries()];
  return fc.record(
    Object.fromEntries(
      entries.map(([name, offered]) => [
        name,
        fc.oneof(
          { weight: 3, arbitrary: offered.size ? fc.constantFrom(...offered) : fc.string({ maxLength: 20 }) },
          { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
          { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_STRINGS.filter((h) => h.length < 1000)) },
        ),
      ]),
    ),
    { requiredKeys: [] },
  ) as fc.Arbitrary<Record<string, string>>; // keys left out are absent, never undefined
}
