import { addDays, daysBetween, weekday } from "#/platform/dates/calendar.ts";

/**
 * The commissioner's caseload flow: how many requests, assessments, eligibility decisions, agreed plans and
 * budgets started each week and each team; reviews held, and reviews overdue or due soon now; and the wait from
 * a request to the first payment. Pure: the facts come in (read through their owners' services), counts go out.
 *
 * Team rule: each event counts for the team of the member of staff who did it (the referral's recorder, the
 * assessment's submitter, the plan's lead worker or else its approver, the budget's approver, the review's
 * recorder); a review due counts for the plan's lead worker's team. Work by someone with no team, or by the
 * system (a self-referral), counts under "No team".
 *
 * Weeks run Monday to Sunday.
 */

/** One thing that happened on a date, done by someone in a team (null: no team). */
export type FlowEvent = { personId: string; on: string; teamId: string | null };

export const FLOW_MEASURES = [
  { id: "requests", label: "Requests for support" },
  { id: "assessments", label: "Assessments completed" },
  { id: "eligible", label: "Found eligible" },
  { id: "plansAgreed", label: "Plans agreed" },
  { id: "budgetsStarted", label: "Budgets started" },
  { id: "reviewsHeld", label: "Reviews held" },
] as const;
export type FlowMeasure = (typeof FLOW_MEASURES)[number]["id"];

export type CaseloadFacts = Record<FlowMeasure, readonly FlowEvent[]> & {
  /** Each live plan's next review (the reviews caseload), with the lead worker's team. */
  reviewsDue: readonly { personId: string; dueOn: string; teamId: string | null }[];
  /** Each budget's first payment date, by person. */
  firstPayments: readonly { personId: string; on: string }[];
};

export type CaseloadInput = {
  facts: CaseloadFacts;
  teams: readonly { teamId: string; name: string }[];
  /** The last day of the report (its week is the last week shown), YYYY-MM-DD. */
  to: string;
  weeks: number;
  /** A review falling due within this many days of `to` is "due soon" (the reviews settings). */
  dueSoonDays: number;
};

export type WeekRow = { weekStart: string; weekEnd: string } & Record<FlowMeasure, number> & {
    /** Next reviews (not yet held) that fall due in the week: overdue in past weeks, coming up in later ones. */
    reviewsFallingDue: number;
  };
export type TeamRow = { teamId: string | null; team: string } & Record<FlowMeasure, number> & {
    reviewsOverdue: number;
    reviewsDueSoon: number;
  };

export type WaitFigures = {
  /** Requests received in the report's weeks that have been followed by a first payment by `to`. */
  paid: number;
  /** Requests received in the report's weeks with no first payment yet. */
  waiting: number;
  medianDays: number | null;
  p90Days: number | null;
};

export type CaseloadReport = {
  from: string;
  to: string;
  weeks: WeekRow[];
  teams: TeamRow[];
  totals: Record<FlowMeasure, number> & { reviewsOverdue: number; reviewsDueSoon: number };
  wait: WaitFigures;
};

export const NO_TEAM = "No team";

/** The Monday on or before a date. */
export function weekStartOf(date: string): string {
  return addDays(date, -((weekday(date) + 6) % 7));
}

/**
 * The p-th percentile by the nearest-rank method: sort the values, and take the one at rank ⌈p/100 × n⌉
 * (counting from 1). It is always one of the values; the median is p = 50. Null for no values.
 */
export function nearestRank(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

const zeroMeasures = (): Record<FlowMeasure, number> =>
  Object.fromEntries(FLOW_MEASURES.map((m) => [m.id, 0])) as Record<FlowMeasure, number>;

/**
 * Wait from request to first payment: for each request received in [from, to], the days to the person's
 * earliest first payment on or after the request (and by `to`); requests with none are still waiting.
 */
export function waitToFirstPayment(
  requests: readonly FlowEvent[],
  firstPayments: CaseloadFacts["firstPayments"],
  from: string,
  to: string,
): WaitFigures {
  const byPerson = new Map<string, string[]>();
  for (const p of firstPayments) {
    if (p.on > to) continue;
    byPerson.set(p.personId, [...(byPerson.get(p.personId) ?? []), p.on]);
  }
  const days: number[] = [];
  let waiting = 0;
  for (const r of requests) {
    if (r.on < from || r.on > to) continue;
    const next = (byPerson.get(r.personId) ?? []).filter((d) => d >= r.on).sort()[0];
    if (next === undefined) waiting += 1;
    else days.push(daysBetween(r.on, next));
  }
  return { paid: days.length, waiting, medianDays: nearestRank(days, 50), p90Days: nearestRank(days, 90) };
}

export function caseloadReport(input: CaseloadInput): CaseloadReport {
  const lastWeek = weekStartOf(input.to);
  const from = addDays(lastWeek, -7 * (input.weeks - 1));
  const to = addDays(lastWeek, 6);
  const weeks: WeekRow[] = Array.from({ length: input.weeks }, (_, i) => {
    const weekStart = addDays(from, 7 * i);
    return { weekStart, weekEnd: addDays(weekStart, 6), ...zeroMeasures(), reviewsFallingDue: 0 };
  });
  const teamName = new Map(input.teams.map((t) => [t.teamId, t.name]));
  const teamRows = new Map<string | null, TeamRow>();
  const teamRow = (teamId: string | null): TeamRow => {
    const key = teamId !== null && teamName.has(teamId) ? teamId : null;
    let row = teamRows.get(key);
    if (!row) {
      row = {
        teamId: key,
        team: key === null ? NO_TEAM : teamName.get(key)!,
        ...zeroMeasures(),
        reviewsOverdue: 0,
        reviewsDueSoon: 0,
      };
      teamRows.set(key, row);
    }
    return row;
  };
  for (const t of input.teams) teamRow(t.teamId);
  const totals = { ...zeroMeasures(), reviewsOverdue: 0, reviewsDueSoon: 0 };
  for (const { id } of FLOW_MEASURES) {
    for (const e of input.facts[id]) {
      if (e.on < from || e.on > to) continue;
      weeks[Math.floor(daysBetween(from, e.on) / 7)]![id] += 1;
      teamRow(e.teamId)[id] += 1;
      totals[id] += 1;
    }
  }
  const soonUntil = addDays(input.to, input.dueSoonDays);
  for (const r of input.facts.reviewsDue) {
    if (r.dueOn >= from && r.dueOn <= to)
      weeks[Math.floor(daysBetween(from, r.dueOn) / 7)]!.reviewsFallingDue += 1;
    const status = r.dueOn < input.to ? "reviewsOverdue" : r.dueOn <= soonUntil ? "reviewsDueSoon" : null;
    if (status === null) continue;
    teamRow(r.teamId)[status] += 1;
    totals[status] += 1;
  }
  const teams = [...teamRows.values()].sort((a, b) =>
    a.teamId === null ? 1 : b.teamId === null ? -1 : a.team.localeCompare(b.team),
  );
  return {
    from,
    to,
    weeks,
    teams,
    totals,
    wait: waitToFirstPayment(input.facts.requests, input.facts.firstPayments, from, to),
  };
}
