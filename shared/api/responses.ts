import { errorBodySchema } from '../schemas/errors';
import { named } from './schema-names';
import type { ResponseSpec } from './route-spec';

/** Every error body: `{ error: { code, message, field?, state?, requestId? } }`, message in Chinese. */
export const errorBody = named('Error', errorBodySchema);

const ERROR_DESCRIPTIONS = {
  400: 'Bad request: a malformed path or query parameter (`bad_request`, naming `field`).',
  401: 'Not logged in, or the token is invalid (`unauthorized`) or expired (`token_expired`).',
  403: 'Logged in, but not allowed to do this (`forbidden`).',
  404: 'No such thing, or not visible to the caller (`not_found`).',
  409: 'Refused in the current state, or edited by someone else meanwhile (`conflict`; `state` names the current state).',
  413: 'The body is too large (`payload_too_large`).',
  415: 'Wrong Content-Type (`unsupported_media_type`).',
  422: 'The body failed validation (`validation_failed`; `field` names the first bad field).',
  429: 'Too many attempts (`too_many_requests`); Retry-After says when to try again.',
  503: 'Not ready (`unavailable`).',
} as const;

export type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

/** The 400 of a route that takes a body: a bad parameter, or a body that is not JSON or not a complete upload. */
export const BAD_REQUEST_WITH_BODY = 'Bad request: a malformed path or query parameter (`bad_request`, naming `field`), or a body that cannot be read as JSON (`invalid_json`) or as a complete upload.';

/** The standard error response for each status, with its usual meaning. */
export function errorResponses(...statuses: ErrorStatus[]): Record<number, ResponseSpec> {
  const out: Record<number, ResponseSpec> = {};
  for (const status of statuses) out[status] = errorResponse(status);
  return out;
}

/** One error response, with what it means for this route when that says more than the usual meaning. */
export function errorResponse(status: ErrorStatus, description: string = ERROR_DESCRIPTIONS[status]): ResponseSpec {
  return { description, json: errorBody };
}

/** Any status not listed: an unexpected failure (`internal`, 500) or an overloaded server. */
export const unexpectedError: ResponseSpec = { description: 'Unexpected server error (`internal`).', json: errorBody };

export const notModified: ResponseSpec = {
  description: 'Not modified: the If-None-Match tag still matches, so the copy the client holds is current.',
  headers: { ETag: 'The same strong tag.' },
};

export const ETAG_HEADER = { ETag: 'Strong tag of the exact bytes; send it back in If-None-Match.' } as const;
