/**
 * The storage account does not answer (Azurite stopped, a network fault): every route that needs
 * it says so (503, Chinese + English, nothing changed), health reports it, and validate still
 * answers the sheet's own checks.
 */
jest.mock('@azure/functions-core', () => require('../../functions/local/core-capture').fakeCore, { virtual: true });

import { createServer } from 'node:net';
import '../../functions/index';
import { clearReferenceCache } from '../../functions/lib/data';
import { isUnreachable, resetStore } from '../../functions/lib/storage';
import { readXlsx } from '../../shared/xlsx/read';
import { body, call, configureKeys, request, toWire, writeSample, XLSX, type Sample } from './helpers';

let sample: Sample;
let closedPort = 0;

/** A port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

beforeAll(async () => {
  configureKeys();
  sample = await writeSample();
  closedPort = await freePort();
  const account = 'devstoreaccount1';
  const key = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
  process.env.LAND_SURVEY_STORAGE =
    `DefaultEndpointsProtocol=http;AccountName=${account};AccountKey=${key};` +
    `BlobEndpoint=http://127.0.0.1:${closedPort}/${account};TableEndpoint=http://127.0.0.1:${closedPort}/${account};`;
  resetStore();
  clearReferenceCache();
});
afterAll(() => {
  process.env.LAND_SURVEY_STORAGE = 'memory';
  resetStore();
});

const unavailable = (res: { status?: number; jsonBody?: unknown }) => {
  expect(res.status).toBe(503);
  const b = res.jsonBody as { error: string; message: string; messageEn: string };
  expect(b.error).toBe('storage-unavailable');
  expect(b.message).toContain('存储服务暂时无法连接');
  expect(b.messageEn).toContain('cannot be reached');
};

test('a submission is a 503 that says the storage cannot be reached', async () => {
  unavailable(await call('submit', request('POST', 'submissions', { who: 'industry', bytes: sample.bytes('industrial'), contentType: XLSX })));
}, 20_000);

test('listing submissions, determining and consolidating are 503s too', async () => {
  unavailable(await call('listSubmissions', request('GET', 'submissions', { who: 'office' })));
  const wb = await readXlsx(sample.bytes('industrial'), sample.fileName('industrial'));
  const sheet = toWire(wb.sheets.find((x) => x.rows.length > 2)!);
  unavailable(await call('determine', request('POST', 'determine', { who: 'industry', json: sheet })));
  unavailable(await call('consolidate', request('POST', 'consolidate', { who: 'office', query: 'format=json' })));
}, 30_000);

test("validate still answers the sheet's own checks, and says the base map was not checked", async () => {
  const wb = await readXlsx(sample.bytes('industrial'), sample.fileName('industrial'));
  const sheet = toWire(wb.sheets.find((x) => x.rows.length > 2)!);
  const res = await call('validate', request('POST', 'validate', { who: 'industry', json: sheet }));
  expect(res.status).toBe(200);
  const b = body(res);
  expect(b.checkedAgainstBase).toBe(false);
  expect(b.notice).toContain('未对照地块底图');
  expect(b.issues.length).toBeGreaterThan(0); // the sample's own mistakes are still found
}, 20_000);

test('health reports the storage as unreachable', async () => {
  const b = body(await call('health', request('GET', 'health')));
  expect(b).toMatchObject({ status: 'ok', storageConfigured: true, storage: 'unreachable' });
});

test('what counts as "did not answer": network codes, 503, wrapped causes; not a refusal', () => {
  expect(isUnreachable(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
  expect(isUnreachable(Object.assign(new Error('x'), { name: 'RestError', code: 'REQUEST_SEND_ERROR' }))).toBe(true);
  expect(isUnreachable(Object.assign(new Error('x'), { statusCode: 503 }))).toBe(true);
  expect(isUnreachable(Object.assign(new Error('x'), { cause: Object.assign(new Error('y'), { code: 'ENOTFOUND' }) }))).toBe(true);
  expect(isUnreachable(Object.assign(new Error('x'), { statusCode: 404, code: 'BlobNotFound' }))).toBe(false);
  expect(isUnreachable(Object.assign(new Error('x'), { statusCode: 403, code: 'AuthorizationFailure' }))).toBe(false);
  expect(isUnreachable(null)).toBe(false);
});
