import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type NotifyError, notifySender } from "#/platform/notify/notify.ts";
import { type FakeNotify, startFakeNotify } from "../../../test/fake-notify.ts";

// Issue 16 ("GOV.UK Notify"): sends go through the official notifications-node-client, our message id as Notify's
// `reference`; look-ups by reference let a worker re-send only what Notify does not have; failures are classified
// for retry logic (429/5xx retry, 400 validation permanent, missing template once, 403 the key). Facts about the
// client and API: EMPLOYMENT-NOTIFY-LANGUAGE.md §3 (alphagov/notifications-node-client v8.4.0).

// A key in Notify's format, "name-{service id}-{secret}": the client signs each request's JWT with it.
const API_KEY = "upfront_test-5c9fd3e1-8b1c-4a36-9d8a-2f2a3c4e5b6d-0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
const SERVICE_ID = "5c9fd3e1-8b1c-4a36-9d8a-2f2a3c4e5b6d";
const EMAIL_TEMPLATE = "3f2b6a1e-1111-4c2d-9e8f-0a1b2c3d4e5f";
const SMS_TEMPLATE = "7a8b9c0d-2222-4e5f-8a9b-1c2d3e4f5a6b";
const PDF = Buffer.from(
  "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
  "latin1",
);

let fake: FakeNotify;
let sender: ReturnType<typeof notifySender>;

beforeAll(async () => {
  fake = await startFakeNotify();
  sender = notifySender({ baseUrl: fake.baseUrl, apiKey: API_KEY });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.failNext(0, 500);
});

async function failure(send: Promise<unknown>): Promise<NotifyError> {
  const outcome = await send.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(Error);
  expect((outcome as Error).name).toBe("NotifyError");
  return outcome as NotifyError;
}

function payloadOfJwt(authorization: string | undefined): Record<string, unknown> {
  const token = authorization?.replace(/^Bearer /, "") ?? "";
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;
}

describe("NotifySender over notifications-node-client, against the fake Notify", () => {
  it("sends an email: template, address, personalisation and our message id as reference reach Notify", async () => {
    const sent = await sender.sendEmail({
      templateId: EMAIL_TEMPLATE,
      emailAddress: "ada@example.org",
      personalisation: { name: "Ada", budget: "£216.00 a week" },
      reference: "message-101",
    });
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/v2/notifications/email");
    expect(request?.body).toEqual({
      template_id: EMAIL_TEMPLATE,
      email_address: "ada@example.org",
      personalisation: { name: "Ada", budget: "£216.00 a week" },
      reference: "message-101",
    });
    // The client signs a JWT per request whose issuer is the service id from the key.
    expect(payloadOfJwt(request?.authorization).iss).toBe(SERVICE_ID);
    expect(sent.reference).toBe("message-101");
    expect(sent.id).toBe(fake.notifications.at(-1)?.id);
  });

  it("sends a text message with the number, personalisation and reference", async () => {
    const sent = await sender.sendSms({
      templateId: SMS_TEMPLATE,
      phoneNumber: "07700900123",
      personalisation: { name: "Ada" },
      reference: "message-102",
    });
    expect(fake.requests.map((r) => [r.method, r.url])).toEqual([["POST", "/v2/notifications/sms"]]);
    expect(fake.requests[0]?.body).toEqual({
      template_id: SMS_TEMPLATE,
      phone_number: "07700900123",
      personalisation: { name: "Ada" },
      reference: "message-102",
    });
    expect(sent).toEqual({ id: fake.notifications.at(-1)?.id, reference: "message-102" });
  });

  it("sends a precompiled letter: the PDF as base64 content, the reference and the postage", async () => {
    const sent = await sender.sendPrecompiledLetter({ reference: "message-103", pdf: PDF, postage: "first" });
    expect(fake.requests.map((r) => [r.method, r.url])).toEqual([["POST", "/v2/notifications/letter"]]);
    expect(fake.requests[0]?.body).toEqual({
      reference: "message-103",
      content: PDF.toString("base64"),
      postage: "first",
    });
    const stored = fake.notifications.find((n) => n.id === sent.id);
    expect(stored?.pdf?.equals(PDF)).toBe(true);
    expect(stored?.postage).toBe("first");
  });

  it("finds a sent message by its reference, and finds nothing for a reference Notify has never seen", async () => {
    const sent = await sender.sendEmail({
      templateId: EMAIL_TEMPLATE,
      emailAddress: "bo@example.org",
      personalisation: {},
      reference: "message-201",
    });
    const found = await sender.findByReference("message-201");
    expect(found).toEqual({ id: sent.id, reference: "message-201", channel: "email", status: "created" });
    expect(fake.requests.at(-1)?.url).toBe("/v2/notifications?reference=message-201");
    expect(await sender.findByReference("message-never-sent")).toBeUndefined();
  });
});

describe("Notify failures, classified for retry logic (issue 16: Bad input and faults)", () => {
  const email = (reference: string, templateId = EMAIL_TEMPLATE, emailAddress = "cy@example.org") =>
    sender.sendEmail({ templateId, emailAddress, personalisation: {}, reference });

  it("429 (Notify's 3,000 a minute limit) is retryable, and the next attempt goes through", async () => {
    fake.failNext(1, 429);
    const error = await failure(email("message-301"));
    expect(error.kind).toBe("retryable");
    expect(error.status).toBe(429);
    expect(error.message).toContain("slow down");
    expect(error.message).toContain("Exceeded rate limit");
    expect((await email("message-301")).reference).toBe("message-301");
  });

  it("500 is retryable", async () => {
    fake.failNext(2, 500);
    expect((await failure(email("message-302"))).kind).toBe("retryable");
    const second = await failure(sender.findByReference("message-302"));
    expect([second.kind, second.status]).toEqual(["retryable", 500]);
    expect(await sender.findByReference("message-302")).toBeUndefined();
  });

  it("Notify not answering at all (connection refused) is retryable", async () => {
    const closed = await startFakeNotify();
    const baseUrl = closed.baseUrl;
    await closed.close();
    const offline = notifySender({ baseUrl, apiKey: API_KEY });
    const error = await failure(
      offline.sendSms({
        templateId: SMS_TEMPLATE,
        phoneNumber: "07700900123",
        personalisation: {},
        reference: "m",
      }),
    );
    expect([error.kind, error.status]).toEqual(["retryable", undefined]);
    expect(error.message).toContain("could not be reached");
  });

  it("Notify not answering within the timeout is retryable, so a hung Notify cannot hold a worker", async () => {
    fake.hangNext(1);
    const impatient = notifySender({ baseUrl: fake.baseUrl, apiKey: API_KEY, timeoutMs: 100 });
    const error = await failure(impatient.findByReference("message-306"));
    expect([error.kind, error.status]).toEqual(["retryable", undefined]);
    expect(error.message).toContain("did not answer in time");
    expect(fake.requests.map((r) => r.url)).toEqual(["/v2/notifications?reference=message-306"]);
  });

  it("a template Notify does not have (400 naming the template) is template_missing, naming the template id", async () => {
    const gone = "0d0d0d0d-3333-4a4a-8b8b-9c9c9c9c9c9c";
    fake.missingTemplate(gone);
    const error = await failure(email("message-303", gone));
    expect([error.kind, error.status]).toEqual(["template_missing", 400]);
    expect(error.message).toContain(gone);
    expect(error.message).toContain("will not be tried again");
    expect(fake.notifications.some((n) => n.reference === "message-303")).toBe(false);
  });

  it("a bad email address or a landline (400 validation) is permanent, saying what Notify objected to", async () => {
    const badEmail = await failure(email("message-304", EMAIL_TEMPLATE, "not-an-address"));
    expect([badEmail.kind, badEmail.status]).toEqual(["permanent", 400]);
    expect(badEmail.message).toContain("email_address Not a valid email address");
    const landline = await failure(
      sender.sendSms({
        templateId: SMS_TEMPLATE,
        phoneNumber: "01632 960001",
        personalisation: {},
        reference: "m",
      }),
    );
    expect([landline.kind, landline.message]).toEqual([
      "permanent",
      expect.stringContaining("phone_number Not a UK mobile number"),
    ]);
  });

  it("403 (the API key refused) is auth, telling the administrator to check the council's key", async () => {
    fake.failNext(1, 403);
    const error = await failure(
      sender.sendPrecompiledLetter({ reference: "message-305", pdf: PDF, postage: "second" }),
    );
    expect([error.kind, error.status]).toEqual(["auth", 403]);
    expect(error.message).toContain("API key");
  });
});

describe("the fake Notify itself", () => {
  it("refuses a request with no Authorization header with 403, as Notify does", async () => {
    const response = await fetch(`${fake.baseUrl}/v2/notifications?reference=x`);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      status_code: 403,
      errors: [{ error: "AuthError", message: "Unauthorized: authentication token must be provided" }],
    });
  });

  it("POSTs a delivery-status callback with the bearer token and Notify's fields", async () => {
    const sent = await sender.sendSms({
      templateId: SMS_TEMPLATE,
      phoneNumber: "07700900456",
      personalisation: {},
      reference: "message-401",
    });
    const received: { authorization: string | undefined; body: unknown }[] = [];
    const receiver = createServer((req, res) => {
      let text = "";
      req.on("data", (c: Buffer) => {
        text += c.toString("utf8");
      });
      req.on("end", () => {
        received.push({ authorization: req.headers.authorization, body: JSON.parse(text) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify/callback`;
    try {
      const status = await fake.sendCallback({
        url,
        bearerToken: "council-callback-token",
        id: sent.id,
        status: "permanent-failure",
      });
      expect(status).toBe(204);
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
    expect(received).toHaveLength(1);
    expect(received[0]?.authorization).toBe("Bearer council-callback-token");
    expect(received[0]?.body).toEqual({
      id: sent.id,
      reference: "message-401",
      to: "07700900456",
      status: "permanent-failure",
      created_at: expect.any(String),
      completed_at: expect.any(String),
      sent_at: expect.any(String),
      notification_type: "sms",
    });
    expect(await sender.findByReference("message-401")).toMatchObject({ status: "permanent-failure" });
  });
});
