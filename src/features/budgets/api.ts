import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { budgetBalances, budgetStatement, budgetTransfer } from "#/features/budgets/accounts.ts";
import { endBudget } from "#/features/budgets/end-service.ts";
import { END_REASONS, endBudgetSchema } from "#/features/budgets/schemas.ts";
import {
  accountJson,
  accountResponse,
  callerKey,
  createTransferBody,
  statementResponse,
  transferJson,
  transferResponse,
} from "#/features/ledger/api.ts";
import { ValidationError } from "#/platform/errors.ts";
import { apiRoute } from "#/platform/web/openapi.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";

/**
 * Budgets over `/api/v1` (issue 6): a budget's balance per deployment (and the person's own money apart), its
 * transfers (statements with running balances), and a transfer out of one of its accounts, which carries an
 * Idempotency-Key header like every ledger write (same key and body: the first transfer again, 200 and
 * Idempotent-Replayed; other body: 409). Reading needs budgets:read; writing, spending:manage. Ending a live
 * budget (end of support, death, moving away) needs budgets:end.
 */

const IDEMPOTENCY_HEADER = {
  name: "Idempotency-Key",
  in: "header" as const,
  required: true,
  description:
    "Your own unique key for this transfer (1 to 200 characters). Send the same key to retry safely.",
  schema: { type: "string", minLength: 1, maxLength: 200 },
};

const DEPLOYMENTS = [
  "direct_payment",
  "council_managed",
  "individual_service_fund",
  "council_arranged",
] as const;

const budgetBalanceResponse = z
  .object({
    budgetId: z.uuid(),
    personId: z.uuid(),
    weeklyPence: z.number().int(),
    startDate: z.iso.date(),
    endDate: z.iso.date().nullable(),
    accounts: z.array(
      z.object({
        deployment: z.enum(DEPLOYMENTS),
        label: z.string(),
        account: accountResponse.nullable().describe("null until money first moves for this deployment"),
      }),
    ),
    ownMoney: accountResponse.nullable().describe("Top-ups: the person's own money, never council money"),
  })
  .meta({ id: "BudgetBalance" });

const budgetStatementResponse = z
  .object({
    budgetId: z.uuid(),
    statements: z.array(
      z.object({ deployment: z.string(), label: z.string(), statement: statementResponse }),
    ),
  })
  .meta({ id: "BudgetStatement" });

const budgetTransferBody = createTransferBody
  .omit({ debitAccountId: true })
  .extend({
    deployment: z.enum(DEPLOYMENTS).describe("Which of the budget's accounts the money leaves"),
  })
  .meta({ id: "CreateBudgetTransfer" });

const endedBudgetResponse = z
  .object({
    budgetId: z.uuid(),
    personId: z.uuid(),
    status: z.enum(["live", "replaced", "ended"]),
    startDate: z.iso.date(),
    endDate: z.iso.date().nullable().describe("The last day the budget pays for"),
    endReason: z.enum(["replaced", ...END_REASONS]).nullable(),
  })
  .meta({ id: "EndedBudget" });

function uuidParam(value: string | undefined): string {
  if (!value || !z.uuid().safeParse(value).success) {
    throw new ValidationError(
      [{ path: "budgetId", message: "The budget id must be a UUID" }],
      "The path is not valid",
    );
  }
  return value;
}

type Context = ReturnType<typeof serviceContextFor>;

export async function budgetsApi(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);
  balanceApi(app, deps, ctx);
  statementApi(app, deps, ctx);
  transferApi(app, deps, ctx);
  endApi(app, deps, ctx);
}

/** A budget's balance in each of its accounts. */
function balanceApi(app: FastifyInstance, deps: RouteDeps, ctx: Context) {
  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/budgets/:budgetId",
      operationId: "getBudgetBalance",
      summary:
        "A personal budget's balance in each of its accounts (per deployment), and the person's own money apart",
      tag: "Budgets",
      auth: "staff",
      permission: "budgets:read",
      response: budgetBalanceResponse,
    },
    async ({ request, params }) => {
      const b = await budgetBalances(ctx(request), uuidParam(params.budgetId));
      return {
        budgetId: b.budget.budgetId,
        personId: b.budget.personId,
        weeklyPence: b.budget.weeklyPence,
        startDate: b.budget.startDate,
        endDate: b.budget.endDate,
        accounts: b.accounts.map((a) => ({
          deployment: a.deployment,
          label: a.label,
          account: a.account ? accountJson(a.account) : null,
        })),
        ownMoney: b.topUp ? accountJson(b.topUp) : null,
      };
    },
  );
}

/** A budget's transfers, account by account, with running balances (two paths, one answer). */
function statementApi(app: FastifyInstance, deps: RouteDeps, ctx: Context) {
  const statementOp = (path: string, operationId: string, summary: string) =>
    apiRoute(
      app,
      deps.api,
      {
        method: "GET",
        path,
        operationId,
        summary,
        tag: "Budgets",
        auth: "staff",
        permission: "budgets:read",
        query: z.strictObject({ from: z.iso.date().optional(), to: z.iso.date().optional() }),
        response: budgetStatementResponse,
      },
      async ({ request, params, query }) => {
        const s = await budgetStatement(ctx(request), uuidParam(params.budgetId), {
          ...(query.from ? { from: query.from } : {}),
          ...(query.to ? { to: query.to } : {}),
        });
        return {
          budgetId: s.budget.budgetId,
          statements: s.statements.map((x) => ({
            deployment: x.deployment,
            label: x.label,
            statement: {
              account: accountJson(x.statement.account),
              from: x.statement.from,
              to: x.statement.to,
              openingBalancePence: x.statement.openingBalance,
              closingBalancePence: x.statement.closingBalance,
              lines: x.statement.lines.map(({ signedAmount, balanceAfter, ...t }) => ({
                ...transferJson(t),
                signedAmountPence: signedAmount,
                balanceAfterPence: balanceAfter,
              })),
            },
          })),
        };
      },
    );
  statementOp(
    "/budgets/:budgetId/transfers",
    "listBudgetTransfers",
    "A budget's transfers, account by account, oldest first, with running balances",
  );
  statementOp(
    "/budgets/:budgetId/statement",
    "getBudgetStatement",
    "A budget's statement between two dates: opening and closing balance per account and every transfer",
  );
}

/** Money out of one of a budget's accounts, keyed by the caller's Idempotency-Key. */
function transferApi(app: FastifyInstance, deps: RouteDeps, ctx: Context) {
  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/budgets/:budgetId/transfers",
      operationId: "createBudgetTransfer",
      summary:
        "Move money out of one of a budget's accounts (a spend or a hold); needs an Idempotency-Key header",
      tag: "Budgets",
      auth: "staff",
      permission: "spending:manage",
      body: budgetTransferBody,
      response: transferResponse,
      successStatus: 201,
      problems: {
        409: "The account does not hold enough, or the Idempotency-Key was used for a different transfer",
      },
      headers: [IDEMPOTENCY_HEADER],
    },
    async ({ request, reply, body, params }) => {
      const result = await budgetTransfer(ctx(request), uuidParam(params.budgetId), {
        deployment: body.deployment,
        type: body.type,
        ...callerKey(request),
        creditAccountId: body.creditAccountId,
        amount: body.amountPence,
        code: body.code,
        ...(body.refKind ? { refKind: body.refKind } : {}),
        ...(body.refId ? { refId: body.refId } : {}),
      });
      if (result.replayed) reply.header("Idempotent-Replayed", "true");
      return reply.code(result.replayed ? 200 : 201).send(transferJson(result.transfer));
    },
  );
}

/** Ending a live budget (budgets:end). */
function endApi(app: FastifyInstance, deps: RouteDeps, ctx: Context) {
  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/budgets/:budgetId/end",
      operationId: "endBudget",
      summary:
        "End a live budget on a date (support no longer needed, the person died or moved away): payments stop after it, what was already paid for later days becomes money to recover at the next payment run, and reviews stop",
      tag: "Budgets",
      auth: "staff",
      permission: "budgets:end",
      body: endBudgetSchema,
      response: endedBudgetResponse,
    },
    async ({ request, body, params }) => {
      const b = await endBudget(ctx(request), uuidParam(params.budgetId), body);
      return {
        budgetId: b.budgetId,
        personId: b.personId,
        status: b.status,
        startDate: b.startDate,
        endDate: b.endDate,
        endReason: b.endReason,
      };
    },
  );
}
