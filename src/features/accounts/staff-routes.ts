import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { can } from "#/platform/auth/permissions.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";
import { AUTHORITY_LABELS, KIND_LABELS, REPRESENTATIVE_KINDS, SCOPE_LABELS, SCOPES } from "./access.calc.ts";
import {
  addRepresentative,
  endRepresentative,
  getOneLoginSettings,
  getOnlineAccess,
  type IssuedCode,
  issueClaimCode,
  type RepresentativeView,
  revokeClaimCode,
  saveOneLoginSettings,
} from "./service.ts";

/**
 * The staff side of people's online accounts: a page on each person's record (/people/:id/online-access) to
 * give them or a representative a code, record representatives with their kind, authority and scope, and end
 * them; and the council's GOV.UK One Login settings (/admin/one-login).
 */

const STATE_TEXT: Record<RepresentativeView["state"], string> = {
  current: "Can act now",
  awaiting_consent: "Waiting for the person to agree",
  consent_withdrawn: "The person withdrew their agreement",
  not_started: "Not started yet",
  expired: "Past its end date",
  ended: "Ended",
};

type Errors = Record<string, string>;
function errorsFrom(error: ValidationError): Errors {
  const errors: Errors = {};
  for (const e of error.fieldErrors) errors[e.path.split(/[.[]/)[0]!] ??= e.message;
  return errors;
}
// A date's error links to its first box.
const errorList = (errors: Errors) =>
  Object.entries(errors).map(([field, text]) => ({
    text,
    href: `#${field === "endsOn" ? "endsOn-day" : field}`,
  }));

/** The GOV.UK date input's three boxes as YYYY-MM-DD; null when all are empty; as typed when not a date. */
function dateFrom(body: Record<string, unknown>, name: string): string | null {
  const part = (k: string) =>
    typeof body[`${name}-${k}`] === "string" ? (body[`${name}-${k}`] as string).trim() : "";
  const [day, month, year] = [part("day"), part("month"), part("year")];
  if (!day && !month && !year) return null;
  return `${year.padStart(4, "0")}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
}

/** Checkboxes send one value as a string and several as an array. */
const asList = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : [];
const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v : null);

/** `allowLoopbackIssuer`: only when NODE_ENV=test, so the tests' local OpenID provider can be set. */
/** A person's online access page. */
const accessHref = (personId: string) => `/people/${personId}/online-access`;

export async function onlineAccessStaffRoutes(
  app: FastifyInstance,
  deps: RouteDeps & { allowLoopbackIssuer: boolean },
) {
  onlineAccessRoutes(app, deps);
  representativeRoutes(app, deps);
  oneLoginClientRoutes(app, deps);
}

/** Routes: a person's online access and claim codes. */
function onlineAccessRoutes(app: FastifyInstance, deps: RouteDeps & { allowLoopbackIssuer: boolean }) {
  const read = { preHandler: requireStaff("people:read") };
  const manage = { preHandler: requireStaff("portal:manage") };
  const context = serviceContextFor(deps);

  async function renderAccess(
    request: FastifyRequest,
    reply: FastifyReply,
    personId: string,
    extra: { issued?: IssuedCode; notice?: string } = {},
  ) {
    const access = await getOnlineAccess(context(request), personId);
    const { person } = access;
    return reply.render("accounts/views/online-access.njk", {
      title: `Online account: ${person.givenName} ${person.familyName}`,
      backLink: `/people/${person.personId}`,
      ...access,
      representatives: access.representatives.map((r) => ({
        ...r,
        kindText: KIND_LABELS[r.kind],
        authorityText: r.authorityType ? AUTHORITY_LABELS[r.authorityType] : null,
        scopeTexts: r.scopes.map((s) => SCOPE_LABELS[s]),
        stateText: STATE_TEXT[r.state],
        mayGiveCode: !r.hasAccount && !["ended", "consent_withdrawn", "expired"].includes(r.state),
        mayEnd: r.state !== "ended",
      })),
      mayManage: can(request.staff!.roles, "portal:manage"),
      accessHref: accessHref(person.personId),
      ...extra,
    });
  }

  app.get("/people/:personId/online-access", read, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const query = request.query as Record<string, unknown>;
    const notice =
      query.added === "1"
        ? "Representative recorded"
        : query.ended === "1"
          ? "Representative ended"
          : undefined;
    return renderAccess(request, reply, personId, notice ? { notice } : {});
  });

  /** A code for the person, or (with a representativeId) for one of their representatives: shown once. */
  app.post("/people/:personId/online-access/codes", manage, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    const representativeId = blankToNull(body.representativeId);
    try {
      const issued = await issueClaimCode(context(request), personId, { representativeId });
      return renderAccess(request, reply, personId, { issued });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      return reply.code(409).render("error.njk", {
        title: "A code cannot be given",
        paragraphs: [error.message],
        links: [{ href: accessHref(personId), text: "Go back" }],
      });
    }
  });

  app.post("/people/:personId/online-access/codes/:claimId/revoke", manage, async (request, reply) => {
    const { personId, claimId } = request.params as { personId: string; claimId: string };
    await revokeClaimCode(context(request), personId, claimId);
    return reply.redirect(accessHref(personId), 303);
  });
}

/** Routes: representatives. */
function representativeRoutes(app: FastifyInstance, deps: RouteDeps & { allowLoopbackIssuer: boolean }) {
  const manage = { preHandler: requireStaff("portal:manage") };
  const context = serviceContextFor(deps);

  const kindItems = () => REPRESENTATIVE_KINDS.map((k) => ({ value: k, text: KIND_LABELS[k] }));

  const renderNew = async (
    request: FastifyRequest,
    reply: FastifyReply,
    personId: string,
    extra: Record<string, unknown> = {},
  ) => {
    const { person } = await getOnlineAccess(context(request), personId);
    return reply.render("accounts/views/representative-new.njk", {
      title: `Add a representative for ${person.givenName} ${person.familyName}`,
      backLink: accessHref(personId),
      person,
      kinds: kindItems(),
      authorityLabels: AUTHORITY_LABELS,
      scopes: SCOPES.filter((s) => s !== "view").map((s) => ({ value: s, text: SCOPE_LABELS[s] })),
      values: { scopes: [] },
      ...extra,
    });
  };

  app.get("/people/:personId/representatives/new", manage, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    return renderNew(request, reply, personId);
  });

  app.post("/people/:personId/representatives", manage, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    const kind = typeof body.kind === "string" ? body.kind : "";
    // The consent question is on the page for every kind; it counts only for a family member or friend, and
    // "not yet" is no consent recorded.
    const consent = kind === "family_or_friend" && body.consent !== "ask" ? blankToNull(body.consent) : null;
    const input = {
      name: body.name,
      relationship: body.relationship,
      kind,
      authorityType: blankToNull(body.authorityType),
      authorityReference: blankToNull(body.authorityReference),
      // Every representative may view: the form asks only what else they may do.
      scopes: ["view", ...asList(body.scopes).filter((s) => s !== "view")],
      endsOn: dateFrom(body, "endsOn"),
      consent,
    };
    try {
      await addRepresentative(context(request), personId, input as Parameters<typeof addRepresentative>[2]);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const errors = errorsFrom(error);
      return renderNew(request, reply.code(400), personId, {
        values: { ...body, scopes: input.scopes },
        errors,
        errorList: errorList(errors),
      });
    }
    return reply.redirect(`${accessHref(personId)}?added=1`, 303);
  });

  app.get("/people/:personId/representatives/:representativeId/end", manage, async (request, reply) => {
    const { personId, representativeId } = request.params as { personId: string; representativeId: string };
    const access = await getOnlineAccess(context(request), personId);
    const rep = access.representatives.find(
      (r) => r.representativeId === representativeId && r.state !== "ended",
    );
    if (!rep) return reply.redirect(accessHref(personId), 303);
    return reply.render("accounts/views/representative-end.njk", {
      title: `End ${rep.name} acting for ${access.person.givenName} ${access.person.familyName}`,
      backLink: accessHref(personId),
      person: access.person,
      rep,
      values: {},
    });
  });

  app.post("/people/:personId/representatives/:representativeId/end", manage, async (request, reply) => {
    const { personId, representativeId } = request.params as { personId: string; representativeId: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    try {
      await endRepresentative(context(request), personId, representativeId, { reason: body.reason });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const access = await getOnlineAccess(context(request), personId);
      const rep = access.representatives.find((r) => r.representativeId === representativeId);
      const errors = errorsFrom(error);
      return reply.code(400).render("accounts/views/representative-end.njk", {
        title: `End ${rep?.name ?? "this representative"} acting for ${access.person.givenName} ${access.person.familyName}`,
        backLink: accessHref(personId),
        person: access.person,
        rep,
        values: body,
        errors,
        errorList: errorList(errors),
      });
    }
    return reply.redirect(`${accessHref(personId)}?ended=1`, 303);
  });
}

/** Routes: the council's One Login client. */
function oneLoginClientRoutes(app: FastifyInstance, deps: RouteDeps & { allowLoopbackIssuer: boolean }) {
  const configure = { preHandler: requireStaff("portal:configure") };
  const context = serviceContextFor(deps);

  const renderSettings = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) => {
    const settings = await getOneLoginSettings(context(request));
    return reply.render("accounts/views/one-login-settings.njk", {
      title: "Sign-in for people: GOV.UK One Login",
      settings,
      values: settings ?? { clientAuth: "private_key_jwt", vtr: '["Cl.Cm"]', enabled: true },
      ...extra,
    });
  };

  app.get("/admin/one-login", configure, async (request, reply) =>
    renderSettings(request, reply, { saved: (request.query as Record<string, unknown>).saved === "1" }),
  );

  app.post("/admin/one-login", configure, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const input = {
      issuerUrl: String(body.issuerUrl ?? ""),
      clientId: String(body.clientId ?? ""),
      clientAuth: String(body.clientAuth ?? "") as "private_key_jwt",
      secret: typeof body.secret === "string" ? body.secret : undefined,
      vtr: typeof body.vtr === "string" ? body.vtr : null,
      enabled: body.enabled === "yes",
    };
    try {
      await saveOneLoginSettings(context(request), input, { allowLoopback: deps.allowLoopbackIssuer });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const errors = errorsFrom(error);
      return renderSettings(request, reply.code(400), {
        values: { ...input, secret: "" },
        errors,
        errorList: errorList(errors),
      });
    }
    return reply.redirect("/admin/one-login?saved=1", 303);
  });
}
