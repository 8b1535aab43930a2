import { ensureAccountIn } from "#/features/ledger/service.ts";
import type { TxContext } from "#/platform/context.ts";

/**
 * Spending (Upfront issue 6): card feeds and provider invoices charged to budgets, receipts, top-ups, surplus
 * recovery and pooled arrangements, one module per job (cards, card-import, invoices, receipts, spends, top-ups,
 * surplus, pools). Every penny moves through the ledger service in the same tenant transaction as the record
 * that explains it; every use case validates everything before its first write.
 *
 * Ledger accounts used (codes; the budget's own accounts are budgets/accounts.ts's):
 *   budget:<budgetId>:<deployment>   a budget's holding account per deployment (may not go below zero)
 *   payee:card:<provider>:<card>     where a card's money went (merchants), so a penny traces to the card
 *   payee:provider:<id or name>      a provider paid by invoice;  payee:pool:<poolId> the pool's provider
 *   topup:<budgetId>                 the person's own money added to the budget: never council money
 *   own_money:<personId>             where that money came from (outside the council's books)
 *   pool:<poolId>                    a pooled arrangement's account
 *   surplus_recovered:<streamId>     council money recovered back to its funding stream
 */

export const codePart = (s: string) => s.replace(/[^A-Za-z0-9_.-]+/g, "_").slice(0, 80) || "_";

export const payeeAccountIn = (t: TxContext, code: string, name: string) =>
  ensureAccountIn(t, { code, kind: "payee", name: name.slice(0, 200) });
