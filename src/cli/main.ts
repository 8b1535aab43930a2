import { buildProgram, exitFor } from "./program.ts";

/** The `upfront` command's entry (bin/upfront.js, `npm run upfront --`): runs the program, sets the exit code. */
await buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    const exit = exitFor(error);
    if (!exit) throw error;
    if (exit.line) console.error(exit.line);
    process.exitCode = exit.code;
  });
