import type { FinancialYear } from "#/features/funding/settings.calc.ts";
import type { AscofFigure } from "#/features/reports/ascof.calc.ts";
import type { AscofSummary } from "#/features/reports/ascof-counts.calc.ts";
import type { ColumnKind, ReportCell, ReportTable } from "#/features/reports/commissioner-report.ts";
import type { PersonalisedYear, SpendMeasures } from "#/features/reports/measures.ts";
import { DEPLOYMENT_LABELS } from "#/vocabulary/deployments.ts";

/**
 * The measures page as data (issue 15, "Measures from the same events"): ASCOF 3D and 2E from the CLD rows the
 * return sends, spend by ASC-FR setting, and personalised spend by year, laid out as the commissioner's reports
 * are (headline figures, notes, tables with charts), so the page, the CSV and XLSX downloads and the API hold
 * the same figures. Pure: the figures in, the report out. Money is whole pence.
 */

export type MeasuresReport = {
  id: "measures";
  title: string;
  /** The financial year, by the calendar year it starts in. */
  year: number;
  from: string;
  to: string;
  summary: { label: string; value: ReportCell; kind: ColumnKind }[];
  notes: string[];
  tables: ReportTable[];
};

/** What each published figure means, in a line (DHSC's definitions, REPORTING.md §1.14, §6.5–6.6). */
export const MEASURE_MEANINGS: Record<AscofFigure["measure"], string> = {
  "3D1a":
    "People in long-term support in the community who direct it themselves: a direct payment or a managed personal budget",
  "3D2a": "People in long-term support in the community who have it as a direct payment",
  "3D1b": "Carers supported in the year who direct their support themselves",
  "3D2b": "Carers supported in the year who have a direct payment",
  "2E": "People in long-term support who live in their own home or with their family",
  "2E LD":
    "People aged 18 to 64 with a learning disability in long-term support who live in their own home or with their family",
};

const GROUP_LABELS: Record<AscofFigure["group"], string> = {
  total: "All ages",
  "18 to 64": "Aged 18 to 64",
  "65 and above": "Aged 65 and over",
};

const MEASURE_ORDER = Object.keys(MEASURE_MEANINGS);

/** Each measure's groups together, measures in the order DHSC publishes them (the sort is stable). */
export const byMeasure = <F extends Pick<AscofFigure, "measure">>(figures: readonly F[]): F[] =>
  [...figures].sort((a, b) => MEASURE_ORDER.indexOf(a.measure) - MEASURE_ORDER.indexOf(b.measure));

function ascofTable(ascof: AscofSummary): ReportTable {
  return {
    id: "ascof",
    caption: "ASCOF measures from the Client Level Data rows",
    columns: [
      { key: "measure", label: "Measure", kind: "text" },
      { key: "group", label: "Age group", kind: "text" },
      { key: "numerator", label: "Counted in the measure", kind: "count" },
      { key: "denominator", label: "Out of", kind: "count" },
      { key: "percent", label: "Percentage", kind: "percent" },
      { key: "meaning", label: "What it measures", kind: "text" },
    ],
    rows: byMeasure(ascof.figures).map((f) => [
      f.measure,
      GROUP_LABELS[f.group],
      f.numerator,
      f.denominator,
      f.percent,
      MEASURE_MEANINGS[f.measure],
    ]),
  };
}

function settingsTable(spend: SpendMeasures): ReportTable {
  return {
    id: "settings",
    caption: "Spend by ASC-FR setting: gross, with client contributions as income beside it",
    columns: [
      { key: "setting", label: "Setting", kind: "text" },
      { key: "section", label: "Part of the return", kind: "text" },
      { key: "gross_pence", label: "Gross spend", kind: "pence" },
      { key: "contribution_income_pence", label: "Client contributions (income)", kind: "pence" },
      { key: "people", label: "People", kind: "count" },
      { key: "personalised", label: "Personalised", kind: "text" },
    ],
    rows: spend.spend.settings.map((s) => [
      s.label,
      s.section,
      s.grossPence,
      s.contributionIncomePence,
      s.people,
      s.personalised ? "Yes" : "No",
    ]),
    chart: { kind: "bars", series: ["gross_pence", "contribution_income_pence"], label: "Pounds" },
  };
}

function paidTable(spend: SpendMeasures): ReportTable {
  return {
    id: "paid",
    caption: "Payments made in the year by how the budget is used",
    columns: [
      { key: "deployment", label: "How the budget is used", kind: "text" },
      { key: "payments", label: "Payments", kind: "count" },
      { key: "net_pence", label: "Paid", kind: "pence" },
      { key: "contribution_netted_pence", label: "Contribution taken off", kind: "pence" },
    ],
    rows: spend.paidByDeployment.map((p) => [
      DEPLOYMENT_LABELS[p.deployment],
      p.payments,
      p.netPence,
      p.contributionNettedPence,
    ]),
  };
}

function personalisedTable(years: readonly PersonalisedYear[]): ReportTable {
  return {
    id: "personalised",
    caption: "Personalised and non-personalised gross spend by year",
    columns: [
      { key: "year", label: "Financial year", kind: "text" },
      { key: "personalised_pence", label: "Personalised", kind: "pence" },
      { key: "non_personalised_pence", label: "Not personalised", kind: "pence" },
      { key: "gross_pence", label: "Gross spend", kind: "pence" },
      { key: "personalised_percent", label: "Personalised share", kind: "percent" },
    ],
    rows: years.map((y) => [
      y.year.label,
      y.personalisedPence,
      y.nonPersonalisedPence,
      y.grossPence,
      y.personalisedPercent,
    ]),
    chart: { kind: "lines", series: ["personalised_pence", "non_personalised_pence"], label: "Pounds" },
  };
}

function summaryOf(ascof: AscofSummary, spend: SpendMeasures): MeasuresReport["summary"] {
  const totals = ascof.figures
    .filter((f) => f.group === "total")
    .map((f) => ({
      label: `${f.measure}: ${MEASURE_MEANINGS[f.measure]}`,
      value: f.percent,
      kind: "percent" as const,
    }));
  const topUps = spend.topUpsExcluded;
  return [
    ...totals,
    { label: "Gross spend in the year", value: spend.spend.grossPence, kind: "pence" },
    {
      label: "Client contributions (income, shown beside spend, not taken off it)",
      value: spend.spend.contributionIncomePence,
      kind: "pence",
    },
    { label: "Personalised share of gross spend", value: spend.spend.personalisedPercent, kind: "percent" },
    {
      label: `Third-party top-ups received (excluded from spend): ${topUps.count} from ${topUps.people} ${topUps.people === 1 ? "person" : "people"}`,
      value: topUps.pence,
      kind: "pence",
    },
  ];
}

function notesOf(ascof: AscofSummary, spend: SpendMeasures): string[] {
  const notes = [
    "ASCOF figures are worked out from the same Client Level Data rows as the council's return for this year, by DHSC's method from 2024 to 2025 (rules " +
      `${ascof.rulesId}). 3D counts people in long-term support on the last day of the year, in their highest setting; carers count if supported at any time in the year.`,
    'A percentage is the people counted in the measure out of everyone in it, rounded to one decimal place. When nobody is in a measure it has no percentage: the page says "No one counted" and the downloads leave it empty.',
    `Spend is the gross cost of every personal budget line for the days it ran in the year, in its ASC-FR setting (rules ${spend.spend.rulesId}). Client contributions are income shown beside spend, never taken off it.`,
    "Top-ups paid by someone else (a family member or charity) are not council spend, so they are left out and shown separately.",
  ];
  const unknown = ascof.clientsWithUnknownMechanism + ascof.carersWithUnknownMechanism;
  if (unknown > 0) {
    notes.push(
      `${unknown} ${unknown === 1 ? "person has" : "people have"} no valid delivery mechanism recorded, so they are counted as not directing their support.`,
    );
  }
  if (ascof.rowsWithoutPerson > 0) {
    notes.push(`${ascof.rowsWithoutPerson} rows have no person identifier and are not counted.`);
  }
  const unmapped = spend.spend.lines.filter((l) => !l.mapped).length;
  if (unmapped > 0) {
    notes.push(
      `${unmapped} budget ${unmapped === 1 ? "line has" : "lines have"} a support category the ASC-FR mapping does not name, so ${unmapped === 1 ? "it is" : "they are"} in the fallback setting.`,
    );
  }
  return notes;
}

/** The page's report for one financial year. */
export function measuresReport(input: {
  year: FinancialYear;
  ascof: AscofSummary;
  spend: SpendMeasures;
  byYear: readonly PersonalisedYear[];
}): MeasuresReport {
  const { year, ascof, spend, byYear } = input;
  return {
    id: "measures",
    title: `Measures for ${year.label}`,
    year: Number(year.start.slice(0, 4)),
    from: year.start,
    to: year.end,
    summary: summaryOf(ascof, spend),
    notes: notesOf(ascof, spend),
    tables: [ascofTable(ascof), settingsTable(spend), paidTable(spend), personalisedTable(byYear)],
  };
}
