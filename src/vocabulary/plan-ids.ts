import { z } from "zod";
import { whenMissing } from "#/vocabulary/schema-kit.ts";

/** Ids inside one plan (outcomes, supports, risks): short, stable, safe in a URL and a form field name. */
export const localIdSchema = z
  .string(whenMissing("Give an id made of letters, digits, - and _"))
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "An id is 1 to 64 letters, digits, - or _" });
