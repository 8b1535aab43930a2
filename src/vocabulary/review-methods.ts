/**
 * How a review was held: Upfront's own words, stored with each review (reviews' record) and shown on its pages.
 * They are not a statutory list, so they live here rather than in dated rules; what each becomes in a return is
 * a dated rule (e.g. CLD Method of Review: rules/england/cld.ts, mappings.review.methodByCode).
 *
 * "Self-review" is the person reviewing their own plan (for example on a self-review form) and a worker recording
 * it; it is never assumed: a review without a recorded method stays without one.
 */
export const REVIEW_METHODS = ["face_to_face", "telephone", "video", "self_review", "other"] as const;
export type ReviewMethod = (typeof REVIEW_METHODS)[number];

export const REVIEW_METHOD_LABELS: Readonly<Record<ReviewMethod, string>> = {
  face_to_face: "Face to face",
  telephone: "By telephone",
  video: "By video call",
  self_review: "The person reviewed their own plan",
  other: "Another way",
};

/** A hint under an option where its label alone could be read two ways. */
export const REVIEW_METHOD_HINTS: Readonly<Partial<Record<ReviewMethod, string>>> = {
  face_to_face: "In person, for example at the person's home",
  self_review: "For example on a self-review form, which a worker then went through",
};
