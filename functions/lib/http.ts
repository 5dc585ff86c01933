/**
 * HTTP plumbing shared by the functions: errors with Chinese (+English) messages, body limits,
 * content types, safe JSON. Every failure becomes one response; nothing here throws past `handle`.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { isRealIsoDate } from '../../shared/dates';
import { UnusableInputError } from '../../shared/types';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The error body every failing call answers with. */
export interface ErrorBody {
  error: string;
  message: string;
  messageEn: string;
  issues?: unknown[];
}

export class HttpError extends Error {
  /** Extra response headers (e.g. `www-authenticate` on a 401). */
  headers?: Record<string, string>;
  constructor(
    public readonly status: number,
    public readonly code: string,
    public readonly messageZh: string,
    public readonly messageEn: string,
    public readonly issues?: unknown[],
  ) {
    super(`${messageZh} / ${messageEn}`);
    this.name = 'HttpError';
  }
}

export function errorResponse(e: HttpError): HttpResponseInit {
  const body: ErrorBody = { error: e.code, message: e.messageZh, messageEn: e.messageEn };
  if (e.issues) body.issues = e.issues;
  return { status: e.status, jsonBody: body, headers: { 'cache-control': 'no-store', ...e.headers } };
}

export function json(body: unknown, status = 200): HttpResponseInit {
  return { status, jsonBody: body, headers: { 'cache-control': 'no-store' } };
}

/** RFC 5987 attachment header for a (Chinese) file name. */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function xlsxResponse(data: Uint8Array, fileName: string): HttpResponseInit {
  return {
    status: 200,
    body: data,
    headers: { 'content-type': XLSX_TYPE, 'content-disposition': attachment(fileName), 'cache-control': 'no-store' },
  };
}

type Handler = (req: HttpRequest, ctx: InvocationContext) => Promise<HttpResponseInit>;

/** Wraps a handler: known errors become their status; anything else a 500 that is logged. */
export function handle(fn: Handler): Handler {
  return async (req, ctx) => {
    try {
      return await fn(req, ctx);
    } catch (e) {
      if (e instanceof HttpError) return errorResponse(e);
      if (e instanceof UnusableInputError) {
        // a sheet sent as JSON (the add-in's) is not a file to the user who sent it
        const what = mediaType(req) === 'application/json' ? '工作表' : '文件';
        // XML that is not well-formed or declares a DTD: a bad request, as Excel would refuse it
        if (e.code) return errorResponse(new HttpError(400, e.code, `无法使用的${what}：${e.reasonZh}`, `unusable input: ${e.reasonEn}`));
        return errorResponse(new HttpError(422, 'unusable-input', `无法使用的${what}：${e.reasonZh}`, `unusable input: ${e.reasonEn}`));
      }
      ctx.error(`${ctx.functionName} failed`, e);
      return errorResponse(new HttpError(500, 'internal-error', '服务器内部错误，请稍后重试或联系管理员', 'internal server error'));
    }
  };
}

function mediaType(req: HttpRequest): string {
  return (req.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
}

/** 415 unless the body's media type is one of `types`. */
export function requireContentType(req: HttpRequest, types: readonly string[], what: string): void {
  const t = mediaType(req);
  if (!types.includes(t)) {
    throw new HttpError(415, 'unsupported-media-type', `请求内容类型须为${what}（${types[0]}），收到“${t || '无'}”`, `content type must be ${types.join(' or ')}, got "${t || 'none'}"`);
  }
}

function tooLarge(limit: number): HttpError {
  const mb = (limit / 1024 / 1024).toFixed(1);
  return new HttpError(413, 'payload-too-large', `请求内容超过上限（${mb} MB）`, `request body exceeds the limit of ${mb} MB`);
}

/** The body as bytes; 413 when the declared or actual size passes `limit`, 400 when empty. */
export async function readBody(req: HttpRequest, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const buf = new Uint8Array(await req.arrayBuffer());
  if (buf.byteLength > limit) throw tooLarge(limit);
  if (buf.byteLength === 0) throw new HttpError(400, 'empty-body', '请求内容为空', 'request body is empty');
  return buf;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * JSON.parse that refuses `__proto__` / `constructor` / `prototype` keys (also when written with
 * escapes). The precise check only runs when the text could hold such a key.
 */
export function parseJsonSafe(text: string): unknown {
  const suspicious = /__proto__|constructor|prototype|\\u/.test(text);
  let bad: string | undefined;
  let value: unknown;
  try {
    value = suspicious
      ? JSON.parse(text, function (key, v) {
          if (FORBIDDEN_KEYS.has(key) && !Array.isArray(this)) bad = key;
          return v;
        })
      : JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, 'malformed-json', `请求内容不是有效的JSON：${(e as Error).message}`, `malformed JSON: ${(e as Error).message}`);
  }
  if (bad) throw new HttpError(400, 'forbidden-key', `JSON中不允许出现键“${bad}”`, `JSON key "${bad}" is not allowed`);
  return value;
}

/** Content type, size limit and safe parse of a JSON body. */
export async function readJson(req: HttpRequest, limit: number): Promise<unknown> {
  requireContentType(req, ['application/json'], 'JSON');
  const bytes = await readBody(req, limit);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'malformed-json', '请求内容不是有效的UTF-8文本', 'request body is not valid UTF-8');
  }
  return parseJsonSafe(text);
}

/** Phase times of one call, sent as a `Server-Timing` header (what the bench splits overhead by). */
export class Timing {
  private last = performance.now();
  private parts: string[] = [];
  lap(name: string): void {
    const now = performance.now();
    this.parts.push(`${name};dur=${(now - this.last).toFixed(1)}`);
    this.last = now;
  }
  header(): string {
    return this.parts.join(', ');
  }
}

/** A YYYY-MM-DD query value that is a real date; 400 otherwise. */
export function parseDateParam(raw: string | null, name: string, what: string): string | undefined {
  if (raw === null || raw === '') return undefined;
  if (!isRealIsoDate(raw)) throw new HttpError(400, 'bad-date', `${what}（${name}）须为 YYYY-MM-DD，收到“${raw.slice(0, 20)}”`, `${name} must be a real date as YYYY-MM-DD`);
  return raw;
}
