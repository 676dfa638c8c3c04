/** Groups of operations in the API documentation, in the order they are listed. */
export const API_TAGS = {
  public: 'What anyone may read without logging in: published months, receipts, search, statistics, images, exports.',
  chain: "Each village's public hash chain of published manifests, for independent verification.",
  auth: 'Staff login and the current account.',
  directory: 'Towns and their villages.',
  vouchers: "Receipts (vouchers) as the village's staff upload, check and correct them before publication.",
  months: "A village's month as its staff see it.",
  review: "A month's way to publication: submit, approve, reject.",
  amendments: 'Corrections to published months.',
  audit: 'The audit log.',
  users: 'Staff accounts, managed by admins.',
  meta: 'Liveness, readiness and this document.',
} as const;

export type ApiTag = keyof typeof API_TAGS;
