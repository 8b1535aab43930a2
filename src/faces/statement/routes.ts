import type { FastifyInstance, FastifyReply } from "fastify";
import { getMoneyStatement, type StatementView } from "#/faces/statement/service.ts";
import { getCouncilContact } from "#/features/tenants/contact-service.ts";
import { htmlToPdf, PdfUnavailableError, pdfAvailable } from "#/platform/pdf/pdf.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";
import { createViewEnvironment } from "#/platform/web/views.ts";

/**
 * The money statement: `/people/:personId/statement` as a page (printable: the header, footer and links drop
 * out in print), and `/people/:personId/statement.pdf` printed from the same HTML. Staff here; the person and
 * their representatives read the same statement, through the same service and PDF, at /my (portal-routes.ts).
 */

const pdfViews = createViewEnvironment();

export async function statementRoutes(app: FastifyInstance, deps: RouteDeps) {
  const read = { preHandler: requireStaff("charging:read") };
  const context = serviceContextFor(deps);

  app.get("/people/:personId/statement", read, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const view = await getMoneyStatement(context(request), personId);
    return reply.render("statement/views/statement.njk", {
      councilContact: await getCouncilContact(context(request)),
      councilContactName: request.staff!.tenantName,
      title: `Money statement for ${view.person.givenName} ${view.person.familyName}`,
      backLink: `/people/${view.person.personId}/charging`,
      ...view,
    });
  });

  app.get("/people/:personId/statement.pdf", read, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const unavailable = () =>
      reply.code(503).render("error.njk", {
        title: "The PDF cannot be made at the moment",
        paragraphs: [
          "The part of the service that makes PDFs is not working here.",
          "You can still print the statement, or save it as a PDF, from your browser: open the statement and use your browser's print option.",
        ],
        links: [
          { href: `/people/${encodeURIComponent(personId)}/statement`, text: "Go to the money statement" },
        ],
      });
    const view = await getMoneyStatement(context(request), personId);
    const pdf = await statementPdf(view);
    if (!pdf) return unavailable();
    return sendStatementPdf(reply, view, pdf);
  });
}

/** The statement printed to PDF from the same HTML as the page; null when PDFs cannot be made here. */
export async function statementPdf(view: StatementView): Promise<Buffer | null> {
  if (!pdfAvailable()) return null;
  try {
    return await htmlToPdf(pdfViews.render("statement/views/statement-pdf.njk", view));
  } catch (error) {
    if (error instanceof PdfUnavailableError) return null;
    throw error;
  }
}

export function sendStatementPdf(reply: FastifyReply, view: StatementView, pdf: Buffer) {
  return reply
    .type("application/pdf")
    .header(
      "content-disposition",
      `inline; filename="money-statement-${view.person.reference.replace(/[^A-Za-z0-9-]/g, "-")}-${view.today}.pdf"`,
    )
    .send(pdf);
}
