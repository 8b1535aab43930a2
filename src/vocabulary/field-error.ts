/**
 * One problem with the input: where it is, and what to do about it, in plain English. Shared by the pure
 * calculations (which report what they refuse) and the forms and APIs (which show it beside the field).
 */
export type FieldError = { path: string; message: string };
