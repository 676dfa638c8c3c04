import type { ErrorCode } from '../shared/schemas/errors';

/**
 * A failure the user can act on. Services throw these with a plain Chinese message;
 * the HTTP layer maps `code` to a status. Anything else is an internal error.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** Shown to the user as is: plain Simplified Chinese. */
    readonly userMessage: string,
    readonly details: { field?: string; retryAfterSeconds?: number; cause?: unknown; [key: string]: unknown } = {},
  ) {
    super(`${code}: ${userMessage}`);
    this.name = 'AppError';
  }
}

export const notFound = (message = '找不到您要的内容') => new AppError('not_found', message);
export const forbidden = (message = '您没有权限做这件事') => new AppError('forbidden', message);
export const unauthorized = (message = '请先登录') => new AppError('unauthorized', message);
export const conflict = (message: string, details: AppError['details'] = {}) => new AppError('conflict', message, details);
export const invalid = (field: string, message: string) => new AppError('validation_failed', message, { field });
