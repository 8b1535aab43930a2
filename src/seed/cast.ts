import type { AddedStaff } from "#/features/staff/staff-with-passwords.ts";
import type { Actor } from "#/platform/db/tenant.ts";

/** A demo person whose submitted assessment gave them an indicative budget. */
export type CastPerson = {
  personId: string;
  reference: string;
  givenName: string;
  familyName: string;
  weeklyPence: number;
};

/**
 * Who the demo's later steps act as and for, handed on from the steps that made them, so the seed writes and
 * reads through the features' services only and never queries their tables behind them.
 */
export type DemoCast = {
  /** People with an indicative budget, by reference (the order accounts-seed.ts gives person1, person2…). */
  withAllocations: readonly CastPerson[];
  staffByEmail: ReadonlyMap<string, AddedStaff>;
  /** Filled by accounts-seed.ts: each account holder's person id → their account. */
  accounts: Map<string, { accountId: string; name: string }>;
};

export function demoCast(staff: readonly AddedStaff[], withAllocations: readonly CastPerson[]): DemoCast {
  return {
    withAllocations: [...withAllocations].sort((a, b) => (a.reference < b.reference ? -1 : 1)),
    staffByEmail: new Map(staff.map((s) => [s.email, s])),
    accounts: new Map(),
  };
}

/** A member of staff the seed made, as the actor a use case runs as; undefined if the seed did not make them. */
export function castStaff(cast: DemoCast, email: string): (AddedStaff & { actor: Actor }) | undefined {
  const member = cast.staffByEmail.get(email);
  return member && { ...member, actor: { type: "staff", id: member.userId, name: member.name } };
}
