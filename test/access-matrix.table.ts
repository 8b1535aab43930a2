import type { Scope } from "#/features/accounts/access.calc.ts";
import type { StaffRole } from "#/platform/db/schema.ts";

/**
 * Issue 13: who may get a 2xx from each route, written by hand from what each route is for (its handler and
 * its page), NOT from the routes' own permission metadata (src/platform/auth/permissions.ts and the guards):
 * a table derived from the same metadata could never disagree with it. test/access-matrix.test.ts asks every
 * route as every kind of caller and fails on a 2xx the table does not allow, and on a route missing here.
 *
 * An entry lists every caller that may succeed; a caller not listed must be refused. Always on the caller's own
 * records: staff within their own council, a person on their own record, a representative on the person they
 * represent; another council's or another person's ids are refused whatever the entry says.
 *
 * - `anonymous`: anyone at all, signed in or not (public pages, sign-in, the calculators).
 * - `staff`: staff holding one of these roles ("any": every member of staff), by session; on /api/v1 too.
 * - `person`: the person themselves, on their own record (/my).
 * - `representative`: a representative holding one of these scopes, on the person they represent (/my).
 * - `account`: any signed-in portal account, whoever it is (its own home page).
 * - `token`: an API token with one of these scopes ("any": any token), on /api/v1 only.
 */
export type Access = {
  anonymous?: true;
  staff?: readonly StaffRole[] | "any";
  person?: true;
  representative?: readonly Scope[];
  account?: true;
  token?: readonly string[] | "any";
};

// The groups of staff who do each kind of work, in the words of the job, not of the code.
/** Everyone who works with individual people's records: all but commissioners (who see aggregates only). */
const CASEWORK: readonly StaffRole[] = [
  "social_worker",
  "support_planner",
  "team_manager",
  "funding_panel_member",
  "finance_officer",
  "administrator",
];
/** Who reads needs assessments, reviews and referrals: practice, their managers, the panel, administrators. */
const PRACTICE_READ: readonly StaffRole[] = [
  "social_worker",
  "support_planner",
  "team_manager",
  "funding_panel_member",
  "administrator",
];
/** Who assesses: social workers and their managers. */
const ASSESSORS: readonly StaffRole[] = ["social_worker", "team_manager"];
/** Who writes support plans and reviews: practitioners and their managers. */
const PLANNERS: readonly StaffRole[] = ["social_worker", "support_planner", "team_manager"];
/** Who may add people and manage their online access: practitioners, managers and administrators. */
const FRONT_DOOR: readonly StaffRole[] = [
  "social_worker",
  "support_planner",
  "team_manager",
  "administrator",
];
const FINANCE: readonly StaffRole[] = ["finance_officer"];
const ADMIN: readonly StaffRole[] = ["administrator"];
const FINANCE_AND_ADMIN: readonly StaffRole[] = ["finance_officer", "administrator"];
const CHARGING_WRITERS: readonly StaffRole[] = ["finance_officer", "team_manager"];
const ENDERS: readonly StaffRole[] = ["team_manager", "funding_panel_member"];
/** Who reads the commissioner's reports: commissioners, the managers who run teams, finance, administrators. */
const COMMISSIONING: readonly StaffRole[] = [
  "commissioner",
  "team_manager",
  "finance_officer",
  "administrator",
];

const PUBLIC: Access = { anonymous: true };
const ANY_STAFF: Access = { staff: "any" };
const staff = (roles: readonly StaffRole[]): Access => ({ staff: roles });
/** An /api/v1 route: staff by session with these roles, or a token with this scope. */
const api = (roles: readonly StaffRole[] | "any", scope: string): Access => ({
  staff: roles,
  token: [scope],
});
/** A /my page about one person: the person, or a representative with one of these scopes. */
const my = (...scopes: Scope[]): Access => ({ person: true, representative: scopes });

export const ACCESS: Record<string, Access> = {
  // ---- the front door, sign-in, the public calculators and forms ----------------------------------------------
  "GET /": PUBLIC,
  "GET /*": PUBLIC, // static files and the not-found page
  "GET /sign-in": PUBLIC,
  "POST /sign-in": PUBLIC,
  "POST /sign-out": PUBLIC,
  "GET /set-password/:token": PUBLIC, // the link is the credential
  "POST /set-password/:token": PUBLIC,
  "GET /estimate": PUBLIC,
  "GET /pay-estimate": PUBLIC,
  "GET /:council/estimate": PUBLIC,
  "GET /:council/estimate/questions": PUBLIC,
  "POST /:council/estimate/questions": PUBLIC,
  "GET /:council/estimate/result": PUBLIC,
  "POST /:council/estimate/result": PUBLIC,
  "GET /:council/pay-estimate": PUBLIC,
  "GET /:council/pay-estimate/questions": PUBLIC,
  "POST /:council/pay-estimate/questions": PUBLIC,
  "GET /:council/pay-estimate/result": PUBLIC,
  "POST /:council/pay-estimate/result": PUBLIC,
  "GET /:council/self-referral": PUBLIC,
  "POST /:council/self-referral": PUBLIC,
  "GET /:council/self-referral/sent": PUBLIC,
  "GET /:council/fairness": PUBLIC, // the public fairness dashboard: grouped, suppressed figures only
  "GET /api/v1/councils/:council/fairness": PUBLIC,
  "POST /api/v1/calculate/eligibility": PUBLIC,
  "POST /api/v1/calculate/allocation": PUBLIC,
  "POST /api/v1/calculate/charging": PUBLIC,
  "GET /api/v1/openapi.json": PUBLIC, // the API's description, no data

  // ---- a member of staff's own account ------------------------------------------------------------------------
  "GET /account": ANY_STAFF,
  "POST /account/api-tokens": ANY_STAFF,
  "POST /account/api-tokens/:tokenId/revoke": ANY_STAFF,
  "GET /account/password": ANY_STAFF,
  "POST /account/password": ANY_STAFF,
  "GET /tasks": ANY_STAFF, // everyone's own task list
  "POST /tasks/:taskId/done": ANY_STAFF,

  // ---- administration: staff, teams, set-up, contact details, One Login, RAS, funding, payment settings ------
  "GET /admin/staff": staff(ADMIN),
  "POST /admin/staff": staff(ADMIN),
  "GET /admin/staff/new": staff(ADMIN),
  "GET /admin/staff/:userId": staff(ADMIN),
  "POST /admin/staff/:userId": staff(ADMIN),
  "POST /admin/staff/:userId/password-link": staff(ADMIN),
  "GET /admin/staff/:userId/deactivate": staff(ADMIN),
  "POST /admin/staff/:userId/deactivate": staff(ADMIN),
  "POST /admin/teams": staff(ADMIN),
  "POST /admin/teams/intake": staff(ADMIN),
  "GET /admin/setup": staff(ADMIN),
  "GET /admin/contact": staff(ADMIN),
  "POST /admin/contact": staff(ADMIN),
  "GET /admin/one-login": staff(ADMIN),
  "POST /admin/one-login": staff(ADMIN),
  "GET /admin/ras": staff(ADMIN),
  "POST /admin/ras/calibrations": staff(ADMIN),
  "GET /admin/ras/calibrations/:id": staff(ADMIN),
  "GET /admin/ras/calibrations/:id/summary.csv": staff(ADMIN),
  "GET /admin/ras/calibrations/:id/people.csv": staff(ADMIN),
  "GET /admin/ras/calibrations/:id/groups.csv": staff(ADMIN),
  "POST /admin/ras/calibrations/:id/adopt": staff(ADMIN),
  "GET /admin/reviews": staff(ADMIN), // when reviews fall due: a council setting
  "POST /admin/reviews": staff(ADMIN),
  "GET /admin/funding": staff(ADMIN),
  "GET /admin/funding/versions/:version": staff(ADMIN),
  "GET /admin/funding/streams": staff(ADMIN),
  "POST /admin/funding/streams": staff(ADMIN),
  "GET /admin/funding/payer-order": staff(ADMIN),
  "POST /admin/funding/payer-order": staff(ADMIN),
  "GET /admin/funding/approval": staff(ADMIN),
  "POST /admin/funding/approval": staff(ADMIN),
  "GET /admin/payments": staff(FINANCE), // payment settings: finance's own
  "POST /admin/payments": staff(FINANCE),

  // ---- people and their records (staff pages) -----------------------------------------------------------------
  "GET /people": staff(CASEWORK),
  "GET /people/new": staff(FRONT_DOOR),
  "POST /people/new": staff(FRONT_DOOR),
  "GET /people/:personId": staff(CASEWORK),
  "GET /people/:personId/correspondence": staff(FRONT_DOOR),
  "POST /people/:personId/correspondence": staff(FRONT_DOOR),
  "POST /people/:personId/assessments": staff(ASSESSORS),
  "GET /people/:personId/allocation-override": staff(ASSESSORS),
  // Who has an online account and who represents the person is part of their record; changing it is not.
  "GET /people/:personId/online-access": staff(CASEWORK),
  "POST /people/:personId/online-access/codes": staff(FRONT_DOOR),
  "POST /people/:personId/online-access/codes/:claimId/revoke": staff(FRONT_DOOR),
  "POST /people/:personId/representatives": staff(FRONT_DOOR),
  "GET /people/:personId/representatives/new": staff(FRONT_DOOR),
  "GET /people/:personId/representatives/:representativeId/end": staff(FRONT_DOOR),
  "POST /people/:personId/representatives/:representativeId/end": staff(FRONT_DOOR),
  "GET /people/:personId/reviews": staff(PRACTICE_READ),
  "GET /people/:personId/reviews/new": staff(PLANNERS),
  "POST /people/:personId/reviews/new": staff(PLANNERS),
  "GET /people/:personId/receipts/:receiptId": staff(CASEWORK),
  "GET /people/:personId/referrals": staff(PRACTICE_READ),
  "POST /people/:personId/referrals": staff(ASSESSORS),
  "POST /people/:personId/referrals/:referralId/close": staff(ASSESSORS),
  "GET /people/:personId/charging": staff(CASEWORK),
  "POST /people/:personId/financial-assessments": staff(CHARGING_WRITERS),
  "GET /people/:personId/statement": staff(CASEWORK),
  "GET /people/:personId/statement.pdf": staff(CASEWORK),
  "GET /people/:personId/plans": staff(CASEWORK),
  "POST /people/:personId/plans": staff(PLANNERS),
  "GET /people/:personId/budget": staff(CASEWORK),
  "POST /people/:personId/budget/surplus": staff(FINANCE),
  "GET /people/:personId/budget/end": staff(ENDERS),
  "POST /people/:personId/budget/end": staff(ENDERS),
  "POST /people/:personId/budget/end/confirm": staff(ENDERS),
  "GET /people/:personId/debts/:debtId": staff(FINANCE),
  "POST /people/:personId/debts/:debtId/recovered": staff(FINANCE),
  "POST /people/:personId/debts/:debtId/write-off": staff(FINANCE),

  // ---- needs assessments ---------------------------------------------------------------------------------------
  // A question page shows the answers so far, which whoever reads the assessment may see; saving needs an assessor.
  "GET /assessments/:id": staff(PRACTICE_READ),
  "POST /assessments/:id/revise": staff(ASSESSORS),
  "GET /assessments/:id/about-your-needs": staff(PRACTICE_READ),
  "POST /assessments/:id/about-your-needs": staff(ASSESSORS),
  "GET /assessments/:id/allocation": staff(PRACTICE_READ),
  "GET /assessments/:id/wellbeing": staff(PRACTICE_READ),
  "POST /assessments/:id/wellbeing": staff(ASSESSORS),
  "GET /assessments/:id/what-matters-to-you": staff(PRACTICE_READ),
  "POST /assessments/:id/what-matters-to-you": staff(ASSESSORS),
  "GET /assessments/:id/circumstances": staff(PRACTICE_READ),
  "POST /assessments/:id/circumstances": staff(ASSESSORS),
  "GET /assessments/:id/check-answers": staff(PRACTICE_READ),
  "GET /assessments/:id/outcomes/:outcome": staff(PRACTICE_READ),
  "POST /assessments/:id/outcomes/:outcome": staff(ASSESSORS),
  "POST /assessments/:id/submit": staff(ASSESSORS),
  "GET /assessments/:id/decision": staff(PRACTICE_READ),
  // The allocation's override history is read with the plan; only assessors see the form to change it.
  "GET /allocations/:allocationId/override": staff(CASEWORK),
  "POST /allocations/:allocationId/override": staff(ASSESSORS),
  // Deciding on another's override over the threshold: who approves is the council's delegated authority.
  "POST /allocation-overrides/:overrideId/decision": staff(CASEWORK),

  // ---- support plans and approvals -----------------------------------------------------------------------------
  "GET /approvals": staff(CASEWORK),
  "GET /plans/:planId": staff(CASEWORK),
  "POST /plans/:planId/versions": staff(PLANNERS),
  "GET /plans/:planId/versions/:version": staff(CASEWORK),
  "GET /plans/:planId/versions/:version/approve": staff(CASEWORK),
  "POST /plans/:planId/versions/:version/approve": staff(CASEWORK),
  "POST /plans/:planId/versions/:version/return": staff(CASEWORK),
  "POST /plans/:planId/outcomes": staff(PLANNERS),
  "GET /plans/:planId/outcomes/new": staff(PLANNERS),
  "GET /plans/:planId/outcomes/:itemId": staff(PLANNERS),
  "POST /plans/:planId/outcomes/:itemId": staff(PLANNERS),
  "GET /plans/:planId/outcomes/:itemId/remove": staff(PLANNERS),
  "POST /plans/:planId/outcomes/:itemId/remove": staff(PLANNERS),
  "GET /plans/:planId/over-budget-reason": staff(PLANNERS),
  "POST /plans/:planId/over-budget-reason": staff(PLANNERS),
  "GET /plans/:planId/previous-package": staff(PLANNERS),
  "POST /plans/:planId/previous-package": staff(PLANNERS),
  "POST /plans/:planId/risks": staff(PLANNERS),
  "GET /plans/:planId/risks/new": staff(PLANNERS),
  "GET /plans/:planId/risks/:itemId": staff(PLANNERS),
  "POST /plans/:planId/risks/:itemId": staff(PLANNERS),
  "GET /plans/:planId/risks/:itemId/remove": staff(PLANNERS),
  "POST /plans/:planId/risks/:itemId/remove": staff(PLANNERS),
  "POST /plans/:planId/supports": staff(PLANNERS),
  "GET /plans/:planId/supports/new": staff(PLANNERS),
  "GET /plans/:planId/supports/:itemId": staff(PLANNERS),
  "POST /plans/:planId/supports/:itemId": staff(PLANNERS),
  "GET /plans/:planId/supports/:itemId/remove": staff(PLANNERS),
  "POST /plans/:planId/supports/:itemId/remove": staff(PLANNERS),
  "GET /plans/:planId/submit": staff(PLANNERS),
  "POST /plans/:planId/submit": staff(PLANNERS),
  "GET /plans/:planId/contingency": staff(PLANNERS),
  "POST /plans/:planId/contingency": staff(PLANNERS),
  "GET /plans/:planId/agreed": staff(CASEWORK),
  "GET /plans/:planId/agreed.pdf": staff(CASEWORK),

  // ---- reviews and "look at a decision again" ----------------------------------------------------------------
  "GET /reviews": staff(PRACTICE_READ),
  "GET /look-again": staff(PRACTICE_READ),
  "GET /look-again/:requestId": staff(PRACTICE_READ),
  "POST /look-again/:requestId": staff(PLANNERS),

  // ---- charging: financial assessments and the council's charging policy ------------------------------------
  "GET /charging": staff(CASEWORK),
  "GET /charging/settings": staff(FINANCE_AND_ADMIN),
  "GET /charging/settings/uprate": staff(FINANCE_AND_ADMIN),
  "POST /charging/settings/uprate": staff(FINANCE_AND_ADMIN),
  "GET /charging/settings/policy/new": staff(FINANCE_AND_ADMIN),
  "POST /charging/settings/policy/new": staff(FINANCE_AND_ADMIN),
  "POST /charging/settings/policy/:id/withdraw": staff(FINANCE_AND_ADMIN),
  "GET /charging/settings/figures/new": staff(FINANCE_AND_ADMIN),
  "POST /charging/settings/figures/new": staff(FINANCE_AND_ADMIN),
  "POST /charging/settings/figures/:id/withdraw": staff(FINANCE_AND_ADMIN),
  // As with needs assessments, the question pages show the answers to whoever reads them; saving is for finance
  // officers and managers.
  "GET /financial-assessments/:id": staff(CASEWORK),
  "GET /financial-assessments/:id/about": staff(CASEWORK),
  "POST /financial-assessments/:id/about": staff(CHARGING_WRITERS),
  "GET /financial-assessments/:id/circumstances": staff(CASEWORK),
  "POST /financial-assessments/:id/circumstances": staff(CHARGING_WRITERS),
  "GET /financial-assessments/:id/cost-of-care": staff(CASEWORK),
  "POST /financial-assessments/:id/cost-of-care": staff(CHARGING_WRITERS),
  "POST /financial-assessments/:id/complete": staff(CHARGING_WRITERS),
  "GET /financial-assessments/:id/check-answers": staff(CASEWORK),
  "GET /financial-assessments/:id/capital": staff(CASEWORK),
  "POST /financial-assessments/:id/capital": staff(CHARGING_WRITERS),
  "POST /financial-assessments/:id/capital/:index/remove": staff(CHARGING_WRITERS),
  "GET /financial-assessments/:id/disability-related-expenditure": staff(CASEWORK),
  "POST /financial-assessments/:id/disability-related-expenditure": staff(CHARGING_WRITERS),
  "GET /financial-assessments/:id/disability-related-expenditure/items": staff(CASEWORK),
  "POST /financial-assessments/:id/disability-related-expenditure/items": staff(CHARGING_WRITERS),
  "POST /financial-assessments/:id/disability-related-expenditure/items/:index/remove":
    staff(CHARGING_WRITERS),
  "GET /financial-assessments/:id/incomes": staff(CASEWORK),
  "POST /financial-assessments/:id/incomes": staff(CHARGING_WRITERS),
  "POST /financial-assessments/:id/incomes/:index/remove": staff(CHARGING_WRITERS),
  "GET /financial-assessments/:id/housing-costs": staff(CASEWORK),
  "POST /financial-assessments/:id/housing-costs": staff(CHARGING_WRITERS),
  "POST /financial-assessments/:id/housing-costs/:index/remove": staff(CHARGING_WRITERS),

  // ---- money: payment runs, payees, contribution invoices, spending, surplus ---------------------------------
  "GET /payments": staff(FINANCE),
  "GET /payments/contribution-invoices": staff(FINANCE),
  "POST /payments/contribution-invoices/:invoiceId/payment": staff(FINANCE),
  "POST /payments/runs": staff(FINANCE),
  "GET /payments/runs/:runId": staff(FINANCE),
  "POST /payments/runs/:runId/redate": staff(FINANCE),
  "POST /payments/runs/:runId/redate/:redateId/approve": staff(FINANCE),
  "POST /payments/runs/:runId/review": staff(FINANCE),
  "POST /payments/runs/:runId/approve": staff(FINANCE),
  "GET /payments/runs/:runId/files/bacs18": staff(FINANCE),
  "GET /payments/runs/:runId/files/finance.csv": staff(FINANCE),
  "GET /payments/:paymentId/return": staff(FINANCE),
  "POST /payments/:paymentId/return": staff(FINANCE),
  "GET /payees": staff(FINANCE),
  "GET /payees/new": staff(FINANCE),
  "POST /payees/new": staff(FINANCE),
  "POST /payees/:payeeId/bank-details": staff(FINANCE),
  "POST /payees/:payeeId/bank-details/:detailsId/approve": staff(FINANCE),
  "GET /spending/card-feeds": staff(FINANCE),
  "POST /spending/card-feeds": staff(FINANCE),
  "POST /spending/cards": staff(FINANCE),
  "GET /surplus": staff(FINANCE),
  "POST /surplus/:recoveryId": staff(FINANCE),
  // ---- direct-payment audits (issue 15): finance works the queue; finance and administrators set the rules ----
  "GET /dp-audits": staff(FINANCE),
  "POST /dp-audits": staff(FINANCE),
  "GET /dp-audits/:auditId": staff(FINANCE),
  "POST /dp-audits/:auditId": staff(FINANCE),
  "POST /dp-audits/:auditId/recover-unpaid": staff(FINANCE),
  "GET /admin/dp-audits": staff([...FINANCE, ...ADMIN]),
  "POST /admin/dp-audits": staff([...FINANCE, ...ADMIN]),
  // The public fairness dashboard's small-number threshold and margin: a council setting.
  "GET /admin/fairness": staff(ADMIN),
  "POST /admin/fairness": staff(ADMIN),

  // ---- the provider directory ---------------------------------------------------------------------------------
  "GET /directory": ANY_STAFF,
  "GET /directory/export": ANY_STAFF,
  "GET /directory/import": staff(ADMIN),
  "POST /directory/import": staff(ADMIN),
  "GET /directory/settings": staff(ADMIN),
  "POST /directory/settings": staff(ADMIN),
  "GET /directory/providers/new": staff(ADMIN),
  "POST /directory/providers/new": staff(ADMIN),
  "GET /directory/providers/:providerId": ANY_STAFF,
  "GET /directory/providers/:providerId/edit": staff(ADMIN),
  "POST /directory/providers/:providerId/edit": staff(ADMIN),
  "GET /directory/providers/:providerId/services/new": staff(ADMIN),
  "POST /directory/providers/:providerId/services/new": staff(ADMIN),
  "GET /directory/providers/:providerId/services/:serviceId/edit": staff(ADMIN),
  "POST /directory/providers/:providerId/services/:serviceId/edit": staff(ADMIN),

  // ---- people's own portal (/my) -------------------------------------------------------------------------------
  "GET /my": { account: true },
  "GET /my/sign-in": PUBLIC,
  "POST /my/sign-in": PUBLIC,
  "GET /my/sign-in/one-login": PUBLIC,
  "GET /my/sign-in/one-login/callback": PUBLIC,
  "POST /my/sign-out": PUBLIC,
  "GET /my/claim": PUBLIC, // claiming a code from the council links an account (new or signed-in)
  "POST /my/claim": PUBLIC,
  "GET /my/people/:personId": my("view"),
  "GET /my/people/:personId/assessments/:assessmentId": my("view"),
  "GET /my/people/:personId/assessments/:assessmentId/decision": my("view"),
  "GET /my/people/:personId/assessments/:assessmentId/allocation": my("view"),
  "GET /my/people/:personId/statement": my("view"),
  "GET /my/people/:personId/statement.pdf": my("view"),
  "GET /my/people/:personId/plans": my("view"),
  "POST /my/people/:personId/plans": my("edit_plan"),
  "GET /my/people/:personId/plans/:planId": my("view"),
  "GET /my/people/:personId/plans/:planId/versions/:version": my("view"),
  "POST /my/people/:personId/plans/:planId/outcomes": my("edit_plan"),
  "GET /my/people/:personId/plans/:planId/outcomes/new": my("edit_plan"),
  "GET /my/people/:personId/plans/:planId/outcomes/:itemId": my("edit_plan"),
  "POST /my/people/:personId/plans/:planId/outcomes/:itemId": my("edit_plan"),
  "GET /my/people/:personId/plans/:planId/outcomes/:itemId/remove": my("edit_plan"),
  "POST /my/people/:personId/plans/:planId/outcomes/:itemId/remove": my("edit_plan"),
  "GET /my/people/:personId/plans/:planId/over-budget-reason": my("edit_plan"),
  "POST /my/people/:personId/plans/:planId/over-budget-reason": my("edit_plan"),
  "POST /my/people/:personId/plans/:planId/risks": my("edit_plan"),
  "GET /my/people/:personId/plans/:planId/risks/new": my("edit_plan"),
  "GET /my/people/:personId/plans/:planId/risks/:itemId": my("edit_plan"),
  "POST /my/people/:personId/plans/:planId/risks/:itemId": my("edit_plan"),
  "GET /my/people/:personId/plans/:planId/risks/:itemId/remove": my("edit_plan"),
  "POST /my/people/:personId/plans/:planId/risks/:itemId/remove": my("edit_plan"),
  "POST /my/people/:personId/plans/:planId/supports": my("edit_plan"),
  "GET /my/people/:personId/plans/:planId/supports/new": my("edit_plan"),
  "GET /my/people/:personId/plans/:planId/supports/:itemId": my("edit_plan"),
  "POST /my/people/:personId/plans/:planId/supports/:itemId": my("edit_plan"),
  "GET /my/people/:personId/plans/:planId/supports/:itemId/remove": my("edit_plan"),
  "POST /my/people/:personId/plans/:planId/supports/:itemId/remove": my("edit_plan"),
  "GET /my/people/:personId/plans/:planId/submit": my("edit_plan"),
  "POST /my/people/:personId/plans/:planId/submit": my("edit_plan"),
  "GET /my/people/:personId/plans/:planId/contingency": my("edit_plan"),
  "POST /my/people/:personId/plans/:planId/contingency": my("edit_plan"),
  "GET /my/people/:personId/plans/:planId/agreed": my("view"),
  "GET /my/people/:personId/plans/:planId/agreed.pdf": my("view"),
  "GET /my/people/:personId/reviews": my("view"),
  "GET /my/people/:personId/audits/:auditId": my("view"),
  "POST /my/people/:personId/audits/:auditId": my("manage_money"),
  "POST /my/people/:personId/receipts": my("manage_money"), // a receipt for money spent from the budget
  "GET /my/people/:personId/receipts/:receiptId": my("view"),
  "GET /my/people/:personId/look-again": my("ask_for_review"), // the form to ask
  "POST /my/people/:personId/look-again": my("ask_for_review"),
  "GET /my/people/:personId/look-again/:requestId": my("view"),
  "GET /my/people/:personId/budget": my("view"),
  // The person's own say over a representative acting for them: only the person.
  "GET /my/representatives/:representativeId/withdraw": { person: true },
  "POST /my/representatives/:representativeId/withdraw": { person: true },
  "POST /my/representatives/:representativeId/agree": { person: true },

  // ---- the API (/api/v1): staff by session, or a token with the scope named ------------------------------------
  "GET /api/v1/people": api(CASEWORK, "people:read"),
  "POST /api/v1/people": api(FRONT_DOOR, "people:write"),
  "GET /api/v1/people/:personId": api(CASEWORK, "people:read"),
  "GET /api/v1/people/:personId/correspondence": api(CASEWORK, "people:read"),
  "PUT /api/v1/people/:personId/correspondence": api(FRONT_DOOR, "people:write"),
  "GET /api/v1/people/:personId/assessments": api(PRACTICE_READ, "assessment:read"),
  "GET /api/v1/people/:personId/financial-assessments": api(CASEWORK, "charging:read"),
  "GET /api/v1/people/:personId/reviews": api(PRACTICE_READ, "reviews:read"),
  "GET /api/v1/providers": api("any", "directory:read"),
  "GET /api/v1/providers/:providerId": api("any", "directory:read"),
  "GET /api/v1/directory.hsds.json": api("any", "directory:read"),
  "POST /api/v1/directory/import": api(ADMIN, "directory:manage"),
  "GET /api/v1/funding-streams": api("any", "funding:read"),
  "GET /api/v1/plans": api(CASEWORK, "plans:read"),
  "POST /api/v1/plans": api(PLANNERS, "plans:write"),
  "GET /api/v1/plans/:planId": api(CASEWORK, "plans:read"),
  "POST /api/v1/plans/:planId/versions": api(PLANNERS, "plans:write"),
  "GET /api/v1/plans/:planId/versions/:version": api(CASEWORK, "plans:read"),
  "PUT /api/v1/plans/:planId/versions/:version": api(PLANNERS, "plans:write"),
  "POST /api/v1/plans/:planId/versions/:version/submit": api(PLANNERS, "plans:write"),
  "POST /api/v1/plans/:planId/versions/:version/approve": api(CASEWORK, "plans:approve"),
  "POST /api/v1/plans/:planId/versions/:version/return": api(CASEWORK, "plans:approve"),
  "PUT /api/v1/plans/:planId/previous-package": api(PLANNERS, "plans:write"),
  "DELETE /api/v1/plans/:planId/previous-package": api(PLANNERS, "plans:write"),
  "GET /api/v1/approvals": api(CASEWORK, "plans:approve"),
  "POST /api/v1/assessments": api(ASSESSORS, "assessment:write"),
  "GET /api/v1/assessments/:assessmentId": api(PRACTICE_READ, "assessment:read"),
  "PUT /api/v1/assessments/:assessmentId/answers": api(ASSESSORS, "assessment:write"),
  "GET /api/v1/assessments/:assessmentId/allocation": api(PRACTICE_READ, "assessment:read"),
  "POST /api/v1/assessments/:assessmentId/submit": api(ASSESSORS, "assessment:write"),
  "GET /api/v1/assessments/:assessmentId/eligibility": api(PRACTICE_READ, "assessment:read"),
  "GET /api/v1/allocations/:allocationId/overrides": api(CASEWORK, "plans:read"), // read with the plan
  "POST /api/v1/allocations/:allocationId/overrides": api(ASSESSORS, "allocation:override"),
  "POST /api/v1/allocation-overrides/:overrideId/decision": api(CASEWORK, "plans:approve"),
  "POST /api/v1/financial-assessments": api(CHARGING_WRITERS, "charging:write"),
  "GET /api/v1/financial-assessments/:financialAssessmentId": api(CASEWORK, "charging:read"),
  "GET /api/v1/contribution-invoices": api(FINANCE, "payments:run"),
  "POST /api/v1/contribution-invoices/:invoiceId/payment": api(FINANCE, "payments:run"),
  "GET /api/v1/payments/runs": api(FINANCE, "payments:run"),
  "POST /api/v1/payments/runs": api(FINANCE, "payments:run"),
  "GET /api/v1/payments/runs/:runId": api(FINANCE, "payments:run"),
  "POST /api/v1/payments/runs/:runId/review": api(FINANCE, "payments:approve"),
  "POST /api/v1/payments/runs/:runId/redate": api(FINANCE, "payments:run"),
  "POST /api/v1/payments/runs/:runId/redate/:redateId/approve": api(FINANCE, "payments:approve"),
  "POST /api/v1/payments/runs/:runId/approve": api(FINANCE, "payments:approve"),
  "GET /api/v1/payments/runs/:runId/files/bacs18": api(FINANCE, "payments:run"),
  "GET /api/v1/payments/runs/:runId/files/finance.csv": api(FINANCE, "payments:run"),
  "POST /api/v1/payments/:paymentId/return": api(FINANCE, "payments:run"),
  "GET /api/v1/dp-audits": api(FINANCE, "dp_audits:manage"),
  "POST /api/v1/dp-audits": api(FINANCE, "dp_audits:manage"),
  "GET /api/v1/dp-audits/:auditId": api(FINANCE, "dp_audits:manage"),
  "POST /api/v1/dp-audits/:auditId/decision": api(FINANCE, "dp_audits:manage"),
  "POST /api/v1/dp-audits/:auditId/recover-unpaid": api(FINANCE, "dp_audits:manage"),
  "POST /api/v1/payees": api(FINANCE, "bank_details:manage"),
  "POST /api/v1/payees/:payeeId/bank-details": api(FINANCE, "bank_details:manage"),
  "POST /api/v1/payees/:payeeId/bank-details/:detailsId/approve": api(FINANCE, "bank_details:manage"),
  "POST /api/v1/card-feeds": api(FINANCE, "spending:manage"),
  "POST /api/v1/ledger/transfers": api(FINANCE, "spending:manage"),
  "POST /api/v1/ledger/transfers/:transferId/post": api(FINANCE, "spending:manage"),
  "POST /api/v1/ledger/transfers/:transferId/void": api(FINANCE, "spending:manage"),
  "GET /api/v1/ledger/accounts/:accountId": api(FINANCE_AND_ADMIN, "ledger:read"),
  "GET /api/v1/ledger/accounts/:accountId/transfers": api(FINANCE_AND_ADMIN, "ledger:read"),
  "GET /api/v1/look-again-requests": api(PRACTICE_READ, "reviews:read"),
  "POST /api/v1/look-again-requests": api(PLANNERS, "reviews:write"),
  "POST /api/v1/look-again-requests/:requestId/answer": api(PLANNERS, "reviews:write"),
  "GET /api/v1/reviews": api(PRACTICE_READ, "reviews:read"),
  "POST /api/v1/reviews": api(PLANNERS, "reviews:write"),
  "GET /api/v1/budgets/:budgetId": api(CASEWORK, "budgets:read"),
  "GET /api/v1/budgets/:budgetId/transfers": api(CASEWORK, "budgets:read"),
  "POST /api/v1/budgets/:budgetId/transfers": api(FINANCE, "spending:manage"),
  "GET /api/v1/budgets/:budgetId/statement": api(CASEWORK, "budgets:read"),
  "POST /api/v1/budgets/:budgetId/end": api(ENDERS, "budgets:end"),
  "POST /api/v1/budgets/:budgetId/invoices": api(FINANCE, "spending:manage"),
  "GET /api/v1/spends": api(CASEWORK, "budgets:read"), // what a person's budget was spent on
  "GET /api/v1/surplus-recoveries": api(FINANCE, "surplus:approve"),
  "POST /api/v1/surplus-recoveries/:recoveryId/approve": api(FINANCE, "surplus:approve"),
  "POST /api/v1/surplus-recoveries/:recoveryId/reject": api(FINANCE, "surplus:approve"),
  "POST /api/v1/invoices/:invoiceId/pay": api(FINANCE, "spending:manage"),
  "POST /api/v1/invoices/:invoiceId/reject": api(FINANCE, "spending:manage"),
  // ---- NHS England's Client Level Data return (features/reports): a record per person, made by the commissioner --
  "GET /returns/cld": staff(["commissioner"]),
  "GET /returns/cld/return.csv": staff(["commissioner"]),
  "GET /returns/cld/data-quality.csv": staff(["commissioner"]),
  // ---- the commissioner's reports (features/reports): aggregates, no one's record ---------------------------------
  ...Object.fromEntries(
    ["caseload", "money", "outcomes", "market"].flatMap((report) => [
      [`GET /reports/${report}`, staff(COMMISSIONING)],
      [`GET /reports/${report}/download/:file`, staff(COMMISSIONING)],
      [`GET /api/v1/reports/${report}`, api(COMMISSIONING, "commissioning:read")],
      // Refreshing a report's stored snapshot rewrites aggregates only, so the page's readers may ask for it.
      [`POST /reports/${report}/refresh`, staff(COMMISSIONING)],
    ]),
  ),
  "GET /reports": staff(COMMISSIONING),
  "GET /reports/measures": staff(COMMISSIONING),
  "GET /reports/measures/download/:file": staff(COMMISSIONING),
  "GET /api/v1/reports/measures": api(COMMISSIONING, "commissioning:read"),
  "POST /reports/measures/refresh": staff(COMMISSIONING),
  "POST /reports/fairness/refresh": staff(COMMISSIONING),
};
