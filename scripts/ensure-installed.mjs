// Runs before `npm start` and `npm test` on whatever Node the machine has (it may be old): installs the
// project's dependencies, including its pinned Node 24, when they are missing or older than the lockfile.
import { execSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const marker = "node_modules/.package-lock.json";
const stale =
  !existsSync("node_modules/.bin/node") ||
  !existsSync(marker) ||
  statSync("package-lock.json").mtimeMs > statSync(marker).mtimeMs + 1000;

if (stale) {
  console.log("Installing dependencies (npm ci); this happens once…");
  execSync("npm ci --no-audit --no-fund", { stdio: "inherit" });
}
