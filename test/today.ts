/**
 * The date the tests live on, unless a test is about another date (a tax year, a leap day, a rule's start):
 * the demo templates are seeded as on this day, and test apps and service contexts use it as today.
 */
export const TODAY = "2026-11-23";
