import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type ZodType, z } from "zod";
import type { Permission } from "#/platform/auth/permissions.ts";
import { ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { requireStaff } from "./security.ts";

/**
 * /api/v1 routes are declared once: the declaration registers the Fastify route, validates with the same
 * Zod schemas the pages and CLI use, and becomes an operation in the OpenAPI document.
 */
export type ApiOperation<B extends ZodType | undefined, Q extends ZodType | undefined> = {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Fastify style, relative to /api/v1, e.g. "/people/:personId". */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** "public" needs no sign-in (the calculators); "staff" needs a session (with CSRF header) or API token. */
  auth: "public" | "staff";
  permission?: Permission;
  body?: B;
  query?: Q;
  /** Described for the document; responses are not re-validated at run time. */
  response?: ZodType;
  successStatus?: number;
  /**
   * Problem responses beyond the ones every operation has (400; 401/403 for staff; 404 when the path has
   * parameters), e.g. `{ 409: "The assessment has already been submitted" }`. Documentation only.
   */
  problems?: Record<number, string>;
  /** Request headers the operation reads (e.g. Idempotency-Key), as OpenAPI header parameters. Documentation only. */
  headers?: { name: string; in: "header"; required: boolean; description: string; schema: unknown }[];
};

type Parsed<T> = T extends ZodType ? z.output<T> : undefined;

export type ApiHandler<B, Q> = (args: {
  request: FastifyRequest;
  reply: FastifyReply;
  body: B;
  query: Q;
  params: Record<string, string>;
}) => Promise<unknown>;

export const API_PREFIX = "/api/v1";

export class ApiDocument {
  private readonly operations: ApiOperation<ZodType | undefined, ZodType | undefined>[] = [];
  add(operation: ApiOperation<ZodType | undefined, ZodType | undefined>) {
    this.operations.push(operation);
  }

  toJSON(): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    // Schemas given an id with `.meta({ id })` are shared here and referenced from the operations.
    const schemas: Record<string, unknown> = { Problem: PROBLEM_SCHEMA };
    const seen = new Map<string, string>();
    const jsonSchema = (schema: ZodType, io: "input" | "output") =>
      toOpenApiSchema(schema, io, schemas, seen);
    for (const op of this.operations) {
      const openApiPath = op.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
      const pathParams = [...op.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({
        name: m[1],
        in: "path",
        required: true,
        schema: { type: "string" },
      }));
      const queryParams = op.query ? queryParameters(jsonSchema(op.query, "input")) : [];
      const problem = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };
      paths[openApiPath] ??= {};
      paths[openApiPath][op.method.toLowerCase()] = {
        operationId: op.operationId,
        summary: op.summary,
        tags: [op.tag],
        // A session needs the CSRF header only on unsafe methods; `[]` overrides to "no sign-in needed". A token
        // needs the operation's permission among its scopes (OpenAPI 3.1 lets a bearer scheme list it).
        security:
          op.auth === "public"
            ? []
            : op.method === "GET"
              ? [{ bearerToken: op.permission ? [op.permission] : [] }, { sessionCookie: [] }]
              : [
                  { bearerToken: op.permission ? [op.permission] : [] },
                  { sessionCookie: [], csrfHeader: [] },
                ],
        parameters: [...pathParams, ...queryParams, ...(op.headers ?? [])],
        ...(op.body
          ? {
              requestBody: {
                // A missing body is checked as `{}` (apiRoute), so it is optional when `{}` is valid.
                required: !op.body.safeParse({}).success,
                content: { "application/json": { schema: jsonSchema(op.body, "input") } },
              },
            }
          : {}),
        responses: {
          [String(op.successStatus ?? 200)]: {
            description: "Success",
            ...(op.response
              ? { content: { "application/json": { schema: jsonSchema(op.response, "output") } } }
              : {}),
          },
          "400": {
            description: "The request is not valid; `errors` names each field and what to fix",
            content: problem,
          },
          ...(op.auth === "staff"
            ? {
                "401": { description: "Not signed in and no valid API token", content: problem },
                "403": {
                  description:
                    "The role does not allow this, the API token lacks the scope, or a session request came without x-csrf-token",
                  content: problem,
                },
              }
            : {}),
          ...(pathParams.length > 0
            ? { "404": { description: "There is no such record in your council", content: problem } }
            : {}),
          ...Object.fromEntries(
            Object.entries(op.problems ?? {}).map(([status, description]) => [
              status,
              { description, content: problem },
            ]),
          ),
        },
      };
    }
    return {
      openapi: "3.1.0",
      info: {
        title: "Upfront API",
        version: "1",
        description:
          "Self-directed support: assessment, eligibility and indicative budgets. Errors are RFC 9457 problem details. " +
          "The calculators are public; everything else needs a staff session (with the x-csrf-token header) or an API token.",
      },
      servers: [{ url: API_PREFIX }],
      paths,
      components: {
        securitySchemes: {
          bearerToken: {
            type: "http",
            scheme: "bearer",
            description:
              "A personal API token (upf_…) from Your account: it works only on /api/v1, until it expires, and only for the permissions it was given (its scopes, listed on each operation)",
          },
          sessionCookie: { type: "apiKey", in: "cookie", name: "upfront_session" },
          csrfHeader: { type: "apiKey", in: "header", name: "x-csrf-token" },
        },
        schemas,
      },
    };
  }
}

const PROBLEM_SCHEMA = {
  type: "object",
  required: ["title", "status"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    errors: {
      type: "array",
      items: {
        type: "object",
        required: ["path", "message"],
        properties: { path: { type: "string" }, message: { type: "string" } },
      },
    },
  },
};

/**
 * A Zod schema as an OpenAPI 3.1 Schema Object (JSON Schema 2020-12). Zod puts schemas that have an id in
 * `$defs` and points at them with `#/$defs/…`; inside an OpenAPI document such a reference resolves against
 * the document's root, where there is no `$defs`, so they move to `components.schemas` and the references
 * are rewritten. An id whose input and output shapes differ gets a component for each ("…Input").
 */
function toOpenApiSchema(
  schema: ZodType,
  io: "input" | "output",
  components: Record<string, unknown>,
  /** Each component's definition as Zod wrote it, to tell a second use of an id from a different shape. */
  seen: Map<string, string>,
): unknown {
  const generated = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  const {
    $schema: _ignored,
    $defs,
    ...root
  } = generated as Record<string, unknown> & {
    $defs?: Record<string, unknown>;
  };
  const defs = Object.entries($defs ?? {});
  const names = new Map<string, string>();
  for (const [id, def] of defs) {
    const text = JSON.stringify(def);
    const name = seen.has(id) && seen.get(id) !== text ? `${id}${io === "input" ? "Input" : "Output"}` : id;
    names.set(id, name);
    seen.set(name, text);
  }
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => {
        if (key !== "$ref" || typeof v !== "string" || !v.startsWith("#/$defs/")) return [key, rewrite(v)];
        const id = v.slice("#/$defs/".length);
        return [key, `#/components/schemas/${names.get(id) ?? id}`];
      }),
    );
  };
  for (const [id, def] of defs) components[names.get(id)!] = rewrite(def);
  return rewrite(root);
}

function queryParameters(json: unknown): unknown[] {
  const { properties, required } = json as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(properties ?? {}).map(([name, schema]) => ({
    name,
    in: "query",
    required: required?.includes(name) ?? false,
    schema,
  }));
}

/**
 * Zod issues as field errors, reported as the pages and the CLI report them: each unknown field is named
 * (not just "unrecognised keys"), and a key such as `nutrition.meal_preparation` is quoted so the path stays
 * unambiguous. `prefix` is where in the request the checked value sits, if anywhere.
 */
export function zodIssues(error: z.ZodError, prefix?: string) {
  return fieldErrorsFrom(error, prefix ? [prefix] : []);
}

export function apiRoute<B extends ZodType | undefined, Q extends ZodType | undefined>(
  app: FastifyInstance,
  doc: ApiDocument,
  op: ApiOperation<B, Q>,
  handler: ApiHandler<Parsed<B>, Parsed<Q>>,
) {
  doc.add(op as ApiOperation<ZodType | undefined, ZodType | undefined>);
  app.route({
    method: op.method,
    url: `${API_PREFIX}${op.path}`,
    preHandler: op.auth === "staff" ? requireStaff(op.permission) : [],
    handler: async (request, reply) => {
      let body: unknown;
      let query: unknown;
      if (op.body) {
        const parsed = op.body.safeParse(request.body ?? {});
        if (!parsed.success)
          throw new ValidationError(zodIssues(parsed.error), "The request body is not valid");
        body = parsed.data;
      }
      if (op.query) {
        const parsed = op.query.safeParse(request.query ?? {});
        if (!parsed.success) throw new ValidationError(zodIssues(parsed.error), "The query is not valid");
        query = parsed.data;
      }
      const result = await handler({
        request,
        reply,
        body: body as Parsed<B>,
        query: query as Parsed<Q>,
        params: request.params as Record<string, string>,
      });
      if (reply.sent) return reply;
      return reply.code(op.successStatus ?? 200).send(result);
    },
  });
}
