import { can, type Permission } from "#/platform/auth/permissions.ts";
import type { StaffIdentity } from "./identity.ts";

type NavigationItem = { href: string; text: string; permission: Permission; alsoActiveFor?: string };

/** The staff header's links, in order; each shows only to roles that may open it. */
const NAVIGATION: readonly NavigationItem[] = [
  { href: "/people", text: "People", permission: "people:read", alsoActiveFor: "/assessments" },
  { href: "/admin/ras", text: "RAS model", permission: "ras:calibrate" },
  {
    href: "/charging",
    text: "Charging",
    permission: "charging:read",
    alsoActiveFor: "/financial-assessments",
  },
  { href: "/admin/one-login", text: "Sign-in for people", permission: "portal:configure" }, // features/accounts
  { href: "/approvals", text: "Approvals", permission: "plans:approve" }, // features/planning
  { href: "/reviews", text: "Reviews", permission: "reviews:read", alsoActiveFor: "/look-again" }, // features/reviews
  { href: "/payments", text: "Payments", permission: "payments:run", alsoActiveFor: "/payees" }, // features/payments
  {
    href: "/spending/card-feeds",
    text: "Spending",
    permission: "spending:manage",
    alsoActiveFor: "/surplus",
  }, // features/spending
  { href: "/dp-audits", text: "Audits", permission: "dp_audits:manage" }, // features/dp-audits
  { href: "/directory", text: "Directory", permission: "directory:read" },
  { href: "/returns/cld", text: "Client Level Data", permission: "returns:cld" }, // features/reports: NHS England's return
  { href: "/reports", text: "Reports", permission: "commissioning:read" }, // features/reports: the commissioner's reports
  { href: "/admin/funding", text: "Funding", permission: "funding:settings" },
  // The administrator's set-up checklist (faces/setup): what the council still needs before each step works.
  { href: "/admin/setup", text: "Set-up checklist", permission: "funding:settings" },
  { href: "/admin/staff", text: "Staff", permission: "staff:manage" }, // features/staff: staff and teams
  // features/reports: the public fairness dashboard's settings (small-number threshold, margin)
  { href: "/admin/fairness", text: "Fairness dashboard", permission: "fairness:settings" },
  // Everyone has a task list; it comes late so that no role's start page (the first link) changes.
  { href: "/tasks", text: "Tasks", permission: "tasks:read" }, // features/tasks: the one task list
  // Last: everyone may open it, so it is the start only for a role with nothing else.
  { href: "/account", text: "Your account", permission: "api_tokens:own" },
];

export type NavigationLink = { href: string; text: string; active: boolean };

export function navigationFor(staff: StaffIdentity | null, currentPath = ""): NavigationLink[] {
  if (!staff) return [];
  return NAVIGATION.filter((item) => can(staff.roles, item.permission)).map((item) => ({
    href: item.href,
    text: item.text,
    active:
      currentPath.startsWith(item.href) ||
      (item.alsoActiveFor !== undefined && currentPath.startsWith(item.alsoActiveFor)),
  }));
}

/** Where a member of staff starts: the first place in the header they may open. */
export function homeFor(staff: StaffIdentity): string {
  return navigationFor(staff)[0]?.href ?? "/account";
}
