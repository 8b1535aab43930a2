import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import {
  createTranslations,
  DEFAULT_LANGUAGE,
  isLanguage,
  LANGUAGES,
  type Language,
  type Translate,
} from "./i18n.ts";

/** Remembers a `?lang=` choice so the next page stays in that language, signed in or not. */
export const LANGUAGE_COOKIE = "upfront_lang";

/**
 * Which language a request is answered in, first match wins: `?lang=cy` / `?lang=en`; the language remembered from
 * an earlier `?lang=`; the signed-in user's stored preference; the council's default; English.
 *
 * No user or council stores a language preference yet (issue 16 adds them with the communication needs), so the
 * plugin passes neither for now; the order is kept here so that adding them is one line each.
 */
export function chooseLanguage(sources: {
  query?: unknown;
  remembered?: unknown;
  userPreference?: unknown;
  councilDefault?: unknown;
}): Language {
  for (const candidate of [sources.query, sources.remembered, sources.userPreference, sources.councilDefault])
    if (isLanguage(candidate)) return candidate;
  return DEFAULT_LANGUAGE;
}

export type LanguageLink = { language: Language; href: string; current: boolean };

/** The same page in each language: the request's path and query with `lang` set, for the switcher and hreflang. */
export function languageLinks(url: string, current: Language): LanguageLink[] {
  const parsed = new URL(url, "http://upfront.invalid");
  return LANGUAGES.map((language) => {
    parsed.searchParams.set("lang", language);
    return { language, href: `${parsed.pathname}${parsed.search}`, current: language === current };
  });
}

declare module "fastify" {
  interface FastifyRequest {
    /** The language this request is answered in (chooseLanguage). */
    language: Language;
    /** Translate a message key into the request's language. */
    t: Translate;
  }
}

/** Sets request.language and request.t on every request, and remembers a `?lang=` choice in a cookie. */
export const languagePlugin = fp(
  async (app: FastifyInstance, opts: { secureCookies: boolean }) => {
    const translations = createTranslations();
    app.decorateRequest("language", DEFAULT_LANGUAGE);
    app.decorateRequest("t", translations.forLanguage(DEFAULT_LANGUAGE));
    app.addHook("onRequest", async (request, reply) => {
      const query = queryLanguage(request);
      const remembered = request.cookies[LANGUAGE_COOKIE];
      request.language = chooseLanguage({ query, remembered });
      request.t = translations.forLanguage(request.language);
      if (isLanguage(query) && query !== remembered)
        reply.setCookie(LANGUAGE_COOKIE, query, {
          path: "/",
          httpOnly: true,
          secure: opts.secureCookies,
          sameSite: "lax",
          maxAge: 365 * 24 * 60 * 60,
        });
    });
  },
  { name: "language", dependencies: ["@fastify/cookie"] },
);

function queryLanguage(request: FastifyRequest): unknown {
  const query = request.query as Record<string, unknown> | undefined;
  return query?.lang;
}
