import { describe, expect, it } from "vitest";
import { REVIEW_RESULTS } from "#/features/reviews/schemas.ts";
import type { CldListName } from "#/rules/cld-types.ts";
import { CLD_RULES_FROM, cldRulesFor, englandCldR2 } from "#/rules/england/cld.ts";
import { englandPersonFieldsCldR2 } from "#/rules/england/person-fields.ts";
import { englandQuestionnaire } from "#/rules/england/questionnaire.ts";
import { englandReferralListsR2 } from "#/rules/england/referral-lists.ts";
import { rulesFor } from "#/rules/registry.ts";
import { DEPLOYMENTS } from "#/vocabulary/deployments.ts";
import { REVIEW_METHODS } from "#/vocabulary/review-methods.ts";
import { DEFAULT_SUPPORT_CATEGORIES } from "#/vocabulary/support-categories.ts";
import { UNITS } from "#/vocabulary/units.ts";

const { lists, mappings } = englandCldR2;
const on = (list: CldListName) => lists[list].values.map((v) => v.value);

describe("CLD Release 2 lists (REPORTING.md §1.3–1.10)", () => {
  it("is reached through the registry for England from the Release 2 date, and is undefined for Wales and Scotland (CLD is England only)", () => {
    expect(rulesFor("england", "2026-04-01").cld.rules).toBe(englandCldR2);
    expect(rulesFor("england", CLD_RULES_FROM).cld.rules).toBe(englandCldR2);
    expect(rulesFor("england", "2025-09-30").cld.rules).toBeUndefined();
    expect(rulesFor("wales", "2026-04-01").cld).toEqual({ rules: undefined, provenance: "own" });
    expect(rulesFor("scotland", "2026-04-01").cld).toEqual({ rules: undefined, provenance: "own" });
    expect(cldRulesFor("2025-10-01")?.validFrom).toBe("2025-10-01");
  });

  it("keeps REPORTING.md's [UNCONFIRMED] marks where the values were not read from the specification", () => {
    const unconfirmed: CldListName[] = [
      "primarySupportReasons",
      "serviceComponents",
      "methodsOfAssessment",
      "methodsOfReview",
      "reviewReasons",
      "reviewOutcomesAchieved",
      "costFrequencies",
      "assessmentTypes",
      "yesNo",
    ];
    for (const name of unconfirmed) expect(lists[name].source.note, name).toMatch(/\[UNCONFIRMED/);
    expect(englandCldR2.sources.some((s) => s.note?.includes("[UNCONFIRMED] Release 2 go-live date"))).toBe(
      true,
    );
  });

  it("has no value twice on a list, and every list has a source", () => {
    for (const [name, list] of Object.entries(lists)) {
      const values = list.values.map((v) => v.value.toLowerCase());
      expect(new Set(values).size, name).toBe(values.length);
      expect(list.source.url, name).toMatch(/^https:\/\//);
    }
  });

  it("groups every NFA outcome as NFA and every other outcome as itself (DHSC-DASH 5-data-cleaning.md)", () => {
    for (const o of lists.eventOutcomes.values) {
      expect(o.group).toBe(o.value.startsWith("NFA:") ? "NFA" : o.value);
    }
    expect(lists.eventOutcomes.values).toHaveLength(16);
  });

  it("marks the first nine accommodation values settled and the rest not (NHSE ASCOF 2E appendix)", () => {
    const settled = lists.accommodationStatus.values.map((v) => v.settled);
    expect(settled).toEqual([...Array(9).fill(true), ...Array(11).fill(false)]);
  });

  it("writes ethnicity as 'Group: value', with 21 values, as DHSC's Release 2 cleaned list does", () => {
    expect(on("ethnicity")).toHaveLength(21);
    expect(on("ethnicity")).toContain("White: English, Welsh, Scottish, Northern Irish or British");
    expect(on("ethnicity")).toContain("No data: Refused");
    expect(on("ethnicity")).toContain("No data: Undeclared or not known");
  });

  it("maps every Release 1 service type and PSR to a Release 2 value on the list (REPORTING.md §1.5, §1.8)", () => {
    expect(englandCldR2.release1To2.serviceTypes).toHaveLength(on("serviceTypes").length);
    for (const m of englandCldR2.release1To2.serviceTypes) expect(on("serviceTypes")).toContain(m.release2);
    expect(englandCldR2.release1To2.primarySupportReasons).toHaveLength(12);
    for (const m of englandCldR2.release1To2.primarySupportReasons) {
      expect(on("primarySupportReasons")).toContain(m.release2);
    }
  });
});

describe("Upfront → CLD mappings: every Upfront code has one, and every target is on its list", () => {
  const exactly = (
    mapping: Readonly<Record<string, string>>,
    codes: readonly string[],
    list: CldListName,
  ) => {
    expect(Object.keys(mapping).sort()).toEqual([...codes].sort());
    for (const [code, value] of Object.entries(mapping))
      expect(on(list), `${code} → ${value}`).toContain(value);
  };
  const codes = (list: { options: readonly { code: string }[] }) => list.options.map((o) => o.code);

  it("maps the person record's codes (person-fields.ts)", () => {
    const p = englandPersonFieldsCldR2;
    exactly(mappings.gender, codes(p.sex), "gender");
    exactly(mappings.ethnicity, codes(p.ethnicity), "ethnicity");
    exactly(mappings.accommodationStatus, codes(p.accommodationStatus), "accommodationStatus");
    exactly(mappings.employmentStatus, codes(p.employmentStatus), "employmentStatus");
    exactly(mappings.hasUnpaidCarer, codes(p.hasUnpaidCarer), "yesNo");
    expect(mappings.ethnicity.declined).toBe("No data: Refused");
  });

  it("maps the questionnaire's primary support reasons", () => {
    const ids = englandQuestionnaire.primarySupportReasons.map((r) => r.id);
    exactly(mappings.primarySupportReason, ids, "primarySupportReasons");
  });

  it("maps the referral lists' routes of access and outcomes", () => {
    const r = englandReferralListsR2;
    exactly(
      mappings.routeOfAccess,
      r.routesOfAccess.map((x) => x.id),
      "routesOfAccess",
    );
    exactly(
      mappings.requestOutcome,
      r.eventOutcomes.map((x) => x.id),
      "eventOutcomes",
    );
  });

  it("maps every support category, deployment and unit to a component, delivery mechanism and cost frequency", () => {
    const s = mappings.service;
    exactly(
      s.componentByCategory,
      DEFAULT_SUPPORT_CATEGORIES.map((c) => c.id),
      "serviceComponents",
    );
    exactly(s.deliveryMechanismByDeployment, DEPLOYMENTS, "deliveryMechanisms");
    exactly(s.costFrequencyByUnit, UNITS, "costFrequencies");
    expect(on("serviceTypes")).toContain(s.serviceType);
    for (const outcome of [s.outcomeWhileOpen, s.outcomeWhenEnded, s.outcomeWhenDied]) {
      expect(on("eventOutcomes")).toContain(outcome);
    }
  });

  it("maps the deployments as the brief and REPORTING.md §1.7 say", () => {
    expect(mappings.service.deliveryMechanismByDeployment).toEqual({
      direct_payment: "Direct payment",
      council_managed: "CASSR managed personal budget",
      individual_service_fund: "CASSR managed personal budget",
      council_arranged: "CASSR commissioned support",
    });
  });

  it("maps review kinds, methods and results, and the ratings summary", () => {
    const r = mappings.review;
    exactly(r.reasonByKind, ["plan", "direct_payment"], "reviewReasons");
    // Method of Review (field 47) is mandatory on review events (DHSC DQ procedure, REPORTING.md §1.2): every way
    // Upfront records a review held has a value on the [UNCONFIRMED] list.
    exactly(r.methodByCode, REVIEW_METHODS, "methodsOfReview");
    expect(r.methodByCode.self_review).toBe("Self-review");
    expect(on("reviewReasons")).toContain(r.unplannedReason);
    exactly(r.outcomeByResult, REVIEW_RESULTS, "eventOutcomes");
    for (const v of Object.values(r.outcomesAchieved)) expect(on("reviewOutcomesAchieved")).toContain(v);
  });

  it("maps the assessment, financial assessment, client type and event types onto their lists", () => {
    const a = mappings.assessment;
    expect(on("assessmentTypes")).toContain(a.type);
    expect(on("assessmentTypes")).toContain(a.financialAssessmentType);
    expect(on("methodsOfAssessment")).toContain(a.method);
    expect(on("eventOutcomes")).toContain(a.outcomeWhenEligible);
    expect(on("eventOutcomes")).toContain(a.outcomeWhenNotEligible);
    for (const v of Object.values(a.eligibleNeedsIdentified)) expect(on("yesNo")).toContain(v);
    for (const v of Object.values(mappings.clientFundingStatus))
      expect(on("clientFundingStatus")).toContain(v);
    expect(on("clientTypes")).toContain(mappings.clientType);
    for (const v of Object.values(mappings.eventType)) expect(on("eventTypes")).toContain(v);
  });

  it("names values on the lists in the data-quality conditions", () => {
    const q = englandCldR2.quality;
    expect(on("clientTypes")).toContain(q.serviceUserClientType);
    expect(on("deliveryMechanisms")).toContain(q.costsNotMandatoryDeliveryMechanism);
    for (const c of q.costsServiceComponents) expect(on("serviceComponents")).toContain(c);
    for (const r of q.employmentStatus.primarySupportReasons)
      expect(on("primarySupportReasons")).toContain(r);
    expect(on("assessmentTypes").some((t) => t.startsWith(q.financialAssessmentPrefix))).toBe(true);
  });
});
