import { z } from '../zod';

/** Every error the server sends has this shape; `message` is plain Chinese for the user. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    /** For a refused transition (409): the state the thing is in now, e.g. `published`. */
    state: z.string().optional(),
    /** For 429: seconds to wait, as in Retry-After (some clients cannot read headers). */
    retryAfterSeconds: z.number().int().optional(),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const ERROR_CODES = [
  'bad_request',
  'invalid_json',
  'validation_failed',
  'unauthorized',
  'token_expired',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'conflict',
  /** Approval refused: an ID card or phone number lies outside every redaction box (409; fix the boxes or give an override reason). */
  'personal_data_uncovered',
  'payload_too_large',
  'unsupported_media_type',
  'too_many_requests',
  'internal',
  'unavailable',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
