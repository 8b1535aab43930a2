import { z } from "zod";
import { whenMissing } from "#/vocabulary/schema-kit.ts";

/** A support category id: the council's own list (see DEFAULT_SUPPORT_CATEGORIES), lower case with underscores. */
export const categoryIdSchema = z
  .string(whenMissing("Say which support category this is"))
  .regex(/^[a-z][a-z0-9_]{0,63}$/, {
    error: "A support category is a short id in lower case, for example personal_care",
  });

/**
 * A starting list of support categories. Each council (tenant) keeps its own list; funding streams say which
 * categories they may pay for, and the payer order is set per category, so the ids matter more than the labels.
 */
export const DEFAULT_SUPPORT_CATEGORIES = [
  { id: "personal_care", label: "Personal care (washing, dressing, eating, using the toilet)" },
  { id: "household", label: "Help at home (shopping, cleaning, cooking, laundry)" },
  { id: "community_access", label: "Getting out and about, leisure and friendships" },
  { id: "employment", label: "Work, training, education and volunteering" },
  { id: "housing_support", label: "Housing-related support (keeping a tenancy, bills, managing a home)" },
  { id: "health", label: "Health care tasks and therapies" },
  { id: "short_breaks", label: "Short breaks and respite" },
  { id: "equipment_adaptations", label: "Equipment, technology and adaptations to the home" },
  { id: "transport", label: "Transport" },
  { id: "support_planning", label: "Support planning, brokerage and payroll services" },
] as const;

/** The council's support categories (every council has the starting list until it can keep its own). */
export type SupportCategory = { readonly id: string; readonly label: string };
export function supportCategories(): readonly SupportCategory[] {
  return DEFAULT_SUPPORT_CATEGORIES;
}

export const supportCategoryLabels = (): Record<string, string> =>
  Object.fromEntries(supportCategories().map((c) => [c.id, c.label]));
