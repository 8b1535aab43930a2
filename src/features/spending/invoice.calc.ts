import type { Invoice } from "#/features/spending/schemas.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { formatPounds, type Pence, pence } from "#/platform/money/pence.ts";

/**
 * A provider's invoice, checked against the budget it is charged to (Upfront issue 6, "Spending": invoices become
 * transfers against the right budget, matched to plan lines). The schema (schemas.ts) has already checked each
 * field; this checks what needs more than one: the dates fall within the budget, each line's dates within the
 * invoice's, the lines add up to the total, and each line's support line or category is in the plan. Pure.
 *
 * The idempotency key is the provider and the invoice number (trimmed, upper case, spaces removed), so the same
 * invoice sent twice, or typed twice with different spacing, is one invoice.
 */

export type InvoiceBudgetContext = {
  /** The first day the budget covers (YYYY-MM-DD). */
  readonly budgetStart: string;
  /** The last day, or null while it is open. */
  readonly budgetEnd: string | null;
  /** The plan's support lines and their categories. */
  readonly supports: readonly { readonly supportId: string; readonly category: string }[];
  /** The council's support categories. */
  readonly categories: readonly string[];
};

export type InvoiceProblem = { readonly path: string; readonly message: string };

export type InvoiceCheck =
  | { readonly ok: true; readonly idempotencyKey: string; readonly totalPence: Pence }
  | { readonly ok: false; readonly problems: readonly InvoiceProblem[] };

const normaliseKeyPart = (s: string) => s.trim().toUpperCase().replace(/\s+/g, "");

export function invoiceIdempotencyKey(
  invoice: Pick<Invoice, "providerId" | "providerName" | "invoiceNumber">,
): string {
  const provider =
    invoice.providerId ?? `name:${invoice.providerName.trim().toLowerCase().replace(/\s+/g, " ")}`;
  return `invoice:${provider}:${normaliseKeyPart(invoice.invoiceNumber)}`;
}

const longDate = dateInWords;

export function checkInvoice(invoice: Invoice, budget: InvoiceBudgetContext): InvoiceCheck {
  const problems: InvoiceProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  if (invoice.serviceFrom > invoice.serviceTo) {
    add("serviceTo", "The last day of the service must be on or after the first day");
  }
  if (invoice.serviceFrom < budget.budgetStart) {
    add(
      "serviceFrom",
      `The service starts before the budget does (${longDate(budget.budgetStart)}): check the dates or the budget`,
    );
  }
  if (budget.budgetEnd !== null && invoice.serviceTo > budget.budgetEnd) {
    add(
      "serviceTo",
      `The service runs past the end of the budget (${longDate(budget.budgetEnd)}): invoice that part separately`,
    );
  }

  const supportCategory = new Map(budget.supports.map((s) => [s.supportId, s.category]));
  const categories = new Set(budget.categories);
  invoice.lines.forEach((line, i) => {
    const at = (field: string) => `lines.${i}.${field}`;
    const n = `Line ${i + 1}`;
    const from = line.serviceFrom ?? invoice.serviceFrom;
    const to = line.serviceTo ?? invoice.serviceTo;
    if (from > to) add(at("serviceTo"), `${n}: the last day must be on or after the first day`);
    if (from < invoice.serviceFrom || to > invoice.serviceTo) {
      add(
        at("serviceFrom"),
        `${n}: its dates must be within the invoice's, ${longDate(invoice.serviceFrom)} to ${longDate(invoice.serviceTo)}`,
      );
    }
    if (line.supportId !== undefined) {
      const category = supportCategory.get(line.supportId);
      if (category === undefined)
        add(at("supportId"), `${n}: the plan has no support line "${line.supportId}"`);
      else if (line.category !== undefined && line.category !== category) {
        add(at("category"), `${n}: support line "${line.supportId}" is ${category}, not ${line.category}`);
      }
    } else if (line.category !== undefined && !categories.has(line.category)) {
      add(at("category"), `${n}: "${line.category}" is not one of the council's support categories`);
    }
  });

  const sum = invoice.lines.reduce((t, l) => t + l.amountPence, 0);
  if (sum !== invoice.totalPence) {
    add(
      "totalPence",
      `The lines add up to ${formatPounds(pence(sum))} but the total says ${formatPounds(pence(invoice.totalPence))}: correct the lines or the total`,
    );
  }

  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, idempotencyKey: invoiceIdempotencyKey(invoice), totalPence: pence(invoice.totalPence) };
}
