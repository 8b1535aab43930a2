import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { z } from "zod";
import { findPersonRow, getPersonIn, type Person } from "#/features/people/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { hashPassword, verifyPassword } from "#/platform/auth/passwords.ts";
import {
  actorRef,
  inTenant,
  isUniqueViolation,
  type ServiceContext,
  type TxContext,
} from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { DB } from "#/platform/db/schema.ts";
import { dropToTenant, type TenantTx, withoutTenant, withTenant } from "#/platform/db/tenant.ts";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { randomSecret, sha256 } from "#/platform/web/secrets.ts";
import {
  type AccessDecision,
  basisOf,
  checkRepresentation,
  decideAccess,
  effectiveScopes,
  type PortalActor,
  type Representation,
  type RepresentationState,
  representationState,
  type Scope,
} from "./access.calc.ts";
import {
  type IssuerPolicy,
  issuerProblem,
  type OneLoginClientSettings,
  type OneLoginUser,
} from "./one-login.ts";
import * as repo from "./repository.ts";
import {
  claimCodeSchema,
  claimWithNewAccountSchema,
  endRepresentativeSchema,
  type NewRepresentativeInput,
  newRepresentativeSchema,
  normaliseClaimCode,
  type OneLoginSettingsInput,
  oneLoginSettingsSchema,
  signInSchema,
} from "./schemas.ts";

/**
 * Accounts for people and their representatives: claim codes staff give out, representatives with their
 * kind and scope, consent, local sign-in, One Login accounts and settings, and the one authorisation check
 * the portal makes (authorise, over access.calc.ts's decideAccess).
 */

export const CLAIM_CODE_DAYS = 14;

const isUuid = (s: string) => z.uuid().safeParse(s).success;

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error));
  return parsed.data;
}

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

function toRepresentation(row: repo.RepresentativeRow): Representation {
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

function toView(row: repo.RepresentativeRow, today: string): RepresentativeView {
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
  const value = parse(newRepresentativeSchema, input);
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
  const { reason } = parse(endRepresentativeSchema, input);
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

async function findRepresentativeOf(
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
  if (signedIn) return { code: parse(z.object({ code: claimCodeSchema }), input).code, account: null };
  const v = parse(claimWithNewAccountSchema, input);
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

// ---- signing in -----------------------------------------------------------------------------------------------

let decoy: Promise<string> | undefined;

/**
 * Local sign-in. An email is unique within a council, not across them: the password is tried against each
 * account with that email, and exactly one must match. A wrong password for a real account is audited in its
 * council; a missing account takes as long as a wrong password (a decoy hash).
 */
/** The sign-in form checked before anything is looked up (or counted against the throttle): the email it names. */
export function parseSignIn(input: unknown): { email: string } {
  return { email: parse(signInSchema, input).email };
}

export async function signInLocal(
  db: Kysely<DB>,
  input: unknown,
): Promise<{ tenantId: string; accountId: string } | null> {
  const { email, password } = parse(signInSchema, input);
  decoy ??= hashPassword(randomSecret());
  const candidates = await withoutTenant(db, (trx) => repo.findLocalAccountsByEmail(trx, email));
  if (candidates.length === 0) {
    await verifyPassword(await decoy, password);
    return null;
  }
  const matched: { tenantId: string; accountId: string }[] = [];
  for (const c of candidates) {
    if (await verifyPassword(c.password_hash ?? "", password))
      matched.push({ tenantId: c.tenant_id, accountId: c.account_id });
    else {
      await withTenant(db, { tenantId: c.tenant_id, actor: { type: "system", id: null } }, (tx) =>
        audit(tx, { action: "sign_in_failed", recordType: "person_account", recordId: c.account_id }),
      );
    }
  }
  return matched.length === 1 ? matched[0]! : null;
}

/**
 * The account for a One Login user in this council: found by the provider's subject, or made on first sign-in
 * (it sees nothing until a code links it). The email is kept up to date from the provider.
 */
export async function accountForOneLogin(
  db: Kysely<DB>,
  tenantId: string,
  user: OneLoginUser,
): Promise<{ tenantId: string; accountId: string; created: boolean } | null> {
  const accountId = uuidv7();
  return withTenant(db, { tenantId, actor: { type: "person", id: accountId } }, async (tx) => {
    const found = await repo.findOneLoginAccount(tx, tenantId, user.sub);
    if (found?.disabled_at) return null;
    const email = user.emailVerified ? user.email : null;
    if (found) {
      if (email && email !== found.email) {
        await tx
          .updateTable("person_accounts")
          .set({ email })
          .where("tenant_id", "=", tenantId)
          .where("account_id", "=", found.account_id)
          .execute();
      }
      return { tenantId, accountId: found.account_id, created: false };
    }
    await repo.insertAccount(tx, {
      account_id: accountId,
      name: email ?? "GOV.UK One Login user",
      email,
      password_hash: null,
      one_login_sub: user.sub,
    });
    await audit(tx, {
      action: "create",
      recordType: "person_account",
      recordId: accountId,
      changes: { method: "one_login" },
    });
    return { tenantId, accountId, created: true };
  });
}

// ---- One Login settings -----------------------------------------------------------------------------------------

export type OneLoginSettingsView = {
  issuerUrl: string;
  clientId: string;
  clientAuth: "private_key_jwt" | "client_secret_post" | "client_secret_basic";
  vtr: string | null;
  enabled: boolean;
  updatedBy: string;
  updatedAt: Date;
};

export async function getOneLoginSettings(ctx: ServiceContext): Promise<OneLoginSettingsView | null> {
  return inTenant(ctx, async ({ tx }) => {
    const row = await repo.findOneLoginSettings(tx);
    if (!row) return null;
    return {
      issuerUrl: row.issuer_url,
      clientId: row.client_id,
      clientAuth: row.client_auth,
      vtr: row.vtr,
      enabled: row.enabled,
      updatedBy: row.updated_by,
      updatedAt: row.updated_at,
    };
  });
}

/** An administrator sets the council's One Login client. The secret is written, never read back or audited. */
export async function saveOneLoginSettings(
  ctx: ServiceContext,
  input: OneLoginSettingsInput,
  policy: IssuerPolicy = { allowLoopback: false },
): Promise<void> {
  const v = parse(oneLoginSettingsSchema, input);
  const issuer = issuerProblem(v.issuerUrl, policy.allowLoopback);
  if (issuer) throw new ValidationError([{ path: "issuerUrl", message: issuer }]);
  await inTenant(ctx, async ({ tx }) => {
    const existing = await repo.findOneLoginSettings(tx);
    if (!existing && !v.secret) {
      throw new ValidationError([{ path: "secret", message: "Enter the private key or client secret" }]);
    }
    if (v.secret && v.clientAuth === "private_key_jwt" && !v.secret.includes("PRIVATE KEY")) {
      throw new ValidationError([
        {
          path: "secret",
          message: "Paste the private key in PEM form, starting -----BEGIN PRIVATE KEY-----",
        },
      ]);
    }
    const outcome = await repo.saveOneLoginSettings(tx, {
      issuer_url: v.issuerUrl,
      client_id: v.clientId,
      client_auth: v.clientAuth,
      ...(v.secret ? { client_secret: v.secret } : {}),
      vtr: v.vtr,
      enabled: v.enabled,
      updated_by: actorRef(tx.scope.actor),
    });
    await audit(tx, {
      action: outcome === "created" ? "create" : "update",
      recordType: "one_login_settings",
      recordId: tx.scope.tenantId,
      changes: {
        issuerUrl: v.issuerUrl,
        clientId: v.clientId,
        clientAuth: v.clientAuth,
        vtr: v.vtr,
        enabled: v.enabled,
        secretChanged: v.secret !== undefined,
      },
    });
  });
}

/** The settings with the secret, for signing in (one_login_client, migrations/0025): null when none is enabled. */
export async function oneLoginClientFor(
  db: Kysely<DB>,
  tenantId: string,
): Promise<OneLoginClientSettings | null> {
  const row = await withoutTenant(db, (trx) => repo.findOneLoginSettingsWithSecret(trx, tenantId));
  if (!row) return null;
  return {
    issuerUrl: row.issuer_url,
    clientId: row.client_id,
    clientAuth: row.client_auth,
    secret: row.client_secret,
    vtr: row.vtr,
  };
}

export async function councilsWithOneLogin(
  db: Kysely<DB>,
): Promise<{ tenantId: string; slug: string; name: string }[]> {
  const rows = await withoutTenant(db, (trx) => repo.listOneLoginCouncils(trx));
  return rows.map((r) => ({ tenantId: r.tenant_id, slug: r.slug, name: r.name }));
}

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
    const rows = await repo.listRepresentationsBy(tx, accountId);
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
