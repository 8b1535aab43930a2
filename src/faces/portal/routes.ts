import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { assessmentPage, homeFor, personRecord } from "#/faces/portal/service.ts";
import { AUTHORITY_LABELS, KIND_LABELS, SCOPE_LABELS } from "#/features/accounts/access.calc.ts";
import { authoriseIn, type RepresentativeView, setConsent } from "#/features/accounts/service.ts";
import {
  describeSection,
  questionnaireById,
  type SavedAnswers,
  sectionsOf,
} from "#/features/assessment/forms.ts";
import { auditRequestsForPersonIn } from "#/features/dp-audits/service.ts";
import { paymentMessagesOfPersonIn } from "#/features/payments/service.ts";
import { plansForPerson } from "#/features/planning/service.ts";
import { getCouncilContact } from "#/features/tenants/contact-service.ts";
import { inTenant } from "#/platform/context.ts";
import { ConflictError, NotFoundError } from "#/platform/errors.ts";
import { answerNotFoundAsPersonPage, personPages } from "#/platform/web/person-pages.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";

/**
 * A person's home page (/my) and a representative's view of each person they represent (/my/people/:id):
 * the assessment, the eligibility decision and the allocation with its working, the plan and reviews (to
 * come), and — on their own record only — who may act for them, which they can agree to or withdraw.
 * Anything the account may not see is "Page not found".
 */

const STATE_TEXT: Record<RepresentativeView["state"], string> = {
  current: "Can act for you now",
  awaiting_consent: "Waiting for you to agree",
  consent_withdrawn: "You said no",
  not_started: "Starts later",
  expired: "Ended",
  ended: "Ended",
};

const base = (personId: string) => `/my/people/${personId}`;

/**
 * The decision letter and the allocation's working are the staff pages' own templates, reused so both always
 * show the same thing. Their links to each other point at the staff URLs (/assessments/:id/…); on the way
 * out, those are rewritten to this person's /my equivalents. No other link is touched.
 */
const staffLinkRewrites = new WeakMap<FastifyRequest, { from: string; to: string }>();

type PersonPages = ReturnType<typeof personPages>;

export async function portalRoutes(app: FastifyInstance, deps: RouteDeps) {
  const pages = personPages(deps);
  answerNotFoundAsPersonPage(app, pages.notFound);

  app.addHook("onSend", async (request, reply, payload) => {
    const rewrite = staffLinkRewrites.get(request);
    if (!rewrite || typeof payload !== "string") return payload;
    if (!String(reply.getHeader("content-type") ?? "").startsWith("text/html")) return payload;
    return payload.replaceAll(`href="${rewrite.from}`, `href="${rewrite.to}`);
  });

  registerRecordPages(app, pages);
  registerAssessmentPages(app, pages);
  registerRepresentativePages(app, pages);
}

/** The home page (/my) and the record of someone the account may see. */
function registerRecordPages(app: FastifyInstance, pages: PersonPages) {
  const { guard, context, page } = pages;
  async function renderRecord(
    request: FastifyRequest,
    reply: FastifyReply,
    personId: string,
    extra: Record<string, unknown> = {},
  ) {
    const ctx = context(request);
    const record = await personRecord(ctx, personId);
    const isSelf = record.access.as === "self";
    const newerDraft = record.assessments[0]?.status === "draft" ? record.assessments[0] : null;
    const plans = await plansForPerson(ctx, personId); // features/planning: the record's "support plan" section
    // features/payments: a short notice of recent messages about the person's payments, newest first; and
    // features/dp-audits: advice or a repayment request from a direct-payment audit, not yet replied to.
    const { paymentNotices, auditNotices } = await inTenant(ctx, async (t) => {
      await authoriseIn(t, personId, "view");
      return {
        paymentNotices: await paymentMessagesOfPersonIn(t, personId, "person", {
          recentOnly: true,
          limit: 3,
        }),
        auditNotices: (await auditRequestsForPersonIn(t, personId)).filter((a) => a.reply === null),
      };
    });
    return page(request, reply, "portal/views/record.njk", {
      title: isSelf
        ? "Your care and support"
        : `${record.person.givenName} ${record.person.familyName}'s care and support`,
      isSelf,
      person: record.person,
      latest: record.latest,
      hasBudget: record.latest?.weeklyPence != null,
      earlier: record.assessments.filter((a) => a.status === "submitted" && a !== record.latest),
      newerDraft,
      recordBase: base(personId),
      plans,
      paymentNotices,
      auditNotices,
      representatives: record.representatives.map((r) => ({
        ...r,
        kindText: KIND_LABELS[r.kind],
        authorityText: r.authorityType ? AUTHORITY_LABELS[r.authorityType] : null,
        scopeTexts: r.scopes.map((s) => SCOPE_LABELS[s]),
        stateText: STATE_TEXT[r.state],
        mayAgree: r.basis === "consent" && r.state === "awaiting_consent",
        mayWithdraw:
          r.basis !== "authority" &&
          (r.state === "current" || r.state === "awaiting_consent" || r.state === "not_started"),
      })),
      linked: (request.query as Record<string, unknown>).linked === "1",
      consent: (request.query as Record<string, unknown>).consent,
      ...extra,
    });
  }

  app.get("/my", guard, async (request, reply) => {
    const home = await homeFor(context(request));
    const represents = home.represents.map((r) => ({
      ...r,
      href: base(r.personId),
      kindText: KIND_LABELS[r.kind],
    }));
    const extra = { represents, waiting: home.waiting };
    if (home.self) return renderRecord(request, reply, home.self.personId, extra);
    return page(request, reply, "portal/views/home.njk", {
      title: represents.length ? "People you help" : "Your account",
      linked: (request.query as Record<string, unknown>).linked === "1",
      ...extra,
    });
  });

  app.get("/my/people/:personId", guard, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    if (request.person!.personId === personId) return reply.redirect("/my");
    return renderRecord(request, reply, personId, { backLink: "/my" });
  });
}

/** A submitted assessment, its decision letter and the allocation's working, in the person's pages. */
function registerAssessmentPages(app: FastifyInstance, pages: PersonPages) {
  const { guard, context, page } = pages;
  const loadAssessment = async (request: FastifyRequest) => {
    const { personId, assessmentId } = request.params as { personId: string; assessmentId: string };
    const loaded = await assessmentPage(context(request), personId, assessmentId);
    const questionnaire = questionnaireById(loaded.assessment.questionnaireId);
    if (!questionnaire)
      throw new Error(`Questionnaire ${loaded.assessment.questionnaireId} is in no rule pack`);
    const recordHref = loaded.access.as === "self" ? "/my" : base(personId);
    return {
      ...loaded,
      questionnaire,
      recordHref,
      assessmentBase: `${base(personId)}/assessments/${assessmentId}`,
    };
  };

  app.get("/my/people/:personId/assessments/:assessmentId", guard, async (request, reply) => {
    const { person, assessment, decision, allocation, questionnaire, recordHref, assessmentBase, access } =
      await loadAssessment(request);
    const answers = assessment.answers as SavedAnswers;
    return page(request, reply, "portal/views/assessment.njk", {
      title:
        access.as === "self" ? "Your assessment" : `${person.givenName} ${person.familyName}'s assessment`,
      backLink: recordHref,
      isSelf: access.as === "self",
      person,
      assessment,
      decision,
      allocation,
      assessmentBase,
      summaries: sectionsOf(questionnaire).map((s) => ({
        section: s,
        rows: describeSection(s, answers, questionnaire),
      })),
    });
  });

  app.get("/my/people/:personId/assessments/:assessmentId/decision", guard, async (request, reply) => {
    const { person, assessment, decision, allocation, recordHref, assessmentBase } =
      await loadAssessment(request);
    if (!decision) throw new NotFoundError("The decision");
    // As the staff page does: the calc's reasons are the headline, each condition, each outcome not achieved,
    // each carer's help disregarded, then anything else; the page shows only that last group as it stands.
    const d = decision.decision;
    const carerLines = d.outcomesNotAchieved.filter((o) => o.carerSupportDisregarded).length;
    staffLinkRewrites.set(request, {
      from: `/assessments/${assessment.assessmentId}/`,
      to: `${assessmentBase}/`,
    });
    return page(request, reply, "portal/views/decision.njk", {
      title: `Eligibility decision for ${person.givenName} ${person.familyName}`,
      backLink: recordHref,
      tenantName: request.person!.tenantName,
      person,
      assessment,
      stored: decision,
      decision: d,
      otherReasons: d.reasons.slice(1 + d.conditions.length + d.outcomesNotAchieved.length + carerLines),
      allocation,
      councilContact: await getCouncilContact(context(request)),
      councilContactName: request.person!.tenantName,
    });
  });

  app.get("/my/people/:personId/assessments/:assessmentId/allocation", guard, async (request, reply) => {
    const { person, assessment, decision, allocation, questionnaire, recordHref, assessmentBase } =
      await loadAssessment(request);
    if (!decision) throw new NotFoundError("The indicative budget");
    const outcomeLabel = (outcomeId: string) => {
      const label = questionnaire.outcomes.find((o) => o.id === outcomeId)?.label ?? outcomeId;
      return label.charAt(0).toUpperCase() + label.slice(1);
    };
    staffLinkRewrites.set(request, {
      from: `/assessments/${assessment.assessmentId}/`,
      to: `${assessmentBase}/`,
    });
    return page(request, reply, "portal/views/allocation.njk", {
      title: `Indicative budget for ${person.givenName} ${person.familyName}`,
      backLink: recordHref,
      person,
      assessment,
      eligible: decision.eligible,
      stored: allocation,
      working: allocation?.working,
      lines:
        allocation?.working.lines.map((line) => ({ ...line, outcomeLabel: outcomeLabel(line.outcomeId) })) ??
        [],
    });
  });

  // ---- the person's say over who acts for them -------------------------------------------------------------
}

/** Withdrawing agreement to a representative, on the person's own record. */
function registerRepresentativePages(app: FastifyInstance, pages: PersonPages) {
  const { guard, context, page } = pages;
  app.get("/my/representatives/:representativeId/withdraw", guard, async (request, reply) => {
    const { representativeId } = request.params as { representativeId: string };
    const self = request.person!.personId;
    if (!self) throw new NotFoundError("The representative");
    const record = await personRecord(context(request), self);
    const rep = record.representatives.find((r) => r.representativeId === representativeId);
    if (!rep || rep.basis === "authority") throw new NotFoundError("The representative");
    return page(request, reply, "portal/views/withdraw.njk", {
      title: `Stop ${rep.name} acting for you`,
      backLink: "/my",
      rep: { ...rep, kindText: KIND_LABELS[rep.kind] },
    });
  });

  for (const [action, decision] of [
    ["withdraw", "withdraw"],
    ["agree", "give"],
  ] as const) {
    app.post(`/my/representatives/:representativeId/${action}`, guard, async (request, reply) => {
      const { representativeId } = request.params as { representativeId: string };
      try {
        await setConsent(context(request), representativeId, decision);
        return reply.redirect(`/my?consent=${action === "withdraw" ? "withdrawn" : "agreed"}`, 303);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        return page(request, reply.code(409), "person-error.njk", {
          title: "This cannot be changed",
          paragraphs: [error.message],
          links: [{ href: "/my", text: "Go to your home page" }],
        });
      }
    });
  }
}
