/**
 * The assessment's question pages as forms: which sections there are and in what order, how a posted
 * (urlencoded) page becomes that section's answers, how saved answers fill a page again, and how an error
 * the service reports (by answer path) is found on a page. Messages follow GOV.UK's error message style and
 * speak to the person, as the questions do (a supported self-assessment is the person's own).
 *
 * Pages check their own section completely, so a page that says "Completed" will pass at submit; the
 * service checks everything again when the assessment is submitted.
 */
// One job a file: sections.ts (which pages, in what order), page-parse.ts (a posted page read), page-fill.ts
// (saved answers shown again; statuses; errors the service reports), answer-rows.ts (check your answers).
// Importers use this file; every name stays here.
export * from "#/features/assessment/answer-rows.ts";
export * from "#/features/assessment/page-fill.ts";
export * from "#/features/assessment/page-parse.ts";
export * from "#/features/assessment/sections.ts";
