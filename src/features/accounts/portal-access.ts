import { z } from "zod";
import {
  findRepresentativeOf,
  type RepresentativeView,
  toRepresentation,
  toView,
} from "#/features/accounts/representatives.ts";
import { findPersonRow, namesInNameOrderIn } from "#/features/people/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ConflictError, ForbiddenError, NotFoundError } from "#/platform/errors.ts";
import {
  type AccessDecision,
  basisOf,
  decideAccess,
  effectiveScopes,
  type PortalActor,
  type Representation,
  representationState,
  type Scope,
} from "./access.calc.ts";
import * as repo from "./repository.ts";

const isUuid = (s: string) => z.uuid().safeParse(s).success;

// ---- the portal's side: who is this account, and may it do this? ------------------------------------------------

/** The account's own record and its representations, read fresh (consent withdrawn ends access at once). */
export async function portalActorIn(tx: TenantTx, accountId: string): Promise<PortalActor> {
  const account = await repo.findAccount(tx, accountId);
  if (!account || account.disabled_at) return { accountId, personId: null, representations: [] };
  const reps = await repo.listRepresentationsBy(tx, accountId);
  return { accountId, personId: account.person_id, representations: reps.map(toRepresentation) };
}

/**
 * The portal's one authorisation check, inside the caller's tenant transaction (whose actor is the person's
 * account). Refused → NotFoundError, so a page never says whose records exist. A representative's access is
 * itself audited, naming the representation it rests on.
 */
export async function authoriseIn(
  { tx, today }: TxContext,
  personId: string,
  scope: Scope,
): Promise<Extract<AccessDecision, { allowed: true }>> {
  const accountId = tx.scope.actor.id;
  if (tx.scope.actor.type !== "person" || !accountId)
    throw new ForbiddenError("Only a signed-in person may do this");
  const decision = isUuid(personId)
    ? decideAccess(await portalActorIn(tx, accountId), personId, scope, today)
    : ({ allowed: false, reason: "Not an id" } as const);
  if (!decision.allowed) throw new NotFoundError("The page");
  if (decision.as === "representative") {
    await audit(tx, {
      action: "act_for",
      recordType: "person",
      recordId: personId,
      changes: { representativeId: decision.representativeId, kind: decision.kind, scope },
    });
  }
  return decision;
}

export async function authorise(
  ctx: ServiceContext,
  personId: string,
  scope: Scope,
): Promise<Extract<AccessDecision, { allowed: true }>> {
  return inTenant(ctx, (t) => authoriseIn(t, personId, scope));
}

export type PersonSummary = { personId: string; givenName: string; familyName: string };

/** What the signed-in account's home page needs: its own record (if linked) and whom it represents today. */
export async function portalHome(ctx: ServiceContext): Promise<{
  self: PersonSummary | null;
  represents: (PersonSummary & { representativeId: string; kind: Representation["kind"]; scopes: Scope[] })[];
  /** People this account has been linked to as a family member or friend, who have not agreed yet. */
  waiting: PersonSummary[];
}> {
  return inTenant(ctx, async ({ tx, today }) => {
    const accountId = tx.scope.actor.id!;
    const actor = await portalActorIn(tx, accountId);
    let self: PersonSummary | null = null;
    if (actor.personId) {
      const p = await findPersonRow({ tx }, actor.personId);
      self = { personId: p.person_id, givenName: p.given_name, familyName: p.family_name };
    }
    const rows = await representationsInNameOrder(tx, accountId);
    const represents = rows
      .map((r) => ({ r, scopes: effectiveScopes(toRepresentation(r), today) }))
      .filter(({ r, scopes }) => scopes.includes("view") && r.person_id !== actor.personId)
      .map(({ r, scopes }) => ({
        personId: r.person_id,
        givenName: r.given_name,
        familyName: r.family_name,
        representativeId: r.representative_id,
        kind: r.kind,
        scopes,
      }));
    const waiting = rows
      .filter((r) => representationState(toRepresentation(r), today) === "awaiting_consent")
      .map((r) => ({ personId: r.person_id, givenName: r.given_name, familyName: r.family_name }));
    return { self, represents, waiting };
  });
}

/** Everyone this account represents (or did), with each person's name, in name order (as the portal lists them). */
async function representationsInNameOrder(tx: TenantTx, accountId: string) {
  const rows = await repo.listRepresentationsBy(tx, accountId);
  const names = await namesInNameOrderIn(
    { tx },
    rows.map((r) => r.person_id),
  );
  const rank = new Map(names.map((n, i) => [n.personId, i]));
  const nameOf = new Map(names.map((n) => [n.personId, n]));
  return rows
    .map((r) => ({
      ...r,
      given_name: nameOf.get(r.person_id)!.givenName,
      family_name: nameOf.get(r.person_id)!.familyName,
    }))
    .sort((a, b) => rank.get(a.person_id)! - rank.get(b.person_id)!);
}

/** The person's own list of who may act for them (only the person sees this, not their representatives). */
export async function myRepresentatives(ctx: ServiceContext): Promise<RepresentativeView[]> {
  return inTenant(ctx, async ({ tx, today }) => {
    const actor = await portalActorIn(tx, tx.scope.actor.id!);
    if (!actor.personId) return [];
    return (await repo.listRepresentativesOf(tx, actor.personId)).map((r) => toView(r, today));
  });
}

/**
 * The person agrees to a family member or friend acting for them, or withdraws their agreement (or, for an
 * advocate, says they do not want one). Only the person themselves: never a representative.
 */
export async function setConsent(
  ctx: ServiceContext,
  representativeId: string,
  decision: "give" | "withdraw",
): Promise<RepresentativeView> {
  return inTenant(ctx, async ({ tx, today }) => {
    const actor = await portalActorIn(tx, tx.scope.actor.id!);
    if (!actor.personId) throw new NotFoundError("The representative");
    const row = await findRepresentativeOf(tx, actor.personId, representativeId, true);
    const basis = basisOf(row.kind);
    if (row.ended_at || row.consent_withdrawn_at) {
      throw new ConflictError(`${row.name} no longer acts for you. If you want them to, contact the council`);
    }
    const now = new Date();
    if (decision === "give") {
      if (basis !== "consent") throw new ConflictError("This representative does not need your agreement");
      if (row.consent_given_at)
        throw new ConflictError(`You have already agreed to ${row.name} acting for you`);
      await repo.updateRepresentative(tx, row.representative_id, {
        consent_given_at: now,
        consent_given_how: "online",
      });
    } else {
      if (basis === "authority") {
        throw new ConflictError(`${row.name}'s authority is a legal one. To change it, contact the council`);
      }
      await repo.updateRepresentative(tx, row.representative_id, { consent_withdrawn_at: now });
      await repo.revokeLiveCodes(
        tx,
        { personId: actor.personId, representativeId: row.representative_id },
        now,
      );
    }
    await audit(tx, {
      action: decision === "give" ? "consent_given" : "consent_withdrawn",
      recordType: "representative",
      recordId: row.representative_id,
      changes: { personId: actor.personId },
    });
    const updated = await repo.findRepresentative(tx, row.representative_id);
    return toView(updated!, today);
  });
}
