import axios from "axios";
import { NotifyClient } from "notifications-node-client";

/**
 * GOV.UK Notify behind a small interface (issue 16), over the official `notifications-node-client`. Our message id
 * goes to Notify as its `reference`: Notify takes no idempotency key, so before re-sending after a crash the caller
 * looks the message up by reference (`findByReference`) and sends only if Notify has none.
 *
 * Every failure is thrown as a `NotifyError` whose `kind` tells retry logic what to do:
 * - `retryable`: 429 (rate or daily limit), 5xx, or Notify not reached at all; try again after a back-off
 *   (backoff.calc.ts);
 * - `permanent`: Notify refused this message (400, e.g. not a valid email address or UK mobile number); do not retry;
 * - `template_missing`: Notify has no such template (400 or 404 naming the template); fail once, tell the
 *   administrator, do not retry;
 * - `auth`: Notify refused the API key (403); no message will go until the key is fixed.
 */

export type NotifyFailureKind = "retryable" | "permanent" | "template_missing" | "auth";

export type Personalisation = Record<string, string | number | string[]>;

export type NotifyPostage = "first" | "second" | "economy" | "europe" | "rest-of-world";

export type NotificationChannel = "email" | "sms" | "letter";

export interface SentNotification {
  /** Notify's id for the notification. */
  id: string;
  /** Our message id, as Notify echoes it back. */
  reference: string;
}

export interface FoundNotification {
  id: string;
  reference: string;
  channel: NotificationChannel;
  /** Notify's status, e.g. created, sending, delivered, permanent-failure, temporary-failure, technical-failure. */
  status: string;
}

export interface NotifySender {
  sendEmail(input: {
    templateId: string;
    emailAddress: string;
    personalisation: Personalisation;
    reference: string;
  }): Promise<SentNotification>;
  sendSms(input: {
    templateId: string;
    phoneNumber: string;
    personalisation: Personalisation;
    reference: string;
  }): Promise<SentNotification>;
  /** A PDF letter through Notify's precompiled-letter route. */
  sendPrecompiledLetter(input: {
    reference: string;
    pdf: Buffer;
    postage: NotifyPostage;
  }): Promise<SentNotification>;
  /** The notification Notify holds with this reference (the newest if several), or undefined if none. */
  findByReference(reference: string): Promise<FoundNotification | undefined>;
}

/** One entry of Notify's error body: `{ "status_code": 400, "errors": [{ "error": "…", "message": "…" }] }`. */
export interface NotifyErrorEntry {
  error: string;
  message: string;
}

export class NotifyError extends Error {
  readonly kind: NotifyFailureKind;
  /** The HTTP status Notify answered with, or undefined if it was not reached. */
  readonly status: number | undefined;
  readonly errors: NotifyErrorEntry[];
  constructor(
    kind: NotifyFailureKind,
    message: string,
    status: number | undefined,
    errors: NotifyErrorEntry[],
  ) {
    super(message);
    this.name = "NotifyError";
    this.kind = kind;
    this.status = status;
    this.errors = errors;
  }
}

/** The part of an axios error the classification reads (the client rejects with axios errors). */
interface HttpFailure {
  code?: unknown;
  message?: unknown;
  response?: { status?: unknown; data?: unknown };
}

function errorEntries(data: unknown): NotifyErrorEntry[] {
  if (typeof data !== "object" || data === null || !("errors" in data) || !Array.isArray(data.errors))
    return [];
  return data.errors.flatMap((e: unknown) =>
    typeof e === "object" && e !== null && "message" in e && typeof e.message === "string"
      ? [{ error: "error" in e && typeof e.error === "string" ? e.error : "", message: e.message }]
      : [],
  );
}

/**
 * Turns whatever the client rejected with into a `NotifyError` with a plain message for an administrator.
 * `what` names what was being sent, e.g. "the email for message 42"; `templateId` names the template
 * when there is one.
 */
export function classifyNotifyFailure(failure: unknown, what: string, templateId?: string): NotifyError {
  if (failure instanceof NotifyError) return failure;
  const f = (typeof failure === "object" && failure !== null ? failure : {}) as HttpFailure;
  const status = typeof f.response?.status === "number" ? f.response.status : undefined;
  const errors = errorEntries(f.response?.data);
  const said = errors.map((e) => e.message).join("; ");
  if (status === undefined) {
    const reason =
      typeof f.code === "string" ? f.code : typeof f.message === "string" ? f.message : "no answer";
    const timedOut = reason === "ECONNABORTED" || reason === "ETIMEDOUT";
    return new NotifyError(
      "retryable",
      timedOut
        ? `GOV.UK Notify did not answer in time while sending ${what}. It will be tried again.`
        : `GOV.UK Notify could not be reached to send ${what} (${reason}). It will be tried again.`,
      undefined,
      errors,
    );
  }
  if (status === 429) {
    return new NotifyError(
      "retryable",
      `GOV.UK Notify asked us to slow down while sending ${what} (${said || "rate or daily limit reached"}). It will be tried again later.`,
      status,
      errors,
    );
  }
  if (status >= 500) {
    return new NotifyError(
      "retryable",
      `GOV.UK Notify had a fault while sending ${what} (status ${status}). It will be tried again.`,
      status,
      errors,
    );
  }
  if (status === 403) {
    return new NotifyError(
      "auth",
      `GOV.UK Notify refused the council's API key while sending ${what} (${said || "not authorised"}). Check the Notify API key in the council's settings: nothing will be sent until it is right.`,
      status,
      errors,
    );
  }
  if ((status === 400 || status === 404) && /template/i.test(said)) {
    return new NotifyError(
      "template_missing",
      `GOV.UK Notify has no template${templateId ? ` ${templateId}` : ""} for ${what} (${said}). Check the template ids in the council's Notify settings against the templates in Notify; this message will not be tried again.`,
      status,
      errors,
    );
  }
  return new NotifyError(
    "permanent",
    `GOV.UK Notify would not send ${what}: ${said || `status ${status}`}. Correct the details (for example the email address or mobile number) and send it again; it will not be retried as it is.`,
    status,
    errors,
  );
}

interface NotificationBody {
  id?: unknown;
  reference?: unknown;
  type?: unknown;
  status?: unknown;
}

function sent(data: NotificationBody, reference: string): SentNotification {
  if (typeof data.id !== "string") throw new Error("GOV.UK Notify's answer had no notification id");
  return { id: data.id, reference: typeof data.reference === "string" ? data.reference : reference };
}

/** How long to wait for Notify to answer before treating the attempt as failed (and retryable). */
export const NOTIFY_DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A `NotifySender` over the official client. `baseUrl` is Notify's API (https://api.notifications.service.gov.uk)
 * or, in tests, the fake's (test/fake-notify.ts); `apiKey` is the council's key, "name-serviceid-secret".
 * The client's default HTTP client waits for ever; ours gives up after `timeoutMs`, so a hung Notify cannot hold a
 * delivery worker (the attempt is retryable).
 */
export function notifySender(options: { baseUrl: string; apiKey: string; timeoutMs?: number }): NotifySender {
  const client = new NotifyClient(options.baseUrl, options.apiKey);
  // The client's types name axios's CommonJS declarations and ours its ES module ones: the same class at run time.
  const http = axios.create({ timeout: options.timeoutMs ?? NOTIFY_DEFAULT_TIMEOUT_MS });
  client.setClient(http as unknown as Parameters<NotifyClient["setClient"]>[0]);
  return {
    async sendEmail({ templateId, emailAddress, personalisation, reference }) {
      try {
        const response = await client.sendEmail(templateId, emailAddress, { personalisation, reference });
        return sent(response.data as NotificationBody, reference);
      } catch (failure) {
        throw classifyNotifyFailure(failure, `the email for message ${reference}`, templateId);
      }
    },
    async sendSms({ templateId, phoneNumber, personalisation, reference }) {
      try {
        const response = await client.sendSms(templateId, phoneNumber, { personalisation, reference });
        return sent(response.data as NotificationBody, reference);
      } catch (failure) {
        throw classifyNotifyFailure(failure, `the text message for message ${reference}`, templateId);
      }
    },
    async sendPrecompiledLetter({ reference, pdf, postage }) {
      try {
        const response = await client.sendPrecompiledLetter(reference, pdf, postage);
        return sent(response.data as NotificationBody, reference);
      } catch (failure) {
        throw classifyNotifyFailure(failure, `the letter for message ${reference}`);
      }
    },
    async findByReference(reference) {
      try {
        const response = await client.getNotifications(undefined, undefined, reference);
        const list = (response.data as { notifications?: unknown }).notifications;
        const first = (Array.isArray(list) ? list : []).find(
          (n: NotificationBody) => typeof n.id === "string" && n.reference === reference,
        ) as NotificationBody | undefined;
        if (!first) return undefined;
        const type =
          first.type === "email" || first.type === "sms" || first.type === "letter" ? first.type : "letter";
        return {
          id: first.id as string,
          reference,
          channel: type,
          status: typeof first.status === "string" ? first.status : "unknown",
        };
      } catch (failure) {
        throw classifyNotifyFailure(failure, `the look-up of message ${reference}`);
      }
    },
  };
}
