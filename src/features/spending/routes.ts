import type { FastifyInstance, FastifyReply } from "fastify";
import { CARD_FEED_LAYOUTS } from "#/features/spending/card-feed-layouts.calc.ts";
import { importCardFeed } from "#/features/spending/card-import.ts";
import { linkCard } from "#/features/spending/cards.ts";
import { decideRecovery, listRecoveries } from "#/features/spending/surplus.ts";
import { actorRef } from "#/platform/context.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";
import { acceptTextUploads, type UploadedText } from "#/platform/web/uploads.ts";

/**
 * Finance pages for spending: import a card feed (/spending/card-feeds: a file upload; refused whole with every
 * bad row listed; "N new, M already imported"), link a card to a person, and the surplus recoveries waiting for
 * approval (/surplus: approve or reject with a note; surplus:approve).
 */

const MAX_FEED_BYTES = 50 * 1024 * 1024;

type Body = Record<string, unknown>;
const str = (b: Body, k: string) => (typeof b[k] === "string" ? (b[k] as string).trim() : "");

type Context = ReturnType<typeof serviceContextFor>;

const layoutItems = (chosen: string) => [
  { value: "detect", text: "Work it out from the columns", checked: chosen === "detect" || !chosen },
  ...CARD_FEED_LAYOUTS.map((l) => ({
    value: l.id,
    text: l.label,
    hint: { text: l.basis },
    checked: chosen === l.id,
  })),
];

const importPage = (
  reply: FastifyReply,
  extra: {
    errors?: { text: string; href: string }[];
    result?: unknown;
    layout?: string;
    cardResult?: string;
  },
) =>
  reply.code(extra.errors?.length ? 400 : 200).render("spending/views/card-feeds.njk", {
    title: "Import a card feed",
    layoutItems: layoutItems(extra.layout ?? "detect"),
    errorList: extra.errors ?? [],
    result: extra.result ?? null,
    cardResult: extra.cardResult ?? null,
  });

export async function spendingRoutes(app: FastifyInstance, deps: RouteDeps) {
  await acceptTextUploads(app, { maxBytes: MAX_FEED_BYTES, fields: 10, fieldSize: 10_000 });
  const context = serviceContextFor(deps);
  cardFeedPages(app, context);
  surplusPages(app, context);
}

/** Finance import card feeds and link cards to people (spending:manage). */
function cardFeedPages(app: FastifyInstance, context: Context) {
  const manage = { preHandler: requireStaff("spending:manage") };

  app.get("/spending/card-feeds", manage, async (_request, reply) => importPage(reply, {}));

  app.post("/spending/card-feeds", manage, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const file = body.feedFile as UploadedText | undefined;
    const layout = str(body, "layout") || "detect";
    if (!file || typeof file !== "object" || (!file.fileName && !file.text)) {
      return importPage(reply, {
        layout,
        errors: [{ text: "Choose the card feed file to upload", href: "#feedFile" }],
      });
    }
    if (file.tooLarge) {
      return importPage(reply, {
        layout,
        errors: [{ text: "The file must be 50 MB or smaller: split it", href: "#feedFile" }],
      });
    }
    try {
      const result = await importCardFeed(context(request), {
        fileName: file.fileName,
        text: file.text,
        layout,
        cashWithdrawalsPermitted: str(body, "cashWithdrawalsPermitted") === "yes",
      });
      return importPage(reply, { layout, result });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return importPage(reply, {
        layout,
        errors: error.fieldErrors.map((f) => ({
          text: f.message,
          href: f.path === "layout" ? "#layout" : "#feedFile",
        })),
      });
    }
  });

  app.post("/spending/cards", manage, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    try {
      await linkCard(context(request), {
        provider: str(body, "provider") || "upfront",
        cardId: str(body, "cardId"),
        personId: str(body, "personId"),
        cashWithdrawalsPermitted: str(body, "cashWithdrawalsPermitted") === "yes",
      });
      return importPage(reply, { cardResult: `Card ${str(body, "cardId")} is linked` });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return importPage(reply, {
        errors: error.fieldErrors.map((f) => ({ text: f.message, href: `#${f.path}` })),
      });
    }
  });
}

/** Surplus recoveries waiting for approval, and the decisions (surplus:approve). */
function surplusPages(app: FastifyInstance, context: Context) {
  const approve = { preHandler: requireStaff("surplus:approve") };

  app.get("/surplus", approve, async (request, reply) => {
    const ctx = context(request);
    return reply.render("spending/views/surplus.njk", {
      title: "Surplus recoveries",
      myActorRef: actorRef(ctx.scope.actor),
      proposed: await listRecoveries(ctx, { status: "proposed" }),
      decided: (await listRecoveries(ctx)).filter((r) => r.status !== "proposed").slice(0, 50),
    });
  });

  app.post("/surplus/:recoveryId", approve, async (request, reply) => {
    const { recoveryId } = request.params as { recoveryId: string };
    const body = (request.body ?? {}) as Body;
    const decision = str(body, "decision");
    const note = str(body, "note");
    const ctx = context(request);
    try {
      if (decision !== "approve" && decision !== "reject") {
        throw new ValidationError([
          { path: `decision-${recoveryId}`, message: "Choose approve or do not approve" },
        ]);
      }
      await decideRecovery(ctx, recoveryId, { approve: decision === "approve", ...(note ? { note } : {}) });
      return reply.redirect("/surplus", 303);
    } catch (error) {
      if (!(error instanceof ValidationError) && !(error instanceof ConflictError)) throw error;
      const errors =
        error instanceof ValidationError
          ? error.fieldErrors.map((f) => ({
              text: f.message,
              href: `#${f.path === "note" ? `note-${recoveryId}` : f.path}`,
            }))
          : [{ text: error.message, href: "#proposed" }];
      return reply.code(400).render("spending/views/surplus.njk", {
        title: "Surplus recoveries",
        myActorRef: actorRef(ctx.scope.actor),
        errorList: errors,
        proposed: await listRecoveries(ctx, { status: "proposed" }),
        decided: [],
      });
    }
  });
}
