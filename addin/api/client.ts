/**
 * The service client: every call has a timeout, sends the signed-in user's credential (an Entra ID
 * bearer token; a development key only in a development build), and turns every failure into an
 * ApiError with a Chinese message. Answers are checked with zod.
 */
import type { z } from 'zod';
import { SignInError, type Authenticator } from '../auth/signin';
import type { SheetGrid } from '../../shared/grid';
import type { FormId } from '../../shared/forms';
import { determineAnswerSchema, errorBodySchema, healthSchema, receiptSchema, type DetermineAnswer, type Health, type Receipt } from './schemas';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type ApiErrorKind = 'config' | 'network' | 'timeout' | 'cancelled' | 'forbidden' | 'http' | 'invalid-answer';

export class ApiError extends Error {
  constructor(
    public readonly kind: ApiErrorKind,
    message: string,
    public readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Where the service is (fixed at build time) and who the user is. */
export interface Connection {
  serviceUrl: string;
  auth: Pick<Authenticator, 'headers'>;
}

export interface ClientOptions {
  fetch?: typeof fetch;
  /** Per-call timeout in ms (uploads get `uploadTimeoutMs`). */
  timeoutMs?: number;
  uploadTimeoutMs?: number;
}

/** `https://host/` or `https://host/api` → `https://host/api`; '' = the pane's own origin. Throws ApiError('config') when unusable. */
export function apiBase(serviceUrl: string): string {
  const raw = serviceUrl.trim() || (globalThis.location?.origin ?? '');
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ApiError('config', `服务地址“${raw || '（空）'}”无效，请联系管理员重新构建加载项（LAND_SURVEY_ADDIN_API_URL）`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new ApiError('config', '服务地址须以 https:// 或 http:// 开头');
  const path = u.pathname.replace(/\/+$/, '');
  return `${u.origin}${path.endsWith('/api') ? path : `${path}/api`}`;
}

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export class ApiClient {
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly uploadTimeoutMs: number;
  /** Calls in flight, so the user can cancel them. */
  private readonly inFlight = new Set<AbortController>();

  constructor(
    private readonly connection: () => Connection,
    opts: ClientOptions = {},
  ) {
    this.fetchImpl = opts.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.uploadTimeoutMs = opts.uploadTimeoutMs ?? 300_000;
  }

  /** Abandons every call in flight; each fails with ApiError('cancelled'). Nothing is written for them. */
  cancelPending(): number {
    const n = this.inFlight.size;
    for (const c of this.inFlight) c.abort();
    return n;
  }

  health(): Promise<Health> {
    return this.call('GET', '/health', undefined, undefined, healthSchema, this.timeoutMs, false);
  }

  determine(sheet: SheetGrid & { form?: FormId; file?: string; date1904?: boolean }): Promise<DetermineAnswer> {
    return this.call('POST', '/determine', JSON.stringify(sheet), 'application/json', determineAnswerSchema, this.timeoutMs);
  }

  submit(xlsx: Uint8Array, fileName: string): Promise<Receipt> {
    return this.call('POST', '/submissions', xlsx, XLSX_TYPE, receiptSchema, this.uploadTimeoutMs, true, fileName);
  }

  /** Uploads a reference dataset (office only); answers whatever the service reports (checked as an object). */
  async putReference(form: FormId, xlsx: Uint8Array, fileName: string): Promise<void> {
    await this.raw('PUT', `/reference/${encodeURIComponent(form)}`, xlsx, XLSX_TYPE, this.uploadTimeoutMs, true, fileName);
  }

  /** A unit's milestone sheet, or the office's project sheet, as the whole workbook (pilot.md §5). */
  submitPilot(kind: 'milestone' | 'project', xlsx: Uint8Array, fileName: string): Promise<Receipt> {
    return this.call('POST', kind === 'milestone' ? '/pilot/milestones' : '/pilot/projects', xlsx, XLSX_TYPE, receiptSchema, this.uploadTimeoutMs, true, fileName);
  }

  /** The office's pilot outputs as of a date: the ledger workbook or a Word document's bytes. */
  async pilotOutput(kind: 'plan' | 'ledger' | 'brief' | 'report', asOf: string): Promise<Uint8Array> {
    const want = kind === 'ledger' || kind === 'plan' ? XLSX_TYPE : DOCX_TYPE;
    const query = kind === 'plan' ? `year=${Number(asOf.slice(0, 4)) + 1}` : `asOf=${encodeURIComponent(asOf)}`;
    const res = await this.raw('GET', `/pilot/${kind}?${query}`, undefined, undefined, this.uploadTimeoutMs, true, undefined, want);
    const type = (res.headers.get('content-type') ?? '').split(';')[0].trim();
    if (type !== want) throw new ApiError('invalid-answer', `服务返回的不是${want === XLSX_TYPE ? 'Excel工作簿' : 'Word文档'}（${type || '无类型'}），未打开任何文件`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw new ApiError('invalid-answer', '服务返回的文件已损坏，未打开任何文件');
    return bytes;
  }

  /** Consolidates the latest submissions (office only) → the submission workbook's bytes. */
  async consolidate(): Promise<Uint8Array> {
    const res = await this.raw('POST', '/consolidate', '{}', 'application/json', this.uploadTimeoutMs, true, undefined, XLSX_TYPE);
    const type = (res.headers.get('content-type') ?? '').split(';')[0].trim();
    if (type !== XLSX_TYPE) throw new ApiError('invalid-answer', `服务返回的不是Excel工作簿（${type || '无类型'}），未打开任何文件`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    // an xlsx is a zip: it starts with "PK\x03\x04"
    if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw new ApiError('invalid-answer', '服务返回的工作簿已损坏，未打开任何文件');
    return bytes;
  }

  private async call<S extends z.ZodType>(
    method: string,
    path: string,
    body: BodyInit | Uint8Array | undefined,
    type: string | undefined,
    schema: S,
    timeoutMs: number,
    needsSignIn = true,
    fileName?: string,
  ): Promise<z.output<S>> {
    const res = await this.raw(method, path, body, type, timeoutMs, needsSignIn, fileName);
    let doc: unknown;
    try {
      doc = await res.json();
    } catch {
      throw new ApiError('invalid-answer', '服务返回的内容不是有效的JSON，工作表未作任何修改');
    }
    const parsed = schema.safeParse(doc);
    if (!parsed.success) {
      const where = parsed.error.issues[0]?.path.join('.') || '（根）';
      throw new ApiError('invalid-answer', `服务返回的数据格式不符（${where}），工作表未作任何修改`);
    }
    return parsed.data;
  }

  private async raw(
    method: string,
    path: string,
    body: BodyInit | Uint8Array | undefined,
    type: string | undefined,
    timeoutMs: number,
    needsSignIn: boolean,
    fileName?: string,
    accept = 'application/json',
  ): Promise<Response> {
    const conn = this.connection();
    const url = `${apiBase(conn.serviceUrl)}${path}`;
    let credential: Record<string, string> | null;
    try {
      credential = await conn.auth.headers(needsSignIn);
    } catch (e) {
      if (e instanceof SignInError) throw new ApiError('config', e.message);
      throw e;
    }
    if (needsSignIn && !credential) throw new ApiError('config', '尚未登录，请先在任务窗格中登录');
    const headers: Record<string, string> = { accept, ...credential };
    if (type) headers['content-type'] = type;
    if (fileName) headers['x-file-name'] = encodeURIComponent(fileName);
    const ctrl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctrl.abort();
    }, timeoutMs);
    this.inFlight.add(ctrl);
    let res: Response;
    try {
      res = await this.fetchImpl(url, { method, headers, body: body as BodyInit | undefined, signal: ctrl.signal });
    } catch {
      if (timedOut) throw new ApiError('timeout', `服务在${Math.round(timeoutMs / 1000)}秒内没有响应，请稍后重试`);
      if (ctrl.signal.aborted) throw new ApiError('cancelled', '已取消，工作表未作任何修改');
      throw new ApiError('network', `无法连接服务（${new URL(url).origin}），请检查网络和服务地址`);
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(ctrl);
    }
    if (res.ok) return res;
    const detail = await errorMessage(res);
    if (res.status === 403 || res.status === 401) {
      throw new ApiError('forbidden', `没有权限（${res.status}）：${detail ?? (res.status === 401 ? '登录无效或已过期，请重新登录' : '无此操作权限')}`, res.status);
    }
    throw new ApiError('http', `服务返回错误（${res.status}）${detail ? `：${detail}` : ''}`, res.status);
  }
}

async function errorMessage(res: Response): Promise<string | null> {
  try {
    const body = errorBodySchema.safeParse(await res.json());
    return body.success ? body.data.message.slice(0, 300) : null;
  } catch {
    return null;
  }
}
