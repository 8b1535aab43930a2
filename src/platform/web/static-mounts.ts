import path from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** URL prefix → folder: the static files pages link to. The app serves them; the PDF renderer reads them. */
export const STATIC_MOUNTS: readonly { prefix: string; dir: string }[] = [
  { prefix: "/assets/", dir: path.join(PROJECT_ROOT, "node_modules/govuk-frontend/dist/govuk/assets") },
  { prefix: "/govuk/", dir: path.join(PROJECT_ROOT, "node_modules/govuk-frontend/dist/govuk") },
  { prefix: "/moj/", dir: path.join(PROJECT_ROOT, "node_modules/@ministryofjustice/frontend/moj") },
  { prefix: "/public/", dir: path.join(PROJECT_ROOT, "public") },
];
