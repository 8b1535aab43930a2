import type { StaffRole } from "#/platform/db/schema.ts";

/**
 * The referrals feature's settings, named in one place. They are Upfront's defaults, not statutory figures; a
 * council that wants others changes them here (a per-council settings page is future work).
 */

/**
 * Limits against flooding the public self-referral form, counted in the database (self_referral_submissions) so
 * they hold across every app instance. A household may reasonably refer two or three people in a day, so five from
 * one address is generous; five hundred a day is far above any council's real daily self-referrals (hundreds a
 * week in a large county), so only a flood meets it. Over either, the person is asked to try tomorrow or phone.
 */
export const SELF_REFERRAL_LIMITS = {
  perAddressPerDay: 5,
  perCouncilPerDay: 500,
} as const;
export type SelfReferralLimits = { perAddressPerDay: number; perCouncilPerDay: number };

/**
 * How long a referral is kept, for the privacy notice: the council's retention schedule decides. Six years after
 * the request is closed is a common schedule for adult social care records where no support followed
 * [UNCONFIRMED: each council's schedule differs; where support follows, the person's whole record is kept longer].
 */
export const REFERRAL_RETENTION_YEARS = 6;

/** Who handles new requests (the council's intake): a role group until teams exist. */
export const INTAKE_ROLES: readonly StaffRole[] = ["social_worker", "team_manager"];

/** A new self-referral's task is due this many calendar days after it arrives (a service standard, not law). */
export const NEW_REFERRAL_TASK_DUE_DAYS = 2;
