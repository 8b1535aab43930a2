import type { Generated } from "kysely";

/** The people feature's tables, declared once (declaration merging into platform/db/schema.ts's DB); only this feature's repository uses them. */

declare module "#/platform/db/schema.ts" {
  interface DB {
    people: {
      tenant_id: string;
      person_id: string;
      reference: string;
      given_name: string;
      family_name: string;
      date_of_birth: string;
      postcode: string | null;
      created_at: Generated<Date>;
      nhs_number: string | null;
      address_line_1: string | null;
      address_line_2: string | null;
      town: string | null;
      phone: string | null;
      email: string | null;
      sex: string | null;
      ethnicity: string | null;
      accommodation_status: string | null;
      employment_status: string | null;
      has_unpaid_carer: string | null;
      gp_practice_name: string | null;
      gp_practice_code: string | null;
      communication_needs: string[] | null;
      preferred_language: string | null;
      field_lists_id: string | null;
      letter_channel: string | null;
      texts_allowed: boolean | null;
      letter_format: string | null;
      correspondence_language: string | null;
    };
  }
}
