import type { CldLookups } from "#/features/reports/cld-events.calc.ts";
import type { CldRules } from "#/rules/registry.ts";

/**
 * The lookups the CLD derivation asks, from the rules' Upfront→CLD mappings (rules/england/cld.ts). A code
 * with no mapping gives undefined, and the derivation then writes the code as it is stored.
 */
export function cldLookupsFrom(rules: CldRules): CldLookups {
  const m = rules.mappings;
  const from = (table: Readonly<Record<string, string>>) => (code: string) =>
    Object.hasOwn(table, code) ? table[code] : undefined;
  const personTables = {
    sex: m.gender,
    ethnicity: m.ethnicity,
    accommodationStatus: m.accommodationStatus,
    employmentStatus: m.employmentStatus,
    hasUnpaidCarer: m.hasUnpaidCarer,
  };
  const a = m.assessment;
  const s = m.service;
  const r = m.review;
  return {
    clientTypeServiceUser: m.clientType,
    eventType: {
      request: m.eventType.referral,
      assessment: m.eventType.assessment,
      service: m.eventType.budget_line,
      review: m.eventType.review,
    },
    financialAssessmentEventType: m.eventType.financial_assessment,
    personField: (field, code) => from(personTables[field])(code),
    primarySupportReason: from(m.primarySupportReason),
    routeOfAccess: from(m.routeOfAccess),
    requestOutcome: from(m.requestOutcome),
    assessment: {
      needsType: a.type,
      financialType: a.financialAssessmentType,
      method: a.method,
      eligibleNeeds: (eligible) =>
        eligible ? a.eligibleNeedsIdentified.eligible : a.eligibleNeedsIdentified.notEligible,
      outcome: (eligible) => (eligible ? a.outcomeWhenEligible : a.outcomeWhenNotEligible),
    },
    clientFundingStatus: (pays) =>
      ({
        nothing: m.clientFundingStatus.paysNothing,
        part: m.clientFundingStatus.paysPart,
        all: m.clientFundingStatus.paysAll,
      })[pays],
    serviceType: () => s.serviceType,
    serviceComponent: (category) => from(s.componentByCategory)(category),
    deliveryMechanism: from(s.deliveryMechanismByDeployment),
    serviceOutcome: (endReason) =>
      endReason === null ? s.outcomeWhileOpen : endReason === "died" ? s.outcomeWhenDied : s.outcomeWhenEnded,
    costFrequency: { weekly: s.costFrequencyByUnit.week!, oneOff: s.costFrequencyByUnit.item! },
    review: {
      // Upfront records the reviews it schedules: a review of any kind it lists is a planned one.
      reason: (kinds) => (kinds.length > 0 ? from(r.reasonByKind)(kinds[0]!) : undefined),
      outcome: from(r.outcomeByResult),
      outcomesAchieved: (achieved) =>
        ({
          all: r.outcomesAchieved.allMet,
          some: r.outcomesAchieved.someMet,
          none: r.outcomesAchieved.noneMet,
        })[achieved],
      method: from(r.methodByCode),
    },
  };
}
