import { z } from "zod";
import { findPersonRow } from "#/features/people/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { parseInput } from "#/platform/parse-input.ts";
import {
  basisOf,
  checkRepresentation,
  effectiveScopes,
  type Representation,
  type RepresentationState,
  representationState,
  type Scope,
} from "./access.calc.ts";
import * as repo from "./repository.ts";
import { endRepresentativeSchema, type NewRepresentativeInput, newRepresentativeSchema } from "./schemas.ts";

const isUuid = (s: string) => z.uuid().safeParse(s).success;

// ---- representatives ----------------------------------------------------------------------------------------

export type RepresentativeView = {
  representativeId: string;
  personId: string;
  name: string;
  relationship: string | null;
  kind: Representation["kind"];
  authorityType: Representation["authorityType"];
  authorityReference: string | null;
  scopes: Scope[];
  /** What the scopes give today (none unless the representation is current). */
  effectiveScopes: Scope[];
  state: RepresentationState;
  basis: ReturnType<typeof basisOf>;
  startsOn: string;
  endsOn: string | null;
  hasAccount: boolean;
  consentGivenAt: Date | null;
  consentGivenHow: "online" | "told_staff" | "in_writing" | null;
  consentWithdrawnAt: Date | null;
  endedAt: Date | null;
  endedReason: string | null;
  createdAt: Date;
};

export function toRepresentation(row: repo.RepresentativeRow): Representation {
  return {
    representativeId: row.representative_id,
    personId: row.person_id,
    kind: row.kind,
    authorityType: row.authority_type,
    scopes: row.scopes,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    consentGivenAt: row.consent_given_at,
    consentWithdrawnAt: row.consent_withdrawn_at,
    endedAt: row.ended_at,
  };
}

export function toView(row: repo.RepresentativeRow, today: string): RepresentativeView {
  const r = toRepresentation(row);
  return {
    representativeId: row.representative_id,
    personId: row.person_id,
    name: row.name,
    relationship: row.relationship,
    kind: row.kind,
    authorityType: row.authority_type,
    authorityReference: row.authority_reference,
    scopes: row.scopes,
    effectiveScopes: effectiveScopes(r, today),
    state: representationState(r, today),
    basis: basisOf(row.kind),
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    hasAccount: row.account_id !== null,
    consentGivenAt: row.consent_given_at,
    consentGivenHow: row.consent_given_how,
    consentWithdrawnAt: row.consent_withdrawn_at,
    endedAt: row.ended_at,
    endedReason: row.ended_reason,
    createdAt: row.created_at,
  };
}

/** Staff record a representative for a person. Kind, authority and scopes are checked before anything is written. */
export async function addRepresentative(
  ctx: ServiceContext,
  personId: string,
  input: NewRepresentativeInput,
): Promise<RepresentativeView> {
  return inTenant(ctx, (t) => addRepresentativeIn(t, personId, input));
}

export async function addRepresentativeIn(
  { tx, today }: TxContext,
  personId: string,
  input: NewRepresentativeInput,
): Promise<RepresentativeView> {
  const value = parseInput(newRepresentativeSchema, input);
  const errors = checkRepresentation(value);
  if (value.endsOn !== null && value.endsOn < today) {
    errors.push({ path: "endsOn", message: "The end date must be today or in the future" });
  }
  if (value.consent !== null && basisOf(value.kind) !== "consent") {
    errors.push({
      path: "consent",
      message: "Only a family member or friend needs the person's agreement recorded",
    });
  }
  if (errors.length > 0) throw new ValidationError(errors);
  const person = await findPersonRow({ tx }, personId);
  const row = await repo.insertRepresentative(tx, {
    representative_id: uuidv7(),
    person_id: person.person_id,
    account_id: null,
    name: value.name,
    relationship: value.relationship,
    kind: value.kind,
    authority_type: value.authorityType,
    authority_reference: value.authorityReference,
    scopes: [...new Set(value.scopes)],
    starts_on: today,
    ends_on: value.endsOn,
    consent_given_at: value.consent ? new Date() : null,
    consent_given_how: value.consent,
    consent_withdrawn_at: null,
    ended_at: null,
    ended_by: null,
    ended_reason: null,
    created_by: actorRef(tx.scope.actor),
  });
  // The audit names the kind, authority and scopes: who may act, and how far, is the point of the record.
  await audit(tx, {
    action: "create",
    recordType: "representative",
    recordId: row.representative_id,
    changes: {
      personId: row.person_id,
      kind: row.kind,
      authorityType: row.authority_type,
      scopes: row.scopes,
      consent: row.consent_given_how,
      endsOn: row.ends_on,
    },
  });
  return toView(row, today);
}

/** Staff end a representation (an LPA revoked, an advocate no longer needed): access ends at once. */
export async function endRepresentative(
  ctx: ServiceContext,
  personId: string,
  representativeId: string,
  input: unknown,
): Promise<void> {
  const { reason } = parseInput(endRepresentativeSchema, input);
  await inTenant(ctx, async ({ tx }) => {
    const row = await findRepresentativeOf(tx, personId, representativeId, true);
    if (row.ended_at) throw new ConflictError("This representative has already been ended");
    const now = new Date();
    await repo.updateRepresentative(tx, row.representative_id, {
      ended_at: now,
      ended_by: actorRef(tx.scope.actor),
      ended_reason: reason,
    });
    const revoked = await repo.revokeLiveCodes(tx, { personId, representativeId }, now);
    await audit(tx, {
      action: "end",
      recordType: "representative",
      recordId: row.representative_id,
      changes: { personId, reason, codesRevoked: revoked.length },
    });
  });
}

export async function findRepresentativeOf(
  tx: TenantTx,
  personId: string,
  representativeId: string,
  forUpdate = false,
): Promise<repo.RepresentativeRow> {
  const row = isUuid(representativeId)
    ? await repo.findRepresentative(tx, representativeId, { forUpdate })
    : undefined;
  if (!row || row.person_id !== personId) throw new NotFoundError("The representative");
  return row;
}
