import type { Apportionment } from "#/features/funding/apportion.calc.ts";
import type { PlanStatus, RequiredApprover } from "#/features/planning/approval.calc.ts";
import type { BudgetFit, PlanCosting, PlanProblem } from "#/features/planning/plan.calc.ts";
import type { SupportPlanDraft } from "#/features/planning/schemas.ts";
import { ConflictError, type FieldError } from "#/platform/errors.ts";

/** What the planning service's use cases take and give back (planning/service.ts re-exports them). */

/** Who is editing a plan: a member of staff, or the person or their representative through the portal. */
export type PlanEditor =
  | { kind: "staff"; userId: string; name: string }
  | { kind: "person" | "representative"; accountId: string; name: string };

export type { PlanStatus, SupportPlanDraft };

export type PlanPersonSummary = {
  personId: string;
  givenName: string;
  familyName: string;
  /** "Given Family". */
  name: string;
};

/** One version of a plan as the history lists it. */
export type PlanVersionSummary = {
  version: number;
  status: PlanStatus;
  /** The indicative weekly allocation the version is costed against (after any applied or approved override). */
  indicativeWeeklyPence: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  submittedBy: string | null;
  submittedByName: string | null;
  submittedAt: Date | null;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  /** Returned: the reasons the person can read. Approved: empty. */
  decisionReasons: string[];
  /** The approver level the version needed (set on submit) and the level it was approved at. */
  requiredLevel: string | null;
  approverLevel: string | null;
};

/** One attributed change to a plan version. */
export type PlanChange = {
  changeId: string;
  version: number;
  actorKind: "staff" | "person" | "representative";
  actorId: string;
  actorName: string;
  summary: string;
  at: Date;
};

/** What the plan comes to, worked out afresh on every read of an open version (stored on submit). */
export type PlanAnalysis = {
  costing: PlanCosting;
  /** Against the version's indicative allocation. */
  fit: BudgetFit;
  /** Across the council's funding streams on `fundingDate`; null when the council has no funding settings then. */
  apportionment: Apportionment | null;
  /** The date the funding settings and delegated authority are read on (the start date once approved, else today). */
  fundingDate: string;
  /** Why there is no apportionment or required approver, in plain English; null when there is one. */
  fundingProblem: string | null;
  /** What stops the plan going for approval (errors) or should be looked at (warnings). */
  readiness: PlanProblem[];
  /** What the whole-plan schema refuses in this content (what submitting it now would refuse); [] when none. */
  schemaProblems: FieldError[];
  /** Who must approve it; null without funding settings. */
  required: RequiredApprover | null;
  /** The weekly contribution used for the apportionment, and where it came from. */
  contributionWeeklyPence: number;
  contributionNote: string;
};

/** The live budget a version made, in short. */
export type PlanBudgetSummary = {
  budgetId: string;
  status: "live" | "replaced" | "ended";
  startDate: string;
  endDate: string | null;
  weeklyPence: number;
};

/** The council-arranged package a plan replaced: its weekly cost and the date of that cost (previous-package.ts). */
export type PreviousPackage = { weeklyPence: number; date: string };

export type PlanView = {
  planId: string;
  person: PlanPersonSummary;
  assessmentId: string;
  /** The allocation the plan answers (the assessment's), when there is one. */
  allocationId: string | null;
  createdBy: string;
  createdAt: Date;
  latestVersion: number;
  /** Every version, oldest first. */
  versions: PlanVersionSummary[];
  /** The version shown (the latest, or the one asked for). */
  version: PlanVersionSummary;
  content: SupportPlanDraft;
  /** Who changed this version, oldest first (attribution). */
  changes: PlanChange[];
  analysis: PlanAnalysis;
  /** True when the version may be edited (draft or returned). */
  editable: boolean;
  /** The budget this version's approval made, if any. */
  budget: PlanBudgetSummary | null;
  /** The council-arranged package the plan replaced (its weekly cost and that cost's date), when recorded. */
  previousPackage: PreviousPackage | null;
};

export type PlanSummary = {
  planId: string;
  personId: string;
  assessmentId: string;
  latestVersion: number;
  status: PlanStatus;
  /** The latest approved (or superseded-by-nothing) version, if any. */
  approvedVersion: number | null;
  plannedWeeklyPence: number;
  indicativeWeeklyPence: number;
  updatedAt: Date;
};

export type ApprovalQueueItem = {
  planId: string;
  version: number;
  person: PlanPersonSummary;
  submittedBy: string;
  submittedByName: string;
  submittedAt: Date;
  plannedWeeklyPence: number;
  indicativeWeeklyPence: number;
  position: BudgetFit["position"];
  requiredLevel: { id: string; label: string } | null;
  /** Whether the signed-in member of staff may approve it, and why not. */
  mayApprove: boolean;
  whyNot: string[];
};

export type SubmitResult = {
  planId: string;
  version: number;
  status: "submitted";
  requiredLevel: { id: string; label: string };
  /** Warnings the approver will see (e.g. a provider off the approved list). */
  warnings: string[];
};

export type ApproveResult = {
  planId: string;
  version: number;
  budgetId: string;
  /** The budget this one replaced, if any. */
  replacedBudgetId: string | null;
  contributionWeeklyPence: number;
  contributionNote: string;
};

export type OverrideStatus = "applied" | "pending" | "approved" | "refused";

export type AllocationOverrideView = {
  overrideId: string;
  allocationId: string;
  fromWeeklyPence: number;
  toWeeklyPence: number;
  reason: string;
  status: OverrideStatus;
  requestedBy: string;
  requestedByName: string | null;
  requestedAt: Date;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  /** Why it applied at once or needs an approver, in plain English. */
  reasons: string[];
};

export type AllocationOverrides = {
  allocationId: string;
  /** The allocation as the RAS worked it out. */
  calculatedWeeklyPence: number;
  /** After the latest applied or approved override. */
  effectiveWeeklyPence: number;
  overrides: AllocationOverrideView[];
};

// ---- errors ------------------------------------------------------------------------------------------------------

/** A plan action refused by the rules (approval, return, submit), with every reason; nothing was written. */
export class PlanRefusedError extends ConflictError {
  readonly refusals: readonly { code: string; message: string }[];
  constructor(refusals: readonly { code: string; message: string }[]) {
    super(refusals.map((r) => r.message).join(" "));
    this.name = "PlanRefusedError";
    this.refusals = refusals;
  }
}
