import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CardFeedIo, registerCardFeedCommands, runCardFeedImport } from "#/cli/card-feed.ts";
import { fund, spendingWorld } from "#/features/spending/spending.fixture.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { DEMO_TENANT_SLUG } from "#/seed/seed.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../test/databases.ts";
import { TODAY } from "../../test/today.ts";

/** `upfront card-feed import` (issue 13): the page's import from the command line, all or nothing, once. */

const HEADER = "card_id,transaction_id,date_time,type,status,amount,merchant_name,mcc";
const feed = (...rows: string[]) => [HEADER, ...rows].join("\n");

describe.each(enginesUnderTest())("upfront card-feed import on %s", (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    const { finance, budget } = await spendingWorld(database);
    await fund(finance, budget, 50_000, "cli");
  }, 240_000);
  afterAll(async () => {
    await database?.drop();
  });

  const run = async (
    opts: { tenant?: string; file: string; layout?: string },
    files: Record<string, string>,
  ) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CardFeedIo = {
      readText: async (path) => {
        if (!(path in files)) throw new Error("no such file");
        return files[path]!;
      },
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    };
    const code = await runCardFeedImport(database, { tenant: DEMO_TENANT_SLUG, ...opts }, io, TODAY);
    return { code, out, err };
  };
  const cardSpends = () =>
    withSystem(database.db, async (trx) =>
      Number(
        (
          await trx
            .selectFrom("spends")
            .where("source", "=", "card")
            .select((e) => e.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );

  it("rule (issue 13): a good file is imported as the page imports it; the same file again adds nothing (exit 0 both times)", async () => {
    const text = feed(
      "DP-0001,C-1,2026-11-02T10:15:00,purchase,settled,36.00,Riverside Swimming Club,7997",
      "DP-0001,C-2,2026-11-03T14:30:00,purchase,settled,27.50,Town Taxis,4121",
      "DP-0001,C-3,2026-11-04T09:00:00,load,settled,480.00,Demo Council direct payments,",
    );
    const before = await cardSpends();
    const first = await run({ file: "nov.csv", layout: "upfront" }, { "nov.csv": text });
    expect(first).toMatchObject({ code: 0, err: [] });
    expect(first.out[0]).toMatch(/: nov\.csv: 2 new, 0 already imported \(2 transactions in the file\)$/);
    expect(first.out[1]).toMatch(/^ {2}row 4 ignored: Money loaded onto the card/);
    expect(await cardSpends()).toBe(before + 2);
    const again = await run({ file: "nov.csv" }, { "nov.csv": text });
    expect(again.code).toBe(0);
    expect(again.out[0]).toMatch(/0 new, 2 already imported/);
    expect(await cardSpends()).toBe(before + 2);
  });

  it("rule (issue 13): a file with a bad row is refused whole, naming the row (exit 1); nothing is written", async () => {
    const before = await cardSpends();
    const { code, err } = await run(
      { file: "bad.csv" },
      {
        "bad.csv": feed(
          "DP-0001,D-1,2026-11-02T10:00:00,purchase,settled,12.50,Riverside Swimming Club,7997",
          "XX-9999,D-2,2026-11-02T10:00:00,purchase,settled,1.00,Town Taxis,4121",
        ),
      },
    );
    expect(code).toBe(1);
    expect(err).toEqual([
      "Row 3: the card XX-9999 is not linked to anyone: link it to the person first",
      "Nothing was imported.",
    ]);
    expect(await cardSpends()).toBe(before);
  });

  it("rule (issue 13): an unknown council, an unreadable file or an unknown layout is a usage problem or refused", async () => {
    expect((await run({ tenant: "no-such-council", file: "x.csv" }, {})).code).toBe(2);
    const missing = await run({ file: "missing.csv" }, {});
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toMatch(/^--file: Cannot read missing\.csv/);
    const layout = await run({ file: "x.csv", layout: "nonsense" }, { "x.csv": feed() });
    expect(layout.code).toBe(1);
    expect(layout.err[0]).toMatch(/^--layout: Choose the layout of the file/);
  });

  it("registers `card-feed import` with --tenant and --file required", () => {
    const program = new Command().exitOverride();
    registerCardFeedCommands(program);
    const command = program.commands[0]!.commands[0]!;
    expect(command.name()).toBe("import");
    expect(command.options.filter((o) => o.mandatory).map((o) => o.long)).toEqual(["--tenant", "--file"]);
  });
});
