import type { FastifyInstance, FastifyReply } from "fastify";
import {
  contactInputSchema,
  getCouncilContact,
  setCouncilContact,
} from "#/features/tenants/contact-service.ts";
import { ValidationError } from "#/platform/errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";

/**
 * The council's contact details (/admin/contact): administrators set the phone number, email address,
 * postal address and opening hours that decision pages, estimator results and public pages show. The
 * service checks everything; the page maps its messages onto the fields, in the page's order.
 */

const FIELDS = Object.keys(contactInputSchema.shape) as (keyof typeof contactInputSchema.shape)[];
type Values = Record<(typeof FIELDS)[number], string>;

export async function contactRoutes(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);
  // Council settings are set by administrators (the same permission as the funding and review settings).
  const guard = { preHandler: requireStaff("funding:settings") };

  const page = (
    reply: FastifyReply,
    values: Values,
    extra: { saved?: boolean; errors?: Record<string, string>; errorList?: { text: string; href: string }[] },
  ) =>
    reply.code(extra.errors ? 400 : 200).render("tenants/views/contact.njk", {
      title: "Contact details",
      backLink: "/admin/setup",
      values,
      saved: extra.saved ?? false,
      errors: extra.errors ?? {},
      errorList: extra.errorList ?? [],
    });

  app.get("/admin/contact", guard, async (request, reply) => {
    const contact = await getCouncilContact(ctx(request));
    const values = Object.fromEntries(
      FIELDS.map((f) => [f, contact ? String(contact[f] ?? "") : ""]),
    ) as Values;
    return page(reply, values, { saved: (request.query as Record<string, unknown>).saved === "1" });
  });

  app.post("/admin/contact", guard, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = Object.fromEntries(
      FIELDS.map((f) => [f, typeof body[f] === "string" ? (body[f] as string) : ""]),
    ) as Values;
    try {
      await setCouncilContact(ctx(request), values);
      return reply.redirect("/admin/contact?saved=1", 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const errors: Record<string, string> = {};
      for (const e of error.fieldErrors) errors[e.path] ??= e.message;
      const errorList = FIELDS.filter((f) => errors[f]).map((f) => ({ text: errors[f]!, href: `#${f}` }));
      return page(reply, values, { errors, errorList });
    }
  });
}
