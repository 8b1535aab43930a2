import type { Command } from "commander";
import { migrate } from "#/platform/db/migrator.ts";
import { prepareJobsSchema } from "#/platform/jobs/jobs.ts";
import { withCliDatabase } from "./database.ts";
import { EXIT } from "./io.ts";

export function registerDbCommands(program: Command): Command {
  const db = program.command("db").description("The database: migrations and the demo data");
  db.command("migrate")
    .description(
      "Apply any migrations not yet applied, as the owner (MIGRATION_DATABASE_URL when set; the server also does this when it starts)",
    )
    .action(async () => {
      await withCliDatabase(
        async (database) => {
          const applied = await migrate(database);
          // pg-boss's schema too, made by the owner and granted to the app role (platform/jobs/jobs.ts).
          await prepareJobsSchema(database);
          console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Already up to date.");
          return EXIT.done;
        },
        { migrated: false },
      );
    });
  db.command("seed-demo")
    .description("Create the demo council, its staff and synthetic people (does nothing if it exists)")
    .action(async () => {
      await withCliDatabase(
        async (database) => {
          await migrate(database);
          const { seedDemo } = await import("#/seed/seed.ts");
          await seedDemo(database);
          console.log("Demo council ready.");
          return EXIT.done;
        },
        { migrated: false },
      );
    });
  return db;
}
