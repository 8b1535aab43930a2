import { blankCldRow, type CldEvent, type CldRow, type CldRowSource } from "#/features/reports/cld-record.ts";

/**
 * The Client Level Data (CLD) events derived from what Upfront records (REPORTING.md §1, issue 15): a Request event
 * per referral or self-referral, an Assessment event per submitted needs assessment and per completed financial
 * assessment (Assessment Type "Financial Assessment"), a Service event per agreed support line of a personal
 * budget, and a Review event per review held. The person's fields come from their coded record: nothing is
 * invented, so a field never recorded stays blank (the data-quality checks score it), and a code the lists cannot
 * map is written as it is stored (so it scores as invalid and staff see which code to fix).
 *
 * Pure: facts and the CLD lookups (from the rules in force on the period's end date) in, rows out.
 */

// ---- the facts (each owner's read function returns these shapes) --------------------------------------------

export type CldPersonFact = {
  personId: string;
  reference: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  postcode: string | null;
  nhsNumber: string | null;
  sex: string | null;
  ethnicity: string | null;
  accommodationStatus: string | null;
  employmentStatus: string | null;
  hasUnpaidCarer: string | null;
  gpPracticeName: string | null;
  gpPracticeCode: string | null;
};

export type CldReferralFact = {
  referralId: string;
  reference: string;
  personId: string;
  receivedOn: string;
  routeOfAccess: string;
  selfReferral: boolean;
  outcome: string | null;
  closedOn: string | null;
};

export type CldAssessmentFact = {
  assessmentId: string;
  personId: string;
  startedOn: string;
  decisionDate: string | null;
  eligible: boolean | null;
  primarySupportReason: string | null;
};

export type PersonPays = "nothing" | "part" | "all";

export type CldFinancialAssessmentFact = {
  financialAssessmentId: string;
  personId: string;
  startedOn: string;
  completedOn: string;
  personPays: PersonPays | null;
};

export type BudgetEndReason = "replaced" | "support_ended" | "died" | "moved_away" | "other";

export type CldBudgetLineFact = {
  budgetId: string;
  lineNo: number;
  personId: string;
  category: string;
  deployment: string;
  weeklyPence: number;
  oneOffPence: number;
  providerId: string | null;
  startDate: string;
  endDate: string | null;
  endReason: BudgetEndReason | null;
};

export type CldReviewFact = {
  reviewId: string;
  personId: string;
  heldOn: string;
  kinds: readonly string[];
  result: string;
  outcomesAchieved: "all" | "some" | "none" | null;
  /** Upfront's code for how it was held, or null where none was recorded (never filled in). */
  method: string | null;
};

export type CldProviderFact = { providerId: string; name: string; cqcLocationId: string | null };

export type CldFacts = {
  /** The council's code for the return; null when the council has none recorded (LA Code is then blank). */
  laCode: string | null;
  people: readonly CldPersonFact[];
  referrals: readonly CldReferralFact[];
  assessments: readonly CldAssessmentFact[];
  financialAssessments: readonly CldFinancialAssessmentFact[];
  budgetLines: readonly CldBudgetLineFact[];
  reviews: readonly CldReviewFact[];
  providers: readonly CldProviderFact[];
};

// ---- what the rules give (built from rulesFor(…).cld by cld-lookups.calc.ts) ----------------------------------

/** Each lookup gives the CLD value for an Upfront code, or undefined when the code has no mapping. */
export type CldLookups = {
  clientTypeServiceUser: string;
  eventType: { request: string; assessment: string; service: string; review: string };
  financialAssessmentEventType: string;
  personField(
    field: "sex" | "ethnicity" | "accommodationStatus" | "employmentStatus" | "hasUnpaidCarer",
    code: string,
  ): string | undefined;
  primarySupportReason(id: string): string | undefined;
  routeOfAccess(id: string): string | undefined;
  requestOutcome(id: string): string | undefined;
  assessment: {
    needsType: string;
    financialType: string;
    method: string | null;
    eligibleNeeds(eligible: boolean): string | undefined;
    outcome(eligible: boolean): string | undefined;
  };
  clientFundingStatus(pays: PersonPays): string | undefined;
  serviceType(category: string, deployment: string): string | undefined;
  serviceComponent(category: string, deployment: string): string | undefined;
  deliveryMechanism(deployment: string): string | undefined;
  /** The outcome of a service event: open (null end reason) or ended for a reason. */
  serviceOutcome(endReason: BudgetEndReason | null): string | undefined;
  costFrequency: { weekly: string; oneOff: string };
  review: {
    reason(kinds: readonly string[]): string | undefined;
    outcome(result: string): string | undefined;
    outcomesAchieved(achieved: "all" | "some" | "none"): string | undefined;
    /** The CLD value for how a review was held; undefined when the code has no mapping. */
    method(code: string): string | undefined;
  };
};

export type CldPeriod = { start: string; end: string };

// ---- derivation -------------------------------------------------------------------------------------------------

/** Pence as pounds with two decimals ("123.45"), from the integer: never through a float. */
export function poundsFromPence(pence: number): string {
  const sign = pence < 0 ? "-" : "";
  const abs = Math.abs(pence);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** The mapped value, or the stored code as it is when there is no mapping (scored invalid), or blank. */
const mapped = (code: string | null, lookup: (code: string) => string | undefined): string | null =>
  code === null ? null : (lookup(code) ?? code);

const earlier = (a: string, b: string) => (a <= b ? a : b);

type PersonContext = {
  person: CldPersonFact;
  base: CldRow;
  fundingStatus: string | null;
};

function byPerson<T extends { personId: string }>(rows: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.personId);
    if (list) list.push(row);
    else map.set(row.personId, [row]);
  }
  return map;
}

/**
 * A value that depends on the period's end (the primary support reason, the client funding status): its
 * candidates in date order, each as the return writes it. The one in force for a period is the last dated on or
 * before the period's end, or the last of all when none is (choiceAt). The events table (cld-store.ts) keeps the
 * candidates so an export picks the one for its period; the in-memory return picks it here, the same way.
 */
export type DatedChoice = readonly [date: string, value: string | null];

export function choiceAt(choices: readonly DatedChoice[], periodEnd: string): string | null {
  let found: DatedChoice | undefined;
  for (const choice of choices) if (choice[0] <= periodEnd) found = choice;
  return (found ?? choices.at(-1))?.[1] ?? null;
}

/**
 * The person's primary support reason: from their latest submitted assessment decided by the period's end (the
 * latest at all if none was), since CLD carries one PSR per person. Mapped to the CLD value (or kept as stored
 * when it has none, so it scores invalid).
 */
export function primarySupportReasonChoices(
  assessments: readonly CldAssessmentFact[],
  lookups: CldLookups,
): DatedChoice[] {
  return [...assessments]
    .filter((a) => a.primarySupportReason !== null)
    .sort((a, b) => (a.decisionDate ?? a.startedOn).localeCompare(b.decisionDate ?? b.startedOn))
    .map((a) => [
      a.decisionDate ?? a.startedOn,
      mapped(a.primarySupportReason, (id) => lookups.primarySupportReason(id)),
    ]);
}

/** A budget that ended because the person died gives their date of death (the earliest such end). */
function dateOfDeathOf(lines: readonly CldBudgetLineFact[]): string | null {
  const deaths = lines.filter((l) => l.endReason === "died" && l.endDate !== null).map((l) => l.endDate!);
  return deaths.length === 0 ? null : deaths.reduce(earlier);
}

/**
 * The client funding status of a person's services and reviews: from the financial assessment in force for the
 * period, the latest completed by its end (or the latest at all).
 */
export function fundingStatusChoices(
  assessments: readonly CldFinancialAssessmentFact[],
  lookups: CldLookups,
): DatedChoice[] {
  return [...assessments]
    .sort((a, b) => a.completedOn.localeCompare(b.completedOn))
    .map((a) => [a.completedOn, fundingStatusOf(lookups, a.personPays)]);
}

function personRow(
  facts: CldFacts,
  lookups: CldLookups,
  period: CldPeriod,
  person: CldPersonFact,
  own: { assessments: CldAssessmentFact[]; lines: CldBudgetLineFact[] },
): CldRow {
  const row = blankCldRow();
  const coded = (field: Parameters<CldLookups["personField"]>[0]) =>
    mapped(person[field], (code) => lookups.personField(field, code));
  Object.assign(row, {
    laCode: facts.laCode,
    reportingPeriodStartDate: period.start,
    reportingPeriodEndDate: period.end,
    nhsNumber: person.nhsNumber,
    laPersonUniqueIdentifier: person.reference,
    firstName: person.givenName,
    lastName: person.familyName,
    gpPracticeName: person.gpPracticeName,
    gpPracticeCode: person.gpPracticeCode,
    gender: coded("sex"),
    ethnicity: coded("ethnicity"),
    dateOfBirth: person.dateOfBirth,
    dateOfDeath: dateOfDeathOf(own.lines),
    clientType: lookups.clientTypeServiceUser,
    primarySupportReason: choiceAt(primarySupportReasonChoices(own.assessments, lookups), period.end),
    postcode: person.postcode,
    accommodationStatus: coded("accommodationStatus"),
    employmentStatus: coded("employmentStatus"),
    hasUnpaidCarer: coded("hasUnpaidCarer"),
  } satisfies Partial<CldRow>);
  return row;
}

const fundingStatusOf = (lookups: CldLookups, pays: PersonPays | null | undefined): string | null =>
  pays == null ? null : (lookups.clientFundingStatus(pays) ?? pays);

function event(
  ctx: PersonContext,
  source: Omit<CldRowSource, "personId">,
  fields: Partial<CldRow>,
): CldEvent {
  return { row: { ...ctx.base, ...fields }, source: { personId: ctx.person.personId, ...source } };
}

function requestEvents(ctx: PersonContext, lookups: CldLookups, referrals: readonly CldReferralFact[]) {
  return referrals.map((r) =>
    event(
      ctx,
      { kind: "referral", id: r.referralId },
      {
        eventType: lookups.eventType.request,
        eventReference: r.reference,
        eventStartDate: r.receivedOn,
        eventEndDate: r.closedOn,
        eventDescription: r.selfReferral ? "Self-referral" : null,
        eventOutcome: mapped(r.outcome, (id) => lookups.requestOutcome(id)),
        requestRouteOfAccess: mapped(r.routeOfAccess, (id) => lookups.routeOfAccess(id)),
      },
    ),
  );
}

function assessmentEvents(
  ctx: PersonContext,
  lookups: CldLookups,
  assessments: readonly CldAssessmentFact[],
) {
  return assessments.map((a) => {
    const eligible = a.eligible;
    return event(
      ctx,
      { kind: "assessment", id: a.assessmentId },
      {
        eventType: lookups.eventType.assessment,
        eventReference: a.assessmentId,
        // A decision dated before the record was made (an assessment entered afterwards) starts on its decision.
        eventStartDate: a.decisionDate === null ? a.startedOn : earlier(a.startedOn, a.decisionDate),
        eventEndDate: a.decisionDate,
        eventOutcome: eligible === null ? null : (lookups.assessment.outcome(eligible) ?? null),
        assessmentType: lookups.assessment.needsType,
        eligibleNeedsIdentified:
          eligible === null ? null : (lookups.assessment.eligibleNeeds(eligible) ?? null),
        methodOfAssessment: lookups.assessment.method,
      },
    );
  });
}

function financialEvents(
  ctx: PersonContext,
  lookups: CldLookups,
  assessments: readonly CldFinancialAssessmentFact[],
) {
  return assessments.map((f) =>
    event(
      ctx,
      { kind: "financial_assessment", id: f.financialAssessmentId },
      {
        clientFundingStatus: fundingStatusOf(lookups, f.personPays),
        eventType: lookups.financialAssessmentEventType,
        eventReference: f.financialAssessmentId,
        eventStartDate: earlier(f.startedOn, f.completedOn),
        eventEndDate: f.completedOn,
        assessmentType: lookups.assessment.financialType,
      },
    ),
  );
}

function serviceEvents(
  ctx: PersonContext,
  lookups: CldLookups,
  lines: readonly CldBudgetLineFact[],
  providers: ReadonlyMap<string, CldProviderFact>,
) {
  return lines.flatMap((l) => {
    const provider = l.providerId ? providers.get(l.providerId) : undefined;
    const cqc = provider?.cqcLocationId ? provider : undefined;
    const common: Partial<CldRow> = {
      clientFundingStatus: ctx.fundingStatus,
      eventType: lookups.eventType.service,
      eventStartDate: l.startDate,
      eventEndDate: l.endDate,
      eventOutcome: lookups.serviceOutcome(l.endReason) ?? l.endReason,
      serviceType: lookups.serviceType(l.category, l.deployment) ?? l.category,
      serviceComponent: lookups.serviceComponent(l.category, l.deployment) ?? l.category,
      deliveryMechanism: lookups.deliveryMechanism(l.deployment) ?? l.deployment,
      providerCqcLocationName: cqc?.name ?? null,
      providerCqcLocationId: cqc?.cqcLocationId ?? null,
      plannedUnitsPerWeek: "1",
    };
    const source = { kind: "budget_line" as const, id: `${l.budgetId}/${l.lineNo}` };
    const out: CldEvent[] = [];
    // A line with a weekly amount is one weekly service; a one-off amount (equipment, say) is a one-off cost.
    if (l.weeklyPence > 0 || l.oneOffPence === 0) {
      out.push(
        event(ctx, source, {
          ...common,
          eventReference: `${l.budgetId}/${l.lineNo}`,
          unitCost: poundsFromPence(l.weeklyPence),
          costFrequencyUnitType: lookups.costFrequency.weekly,
        }),
      );
    }
    if (l.oneOffPence > 0) {
      out.push(
        event(ctx, source, {
          ...common,
          eventReference: `${l.budgetId}/${l.lineNo}/one-off`,
          unitCost: poundsFromPence(l.oneOffPence),
          costFrequencyUnitType: lookups.costFrequency.oneOff,
        }),
      );
    }
    return out;
  });
}

function reviewEvents(ctx: PersonContext, lookups: CldLookups, reviews: readonly CldReviewFact[]) {
  return reviews.map((r) =>
    event(
      ctx,
      { kind: "review", id: r.reviewId },
      {
        clientFundingStatus: ctx.fundingStatus,
        eventType: lookups.eventType.review,
        eventReference: r.reviewId,
        eventStartDate: r.heldOn,
        eventEndDate: r.heldOn,
        eventOutcome: mapped(r.result, (result) => lookups.review.outcome(result)),
        reviewReason: lookups.review.reason(r.kinds) ?? r.kinds.join(", "),
        reviewOutcomesAchieved:
          r.outcomesAchieved === null
            ? null
            : (lookups.review.outcomesAchieved(r.outcomesAchieved) ?? r.outcomesAchieved),
        methodOfReview: r.method === null ? null : (lookups.review.method(r.method) ?? r.method),
      },
    ),
  );
}

/** Every event of every person in the facts, person by person in the order given, then event kind and date. */
export function deriveCldEvents(facts: CldFacts, lookups: CldLookups, period: CldPeriod): CldEvent[] {
  const referrals = byPerson(facts.referrals);
  const assessments = byPerson(facts.assessments);
  const financial = byPerson(facts.financialAssessments);
  const lines = byPerson(facts.budgetLines);
  const reviews = byPerson(facts.reviews);
  const providers = new Map(facts.providers.map((p) => [p.providerId, p]));
  const events: CldEvent[] = [];
  for (const person of facts.people) {
    const own = {
      assessments: assessments.get(person.personId) ?? [],
      lines: lines.get(person.personId) ?? [],
    };
    const ownFinancial = financial.get(person.personId) ?? [];
    const ctx: PersonContext = {
      person,
      base: personRow(facts, lookups, period, person, own),
      fundingStatus: choiceAt(fundingStatusChoices(ownFinancial, lookups), period.end),
    };
    events.push(
      ...requestEvents(ctx, lookups, referrals.get(person.personId) ?? []),
      ...assessmentEvents(ctx, lookups, own.assessments),
      ...financialEvents(ctx, lookups, ownFinancial),
      ...serviceEvents(ctx, lookups, own.lines, providers),
      ...reviewEvents(ctx, lookups, reviews.get(person.personId) ?? []),
    );
  }
  return events;
}
