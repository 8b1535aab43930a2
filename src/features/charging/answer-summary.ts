import {
  type FinancialAnswers,
  FREQUENCY_LABELS,
  type Frequency,
  type IncomeEntry,
  type SectionName,
  toWeeklyPence,
} from "#/features/charging/answers.ts";
import { CAPITAL_LABELS, HOUSING_LABELS, ROUTE_LABELS } from "#/features/charging/choice-labels.ts";
import { capitalise, pounds } from "#/features/charging/form-fields.ts";
import { formatDate } from "#/platform/web/views.ts";
import { type ChargingJurisdiction, INCOME_TYPE_LABELS, type IncomeType } from "#/rules/charging.ts";

/** The answers described for check answers and the lists: each row with what was said and where to change it. */

export const frequencyText = (f: Frequency) => FREQUENCY_LABELS[f].toLowerCase();

/** "£50.00 every 4 weeks (£12.50 a week)", or "£12.50 a week". */
export function paidText(amountPence: number, frequency: Frequency): string {
  if (frequency === "week") return `${pounds(amountPence)} a week`;
  return `${pounds(amountPence)} ${frequencyText(frequency)} (${pounds(toWeeklyPence(amountPence, frequency))} a week)`;
}

export const incomeLabel = (i: IncomeEntry) =>
  i.type === "other" ? (i.description ?? "Other income") : INCOME_TYPE_LABELS[i.type as IncomeType];

export type SummaryRow = { key: string; value: string; href: string };

export type SummarySection = { section: SectionName; title: string; href: string; rows: SummaryRow[] };

/** Where to change an answer: its page, coming back to check answers, at the field. */
type ChangeLink = (slug: string, field?: string) => string;

/** Each section's answers as summary-list rows, with where to change them. */
export function describeAnswers(
  answers: FinancialAnswers,
  base: string,
  opts: { jurisdiction: ChargingJurisdiction },
): SummarySection[] {
  const change: ChangeLink = (slug, field) => `${base}/${slug}?from=check${field ? `#${field}` : ""}`;
  const a = answers.about;
  const out: SummarySection[] = a ? [aboutSection(a, change)] : [];
  if (a?.route !== "full") return out;
  const c = answers.circumstances;
  if (c) out.push(circumstancesSection(c, change, opts.jurisdiction));
  out.push(...listSections(answers, change));
  if (answers.dre) out.push(dreSection(answers.dre, change));
  return out;
}

function aboutSection(a: NonNullable<FinancialAnswers["about"]>, change: ChangeLink): SummarySection {
  return {
    section: "about",
    title: "About this financial assessment",
    href: change("about"),
    rows: [
      {
        key: "Applies from",
        value: a.appliesTo
          ? `${formatDate(a.appliesFrom)} to ${formatDate(a.appliesTo)}`
          : `${formatDate(a.appliesFrom)}, until the rules next change`,
        href: change("about", "appliesFrom-day"),
      },
      {
        key: "Reached pension credit age",
        value: a.reachedPensionCreditAge ? "Yes" : "No",
        href: change("about", "reachedPensionCreditAge"),
      },
      { key: "How it is done", value: ROUTE_LABELS[a.route].text, href: change("about", "route") },
      ...(a.route === "capital_over_upper_limit"
        ? [
            {
              key: "Capital",
              value: pounds(a.lightTouchCapitalPence ?? 0),
              href: change("about", "lightTouchCapital"),
            },
          ]
        : []),
    ],
  };
}

function circumstancesSection(
  c: NonNullable<FinancialAnswers["circumstances"]>,
  change: ChangeLink,
  jurisdiction: ChargingJurisdiction,
): SummarySection {
  const premiums = [
    c.disabilityPremium && "disability premium",
    c.enhancedDisabilityPremium && "enhanced disability premium",
    c.carerPremium && "carer premium",
  ].filter(Boolean);
  return {
    section: "circumstances",
    title: "Circumstances",
    href: change("circumstances"),
    rows: [
      {
        key: "Member of a couple",
        value: c.couple
          ? `Yes; the partner has ${c.partnerReachedPensionCreditAge ? "" : "not "}reached pension credit age`
          : "No",
        href: change("circumstances", "couple"),
      },
      {
        key: "Children they live with",
        value: String(c.children),
        href: change("circumstances", "children"),
      },
      {
        key: "Premiums",
        value: premiums.length ? capitalise(premiums.join(", ")) : "None",
        href: change("circumstances", "premiums"),
      },
      ...(jurisdiction === "wales"
        ? [
            {
              key: "Minimum income amount",
              value: `${pounds(c.minimumIncomeAmountWeeklyPence ?? 0)} a week`,
              href: change("circumstances", "minimumIncomeAmount"),
            },
          ]
        : []),
    ],
  };
}

/** The "add another" lists that have been answered: incomes, capital, housing costs. */
function listSections(answers: FinancialAnswers, change: ChangeLink): SummarySection[] {
  const out: SummarySection[] = [];
  const list = <T>(
    section: SectionName,
    slug: string,
    title: string,
    items: T[] | undefined,
    row: (i: T) => [string, string],
    none: string,
  ) => {
    if (items === undefined) return;
    out.push({
      section,
      title,
      href: change(slug),
      rows: items.length
        ? items.map((item) => {
            const [key, value] = row(item);
            return { key, value, href: change(slug) };
          })
        : [{ key: title, value: none, href: change(slug) }],
    });
  };
  list(
    "incomes",
    "incomes",
    "Income",
    answers.incomes,
    (i) => [incomeLabel(i), paidText(i.amountPence, i.frequency)],
    "None",
  );
  list(
    "capital",
    "capital",
    "Savings, investments and property",
    answers.capital,
    (i) => [
      i.description ? `${CAPITAL_LABELS[i.kind].text}: ${i.description}` : CAPITAL_LABELS[i.kind].text,
      `${pounds(i.valuePence)}${i.disregardReason ? ` (disregarded: ${i.disregardReason})` : ""}`,
    ],
    "None",
  );
  list(
    "housingCosts",
    "housing-costs",
    "Housing costs",
    answers.housingCosts,
    (h) => [HOUSING_LABELS[h.kind], paidText(h.amountPence, h.frequency)],
    "None",
  );
  return out;
}

function dreSection(dre: NonNullable<FinancialAnswers["dre"]>, change: ChangeLink): SummarySection {
  return {
    section: "dre",
    title: "Disability-related expenditure",
    href: change("disability-related-expenditure"),
    rows:
      dre.kind === "itemised"
        ? dre.items.length
          ? dre.items.map((item) => ({
              key: item.description,
              value: paidText(item.amountPence, item.frequency),
              href: change("disability-related-expenditure/items"),
            }))
          : [
              {
                key: "Expenses",
                value: "None listed",
                href: change("disability-related-expenditure/items"),
              },
            ]
        : [
            {
              key: "How it is assessed",
              value: dre.kind === "standard" ? "The council's standard allowance" : "None",
              href: change("disability-related-expenditure"),
            },
          ],
  };
}
