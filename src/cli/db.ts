import type { Command } from "commander";
import { loadConfig } from "#/config.ts";
import { openDatabase } from "#/platform/db/database.ts";
import { migrate } from "#/platform/db/migrator.ts";

export function registerDbCommands(program: Command): Command {
  const db = program.command("db").description("The database: migrations and the demo data");
  db.command("migrate")
    .description("Apply any migrations not yet applied (the server also does this when it starts)")
    .action(async () => {
      const config = loadConfig();
      const database = await openDatabase(config);
      try {
        const applied = await migrate(database);
        console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Already up to date.");
      } finally {
        await database.close();
      }
    });
  db.command("seed-demo")
    .description("Create the demo council, its staff and synthetic people (does nothing if it exists)")
    .action(async () => {
      const config = loadConfig();
      const database = await openDatabase(config);
      try {
        await migrate(database);
        const { seedDemo } = await import("#/features/demo/seed.ts");
        await seedDemo(database);
        console.log("Demo council ready.");
      } finally {
        await database.close();
      }
    });
  return db;
}
