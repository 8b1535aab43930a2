import { afterAll, describe, expect, it } from "vitest";
import { parseAnswers } from "#/features/assessment/schemas.ts";
import { verifyPassword } from "#/platform/auth/passwords.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { rulePackFor } from "#/rules/index.ts";
import {
  DEMO_PASSWORD,
  DEMO_STAFF,
  DEMO_TEAMS,
  demoAnswers,
  demoPeople,
  OTHER_STAFF,
  seedDemo,
  seededRandom,
} from "#/seed/seed.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../test/databases.ts";
import { TODAY } from "../../test/today.ts";

const ALL_ROLES = [
  "social_worker",
  "support_planner",
  "team_manager",
  "funding_panel_member",
  "finance_officer",
  "commissioner",
  "administrator",
];

describe("demo data without a database", () => {
  it("rule: the same seed gives the same people; another seed gives others", () => {
    const a = demoPeople(7, 240, TODAY);
    expect(demoPeople(7, 240, TODAY)).toEqual(a);
    expect(demoPeople(8, 240, TODAY).map((p) => p.familyName)).not.toEqual(a.map((p) => p.familyName));
    expect(new Set(a.map((p) => p.reference)).size).toBe(240);
  });

  it("rule: demo people are adults aged 18 to 95 with made-up ZX postcodes", () => {
    for (const p of demoPeople(20261123, 240, TODAY)) {
      const age = Number(TODAY.slice(0, 4)) - Number(p.dateOfBirth.slice(0, 4));
      expect(age).toBeGreaterThanOrEqual(18);
      expect(age).toBeLessThanOrEqual(96);
      expect(p.dateOfBirth < TODAY).toBe(true);
      expect(p.postcode).toMatch(/^ZX\d{1,2} \d[A-Z]{2}$/);
    }
  });

  it("rule: every generated set of answers is complete and valid for the questionnaire", () => {
    const { questionnaire } = rulePackFor("england", TODAY);
    const r = seededRandom(1);
    for (let i = 0; i < 200; i++) {
      const result = parseAnswers(demoAnswers(r, questionnaire), questionnaire);
      expect(result.ok ? [] : result.errors).toEqual([]);
    }
  });
});

describe.each(enginesUnderTest())("seedDemo on %s", (engine) => {
  const opened: TestDatabase[] = [];
  afterAll(async () => {
    for (const d of opened) await d.drop();
  });

  it("rule: the seed makes ≥200 people, staff accounts for every role (issue 11: two finance officers and team managers, one team per role group), real decisions, and is deterministic and idempotent", async () => {
    const database = await databaseFor(engine, "migrated");
    opened.push(database);
    const result = await seedDemo(database, { today: TODAY });
    expect(result.created).toBe(true);
    expect(result.people).toBeGreaterThanOrEqual(200);

    await withSystem(database.db, async (trx) => {
      const tenants = await trx
        .selectFrom("tenants")
        .select(["slug", "name", "tenant_id"])
        .orderBy("slug")
        .execute();
      expect(tenants.map((t) => [t.slug, t.name])).toEqual([
        ["demo", "Demo Council"],
        ["other", "Other Council"],
      ]);
      const demoId = tenants[0]!.tenant_id;

      const staff = await trx.selectFrom("staff_users").selectAll().where("tenant_id", "=", demoId).execute();
      // Every role, and two finance officers and two team managers, so two-person checks need no one else.
      const roleCounts = Object.fromEntries(
        ALL_ROLES.map((r) => [r, staff.filter((s) => s.roles.includes(r as never)).length]),
      );
      expect(roleCounts).toEqual({
        social_worker: 1,
        support_planner: 1,
        team_manager: 2,
        funding_panel_member: 1,
        finance_officer: 2,
        commissioner: 1,
        administrator: 1,
      });
      // One team per group of roles, and everyone in one.
      const teams = await trx
        .selectFrom("teams")
        .select(["team_id", "name"])
        .where("tenant_id", "=", demoId)
        .execute();
      expect(teams.map((t) => t.name).sort()).toEqual(Object.values(DEMO_TEAMS).sort());
      const teamOf = new Map(teams.map((t) => [t.team_id, t.name]));
      for (const s of staff) {
        expect(teamOf.get(s.team_id!), s.email).toBe(DEMO_STAFF.find((d) => d.email === s.email)!.team);
      }
      expect(staff.map((s) => s.email).sort()).toEqual(DEMO_STAFF.map((s) => s.email).sort());
      expect(staff[0]!.password_hash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(staff[0]!.password_hash!, DEMO_PASSWORD)).toBe(true);
      const otherStaff = await trx
        .selectFrom("staff_users")
        .select("email")
        .where("tenant_id", "<>", demoId)
        .execute();
      expect(otherStaff.map((s) => s.email)).toEqual(OTHER_STAFF.map((s) => s.email));

      const count = async (table: "people" | "eligibility_decisions" | "allocations") =>
        Number(
          (
            await trx
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as("n"))
              .where("tenant_id", "=", demoId)
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(await count("people")).toBe(result.people);
      expect(await count("eligibility_decisions")).toBe(result.submitted);
      // Most submitted (about 70%), some eligible and some not, each eligible one with its allocation.
      expect(result.submitted / result.people).toBeGreaterThan(0.6);
      expect(result.drafts).toBeGreaterThan(0);
      const eligible = await trx
        .selectFrom("eligibility_decisions")
        .select("eligible")
        .where("tenant_id", "=", demoId)
        .execute();
      expect(eligible.some((e) => e.eligible)).toBe(true);
      expect(eligible.some((e) => !e.eligible)).toBe(true);
      expect(await count("allocations")).toBe(eligible.filter((e) => e.eligible).length);
    });

    expect((await seedDemo(database, { today: TODAY })).created).toBe(false);

    // Same seed, another database: the same people.
    const again = await databaseFor(engine, "migrated");
    opened.push(again);
    await seedDemo(again, { today: TODAY, people: 50 });
    const names = (d: TestDatabase) =>
      withSystem(d.db, (trx) =>
        trx
          .selectFrom("people")
          .innerJoin("tenants", "tenants.tenant_id", "people.tenant_id")
          .select(["reference", "given_name", "family_name", "date_of_birth", "postcode"])
          .where("tenants.slug", "=", "demo")
          .where("reference", "<=", "DEMO-00050")
          .orderBy("reference")
          .execute(),
      );
    expect(await names(again)).toEqual(await names(database));
  }, 120_000);
});
