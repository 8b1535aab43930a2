import { nhsCheckDigit } from "#/features/people/nhs-number.calc.ts";
import type { NewPerson } from "#/features/people/schemas.ts";
import { closeReferralIn, recordReferralIn } from "#/features/referrals/service.ts";
import type { TxContext } from "#/platform/context.ts";
import { addDays } from "#/platform/dates/calendar.ts";
import { rulesFor } from "#/rules/registry.ts";

/**
 * What the Client Level Data return needs on the demo people (issue 15): the coded answers of each person's record
 * (sex, ethnicity, accommodation, employment, unpaid carer), an NHS number and a GP practice, so the demo council's
 * return passes its own data-quality checks. From a PRNG stream of their own, so adding them changes nobody's name
 * or date of birth. Every value is made up: NHS numbers are from the 999 range NHS England keeps for testing (no
 * real person has one), GP practices are invented with codes starting Y99, no real practice's prefix.
 */

/** Demo Council's ONS code: E06 is a unitary authority's prefix; 999999 is no council's number. */
export const DEMO_ONS_CODE = "E06999999";

const DEMO_GP_PRACTICES = [
  { name: "Moss Lane Surgery", code: "Y99001" },
  { name: "Hazel Street Medical Centre", code: "Y99002" },
  { name: "Bramble Green Health Centre", code: "Y99003" },
] as const;

/** A valid NHS number in the test range (999 …): digits from `n`, skipping those with no check digit. */
export function demoNhsNumber(n: number): string {
  for (let k = n * 11; ; k++) {
    const firstNine = `999${String(k % 1_000_000).padStart(6, "0")}`;
    const check = nhsCheckDigit(firstNine);
    if (check !== null) return `${firstNine}${check}`;
  }
}

/** seed.ts's seeded PRNG (passed in: this module is called from seed.ts, so it cannot import it back). */
type Next = () => number;
const pick = <T>(next: Next, list: readonly T[]): T => list[Math.floor(next() * list.length)]!;

/** Mostly a usual answer; now and then any other on the list, as real caseloads have. */
function code(next: Next, codes: readonly string[], usual: readonly string[]): string {
  return next() < 0.8 ? pick(next, usual) : pick(next, codes);
}

/** The people with their CLD fields added; everything else about them is unchanged. */
export function withDemoCldFields(people: readonly NewPerson[], next: Next, today: string): NewPerson[] {
  const r = next;
  const lists = rulesFor("england", today).personFields.rules;
  const codes = (
    field: "sex" | "ethnicity" | "accommodationStatus" | "employmentStatus" | "hasUnpaidCarer",
  ) => lists[field].options.map((o) => o.code);
  return people.map((person, i) => {
    const gp = pick(r, DEMO_GP_PRACTICES);
    return {
      ...person,
      nhsNumber: demoNhsNumber(i + 1),
      sex: code(r, codes("sex"), ["female", "male"]),
      ethnicity: code(r, codes("ethnicity"), ["white-british"]),
      accommodationStatus: code(r, codes("accommodationStatus"), ["owner-occupier", "tenant-social"]),
      employmentStatus: code(r, codes("employmentStatus"), ["not-seeking-or-retired"]),
      hasUnpaidCarer: code(r, codes("hasUnpaidCarer"), ["yes", "no"]),
      gpPracticeName: gp.name,
      gpPracticeCode: gp.code,
      fieldListsId: lists.id,
    };
  });
}

/**
 * A few requests for support, so the demo's return has Request events: the first people asked two months ago,
 * by different routes; most requests are closed with an outcome, one is still open (and so not yet in a return).
 */
export async function seedDemoReferrals(
  t: TxContext,
  people: readonly { personId: string }[],
): Promise<void> {
  const requests = [
    { route: "community_or_other", source: "self", outcome: "progress_to_assessment" },
    { route: "discharge_from_hospital", source: "hospital", outcome: "progress_to_assessment" },
    { route: "community_or_other", source: "on_their_behalf", outcome: "nfa_information_advice" },
    { route: "planned_entry_transition", source: "council_service", outcome: "progress_to_assessment" },
    { route: "community_or_other", source: "gp_or_primary_care", outcome: null },
  ] as const;
  for (const [i, request] of requests.entries()) {
    const person = people[i];
    if (!person) return;
    const receivedOn = addDays(t.today, -60 + i);
    const referral = await recordReferralIn(t, {
      personId: person.personId,
      receivedOn,
      routeOfAccess: request.route,
      requestSource: request.source,
    });
    if (request.outcome) {
      await closeReferralIn(t, {
        referralId: referral.referralId,
        outcome: request.outcome,
        closedOn: addDays(receivedOn, 3),
      });
    }
  }
}
