import { z } from "zod";
import {
  FUNDING_STREAM_KINDS,
  type FundingStreamKind,
  fundingStreamSchema,
  MAX_POT_PENCE,
  payerOrderSchema,
} from "#/features/funding/schemas.ts";
import { isCalendarDate } from "#/rules/index.ts";
import { allocationOverridePolicySchema, delegatedAuthoritySchema } from "#/vocabulary/approval-policy.ts";

/**
 * The council's funding settings as they are stored, one dated version at a time: its funding streams (each
 * with a pot for the financial year, rather than the amount left that the apportionment takes), the payer order
 * per support category, its scheme of delegated authority for plans and its policy for allocation overrides.
 * The stream, payer-order, authority and override rules are the existing schemas' (funding/schemas.ts and
 * planning/schemas.ts); the service checks the sections together (see funding/service.ts).
 */

const whenMissing = (message: string) => ({
  error: (issue: { code?: string }) => (issue.code === "invalid_type" ? message : undefined),
});

export const FUNDING_STREAM_KIND_LABELS: Record<FundingStreamKind, string> = {
  adult_social_care: "Adult social care",
  nhs_personal_health_budget: "NHS personal health budget",
  employment_support: "Employment support",
  housing_related_support: "Housing-related support",
  disabled_facilities_grant: "Disabled facilities grant",
  independent_living_fund: "Independent living fund",
  other: "Other",
};

const { availablePence: _available, ...streamShape } = fundingStreamSchema.shape;

/** A funding stream in a settings version: as funding/schemas.ts has it, with a pot for the year. */
export const streamSettingSchema = z
  .strictObject({
    ...streamShape,
    /** The stream's budget pot for each financial year (1 April to 31 March) the version applies in, in pence. */
    annualPotPence: z
      .int(whenMissing("Give the stream's pot for the year as a whole number of pence"))
      .min(0, { error: "The pot for the year cannot be negative" })
      .max(MAX_POT_PENCE, { error: "The pot for the year is more than £10 billion: check it is in pence" }),
  })
  .meta({ id: "FundingStreamSetting" });
export type StreamSetting = z.infer<typeof streamSettingSchema>;

export const fundingSettingsSchema = z
  .strictObject({
    streams: z
      .array(streamSettingSchema, whenMissing("List the funding streams"))
      .max(50, { error: "A council has at most 50 funding streams" }),
    /** Per support category, the streams that pay for it, first payer first. */
    payerOrder: payerOrderSchema.default({}),
    delegatedAuthority: delegatedAuthoritySchema,
    allocationOverridePolicy: allocationOverridePolicySchema,
  })
  .meta({ id: "FundingSettings" });
export type FundingSettings = z.infer<typeof fundingSettingsSchema>;

export const isoDateSchema = (what: string) =>
  z
    .string(whenMissing(`Give ${what} as YYYY-MM-DD`))
    .refine(isCalendarDate, { error: `Give ${what} as a real date written YYYY-MM-DD` });

/** A change to the funding settings: the whole settings as they are to be from a date, and why. */
export const newFundingSettingsVersionSchema = z
  .strictObject({
    validFrom: isoDateSchema("the date the settings apply from"),
    reason: z
      .string(whenMissing("Say why the settings are changing"))
      .trim()
      .min(1, { error: "Say why the settings are changing" })
      .max(2000, { error: "Keep the reason to 2,000 characters or fewer" }),
    settings: fundingSettingsSchema,
    /**
     * The version the change was made from (pages send it; 0 when there was none): refused if another version
     * has been added since, so two administrators never overwrite each other's changes unawares.
     */
    baseVersion: z.int().min(0).optional(),
  })
  .meta({ id: "NewFundingSettingsVersion" });
export type NewFundingSettingsVersion = z.infer<typeof newFundingSettingsVersionSchema>;

export { FUNDING_STREAM_KINDS };
