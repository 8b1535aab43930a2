import type { FastifyReply, FastifyRequest } from "fastify";
import { UNDERSPEND_REASON_LABELS } from "#/features/reviews/schemas.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { REVIEW_METHOD_LABELS } from "#/vocabulary/review-methods.ts";

/**
 * What the reviews pages share (review-routes.ts, look-again-routes.ts, settings-routes.ts and the /my pages in
 * portal-routes.ts): reading a posted form, a GOV.UK date from three boxes, and the labels every reviews
 * template uses.
 */

export type Body = Record<string, string | string[] | undefined>;
export const one = (body: Body, key: string) => {
  const v = body[key];
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? "";
};
export const many = (body: Body, key: string) => {
  const v = body[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

/** "2026-1-5" from three boxes, padded; whatever was typed is kept when it is not a date. */
export function dateFrom(
  body: Body,
  name: string,
): { value: string; typed: { day: string; month: string; year: string } } {
  const typed = {
    day: one(body, `${name}-day`),
    month: one(body, `${name}-month`),
    year: one(body, `${name}-year`),
  };
  const value = `${typed.year.padStart(4, "0")}-${typed.month.padStart(2, "0")}-${typed.day.padStart(2, "0")}`;
  return { value: typed.day || typed.month || typed.year ? value : "", typed };
}

/** Today's date as the three boxes of a date input. */
export function todayBoxes(today: string) {
  const [y, m, d] = today.split("-");
  return { day: String(Number(d)), month: String(Number(m)), year: y };
}

export const RATING_LABELS = { met: "Met", partly_met: "Partly met", not_met: "Not met" } as const;
export const RESULT_LABELS = {
  no_change: "No change to the plan",
  new_plan_version: "A new version of the plan",
  new_assessment: "A new assessment",
} as const;
export const KIND_LABELS = { plan: "Plan review", direct_payment: "Direct payment review" } as const;
/** Labels every reviews page (staff and portal) uses. */
export const reviewsLocals = {
  kindLabels: KIND_LABELS,
  ratingLabels: RATING_LABELS,
  resultLabels: RESULT_LABELS,
  methodLabels: REVIEW_METHOD_LABELS,
  underspendLabels: UNDERSPEND_REASON_LABELS,
};

export const render = (reply: FastifyReply, template: string, locals: Record<string, unknown>) =>
  reply.render(`reviews/views/${template}`, { ...reviewsLocals, ...locals });

/** The service context of a staff request. */
export const contextOf = (deps: RouteDeps, request: FastifyRequest): ServiceContext =>
  serviceContextFor(deps)(request);
