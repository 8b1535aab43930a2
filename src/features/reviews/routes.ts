import type { FastifyInstance } from "fastify";
import { lookAgainRoutes } from "#/features/reviews/look-again-routes.ts";
import { reviewRoutes } from "#/features/reviews/review-routes.ts";
import { reviewSettingsRoutes } from "#/features/reviews/settings-routes.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";

/**
 * Staff pages for reviews: the caseload (/reviews, overdue first, filtered by status), a person's reviews with
 * the due dates and why (/people/:id/reviews), recording a review (each outcome rated with the person's words),
 * requests to look at a decision again (/look-again, and the answer page), and the council's review settings
 * (/admin/reviews). Every check is the service's; the pages map its field errors onto the form. Each group of
 * pages registers its own handlers.
 */
export async function reviewsRoutes(app: FastifyInstance, deps: RouteDeps) {
  await reviewRoutes(app, deps);
  await lookAgainRoutes(app, deps);
  await reviewSettingsRoutes(app, deps);
}
