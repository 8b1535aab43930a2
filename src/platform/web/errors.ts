import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { isApiRequest, sendProblem } from "./problem.ts";

type Page = { status: number; title: string; paragraphs: string[] };

function pageFor(error: unknown): Page & { errors?: ValidationError["fieldErrors"] } {
  if (error instanceof ValidationError) {
    return {
      status: 400,
      title: "Some answers need correcting",
      paragraphs: [error.message],
      errors: error.fieldErrors,
    };
  }
  if (error instanceof NotFoundError)
    return { status: 404, title: "Page not found", paragraphs: [`${error.message}.`] };
  if (error instanceof ForbiddenError)
    return { status: 403, title: "You cannot do this", paragraphs: [error.message] };
  if (error instanceof ConflictError)
    return { status: 409, title: "This cannot be changed", paragraphs: [error.message] };
  const status = (error as FastifyError).statusCode;
  if (status === 429) {
    return {
      status,
      title: "Too many attempts",
      paragraphs: ["You have tried too many times. Wait 5 minutes, then try again."],
    };
  }
  if (status && status >= 400 && status < 500) {
    return { status, title: "There is a problem with the request", paragraphs: [(error as Error).message] };
  }
  return {
    status: 500,
    title: "Sorry, there is a problem with the service",
    paragraphs: [
      "Try again later. Nothing you were doing has been half-saved: it was saved in full or not at all.",
    ],
  };
}

/** One place turns errors into pages (GOV.UK style) or problem+json (the API). */
export function registerErrorHandlers(app: FastifyInstance) {
  app.setErrorHandler(async (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const page = pageFor(error);
    if (page.status >= 500) request.log.error({ err: error }, "unhandled error");
    if (isApiRequest(request.url)) {
      return sendProblem(reply, {
        status: page.status,
        title: page.title,
        detail: page.paragraphs.join(" "),
        ...(page.errors ? { errors: page.errors } : {}),
      });
    }
    return reply.code(page.status).render("error.njk", {
      title: page.title,
      paragraphs: page.paragraphs,
      // A page names what to fix in words; the field's internal name (its path) is for the API only.
      errorList: page.errors
        ? [...new Set(page.errors.map((e) => e.message))].map((text) => ({ text }))
        : undefined,
    });
  });

  app.setNotFoundHandler(async (request, reply) => {
    if (isApiRequest(request.url)) {
      return sendProblem(reply, {
        status: 404,
        title: "Not found",
        detail: `No resource at ${request.url.split("?")[0]}`,
      });
    }
    return reply.code(404).render("error.njk", {
      title: "Page not found",
      paragraphs: [
        "If you typed the web address, check it is correct.",
        "If you pasted the web address, check you copied the entire address.",
      ],
    });
  });
}
