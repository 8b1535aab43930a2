import { settingOfDeployment, settingOfLine } from "#/features/reports/asc-fr.calc.ts";
import { daysBetween } from "#/platform/dates/calendar.ts";
import { roundedDivide } from "#/platform/money/pence.ts";
import type { AscFrRules, AscFrSettingId } from "#/rules/registry.ts";

/**
 * The commissioner's money report: for a period, what was allocated (the indicative budgets behind the plans),
 * planned (the agreed budgets' lines), paid (payment runs) and spent (posted spending), by funding stream,
 * deployment, Adult Social Care Finance Return (ASC-FR) setting and support category; the surplus held across the council in weeks of budget; contributions due and
 * paid. Pure: facts in, whole pence out.
 *
 * - Allocated and planned are weekly amounts counted for the days each budget was in force in the period
 *   (weekly × days ÷ 7, rounded to the penny per budget line), plus one-off costs of budgets starting in it.
 * - Planned is gross: before the person's contribution, which is shown as income (contributions), never netted.
 * - Paid is what payment runs paid out in the period (regular and one-off parts; a contribution netted from a
 *   direct payment counts as a contribution paid, not as a payment).
 * - Spent is posted spending dated in the period, less refunds.
 * - Each is recorded at some levels only: an allocation is one amount per assessment (not split by stream,
 *   deployment or category); payments carry stream and deployment but not category; spending carries deployment
 *   and category but not stream. A figure not recorded at a level is null, never guessed.
 * - Setting: each budget line's ASC-FR setting is the one the ASC-FR measure gives it (asc-fr.calc.ts
 *   settingOfLine, from rulesFor(…).ascFr): so planned is recorded by setting. Spending records its deployment and
 *   category, so it has a setting too, except uncategorised spending whose deployment does not decide one.
 *   A payment records only its deployment, so it has a setting only when the deployment alone decides it (a
 *   direct payment); a setting row's paid figure is recorded only when every line in it got there by deployment.
 *   Money whose setting is not recorded, and everything when the council has no ASC-FR settings, is in its own
 *   row (SETTING_NOT_RECORDED), so each column still adds up to its total.
 */

/** The by-setting row for money whose ASC-FR setting is not recorded. */
export const SETTING_NOT_RECORDED = "not_recorded";

export type MoneyBudget = {
  budgetId: string;
  startDate: string;
  endDate: string | null;
  /** The weekly indicative allocation behind the budget's plan, when there is one. */
  allocationWeeklyPence: number | null;
  lines: readonly {
    streamId: string;
    deployment: string;
    category: string;
    weeklyPence: number;
    contributionWeeklyPence: number;
    oneOffPence: number;
  }[];
};

export type MoneyFacts = {
  budgets: readonly MoneyBudget[];
  payments: readonly {
    parts: readonly { kind: string; fundingStreamId?: string; deployment?: string; amount: number }[];
  }[];
  spends: readonly { deployment: string; category: string | null; amountPence: number }[];
  /** Each budget account's balance now (money held, by deployment). */
  balances: readonly { budgetId: string; deployment: string | null; balancePence: number }[];
  /** Budgets live at the end of the period, by id: their balances count towards the surplus. */
  liveAtEnd: readonly string[];
  invoices: readonly { amountPence: number; paidOn: string | null }[];
};

export type MoneyRow = {
  key: string;
  allocatedPence: number | null;
  plannedPence: number;
  paidPence: number | null;
  spentPence: number | null;
};

export type MoneyReport = {
  from: string;
  to: string;
  totals: MoneyRow;
  byStream: MoneyRow[];
  byDeployment: MoneyRow[];
  /** In the return's order of settings, then SETTING_NOT_RECORDED; only settings with a line, payment or spend. */
  bySetting: MoneyRow[];
  byCategory: MoneyRow[];
  surplus: { deployment: string; heldPence: number; weeklyPence: number; weeks: number | null }[];
  surplusAll: { heldPence: number; weeklyPence: number; weeks: number | null };
  contributions: {
    invoicedDuePence: number;
    invoicedPaidPence: number;
    nettedPence: number;
    plannedWeeklyPence: number;
  };
};

/** Days of [start, end] that fall in [from, to] (0 when none). */
export function overlapDays(start: string, end: string | null, from: string, to: string): number {
  const first = start > from ? start : from;
  const last = end === null || end > to ? to : end;
  return last < first ? 0 : daysBetween(first, last) + 1;
}

/** Weekly pence for `days` days, to the nearest penny. */
export const forDays = (weeklyPence: number, days: number): number => roundedDivide(weeklyPence * days, 7);

/** Surplus in weeks of budget, to one decimal place; null when there is no weekly budget to divide by. */
export const weeksOf = (heldPence: number, weeklyPence: number): number | null =>
  weeklyPence > 0 ? Math.round((heldPence / weeklyPence) * 10) / 10 : null;

class Groups {
  readonly rows = new Map<string, MoneyRow>();
  private readonly records: { allocated: boolean; paid: boolean; spent: boolean };
  constructor(records: { allocated: boolean; paid: boolean; spent: boolean }) {
    this.records = records;
  }
  row(key: string): MoneyRow {
    let row = this.rows.get(key);
    if (!row) {
      row = {
        key,
        allocatedPence: this.records.allocated ? 0 : null,
        plannedPence: 0,
        paidPence: this.records.paid ? 0 : null,
        spentPence: this.records.spent ? 0 : null,
      };
      this.rows.set(key, row);
    }
    return row;
  }
  add(key: string, field: "allocatedPence" | "plannedPence" | "paidPence" | "spentPence", amount: number) {
    const row = this.row(key);
    row[field] = (row[field] ?? 0) + amount;
  }
  sorted(): MoneyRow[] {
    return [...this.rows.values()].sort((a, b) => a.key.localeCompare(b.key));
  }
}

/**
 * `ascFr`: the council's ASC-FR settings (rulesFor(…).ascFr), undefined when it has none (outside England, or
 * before 2014): then no money has a setting.
 */
export function moneyReport(facts: MoneyFacts, from: string, to: string, ascFr?: AscFrRules): MoneyReport {
  const setting = settingsOf(ascFr);
  const bySetting = new Groups({ allocated: false, paid: true, spent: true });
  const totals = new Groups({ allocated: true, paid: true, spent: true });
  const byStream = new Groups({ allocated: false, paid: true, spent: false });
  const byDeployment = new Groups({ allocated: false, paid: true, spent: true });
  const byCategory = new Groups({ allocated: false, paid: false, spent: true });
  let plannedWeeklyContribution = 0;
  for (const b of facts.budgets) {
    const days = overlapDays(b.startDate, b.endDate, from, to);
    const startsIn = b.startDate >= from && b.startDate <= to;
    if (b.allocationWeeklyPence !== null)
      totals.add("all", "allocatedPence", forDays(b.allocationWeeklyPence, days));
    for (const line of b.lines) {
      const planned = forDays(line.weeklyPence, days) + (startsIn ? line.oneOffPence : 0);
      totals.add("all", "plannedPence", planned);
      byStream.add(line.streamId, "plannedPence", planned);
      byDeployment.add(line.deployment, "plannedPence", planned);
      byCategory.add(line.category, "plannedPence", planned);
      bySetting.add(setting.ofLine(line.deployment, line.category), "plannedPence", planned);
      plannedWeeklyContribution += forDays(line.contributionWeeklyPence, days);
    }
  }
  let netted = 0;
  for (const p of facts.payments) {
    for (const part of p.parts) {
      if (part.kind === "contribution_netted") {
        netted += -part.amount;
        continue;
      }
      totals.add("all", "paidPence", part.amount);
      byStream.add(part.fundingStreamId ?? "unknown", "paidPence", part.amount);
      byDeployment.add(part.deployment ?? "unknown", "paidPence", part.amount);
      bySetting.add(setting.ofPayment(part.deployment), "paidPence", part.amount);
    }
  }
  for (const s of facts.spends) {
    totals.add("all", "spentPence", s.amountPence);
    byDeployment.add(s.deployment, "spentPence", s.amountPence);
    byCategory.add(s.category ?? "uncategorised", "spentPence", s.amountPence);
    bySetting.add(setting.ofLine(s.deployment, s.category), "spentPence", s.amountPence);
  }
  return {
    from,
    to,
    totals: totals.row("all"),
    byStream: byStream.sorted(),
    byDeployment: byDeployment.sorted(),
    bySetting: setting.rows(bySetting),
    byCategory: byCategory.sorted(),
    ...surplusOf(facts),
    contributions: {
      invoicedDuePence: facts.invoices.reduce((s, i) => s + i.amountPence, 0),
      invoicedPaidPence: facts.invoices.reduce((s, i) => s + (i.paidOn === null ? 0 : i.amountPence), 0),
      nettedPence: netted,
      plannedWeeklyPence: plannedWeeklyContribution,
    },
  };
}

/** Where money lands by ASC-FR setting, by the ASC-FR measure's own mapping (asc-fr.calc.ts). */
function settingsOf(rules: AscFrRules | undefined) {
  // A setting's paid figure is recorded when payments can reach it: only by deployment, never by category.
  const byCategory = new Set<string>(rules ? [...Object.values(rules.byCategory), rules.fallback] : []);
  const paidRecorded = (key: string) =>
    rules !== undefined &&
    !byCategory.has(key) &&
    Object.keys(rules.byDeployment).some((d) => settingOfDeployment(d, rules) === key);
  const order = (key: string) => {
    const i = rules?.settings.findIndex((s) => s.id === key) ?? -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return {
    ofLine(deployment: string, category: string | null): AscFrSettingId | typeof SETTING_NOT_RECORDED {
      if (!rules) return SETTING_NOT_RECORDED;
      if (category === null) return settingOfDeployment(deployment, rules) ?? SETTING_NOT_RECORDED;
      return settingOfLine({ deployment, category }, rules).setting;
    },
    ofPayment(deployment: string | undefined): AscFrSettingId | typeof SETTING_NOT_RECORDED {
      if (!rules || deployment === undefined) return SETTING_NOT_RECORDED;
      return settingOfDeployment(deployment, rules) ?? SETTING_NOT_RECORDED;
    },
    rows(groups: Groups): MoneyRow[] {
      return [...groups.rows.values()]
        .map((r) => (r.key === SETTING_NOT_RECORDED || paidRecorded(r.key) ? r : { ...r, paidPence: null }))
        .sort((a, b) => order(a.key) - order(b.key));
    },
  };
}

/**
 * Surplus held: the balances of the budgets live at the end of the period, against their weekly budgets (net of
 * the contribution, which is what the council pays in a week), by deployment and across the council.
 */
function surplusOf(facts: MoneyFacts): Pick<MoneyReport, "surplus" | "surplusAll"> {
  const live = new Set(facts.liveAtEnd);
  const byDeployment = new Map<string, { heldPence: number; weeklyPence: number }>();
  const entry = (d: string) => {
    let e = byDeployment.get(d);
    if (!e) {
      e = { heldPence: 0, weeklyPence: 0 };
      byDeployment.set(d, e);
    }
    return e;
  };
  for (const b of facts.budgets) {
    if (!live.has(b.budgetId)) continue;
    for (const line of b.lines)
      entry(line.deployment).weeklyPence += line.weeklyPence - line.contributionWeeklyPence;
  }
  for (const a of facts.balances) {
    if (live.has(a.budgetId)) entry(a.deployment ?? "unknown").heldPence += a.balancePence;
  }
  const surplus = [...byDeployment]
    .map(([deployment, e]) => ({ deployment, ...e, weeks: weeksOf(e.heldPence, e.weeklyPence) }))
    .sort((a, b) => a.deployment.localeCompare(b.deployment));
  const heldPence = surplus.reduce((s, e) => s + e.heldPence, 0);
  const weeklyPence = surplus.reduce((s, e) => s + e.weeklyPence, 0);
  return { surplus, surplusAll: { heldPence, weeklyPence, weeks: weeksOf(heldPence, weeklyPence) } };
}
