import { blankCldRow, type CldRow } from "#/features/reports/cld-record.ts";

/**
 * A small population written by hand for the ASCOF tests: CLD rows with Release 2 values as REPORTING.md gives
 * them (literal strings on purpose, so the tests check the rule data too). The year is 2025-26; the client
 * snapshot is 31 March 2026. Each person's expected place is in ascof.calc.test.ts, with the working.
 */

export const YEAR_2025_26 = { start: "2025-04-01", end: "2026-03-31" } as const;

export const NURSING = "Long term support: Nursing care";
export const RESIDENTIAL = "Long term support: Residential care";
export const COMMUNITY = "Long term support: Community";
export const PRISON = "Long term support: Prison";
export const DIRECT_TO_CARER = "Unpaid carer support: Direct to unpaid carer";
export const INVOLVING_CARED_FOR = "Unpaid carer support: Support involving the person cared-for";
export const DP = "Direct payment";
export const MANAGED_PB = "CASSR managed personal budget";
export const COMMISSIONED = "CASSR commissioned support";

type Person = { nhs: string | null; laId?: string; dob: string | null; accommodation?: string; psr?: string };

/** One event for a person; the person's details repeat on every row, as they do in the file. */
export function cldRow(person: Person, event: Partial<CldRow>): CldRow {
  return {
    ...blankCldRow(),
    laCode: "E06000099",
    reportingPeriodStartDate: YEAR_2025_26.start,
    reportingPeriodEndDate: YEAR_2025_26.end,
    nhsNumber: person.nhs,
    laPersonUniqueIdentifier: person.laId ?? null,
    dateOfBirth: person.dob,
    clientType: "Service user",
    primarySupportReason: person.psr ?? "Physical support: Personal care support",
    accommodationStatus: person.accommodation ?? null,
    eventType: "Service",
    ...event,
  };
}

const service = (
  serviceType: string,
  deliveryMechanism: string | null,
  start: string,
  end: string | null = null,
) => ({
  eventType: "Service",
  serviceType,
  deliveryMechanism,
  serviceComponent: "Home support or domiciliary care",
  eventStartDate: start,
  eventEndDate: end,
});

const ann = { nhs: "9000000001", dob: "1940-05-20", accommodation: "Registered nursing home" };
const bill = {
  nhs: "9000000002",
  dob: "1985-06-15",
  accommodation: "Owner occupier or shared ownership scheme",
};
const cath = { nhs: "9000000003", dob: "1955-02-10", accommodation: "Tenant: Private landlord" };
const dev = {
  nhs: "9000000004",
  dob: "1995-09-01",
  accommodation: "Supported accommodation, supported lodgings or supported group home",
  psr: "Learning disability support",
};
const eve = { nhs: "9000000005", dob: "1945-08-20", accommodation: "Unknown" };
const fred = {
  nhs: "9000000006",
  dob: "1975-03-03",
  accommodation: "Prison, young offenders institution or detention centre",
  psr: "Learning Disability Support",
};
const gail = { nhs: "9000000007", dob: "1961-02-01", accommodation: "Rough sleeper or squatting" };
const hal = { nhs: "9000000008", dob: "1980-11-11" };
const ivy = { nhs: null, laId: "IVY-1", dob: null, accommodation: "Tenant: Private landlord" };
const jo = {
  nhs: "9000000010",
  dob: "2008-10-01",
  accommodation: "Settled mainstream housing with family or friends",
};
const ken = {
  nhs: "9000000011",
  dob: "1950-06-10",
  accommodation: "Sheltered housing, extra care housing or other sheltered housing",
};
const lin = { nhs: "9000000012", dob: "1970-01-01", accommodation: "Tenant: Private landlord" };
const nia = { nhs: "9000000014", dob: "1937-12-24", accommodation: "Registered care home" };
const oli = { nhs: "9000000015", dob: "1965-07-07" };
const nobody = { nhs: null, dob: "1960-01-01" };

/** Service users: see the test for each one's place. */
export function serviceUserRows(): CldRow[] {
  return [
    cldRow(ann, service(NURSING, null, "2024-06-01")),
    cldRow(ann, service(COMMUNITY, DP, "2023-01-01")),
    cldRow(bill, service(COMMUNITY, DP, "2024-09-01")),
    cldRow(cath, service(COMMUNITY, MANAGED_PB, "2025-05-01")),
    cldRow(dev, service(COMMUNITY, COMMISSIONED, "2022-02-01")),
    cldRow(eve, service(COMMUNITY, null, "2025-07-01")),
    cldRow(fred, service(PRISON, COMMISSIONED, "2025-01-10")),
    cldRow(gail, service(COMMUNITY, COMMISSIONED, "2025-03-01", "2026-01-31")),
    cldRow(
      { ...hal, accommodation: "Tenant: Private landlord" },
      service(COMMUNITY, COMMISSIONED, "2024-01-01"),
    ),
    cldRow(
      { ...hal, accommodation: "Staying with family or friends as a short term guest" },
      { ...service(COMMUNITY, COMMISSIONED, "2025-09-01"), serviceComponent: "Direct payment" },
    ),
    cldRow(ivy, service(COMMUNITY, MANAGED_PB, "2025-10-01")),
    cldRow(jo, service(COMMUNITY, DP, "2025-11-01")),
    cldRow(ken, { ...service(COMMUNITY, DP, "2020-01-01"), dateOfDeath: "2026-02-15" }),
    cldRow(lin, service(COMMUNITY, DP, "2026-04-10")),
    cldRow(nia, service(RESIDENTIAL, null, "2025-12-01")),
    cldRow(nia, service(COMMUNITY, MANAGED_PB, "2024-04-01")),
    cldRow(
      { ...oli, accommodation: "Tenant: Private landlord" },
      service(COMMUNITY, MANAGED_PB, "2025-05-01"),
    ),
    cldRow(
      { ...oli, accommodation: "Refuge" },
      { ...service(COMMUNITY, MANAGED_PB, "2025-05-01"), serviceComponent: "Day support" },
    ),
    cldRow(nobody, service(COMMUNITY, DP, "2025-05-01")),
  ];
}

const carerEvent = (person: Person, event: Partial<CldRow>) =>
  cldRow(person, { clientType: "Unpaid carer", accommodationStatus: null, ...event });

/** Unpaid carers: see the test for each one's place. */
export function carerRows(): CldRow[] {
  const pat = { nhs: "9100000001", dob: "1970-01-15" };
  const quin = { nhs: "9100000002", dob: "1955-05-05" };
  const rae = { nhs: "9100000003", dob: "1985-12-12" };
  const sam = { nhs: "9100000004", dob: "1965-01-01" };
  const tia = { nhs: "9100000005", dob: "1975-01-01" };
  const uma = { nhs: "9100000006", dob: "1980-01-01" };
  const vic = { nhs: "9100000007", dob: "1956-02-02" };
  const carerService = (mechanism: string | null, start: string, end: string | null = null) => ({
    ...service(DIRECT_TO_CARER, mechanism, start, end),
    serviceComponent: "Carer respite",
  });
  const assessment = (outcome: string) => ({
    eventType: "Assessment",
    assessmentType: "Long term assessment",
    eventStartDate: "2025-06-01",
    eventEndDate: "2025-06-20",
    eventOutcome: outcome,
  });
  return [
    carerEvent(pat, carerService(DP, "2025-05-01", "2025-11-30")),
    carerEvent(quin, assessment("Progress to support planning or services")),
    carerEvent(quin, carerService(MANAGED_PB, "2025-07-01")),
    carerEvent(rae, carerService(COMMISSIONED, "2024-10-01")),
    carerEvent(sam, carerService("Not a mechanism", "2025-08-01")),
    carerEvent(tia, assessment("NFA: Information and advice or signposting")),
    carerEvent(uma, carerService(DP, "2024-01-01", "2025-03-15")),
    carerEvent(uma, service(INVOLVING_CARED_FOR, null, "2025-09-01")),
    carerEvent(vic, {
      ...carerService(COMMISSIONED, "2025-10-01"),
      clientType: "Unpaid carer known by association",
      serviceComponent: "Direct payment",
    }),
  ];
}
