import type { ZodType } from 'zod';
import { AppError, invalid } from '../errors';
import type { AppContext } from './state';

/**
 * Reads a JSON body, refusing non-JSON (415), bodies over `limitBytes` (413, without reading
 * them to the end) and malformed JSON (400).
 */
export async function readJsonBody(ctx: AppContext, limitBytes: number): Promise<unknown> {
  const type = ctx.get('Content-Type');
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type))
    throw new AppError('unsupported_media_type', '请以 JSON 格式发送（Content-Type: application/json）');
  const declared = Number(ctx.get('Content-Length') || NaN);
  if (declared > limitBytes) throw new AppError('payload_too_large', `发送的内容太大了，最多 ${Math.floor(limitBytes / 1024)} KB`);

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) {
      ctx.req.unpipe();
      ctx.req.resume(); // drain the rest so the client gets the answer instead of a reset
      throw new AppError('payload_too_large', `发送的内容太大了，最多 ${Math.floor(limitBytes / 1024)} KB`);
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new AppError('invalid_json', '请求内容是空的');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError('invalid_json', '请求内容不是正确的 JSON 格式', { cause: error });
  }
}

/** Parses with a shared schema; the first problem becomes a 422 naming its field. */
export function parseWith<T>(schema: ZodType<T>, value: unknown, fallbackField = 'body'): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue.code === 'unrecognized_keys') throw invalid(issue.keys.join(','), `不认识的字段：${issue.keys.join('、')}`);
  const field = issue.path.length ? issue.path.join('.') : fallbackField;
  throw invalid(field, issue.message);
}

/** Path and query parameters: a malformed one is a bad request (400) naming it. */
export function parseParams<T>(schema: ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new AppError('bad_request', issue.message, { field: issue.path.join('.') || 'params' });
}

export async function validBody<T>(ctx: AppContext, schema: ZodType<T>, limitBytes: number): Promise<T> {
  return parseWith(schema, await readJsonBody(ctx, limitBytes));
}

/** For bodies that may be left out: a request without one reads as `{}`. */
export async function optionalValidBody<T>(ctx: AppContext, schema: ZodType<T>, limitBytes: number): Promise<T> {
  const empty = !ctx.request.length && !ctx.get('Transfer-Encoding');
  return empty ? parseWith(schema, {}) : validBody(ctx, schema, limitBytes);
}
