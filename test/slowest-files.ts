import path from "node:path";
import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints the ten slowest test files at the end of a run, with where their time went (import, then tests and
 * hooks, which include making their databases), so the next slow file is seen at once in CI's output.
 */
export default class SlowestFiles implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const rows = testModules
      .map((m) => {
        const d = m.diagnostic();
        const importing =
          d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration;
        return { file: path.relative(process.cwd(), m.moduleId), importing, running: d.duration };
      })
      .sort((a, b) => b.importing + b.running - (a.importing + a.running))
      .slice(0, 10);
    if (rows.length === 0) return;
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`.padStart(8);
    const lines = rows.map(
      (r) =>
        `  ${s(r.importing + r.running)}  (import ${s(r.importing).trim()}, tests ${s(r.running).trim()})  ${r.file}`,
    );
    process.stdout.write(`\nSlowest test files:\n${lines.join("\n")}\n\n`);
  }
}
