import { describe, expect, it } from "vitest";
import { englandAscof2024 } from "#/rules/england/ascof.ts";
import { englandCldListsR2 } from "#/rules/england/cld-lists.ts";

// The ASCOF method's strings must be values the CLD return can carry (REPORTING.md §1.4–1.10), or a measure
// would silently count nobody.
const on = (list: keyof typeof englandCldListsR2, value: string) =>
  englandCldListsR2[list].values.some((v) => v.value.toLowerCase() === value.toLowerCase());

describe("England's ASCOF rule data against the CLD Release 2 lists", () => {
  const a = englandAscof2024;

  it("names only CLD service types, delivery mechanisms, components, client types and outcomes", () => {
    for (const type of Object.values(a.longTermServiceTypes))
      expect(on("serviceTypes", type), type).toBe(true);
    for (const rung of a.settingHierarchy) {
      expect(on("serviceTypes", rung.serviceType)).toBe(true);
      if (rung.deliveryMechanism) expect(on("deliveryMechanisms", rung.deliveryMechanism)).toBe(true);
    }
    for (const m of Object.values(a.deliveryMechanisms)) expect(on("deliveryMechanisms", m), m).toBe(true);
    expect(on("serviceComponents", a.directPaymentComponent)).toBe(true);
    expect(on("serviceTypes", a.carers.directToCarerServiceType)).toBe(true);
    expect(on("serviceTypes", a.carers.involvingCaredForServiceType)).toBe(true);
    expect(on("eventOutcomes", a.carers.informationAndAdviceOutcome)).toBe(true);
    expect(on("clientTypes", a.clientTypes.serviceUser[0]!)).toBe(true);
    expect(on("primarySupportReasons", a.learningDisabilityPrimarySupportReason)).toBe(true);
  });

  it("splits accommodation 9 settled / 11 not (NHSE ASCOF 2E appendix), Unknown not settled", () => {
    expect(a.accommodation.settled).toHaveLength(9);
    expect(a.accommodation.notSettled).toHaveLength(11);
    expect(a.accommodation.notSettled).toContain(a.accommodation.unknown);
    expect(a.accommodation.settled).toContain(
      "Mobile accommodation for Gypsy, Roma and Traveller communities",
    );
    expect(a.accommodation.notSettled).toContain("Rough sleeper or squatting");
  });
});
