import { describe, expect, it } from "vitest";
import {
  createTranslations,
  flatKeys,
  LANGUAGES,
  loadLocales,
  UNTRANSLATED,
  untranslatedKeys,
} from "./i18n.ts";
import { chooseLanguage, languageLinks } from "./language.ts";

const locales = loadLocales();

describe("translations (issue 16: every cy key exists, holding Welsh or the untranslated marker)", () => {
  it("has every English key in Welsh and every Welsh key in English, in every namespace", () => {
    const en = flatKeys(locales.en).map(([key]) => key);
    const cy = flatKeys(locales.cy).map(([key]) => key);
    expect(en.length).toBeGreaterThan(0);
    expect(cy.filter((key) => !en.includes(key))).toEqual([]);
    expect(en.filter((key) => !cy.includes(key))).toEqual([]);
  });

  it("holds only text: no empty value stands in for a missing translation", () => {
    for (const language of LANGUAGES)
      for (const [key, value] of flatKeys(locales[language]))
        expect(typeof value === "string" && value.trim() !== "", `${language} ${key}`).toBe(true);
  });

  it("lists the Welsh keys still marked untranslated, and shows their English meanwhile, never the marker", () => {
    const pending = untranslatedKeys(locales);
    expect(pending).toContain("common:phaseText");
    const t = createTranslations(locales).forLanguage("cy");
    expect(t("phaseText")).toBe(createTranslations(locales).forLanguage("en")("phaseText"));
    for (const key of pending) expect(t(key)).not.toContain(UNTRANSLATED);
  });

  it("gives Welsh where it is translated (GOV.UK Frontend's skip link, govuk-casa's back)", () => {
    const t = createTranslations(locales).forLanguage("cy");
    expect(t("skipLink")).toBe("Neidio i’r prif gynnwys");
    expect(t("back")).toBe("Yn ôl");
  });
});

describe("Welsh plurals (CLDR via Intl.PluralRules: zero, one, two, few, many, other)", () => {
  // A namespace only this test has: each form says which category it is.
  const forms = { zero: "zero", one: "one", two: "two", few: "few", many: "many", other: "other" };
  const bundle = Object.fromEntries(Object.entries(forms).map(([category, text]) => [`n_${category}`, text]));
  const resources = { en: { ...locales.en, plural: bundle }, cy: { ...locales.cy, plural: bundle } };
  const t = createTranslations(resources).forLanguage("cy");

  it.each([
    [0, "zero"],
    [1, "one"],
    [2, "two"],
    [3, "few"],
    [6, "many"],
    [7, "other"],
  ])("%i takes the %s form", (count, category) => {
    expect(t("plural:n", { count })).toBe(category);
    expect(new Intl.PluralRules("cy").select(count)).toBe(category);
  });

  it("English has only one and other (i18next uses a _zero form for 0 in any language that has one)", () => {
    const en = createTranslations(resources).forLanguage("en");
    expect([1, 2, 3, 6, 7].map((count) => en("plural:n", { count }))).toEqual([
      "one",
      "other",
      "other",
      "other",
      "other",
    ]);
  });
});

describe("choosing the language (issue 16: ?lang=, then the remembered choice, then preferences, then English)", () => {
  it("takes ?lang= over everything else", () => {
    expect(
      chooseLanguage({ query: "cy", remembered: "en", userPreference: "en", councilDefault: "en" }),
    ).toBe("cy");
  });
  it("falls through the sources in order, ignoring what is not a language we have", () => {
    expect(chooseLanguage({ query: "fr", remembered: "cy" })).toBe("cy");
    expect(chooseLanguage({ query: ["cy", "en"], userPreference: "cy" })).toBe("cy");
    expect(chooseLanguage({ councilDefault: "cy" })).toBe("cy");
    expect(chooseLanguage({})).toBe("en");
  });
  it("links the same page in each language, keeping its other query parameters", () => {
    expect(languageLinks("/people?page=2&lang=en", "en")).toEqual([
      { language: "en", href: "/people?page=2&lang=en", current: true },
      { language: "cy", href: "/people?page=2&lang=cy", current: false },
    ]);
  });
});
