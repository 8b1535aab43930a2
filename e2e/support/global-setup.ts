import type { TestProject } from "vitest/node";
import { startTemplateRun } from "../../test/global-setup.ts";
import { ensurePgliteTemplate } from "../../test/templates.ts";

/** Browser tests: every journey starts from the live demo (as `npm start` makes it), seeded once here. */
export default function setup(project: TestProject) {
  return startTemplateRun(project, async (run) => {
    await ensurePgliteTemplate(run, "live-demo");
  });
}
