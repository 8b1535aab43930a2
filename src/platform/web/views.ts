import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import nunjucks from "nunjucks";
import { processSettings } from "#/config.ts";
import { createTranslations, DEFAULT_LANGUAGE } from "#/platform/i18n/i18n.ts";
import { languageLinks } from "#/platform/i18n/language.ts";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";
import { countOf } from "#/platform/words.calc.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * Nunjucks with the GOV.UK and MOJ Frontend macros. Templates are found as "layout.njk" (platform views),
 * "<feature>/views/<page>.njk" (feature folders, then faces), "govuk/…" and "moj/…".
 */
export function createViewEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader(
      [
        path.join(root, "src/platform/web/views"),
        path.join(root, "src/features"),
        path.join(root, "src/faces"),
        path.join(root, "node_modules/govuk-frontend/dist"),
        path.join(root, "node_modules/@ministryofjustice/frontend"),
      ],
      { noCache: processSettings().nodeEnv === "development" },
    ),
    { autoescape: true, throwOnUndefined: false },
  );
  env.addFilter("pounds", (p: number) => formatPounds(p as Pence));
  env.addFilter("date", (value: string | Date | null | undefined) => formatDate(value));
  env.addFilter("dateTime", (value: string | Date | null | undefined) => formatDateTime(value));
  // {{ n | countOf("provider") }} → "1 provider", "3 providers" (platform/words.calc.ts).
  env.addFilter("countOf", (n: number, singular: string, pluralForm?: string) =>
    countOf(Number(n), singular, pluralForm),
  );
  // English unless a page's context gives its request's `t` (viewsPlugin): a template rendered on its own (a
  // test, a PDF) still finds its message keys.
  env.addGlobal("t", createTranslations().forLanguage(DEFAULT_LANGUAGE));
  env.addGlobal("htmlLang", DEFAULT_LANGUAGE);
  return env;
}

const dateFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "Europe/London",
});
const dateTimeFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  hour12: true,
  timeZone: "Europe/London",
});

/** GOV.UK style: 4 June 2026. A 'YYYY-MM-DD' string is a calendar date and is not shifted by time zone. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return "";
  const date = typeof value === "string" ? new Date(`${value.slice(0, 10)}T12:00:00Z`) : value;
  return dateFormat.format(date);
}

export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return "";
  return dateTimeFormat
    .format(typeof value === "string" ? new Date(value) : value)
    .replace(" am", "am")
    .replace(" pm", "pm");
}

declare module "fastify" {
  interface FastifyReply {
    /** Renders a page with the locals every page needs (CSRF token, signed-in user, CSP nonce). */
    render(template: string, context?: Record<string, unknown>): FastifyReply;
    /** The same page as text, not sent: for a page streamed in parts (the CLD return shows its progress so). */
    renderToString(template: string, context?: Record<string, unknown>): string;
  }
}

export type PageLocals = (request: FastifyRequest) => Record<string, unknown>;

export const viewsPlugin = fp<{ locals: PageLocals }>(
  async (app: FastifyInstance, opts) => {
    const env = createViewEnvironment();
    function renderToString(this: FastifyReply, template: string, context = {}): string {
      const language = this.request.language ?? DEFAULT_LANGUAGE;
      return env.render(template, {
        // The request's language (platform/i18n): `t` for message keys, <html lang>, the switcher's links.
        // (An app built without the language plugin, a test's bare app, falls back to the environment's English.)
        ...(this.request.t ? { t: this.request.t } : {}),
        htmlLang: language,
        languageLinks: languageLinks(this.request.url, language),
        ...opts.locals(this.request),
        cspNonce: this.cspNonce?.script,
        currentPath: this.request.url,
        ...context,
      });
    }
    app.decorateReply("renderToString", renderToString);
    app.decorateReply("render", function render(this: FastifyReply, template: string, context = {}) {
      return this.type("text/html; charset=utf-8").send(renderToString.call(this, template, context));
    });
  },
  { name: "views" },
);
