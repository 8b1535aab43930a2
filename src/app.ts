import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import Fastify, { type FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { type Config, SECURITY_DEFAULTS } from "#/config.ts";
import { budgetPortalRoutes } from "#/faces/budget-page/portal-routes.ts";
import { budgetRoutes } from "#/faces/budget-page/routes.ts";
import { calculatorApi } from "#/faces/calculators/api.ts";
import { estimatorRoutes } from "#/faces/estimator/routes.ts";
import { payEstimatorRoutes } from "#/faces/pay-estimator/routes.ts";
import { peoplePagesRoutes } from "#/faces/people-pages/routes.ts";
import { dpAuditPortalRoutes } from "#/faces/portal/dp-audit-routes.ts";
import { planPortalRoutes } from "#/faces/portal/plan-routes.ts";
import { portalRoutes } from "#/faces/portal/routes.ts";
import { setUpRoutes } from "#/faces/setup/routes.ts";
import { statementPortalRoutes } from "#/faces/statement/portal-routes.ts";
import { statementRoutes } from "#/faces/statement/routes.ts";
import { personAccountLookups } from "#/features/accounts/identity-lookups.ts";
import { personSignInRoutes } from "#/features/accounts/sign-in-routes.ts";
import { onlineAccessStaffRoutes } from "#/features/accounts/staff-routes.ts";
import { assessmentApi } from "#/features/assessment/api.ts";
import { assessmentRoutes } from "#/features/assessment/routes.ts";
import { agreedPlanCostIn } from "#/features/budgets/agreed-plan-cost.ts";
import { budgetsApi } from "#/features/budgets/api.ts";
import { committedOnStreamIn } from "#/features/budgets/service.ts";
import { calibrationRoutes } from "#/features/calibration/routes.ts";
import { chargingApi } from "#/features/charging/api.ts";
import { financialAssessmentApi } from "#/features/charging/assessment-api.ts";
import { chargingRoutes } from "#/features/charging/routes.ts";
import { chargingSettingsRoutes } from "#/features/charging/settings-routes.ts";
import { directoryApi } from "#/features/directory/api.ts";
import { directoryRoutes } from "#/features/directory/routes.ts";
import { dpAuditsApi } from "#/features/dp-audits/api.ts";
import { dpAuditRoutes } from "#/features/dp-audits/routes.ts";
import { fundingApi } from "#/features/funding/api.ts";
import { fundingRoutes } from "#/features/funding/routes.ts";
import { ledgerApi } from "#/features/ledger/api.ts";
import { paymentsApi } from "#/features/payments/api.ts";
import { paymentsRoutes } from "#/features/payments/routes.ts";
import { peopleApi } from "#/features/people/api.ts";
import { peopleRoutes } from "#/features/people/routes.ts";
import { planningApi } from "#/features/planning/api.ts";
import { planningRoutes } from "#/features/planning/routes.ts";
import { referralsRoutes } from "#/features/referrals/routes.ts";
import { cldReturnRoutes } from "#/features/reports/cld-routes.ts";
import { commissionerApi } from "#/features/reports/commissioner-api.ts";
import { commissionerRoutes } from "#/features/reports/commissioner-routes.ts";
import { fairnessRoutes } from "#/features/reports/fairness-routes.ts";
import { measuresApi, measuresRoutes } from "#/features/reports/measures-routes.ts";
import { reviewsApi } from "#/features/reviews/api.ts";
import { reviewsPortalRoutes } from "#/features/reviews/portal-routes.ts";
import { reviewsRoutes } from "#/features/reviews/routes.ts";
import { spendingApi } from "#/features/spending/api.ts";
import { spendingRoutes } from "#/features/spending/routes.ts";
import { staffLookups } from "#/features/staff/identity-lookups.ts";
import { staffRoutes } from "#/features/staff/routes.ts";
import { tasksRoutes } from "#/features/tasks/routes.ts";
import { contactRoutes } from "#/features/tenants/contact-routes.ts";
import { signInThrottle } from "#/platform/auth/throttle.ts";
import { todayInLondon } from "#/platform/context.ts";
import type { DB } from "#/platform/db/schema.ts";
import { languagePlugin } from "#/platform/i18n/language.ts";
import { closePdfBrowser } from "#/platform/pdf/pdf.ts";
import { accountRoutes } from "#/platform/web/account.ts";
import { registerErrorHandlers } from "#/platform/web/errors.ts";
import { homeRoutes } from "#/platform/web/home.ts";
import { frameworkErrors, inputGuardsPlugin } from "#/platform/web/input-guards.ts";
import { loggerOptions } from "#/platform/web/logging.ts";
import { navigationFor } from "#/platform/web/navigation.ts";
import { noStorePlugin } from "#/platform/web/no-store.ts";
import { API_PREFIX, ApiDocument } from "#/platform/web/openapi.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";
import { securityPlugin } from "#/platform/web/security.ts";
import { signInRoutes } from "#/platform/web/sign-in.ts";
import { STATIC_MOUNTS } from "#/platform/web/static-mounts.ts";
import { viewsPlugin } from "#/platform/web/views.ts";

export type AppOptions = {
  /** The issue 13 settings may be left out (tests): SECURITY_DEFAULTS apply, and no PUBLIC_URL. */
  config: Pick<Config, "sessionSecret" | "cookieSecure" | "logLevel" | "env"> &
    Partial<Pick<Config, "trustedProxies" | "publicUrl" | "sessionIdleMinutes" | "signInThrottle">>;
  db: Kysely<DB>;
  /** Pass today's date in (YYYY-MM-DD) for tests; services never read the clock themselves. */
  today?: () => string;
};

/** The settings the app runs with: the issue 13 security settings' defaults, overridden by what was given. */
const settingsOf = (options: AppOptions) => ({ ...SECURITY_DEFAULTS, ...options.config });
type AppSettings = ReturnType<typeof settingsOf>;

/** The composition root: plugins in the order they must run, each line saying why it is there. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const config = settingsOf(options);
  // X-Forwarded-For is believed only from the proxies TRUSTED_PROXIES names; by default from none, so
  // request.ip (sign-in throttling, flood limits) is the connection's own address and cannot be made up.
  const trustProxy = config.trustedProxies.length ? config.trustedProxies : false;
  // frameworkErrors: an address Fastify cannot decode is answered like any other bad request (input-guards.ts).
  const app = Fastify({ logger: loggerOptions(options.config.logLevel), trustProxy, frameworkErrors });
  await platformPlugins(app, options, config);
  await routes(app, options, config);
  return app;
}

/** 1-6: what every request passes through before its route, in order. */
async function platformPlugins(app: FastifyInstance, options: AppOptions, config: AppSettings) {
  const { db } = options;

  // 1. Parsing: cookies for the session and CSRF seed; urlencoded bodies from GOV.UK forms (JSON is built in).
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 1_000_000 });
  // JSON nested at most 64 deep; every route's path ids, query and body checked for what cannot be stored.
  await app.register(inputGuardsPlugin);

  // 2. Security headers, with a per-response nonce for the one inline script GOV.UK's template needs.
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
      },
    },
  });

  // Nothing but the static files may be kept by a browser or proxy: Cache-Control: no-store.
  await app.register(noStorePlugin);

  // 3. Rate limits are opt-in per route (set-password links, the start of One Login); password and code guesses
  // are throttled in the database instead (platform/auth/throttle.ts); everything else is limited by sign-in.
  await app.register(rateLimit, { global: false });

  // 4. Static assets: GOV.UK Frontend, MOJ Frontend and our own few files.
  for (const [index, mount] of STATIC_MOUNTS.entries()) {
    // Only the first registration may decorate the reply (sendFile); the others share it.
    await app.register(fastifyStatic, {
      root: mount.dir,
      prefix: mount.prefix,
      decorateReply: index === 0,
      index: false,
      list: false,
    });
  }

  // 5. Who is asking (session cookie or API token) and the CSRF check on every unsafe request. The platform finds
  // the session or token; the features that own staff and people's accounts say who it belongs to.
  await app.register(securityPlugin, {
    db,
    identity: { ...staffLookups, ...personAccountLookups },
    secret: options.config.sessionSecret,
    secureCookies: options.config.cookieSecure,
    sessionIdleMinutes: config.sessionIdleMinutes,
  });

  // The language of the answer: ?lang=, then the remembered choice, then English (platform/i18n/language.ts).
  await app.register(languagePlugin, { secureCookies: options.config.cookieSecure });

  // 6. Pages: every page gets the signed-in user, the CSRF token and the service name.
  await app.register(viewsPlugin, {
    locals: (request) => ({
      staff: request.staff,
      staffNavigation: navigationFor(request.staff, request.url),
      csrfToken: request.csrfToken,
      serviceTitle: request.staff ? `Upfront – ${request.staff.tenantName}` : "Upfront",
    }),
  });
  registerErrorHandlers(app);
  // The PDF printer's browser starts on first use and must not outlive the app.
  app.addHook("onClose", closePdfBrowser);
}

/** 7. Routes, in the order of the cycle. */
async function routes(app: FastifyInstance, options: AppOptions, config: AppSettings) {
  const { db } = options;
  const throttle = signInThrottle(db, config.sessionSecret, config.signInThrottle);
  const allowLoopbackIssuer = config.env === "test";
  const deps: RouteDeps = { db, api: new ApiDocument(), today: options.today ?? todayInLondon };
  await app.register(signInRoutes, { db, throttle, staff: staffLookups });
  await app.register(homeRoutes);
  await app.register(accountRoutes, { ...deps, staff: staffLookups }); // staff: /account, their API tokens
  await app.register(staffRoutes, deps); // administrators: /admin/staff, teams; /set-password/:token; /account/password
  await app.register(peopleRoutes, deps); // staff: /people/new, add a person
  await app.register(peoplePagesRoutes, deps); // faces: /people and /people/:id, people with their assessments
  await app.register(assessmentRoutes, deps);
  await app.register(onlineAccessStaffRoutes, { ...deps, allowLoopbackIssuer }); // staff: /people/:id/online-access, representatives; /admin/one-login
  await app.register(personSignInRoutes, {
    ...deps,
    secret: options.config.sessionSecret,
    throttle,
    publicUrl: config.publicUrl,
    allowLoopbackIssuer,
  }); // people: /my/sign-in, One Login, /my/claim
  await app.register(portalRoutes, deps); // people and their representatives: /my, their records
  await app.register(calibrationRoutes, deps); // administrators: /admin/ras, calibrate and adopt the RAS model
  await app.register(contactRoutes, deps); // administrators: /admin/contact, the council's contact details
  await app.register(chargingRoutes, { ...deps, agreedPlanCost: agreedPlanCostIn }); // finance officers: /charging, financial assessments, their results
  await app.register(chargingSettingsRoutes, deps); // /charging/settings: the council's policy and supplied figures
  await app.register(statementRoutes, deps); // /people/:id/statement: the money statement, as a page and a PDF
  await app.register(statementPortalRoutes, deps); // people: /my/people/:id/statement, their money statement and PDF
  await app.register(directoryRoutes, deps); // /directory: providers and services, HSDS import and export
  await app.register(fundingRoutes, deps); // administrators: /admin/funding, dated streams, payer order, sign-off
  await app.register(planningRoutes, deps); // staff: /people/:id/plans, /plans/:id editor, /approvals, allocation overrides
  await app.register(planPortalRoutes, deps); // people: /my/people/:id/plans, the same editor, the agreed plan and PDF
  await app.register(reviewsRoutes, deps); // staff: /reviews caseload, /people/:id/reviews, /look-again, /admin/reviews
  await app.register(reviewsPortalRoutes, deps); // people: /my/people/:id/reviews, ask to look at a decision again
  await app.register(spendingRoutes, deps); // finance: /spending card-feed import, cards, /surplus approvals
  await app.register(dpAuditPortalRoutes, deps); // people: /my/people/:id/audits/:auditId, advice or a repayment request, and a reply
  await app.register(dpAuditRoutes, deps); // finance: /dp-audits queue by risk, the audit record; /admin/dp-audits settings
  await app.register(budgetRoutes, deps); // staff: /people/:id/budget, balances, chart, statement, receipts, surplus check
  await app.register(budgetPortalRoutes, deps); // people: /my/people/:id/budget, statement, receipt upload and download
  await app.register(paymentsRoutes, deps); // finance: /payments runs (prepare, review, approve, files), returns, /payees, /admin/payments
  await app.register(estimatorRoutes, deps); // public: /{council}/estimate, no sign-in, nothing stored
  await app.register(fairnessRoutes, deps); // public: /{council}/fairness and its API, no sign-in, nothing stored
  await app.register(payEstimatorRoutes, deps); // public: /{council}/pay-estimate, what you might pay; nothing stored
  await app.register(setUpRoutes, deps); // faces: /admin/setup, the administrator's set-up checklist over several features
  await app.register(tasksRoutes, deps); // staff: /tasks, my tasks and my role group's, mark done
  await app.register(referralsRoutes, { ...deps, secret: options.config.sessionSecret }); // staff: /people/:id/referrals; public: /{council}/self-referral
  await app.register(cldReturnRoutes, deps); // commissioners: /returns/cld, NHS England's Client Level Data return and its checks
  await app.register(commissionerRoutes, deps); // commissioners: /reports, caseload, money, outcomes, market gaps; CSV and XLSX
  await app.register(measuresRoutes, deps); // commissioners: /reports/measures, ASCOF from the CLD rows and ASC-FR spend
  await app.register(peopleApi, deps);
  await app.register(assessmentApi, deps);
  await app.register(calculatorApi, deps);
  await app.register(chargingApi, deps);
  await app.register(financialAssessmentApi, { ...deps, agreedPlanCost: agreedPlanCostIn }); // staff: create and read financial assessments
  await app.register(directoryApi, deps); // /providers, the HSDS export and (administrators) import
  await app.register(fundingApi, { ...deps, committedOnStream: committedOnStreamIn }); // /funding-streams in force on a date
  await app.register(planningApi, deps); // /plans, versions (save, submit, approve, return), /approvals, allocation overrides
  await app.register(ledgerApi, deps); // finance: /ledger transfers (Idempotency-Key), account balances and statements
  await app.register(reviewsApi, deps); // /reviews caseload and record, /people/{id}/reviews, /look-again-requests
  await app.register(budgetsApi, deps); // /budgets/{id} balance, transfers (Idempotency-Key), statement
  await app.register(spendingApi, deps); // /spends, /card-feeds, invoices, /surplus-recoveries
  await app.register(paymentsApi, deps); // /payments/runs (prepare, review, approve, files), /payees bank details, returns
  await app.register(dpAuditsApi, deps); // finance: /dp-audits queue by risk, open an audit, read one, record its decision
  await app.register(commissionerApi, deps); // commissioners: /reports/caseload, money, outcomes, market (the pages' figures)
  await app.register(measuresApi, deps); // commissioners: /reports/measures, the measures page's figures
  app.get(`${API_PREFIX}/openapi.json`, async () => deps.api.toJSON());
}
