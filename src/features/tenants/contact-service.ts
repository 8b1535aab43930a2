import type { Kysely } from "kysely";
import { z } from "zod";
import * as repo from "#/features/tenants/repository.ts";
import { SYSTEM_ACTOR } from "#/features/tenants/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext } from "#/platform/context.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { withTenant } from "#/platform/db/tenant.ts";
import { ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";

/**
 * The council's contact details (issue 11): how a person reaches the adult social care team. Shown on every
 * decision page, estimator result and the council's public pages (platform/web/views/council-contact.njk).
 * Not dated: no decision is made under a phone number, and a letter read again later should give today's
 * number; each change is audited with the details before and after, which keeps the history.
 */

export type CouncilContact = {
  phone: string;
  email: string;
  addressLine1: string;
  addressLine2?: string;
  town: string;
  county?: string;
  postcode: string;
  openingHours: string;
  /** The address as lines, postcode last, for display. */
  addressLines: string[];
  updatedBy: string;
  updatedAt: Date;
};

const required = (message: string) => z.string({ error: message }).trim().min(1, { error: message });
const optional = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, { error: message })
    .optional()
    .transform((s) => (s === undefined || s === "" ? undefined : s));

/**
 * A UK telephone number: 10 or 11 digits starting 0, or +44 and the number without its 0. Spaces, hyphens
 * and brackets are allowed between digits (0300 123 4567, (01632) 960 001).
 */
const UK_PHONE = /^(?:0\d{9,10}|\+44\d{9,10})$/;
/** A UK postcode: outward code, a space (optional when typed), inward code. */
const UK_POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$/;

export const contactInputSchema = z.strictObject({
  phone: required("Enter the phone number people should call")
    .max(40, { error: "The phone number must be 40 characters or fewer" })
    .refine((s) => UK_PHONE.test(s.replace(/[\s()-]/g, "")), {
      error: "Enter a UK phone number, like 0300 123 4567 or +44 300 123 4567",
    }),
  email: required("Enter the email address people should write to")
    .max(254, { error: "The email address must be 254 characters or fewer" })
    .pipe(z.email({ error: "Enter an email address in the right format, like adultcare@council.gov.uk" })),
  addressLine1: required("Enter the first line of the address, like the building and street").max(200, {
    error: "The first line of the address must be 200 characters or fewer",
  }),
  addressLine2: optional(200, "The second line of the address must be 200 characters or fewer"),
  town: required("Enter the town or city").max(100, {
    error: "The town or city must be 100 characters or fewer",
  }),
  county: optional(100, "The county must be 100 characters or fewer"),
  postcode: required("Enter the postcode")
    .transform((s) => s.toUpperCase().replace(/\s+/g, " "))
    .refine((s) => UK_POSTCODE.test(s), { error: "Enter a real UK postcode, like SW1A 1AA" })
    .transform((s) => s.replace(UK_POSTCODE, "$1 $2")),
  openingHours: required("Enter the opening hours, like Monday to Friday, 9am to 5pm").max(500, {
    error: "The opening hours must be 500 characters or fewer",
  }),
});
export type ContactInput = z.output<typeof contactInputSchema>;

function toContact(row: repo.ContactRow): CouncilContact {
  const addressLine2 = row.address_line_2 ?? undefined;
  const county = row.county ?? undefined;
  return {
    phone: row.phone,
    email: row.email,
    addressLine1: row.address_line_1,
    ...(addressLine2 ? { addressLine2 } : {}),
    town: row.town,
    ...(county ? { county } : {}),
    postcode: row.postcode,
    openingHours: row.opening_hours,
    addressLines: [row.address_line_1, addressLine2, row.town, county, row.postcode].filter(
      (line): line is string => line !== undefined,
    ),
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}

/** The council's contact details inside the caller's transaction, or null before any are set. */
export async function councilContactIn(tx: TenantTx): Promise<CouncilContact | null> {
  const row = await repo.findContactDetails(tx);
  return row ? toContact(row) : null;
}

export async function getCouncilContact(ctx: ServiceContext): Promise<CouncilContact | null> {
  return inTenant(ctx, ({ tx }) => councilContactIn(tx));
}

/**
 * A council's contact details for its public pages, where nobody is signed in: read as the system, like
 * the estimator reads the council's published RAS model. Nothing is written.
 */
export async function publicCouncilContact(db: Kysely<DB>, tenantId: string): Promise<CouncilContact | null> {
  return withTenant(db, { tenantId, actor: SYSTEM_ACTOR }, (tx) => councilContactIn(tx));
}

/** Sets (or replaces) the council's contact details: checked whole first, then one transaction with its audit event. */
export async function setCouncilContact(ctx: ServiceContext, input: unknown): Promise<CouncilContact> {
  const parsed = contactInputSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The contact details need correcting");
  return inTenant(ctx, ({ tx }) => setCouncilContactIn(tx, parsed.data));
}

/** Inside the caller's transaction (the demo seed); the input is checked again here. */
export async function setCouncilContactIn(tx: TenantTx, input: unknown): Promise<CouncilContact> {
  const parsed = contactInputSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The contact details need correcting");
  const c = parsed.data;
  const before = await councilContactIn(tx);
  const row = await repo.saveContactDetails(tx, {
    phone: c.phone,
    email: c.email,
    address_line_1: c.addressLine1,
    address_line_2: c.addressLine2 ?? null,
    town: c.town,
    county: c.county ?? null,
    postcode: c.postcode,
    opening_hours: c.openingHours,
    updated_by: actorRef(tx.scope.actor),
  });
  const after = toContact(row);
  const shown = (x: CouncilContact | null) =>
    x && {
      phone: x.phone,
      email: x.email,
      address: x.addressLines,
      openingHours: x.openingHours,
    };
  await audit(tx, {
    action: before ? "update" : "create",
    recordType: "council_contact_details",
    recordId: tx.scope.tenantId,
    changes: { before: shown(before), after: shown(after) },
  });
  return after;
}
