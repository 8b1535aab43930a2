import type { FastifyInstance } from "fastify";
import { contributionInvoiceRoutes } from "#/features/payments/contribution-invoices-routes.ts";
import { debtRoutes } from "#/features/payments/debt-routes.ts";
import { payeeRoutes } from "#/features/payments/payee-routes.ts";
import { returnRoutes } from "#/features/payments/return-routes.ts";
import { runRoutes } from "#/features/payments/run-routes.ts";
import { settingsRoutes } from "#/features/payments/settings-routes.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";

/**
 * Finance pages for payments: /payments (runs, prepare a run for a pay date, returned payments to act on, money
 * owed back, bank details waiting for a second person), a run (its payments; review; approve; download the Bacs
 * and finance files once approved), recording a returned payment, payees and proposing bank details (/payees),
 * the council's payment settings (/admin/payments), and contribution invoices to record as paid. The services
 * make every check; the pages map their field errors onto the form with an error summary. Plain forms:
 * everything works without JavaScript. Each group of pages registers its own handlers.
 */
export async function paymentsRoutes(app: FastifyInstance, deps: RouteDeps) {
  // Contribution invoices not paid yet, and recording a payment received.
  await contributionInvoiceRoutes(app, deps);
  // Money to recover after a budget ends: a page per debt, under the person.
  await debtRoutes(app, deps);
  // Runs: the /payments page, preparing, reviewing and approving a run, its files and a later pay date.
  await runRoutes(app, deps);
  // Recording a payment the bank returned.
  await returnRoutes(app, deps);
  // Payees and their bank details (a second person approves).
  await payeeRoutes(app, deps);
  // The council's payment settings.
  await settingsRoutes(app, deps);
}
