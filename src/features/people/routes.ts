import type { FastifyInstance, FastifyRequest } from "fastify";
import {
  type AssessmentSummary,
  latestAssessmentsFor,
  listAssessmentsForPerson,
} from "#/features/assessment/service.ts";
import { MAX_PAGE_SIZE } from "#/features/people/schemas.ts";
import { getPerson, listPeople } from "#/features/people/service.ts";
import { can } from "#/platform/auth/permissions.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { ValidationError } from "#/platform/errors.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";
import { requireStaff, scopeOf } from "#/platform/web/security.ts";

/** The people pages: find a person, and open their record with its assessments. */

const PAGE_SIZE = 25;

export const STATUS_TEXT: Record<AssessmentSummary["status"], string> = {
  draft: "Draft",
  submitted: "Submitted",
};

type PageLink = { number?: number; href?: string; current?: boolean; ellipsis?: boolean };

/** GOV.UK pagination items: first, last, and the pages either side of the current one, with gaps. */
export function paginationItems(
  page: number,
  totalPages: number,
  hrefFor: (page: number) => string,
): PageLink[] {
  const items: PageLink[] = [];
  let last = 0;
  for (let n = 1; n <= totalPages; n++) {
    if (n === 1 || n === totalPages || Math.abs(n - page) <= 1) {
      if (n - last > 1) items.push({ ellipsis: true });
      items.push({ number: n, href: hrefFor(n), current: n === page });
      last = n;
    }
  }
  return items;
}

export async function peopleRoutes(app: FastifyInstance, deps: RouteDeps) {
  const guard = { preHandler: requireStaff("people:read") };
  const context = (request: FastifyRequest): ServiceContext => ({
    db: deps.db,
    scope: scopeOf(request),
    today: deps.today(),
  });

  app.get("/people", guard, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const search = typeof query.search === "string" ? query.search.trim() : "";
    const pageText = typeof query.page === "string" ? query.page : "1";
    const page = /^[1-9][0-9]{0,5}$/.test(pageText) ? Number(pageText) : 1;
    const ctx = context(request);

    let result: Awaited<ReturnType<typeof listPeople>>;
    try {
      result = await listPeople(ctx, { search, page, pageSize: Math.min(PAGE_SIZE, MAX_PAGE_SIZE) });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const message = error.fieldErrors[0]?.message ?? "Check your search";
      return reply.code(400).render("people/views/list.njk", {
        title: "People",
        search,
        people: [],
        total: 0,
        errors: { search: message },
        errorList: [{ text: message, href: "#search" }],
      });
    }

    const latest = await latestAssessmentsFor(
      ctx,
      result.rows.map((person) => person.personId),
    );
    const totalPages = Math.max(1, Math.ceil(result.total / result.pageSize));
    const hrefFor = (n: number) => {
      const params = new URLSearchParams();
      if (search) params.set("search", search);
      if (n > 1) params.set("page", String(n));
      const qs = params.toString();
      return qs ? `/people?${qs}` : "/people";
    };
    const first = (result.page - 1) * result.pageSize + 1;
    return reply.render("people/views/list.njk", {
      title: search ? `People matching “${search}”` : "People",
      search,
      people: result.rows.map((person) => {
        const newest = latest.get(person.personId);
        return { ...person, latest: newest ? { ...newest, statusText: STATUS_TEXT[newest.status] } : null };
      }),
      total: result.total,
      showing: result.rows.length > 0 ? { from: first, to: first + result.rows.length - 1 } : null,
      pagination:
        totalPages > 1
          ? {
              previous: result.page > 1 ? { href: hrefFor(result.page - 1) } : undefined,
              next: result.page < totalPages ? { href: hrefFor(result.page + 1) } : undefined,
              items: paginationItems(result.page, totalPages, hrefFor),
              landmarkLabel: "Pages of results",
            }
          : null,
    });
  });

  app.get("/people/:personId", guard, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const ctx = context(request);
    const person = await getPerson(ctx, personId);
    const summaries = await listAssessmentsForPerson(ctx, person.personId);
    const mayReadAssessments = can(request.staff!.roles, "assessment:read");
    // Outcomes and budgets are part of the assessment record: only roles that may read it see them.
    const assessments = summaries.map((a) => {
      const eligible = mayReadAssessments ? a.eligible : null;
      return {
        ...a,
        statusText: STATUS_TEXT[a.status],
        outcome: eligible === null ? null : eligible ? "Eligible" : "Not eligible",
        weeklyPence: mayReadAssessments ? a.weeklyPence : null,
        hasBudget: mayReadAssessments && a.weeklyPence !== null,
      };
    });
    const draft = summaries.find((a) => a.status === "draft");
    const latestSubmitted = summaries.find((a) => a.status === "submitted");
    return reply.render("people/views/person.njk", {
      title: `${person.givenName} ${person.familyName}`,
      backLink: "/people",
      person,
      assessments,
      mayReadAssessments,
      mayWrite: can(request.staff!.roles, "assessment:write"),
      mayReadCharging: can(request.staff!.roles, "charging:read"),
      mayReadBudget: can(request.staff!.roles, "budgets:read"),
      draft,
      latestSubmitted,
    });
  });
}
