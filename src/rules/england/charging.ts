import type {
  ChargingFigure,
  ChargingRules,
  ChargingSource,
  IncomeTreatment,
  IncomeType,
  MigComponent,
} from "#/rules/charging-types.ts";

/**
 * England: charging for care and support outside a care home, under the Care and Support (Charging and
 * Assessment of Resources) Regulations 2014, one pack per financial year.
 *
 * What was read, and what was not (research done in this repository's session, from stored public copies):
 * - The 2024-25 circular (gov.uk, 9 February 2024): its summary and the Annex's capital-limits section, up to
 *   the tariff sentence. The copy ended before the MIG, PEA and savings credit tables.
 * - The 2025-26 circular (3 February 2025) and the 2026-27 circular: only their titles and announcements
 *   (govwire; a news report of a 7% rise in the working-age MIG from April 2026). Not their tables.
 * - The regulations: reg 7 (as made, and the revised text showing the 2015-2022 amounts), reg 14 in full,
 *   Schedule 1 paras 1-3 in full, para 4 in part, para 8's opening words, and the headings of regs 10-13 and
 *   25. The amending regulations for 2023 (SI 2023/277) in part; those for 2024, 2025 and 2026 not at all.
 * - For 2025-26 and 2026-27 (research of 7 December 2026): councils' published charging pages, an advice charity's
 *   rates table, a DHSC written answer, news copies of DHSC's February 2026 announcement and published calculators'
 *   source code. A figure two or more of them agree on is `secondary` and used; a figure only one gives is recorded
 *   `unconfirmed` (offered on the uprating page for the council to confirm); a figure none gives is `unsupported`.
 * So the 2024-25 MIG amounts stay unsupported (the demo and a council supply them); 2025-26 and 2026-27 work for
 * the single person's amounts found, and refuse, naming the figure, what needs one not found.
 */

// ---- sources -----------------------------------------------------------------------------------------------

const REGS_URL = "https://www.legislation.gov.uk/uksi/2014/2672";
const REGS = "Care and Support (Charging and Assessment of Resources) Regulations 2014 (SI 2014/2672)";

const regs = (provision: string, path: string, note?: string): ChargingSource => ({
  title: REGS,
  provision,
  url: `${REGS_URL}/${path}`,
  basis: "official",
  ...(note ? { note } : {}),
});

const CIRCULAR_2024_25: ChargingSource = {
  title:
    "Social care – charging for care and support: local authority circular, 2024 to 2025 (DHSC, 9 February 2024)",
  provision: "Summary; Annex, 'Capital limits'",
  url: "https://www.gov.uk/government/publications/social-care-charging-for-local-authorities-2024-to-2025/social-care-charging-for-care-and-support-local-authority-circular",
  basis: "official",
  note:
    "Read: the summary (capital limits remain at £14,250 and £23,250; MIG, PEA and Savings Credit disregards rise " +
    "with inflation) and the Annex up to 'calculated as £1 per week for every £25…'. The copy ended there, before " +
    "the MIG table.",
};

const CIRCULAR_2025_26_NOTICE: ChargingSource = {
  title:
    "Social care charging for local authorities: 2025 to 2026 (DHSC local authority circular, 3 February 2025)",
  url: "https://www.gov.uk/government/publications/social-care-charging-for-local-authorities-2025-to-2026/social-care-charging-for-care-and-support-2025-to-2026-local-authority-circular",
  basis: "secondary",
  note:
    "Only the announcement was read (govwire.co.uk copy: it covers capital limits, PEA, MIG and Savings Credit). " +
    "The circular's text and tables were not reachable.",
};

const RUILS_2025_26: ChargingSource = {
  title: "2025/2026 Benefit and Minimum Income Guarantee rates (Bright Futures @Ruils, 19 May 2025)",
  url: "https://ruils.co.uk/article/2025-2026-benefit-and-minimum-income-guarantee-rates",
  basis: "secondary",
  note:
    "An adviser's rates table labelled 2025-2026, citing the circular: 'Basic rate for single person under 25 | " +
    "£89.15', 'over 25 | £112.50', 'Disability Premium | £49.65', 'Enhanced Disability Premium | £24.25', " +
    "'Personal Expenses Allowance | £30.65'.",
};

const GLOUCESTERSHIRE_2025_26: ChargingSource = {
  title: "Gloucestershire County Council, Fairer Contributions Policy, Appendix 2: capital limits 2025/2026",
  url: "https://www.gloucestershire.gov.uk/health-and-social-care/adult-social-care/social-care-policies-and-procedures/fairer-contributions-policy-non-residential-carepersonal-budgets/adult-social-care-fairer-contributions-policy/appendix-2-capital-income-and-tariff-income",
  basis: "secondary",
};

// 2025-26 and 2026-27: published secondary sources (the circulars' text could not be read).

const CIRCULAR_2026_27_URL =
  "https://www.gov.uk/government/publications/social-care-charging-for-local-authorities-2026-to-2027/social-care-charging-for-care-and-support-2026-to-2027-local-authority-circular";

const WIRRAL_MIG_CONSULTATION: ChargingSource = {
  title:
    "Wirral Council, Minimum Income Guarantee consultation (autumn 2025), 'National weekly MIG Rate' column",
  url: "https://haveyoursay.wirral.gov.uk/mig-consultation?tool=survey_tool",
  basis: "secondary",
  note:
    "The national rates in force during the consultation (open until 11 November 2025), beside Wirral's own higher " +
    "ones: 'Single, aged 18 - 64 … 112.50', 'Single over pensionable age … 232.60', with disability premium 162.15 " +
    "and with enhanced disability premium 186.40 (so the premiums are £49.65 and £24.25 by subtraction); couples " +
    "88.35 each (18 to pension age) and 177.55 (over pension age), with premiums 123.75 and 141.20.",
};

const WRITTEN_ANSWER_PEA_2025_26: ChargingSource = {
  title: "Written answer, Department of Health and Social Care: 'Care Homes: Allowances' (PQ 38104, 2025)",
  url: "https://www.parallelparliament.co.uk/question/38104/care-homes-allowances",
  basis: "official",
  note: "A ministerial answer, read in a verbatim copy: the personal expenses allowance rises, 'for 2025/2026, to £30.65 per week'.",
};

const DHSC_FEBRUARY_2026_BRITBRIEF: ChargingSource = {
  title:
    "'£400 annual cash boost for social care recipients announced' (BritBrief, February 2026), reporting DHSC",
  url: "https://britbrief.co.uk/health/nhs/400-annual-cash-boost-for-social-care-recipients-announced.html",
  basis: "secondary",
  note: "A news copy of DHSC's February 2026 announcement (a 7% rise in the working-age MIG from April 2026): 'rise from £89.15 to £95.40 per week'.",
};

const DHSC_FEBRUARY_2026_BRUMDAILY: ChargingSource = {
  title:
    "'DWP announces cash boost for disabled benefits claimants' (BrumDaily, February 2026), reporting DHSC",
  url: "https://www.brumdaily.uk/health/disability-services/dwp-announces-cash-boost-for-disabled-benefits-claimants.html",
  basis: "secondary",
  note:
    "A news copy of DHSC's February 2026 announcement: 18-24s 'increase from £89.15 to £95.40 per week'; pension " +
    "age 'will rise from £232.60 to £241.45'.",
};

const HELLO_HATTIE_2026_27: ChargingSource = {
  title:
    "hello-hattie, 'Paying for home care' page content (TRGDigital, GitHub), citing the 2026-27 circular",
  url: "https://github.com/TRGDigital/hello-hattie/blob/main/content/expanded/paying-for-home-care.ts",
  basis: "secondary",
  note:
    "'For 2026 to 2027, for a single person who has reached Pension Credit age, it is £241.45 a week'; the capital " +
    "limits 'have stayed the same for 2025 to 2026 and 2026 to 2027'.",
};

const CARE_FUNDING_PAGE_2026_27: ChargingSource = {
  title:
    "A public care-funding web page's figures file (GitHub; the search index did not name its repository)",
  basis: "secondary",
  note:
    "Checked on 25 August 2026 and citing the 2026-27 circular: migPensionAge '£241.45', migUnderPensionAge '£120.40' " +
    "(£112.50 plus 7%, as DHSC announced). The only source found for the 2026-27 single 25+ amount.",
};

const RETIREFORECAST_2026_27: ChargingSource = {
  title: "RetireForecast finance engine, care parameters (RobertLCraig, GitHub), citing the 2026-27 circular",
  url: "https://github.com/RobertLCraig/RetireForecast/blob/main/packages/finance-engine/src/TaxYear/CareParameters.php",
  basis: "secondary",
  note: "'PEA verified on 2026-07-08 (DHSC LAC charging circular 2026-27 …): £30.65/week 2025-26, £31.80/week 2026-27'.",
};

const GOVMATH_2026_27: ChargingSource = {
  title: "GovMath care means test, 2026/27 (rselladurai22-star, GitHub)",
  url: "https://github.com/rselladurai22-star/GovMath/blob/main/src/lib/life/care.ts",
  basis: "secondary",
  note: "England 2026/27: upper 23,250, lower 14,250, personal expenses allowance 31.8.",
};

const WRITTEN_ANSWER_MAIN_HOME: ChargingSource = {
  title: "Written answer, Department of Health and Social Care: 'Care Homes: Finance' (2025)",
  url: "https://parallelparliament.co.uk/question/83486/care-homes-finance",
  basis: "official",
  note:
    "A ministerial answer, read in a verbatim copy: 'For home-based care, the person's main home is disregarded, and " +
    "income must not fall below the Minimum Income Guarantee'. Schedule 2 of the regulations was not read.",
};

const REG_7 = regs(
  "reg 7",
  "regulation/7",
  "Read: paras (1) to (6)(a) (as made, and the revised text with the 2015-2022 amounts). Para (7) (the carer " +
    "premium) and para (8) were not read.",
);

const TARIFF_SOURCE: ChargingSource = {
  ...regs("reg 25", "regulation/25"),
  note:
    "The regulation's heading was read, not its text. The rule — £1 a week for every £250, or part of £250, of " +
    "capital between the limits — is the 2024-25 circular's (read up to '£1 per week for every £25…', where the copy " +
    "ended) and the issue's.",
};

/**
 * The capital limits were last changed in April 2010 (to £23,250) and every circular since has kept them; the
 * 2024-25 circular, read, says they "remain at their current level". They are stated as unchanged until a
 * circular changes them, in every year.
 */
const CAPITAL_LIMITS_UNCHANGED: ChargingSource = {
  ...CIRCULAR_2024_25,
  note:
    "Unchanged since April 2010: the 2024-25 circular (read) says the capital limits remain at £14,250 and £23,250, " +
    "and published sources give the same limits for later years (Gloucestershire County Council's 2025/26 policy; " +
    "hello-hattie and GovMath for 2026/27). A circular that changes them is entered as a new pack.",
};

const UPPER_LIMIT_RULE: ChargingSource = {
  ...CIRCULAR_2024_25,
  note: "A person with capital above the upper capital limit pays the full cost (reg 12).",
};

// ---- income ------------------------------------------------------------------------------------------------

const COUNTED: IncomeTreatment = {
  treatment: "counted",
  source: regs(
    "reg 13; Schedule 1",
    "regulation/13",
    "Income is counted unless Schedule 1 disregards it. Schedule 1 was read in part (paras 1-4, 8).",
  ),
};

const englandIncomes: Record<Exclude<IncomeType, "other">, IncomeTreatment> = {
  state_pension: COUNTED,
  occupational_pension: COUNTED,
  private_pension: COUNTED,
  pension_credit_guarantee: COUNTED,
  pension_credit_savings: {
    treatment: "savings_credit",
    source: regs(
      "Schedule 1, para 40",
      "schedule/1",
      "Savings credit is counted less the savings credit disregard (SI 2022/243, explanatory note, read).",
    ),
  },
  universal_credit: COUNTED,
  employment_and_support_allowance: COUNTED,
  income_support: COUNTED,
  jobseekers_allowance: COUNTED,
  carers_allowance: COUNTED,
  attendance_allowance: COUNTED,
  dla_care: COUNTED,
  pip_daily_living: COUNTED,
  dla_mobility: {
    treatment: "disregarded",
    source: regs(
      "Schedule 1, para 8",
      "schedule/1",
      "Read: 'The mobility component of any disability living allowance or the…' (the paragraph's opening words).",
    ),
  },
  pip_mobility: {
    treatment: "disregarded",
    source: regs(
      "Schedule 1, para 8",
      "schedule/1",
      "Read only the paragraph's opening words, which go on to the mobility component of personal independence payment.",
    ),
  },
  earnings: {
    treatment: "disregarded",
    source: regs(
      "reg 14(1)",
      "regulation/14",
      "Read in full: earnings as an employed or self-employed earner are disregarded.",
    ),
  },
  direct_payment: {
    treatment: "unsupported",
    reason:
      "The paragraph of Schedule 1 that disregards direct payments was not read (Wales's equivalent, para 4 of its " +
      "Schedule 1, was). A council policy that disregards direct payments in full makes this case supported.",
  },
  housing_benefit: {
    treatment: "disregarded",
    source: regs("Schedule 1, para 3(1)", "schedule/1", "Read in full."),
  },
  council_tax_reduction: {
    treatment: "disregarded",
    source: regs("Schedule 1, para 3(3)", "schedule/1", "Read in full."),
  },
  war_pension: {
    treatment: "unsupported",
    reason:
      "Schedule 1's treatment of War Pension scheme payments (full or partial disregard) was not read. A council " +
      "policy that disregards them in full makes this case supported.",
  },
  child_benefit: {
    treatment: "unsupported",
    reason:
      "Schedule 1's treatment of Child Benefit was not read. A council policy that disregards it in full makes this " +
      "case supported.",
  },
  child_tax_credit: {
    treatment: "unsupported",
    reason:
      "Schedule 1's treatment of Child Tax Credit was not read. A council policy that disregards it in full makes " +
      "this case supported.",
  },
};

// ---- shared rules ------------------------------------------------------------------------------------------

const shared = {
  charging: {
    title: "Care Act 2014",
    provision: "s14(1), (4) and (7)",
    url: "https://www.legislation.gov.uk/ukpga/2014/23/section/14",
    basis: "official",
    note:
      "Read in a verbatim quotation of s14(1)-(4): a local authority may charge for meeting needs, and a charge " +
      "'may cover only the cost that the local authority incurs in meeting the needs to which the charge applies'. " +
      "s14(7) (income may not fall below the minimum) is given effect by reg 7.",
  },
  incomes: englandIncomes,
  housingCosts: {
    status: "supported",
    source: regs(
      "Schedule 1, para 2",
      "schedule/1",
      "Read in full: housing-related costs (mortgage repayments, rent, ground rent, council tax, eligible service " +
        "charges) are disregarded from income, except what housing benefit or council tax reduction meets (para 3).",
    ),
  },
  disabilityRelatedExpenditure: {
    status: "supported",
    source: regs(
      "Schedule 1, para 4(1)",
      "schedule/1",
      "Read in part: 'Where a local authority takes into account in the calculation of income any disability " +
        "benefits the adult receives, any disability-related [expenditure]…'. So DRE is allowed only where a disability " +
        "benefit (Attendance Allowance, DLA care, PIP daily living) is counted.",
    ),
  },
  standardDreAllowance: {
    kind: "council_setting",
    note:
      "No national standard DRE allowance was found in the regulations or circulars read; a council that uses a " +
      "standard allowance sets it in its own policy.",
  },
  weeklyMaximumCharge: null,
  freePersonalCare: null,
  otherCareCharging: { status: "supported", source: regs("reg 7; s14(7) Care Act 2014", "regulation/7") },
  lightTouch: regs(
    "reg 10",
    "regulation/10",
    "Heading read: 'Circumstances in which an authority is to be treated as having carried out a financial " +
      "assessment (including light touch assessments)'. Used for a person who chooses to pay the full cost, or " +
      "whose capital is over the upper limit.",
  ),
  notes: [
    "Pension credit age is not held as a figure: the assessment says whether the person (and any partner) has reached it.",
    "Reg 7(8), which qualifies reg 7(1), was not read.",
    "Amounts of Attendance Allowance, DLA care and PIP daily living are counted as entered; any council practice of " +
      "counting only the lower rate where no night care is provided is not modelled (the guidance was not read).",
    "Universal Credit is counted as entered; how its housing costs element interacts with housing costs was not read.",
  ],
  rounding: {
    text:
      "All amounts are whole pence. Tariff income is £1 a week for every £250, or part of £250, of capital above the " +
      "lower limit, so a part band counts as a whole one. Where a percentage is applied (a council's MIG uplift, or a " +
      "charge of less than 100% of disposable income) the result is rounded to the penny in the person's favour: an " +
      "uplift up, a charge down.",
    source: regs(
      "reg 11",
      "regulation/11",
      "Heading read ('Rounding of fractions'), not its text; rounding in the person's favour is the choice that " +
        "cannot overcharge.",
    ),
  },
} as const;

const loneParentRules = {
  loneParentPensionCreditAge: {
    status: "unsupported",
    reason:
      "Whether a lone parent of pension credit age takes the single pension-age amount (reg 7(2)(c)) or the lone " +
      "parent amount (reg 7(3)) turns on the meaning of 'single person' that SI 2015/644 inserted into reg 7; that " +
      "text was not read.",
  },
  loneParentPremiums: {
    status: "unsupported",
    reason:
      "Reg 7(5) gives premiums to a 'single person'; whether that includes a lone parent turns on the definition " +
      "SI 2015/644 inserted, which was not read.",
  },
} as const;

const mainHomeDisregard = { status: "supported", source: WRITTEN_ANSWER_MAIN_HOME } as const;

// ---- figures -----------------------------------------------------------------------------------------------

const confirmed = (poundsAndPence: number, source: ChargingSource): ChargingFigure => ({
  status: "confirmed",
  pence: Math.round(poundsAndPence * 100),
  source,
});

const secondary = (poundsAndPence: number, ...sources: ChargingSource[]): ChargingFigure => ({
  status: "secondary",
  pence: Math.round(poundsAndPence * 100),
  sources,
});

const unsupported = (
  reason: string,
  unconfirmed?: { pounds: number; source: ChargingSource },
): ChargingFigure =>
  unconfirmed
    ? {
        status: "unsupported",
        reason,
        unconfirmed: { pence: Math.round(unconfirmed.pounds * 100), source: unconfirmed.source },
      }
    : { status: "unsupported", reason };

/** A year's MIG amounts: those found, and every other one unsupported for the year's reason. */
function migAmounts(
  reason: string,
  found: Partial<Record<MigComponent, ChargingFigure>> = {},
): Record<MigComponent, ChargingFigure> {
  const components: MigComponent[] = [
    "single_18_to_24",
    "single_25_to_pension_credit_age",
    "single_pension_credit_age",
    "lone_parent",
    "couple_each",
    "couple_pension_credit_age_each",
    "per_child",
    "disability_premium_single",
    "disability_premium_couple_each",
    "enhanced_disability_premium_single",
    "enhanced_disability_premium_couple_each",
    "carer_premium",
  ];
  return Object.fromEntries(components.map((c) => [c, found[c] ?? unsupported(reason)])) as Record<
    MigComponent,
    ChargingFigure
  >;
}

const TARIFF = { weeklyPencePerBand: 100, bandPence: 25_000, source: TARIFF_SOURCE } as const;

// ---- the packs ---------------------------------------------------------------------------------------------

const england2024: ChargingRules = {
  id: "england-charging-2024-25",
  jurisdiction: "england",
  title: "England, financial year 2024 to 2025",
  validFrom: "2024-04-01",
  validTo: "2025-03-31",
  datesNote:
    "The circular speaks of 'the financial year 2024 to 2025'. The MIG changes on the day the year's amending " +
    "regulations come into force (6 April in 2023, SI 2023/277, read); that date was not read for 2024, so confirm it " +
    "when confirming the MIG figures.",
  sources: [CIRCULAR_2024_25, { title: REGS, url: REGS_URL, basis: "official" }],
  capital: {
    lowerLimit: confirmed(14_250, CIRCULAR_2024_25),
    upperLimit: confirmed(23_250, CIRCULAR_2024_25),
    overUpperLimit: UPPER_LIMIT_RULE,
    tariff: TARIFF,
    mainHomeDisregard,
  },
  minimumIncome: {
    kind: "mig",
    source: REG_7,
    amounts: migAmounts(
      "The 2024-25 MIG amounts are in the Annex of the 2024-25 circular and in the amending regulations for 2024; the " +
        "copy of the circular that could be read ends before the MIG table (it says only that the MIG 'increases in " +
        "line with inflation'), and the amending regulations could not be read.",
    ),
    ...loneParentRules,
  },
  personalExpensesAllowance: unsupported(
    "The 2024-25 personal expenses allowance (care homes, reg 6) is in the circular's Annex, which could not be read " +
      "past the capital limits; the summary says it 'increases in line with inflation'.",
  ),
  savingsCreditDisregard: {
    single: unsupported(
      "The 2024-25 Savings Credit disregard is in the circular's Annex, which could not be read past the capital limits.",
    ),
    couple: unsupported(
      "The 2024-25 Savings Credit disregard is in the circular's Annex, which could not be read past the capital limits.",
    ),
  },
  ...shared,
};

const REASON_2025_26 =
  "The 2025-26 circular (3 February 2025) and the amending regulations for 2025 could not be read, and fewer than " +
  "two published sources give this figure.";

const england2025: ChargingRules = {
  id: "england-charging-2025-26",
  jurisdiction: "england",
  title: "England, financial year 2025 to 2026",
  validFrom: "2025-04-01",
  validTo: "2026-03-31",
  datesNote:
    "Financial year 2025 to 2026. A secondary summary (legislationtracker.co.uk) says the amending regulations for " +
    "2025 came into force on 6 April 2025; confirm when confirming the MIG figures.",
  sources: [
    CIRCULAR_2025_26_NOTICE,
    { title: REGS, url: REGS_URL, basis: "official" },
    GLOUCESTERSHIRE_2025_26,
  ],
  capital: {
    lowerLimit: confirmed(14_250, CAPITAL_LIMITS_UNCHANGED),
    upperLimit: confirmed(23_250, CAPITAL_LIMITS_UNCHANGED),
    overUpperLimit: UPPER_LIMIT_RULE,
    tariff: TARIFF,
    mainHomeDisregard,
  },
  minimumIncome: {
    kind: "mig",
    source: REG_7,
    amounts: migAmounts(REASON_2025_26, {
      single_18_to_24: secondary(
        89.15,
        RUILS_2025_26,
        DHSC_FEBRUARY_2026_BRITBRIEF,
        DHSC_FEBRUARY_2026_BRUMDAILY,
      ),
      single_25_to_pension_credit_age: secondary(112.5, RUILS_2025_26, WIRRAL_MIG_CONSULTATION),
      single_pension_credit_age: secondary(232.6, WIRRAL_MIG_CONSULTATION, DHSC_FEBRUARY_2026_BRUMDAILY),
      disability_premium_single: secondary(49.65, RUILS_2025_26, WIRRAL_MIG_CONSULTATION),
      enhanced_disability_premium_single: secondary(24.25, RUILS_2025_26, WIRRAL_MIG_CONSULTATION),
      couple_each: unsupported(REASON_2025_26, { pounds: 88.35, source: WIRRAL_MIG_CONSULTATION }),
      couple_pension_credit_age_each: unsupported(REASON_2025_26, {
        pounds: 177.55,
        source: WIRRAL_MIG_CONSULTATION,
      }),
      disability_premium_couple_each: unsupported(REASON_2025_26, {
        pounds: 35.4,
        source: WIRRAL_MIG_CONSULTATION,
      }),
      enhanced_disability_premium_couple_each: unsupported(REASON_2025_26, {
        pounds: 17.45,
        source: WIRRAL_MIG_CONSULTATION,
      }),
    }),
    ...loneParentRules,
  },
  personalExpensesAllowance: confirmed(30.65, WRITTEN_ANSWER_PEA_2025_26),
  savingsCreditDisregard: { single: unsupported(REASON_2025_26), couple: unsupported(REASON_2025_26) },
  ...shared,
};

const REASON_2026_27 =
  "The 2026-27 circular and the amending regulations for 2026 could not be read, and fewer than two published " +
  "sources give this figure. DHSC announced in February 2026 that the working-age MIG rises 7% from April 2026 " +
  "(pension-age amounts and the personal expenses allowance by 3.8%); a guessed uprating is never used.";

const england2026: ChargingRules = {
  id: "england-charging-2026-27",
  jurisdiction: "england",
  title: "England, financial year 2026 to 2027",
  validFrom: "2026-04-01",
  validTo: "2027-03-31",
  datesNote:
    "Financial year 2026 to 2027. Earlier years' amending regulations came into force on 6 April; the 2026 date " +
    "was not found.",
  sources: [
    {
      title: "Social care charging for local authorities: 2026 to 2027 (DHSC)",
      url: CIRCULAR_2026_27_URL,
      basis: "secondary",
      note: "The circular's text could not be read.",
    },
    { title: REGS, url: REGS_URL, basis: "official" },
  ],
  capital: {
    lowerLimit: confirmed(14_250, CAPITAL_LIMITS_UNCHANGED),
    upperLimit: confirmed(23_250, CAPITAL_LIMITS_UNCHANGED),
    overUpperLimit: UPPER_LIMIT_RULE,
    tariff: TARIFF,
    mainHomeDisregard,
  },
  minimumIncome: {
    kind: "mig",
    source: REG_7,
    amounts: migAmounts(REASON_2026_27, {
      single_18_to_24: secondary(95.4, DHSC_FEBRUARY_2026_BRITBRIEF, DHSC_FEBRUARY_2026_BRUMDAILY),
      single_25_to_pension_credit_age: unsupported(REASON_2026_27, {
        pounds: 120.4,
        source: CARE_FUNDING_PAGE_2026_27,
      }),
      single_pension_credit_age: secondary(
        241.45,
        DHSC_FEBRUARY_2026_BRUMDAILY,
        HELLO_HATTIE_2026_27,
        CARE_FUNDING_PAGE_2026_27,
      ),
    }),
    ...loneParentRules,
  },
  personalExpensesAllowance: secondary(31.8, RETIREFORECAST_2026_27, GOVMATH_2026_27),
  savingsCreditDisregard: { single: unsupported(REASON_2026_27), couple: unsupported(REASON_2026_27) },
  ...shared,
};

export const englandChargingRules: readonly ChargingRules[] = [england2024, england2025, england2026];
