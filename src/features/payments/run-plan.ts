import { liveBudgetsIn, type PersonalBudget } from "#/features/budgets/service.ts";
import type * as invoicesRepo from "#/features/payments/invoices-repository.ts";
import { addDays, bankingDayOnOrAfter, bankingDayOnOrBefore } from "#/features/payments/pay-dates.calc.ts";
import * as payeesRepo from "#/features/payments/payees-repository.ts";
import type * as repo from "#/features/payments/repository.ts";
import {
  type OneOffCost,
  paymentSchedule,
  type ScheduledPayment,
  type ScheduleLine,
} from "#/features/payments/schedule.calc.ts";
import type { StoredSettings } from "#/features/payments/service.ts";
import { councilRulesIn } from "#/features/tenants/rules.ts";
import { todayInLondon } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { pence } from "#/platform/money/pence.ts";

/**
 * A payment run, step 1 (see run.ts): reading only, every live budget's schedule under the council's settings
 * and the payments whose pay date is on or before the run's date, each either planned (with its stream parts and
 * netted contribution) or held (its payee has no record, or no approved bank details in force on the pay date).
 */

export type PlannedPayment = {
  row: repo.NewPaymentRow;
  streamParts: { streamId: string; deployment: string; amount: number }[];
  netted: number;
};
export type PlannedBudget = {
  budget: PersonalBudget;
  payments: PlannedPayment[];
  invoices: Omit<invoicesRepo.InvoiceRow, "tenant_id" | "created_at" | "status" | "paid_on" | "run_id">[];
};

/** The pay date of a due date: the banking day before (or after) when it is not one, in the council's region. */
export function payDateFor(dueDate: string, settings: StoredSettings): string {
  return settings.whenNotBankingDay === "before"
    ? bankingDayOnOrBefore(dueDate, settings.bankHolidayRegion)
    : bankingDayOnOrAfter(dueDate, settings.bankHolidayRegion);
}

export const FUNDING_ONLY = new Set(["council_managed", "council_arranged"]);

/** Which account a budget line pays: the person's payee (direct payment), the provider's (ISF), or none. */
function payeeKeyOf(
  line: { deployment: string; providerId: string | null },
  personPayee: string | undefined,
  providerPayees: Map<string, string>,
): string {
  if (FUNDING_ONLY.has(line.deployment)) return `funding-${line.deployment}`;
  if (line.deployment === "direct_payment") return personPayee ?? "unknown-person-payee";
  return (
    (line.providerId && providerPayees.get(line.providerId)) ??
    `unknown-provider-${line.providerId ?? "none"}`
  );
}

export type PayeeMaps = { person: Map<string, string>; provider: Map<string, string> };

export async function payeeMaps(tx: TenantTx): Promise<PayeeMaps & { rows: payeesRepo.PayeeRow[] }> {
  const rows = await payeesRepo.listPayees(tx);
  return {
    rows,
    person: new Map(rows.filter((p) => p.kind === "person").map((p) => [p.person_id!, p.payee_id])),
    provider: new Map(rows.filter((p) => p.kind === "provider").map((p) => [p.provider_id!, p.payee_id])),
  };
}

/** The schedule calc's input for a budget under the council's settings. */
export function scheduleInput(
  budget: PersonalBudget,
  settings: StoredSettings,
  payees: PayeeMaps,
  through: string,
) {
  const person = payees.person.get(budget.personId);
  return {
    budgetId: budget.budgetId,
    startDate: budget.startDate,
    ...(budget.endDate ? { endDate: budget.endDate } : {}),
    approvedOn: todayInLondon(budget.approvedAt),
    anchorDate: settings.anchorDate,
    frequency: settings.frequency,
    lines: budget.lines.map(
      (l): ScheduleLine => ({
        payeeAccountId: payeeKeyOf(l, person, payees.provider),
        fundingStreamId: l.streamId,
        deployment: l.deployment,
        weekly: pence(l.weeklyPence),
      }),
    ),
    oneOffs: budget.lines
      .filter((l) => l.oneOffPence > 0)
      .map(
        (l): OneOffCost => ({
          payeeAccountId: payeeKeyOf(l, person, payees.provider),
          fundingStreamId: l.streamId,
          deployment: l.deployment,
          amount: pence(l.oneOffPence),
          description: `One-off: ${l.supportName}`.slice(0, 200),
        }),
      ),
    contribution: {
      weekly: pence(budget.contributionWeeklyPence),
      collection: settings.contributionCollection,
    },
    through,
  };
}

export async function planBudgets(
  tx: TenantTx,
  payDate: string,
  settings: StoredSettings,
): Promise<{ planned: PlannedBudget[]; held: repo.HeldPayment[] }> {
  const rules = (await councilRulesIn(tx, payDate)).payments.rules;
  const budgets = await liveBudgetsIn(tx, payDate);
  const planned: PlannedBudget[] = [];
  const held: repo.HeldPayment[] = [];
  // Payees, and their approved details on the pay date, in two look-ups for the whole run.
  const payees = await payeeMaps(tx);
  const details = await payeesRepo.approvedDetailsOn(
    tx,
    payees.rows.map((p) => p.payee_id),
    payDate,
  );
  const payeeIds = new Set(payees.rows.map((p) => p.payee_id));

  for (const budget of budgets) {
    // Cycles due a few days after the run's date may pay on it (a weekend or bank holiday before them).
    const schedule = paymentSchedule(scheduleInput(budget, settings, payees, addDays(payDate, 7)), rules);
    const plan: PlannedBudget = { budget, payments: [], invoices: [] };
    for (const cycle of schedule.cycles) {
      const cyclePayDate = payDateFor(cycle.dueDate, settings);
      if (cyclePayDate > payDate) continue;
      for (const p of cycle.payments) {
        const planned = plannedPayment(budget, cycle, p, cyclePayDate, payeeIds, details);
        if ("reason" in planned) held.push(planned);
        else plan.payments.push(planned);
      }
      if (cycle.contribution.invoiced > 0)
        plan.invoices.push({
          invoice_id: uuidv7(),
          invoice_key: `contribution:${budget.budgetId}:${cycle.start}`,
          budget_id: budget.budgetId,
          person_id: budget.personId,
          cycle_start: cycle.start,
          cycle_end: cycle.end,
          amount: cycle.contribution.invoiced,
        });
    }
    if (plan.payments.length > 0 || plan.invoices.length > 0) planned.push(plan);
  }
  return { planned, held };
}

function plannedPayment(
  budget: PersonalBudget,
  cycle: { start: string; end: string; dueDate: string },
  p: ScheduledPayment,
  payDate: string,
  payeeIds: Set<string>,
  details: Map<string, payeesRepo.BankDetailsRow>,
): PlannedPayment | repo.HeldPayment {
  const deployment = (p.parts.find((x) => x.deployment)?.deployment ??
    "direct_payment") as repo.NewPaymentRow["deployment"];
  const funding = FUNDING_ONLY.has(deployment);
  const payeeId = funding ? null : p.payeeAccountId;
  const who = { key: p.key, budgetId: budget.budgetId, personId: budget.personId };
  if (payeeId && !payeeIds.has(payeeId))
    return {
      ...who,
      fix: deployment === "direct_payment" ? "add_person_payee" : "add_payee",
      reason:
        deployment === "direct_payment"
          ? "The person has no payee record: add them as a payee with their bank details"
          : "The provider has no payee record: add them as a payee with their bank details",
    };
  const bank = payeeId ? details.get(payeeId) : undefined;
  if (payeeId && !bank)
    return {
      ...who,
      payeeId,
      fix: "bank_details",
      reason:
        "The payee has no approved bank details in force on the pay date: add them, and a second person must approve them",
    };
  const streamParts = p.parts
    .filter((x) => x.kind !== "contribution_netted" && x.amount > 0)
    .map((x) => ({ streamId: x.fundingStreamId!, deployment: x.deployment ?? deployment, amount: x.amount }));
  const netted = -p.parts.filter((x) => x.kind === "contribution_netted").reduce((s, x) => s + x.amount, 0);
  return {
    streamParts,
    netted,
    row: {
      payment_id: uuidv7(),
      payment_key: p.key,
      run_id: "", // set when the run is known
      budget_id: budget.budgetId,
      person_id: budget.personId,
      cycle_start: cycle.start,
      cycle_end: cycle.end,
      due_date: cycle.dueDate,
      pay_date: payDate,
      kind: funding ? "funding" : "bank",
      deployment,
      payee_id: payeeId,
      amount: p.amount,
      parts: p.parts.map((x) => ({ ...x })),
      bank_details_id: bank?.details_id ?? null,
      account_name: bank?.account_name ?? null,
      sort_code: bank?.sort_code ?? null,
      account_number: bank?.account_number ?? null,
    },
  };
}
