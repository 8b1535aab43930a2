import type { IncomeType } from "#/rules/charging-types.ts";

/**
 * The benefits prompt: where a person's assessment answers suggest a disability benefit they have not told us
 * they receive, their money statement says so — as a prompt to seek advice, NEVER as a decision. Only the
 * Department for Work and Pensions decides entitlement, on its own tests, which are not modelled here. Pure.
 *
 * The rules (each is a prompt, not a finding of entitlement):
 *  1. Nothing is said unless we know all three: which outcomes the latest submitted assessment found the person
 *     could not achieve on their own, whether they have reached pension credit (State Pension) age, and which
 *     benefits they told us they receive in a full financial assessment. Silence is better than a guess.
 *  2. Daily living. Needs with personal care — eating and drinking, keeping clean, using the toilet, getting
 *     dressed (reg 2(2)(a)-(d) of the Eligibility Regulations), and for people of pension age also staying safe
 *     at home (supervision) — are the kind of needs Attendance Allowance (pension age) and the daily living part
 *     of Personal Independence Payment (under pension age) are for. If the person has such a need and has told
 *     us of none of Attendance Allowance, the care part of Disability Living Allowance or PIP daily living, the
 *     statement prompts them about Attendance Allowance (pension age) or PIP daily living (under it).
 *  3. Mobility. Under pension age only (a new PIP claim cannot be made after it): if they cannot get to and use
 *     places in the community (reg 2(2)(h)) and have told us of neither mobility part (PIP or DLA), the
 *     statement prompts them about the mobility part of PIP.
 */

export const DAILY_LIVING_OUTCOMES: readonly string[] = [
  "nutrition",
  "personal_hygiene",
  "toilet_needs",
  "clothing",
];
/** Attendance Allowance is also for continual supervision to stay safe. */
export const SUPERVISION_OUTCOMES: readonly string[] = ["home_safety"];
export const MOBILITY_OUTCOMES: readonly string[] = ["community_facilities"];

const DAILY_LIVING_BENEFITS: readonly IncomeType[] = ["attendance_allowance", "dla_care", "pip_daily_living"];
const MOBILITY_BENEFITS: readonly IncomeType[] = ["pip_mobility", "dla_mobility"];

export type BenefitsPromptInput = {
  /** Outcomes the latest submitted assessment found not achieved, with their plain-English labels; null: none. */
  readonly outcomesNotAchieved: readonly { readonly id: string; readonly label: string }[] | null;
  /** From the financial assessment; null when not known. */
  readonly reachedPensionCreditAge: boolean | null;
  /** Kinds of income the person told us they receive; null when not asked (light touch, or no assessment). */
  readonly incomesReceived: readonly IncomeType[] | null;
};

export type BenefitsPrompt = {
  readonly id: "attendance_allowance" | "pip_daily_living" | "pip_mobility";
  readonly benefit: string;
  /** What in the assessment suggests it, in the person's terms: "getting dressed", "keeping yourself clean". */
  readonly because: readonly string[];
  readonly text: string;
  readonly moreInformation: { readonly text: string; readonly href: string };
};

export type BenefitsPromptOutcome =
  | { readonly checked: true; readonly prompts: readonly BenefitsPrompt[] }
  | { readonly checked: false; readonly reason: string };

const NOT_A_DECISION =
  "This is not a decision: only the Department for Work and Pensions can decide whether you can get it. A free " +
  "benefits check from an independent adviser, such as Citizens Advice, can help you find out and claim.";

const listText = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;

export function benefitsPrompts(input: BenefitsPromptInput): BenefitsPromptOutcome {
  const { outcomesNotAchieved, reachedPensionCreditAge, incomesReceived } = input;
  if (outcomesNotAchieved === null)
    return { checked: false, reason: "There is no submitted assessment of needs to compare with." };
  if (incomesReceived === null)
    return { checked: false, reason: "The financial assessment did not ask which benefits are received." };
  if (reachedPensionCreditAge === null)
    return { checked: false, reason: "It is not known whether pension credit age has been reached." };

  const prompts: BenefitsPrompt[] = [];
  const receives = (list: readonly IncomeType[]) => list.some((t) => incomesReceived.includes(t));
  const needsIn = (ids: readonly string[]) =>
    outcomesNotAchieved.filter((o) => ids.includes(o.id)).map((o) => o.label);

  const dailyLiving = needsIn(
    reachedPensionCreditAge ? [...DAILY_LIVING_OUTCOMES, ...SUPERVISION_OUTCOMES] : DAILY_LIVING_OUTCOMES,
  );
  if (dailyLiving.length > 0 && !receives(DAILY_LIVING_BENEFITS)) {
    const benefit = reachedPensionCreditAge
      ? "Attendance Allowance"
      : "the daily living part of Personal Independence Payment (PIP)";
    prompts.push({
      id: reachedPensionCreditAge ? "attendance_allowance" : "pip_daily_living",
      benefit: reachedPensionCreditAge
        ? "Attendance Allowance"
        : "Personal Independence Payment (daily living part)",
      because: dailyLiving,
      text:
        `Your assessment says you need help with ${listText(dailyLiving)}. People with needs like these often get ` +
        `${benefit}, and you have not told us you get it. ${NOT_A_DECISION} If you start to get it, tell us: it ` +
        "counts as income in your financial assessment, and it also means more of your disability-related costs " +
        "can be taken into account.",
      moreInformation: reachedPensionCreditAge
        ? { text: "Attendance Allowance on GOV.UK", href: "https://www.gov.uk/attendance-allowance" }
        : { text: "Personal Independence Payment on GOV.UK", href: "https://www.gov.uk/pip" },
    });
  }

  const mobility = needsIn(MOBILITY_OUTCOMES);
  if (!reachedPensionCreditAge && mobility.length > 0 && !receives(MOBILITY_BENEFITS)) {
    prompts.push({
      id: "pip_mobility",
      benefit: "Personal Independence Payment (mobility part)",
      because: mobility,
      text:
        `Your assessment says you need help with ${listText(mobility)}. People who find it hard to get out and about ` +
        `often get the mobility part of Personal Independence Payment (PIP), and you have not told us you get it. ` +
        `${NOT_A_DECISION} The mobility part is never counted in your financial assessment.`,
      moreInformation: { text: "Personal Independence Payment on GOV.UK", href: "https://www.gov.uk/pip" },
    });
  }
  return { checked: true, prompts };
}
