import { describeSource } from "#/features/planning/forms.ts";
import { DEPLOYMENT_LABELS, type Deployment } from "#/features/planning/schemas.ts";
import type { PlanView } from "#/features/planning/service.ts";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";
import { supportCategories } from "#/vocabulary/support-categories.ts";

/** What the plan pages show: a plan view turned into the words and figures the templates print. */

const categoryLabel = (id: string) => supportCategories().find((c) => c.id === id)?.label ?? id;
const money = (p: number) => formatPounds(p as Pence);

export const STATUS_TEXT: Record<PlanView["version"]["status"], string> = {
  draft: "Draft",
  submitted: "Waiting for approval",
  approved: "Agreed",
  returned: "Returned for changes",
  superseded: "Replaced by a later version",
};
export const STATUS_TAG: Record<PlanView["version"]["status"], string> = {
  draft: "govuk-tag--grey",
  submitted: "govuk-tag--blue",
  approved: "govuk-tag--green",
  returned: "govuk-tag--orange",
  superseded: "govuk-tag--grey",
};

const ACTOR_TEXT: Record<"staff" | "person" | "representative", string> = {
  staff: "council staff",
  person: "the person",
  representative: "someone who acts for the person",
};

/** The budget fit in one plain line: "Over the budget by £12.50 a week". */
function fitHeadline(view: PlanView, budgetWord: string): string {
  const fit = view.analysis.fit;
  if (fit.position === "over") return `Over ${budgetWord} by ${money(fit.overByWeeklyPence)} a week`;
  if (fit.position === "under") return `${money(-fit.differenceWeeklyPence)} a week under ${budgetWord}`;
  return `Exactly ${budgetWord}`;
}

/** Everything the plan's pages show, worked out once from the service's view. */
/** Who the pages speak to, and where the plan's pages start (editor-kit.ts EditorAccess has both). */
type Reader = { audience: "staff" | "self" | "representative"; base: string };

export function planModel(view: PlanView, access: Reader) {
  const content = view.content;
  const costing = view.analysis.costing;
  const lineOf = new Map(costing.lines.map((l) => [l.supportId, l]));
  const outcomeText = new Map(content.outcomes.map((o) => [o.id, o.inTheirWords]));
  const budgetWord =
    access.audience === "self"
      ? "your budget"
      : access.audience === "representative"
        ? `${view.person.givenName}'s budget`
        : "the indicative budget";
  const apportionment = view.analysis.apportionment;
  return {
    planId: view.planId,
    person: view.person,
    version: {
      ...view.version,
      statusText: STATUS_TEXT[view.version.status],
      tagClass: STATUS_TAG[view.version.status],
    },
    latestVersion: view.latestVersion,
    editable: view.editable && view.version.version === view.latestVersion,
    budget: view.budget,
    budgetWord,
    outcomes: content.outcomes.map((o) => ({
      ...o,
      supportedBy: content.supports.filter((s) => s.outcomeIds.includes(o.id)).map((s) => s.what),
    })),
    supports: content.supports.map((s) => ({
      id: s.id,
      what: s.what,
      categoryText: categoryLabel(s.category),
      sourceText: describeSource(s),
      costText: lineOf.get(s.id)?.working ?? "",
      deploymentText: s.deployment
        ? DEPLOYMENT_LABELS[s.deployment]
        : "No money is deployed: it costs nothing",
      outcomesText: s.outcomeIds.map((id) => outcomeText.get(id) ?? "An outcome that has been removed"),
    })),
    risks: content.risks,
    contingency: content.contingency ?? null,
    overAllocationReason: content.overAllocationReason ?? null,
    fit: { ...view.analysis.fit, headline: fitHeadline(view, budgetWord) },
    costing,
    streams: apportionment
      ? apportionment.streams.filter((s) => s.grossWeeklyPence > 0 || s.oneOffPence > 0)
      : [],
    apportionment,
    deployments: costing.weeklyByDeployment
      .filter((d) => d.weeklyPence > 0 || d.oneOffPence > 0)
      .map((d) => ({ ...d, label: DEPLOYMENT_LABELS[d.deployment as Deployment] })),
    unfunded: apportionment?.unfunded ?? [],
    fundingProblem: view.analysis.fundingProblem,
    contributionWeeklyPence: view.analysis.contributionWeeklyPence,
    contributionNote: view.analysis.contributionNote,
    problems: view.analysis.readiness.filter((p) => p.severity === "error"),
    warnings: view.analysis.readiness.filter((p) => p.severity === "warning"),
    schemaProblems: view.analysis.schemaProblems,
    required: view.analysis.required,
    changes: view.changes.map((c) => ({ ...c, actorText: ACTOR_TEXT[c.actorKind] })),
    versions: view.versions.map((v) => ({
      ...v,
      statusText: STATUS_TEXT[v.status],
      tagClass: STATUS_TAG[v.status],
    })),
    returnedReasons:
      view.version.status === "returned" ||
      (view.version.status === "draft" && view.version.decisionReasons.length)
        ? view.version.decisionReasons
        : [],
  };
}
