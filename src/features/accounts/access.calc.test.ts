import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TODAY } from "../../../test/today.ts";
import {
  AUTHORITY_TYPES,
  checkRepresentation,
  decideAccess,
  effectiveScopes,
  type PortalActor,
  peopleRepresented,
  REPRESENTATIVE_KINDS,
  type Representation,
  representationState,
  SCOPES,
  type Scope,
  scopesPermittedFor,
} from "./access.calc.ts";

const ANN = "0190a000-0000-7000-8000-00000000000a";
const BOB = "0190a000-0000-7000-8000-00000000000b";

function rep(over: Partial<Representation> = {}): Representation {
  return {
    representativeId: "r-1",
    personId: ANN,
    kind: "family_or_friend",
    authorityType: null,
    scopes: ["view"],
    startsOn: "2026-01-01",
    endsOn: null,
    consentGivenAt: new Date("2026-01-01T10:00:00Z"),
    consentWithdrawnAt: null,
    endedAt: null,
    ...over,
  };
}

const actor = (...representations: Representation[]): PortalActor => ({
  accountId: "acc-1",
  personId: null,
  representations,
});

describe("decideAccess: the one authorisation rule", () => {
  it("lets a person do everything for their own record, and nothing for anyone else's", () => {
    const self: PortalActor = { accountId: "acc-1", personId: ANN, representations: [] };
    for (const scope of SCOPES)
      expect(decideAccess(self, ANN, scope, TODAY)).toEqual({ allowed: true, as: "self" });
    expect(decideAccess(self, BOB, "view", TODAY).allowed).toBe(false);
  });

  it("lets a representative act only within their scope", () => {
    const a = actor(rep({ scopes: ["view", "ask_for_review"] }));
    expect(decideAccess(a, ANN, "view", TODAY)).toMatchObject({
      allowed: true,
      as: "representative",
      representativeId: "r-1",
    });
    expect(decideAccess(a, ANN, "ask_for_review", TODAY).allowed).toBe(true);
    expect(decideAccess(a, ANN, "edit_plan", TODAY)).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/scope/),
    });
    expect(decideAccess(a, ANN, "manage_money", TODAY).allowed).toBe(false);
    expect(decideAccess(a, BOB, "view", TODAY).allowed).toBe(false);
  });

  it("ends a family member's access when the person withdraws consent, and gives none before they agree", () => {
    expect(decideAccess(actor(rep({ consentWithdrawnAt: new Date() })), ANN, "view", TODAY)).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/consent_withdrawn/),
    });
    expect(decideAccess(actor(rep({ consentGivenAt: null })), ANN, "view", TODAY)).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/awaiting_consent/),
    });
  });

  it("needs no prior agreement for an advocate or a legal authority, but an advocate ends if the person says no", () => {
    const advocate = rep({ kind: "independent_advocate", consentGivenAt: null });
    expect(decideAccess(actor(advocate), ANN, "view", TODAY).allowed).toBe(true);
    expect(
      decideAccess(actor({ ...advocate, consentWithdrawnAt: new Date() }), ANN, "view", TODAY).allowed,
    ).toBe(false);
    const attorney = rep({
      kind: "lasting_power_of_attorney",
      authorityType: "property_and_financial_affairs",
      consentGivenAt: null,
      scopes: ["view", "manage_money"],
    });
    expect(decideAccess(actor(attorney), ANN, "manage_money", TODAY).allowed).toBe(true);
  });

  it("respects start and end dates, and the council ending a representation", () => {
    expect(representationState(rep({ startsOn: "2026-12-01" }), TODAY)).toBe("not_started");
    expect(representationState(rep({ endsOn: "2026-11-22" }), TODAY)).toBe("expired");
    expect(representationState(rep({ endsOn: TODAY }), TODAY)).toBe("current");
    expect(decideAccess(actor(rep({ endedAt: new Date() })), ANN, "view", TODAY).allowed).toBe(false);
  });

  it("never lets a kind do more than it may, whatever was stored", () => {
    // Stored scopes beyond the kind's permission (say, from an older rule) are cut back to what it permits.
    const advocate = rep({ kind: "independent_advocate", scopes: ["view", "manage_money"] });
    expect(effectiveScopes(advocate, TODAY)).toEqual(["view"]);
    const welfare = rep({ kind: "deputy", authorityType: "personal_welfare", scopes: [...SCOPES] });
    expect(effectiveScopes(welfare, TODAY)).toEqual([
      "view",
      "edit_plan",
      "ask_for_review",
      "receive_letters",
    ]);
    expect(scopesPermittedFor("suitable_person", null)).toContain("manage_money");
    expect(scopesPermittedFor("lasting_power_of_attorney", "health_and_welfare")).not.toContain(
      "manage_money",
    );
  });

  it("rule (issue 16): every kind may be sent copies of letters (receive_letters), whatever its authority", () => {
    for (const kind of REPRESENTATIVE_KINDS) {
      const types = AUTHORITY_TYPES[kind] ?? [null];
      for (const type of types) expect(scopesPermittedFor(kind, type)).toContain("receive_letters");
    }
  });

  it("uses whichever of an account's representations of the person allows the scope", () => {
    const a = actor(
      rep({ representativeId: "old", endedAt: new Date(), scopes: [...SCOPES] }),
      rep({ representativeId: "new", scopes: ["view", "edit_plan"] }),
    );
    expect(decideAccess(a, ANN, "edit_plan", TODAY)).toMatchObject({
      allowed: true,
      representativeId: "new",
    });
    expect(decideAccess(a, ANN, "manage_money", TODAY).allowed).toBe(false);
    expect(peopleRepresented(a, TODAY)).toEqual([ANN]);
  });

  it("property: access is granted exactly to self, or through a current representation whose kind permits the scope", () => {
    const arbRep = fc.record({
      representativeId: fc.constantFrom("r1", "r2", "r3"),
      personId: fc.constantFrom(ANN, BOB),
      kind: fc.constantFrom(...REPRESENTATIVE_KINDS),
      authorityType: fc.constantFrom(
        null,
        "property_and_financial_affairs",
        "health_and_welfare",
        "personal_welfare",
      ),
      scopes: fc.subarray([...SCOPES]),
      startsOn: fc.constantFrom("2026-01-01", "2026-12-01"),
      endsOn: fc.constantFrom(null, "2026-11-01", "2027-01-01"),
      consentGivenAt: fc.constantFrom(null, new Date("2026-01-01")),
      consentWithdrawnAt: fc.constantFrom(null, new Date("2026-06-01")),
      endedAt: fc.constantFrom(null, new Date("2026-06-01")),
    }) as fc.Arbitrary<Representation>;
    fc.assert(
      fc.property(
        fc.array(arbRep, { maxLength: 4 }),
        fc.constantFrom(null, ANN, BOB),
        fc.constantFrom(ANN, BOB),
        fc.constantFrom<Scope>(...SCOPES),
        (generated, own, target, scope) => {
          const representations = generated.map((r, i) => ({ ...r, representativeId: `r${i}` }));
          const d = decideAccess({ accountId: "a", personId: own, representations }, target, scope, TODAY);
          const grounds = representations.some(
            (r) =>
              r.personId === target &&
              representationState(r, TODAY) === "current" &&
              r.scopes.includes(scope) &&
              scopesPermittedFor(r.kind, r.authorityType).includes(scope),
          );
          if (!d.allowed) return own !== target && !grounds;
          if (d.as === "self") return own === target;
          const r = representations.find((x) => x.representativeId === d.representativeId)!;
          return (
            r.personId === target &&
            representationState(r, TODAY) === "current" &&
            r.scopes.includes(scope) &&
            scopesPermittedFor(r.kind, r.authorityType).includes(scope)
          );
        },
      ),
    );
  });
});

describe("checkRepresentation", () => {
  it("needs the authority, with its type and reference, for attorneys and deputies only", () => {
    expect(
      checkRepresentation({
        kind: "lasting_power_of_attorney",
        authorityType: null,
        authorityReference: null,
        scopes: ["view"],
      }).map((e) => e.path),
    ).toEqual(["authorityType", "authorityReference"]);
    expect(
      checkRepresentation({
        kind: "deputy",
        authorityType: "health_and_welfare",
        authorityReference: "COP-1",
        scopes: ["view"],
      }),
    ).toMatchObject([{ path: "authorityType" }]);
    expect(
      checkRepresentation({
        kind: "family_or_friend",
        authorityType: "personal_welfare",
        authorityReference: null,
        scopes: ["view"],
      }),
    ).toMatchObject([{ path: "authorityType" }]);
  });

  it("refuses scopes the kind may not have, and a representative who cannot view", () => {
    expect(
      checkRepresentation({
        kind: "independent_advocate",
        authorityType: null,
        authorityReference: null,
        scopes: ["view", "manage_money"],
      }),
    ).toMatchObject([{ path: "scopes", message: expect.stringMatching(/advocate.*cannot.*money/i) }]);
    expect(
      checkRepresentation({
        kind: "suitable_person",
        authorityType: null,
        authorityReference: null,
        scopes: ["manage_money"],
      }),
    ).toMatchObject([{ path: "scopes", message: expect.stringMatching(/see the records/) }]);
    expect(
      checkRepresentation({
        kind: "suitable_person",
        authorityType: null,
        authorityReference: null,
        scopes: ["view", "manage_money"],
      }),
    ).toEqual([]);
  });
});
