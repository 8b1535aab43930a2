import type { AscFrRules } from "#/rules/asc-fr-types.ts";
import type { AscofRules } from "#/rules/ascof-types.ts";
import { chargingRulesFor } from "#/rules/charging.ts";
import type { ChargingRules } from "#/rules/charging-types.ts";
import type { CldRules } from "#/rules/cld-types.ts";
import type { DpAuditRules } from "#/rules/dp-audit-types.ts";
import { ascFrRulesFor as englandAscFrRulesFor } from "#/rules/england/asc-fr.ts";
import { ascofRulesFor as englandAscofRulesFor } from "#/rules/england/ascof.ts";
import { CLD_RULES_FROM, cldRulesFor as englandCldRulesFor } from "#/rules/england/cld.ts";
import { dpAuditRulesFor as englandDpAuditRulesFor } from "#/rules/england/dp-audit-rules.ts";
import { fairnessRulesFor as englandFairnessRulesFor } from "#/rules/england/fairness-rules.ts";
import { paymentRulesFor as englandPaymentRulesFor } from "#/rules/england/payment-rules.ts";
import {
  allPersonFieldLists,
  personFieldListsFor as englandPersonFieldListsFor,
  labelForCode,
} from "#/rules/england/person-fields.ts";
import {
  REFERRAL_LISTS_FROM as ENGLAND_REFERRAL_LISTS_FROM,
  referralListsFor as englandReferralListsFor,
} from "#/rules/england/referral-lists.ts";
import { reviewRulesFor as englandReviewRulesFor } from "#/rules/england/review-rules.ts";
import {
  englandSpendingRules,
  spendingRulesFor as englandSpendingRulesFor,
} from "#/rules/england/spending-rules.ts";
import type { FairnessRules } from "#/rules/fairness-types.ts";
import { rulePackFor } from "#/rules/index.ts";
import type { PaymentRules } from "#/rules/payment-types.ts";
import type { CodedPersonField, PersonFieldLists } from "#/rules/person-field-types.ts";
import type { RasModel } from "#/rules/ras-model.ts";
import type { ReferralLists } from "#/rules/referral-list-types.ts";
import type { ReviewRules } from "#/rules/review-types.ts";
import type { SpendingRules } from "#/rules/spending-types.ts";
import type { Questionnaire } from "#/rules/types.ts";
import { COUNCIL_NATIONS, type CouncilNation } from "#/rules/uk/councils.ts";

/**
 * The one door to the rules: rulesFor(jurisdiction, date) gives every topic a council's decisions use, each
 * chosen by the date the decision applies to (never "now"). Code outside src/rules/ asks here, never a
 * jurisdiction's folder (a dependency-cruiser rule, rules-through-registry), so a Welsh or Scottish council can
 * never be handed England's rules by an import written for England.
 *
 * Where a jurisdiction has no pack of its own for a topic yet, it gets England's, marked SAME_AS_ENGLAND: nothing
 * changes for the council, and the mark lists what is left to research (unconfirmedTopics).
 */

export const RULE_JURISDICTIONS = COUNCIL_NATIONS;
export type RuleJurisdiction = CouncilNation;

/** The rules each topic gives, by topic name. */
export type TopicRules = {
  charging: ChargingRules;
  payments: PaymentRules;
  reviews: ReviewRules;
  spending: SpendingRules;
  questionnaire: Questionnaire;
  rasModel: RasModel;
  personFields: PersonFieldLists;
  /** Undefined before the first lists start (REFERRAL_LISTS_FROM): callers say which date to give. */
  referralLists: ReferralLists | undefined;
  /**
   * The Client Level Data return's lists, mappings and checks: an NHS England collection, so England only. Wales
   * and Scotland have no CLD, and that is their own answer (provenance "own", rules undefined), not a gap
   * borrowed from England. Undefined in England before the first pack (CLD_RULES_FROM).
   */
  cld: CldRules | undefined;
  /** Undefined for a year before CLD-based ASCOF (2024-25), and outside England. */
  ascof: AscofRules | undefined;
  /** Undefined for a year before the ASC-FR (2014-15), and outside England. */
  ascFr: AscFrRules | undefined;
  dpAudit: DpAuditRules;
  /** The public fairness dashboard: suppression and margin defaults, and the price index. */
  fairness: FairnessRules;
};
export type RuleTopicName = keyof TopicRules;
export const RULE_TOPICS: readonly RuleTopicName[] = [
  "charging",
  "payments",
  "reviews",
  "spending",
  "questionnaire",
  "rasModel",
  "personFields",
  "referralLists",
  "cld",
  "ascof",
  "ascFr",
  "dpAudit",
  "fairness",
];

export const SAME_AS_ENGLAND = "same as England, unconfirmed";
/** "own": the jurisdiction's own pack; SAME_AS_ENGLAND: England's pack, until the jurisdiction's is researched. */
export type Provenance = "own" | typeof SAME_AS_ENGLAND;

export type RuleTopic<T> = { readonly rules: T; readonly provenance: Provenance };

export type JurisdictionRules = {
  readonly jurisdiction: RuleJurisdiction;
  /** The date the rules were chosen for (YYYY-MM-DD). */
  readonly date: string;
} & { readonly [K in RuleTopicName]: RuleTopic<TopicRules[K]> };

/** Which jurisdictions have a pack of their own for each topic; the others get England's. */
const OWN_PACKS: Record<RuleTopicName, readonly RuleJurisdiction[]> = {
  charging: ["england", "wales", "scotland"],
  payments: ["england"],
  reviews: ["england"],
  spending: ["england"],
  questionnaire: ["england"],
  rasModel: ["england"],
  personFields: ["england"],
  referralLists: ["england"],
  cld: ["england", "wales", "scotland"],
  // England's returns (ASCOF, the ASC-FR): Wales and Scotland have none, rather than England's.
  ascof: ["england", "wales", "scotland"],
  ascFr: ["england", "wales", "scotland"],
  dpAudit: ["england"],
  fairness: ["england"],
};

/** Each topic's dated lookup for a jurisdiction that has its own pack; each throws its own not-found error. */
const LOOKUPS: { [K in RuleTopicName]: (jurisdiction: RuleJurisdiction, date: string) => TopicRules[K] } = {
  charging: (jurisdiction, date) => chargingRulesFor(jurisdiction, date),
  payments: (_, date) => englandPaymentRulesFor(date),
  reviews: (_, date) => englandReviewRulesFor(date),
  spending: (_, date) => englandSpendingRulesFor(date),
  questionnaire: (jurisdiction, date) => rulePackFor(jurisdiction, date).questionnaire,
  rasModel: (jurisdiction, date) => rulePackFor(jurisdiction, date).defaultRasModel,
  personFields: (_, date) => englandPersonFieldListsFor(date),
  referralLists: (_, date) => englandReferralListsFor(date),
  cld: (jurisdiction, date) => (jurisdiction === "england" ? englandCldRulesFor(date) : undefined),
  ascof: (jurisdiction, date) => (jurisdiction === "england" ? englandAscofRulesFor(date) : undefined),
  ascFr: (jurisdiction, date) => (jurisdiction === "england" ? englandAscFrRulesFor(date) : undefined),
  dpAudit: (_, date) => englandDpAuditRulesFor(date),
  fairness: (_, date) => englandFairnessRulesFor(date),
};

export class RulesNotFoundError extends Error {
  override name = "RulesNotFoundError";
}

export function isRuleJurisdiction(value: string): value is RuleJurisdiction {
  return (RULE_JURISDICTIONS as readonly string[]).includes(value);
}

/** The jurisdiction, checked: throws RulesNotFoundError for one Upfront has no rules for. */
export function ruleJurisdiction(value: string): RuleJurisdiction {
  if (!isRuleJurisdiction(value)) {
    throw new RulesNotFoundError(
      `There are no rules for "${value}". Use one of: ${RULE_JURISDICTIONS.join(", ")}`,
    );
  }
  return value;
}

/** Whether a jurisdiction has its own pack for a topic, or borrows England's. */
export function provenanceOf(jurisdiction: RuleJurisdiction, topic: RuleTopicName): Provenance {
  return OWN_PACKS[topic].includes(jurisdiction) ? "own" : SAME_AS_ENGLAND;
}

/** The topics a jurisdiction still borrows from England: what is left to research. */
export function unconfirmedTopics(jurisdiction: RuleJurisdiction): RuleTopicName[] {
  return RULE_TOPICS.filter((topic) => provenanceOf(jurisdiction, topic) === SAME_AS_ENGLAND);
}

function topicFor<K extends RuleTopicName>(
  jurisdiction: RuleJurisdiction,
  date: string,
  topic: K,
): RuleTopic<TopicRules[K]> {
  const provenance = provenanceOf(jurisdiction, topic);
  const from = provenance === "own" ? jurisdiction : "england";
  return { rules: LOOKUPS[topic](from, date), provenance };
}

/**
 * Every topic's rules for a jurisdiction on a date. Each topic is looked up when it is read, so a date that one
 * topic has no pack for (charging starts in 2024) fails only the caller that reads that topic, with that topic's
 * own error. Throws RulesNotFoundError for a jurisdiction Upfront has no rules for.
 */
export function rulesFor(jurisdictionName: string, date: string): JurisdictionRules {
  const jurisdiction = ruleJurisdiction(jurisdictionName);
  const topic = <K extends RuleTopicName>(name: K) => topicFor(jurisdiction, date, name);
  return {
    jurisdiction,
    date,
    get charging() {
      return topic("charging");
    },
    get payments() {
      return topic("payments");
    },
    get reviews() {
      return topic("reviews");
    },
    get spending() {
      return topic("spending");
    },
    get questionnaire() {
      return topic("questionnaire");
    },
    get rasModel() {
      return topic("rasModel");
    },
    get personFields() {
      return topic("personFields");
    },
    get referralLists() {
      return topic("referralLists");
    },
    get cld() {
      return topic("cld");
    },
    get ascof() {
      return topic("ascof");
    },
    get ascFr() {
      return topic("ascFr");
    },
    get dpAudit() {
      return topic("dpAudit");
    },
    get fairness() {
      return topic("fairness");
    },
  };
}

/** The first date a jurisdiction's referral lists apply from, for "give a date on or after …" messages. */
export function referralListsFrom(_jurisdiction: RuleJurisdiction): string {
  return ENGLAND_REFERRAL_LISTS_FROM; // only England has lists; the other nations borrow them for now
}

/** The first date England's CLD rules apply from, for "give a period on or after …" messages. */
export function cldRulesFrom(): string {
  return CLD_RULES_FROM;
}

/**
 * The largest receipt any jurisdiction's spending rules accept, on any date: the upload limit at the door, set
 * before the council is known; the service then holds each receipt to its council's own rules.
 */
export function largestReceiptBytes(): number {
  return Math.max(...[englandSpendingRules].map((rules) => rules.receipts.maxBytes));
}

/**
 * The label for a stored person-field code, in whichever registered version of the lists has it (a record keeps
 * the codes it was answered with, so an old code still reads as it did).
 */
export function personFieldLabel(field: CodedPersonField | "communicationNeeds", code: string): string {
  return labelForCode(field, code);
}

/** The newest registered person-field lists: the codes the API documents and the CLI's help lists. */
export function newestPersonFieldLists(): PersonFieldLists {
  return allPersonFieldLists().reduce((newest, lists) =>
    lists.validFrom > newest.validFrom ? lists : newest,
  );
}

export * from "#/rules/asc-fr-types.ts";
export * from "#/rules/ascof-types.ts";
// The shapes of the topics, and the UK-wide tables (councils' nations, bank holidays, the Bacs file layout), for
// code outside src/rules/: one import path, whatever folder holds the data.
export * from "#/rules/cld-types.ts";
export * from "#/rules/dp-audit-types.ts";
export * from "#/rules/payment-types.ts";
export * from "#/rules/person-field-types.ts";
export * from "#/rules/referral-list-types.ts";
export * from "#/rules/review-types.ts";
export * from "#/rules/spending-types.ts";
export * from "#/rules/uk/bacs18-layout.ts";
export * from "#/rules/uk/bank-holidays.ts";
export * from "#/rules/uk/councils.ts";
