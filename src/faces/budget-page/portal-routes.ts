import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type BudgetPage, budgetPageIn } from "#/faces/budget-page/page-service.ts";
import { sendReceipt } from "#/faces/budget-page/routes.ts";
import { authorise, authoriseIn } from "#/features/accounts/service.ts";
import { receiptFileIn, uploadReceiptIn } from "#/features/spending/receipts.ts";
import { inTenant } from "#/platform/context.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { NotFoundError, ValidationError } from "#/platform/errors.ts";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";
import { answerNotFoundAsPersonPage, personPages } from "#/platform/web/person-pages.ts";
import { personPageLocals } from "#/platform/web/person-session.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";
import { acceptByteUploads, type UploadedBytes } from "#/platform/web/uploads.ts";
import { largestReceiptBytes } from "#/rules/registry.ts";

/**
 * The person's budget page (/my/people/:id/budget), for the person and representatives with "view": balances,
 * chart and table, alerts, statement, receipts. Uploading a receipt needs "manage_money" (the person always
 * may); downloading one, "view". Anyone else gets "Page not found" (accounts' authorise).
 */

const MAX_RECEIPT_BYTES = largestReceiptBytes();

const base = (personId: string) => `/my/people/${personId}`;

export async function budgetPortalRoutes(app: FastifyInstance, deps: RouteDeps) {
  // One more byte than allowed, so a file over the limit is seen as too large (and said so) rather than cut.
  await acceptByteUploads(app, { maxBytes: MAX_RECEIPT_BYTES + 1, fields: 5, fieldSize: 1_000 });
  const { guard, context: ctx, notFound } = personPages(deps);

  answerNotFoundAsPersonPage(app, notFound);

  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    personId: string,
    extra: { errors?: Record<string, string>; uploaded?: string } = {},
  ) => {
    const { page, mayUpload } = await inTenant(ctx(request), async (t) => {
      await authoriseIn(t, personId, "view");
      const mayUpload = await authoriseIn(t, personId, "manage_money").then(
        () => true,
        (e) => {
          if (e instanceof NotFoundError) return false;
          throw e;
        },
      );
      return { page: await budgetPageIn(t, personId), mayUpload };
    });
    const isSelf = request.person!.personId === personId;
    const errors = extra.errors ?? {};
    return reply.code(Object.keys(errors).length ? 400 : 200).render("budget-page/views/portal-budget.njk", {
      ...personPageLocals(request),
      title: isSelf ? "Your budget" : `${page.person.givenName}'s budget`,
      backLink: isSelf ? "/my" : base(personId),
      page,
      you: isSelf ? "you" : page.person.givenName,
      your: isSelf ? "your" : `${page.person.givenName}'s`,
      statementHref: `${base(personId)}/statement`,
      receiptHref: `${base(personId)}/receipts`,
      uploadHref: `${base(personId)}/receipts`,
      mayUpload,
      spendItems: spendItems(page),
      errors,
      errorList: Object.entries(errors).map(([field, text]) => ({ text, href: `#${field}` })),
      ...(extra.uploaded ? { uploaded: extra.uploaded } : {}),
    });
  };

  app.get("/my/people/:personId/budget", guard, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const q = request.query as { uploaded?: string };
    return render(request, reply, personId, q.uploaded ? { uploaded: String(q.uploaded).slice(0, 100) } : {});
  });

  app.post("/my/people/:personId/receipts", guard, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const body = (request.body ?? {}) as { spendId?: unknown; receipt?: unknown };
    const file = body.receipt as UploadedBytes | undefined;
    const spendId = typeof body.spendId === "string" ? body.spendId : "";
    const errors: Record<string, string> = {};
    if (!spendId) errors.spendId = "Choose the payment the receipt is for";
    if (
      !file ||
      typeof file !== "object" ||
      !("bytes" in file) ||
      (file.fileName === "" && file.bytes.length === 0)
    ) {
      errors.receipt = "Choose the receipt file to upload";
    }
    if (Object.keys(errors).length) return render(request, reply, personId, { errors });
    try {
      const stored = await inTenant(ctx(request), async (t) => {
        await authoriseIn(t, personId, "manage_money");
        return uploadReceiptIn(t, { personId, spendId, fileName: file!.fileName, bytes: file!.bytes });
      });
      return reply.redirect(
        `${base(personId)}/budget?uploaded=${encodeURIComponent(stored.fileName)}#receipts`,
        303,
      );
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return render(request, reply, personId, {
        errors: Object.fromEntries(error.fieldErrors.map((f) => [f.path, f.message])),
      });
    }
  });

  app.get("/my/people/:personId/receipts/:receiptId", guard, async (request, reply) => {
    const { personId, receiptId } = request.params as { personId: string; receiptId: string };
    await authorise(ctx(request), personId, "view");
    const file = await inTenant(ctx(request), (t) => receiptFileIn(t, receiptId, personId));
    return sendReceipt(reply, file);
  });
}

function spendItems(page: BudgetPage) {
  return [
    { value: "", text: "Choose a payment" },
    ...page.spends
      .filter((s) => s.state !== "voided" && s.direction === "out")
      .slice(0, 100)
      .map((s) => ({
        value: s.spendId,
        text: `${dateInWords(s.date)}: ${s.payeeName}, ${formatPounds(s.amountPence as Pence)}`,
      })),
  ];
}
