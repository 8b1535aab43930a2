import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { PASSWORD_HINT } from "#/platform/auth/password-rules.ts";
import { ROLE_LABELS } from "#/platform/auth/permissions.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";
import { SIGN_IN_RATE_LIMIT } from "#/platform/web/sign-in.ts";
import {
  addStaff,
  changeOwnPassword,
  changeStaff,
  createTeam,
  deactivateStaff,
  getStaffMember,
  type IssuedPasswordLink,
  issuePasswordLink,
  LINK_NOT_USABLE,
  listStaff,
  listTeams,
  passwordLinkState,
  roleItems,
  SET_PASSWORD_LINK_DAYS,
  SET_PASSWORD_PATH,
  type StaffMember,
  setIntakeTeam,
  setPasswordWithLink,
} from "./service.ts";

/**
 * Staff administration pages (administrators): /admin/staff lists staff and teams, adds staff (showing their
 * one-time set-password link once), changes roles and team, names the team that takes new requests (the public
 * self-referral form's tasks go to it), deactivates; /set-password/:token is where a new
 * member of staff sets their password (no sign-in); /account/password changes your own.
 */

type Errors = Record<string, string>;
function errorsFrom(error: ValidationError): Errors {
  const errors: Errors = {};
  for (const e of error.fieldErrors) errors[e.path.split(/[.[]/)[0]!] ??= e.message;
  return errors;
}
// Checkboxes and radios link to their first item.
const FIRST_ITEM: Record<string, string> = { roles: "roles", teamId: "teamId", intakeTeamId: "intakeTeamId" };
const errorList = (errors: Errors) =>
  Object.entries(errors).map(([field, text]) => ({ text, href: `#${FIRST_ITEM[field] ?? field}` }));

/** Checkboxes send one value as a string and several as an array. */
const asList = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : [];
const text = (v: unknown) => (typeof v === "string" ? v : "");

const rolesText = (m: StaffMember) => m.roles.map((r) => ROLE_LABELS[r]).join(", ");

/** The team radios, with the member's team (or "No team") chosen. */
async function teamItems(ctx: ServiceContext, selected: string | null | undefined) {
  return [
    { value: "", text: "No team", checked: !selected },
    ...(await listTeams(ctx)).map((t) => ({ value: t.teamId, text: t.name, checked: t.teamId === selected })),
  ];
}

/** The full address of a link, on the host the administrator is using. */
const linkUrl = (request: FastifyRequest, link: IssuedPasswordLink) =>
  `${request.protocol}://${request.host}${link.path}`;

export async function staffRoutes(app: FastifyInstance, deps: RouteDeps) {
  staffListRoutes(app, deps);
  addStaffRoutes(app, deps);
  staffMemberRoutes(app, deps);
  setPasswordRoutes(app, deps);
  ownPasswordRoutes(app, deps);
}

/** Routes: the list, and teams. */
function staffListRoutes(app: FastifyInstance, deps: RouteDeps) {
  const manage = { preHandler: requireStaff("staff:manage") };
  const context = serviceContextFor(deps);

  const renderList = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) => {
    const ctx = context(request);
    const [staff, teams] = await Promise.all([listStaff(ctx), listTeams(ctx)]);
    return reply.render("staff/views/list.njk", {
      title: "Staff",
      staff: staff.map((m) => ({ ...m, rolesText: rolesText(m) })),
      teams: teams.map((t) => ({
        ...t,
        count: staff.filter((m) => m.active && m.teamId === t.teamId).length,
      })),
      values: {},
      ...extra,
    });
  };

  app.get("/admin/staff", manage, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const notice =
      query.deactivated === "1"
        ? "Deactivated: they have been signed out and their API tokens no longer work"
        : query.changed === "1"
          ? "Changes saved"
          : query.team === "1"
            ? "Team added"
            : query.intake === "1"
              ? "New requests will go to the team chosen"
              : undefined;
    return renderList(request, reply, notice ? { notice } : {});
  });

  app.post("/admin/teams", manage, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    try {
      await createTeam(context(request), { name: text(body.name) });
      return reply.redirect("/admin/staff?team=1", 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const errors = { teamName: errorsFrom(error).name ?? "Enter the team's name" };
      return renderList(request, reply.code(400), {
        errors,
        errorList: errorList(errors),
        values: { teamName: text(body.name) },
      });
    }
  });

  app.post("/admin/teams/intake", manage, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    try {
      await setIntakeTeam(context(request), { teamId: text(body.intakeTeamId) });
      return reply.redirect("/admin/staff?intake=1", 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const errors = { intakeTeamId: "Choose a team from the list, or none" };
      return renderList(request, reply.code(400), { errors, errorList: errorList(errors) });
    }
  });
}

/** Routes: adding staff. */
function addStaffRoutes(app: FastifyInstance, deps: RouteDeps) {
  const manage = { preHandler: requireStaff("staff:manage") };
  const context = serviceContextFor(deps);

  const renderNew = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: { name?: string; email?: string; roles?: string[]; teamId?: string },
    errors?: Errors,
  ) =>
    reply.render("staff/views/new.njk", {
      title: "Add a member of staff",
      backLink: "/admin/staff",
      values,
      roleItems: roleItems().map((r) => ({ ...r, checked: (values.roles ?? []).includes(r.value) })),
      teamItems: await teamItems(context(request), values.teamId),
      linkDays: SET_PASSWORD_LINK_DAYS,
      ...(errors ? { errors, errorList: errorList(errors) } : {}),
    });

  app.get("/admin/staff/new", manage, async (request, reply) => renderNew(request, reply, {}));

  app.post("/admin/staff", manage, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = {
      name: text(body.name),
      email: text(body.email),
      roles: asList(body.roles),
      teamId: text(body.teamId),
    };
    try {
      const { member, link } = await addStaff(context(request), values);
      return reply.render("staff/views/link.njk", {
        title: `${member.name} has been added`,
        member,
        linkUrl: linkUrl(request, link),
        expiresAt: link.expiresAt,
        linkDays: SET_PASSWORD_LINK_DAYS,
      });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return renderNew(request, reply.code(400), values, errorsFrom(error));
    }
  });
}

/** Routes: one member of staff. */
function staffMemberRoutes(app: FastifyInstance, deps: RouteDeps) {
  const manage = { preHandler: requireStaff("staff:manage") };
  const context = serviceContextFor(deps);

  const staffHref = (userId: string) => `/admin/staff/${userId}`;

  const renderMember = async (
    request: FastifyRequest,
    reply: FastifyReply,
    member: StaffMember,
    values: { roles: string[]; teamId: string | null },
    errors?: Errors,
  ) =>
    reply.render("staff/views/member.njk", {
      title: member.name,
      backLink: "/admin/staff",
      member: { ...member, rolesText: rolesText(member) },
      roleItems: roleItems().map((r) => ({ ...r, checked: values.roles.includes(r.value) })),
      teamItems: await teamItems(context(request), values.teamId),
      isSelf: member.userId === request.staff!.userId,
      ...(errors ? { errors, errorList: errorList(errors) } : {}),
    });

  app.get("/admin/staff/:userId", manage, async (request, reply) => {
    const { userId } = request.params as { userId: string };
    const member = await getStaffMember(context(request), userId);
    return renderMember(request, reply, member, { roles: member.roles, teamId: member.teamId });
  });

  app.post("/admin/staff/:userId", manage, async (request, reply) => {
    const { userId } = request.params as { userId: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { roles: asList(body.roles), teamId: text(body.teamId) };
    try {
      await changeStaff(context(request), userId, values);
      return reply.redirect("/admin/staff?changed=1", 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const member = await getStaffMember(context(request), userId);
      return renderMember(request, reply.code(400), member, values, errorsFrom(error));
    }
  });

  app.post("/admin/staff/:userId/password-link", manage, async (request, reply) => {
    const { userId } = request.params as { userId: string };
    const link = await issuePasswordLink(context(request), userId);
    const member = await getStaffMember(context(request), userId);
    return reply.render("staff/views/link.njk", {
      title: `A new link for ${member.name}`,
      member,
      renewed: true,
      linkUrl: linkUrl(request, link),
      expiresAt: link.expiresAt,
      linkDays: SET_PASSWORD_LINK_DAYS,
    });
  });

  app.get("/admin/staff/:userId/deactivate", manage, async (request, reply) => {
    const { userId } = request.params as { userId: string };
    const member = await getStaffMember(context(request), userId);
    return reply.render("staff/views/deactivate.njk", {
      title: `Deactivate ${member.name}`,
      backLink: staffHref(userId),
      member,
    });
  });

  app.post("/admin/staff/:userId/deactivate", manage, async (request, reply) => {
    const { userId } = request.params as { userId: string };
    try {
      await deactivateStaff(context(request), userId);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      return reply.code(409).render("error.njk", {
        title: "They cannot be deactivated",
        paragraphs: [error.message],
        links: [{ href: staffHref(userId), text: "Go back" }],
      });
    }
    // Deactivating yourself ends your own session: the next page is the sign-in page.
    return reply.redirect("/admin/staff?deactivated=1", 303);
  });
}

/** Routes: setting a password with a one-time link (no sign-in). */
function setPasswordRoutes(app: FastifyInstance, deps: RouteDeps) {
  const renderSetPassword = (reply: FastifyReply, token: string, extra: Record<string, unknown>) =>
    reply.render("staff/views/set-password.njk", {
      title: "Set your password",
      action: `${SET_PASSWORD_PATH}/${encodeURIComponent(token)}`,
      hint: PASSWORD_HINT,
      ...extra,
    });

  const linkGone = (reply: FastifyReply) =>
    reply.code(410).render("error.njk", {
      title: "This link cannot be used",
      paragraphs: [LINK_NOT_USABLE],
    });

  // The secret is in the path: no Referer leaves the page (helmet's default policy is no-referrer).
  app.get(`${SET_PASSWORD_PATH}/:token`, async (request, reply) => {
    const { token } = request.params as { token: string };
    const state = await passwordLinkState(deps.db, token);
    if (!state.usable) return linkGone(reply);
    return renderSetPassword(reply, token, { email: state.email });
  });

  app.post(
    `${SET_PASSWORD_PATH}/:token`,
    { config: { rateLimit: SIGN_IN_RATE_LIMIT } },
    async (request, reply) => {
      const { token } = request.params as { token: string };
      const body = (request.body ?? {}) as Record<string, unknown>;
      const state = await passwordLinkState(deps.db, token);
      if (!state.usable) return linkGone(reply);
      try {
        await setPasswordWithLink(deps.db, token, {
          password: text(body.password),
          confirmPassword: text(body.confirmPassword),
        });
      } catch (error) {
        if (error instanceof ConflictError) return linkGone(reply);
        if (!(error instanceof ValidationError)) throw error;
        const errors = errorsFrom(error);
        return renderSetPassword(reply.code(400), token, {
          email: state.email,
          errors,
          errorList: errorList(errors),
        });
      }
      return reply.redirect("/sign-in?passwordSet=1", 303);
    },
  );
}

/** Routes: your own password. */
function ownPasswordRoutes(app: FastifyInstance, deps: RouteDeps) {
  const signedIn = { preHandler: requireStaff("api_tokens:own") };
  const context = serviceContextFor(deps);

  const renderOwn = (reply: FastifyReply, errors?: Errors) =>
    reply.render("staff/views/change-password.njk", {
      title: "Change your password",
      backLink: "/account",
      hint: PASSWORD_HINT,
      ...(errors ? { errors, errorList: errorList(errors) } : {}),
    });

  app.get("/account/password", signedIn, async (_request, reply) => renderOwn(reply));

  app.post("/account/password", signedIn, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    try {
      await changeOwnPassword(context(request), {
        currentPassword: text(body.currentPassword),
        newPassword: text(body.newPassword),
        confirmPassword: text(body.confirmPassword),
      });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return renderOwn(reply.code(400), errorsFrom(error));
    }
    return reply.redirect("/account?passwordChanged=1", 303);
  });
}
