/**
 * Support plans as use cases (Upfront issue 5): start a plan from the person's indicative allocation, edit a
 * draft (every edit attributed), submit it whole, approve it (proportionate, maker-checker) or return it with
 * reasons, and make a new version of an approved plan. Approval creates or replaces the live personal budget
 * (features/budgets) in the same transaction. Allocation overrides (a changed indicative allocation, with a
 * reason; above the council's threshold it waits for an approver) live here too.
 *
 * Every function is one tenant transaction with its audit events; every refusal says what to fix and writes
 * nothing. Each job has its own module; this file is the feature's one door for pages, the API and other
 * features.
 */

export {
  decideAllocationOverride,
  overridesFor,
  requestAllocationOverride,
  requestAllocationOverrideIn,
} from "#/features/planning/allocation-overrides.ts";
export {
  newPlanVersion,
  proposeDeploymentChangeIn,
  saveDraft,
  saveDraftIn,
  startPlan,
  startPlanIn,
} from "#/features/planning/drafting.ts";
export type { PlanProblem } from "#/features/planning/plan.calc.ts";
export { staffEditor, staffEditorIn } from "#/features/planning/plan-access.ts";
export {
  approvePlan,
  approvePlanIn,
  returnPlan,
  returnPlanIn,
  submitPlan,
  submitPlanIn,
} from "#/features/planning/plan-approval.ts";
export { describeDraftChange } from "#/features/planning/plan-changes.ts";
export {
  agreedPlanIn,
  approvalQueue,
  getPlan,
  getPlanVersion,
  plansForPerson,
} from "#/features/planning/plan-reads.ts";
export {
  type AllocationOverrides,
  type AllocationOverrideView,
  type ApprovalQueueItem,
  type ApproveResult,
  type OverrideStatus,
  type PlanAnalysis,
  type PlanBudgetSummary,
  type PlanChange,
  type PlanEditor,
  type PlanPersonSummary,
  PlanRefusedError,
  type PlanStatus,
  type PlanSummary,
  type PlanVersionSummary,
  type PlanView,
  type SubmitResult,
  type SupportPlanDraft,
} from "#/features/planning/plan-types.ts";
