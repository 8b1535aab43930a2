import { budgetsOverlappingIn } from "#/features/budgets/commissioner-reads.ts";
import { fundingSettingsIn } from "#/features/funding/service.ts";
import { budgetAccountBalancesIn } from "#/features/ledger/commissioner-reads.ts";
import { contributionInvoiceFactsIn, paymentFactsIn } from "#/features/payments/commissioner-reads.ts";
import { agreedPlanVersionsIn } from "#/features/planning/commissioner-reads.ts";
import type { ReportPeriod } from "#/features/reports/commissioner-period.ts";
import type {
  CommissionerReport,
  ReportColumn,
  ReportTable,
} from "#/features/reports/commissioner-report.ts";
import {
  type MoneyReport,
  type MoneyRow,
  moneyReport,
  SETTING_NOT_RECORDED,
} from "#/features/reports/money.calc.ts";
import { spendFactsIn } from "#/features/spending/commissioner-reads.ts";
import { councilRulesIn } from "#/features/tenants/rules.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { DEPLOYMENT_LABELS, type Deployment } from "#/vocabulary/deployments.ts";
import { supportCategoryLabels } from "#/vocabulary/support-categories.ts";

/**
 * The money report: the facts read through their owners (budgets, planning, payments, spending, ledger,
 * funding), summed by money.calc.ts. Setting: each budget line's ASC-FR setting is the one the ASC-FR measure
 * gives it (asc-fr.calc.ts, rulesFor(…).ascFr in force on the period's last day); the report says which figures
 * have a setting and which do not.
 */

export type MoneyReportWithLabels = MoneyReport & {
  streamNames: Record<string, string>;
  /** The ASC-FR setting rows' labels, by id (empty when the council has no ASC-FR settings). */
  settingNames?: Record<string, string>;
};

export async function moneyFigures(
  ctx: ServiceContext,
  period: ReportPeriod,
): Promise<MoneyReportWithLabels> {
  return inTenant(ctx, async ({ tx }) => {
    const { from, to } = period;
    const budgets = await budgetsOverlappingIn(tx, from, to);
    const ascFr = (await councilRulesIn(tx, to)).ascFr.rules;
    const versions = await agreedPlanVersionsIn(tx);
    const indicative = new Map(versions.map((v) => [`${v.planId}:${v.version}`, v.indicativeWeeklyPence]));
    const report = moneyReport(
      {
        budgets: budgets.map((b) => ({
          budgetId: b.budgetId,
          startDate: b.startDate,
          endDate: b.endDate,
          allocationWeeklyPence: indicative.get(`${b.planId}:${b.planVersion}`) ?? null,
          lines: b.lines,
        })),
        payments: await paymentFactsIn(tx, from, to),
        spends: await spendFactsIn(tx, from, to),
        balances: await budgetAccountBalancesIn(tx),
        liveAtEnd: budgets.filter((b) => b.endDate === null || b.endDate >= to).map((b) => b.budgetId),
        invoices: await contributionInvoiceFactsIn(tx, from, to),
      },
      from,
      to,
      ascFr,
    );
    const settings = await fundingSettingsIn({ tx }, to);
    const streamNames = Object.fromEntries((settings?.settings.streams ?? []).map((s) => [s.id, s.name]));
    await audit(tx, {
      action: "view",
      recordType: "commissioner_report",
      recordId: "money",
      changes: period,
    });
    const settingNames = Object.fromEntries((ascFr?.settings ?? []).map((s) => [s.id, s.label]));
    return { ...report, streamNames, settingNames };
  });
}

const MONEY_COLUMNS: ReportColumn[] = [
  { key: "allocated_pence", label: "Allocated", kind: "pence" },
  { key: "planned_pence", label: "Planned", kind: "pence" },
  { key: "paid_pence", label: "Paid", kind: "pence" },
  { key: "spent_pence", label: "Spent", kind: "pence" },
];

function moneyTable(
  id: string,
  caption: string,
  what: string,
  rows: MoneyRow[],
  label: (key: string) => string,
): ReportTable {
  return {
    id,
    caption,
    columns: [{ key: id.replace("by-", ""), label: what, kind: "text" }, ...MONEY_COLUMNS],
    rows: rows.map((r) => [label(r.key), r.allocatedPence, r.plannedPence, r.paidPence, r.spentPence]),
    chart: { kind: "bars", series: ["planned_pence", "paid_pence", "spent_pence"], label: "£" },
  };
}

const NOTES = [
  "Allocated is the indicative weekly budget each agreed plan was costed against; planned is the agreed budget's lines. Both count each budget's weekly amount for the days it was in force in the period (weekly × days ÷ 7, to the penny), and planned adds the one-off costs of budgets that started in it.",
  "Planned is gross: before the person's contribution. Contributions are income, shown apart, never taken off spending.",
  "Paid is what payment runs paid in the period (a returned payment is not counted). Spent is posted spending dated in the period, less refunds.",
  'Not every figure is recorded at every level, and none is guessed: an allocation is one amount for the person (not split by stream, deployment, setting or category); payments record the funding stream and deployment but not the support category; spending records the deployment and category but not the stream. Those cells say "Not recorded".',
  'Setting is the Adult Social Care Finance Return (ASC-FR) setting, given to each budget line the same way as in the ASC-FR spend measure: a direct payment is Community: Direct Payments whatever it buys; otherwise the support category decides. So planned and spent have a setting. A payment records its deployment but not its support line, so only a direct payment has a setting; paid is "Not recorded" for the other settings and sits in the row "Setting not recorded", with spending that has no category and is not a direct payment. The settings in force on the period\'s last day are used; a council with no ASC-FR settings (outside England) has all its money in that row.',
  "Surplus held is the balance now in the accounts of budgets live at the end of the period, in weeks of their weekly budget net of contributions (what the council pays in a week), to one decimal place.",
];

export function moneyTables(report: MoneyReportWithLabels): CommissionerReport {
  const categories = supportCategoryLabels();
  const deployment = (key: string) => DEPLOYMENT_LABELS[key as Deployment] ?? "Not recorded";
  const t = report.totals;
  const c = report.contributions;
  return {
    id: "money",
    title: "Money",
    from: report.from,
    to: report.to,
    summary: [
      { label: "Allocated", value: t.allocatedPence, kind: "pence" },
      { label: "Planned", value: t.plannedPence, kind: "pence" },
      { label: "Paid", value: t.paidPence, kind: "pence" },
      { label: "Spent", value: t.spentPence, kind: "pence" },
      {
        label: "Surplus held across the council, weeks of budget",
        value: report.surplusAll.weeks,
        kind: "weeks",
      },
      { label: "Contributions assessed for the period", value: c.plannedWeeklyPence, kind: "pence" },
      {
        label: "Contributions paid (invoices paid and netted from payments)",
        value: c.invoicedPaidPence + c.nettedPence,
        kind: "pence",
      },
    ],
    notes: NOTES,
    tables: [
      moneyTable(
        "by-stream",
        "Money by funding stream",
        "Funding stream",
        report.byStream,
        (k) => report.streamNames[k] ?? k,
      ),
      moneyTable("by-deployment", "Money by deployment", "Deployment", report.byDeployment, deployment),
      moneyTable("by-setting", "Money by ASC-FR setting", "Setting", report.bySetting ?? [], (k) =>
        k === SETTING_NOT_RECORDED ? "Setting not recorded" : (report.settingNames?.[k] ?? k),
      ),
      moneyTable("by-category", "Money by support category", "Support category", report.byCategory, (k) =>
        k === "uncategorised" ? "Not categorised" : (categories[k] ?? k),
      ),
      {
        id: "surplus",
        caption: "Surplus held, in weeks of budget",
        columns: [
          { key: "deployment", label: "Deployment", kind: "text" },
          { key: "held_pence", label: "Held now", kind: "pence" },
          { key: "weekly_pence", label: "Weekly budget", kind: "pence" },
          { key: "weeks", label: "Weeks of budget", kind: "weeks" },
        ],
        rows: [
          ...report.surplus.map((s) => [deployment(s.deployment), s.heldPence, s.weeklyPence, s.weeks]),
          ["All", report.surplusAll.heldPence, report.surplusAll.weeklyPence, report.surplusAll.weeks],
        ],
      },
      {
        id: "contributions",
        caption: "Contributions due and paid",
        columns: [
          { key: "contributions", label: "Contributions", kind: "text" },
          { key: "due_pence", label: "Due", kind: "pence" },
          { key: "paid_pence", label: "Paid", kind: "pence" },
        ],
        rows: [
          ["Assessed for the period (from the budgets)", c.plannedWeeklyPence, null],
          ["Invoiced", c.invoicedDuePence, c.invoicedPaidPence],
          ["Netted from direct payments", c.nettedPence, c.nettedPence],
        ],
      },
    ],
  };
}
