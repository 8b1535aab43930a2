import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import {
  type LedgerAccount,
  type LedgerTransfer,
  postPending,
  statement,
  type TransferResult,
  transfer,
  viewBalance,
  voidPending,
} from "#/features/ledger/service.ts";
import { ValidationError } from "#/platform/errors.ts";
import { apiRoute } from "#/platform/web/openapi.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";

/**
 * The ledger over `/api/v1`, for finance officers. Reading needs ledger:read. Writing a transfer by hand needs
 * spending:manage: a transfer made through the API is a spend, a hold, or a correction a finance officer records
 * (payment runs post their own transfers through the payments service, under payments:run). Every write carries
 * an `Idempotency-Key` header: the same key and body again returns the first transfer (200, header
 * `Idempotent-Replayed: true`); the same key with another body is refused (409). A caller's keys are theirs: kept
 * apart from the keys the system makes (a payment run's) and from other staff's, whichever of their tokens or
 * their session sends them (callerKey).
 */

const IDEMPOTENCY_HEADER = {
  name: "Idempotency-Key",
  in: "header" as const,
  required: true,
  description:
    "Your own unique key for this transfer (1 to 200 characters), e.g. the id of the record it pays. Send the same key to retry safely.",
  schema: { type: "string", minLength: 1, maxLength: 200 },
};

const pence = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const code = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, "Use lower case letters, digits and _, such as spend")
  .describe(
    "Why the money moves: payment, spend, topup, contribution, recovery, return, pool_share, funding, adjustment",
  );
const ref = {
  refKind: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, "Use lower case letters, digits and _, such as invoice")
    .optional()
    .describe("The kind of business record the transfer belongs to, e.g. invoice"),
  refId: z.string().min(1).max(200).optional().describe("That record's id"),
};

export const createTransferBody = z
  .strictObject({
    type: z
      .enum(["posted", "pending"])
      .default("posted")
      .describe("posted moves the money now; pending holds it until posted or voided"),
    debitAccountId: z.uuid().describe("The account the money leaves"),
    creditAccountId: z.uuid().describe("The account the money goes to"),
    amountPence: pence.describe("Whole pence, above 0"),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "Use a three-letter code, such as GBP")
      .default("GBP"),
    code,
    ...ref,
  })
  .meta({ id: "CreateLedgerTransfer" });

export const resolveTransferBody = z
  .strictObject({
    amountPence: pence
      .optional()
      .describe("post only: settle for this amount, at most the amount held; the whole of it when left out"),
    ...ref,
  })
  .meta({ id: "ResolveLedgerTransfer" });

export const transferResponse = z
  .object({
    transferId: z.uuid(),
    idempotencyKey: z.string(),
    debitAccountId: z.uuid(),
    creditAccountId: z.uuid(),
    amountPence: z.number().int(),
    currency: z.string(),
    code: z.string(),
    refKind: z.string().nullable(),
    refId: z.string().nullable(),
    pending: z.boolean().describe("true for the first phase of a two-phase transfer"),
    pendingOf: z.uuid().nullable().describe("For a post or void: the pending transfer it resolves"),
    state: z.enum(["pending", "posted", "voided"]),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "LedgerTransfer" });

export const accountResponse = z
  .object({
    accountId: z.uuid(),
    code: z.string().describe("The account's key, e.g. budget:<budgetId>:direct_payment"),
    kind: z.string(),
    currency: z.string(),
    name: z.string().nullable(),
    budgetId: z.uuid().nullable(),
    streamId: z.string().nullable(),
    deployment: z.string().nullable(),
    personId: z.uuid().nullable(),
    mustNotGoBelowZero: z.boolean(),
    debitsPendingPence: z.number().int(),
    debitsPostedPence: z.number().int(),
    creditsPendingPence: z.number().int(),
    creditsPostedPence: z.number().int(),
    balancePence: z.number().int().describe("Credits posted less debits posted"),
    availablePence: z.number().int().describe("The balance less pending debits: what may still be spent"),
  })
  .meta({ id: "LedgerAccount" });

export const statementQuery = z.strictObject({
  from: z.iso.date().optional().describe("First day (YYYY-MM-DD, UK date); from the start if left out"),
  to: z.iso.date().optional().describe("Last day (YYYY-MM-DD, UK date); to now if left out"),
});

export const statementResponse = z
  .object({
    account: accountResponse,
    from: z.iso.date().nullable(),
    to: z.iso.date().nullable(),
    openingBalancePence: z.number().int(),
    closingBalancePence: z.number().int(),
    lines: z.array(
      transferResponse.extend({
        signedAmountPence: z
          .number()
          .int()
          .describe("Into the account positive, out negative; holds and voids 0"),
        balanceAfterPence: z.number().int(),
      }),
    ),
  })
  .meta({ id: "LedgerStatement" });

/** A transfer as the API gives it (also used by features/budgets). */
export const transferJson = (t: LedgerTransfer) => {
  const { amount, createdAt, ...rest } = t;
  return { ...rest, amountPence: amount, createdAt: createdAt.toISOString() };
};

/** An account as the API gives it (also used by features/budgets). */
export const accountJson = (a: LedgerAccount) => {
  const { sums, balance, available, ...rest } = a;
  return {
    ...rest,
    debitsPendingPence: sums.debitsPending,
    debitsPostedPence: sums.debitsPosted,
    creditsPendingPence: sums.creditsPending,
    creditsPostedPence: sums.creditsPosted,
    balancePence: balance,
    availablePence: available,
  };
};

/**
 * The Idempotency-Key header in the caller's own namespace (the signed-in member of staff, not the token): what
 * the ledger stores with the transfer, so no key a caller sends can take or replay one of the system's.
 */
export function callerKey(request: FastifyRequest): { idempotencyKey: string; keyUserId: string } {
  return { idempotencyKey: idempotencyKey(request), keyUserId: request.staff!.userId };
}

/** The Idempotency-Key header, or a 400 saying how to send it. */
function idempotencyKey(request: FastifyRequest): string {
  const raw = request.headers["idempotency-key"];
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!key || key.trim() === "" || key.length > 200) {
    throw new ValidationError(
      [
        {
          path: "Idempotency-Key",
          message:
            "Send an Idempotency-Key header of 1 to 200 characters that is unique to this transfer, so a retry cannot make it twice",
        },
      ],
      "The Idempotency-Key header is missing",
    );
  }
  return key;
}

/** 201 for a new transfer; 200 and Idempotent-Replayed for a repeat of one. */
function sendResult(reply: FastifyReply, result: TransferResult) {
  if (result.replayed) reply.header("Idempotent-Replayed", "true");
  return reply.code(result.replayed ? 200 : 201).send(transferJson(result.transfer));
}

type Context = ReturnType<typeof serviceContextFor>;

// `headers` documents the Idempotency-Key in the OpenAPI document where the platform supports it.
const withKeyHeader = { headers: [IDEMPOTENCY_HEADER] };

export async function ledgerApi(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);
  transferApi(app, deps, ctx);
  accountApi(app, deps, ctx);
}

/** Transfers: made posted or pending, and pending ones posted or voided; every write keyed by the caller. */
function transferApi(app: FastifyInstance, deps: RouteDeps, ctx: Context) {
  const createOp = {
    method: "POST" as const,
    path: "/ledger/transfers",
    operationId: "createLedgerTransfer",
    summary:
      "Make a transfer between two ledger accounts, posted now or held pending; needs an Idempotency-Key header (a retry with the same key and body returns the first transfer)",
    tag: "Ledger",
    auth: "staff" as const,
    permission: "spending:manage" as const,
    body: createTransferBody,
    response: transferResponse,
    successStatus: 201,
    problems: {
      409: "The account may not go below zero, the currencies differ, or the Idempotency-Key was used for a different transfer",
    },
    ...withKeyHeader,
  };
  apiRoute(app, deps.api, createOp, async ({ request, reply, body }) => {
    const result = await transfer(ctx(request), {
      type: body.type,
      ...callerKey(request),
      debitAccountId: body.debitAccountId,
      creditAccountId: body.creditAccountId,
      amount: body.amountPence,
      currency: body.currency,
      code: body.code,
      refKind: body.refKind ?? null,
      refId: body.refId ?? null,
    });
    return sendResult(reply, result);
  });

  for (const action of ["post", "void"] as const) {
    const op = {
      method: "POST" as const,
      path: `/ledger/transfers/:transferId/${action}`,
      operationId: action === "post" ? "postPendingLedgerTransfer" : "voidPendingLedgerTransfer",
      summary:
        action === "post"
          ? "Post a pending transfer (in full, or for less: the rest is released); needs an Idempotency-Key header"
          : "Void a pending transfer, releasing what it held; needs an Idempotency-Key header",
      tag: "Ledger",
      auth: "staff" as const,
      permission: "spending:manage" as const,
      body: resolveTransferBody,
      response: transferResponse,
      successStatus: 201,
      problems: {
        409: "The pending transfer was already posted or voided, or the Idempotency-Key was used for a different transfer",
      },
      ...withKeyHeader,
    };
    apiRoute(app, deps.api, op, async ({ request, reply, body, params }) => {
      const request_ = {
        ...callerKey(request),
        pendingId: params.transferId!,
        ...(body.refKind ? { refKind: body.refKind } : {}),
        ...(body.refId ? { refId: body.refId } : {}),
      };
      if (action === "void" && body.amountPence !== undefined) {
        throw new ValidationError(
          [{ path: "amountPence", message: "A void releases the whole amount held: leave the amount out" }],
          "The request body is not valid",
        );
      }
      const result =
        action === "post"
          ? await postPending(ctx(request), {
              ...request_,
              ...(body.amountPence !== undefined ? { amount: body.amountPence } : {}),
            })
          : await voidPending(ctx(request), request_);
      return sendResult(reply, result);
    });
  }
}

/** An account's balances, and its transfers with running balances. */
function accountApi(app: FastifyInstance, deps: RouteDeps, ctx: Context) {
  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/ledger/accounts/:accountId",
      operationId: "getLedgerAccount",
      summary: "A ledger account and its balances: posted, pending and available",
      tag: "Ledger",
      auth: "staff",
      permission: "ledger:read",
      response: accountResponse,
    },
    async ({ request, params }) => accountJson(await viewBalance(ctx(request), uuidParam(params.accountId))),
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/ledger/accounts/:accountId/transfers",
      operationId: "getLedgerAccountStatement",
      summary:
        "A ledger account's transfers between two dates, oldest first, with the running posted balance",
      tag: "Ledger",
      auth: "staff",
      permission: "ledger:read",
      query: statementQuery,
      response: statementResponse,
    },
    async ({ request, params, query }) => {
      const s = await statement(ctx(request), uuidParam(params.accountId), {
        ...(query.from ? { from: query.from } : {}),
        ...(query.to ? { to: query.to } : {}),
      });
      return {
        account: accountJson(s.account),
        from: s.from,
        to: s.to,
        openingBalancePence: s.openingBalance,
        closingBalancePence: s.closingBalance,
        lines: s.lines.map(({ signedAmount, balanceAfter, ...t }) => ({
          ...transferJson(t),
          signedAmountPence: signedAmount,
          balanceAfterPence: balanceAfter,
        })),
      };
    },
  );
}

/** A path id that is not a UUID names no account: 400 rather than a database error. */
function uuidParam(value: string | undefined): string {
  if (!value || !z.uuid().safeParse(value).success) {
    throw new ValidationError(
      [{ path: "accountId", message: "The account id must be a UUID" }],
      "The path is not valid",
    );
  }
  return value;
}
