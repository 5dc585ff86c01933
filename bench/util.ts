/**
 * Benchmark helpers: timing, measurements in a child process (so peak memory is the measurement's
 * own), and realistic industrial-form workbooks written with exceljs's streaming writer, cached
 * across sections and runs.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { usccCheckChar } from '../shared/codes';
import type { FormId } from '../shared/forms/types';

export interface BenchContext {
  log(line: string): void;
  tmpDir: string;
}

export async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  const t0 = performance.now();
  const result = await fn();
  return { ms: performance.now() - t0, result };
}

export interface ChildMeasurement<T = unknown> {
  /** Wall time of the task inside the child (module loading excluded). */
  ms: number;
  /** CPU time (user + system, all threads incl. GC) of the task: steadier than wall time on a busy machine. */
  cpuMs: number;
  /** Peak resident set size of the child process, MB. */
  maxRssMb: number;
  result: T;
  error?: string;
}

const REPO = resolve(__dirname, '..');

/**
 * Runs `exportName(args)` of module `modulePath` in a fresh `node -r tsx/cjs` process and returns
 * its time and the child's own peak RSS (`process.resourceUsage().maxRSS`). The task may return any
 * JSON value. A task that throws comes back with `error` set.
 */
export function runInChild<T = unknown>(modulePath: string, exportName: string, args: unknown, opts: { maxOldSpaceMb?: number } = {}): Promise<ChildMeasurement<T>> {
  const out = join(tmpdir(), `bench-child-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const nodeArgs = ['--expose-gc', ...(opts.maxOldSpaceMb ? [`--max-old-space-size=${opts.maxOldSpaceMb}`] : []), '-r', 'tsx/cjs', __filename, '--child', resolve(modulePath), exportName, out];
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, nodeArgs, { cwd: REPO, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.stdin.end(JSON.stringify(args ?? null));
    child.on('error', rej);
    child.on('close', (code) => {
      try {
        if (!existsSync(out)) {
          res({ ms: NaN, cpuMs: NaN, maxRssMb: NaN, result: undefined as T, error: `child exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}` });
          return;
        }
        res(JSON.parse(readFileSync(out, 'utf8')) as ChildMeasurement<T>);
      } finally {
        rmSync(out, { force: true });
      }
    });
  });
}

async function childMain(modulePath: string, exportName: string, out: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const args = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(modulePath) as Record<string, (a: unknown) => unknown>;
  const fn = mod[exportName];
  let result: unknown;
  let error: string | undefined;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  try {
    if (typeof fn !== 'function') throw new Error(`${modulePath} has no export ${exportName}`);
    result = await fn(args);
  } catch (e) {
    error = (e as Error)?.message ?? String(e);
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  writeFileSync(out, JSON.stringify({ ms, cpuMs, maxRssMb, result, error }));
}

/** A task for `runInChild`: does nothing (the child's own baseline memory: node + tsx). */
export function idleTask(): number {
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Realistic industrial-form workbooks

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const STREET_CODES = ['001', '002', '003', '004', '005', '006', '007', '008', '009', '010', '011', '012', '013'];
const PLACE = ['河东', '津东', '海河', '东兴', '大王庄', '富民', '鲁山', '向阳', '上杭', '春华', '唐家口', '二号桥', '东新'];
const TRADE = ['精密机械', '电子科技', '新材料', '汽车零部件', '印刷包装', '食品加工', '医疗器械', '智能装备', '金属制品', '化工涂料', '服装纺织', '建材'];
const KIND = ['有限公司', '有限责任公司', '股份有限公司', '制造有限公司'];
const STATUS = ['正常生产', '正常生产', '正常生产', '正常生产', '正常生产', '出租', '半停产', '停产', '闲置'];
const WILL = ['自主开发', '联合开发', '转让', '收储', '暂无意愿'];
const PROBLEM = ['无', '无', '无', '产权不清', '手续不全', '规划限制', '资金不足', '环保约束', '其他'];
const DESC: Record<string, string> = {
  产权不清: '土地与房屋权属人不一致，历史遗留问题待厘清',
  手续不全: '部分厂房未办理规划及竣工验收手续',
  规划限制: '地块位于规划调整范围，改扩建受限',
  资金不足: '技改资金缺口较大，需政策支持',
  环保约束: '周边为居住区，生产受环保要求限制',
  其他: '企业经营困难，拟调整经营方向',
};

const STREETS = ['大王庄街道', '大直沽街道', '中山门街道', '富民路街道', '二号桥街道', '春华街道', '唐家口街道', '向阳楼街道', '常州道街道', '上杭路街道', '东新街道', '鲁山道街道', '天铁街道'];
const ROADS = ['津塘路', '十一经路', '卫国道', '成林道', '六纬路', '大直沽八号路', '海河东路', '华昌道', '新开路', '红星路'];

/** Parcel id of parcel p (1-based), as the industrial rows use it (two enterprises per parcel). */
export function parcelIdOf(p: number): string {
  return `120102${STREET_CODES[p % STREET_CODES.length]}${String(1 + (p % 97)).padStart(3, '0')}GB${String(p % 100000).padStart(5, '0')}`;
}

/** Row of the base form (地块底图表) for parcel p: an industrial parcel big enough for its enterprises. */
export function baseRow(p: number): Record<string, unknown> {
  const procedures = p % 23 === 0 ? '不全' : p % 61 === 0 ? '无' : '齐全';
  return {
    parcelId: parcelIdOf(p),
    street: STREETS[p % STREET_CODES.length],
    location: `河东区${ROADS[p % ROADS.length]}${1 + (p % 300)}号`,
    landUseCode: p % 29 === 0 ? '0508' : '0601',
    // the land of its two enterprises (rows 2p-2 and 2p-1), a little more on some parcels
    landArea: Math.round(((industrialRow(2 * p - 2).landArea as number) + (industrialRow(2 * p - 1).landArea as number)) * (p % 5 === 0 ? 1.1 : 1) * 10) / 10,
    owner: `天津${PLACE[p % PLACE.length]}${TRADE[p % TRADE.length]}有限公司`,
    ownership: '国有',
    supplyMode: p % 7 === 0 ? '划拨' : '出让',
    plannedUse: p % 11 === 0 ? '商业服务业' : '工业',
    agreedStartDate: null,
    landProcedures: procedures,
    occurrenceDate: procedures === '齐全' ? null : new Date(Date.UTC(1985 + (p % 38), p % 12, 1)),
  };
}

/** Row i of a realistic industrial form (values in the catalogue's field order by key). */
export function industrialRow(i: number): Record<string, unknown> {
  const p = 1 + Math.floor(i / 2);
  const parcelId = parcelIdOf(p);
  const body = `91120102${String(100000 + ((i * 7919) % 900000))}${USCC_CHARS[i % 31]}${USCC_CHARS[(i * 7) % 31]}${String(i % 10)}`.slice(0, 17);
  const land = 2000 + ((i * 7331) % 58000) + (i % 10) / 10;
  const floor = Math.round(land * (0.3 + ((i * 13) % 17) / 10) * 10) / 10;
  const footprint = Math.round(land * (0.2 + ((i * 7) % 40) / 100) * 10) / 10;
  const status = STATUS[i % STATUS.length];
  const stopped = status === '半停产' || status === '停产' || status === '闲置';
  const problem = PROBLEM[i % PROBLEM.length];
  return {
    parcelId,
    enterpriseName: `天津${PLACE[i % PLACE.length]}${TRADE[(i >> 2) % TRADE.length]}${KIND[i % KIND.length]}`,
    uscc: body + (usccCheckChar(body) ?? '0'),
    industryCode: `${13 + (i % 30)}${String(10 + (i % 9)).padStart(2, '0')}`,
    landArea: land,
    floorArea: floor,
    footprint,
    plotRatio: i % 3 === 0 ? Math.round((floor / land) * 100) / 100 : null,
    status,
    stopDate: stopped ? new Date(Date.UTC(2016 + (i % 6), i % 12, 1 + (i % 28))) : null,
    employees: 5 + ((i * 37) % 800),
    output: Math.round((100 + ((i * 911) % 50000)) * 100) / 100,
    tax: Math.round((1 + ((i * 53) % 3000)) * 100) / 100,
    obsolete: i % 53 === 0 ? '是' : '否',
    stateOwned: i % 9 === 0 ? '是' : '否',
    willingness: WILL[i % WILL.length],
    problemType: problem,
    problemDesc: DESC[problem] ?? null,
  };
}

const GEN_VERSION = 1;

/** Folder for data shared by sections and runs (generated once). */
export function cacheDir(): string {
  const d = join(tmpdir(), 'land-survey-bench-cache');
  mkdirSync(d, { recursive: true });
  return d;
}

/**
 * Writes one workbook of a form (title row, header row from the catalogue, then `rows`, date columns
 * formatted) with exceljs's streaming writer, shared strings and styles on, like Excel.
 */
async function writeFormWorkbook(file: string, formId: FormId, title: string, rows: Iterable<Record<string, unknown>>): Promise<void> {
  // required lazily (not imported): a child process measuring something else should not load exceljs
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ExcelJS = require('exceljs') as typeof import('exceljs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { getForm } = require('../shared/forms') as typeof import('../shared/forms');
  const form = getForm(formId);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet(form.title);
  ws.addRow([title]).commit();
  ws.addRow(form.fields.map((f) => f.title)).commit();
  const dateCols = form.fields.map((f, c) => (f.type === 'date' ? c + 1 : 0)).filter((c) => c > 0);
  for (const v of rows) {
    const row = ws.addRow(form.fields.map((f) => v[f.key] ?? null));
    for (const c of dateCols) row.getCell(c).numFmt = 'yyyy-mm-dd';
    row.commit();
  }
  ws.commit();
  await wb.commit();
}

function* range<T>(from: number, to: number, make: (i: number) => T): Generator<T> {
  for (let i = from; i < to; i++) yield make(i);
}

/** A generated data set, cached under `cacheDir()/<name>` until its `done` marker exists. */
async function cached<T>(name: string, result: T, write: (dir: string) => Promise<void>): Promise<T> {
  const dir = join(cacheDir(), name);
  if (existsSync(join(dir, 'done'))) return result;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await write(dir);
  writeFileSync(join(dir, 'done'), new Date().toISOString());
  return result;
}

/** `files` workbooks holding `totalRows` industrial-form rows between them, cached. */
export async function industrialWorkbooks(totalRows: number, files: number, log?: (l: string) => void): Promise<string[]> {
  const name = `industrial-${totalRows}x${files}-v${GEN_VERSION}`;
  const names = Array.from({ length: files }, (_v, k) => join(cacheDir(), name, `低效工业调查表-${String(k + 1).padStart(2, '0')}.xlsx`));
  return cached(name, names, async (dir) => {
    const t0 = performance.now();
    const per = Math.ceil(totalRows / files);
    for (let k = 0; k < files; k++) {
      await writeFormWorkbook(names[k], 'industrial', '河东区低效工业调查表（2022年度）', range(k * per, Math.min(totalRows, (k + 1) * per), industrialRow));
    }
    log?.(`  (generated ${totalRows} rows in ${files} workbooks with the exceljs streaming writer in ${((performance.now() - t0) / 1000).toFixed(1)} s, cached in ${dir})`);
  });
}

/** The base form (地块底图表) of the parcels the first `industrialRows` industrial rows sit on, cached. */
export async function baseWorkbook(industrialRows: number, log?: (l: string) => void): Promise<string> {
  const parcels = Math.ceil(industrialRows / 2);
  const name = `base-${parcels}-v${GEN_VERSION}`;
  const file = join(cacheDir(), name, '地块底图表.xlsx');
  return cached(name, file, async (dir) => {
    const t0 = performance.now();
    await writeFormWorkbook(file, 'base', '河东区地块底图表（2022年度变更调查）', range(1, parcels + 1, baseRow));
    log?.(`  (generated the base form of ${parcels} parcels in ${((performance.now() - t0) / 1000).toFixed(1)} s, cached in ${dir})`);
  });
}

/**
 * One department's industrial form of `rows` rows with the usual mistakes in about 3% of them (a
 * wrong USCC check character, an area written with 亩, an unknown industry code, a missing name, a
 * stop date written as text), so a marked copy has marks to make. Cached.
 */
export async function departmentWorkbook(rows: number, log?: (l: string) => void): Promise<string> {
  const name = `department-${rows}-v${GEN_VERSION}`;
  const file = join(cacheDir(), name, '低效工业调查表-某街道.xlsx');
  return cached(name, file, async (dir) => {
    const t0 = performance.now();
    const withMistakes = (i: number) => {
      const v = industrialRow(i);
      if (i % 149 === 3) v.uscc = String(v.uscc).slice(0, 17) + (String(v.uscc).endsWith('0') ? '1' : '0');
      if (i % 151 === 5) v.landArea = `${(Number(v.landArea) / 666.67).toFixed(2)}亩`;
      if (i % 157 === 7) v.industryCode = '9911';
      if (i % 163 === 11) v.enterpriseName = null;
      if (i % 167 === 13) v.stopDate = '2021年3月5日';
      return v;
    };
    await writeFormWorkbook(file, 'industrial', '河东区低效工业调查表（2022年度）', range(0, rows, withMistakes));
    log?.(`  (generated a department workbook of ${rows} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s, cached in ${dir})`);
  });
}

export const fmtS = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'n/a');
export const fmtMb = (mb: number) => (Number.isFinite(mb) ? `${mb.toFixed(0)} MB` : 'n/a');
export const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');

if (require.main === module && process.argv[2] === '--child') {
  childMain(process.argv[3], process.argv[4], process.argv[5]).then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(String((e as Error)?.stack ?? e));
      process.exit(1);
    },
  );
}
