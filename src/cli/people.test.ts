import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PeopleIo, registerPeopleCommands, runPeopleImport } from "#/cli/people.ts";
import { findTenantBySlug } from "#/features/tenants/service.ts";
import { OTHER_TENANT_SLUG } from "#/seed/seed.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../test/databases.ts";
import { TODAY } from "../../test/today.ts";

/** `upfront people import` (issue 11): all or nothing, every bad row by number, duplicates refused naming the match. */

const HEADER =
  "given_name,family_name,date_of_birth,nhs_number,sex,ethnicity,accommodation_status,employment_status,has_unpaid_carer,communication_needs,postcode";

describe.each(enginesUnderTest())("upfront people import on %s", (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
  });

  const io = (files: Record<string, string>) => {
    const out: string[] = [];
    const err: string[] = [];
    const value: PeopleIo = {
      readText: async (path) => {
        if (!(path in files)) throw new Error("no such file");
        return files[path]!;
      },
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    };
    return { value, out, err };
  };
  const run = (file: string, text: string) => {
    const streams = io({ [file]: text });
    return runPeopleImport(database, { tenant: OTHER_TENANT_SLUG, file }, streams.value, TODAY).then(
      (code) => ({ code, ...streams }),
    );
  };
  const peopleCount = async () =>
    Number(
      (
        await database.db
          .selectFrom("people")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("rule (issue 11): a good file adds everyone, audited as the operator", async () => {
    const before = await peopleCount();
    const { code, out } = await run(
      "good.csv",
      [
        HEADER,
        "Wyn,Jones,1948-03-01,943 476 5919,male,white-british,owner-occupier,not-seeking-or-retired,yes,large-print,ZX4 7QP",
        "",
        '"Xia","O\'Brien",1990-12-31,,female,declined,tenant-social,paid-hours-unknown,not-known,none,',
      ].join("\r\n"),
    );
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^Added 2 people to .+:$/);
    expect(out.slice(1).map((l) => l.trim().split(/\s+/).slice(1).join(" "))).toEqual([
      "Wyn Jones",
      "Xia O'Brien",
    ]);
    expect(await peopleCount()).toBe(before + 2);
    const other = (await findTenantBySlug(database.db, OTHER_TENANT_SLUG))!;
    const audits = await database.db
      .selectFrom("audit_events")
      .select("actor_id")
      .where("tenant_id", "=", other.tenantId)
      .where("record_type", "=", "person")
      .where("action", "=", "create")
      .execute();
    expect(audits.filter((a) => a.actor_id?.startsWith("cli:"))).toHaveLength(2);
  });

  it("rule (issue 11): a bad file adds nobody and lists every bad row by its row number (the header is row 1)", async () => {
    const before = await peopleCount();
    const { code, err } = await run(
      "bad.csv",
      [
        HEADER,
        "Ok,Row,1950-01-01,,male,white-irish,refuge,not-known,no,none,",
        "Bad,Date,31/01/1950,,male,white-irish,refuge,not-known,no,none,",
        "Bad,Codes,1950-01-01,1234567890,man,white-irish,refuge,not-known,maybe,none,",
      ].join("\n"),
    );
    expect(code).toBe(1);
    expect(err).toEqual([
      "Row 3: date_of_birth: Enter the date of birth as a real date, for example 1970-03-27",
      "Row 4: nhs_number: This is not a valid NHS number: check each digit (the last digit is a check on the others)",
      expect.stringMatching(/^Row 4: sex: Choose the person's sex: one of male, female/),
      "Row 4: has_unpaid_carer: Choose whether the person has an unpaid carer: one of yes, no, not-known",
      "Nothing was imported.",
    ]);
    expect(await peopleCount()).toBe(before);
  });

  it("rule (issue 11): a row matching someone on record, or another row, is refused naming the match", async () => {
    const before = await peopleCount();
    const { code, err } = await run(
      "dupes.csv",
      [
        HEADER,
        "Wynn,Jonas,1960-01-01,9434765919,male,white-british,owner-occupier,not-known,no,none,",
        "WYN,jones,1948-03-01,,male,white-british,owner-occupier,not-known,no,none,",
        "Zed,Twice,1970-07-07,,male,other-any,refuge,not-known,no,none,",
        "Zed,Twice,1970-07-07,,male,other-any,refuge,not-known,no,none,",
      ].join("\n"),
    );
    expect(code).toBe(1);
    expect(err).toEqual([
      expect.stringMatching(
        /^Row 2: Wyn Jones \(reference .+\) already has this NHS number: this person is already on record$/,
      ),
      expect.stringMatching(
        /^Row 3: Wyn Jones \(reference .+\) has the same name and date of birth: this person is already on record$/,
      ),
      "Row 5: Row 4 is the same person: the same name and date of birth",
      "Nothing was imported.",
    ]);
    expect(await peopleCount()).toBe(before);
  });

  it("rule (issues 11, 12): an unknown council or an unreadable file is refused, naming the option, exit code 2 as in every command", async () => {
    const { value, err } = io({});
    expect(await runPeopleImport(database, { tenant: "nowhere", file: "x.csv" }, value, TODAY)).toBe(2);
    expect(await runPeopleImport(database, { tenant: OTHER_TENANT_SLUG, file: "x.csv" }, value, TODAY)).toBe(
      2,
    );
    expect(err).toEqual([
      '--tenant: There is no council with the short name "nowhere".',
      "--file: Cannot read x.csv: no such file",
    ]);
  });

  it("rule (issue 11): --help documents every column and the codes each coded column takes", () => {
    const program = new Command();
    registerPeopleCommands(program);
    const help = program.commands.find((c) => c.name() === "people")!.commands[0]!;
    let text = "";
    help.configureOutput({ writeOut: (s) => (text += s) });
    help.outputHelp();
    for (const column of [
      "given_name",
      "date_of_birth",
      "nhs_number",
      "communication_needs",
      "gp_practice_code",
    ]) {
      expect(text).toContain(column);
    }
    expect(text).toContain("white-british");
    expect(text).toContain("Nothing is imported unless every row is good");
  });
});
