import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiDocument, zodIssues } from "./openapi.ts";

/** The OpenAPI document builder on its own, without an app: what it makes of Zod schemas. */

const op = (extra: Record<string, unknown>) => ({
  method: "POST" as const,
  path: "/things/:thingId",
  operationId: "makeThing",
  summary: "Make a thing",
  tag: "Things",
  auth: "staff" as const,
  ...extra,
});

describe("OpenAPI document", () => {
  it("rule: schemas with an id become components.schemas, and no reference points at Zod's $defs", () => {
    const part = z.object({ name: z.string() }).meta({ id: "Part" });
    const thing = z.object({ main: part, spare: part.optional() }).meta({ id: "Thing" });
    const doc = new ApiDocument();
    doc.add(op({ body: thing, response: thing }));
    const json = doc.toJSON() as {
      paths: Record<
        string,
        Record<string, { requestBody: { content: Record<string, { schema: unknown }> } }>
      >;
      components: { schemas: Record<string, unknown> };
    };
    expect(json.paths["/things/{thingId}"]!.post!.requestBody.content["application/json"]!.schema).toEqual({
      $ref: "#/components/schemas/Thing",
    });
    expect(json.components.schemas.Part).toMatchObject({
      type: "object",
      properties: { name: { type: "string" } },
    });
    expect(JSON.stringify(json)).not.toContain("$defs");
  });

  it("rule: an id whose input and output shapes differ gets a component for each, so neither is wrong", () => {
    const withDefault = z.object({ tags: z.array(z.string()).default([]) }).meta({ id: "Tagged" });
    const doc = new ApiDocument();
    doc.add(op({ body: withDefault, response: withDefault }));
    const { components } = doc.toJSON() as {
      components: { schemas: Record<string, { required?: string[] }> };
    };
    // As input, tags may be left out; as output, it is always there.
    expect(components.schemas.Tagged?.required ?? []).not.toContain("tags");
    expect(components.schemas.TaggedOutput?.required).toContain("tags");
  });

  it("rule: a body that may be left out (because {} is valid) is documented as optional; a path with parameters can 404", () => {
    const doc = new ApiDocument();
    doc.add(op({ body: z.object({ when: z.string().optional() }) }));
    doc.add(op({ method: "PUT", operationId: "putThing", body: z.object({ when: z.string() }) }));
    const { paths } = doc.toJSON() as {
      paths: Record<
        string,
        Record<string, { requestBody: { required: boolean }; responses: Record<string, unknown> }>
      >;
    };
    expect(paths["/things/{thingId}"]!.post!.requestBody.required).toBe(false);
    expect(paths["/things/{thingId}"]!.put!.requestBody.required).toBe(true);
    expect(paths["/things/{thingId}"]!.post!.responses).toHaveProperty("404");
  });

  it("rule: field errors name each unknown field and quote keys that contain dots, as the pages and CLI do", () => {
    const schema = z.strictObject({ items: z.record(z.string(), z.enum(["a", "b"])) });
    const parsed = schema.safeParse({ items: { "x.y": "c" }, colour: "blue" });
    expect(parsed.success).toBe(false);
    const errors = zodIssues(parsed.error!);
    expect(errors.map((e) => e.path).sort()).toEqual(["colour", 'items["x.y"]']);
  });
});
