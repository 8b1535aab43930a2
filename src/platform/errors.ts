import type { FieldError } from "#/platform/validation.ts";

/**
 * Errors a service throws for the web, API and CLI layers to turn into a page, a problem+json or an exit
 * code. Anything else is a bug and becomes a 500.
 */
export class ValidationError extends Error {
  readonly fieldErrors: FieldError[];
  constructor(fieldErrors: FieldError[], message = "Some answers need correcting") {
    super(message);
    this.name = "ValidationError";
    this.fieldErrors = fieldErrors;
  }
}

export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} was not found`);
    this.name = "NotFoundError";
  }
}

/** The actor is known but may not do this (403). */
export class ForbiddenError extends Error {
  constructor(message = "You do not have permission to do this") {
    super(message);
    this.name = "ForbiddenError";
  }
}

/** The request is valid but the record's state does not allow it, e.g. changing a submitted assessment. */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConflictError";
  }
}

export type { FieldError };
