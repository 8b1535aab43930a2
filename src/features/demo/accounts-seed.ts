import * as accounts from "#/features/accounts/repository.ts";
import { addRepresentativeIn } from "#/features/accounts/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { hashPassword } from "#/platform/auth/passwords.ts";
import type { TxContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";

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

/** The people (by reference) whose latest submitted assessment has an allocation. */
async function peopleWithBudgets(tx: TxContext["tx"], count: number) {
  return tx
    .selectFrom("people as p")
    .innerJoin("assessments as a", (j) =>
      j.onRef("a.tenant_id", "=", "p.tenant_id").onRef("a.person_id", "=", "p.person_id"),
    )
    .innerJoin("allocations as al", (j) =>
      j.onRef("al.tenant_id", "=", "a.tenant_id").onRef("al.assessment_id", "=", "a.assessment_id"),
    )
    .where("p.tenant_id", "=", tx.scope.tenantId)
    .select(["p.person_id", "p.reference", "p.given_name", "p.family_name"])
    .distinct()
    .orderBy("p.reference")
    .limit(count)
    .execute();
}

export async function seedDemoAccounts(t: TxContext, password: string): Promise<{ accounts: number }> {
  const { tx } = t;
  const people = await peopleWithBudgets(tx, 4);
  if (people.length < 4) return { accounts: 0 };
  const hashes = await Promise.all(DEMO_PERSON_ACCOUNTS.map(() => hashPassword(password)));
  const holders = people.slice(0, 3);
  for (const [i, person] of holders.entries()) {
    const accountId = uuidv7();
    await accounts.insertAccount(tx, {
      account_id: accountId,
      name: `${person.given_name} ${person.family_name}`,
      email: DEMO_PERSON_ACCOUNTS[i]!.email,
      password_hash: hashes[i]!,
      one_login_sub: null,
    });
    await accounts.linkAccountToPerson(tx, accountId, person.person_id);
    await audit(tx, {
      action: "create",
      recordType: "person_account",
      recordId: accountId,
      changes: { method: "local" },
    });
    await audit(tx, {
      action: "link",
      recordType: "person",
      recordId: person.person_id,
      changes: { accountId },
    });
  }

  // A family member of person 4, with their agreement, who may see the records, help with the plan and ask
  // for a decision to be looked at again.
  const represented = people[3]!;
  const repAccountId = uuidv7();
  await accounts.insertAccount(tx, {
    account_id: repAccountId,
    name: "Robin Relative",
    email: DEMO_PERSON_ACCOUNTS[3]!.email,
    password_hash: hashes[3]!,
    one_login_sub: null,
  });
  await audit(tx, {
    action: "create",
    recordType: "person_account",
    recordId: repAccountId,
    changes: { method: "local" },
  });
  const rep = await addRepresentativeIn(t, represented.person_id, {
    name: "Robin Relative",
    relationship: "Daughter",
    kind: "family_or_friend",
    scopes: ["view", "edit_plan", "ask_for_review"],
    consent: "in_writing",
  });
  await accounts.updateRepresentative(tx, rep.representativeId, { account_id: repAccountId });
  await audit(tx, {
    action: "link",
    recordType: "representative",
    recordId: rep.representativeId,
    changes: { accountId: repAccountId, personId: represented.person_id },
  });

  // person1 has a friend the council recorded, waiting for person1 to agree online.
  await addRepresentativeIn(t, holders[0]!.person_id, {
    name: "Sam Friend",
    relationship: "Friend",
    kind: "family_or_friend",
    scopes: ["view", "ask_for_review"],
    consent: null,
  });
  return { accounts: DEMO_PERSON_ACCOUNTS.length };
}
