import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { acceptByteUploads, acceptTextUploads, isUploadedText } from "#/platform/web/uploads.ts";

/** A multipart body with one file and one plain field, as a browser sends it. */
function multipart(fileName: string, content: string) {
  const boundary = "----upfront-test";
  const payload = [
    `--${boundary}`,
    'Content-Disposition: form-data; name="note"',
    "",
    "hello",
    `--${boundary}`,
    `Content-Disposition: form-data; name="file"; filename="${fileName}"`,
    "Content-Type: text/csv",
    "",
    content,
    `--${boundary}--`,
    "",
  ].join("\r\n");
  return { payload, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

async function appWith(accept: typeof acceptTextUploads) {
  const app = Fastify();
  await app.register(async (scope) => {
    await accept(scope, { maxBytes: 10, fields: 5, fieldSize: 100 });
    scope.post("/upload", async (request) => request.body);
  });
  return app;
}

describe("uploads (issue 14: one uploads kit for every page that takes a file)", () => {
  it("rule: a text file arrives with the other fields, named and read as UTF-8", async () => {
    const app = await appWith(acceptTextUploads);
    const body = (
      await app.inject({ method: "POST", url: "/upload", ...multipart("a.csv", "a,b\n1,2") })
    ).json();
    expect(body.note).toBe("hello");
    expect(isUploadedText(body.file)).toBe(true);
    expect(body.file).toEqual({ fileName: "a.csv", text: "a,b\n1,2", tooLarge: false });
    expect(isUploadedText(body.note)).toBe(false);
  });

  it("rule: a file over the limit is cut short and flagged, not refused with an error page, so the page can say what to do", async () => {
    const app = await appWith(acceptTextUploads);
    const res = await app.inject({ method: "POST", url: "/upload", ...multipart("big.csv", "x".repeat(25)) });
    expect(res.statusCode).toBe(200);
    expect(res.json().file).toEqual({ fileName: "big.csv", text: "x".repeat(10), tooLarge: true });
  });

  it("rule: a file kept as bytes (a receipt) arrives as its bytes", async () => {
    const app = await appWith(acceptByteUploads);
    const body = (await app.inject({ method: "POST", url: "/upload", ...multipart("r.pdf", "%PDF") })).json();
    expect(body.file.fileName).toBe("r.pdf");
    expect(Object.values(body.file.bytes)).toEqual([...Buffer.from("%PDF")]);
  });
});
