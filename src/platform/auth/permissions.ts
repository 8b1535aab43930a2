import type { StaffRole } from "#/platform/db/schema.ts";

/** Every staff role, in the order pages list them. */
export const STAFF_ROLES: readonly StaffRole[] = [
  "social_worker",
  "support_planner",
  "team_manager",
  "funding_panel_member",
  "finance_officer",
  "commissioner",
  "administrator",
];

export const ROLE_LABELS: Record<StaffRole, string> = {
  social_worker: "Social worker",
  support_planner: "Support planner",
  team_manager: "Team manager",
  funding_panel_member: "Funding panel member",
  finance_officer: "Finance officer",
  commissioner: "Commissioner",
  administrator: "Administrator",
};

/**
 * What each role may do. Commissioners see aggregate reports, not individual records; only practitioners and
 * their managers record assessments.
 */
const PERMISSIONS = {
  "people:read": [
    "social_worker",
    "support_planner",
    "team_manager",
    "funding_panel_member",
    "finance_officer",
    "administrator",
  ],
  // Add a person (page, API, import): the practitioners who first meet them, their managers, administrators.
  "people:write": ["social_worker", "support_planner", "team_manager", "administrator"],
  "assessment:read": [
    "social_worker",
    "support_planner",
    "team_manager",
    "funding_panel_member",
    "administrator",
  ],
  "assessment:write": ["social_worker", "team_manager"],
  "api_tokens:own": STAFF_ROLES,
  // Fit the RAS model to current packages, read the fit and equity report, and adopt a calibration.
  "ras:calibrate": ["administrator"],
  // Financial assessments and the money statement: who may read them, who records them, who sets the council's
  // charging policy and the figures it supplies.
  "charging:read": [
    "social_worker",
    "support_planner",
    "team_manager",
    "funding_panel_member",
    "finance_officer",
    "administrator",
  ],
  "charging:write": ["finance_officer", "team_manager"],
  "charging:settings": ["finance_officer", "administrator"],
  // The provider and service directory: every member of staff may search and read it (it lists organisations,
  // not people); administrators add and edit providers, import and export it, and set its approved-list rule.
  "directory:read": STAFF_ROLES,
  "directory:manage": ["administrator"],
  // Funding streams and payer order (read when planning); the council's dated funding settings (streams, pots,
  // payer order, delegated authority, allocation overrides) are changed by administrators.
  "funding:read": STAFF_ROLES,
  "funding:settings": ["administrator"],
  // People's online accounts (features/accounts): give a person or their representative a code to link an
  // account, record and end representatives; and set the council's GOV.UK One Login client.
  "portal:manage": ["social_worker", "support_planner", "team_manager", "administrator"],
  "portal:configure": ["administrator"],
  // Support plans (features/planning): practitioners and managers read and write drafts; who may approve a
  // given plan is decided by the council's delegated authority (funding settings), among these roles.
  "plans:read": [
    "social_worker",
    "support_planner",
    "team_manager",
    "funding_panel_member",
    "finance_officer",
    "administrator",
  ],
  "plans:write": ["social_worker", "support_planner", "team_manager"],
  "plans:approve": [
    "social_worker",
    "support_planner",
    "team_manager",
    "funding_panel_member",
    "finance_officer",
    "administrator",
  ],
  // Changing an indicative allocation by hand, with a reason; above the council's threshold it needs an approver.
  "allocation:override": ["social_worker", "team_manager"],
  // Reviews, the caseload of reviews due, and people's requests to look at a decision again.
  "reviews:read": [
    "social_worker",
    "support_planner",
    "team_manager",
    "funding_panel_member",
    "administrator",
  ],
  "reviews:write": ["social_worker", "support_planner", "team_manager"],
  // Money (features/budgets, ledger, payments, spending): practitioners see a person's budget; finance moves money.
  "budgets:read": [
    "social_worker",
    "support_planner",
    "team_manager",
    "funding_panel_member",
    "finance_officer",
    "administrator",
  ],
  "ledger:read": ["finance_officer", "administrator"],
  "payments:run": ["finance_officer"],
  "payments:approve": ["finance_officer"],
  "bank_details:manage": ["finance_officer"],
  "spending:manage": ["finance_officer"],
  "surplus:approve": ["finance_officer"],
  // Ending a live budget stops its payments and reviews at once, with no plan to approve: managers and panel only.
  "budgets:end": ["team_manager", "funding_panel_member"],
  // Money owed back after a budget ends: finance records it recovered (a ledger transfer) or writes it off.
  "debts:manage": ["finance_officer"],
  // Staff administration (features/staff): add staff, change their roles and team, deactivate them; teams.
  "staff:manage": ["administrator"],
  // The one task list (features/tasks): every member of staff has one (their own, and their role group's).
  "tasks:read": STAFF_ROLES,
  // Referrals (requests for support, features/referrals): practitioners read them; intake records and closes them.
  "referrals:read": [
    "social_worker",
    "support_planner",
    "team_manager",
    "funding_panel_member",
    "administrator",
  ],
  "referrals:write": ["social_worker", "team_manager"],
  // Direct-payment audits (features/dp-audits): finance works the queue and decides audits; finance and
  // administrators set the council's dated audit settings.
  "dp_audits:manage": ["finance_officer"],
  "dp_audits:settings": ["finance_officer", "administrator"],
  // NHS England's Client Level Data return (features/reports): a record per person and event, so it lists the
  // people whose records fail its checks; made and checked by the commissioner who sends the council's returns.
  "returns:cld": ["commissioner"],
  // The commissioner's reports (features/reports): aggregate figures, no one's record. Commissioners, the managers
  // who run the teams, finance (the money report) and administrators.
  "commissioning:read": ["commissioner", "team_manager", "finance_officer", "administrator"],
  // The public fairness dashboard's settings (features/reports): how few people a figure may be about before it is
  // hidden, and the margin that names a group. A council setting: administrators.
  "fairness:settings": ["administrator"],
} as const satisfies Record<string, readonly StaffRole[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Every permission, in the order above. */
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

/** What these roles may do: every permission one of them holds, in the order above. */
export function permissionsOf(roles: readonly StaffRole[]): Permission[] {
  return ALL_PERMISSIONS.filter((permission) => can(roles, permission));
}

/**
 * What an API token may be given (its scopes): any permission its creator holds, except owning tokens, which
 * needs a signed-in session (a token never makes or revokes tokens).
 */
export function tokenScopesFor(roles: readonly StaffRole[]): Permission[] {
  return permissionsOf(roles).filter((permission) => permission !== "api_tokens:own");
}

/** Each permission in plain words, as "Your account" offers it for a token (the string is shown beside it). */
export const PERMISSION_LABELS: Record<Permission, string> = {
  "people:read": "Find and read people's records",
  "people:write": "Add people",
  "assessment:read": "Read assessments",
  "assessment:write": "Record assessments",
  "api_tokens:own": "Make and revoke your own API tokens",
  "ras:calibrate": "Calibrate the resource allocation system",
  "charging:read": "Read financial assessments",
  "charging:write": "Record financial assessments",
  "charging:settings": "Change the charging policy and its figures",
  "directory:read": "Search the provider directory",
  "directory:manage": "Change the provider directory",
  "funding:read": "Read funding streams",
  "funding:settings": "Change the funding settings",
  "portal:manage": "Manage people's online accounts",
  "portal:configure": "Set up GOV.UK One Login",
  "plans:read": "Read support plans",
  "plans:write": "Write support plans",
  "plans:approve": "Approve support plans",
  "allocation:override": "Change an indicative allocation",
  "reviews:read": "Read reviews",
  "reviews:write": "Record reviews",
  "budgets:read": "Read personal budgets",
  "ledger:read": "Read ledger accounts and statements",
  "payments:run": "Prepare payment runs",
  "payments:approve": "Approve payment runs",
  "bank_details:manage": "Change payees' bank details",
  "spending:manage": "Record spending and make ledger transfers",
  "surplus:approve": "Approve surplus recovery",
  "budgets:end": "End personal budgets",
  "debts:manage": "Recover or write off money owed",
  "staff:manage": "Manage staff",
  "tasks:read": "Read tasks",
  "referrals:read": "Read referrals",
  "referrals:write": "Record referrals",
  "dp_audits:manage": "Audit direct payments",
  "dp_audits:settings": "Change the direct-payment audit settings",
  "returns:cld": "Make the Client Level Data return",
  "commissioning:read": "Read the commissioner's reports",
  "fairness:settings": "Change the public fairness dashboard's settings",
};

export const isPermission = (value: string): value is Permission => Object.hasOwn(PERMISSIONS, value);

export function can(roles: readonly StaffRole[], permission: Permission): boolean {
  const allowed: readonly StaffRole[] = PERMISSIONS[permission];
  return roles.some((role) => allowed.includes(role));
}
