import type {
  ChargingFigure,
  ChargingRules,
  ChargingSource,
  IncomeTreatment,
  IncomeType,
} from "#/rules/charging-types.ts";

/**
 * Wales: charging for care and support outside a care home under the Social Services and Well-being (Wales)
 * Act 2014, the Care and Support (Charging) (Wales) Regulations 2015 and the Care and Support (Financial
 * Assessment) (Wales) Regulations 2015. The rules that change the result most: a single capital limit for care
 * outside a care home (£24,000), above which the person pays the standard charge, and a maximum weekly charge
 * (£100) that caps every charge for such care.
 *
 * Read: WSI 2017/214 reg 3 (the £24,000 limit, in full); the explanatory note of WSI 2020/131 (maximum charge
 * raised from £90 to £100); WSI 2024/330 and WSI 2025/151 reg 2 (each changes only the care-home minimum income
 * amount); the Welsh Government's written statement of 6 December 2024 (the maximum stays at £100); the
 * Financial Assessment Regulations' regs 13-15 and Schedule 1 paras 1-6.
 * Not read: reg 9 of the Charging Regulations (the minimum income amount for care at home, which is the
 * person's own "basic entitlement" to benefit plus a buffer) — so the council supplies that amount — and the
 * rest of Schedule 1 (mobility components, war pensions, child benefit, disability-related expenditure).
 */

const CHARGING_REGS = "Care and Support (Charging) (Wales) Regulations 2015 (WSI 2015/1843)";
const ASSESSMENT_REGS = "Care and Support (Financial Assessment) (Wales) Regulations 2015 (WSI 2015/1844)";

const assessment = (provision: string, path: string, note?: string): ChargingSource => ({
  title: ASSESSMENT_REGS,
  provision,
  url: `https://www.legislation.gov.uk/wsi/2015/1844/${path}`,
  basis: "official",
  ...(note ? { note } : {}),
});

const CAPITAL_LIMIT_2017: ChargingSource = {
  title:
    "Care and Support (Choice of Accommodation, Charging and Financial Assessment) (Miscellaneous Amendments) (Wales) Regulations 2017 (WSI 2017/214)",
  provision: "reg 3(e)(ii), substituting reg 11(2) of the Charging Regulations",
  url: "https://www.legislation.gov.uk/wsi/2017/214/regulation/3/made",
  basis: "official",
  note:
    "Read in full: 'the relevant capital limit for the purposes of non-residential care is £24,000', the capital " +
    "'above which that person will be required … to meet the standard charge in full'. There is no lower limit and " +
    "no tariff band. Later amending regulations read (2020/131 note, 2023/67, 2024/330, 2025/151 reg 2) do not change " +
    "it; WSI 2019/234 was read only in part of its note.",
};

const MAXIMUM_2020: ChargingSource = {
  title: "Care and Support (Charging) (Wales) (Amendment) Regulations 2020 (WSI 2020/131), explanatory note",
  provision: "amending reg 7 of the Charging Regulations",
  url: "https://www.legislation.gov.uk/wsi/2020/131/note/made",
  basis: "official",
  note: "Read: 'the amount of the maximum weekly charge for non-residential care and support is increased from £90 to £100'.",
};

const STATEMENT_2024: ChargingSource = {
  title:
    "Written Statement: raising the weekly maximum charge for adult non-residential care and support (Welsh Government, 6 December 2024)",
  url: "https://gov.wales/written-statement-raising-weekly-maximum-charge-adult-non-residential-care-and-support",
  basis: "official",
  note: "Read: 'Welsh Ministers have agreed to maintain the maximum charge at £100 p/w, so no increase will apply at this time.'",
};

const AMENDMENTS_2024: ChargingSource = {
  title: "Care and Support (Charging) (Wales) (Amendment) Regulations 2024 (WSI 2024/330)",
  url: "https://www.legislation.gov.uk/wsi/2024/330/made",
  basis: "official",
  note:
    "Read in full: in force 8 April 2024, it changes only the care-home minimum income amount (regs 13 and 28), " +
    "from £39.50 to £43.90.",
};

const AMENDMENTS_2025: ChargingSource = {
  title:
    "Care and Support (Charging) and (Financial Assessment) (Wales) (Miscellaneous Amendments) Regulations 2025 (WSI 2025/151)",
  provision: "reg 2",
  url: "https://www.legislation.gov.uk/wsi/2025/151/made",
  basis: "official",
  note:
    "Read: in force 7 April 2025; reg 2 changes only the care-home minimum income amount (regs 13 and 28), from " +
    "£43.90 to £44.65.",
};

const COUNTED: IncomeTreatment = {
  treatment: "counted",
  source: assessment(
    "regs 13 and 15; Schedule 1",
    "part/3",
    "Read: income is A's total weekly income, less the sums in Schedule 1 (paras 1-6 read).",
  ),
};

const notRead = (what: string): IncomeTreatment => ({
  treatment: "unsupported",
  reason: `The paragraph of Schedule 1 to the Welsh Financial Assessment Regulations on ${what} was not read (only paras 1-6 were). A council policy that disregards it in full makes this case supported.`,
});

const walesIncomes: Record<Exclude<IncomeType, "other">, IncomeTreatment> = {
  state_pension: COUNTED,
  occupational_pension: COUNTED,
  private_pension: COUNTED,
  pension_credit_guarantee: COUNTED,
  pension_credit_savings: {
    treatment: "unsupported",
    reason: "The Welsh treatment of Pension Credit savings credit was not read.",
  },
  universal_credit: COUNTED,
  employment_and_support_allowance: COUNTED,
  income_support: COUNTED,
  jobseekers_allowance: COUNTED,
  carers_allowance: COUNTED,
  attendance_allowance: COUNTED,
  dla_care: COUNTED,
  pip_daily_living: COUNTED,
  dla_mobility: notRead("the mobility component of Disability Living Allowance"),
  pip_mobility: notRead("the mobility component of Personal Independence Payment"),
  earnings: {
    treatment: "disregarded",
    source: assessment("reg 14(1)", "regulation/14", "Read in full: earnings are disregarded."),
  },
  direct_payment: {
    treatment: "disregarded",
    source: assessment("Schedule 1, para 4", "schedule/1", "Read in full: direct payments are disregarded."),
  },
  housing_benefit: {
    treatment: "disregarded",
    source: assessment("Schedule 1, para 3(1)", "schedule/1", "Read in full."),
  },
  council_tax_reduction: {
    treatment: "disregarded",
    source: assessment("Schedule 1, para 3(3)", "schedule/1", "Read in full."),
  },
  war_pension: notRead("War Pension scheme payments"),
  child_benefit: notRead("Child Benefit"),
  child_tax_credit: notRead("Child Tax Credit"),
};

const NOT_USED: ChargingFigure = {
  status: "unsupported",
  reason: "The Welsh treatment of Pension Credit savings credit was not read.",
};

function walesPack(
  id: string,
  title: string,
  validFrom: string,
  validTo: string,
  year: ChargingSource,
  careHomeMinimumIncomePence: number,
): ChargingRules {
  return {
    id,
    jurisdiction: "wales",
    title,
    validFrom,
    validTo,
    datesNote:
      "Financial years, as the Welsh amending regulations and written statement speak of them. The figures this pack " +
      "uses (the £24,000 limit and the £100 maximum) were in force before and throughout these dates.",
    sources: [
      { title: CHARGING_REGS, url: "https://www.legislation.gov.uk/wsi/2015/1843", basis: "official" },
      { title: ASSESSMENT_REGS, url: "https://www.legislation.gov.uk/wsi/2015/1844", basis: "official" },
      CAPITAL_LIMIT_2017,
      MAXIMUM_2020,
      STATEMENT_2024,
      year,
    ],
    charging: {
      title: "Social Services and Well-being (Wales) Act 2014",
      provision: "s59(2); Charging Regulations reg 7 (maximum weekly charge)",
      url: "https://www.legislation.gov.uk/anaw/2014/4/section/59",
      basis: "secondary",
      note:
        "s59(2) read only as quoted in Luke Clements's 'Rhydian' briefing on charging (May 2023): the charge can only " +
        "relate to the 'cost that the local authority incurs in meeting the needs to which the charge applies'. Capping " +
        "a charge at the cost can never overcharge, so the cap is applied.",
    },
    capital: {
      lowerLimit: null,
      upperLimit: { status: "confirmed", pence: 2_400_000, source: CAPITAL_LIMIT_2017 },
      overUpperLimit: CAPITAL_LIMIT_2017,
      tariff: null,
      mainHomeDisregard: {
        status: "unsupported",
        reason:
          "Schedule 2 to the Welsh Financial Assessment Regulations (capital disregarded, including the home) was not read.",
      },
    },
    minimumIncome: {
      kind: "supplied_by_council",
      explanation:
        "In Wales the minimum income amount for care at home is worked out from the person's own 'basic entitlement' " +
        "(the personal allowance and premiums of Income Support, or the guarantee of Pension Credit, they get or would " +
        "get) plus a buffer (reg 9 of the Charging Regulations). Reg 9 and the buffer were not read, so the council " +
        "supplies the amount it worked out, and the result says so.",
      source: {
        title: CHARGING_REGS,
        provision: "reg 1(4) ('basic entitlement'), reg 9",
        url: "https://www.legislation.gov.uk/wsi/2015/1843/part/1/made",
        basis: "official",
        note: "Read: the definition of 'basic entitlement' in reg 1(4). Not read: reg 9.",
      },
    },
    savingsCreditDisregard: { single: NOT_USED, couple: NOT_USED },
    incomes: walesIncomes,
    housingCosts: {
      status: "supported",
      source: assessment(
        "Schedule 1, para 2",
        "schedule/1",
        "Read in full: housing-related costs (mortgage repayments, rent, ground rent, council tax, eligible service " +
          "charges) are disregarded, except what housing benefit or council tax reduction meets.",
      ),
    },
    disabilityRelatedExpenditure: {
      status: "unsupported",
      reason:
        "The Welsh treatment of disability-related expenditure was not read: Schedule 1 to the Welsh Financial " +
        "Assessment Regulations, as read (paras 1-6), has no paragraph like England's para 4, and the Code of Practice " +
        "(Parts 4 and 5) was not read.",
    },
    standardDreAllowance: {
      kind: "council_setting",
      note: "No national standard DRE allowance was found.",
    },
    weeklyMaximumCharge: { status: "confirmed", pence: 10_000, source: MAXIMUM_2020 },
    freePersonalCare: null,
    otherCareCharging: {
      status: "supported",
      source: {
        title: CHARGING_REGS,
        url: "https://www.legislation.gov.uk/wsi/2015/1843",
        basis: "official",
      },
    },
    personalExpensesAllowance: { status: "confirmed", pence: careHomeMinimumIncomePence, source: year },
    notes: [
      "Pension credit age is not held as a figure: the assessment says whether the person has reached it.",
      "The minimum income amount for care at home (reg 9) is supplied by the council, not computed.",
      `The care-home minimum income amount (reg 13) recorded here applies from the day ${year.title} came into force (see its note), not from ${validFrom}.`,
    ],
    lightTouch: assessment(
      "reg 7",
      "contents",
      "Heading read: 'Circumstances in which there is no duty to carry out a financial assessment'. Used for a person " +
        "who chooses to pay the standard charge.",
    ),
    rounding: {
      text:
        "All amounts are whole pence. Wales has a single capital limit and no tariff income. Where a percentage is " +
        "applied (a council's uplift, or a charge of less than 100%) the result is rounded to the penny in the person's " +
        "favour. Every charge for care at home is capped at the maximum weekly charge.",
      source: assessment("reg 12", "contents", "Heading read ('Rounding of fractions'), not its text."),
    },
  };
}

export const walesChargingRules: readonly ChargingRules[] = [
  walesPack(
    "wales-charging-2024-25",
    "Wales, financial year 2024 to 2025",
    "2024-04-01",
    "2025-03-31",
    AMENDMENTS_2024,
    4_390,
  ),
  walesPack(
    "wales-charging-2025-26",
    "Wales, financial year 2025 to 2026",
    "2025-04-01",
    "2026-03-31",
    AMENDMENTS_2025,
    4_465,
  ),
];
