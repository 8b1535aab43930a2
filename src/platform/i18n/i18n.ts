import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import i18next, { type i18n, type Resource, type ResourceLanguage } from "i18next";

/**
 * Translations (issue 16): i18next over `locales/<language>/<namespace>.json`, read once at start. Welsh plural
 * forms (zero, one, two, few, many, other) come from Intl.PluralRules, which i18next uses for every language.
 *
 * A Welsh value we cannot yet stand behind is the marker below, never a machine translation: the page shows the
 * English text meanwhile, and `untranslatedKeys` lists what is still to translate.
 */
export const LANGUAGES = ["en", "cy"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "en";
export const UNTRANSLATED = "⟦untranslated⟧";

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const LOCALES_DIR = path.join(root, "locales");

/** Every namespace file of every language, as i18next resources: { en: { common: {...} }, cy: {...} }. */
export function loadLocales(dir = LOCALES_DIR): Record<Language, ResourceLanguage> {
  const resources = {} as Record<Language, ResourceLanguage>;
  for (const language of LANGUAGES) {
    const bundle: ResourceLanguage = {};
    for (const file of readdirSync(path.join(dir, language))
      .filter((name) => name.endsWith(".json"))
      .sort()) {
      const text = readFileSync(path.join(dir, language, file), "utf8");
      try {
        bundle[file.slice(0, -".json".length)] = JSON.parse(text);
      } catch (error) {
        throw new Error(`locales/${language}/${file} is not valid JSON: ${(error as Error).message}`);
      }
    }
    resources[language] = bundle;
  }
  return resources;
}

export type Translate = (key: string, options?: Record<string, unknown>) => string;

export type Translations = {
  i18n: i18n;
  /** `t` for one language; a key marked untranslated in Welsh gives the English text. */
  forLanguage(language: Language): Translate;
};

export function createTranslations(resources: Resource = loadLocales()): Translations {
  const instance = i18next.createInstance();
  // Synchronous: the resources are already in memory, so init finishes before it returns.
  void instance.init({
    resources,
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    defaultNS: "common",
    ns: Object.keys(resources[DEFAULT_LANGUAGE] ?? {}),
    initAsync: false,
    // Nunjucks escapes what it prints; escaping here too would double it.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const fixed = new Map<Language, Translate>();
  function forLanguage(language: Language): Translate {
    const known = fixed.get(language);
    if (known) return known;
    const t = instance.getFixedT(language);
    const english = instance.getFixedT(DEFAULT_LANGUAGE);
    const translate: Translate = (key, options) => {
      const text = String(t(key, options));
      return text === UNTRANSLATED ? String(english(key, options)) : text;
    };
    fixed.set(language, translate);
    return translate;
  }
  return { i18n: instance, forLanguage };
}

/** Keys (namespace:key) whose Welsh value is still the untranslated marker: for the translation-status report. */
export function untranslatedKeys(resources: Record<Language, ResourceLanguage>): string[] {
  return flatKeys(resources.cy)
    .filter(([, value]) => value === UNTRANSLATED)
    .map(([key]) => key);
}

/** Every leaf of a language's bundles as [namespace:dotted.key, value]. */
export function flatKeys(bundle: ResourceLanguage): [string, unknown][] {
  const out: [string, unknown][] = [];
  const walk = (key: string, value: unknown) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [inner, innerValue] of Object.entries(value)) walk(`${key}.${inner}`, innerValue);
    } else out.push([key, value]);
  };
  for (const [namespace, content] of Object.entries(bundle))
    for (const [key, value] of Object.entries(content as Record<string, unknown>))
      walk(`${namespace}:${key}`, value);
  return out;
}
