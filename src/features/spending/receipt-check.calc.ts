/**
 * Is an uploaded receipt really a PDF, JPEG or PNG? Decided by the bytes, never by the file's name or the type the
 * browser claims (Upfront issue 6: "checked by content, not by name"; OWASP File Upload Cheat Sheet: validate the
 * file signature, not the extension or Content-Type). Pure: bytes in, verdict out.
 *
 * Checks, per kind:
 * - PDF (ISO 32000-1 §7.5.2, §7.5.5): starts with "%PDF-1.x" or "%PDF-2.x", and "%%EOF" in its last 1,024 bytes
 *   (a truncated upload loses it).
 * - PNG (PNG specification, W3C, §5.2–5.3): the 8-byte signature, then chunks (length, type, data, CRC-32), the
 *   first IHDR of 13 bytes, every CRC correct, ending with IEND and nothing after it.
 * - JPEG (ITU-T T.81, Annex B): starts with SOI (FF D8), marker segments with lengths that fit in the file, a frame
 *   header (SOF) before the scan (SOS), and ends with EOI (FF D9).
 * A file whose name says one kind but whose content is another (a PNG named .pdf) is refused, so what is stored,
 * named and served always agree. Empty files, files over the limit and web pages are refused by name.
 */

export const RECEIPT_KINDS = ["pdf", "jpeg", "png"] as const;
export type ReceiptKind = (typeof RECEIPT_KINDS)[number];

export const RECEIPT_MEDIA_TYPES: Record<ReceiptKind, string> = {
  pdf: "application/pdf",
  jpeg: "image/jpeg",
  png: "image/png",
};

const EXTENSIONS: Record<ReceiptKind, readonly string[]> = {
  pdf: ["pdf"],
  jpeg: ["jpg", "jpeg"],
  png: ["png"],
};

const KIND_NAMES: Record<ReceiptKind, string> = { pdf: "a PDF", jpeg: "a JPEG photo", png: "a PNG image" };

export type ReceiptProblemCode =
  | "empty"
  | "too_large"
  | "not_allowed_type"
  | "web_page"
  | "damaged"
  | "name_mismatch";

export type ReceiptCheck =
  | { readonly ok: true; readonly kind: ReceiptKind; readonly mediaType: string; readonly bytes: number }
  | { readonly ok: false; readonly code: ReceiptProblemCode; readonly message: string };

const ascii = (bytes: Uint8Array, from: number, length: number) =>
  String.fromCharCode(...bytes.subarray(from, from + length));

/** Whole megabytes as "10 MB"; otherwise rounded up to a tenth, so a file just over the limit never reads as equal to it. */
const megabytes = (n: number) => {
  const mb = n / (1024 * 1024);
  return Number.isInteger(mb) ? `${mb} MB` : `${(Math.ceil(mb * 10) / 10).toFixed(1)} MB`;
};

// ---------------------------------------------------------------------------------------------------------------
// PNG

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as the PNG specification defines it (Annex D). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngProblem(bytes: Uint8Array): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  let first = true;
  while (at + 12 <= bytes.length) {
    const length = view.getUint32(at);
    const type = ascii(bytes, at + 4, 4);
    if (at + 12 + length > bytes.length)
      return "it stops part-way through (the upload may not have finished)";
    if (first && (type !== "IHDR" || length !== 13)) return "it does not start with an image header";
    const crc = view.getUint32(at + 8 + length);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== crc)
      return "part of it is damaged (a checksum is wrong)";
    at += 12 + length;
    first = false;
    if (type === "IEND")
      return at === bytes.length ? undefined : "it has extra data after the end of the image";
  }
  return "it stops part-way through (the upload may not have finished)";
}

// ---------------------------------------------------------------------------------------------------------------
// JPEG

function jpegProblem(bytes: Uint8Array): string | undefined {
  let at = 2;
  let sawFrame = false;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return "its structure is damaged";
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    if (length < 2 || at + 2 + length > bytes.length)
      return "it stops part-way through (the upload may not have finished)";
    // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC), are frame headers.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      sawFrame = true;
    if (marker === 0xda) {
      if (!sawFrame) return "its structure is damaged (no image header before the picture data)";
      // The entropy-coded data runs to EOI; allow trailing zero padding some cameras write.
      let end = bytes.length;
      while (end > 0 && bytes[end - 1] === 0x00) end--;
      return bytes[end - 2] === 0xff && bytes[end - 1] === 0xd9
        ? undefined
        : "it stops part-way through (the upload may not have finished)";
    }
    at += 2 + length;
  }
  return "it stops part-way through (the upload may not have finished)";
}

// ---------------------------------------------------------------------------------------------------------------
// PDF

function pdfProblem(bytes: Uint8Array): string | undefined {
  if (!/^%PDF-[12]\.\d/.test(ascii(bytes, 0, 8))) return "its header is not a PDF version";
  const tail = ascii(bytes, Math.max(0, bytes.length - 1024), Math.min(1024, bytes.length));
  return tail.includes("%%EOF") ? undefined : "it stops part-way through (the upload may not have finished)";
}

// ---------------------------------------------------------------------------------------------------------------

function kindOf(bytes: Uint8Array): ReceiptKind | undefined {
  if (ascii(bytes, 0, 5) === "%PDF-") return "pdf";
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return "png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  return undefined;
}

function looksLikeHtml(bytes: Uint8Array): boolean {
  const start = new TextDecoder("utf-8", { fatal: false })
    .decode(bytes.subarray(0, 512))
    .replace(/^\uFEFF/, "")
    .trimStart()
    .toLowerCase();
  return /^<(!doctype html|html|head|body|script|svg|\?xml)/.test(start);
}

const extensionOf = (name: string) => {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(name.trim());
  return m ? m[1]!.toLowerCase() : undefined;
};

/** Checks a receipt's bytes against the kinds allowed and the size limit (rules: receipts.maxBytes). */
export function checkReceipt(bytes: Uint8Array, fileName: string, maxBytes: number): ReceiptCheck {
  const fail = (code: ReceiptProblemCode, message: string): ReceiptCheck => ({ ok: false, code, message });
  if (bytes.length === 0) return fail("empty", "The selected file is empty: choose the receipt file again");
  if (bytes.length > maxBytes) {
    return fail(
      "too_large",
      `The file is ${megabytes(bytes.length)}: it must be ${megabytes(maxBytes)} or smaller`,
    );
  }
  const kind = kindOf(bytes);
  if (!kind) {
    return looksLikeHtml(bytes)
      ? fail(
          "web_page",
          "The file is a web page, not a receipt: save the receipt as a PDF, or take a photo of it (JPEG or PNG)",
        )
      : fail(
          "not_allowed_type",
          "The file must be a PDF, JPEG or PNG: save or scan the receipt as one of those",
        );
  }
  const problem =
    kind === "pdf" ? pdfProblem(bytes) : kind === "png" ? pngProblem(bytes) : jpegProblem(bytes);
  if (problem) return fail("damaged", `The file is ${KIND_NAMES[kind]} but ${problem}: upload it again`);
  const extension = extensionOf(fileName);
  const claimed = RECEIPT_KINDS.find((k) => extension !== undefined && EXTENSIONS[k].includes(extension));
  if (extension !== undefined && claimed !== kind) {
    return fail(
      "name_mismatch",
      `The file is named .${extension} but it is ${KIND_NAMES[kind]}: rename it to end in .${EXTENSIONS[kind][0]}, or choose the right file`,
    );
  }
  return { ok: true, kind, mediaType: RECEIPT_MEDIA_TYPES[kind], bytes: bytes.length };
}
