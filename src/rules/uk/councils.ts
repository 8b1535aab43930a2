import type { SourceReference } from "#/rules/types.ts";

/**
 * Councils across the UK: the nations a council can be in, the shape of each nation's ONS (GSS) codes for the
 * councils that arrange social care, and — for the nations Upfront has no rule pack for yet — which rules are
 * missing, so `upfront tenant create` can say exactly why it refuses. Data, with its published sources.
 */

export const COUNCIL_NATIONS = ["england", "wales", "scotland"] as const;
export type CouncilNation = (typeof COUNCIL_NATIONS)[number];

export const NATION_NAMES: Record<CouncilNation, string> = {
  england: "England",
  wales: "Wales",
  scotland: "Scotland",
};

/**
 * The GSS entity codes of councils with social care duties (or their districts), each followed by six digits.
 * England: E06 unitary authorities, E07 non-metropolitan districts, E08 metropolitan districts, E09 London
 * boroughs, E10 counties. Wales: W06 unitary authorities. Scotland: S12 council areas.
 */
export const ONS_COUNCIL_CODE_PREFIXES: Record<CouncilNation, readonly string[]> = {
  england: ["E06", "E07", "E08", "E09", "E10"],
  wales: ["W06"],
  scotland: ["S12"],
};

export const ONS_CODES_SOURCE: SourceReference = {
  title: "Office for National Statistics: Register of Geographic Codes (GSS entity codes)",
  url: "https://geoportal.statistics.gov.uk/search?q=register%20of%20geographic%20codes",
};

/** True when the code is one of the nation's council codes: a known prefix and six digits. */
export function isOnsCouncilCode(nation: CouncilNation, code: string): boolean {
  return /^[A-Z]\d{8}$/.test(code) && ONS_COUNCIL_CODE_PREFIXES[nation].includes(code.slice(0, 3));
}

/** What a nation's rule pack would need that Upfront does not have yet (England has them all). */
export type MissingRules = {
  readonly eligibility: SourceReference;
  readonly alsoMissing: readonly string[];
};

export const MISSING_RULES: Partial<Record<CouncilNation, MissingRules>> = {
  wales: {
    eligibility: {
      title: "Care and Support (Eligibility) (Wales) Regulations 2015",
      url: "https://www.legislation.gov.uk/wsi/2015/1578/contents",
    },
    alsoMissing: ["an assessment questionnaire built on them", "an example RAS model priced against it"],
  },
  scotland: {
    eligibility: {
      title:
        "Social Work (Scotland) Act 1968 s12A and the National Eligibility Criteria (Scottish Government, 2009)",
      provision: "s12A",
      url: "https://www.legislation.gov.uk/ukpga/1968/49/section/12A",
    },
    alsoMissing: ["an assessment questionnaire built on them", "an example RAS model priced against it"],
  },
};

/** Why a council in this nation cannot be created yet, or null when it can. */
export function missingRulesMessage(nation: CouncilNation): string | null {
  const missing = MISSING_RULES[nation];
  if (!missing) return null;
  const name = NATION_NAMES[nation];
  return (
    `Councils in ${name} cannot be created yet: Upfront has no ${name} rule pack. Missing: the eligibility rules ` +
    `for ${name} (${missing.eligibility.title}), ${missing.alsoMissing.join(", and ")}. Eligibility rules exist for ` +
    "England only."
  );
}
