import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { answersManagingEverything, notAchieving } from "#/features/assessment/answers.fixture.ts";
import { saveAnswers, startAssessment, submitAssessment } from "#/features/assessment/service.ts";
import { createPerson, type Person } from "#/features/people/service.ts";
import { createTenant } from "#/features/tenants/service.ts";
import { hashPassword } from "#/platform/auth/passwords.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { DB, StaffRole } from "#/platform/db/schema.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { InjectBrowser, location, pageText } from "../../../test/inject-browser.ts";

/**
 * Test helpers for accounts and the portal (only tests import this file): a council with a social worker and
 * people in three states — an eligible person with an allocation, a second one, and one not yet assessed —
 * and a cookie-keeping browser for app.inject.
 */

export const PASSWORD = "correct horse battery staple";

export type Council = {
  tenantId: string;
  slug: string;
  staff: ServiceContext;
  staffEmail: string;
  ann: Person;
  bob: Person;
  cara: Person;
  /** Ann's submitted assessment, with its allocation. */
  annAssessmentId: string;
  bobAssessmentId: string;
};

export async function makeCouncil(
  db: Kysely<DB>,
  slug: string,
  today: string,
  roles: StaffRole[] = ["social_worker"],
): Promise<Council> {
  const tenant = await createTenant(
    db,
    { slug, name: `${slug} Council`, jurisdiction: "england" },
    { today },
  );
  const userId = uuidv7();
  const staffEmail = `worker@${slug}.test`;
  const passwordHash = await hashPassword(PASSWORD);
  await withSystem(db, (trx) =>
    trx
      .insertInto("staff_users")
      .values({
        tenant_id: tenant.tenantId,
        user_id: userId,
        email: staffEmail,
        name: "Wendy Worker",
        password_hash: passwordHash,
        roles,
      })
      .execute(),
  );
  const staff: ServiceContext = {
    db,
    scope: { tenantId: tenant.tenantId, actor: { type: "staff", id: userId } },
    today,
  };
  const person = (givenName: string, familyName: string) =>
    createPerson(staff, { givenName, familyName, dateOfBirth: "1950-05-05" });
  const ann = await person("Ann", "Able");
  const bob = await person("Bob", "Baker");
  const cara = await person("Cara", "Cole");
  const assess = async (p: Person) => {
    const draft = await startAssessment(staff, p.personId);
    await saveAnswers(
      staff,
      draft.assessmentId,
      notAchieving(answersManagingEverything(), ["nutrition", "personal_hygiene"]),
    );
    const result = await submitAssessment(staff, draft.assessmentId);
    if (!result.allocation) throw new Error("The fixture expects an allocation");
    return draft.assessmentId;
  };
  return {
    tenantId: tenant.tenantId,
    slug,
    staff,
    staffEmail,
    ann,
    bob,
    cara,
    annAssessmentId: await assess(ann),
    bobAssessmentId: await assess(bob),
  };
}

/** A browser for app.inject: keeps cookies (a cleared one is forgotten) and the last page's CSRF token. */
export class Browser extends InjectBrowser {
  constructor(app: FastifyInstance) {
    super(app, { ip: "10.1.0.1" });
  }

  /** Signs in at /my/sign-in with this fixture's password unless told another. */
  override signInPerson(email: string, password = PASSWORD, ip?: string) {
    return super.signInPerson(email, password, ip);
  }

  async signInStaff(email: string) {
    await this.signInAs(email, PASSWORD);
  }
}

/** Page text without tags, entities decoded. */
export const text = pageText;
export { location };

/** The code shown once on the staff page. */
export const codeOn = (html: string) => /id="claim-code"[^>]*>([0-9A-Z-]{19})</.exec(html)?.[1];
