import { authoriseIn } from "#/features/accounts/service.ts";
import { budgetForPlanVersionIn, createBudgetIn, liveBudgetOnIn } from "#/features/budgets/service.ts";
import {
  contributionForPlanIn,
  type PlanContribution,
  recordPlanContributionIn,
} from "#/features/charging/plan-contribution.ts";
import { providersForPlanIn } from "#/features/directory/service.ts";
import {
  type Apportionment,
  ApportionmentError,
  type ApportionStreamInput,
  apportion,
  linesFromCosting,
} from "#/features/funding/apportion.calc.ts";
import {
  allocationOverridePolicyIn,
  FundingSettingsMissingError,
  type FundingStreamsOn,
  fundingSettingsIn,
  fundingStreamsIn,
} from "#/features/funding/service.ts";
import { financialYearOf } from "#/features/funding/settings.calc.ts";
import { getPersonIn } from "#/features/people/service.ts";
import {
  checkApproval,
  checkOverrideApproval,
  checkReturn,
  decideAllocationOverride as decideOverrideCalc,
  type OverrideDecision,
  type PlanStatus,
  type RequiredApprover,
  requiredApprover,
} from "#/features/planning/approval.calc.ts";
import { budgetFromPlan, committedInYear } from "#/features/planning/budget.calc.ts";
import {
  type BudgetFit,
  budgetFit,
  costPlan,
  type PlanCosting,
  type PlanProblem,
  readinessProblems,
} from "#/features/planning/plan.calc.ts";
import * as repo from "#/features/planning/repository.ts";
import {
  allocationOverrideRequestSchema,
  type DelegatedAuthority,
  EMPTY_PLAN_DRAFT,
  type SupportPlan,
  type SupportPlanDraft,
  supportPlanDraftSchema,
  supportPlanSchema,
} from "#/features/planning/schemas.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { dayBefore } from "#/platform/dates/calendar.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import {
  ConflictError,
  type FieldError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from "#/platform/errors.ts";
import { pence } from "#/platform/money/pence.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { isCalendarDate } from "#/rules/index.ts";
import { supportCategories } from "#/vocabulary/support-categories.ts";

/**
 * Support plans as use cases (Upfront issue 5): start a plan from the person's indicative allocation, edit a
 * draft (every edit attributed), submit it whole, approve it (proportionate, maker-checker) or return it with
 * reasons, and make a new version of an approved plan. Approval creates or replaces the live personal budget
 * (features/budgets) in the same transaction. Allocation overrides (a changed indicative allocation, with a
 * reason; above the council's threshold it waits for an approver) live here too.
 *
 * Every function is one tenant transaction with its audit events; every refusal says what to fix and writes
 * nothing.
 */

// ---- types -----------------------------------------------------------------------------------------------------

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

// ---- helpers -----------------------------------------------------------------------------------------------------

const OPEN_STATUSES: readonly PlanStatus[] = ["draft", "submitted", "returned"];
const EDITABLE_STATUSES: readonly PlanStatus[] = ["draft", "returned"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function editorIdOf(editor: PlanEditor): string {
  return editor.kind === "staff" ? editor.userId : editor.accountId;
}

function parseContent(stored: unknown): SupportPlanDraft {
  // What is stored was checked on the way in; parsed again so a reader never trusts the column blindly.
  const parsed = supportPlanDraftSchema.safeParse(stored);
  return parsed.success ? parsed.data : EMPTY_PLAN_DRAFT;
}

function checkVersionNumber(version: number): void {
  if (!Number.isSafeInteger(version) || version < 1) throw new NotFoundError("That version of the plan");
}

async function loadPlan(tx: TenantTx, planId: string, lock = false) {
  const plan = UUID.test(planId) ? await repo.findPlan(tx, planId, lock) : undefined;
  if (!plan) throw new NotFoundError("The support plan");
  const versions = await repo.versionsOf(tx, [planId]);
  return { plan, versions, latest: versions[versions.length - 1]! };
}

function versionOf(versions: repo.VersionRow[], version: number): repo.VersionRow {
  checkVersionNumber(version);
  const found = versions.find((v) => v.version === version);
  if (!found) throw new NotFoundError("That version of the plan");
  return found;
}

/**
 * The editor is who the transaction says is acting: a member of staff as themselves, or a person's account
 * allowed to change this person's plan (the person, or a representative with the edit_plan scope).
 */
async function checkEditorIn(t: TxContext, personId: string, editor: PlanEditor): Promise<void> {
  const actor = t.tx.scope.actor;
  if (editor.kind === "staff") {
    if (actor.type === "person" || (await actingStaffIn(t.tx)).user_id !== editor.userId) {
      throw new ForbiddenError("Only the signed-in member of staff may edit as themselves");
    }
    return;
  }
  if (actor.type !== "person" || actor.id !== editor.accountId) {
    throw new ForbiddenError("Only the signed-in person may edit as themselves");
  }
  try {
    const decision = await authoriseIn(t, personId, "edit_plan");
    if ((decision.as === "self") !== (editor.kind === "person")) {
      throw new ForbiddenError("You are not signed in as the person this plan belongs to");
    }
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    // May they see the plan at all? Then say plainly why they may not change it.
    await authoriseIn(t, personId, "view");
    throw new ForbiddenError(
      "You can see this plan but not change it: the person has not agreed to you helping to write their plan",
    );
  }
}

/** A person's account may only read plans of people it may view. */
async function checkReaderIn(t: TxContext, personId: string): Promise<void> {
  if (t.tx.scope.actor.type === "person") await authoriseIn(t, personId, "view");
}

/** The member of staff acting: signed in, or through one of their API tokens. */
async function actingStaffIn(tx: TenantTx) {
  const actor = tx.scope.actor;
  const userId =
    actor.type === "staff"
      ? actor.id
      : actor.type === "api_token" && actor.id
        ? await repo.userOfToken(tx, actor.id)
        : null;
  const user = userId ? await repo.staffUser(tx, userId) : undefined;
  if (!user) throw new ForbiddenError("Only a member of staff may do this");
  return user;
}

async function staffRolesIn(tx: TenantTx): Promise<{ userId: string; roles: string[] }> {
  const user = await actingStaffIn(tx);
  return { userId: user.user_id, roles: user.roles };
}

/** The allocation after the latest applied or approved override, with the overrides. */
async function effectiveAllocationIn(
  tx: TenantTx,
  allocationId: string,
  calculatedWeeklyPence: number,
): Promise<{ effectiveWeeklyPence: number; overrides: repo.OverrideRow[] }> {
  const overrides = await repo.overridesOf(tx, allocationId);
  const decided = overrides.filter((o) => o.status === "applied" || o.status === "approved");
  // An approved override takes effect when it is decided; applied ones when requested.
  const when = (o: repo.OverrideRow) => (o.decided_at ?? o.requested_at).getTime();
  const last = decided.sort((a, b) => when(a) - when(b) || (a.override_id < b.override_id ? -1 : 1)).at(-1);
  return { effectiveWeeklyPence: last ? last.to_weekly_pence : calculatedWeeklyPence, overrides };
}

async function planAllocationIn(
  tx: TenantTx,
  plan: repo.PlanRow,
): Promise<{ allocationId: string | null; weeklyPence: number | null }> {
  const facts = await repo.allocationOfAssessment(tx, plan.assessment_id);
  if (!facts?.allocation_id || facts.weekly_pence === null) return { allocationId: null, weeklyPence: null };
  const { effectiveWeeklyPence } = await effectiveAllocationIn(tx, facts.allocation_id, facts.weekly_pence);
  return { allocationId: facts.allocation_id, weeklyPence: effectiveWeeklyPence };
}

/**
 * The funding streams open to this person on a date, each with what its pot has left. What the person's own
 * live budget has committed from the date on is added back: the new plan would replace it from then.
 */
async function streamsForPersonIn(
  tx: TenantTx,
  on: FundingStreamsOn,
  personId: string,
  date: string,
  content: SupportPlanDraft,
): Promise<ApportionStreamInput[]> {
  const own = await liveBudgetOnIn(tx, personId, date);
  const year = financialYearOf(date);
  return on.streams
    .filter((s) => s.kind !== "nhs_personal_health_budget" || content.nhsPersonalHealthBudget === true)
    .map((s) => {
      let ownFromDate = 0;
      if (own) {
        const lines = own.lines.filter((l) => l.streamId === s.id);
        const asIs = lines.map((l) => ({ ...own, weeklyPence: l.weeklyPence, oneOffPence: l.oneOffPence }));
        const ended = asIs.map((b) => ({ ...b, endDate: dayBefore(date) }));
        ownFromDate = committedInYear(asIs, year) - committedInYear(ended, year);
      }
      return {
        id: s.id,
        name: s.name,
        categories: s.categories,
        meansTested: s.meansTested,
        availablePence: pence(Math.max(0, s.annualPotPence - (s.committedPence - ownFromDate))),
      };
    });
}

type Analysed = PlanAnalysis & { authority: DelegatedAuthority | null; contribution: PlanContribution };

/** Costing, fit, apportionment, readiness and the approver needed, for content on a date. Reads only. */
async function analyseIn(
  t: TxContext,
  personId: string,
  content: SupportPlanDraft,
  indicativeWeeklyPence: number,
  date: string,
): Promise<Analysed> {
  const plan = content as SupportPlan; // costing reads only the supports, which the draft schema checks
  const costing = costPlan(plan);
  const fit = budgetFit(costing, pence(indicativeWeeklyPence), content.overAllocationReason);
  const whole = supportPlanSchema.safeParse(content);
  const schemaProblems = whole.success ? [] : fieldErrorsFrom(whole.error);
  // The contribution for this plan's cost: the financial assessment worked out again where its cost differs.
  const contribution = await contributionForPlanIn(t, personId, costing.weeklyPence, date);

  const providerIds = content.supports.flatMap((s) =>
    (s.from.kind === "provider" || s.from.kind === "personal_assistant") && s.from.providerId
      ? [s.from.providerId]
      : [],
  );
  const directory = await providersForPlanIn(t, providerIds);
  const readiness = readinessProblems(plan, fit, {
    supportCategories: supportCategories().map((c) => c.id),
    providers: (id) => directory.providers.get(id),
    allowProvidersOffApprovedList: directory.allowProvidersOffApprovedList,
  });

  let apportionment: Apportionment | null = null;
  let fundingProblem: string | null = null;
  let authority: DelegatedAuthority | null = null;
  let required: RequiredApprover | null = null;
  const settings = await fundingSettingsIn(t, date);
  if (!settings) {
    fundingProblem = new FundingSettingsMissingError(date).message;
  } else {
    authority = settings.settings.delegatedAuthority;
    required = requiredApprover(fit, authority);
    const on = await fundingStreamsIn(t, date);
    try {
      apportionment = apportion({
        lines: linesFromCosting(costing),
        streams: await streamsForPersonIn(t.tx, on, personId, date, content),
        payerOrder: on.payerOrder,
        periodWeeks: on.periodWeeks,
        contributionWeeklyPence: pence(contribution.weeklyPence),
      });
    } catch (error) {
      if (!(error instanceof ApportionmentError)) throw error;
      fundingProblem = `The plan cannot be split across the funding streams yet: ${error.message}`;
    }
  }
  return {
    costing,
    fit,
    apportionment,
    fundingDate: date,
    fundingProblem,
    readiness,
    schemaProblems,
    required,
    contributionWeeklyPence: contribution.weeklyPence,
    contributionNote: contribution.note,
    authority,
    contribution,
  };
}

function strip({ authority: _a, contribution: _c, ...analysis }: Analysed): PlanAnalysis {
  return analysis;
}

function toSummary(v: repo.VersionRow, names: Map<string, string>): PlanVersionSummary {
  const reasons = Array.isArray(v.decision_reasons) ? (v.decision_reasons as string[]) : [];
  return {
    version: v.version,
    status: v.status,
    indicativeWeeklyPence: v.indicative_weekly_pence,
    createdBy: v.created_by,
    createdAt: v.created_at,
    updatedAt: v.updated_at,
    submittedBy: v.submitted_by,
    submittedByName: v.submitted_by ? (names.get(v.submitted_by) ?? null) : null,
    submittedAt: v.submitted_at,
    decidedBy: v.decided_by,
    decidedByName: v.decided_by ? (names.get(v.decided_by) ?? null) : null,
    decidedAt: v.decided_at,
    decisionReasons: v.status === "approved" || v.status === "superseded" ? [] : reasons,
    requiredLevel: v.required_level,
    approverLevel: v.approver_level,
  };
}

function toChange(c: repo.ChangeRow): PlanChange {
  return {
    changeId: c.change_id,
    version: c.version,
    actorKind: c.actor_kind,
    actorId: c.actor_id,
    actorName: c.actor_name,
    summary: c.summary,
    at: c.at,
  };
}

/** Names for submitted_by / decided_by: staff names, and the change rows' names for people's accounts. */
async function namesIn(tx: TenantTx, versions: repo.VersionRow[], changes: repo.ChangeRow[]) {
  const ids = versions.flatMap((v) => [v.submitted_by, v.decided_by].filter((x): x is string => x !== null));
  const names = await repo.staffNames(tx, ids);
  for (const c of changes) if (!names.has(c.actor_id)) names.set(c.actor_id, c.actor_name);
  return names;
}

/** Everyone who wrote or edited a version: its creator, every change's author and its submitter. */
function editorIdsOf(version: repo.VersionRow, changes: repo.ChangeRow[]): string[] {
  return [
    ...new Set([
      version.created_by,
      ...changes.filter((c) => c.version === version.version).map((c) => c.actor_id),
      ...(version.submitted_by ? [version.submitted_by] : []),
    ]),
  ];
}

async function viewIn(t: TxContext, planId: string, wanted: number | null): Promise<PlanView> {
  const { tx } = t;
  const { plan, versions, latest } = await loadPlan(tx, planId);
  await checkReaderIn(t, plan.person_id);
  const row = wanted === null ? latest : versionOf(versions, wanted);
  const person = await getPersonIn(t, plan.person_id);
  const changes = await repo.changesOf(tx, planId);
  const names = await namesIn(tx, versions, changes);
  const content = parseContent(row.content);
  const editable = EDITABLE_STATUSES.includes(row.status);
  const allocation = await planAllocationIn(tx, plan);
  const budget = await budgetForPlanVersionIn(tx, planId, row.version);

  // An open version follows the allocation as it is now (overrides included); a decided one keeps its own.
  const indicative =
    OPEN_STATUSES.includes(row.status) && allocation.weeklyPence !== null
      ? allocation.weeklyPence
      : row.indicative_weekly_pence;
  const date = budget?.startDate ?? t.today;
  const analysis = strip(await analyseIn(t, plan.person_id, content, indicative, date));
  if (!editable && row.costing && row.fit) {
    // What was submitted (or approved) is shown as it was decided on.
    analysis.costing = row.costing as PlanCosting;
    analysis.fit = row.fit as BudgetFit;
    if (row.apportionment) analysis.apportionment = row.apportionment as Apportionment;
  }
  await audit(tx, {
    action: "view",
    recordType: "support_plan",
    recordId: planId,
    changes: { version: row.version, personId: plan.person_id },
  });
  return {
    planId,
    person: {
      personId: person.personId,
      givenName: person.givenName,
      familyName: person.familyName,
      name: `${person.givenName} ${person.familyName}`,
    },
    assessmentId: plan.assessment_id,
    allocationId: allocation.allocationId,
    createdBy: plan.created_by,
    createdAt: plan.created_at,
    latestVersion: latest.version,
    versions: versions.map((v) => toSummary(v, names)),
    version: toSummary(row, names),
    content,
    changes: changes.filter((c) => c.version === row.version).map(toChange),
    analysis,
    editable,
    budget: budget && {
      budgetId: budget.budgetId,
      status: budget.status,
      startDate: budget.startDate,
      endDate: budget.endDate,
      weeklyPence: budget.weeklyPence,
    },
  };
}

// ---- what changed, in plain words ----------------------------------------------------------------------------------

const quoted = (text: string) => `“${text.length > 60 ? `${text.slice(0, 57)}…` : text}”`;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A plain summary of what changed between two drafts ("Added the outcome “…”; Changed the cost of “…”"). */
export function describeDraftChange(before: SupportPlanDraft, after: SupportPlanDraft): string[] {
  const out: string[] = [];
  const diff = <T extends { id: string }>(
    a: readonly T[],
    b: readonly T[],
    what: string,
    label: (x: T) => string,
    changed: (x: T, y: T) => string[],
  ) => {
    const old = new Map(a.map((x) => [x.id, x]));
    const now = new Set(b.map((x) => x.id));
    for (const x of b) {
      const prev = old.get(x.id);
      if (!prev) out.push(`Added the ${what} ${quoted(label(x))}`);
      else if (!same(prev, x)) out.push(...changed(prev, x));
    }
    for (const x of a) if (!now.has(x.id)) out.push(`Removed the ${what} ${quoted(label(x))}`);
  };
  diff(
    before.outcomes,
    after.outcomes,
    "outcome",
    (o) => o.inTheirWords,
    (_o, n) => [`Changed the outcome ${quoted(n.inTheirWords)}`],
  );
  diff(
    before.supports,
    after.supports,
    "support",
    (s) => s.what,
    (o, n) => {
      const parts: string[] = [];
      if (!same(o.cost, n.cost)) parts.push(`Changed the cost of ${quoted(n.what)}`);
      if (o.deployment !== n.deployment) parts.push(`Changed how the money for ${quoted(n.what)} is used`);
      if (!same(o.from, n.from)) parts.push(`Changed who provides ${quoted(n.what)}`);
      if (!same(o.outcomeIds, n.outcomeIds))
        parts.push(`Changed which outcomes ${quoted(n.what)} helps to meet`);
      if (o.what !== n.what || o.category !== n.category || parts.length === 0) {
        parts.push(`Changed the support ${quoted(n.what)}`);
      }
      return parts;
    },
  );
  diff(
    before.risks,
    after.risks,
    "risk",
    (r) => r.description,
    (_o, n) => [`Changed the risk ${quoted(n.description)}`],
  );
  if (before.contingency !== after.contingency) {
    out.push(
      after.contingency
        ? before.contingency
          ? "Changed the contingency plan"
          : "Added the contingency plan"
        : "Removed the contingency plan",
    );
  }
  if (before.overAllocationReason !== after.overAllocationReason) {
    out.push(
      after.overAllocationReason
        ? "Changed the reason the plan needs more than the indicative budget"
        : "Removed the reason the plan needs more than the indicative budget",
    );
  }
  if ((before.nhsPersonalHealthBudget ?? false) !== (after.nhsPersonalHealthBudget ?? false)) {
    out.push(
      after.nhsPersonalHealthBudget
        ? "Said the NHS has agreed a personal health budget"
        : "Said there is no NHS personal health budget",
    );
  }
  return out;
}

function summaryText(lines: readonly string[]): string {
  const text = lines.join("; ");
  return text.length > 2000 ? `${text.slice(0, 1997)}…` : text;
}

async function recordChangeIn(
  tx: TenantTx,
  planId: string,
  version: number,
  editor: PlanEditor,
  summary: string,
): Promise<void> {
  await repo.insertChange(tx, {
    change_id: uuidv7(),
    plan_id: planId,
    version,
    actor_kind: editor.kind,
    actor_id: editorIdOf(editor),
    actor_name: editor.name.trim().slice(0, 200) || "Unknown",
    summary,
  });
}

function refuseUnlessEditable(row: repo.VersionRow, latest: repo.VersionRow): void {
  if (row.version !== latest.version) {
    throw new PlanRefusedError([
      {
        code: "superseded",
        message: `Version ${row.version} is not the latest version of this plan (version ${latest.version} is).`,
      },
    ]);
  }
  if (!EDITABLE_STATUSES.includes(row.status)) {
    throw new PlanRefusedError([
      {
        code: "not_editable",
        message:
          row.status === "submitted"
            ? "This version is waiting for approval, so it cannot be changed. An approver can return it if it needs changing."
            : "This version is approved and is never changed: start a new version to change the plan.",
      },
    ]);
  }
}

// ---- use cases ---------------------------------------------------------------------------------------------------

/** The editor for the signed-in member of staff (ctx.scope.actor), named from their staff record. */
export async function staffEditor(ctx: ServiceContext): Promise<PlanEditor> {
  return inTenant(ctx, async ({ tx }) => staffEditorIn(tx));
}

export async function staffEditorIn(tx: TenantTx): Promise<PlanEditor> {
  const user = await actingStaffIn(tx);
  return { kind: "staff", userId: user.user_id, name: user.name };
}

export async function startPlan(
  ctx: ServiceContext,
  input: { personId: string; editor: PlanEditor },
): Promise<{ planId: string; version: 1 }> {
  return inTenant(ctx, (t) => startPlanIn(t, input));
}

export async function startPlanIn(
  t: TxContext,
  input: { personId: string; editor: PlanEditor },
): Promise<{ planId: string; version: 1 }> {
  const { tx } = t;
  const person = await getPersonIn(t, input.personId);
  await checkEditorIn(t, person.personId, input.editor);
  const facts = await repo.latestSubmittedAssessment(tx, person.personId);
  if (!facts || facts.allocation_id === null || facts.weekly_pence === null) {
    throw new PlanRefusedError([
      {
        code: "no_allocation",
        message: `${person.givenName} ${person.familyName} has no submitted assessment with an indicative budget. Complete and submit their assessment first: a plan starts from the indicative budget.`,
      },
    ]);
  }
  const plans = await repo.plansOfPerson(tx, person.personId);
  const versions = await repo.versionsOf(
    tx,
    plans.map((p) => p.plan_id),
  );
  if (versions.some((v) => OPEN_STATUSES.includes(v.status))) {
    throw new PlanRefusedError([
      {
        code: "open_plan",
        message: `${person.givenName} ${person.familyName} already has a plan being written or waiting for approval: carry on with that one.`,
      },
    ]);
  }
  const { effectiveWeeklyPence } = await effectiveAllocationIn(tx, facts.allocation_id, facts.weekly_pence);
  const planId = uuidv7();
  const by = editorIdOf(input.editor);
  await repo.insertPlan(tx, {
    plan_id: planId,
    person_id: person.personId,
    assessment_id: facts.assessment_id,
    lead_worker_id: input.editor.kind === "staff" ? input.editor.userId : null,
    created_by: by,
  });
  await repo.insertVersion(tx, {
    plan_id: planId,
    version: 1,
    content: EMPTY_PLAN_DRAFT,
    indicative_weekly_pence: effectiveWeeklyPence,
    created_by: editorIdOf(input.editor),
  });
  await recordChangeIn(tx, planId, 1, input.editor, "Started the plan");
  await audit(tx, {
    action: "create",
    recordType: "support_plan",
    recordId: planId,
    changes: {
      personId: person.personId,
      assessmentId: facts.assessment_id,
      indicativeWeeklyPence: effectiveWeeklyPence,
      editor: { kind: input.editor.kind, id: editorIdOf(input.editor) },
    },
  });
  return { planId, version: 1 };
}

export async function getPlan(ctx: ServiceContext, planId: string): Promise<PlanView> {
  return inTenant(ctx, (t) => viewIn(t, planId, null));
}

export async function getPlanVersion(
  ctx: ServiceContext,
  planId: string,
  version: number,
): Promise<PlanView> {
  return inTenant(ctx, (t) => viewIn(t, planId, version));
}

export async function plansForPerson(ctx: ServiceContext, personId: string): Promise<PlanSummary[]> {
  return inTenant(ctx, async (t) => {
    const person = await getPersonIn(t, personId);
    await checkReaderIn(t, person.personId);
    const plans = await repo.plansOfPerson(t.tx, person.personId);
    const versions = await repo.versionsOf(
      t.tx,
      plans.map((p) => p.plan_id),
    );
    await audit(t.tx, { action: "view", recordType: "person_plans", recordId: person.personId });
    return plans.map((p) => {
      const mine = versions.filter((v) => v.plan_id === p.plan_id);
      const latest = mine[mine.length - 1]!;
      const approved = mine.filter((v) => v.status === "approved").at(-1);
      const costing = latest.costing as PlanCosting | null;
      return {
        planId: p.plan_id,
        personId: p.person_id,
        assessmentId: p.assessment_id,
        latestVersion: latest.version,
        status: latest.status,
        approvedVersion: approved?.version ?? null,
        plannedWeeklyPence:
          costing && !EDITABLE_STATUSES.includes(latest.status)
            ? costing.weeklyPence
            : costPlan(parseContent(latest.content) as SupportPlan).weeklyPence,
        indicativeWeeklyPence: latest.indicative_weekly_pence,
        updatedAt: latest.updated_at,
      };
    });
  });
}

export async function approvalQueue(ctx: ServiceContext): Promise<ApprovalQueueItem[]> {
  return inTenant(ctx, async (t) => {
    const { tx } = t;
    const me = await staffRolesIn(tx);
    const rows = await repo.submittedVersions(tx);
    const authority = (await fundingSettingsIn(t, t.today))?.settings.delegatedAuthority ?? null;
    const names = await repo.staffNames(
      tx,
      rows.flatMap((r) => (r.submitted_by ? [r.submitted_by] : [])),
    );
    const items: ApprovalQueueItem[] = [];
    for (const row of rows) {
      const person = await getPersonIn(t, row.person_id);
      const changes = await repo.changesOf(tx, row.plan_id);
      for (const c of changes) if (!names.has(c.actor_id)) names.set(c.actor_id, c.actor_name);
      const fit = row.fit as BudgetFit;
      const apportionment = row.apportionment as Apportionment | null;
      const decision = authority
        ? checkApproval({
            plan: {
              version: row.version,
              latestVersion: row.version,
              status: row.status,
              editorIds: editorIdsOf(row, changes),
            },
            fit,
            readiness: [],
            unfunded: apportionment?.unfunded ?? [],
            approver: me,
            authority,
          })
        : null;
      items.push({
        planId: row.plan_id,
        version: row.version,
        person: {
          personId: person.personId,
          givenName: person.givenName,
          familyName: person.familyName,
          name: `${person.givenName} ${person.familyName}`,
        },
        submittedBy: row.submitted_by!,
        submittedByName: names.get(row.submitted_by!) ?? row.submitted_by!,
        submittedAt: row.submitted_at!,
        plannedWeeklyPence: fit.plannedWeeklyPence,
        indicativeWeeklyPence: row.indicative_weekly_pence,
        position: fit.position,
        requiredLevel: decision
          ? { id: decision.required.level.id, label: decision.required.level.label }
          : null,
        mayApprove: decision?.allowed ?? false,
        whyNot: decision
          ? decision.refusals.map((r) => r.message)
          : ["The council has no funding settings in force today"],
      });
    }
    await audit(tx, { action: "view", recordType: "plan_approval_queue", recordId: tx.scope.tenantId });
    return items;
  });
}

export async function saveDraft(
  ctx: ServiceContext,
  planId: string,
  version: number,
  content: unknown,
  editor: PlanEditor,
  summary?: string,
): Promise<PlanView> {
  return inTenant(ctx, async (t) => {
    await saveDraftIn(t, planId, version, content, editor, summary);
    return viewIn(t, planId, version);
  });
}

export async function saveDraftIn(
  t: TxContext,
  planId: string,
  version: number,
  content: unknown,
  editor: PlanEditor,
  summary?: string,
): Promise<{ changed: boolean }> {
  const { tx } = t;
  const { plan, versions, latest } = await loadPlan(tx, planId, true);
  await checkEditorIn(t, plan.person_id, editor);
  const row = versionOf(versions, version);
  refuseUnlessEditable(row, latest);
  const parsed = supportPlanDraftSchema.safeParse(content);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error));
  const before = parseContent(row.content);
  const lines = describeDraftChange(before, parsed.data);
  if (lines.length === 0) return { changed: false };
  const allocation = await planAllocationIn(tx, plan);
  await repo.updateVersion(tx, planId, version, {
    content: parsed.data,
    status: "draft",
    ...(allocation.weeklyPence !== null ? { indicative_weekly_pence: allocation.weeklyPence } : {}),
  });
  await recordChangeIn(tx, planId, version, editor, summaryText(summary?.trim() ? [summary.trim()] : lines));
  await audit(tx, {
    action: "update",
    recordType: "support_plan",
    recordId: planId,
    changes: {
      version,
      changed: lines,
      ...(row.status === "returned" ? { status: { from: "returned", to: "draft" } } : {}),
      editor: { kind: editor.kind, id: editorIdOf(editor) },
    },
  });
  return { changed: true };
}

export async function submitPlan(
  ctx: ServiceContext,
  planId: string,
  version: number,
  editor: PlanEditor,
): Promise<SubmitResult> {
  return inTenant(ctx, (t) => submitPlanIn(t, planId, version, editor));
}

export async function submitPlanIn(
  t: TxContext,
  planId: string,
  version: number,
  editor: PlanEditor,
): Promise<SubmitResult> {
  const { tx } = t;
  const { plan, versions, latest } = await loadPlan(tx, planId, true);
  await checkEditorIn(t, plan.person_id, editor);
  const row = versionOf(versions, version);
  refuseUnlessEditable(row, latest);
  const stored = parseContent(row.content);
  const whole = supportPlanSchema.safeParse(stored);
  if (!whole.success) {
    throw new ValidationError(
      fieldErrorsFrom(whole.error),
      "The plan is not complete: put these right before sending it for approval",
    );
  }
  const allocation = await planAllocationIn(tx, plan);
  const indicative = allocation.weeklyPence ?? row.indicative_weekly_pence;
  const analysis = await analyseIn(t, plan.person_id, stored, indicative, t.today);
  const errors: FieldError[] = analysis.readiness
    .filter((p) => p.severity === "error")
    .map((p) => ({ path: p.path, message: p.message }));
  if (errors.length > 0) {
    throw new ValidationError(
      errors,
      "The plan is not ready: put these right before sending it for approval",
    );
  }
  if (!analysis.required || !analysis.apportionment) {
    throw new ConflictError(analysis.fundingProblem ?? new FundingSettingsMissingError(t.today).message);
  }
  // The editor's own id (a staff user, not an API token), so maker-checker sees who wrote it.
  const by = editorIdOf(editor);
  await repo.updateVersion(tx, planId, version, {
    status: "submitted",
    indicative_weekly_pence: indicative,
    costing: analysis.costing,
    fit: analysis.fit,
    apportionment: analysis.apportionment,
    required_level: analysis.required.level.id,
    submitted_by: by,
    submitted_at: new Date(),
  });
  await recordChangeIn(tx, planId, version, editor, "Sent the plan for approval");
  const warnings = [
    ...analysis.readiness.filter((p) => p.severity === "warning").map((p) => p.message),
    ...analysis.apportionment.unfunded.map((u) => u.message),
  ];
  await audit(tx, {
    action: "submit",
    recordType: "support_plan",
    recordId: planId,
    changes: {
      version,
      plannedWeeklyPence: analysis.costing.weeklyPence,
      indicativeWeeklyPence: indicative,
      requiredLevel: analysis.required.level.id,
      unfunded: analysis.apportionment.unfunded.length,
    },
  });
  return {
    planId,
    version,
    status: "submitted",
    requiredLevel: { id: analysis.required.level.id, label: analysis.required.level.label },
    warnings,
  };
}

export async function approvePlan(
  ctx: ServiceContext,
  planId: string,
  version: number,
  input: { startDate: string },
): Promise<ApproveResult> {
  return inTenant(ctx, (t) => approvePlanIn(t, planId, version, input));
}

export async function approvePlanIn(
  t: TxContext,
  planId: string,
  version: number,
  input: { startDate: string },
): Promise<ApproveResult> {
  const { tx } = t;
  const approver = await staffRolesIn(tx);
  const { plan, versions, latest } = await loadPlan(tx, planId, true);
  const row = versionOf(versions, version);
  const startDate = typeof input?.startDate === "string" ? input.startDate.trim() : "";
  if (!isCalendarDate(startDate)) {
    throw new ValidationError([
      { path: "startDate", message: "Give the date the budget starts, a real date written YYYY-MM-DD" },
    ]);
  }
  const content = parseContent(row.content);
  const analysis = await analyseIn(t, plan.person_id, content, row.indicative_weekly_pence, startDate);
  if (!analysis.authority || !analysis.apportionment) {
    throw new ConflictError(analysis.fundingProblem ?? new FundingSettingsMissingError(startDate).message);
  }
  const changes = await repo.changesOf(tx, planId);
  const decision = checkApproval({
    plan: {
      version: row.version,
      latestVersion: latest.version,
      status: row.status,
      editorIds: editorIdsOf(row, changes),
    },
    fit: analysis.fit,
    readiness: analysis.readiness,
    unfunded: analysis.apportionment.unfunded,
    approver,
    authority: analysis.authority,
  });
  const whole = supportPlanSchema.safeParse(content);
  const refusals: { code: string; message: string }[] = [...decision.refusals];
  if (!whole.success && row.status === "submitted") {
    refusals.push({
      code: "not_ready",
      message: `The plan is not complete: ${fieldErrorsFrom(whole.error)
        .map((e) => e.message)
        .join("; ")}.`,
    });
  }
  const live = await liveBudgetOnIn(tx, plan.person_id, startDate);
  if (live && live.startDate > startDate) {
    refusals.push({
      code: "start_date",
      message: `The person's current budget starts on ${dateInWords(live.startDate)}: the new budget must start on or after that date.`,
    });
  }
  if (refusals.length > 0) throw new PlanRefusedError(refusals);

  const sources = content.supports.map((s) => ({
    supportId: s.id,
    what: s.what,
    providerId:
      (s.from.kind === "provider" || s.from.kind === "personal_assistant") && s.from.providerId
        ? s.from.providerId
        : null,
    payeeName:
      s.from.kind === "provider" || (s.from.kind === "personal_assistant" && s.from.name)
        ? (s.from.name ?? null)
        : null,
  }));
  const budget = budgetFromPlan(analysis.costing, analysis.apportionment, sources);
  // A contribution worked out again with the plan's cost is recorded as the assessment's next version.
  const financialAssessmentId = await recordPlanContributionIn(t, plan.person_id, analysis.contribution, {
    planId,
    version,
  });
  const created = await createBudgetIn(tx, {
    personId: plan.person_id,
    planId,
    planVersion: version,
    startDate,
    budget,
    financialAssessmentId,
    approvedBy: approver.userId,
  });
  for (const earlier of versions.filter((v) => v.status === "approved")) {
    await repo.updateVersion(tx, planId, earlier.version, { status: "superseded" });
  }
  await repo.updateVersion(tx, planId, version, {
    status: "approved",
    costing: analysis.costing,
    fit: analysis.fit,
    apportionment: analysis.apportionment,
    decided_by: approver.userId,
    decided_at: new Date(),
    decision_reasons: [],
    approver_level:
      decision.approverLevelIndex === null
        ? null
        : (analysis.authority.levels[decision.approverLevelIndex]?.id ?? null),
  });
  await audit(tx, {
    action: "approve",
    recordType: "support_plan",
    recordId: planId,
    changes: {
      version,
      startDate,
      budgetId: created.budgetId,
      replacedBudgetId: created.replacedBudgetId,
      requiredLevel: decision.required.level.id,
      weeklyPence: budget.weeklyPence,
      contributionWeeklyPence: budget.contributionWeeklyPence,
    },
  });
  return {
    planId,
    version,
    budgetId: created.budgetId,
    replacedBudgetId: created.replacedBudgetId,
    contributionWeeklyPence: budget.contributionWeeklyPence,
    contributionNote: analysis.contributionNote,
  };
}

export async function returnPlan(
  ctx: ServiceContext,
  planId: string,
  version: number,
  reasons: string[],
): Promise<void> {
  return inTenant(ctx, (t) => returnPlanIn(t, planId, version, reasons));
}

export async function returnPlanIn(
  t: TxContext,
  planId: string,
  version: number,
  reasons: string[],
): Promise<void> {
  const { tx } = t;
  const returner = await staffRolesIn(tx);
  const { versions, latest } = await loadPlan(tx, planId, true);
  const row = versionOf(versions, version);
  const cleaned = (Array.isArray(reasons) ? reasons : [])
    .filter((r): r is string => typeof r === "string")
    .map((r) => r.trim())
    .filter((r) => r !== "");
  const tooLong = cleaned.findIndex((r) => r.length > 2000);
  if (tooLong >= 0) {
    throw new ValidationError([
      { path: `reasons[${tooLong}]`, message: "Keep each reason to 2000 characters" },
    ]);
  }
  const authority = (await fundingSettingsIn(t, t.today))?.settings.delegatedAuthority;
  if (!authority) throw new FundingSettingsMissingError(t.today);
  const decision = checkReturn({
    plan: { version: row.version, latestVersion: latest.version, status: row.status, editorIds: [] },
    reasons: cleaned,
    returner,
    authority,
  });
  if (!decision.allowed) throw new PlanRefusedError(decision.refusals);
  await repo.updateVersion(tx, planId, version, {
    status: "returned",
    decided_by: returner.userId,
    decided_at: new Date(),
    decision_reasons: cleaned,
  });
  await audit(tx, {
    action: "return",
    recordType: "support_plan",
    recordId: planId,
    changes: { version, reasons: cleaned },
  });
}

export async function newPlanVersion(
  ctx: ServiceContext,
  planId: string,
  editor: PlanEditor,
): Promise<{ planId: string; version: number }> {
  return inTenant(ctx, async (t) => {
    const { tx } = t;
    const { plan, versions, latest } = await loadPlan(tx, planId, true);
    await checkEditorIn(t, plan.person_id, editor);
    const open = versions.find((v) => OPEN_STATUSES.includes(v.status));
    if (open) {
      throw new PlanRefusedError([
        {
          code: "open_version",
          message: `Version ${open.version} of this plan is still ${open.status === "submitted" ? "waiting for approval" : "being written"}: change that version instead.`,
        },
      ]);
    }
    const approved = versions.filter((v) => v.status === "approved").at(-1);
    if (!approved) {
      throw new PlanRefusedError([
        { code: "no_approved_version", message: "This plan has no approved version to start from." },
      ]);
    }
    const allocation = await planAllocationIn(tx, plan);
    const next = latest.version + 1;
    await repo.insertVersion(tx, {
      plan_id: planId,
      version: next,
      content: parseContent(approved.content),
      indicative_weekly_pence: allocation.weeklyPence ?? approved.indicative_weekly_pence,
      created_by: editorIdOf(editor),
    });
    await recordChangeIn(
      tx,
      planId,
      next,
      editor,
      `Started version ${next} from approved version ${approved.version}`,
    );
    await audit(tx, {
      action: "create",
      recordType: "plan_version",
      recordId: planId,
      changes: { version: next, from: approved.version },
    });
    return { planId, version: next };
  });
}

// ---- allocation overrides ------------------------------------------------------------------------------------------

async function overrideViewsIn(
  tx: TenantTx,
  rows: repo.OverrideRow[],
  policy: Parameters<typeof decideOverrideCalc>[1] | null,
): Promise<AllocationOverrideView[]> {
  const names = await repo.staffNames(
    tx,
    rows.flatMap((r) => [r.requested_by, ...(r.decided_by ? [r.decided_by] : [])]),
  );
  return rows.map((r) => {
    let decision: OverrideDecision | null = null;
    if (policy) {
      decision = decideOverrideCalc(
        { fromWeeklyPence: r.from_weekly_pence, toWeeklyPence: r.to_weekly_pence, reason: r.reason },
        policy,
      );
    }
    return {
      overrideId: r.override_id,
      allocationId: r.allocation_id,
      fromWeeklyPence: r.from_weekly_pence,
      toWeeklyPence: r.to_weekly_pence,
      reason: r.reason,
      status: r.status,
      requestedBy: r.requested_by,
      requestedByName: names.get(r.requested_by) ?? null,
      requestedAt: r.requested_at,
      decidedBy: r.decided_by,
      decidedByName: r.decided_by ? (names.get(r.decided_by) ?? null) : null,
      decidedAt: r.decided_at,
      decisionNote: r.decision_note,
      reasons: decision ? [...decision.reasons] : [],
    };
  });
}

async function findAllocationOrThrow(tx: TenantTx, allocationId: string) {
  const found = UUID.test(String(allocationId)) ? await repo.findAllocation(tx, allocationId) : undefined;
  if (!found) throw new NotFoundError("The allocation");
  return found;
}

export async function requestAllocationOverride(
  ctx: ServiceContext,
  input: { allocationId: string; toWeeklyPence: number; reason: string },
): Promise<AllocationOverrideView> {
  return inTenant(ctx, (t) => requestAllocationOverrideIn(t, input));
}

export async function requestAllocationOverrideIn(
  t: TxContext,
  input: { allocationId: string; toWeeklyPence: number; reason: string },
): Promise<AllocationOverrideView> {
  const { tx } = t;
  const requester = await staffRolesIn(tx);
  const allocation = await findAllocationOrThrow(tx, input.allocationId);
  await repo.lockAllocation(tx, allocation.allocation_id);
  const { effectiveWeeklyPence, overrides } = await effectiveAllocationIn(
    tx,
    allocation.allocation_id,
    allocation.weekly_pence,
  );
  const parsed = allocationOverrideRequestSchema.safeParse({
    fromWeeklyPence: effectiveWeeklyPence,
    toWeeklyPence: input.toWeeklyPence,
    reason: input.reason,
  });
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error));
  const policy = await allocationOverridePolicyIn(t, t.today);
  const decision = decideOverrideCalc(parsed.data, policy);
  const problems: FieldError[] = decision.problems.map((message) => ({
    path: message.startsWith("Give the reason") ? "reason" : "toWeeklyPence",
    message,
  }));
  if (overrides.some((o) => o.status === "pending")) {
    problems.push({
      path: "allocationId",
      message: "A change to this allocation is already waiting for an approver: it must be decided first.",
    });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  const overrideId = uuidv7();
  const status = decision.needsApprover ? "pending" : "applied";
  await repo.insertOverride(tx, {
    override_id: overrideId,
    allocation_id: allocation.allocation_id,
    from_weekly_pence: parsed.data.fromWeeklyPence,
    to_weekly_pence: parsed.data.toWeeklyPence,
    reason: parsed.data.reason,
    status,
    requested_by: requester.userId,
    decided_by: null,
    decided_at: null,
    decision_note: null,
  });
  await audit(tx, {
    action: status === "applied" ? "override" : "request_override",
    recordType: "allocation",
    recordId: allocation.allocation_id,
    changes: {
      overrideId,
      personId: allocation.person_id,
      fromWeeklyPence: parsed.data.fromWeeklyPence,
      toWeeklyPence: parsed.data.toWeeklyPence,
      reason: parsed.data.reason,
      status,
      reasons: decision.reasons,
    },
  });
  const row = (await repo.findOverride(tx, overrideId))!;
  return (await overrideViewsIn(tx, [row], policy))[0]!;
}

export async function decideAllocationOverride(
  ctx: ServiceContext,
  overrideId: string,
  input: { approve: boolean; note?: string },
): Promise<AllocationOverrideView> {
  return inTenant(ctx, async (t) => {
    const { tx } = t;
    const approver = await staffRolesIn(tx);
    const found = UUID.test(String(overrideId)) ? await repo.findOverride(tx, overrideId) : undefined;
    if (!found) throw new NotFoundError("The change to the allocation");
    await repo.lockAllocation(tx, found.allocation_id);
    const row = (await repo.findOverride(tx, overrideId, true))!;
    const note = typeof input?.note === "string" && input.note.trim() !== "" ? input.note.trim() : null;
    const problems: FieldError[] = [];
    if (typeof input?.approve !== "boolean") {
      problems.push({ path: "approve", message: "Say whether you approve the change: true or false" });
    }
    if (note !== null && note.length > 2000)
      problems.push({ path: "note", message: "Keep the note to 2000 characters" });
    if (input?.approve === false && note === null) {
      problems.push({
        path: "note",
        message: "Say why the change is refused, so the person who asked can read it",
      });
    }
    if (problems.length > 0) throw new ValidationError(problems);
    if (row.status !== "pending") {
      throw new PlanRefusedError([
        {
          code: "not_pending",
          message:
            row.status === "applied"
              ? "This change applied at once: it did not need approving."
              : `This change has already been ${row.status}.`,
        },
      ]);
    }
    const policy = await allocationOverridePolicyIn(t, t.today);
    const decision = decideOverrideCalc(
      { fromWeeklyPence: row.from_weekly_pence, toWeeklyPence: row.to_weekly_pence, reason: row.reason },
      policy,
    );
    // Whoever decides, approving or refusing, is an approver other than the requester (maker-checker).
    const allowed = checkOverrideApproval({
      decision: decision.needsApprover ? decision : { ...decision, approverRoles: policy.approverRoles },
      requestedBy: row.requested_by,
      approver,
    });
    if (!allowed.allowed) throw new PlanRefusedError(allowed.refusals);
    const status = input.approve ? "approved" : "refused";
    await repo.decideOverride(tx, overrideId, { status, decided_by: approver.userId, note });
    await audit(tx, {
      action: input.approve ? "approve_override" : "refuse_override",
      recordType: "allocation",
      recordId: row.allocation_id,
      changes: { overrideId, status, note },
    });
    const after = (await repo.findOverride(tx, overrideId))!;
    return (await overrideViewsIn(tx, [after], policy))[0]!;
  });
}

export async function overridesFor(ctx: ServiceContext, allocationId: string): Promise<AllocationOverrides> {
  return inTenant(ctx, async (t) => {
    const { tx } = t;
    const allocation = await findAllocationOrThrow(tx, allocationId);
    await checkReaderIn(t, allocation.person_id);
    const { effectiveWeeklyPence, overrides } = await effectiveAllocationIn(
      tx,
      allocation.allocation_id,
      allocation.weekly_pence,
    );
    const policy = await fundingSettingsIn(t, t.today);
    await audit(tx, {
      action: "view",
      recordType: "allocation_overrides",
      recordId: allocation.allocation_id,
    });
    return {
      allocationId: allocation.allocation_id,
      calculatedWeeklyPence: allocation.weekly_pence,
      effectiveWeeklyPence,
      overrides: await overrideViewsIn(tx, overrides, policy?.settings.allocationOverridePolicy ?? null),
    };
  });
}

// ---- seams for other features ------------------------------------------------------------------------------------

/** The weekly cost of the person's latest approved plan, with where it came from; null when there is none. */
export async function agreedPlanIn(
  tx: TenantTx,
  personId: string,
): Promise<{
  planId: string;
  version: number;
  weeklyPence: number;
  decidedAt: Date | null;
  apportionment: Apportionment | null;
} | null> {
  const row = await repo.latestApprovedVersionOfPerson(tx, personId);
  if (!row) return null;
  const costing = row.costing as PlanCosting | null;
  return {
    planId: row.plan_id,
    version: row.version,
    weeklyPence: costing?.weeklyPence ?? costPlan(parseContent(row.content) as SupportPlan).weeklyPence,
    decidedAt: row.decided_at,
    apportionment: row.apportionment as Apportionment | null,
  };
}

export type { PlanProblem };
