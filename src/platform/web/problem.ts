import type { FastifyReply } from "fastify";
import type { FieldError } from "#/platform/errors.ts";

/** RFC 9457 problem details, the one error shape of /api/v1. */
export type Problem = {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
};

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply
    .code(problem.status)
    .type("application/problem+json; charset=utf-8")
    .send(JSON.stringify({ type: "about:blank", ...problem }));
}

export const isApiRequest = (url: string): boolean => url.startsWith("/api/");
