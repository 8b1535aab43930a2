import { createLocalAccountIn, linkRepresentativeAccountIn } from "#/features/accounts/local-accounts.ts";
import { addRepresentativeIn } from "#/features/accounts/service.ts";
import type { TxContext } from "#/platform/context.ts";
import type { DemoCast } from "./cast.ts";

/**
 * Demo Council's people sign in too: the first few people (by reference) with an indicative budget get local
 * accounts linked to their records, and one representative account acts for another of them as a family
 * member with their agreement. person1 also has a friend waiting for their agreement, so the consent step
 * shows. Same password as the staff accounts.
 */

export type DemoPersonAccount = { email: string; role: string };

export const DEMO_PERSON_ACCOUNTS: readonly DemoPersonAccount[] = [
  { email: "person1@demo.upfront.test", role: "a person with a budget (their own record)" },
  { email: "person2@demo.upfront.test", role: "a person with a budget (their own record)" },
  { email: "person3@demo.upfront.test", role: "a person with a budget (their own record)" },
  { email: "representative1@demo.upfront.test", role: "a family member representing person 4" },
];

export async function seedDemoAccounts(
  t: TxContext,
  cast: DemoCast,
  password: string,
): Promise<{ accounts: number }> {
  const people = cast.withAllocations.slice(0, 4);
  if (people.length < 4) return { accounts: 0 };
  const holders = people.slice(0, 3);
  for (const [i, person] of holders.entries()) {
    const name = `${person.givenName} ${person.familyName}`;
    const email = DEMO_PERSON_ACCOUNTS[i]!.email;
    const accountId = await createLocalAccountIn(t, { name, email, password }, person.personId);
    cast.accounts.set(person.personId, { accountId, name });
  }

  // A family member of person 4, with their agreement, who may see the records, help with the plan and ask
  // for a decision to be looked at again.
  const represented = people[3]!;
  const repAccountId = await createLocalAccountIn(
    t,
    { name: "Robin Relative", email: DEMO_PERSON_ACCOUNTS[3]!.email, password },
    null,
  );
  const rep = await addRepresentativeIn(t, represented.personId, {
    name: "Robin Relative",
    relationship: "Daughter",
    kind: "family_or_friend",
    scopes: ["view", "edit_plan", "ask_for_review"],
    consent: "in_writing",
  });
  await linkRepresentativeAccountIn(t, rep.representativeId, repAccountId, represented.personId);

  // person1 has a friend the council recorded, waiting for person1 to agree online.
  await addRepresentativeIn(t, holders[0]!.personId, {
    name: "Sam Friend",
    relationship: "Friend",
    kind: "family_or_friend",
    scopes: ["view", "ask_for_review"],
    consent: null,
  });
  return { accounts: DEMO_PERSON_ACCOUNTS.length };
}
