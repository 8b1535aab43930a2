import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listPeople } from "#/features/people/service.ts";
import {
  closeReferral,
  FloodLimitError,
  findCouncil,
  recordReferral,
  referralsFor,
  selfRefer,
} from "#/features/referrals/service.ts";
import { raiseTaskIn, tasksFor } from "#/features/tasks/service.ts";
import type { Tenant } from "#/features/tenants/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { withSystem, withTenant } from "#/platform/db/tenant.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { DEMO_TENANT_SLUG, OTHER_TENANT_SLUG } from "#/seed/seed.ts";
import { staffScope } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";

/** A self-referral as the public form sends it. */
const FORM = {
  givenName: "Rhiannon",
  familyName: "Referred",
  dateOfBirth: "1948-03-27",
  postcode: "ZX4 7QP",
  phone: "01632 960 001",
  who: "on_behalf",
  yourName: "Gwen Referred",
  relationship: "Daughter",
  personKnows: "yes",
  supportWanted: "Help getting washed and dressed in the mornings.",
  confirm: "yes",
};

const KEY = "test-address-key";

const fieldsOf = async (p: Promise<unknown>) => {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).fieldErrors.map((e) => e.path);
};

describe.each(enginesUnderTest())("referrals and tasks on %s", (engine) => {
  let database: TestDatabase;
  let demo: Tenant;
  let other: Tenant;
  let sw: ServiceContext;
  let swId: string;
  let personId: string;

  beforeAll(async () => {
    database = await databaseFor(engine, { demo: { people: 3 } });
    demo = (await findCouncil(database.db, DEMO_TENANT_SLUG))!;
    other = (await findCouncil(database.db, OTHER_TENANT_SLUG))!;
    const scope = await staffScope(database, "social.worker@demo.upfront.test");
    swId = scope.actor.id!;
    sw = { db: database.db, scope, today: TODAY };
    personId = (await listPeople(sw, { page: 1, pageSize: 1 })).rows[0]!.personId;
  }, 180_000);
  afterAll(async () => {
    await database?.drop();
  });

  it("rule (issue 11): a referral is recorded against a person with its date, route of access and source, and closed with a Release 2 event outcome", async () => {
    const recorded = await recordReferral(sw, {
      personId,
      receivedOn: "2026-11-20",
      routeOfAccess: "discharge_from_hospital",
      requestSource: "hospital",
    });
    expect(recorded).toMatchObject({
      status: "open",
      receivedOn: "2026-11-20",
      routeOfAccessLabel: "Discharge from hospital",
      requestSourceLabel: "Hospital",
    });
    // Through another person's page, the referral is not found (and stays open).
    const someoneElse = (await listPeople(sw, { page: 2, pageSize: 1 })).rows[0]!.personId;
    await expect(
      closeReferral(sw, {
        referralId: recorded.referralId,
        personId: someoneElse,
        outcome: "progress_to_assessment",
        closedOn: "2026-11-22",
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const closed = await closeReferral(sw, {
      referralId: recorded.referralId,
      personId,
      outcome: "progress_to_assessment",
      closedOn: "2026-11-22",
    });
    expect(closed).toMatchObject({
      status: "closed",
      outcomeLabel: "Progress to assessment, review or reassessment",
      closedOn: "2026-11-22",
    });
    const { referrals } = await referralsFor(sw, personId);
    expect(referrals.find((r) => r.referralId === recorded.referralId)?.outcome).toBe(
      "progress_to_assessment",
    );
    await expect(
      closeReferral(sw, { referralId: recorded.referralId, outcome: "nfa_other", closedOn: "2026-11-22" }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it("rule (issue 11): an outcome not on the Release 2 list, a route of access not on the list and a future date are refused, naming each field", async () => {
    const open = await recordReferral(sw, {
      personId,
      receivedOn: TODAY,
      routeOfAccess: "community_or_other",
      requestSource: "self",
    });
    // "Provision of service" is a Release 1 outcome, not a Release 2 one.
    expect(
      await fieldsOf(
        closeReferral(sw, { referralId: open.referralId, outcome: "provision_of_service", closedOn: TODAY }),
      ),
    ).toEqual(["outcome"]);
    expect(
      await fieldsOf(
        recordReferral(sw, {
          personId,
          receivedOn: "2027-01-01",
          routeOfAccess: "by_pigeon",
          requestSource: "self",
        }),
      ),
    ).toEqual(["receivedOn", "routeOfAccess"]);
    const { referrals } = await referralsFor(sw, personId);
    expect(referrals.find((r) => r.referralId === open.referralId)?.status).toBe("open");
  });

  it("rule (issue 11): a self-referral lands as a referral (community or other route, made on the person's behalf) and a New self-referral task for the intake role group", async () => {
    const sent = await selfRefer(database.db, demo, FORM, {
      clientAddress: "203.0.113.9",
      addressKey: KEY,
      today: TODAY,
    });
    expect(sent.reference).toMatch(/^SR-[A-Z2-9]{8}$/);
    const { person, referrals } = await referralsFor(sw, sent.personId);
    expect(person.name).toBe("Rhiannon Referred");
    expect(referrals).toEqual([
      expect.objectContaining({
        reference: sent.reference,
        routeOfAccess: "community_or_other",
        requestSource: "on_their_behalf",
        receivedOn: TODAY,
        status: "open",
        details: expect.objectContaining({ relationship: "Daughter", personKnows: "yes" }),
      }),
    ]);
    const tasks = await tasksFor(sw, { userId: swId, roles: ["social_worker"] });
    const task = tasks.find((t) => t.person?.personId === sent.personId);
    expect(task).toMatchObject({
      kindLabel: "New self-referral",
      dueOn: "2026-11-25",
      link: `/people/${sent.personId}/referrals#referral-${sent.referralId}`,
      forYou: "your_role",
    });
    // Closing the referral finishes the task it raised.
    await closeReferral(sw, {
      referralId: sent.referralId,
      outcome: "nfa_information_advice",
      closedOn: TODAY,
    });
    const after = await tasksFor(sw, { userId: swId, roles: ["social_worker"] });
    expect(after.some((t) => t.taskId === task!.taskId)).toBe(false);
  });

  it("rule (issue 11): a self-referral with missing or wrong answers is refused whole, naming every field, and writes nothing", async () => {
    const before = (await listPeople(sw, { page: 1, pageSize: 1 })).total;
    expect(
      await fieldsOf(
        selfRefer(
          database.db,
          demo,
          { ...FORM, dateOfBirth: "2030-01-01", phone: "", yourName: "", confirm: undefined },
          { clientAddress: "203.0.113.10", addressKey: KEY, today: TODAY },
        ),
      ),
    ).toEqual(expect.arrayContaining(["confirm", "phone", "yourName"]));
    expect((await listPeople(sw, { page: 1, pageSize: 1 })).total).toBe(before);
  });

  it("rule (issue 11): the flood limits are counted in the database: per address per day and per council per day, even when many arrive at once", async () => {
    const limits = { perAddressPerDay: 2, perCouncilPerDay: 4 };
    const day = "2026-11-24";
    const send = (address: string) =>
      selfRefer(database.db, demo, FORM, { clientAddress: address, addressKey: KEY, today: day, limits });
    // Five at once from one address: exactly two get through, whichever connection each came on.
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(() => send("198.51.100.1")));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(refused.every((e) => e instanceof FloodLimitError && e.which === "address")).toBe(true);
    await send("198.51.100.2");
    await send("198.51.100.3");
    await expect(send("198.51.100.4")).rejects.toMatchObject({ which: "council" });
    // Another council's count is its own; the next day starts again.
    await selfRefer(database.db, other, FORM, {
      clientAddress: "198.51.100.1",
      addressKey: KEY,
      today: day,
      limits,
    });
    await selfRefer(database.db, demo, FORM, {
      clientAddress: "198.51.100.1",
      addressKey: KEY,
      today: "2026-11-25",
      limits,
    });
    // The address is kept only as a keyed hash, and only until the day after.
    const rows = async (on: string) =>
      withSystem(database.db, (trx) =>
        trx
          .selectFrom("self_referral_submissions")
          .where("tenant_id", "=", demo.tenantId)
          .where("submitted_on", "=", on)
          .select("client_hash")
          .execute(),
      );
    expect((await rows(day)).map((r) => r.client_hash)).not.toContain("198.51.100.1");
    expect(await rows(day)).toHaveLength(4);
    await selfRefer(database.db, demo, FORM, {
      clientAddress: "198.51.100.5",
      addressKey: KEY,
      today: "2026-11-26",
      limits,
    });
    expect(await rows(day)).toHaveLength(0);
  });

  it("rule (issue 11): a task is seen by its named officer and by its role group, not by other roles nor by another council", async () => {
    const planner = await staffScope(database, "support.planner@demo.upfront.test");
    const manager = await staffScope(database, "team.manager@demo.upfront.test");
    const named = await withTenant(database.db, sw.scope, (tx) =>
      raiseTaskIn(
        { tx },
        {
          kind: "contribution_recheck",
          title: "Re-check the contribution",
          personId,
          assignedUserId: swId,
          dueOn: "2026-12-01",
          link: `/people/${personId}`,
          source: { type: "test", id: "named" },
        },
      ),
    );
    const sent = await selfRefer(database.db, demo, FORM, {
      clientAddress: "192.0.2.50",
      addressKey: KEY,
      today: TODAY,
    });
    const ids = async (scope: typeof planner, roles: Parameters<typeof tasksFor>[1]["roles"]) =>
      (await tasksFor({ db: database.db, scope, today: TODAY }, { userId: scope.actor.id!, roles })).map(
        (t) => t.link,
      );
    const swSees = await ids(sw.scope, ["social_worker"]);
    expect(swSees).toContain(`/people/${personId}`);
    expect(swSees.some((l) => l.includes(sent.referralId))).toBe(true);
    const managerSees = await ids(manager, ["team_manager"]);
    expect(managerSees.some((l) => l.includes(sent.referralId))).toBe(true);
    expect(managerSees).not.toContain(`/people/${personId}`);
    expect(await ids(planner, ["support_planner"])).toEqual([]);
    const otherAdmin = await staffScope(database, "administrator@other.upfront.test");
    expect(await ids(otherAdmin, ["social_worker", "team_manager"])).not.toContainEqual(
      expect.stringContaining(sent.referralId),
    );
    expect(named).toMatch(/^[0-9a-f-]{36}$/);
  });
});
