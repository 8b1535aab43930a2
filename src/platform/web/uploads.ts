import multipart, { type MultipartFile } from "@fastify/multipart";
import type { FastifyInstance } from "fastify";

/**
 * File uploads on a page (multipart forms), written once: registered inside the one plugin that takes them, so
 * no other route accepts multipart. The file arrives in the body with the form's other fields (keyValues); a file
 * over the limit is not refused with an error page but cut short and flagged, so the page can say what to do.
 */

/** A text file (CSV, JSON) as uploaded: its name, its text, and whether the size limit cut it short. */
export type UploadedText = { fileName: string; text: string; tooLarge: boolean };
/** A file kept as bytes (a receipt: a photo or a PDF). */
export type UploadedBytes = { fileName: string; bytes: Uint8Array };

type Limits = { maxBytes: number; fields: number; fieldSize: number };

async function register(
  app: FastifyInstance,
  limits: Limits,
  onFile: (part: MultipartFile) => Promise<unknown>,
) {
  await app.register(multipart, {
    attachFieldsToBody: "keyValues",
    async onFile(part) {
      (part as unknown as { value: unknown }).value = await onFile(part);
    },
    throwFileSizeLimit: false,
    limits: { fileSize: limits.maxBytes, files: 1, fields: limits.fields, fieldSize: limits.fieldSize },
  });
}

/** This plugin's routes take one text file (read as UTF-8) and a few fields. */
export function acceptTextUploads(app: FastifyInstance, limits: Limits): Promise<void> {
  return register(app, limits, async (part): Promise<UploadedText> => {
    const buffer = await part.toBuffer();
    return { fileName: part.filename, text: buffer.toString("utf8"), tooLarge: part.file.truncated };
  });
}

/** This plugin's routes take one file kept as bytes and a few fields. */
export function acceptByteUploads(app: FastifyInstance, limits: Limits): Promise<void> {
  return register(app, limits, async (part): Promise<UploadedBytes> => {
    const buffer = await part.toBuffer();
    return { fileName: part.filename, bytes: new Uint8Array(buffer) };
  });
}

/** True when a body field holds an uploaded text file (not a plain field of the same name). */
export const isUploadedText = (v: unknown): v is UploadedText =>
  typeof v === "object" && v !== null && "text" in v && "fileName" in v;
