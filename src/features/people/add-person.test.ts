import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addPerson,
  createPeopleIn,
  DuplicatePersonError,
  findLikelyDuplicates,
  getPerson,
  importPeople,
  PeopleImportError,
} from "#/features/people/service.ts";
import { createTenant } from "#/features/tenants/service.ts";
import { inTenant, isUniqueViolation, type ServiceContext } from "#/platform/context.ts";
import { ValidationError } from "#/platform/errors.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";

/** A person with every coded answer, as a page, the API or the import gives it. */
const fullPerson = (overrides: Record<string, unknown> = {}) => ({
  givenName: "Priya",
  familyName: "Shah",
  dateOfBirth: "1961-02-14",
  nhsNumber: "943 476 5919",
  addressLine1: "1 High Street",
  town: "Anytown",
  postcode: "zx4 7qp",
  phone: "01632 960 001",
  email: "priya@example.com",
  sex: "female",
  ethnicity: "asian-indian",
  accommodationStatus: "owner-occupier",
  employmentStatus: "not-seeking-or-retired",
  hasUnpaidCarer: "yes",
  gpPracticeName: "High Street Surgery",
  gpPracticeCode: "a81001",
  communicationNeeds: ["large-print", "representative-copies"],
  preferredLanguage: "Gujarati",
  ...overrides,
});

const HEADER =
  "given_name,family_name,date_of_birth,sex,ethnicity,accommodation_status,employment_status,has_unpaid_carer,communication_needs,nhs_number";
const csv = (...lines: string[]) =>
  [HEADER, ...lines].map((line, i) => ({ row: i + 1, fields: line.split(",") }));

describe.each(enginesUnderTest())("adding people on %s", (engine) => {
  let database: TestDatabase;
  let ctx: ServiceContext;

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    const tenant = await createTenant(
      database.db,
      { slug: "add1", name: "Add 1", jurisdiction: "england" },
      { today: TODAY },
    );
    ctx = {
      db: database.db,
      scope: { tenantId: tenant.tenantId, actor: { type: "staff", id: "sw-1" } },
      today: TODAY,
    };
  });
  afterAll(async () => {
    await database?.drop();
  });

  const countPeople = async () =>
    Number(
      (
        await database.db
          .selectFrom("people")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("tenant_id", "=", ctx.scope.tenantId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("rule (issue 11): a person is added with every coded field, codes from the dated lists, audited", async () => {
    const person = await addPerson(ctx, fullPerson());
    expect(person).toMatchObject({
      nhsNumber: "9434765919",
      postcode: "ZX4 7QP",
      sex: "female",
      ethnicity: "asian-indian",
      accommodationStatus: "owner-occupier",
      employmentStatus: "not-seeking-or-retired",
      hasUnpaidCarer: "yes",
      gpPracticeCode: "A81001",
      communicationNeeds: ["large-print", "representative-copies"],
      preferredLanguage: "Gujarati",
      fieldListsId: "england-person-fields-cld-r2",
    });
    expect((await getPerson(ctx, person.personId)).email).toBe("priya@example.com");
    const created = await database.db
      .selectFrom("audit_events")
      .select(["actor_id", "changes"])
      .where("record_id", "=", person.personId)
      .where("action", "=", "create")
      .executeTakeFirstOrThrow();
    expect(created.actor_id).toBe("sw-1");
    // The audit names the fields given, not the personal details in them.
    expect(JSON.stringify(created.changes)).toContain("nhsNumber");
    expect(JSON.stringify(created.changes)).not.toContain("9434765919");
  });

  it("rule (issue 11): declined to say and not known are answers; a blank coded answer is refused naming the field", async () => {
    const person = await addPerson(
      ctx,
      fullPerson({
        givenName: "Dee",
        nhsNumber: undefined,
        ethnicity: "declined",
        employmentStatus: "not-known",
        sex: "not-known",
        hasUnpaidCarer: "not-known",
        communicationNeeds: [],
      }),
    );
    expect(person).toMatchObject({
      ethnicity: "declined",
      employmentStatus: "not-known",
      communicationNeeds: [],
    });
    const error = await addPerson(
      ctx,
      fullPerson({ givenName: "Eve", nhsNumber: undefined, ethnicity: "", sex: "x" }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors.map((e) => e.path).sort()).toEqual(["ethnicity", "sex"]);
  });

  it("rule (issue 11): an NHS number that fails the Modulus 11 check is refused", async () => {
    const before = await countPeople();
    const error = await addPerson(ctx, fullPerson({ givenName: "Fay", nhsNumber: "943 476 5918" })).catch(
      (e: unknown) => e,
    );
    expect((error as ValidationError).fieldErrors).toEqual([
      { path: "nhsNumber", message: expect.stringMatching(/not a valid NHS number/) },
    ]);
    expect(await countPeople()).toBe(before);
  });

  it("rule (issue 11): the same NHS number is a duplicate, refused naming the match, even when staff confirm", async () => {
    const [existing] = await findLikelyDuplicates(ctx, {
      givenName: "X",
      familyName: "Y",
      dateOfBirth: "2000-01-01",
      nhsNumber: "9434765919",
    });
    expect(existing?.reason).toBe("nhs-number");
    const error = await addPerson(
      ctx,
      fullPerson({ givenName: "Other", familyName: "Name", dateOfBirth: "1990-01-01" }),
      {
        confirmedDifferentFrom: [existing!.person.personId],
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicatePersonError);
    expect((error as Error).message).toMatch(
      new RegExp(`Priya Shah \\(reference ${existing!.person.reference}\\) already has this NHS number`),
    );
  });

  it("rule (issue 11): the same name and date of birth is a likely duplicate: refused until staff confirm it is someone else", async () => {
    const input = fullPerson({ givenName: " priya ", familyName: "SHAH", nhsNumber: undefined });
    const error = await addPerson(ctx, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicatePersonError);
    const match = (error as DuplicatePersonError).matches[0]!;
    expect(match.reason).toBe("name-and-birth");
    const added = await addPerson(ctx, input, { confirmedDifferentFrom: [match.person.personId] });
    expect(added.givenName).toBe("priya");
  });

  it("rule (issue 11): the database itself refuses a second record with an NHS number in one council, not in another", async () => {
    const twin = {
      givenName: "Race",
      familyName: "Condition",
      dateOfBirth: "1999-09-09",
      nhsNumber: "9434765919",
    };
    const error = await inTenant(ctx, (t) => createPeopleIn(t, [twin])).catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
    expect((error as { constraint?: string }).constraint).toBe("people_nhs_number");
    const other = await createTenant(
      database.db,
      { slug: "add2", name: "Add 2", jurisdiction: "england" },
      { today: TODAY },
    );
    const otherCtx = { ...ctx, scope: { ...ctx.scope, tenantId: other.tenantId } };
    const [elsewhere] = await inTenant(otherCtx, (t) => createPeopleIn(t, [twin]));
    expect(elsewhere!.nhsNumber).toBe("9434765919");
  });

  it("rule (issue 11): an import with a bad row writes nothing and lists every bad row by number (header is row 1)", async () => {
    const before = await countPeople();
    const error = await importPeople(
      ctx,
      csv(
        "Gus,Good,1950-01-01,male,white-british,tenant-social,not-known,no,none,",
        "Hal,Bad,1950-13-01,male,white-british,tenant-social,not-known,no,none,",
        "Ida,Bad,1950-01-01,male,purple,tenant-social,not-known,no,braille;sign,4010232138",
        "Jo,Blank,1950-01-01,male,white-british,tenant-social,not-known,no,,",
      ),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PeopleImportError);
    const problems = (error as PeopleImportError).problems;
    expect(problems.map((p) => p.row)).toEqual([3, 4, 4, 4, 5]);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^date_of_birth: /),
      expect.stringMatching(/^nhs_number: This is not a valid NHS number/),
      expect.stringMatching(/^ethnicity: Choose the person's ethnicity: one of white-british/),
      expect.stringMatching(/^communication_needs: Choose communication needs from: large-print/),
      "communication_needs: Write the communication needs, or none",
    ]);
    expect(await countPeople()).toBe(before);
  });

  it("rule (issue 11): an import row matching someone on record, or two rows for one person, are refused naming the match", async () => {
    const before = await countPeople();
    const error = await importPeople(
      ctx,
      csv(
        "Kim,New,1970-01-01,female,other-arab,refuge,seeking-work,no,easy-read,",
        "Lee,Nhs,1970-01-01,female,other-arab,refuge,seeking-work,no,none,9434765919",
        "kim,new,1970-01-01,female,other-arab,refuge,seeking-work,no,none,4010232137",
        "Mo,Twin,1980-01-01,male,other-arab,refuge,seeking-work,no,none,4010232137",
      ),
    ).catch((e: unknown) => e);
    const problems = (error as PeopleImportError).problems;
    expect(problems).toEqual([
      {
        row: 3,
        message: expect.stringMatching(
          /^Priya Shah \(reference .+\) already has this NHS number: this person is already on record$/,
        ),
      },
      { row: 4, message: "Row 2 is the same person: the same name and date of birth" },
      { row: 5, message: "Row 4 is the same person: the same NHS number" },
    ]);
    expect(await countPeople()).toBe(before);
  });

  it("rule (issue 11): a good import writes every person in one go, each audited", async () => {
    const before = await countPeople();
    const people = await importPeople(
      ctx,
      csv(
        "Nia,One,1944-04-04,female,black-african,care-home,not-seeking-or-retired,not-known,large-print;braille,",
        "Oli,Two,1945-05-05,male,not-known,not-known,not-known,yes,none,4010232137",
      ),
    );
    expect(people.map((p) => [p.givenName, p.communicationNeeds, p.nhsNumber])).toEqual([
      ["Nia", ["large-print", "braille"], null],
      ["Oli", [], "4010232137"],
    ]);
    expect(await countPeople()).toBe(before + 2);
    const audited = await database.db
      .selectFrom("audit_events")
      .select("record_id")
      .where("action", "=", "create")
      .where(
        "record_id",
        "in",
        people.map((p) => p.personId),
      )
      .execute();
    expect(audited).toHaveLength(2);
  });

  it("rule (issue 11): an import header with an unknown or missing column is refused before any row is read", async () => {
    const error = await importPeople(ctx, [
      { row: 1, fields: ["given_name", "family_name", "dob"] },
      { row: 2, fields: ["A", "B", "1950-01-01"] },
    ]).catch((e: unknown) => e);
    const messages = (error as PeopleImportError).problems.map((p) => `${p.row}: ${p.message}`);
    expect(messages[0]).toBe(
      '1: "dob" is not a column of the people import: check the spelling, or remove it',
    );
    expect(messages).toContain('1: The header has no "date_of_birth" column');
  });
});
