import { type AccommodationRecord, accommodationAtYearEnd } from "#/features/reports/ascof-2e.calc.ts";
import {
  type AgeBand,
  type AscofFigure,
  type AscofPeriod,
  ageBand,
  byAgeGroups,
  byPerson,
  dateOf,
  derivedEnd,
  figure,
  latestDeath,
  oneOf,
  personAge,
  same,
} from "#/features/reports/ascof-common.calc.ts";
import type { CldRow } from "#/features/reports/cld-record.ts";
import type { AscofRules, AscofSettingRung, CarerSupportKind } from "#/rules/registry.ts";

export type { AscofFigure, AscofPeriod } from "#/features/reports/ascof-common.calc.ts";

/**
 * ASCOF 3D (self-directed support and direct payments, for clients 3D1a/3D2a and carers 3D1b/3D2b) and 2E
 * (settled accommodation) from Client Level Data rows, as DHSC computes them from 2024-25 (REPORTING.md §1.14,
 * §6.5–6.6; the method and its strings are rule data, rulesFor(…).ascof). Pure: rows and period in, every figure
 * out with the people behind it and each person's working (setting, support, accommodation).
 */

/** A client in long-term support at the snapshot, placed in their highest setting. */
export type ClientSetting = {
  readonly person: string;
  readonly rung: AscofSettingRung;
  readonly ageBand: AgeBand;
};

/** A carer supported in the year, at their highest kind of support. */
export type CarerSupport = {
  readonly person: string;
  readonly kind: CarerSupportKind;
  readonly ageBand: AgeBand;
};

export type AscofResult = {
  readonly period: AscofPeriod;
  readonly rulesId: string;
  readonly figures: readonly AscofFigure[];
  readonly clients: readonly ClientSetting[];
  readonly carers: readonly CarerSupport[];
  readonly accommodation: readonly AccommodationRecord[];
  /** Community clients whose delivery mechanism is blank or invalid and whose component is not a direct payment. */
  readonly clientsWithUnknownMechanism: number;
  readonly carersWithUnknownMechanism: number;
  /** Rows with no NHS number and no LA person id: not counted anywhere (REPORTING.md §1.11). */
  readonly rowsWithoutPerson: number;
};

export function computeAscof(rows: readonly CldRow[], period: AscofPeriod, rules: AscofRules): AscofResult {
  if (!dateOf(period.start) || !dateOf(period.end) || period.end < period.start) {
    throw new RangeError(
      `An ASCOF period runs from a date to a later date; got ${period.start} to ${period.end}`,
    );
  }
  const { people, rowsWithoutPerson } = byPerson(rows);
  const clients = clientsAtSnapshot(people, period.end, rules);
  const carers = carersInYear(people, period, rules);
  const accommodation = accommodationAtYearEnd(people, period, rules);
  const community = clients.filter((c) => same(c.rung.serviceType, rules.longTermServiceTypes.community));
  const mechanisms = rules.deliveryMechanisms;
  const selfDirected = [mechanisms.directPayment, mechanisms.managedPersonalBudget];
  const inCarerDenominator = carers.filter((c) => rules.carers.denominatorKinds.includes(c.kind));
  const figures: AscofFigure[] = [];
  for (const [group, list] of byAgeGroups(community)) {
    figures.push(figure("3D1a", group, list, (c) => oneOf(c.rung.deliveryMechanism, selfDirected), rules));
    figures.push(
      figure("3D2a", group, list, (c) => same(c.rung.deliveryMechanism, mechanisms.directPayment), rules),
    );
  }
  for (const [group, list] of byAgeGroups(inCarerDenominator)) {
    figures.push(figure("3D1b", group, list, (c) => rules.carers.selfDirectedKinds.includes(c.kind), rules));
    figures.push(figure("3D2b", group, list, (c) => rules.carers.directPaymentKinds.includes(c.kind), rules));
  }
  figures.push(...accommodationFigures(accommodation, rules));
  return {
    period,
    rulesId: rules.id,
    figures,
    clients,
    carers,
    accommodation,
    clientsWithUnknownMechanism: community.filter((c) => c.rung.deliveryMechanism === null).length,
    carersWithUnknownMechanism: carers.filter((c) => c.kind === "unknownMechanism").length,
    rowsWithoutPerson,
  };
}

/** 2E: everyone aged 18–64 and 65+ (unknown ages are in neither band, so not counted), each band, and LD 18–64. */
function accommodationFigures(records: readonly AccommodationRecord[], rules: AscofRules): AscofFigure[] {
  const known = records.filter((r) => r.ageBand !== "unknown");
  const working = known.filter((r) => r.ageBand === "18 to 64");
  const older = known.filter((r) => r.ageBand === "65 and above");
  const settled = (r: AccommodationRecord) => r.settled;
  return [
    figure("2E", "total", known, settled, rules),
    figure("2E", "18 to 64", working, settled, rules),
    figure("2E", "65 and above", older, settled, rules),
    figure(
      "2E LD",
      "18 to 64",
      working.filter((r) => r.learningDisability),
      settled,
      rules,
    ),
  ];
}

/**
 * 3D clients: each person with long-term support open at the snapshot (started on or before it, not ended before
 * it, not dead before it), placed at the highest rung of the setting hierarchy any of their services reaches.
 * Under-18s are left out; unknown ages stay in the total only.
 */
function clientsAtSnapshot(
  people: Map<string, CldRow[]>,
  snapshot: string,
  rules: AscofRules,
): ClientSetting[] {
  const settings: ClientSetting[] = [];
  for (const [person, rows] of people) {
    const death = latestDeath(rows);
    if (death !== null && death < snapshot) continue;
    let best: AscofSettingRung | undefined;
    for (const row of rows) {
      if (!openLongTermService(row, snapshot, death, rules)) continue;
      const rung = settingRung(row, rules);
      if (rung && (best === undefined || rung.rank < best.rank)) best = rung;
    }
    if (best === undefined) continue;
    const band = ageBand(personAge(rows, snapshot, "oldest"), rules);
    if (band !== "child") settings.push({ person, rung: best, ageBand: band });
  }
  return settings;
}

function openLongTermService(
  row: CldRow,
  snapshot: string,
  death: string | null,
  rules: AscofRules,
): boolean {
  if (!oneOf(row.clientType, rules.clientTypes.serviceUser)) return false;
  if (!oneOf(row.serviceType, Object.values(rules.longTermServiceTypes))) return false;
  const start = dateOf(row.eventStartDate);
  if (start === null || start > snapshot) return false;
  const end = derivedEnd(row, death);
  return end === null || (end >= start && end >= snapshot);
}

/**
 * The rung a service sits on. A Service Component of "Direct payment" makes the mechanism a direct payment; a
 * mechanism the hierarchy has no rung for with the service type (any mechanism on nursing or residential care, a
 * blank or invalid one on community support) falls to the type's catch-all rung.
 */
function settingRung(row: CldRow, rules: AscofRules): AscofSettingRung | undefined {
  const mechanism = same(row.serviceComponent, rules.directPaymentComponent)
    ? rules.deliveryMechanisms.directPayment
    : row.deliveryMechanism;
  const ofType = rules.settingHierarchy.filter((r) => same(r.serviceType, row.serviceType));
  return (
    ofType.find((r) => r.deliveryMechanism !== null && same(r.deliveryMechanism, mechanism)) ??
    ofType.find((r) => r.deliveryMechanism === null)
  );
}

/**
 * 3D carers, in-year: each carer with a carer event in the period (carer support services, assessments and
 * reviews, and information and advice), at the highest kind of support any of those events gave.
 */
function carersInYear(people: Map<string, CldRow[]>, period: AscofPeriod, rules: AscofRules): CarerSupport[] {
  const supports: CarerSupport[] = [];
  const order = rules.carers.supportHierarchy;
  for (const [person, rows] of people) {
    const death = latestDeath(rows);
    if (death !== null && death < period.start) continue;
    let best: CarerSupportKind | undefined;
    for (const row of rows) {
      if (!carerEventInYear(row, period, death, rules)) continue;
      const kind = carerSupportKind(row, rules);
      if (kind && (best === undefined || order.indexOf(kind) < order.indexOf(best))) best = kind;
    }
    if (best === undefined) continue;
    const band = ageBand(personAge(rows, period.end, "youngest"), rules);
    if (band !== "child") supports.push({ person, kind: best, ageBand: band });
  }
  return supports;
}

function carerEventInYear(
  row: CldRow,
  period: AscofPeriod,
  death: string | null,
  rules: AscofRules,
): boolean {
  if (!oneOf(row.clientType, rules.clientTypes.carer)) return false;
  const start = dateOf(row.eventStartDate);
  if (start === null || start > period.end) return false;
  const end = derivedEnd(row, death);
  if (end !== null && (end < start || end < period.start)) return false;
  const { carers, eventTypes } = rules;
  const noServiceType = (row.serviceType?.trim() ?? "") === "";
  return (
    (noServiceType && same(row.eventOutcome, carers.informationAndAdviceOutcome)) ||
    oneOf(row.serviceType, [carers.directToCarerServiceType, carers.involvingCaredForServiceType]) ||
    (noServiceType && oneOf(row.eventType, [eventTypes.assessment, eventTypes.review]))
  );
}

/**
 * DHSC's CASE of a carer's event into a kind of support. One deliberate difference: DHSC's SQL writes
 * `Service_Component NOT LIKE 'Direct payment'`, which is unknown (so no kind at all) when the component is blank;
 * here a blank component is simply "not a direct payment", which is what the rule says.
 */
function carerSupportKind(row: CldRow, rules: AscofRules): CarerSupportKind | undefined {
  const { carers, deliveryMechanisms: m, eventTypes } = rules;
  if (same(row.serviceType, carers.directToCarerServiceType)) {
    if (
      same(row.deliveryMechanism, m.directPayment) ||
      same(row.serviceComponent, rules.directPaymentComponent)
    ) {
      return "directPayment";
    }
    if (same(row.deliveryMechanism, m.managedPersonalBudget)) return "managedPersonalBudget";
    if (same(row.deliveryMechanism, m.commissionedSupport)) return "commissionedSupport";
    return "unknownMechanism";
  }
  if (same(row.serviceType, carers.involvingCaredForServiceType)) return "noDirectSupport";
  if (oneOf(row.eventType, [eventTypes.assessment, eventTypes.review])) {
    return same(row.eventOutcome, carers.informationAndAdviceOutcome)
      ? "informationAndAdvice"
      : "noDirectSupport";
  }
  const type = row.eventType?.trim().toLowerCase() ?? "";
  if (eventTypes.requestPrefixes.some((prefix) => type.startsWith(prefix.toLowerCase()))) {
    return "informationAndAdvice";
  }
  return undefined;
}
