import { createHash } from "node:crypto";
import { checkReceipt } from "#/features/spending/receipt-check.calc.ts";
import * as repo from "#/features/spending/repository.ts";
import { councilRulesIn } from "#/features/tenants/rules.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { NotFoundError, ValidationError } from "#/platform/errors.ts";
import type { FieldError } from "#/platform/validation.ts";

export type ReceiptView = {
  receiptId: string;
  spendId: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  createdAt: Date;
};

const EXTENSION_OF: Record<string, string> = {
  "application/pdf": "pdf",
  "image/jpeg": "jpg",
  "image/png": "png",
};

/**
 * Stores a receipt for one of the person's spends, checked by its content only (receipt-check.calc.ts): the
 * name's extension is ignored and replaced by the one that matches the content, so a PNG named .pdf is stored
 * and served as the PNG it is. The caller has already checked the uploader may manage the person's money.
 */
export async function uploadReceiptIn(
  t: TxContext,
  input: { personId: string; spendId: string; fileName: string; bytes: Uint8Array },
): Promise<ReceiptView> {
  const { tx } = t;
  const errors: FieldError[] = [];
  const spend = /^[0-9a-f-]{36}$/i.test(input.spendId) ? await repo.spendById(tx, input.spendId) : undefined;
  if (!spend || spend.person_id !== input.personId) {
    errors.push({ path: "spendId", message: "Choose the payment the receipt is for" });
  }
  const rules = (await councilRulesIn(t.tx, t.today)).spending.rules;
  const stem =
    input.fileName
      .replace(/^.*[\\/]/, "")
      .replace(/\.[A-Za-z0-9]{1,5}$/, "")
      .trim() || "receipt";
  const check = checkReceipt(input.bytes, stem, rules.receipts.maxBytes);
  if (!check.ok) errors.push({ path: "receipt", message: check.message });
  if (errors.length || !check.ok || !spend) throw new ValidationError(errors, "The receipt was not uploaded");
  const fileName = `${stem.replace(/[^\p{L}\p{N} ._()-]+/gu, "_").slice(0, 200)}.${EXTENSION_OF[check.mediaType]}`;
  const receiptId = uuidv7();
  await repo.insertReceipt(tx, {
    receipt_id: receiptId,
    spend_id: spend.spend_id,
    person_id: spend.person_id,
    file_name: fileName,
    media_type: check.mediaType,
    size_bytes: check.bytes,
    sha256: createHash("sha256").update(input.bytes).digest("hex"),
    content: input.bytes,
    uploaded_by: actorRef(tx.scope.actor),
  });
  await audit(tx, {
    action: "spending.receipt_uploaded",
    recordType: "receipt",
    recordId: receiptId,
    changes: { spendId: spend.spend_id, mediaType: check.mediaType, sizeBytes: check.bytes },
  });
  return {
    receiptId,
    spendId: spend.spend_id,
    fileName,
    mediaType: check.mediaType,
    sizeBytes: check.bytes,
    createdAt: new Date(),
  };
}

export const uploadReceipt = (ctx: ServiceContext, input: Parameters<typeof uploadReceiptIn>[1]) =>
  inTenant(ctx, (t) => uploadReceiptIn(t, input));

/** A receipt's file, for download; `personId` given → only that person's (the portal). Audited as a view. */
export async function receiptFileIn(t: TxContext, receiptId: string, personId?: string) {
  const row = /^[0-9a-f-]{36}$/i.test(receiptId) ? await repo.receiptById(t.tx, receiptId) : undefined;
  if (!row || (personId !== undefined && row.person_id !== personId)) throw new NotFoundError("The receipt");
  await audit(t.tx, {
    action: "view",
    recordType: "receipt",
    recordId: receiptId,
    changes: { personId: row.person_id },
  });
  return { fileName: row.file_name, mediaType: row.media_type, content: Buffer.from(row.content) };
}

export const receiptFile = (ctx: ServiceContext, receiptId: string, personId?: string) =>
  inTenant(ctx, (t) => receiptFileIn(t, receiptId, personId));

export async function receiptsOfPersonIn(t: TxContext, personId: string): Promise<ReceiptView[]> {
  return (await repo.receiptsOfPerson(t.tx, personId)).map((r) => ({
    receiptId: r.receipt_id,
    spendId: r.spend_id,
    fileName: r.file_name,
    mediaType: r.media_type,
    sizeBytes: r.size_bytes,
    createdAt: r.created_at,
  }));
}
