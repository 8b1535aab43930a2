import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * A production install (`npm ci --omit=dev`) has only package.json's "dependencies": every package the app's
 * own code imports at run time must be one of them, or `npm start` fails on a server (issue 12: playwright-core,
 * imported for PDFs, was a development dependency). Test code, fixtures and test-data generators may use
 * development dependencies.
 */

const ROOT = path.resolve(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Files only tests load: tests, their fixtures and fast-check arbitraries. */
const TEST_ONLY = /\.(test|fixture|arbitrary)\.ts$|\.d\.ts$/;

function runtimeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return runtimeFiles(full);
    return entry.name.endsWith(".ts") && !TEST_ONLY.test(entry.name) ? [full] : [];
  });
}

/** The package a bare import names: "@scope/name" or "name" (a subpath dropped). */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("#/") || specifier.startsWith("node:"))
    return undefined;
  if (builtinModules.includes(specifier.split("/")[0]!)) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

function importsOf(source: string): string[] {
  // Type-only imports vanish when Node strips types; they need nothing installed.
  const statics = [...source.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s+["']([^"']+)["']/gm)];
  const bare = [...source.matchAll(/^\s*import\s+["']([^"']+)["']/gm)];
  const dynamic = [...source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)];
  return [...statics, ...bare, ...dynamic].map((m) => m[1]!);
}

describe("runtime dependencies", () => {
  it("rule (issue 12): every package the app's own code imports is a production dependency, so `npm ci --omit=dev` can start it", () => {
    const misplaced: string[] = [];
    const files = [...runtimeFiles(path.join(ROOT, "src")), path.join(ROOT, "bin/upfront.js")];
    for (const file of files) {
      for (const specifier of importsOf(readFileSync(file, "utf8"))) {
        const name = packageOf(specifier);
        if (name && !Object.hasOwn(pkg.dependencies, name)) {
          misplaced.push(
            `${path.relative(ROOT, file)} imports ${name}, which is ${Object.hasOwn(pkg.devDependencies, name) ? "only a development dependency" : "not in package.json"}`,
          );
        }
      }
    }
    expect(files.length).toBeGreaterThan(100);
    expect(misplaced).toEqual([]);
  });

  it("finds a package import, and passes over relative, #/, node: and type-only imports", () => {
    const source = [
      'import { chromium } from "playwright-core";',
      'import type { Page } from "playwright-core/types";',
      'import { x } from "./x.ts";',
      'import { y } from "#/platform/y.ts";',
      'import fs from "node:fs";',
      'import path from "path";',
      'const pg = await import("pg");',
      'import { s } from "@fastify/static/sub";',
    ].join("\n");
    expect(importsOf(source).map(packageOf).filter(Boolean)).toEqual([
      "playwright-core",
      "@fastify/static",
      "pg",
    ]);
  });
});
