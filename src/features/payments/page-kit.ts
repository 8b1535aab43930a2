import type { FastifyReply, FastifyRequest } from "fastify";
import { can, type Permission } from "#/platform/auth/permissions.ts";
import type { ServiceContext } from "#/platform/context.ts";
import type { FieldError } from "#/platform/errors.ts";

/**
 * What the finance pages of payments share (run-routes.ts, return-routes.ts, payee-routes.ts,
 * settings-routes.ts): reading a posted form, errors as the error summary wants them, and rendering a page with
 * the labels every payments template uses.
 */

/** The service context of a request (platform/web/routes.ts serviceContextFor). */
export type ContextOf = (request: FastifyRequest) => ServiceContext;

export type Body = Record<string, string | string[] | undefined>;
export const one = (body: Body, key: string) => {
  const v = body[key];
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? "";
};

/** Errors by field, and the error summary's links: a date field's goes to its day box. */
export function errorView(
  fieldErrors: readonly FieldError[],
  fieldOf: (path: string) => string = (p) => p,
  dateFields: readonly string[] = [],
) {
  const errors: Record<string, string> = {};
  for (const e of fieldErrors) errors[fieldOf(e.path)] ??= e.message;
  return {
    errors,
    errorList: Object.entries(errors).map(([f, text]) => ({
      text,
      href: `#${dateFields.includes(f) ? `${f}-day` : f}`,
    })),
  };
}

const STATUS_LABELS = { prepared: "Prepared", reviewed: "Reviewed", approved: "Approved" } as const;
const DEPLOYMENT_LABELS: Record<string, string> = {
  direct_payment: "Direct payment",
  council_managed: "Council-managed",
  individual_service_fund: "Individual service fund",
  council_arranged: "Council-arranged",
};

/** Renders one of payments/views/ with the run status and deployment labels. */
export const render = (reply: FastifyReply, template: string, locals: Record<string, unknown>) =>
  reply.render(`payments/views/${template}`, {
    statusLabels: STATUS_LABELS,
    deploymentLabels: DEPLOYMENT_LABELS,
    ...locals,
  });

export const staffCan = (request: FastifyRequest, permission: Permission) =>
  request.staff ? can(request.staff.roles, permission) : false;
