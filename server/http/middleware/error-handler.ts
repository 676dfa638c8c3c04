import type { Middleware } from 'koa';
import type { ErrorBody, ErrorCode } from '../../../shared/schemas/errors';
import { AppError } from '../../errors';
import { StorageUnavailableError } from '../../storage/object-storage';
import type { AppState } from '../state';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 422,
  unauthorized: 401,
  token_expired: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  personal_data_uncovered: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  internal: 500,
  unavailable: 503,
};

/** Koa's own HTTP errors (for example from ctx.throw) keep their status with a generic Chinese message. */
const GENERIC_BY_STATUS: Record<number, [ErrorCode, string]> = {
  400: ['bad_request', '请求有误'],
  401: ['unauthorized', '请先登录'],
  403: ['forbidden', '您没有权限做这件事'],
  404: ['not_found', '找不到您要的内容'],
  413: ['payload_too_large', '发送的内容太大了'],
  415: ['unsupported_media_type', '不支持这种内容格式'],
};

/**
 * The one place errors become responses: JSON `{error:{code,message}}` with a plain Chinese
 * message. Details and stacks go to the log only, under the request id the client also gets.
 */
export function errorHandler(): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
      // Nothing answered: an unknown path (404), or a known path with another method (405, set by allowedMethods).
      if (ctx.body == null && ctx.status === 404)
        throw new AppError('not_found', ctx.path.startsWith('/api/') ? '没有这个接口' : '找不到这个页面');
      if (ctx.body == null && ctx.status === 405) throw new AppError('method_not_allowed', '这个接口不支持这种请求方式');
    } catch (error) {
      let code: ErrorCode = 'internal';
      let message = '服务器出了点问题，请稍后再试';
      let field: string | undefined;
      let state: string | undefined;
      let retryAfterSeconds: number | undefined;
      if (error instanceof AppError) {
        code = error.code;
        message = error.userMessage;
        field = error.details.field;
        if (typeof error.details.state === 'string') state = error.details.state;
        if (error.details.retryAfterSeconds) {
          retryAfterSeconds = error.details.retryAfterSeconds;
          ctx.set('Retry-After', String(retryAfterSeconds));
        }
      } else if (error instanceof StorageUnavailableError) {
        code = 'unavailable';
        message = '存放图片的服务器暂时连不上，请过几分钟再试';
        retryAfterSeconds = 30;
        ctx.set('Retry-After', '30');
      } else if (isHttpError(error) && GENERIC_BY_STATUS[error.status]) {
        [code, message] = GENERIC_BY_STATUS[error.status];
      }
      const status = STATUS[code];
      const log = ctx.state.log;
      if (status >= 500) log?.error({ err: error, method: ctx.method, path: ctx.path }, '[http:error]');
      else log?.info({ code, detail: error instanceof Error ? error.message : String(error), field }, '[http:client-error]');
      const body: ErrorBody = { error: { code, message, ...(field ? { field } : {}), ...(state ? { state } : {}), ...(retryAfterSeconds ? { retryAfterSeconds } : {}), requestId: ctx.state.requestId } };
      ctx.status = status;
      ctx.body = body;
    }
  };
}

function isHttpError(error: unknown): error is { status: number; expose?: boolean } {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number';
}
