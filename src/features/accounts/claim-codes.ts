import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { z } from "zod";
import {
  findRepresentativeOf,
  type RepresentativeView,
  toRepresentation,
  toView,
} from "#/features/accounts/representatives.ts";
import { findPersonRow, getPersonIn, type Person } from "#/features/people/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { hashPassword } from "#/platform/auth/passwords.ts";
import {
  actorRef,
  inTenant,
  isUniqueViolation,
  type ServiceContext,
  type TxContext,
} from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { DB } from "#/platform/db/schema.ts";
import { dropToTenant, withoutTenant } from "#/platform/db/tenant.ts";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { parseInput } from "#/platform/parse-input.ts";
import { sha256 } from "#/platform/web/secrets.ts";
import { representationState } from "./access.calc.ts";
import * as repo from "./repository.ts";
import { claimCodeSchema, claimWithNewAccountSchema, normaliseClaimCode } from "./schemas.ts";

const isUuid = (s: string) => z.uuid().safeParse(s).success;

export const CLAIM_CODE_DAYS = 14;
// ---- what staff see of a person's online access -----------------------------------------------------------

export type LiveCode = {
  claimId: string;
  forName: string;
  representativeId: string | null;
  expiresAt: Date;
  createdAt: Date;
};

export type OnlineAccess = {
  person: Person;
  account: { name: string; email: string | null; method: "local" | "one_login"; createdAt: Date } | null;
  codes: LiveCode[];
  representatives: RepresentativeView[];
};

/** The person's account, live codes and representatives: part of their record, so the view is audited. */
export async function getOnlineAccess(ctx: ServiceContext, personId: string): Promise<OnlineAccess> {
  return inTenant(ctx, async (t) => {
    const person = await getPersonIn(t, personId);
    const { tx, today } = t;
    const account = await repo.findAccountForPerson(tx, person.personId);
    const reps = await repo.listRepresentativesOf(tx, person.personId);
    const codes = await repo.listLiveCodes(tx, person.personId, new Date());
    const nameOf = (repId: string | null) =>
      repId === null
        ? `${person.givenName} ${person.familyName}`
        : (reps.find((r) => r.representative_id === repId)?.name ?? "A representative");
    return {
      person,
      account: account
        ? {
            name: account.name,
            email: account.email,
            method: account.one_login_sub ? "one_login" : "local",
            createdAt: account.created_at,
          }
        : null,
      codes: codes.map((c) => ({
        claimId: c.claim_id,
        forName: nameOf(c.representative_id),
        representativeId: c.representative_id,
        expiresAt: c.expires_at,
        createdAt: c.created_at,
      })),
      representatives: reps.map((r) => toView(r, today)),
    };
  });
}

// ---- claim codes --------------------------------------------------------------------------------------------

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** 16 characters of Crockford base32 (80 random bits), written in groups of four. */
export function newClaimCode(): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = "";
  for (let i = 0; i < 16; i++) {
    out = CROCKFORD[Number(bits & 31n)]! + out;
    bits >>= 5n;
  }
  return out.match(/.{4}/g)!.join("-");
}

const codeHash = (code: string) => sha256(`claim:${normaliseClaimCode(code)}`);

export type IssuedCode = { claimId: string; code: string; expiresAt: Date; forName: string };

/**
 * A member of staff makes a code for the person (representativeId null) or one of their representatives.
 * The code is shown once and stored only as its hash; an earlier live code for the same target stops working.
 */
export async function issueClaimCode(
  ctx: ServiceContext,
  personId: string,
  opts: { representativeId?: string | null } = {},
): Promise<IssuedCode> {
  return inTenant(ctx, (t) => issueClaimCodeIn(t, personId, opts));
}

export async function issueClaimCodeIn(
  { tx, today }: TxContext,
  personId: string,
  opts: { representativeId?: string | null } = {},
): Promise<IssuedCode> {
  const person = await findPersonRow({ tx }, personId);
  const representativeId = opts.representativeId ?? null;
  let forName = `${person.given_name} ${person.family_name}`;
  if (representativeId === null) {
    const account = await repo.findAccountForPerson(tx, person.person_id);
    if (account) throw new ConflictError(`${forName} already has an online account linked to their record`);
  } else {
    const rep = await findRepresentativeOf(tx, person.person_id, representativeId);
    const state = representationState(toRepresentation(rep), today);
    if (state === "ended" || state === "consent_withdrawn" || state === "expired") {
      throw new ConflictError(`${rep.name} no longer acts for ${forName}, so cannot be given a code`);
    }
    if (rep.account_id)
      throw new ConflictError(`${rep.name} already has an account linked as representative`);
    forName = rep.name;
  }
  const now = new Date();
  const revoked = await repo.revokeLiveCodes(tx, { personId: person.person_id, representativeId }, now);
  const code = newClaimCode();
  const claimId = uuidv7();
  const expiresAt = new Date(now.getTime() + CLAIM_CODE_DAYS * 86_400_000);
  await repo.insertClaimCode(tx, {
    claim_id: claimId,
    person_id: person.person_id,
    representative_id: representativeId,
    code_hash: codeHash(code),
    expires_at: expiresAt,
    created_by: actorRef(tx.scope.actor),
  });
  await audit(tx, {
    action: "create",
    recordType: "person_claim_code",
    recordId: claimId,
    changes: { personId: person.person_id, representativeId, expiresAt: expiresAt.toISOString(), revoked },
  });
  return { claimId, code, expiresAt, forName };
}

export async function revokeClaimCode(ctx: ServiceContext, personId: string, claimId: string): Promise<void> {
  await inTenant(ctx, async ({ tx }) => {
    if (!isUuid(claimId) || !(await repo.revokeClaimCode(tx, personId, claimId, new Date()))) {
      throw new NotFoundError("The code");
    }
    await audit(tx, {
      action: "revoke",
      recordType: "person_claim_code",
      recordId: claimId,
      changes: { personId },
    });
  });
}

/** Who is claiming: an account already signed in, or a new local account made with the claim. */
export type Claimant =
  | { kind: "signed_in"; tenantId: string; accountId: string }
  | { kind: "new_local"; email: string; password: string };

export type ClaimResult = {
  tenantId: string;
  accountId: string;
  personId: string;
  as: "self" | "representative";
  newAccount: boolean;
};

const CODE_NOT_RIGHT = "The code is not right. Check it, or ask the council for a new one";

/** Parses the claim form: the code alone when signed in, or the code with a new account's details. */
export function parseClaim(input: Record<string, unknown>, signedIn: boolean) {
  if (signedIn) return { code: parseInput(z.object({ code: claimCodeSchema }), input).code, account: null };
  const v = parseInput(claimWithNewAccountSchema, input);
  return { code: v.code, account: { email: v.email, password: v.password } };
}

/**
 * Uses a code: links the claimant's account to the person's record, or as the named representative. The code
 * is found by its hash in any council (migrations/0025's person_claim_code_tenant), then read, locked so it is used
 * once, and everything else happens as the app role in that council's tenant: every check first, then the writes and their audit events.
 */
export async function claimCode(
  db: Kysely<DB>,
  code: string,
  claimant: Claimant,
  today: string,
): Promise<ClaimResult> {
  const passwordHash = claimant.kind === "new_local" ? await hashPassword(claimant.password) : null;
  const hash = codeHash(code);
  const accountId = claimant.kind === "signed_in" ? claimant.accountId : uuidv7();
  const result = await withoutTenant(db, async (trx) => {
    // The code's council, through migrations/0025's function; the code itself is read and locked in that council.
    const tenantId = await repo.claimCodeTenant(trx, hash);
    if (!tenantId) throw new ValidationError([{ path: "code", message: CODE_NOT_RIGHT }]);
    const tx = await dropToTenant(trx, { tenantId, actor: { type: "person", id: accountId } });
    const row = await repo.lockCodeByHash(tx, hash);
    const now = new Date();
    if (!row || row.revoked_at) throw new ValidationError([{ path: "code", message: CODE_NOT_RIGHT }]);
    if (row.used_at) {
      throw new ValidationError([
        { path: "code", message: "This code has already been used. Ask the council for a new one" },
      ]);
    }
    if (row.expires_at <= now) {
      throw new ValidationError([
        { path: "code", message: "This code has expired. Ask the council for a new one" },
      ]);
    }
    if (claimant.kind === "signed_in" && claimant.tenantId !== row.tenant_id) {
      throw new ValidationError([
        {
          path: "code",
          message: "This code is from a different council. Sign out, then use the code to make an account",
        },
      ]);
    }
    if (claimant.kind === "new_local" && (await repo.localEmailTaken(tx, row.tenant_id, claimant.email))) {
      throw new ValidationError([
        {
          path: "email",
          message: "There is already an account with this email address. Sign in, then enter the code",
        },
      ]);
    }
    const person = await findPersonRow({ tx }, row.person_id);
    const personName = `${person.given_name} ${person.family_name}`;

    // 1. Checks.
    const existing = claimant.kind === "signed_in" ? await repo.findAccount(tx, accountId) : undefined;
    if (claimant.kind === "signed_in" && (!existing || existing.disabled_at))
      throw new ForbiddenError("Your account cannot be used");
    let rep: repo.RepresentativeRow | undefined;
    if (row.representative_id === null) {
      const holder = await repo.findAccountForPerson(tx, person.person_id);
      if (holder && holder.account_id !== accountId) {
        throw new ValidationError([
          {
            path: "code",
            message: `${personName}'s record already has an account. Ask the council for help`,
          },
        ]);
      }
      if (existing?.person_id && existing.person_id !== person.person_id) {
        throw new ValidationError([
          {
            path: "code",
            message: "Your account is already linked to another person's record. Ask the council for help",
          },
        ]);
      }
    } else {
      rep = await findRepresentativeOf(tx, person.person_id, row.representative_id, true);
      const state = representationState(toRepresentation(rep), today);
      if (state === "ended" || state === "consent_withdrawn" || state === "expired") {
        throw new ValidationError([{ path: "code", message: CODE_NOT_RIGHT }]);
      }
      if (existing?.person_id === person.person_id) {
        throw new ValidationError([
          { path: "code", message: "This code is for someone who represents you, not for you" },
        ]);
      }
      if (rep.account_id && rep.account_id !== accountId) {
        throw new ValidationError([{ path: "code", message: CODE_NOT_RIGHT }]);
      }
    }

    // 2. Writes.
    if (claimant.kind === "new_local") {
      await repo.insertAccount(tx, {
        account_id: accountId,
        name: rep ? rep.name : personName,
        email: claimant.email,
        password_hash: passwordHash,
        one_login_sub: null,
      });
      await audit(tx, {
        action: "create",
        recordType: "person_account",
        recordId: accountId,
        changes: { method: "local" },
      });
    }
    if (rep) {
      await repo.updateRepresentative(tx, rep.representative_id, { account_id: accountId });
      await audit(tx, {
        action: "link",
        recordType: "representative",
        recordId: rep.representative_id,
        changes: { accountId, personId: person.person_id },
      });
    } else {
      await repo.linkAccountToPerson(tx, accountId, person.person_id);
      await audit(tx, {
        action: "link",
        recordType: "person",
        recordId: person.person_id,
        changes: { accountId },
      });
    }
    await repo.markCodeUsed(tx, row.claim_id, accountId, now);
    await audit(tx, { action: "claim", recordType: "person_claim_code", recordId: row.claim_id });
    return {
      tenantId: row.tenant_id,
      accountId,
      personId: person.person_id,
      as: rep ? ("representative" as const) : ("self" as const),
      newAccount: claimant.kind === "new_local",
    };
  }).catch((error: unknown) => {
    if (isUniqueViolation(error)) {
      throw new ValidationError([
        { path: "code", message: "Someone used this code at the same moment. Ask the council for a new one" },
      ]);
    }
    throw error;
  });
  return result;
}
