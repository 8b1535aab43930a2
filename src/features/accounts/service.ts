/**
 * Accounts for people and their representatives: claim codes staff give out, representatives with their
 * kind and scope, consent, local sign-in, One Login accounts and settings, and the one authorisation check
 * the portal makes (authorise, over access.calc.ts's decideAccess).
 * One module per job; this file is the feature's front door for other features and its pages.
 */

export * from "#/features/accounts/claim-codes.ts";
export * from "#/features/accounts/letter-recipients.ts";
export * from "#/features/accounts/one-login-settings.ts";
export * from "#/features/accounts/portal-access.ts";
export * from "#/features/accounts/representatives.ts";
export * from "#/features/accounts/sign-in.ts";
