import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  closeReferral,
  FloodLimitError,
  findCouncil,
  recordReferral,
  referralsFor,
  selfRefer,
} from "#/features/referrals/service.ts";
import { REFERRAL_RETENTION_YEARS } from "#/features/referrals/settings.ts";
import { publicCouncilContact } from "#/features/tenants/contact-service.ts";
import type { Tenant } from "#/features/tenants/service.ts";
import { can } from "#/platform/auth/permissions.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { pageErrors } from "#/platform/web/page-errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";
import { rulesFor } from "#/rules/registry.ts";

/**
 * Referrals pages. Staff: /people/:id/referrals lists a person's requests for support, records one (date, route of
 * access, who made it) and closes an open one with an outcome from the statutory list. Public, no sign-in:
 * /{council}/self-referral, a short form with a privacy notice and a confirmation check; on sending, the reference
 * on a GOV.UK confirmation panel. Over the limits against flooding, a plain page (429). Every form carries the CSRF
 * token (the public one too: its seed cookie is set when the form page is shown).
 */

type Body = Record<string, string | string[] | undefined>;
const one = (body: Body, key: string) => {
  const v = body[key];
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? "";
};

type Typed = { day: string; month: string; year: string };
/** "2026-01-05" from three boxes; "" when all are empty; whatever was typed is kept for the page. */
function dateFrom(body: Body, name: string): { value: string; typed: Typed } {
  const typed = {
    day: one(body, `${name}-day`),
    month: one(body, `${name}-month`),
    year: one(body, `${name}-year`),
  };
  const value = `${typed.year.padStart(4, "0")}-${typed.month.padStart(2, "0")}-${typed.day.padStart(2, "0")}`;
  return { value: typed.day || typed.month || typed.year ? value : "", typed };
}
const typedToday = (today: string): Typed => {
  const [y, m, d] = today.split("-");
  return { day: String(Number(d)), month: String(Number(m)), year: y! };
};

const SELF_FIELDS = [
  "givenName",
  "familyName",
  "dateOfBirth-day",
  "postcode",
  "who",
  "yourName",
  "relationship",
  "personKnows",
  "phone",
  "email",
  "supportWanted",
  "confirm",
];

/** The app's secret keys the hash of a client address in the flood counts (referrals/service.ts clientHash). */
export type ReferralsRouteDeps = RouteDeps & { secret: string };

export async function referralsRoutes(app: FastifyInstance, deps: ReferralsRouteDeps) {
  personReferralRoutes(app, deps);
  selfReferralRoutes(app, deps);
}

/** Routes: staff: a person's referrals. */
function personReferralRoutes(app: FastifyInstance, deps: ReferralsRouteDeps) {
  const ctx = serviceContextFor(deps);

  const personPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: {
      record?: { values: Record<string, unknown>; errors: Record<string, string> };
      close?: { referralId: string; values: Record<string, unknown>; errors: Record<string, string> };
      errorList?: { text: string; href: string }[];
      problem?: string;
    } = {},
  ) => {
    const { personId } = request.params as { personId: string };
    const today = deps.today();
    const found = await referralsFor(ctx(request), personId);
    const lists = rulesFor(request.staff!.jurisdiction, today).referralLists.rules;
    const q = request.query as Record<string, string | undefined>;
    return reply
      .code(state.errorList?.length || state.problem ? 400 : 200)
      .render("referrals/views/person.njk", {
        title: `Referrals for ${found.person.name}`,
        backLink: `/people/${personId}`,
        found,
        lists,
        mayWrite: can(request.staff!.roles, "referrals:write"),
        record: state.record ?? { values: { receivedOn: typedToday(today) }, errors: {} },
        close: state.close,
        todayTyped: typedToday(today),
        errorList: state.errorList ?? [],
        problem: state.problem,
        done: q.done,
      });
  };

  app.get("/people/:personId/referrals", { preHandler: requireStaff("referrals:read") }, (request, reply) =>
    personPage(request, reply),
  );

  app.post(
    "/people/:personId/referrals",
    { preHandler: requireStaff("referrals:write") },
    async (request, reply) => {
      const { personId } = request.params as { personId: string };
      const body = (request.body ?? {}) as Body;
      const receivedOn = dateFrom(body, "receivedOn");
      const values = {
        receivedOn: receivedOn.typed,
        routeOfAccess: one(body, "routeOfAccess"),
        requestSource: one(body, "requestSource"),
      };
      try {
        await recordReferral(ctx(request), {
          personId,
          receivedOn: receivedOn.value,
          routeOfAccess: values.routeOfAccess,
          requestSource: values.requestSource,
        });
        return reply.redirect(`/people/${personId}/referrals?done=recorded`, 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const view = pageErrors(error.fieldErrors, (p) => (p === "receivedOn" ? "receivedOn-day" : p), [
          "receivedOn-day",
          "routeOfAccess",
          "requestSource",
        ]);
        return personPage(request, reply, {
          record: { values, errors: view.errors },
          errorList: view.errorList,
        });
      }
    },
  );

  app.post(
    "/people/:personId/referrals/:referralId/close",
    { preHandler: requireStaff("referrals:write") },
    async (request, reply) => {
      const { personId, referralId } = request.params as { personId: string; referralId: string };
      const body = (request.body ?? {}) as Body;
      const closedOn = dateFrom(body, `closedOn-${referralId}`);
      const values = { closedOn: closedOn.typed, outcome: one(body, "outcome") };
      try {
        await closeReferral(ctx(request), {
          referralId,
          personId,
          outcome: values.outcome,
          closedOn: closedOn.value,
        });
        return reply.redirect(`/people/${personId}/referrals?done=closed`, 303);
      } catch (error) {
        if (error instanceof ConflictError) return personPage(request, reply, { problem: error.message });
        if (!(error instanceof ValidationError)) throw error;
        // The close form's fields are named per referral, so the summary links to the right one.
        const view = pageErrors(
          error.fieldErrors,
          (p) => (p === "closedOn" ? `closedOn-${referralId}-day` : `${p}-${referralId}`),
          [`outcome-${referralId}`, `closedOn-${referralId}-day`],
        );
        return personPage(request, reply, {
          close: { referralId, values, errors: view.errors },
          errorList: view.errorList,
        });
      }
    },
  );
}

/** The council named in the path, or a 404 page (undefined) when there is none. */
async function council(
  deps: ReferralsRouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<Tenant | undefined> {
  const { council: slug } = request.params as { council: string };
  const tenant = await findCouncil(deps.db, slug);
  if (!tenant) {
    reply.code(404).render("error.njk", {
      title: "Page not found",
      paragraphs: ["There is no council at this address. If you typed the web address, check it is correct."],
    });
    return undefined;
  }
  return tenant;
}

// Pages holding someone's details are not kept by the browser or a shared computer.
const noStore = (reply: FastifyReply) => reply.header("cache-control", "no-store");

/** Routes: public: the self-referral form. */
function selfReferralRoutes(app: FastifyInstance, deps: ReferralsRouteDeps) {
  const formPage = async (
    reply: FastifyReply,
    tenant: Tenant,
    values: Record<string, unknown>,
    view: { errors: Record<string, string>; errorList: { text: string; href: string }[] } | null,
  ) =>
    noStore(reply)
      .code(view ? 400 : 200)
      .render("referrals/views/self-referral.njk", {
        councilContact: await publicCouncilContact(deps.db, tenant.tenantId),
        councilContactName: tenant.name,
        title: "Ask for help with care and support",
        serviceTitle: `Upfront – ${tenant.name}`,
        council: tenant,
        values,
        errors: view?.errors ?? {},
        errorList: view?.errorList ?? [],
        retentionYears: REFERRAL_RETENTION_YEARS,
      });

  app.get("/:council/self-referral", async (request, reply) => {
    const tenant = await council(deps, request, reply);
    if (!tenant) return reply;
    return formPage(reply, tenant, { dateOfBirth: { day: "", month: "", year: "" } }, null);
  });

  app.post("/:council/self-referral", async (request, reply) => {
    const tenant = await council(deps, request, reply);
    if (!tenant) return reply;
    const body = (request.body ?? {}) as Body;
    const dob = dateFrom(body, "dateOfBirth");
    const text = (k: string) => one(body, k);
    const values = {
      givenName: text("givenName"),
      familyName: text("familyName"),
      dateOfBirth: dob.typed,
      postcode: text("postcode"),
      phone: text("phone"),
      email: text("email"),
      who: text("who"),
      yourName: text("yourName"),
      relationship: text("relationship"),
      personKnows: text("personKnows"),
      supportWanted: text("supportWanted"),
      confirm: text("confirm"),
    };
    const input: Record<string, string> = { ...values, dateOfBirth: dob.value };
    // Empty boxes are "not given", so each check names what is missing rather than a wrong type.
    for (const k of Object.keys(input)) if (input[k] === "") delete input[k];
    try {
      const sent = await selfRefer(deps.db, tenant, input, {
        clientAddress: request.ip,
        addressKey: deps.secret,
        today: deps.today(),
      });
      return reply.redirect(
        `/${tenant.slug}/self-referral/sent?reference=${encodeURIComponent(sent.reference)}`,
        303,
      );
    } catch (error) {
      if (error instanceof FloodLimitError) {
        return noStore(reply)
          .code(429)
          .header("retry-after", "86400")
          .render("referrals/views/busy.njk", {
            title: "Sorry, we cannot take your request online today",
            serviceTitle: `Upfront – ${tenant.name}`,
            council: tenant,
            councilContact: await publicCouncilContact(deps.db, tenant.tenantId),
            councilContactName: tenant.name,
          });
      }
      if (!(error instanceof ValidationError)) throw error;
      const view = pageErrors(
        error.fieldErrors,
        (p) => (p === "dateOfBirth" ? "dateOfBirth-day" : p),
        SELF_FIELDS,
      );
      return formPage(reply, tenant, values, view);
    }
  });

  app.get("/:council/self-referral/sent", async (request, reply) => {
    const tenant = await council(deps, request, reply);
    if (!tenant) return reply;
    const { reference } = request.query as { reference?: string };
    if (!reference || !/^SR-[A-Z0-9]{8}$/.test(reference))
      return reply.redirect(`/${tenant.slug}/self-referral`, 303);
    return noStore(reply).render("referrals/views/sent.njk", {
      title: "Request sent",
      serviceTitle: `Upfront – ${tenant.name}`,
      council: tenant,
      reference,
      councilContact: await publicCouncilContact(deps.db, tenant.tenantId),
      councilContactName: tenant.name,
    });
  });
}
