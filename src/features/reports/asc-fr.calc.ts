import { daysInclusive, type FinancialYear } from "#/features/funding/settings.calc.ts";
import { roundedPercent } from "#/features/reports/ascof-common.calc.ts";
import { type Pence, pence } from "#/platform/money/pence.ts";
import type { AscFrRules, AscFrSetting, AscFrSettingId } from "#/rules/registry.ts";

/**
 * Spend by Adult Social Care Finance Return (ASC-FR) setting for a financial year, from personal budget lines
 * (REPORTING.md §2, §6.8; the settings and the mapping are rule data, rulesFor(…).ascFr). Pure, integer pence.
 *
 * What "spend" is here: each budget line's gross cost for the days it ran in the year (its weekly amount × days
 * ÷ 7, rounded half up to the penny, plus its one-off cost in the year the budget starts). Not the payments made:
 * a payment carries its budget, stream and deployment but not its support line (so no category, so no
 * setting), and a direct payment is paid net of the person's contribution; the return wants gross expenditure on
 * an accruals basis with contributions as income. Payments made are read beside it (reports/measures.ts) as a
 * cross-check, by deployment.
 *
 * Client contributions are income, never netted: the gross figure is the whole line; the contribution taken off
 * it is a separate column. Third-party top-ups are not budget lines, so they never enter spend; measures.ts shows
 * what was excluded.
 */

/** One personal budget line with its budget's dates (budgets' read for reports). */
export type SpendLine = {
  readonly budgetId: string;
  readonly personId: string;
  readonly lineNo: number;
  readonly category: string;
  readonly deployment: string;
  /** The funding stream that pays for the line. */
  readonly streamId: string;
  readonly startDate: string;
  /** Null while the budget runs on. */
  readonly endDate: string | null;
  readonly weeklyPence: number;
  readonly oneOffPence: number;
  readonly contributionWeeklyPence: number;
};

/** A line's setting, and its money in the year. */
export type LineInYear = {
  readonly budgetId: string;
  readonly personId: string;
  readonly lineNo: number;
  readonly category: string;
  readonly deployment: string;
  readonly streamId: string;
  readonly setting: AscFrSettingId;
  /** False when the line's category is not in the mapping and it took the fallback setting. */
  readonly mapped: boolean;
  readonly personalised: boolean;
  readonly grossPence: Pence;
  readonly contributionPence: Pence;
};

export type SettingSpend = AscFrSetting & {
  readonly grossPence: Pence;
  readonly contributionIncomePence: Pence;
  readonly lines: number;
  readonly people: number;
};

export type YearSpend = {
  readonly year: FinancialYear;
  readonly rulesId: string;
  /** Every setting row in the return's order, zero rows included. */
  readonly settings: readonly SettingSpend[];
  readonly grossPence: Pence;
  readonly contributionIncomePence: Pence;
  readonly personalisedPence: Pence;
  readonly nonPersonalisedPence: Pence;
  /** Personalised as a percentage of gross, one decimal place; null when nothing was spent. */
  readonly personalisedPercent: number | null;
  readonly managedPersonalBudgetsCounted: boolean;
  /** Lines with money in the year (lines with none are left out). */
  readonly lines: readonly LineInYear[];
};

/**
 * The setting a deployment alone decides, whatever the line buys (a direct payment is "Community: Direct
 * Payments"); undefined when the category decides. Money that records its deployment but not its support line (a
 * payment) can be given a setting only through this.
 */
export function settingOfDeployment(deployment: string, rules: AscFrRules): AscFrSettingId | undefined {
  return rules.byDeployment[deployment];
}

/** The setting a budget line carries: by deployment first (a direct payment), then by category, else the fallback. */
export function settingOfLine(
  line: Pick<SpendLine, "category" | "deployment">,
  rules: AscFrRules,
): { setting: AscFrSettingId; mapped: boolean } {
  const byDeployment = settingOfDeployment(line.deployment, rules);
  if (byDeployment) return { setting: byDeployment, mapped: true };
  const byCategory = rules.byCategory[line.category];
  if (byCategory) return { setting: byCategory, mapped: true };
  return { setting: rules.fallback, mapped: false };
}

export function isPersonalised(setting: AscFrSettingId, deployment: string, rules: AscFrRules): boolean {
  if (rules.settings.find((s) => s.id === setting)?.personalised) return true;
  const { includeManagedPersonalBudgets, managedPersonalBudgetDeployments } = rules.personalised;
  return includeManagedPersonalBudgets && managedPersonalBudgetDeployments.includes(deployment);
}

/** A line's gross cost and the contribution taken off it, for the days it ran in the year. */
export function lineInYear(
  line: SpendLine,
  year: FinancialYear,
): { grossPence: Pence; contributionPence: Pence } {
  const from = later(line.startDate, year.start);
  const to = line.endDate === null || line.endDate > year.end ? year.end : line.endDate;
  const days = to < from ? 0 : daysInclusive(from, to);
  const ranAtAll = line.endDate === null || line.endDate >= line.startDate;
  const oneOff =
    ranAtAll && line.startDate >= year.start && line.startDate <= year.end ? line.oneOffPence : 0;
  return {
    grossPence: pence(proRata(line.weeklyPence, days) + oneOff),
    contributionPence: pence(proRata(line.contributionWeeklyPence, days)),
  };
}

// YYYY-MM-DD strings compare in date order.
const later = (a: string, b: string) => (a > b ? a : b);

/** weekly × days ÷ 7, rounded half up, in integers. */
function proRata(weeklyPence: number, days: number): number {
  return Math.floor((2 * weeklyPence * days + 7) / 14);
}

/** Spend by setting for one financial year. */
export function spendBySetting(
  lines: readonly SpendLine[],
  year: FinancialYear,
  rules: AscFrRules,
): YearSpend {
  const inYear: LineInYear[] = [];
  for (const line of lines) {
    const money = lineInYear(line, year);
    if (money.grossPence === 0 && money.contributionPence === 0) continue;
    const { setting, mapped } = settingOfLine(line, rules);
    inYear.push({
      budgetId: line.budgetId,
      personId: line.personId,
      lineNo: line.lineNo,
      category: line.category,
      deployment: line.deployment,
      streamId: line.streamId,
      setting,
      mapped,
      personalised: isPersonalised(setting, line.deployment, rules),
      ...money,
    });
  }
  const settings = rules.settings.map((s) => settingSpend(s, inYear));
  const sum = (list: readonly LineInYear[], key: "grossPence" | "contributionPence") =>
    pence(list.reduce((total, l) => total + l[key], 0));
  const grossPence = sum(inYear, "grossPence");
  const personalisedPence = sum(
    inYear.filter((l) => l.personalised),
    "grossPence",
  );
  return {
    year,
    rulesId: rules.id,
    settings,
    grossPence,
    contributionIncomePence: sum(inYear, "contributionPence"),
    personalisedPence,
    nonPersonalisedPence: pence(grossPence - personalisedPence),
    personalisedPercent: roundedPercent(personalisedPence, grossPence, 1),
    managedPersonalBudgetsCounted: rules.personalised.includeManagedPersonalBudgets,
    lines: inYear,
  };
}

function settingSpend(setting: AscFrSetting, lines: readonly LineInYear[]): SettingSpend {
  const mine = lines.filter((l) => l.setting === setting.id);
  return {
    ...setting,
    grossPence: pence(mine.reduce((total, l) => total + l.grossPence, 0)),
    contributionIncomePence: pence(mine.reduce((total, l) => total + l.contributionPence, 0)),
    lines: mine.length,
    people: new Set(mine.map((l) => l.personId)).size,
  };
}
