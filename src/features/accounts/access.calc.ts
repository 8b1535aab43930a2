/**
 * Who may do what for a person, through the portal: the one authorisation rule for people and their
 * representatives. Pure: the caller loads the account's links fresh for each request (so consent withdrawn or
 * a representative ended takes effect on the next click) and passes today's date.
 *
 * A person may do everything for their own record. A representative acts only within their scope, and only
 * while the representation is current: started and not past its end date, not ended by the council, and —
 * where the person's say is what it rests on — consented to and not withdrawn.
 */

/** What a representative may be allowed to do. Every representative may at least view. */
export const SCOPES = ["view", "edit_plan", "manage_money", "ask_for_review", "receive_letters"] as const;
export type Scope = (typeof SCOPES)[number];

export const SCOPE_LABELS: Record<Scope, string> = {
  view: "See the assessment, decisions, budget, plan and reviews",
  edit_plan: "Change a draft support plan",
  manage_money: "Receive and manage the money (a direct payment)",
  ask_for_review: "Ask for a decision to be looked at again",
  receive_letters: "Get a copy of every letter the person gets",
};

export const REPRESENTATIVE_KINDS = [
  "family_or_friend",
  "independent_advocate",
  "lasting_power_of_attorney",
  "deputy",
  "suitable_person",
] as const;
export type RepresentativeKind = (typeof REPRESENTATIVE_KINDS)[number];

export const KIND_LABELS: Record<RepresentativeKind, string> = {
  family_or_friend: "Family member or friend",
  independent_advocate: "Independent advocate (Care Act 2014, section 67)",
  lasting_power_of_attorney: "Attorney (lasting power of attorney)",
  deputy: "Deputy (appointed by the Court of Protection)",
  suitable_person: "Suitable person (receives a direct payment for someone who lacks capacity)",
};

export type AuthorityType = "property_and_financial_affairs" | "health_and_welfare" | "personal_welfare";

/** The authority types each kind that needs one may hold (a lasting power of attorney or a deputyship). */
export const AUTHORITY_TYPES: Partial<Record<RepresentativeKind, readonly AuthorityType[]>> = {
  lasting_power_of_attorney: ["property_and_financial_affairs", "health_and_welfare"],
  deputy: ["property_and_financial_affairs", "personal_welfare"],
};

export const AUTHORITY_LABELS: Record<AuthorityType, string> = {
  property_and_financial_affairs: "Property and financial affairs",
  health_and_welfare: "Health and welfare",
  personal_welfare: "Personal welfare",
};

/**
 * The most a kind of representative may ever be given. An advocate supports the person to be involved and
 * to challenge decisions, but never handles money; an attorney or deputy for health and welfare (or personal
 * welfare) has no authority over money; one for property and financial affairs has. A family member or friend
 * may manage a direct payment only as the person's nominee, which the person's consent covers; a suitable
 * person exists to receive and manage it (Care Act 2014, section 32). Any kind may be sent copies of the person's
 * letters (issue 16): being told is part of supporting, or acting for, the person.
 */
export function scopesPermittedFor(
  kind: RepresentativeKind,
  authorityType: AuthorityType | null,
): readonly Scope[] {
  switch (kind) {
    case "family_or_friend":
    case "suitable_person":
      return SCOPES;
    case "independent_advocate":
      return ["view", "edit_plan", "ask_for_review", "receive_letters"];
    case "lasting_power_of_attorney":
    case "deputy":
      return authorityType === "property_and_financial_affairs"
        ? SCOPES
        : authorityType === null
          ? []
          : ["view", "edit_plan", "ask_for_review", "receive_letters"];
  }
}

/**
 * Whose say a representation rests on. "consent": only once the person agrees, and it ends when they
 * withdraw (family and friends). "objection": from the start, but the person may say they do not want it,
 * which ends it (an independent advocate). "authority": a legal authority the council has recorded (an
 * attorney, a deputy, a suitable person); the person cannot end it online, the council ends it.
 */
export function basisOf(kind: RepresentativeKind): "consent" | "objection" | "authority" {
  if (kind === "family_or_friend") return "consent";
  if (kind === "independent_advocate") return "objection";
  return "authority";
}

/** What the calc needs to know about one representation. */
export type Representation = {
  representativeId: string;
  personId: string;
  kind: RepresentativeKind;
  authorityType: AuthorityType | null;
  scopes: readonly Scope[];
  /** YYYY-MM-DD */
  startsOn: string;
  endsOn: string | null;
  consentGivenAt: Date | null;
  consentWithdrawnAt: Date | null;
  endedAt: Date | null;
};

/** The signed-in account: the record it belongs to (if linked) and the people it represents. */
export type PortalActor = {
  accountId: string;
  personId: string | null;
  representations: readonly Representation[];
};

export type RepresentationState =
  | "current"
  | "awaiting_consent"
  | "consent_withdrawn"
  | "not_started"
  | "expired"
  | "ended";

/** Whether a representation is in force on `today`, and if not, why not. */
export function representationState(r: Representation, today: string): RepresentationState {
  if (r.endedAt) return "ended";
  if (r.consentWithdrawnAt) return "consent_withdrawn";
  if (basisOf(r.kind) === "consent" && !r.consentGivenAt) return "awaiting_consent";
  if (today < r.startsOn) return "not_started";
  if (r.endsOn !== null && today > r.endsOn) return "expired";
  return "current";
}

/** The scopes a representation actually gives today: what was granted, within what its kind permits. */
export function effectiveScopes(r: Representation, today: string): Scope[] {
  if (representationState(r, today) !== "current") return [];
  const permitted = scopesPermittedFor(r.kind, r.authorityType);
  return SCOPES.filter((s) => r.scopes.includes(s) && permitted.includes(s));
}

export type AccessDecision =
  | { allowed: true; as: "self" }
  | { allowed: true; as: "representative"; representativeId: string; kind: RepresentativeKind }
  | { allowed: false; reason: string };

/**
 * May this account do `scope` for this person today? The single place the portal asks. A refusal carries a
 * reason for logs and tests; pages show a refusal as "not found", so nobody learns whose records exist.
 */
export function decideAccess(
  actor: PortalActor,
  personId: string,
  scope: Scope,
  today: string,
): AccessDecision {
  if (actor.personId !== null && actor.personId === personId) return { allowed: true, as: "self" };
  const theirs = actor.representations.filter((r) => r.personId === personId);
  if (theirs.length === 0) return { allowed: false, reason: "This account does not represent this person" };
  for (const r of theirs) {
    if (effectiveScopes(r, today).includes(scope)) {
      return { allowed: true, as: "representative", representativeId: r.representativeId, kind: r.kind };
    }
  }
  const states = theirs.map((r) => representationState(r, today));
  if (!states.includes("current")) {
    return { allowed: false, reason: `The representation is not in force (${states.join(", ")})` };
  }
  return { allowed: false, reason: `The representation's scope does not include "${scope}"` };
}

/** The people this account may view today, other than its own record, each once. */
export function peopleRepresented(actor: PortalActor, today: string): string[] {
  const ids = new Set<string>();
  for (const r of actor.representations) {
    if (r.personId !== actor.personId && effectiveScopes(r, today).includes("view")) ids.add(r.personId);
  }
  return [...ids];
}

/** Checks a representative's kind, authority and scopes before one is recorded; messages are for staff. */
export function checkRepresentation(input: {
  kind: RepresentativeKind;
  authorityType: AuthorityType | null;
  authorityReference: string | null;
  scopes: readonly Scope[];
}): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  const types = AUTHORITY_TYPES[input.kind];
  if (types) {
    if (!input.authorityType || !types.includes(input.authorityType)) {
      errors.push({
        path: "authorityType",
        message: `Choose what the ${input.kind === "deputy" ? "deputyship" : "lasting power of attorney"} covers`,
      });
    }
    if (!input.authorityReference) {
      errors.push({
        path: "authorityReference",
        message:
          input.kind === "deputy"
            ? "Enter the Court of Protection order number"
            : "Enter the Office of the Public Guardian registration number",
      });
    }
  } else if (input.authorityType) {
    errors.push({ path: "authorityType", message: "Only an attorney or a deputy has an authority type" });
  }
  if (!input.scopes.includes("view")) {
    errors.push({
      path: "scopes",
      message: "Every representative can see the records: keep that one ticked",
    });
  }
  const permitted = scopesPermittedFor(input.kind, input.authorityType);
  for (const s of input.scopes) {
    if (!permitted.includes(s) && errors.every((e) => e.path !== "authorityType")) {
      errors.push({
        path: "scopes",
        message: `${KIND_LABELS[input.kind]}${input.authorityType ? ` (${AUTHORITY_LABELS[input.authorityType].toLowerCase()})` : ""} cannot be allowed to: ${SCOPE_LABELS[s].toLowerCase()}`,
      });
    }
  }
  return errors;
}
