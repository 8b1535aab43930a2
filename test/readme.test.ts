import { readdirSync, readFileSync } from "node:fs";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { EXIT } from "#/cli/io.ts";
import { buildProgram } from "#/cli/program.ts";

/** Issue 12: README.md says what a newcomer needs, and stays true to the code it describes. */
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

function leafCommands(command: Command, prefix: string[] = []): string[] {
  return command.commands.flatMap((c) =>
    c.commands.length > 0 ? leafCommands(c, [...prefix, c.name()]) : [[...prefix, c.name()].join(" ")],
  );
}

describe("README.md", () => {
  it("rule: lists every `upfront` command", () => {
    const commands = leafCommands(buildProgram());
    expect(commands.length).toBeGreaterThan(10);
    for (const command of commands) expect(readme, command).toContain(`npm run upfront -- ${command}`);
  });

  it("rule: documents every exit code the commands use", () => {
    for (const code of Object.values(EXIT))
      expect(readme).toMatch(new RegExp(`^\\| \`${code}\` +\\| \\S`, "m"));
  });

  it("rule: names every environment variable config.ts reads, LOG_LEVEL included", () => {
    const config = readFileSync(new URL("../src/config.ts", import.meta.url), "utf8");
    const variables = [...config.matchAll(/^ {2}([A-Z][A-Z_]+): z/gm)].map((m) => m[1]!);
    expect(variables).toContain("LOG_LEVEL");
    for (const v of variables.filter((v) => v !== "NODE_ENV")) {
      expect(readme, v).toMatch(new RegExp(`^\\| \`${v}\``, "m"));
    }
  });

  it("rule: points to no file outside the repository", () => {
    expect(readme).not.toMatch(/(^|[\s(`])\.\.\//m);
  });

  it("rule: explains every migration number that is skipped", () => {
    const numbers = readdirSync(new URL("../migrations/", import.meta.url))
      .filter((f) => /^\d{4}_/.test(f))
      .map((f) => Number(f.slice(0, 4)));
    const skipped: string[] = [];
    for (let n = 1; n < Math.max(...numbers); n++) {
      if (!numbers.includes(n)) skipped.push(String(n).padStart(4, "0"));
    }
    for (const n of skipped) expect(readme, n).toContain(`There is no \`${n}\``);
  });

  it("rule: says Node 24 comes with `npm ci`, and why an older Node prints engine warnings", () => {
    expect(readme).toMatch(
      /Node 24 comes with its\s+dependencies: the first `npm start` or `npm test` runs `npm ci`/,
    );
    expect(readme).toContain("EBADENGINE");
  });

  it("keeps the two set-up commands as they are", () => {
    expect(readme).toContain("```sh\nnpm start\n```");
    expect(readme).toContain("```sh\nnpm test\n```");
  });
});
