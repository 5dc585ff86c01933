/**
 * The pilot's routes (pilot.md §5, issue 11 item 5) through the registered handlers: the office
 * submits the project sheet, a unit its own milestone sheet (another unit's rows: 403, nothing
 * stored), a unit reads only its own milestones and projects, what was in force as of a date, and
 * the office's ledger and brief (units: 403).
 */
jest.mock('@azure/functions-core', () => require('../../functions/local/core-capture').fakeCore, { virtual: true });

import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../functions/index';
import { clearReferenceCache } from '../../functions/lib/data';
import { getStore, MemoryStore, resetStore } from '../../functions/lib/storage';
import type { ConsolidationResultJson } from '../../shared/contract';
import { canonicalUnit } from '../../shared/pilot/units';
import { generatePilotSample, type PilotSample } from '../../shared/sample/pilot';
import { writeSampleWorkbook } from '../../shared/sample/write';
import { body, call, configureKeys, request, writeSample, XLSX, type Sample } from './helpers';

let sample: Sample;
let pilot: PilotSample;
let store: MemoryStore;
const dir = mkdtempSync(join(tmpdir(), 'pilot-routes-'));
/** The unit of the `housing` key (区住房建设委, a short name of 区住房城乡建设委). */
const UNIT = '区住房城乡建设委';
let projectsXlsx: Uint8Array;
let milestonesAll: Uint8Array;
let milestonesUnit: Uint8Array;

async function bytesOf(wb: PilotSample['workbooks'][number]): Promise<Uint8Array> {
  return new Uint8Array(readFileSync(await writeSampleWorkbook(dir, wb)));
}

beforeAll(async () => {
  configureKeys();
  sample = await writeSample();
  process.env.LAND_SURVEY_STORAGE = 'memory';
  resetStore();
  clearReferenceCache();
  expect((await call('putReference', request('PUT', 'reference/base', { who: 'office', params: { form: 'base' }, bytes: sample.bytes('base'), contentType: XLSX }))).status).toBe(201);
  expect((await call('submit', request('POST', 'submissions', { who: 'industry', bytes: sample.bytes('industrial'), contentType: XLSX }))).status).toBe(201);
  const det = body<ConsolidationResultJson>(await call('consolidate', request('POST', 'consolidate', { who: 'office', query: 'format=json' })));
  pilot = generatePilotSample(det, { count: 12 });
  const [projects, milestones] = pilot.workbooks;
  projectsXlsx = await bytesOf(projects);
  milestonesAll = await bytesOf(milestones);
  const own = milestones.sheets[0].rows.filter((r) => canonicalUnit(String(r.unit)) === UNIT);
  expect(own.length).toBeGreaterThan(0);
  milestonesUnit = await bytesOf({ ...milestones, file: '住建委-项目节点表.xlsx', sheets: [{ ...milestones.sheets[0], rows: own }] });
}, 60_000);

/** Everything but Date stays real when a test pins the clock. */
const REAL_TIMERS: Extract<NonNullable<Parameters<typeof jest.useFakeTimers>[0]>, { doNotFake?: unknown }>['doNotFake'] = ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'];

afterEach(() => jest.useRealTimers());

beforeEach(async () => {
  // keep the base map, drop every pilot sheet
  store = getStore() as MemoryStore;
  store.tables.delete('pilot');
});

const submit = (name: 'pilotSubmitMilestones' | 'pilotSubmitProjects', who: 'office' | 'industry' | 'street' | 'housing', bytes: Uint8Array) =>
  call(name, request('POST', name === 'pilotSubmitMilestones' ? 'pilot/milestones' : 'pilot/projects', { who, bytes, contentType: XLSX }));

describe('pilot routes', () => {
  test('the office submits the project sheet; a unit may not', async () => {
    const ok = await submit('pilotSubmitProjects', 'office', projectsXlsx);
    expect(ok.status).toBe(201);
    expect(body(ok)).toMatchObject({ kind: 'project', catalogueUnit: '市规划资源局河东分局' });
    const no = await submit('pilotSubmitProjects', 'industry', projectsXlsx);
    expect(no.status).toBe(403);
    expect(body(no).message).toMatch(/[\u4e00-\u9fff]/);
  });

  test("a unit's sheet holding other units' milestones is refused with 403 and nothing is stored", async () => {
    const before = (await store.listEntities('pilot')).length;
    const res = await submit('pilotSubmitMilestones', 'housing', milestonesAll);
    expect(res.status).toBe(403);
    expect(body(res).message).toContain('只能报送本单位（区住房城乡建设委）负责的节点');
    expect((await store.listEntities('pilot')).length).toBe(before);
  });

  test('a unit submits its own milestones and reads only its own; the office reads all; as of an earlier date nothing', async () => {
    expect((await submit('pilotSubmitProjects', 'office', projectsXlsx)).status).toBe(201);
    const res = await submit('pilotSubmitMilestones', 'housing', milestonesUnit);
    expect(res.status).toBe(201);
    expect(body(res)).toMatchObject({ kind: 'milestone', catalogueUnit: UNIT, submittedAt: expect.any(String) });

    const mine = body(await call('pilotMilestones', request('GET', 'pilot/milestones/list', { who: 'housing' })));
    expect(mine.milestones.length).toBeGreaterThan(0);
    expect(mine.milestones.every((m: { unit: string }) => m.unit === UNIT)).toBe(true);
    const projects = body(await call('pilotProjects', request('GET', 'pilot/projects/list', { who: 'housing' }))).projects;
    const allProjects = body(await call('pilotProjects', request('GET', 'pilot/projects/list', { who: 'office' }))).projects;
    expect(projects.length).toBeGreaterThan(0);
    const ids = new Set(mine.milestones.map((m: { projectId: string }) => m.projectId));
    for (const p of projects) expect(p.leadUnit === UNIT || p.coUnits.includes(UNIT) || ids.has(p.projectId)).toBe(true);

    // the street office has no milestones of its own here, and sees only the projects it assists
    const street = body(await call('pilotMilestones', request('GET', 'pilot/milestones/list', { who: 'street' })));
    expect(street.milestones).toEqual([]);
    const streetProjects = body(await call('pilotProjects', request('GET', 'pilot/projects/list', { who: 'street' }))).projects;
    const expected = allProjects.filter((p: { coUnits: string[] }) => p.coUnits.includes('大王庄街道')).map((p: { projectId: string }) => p.projectId);
    expect(streetProjects.map((p: { projectId: string }) => p.projectId)).toEqual(expected);
    expect(expected.length).toBeLessThan(allProjects.length);

    const past = body(await call('pilotMilestones', request('GET', 'pilot/milestones/list', { who: 'office', query: 'asOf=2020-01-01' })));
    expect(past.milestones).toEqual([]);
    const bad = await call('pilotMilestones', request('GET', 'pilot/milestones/list', { who: 'office', query: 'asOf=2026-02-30' }));
    expect(bad.status).toBe(400);
  });

  test('the office builds the ledger (JSON and workbook) and the brief; a unit gets 403', async () => {
    // the sheets are submitted on the sample's as-of day (10:00 in Tianjin), so they are in force
    // for a ledger as of that day whatever today's date is; only Date is pinned, timers run
    jest.useFakeTimers({ now: new Date(`${pilot.asOf}T10:00:00+08:00`), doNotFake: REAL_TIMERS });
    expect((await submit('pilotSubmitProjects', 'office', projectsXlsx)).status).toBe(201);
    expect((await submit('pilotSubmitMilestones', 'office', milestonesAll)).status).toBe(201);
    const j = body(await call('pilotLedger', request('GET', 'pilot/ledger', { who: 'office', query: `asOf=${pilot.asOf}&format=json` })));
    expect(Object.keys(j)).toEqual(['asOf', 'projects', 'overdue', 'units', 'issues']);
    const count = new Set(pilot.workbooks[0].sheets[0].rows.map((r) => r.projectId)).size;
    expect(j.projects).toHaveLength(count);
    const x = await call('pilotLedger', request('GET', 'pilot/ledger', { who: 'office', query: `asOf=${pilot.asOf}` }));
    expect((x.headers as Record<string, string>)['content-type']).toBe(XLSX);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((x.body as Uint8Array).slice().buffer as ArrayBuffer);
    expect(wb.getWorksheet('台账')!.actualRowCount).toBe(3 + count);
    expect((await call('pilotLedger', request('GET', 'pilot/ledger', { who: 'industry', query: 'format=json' }))).status).toBe(403);

    const brief = body(await call('pilotBrief', request('GET', 'pilot/brief', { who: 'office', query: `asOf=${pilot.asOf}&format=json` })));
    expect(brief).toMatchObject({ kind: 'brief', issue: 18, asOf: pilot.asOf });
    const docx = await call('pilotBrief', request('GET', 'pilot/brief', { who: 'office', query: `asOf=${pilot.asOf}` }));
    expect(Buffer.from(docx.body as Uint8Array).subarray(0, 2).toString()).toBe('PK');
    expect((await call('pilotReport', request('GET', 'pilot/report', { who: 'street', query: 'format=json' }))).status).toBe(403);
    // an as-of date before the first reporting period (2024 1–2) is the caller's mistake, not a fault
    for (const route of ['pilotBrief', 'pilotReport']) {
      const early = await call(route, request('GET', route === 'pilotBrief' ? 'pilot/brief' : 'pilot/report', { who: 'office', query: 'asOf=2023-06-30&format=json' }));
      expect(early.status).toBe(400);
      expect(body(early).message).toContain('早于试点报告期');
    }
    jest.useRealTimers();
  }, 60_000);

  test('the office builds next year\'s plan and compares two determinations; bad input is a 400 with a Chinese message', async () => {
    expect((await submit('pilotSubmitProjects', 'office', projectsXlsx)).status).toBe(201);
    const plan = body(await call('pilotPlan', request('GET', 'pilot/plan', { who: 'office', query: 'year=2027&format=json' })));
    expect(plan.year).toBe(2027);
    expect(plan.mature.every((p: { maturity: string; planYear: number }) => p.maturity === '成熟' && p.planYear === 2027)).toBe(true);
    const x = await call('pilotPlan', request('GET', 'pilot/plan', { who: 'office', query: 'year=2027' }));
    expect((x.headers as Record<string, string>)['content-type']).toBe(XLSX);
    const bad = await call('pilotPlan', request('GET', 'pilot/plan', { who: 'office', query: 'year=27' }));
    expect(bad.status).toBe(400);
    expect((await call('pilotPlan', request('GET', 'pilot/plan', { who: 'housing', query: 'year=2027' }))).status).toBe(403);

    const det = body<ConsolidationResultJson>(await call('consolidate', request('POST', 'consolidate', { who: 'office', query: 'format=json' })));
    const c = body(await call('pilotCompare', request('POST', 'pilot/compare', { who: 'office', query: 'format=json', json: { old: det, new: det } })));
    expect(c.totals.left.count).toBe(0);
    expect(c.totals.lowBefore.count).toBe(det.parcels.filter((p) => p.result === '低效').length);
    const wrong = await call('pilotCompare', request('POST', 'pilot/compare', { who: 'office', json: { old: det, new: { parcels: 1 } } }));
    expect(wrong.status).toBe(400);
    expect(body(wrong).message).toContain('新认定（new）不是认定结果');
    // each line in its own language: the Chinese names the problem in Chinese, the English one is English
    const empty = body(await call('pilotCompare', request('POST', 'pilot/compare', { who: 'office', json: {} })));
    expect(empty.message).toMatch(/^原认定（old）不是认定结果/);
    expect(empty.message).not.toMatch(/Invalid input|expected/);
    expect(empty.messageEn).not.toMatch(/[\u4e00-\u9fff]/);
  }, 60_000);
});
