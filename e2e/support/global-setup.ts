import type { TestProject } from "vitest/node";
import { startTemplateRun } from "../../test/global-setup.ts";
import { ensureAppLoginRole, ensurePgliteTemplate, ensurePostgresTemplate } from "../../test/templates.ts";

/**
 * Browser tests: every journey starts from the live demo (as `npm start` makes it), seeded once here on the
 * engine the journeys' server runs on (e2e/support/server.ts serverEngine: PostgreSQL when DATABASE_URL is set).
 */
export default function setup(project: TestProject) {
  return startTemplateRun(project, async (run) => {
    if (run.postgresUrl) {
      await ensurePostgresTemplate(run, "live-demo");
      await ensureAppLoginRole(run.postgresUrl);
    } else await ensurePgliteTemplate(run, "live-demo");
  });
}
