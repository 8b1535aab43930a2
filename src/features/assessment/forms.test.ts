import { describe, expect, it } from "vitest";
import { answersManagingEverything, notAchieving } from "#/features/assessment/answers.fixture.ts";
import {
  describeSection,
  findSection,
  itemFieldId,
  locateFieldError,
  nextSection,
  parseSection,
  parseSectionLeniently,
  type SavedAnswers,
  sectionStatus,
  sectionsOf,
  unfinishedSections,
  valuesFromAnswers,
} from "#/features/assessment/forms.ts";
import { parseAnswers } from "#/features/assessment/schemas.ts";
import { englandQuestionnaire as q } from "#/rules/england/questionnaire.ts";

const section = (slug: string) => findSection(q, slug)!;
const nutrition = section("outcomes/nutrition");

describe("assessment forms", () => {
  it("rule: the pages are about your needs, one per outcome, wellbeing, circumstances and what matters, in that order", () => {
    const slugs = sectionsOf(q).map((s) => s.slug);
    expect(slugs[0]).toBe("about-your-needs");
    expect(slugs).toContain("outcomes/work-training-education-volunteering");
    expect(slugs.slice(-3)).toEqual(["wellbeing", "circumstances", "what-matters-to-you"]);
    expect(slugs).toHaveLength(q.outcomes.length + 4);
    expect(nextSection(q, "about-your-needs")?.slug).toBe("outcomes/nutrition");
    expect(nextSection(q, "what-matters-to-you")).toBeUndefined();
  });

  it("rule: a page read from saved answers and posted back gives the same answers (round trip), for every page", () => {
    const answers = notAchieving(
      answersManagingEverything(),
      ["nutrition", "clothing"],
      ["needs_assistance"],
      "Dad cooks.",
    );
    const { informalCarer: _, ...rest } = answers;
    const saved: SavedAnswers = {
      ...rest,
      informalCarer: { hasCarer: true, willingAndAbleToContinue: true },
    };
    let rebuilt: Record<string, unknown> = { questionnaireId: q.id };
    for (const s of sectionsOf(q)) {
      const result = parseSection(s, valuesFromAnswers(s, saved), q);
      expect(result.ok, s.slug).toBe(true);
      if (!result.ok) continue;
      const { outcomes, ...top } = result.answers as { outcomes?: Record<string, unknown> };
      rebuilt = {
        ...rebuilt,
        ...top,
        ...(outcomes ? { outcomes: { ...(rebuilt.outcomes as object), ...outcomes } } : {}),
      };
      expect(sectionStatus(s, saved, q), s.slug).toBe("completed");
    }
    const parsed = parseAnswers(rebuilt, q);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.value.outcomes.nutrition).toEqual(saved.outcomes!.nutrition);
      expect(parsed.value.informalCarer).toEqual({ hasCarer: true, willingAndAbleToContinue: true });
    }
  });

  it("rule: every missing answer on a page gets its own GOV.UK message, listed in page order and linked to its field", () => {
    const result = parseSection(nutrition, {}, q);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.canAchieveWithoutHelp).toBe(
      "Select yes if you can manage getting enough to eat and drink on your own",
    );
    expect(result.errorList.map((e) => e.href)).toEqual([
      "#canAchieveWithoutHelp",
      ...nutrition.outcome!.items.map((i) => `#${itemFieldId(i)}`),
    ]);
  });

  it("rule: 'No' needs a reg 2(3) reason, and 'Yes' with reasons is a contradiction to fix, not dropped", () => {
    const items = Object.fromEntries(nutrition.outcome!.items.map((i) => [itemFieldId(i), i.options[1]!.id]));
    const no = parseSection(nutrition, { canAchieveWithoutHelp: "no", ...items }, q);
    expect(!no.ok && no.errors.difficulties).toBe("Select why you cannot do this on your own");
    const yes = parseSection(
      nutrition,
      { canAchieveWithoutHelp: "yes", difficulties: "needs_assistance", ...items },
      q,
    );
    expect(!yes.ok && yes.errors.difficulties).toMatch(/^You answered yes, so untick these reasons/);
    const unknown = parseSection(
      nutrition,
      { canAchieveWithoutHelp: "no", difficulties: ["flying"], ...items },
      q,
    );
    expect(!unknown.ok && unknown.errors.difficulties).toBe("Select the reasons from the list");
    const ok = parseSection(
      nutrition,
      {
        canAchieveWithoutHelp: "no",
        difficulties: ["needs_assistance", "takes_significantly_longer"],
        ...items,
      },
      q,
    );
    expect(ok.ok && ok.answers).toMatchObject({
      outcomes: {
        nutrition: {
          canAchieveWithoutHelp: false,
          difficulties: ["needs_assistance", "takes_significantly_longer"],
        },
      },
    });
  });

  it("rule: fluctuating needs need the period considered (reg 2(4)); the carer question counts only when someone helps", () => {
    const about = parseSection(
      section("about-your-needs"),
      { needsFromImpairmentOrIllness: "yes", needsFluctuate: "yes" },
      q,
    );
    expect(!about.ok && about.errors.fluctuationNotes).toBe(
      "Enter the period you looked at and how the harder days were counted",
    );
    const circumstances = section("circumstances");
    const base = { primarySupportReason: "mental_health", livingSituation: "lives_alone" };
    const noCarer = parseSection(circumstances, { ...base, hasCarer: "no", carerWillingAndAble: "yes" }, q);
    expect(noCarer.ok && noCarer.answers.informalCarer).toEqual({ hasCarer: false });
    const notAsked = parseSection(
      circumstances,
      { ...base, hasCarer: "yes", carerWillingAndAble: "not_asked" },
      q,
    );
    expect(notAsked.ok && notAsked.answers.informalCarer).toEqual({ hasCarer: true });
    const missing = parseSection(circumstances, { ...base, hasCarer: "yes" }, q);
    expect(!missing.ok && missing.errors.carerWillingAndAble).toMatch(/willing and able/);
  });

  it("rule: 'Save and come back later' keeps what the service can store, and nothing it cannot", () => {
    expect(
      parseSectionLeniently(
        section("about-your-needs"),
        { needsFluctuate: "no", impairmentNotes: " MS " },
        q,
      ),
    ).toEqual({
      needsFluctuate: false,
      impairmentNotes: "MS",
    });
    // An outcome is stored whole: without its yes-or-no answer (or a "no" without a reason) nothing is kept.
    expect(
      parseSectionLeniently(nutrition, { [itemFieldId(nutrition.outcome!.items[0]!)]: "independent" }, q),
    ).toEqual({});
    expect(parseSectionLeniently(nutrition, { canAchieveWithoutHelp: "no" }, q)).toEqual({});
    expect(
      parseSectionLeniently(
        nutrition,
        { canAchieveWithoutHelp: "yes", [itemFieldId(nutrition.outcome!.items[0]!)]: "independent" },
        q,
      ),
    ).toEqual({
      outcomes: {
        nutrition: {
          canAchieveWithoutHelp: true,
          difficulties: [],
          items: { "nutrition.meal_preparation": "independent" },
        },
      },
    });
  });

  it("rule: a section is Not started, In progress or Completed from what was saved", () => {
    const about = section("about-your-needs");
    expect(sectionStatus(about, {}, q)).toBe("not_started");
    expect(sectionStatus(about, { needsFluctuate: true }, q)).toBe("in_progress");
    expect(sectionStatus(about, { needsFromImpairmentOrIllness: true, needsFluctuate: false }, q)).toBe(
      "completed",
    );
    const links = unfinishedSections(
      { needsFromImpairmentOrIllness: true, needsFluctuate: false },
      q,
      (s) => `/a/${s.slug}`,
    );
    expect(links[0]).toEqual({
      text: "Getting enough to eat and drink: answer the questions on this page",
      href: "/a/outcomes/nutrition#canAchieveWithoutHelp",
    });
    expect(links).toHaveLength(sectionsOf(q).length - 1);
    const started = unfinishedSections(
      { outcomes: { nutrition: { canAchieveWithoutHelp: false } } },
      q,
      (s) => `/a/${s.slug}`,
    );
    expect(started).toContainEqual({
      text: "Getting enough to eat and drink: Select why you cannot do this on your own",
      href: "/a/outcomes/nutrition#difficulties",
    });
  });

  it("rule: an error the service reports by answer path is found on its page and field", () => {
    const at = (path: string) => {
      const found = locateFieldError({ path, message: "" }, q);
      return found && `${found.section.slug}#${found.field}`;
    };
    expect(at('outcomes.nutrition.items["nutrition.meal_preparation"]')).toBe(
      "outcomes/nutrition#item-nutrition-meal_preparation",
    );
    expect(at("outcomes.clothing.difficulties[0]")).toBe("outcomes/clothing#difficulties");
    expect(at("outcomes.toilet_needs")).toBe("outcomes/toilet-needs#canAchieveWithoutHelp");
    expect(at("fluctuationNotes")).toBe("about-your-needs#fluctuationNotes");
    expect(at("informalCarer.willingAndAbleToContinue")).toBe("circumstances#carerWillingAndAble");
    expect(at("whatMattersToMe")).toBe("what-matters-to-you#whatMattersToMe");
    expect(at("questionnaireId")).toBeUndefined();
  });

  it("check your answers: every row names its question and links to its field", () => {
    const answers = notAchieving(answersManagingEverything(), ["nutrition"], ["endangers_health_safety"]);
    const rows = describeSection(nutrition, answers, q);
    expect(rows[0]).toEqual({
      key: nutrition.outcome!.question,
      lines: ["No"],
      field: "canAchieveWithoutHelp",
    });
    expect(rows[1]!.lines).toEqual([
      "Can do it, but it puts your health or safety, or someone else's, at risk",
    ]);
    expect(rows.find((r) => r.field === "item-nutrition-meal_preparation")?.lines).toEqual([
      "I make my own meals and drinks",
    ]);
  });
});
