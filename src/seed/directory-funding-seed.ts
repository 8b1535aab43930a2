import { readFileSync } from "node:fs";
import { importDirectoryIn, setDirectorySettingsIn } from "#/features/directory/service.ts";
import { fundingConfigSchema } from "#/features/funding/schemas.ts";
import { addFundingSettingsVersionIn } from "#/features/funding/service.ts";
import { financialYearOf } from "#/features/funding/settings.calc.ts";
import type { FundingSettings } from "#/features/funding/settings-schemas.ts";
import type { TxContext } from "#/platform/context.ts";

/**
 * Demo Council's provider directory and funding settings, from the example files: the directory is
 * examples/directory.hsds.json imported through the real import (merge), with plans allowed to use providers
 * off the approved list (its personal assistant is not on it); the funding settings are
 * examples/funding-config.json's streams and payer order (each stream's amount as its pot for the year) with a
 * scheme of delegated authority (social worker → team manager → funding panel) and an override policy. Two
 * dated versions, so the history can be seen: last financial year's, with a smaller adult social care pot, and
 * this year's, from 1 April.
 */

const readExample = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../examples/${name}`, import.meta.url), "utf8"));

export const DEMO_DELEGATED_AUTHORITY: FundingSettings["delegatedAuthority"] = {
  levels: [
    { id: "social_worker", label: "Social worker", roles: ["social_worker"] },
    {
      id: "team_manager",
      label: "Team manager",
      roles: ["team_manager"],
      requiredWhen: { weeklyPenceAbove: 60_000, oneOffPenceAbove: 100_000 },
    },
    {
      id: "funding_panel",
      label: "Funding panel",
      roles: ["funding_panel_member"],
      requiredWhen: {
        weeklyPenceAbove: 150_000,
        overAllocationPenceAbove: 10_000,
        overAllocationPercentAbove: 10,
        oneOffPenceAbove: 500_000,
      },
    },
  ],
};

export const DEMO_OVERRIDE_POLICY: FundingSettings["allocationOverridePolicy"] = {
  approvalNeededWhenChangeAbovePence: 5_000,
  approvalNeededWhenChangeAbovePercent: 10,
  approverRoles: ["team_manager"],
};

/** The example funding config as stored settings: each stream's amount becomes its pot for the year. */
export function demoFundingSettings(): FundingSettings {
  const config = fundingConfigSchema.parse(readExample("funding-config.json"));
  return {
    streams: config.streams.map(({ availablePence, ...stream }) => ({
      ...stream,
      annualPotPence: availablePence,
    })),
    payerOrder: config.payerOrder,
    delegatedAuthority: DEMO_DELEGATED_AUTHORITY,
    allocationOverridePolicy: DEMO_OVERRIDE_POLICY,
  };
}

export async function seedDemoDirectoryAndFunding(t: TxContext): Promise<void> {
  await importDirectoryIn(t, {
    json: readExample("directory.hsds.json"),
    mode: "merge",
    fileName: "examples/directory.hsds.json",
  });
  await setDirectorySettingsIn(t, { allowProvidersOffApprovedList: true });

  const thisYear = financialYearOf(t.today);
  const lastYearStart = `${Number(thisYear.start.slice(0, 4)) - 1}-04-01`;
  const settings = demoFundingSettings();
  await addFundingSettingsVersionIn(t, {
    validFrom: lastYearStart,
    reason: "Demo Council: budget for last financial year (demonstration figures)",
    settings: {
      ...settings,
      streams: settings.streams.map((s) =>
        s.id === "adult_social_care" ? { ...s, annualPotPence: Math.round(s.annualPotPence * 0.9) } : s,
      ),
    },
  });
  await addFundingSettingsVersionIn(t, {
    validFrom: thisYear.start,
    reason: `Demo Council: budget for ${thisYear.label} (demonstration figures)`,
    settings,
  });
}
