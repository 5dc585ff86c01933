/**
 * Roles (a missing or unknown key a 401, every role denial a 403, each with a Chinese message) and bad input (each with a clear status and
 * Chinese message, and no stored data changed), through the registered handlers.
 */
jest.mock('@azure/functions-core', () => require('../../functions/local/core-capture').fakeCore, { virtual: true });

import { zipSync } from 'fflate';
import { randomBytes } from 'node:crypto';
import '../../functions/index';
import { clearReferenceCache } from '../../functions/lib/data';
import { getStore, MemoryStore, resetStore } from '../../functions/lib/storage';
import { body, call, configureKeys, request, writeSample, XLSX, type CallInit, type Sample } from './helpers';

let sample: Sample;
let store: MemoryStore;

beforeAll(async () => {
  configureKeys();
  sample = await writeSample();
});

beforeEach(async () => {
  process.env.LAND_SURVEY_STORAGE = 'memory';
  for (const k of ['LAND_SURVEY_MAX_JSON_BYTES', 'LAND_SURVEY_MAX_XLSX_BYTES', 'LAND_SURVEY_MAX_INFLATED_BYTES', 'LAND_SURVEY_MAX_ROWS', 'LAND_SURVEY_MAX_COLUMNS']) delete process.env[k];
  resetStore();
  clearReferenceCache();
  store = getStore() as MemoryStore;
  // a stored base and one submission, so "nothing changed" is checked against real content
  expect((await call('putReference', request('PUT', 'reference/base', { who: 'office', params: { form: 'base' }, bytes: sample.bytes('base'), contentType: XLSX }))).status).toBe(201);
  expect((await call('submit', request('POST', 'submissions', { who: 'industry', bytes: sample.bytes('industrial'), contentType: XLSX }))).status).toBe(201);
});

async function snapshot() {
  const tables: Record<string, unknown> = {};
  for (const t of ['reference', 'submissions'] as const) tables[t] = await store.listEntities(t);
  return { blobs: [...store.blobs.keys()].sort(), tables };
}

const CHINESE = /[\u4e00-\u9fff]/;

type Endpoint = { name: string; method: string; path: string; init: () => CallInit };
const sheet = { name: '低效工业调查表', rows: [['宗地代码']] };
const ENDPOINTS: Endpoint[] = [
  { name: 'validate', method: 'POST', path: 'validate', init: () => ({ json: sheet }) },
  { name: 'determine', method: 'POST', path: 'determine', init: () => ({ json: sheet }) },
  { name: 'templates', method: 'GET', path: 'templates/base', init: () => ({ params: { form: 'base' } }) },
  { name: 'putReference', method: 'PUT', path: 'reference/tax', init: () => ({ params: { form: 'tax' }, bytes: sample.bytes('tax'), contentType: XLSX }) },
  { name: 'submit', method: 'POST', path: 'submissions', init: () => ({ bytes: sample.bytes('industrial'), contentType: XLSX }) },
  { name: 'listSubmissions', method: 'GET', path: 'submissions', init: () => ({}) },
  { name: 'listReference', method: 'GET', path: 'reference', init: () => ({}) },
  { name: 'consolidate', method: 'POST', path: 'consolidate', init: () => ({ query: 'format=json' }) },
];

describe('roles', () => {
  test.each(ENDPOINTS)('$name without a key, with an unknown key, or with the key in the wrong header (local development key mode): 401', async (e) => {
    const before = await snapshot();
    const variants: Record<string, string>[] = [{}, { 'x-land-survey-key': 'not-a-key' }, { 'x-functions-key': 'industry-test-key-2' }];
    for (const headers of variants) {
      const res = await call(e.name, request(e.method, e.path, { ...e.init(), headers }));
      expect(res.status).toBe(401);
      expect(body(res).error).toBe('unauthenticated');
      expect(body(res).message).toMatch(/密钥/);
    }
    expect(await snapshot()).toEqual(before);
  });

  test.each([
    ['industry', 'putReference'],
    ['street', 'putReference'],
    ['industry', 'listReference'],
    ['street', 'listReference'],
    ['industry', 'consolidate'],
    ['street', 'consolidate'],
  ] as const)('%s may not call %s: 403 naming the office, nothing changes', async (who, name) => {
    const e = ENDPOINTS.find((x) => x.name === name)!;
    const before = await snapshot();
    const res = await call(name, request(e.method, e.path, { ...e.init(), who }));
    expect(res.status).toBe(403);
    expect(body(res).message).toContain('仅限规划资源分局');
    expect(body(res).message).toMatch(CHINESE);
    expect(await snapshot()).toEqual(before);
  });

  test('a department never sees another department’s submission', async () => {
    const res = body(await call('listSubmissions', request('GET', 'submissions', { who: 'street' })));
    expect(res.submissions).toEqual([]);
    const own = body(await call('listSubmissions', request('GET', 'submissions', { who: 'industry' })));
    expect(own.submissions).toHaveLength(1);
    // the stored blob path is not handed out
    expect(own.submissions[0].blob).toBeUndefined();
  });

  test('department and street keys can check, determine and submit their own forms', async () => {
    const wire = { name: 's', rows: [['宗地代码', '楼宇名称', '街道', '总建筑面积(㎡)', '空置面积(㎡)'], ['120102001002GB00015', '某大厦', '大王庄街道', 1000, 100]], form: 'commercial' };
    expect((await call('validate', request('POST', 'validate', { who: 'street', json: wire }))).status).toBe(200);
    expect((await call('determine', request('POST', 'determine', { who: 'street', json: wire }))).status).toBe(200);
    expect((await call('submit', request('POST', 'submissions', { who: 'street', bytes: sample.bytes('commercial'), contentType: XLSX }))).status).toBe(201);
  });

  test('a broken key configuration is a 500 with a Chinese message, not an open door', async () => {
    const saved = process.env.LAND_SURVEY_KEYS;
    process.env.LAND_SURVEY_KEYS = '{"office": {"role": "office", "keyHash": "short"}}';
    try {
      const res = await call('listSubmissions', request('GET', 'submissions', { who: 'office' }));
      expect(res.status).toBe(500);
      expect(body(res).message).toContain('服务端登录配置（LAND_SURVEY_KEYS）');
    } finally {
      process.env.LAND_SURVEY_KEYS = saved;
    }
  });
});

describe('bad JSON input', () => {
  const send = (text: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    call('validate', request('POST', 'validate', { who: 'industry', text, headers }));

  test.each([
    ['malformed JSON', '{"name": "a", "rows": [', 400, 'malformed-json'],
    ['a __proto__ key', '{"__proto__": {"polluted": 1}, "name": "a", "rows": []}', 400, 'forbidden-key'],
    ['a nested constructor key', '{"name": "a", "rows": [], "x": {"constructor": {"prototype": {"polluted": 1}}}}', 400, 'forbidden-key'],
    ['an escaped __proto__ key', '{"\\u005f_proto__": {"polluted": 1}, "name": "a", "rows": []}', 400, 'forbidden-key'],
    ['rows that are not an array', '{"name": "a", "rows": "A1:B2"}', 400, 'invalid-request'],
    ['a cell that is no cell value', '{"name": "a", "rows": [["宗地代码"], [{"formula": "=1+1"}]]}', 400, 'invalid-request'],
    ['an unknown key', '{"name": "a", "rows": [], "sheetId": 3}', 400, 'invalid-request'],
    ['an unknown form in the body', '{"name": "a", "rows": [], "form": "../../etc/passwd"}', 400, 'unknown-form'],
    ['an array instead of a sheet', '[1, 2]', 400, 'invalid-request'],
    ['invalid UTF-8', '\udc80', 400, 'malformed-json'],
  ])('%s → %s', async (_what, text, status, code) => {
    const before = await snapshot();
    const res = await send(text);
    expect(res.status).toBe(status);
    expect(body(res).error).toBe(code);
    expect(body(res).message).toMatch(CHINESE);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await snapshot()).toEqual(before);
  });

  test('schema failures list where each problem is', async () => {
    const res = await send('{"name": "", "rows": [["a", true, null, 1.5, {"error": "#N/A"}], 7, [[1]]], "firstRow": 0}');
    expect(res.status).toBe(400);
    const issues = body(res).issues as { path: string; message: string }[];
    expect(issues.map((i) => i.path).sort()).toEqual(['firstRow', 'name', 'rows[1]', 'rows[2][0]']);
    for (const i of issues) expect(i.message).toMatch(/[\u4e00-\u9fff]/);
  });

  test("a sheet past Excel's last row or column, or a merge that is inside out, is refused with where", async () => {
    const cases: [object, string][] = [
      [{ name: 'a', rows: [['宗地代码']], firstRow: 1_048_577 }, 'firstRow'],
      [{ name: 'a', rows: [['宗地代码']], firstCol: 16_385 }, 'firstCol'],
      [{ name: 'a', rows: [['宗地代码'], ['x'], ['y']], firstRow: 1_048_575 }, 'rows'],
      [{ name: 'a', rows: [['宗地代码', '企业名称', '统一社会信用代码']], firstCol: 16_383 }, 'rows[0]'],
      [{ name: 'a', rows: [['宗地代码']], merges: [{ top: 5, left: 1, bottom: 2, right: 1 }] }, 'merges[0]'],
    ];
    for (const [sheet, path] of cases) {
      const res = await send(JSON.stringify(sheet));
      expect(res.status).toBe(400);
      expect((body(res).issues as { path: string }[]).map((i) => i.path)).toContain(path);
    }
    // the last row and column themselves are fine
    const edge = await send(JSON.stringify({ name: 'a', form: 'industrial', rows: [['宗地代码', '企业名称']], firstRow: 1_048_576, firstCol: 16_383 }));
    expect(edge.status).not.toBe(400);
  });

  test('text that merely contains the word constructor is fine', async () => {
    const res = await send(JSON.stringify({ name: 'a', form: 'industrial', rows: [['宗地代码', '问题描述'], ['120102001002GB00001', 'constructor __proto__']] }));
    expect(res.status).toBe(200);
  });

  test('a wrong or missing content type is a 415', async () => {
    const variants: Record<string, string>[] = [{ 'content-type': 'text/plain' }, {}, { 'content-type': XLSX }];
    for (const headers of variants) {
      const res = await send(JSON.stringify(sheet), headers);
      expect(res.status).toBe(415);
      expect(body(res).message).toContain('内容类型');
    }
  });

  test('a body over the configured limit is a 413, also when content-length understates it', async () => {
    process.env.LAND_SURVEY_MAX_JSON_BYTES = '2000';
    const big = JSON.stringify({ name: 'a', rows: Array.from({ length: 200 }, (_, i) => [`row ${i}`]) });
    expect((await send(big)).status).toBe(413);
    expect((await send(big, { 'content-type': 'application/json', 'content-length': '10' })).status).toBe(413);
    expect(body(await send(big)).message).toContain('超过上限');
  });

  test('more rows or columns than the configured limit is a 413 that says which', async () => {
    process.env.LAND_SURVEY_MAX_ROWS = '10';
    process.env.LAND_SURVEY_MAX_COLUMNS = '5';
    const tall = await send(JSON.stringify({ name: 'a', rows: Array.from({ length: 11 }, () => ['x']) }));
    expect(tall.status).toBe(413);
    expect(body(tall).error).toBe('too-many-rows');
    const wide = await send(JSON.stringify({ name: 'a', rows: [['宗地代码'], ['a', 'b', 'c', 'd', 'e', 'f']] }));
    expect(wide.status).toBe(413);
    expect(body(wide)).toMatchObject({ error: 'too-many-columns' });
    expect(body(wide).message).toContain('第2行');
    // at the limits themselves the sheet is read
    const edge = await send(JSON.stringify({ name: 'a', form: 'industrial', rows: [['宗地代码', '企业名称', '统一社会信用代码', '行业代码', '用地面积'], ...Array.from({ length: 9 }, () => ['x'])] }));
    expect(edge.status).toBe(200);
  });

  test('an empty body is a 400', async () => {
    const res = await send('');
    expect(res.status).toBe(400);
    expect(body(res).message).toContain('为空');
  });
});

/** A minimal zip holding what makes it look like a workbook, plus `extra` parts. */
function fakeWorkbookZip(extra: Record<string, Uint8Array>): Uint8Array {
  const enc = new TextEncoder();
  return zipSync(
    {
      '[Content_Types].xml': enc.encode('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
      'xl/workbook.xml': enc.encode('<?xml version="1.0"?><workbook/>'),
      ...extra,
    },
    { level: 9 },
  );
}

/** Rewrites the uncompressed size an entry declares (central directory and local header). */
function declareSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = new Uint8Array(zip);
  const v = new DataView(out.buffer);
  const dec = new TextDecoder();
  for (let p = 0; p + 46 < out.length; p++) {
    const sig = v.getUint32(p, true);
    if (sig === 0x02014b50 && dec.decode(out.subarray(p + 46, p + 46 + v.getUint16(p + 28, true))) === name) v.setUint32(p + 24, size, true);
    if (sig === 0x04034b50 && dec.decode(out.subarray(p + 30, p + 30 + v.getUint16(p + 26, true))) === name) v.setUint32(p + 22, size, true);
  }
  return out;
}

describe('bad workbook uploads', () => {
  const upload = (bytes: Uint8Array, contentType = XLSX) => [
    () => call('putReference', request('PUT', 'reference/tax', { who: 'office', params: { form: 'tax' }, bytes, contentType })),
    () => call('submit', request('POST', 'submissions', { who: 'industry', bytes, contentType })),
  ];

  const zeros = new Uint8Array(24 * 1024 * 1024);

  test.each([
    ['not a zip at all', () => new TextEncoder().encode('宗地代码,街道\n120102001002GB00001,大王庄街道\n'), 422, 'not-xlsx'],
    ['an old .xls (OLE) file', () => Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(600).fill(0)]), 422, 'not-xlsx'],
    ['a zip that is no workbook', () => zipSync({ 'readme.txt': new TextEncoder().encode('hello') }), 422, 'not-xlsx'],
    ['a truncated workbook', () => sample.bytes('tax').subarray(0, 3000), 422, 'not-xlsx'],
    ['a zip bomb (one part inflates 24 MiB from a few KB)', () => fakeWorkbookZip({ 'xl/worksheets/sheet1.xml': zeros }), 422, 'zip-bomb'],
    ['parts declaring more than the inflate limit', () => fakeWorkbookZip({ 'xl/worksheets/sheet1.xml': randomBytes(600_000), 'xl/worksheets/sheet2.xml': randomBytes(600_000) }), 413, 'inflated-too-large'],
  ])('%s → %s', async (_what, make, status, code) => {
    process.env.LAND_SURVEY_MAX_INFLATED_BYTES = String(1024 * 1024);
    const before = await snapshot();
    for (const send of upload(make())) {
      const res = await send();
      expect(res.status).toBe(status);
      expect(body(res).error).toBe(code);
      expect(body(res).message).toMatch(CHINESE);
    }
    expect(await snapshot()).toEqual(before);
  });

  test('a bomb that lies about its sizes is stopped by the reader’s inflate limit (422), nothing stored', async () => {
    process.env.LAND_SURVEY_MAX_INFLATED_BYTES = String(4 * 1024 * 1024);
    const liar = declareSize(fakeWorkbookZip({ 'xl/worksheets/sheet1.xml': zeros }), 'xl/worksheets/sheet1.xml', 1000);
    const before = await snapshot();
    for (const send of upload(liar)) {
      const res = await send();
      expect([413, 422]).toContain(res.status);
      expect(body(res).message).toMatch(CHINESE);
    }
    expect(await snapshot()).toEqual(before);
  });

  test('over the configured upload size is a 413', async () => {
    process.env.LAND_SURVEY_MAX_XLSX_BYTES = '1000';
    for (const send of upload(sample.bytes('tax'))) expect((await send()).status).toBe(413);
  });

  test('a wrong content type is a 415', async () => {
    for (const send of upload(sample.bytes('tax'), 'text/csv')) expect((await send()).status).toBe(415);
  });

  test('a reference dataset missing a required column is refused and the current one stays', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('企业纳税表');
    ws.addRow(['统一社会信用代码', '年度', '纳税总额(万元)']); // no 企业名称
    ws.addRow(['91110000600037341L', 2022, 35]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const ok = await call('putReference', request('PUT', 'reference/tax', { who: 'office', params: { form: 'tax' }, bytes: sample.bytes('tax'), contentType: XLSX }));
    expect(ok.status).toBe(201);
    const before = await snapshot();
    const res = await call('putReference', request('PUT', 'reference/tax', { who: 'office', params: { form: 'tax' }, bytes, contentType: XLSX }));
    expect(res.status).toBe(422);
    expect(body(res).message).toContain('未替换现有数据');
    expect(body(res).issues.some((i: { code: string }) => i.code === 'missing-column')).toBe(true);
    expect(await snapshot()).toEqual(before);
  });
});
