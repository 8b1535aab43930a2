import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local fake of GOV.UK Notify's API for tests (issue 16): tests never reach the real service. A plain node:http
 * server on a random port, implementing what Upfront uses of the v2 API as `notifications-node-client` calls it:
 *
 * - `POST /v2/notifications/email`, `/sms` and `/letter` (template letters, and precompiled letters: a base64 PDF
 *   `content`, a `reference` and a `postage`);
 * - `GET /v2/notifications/{id}` and `GET /v2/notifications?reference=…` (also `template_type`, `status`).
 *
 * It accepts any `Authorization: Bearer <jwt>` (three dot-separated parts; the client signs a fresh JWT per
 * request) and refuses a missing or malformed one with 403 as Notify does. It records every request; it can be
 * told to answer the next N requests with 429 or 500 (`failNext`), or not at all (`hangNext`), to treat a template id as missing
 * (`missingTemplate`), and to POST a delivery-status callback to a URL with a bearer token (`sendCallback`).
 * Error bodies have Notify's shape: `{ "status_code": 400, "errors": [{ "error": "…", "message": "…" }] }`.
 */

export interface RecordedRequest {
  method: string;
  /** The path and query, e.g. "/v2/notifications?reference=m-1". */
  url: string;
  authorization: string | undefined;
  /** The parsed JSON body, or undefined for a GET. */
  body: Record<string, unknown> | undefined;
}

export interface FakeNotification {
  id: string;
  reference: string | null;
  type: "email" | "sms" | "letter";
  status: string;
  templateId: string | null;
  emailAddress: string | null;
  phoneNumber: string | null;
  personalisation: Record<string, unknown>;
  /** For a precompiled letter: the PDF the client sent. */
  pdf: Buffer | null;
  postage: string | null;
  createdAt: string;
  sentAt: string | null;
  completedAt: string | null;
}

export interface DeliveryCallback {
  id: string;
  reference: string | null;
  to: string;
  status: string;
  created_at: string;
  completed_at: string | null;
  sent_at: string | null;
  notification_type: "email" | "sms" | "letter";
}

export interface FakeNotify {
  /** e.g. "http://127.0.0.1:41234": pass it to the client as its base URL. */
  baseUrl: string;
  requests: RecordedRequest[];
  notifications: FakeNotification[];
  /**
   * Answer the next `count` requests with this status (429 rate limit, 500 fault, or 403 as for a revoked API
   * key), then behave normally.
   */
  failNext(count: number, status: 429 | 500 | 403): void;
  /** Receive the next `count` requests but never answer them (as a hung Notify), until `close()`. */
  hangNext(count: number): void;
  /** From now on, treat this template id as not existing (400 "Template not found", as Notify answers). */
  missingTemplate(templateId: string): void;
  /** Set a notification's status and POST Notify's delivery-status callback for it; resolves to the HTTP status. */
  sendCallback(options: { url: string; bearerToken: string; id: string; status: string }): Promise<number>;
  /** The callback body Notify would send for a notification as it stands. */
  callbackBody(id: string): DeliveryCallback;
  close(): Promise<void>;
}

const JWT = /^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Notify accepts UK mobiles (07… or +447…) outside its international-sending option. */
const UK_MOBILE = /^(?:\+?44|0)7\d{9}$/;
const POSTAGE = ["first", "second", "economy", "europe", "rest-of-world"];

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function error(res: ServerResponse, status: number, name: string, message: string): void {
  send(res, status, { status_code: status, errors: [{ error: name, message }] });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function recipient(n: FakeNotification): string {
  return n.emailAddress ?? n.phoneNumber ?? String(n.personalisation.address_line_1 ?? "Provided as PDF");
}

/** A notification as `GET /v2/notifications/{id}` shows it. */
function shown(n: FakeNotification, baseUrl: string): Record<string, unknown> {
  return {
    id: n.id,
    reference: n.reference,
    email_address: n.emailAddress,
    phone_number: n.phoneNumber,
    type: n.type,
    status: n.status,
    template: n.templateId
      ? { id: n.templateId, version: 1, uri: `${baseUrl}/v2/template/${n.templateId}` }
      : null,
    personalisation: n.personalisation,
    postage: n.postage,
    created_at: n.createdAt,
    sent_at: n.sentAt,
    completed_at: n.completedAt,
  };
}

export async function startFakeNotify(): Promise<FakeNotify> {
  const requests: RecordedRequest[] = [];
  const notifications: FakeNotification[] = [];
  const missing = new Set<string>();
  let failures: { count: number; status: number } = { count: 0, status: 500 };
  let hangs = 0;
  let baseUrl = "";

  function create(
    res: ServerResponse,
    type: FakeNotification["type"],
    body: Record<string, unknown>,
  ): FakeNotification | undefined {
    const reference = typeof body.reference === "string" ? body.reference : null;
    const templateId = typeof body.template_id === "string" ? body.template_id : null;
    const precompiled = type === "letter" && typeof body.content === "string";
    let pdf: Buffer | null = null;
    if (precompiled) {
      if (!reference) return void error(res, 400, "ValidationError", "reference is a required property");
      pdf = Buffer.from(body.content as string, "base64");
      if (pdf.subarray(0, 5).toString("latin1") !== "%PDF-")
        return void error(res, 400, "ValidationError", "Letter content is not a valid PDF");
      if (body.postage !== undefined && !POSTAGE.includes(String(body.postage)))
        return void error(res, 400, "ValidationError", `postage invalid. It must be ${POSTAGE.join(", ")}.`);
    } else {
      if (!templateId) return void error(res, 400, "ValidationError", "template_id is a required property");
      if (!UUID.test(templateId))
        return void error(res, 400, "ValidationError", "template_id is not a valid UUID");
      if (missing.has(templateId)) return void error(res, 400, "BadRequestError", "Template not found");
    }
    const emailAddress = type === "email" ? String(body.email_address ?? "") : null;
    if (emailAddress !== null && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(emailAddress))
      return void error(res, 400, "ValidationError", "email_address Not a valid email address");
    const phoneNumber = type === "sms" ? String(body.phone_number ?? "").replace(/[\s()-]/g, "") : null;
    if (phoneNumber !== null && !UK_MOBILE.test(phoneNumber))
      return void error(res, 400, "ValidationError", "phone_number Not a UK mobile number");
    const personalisation =
      typeof body.personalisation === "object" && body.personalisation !== null
        ? (body.personalisation as Record<string, unknown>)
        : {};
    const notification: FakeNotification = {
      id: randomUUID(),
      reference,
      type,
      status: precompiled ? "pending-virus-check" : "created",
      templateId,
      emailAddress,
      phoneNumber: type === "sms" ? String(body.phone_number) : null,
      personalisation,
      pdf,
      postage: type === "letter" ? String(body.postage ?? "second") : null,
      createdAt: new Date().toISOString(),
      sentAt: null,
      completedAt: null,
    };
    notifications.push(notification);
    return notification;
  }

  function answerCreated(res: ServerResponse, n: FakeNotification): void {
    const template = n.templateId
      ? { id: n.templateId, version: 1, uri: `${baseUrl}/v2/template/${n.templateId}` }
      : undefined;
    const content =
      n.type === "email"
        ? { subject: "Fake subject", body: "Fake body", from_email: "upfront@notifications.service.gov.uk" }
        : n.type === "sms"
          ? { body: "Fake body", from_number: "GOVUK" }
          : undefined;
    send(res, 201, {
      id: n.id,
      reference: n.reference,
      uri: `${baseUrl}/v2/notifications/${n.id}`,
      ...(content ? { content } : {}),
      ...(template ? { template } : {}),
      ...(n.pdf ? { postage: n.postage } : { scheduled_for: null }),
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = req.method === "POST" ? await readBody(req) : "";
    let body: Record<string, unknown> | undefined;
    if (text) {
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return error(res, 400, "BadRequestError", "Invalid JSON supplied in POST data");
      }
    }
    const authorization = req.headers.authorization;
    requests.push({ method: req.method ?? "", url: req.url ?? "", authorization, body });
    if (!authorization)
      return error(res, 403, "AuthError", "Unauthorized: authentication token must be provided");
    if (!JWT.test(authorization))
      return error(res, 403, "AuthError", "Invalid token: signature, api token not found");
    if (hangs > 0) {
      hangs -= 1;
      return; // no answer: the connection stays open until the client gives up or close() ends it
    }
    if (failures.count > 0) {
      failures.count -= 1;
      if (failures.status === 429)
        return error(
          res,
          429,
          "RateLimitError",
          "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
        );
      if (failures.status === 403) return error(res, 403, "AuthError", "Invalid token: API key revoked");
      return error(res, 500, "Exception", "Internal server error");
    }
    const url = new URL(req.url ?? "/", baseUrl);
    const post = /^\/v2\/notifications\/(email|sms|letter)$/.exec(url.pathname);
    if (req.method === "POST" && post) {
      const created = create(res, post[1] as FakeNotification["type"], body ?? {});
      if (created) answerCreated(res, created);
      return;
    }
    if (req.method === "GET" && url.pathname === "/v2/notifications") {
      const q = url.searchParams;
      const found = notifications
        .filter((n) => !q.has("reference") || n.reference === q.get("reference"))
        .filter((n) => !q.has("template_type") || n.type === q.get("template_type"))
        .filter((n) => !q.has("status") || n.status === q.get("status"))
        .reverse();
      return send(res, 200, {
        notifications: found.map((n) => shown(n, baseUrl)),
        links: { current: `${baseUrl}${req.url}` },
      });
    }
    const one = /^\/v2\/notifications\/([^/]+)$/.exec(url.pathname);
    if (req.method === "GET" && one) {
      if (!UUID.test(one[1]!))
        return error(res, 400, "ValidationError", "notification_id is not a valid UUID");
      const n = notifications.find((x) => x.id === one[1]);
      return n ? send(res, 200, shown(n, baseUrl)) : error(res, 404, "NoResultFound", "No result found");
    }
    return error(res, 404, "NotFound", "The requested URL was not found on the server");
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => error(res, 500, "Exception", String(e)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function callbackBody(id: string): DeliveryCallback {
    const n = notifications.find((x) => x.id === id);
    if (!n) throw new Error(`The fake Notify has no notification ${id}`);
    return {
      id: n.id,
      reference: n.reference,
      to: recipient(n),
      status: n.status,
      created_at: n.createdAt,
      completed_at: n.completedAt,
      sent_at: n.sentAt,
      notification_type: n.type,
    };
  }

  return {
    baseUrl,
    requests,
    notifications,
    failNext(count, status) {
      failures = { count, status };
    },
    hangNext(count) {
      hangs = count;
    },
    missingTemplate(templateId) {
      missing.add(templateId);
    },
    callbackBody,
    async sendCallback({ url, bearerToken, id, status }) {
      const n = notifications.find((x) => x.id === id);
      if (!n) throw new Error(`The fake Notify has no notification ${id}`);
      const now = new Date().toISOString();
      n.status = status;
      n.sentAt ??= now;
      n.completedAt = now;
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${bearerToken}` },
        body: JSON.stringify(callbackBody(id)),
      });
      await response.arrayBuffer();
      return response.status;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
