import type { ChargingRules, ChargingSource, IncomeTreatment, IncomeType } from "#/rules/charging-types.ts";
import { INCOME_TYPES } from "#/rules/charging-types.ts";

/**
 * Scotland: personal care, personal support and nursing care arranged by a council are free of charge
 * (Community Care and Health (Scotland) Act 2002, s1(1)), for adults of every age since 1 April 2019 ("Frank's
 * Law"). That is the rule that changes the result: the personal-care part of a package is never charged for.
 *
 * Charges for the rest of a package (help with housework, shopping, day services and the like) are each
 * council's policy, guided by COSLA's national guidance on charges for non-residential social care; that
 * guidance and its thresholds were not read, so charging for care other than personal care is unsupported and
 * the calculator refuses it, saying why.
 */

const ACT: ChargingSource = {
  title: "Community Care and Health (Scotland) Act 2002",
  provision: "s1(1)",
  url: "https://www.legislation.gov.uk/asp/2002/5/section/1",
  basis: "official",
  note:
    "Read (revised text, no outstanding effects): 'a local authority are not to charge for social care … if that social " +
    "care is (a) personal care … (b) personal support … (c) … care of a kind … mentioned in schedule 1 … or (d) … " +
    "nursing care.'",
};

const FRANKS_LAW: ChargingSource = {
  title:
    "Extension of Free Personal Care to people under the age of 65, Scotland, 2020-21 (Scottish Government)",
  url: "https://www.gov.scot/publications/extension-free-personal-care-people-under-age-65-scotland-2020-21/pages/2/",
  basis: "official",
  note:
    "Read: the extension of free personal care to people under 65 'came into force on 1 April 2019'. The 2002 " +
    "Regulations' reg 3 had limited it to people aged 65 or over (SSI 2002/303, read as made).",
};

const NOT_MODELLED =
  "In Scotland, charges for care other than personal care are set by each council under COSLA's national guidance on " +
  "charges for non-residential social care; that guidance was not read, so no means test for them is modelled.";

const incomes = Object.fromEntries(
  INCOME_TYPES.filter((t) => t !== "other").map((t) => [
    t,
    { treatment: "unsupported", reason: NOT_MODELLED },
  ]),
) as Record<Exclude<IncomeType, "other">, IncomeTreatment>;

const scotland2019: ChargingRules = {
  id: "scotland-charging-2019",
  jurisdiction: "scotland",
  title: "Scotland, from 1 April 2019 (free personal care for all adults)",
  validFrom: "2019-04-01",
  datesNote:
    "Free personal care has applied to adults of every age since 1 April 2019. The rule has no figure that changes " +
    "each year, so the pack has no end date.",
  sources: [ACT, FRANKS_LAW],
  charging: ACT,
  capital: {
    lowerLimit: null,
    upperLimit: { status: "unsupported", reason: NOT_MODELLED },
    overUpperLimit: ACT,
    tariff: null,
    mainHomeDisregard: { status: "unsupported", reason: NOT_MODELLED },
  },
  minimumIncome: { kind: "unsupported", reason: NOT_MODELLED },
  savingsCreditDisregard: {
    single: { status: "unsupported", reason: NOT_MODELLED },
    couple: { status: "unsupported", reason: NOT_MODELLED },
  },
  incomes,
  housingCosts: { status: "unsupported", reason: NOT_MODELLED },
  disabilityRelatedExpenditure: { status: "unsupported", reason: NOT_MODELLED },
  standardDreAllowance: { kind: "council_setting", note: NOT_MODELLED },
  weeklyMaximumCharge: null,
  freePersonalCare: { ...ACT, note: `${ACT.note} ${FRANKS_LAW.note}` },
  otherCareCharging: { status: "unsupported", reason: NOT_MODELLED },
  lightTouch: ACT,
  personalExpensesAllowance: null,
  notes: [
    "Only the rule that personal care, personal support and nursing care are free is modelled; a package that includes " +
      "other care is refused.",
  ],
  rounding: {
    text: "All amounts are whole pence. Personal care is free, whatever the person's income or capital.",
    source: ACT,
  },
};

export const scotlandChargingRules: readonly ChargingRules[] = [scotland2019];
