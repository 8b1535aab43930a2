import { describe, expect, it } from "vitest";
import { checkReceipt, crc32 } from "#/features/spending/receipt-check.calc.ts";
import { englandSpendingRules } from "#/rules/england/spending-rules.ts";

const MAX = englandSpendingRules.receipts.maxBytes;
const text = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: (Uint8Array | number[])[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const chunk = (type: string, data: number[]) => {
  const body = concat(text(type), data);
  return concat(u32(data.length), body, u32(crc32(body)));
};

/** The smallest real PNG: a 1×1 greyscale image (IHDR, IDAT with a zlib stream, IEND). */
const PNG = concat(
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  chunk("IHDR", [...u32(1), ...u32(1), 8, 0, 0, 0, 0]),
  chunk("IDAT", [0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]),
  chunk("IEND", []),
);
/** A JPEG's skeleton: SOI, APP0 (JFIF), SOF0, SOS, scan data, EOI. */
const JPEG = concat(
  [0xff, 0xd8],
  [0xff, 0xe0, 0x00, 0x10, ...text("JFIF\0"), 1, 1, 0, 0, 1, 0, 1, 0, 0],
  [0xff, 0xc0, 0x00, 0x0b, 8, 0, 1, 0, 1, 1, 1, 0x11, 0],
  [0xff, 0xda, 0x00, 0x08, 1, 1, 0, 0, 0x3f, 0],
  [0x12, 0x34, 0x56],
  [0xff, 0xd9],
);
const PDF = text("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

describe("receipts are checked by content, not by name (issue 6; OWASP File Upload Cheat Sheet)", () => {
  it("computes CRC-32 as the PNG specification does (check value of '123456789' is CBF43926)", () => {
    expect(crc32(text("123456789")).toString(16)).toBe("cbf43926");
  });

  it.each([
    ["receipt.pdf", PDF, "pdf", "application/pdf"],
    ["photo.JPG", JPEG, "jpeg", "image/jpeg"],
    ["photo.jpeg", JPEG, "jpeg", "image/jpeg"],
    ["scan.png", PNG, "png", "image/png"],
    ["no-extension", PNG, "png", "image/png"],
  ])("accepts %s", (name, bytes, kind, mediaType) => {
    expect(checkReceipt(bytes, name, MAX)).toEqual({ ok: true, kind, mediaType, bytes: bytes.length });
  });

  it("refuses a PNG named .pdf, saying what it really is", () => {
    expect(checkReceipt(PNG, "receipt.pdf", MAX)).toEqual({
      ok: false,
      code: "name_mismatch",
      message:
        "The file is named .pdf but it is a PNG image: rename it to end in .png, or choose the right file",
    });
  });

  it("refuses an empty file", () => {
    expect(checkReceipt(new Uint8Array(), "receipt.pdf", MAX)).toMatchObject({ ok: false, code: "empty" });
  });

  it("refuses an HTML page named .jpg as a web page", () => {
    const html = text("<!DOCTYPE html><html><body>Your receipt</body></html>");
    expect(checkReceipt(html, "receipt.jpg", MAX)).toMatchObject({
      ok: false,
      code: "web_page",
      message: expect.stringMatching(/^The file is a web page, not a receipt/),
    });
  });

  it("refuses a truncated PNG, JPEG and PDF as unfinished uploads", () => {
    for (const [bytes, name] of [
      [PNG.subarray(0, PNG.length - 5), "a.png"],
      [PNG.subarray(0, 20), "a.png"],
      [JPEG.subarray(0, JPEG.length - 2), "a.jpg"],
      [JPEG.subarray(0, 10), "a.jpg"],
      [PDF.subarray(0, 30), "a.pdf"],
    ] as const) {
      expect(checkReceipt(bytes, name, MAX)).toMatchObject({
        ok: false,
        code: "damaged",
        message: expect.stringMatching(/stops part-way through/),
      });
    }
  });

  it("refuses a PNG with a damaged chunk (wrong CRC)", () => {
    const damaged = PNG.slice();
    damaged[20] = damaged[20]! ^ 0xff; // inside IHDR's data
    expect(checkReceipt(damaged, "a.png", MAX)).toMatchObject({
      code: "damaged",
      message: expect.stringMatching(/checksum/),
    });
  });

  it("refuses other kinds of file (a Word document, plain text)", () => {
    const docx = concat([0x50, 0x4b, 0x03, 0x04], new Uint8Array(40));
    expect(checkReceipt(docx, "receipt.docx", MAX)).toMatchObject({ ok: false, code: "not_allowed_type" });
    expect(checkReceipt(text("paid £20"), "receipt.txt", MAX)).toMatchObject({
      ok: false,
      code: "not_allowed_type",
    });
  });

  it("accepts exactly 10 MB and refuses one byte more (issue 6: up to 10 MB)", () => {
    const padded = (size: number) => {
      const bytes = new Uint8Array(size);
      bytes.set(PDF.subarray(0, PDF.length - 6));
      bytes.set(text("%%EOF\n"), size - 6);
      return bytes;
    };
    expect(checkReceipt(padded(MAX), "big.pdf", MAX)).toMatchObject({ ok: true });
    expect(checkReceipt(padded(MAX + 1), "big.pdf", MAX)).toEqual({
      ok: false,
      code: "too_large",
      message: "The file is 10.1 MB: it must be 10 MB or smaller",
    });
  });
});
