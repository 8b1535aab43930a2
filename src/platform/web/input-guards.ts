import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  preHandlerHookHandler,
  RouteOptions,
} from "fastify";
import fp from "fastify-plugin";
import { type FieldError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { formatPath } from "#/platform/validation.ts";
import { isApiRequest, sendProblem } from "./problem.ts";

/**
 * Input no feature should have to think about, refused in one place before any handler runs, so bad input gets
 * a 400 or 404 naming what to fix instead of a database error:
 * - JSON bodies nested deeper than {@link MAX_JSON_DEPTH} (a 20,000-deep body would overflow the stack);
 * - path ids that are not UUIDs (`:personId`, `:id`, …: PostgreSQL refuses them as `uuid`), and path numbers
 *   (`:version`, `:index`) that are not small whole numbers;
 * - control characters (NUL above all: PostgreSQL text cannot hold it) and lone UTF-16 surrogates (half an emoji:
 *   jsonb refuses them) anywhere in the path, the query or the body, keys included.
 * Size is limited by Fastify's bodyLimit (1 MB, or a route's own), which answers 413.
 */

export const MAX_JSON_DEPTH = 64;

/** Path parameters that name something by a text id, not a UUID: the directory's HSDS ids, a plan's items (o1, s2). */
const TEXT_IDS = new Set(["providerId", "serviceId", "itemId"]);
/** Path parameters that are small whole numbers (a plan's version, a list item's position). */
const NUMBERS = new Set(["version", "index"]);

type ParamRule = { name: string; kind: "uuid" | "number" };

/** What each path parameter of a route must look like, from its name: `id` and `…Id` are UUIDs. */
export function paramRulesFor(url: string): ParamRule[] {
  const rules: ParamRule[] = [];
  for (const [, name] of url.matchAll(/:([A-Za-z0-9_]+)/g)) {
    if (!name) continue;
    if (NUMBERS.has(name)) rules.push({ name, kind: "number" });
    else if ((name === "id" || name.endsWith("Id")) && !TEXT_IDS.has(name))
      rules.push({ name, kind: "uuid" });
  }
  return rules;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SMALL_NUMBER = /^[0-9]{1,9}$/;
// C0 control characters other than the whitespace ones (tab, line feed, vertical tab, form feed, carriage
// return), which forms and files legitimately hold: Word's line breaks paste as vertical tabs.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000E-\u001F]/;

/** Why a string cannot be stored as it is, or undefined when it can. */
export function textProblem(text: string): "control" | "surrogate" | undefined {
  if (CONTROL.test(text)) return "control";
  if (!text.isWellFormed()) return "surrogate";
  return undefined;
}

const MESSAGES = {
  control:
    "Remove the invisible control character from this answer: it can come with text copied from elsewhere",
  surrogate:
    "Remove the broken character from this answer (half of an emoji or symbol): type the character again",
  controlInFile:
    "The file has an invisible control character in it: save it again as plain text (UTF-8) and upload that",
} as const;

/** Every string in a parsed value (keys too) that cannot be stored, with where it is. Depth is bounded. */
export function textProblems(value: unknown, maxDepth = MAX_JSON_DEPTH + 2): FieldError[] {
  const found: FieldError[] = [];
  const visit = (v: unknown, path: PropertyKey[], depth: number, parent?: object) => {
    if (found.length >= 20 || depth > maxDepth) return;
    if (typeof v === "string") {
      const problem = textProblem(v);
      if (!problem) return;
      // An uploaded file arrives as { fileName, text } (the upload routes' onFile): say "file", not "answer".
      const inFile = parent !== undefined && "fileName" in parent && path.at(-1) === "text";
      found.push({
        path: formatPath(path),
        message: inFile && problem === "control" ? MESSAGES.controlInFile : MESSAGES[problem],
      });
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        visit(item, [...path, i], depth + 1, v);
      });
      return;
    }
    if (v === null || typeof v !== "object") return;
    // Bytes (an uploaded receipt), dates and streams are not text; query and params objects have odd prototypes.
    if (ArrayBuffer.isView(v) || v instanceof Date || typeof (v as { pipe?: unknown }).pipe === "function")
      return;
    for (const [key, item] of Object.entries(v)) {
      const keyProblem = textProblem(key);
      if (keyProblem) found.push({ path: formatPath([...path, key]), message: MESSAGES[keyProblem] });
      visit(item, [...path, key], depth + 1, v);
    }
  };
  visit(value, [], 0);
  return found;
}

/** How deeply a JSON text nests arrays and objects, stopping as soon as it passes `limit`. */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

const isText = (v: unknown) => typeof v === "string";
const isUpload = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v) && "fileName" in v;

/** The fields of a form body that are not text (or a list of texts, or an uploaded file). */
export function formFieldsNotText(body: unknown): FieldError[] {
  const message = "Send the form from its page: each answer must be text";
  if (typeof body !== "object" || Array.isArray(body)) return [{ path: "(top level)", message }];
  return Object.entries(body as Record<string, unknown>)
    .filter(([, v]) => !(isText(v) || isUpload(v) || (Array.isArray(v) && v.every(isText))))
    .map(([key]) => ({ path: formatPath([key]), message }));
}

class BadRequestError extends Error {
  readonly statusCode = 400;
}

/** The checks a route runs after its own guards (so sign-in and roles are checked first). */
function checkInput(rules: readonly ParamRule[]): preHandlerHookHandler {
  return async (request: FastifyRequest) => {
    const params = (request.params ?? {}) as Record<string, string>;
    const api = isApiRequest(request.url);
    for (const rule of rules) {
      const value = params[rule.name] ?? "";
      const ok = rule.kind === "uuid" ? UUID.test(value) : SMALL_NUMBER.test(value);
      if (ok) continue;
      // A page at an address that names no record is "Page not found"; an API client is told what to fix.
      if (!api) throw new NotFoundError("The page");
      throw new ValidationError(
        [
          {
            path: rule.name,
            message:
              rule.kind === "uuid"
                ? `The ${rule.name} must be a UUID`
                : `The ${rule.name} must be a whole number`,
          },
        ],
        "The path is not valid",
      );
    }
    // A page's form sends text: each answer a string (a list of them for repeated fields) or an uploaded file.
    // Anything else (JSON numbers, objects, nulls) never came from the form, and handlers need not expect it.
    if (!api && request.body !== undefined && request.body !== null) {
      const notText = formFieldsNotText(request.body);
      if (notText.length > 0) throw new ValidationError(notText, "Some answers need correcting");
    }
    for (const [where, value, message] of [
      ["path", params, "The path is not valid"],
      ["query", request.query, "The query is not valid"],
      ["body", request.body, api ? "The request body is not valid" : "Some answers need correcting"],
    ] as const) {
      const problems = textProblems(value);
      if (problems.length === 0) continue;
      if (where === "path" && !api) throw new NotFoundError("The page");
      throw new ValidationError(problems, message);
    }
  };
}

function withCheck(route: RouteOptions) {
  const check = checkInput(paramRulesFor(route.url));
  const own = route.preHandler === undefined ? [] : [route.preHandler].flat();
  route.preHandler = [...own, check];
}

/**
 * Fastify's own refusals before any route is found (an address whose percent-encoding is not UTF-8, a path
 * parameter too long): answered in the service's shapes, problem+json or a page, and kept by no cache.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
  const title = "There is a problem with the request";
  const detail = "The web address is not valid: check it was typed or copied correctly.";
  reply.header("cache-control", "no-store");
  if (isApiRequest(request.url)) return sendProblem(reply, { status, title, detail });
  // This reply comes before the app's plugins (no views, no session): a plain GOV.UK-styled page.
  return reply
    .code(status)
    .type("text/html; charset=utf-8")
    .send(
      `<!DOCTYPE html><html lang="en" class="govuk-template"><head><meta charset="utf-8">` +
        `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} – Upfront</title>` +
        `<link rel="stylesheet" href="/govuk/govuk-frontend.min.css"></head><body class="govuk-template__body">` +
        `<div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content">` +
        `<h1 class="govuk-heading-l">${title}</h1><p class="govuk-body">${detail}</p>` +
        `<p class="govuk-body"><a class="govuk-link" href="/">Go to the start page</a></p></main></div></body></html>`,
    );
}

/** Registered before any route: the JSON depth limit, and the checks above on every route. */
export const inputGuardsPlugin = fp(
  async (app: FastifyInstance) => {
    const parseJson = app.getDefaultJsonParser("error", "error");
    app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
      if (jsonDepthExceeds(body as string, MAX_JSON_DEPTH)) {
        done(
          new BadRequestError(
            `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep: send a flatter body`,
          ),
          undefined,
        );
        return;
      }
      parseJson(request, body as string, done);
    });
    app.addHook("onRoute", withCheck);
  },
  { name: "input-guards" },
);
