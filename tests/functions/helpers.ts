/**
 * Shared by the functions tests: keys and roles, real `HttpRequest` / `InvocationContext`
 * objects, the registered handlers (captured by the `@azure/functions-core` stand-in that each
 * test file mocks), a small sample data set written as department workbooks, and Azurite.
 */
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registrations } from '../../functions/local/core-capture';
import { getStore, MemoryStore, resetStore, type Store } from '../../functions/lib/storage';
import { writeSampleWorkbooks, type WrittenSample } from '../../shared/sample';
import type { FormId } from '../../shared/forms';
import type { CellValue, SheetGrid } from '../../shared/grid';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const KEYS = {
  office: 'office-test-key-1',
  industry: 'industry-test-key-2',
  street: 'street-test-key-3',
  housing: 'housing-test-key-4',
} as const;
export type Who = keyof typeof KEYS;

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** The local development key mode (LAND_SURVEY_AUTH=dev-keys), LAND_SURVEY_KEYS with only the hashes of the test keys. */
export function configureKeys(): void {
  process.env.LAND_SURVEY_AUTH = 'dev-keys';
  process.env.LAND_SURVEY_KEYS = JSON.stringify({
    office: { name: '市规划资源局河东分局', role: 'office', keyHash: sha(KEYS.office) },
    industry: { name: '区产业发展促进局', role: 'department', keyHash: sha(KEYS.industry) },
    street: { name: '大王庄街道办事处', role: 'street', keyHash: sha(KEYS.street) },
    housing: { name: '区住房建设委', role: 'department', keyHash: sha(KEYS.housing) },
  });
}

export function keyHeader(who: Who): Record<string, string> {
  return { 'x-land-survey-key': KEYS[who] };
}

export interface CallInit {
  who?: Who;
  headers?: Record<string, string>;
  params?: Record<string, string>;
  query?: string;
  json?: unknown;
  text?: string;
  bytes?: Uint8Array;
  contentType?: string;
}

/** A real HttpRequest as the host would hand it to a handler. */
export function request(method: string, path: string, init: CallInit = {}): HttpRequest {
  const headers: Record<string, string> = { ...(init.who ? keyHeader(init.who) : {}), ...init.headers };
  let body: { string?: string; bytes?: Uint8Array } | undefined;
  if (init.json !== undefined) {
    body = { string: JSON.stringify(init.json) };
    headers['content-type'] ??= 'application/json';
  } else if (init.text !== undefined) body = { string: init.text };
  else if (init.bytes) body = { bytes: init.bytes };
  if (init.contentType) headers['content-type'] = init.contentType;
  return new HttpRequest({
    method,
    url: `http://localhost/api/${path}${init.query ? `?${init.query}` : ''}`,
    headers,
    params: init.params ?? {},
    body,
  });
}

/** Calls the handler the app registered under `name`. */
export async function call(name: string, req: HttpRequest): Promise<HttpResponseInit> {
  const reg = registrations.find((r) => r.name === name);
  if (!reg) throw new Error(`function ${name} was not registered`);
  const ctx = new InvocationContext({ functionName: name, invocationId: 'test', logHandler: () => {} });
  return (await reg.handler(req, ctx)) as HttpResponseInit;
}

export function body<T = any>(res: HttpResponseInit): T {
  return res.jsonBody as T;
}

export interface Sample {
  written: WrittenSample;
  dir: string;
  /** File path of the first workbook holding `form`. */
  file(form: FormId): string;
  bytes(form: FormId): Uint8Array;
  fileName(form: FormId): string;
}

/** A small sample set (about 60 parcels) written as the departments' workbooks. */
export async function writeSample(scale = 0.2): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'functions-sample-'));
  const written = await writeSampleWorkbooks(dir, { scale });
  const idx = (form: FormId) => {
    const i = written.data.workbooks.findIndex((w) => w.sheets.some((s) => s.form === form && s.rows.length > 0));
    if (i < 0) throw new Error(`sample has no ${form} workbook`);
    return i;
  };
  return {
    written,
    dir,
    file: (form) => written.files[idx(form)],
    bytes: (form) => new Uint8Array(readFileSync(written.files[idx(form)])),
    fileName: (form) => written.data.workbooks[idx(form)].file,
  };
}

export const REFERENCE: FormId[] = ['base', 'tax', 'taxBenchmark', 'output', 'outputBenchmark', 'environment'];

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface Azurite {
  connectionString: string;
  stop(): Promise<void>;
}

/** Starts `scripts/azurite.mjs` (in-memory Azurite on free loopback ports) and waits until ready. */
export function startAzurite(): Promise<Azurite> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [join(__dirname, '../../scripts/azurite.mjs'), '--watch-stdin'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.once('exit', (code) => reject(new Error(`azurite.mjs exited (${code}): ${err}`)));
    child.stdout!.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      const { connectionString } = JSON.parse(out.slice(0, nl));
      resolve({
        connectionString,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/**
 * The two stores a storage test runs against (`describe.each`): the in-process one, and Azurite
 * through the Azure clients (its tables and container under a fresh prefix starting with `prefix`).
 */
export function storeBackends(prefix: string): [string, () => Promise<{ store: Store; stop: () => Promise<void> }>][] {
  return [
    ['memory', async () => ({ store: new MemoryStore() as Store, stop: async () => {} })],
    [
      'Azurite',
      async () => {
        const az = await startAzurite();
        process.env.LAND_SURVEY_STORAGE = az.connectionString;
        process.env.LAND_SURVEY_STORAGE_PREFIX = `${prefix}${Date.now().toString(36)}`;
        resetStore();
        return { store: getStore(), stop: () => az.stop() };
      },
    ],
  ];
}

/**
 * A sheet as the add-in sends it: Office.js `range.values` carry dates as Excel serial numbers,
 * so date cells become serials (JSON has no date type).
 */
export function toWire(s: SheetGrid): { name: string; rows: CellValue[][]; firstRow?: number; firstCol?: number; merges?: SheetGrid['merges'] } {
  const cell = (v: CellValue): CellValue => (v instanceof Date ? v.getTime() / 86_400_000 + 25_569 : v);
  // as the add-in sends a sheet: values (dates as serials) and the merged ranges
  return { name: s.name, rows: s.rows.map((r) => r.map(cell)), firstRow: s.firstRow, firstCol: s.firstCol, ...(s.merges ? { merges: s.merges } : {}) };
}
