import type { ReferralLists } from "#/rules/referral-list-types.ts";

export * from "#/rules/referral-list-types.ts";

/**
 * The coded lists a referral (a request for support) is recorded with in England: data, with dates and sources;
 * features/referrals validates against the list in force on the date.
 *
 * Event outcome: the Adult Social Care Client Level Data (CLD) Release 2 list, as DHSC's processing cleans it
 * (DHSC-DASH Main_tables/docs/methodology/5-data-cleaning.md, read for ../shared/REPORTING.md §1.9). Release 2 seems
 * to be live from around October 2025: DHSC maps Release 1 files sent from October 2025 onwards to Release 2
 * [UNCONFIRMED exact go-live date: the AGEM specification documents were not read]. Every "NFA: …" groups as "NFA".
 *
 * Route of access: CLD field 31 "Request: Route of Access", mandatory on Request events (REPORTING.md §1.2). Its
 * values are not in REPORTING.md [UNCONFIRMED]: the list below is the SALT STS001 request routes as remembered
 * (planned entry from children's services, discharge from hospital, diversion from hospital services, self-funder
 * with depleted funds, community or other route, prison) in Release 2's sentence case; check it against the AGEM
 * Release 2 specification before a return is built from it. A self-referral is "Community or other route".
 *
 * Request source (who made the request): CLD has no such field [UNCONFIRMED: none was found in the R1 field list];
 * this is Upfront's own list, for the council's own reporting and for knowing whom to call back.
 */

const outcome = (id: string, label: string) => ({
  id,
  label,
  group: label.startsWith("NFA:") ? "NFA" : label,
});

export const englandReferralListsR2: ReferralLists = {
  id: "england-cld-r2-2025-10",
  jurisdiction: "england",
  validFrom: "2025-10-01",
  routesOfAccess: [
    { id: "planned_entry_transition", label: "Planned entry (transition from children's services)" },
    { id: "discharge_from_hospital", label: "Discharge from hospital" },
    { id: "diversion_from_hospital", label: "Diversion from hospital services" },
    { id: "self_funder_depleted_funds", label: "Self-funder with depleted funds" },
    { id: "community_or_other", label: "Community or other route" },
    { id: "prison", label: "Prison" },
  ],
  requestSources: [
    { id: "self", label: "The person themselves" },
    { id: "on_their_behalf", label: "Someone else on the person's behalf (family, friend or carer)" },
    { id: "gp_or_primary_care", label: "GP or primary care" },
    { id: "hospital", label: "Hospital" },
    { id: "other_health", label: "Other health service" },
    { id: "council_service", label: "Another council service" },
    { id: "police_or_justice", label: "Police or criminal justice" },
    { id: "voluntary_or_community", label: "Voluntary or community organisation" },
    { id: "other", label: "Other" },
  ],
  eventOutcomes: [
    outcome("admitted_to_hospital", "Admitted to hospital"),
    outcome("continuation_of_support", "Continuation of support or services"),
    outcome("nfa_deceased", "NFA: Deceased"),
    outcome("nfa_information_advice", "NFA: Information and advice or signposting"),
    outcome("nfa_no_services_other", "NFA: No services offered for other reason"),
    outcome("nfa_other", "NFA: Other"),
    outcome("nfa_nhs", "NFA: Referral to NHS services or NHS funded social care"),
    outcome("nfa_other_council_service", "NFA: Referral to other service within the local authority"),
    outcome("nfa_moved_authority", "NFA: Responsibility moved to another local authority"),
    outcome("nfa_self_funded", "NFA: Self-funded client or under 12wk disregard"),
    outcome("nfa_support_declined", "NFA: Support declined"),
    outcome("nfa_ended_as_planned", "NFA: Support ended as planned"),
    outcome("nfa_ended_other", "NFA: Support ended for other reason"),
    outcome("progress_to_assessment", "Progress to assessment, review or reassessment"),
    outcome("progress_to_reablement", "Progress to reablement/ST-Max"),
    outcome("progress_to_support_planning", "Progress to support planning or services"),
  ],
  selfReferralRoute: "community_or_other",
  selfReferralSources: { person: "self", onBehalf: "on_their_behalf" },
  sources: [
    {
      title: "DHSC Adult Social Care CLD dashboard: data cleaning (Release 2 event outcomes)",
      provision: "Main_tables/docs/methodology/5-data-cleaning.md",
      url: "https://github.com/DataS-DHSC/ASC-CLD-LA-Dashboard",
      note: "read for ../shared/REPORTING.md §1.9; R2 go-live date [UNCONFIRMED]",
    },
    {
      title: "Adult Social Care Client Level Data: Request: Route of Access",
      provision: "CLD field 31 (Requests only)",
      url: "https://www.ardengemcsu.nhs.uk/adult-social-care-client-level-data/",
      note: "[UNCONFIRMED] value list not read from the AGEM specification; SALT STS001 routes used",
    },
  ],
};

const LISTS: readonly ReferralLists[] = [englandReferralListsR2];

/** The lists in force on a date, or undefined before the first (callers say what to fix). */
export function referralListsFor(date: string): ReferralLists | undefined {
  return LISTS.find((l) => l.validFrom <= date && (l.validTo === undefined || date <= l.validTo));
}

/** The first date any list applies from, for error messages. */
export const REFERRAL_LISTS_FROM = englandReferralListsR2.validFrom;
