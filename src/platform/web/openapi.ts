import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type ZodType, z } from "zod";
import type { Permission } from "#/platform/auth/permissions.ts";
import { ValidationError } from "#/platform/errors.ts";
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
    for (const op of this.operations) {
      const openApiPath = op.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
      const pathParams = [...op.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({
        name: m[1],
        in: "path",
        required: true,
        schema: { type: "string" },
      }));
      const queryParams = op.query ? queryParameters(op.query) : [];
      const problem = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };
      paths[openApiPath] ??= {};
      paths[openApiPath][op.method.toLowerCase()] = {
        operationId: op.operationId,
        summary: op.summary,
        tags: [op.tag],
        security: op.auth === "public" ? [] : [{ bearerToken: [] }, { sessionCookie: [], csrfHeader: [] }],
        parameters: [...pathParams, ...queryParams],
        ...(op.body
          ? {
              requestBody: {
                required: true,
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
                "403": { description: "Signed in, but the role does not allow this", content: problem },
              }
            : {}),
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
            description: "A personal API token (upf_…) from Your account",
          },
          sessionCookie: { type: "apiKey", in: "cookie", name: "upfront_session" },
          csrfHeader: { type: "apiKey", in: "header", name: "x-csrf-token" },
        },
        schemas: {
          Problem: {
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
          },
        },
      },
    };
  }
}

function jsonSchema(schema: ZodType, io: "input" | "output"): unknown {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return rest;
}

function queryParameters(schema: ZodType): unknown[] {
  const json = jsonSchema(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: "query",
    required: json.required?.includes(name) ?? false,
    schema: s,
  }));
}

export function zodIssues(error: z.ZodError, prefix: string) {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join("."),
    message: issue.message,
  }));
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
          throw new ValidationError(zodIssues(parsed.error, ""), "The request body is not valid");
        body = parsed.data;
      }
      if (op.query) {
        const parsed = op.query.safeParse(request.query ?? {});
        if (!parsed.success) throw new ValidationError(zodIssues(parsed.error, ""), "The query is not valid");
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
