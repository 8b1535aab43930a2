import { setCouncilContactIn } from "#/features/tenants/contact-service.ts";
import type { TxContext } from "#/platform/context.ts";

/**
 * Demo Council's contact details (issue 11): a phone number from Ofcom's range kept for drama (never a real
 * line), an address at the reserved .example domain, a made-up street.
 */
export const DEMO_CONTACT = {
  phone: "03069 990123",
  email: "adult.care@demo-council.example",
  addressLine1: "Adult Social Care, Town Hall",
  addressLine2: "1 Market Street",
  town: "Demoton",
  postcode: "AB12 3CD",
  openingHours: "Monday to Friday, 9am to 5pm. In an emergency out of hours, call 03069 990999.",
} as const;

export async function seedDemoContact(t: TxContext): Promise<void> {
  await setCouncilContactIn(t.tx, DEMO_CONTACT);
}
