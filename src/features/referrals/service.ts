import { createHmac, randomInt } from "node:crypto";
import type { Kysely } from "kysely";
import {
  createPeopleIn,
  findLikelyDuplicatesIn,
  findPersonRow,
  parseNewPerson,
} from "#/features/people/service.ts";
import * as repo from "#/features/referrals/repository.ts";
import {
  closeReferralSchema,
  newReferralSchema,
  type SelfReferral,
  selfReferralCrossFieldErrors,
  selfReferralSchema,
} from "#/features/referrals/schemas.ts";
import {
  INTAKE_ROLES,
  NEW_REFERRAL_TASK_DUE_DAYS,
  SELF_REFERRAL_LIMITS,
  type SelfReferralLimits,
} from "#/features/referrals/settings.ts";
import { intakeTeamIn } from "#/features/staff/service.ts";
import { completeTasksForIn, raiseTaskIn } from "#/features/tasks/service.ts";
import { councilJurisdictionIn } from "#/features/tenants/rules.ts";
import { findTenantBySlug, type Tenant } from "#/features/tenants/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { addDays } from "#/platform/dates/calendar.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { Actor } from "#/platform/db/tenant.ts";
import { ConflictError, type FieldError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import {
  type ReferralLists,
  type RuleJurisdiction,
  referralListsFrom,
  ruleJurisdiction,
  rulesFor,
} from "#/rules/registry.ts";

/**
 * Referrals (requests for support) as use cases. A referral is recorded against a person with the date it was made,
 * its route of access and who made it, and closed with an outcome from the CLD Release 2 event outcome list in
 * force on the closing date (rules/england/referral-lists.ts): these become the Request events of the statutory
 * return. The public self-referral form creates the person's record, the referral and a "New self-referral" task
 * for the council's intake, in one transaction, after checking the limits against flooding in the database.
 */

export type Referral = {
  referralId: string;
  reference: string;
  personId: string;
  receivedOn: string;
  routeOfAccess: string;
  routeOfAccessLabel: string;
  requestSource: string;
  requestSourceLabel: string;
  status: "open" | "closed";
  outcome: string | null;
  outcomeLabel: string | null;
  closedOn: string | null;
  details: SelfReferralDetails | null;
};

/** What the public form said, kept on the referral for whoever calls back. */
export type SelfReferralDetails = {
  phone?: string;
  email?: string;
  who: "self" | "on_behalf";
  yourName?: string;
  relationship?: string;
  personKnows?: "yes" | "no";
  supportWanted: string;
  /**
   * Existing records that may be the same person (same name and date of birth), found when the request came in.
   * Only staff see them, to check: the form never says whether someone is known, nor joins the request to a record.
   */
  possibleMatches?: PossibleMatch[];
};

/** An existing record a self-referral may be about, for staff to check. */
export type PossibleMatch = { personId: string; name: string; reference: string; reason: string };

const labelOf = (list: readonly { id: string; label: string }[], id: string | null) =>
  id === null ? null : (list.find((v) => v.id === id)?.label ?? id);

/** The coded lists of the council's jurisdiction in force on a date, or undefined before the first. */
const referralListsFor = (jurisdiction: RuleJurisdiction, date: string) =>
  rulesFor(jurisdiction, date).referralLists.rules;

/** "Give a date on or after …": the message for a date before the jurisdiction's first lists. */
const beforeListsMessage = (jurisdiction: RuleJurisdiction) =>
  `Give a date on or after ${referralListsFrom(jurisdiction)}: the coded lists start then`;

function toReferral(row: repo.ReferralRow, jurisdiction: RuleJurisdiction): Referral {
  // Labels from the lists of the day the referral was made (or closed), so old records keep their words.
  const lists = referralListsFor(jurisdiction, row.received_on);
  const closing = row.closed_on ? referralListsFor(jurisdiction, row.closed_on) : undefined;
  return {
    referralId: row.referral_id,
    reference: row.reference,
    personId: row.person_id,
    receivedOn: row.received_on,
    routeOfAccess: row.route_of_access,
    routeOfAccessLabel: labelOf(lists?.routesOfAccess ?? [], row.route_of_access)!,
    requestSource: row.request_source,
    requestSourceLabel: labelOf(lists?.requestSources ?? [], row.request_source)!,
    status: row.status,
    outcome: row.outcome,
    outcomeLabel: labelOf(closing?.eventOutcomes ?? [], row.outcome),
    closedOn: row.closed_on,
    details: (row.details as SelfReferralDetails | null) ?? null,
  };
}

/** The lists in force on a date, or a field error naming the date to change. */
function listsOn(jurisdiction: RuleJurisdiction, date: string, path: string): ReferralLists {
  const lists = referralListsFor(jurisdiction, date);
  if (!lists) throw new ValidationError([{ path, message: beforeListsMessage(jurisdiction) }]);
  return lists;
}

const REFERENCE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no I, O, 0 or 1 to misread on the phone

/** A reference the person can read out: "SR-" and 8 unambiguous characters (32^8 ≈ 10^12 of them). */
function newReference(prefix: "SR" | "RF"): string {
  let out = `${prefix}-`;
  for (let i = 0; i < 8; i++) out += REFERENCE_LETTERS[randomInt(REFERENCE_LETTERS.length)];
  return out;
}

// ---- staff: record, read and close referrals -------------------------------------------------------------------

/** A person's referrals, newest first; opening them is a view of the person's record, so it is audited. */
export async function referralsFor(ctx: ServiceContext, personId: string) {
  return inTenant(ctx, async ({ tx }) => {
    const person = await findPersonRow({ tx }, personId);
    await audit(tx, { action: "view", recordType: "person_referrals", recordId: person.person_id });
    const rows = await repo.referralsOf(tx, person.person_id);
    const jurisdiction = await councilJurisdictionIn(tx);
    return {
      person: {
        personId: person.person_id,
        name: `${person.given_name} ${person.family_name}`,
        reference: person.reference,
      },
      referrals: rows.map((row) => toReferral(row, jurisdiction)),
    };
  });
}

/** Records a referral against a person; refused whole, naming every field to fix. Audited. */
export async function recordReferral(ctx: ServiceContext, input: unknown): Promise<Referral> {
  return inTenant(ctx, (t) => recordReferralIn(t, input));
}

/** recordReferral inside the caller's transaction (the demo seed records its referrals so). */
export async function recordReferralIn({ tx, today }: TxContext, input: unknown): Promise<Referral> {
  const parsed = newReferralSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The referral was not recorded");
  const r = parsed.data;
  const errors: FieldError[] = [];
  if (r.receivedOn > today)
    errors.push({
      path: "receivedOn",
      message: "The date the request was made must be today or in the past",
    });
  const jurisdiction = await councilJurisdictionIn(tx);
  const lists = referralListsFor(jurisdiction, r.receivedOn);
  if (!lists && r.receivedOn <= today) {
    errors.push({ path: "receivedOn", message: beforeListsMessage(jurisdiction) });
  }
  const check = lists ?? referralListsFor(jurisdiction, today);
  if (check && !check.routesOfAccess.some((v) => v.id === r.routeOfAccess)) {
    errors.push({ path: "routeOfAccess", message: "Choose a route of access from the list" });
  }
  if (check && !check.requestSources.some((v) => v.id === r.requestSource)) {
    errors.push({ path: "requestSource", message: "Choose who made the request from the list" });
  }
  if (errors.length) throw new ValidationError(errors, "The referral was not recorded");
  const person = await findPersonRow({ tx }, r.personId);
  const row = await repo.insertReferral(tx, {
    referral_id: uuidv7(),
    reference: newReference("RF"),
    person_id: person.person_id,
    received_on: r.receivedOn,
    route_of_access: r.routeOfAccess,
    request_source: r.requestSource,
    details: null,
    created_by: actorRef(tx.scope.actor),
  });
  await audit(tx, {
    action: "create",
    recordType: "referral",
    recordId: row.referral_id,
    changes: {
      personId: person.person_id,
      receivedOn: r.receivedOn,
      routeOfAccess: r.routeOfAccess,
      requestSource: r.requestSource,
    },
  });
  return toReferral(row, jurisdiction);
}

/**
 * Closes an open referral with an outcome from the event outcome list in force on the closing date; the tasks it
 * raised are done with it. Audited.
 */
export async function closeReferral(ctx: ServiceContext, input: unknown): Promise<Referral> {
  return inTenant(ctx, (t) => closeReferralIn(t, input));
}

/** closeReferral inside the caller's transaction (the demo seed closes its referrals so). */
export async function closeReferralIn({ tx, today }: TxContext, input: unknown): Promise<Referral> {
  const parsed = closeReferralSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The referral was not closed");
  const c = parsed.data;
  if (c.closedOn > today) {
    throw new ValidationError([
      { path: "closedOn", message: "The date the request was closed must be today or in the past" },
    ]);
  }
  const jurisdiction = await councilJurisdictionIn(tx);
  const lists = listsOn(jurisdiction, c.closedOn, "closedOn");
  if (!lists.eventOutcomes.some((o) => o.id === c.outcome)) {
    throw new ValidationError(
      [
        {
          path: "outcome",
          message: "Choose an outcome from the list: it is the statutory return's event outcome",
        },
      ],
      "The referral was not closed",
    );
  }
  const row = await repo.findReferral(tx, c.referralId);
  // A referral reached through another person's page is not there, as far as that page is concerned.
  if (!row || (c.personId !== undefined && row.person_id !== c.personId))
    throw new NotFoundError("The referral");
  if (row.status === "closed") throw new ConflictError(`Referral ${row.reference} is already closed`);
  if (c.closedOn < row.received_on) {
    throw new ValidationError([
      {
        path: "closedOn",
        message: `The date the request was closed must be on or after the day it was made (${dateInWords(row.received_on)})`,
      },
    ]);
  }
  const closed = await repo.closeReferral(tx, row.referral_id, {
    outcome: c.outcome,
    closed_on: c.closedOn,
    closed_by: actorRef(tx.scope.actor),
  });
  await audit(tx, {
    action: "decide",
    recordType: "referral",
    recordId: row.referral_id,
    changes: { outcome: c.outcome, closedOn: c.closedOn },
  });
  await completeTasksForIn({ tx }, { type: "referral", id: row.referral_id });
  return toReferral(closed, jurisdiction);
}

// ---- the public self-referral form ------------------------------------------------------------------------------

/** Who writes a self-referral: nobody signed in, so the system, named for the audit trail. */
export const SELF_REFERRAL_ACTOR: Actor = { type: "system", id: "public-self-referral" };

/** Over a limit against flooding: the page says to try tomorrow or phone (429). */
export class FloodLimitError extends Error {
  readonly which: "address" | "council";
  constructor(which: "address" | "council") {
    super(`Too many self-referrals today from ${which === "address" ? "this address" : "everyone"}`);
    this.name = "FloodLimitError";
    this.which = which;
  }
}

/**
 * The client address as stored: a keyed one-way hash (HMAC with the app's secret), so the flood count never keeps
 * the address itself and the hash cannot be reversed by trying every address without the key.
 */
export function clientHash(key: string, address: string): string {
  return createHmac("sha256", key).update(`self-referral:${address}`).digest("hex");
}

/** Parses the form; the date of birth must be in the past. Throws ValidationError naming each field. */
export function parseSelfReferral(input: unknown, today: string): SelfReferral {
  const parsed = selfReferralSchema.safeParse(input);
  const raw = typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
  const cross = selfReferralCrossFieldErrors(raw);
  const errors = parsed.success ? cross : [...fieldErrorsFrom(parsed.error), ...cross];
  if (parsed.success && parsed.data.dateOfBirth >= today) {
    errors.push({ path: "dateOfBirth", message: "Their date of birth must be in the past" });
  }
  if (parsed.success && parsed.data.dateOfBirth < "1900-01-01") {
    errors.push({ path: "dateOfBirth", message: "Their date of birth must be after 1900" });
  }
  if (parsed.success && errors.length === 0) {
    // The person's record is made from the form, so its checks (name lengths, the postcode's shape) apply too.
    try {
      parseNewPerson(personFrom(parsed.data), today);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      errors.push(...error.fieldErrors);
    }
  }
  if (errors.length || !parsed.success) throw new ValidationError(errors, "Your request was not sent");
  return parsed.data;
}

const personFrom = (form: SelfReferral) => ({
  givenName: form.givenName,
  familyName: form.familyName,
  dateOfBirth: form.dateOfBirth,
  ...(form.postcode ? { postcode: form.postcode.toUpperCase() } : {}),
});

export async function findCouncil(db: Kysely<DB>, slug: string): Promise<Tenant | undefined> {
  return /^[a-z0-9-]{2,40}$/.test(slug) ? findTenantBySlug(db, slug) : undefined;
}

/**
 * A self-referral from the council's public page: validated first; then, in one transaction holding the council's
 * self-referral lock, the day's counts are checked against the limits (FloodLimitError over either), and the
 * person's record, the referral (route of access from the lists' self-referral value), its "New self-referral"
 * task (for the team that takes new requests, or else the intake role group; naming any existing record with the
 * same name and date of birth, for staff to check) and the flood-count row are written, each audited. The person
 * is told the same whether or not they may be known. Returns the reference.
 */
export async function selfRefer(
  db: Kysely<DB>,
  tenant: Tenant,
  input: unknown,
  options: { clientAddress: string; addressKey: string; today: string; limits?: SelfReferralLimits },
): Promise<{ reference: string; referralId: string; personId: string }> {
  const today = options.today;
  const form = parseSelfReferral(input, today);
  const lists = listsOn(ruleJurisdiction(tenant.jurisdiction), today, "receivedOn");
  const limits = options.limits ?? SELF_REFERRAL_LIMITS;
  const hash = clientHash(options.addressKey, options.clientAddress);
  const ctx: ServiceContext = { db, scope: { tenantId: tenant.tenantId, actor: SELF_REFERRAL_ACTOR }, today };
  return inTenant(ctx, async (t) => {
    const { tx } = t;
    await repo.lockSelfReferrals(tx);
    // The counts are only needed for the day: earlier days' rows go, so no address hash is kept longer.
    await repo.forgetSubmissionsBefore(tx, addDays(today, -1));
    const counts = await repo.countSelfReferrals(tx, today, hash);
    if (counts.address >= limits.perAddressPerDay) throw new FloodLimitError("address");
    if (counts.council >= limits.perCouncilPerDay) throw new FloodLimitError("council");
    const newPerson = parseNewPerson(personFrom(form), today);
    // Looked for before the new record exists, so it cannot match itself. Staff check; nothing is joined.
    const possibleMatches: PossibleMatch[] = (await findLikelyDuplicatesIn(t, newPerson)).map((m) => ({
      personId: m.person.personId,
      name: `${m.person.givenName} ${m.person.familyName}`,
      reference: m.person.reference,
      reason: m.reason === "nhs-number" ? "Same NHS number" : "Same name and date of birth",
    }));
    const [person] = await createPeopleIn(t, [newPerson]);
    const details: SelfReferralDetails = {
      who: form.who,
      supportWanted: form.supportWanted,
      ...(form.phone ? { phone: form.phone } : {}),
      ...(form.email ? { email: form.email } : {}),
      ...(form.who === "on_behalf"
        ? { yourName: form.yourName!, relationship: form.relationship!, personKnows: form.personKnows! }
        : {}),
      ...(possibleMatches.length ? { possibleMatches } : {}),
    };
    const row = await repo.insertReferral(tx, {
      referral_id: uuidv7(),
      reference: newReference("SR"),
      person_id: person!.personId,
      received_on: today,
      route_of_access: lists.selfReferralRoute,
      request_source:
        form.who === "self" ? lists.selfReferralSources.person : lists.selfReferralSources.onBehalf,
      details,
      created_by: actorRef(tx.scope.actor),
    });
    await audit(tx, {
      action: "create",
      recordType: "referral",
      recordId: row.referral_id,
      changes: {
        personId: row.person_id,
        receivedOn: today,
        routeOfAccess: row.route_of_access,
        selfReferral: true,
      },
    });
    await repo.insertSubmission(tx, {
      submission_id: uuidv7(),
      submitted_on: today,
      client_hash: hash,
      referral_id: row.referral_id,
    });
    const intakeTeam = await intakeTeamIn(t);
    const maybe = possibleMatches.map((m) => `${m.name} (${m.reference})`).join(", ");
    const title = `New self-referral ${row.reference}`;
    await raiseTaskIn(t, {
      kind: "new_self_referral",
      title: maybe ? `${title}: may be someone already known, check ${maybe}`.slice(0, 300) : title,
      personId: row.person_id,
      // To the team that takes new requests when the council named one, else the intake role group.
      ...(intakeTeam ? { teamId: intakeTeam.teamId } : { forRoles: [...INTAKE_ROLES] }),
      dueOn: addDays(today, NEW_REFERRAL_TASK_DUE_DAYS),
      link: `/people/${row.person_id}/referrals#referral-${row.referral_id}`,
      source: { type: "referral", id: row.referral_id },
    });
    return { reference: row.reference, referralId: row.referral_id, personId: row.person_id };
  });
}
