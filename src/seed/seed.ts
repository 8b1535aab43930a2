import type { AssessmentAnswers, OutcomeAnswer } from "#/features/assessment/schemas.ts";
import { saveAnswersIn, startAssessmentIn, submitAssessmentIn } from "#/features/assessment/service.ts";
import type { NewPerson } from "#/features/people/schemas.ts";
import { createPeopleIn } from "#/features/people/service.ts";
import { type AddedStaff, addStaffWithPasswordIn } from "#/features/staff/staff-with-passwords.ts";
import {
  adoptRasModelIn,
  createTenantIn,
  findTenantBySlug,
  type NewTenant,
} from "#/features/tenants/service.ts";
import { isUniqueViolation, type TxContext, todayInLondon } from "#/platform/context.ts";
import { addDays } from "#/platform/dates/calendar.ts";
import type { Database } from "#/platform/db/database.ts";
import type { StaffRole } from "#/platform/db/schema.ts";
import { type Actor, withSystem } from "#/platform/db/tenant.ts";
import { rulePackFor } from "#/rules/index.ts";
import type { Questionnaire } from "#/rules/types.ts";
import { seedDemoAccounts } from "#/seed/accounts-seed.ts";
import { seedDemoCharging } from "#/seed/charging-seed.ts";
import { DEMO_ONS_CODE, seedDemoReferrals, withDemoCldFields } from "#/seed/cld-seed.ts";
import { seedDemoContact } from "#/seed/contact-seed.ts";
import { seedDemoDirectoryAndFunding } from "#/seed/directory-funding-seed.ts";
import { seedDemoDpAudits } from "#/seed/dp-audit-seed.ts";
import { seedDemoFairness } from "#/seed/fairness-seed.ts";
import { seedDemoPayments } from "#/seed/payments-seed.ts";
import { seedDemoPlans } from "#/seed/plans-seed.ts";
import { seedDemoReviews } from "#/seed/review-seed.ts";
import { seedDemoSpending } from "#/seed/spending-seed.ts";
import { type CastPerson, demoCast } from "./cast.ts";

/**
 * Demo data: a council with one staff account per role and a few hundred synthetic people, most with a
 * submitted assessment made through the real submit use case, so decisions and allocations are real.
 * Every name, reference and postcode is made up. Deterministic: the same seed and `today` give the same
 * people. Idempotent: does nothing once the demo tenant exists.
 */

export const DEMO_TENANT_SLUG = "demo";
export const OTHER_TENANT_SLUG = "other";

/** One password for every demo account: it is printed at startup, so never use the seed in production. */
export const DEMO_PASSWORD = "demo-password-2026";

export type DemoStaff = { email: string; name: string; roles: readonly StaffRole[]; team?: string };

/** Demo Council's teams, one per group of roles (features/staff): each demo account is in one. */
export const DEMO_TEAMS = {
  practice: "Assessment and support planning",
  panel: "Funding panel",
  finance: "Finance",
  commissioning: "Commissioning",
  administration: "Systems administration",
} as const;

/**
 * One account per role, and a second finance officer and team manager, so every two-person check (a payment run
 * reviewed by one finance officer and approved by another, bank details proposed by one and approved by another,
 * a manager's decision checked by another manager) can be completed with demo accounts alone. The first account
 * with a role is the one tests and the startup list use for it.
 */
export const DEMO_STAFF: readonly DemoStaff[] = [
  {
    email: "social.worker@demo.upfront.test",
    name: "Sol Worker",
    roles: ["social_worker"],
    team: DEMO_TEAMS.practice,
  },
  {
    email: "support.planner@demo.upfront.test",
    name: "Pat Planner",
    roles: ["support_planner"],
    team: DEMO_TEAMS.practice,
  },
  {
    email: "team.manager@demo.upfront.test",
    name: "Tam Manager",
    roles: ["team_manager"],
    team: DEMO_TEAMS.practice,
  },
  {
    email: "team.manager.2@demo.upfront.test",
    name: "Tess Manager",
    roles: ["team_manager"],
    team: DEMO_TEAMS.practice,
  },
  {
    email: "funding.panel@demo.upfront.test",
    name: "Fen Panel",
    roles: ["funding_panel_member"],
    team: DEMO_TEAMS.panel,
  },
  {
    email: "finance.officer@demo.upfront.test",
    name: "Fin Officer",
    roles: ["finance_officer"],
    team: DEMO_TEAMS.finance,
  },
  {
    email: "finance.officer.2@demo.upfront.test",
    name: "Fay Finance",
    roles: ["finance_officer"],
    team: DEMO_TEAMS.finance,
  },
  {
    email: "commissioner@demo.upfront.test",
    name: "Cam Commissioner",
    roles: ["commissioner"],
    team: DEMO_TEAMS.commissioning,
  },
  {
    email: "administrator@demo.upfront.test",
    name: "Ada Administrator",
    roles: ["administrator"],
    team: DEMO_TEAMS.administration,
  },
];

/** The second council, so isolation between tenants can be seen and tested. */
export const OTHER_STAFF: readonly DemoStaff[] = [
  { email: "administrator@other.upfront.test", name: "Oli Other", roles: ["administrator"] },
];

const SEED_ACTOR: Actor = { type: "system", id: "demo-seed" };

export type SeedOptions = { seed?: number; people?: number; today?: string };
export type SeedResult = {
  created: boolean;
  tenantId: string;
  people: number;
  submitted: number;
  drafts: number;
};

/** mulberry32: a tiny, fast, seeded PRNG, good enough for demo data (not for secrets). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(list: readonly T[]): T;
  chance(p: number): boolean;
};

/** The PRNG with the helpers the generators use. */
export function seededRandom(seed: number): Random {
  const next = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return { next, int, pick: (list) => list[int(0, list.length - 1)]!, chance: (p) => next() < p };
}

/** Fisher–Yates, so the order depends only on the PRNG (not on how a sort is implemented). */
function shuffle<T>(r: Random, list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

// Common given names; family names made of two nature words, so no one could mistake them for real people.
const GIVEN = [
  "Aisha",
  "Alan",
  "Amira",
  "Ben",
  "Bridget",
  "Chen",
  "Chloe",
  "Dafydd",
  "Deepa",
  "Elena",
  "Eric",
  "Fatima",
  "Fiona",
  "George",
  "Grace",
  "Hamid",
  "Hannah",
  "Ian",
  "Imani",
  "Jack",
  "Joan",
  "Kofi",
  "Leah",
  "Marek",
  "Margaret",
  "Mohammed",
  "Niamh",
  "Oluwaseun",
  "Patrick",
  "Priya",
  "Rhys",
  "Rosa",
  "Samir",
  "Siobhan",
  "Tom",
  "Una",
  "Victor",
  "Wen",
  "Yusuf",
  "Zofia",
] as const;
const FAMILY_START = [
  "Amber",
  "Bramble",
  "Cinder",
  "Dapple",
  "Elder",
  "Fern",
  "Gorse",
  "Hazel",
  "Juniper",
  "Kestrel",
  "Larch",
  "Moss",
  "Nettle",
  "Pebble",
  "Quill",
  "Rowan",
  "Sorrel",
  "Thistle",
  "Umber",
  "Willow",
  "Yarrow",
] as const;
const FAMILY_END = [
  "brook",
  "combe",
  "field",
  "gate",
  "hurst",
  "ley",
  "mere",
  "stone",
  "wick",
  "worth",
] as const;
const LETTERS = "ABDEFGHJLNPQRSTUWXYZ"; // the letters Royal Mail uses in an inward code

/** ZX is no UK postcode area, so a demo postcode can never be someone's real one. */
const fakePostcode = (r: Random) =>
  `ZX${r.int(1, 99)} ${r.int(0, 9)}${r.pick([...LETTERS])}${r.pick([...LETTERS])}`;

/** A date of birth `age` whole years before `today`. */
function dateOfBirth(r: Random, today: string, age: number): string {
  return addDays(`${Number(today.slice(0, 4)) - age - 1}${today.slice(4)}`, r.int(1, 364));
}

type Profile = "eligible" | "few_needs" | "low_wellbeing_impact" | "no_impairment";

const WHAT_MATTERS = [
  "Staying in my own home and seeing my grandchildren.",
  "Getting back to the allotment and the choir.",
  "Going to college and having my own money.",
  "Keeping my dog and walking her every day.",
  "Being independent and not relying on my daughter so much.",
  "Cooking for my friends again.",
] as const;

/** Answers for one synthetic person; complete and valid against the questionnaire. */
export function demoAnswers(r: Random, questionnaire: Questionnaire): AssessmentAnswers {
  const profile: Profile = r.pick([
    "eligible",
    "eligible",
    "eligible",
    "eligible",
    "eligible",
    "eligible",
    "few_needs",
    "few_needs",
    "low_wellbeing_impact",
    "no_impairment",
  ] as const);
  const outcomeIds = questionnaire.outcomes.map((o) => o.id).filter((id) => id !== "caring_for_child");
  const notAchievedCount = profile === "few_needs" ? r.int(0, 1) : r.int(2, 6);
  const notAchieved = new Set(shuffle(r, outcomeIds).slice(0, notAchievedCount));
  const hasCarer = r.chance(0.45);
  const carerWilling = hasCarer ? r.pick([true, false, undefined] as const) : undefined;
  const fluctuates = r.chance(0.25);

  const outcomes: Record<string, OutcomeAnswer> = {};
  for (const outcome of questionnaire.outcomes) {
    const struggling = notAchieved.has(outcome.id);
    const items: Record<string, string> = {};
    for (const item of outcome.items) {
      // Struggling: one of the harder answers; otherwise mostly the first (managing) answer.
      const options = item.options;
      const option = struggling
        ? options[r.int(1, options.length - 1)]!
        : r.chance(0.85)
          ? options[0]!
          : options[1]!;
      items[item.id] = option.id;
    }
    const difficulties = struggling
      ? [
          ...new Set([
            r.pick(questionnaire.unableToAchieveMeanings).id,
            r.pick(questionnaire.unableToAchieveMeanings).id,
          ]),
        ]
      : [];
    outcomes[outcome.id] = {
      canAchieveWithoutHelp: !struggling,
      difficulties,
      items,
      ...(struggling && hasCarer && r.chance(0.5) ? { carerSupport: "Family help most days" } : {}),
    };
  }
  return {
    questionnaireId: questionnaire.id,
    needsFromImpairmentOrIllness: profile !== "no_impairment",
    needsFluctuate: fluctuates,
    ...(fluctuates
      ? {
          fluctuationNotes:
            "Looked at over the last 8 weeks; bad days (about 3 a week) counted as they recur.",
        }
      : {}),
    outcomes,
    wellbeingImpact: profile === "low_wellbeing_impact" ? r.pick(["none", "some"] as const) : "significant",
    wellbeingReasons:
      profile === "low_wellbeing_impact"
        ? "Copes well day to day with the adaptations already in place."
        : "Without support they are at risk of falls, isolation and not eating properly.",
    primarySupportReason: r.pick(questionnaire.primarySupportReasons).id,
    livingSituation: r.pick(questionnaire.livingSituations).id,
    informalCarer: hasCarer
      ? { hasCarer, ...(carerWilling === undefined ? {} : { willingAndAbleToContinue: carerWilling }) }
      : { hasCarer: false },
    whatMattersToMe: r.pick(WHAT_MATTERS),
  };
}

/** The synthetic people (no database): exported so tests can check determinism cheaply. */
export function demoPeople(seed: number, count: number, today: string): NewPerson[] {
  const r = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    reference: `DEMO-${String(i + 1).padStart(5, "0")}`,
    givenName: r.pick(GIVEN),
    familyName: `${r.pick(FAMILY_START)}${r.pick(FAMILY_END)}`,
    dateOfBirth: dateOfBirth(r, today, r.int(18, 95)),
    postcode: fakePostcode(r),
  }));
}

/** Creates a tenant, its staff and then whatever `fill` adds, in one transaction; false if it exists. */
async function seedTenant(
  database: Database,
  tenant: NewTenant,
  staff: readonly DemoStaff[],
  today: string,
  fill: (t: TxContext, staff: readonly AddedStaff[]) => Promise<void>,
): Promise<string | undefined> {
  try {
    return await withSystem(database.db, async (trx) => {
      const { tenant: created, tx } = await createTenantIn(trx, tenant, { today, actor: SEED_ACTOR });
      const added = await addStaffWithPasswordIn({ tx, today }, staff, DEMO_PASSWORD);
      await fill({ tx, today }, added);
      return created.tenantId;
    });
  } catch (error) {
    // Another process seeded the same tenant at the same moment: that is the idempotent outcome.
    if (isUniqueViolation(error)) return undefined;
    throw error;
  }
}

export async function seedDemo(database: Database, opts: SeedOptions = {}): Promise<SeedResult> {
  const seed = opts.seed ?? 20261123;
  const count = opts.people ?? 240;
  const today = opts.today ?? todayInLondon();

  if (!(await findTenantBySlug(database.db, OTHER_TENANT_SLUG))) {
    await seedTenant(
      database,
      { slug: OTHER_TENANT_SLUG, name: "Other Council", jurisdiction: "england" },
      OTHER_STAFF,
      today,
      async () => {},
    );
  }
  const existing = await findTenantBySlug(database.db, DEMO_TENANT_SLUG);
  if (existing) return { created: false, tenantId: existing.tenantId, people: 0, submitted: 0, drafts: 0 };

  const result = { people: 0, submitted: 0, drafts: 0 };
  const tenantId = await seedTenant(
    database,
    { slug: DEMO_TENANT_SLUG, name: "Demo Council", jurisdiction: "england", onsCode: DEMO_ONS_CODE },
    DEMO_STAFF,
    today,
    async (t, staff) => {
      // Demo Council adopts a RAS model as its own at set-up, through the service the RAS page uses (audited),
      // before any budget is priced: the pack's example figures, now the council's decision (version 2).
      await adoptRasModelIn(t, {
        model: rulePackFor("england", today).defaultRasModel,
        reason: "Demo Council's model, adopted at set-up",
      });
      // With the coded fields the CLD return needs, from a PRNG stream of their own (cld-seed.ts).
      const people = await createPeopleIn(
        t,
        withDemoCldFields(demoPeople(seed, count, today), mulberry32(seed ^ 0xc1d), today),
      );
      result.people = people.length;
      // A second stream, so changing how answers are made never changes who the people are.
      const r = seededRandom(seed ^ 0x5eed);
      const { questionnaire } = rulePackFor("england", today);
      const withAllocations: CastPerson[] = [];
      for (const person of people) {
        const roll = r.next();
        if (roll >= 0.9) continue; // about 10% not yet assessed
        const answers = demoAnswers(r, questionnaire);
        const decisionDate = addDays(today, -r.int(0, 365));
        const draft = await startAssessmentIn({ ...t, today: decisionDate }, person.personId);
        if (roll < 0.7) {
          await saveAnswersIn(t, draft.assessmentId, answers);
          const { allocation } = await submitAssessmentIn(t, draft.assessmentId, { decisionDate });
          if (allocation) withAllocations.push({ ...person, weeklyPence: allocation.weeklyPence });
          result.submitted++;
        } else {
          // A draft part-way through: the first few outcomes only.
          const someOutcomes = Object.fromEntries(Object.entries(answers.outcomes).slice(0, r.int(1, 4)));
          await saveAnswersIn(t, draft.assessmentId, { outcomes: someOutcomes });
          result.drafts++;
        }
      }
      const cast = demoCast(staff, withAllocations);
      await seedDemoCharging(t, people); // Demo Council's charging settings and a few financial assessments
      await seedDemoAccounts(t, cast, DEMO_PASSWORD); // people's own accounts and a representative (accounts-seed.ts)
      await seedDemoDirectoryAndFunding(t); // the example provider directory and dated funding settings
      await seedDemoPlans(t, cast); // support plans: one approved with a live budget, one draft, one waiting (plans-seed.ts)
      await seedDemoPayments(t, cast); // payment settings and the live budget's payee with approved bank details (payments-seed.ts)
      await seedDemoSpending(t); // a card, a council payment and some card spending on the live budget (spending-seed.ts)
      await seedDemoDpAudits(t, cast); // three direct payments with something for the audit to find (dp-audit-seed.ts)
      await seedDemoContact(t); // the council's phone, email, address and opening hours (contact-seed.ts)
      await seedDemoReferrals(t, people); // a few requests for support, most closed with an outcome (cld-seed.ts)
      await seedDemoReviews(t, cast); // the live budget's first review, with how it was held (review-seed.ts)
      const fair = await seedDemoFairness(t, cast, (i) => demoAnswers(seededRandom(seed + i), questionnaire)); // 30 assessed people with budgets for /demo/fairness (fairness-seed.ts); last, so the steps above see only person2's budget
      result.people += fair.people;
      result.submitted += fair.people;
    },
  );
  if (!tenantId) {
    const raced = await findTenantBySlug(database.db, DEMO_TENANT_SLUG);
    return { created: false, tenantId: raced?.tenantId ?? "", people: 0, submitted: 0, drafts: 0 };
  }
  return { created: true, tenantId, ...result };
}
