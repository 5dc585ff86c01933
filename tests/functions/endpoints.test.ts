/**
 * Every endpoint through the handler the app registered, called with real HttpRequest objects,
 * on the in-process store. The sample data set provides realistic department workbooks.
 */
jest.mock('@azure/functions-core', () => require('../../functions/local/core-capture').fakeCore, { virtual: true });

import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import '../../functions/index';
import { registrations } from '../../functions/local/core-capture';
import { clearReferenceCache, fileLabel } from '../../functions/lib/data';
import { getStore, MemoryStore, resetStore } from '../../functions/lib/storage';
import { readWorkbook } from '../../shared/read';
import { defaultRuleSet } from '../../shared/rules';
import type { ConsolidationResult, ParcelResult } from '../../shared/types';
import { readXlsx } from '../../shared/xlsx/read';
import { body, call, configureKeys, REFERENCE, request, sha256, toWire, writeSample, XLSX, type Sample } from './helpers';

let sample: Sample;

beforeAll(async () => {
  configureKeys();
  sample = await writeSample();
});

function freshStore(): MemoryStore {
  process.env.LAND_SURVEY_STORAGE = 'memory';
  resetStore();
  clearReferenceCache();
  return getStore() as MemoryStore;
}

async function uploadReferences(forms = REFERENCE) {
  for (const form of forms) {
    const res = await call('putReference', request('PUT', `reference/${form}`, { who: 'office', params: { form }, bytes: sample.bytes(form), contentType: XLSX }));
    expect(res.status).toBe(201);
  }
}

/** The sent sheet of a sample workbook, as the add-in would send it. */
async function sheetOf(form: 'industrial' | 'commercial' | 'base') {
  const wb = await readXlsx(sample.bytes(form), sample.fileName(form));
  const s = wb.sheets.find((x) => x.rows.length > 2)!;
  return toWire(s);
}

describe('registration', () => {
  test('the app registers every endpoint with its route, methods and auth level', () => {
    const shown = Object.fromEntries(registrations.map((r) => [r.name, `${r.methods.join(',')} ${r.route} ${r.authLevel}`]));
    expect(shown).toEqual({
      health: 'GET health anonymous',
      validate: 'POST validate function',
      determine: 'POST determine function',
      templates: 'GET templates/{form} function',
      putReference: 'PUT reference/{form} function',
      listReference: 'GET reference function',
      submit: 'POST submissions function',
      listSubmissions: 'GET submissions function',
      pilotBrief: 'GET pilot/brief function',
      pilotCompare: 'POST pilot/compare function',
      pilotLedger: 'GET pilot/ledger function',
      pilotMilestones: 'GET pilot/milestones/list function',
      pilotPlan: 'GET pilot/plan function',
      pilotProjects: 'GET pilot/projects/list function',
      pilotReport: 'GET pilot/report function',
      pilotSubmitMilestones: 'POST pilot/milestones function',
      pilotSubmitProjects: 'POST pilot/projects function',
      consolidate: 'POST consolidate function',
    });
  });
});

describe('GET /api/health', () => {
  test('answers without a key and names the rule set in force', async () => {
    freshStore();
    const res = await call('health', request('GET', 'health'));
    expect(res.status).toBe(200);
    expect(body(res)).toMatchObject({ status: 'ok', ruleSet: { id: 'hedong-default' }, evaluationDate: '2022-12-31', storageConfigured: true });
    expect(body(res).role).toBeUndefined();
  });

  test('says whose key it is when a valid key is sent, and nothing for an unknown one', async () => {
    expect(body(await call('health', request('GET', 'health', { who: 'office' })))).toMatchObject({ status: 'ok', role: 'office', unit: '市规划资源局河东分局' });
    expect(body(await call('health', request('GET', 'health', { who: 'street' })))).toMatchObject({ role: 'street', unit: '大王庄街道办事处' });
    const unknown = await call('health', request('GET', 'health', { headers: { 'x-land-survey-key': 'guess' } }));
    expect(unknown.status).toBe(200);
    expect(body(unknown).role).toBeUndefined();
  });
});

describe('GET /api/templates/{form}', () => {
  test('returns the blank template workbook, which the reader recognises as that form', async () => {
    const res = await call('templates', request('GET', 'templates/commercial', { who: 'street', params: { form: 'commercial' } }));
    expect(res.status).toBe(200);
    expect((res.headers as Record<string, string>)['content-type']).toBe(XLSX);
    expect((res.headers as Record<string, string>)['content-disposition']).toContain(encodeURIComponent('低效商办调查表'));
    const wb = await readXlsx(res.body as Uint8Array, 't.xlsx');
    expect(wb.properties?.formId).toBe('commercial');
    expect(readWorkbook(wb, defaultRuleSet()).map((r) => r.form)).toEqual(['commercial']);
  });

  test.each(['nonsense', '../x', '..%2Fx', ''])('unknown form "%s" is a 404 with a Chinese message', async (form) => {
    const res = await call('templates', request('GET', 'templates/x', { who: 'street', params: { form } }));
    expect(res.status).toBe(404);
    expect(body(res).message).toContain('未知的表单');
  });
});

describe('PUT /api/reference/{form}', () => {
  test('stores a checked dataset as current and keeps the previous version', async () => {
    const store = freshStore();
    const put = () => call('putReference', request('PUT', 'reference/base', { who: 'office', params: { form: 'base' }, bytes: sample.bytes('base'), contentType: XLSX }));
    const first = await put();
    expect(first.status).toBe(201);
    expect(body(first)).toMatchObject({ form: 'base', previousVersion: null, rows: sample.written.data.forms.base.length, sha256: sha256(sample.bytes('base')) });
    const second = await put();
    expect(second.status).toBe(201);
    expect(body(second).previousVersion).toBe(body(first).version);
    expect(body(second).version).not.toBe(body(first).version);
    // both versions are stored, as blobs and in the index
    expect([...store.blobs.keys()].filter((k) => k.startsWith('reference/base/'))).toHaveLength(2);
    expect(await store.listEntities('reference', 'base')).toHaveLength(2);
    const current = (await store.listEntities('reference', 'current')).find((e) => e.rowKey === 'base');
    expect(current?.version).toBe(body(second).version);
    // the office sees both versions, the current one marked
    const listed = body(await call('listReference', request('GET', 'reference', { who: 'office' })));
    const base = listed.reference.find((r: { form: string }) => r.form === 'base');
    expect(base.versions.map((v: { version: string; current: boolean }) => [v.version, v.current])).toEqual([
      [body(second).version, true],
      [body(first).version, false],
    ]);
    expect(base.versions[0]).toMatchObject({ uploadedBy: 'office', rows: sample.written.data.forms.base.length, sha256: sha256(sample.bytes('base')) });
    expect(base.versions[0].blob).toBeUndefined();
    expect(listed.reference.find((r: { form: string }) => r.form === 'tax').versions).toEqual([]);
  });

  test('a workbook without the named form is rejected and nothing is stored', async () => {
    const store = freshStore();
    const res = await call('putReference', request('PUT', 'reference/tax', { who: 'office', params: { form: 'tax' }, bytes: sample.bytes('industrial'), contentType: XLSX }));
    expect(res.status).toBe(422);
    expect(body(res).message).toContain('企业纳税表');
    expect(store.blobs.size).toBe(0);
  });

  test('single bad rows are reported and left out; ?strict=true refuses them instead', async () => {
    const store = freshStore();
    const put = (query?: string) => call('putReference', request('PUT', 'reference/tax', { who: 'office', params: { form: 'tax' }, bytes: sample.bytes('tax'), contentType: XLSX, query }));
    const strict = await put('strict=true');
    expect(strict.status).toBe(422);
    expect(body(strict).message).toContain('strict');
    expect(store.blobs.size).toBe(0);
    const lenient = await put();
    expect(lenient.status).toBe(201);
    expect(body(lenient).issues.some((i: { severity: string; row: number | null }) => i.severity === 'error' && i.row !== null)).toBe(true);
  });

  test('a survey form is not reference data (400)', async () => {
    freshStore();
    const res = await call('putReference', request('PUT', 'reference/industrial', { who: 'office', params: { form: 'industrial' }, bytes: sample.bytes('industrial'), contentType: XLSX }));
    expect(res.status).toBe(400);
    expect(body(res).message).toContain('调查表');
  });
});

describe('POST /api/validate', () => {
  test('returns the issue list of one sheet; with a stored base also the checks against it', async () => {
    freshStore();
    const sheet = await sheetOf('industrial');
    const alone = body(await call('validate', request('POST', 'validate', { who: 'industry', json: sheet })));
    expect(alone).toMatchObject({ form: 'industrial', checkedAgainstBase: false, valid: false });
    const codes = new Set(alone.issues.map((i: { code: string }) => i.code));
    for (const c of ['invalid-uscc', 'missing-value', 'footprint-exceeds-land', 'foreign-parcel', 'duplicate-key', 'unknown-column']) expect(codes).toContain(c);
    expect(codes).not.toContain('parcel-not-in-base');

    await uploadReferences(['base']);
    const withBase = body(await call('validate', request('POST', 'validate', { who: 'industry', json: { ...sheet, form: 'industrial' } })));
    expect(withBase.checkedAgainstBase).toBe(true);
    const notInBase = withBase.issues.filter((i: { code: string }) => i.code === 'parcel-not-in-base');
    expect(notInBase.map((i: { parcelId: string }) => i.parcelId)).toContain('120102013006GB99999');
    expect(withBase.issues.every((i: { message: string }) => /[\u4e00-\u9fff]/.test(i.message))).toBe(true);

    // a street office is not told the base map's area or 地类 of another street's parcels; of its own, it is
    const streetAnswer = body(await call('validate', request('POST', 'validate', { who: 'street', json: { ...sheet, form: 'industrial' } })));
    const baseRead = readWorkbook(await readXlsx(sample.bytes('base'), 'base.xlsx'), defaultRuleSet()).find((r) => r.form === 'base')!;
    const streetOf = new Map(baseRead.rows.map((r) => [r.values.parcelId, r.values.street]));
    type I = { code: string; parcelId: string | null };
    const baseFigures = (d: { issues: I[] }, own: boolean) =>
      d.issues.filter((i) => ['area-mismatch', 'category-mismatch'].includes(i.code) && i.parcelId !== null && (streetOf.get(i.parcelId) === '大王庄街道') === own);
    expect(baseFigures(withBase, false).length).toBeGreaterThan(0);
    expect(baseFigures(streetAnswer, false)).toEqual([]);
    expect(baseFigures(withBase, true).length).toBeGreaterThan(0); // the sample has them on its own street too
    expect(baseFigures(streetAnswer, true)).toEqual(baseFigures(withBase, true));
  });

  test('the sheet as an office keeps it: merged 宗地代码 and the workbook date system travel with the grid (domain.md §9.4, §9.8)', async () => {
    freshStore();
    const rows = [
      ['序号', '宗地代码', '企业名称', '统一社会信用代码', '行业代码', '用地面积(㎡)', '总建筑面积(㎡)', '建筑基底面积(㎡)', '经营状态', '停产起始日期'],
      [1, '120102001002GB00001', '甲', '91110000600037341L', '3411', 1000, 800, 400, '停产', 44260],
      [2, null, '乙', '91350100M000100Y43', '3411', 1000, 800, 400, '正常生产', null],
      ['合计', null, null, null, null, 2000, 1600, 800, null, null],
    ];
    const merges = [{ top: 2, left: 2, bottom: 3, right: 2 }];
    const send = async (extra: object) => body(await call('validate', request('POST', 'validate', { who: 'industry', json: { name: '工业', rows, form: 'industrial', ...extra } })));
    const plain = await send({ merges });
    expect(plain.issues.filter((i: { severity: string }) => i.severity !== 'info')).toEqual([]);
    expect(plain.issues.map((i: { code: string }) => i.code)).toContain('total-row');
    expect(plain.rows).toBe(2);
    // without the merge the second enterprise has no 宗地代码
    const unmerged = await send({});
    expect(unmerged.issues.some((i: { code: string; row: number }) => i.code === 'missing-value' && i.row === 3)).toBe(true);
    // serial 44260 is 2021-03-05 in the 1900 system, 2025-03-06 in the 1904 one (after the evaluation date)
    const mac = await send({ merges, date1904: true });
    expect(mac.issues.map((i: { code: string }) => i.code)).toContain('date-after-evaluation');
    expect(plain.issues.map((i: { code: string }) => i.code)).not.toContain('date-after-evaluation');
  });

  test('a sheet that is no known form is a 422 with a Chinese message', async () => {
    freshStore();
    const res = await call('validate', request('POST', 'validate', { who: 'industry', json: { name: 'Sheet1', rows: [['随便', '什么'], [1, 2]] } }));
    expect(res.status).toBe(422);
    expect(body(res).message).toContain('无法识别');
  });

  test('a sheet sent as JSON without the named form’s header is an unusable sheet (not a file)', async () => {
    freshStore();
    const res = await call('validate', request('POST', 'validate', { who: 'industry', json: { name: 'Sheet1', form: 'industrial', rows: [['随便', '什么'], [1, 2]] } }));
    expect(res.status).toBe(422);
    expect(body(res).message).toMatch(/^无法使用的工作表：工作表“Sheet1”中未找到“[^”]+”的表头/);
    // a workbook uploaded with no recognisable form stays an unusable file
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1').addRow(['随便', '什么']);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const up = await call('submit', request('POST', 'submissions', { who: 'industry', bytes, contentType: XLSX }));
    expect(up.status).toBe(422);
    expect(body(up).message).toMatch(/^无法使用的文件：/);
  });
});

describe('POST /api/determine', () => {
  test('without a stored base map it is a 409 that says what to do', async () => {
    freshStore();
    const res = await call('determine', request('POST', 'determine', { who: 'industry', json: await sheetOf('industrial') }));
    expect(res.status).toBe(409);
    expect(body(res).message).toContain('地块底图表');
  });

  test('gives each sent row its parcel figures, agreeing with the consolidation and the sample showcase', async () => {
    freshStore();
    await uploadReferences();
    const sheet = await sheetOf('industrial');
    const res = await call('determine', request('POST', 'determine', { who: 'industry', json: sheet }));
    expect(res.status).toBe(200);
    const d = body(res);
    expect(d.ruleSet.id).toBe('hedong-default');
    const sentRows = sample.written.data.forms.industrial.length;
    expect(d.rows.length).toBe(sentRows);

    // Rows of showcase 工业 parcels carry the showcase result (reasoned from the rules in the sample).
    const showcase = sample.written.data.showcase.filter((s) => s.category === '工业' && d.rows.some((r: { parcelId: string }) => r.parcelId === s.parcelId));
    expect(showcase.length).toBeGreaterThan(5);
    for (const s of showcase) {
      const row = d.rows.find((r: { parcelId: string; hasError: boolean }) => r.parcelId === s.parcelId && !r.hasError) ?? d.rows.find((r: { parcelId: string }) => r.parcelId === s.parcelId);
      expect({ id: s.parcelId, result: row.result, hits: row.hits, missing: row.missing, mode: row.mode }).toEqual({ id: s.parcelId, result: s.result, hits: s.hits, missing: s.missing, mode: s.mode });
    }

    // The same workbook submitted and consolidated gives the same parcel figures.
    expect((await call('submit', request('POST', 'submissions', { who: 'industry', bytes: sample.bytes('industrial'), contentType: XLSX }))).status).toBe(201);
    const c = body<ConsolidationResult>(await call('consolidate', request('POST', 'consolidate', { who: 'office', query: 'format=json' })));
    const byId = new Map(c.parcels.map((p) => [p.parcelId, p]));
    for (const p of d.parcels as ParcelResult[]) expect(p).toEqual(byId.get(p.parcelId));

    // Nothing of other forms leaks: only this form's issues, only the sent parcels.
    expect(d.issues.every((i: { form: string }) => i.form === 'industrial')).toBe(true);
    const sentIds = new Set(d.rows.map((r: { parcelId: string }) => r.parcelId));
    expect(d.parcels.every((p: ParcelResult) => sentIds.has(p.parcelId))).toBe(true);
    expect(d.parcels.length).toBeLessThan(c.parcels.length);
  });

  test('a row with an error is marked and gets no figures of its own', async () => {
    freshStore();
    await uploadReferences();
    const d = body(await call('determine', request('POST', 'determine', { who: 'industry', json: await sheetOf('industrial') })));
    const foreign = d.rows.find((r: { parcelId: string }) => r.parcelId === '120103001002GB85111');
    expect(foreign).toMatchObject({ hasError: true, result: null, plotRatio: null });
  });

  test('repeated calls give the same answer (the cached reference data is never altered)', async () => {
    freshStore();
    await uploadReferences();
    const sheet = await sheetOf('industrial');
    const first = body(await call('determine', request('POST', 'determine', { who: 'industry', json: sheet })));
    await call('validate', request('POST', 'validate', { who: 'industry', json: sheet }));
    const again = body(await call('determine', request('POST', 'determine', { who: 'industry', json: sheet })));
    expect(again).toEqual(first);
  });

  test('a street office gets figures only for the parcels of its own street', async () => {
    freshStore();
    await uploadReferences();
    const sheet = await sheetOf('industrial');
    const dept = body(await call('determine', request('POST', 'determine', { who: 'industry', json: sheet })));
    const street = body(await call('determine', request('POST', 'determine', { who: 'street', json: sheet })));
    // the department (district-wide remit) is told nothing is withheld; the street office is
    expect(dept.withheld).toBeUndefined();
    expect(street.withheld.street).toBe('大王庄街道');
    const streetOf = new Map((dept.parcels as ParcelResult[]).map((p) => [p.parcelId, p.street]));
    const others = [...streetOf].filter(([, st]) => st !== '大王庄街道').map(([id]) => id);
    const own = [...streetOf].filter(([, st]) => st === '大王庄街道').map(([id]) => id);
    expect(others.length).toBeGreaterThan(0);
    expect(own.length).toBeGreaterThan(0);
    expect([...street.withheld.parcelIds].sort()).toEqual([...others].sort());
    // other streets' parcels: no figures, no parcel entry, none of the cross-form issues that quote the bureaus' figures
    const withheld = new Set(others);
    const rowsOf = (d: { rows: { parcelId: string; row: number }[] }, ids: Set<string>) => d.rows.filter((r) => ids.has(r.parcelId));
    for (const r of rowsOf(street, withheld)) expect(r).toMatchObject({ result: null, hits: [], plotRatio: null, coverage: null, taxPerMu: null, outputPerMu: null });
    expect((street.parcels as ParcelResult[]).map((p) => p.parcelId).sort()).toEqual([...own].sort());
    const hiddenRows = new Set(rowsOf(street, withheld).map((r) => r.row));
    const crossForm = ['tax-mismatch', 'missing-reference', 'area-mismatch', 'category-mismatch'];
    expect(dept.issues.some((i: { code: string; row: number }) => hiddenRows.has(i.row) && crossForm.includes(i.code))).toBe(true);
    expect(street.issues.some((i: { code: string; row: number }) => hiddenRows.has(i.row) && crossForm.includes(i.code))).toBe(false);
    // the sheet's own issues on those rows stay (they are the street's own data)
    const ownIssues = (d: { issues: { code: string; row: number }[] }) => d.issues.filter((i) => hiddenRows.has(i.row) && !crossForm.includes(i.code)).length;
    expect(ownIssues(street)).toBe(ownIssues(dept));
    // nor about those parcels as a whole (area-mismatch has no row, only the parcel): none of another street's parcels
    const about = (d: { issues: { code: string; parcelId: string | null }[] }) => d.issues.filter((i) => i.parcelId !== null && withheld.has(i.parcelId) && crossForm.includes(i.code));
    expect(about(dept).length).toBeGreaterThan(0);
    expect(about(street)).toEqual([]);
    // its own parcels: the same answer as the department's
    const mine = new Set(own);
    expect(rowsOf(street, mine)).toEqual(rowsOf(dept, mine));
  });

  test('reference forms cannot be determined (400)', async () => {
    freshStore();
    await uploadReferences(['base']);
    const res = await call('determine', request('POST', 'determine', { who: 'industry', json: await sheetOf('base') }));
    expect(res.status).toBe(400);
    expect(body(res).message).toContain('参考数据');
  });
});

describe('submissions', () => {
  test('a department submission is stored with who, when and its content hash', async () => {
    const store = freshStore();
    const bytes = sample.bytes('industrial');
    const before = Date.now();
    const res = await call('submit', request('POST', 'submissions', { who: 'industry', bytes, contentType: XLSX, headers: { 'x-file-name': encodeURIComponent('工业表.xlsx') } }));
    expect(res.status).toBe(201);
    const s = body(res);
    expect(s).toMatchObject({ department: 'industry', departmentName: '区产业发展促进局', sha256: sha256(bytes), size: bytes.byteLength, file: '工业表.xlsx', forms: ['industrial'] });
    expect(Date.parse(s.submittedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(s.errorCount).toBeGreaterThan(0);
    const stored = [...store.blobs.entries()].find(([k]) => k.startsWith('submissions/industry/'))!;
    expect(sha256(stored[1])).toBe(sha256(bytes));
  });

  test("a street office's submission is not answered with the base map's figures of other streets' parcels; hidden sheets left out are named", async () => {
    freshStore();
    await uploadReferences(['base']);
    const bytes = sample.bytes('industrial');
    const dept = body(await call('submit', request('POST', 'submissions', { who: 'industry', bytes, contentType: XLSX })));
    const street = body(await call('submit', request('POST', 'submissions', { who: 'street', bytes, contentType: XLSX })));
    const baseRead = readWorkbook(await readXlsx(sample.bytes('base'), 'base.xlsx'), defaultRuleSet()).find((r) => r.form === 'base')!;
    const streetOf = new Map(baseRead.rows.map((r) => [r.values.parcelId, r.values.street]));
    const others = (d: { issues: { code: string; parcelId: string | null }[] }) =>
      d.issues.filter((i) => ['area-mismatch', 'category-mismatch'].includes(i.code) && i.parcelId !== null && streetOf.has(i.parcelId) && streetOf.get(i.parcelId) !== '大王庄街道');
    expect(others(dept).length).toBeGreaterThan(0);
    expect(others(street)).toEqual([]);
    // its own street's are still there, and nothing else of the sheet's issues is lost
    expect(street.issues.length).toBe(dept.issues.length - others(dept).length);
    expect(dept.notices).toBeUndefined();

    // a workbook with a hidden copy of its form: stored, and the answer says the hidden sheet was not read
    const files = unzipSync(bytes);
    const wbXml = strFromU8(files['xl/workbook.xml']);
    const sheetEntry = /<sheet [^>]*r:id="([^"]+)"[^>]*\/>/.exec(wbXml)!;
    const rels = strFromU8(files['xl/_rels/workbook.xml.rels']);
    const target = new RegExp(`Id="${sheetEntry[1]}"[^>]*Target="([^"]+)"`).exec(rels) ?? new RegExp(`Target="([^"]+)"[^>]*Id="${sheetEntry[1]}"`).exec(rels);
    const part = `xl/${target![1].replace(/^\/?xl\//, '')}`;
    const copy = strToU8(strFromU8(files[part]));
    const withHidden = zipSync({
      ...files,
      'xl/worksheets/sheetHidden.xml': copy,
      'xl/workbook.xml': strToU8(wbXml.replace('</sheets>', '<sheet name="旧数据" sheetId="99" state="hidden" r:id="rIdHidden"/></sheets>')),
      'xl/_rels/workbook.xml.rels': strToU8(rels.replace('</Relationships>', '<Relationship Id="rIdHidden" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheetHidden.xml"/></Relationships>')),
      '[Content_Types].xml': strToU8(strFromU8(files['[Content_Types].xml']).replace('</Types>', '<Override PartName="/xl/worksheets/sheetHidden.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')),
    });
    const hidden = await call('submit', request('POST', 'submissions', { who: 'industry', bytes: withHidden, contentType: XLSX }));
    expect(hidden.status).toBe(201);
    expect(body(hidden).notices).toEqual([expect.stringContaining('隐藏工作表“旧数据”')]);
  });

  test('the file name given is reduced to a plain name', async () => {
    freshStore();
    const res = await call('submit', request('POST', 'submissions', { who: 'industry', bytes: sample.bytes('industrial'), contentType: XLSX, query: `file=${encodeURIComponent('../../etc/工业表.xlsx')}` }));
    expect(res.status).toBe(201);
    expect(body(res).file).toBe('工业表.xlsx');
  });

  test('when the index entry is refused, the stored workbook is removed again; when the answer was lost, it stays (the entry may exist)', async () => {
    const store = freshStore();
    const create = store.createEntity.bind(store);
    store.createEntity = async (t, e) => {
      await create(t, e); // landed, but the answer was lost
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    };
    expect((await call('submit', request('POST', 'submissions', { who: 'industry', bytes: sample.bytes('industrial'), contentType: XLSX }))).status).toBe(500);
    const entry = [...store.tables.get('submissions')!.values()][0];
    expect(store.blobs.has(String(entry.blob))).toBe(true); // the entry points at a blob that is there
    store.blobs.clear();
    store.tables.clear();
    store.createEntity = async () => {
      throw Object.assign(new Error('property too large'), { statusCode: 400 });
    };
    const res = await call('submit', request('POST', 'submissions', { who: 'industry', bytes: sample.bytes('industrial'), contentType: XLSX }));
    expect(res.status).toBe(500); // the in-process store's own failure (Azure's unreachable table is a 503: storage-down.test.ts)
    expect(store.blobs.size).toBe(0);
    const ref = await call('putReference', request('PUT', 'reference/base', { who: 'office', params: { form: 'base' }, bytes: sample.bytes('base'), contentType: XLSX }));
    expect(ref.status).toBe(500);
    expect(store.blobs.size).toBe(0);
  });

  test('file labels: raw UTF-8 in the header read as UTF-8, control characters and lone surrogates dropped, a long name cut with its extension kept', () => {
    expect(fileLabel(Buffer.from('工业表.xlsx', 'utf8').toString('latin1'), 'x')).toBe('工业表.xlsx');
    expect(fileLabel(encodeURIComponent('工业表.xlsx'), 'x')).toBe('工业表.xlsx');
    expect(fileLabel('café.xlsx', 'x')).toBe('café.xlsx'); // Latin-1 that is not UTF-8: kept
    expect(fileLabel('a\u0007b\u0085\ud800c.xlsx', 'x')).toBe('abc.xlsx');
    const long = fileLabel(`${'河东区大王庄街道'.repeat(40)}.xlsx`, 'x');
    expect(long.endsWith('.xlsx')).toBe(true);
    expect(Array.from(long)).toHaveLength(200);
    expect(fileLabel('../..//', '报送.xlsx')).toBe('报送.xlsx');
  });

  test('a workbook with malformed XML or a DTD is a 400 with the reader\'s message, and nothing is stored', async () => {
    const store = freshStore();
    const files = unzipSync(sample.bytes('industrial'));
    const sheet = Object.keys(files).find((k) => /^xl\/worksheets\/sheet\d+\.xml$/.test(k))!;
    const xml = strFromU8(files[sheet]);
    const variants: [string, RegExp, RegExp][] = [
      [xml.replace('</row>', ''), /XML 内容格式错误/, /not well-formed/],
      [xml.replace('?>', '?><!DOCTYPE worksheet [<!ENTITY a "x">]>'), /DTD 或实体声明/, /DOCTYPE\/ENTITY/],
    ];
    for (const [text, message, messageEn] of variants) {
      const bytes = zipSync({ ...files, [sheet]: strToU8(text) });
      const res = await call('submit', request('POST', 'submissions', { who: 'industry', bytes, contentType: XLSX, headers: { 'x-file-name': 'bad.xlsx' } }));
      expect(res.status).toBe(400);
      expect(body(res).message).toMatch(message);
      expect(body(res).messageEn).toMatch(messageEn);
    }
    expect(store.blobs.size).toBe(0);
  });

  test('reference data cannot be submitted by a department', async () => {
    const store = freshStore();
    const res = await call('submit', request('POST', 'submissions', { who: 'industry', bytes: sample.bytes('tax'), contentType: XLSX }));
    expect(res.status).toBe(422);
    expect(body(res).message).toContain('规划资源分局');
    expect(store.blobs.size).toBe(0);
  });

  test('a department lists its own submissions, the office everyone’s', async () => {
    freshStore();
    await call('submit', request('POST', 'submissions', { who: 'industry', bytes: sample.bytes('industrial'), contentType: XLSX }));
    await call('submit', request('POST', 'submissions', { who: 'street', bytes: sample.bytes('commercial'), contentType: XLSX }));
    const mine = body(await call('listSubmissions', request('GET', 'submissions', { who: 'street' })));
    expect(mine.submissions.map((s: { department: string }) => s.department)).toEqual(['street']);
    const all = body(await call('listSubmissions', request('GET', 'submissions', { who: 'office' })));
    expect(all.submissions.map((s: { department: string }) => s.department).sort()).toEqual(['industry', 'street']);
    const filtered = body(await call('listSubmissions', request('GET', 'submissions', { who: 'office', query: 'department=industry' })));
    expect(filtered.submissions).toHaveLength(1);
    const sneaky = body(await call('listSubmissions', request('GET', 'submissions', { who: 'street', query: 'department=industry' })));
    expect(sneaky.submissions.map((s: { department: string }) => s.department)).toEqual(['street']);
  });
});

describe('POST /api/consolidate', () => {
  test('uses only the latest submission of every department', async () => {
    freshStore();
    await uploadReferences();
    await call('submit', request('POST', 'submissions', { who: 'industry', bytes: sample.bytes('industrial'), contentType: XLSX, headers: { 'x-file-name': 'old.xlsx' } }));
    await new Promise((r) => setTimeout(r, 5));
    await call('submit', request('POST', 'submissions', { who: 'industry', bytes: sample.bytes('industrial'), contentType: XLSX, headers: { 'x-file-name': 'new.xlsx' } }));
    await call('submit', request('POST', 'submissions', { who: 'street', bytes: sample.bytes('commercial'), contentType: XLSX, headers: { 'x-file-name': 'street.xlsx' } }));
    const res = await call('consolidate', request('POST', 'consolidate', { who: 'office', headers: { accept: 'application/json' } }));
    expect(res.status).toBe(200);
    const c = body<ConsolidationResult>(res);
    const files = c.inputs.map((i) => i.file);
    expect(files).toContain('区产业发展促进局/new.xlsx');
    expect(files).toContain('大王庄街道办事处/street.xlsx');
    expect(files).not.toContain('区产业发展促进局/old.xlsx');
    expect(c.parcels.length).toBe(sample.written.data.forms.base.length);
  });

  test('returns the submission workbook as xlsx by default', async () => {
    freshStore();
    await uploadReferences();
    await call('submit', request('POST', 'submissions', { who: 'industry', bytes: sample.bytes('industrial'), contentType: XLSX }));
    const res = await call('consolidate', request('POST', 'consolidate', { who: 'office' }));
    expect(res.status).toBe(200);
    expect((res.headers as Record<string, string>)['content-type']).toBe(XLSX);
    const wb = await readXlsx(res.body as Uint8Array, 'out.xlsx');
    expect(wb.sheets.map((s) => s.name)).toEqual(expect.arrayContaining(['汇总', '认定结果', '低效用地数据库', '问题清单']));
  });

  test('an evaluation date or format it cannot use is a 400', async () => {
    freshStore();
    expect((await call('consolidate', request('POST', 'consolidate', { who: 'office', query: 'evaluationDate=2022-13-45' }))).status).toBe(400);
    // a day the month does not have (Date.parse would roll it over to March): refused as the CLI refuses it
    for (const day of ['2022-02-30', '2022-04-31']) {
      const res = await call('consolidate', request('POST', 'consolidate', { who: 'office', query: `evaluationDate=${day}` }));
      expect(res.status).toBe(400);
      expect(body(res).error).toBe('bad-date');
    }
    expect((await call('consolidate', request('POST', 'consolidate', { who: 'office', query: 'format=pdf' }))).status).toBe(400);
  });
});
