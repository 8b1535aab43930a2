import path from "node:path";
import type { TestProject } from "vitest/node";
import {
  dropRunDatabases,
  ensureAppLoginRole,
  ensurePgliteTemplate,
  ensurePostgresTemplate,
  removeRunFolder,
  type TemplateRun,
} from "./templates.ts";

declare module "vitest" {
  export interface ProvidedContext {
    templateRun: TemplateRun;
  }
}

/**
 * Starts a run's templates (see test/templates.ts): picks the run's folder and database prefix, builds what
 * `build` says, hands the run to the workers, and removes everything at the end.
 */
export async function startTemplateRun(project: TestProject, build: (run: TemplateRun) => Promise<void>) {
  const runId = `${process.pid.toString(36)}${Date.now().toString(36).slice(-5)}`;
  const run: TemplateRun = {
    runId,
    dir: path.resolve(".tmp/test-templates", runId),
    postgresUrl: process.env.DATABASE_URL || undefined,
  };
  const teardown = async () => {
    await dropRunDatabases(run);
    await removeRunFolder(run);
  };
  try {
    await build(run);
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide("templateRun", run);
  return teardown;
}

/** Unit and integration tests: migrate once per engine, before any test file, into the template all copy. */
export default function setup(project: TestProject) {
  return startTemplateRun(project, async (run) => {
    await ensurePgliteTemplate(run, "migrated");
    if (run.postgresUrl) {
      await ensurePostgresTemplate(run, "migrated");
      await ensureAppLoginRole(run.postgresUrl);
    }
  });
}
