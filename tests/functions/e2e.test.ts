/**
 * End to end over HTTP: the local stand-in host serving the registered handlers, with Azurite
 * (in memory, loopback) as Blob and Table storage. Concurrency: 50 determine calls and 10
 * submissions at once — all answered, none lost, stored workbooks hash-identical to what was sent.
 */
jest.mock('@azure/functions-core', () => require('../../functions/local/core-capture').fakeCore, { virtual: true });

import { BlobServiceClient } from '@azure/storage-blob';
import '../../functions/index';
import { registrations } from '../../functions/local/core-capture';
import { startLocalHost, type LocalHost } from '../../functions/local/host';
import { getStore, resetStore } from '../../functions/lib/storage';
import { clearReferenceCache } from '../../functions/lib/data';
import type { ConsolidationResult } from '../../shared/types';
import { readXlsx } from '../../shared/xlsx/read';
import { configureKeys, keyHeader, REFERENCE, sha256, startAzurite, toWire, writeSample, XLSX, type Azurite, type Sample, type Who } from './helpers';

let azurite: Azurite;
let host: LocalHost;
let sample: Sample;
const PREFIX = `e2e${Date.now().toString(36)}`;

beforeAll(async () => {
  [azurite, sample] = await Promise.all([startAzurite(), writeSample()]);
  process.env.LAND_SURVEY_STORAGE = azurite.connectionString;
  process.env.LAND_SURVEY_STORAGE_PREFIX = PREFIX;
  configureKeys();
  resetStore();
  clearReferenceCache();
  host = await startLocalHost({ registrations });
});

afterAll(async () => {
  await host?.close();
  await azurite?.stop();
});

async function send(method: string, path: string, who: Who | null, init: { json?: unknown; bytes?: Uint8Array; type?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(who ? keyHeader(who) : {}), ...init.headers };
  let payload: string | Uint8Array<ArrayBuffer> | undefined;
  if (init.json !== undefined) {
    payload = JSON.stringify(init.json);
    headers['content-type'] = 'application/json';
  } else if (init.bytes) {
    payload = new Uint8Array(init.bytes);
    headers['content-type'] = init.type ?? XLSX;
  }
  const res = await fetch(`${host.url}/api/${path}`, { method, headers, body: payload });
  const type = res.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await res.json() : new Uint8Array(await res.arrayBuffer());
  return { status: res.status, type, data: data as any };
}

async function industrialSheet() {
  const wb = await readXlsx(sample.bytes('industrial'), 'x.xlsx');
  return toWire(wb.sheets.find((s) => s.rows.length > 2)!);
}

function blobs() {
  return BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(PREFIX);
}

describe('over HTTP with Azurite', () => {
  test('health answers, and says whether the storage lets us in', async () => {
    const r = await send('GET', 'health', null);
    expect(r.status).toBe(200);
    expect(r.data.status).toBe('ok');
    expect(r.data.storage).toBe('ok');
    // the same Azurite with a wrong account key: it answers, and refuses
    process.env.LAND_SURVEY_STORAGE = azurite.connectionString.replace(/AccountKey=[^;]+/, `AccountKey=${Buffer.from('wrong key of 32 bytes, not ours!').toString('base64')}`);
    resetStore();
    try {
      expect(await getStore().ping(1500)).toBe('refused');
    } finally {
      process.env.LAND_SURVEY_STORAGE = azurite.connectionString;
      resetStore();
    }
  });

  test('the office uploads the reference data; versions are kept in Blob and Table storage', async () => {
    for (const form of REFERENCE) {
      const r = await send('PUT', `reference/${form}`, 'office', { bytes: sample.bytes(form) });
      expect({ form, status: r.status }).toEqual({ form, status: 201 });
    }
    const again = await send('PUT', 'reference/base', 'office', { bytes: sample.bytes('base') });
    expect(again.status).toBe(201);
    expect(again.data.previousVersion).not.toBeNull();
    const stored: string[] = [];
    for await (const b of blobs().listBlobsFlat({ prefix: 'reference/base/' })) stored.push(b.name);
    expect(stored).toHaveLength(2);
  });

  test('templates download as xlsx; an unknown form or a path like ../x is refused with a Chinese message', async () => {
    const t = await send('GET', 'templates/housing', 'housing');
    expect(t.status).toBe(200);
    expect(t.type).toBe(XLSX);
    expect((await readXlsx(t.data, 't.xlsx')).properties?.formId).toBe('housing');
    for (const path of ['templates/..%2Fx', 'templates/%2E%2E%2Fbase', 'templates/nonsense']) {
      const r = await send('GET', path, 'housing');
      expect({ path, status: r.status }).toEqual({ path, status: 404 });
      expect(r.data.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const up = await fetch(`${host.url}/api/templates/../reference/base`, { headers: keyHeader('office') });
    // the client normalises it to /api/reference/base, which only answers PUT: nothing is read
    expect(up.status).toBe(405);
    expect((await up.json()).message).toContain('不支持');
  });

  test('10 concurrent submissions are all stored, none lost, each blob identical to what was sent', async () => {
    const plan: { who: Who; bytes: Uint8Array; name: string }[] = [];
    for (let i = 0; i < 10; i++) {
      const who: Who = i % 3 === 0 ? 'industry' : i % 3 === 1 ? 'street' : 'housing';
      const form = who === 'industry' ? 'industrial' : who === 'street' ? 'commercial' : 'housing';
      plan.push({ who, bytes: sample.bytes(form), name: `报送-${i}.xlsx` });
    }
    const results = await Promise.all(plan.map((p) => send('POST', 'submissions', p.who, { bytes: p.bytes, headers: { 'x-file-name': encodeURIComponent(p.name) } })));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    const ids = new Set(results.map((r) => r.data.id));
    expect(ids.size).toBe(10);
    for (let i = 0; i < 10; i++) {
      expect(results[i].data.sha256).toBe(sha256(plan[i].bytes));
      expect(results[i].data.file).toBe(plan[i].name);
    }
    const list = await send('GET', 'submissions', 'office');
    expect(list.data.submissions).toHaveLength(10);
    for (const s of list.data.submissions) {
      const stored = await blobs().getBlockBlobClient(`submissions/${s.id}.xlsx`).downloadToBuffer();
      expect(sha256(stored)).toBe(s.sha256);
      const sent = plan[results.findIndex((r) => r.data.id === s.id)];
      expect(s.sha256).toBe(sha256(sent.bytes));
    }
    const own = await send('GET', 'submissions', 'street');
    expect(own.data.submissions.every((s: { department: string }) => s.department === 'street')).toBe(true);
    expect(own.data.submissions.length).toBe(plan.filter((p) => p.who === 'street').length);
  });

  test('validate checks a sheet against the stored base map', async () => {
    const r = await send('POST', 'validate', 'industry', { json: await industrialSheet() });
    expect(r.status).toBe(200);
    expect(r.data).toMatchObject({ form: 'industrial', checkedAgainstBase: true, valid: false });
    expect(r.data.issues.some((i: { code: string }) => i.code === 'parcel-not-in-base')).toBe(true);
  });

  test('50 concurrent determine calls are all answered with the same figures', async () => {
    const sheet = await industrialSheet();
    const single = await send('POST', 'determine', 'industry', { json: sheet });
    expect(single.status).toBe(200);
    const many = await Promise.all(Array.from({ length: 50 }, () => send('POST', 'determine', 'industry', { json: sheet })));
    expect(many.map((r) => r.status)).toEqual(Array(50).fill(200));
    for (const r of many) expect(r.data.rows).toEqual(single.data.rows);
    expect(single.data.rows.some((r: { result: string | null }) => r.result === '低效')).toBe(true);
  });

  test('the office consolidates the latest submissions (JSON and workbook); departments may not', async () => {
    const json = await send('POST', 'consolidate?format=json', 'office');
    expect(json.status).toBe(200);
    const c = json.data as ConsolidationResult;
    expect(c.parcels.length).toBe(sample.written.data.forms.base.length);
    const submitted = c.inputs.filter((i) => ['industrial', 'commercial', 'housing'].includes(i.form));
    expect(submitted.map((i) => i.file.split('/')[0]).sort()).toEqual(['区产业发展促进局', '区住房建设委', '大王庄街道办事处']);
    // the ten submissions above were concurrent: the latest is the one stored last (ids are time-ordered)
    const listed = (await send('GET', 'submissions', 'office')).data.submissions as { id: string; departmentName: string; file: string }[];
    const latest = listed.filter((s) => s.departmentName === '区产业发展促进局').sort((a, b) => (a.id < b.id ? 1 : -1))[0];
    expect(submitted.map((i) => i.file)).toContain(`区产业发展促进局/${latest.file}`);
    expect(submitted.filter((i) => i.file.startsWith('区产业发展促进局/'))).toHaveLength(1);
    const x = await send('POST', 'consolidate', 'office');
    expect(x.status).toBe(200);
    expect(x.type).toBe(XLSX);
    expect((await readXlsx(x.data, 'out.xlsx')).sheets.map((s) => s.name)).toContain('认定结果');
    const denied = await send('POST', 'consolidate?format=json', 'street');
    expect(denied.status).toBe(403);
    expect(denied.data.message).toContain('规划资源分局');
  });

  test('bad requests over HTTP each get their status; the host stays up and nothing stored changes', async () => {
    const before = (await send('GET', 'submissions', 'office')).data.submissions.length;
    const raw = (path: string, init: RequestInit) => fetch(`${host.url}/api/${path}`, init).then(async (r) => ({ status: r.status, body: await r.json() }));
    const k = keyHeader('industry');
    const cases: [string, Promise<{ status: number; body: { message: string } }>, number][] = [
      ['malformed JSON', raw('validate', { method: 'POST', headers: { ...k, 'content-type': 'application/json' }, body: '{"name":' }), 400],
      ['__proto__', raw('determine', { method: 'POST', headers: { ...k, 'content-type': 'application/json' }, body: '{"__proto__":{"x":1},"name":"a","rows":[]}' }), 400],
      ['wrong content type', raw('determine', { method: 'POST', headers: { ...k, 'content-type': 'text/plain' }, body: '{}' }), 415],
      ['not xlsx', raw('submissions', { method: 'POST', headers: { ...k, 'content-type': XLSX }, body: 'PK not really' }), 422],
      ['unknown endpoint', raw('nothing-here', { method: 'GET', headers: k }), 404],
      ['wrong method', raw('determine', { method: 'GET', headers: k }), 405],
      ['department uploads reference', raw('reference/tax', { method: 'PUT', headers: { ...k, 'content-type': XLSX }, body: new Uint8Array(sample.bytes('tax')) }), 403],
    ];
    for (const [what, p, status] of cases) {
      const r = await p;
      expect({ what, status: r.status }).toEqual({ what, status });
      expect(r.body.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect((await send('GET', 'health', null)).status).toBe(200);
    expect((await send('GET', 'submissions', 'office')).data.submissions.length).toBe(before);
  });

  test('the host refuses a body over its own limit with 413 and keeps serving', async () => {
    const small = await startLocalHost({ registrations, maxBodyBytes: 64 * 1024 });
    try {
      const r = await fetch(`${small.url}/api/submissions`, { method: 'POST', headers: { ...keyHeader('industry'), 'content-type': XLSX }, body: new Uint8Array(200 * 1024) });
      expect(r.status).toBe(413);
      expect((await r.json()).message).toContain('超过');
      expect((await fetch(`${small.url}/api/health`)).status).toBe(200);
    } finally {
      await small.close();
    }
  });
});
