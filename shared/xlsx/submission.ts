/**
 * The submission workbook (报送表) of `land-survey consolidate … -o` — 两库一清单 plus 一宗一卡 — as
 * the office sends it up (domain.md §7):
 *
 * | sheet | content |
 * |---|---|
 * | 汇总 | rule set id/version, evaluation date; parcels and areas (㎡ and 亩) by result and by street × category; historic land by period; per input: rows in = rows determined + rows only in the issue list |
 * | 认定结果 | every parcel with its figures, result, hit rules, what is missing, suggested mode |
 * | 低效用地数据库 | 低效 parcels: figures, each hit rule with its figure and threshold, the reasons in words, suggested mode |
 * | 历史遗留用地数据库 | parcels with 用地手续 不全/无 by period (post-2019 flagged as new illegal use) |
 * | 问题清单 | every data issue; then each parcel's reported 难点堵点 |
 * | 一宗一卡 | one printable card per parcel, a page break after each |
 *
 * Formal formatting: merged title, 宋体 titles/headers and 仿宋 body, thin borders, `#,##0.00`,
 * frozen header, autofilter, A4 landscape fitted to the page width, title and header rows repeated
 * on every printed page, footer `第 &P 页 共 &N 页`.
 *
 * Written with exceljs' streaming writer (shared strings and styles on), row by row, one sheet
 * after the other, so memory stays flat for 100,000 parcels. Every text that came from a user goes
 * through `safeText` and is written as a string, never a formula.
 */
import { mu } from '../determine/util';
import { PERIOD_LABEL, RESULT_FIGURES } from '../results/figures';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { getForm, type FormId } from '../forms';
import { ISSUE_CODES, SEVERITY_LABEL, type Severity } from '../issues/catalogue';
import type { RuleSet } from '../rules/schema';
import type { BenchmarkBasis, Category, Consolidation, MissingItem, ParcelDetail, ResultLabel } from '../types';
import { columnLetter } from '../grid';
import { safeNumber, safeText } from './safe';
import {
  BORDER_ALL, PAGE_FOOTER, pageSetupOf, FILL_HEADER, FILL_SECTION, FONT_BODY, FONT_HEADER, FONT_SUBTITLE, FONT_TITLE,
  NUMFMT_AMOUNT, NUMFMT_INTEGER, NUMFMT_RATIO, rowHeightFor, severityFill, wrappedLines,
} from './style';
import { WORKBOOK_CREATOR } from './template';

export const SUBMISSION_SHEETS = ['汇总', '认定结果', '低效用地数据库', '历史遗留用地数据库', '问题清单', '一宗一卡'] as const;

export interface SubmissionOptions {
  /** Time stamp shown in the subtitles (default: now). Tests pass a fixed one. */
  generatedAt?: Date;
  /**
   * Benchmark baseline only: write the same cell values with no formatting at all (no styles,
   * merges or page breaks), i.e. what exceljs' streaming writer costs for the same cells.
   */
  plainForBenchmark?: boolean;
}

/** Workbooks written with `plainForBenchmark` (looked up from a row's worksheet). */
const PLAIN_BOOKS = new WeakSet<object>();

function isPlain(ws: unknown): boolean {
  return PLAIN_BOOKS.has((ws as { _workbook: object })._workbook);
}

/** Rows written between two yields to the event loop, so the zip can drain to the output. */
const ROWS_PER_YIELD = 2000;

/** How much written sheet XML may wait for compression before the writer pauses. */
const MAX_PENDING_BYTES = 8 * 1024 * 1024;

interface PipeTarget {
  writableLength?: number;
  /** readable-stream 2 (archiver's) has no `writableLength`. */
  _writableState?: { length?: number };
  once(ev: 'drain', f: () => void): void;
}

interface SheetStream {
  pipes?: PipeTarget[];
  buffers?: unknown[];
}

function pendingOf(p: PipeTarget): number {
  return p.writableLength ?? p._writableState?.length ?? 0;
}

/**
 * Lets the zip catch up. exceljs' sheet stream hands its chunks to the compressor without waiting
 * (no back-pressure), so a writer that never pauses keeps the whole sheet in memory; waiting here
 * until the compressor's queue is small keeps memory flat.
 */
async function yieldNow(ws: WS): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  const sb = (ws as unknown as { _stream?: SheetStream })._stream;
  if (!sb) return;
  for (let guard = 0; guard < 10000; guard++) {
    const pipes = sb.pipes ?? [];
    const pending = pipes.reduce((a, p) => Math.max(a, pendingOf(p)), 0);
    const unpiped = pipes.length === 0 ? (sb.buffers?.length ?? 0) * 65536 : 0;
    if (pending <= MAX_PENDING_BYTES && unpiped <= MAX_PENDING_BYTES) return;
    if (pending > MAX_PENDING_BYTES) {
      const p = pipes.find((x) => pendingOf(x) > MAX_PENDING_BYTES)!;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        p.once('drain', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    } else {
      await new Promise<void>((resolve) => setTimeout(resolve, 2));
    }
  }
}

/** Chinese labels of the contract's codes. */
export const MISSING_LABEL: Record<MissingItem, string> = {
  tax: '缺税收数据',
  output: '缺产值数据',
  taxBenchmark: '缺亩均税收基准',
  outputBenchmark: '缺亩均产值基准',
  survey: '缺调查表',
};

export const BASIS_LABEL: Record<BenchmarkBasis, string> = {
  table: '部门行业基准表',
  'district-class': '全区同行业测算',
  'district-all': '全区工业测算',
  'district-commercial': '全区商办测算',
  none: '无基准',
};


const RESULTS: ResultLabel[] = ['低效', '待核实', '非低效', '不参评'];
const CATEGORIES: Category[] = ['工业', '商办', '设施', '居住', '空闲地', '其他'];

// ---------------------------------------------------------------------------------------------
// Styles: one object per style (exceljs caches style ids by object identity)

const S = {
  title: { font: FONT_TITLE, alignment: { horizontal: 'center', vertical: 'middle' } } as Partial<ExcelJS.Style>,
  subtitle: { font: FONT_SUBTITLE, alignment: { horizontal: 'left', vertical: 'middle' } } as Partial<ExcelJS.Style>,
  header: { font: FONT_HEADER, fill: FILL_HEADER, border: BORDER_ALL, alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } } as Partial<ExcelJS.Style>,
  section: { font: FONT_HEADER, fill: FILL_SECTION, border: BORDER_ALL, alignment: { horizontal: 'left', vertical: 'middle' } } as Partial<ExcelJS.Style>,
  text: { font: FONT_BODY, border: BORDER_ALL, alignment: { vertical: 'middle', wrapText: true } } as Partial<ExcelJS.Style>,
  center: { font: FONT_BODY, border: BORDER_ALL, alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } } as Partial<ExcelJS.Style>,
  amount: { font: FONT_BODY, border: BORDER_ALL, numFmt: NUMFMT_AMOUNT, alignment: { vertical: 'middle' } } as Partial<ExcelJS.Style>,
  ratio: { font: FONT_BODY, border: BORDER_ALL, numFmt: NUMFMT_RATIO, alignment: { vertical: 'middle' } } as Partial<ExcelJS.Style>,
  integer: { font: FONT_BODY, border: BORDER_ALL, numFmt: NUMFMT_INTEGER, alignment: { horizontal: 'center', vertical: 'middle' } } as Partial<ExcelJS.Style>,
  label: { font: FONT_HEADER, fill: FILL_SECTION, border: BORDER_ALL, alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } } as Partial<ExcelJS.Style>,
  cardTitle: { font: { ...FONT_TITLE, size: 14 }, border: BORDER_ALL, alignment: { horizontal: 'center', vertical: 'middle' } } as Partial<ExcelJS.Style>,
  total: { font: FONT_HEADER, border: BORDER_ALL, alignment: { horizontal: 'center', vertical: 'middle' } } as Partial<ExcelJS.Style>,
  totalAmount: { font: FONT_HEADER, border: BORDER_ALL, numFmt: NUMFMT_AMOUNT } as Partial<ExcelJS.Style>,
  totalInteger: { font: FONT_HEADER, border: BORDER_ALL, numFmt: NUMFMT_INTEGER, alignment: { horizontal: 'center' } } as Partial<ExcelJS.Style>,
};
const SEV_STYLE: Record<Severity, Partial<ExcelJS.Style>> = {
  error: { ...S.center, fill: severityFill('error') },
  warning: { ...S.center, fill: severityFill('warning') },
  info: { ...S.center, fill: severityFill('info') },
};

type Kind = 'text' | 'center' | 'amount' | 'ratio' | 'integer';
type Cell = string | number | null | undefined;

interface Column<T> {
  title: string;
  width: number;
  kind: Kind;
  get: (x: T, i: number) => Cell;
}

type WS = ExcelJS.Worksheet;

// ---------------------------------------------------------------------------------------------

/**
 * Writes the submission workbook of a consolidation to a file path (written to a temporary file
 * beside it and renamed when complete, so nothing half-written is left) or to a writable stream.
 */
export async function writeSubmission(
  c: Consolidation,
  ruleSet: RuleSet,
  out: string | Writable,
  opts: SubmissionOptions = {},
): Promise<void> {
  if (typeof out !== 'string') {
    await writeTo(out, c, ruleSet, opts);
    return;
  }
  const tmp = `${out}.${process.pid}.${Date.now()}.tmp`;
  try {
    const file = createWriteStream(tmp);
    await new Promise<void>((resolve, reject) => {
      file.once('open', () => resolve());
      file.once('error', reject);
    });
    await writeTo(file, c, ruleSet, opts);
    await rename(tmp, out);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

async function writeTo(stream: Writable, c: Consolidation, ruleSet: RuleSet, opts: SubmissionOptions): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: true });
  wb.creator = WORKBOOK_CREATOR;
  wb.lastModifiedBy = WORKBOOK_CREATOR;
  const district = ruleSet.districtName || '河东区';
  const ctx: Ctx = {
    wb,
    c,
    ruleSet,
    district,
    subtitle: `规则集：${safeText(ruleSet.name ?? ruleSet.id)}（${safeText(ruleSet.id)}，版本 ${safeText(ruleSet.version)}）　评价基准日：${c.result.evaluationDate}　生成时间：${stamp(opts.generatedAt ?? new Date())}`,
    ruleNames: new Map(ruleSet.rules.map((r) => [r.id, r.description ?? r.id])),
  };
  const done = new Promise<void>((resolve, reject) => {
    stream.once('finish', () => resolve());
    stream.once('close', () => resolve());
    stream.once('error', reject);
  });
  done.catch(() => undefined); // awaited below; avoid an unhandled rejection while sheets are written
  (wb as unknown as { title: string }).title = `${district}低效用地调查认定报送表`;
  if (opts.plainForBenchmark) PLAIN_BOOKS.add(wb);
  writeSummary(ctx);
  await writeResults(ctx);
  await writeLowEfficiency(ctx);
  await writeHistoric(ctx);
  await writeIssues(ctx);
  await writeCards(ctx);
  await Promise.race([wb.commit().then(() => done), done]);
  await done;
}

interface Ctx {
  wb: ExcelJS.stream.xlsx.WorkbookWriter;
  c: Consolidation;
  ruleSet: RuleSet;
  district: string;
  subtitle: string;
  ruleNames: Map<string, string>;
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

// ---------------------------------------------------------------------------------------------
// Low-level row writing

function put(row: ExcelJS.Row, col: number, v: Cell, style: Partial<ExcelJS.Style>): void {
  if (isPlain((row as unknown as { _worksheet: unknown })._worksheet)) {
    if (v !== null && v !== undefined && v !== '') row.getCell(col).value = typeof v === 'number' ? (Number.isFinite(v) ? v : null) : v;
    return;
  }
  const cell = row.getCell(col);
  if (v !== null && v !== undefined && v !== '') cell.value = typeof v === 'number' ? (Number.isFinite(v) ? v : null) : v;
  cell.style = style;
}

/** A merged range as the streaming writer keeps it until the sheet is committed (kept small: cards make many). */
class MergeRange {
  constructor(
    readonly top: number,
    readonly left: number,
    readonly bottom: number,
    readonly right: number,
  ) {}

  intersects(o: { top: number; left: number; bottom: number; right: number }): boolean {
    return !(o.bottom < this.top || o.top > this.bottom || o.right < this.left || o.left > this.right);
  }

  toString(): string {
    return `${columnLetter(this.left)}${this.top}:${columnLetter(this.right)}${this.bottom}`;
  }
}

/** Merge without exceljs' quadratic overlap check (callers never overlap merges). */
function fastMerge(ws: WS, top: number, left: number, bottom: number, right: number): void {
  if (isPlain(ws)) return;
  (ws as unknown as { _merges: unknown[] })._merges.push(new MergeRange(top, left, bottom, right));
}

function newSheet(ctx: Ctx, name: string, widths: number[], opts: { frozenRows?: number; landscape?: boolean } = {}): WS {
  // the streaming writer writes sheet properties (fit to page) when the sheet is created
  const ws = ctx.wb.addWorksheet(name, {
    views: opts.frozenRows ? [{ state: 'frozen', xSplit: 0, ySplit: opts.frozenRows, topLeftCell: `A${opts.frozenRows + 1}` }] : [],
    properties: { defaultRowHeight: 18 } as ExcelJS.WorksheetProperties,
    pageSetup: pageSetupOf({ titleRows: opts.frozenRows ? `1:${opts.frozenRows}` : undefined, landscape: opts.landscape }),
    headerFooter: { oddFooter: PAGE_FOOTER } as ExcelJS.HeaderFooter,
  });
  // exceljs treats width 9 as "default" and leaves it out
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w === 9 ? 9.01 : w));
  return ws;
}

/** Rows 1–2: merged title and subtitle. */
function writeTitle(ws: WS, title: string, subtitle: string, ncol: number): void {
  const r1 = ws.getRow(1);
  r1.height = 30;
  put(r1, 1, title, S.title);
  fastMerge(ws, 1, 1, 1, ncol);
  r1.commit();
  const r2 = ws.getRow(2);
  r2.height = 20;
  put(r2, 1, subtitle, S.subtitle);
  fastMerge(ws, 2, 1, 2, ncol);
  r2.commit();
}

function writeHeader(ws: WS, r: number, titles: string[], widths?: number[]): void {
  const row = ws.getRow(r);
  const lines = widths ? Math.max(...titles.map((t, i) => wrappedLines(t, widths[i] ?? 10))) : 2;
  row.height = rowHeightFor(Math.max(2, lines), 30);
  titles.forEach((t, i) => put(row, i + 1, t, S.header));
  row.commit();
}

/** A table sheet: title, subtitle, header row 3 (frozen, repeated when printed), data, autofilter. */
async function writeTable<T>(ctx: Ctx, name: string, title: string, columns: Column<T>[], items: Iterable<T>): Promise<number> {
  const ws = newSheet(ctx, name, columns.map((c) => c.width), { frozenRows: 3 });
  writeTitle(ws, title, ctx.subtitle, columns.length);
  writeHeader(ws, 3, columns.map((c) => c.title), columns.map((c) => c.width));
  const styles = columns.map((c) => S[c.kind]);
  let r = 4;
  let i = 0;
  for (const x of items) {
    const row = ws.getRow(r);
    let lines = 1;
    for (let k = 0; k < columns.length; k++) {
      const v = columns[k].get(x, i);
      put(row, k + 1, v, styles[k]);
      if (typeof v === 'string' && (columns[k].kind === 'text' || columns[k].kind === 'center') && (v.length * 2 >= columns[k].width || v.includes('\n'))) {
        lines = Math.max(lines, wrappedLines(v, columns[k].width));
      }
    }
    if (lines > 1) row.height = rowHeightFor(lines);
    row.commit();
    r++;
    i++;
    if (i % ROWS_PER_YIELD === 0) await yieldNow(ws);
  }
  if (i === 0) {
    const row = ws.getRow(r);
    put(row, 1, '（无）', S.center);
    for (let k = 2; k <= columns.length; k++) put(row, k, null, S.text);
    fastMerge(ws, r, 1, r, columns.length);
    row.commit();
  }
  ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: Math.max(3, r - 1), column: columns.length } };
  ws.commit();
  return i;
}

// ---------------------------------------------------------------------------------------------
// Value helpers

const t = (v: unknown): string | null => {
  const s = safeText(v);
  return s === '' ? null : s;
};
const n = (v: unknown): number | null => safeNumber(v);

function hitsText(ctx: Ctx, d: ParcelDetail): string {
  if (d.hitDetails.length) {
    return d.hitDetails.map((h) => `${h.rule} ${ctx.ruleNames.get(h.rule) ?? ''}${figureVsThreshold(h.figure, h.threshold)}`).join('\n');
  }
  return d.hits.map((h) => `${h} ${ctx.ruleNames.get(h) ?? ''}`).join('\n');
}

/** `IND-PLOT（0.55/0.80）` per hit, one a line. */
function hitsShort(d: ParcelDetail): string | null {
  if (d.hitDetails.length) {
    return d.hitDetails
      .map((h) => (h.figure === null && h.threshold === null ? h.rule : `${h.rule}（${num(h.figure)}/${num(h.threshold)}）`))
      .join('\n');
  }
  return d.hits.join('\n') || null;
}

function num(x: number | string | null): string {
  return typeof x === 'number' ? fmt(x) : x === null ? '—' : safeText(x);
}

function figureVsThreshold(figure: number | string | null, threshold: number | string | null): string {
  if (figure === null && threshold === null) return '';
  const f = typeof figure === 'number' ? fmt(figure) : safeText(figure ?? '—');
  const th = typeof threshold === 'number' ? fmt(threshold) : safeText(threshold ?? '—');
  return `（指标 ${f}；标准 ${th}）`;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}

function reasonsText(d: ParcelDetail): string | null {
  return d.hitDetails.length ? d.hitDetails.map((h) => safeText(h.reason)).join('；') : null;
}

function missingText(d: ParcelDetail): string | null {
  return d.missing.length ? d.missing.map((m) => MISSING_LABEL[m] ?? m).join('、') : null;
}

function formTitle(form: FormId): string {
  try {
    return getForm(form).title;
  } catch {
    return safeText(form);
  }
}

// ---------------------------------------------------------------------------------------------
// 汇总

function writeSummary(ctx: Ctx): void {
  const { c } = ctx;
  const widths = [26, 14, 12, 12, 16, 14, 16, 14];
  const ncol = widths.length;
  const ws = newSheet(ctx, '汇总', widths, {});
  writeTitle(ws, `${ctx.district}低效用地调查认定汇总表`, ctx.subtitle, ncol);
  let r = 3;
  const blank = () => {
    r++;
  };
  const section = (title: string) => {
    const row = ws.getRow(r);
    put(row, 1, title, S.section);
    for (let k = 2; k <= ncol; k++) put(row, k, null, S.section);
    fastMerge(ws, r, 1, r, ncol);
    row.commit();
    r++;
  };
  const header = (titles: string[]) => {
    writeHeader(ws, r, titles, widths);
    r++;
  };
  const line = (cells: Cell[], styles: Partial<ExcelJS.Style>[]) => {
    const row = ws.getRow(r);
    cells.forEach((v, k) => put(row, k + 1, v, styles[k] ?? S.text));
    row.commit();
    r++;
  };

  // 规则集与基准日
  section('一、认定依据');
  const info: [string, string][] = [
    ['规则集', `${safeText(ctx.ruleSet.name ?? ctx.ruleSet.id)}`],
    ['规则集标识 / 版本', `${safeText(c.result.ruleSet.id)} / ${safeText(c.result.ruleSet.version)}`],
    ['评价基准日', c.result.evaluationDate],
    ['启用的认定规则', ctx.ruleSet.rules.filter((x) => x.enabled).map((x) => x.id).join('、')],
  ];
  for (const [k, v] of info) {
    const row = ws.getRow(r);
    put(row, 1, k, S.label);
    put(row, 2, v, S.text);
    for (let j = 3; j <= ncol; j++) put(row, j, null, S.text);
    fastMerge(ws, r, 2, r, ncol);
    const lines = wrappedLines(v, widths.slice(1).reduce((a, b) => a + b, 0));
    if (lines > 1) row.height = rowHeightFor(lines);
    row.commit();
    r++;
  }
  blank();

  // 按认定结果
  section('二、按认定结果统计');
  header(['认定结果', '宗地数', '土地面积(㎡)', '土地面积(亩)']);
  const byResult = new Map<string, { count: number; area: number }>();
  for (const p of c.result.parcels) {
    const s = byResult.get(p.result) ?? { count: 0, area: 0 };
    s.count++;
    s.area += n(p.landArea) ?? 0;
    byResult.set(p.result, s);
  }
  let tc = 0;
  let ta = 0;
  for (const res of RESULTS) {
    const s = byResult.get(res) ?? { count: 0, area: 0 };
    tc += s.count;
    ta += s.area;
    line([res, s.count, s.area, mu(s.area)], [S.center, S.integer, S.amount, S.amount]);
  }
  line(['合计', tc, ta, mu(ta)], [S.total, S.totalInteger, S.totalAmount, S.totalAmount]);
  blank();

  // 按街道 × 用地类别
  section('三、按街道和用地类别统计');
  header(['街道', '用地类别', '宗地数', '其中低效', '土地面积(㎡)', '土地面积(亩)', '低效面积(㎡)', '低效面积(亩)']);
  const key = (s: string, k: string) => `${s}\u0000${k}`;
  const cells = new Map<string, { count: number; low: number; area: number; lowArea: number }>();
  const streets: string[] = [...ctx.ruleSet.streets];
  for (const p of c.result.parcels) {
    const street = safeText(p.street) || '（未填）';
    if (!streets.includes(street)) streets.push(street);
    const s = cells.get(key(street, p.category)) ?? { count: 0, low: 0, area: 0, lowArea: 0 };
    const a = n(p.landArea) ?? 0;
    s.count++;
    s.area += a;
    if (p.result === '低效') {
      s.low++;
      s.lowArea += a;
    }
    cells.set(key(street, p.category), s);
  }
  const tot = { count: 0, low: 0, area: 0, lowArea: 0 };
  const numStyles = [S.center, S.center, S.integer, S.integer, S.amount, S.amount, S.amount, S.amount];
  for (const street of streets) {
    for (const cat of CATEGORIES) {
      const s = cells.get(key(street, cat));
      if (!s) continue;
      tot.count += s.count;
      tot.low += s.low;
      tot.area += s.area;
      tot.lowArea += s.lowArea;
      line([street, cat, s.count, s.low, s.area, mu(s.area), s.lowArea, mu(s.lowArea)], numStyles);
    }
  }
  line(['合计', '', tot.count, tot.low, tot.area, mu(tot.area), tot.lowArea, mu(tot.lowArea)],
    [S.total, S.total, S.totalInteger, S.totalInteger, S.totalAmount, S.totalAmount, S.totalAmount, S.totalAmount]);
  blank();

  // 历史遗留
  section('四、历史遗留用地按时段统计');
  header(['用地发生时段', '宗地数', '土地面积(㎡)', '土地面积(亩)']);
  const area = new Map(c.result.parcels.map((p) => [p.parcelId, n(p.landArea) ?? 0]));
  const byPeriod = new Map<string, { count: number; area: number }>();
  for (const h of c.result.historic) {
    const s = byPeriod.get(h.period) ?? { count: 0, area: 0 };
    s.count++;
    s.area += area.get(h.parcelId) ?? detailArea(c, h.parcelId);
    byPeriod.set(h.period, s);
  }
  for (const p of ctx.ruleSet.historicPeriods) {
    const s = byPeriod.get(p.id) ?? { count: 0, area: 0 };
    line([PERIOD_LABEL[p.id] ?? p.id, s.count, s.area, mu(s.area)], [S.text, S.integer, S.amount, S.amount]);
  }
  blank();

  // 数据守恒
  section('五、各报送表数据行核对（读入行数 = 参与认定行数 + 仅列入问题清单行数）');
  header(['文件', '报表', '工作表', '读入行数', '参与认定行数', '仅列入问题清单行数', '核对', '']);
  for (const x of c.conservation) {
    const ok = x.rowsIn === x.rowsUsed + x.rowsIssueOnly;
    line([safeText(x.file), formTitle(x.form), safeText(x.sheet), x.rowsIn, x.rowsUsed, x.rowsIssueOnly, ok ? '相符' : '不符', null],
      [S.text, S.center, S.text, S.integer, S.integer, S.integer, S.center, S.text]);
  }
  if (!c.conservation.length) line(['（无输入）'], [S.text]);
  blank();

  section('六、问题统计');
  header(['严重程度', '问题条数', '', '']);
  const sev = { error: 0, warning: 0, info: 0 } as Record<Severity, number>;
  for (const is of c.issues) sev[is.severity]++;
  for (const s of ['error', 'warning', 'info'] as Severity[]) line([SEVERITY_LABEL[s], sev[s], null, null], [SEV_STYLE[s], S.integer, S.text, S.text]);
  const problems = c.details.reduce((a, d) => a + d.problems.length, 0);
  line(['调查填报的难点堵点', problems, null, null], [S.center, S.integer, S.text, S.text]);
  ws.commit();
}

function detailArea(c: Consolidation, parcelId: string): number {
  return n(c.details.find((d) => d.parcelId === parcelId)?.landArea) ?? 0;
}

// ---------------------------------------------------------------------------------------------
// 认定结果

async function writeResults(ctx: Ctx): Promise<void> {
  const cols: Column<ParcelDetail>[] = [
    { title: '序号', width: 7, kind: 'integer', get: (_, i) => i + 1 },
    { title: '宗地代码', width: 22, kind: 'center', get: (d) => t(d.parcelId) },
    { title: '街道', width: 12, kind: 'center', get: (d) => t(d.street) },
    { title: '坐落', width: 24, kind: 'text', get: (d) => t(d.location) },
    { title: '权利人', width: 22, kind: 'text', get: (d) => t(d.owner) },
    { title: '地类编码', width: 9, kind: 'center', get: (d) => t(d.landUseCode) },
    { title: '用地类别', width: 9, kind: 'center', get: (d) => d.category },
    { title: RESULT_FIGURES.landArea.title, width: 14, kind: 'amount', get: (d) => n(d.landArea) },
    { title: '土地面积(亩)', width: 12, kind: 'amount', get: (d) => n(d.landAreaMu) },
    { title: RESULT_FIGURES.plotRatio.title, width: 9, kind: 'ratio', get: (d) => n(d.plotRatio) },
    { title: RESULT_FIGURES.coverage.title, width: 10, kind: 'ratio', get: (d) => n(d.coverage) },
    { title: RESULT_FIGURES.taxPerMu.title, width: 12, kind: 'amount', get: (d) => n(d.taxPerMu) },
    { title: RESULT_FIGURES.outputPerMu.title, width: 12, kind: 'amount', get: (d) => n(d.outputPerMu) },
    { title: RESULT_FIGURES.result.title, width: 9, kind: 'center', get: (d) => d.result },
    { title: RESULT_FIGURES.hits.title, width: 18, kind: 'text', get: (d) => d.hits.join('、') || null },
    { title: '待核实原因', width: 16, kind: 'text', get: (d) => missingText(d) },
    { title: RESULT_FIGURES.mode.title, width: 11, kind: 'center', get: (d) => d.mode },
  ];
  await writeTable(ctx, '认定结果', `${ctx.district}低效用地认定结果表`, cols, ctx.c.details);
}

// ---------------------------------------------------------------------------------------------
// 低效用地数据库

async function writeLowEfficiency(ctx: Ctx): Promise<void> {
  const cols: Column<ParcelDetail>[] = [
    { title: '序号', width: 5, kind: 'integer', get: (_, i) => i + 1 },
    { title: '宗地代码', width: 20, kind: 'center', get: (d) => t(d.parcelId) },
    { title: '街道', width: 11, kind: 'center', get: (d) => t(d.street) },
    { title: '坐落', width: 16, kind: 'text', get: (d) => t(d.location) },
    { title: '权利人', width: 16, kind: 'text', get: (d) => t(d.owner) },
    { title: '用地类别', width: 7, kind: 'center', get: (d) => d.category },
    { title: '地类编码', width: 7, kind: 'center', get: (d) => t(d.landUseCode) },
    { title: RESULT_FIGURES.landArea.title, width: 11, kind: 'amount', get: (d) => n(d.landArea) },
    { title: '土地面积(亩)', width: 9, kind: 'amount', get: (d) => n(d.landAreaMu) },
    { title: '主导行业', width: 7, kind: 'center', get: (d) => t(d.mainIndustry) },
    { title: RESULT_FIGURES.plotRatio.title, width: 7, kind: 'ratio', get: (d) => n(d.plotRatio) },
    { title: RESULT_FIGURES.coverage.title, width: 7, kind: 'ratio', get: (d) => n(d.coverage) },
    { title: RESULT_FIGURES.taxPerMu.title, width: 8, kind: 'amount', get: (d) => n(d.taxPerMu) },
    { title: '税收基准(万元/亩)', width: 8, kind: 'amount', get: (d) => n(d.taxBenchmark) },
    { title: RESULT_FIGURES.outputPerMu.title, width: 8, kind: 'amount', get: (d) => n(d.outputPerMu) },
    { title: '产值基准(万元/亩)', width: 8, kind: 'amount', get: (d) => n(d.outputBenchmark) },
    { title: '空置率(%)', width: 7, kind: 'ratio', get: (d) => n(d.vacancyRate) },
    { title: '命中规则（指标/标准）', width: 18, kind: 'text', get: (d) => hitsShort(d) },
    { title: '认定理由', width: 28, kind: 'text', get: (d) => reasonsText(d) },
    { title: RESULT_FIGURES.mode.title, width: 8, kind: 'center', get: (d) => d.mode },
  ];
  await writeTable(ctx, '低效用地数据库', `${ctx.district}低效用地数据库`, cols, filter(ctx.c.details, (d) => d.result === '低效'));
}

function* filter<T>(xs: Iterable<T>, f: (x: T) => boolean): Iterable<T> {
  for (const x of xs) if (f(x)) yield x;
}

// ---------------------------------------------------------------------------------------------
// 历史遗留用地数据库

async function writeHistoric(ctx: Ctx): Promise<void> {
  const byId = new Map(ctx.c.details.map((d) => [d.parcelId, d]));
  const items = ctx.c.result.historic.map((h) => ({ h, d: byId.get(h.parcelId) }));
  type H = (typeof items)[number];
  const cols: Column<H>[] = [
    { title: '序号', width: 6, kind: 'integer', get: (_, i) => i + 1 },
    { title: '宗地代码', width: 22, kind: 'center', get: (x) => t(x.h.parcelId) },
    { title: '街道', width: 12, kind: 'center', get: (x) => t(x.d?.street) },
    { title: '坐落', width: 24, kind: 'text', get: (x) => t(x.d?.location) },
    { title: '权利人', width: 22, kind: 'text', get: (x) => t(x.d?.owner) },
    { title: '地类编码', width: 9, kind: 'center', get: (x) => t(x.d?.landUseCode) },
    { title: RESULT_FIGURES.landArea.title, width: 14, kind: 'amount', get: (x) => n(x.d?.landArea) },
    { title: '土地面积(亩)', width: 12, kind: 'amount', get: (x) => n(x.d?.landAreaMu) },
    { title: '用地手续', width: 9, kind: 'center', get: (x) => t(x.d?.landProcedures) },
    { title: '用地发生时间', width: 12, kind: 'center', get: (x) => t(x.d?.occurrenceDate) },
    { title: '用地发生时段', width: 26, kind: 'text', get: (x) => PERIOD_LABEL[x.h.period] ?? x.h.period },
    { title: RESULT_FIGURES.result.title, width: 9, kind: 'center', get: (x) => x.d?.result ?? null },
    { title: '备注', width: 22, kind: 'text', get: (x) => (x.h.period === 'post-2019' ? '三调后新增违法用地，按违法用地查处' : null) },
  ];
  await writeTable(ctx, '历史遗留用地数据库', `${ctx.district}历史遗留用地数据库`, cols, items);
}

// ---------------------------------------------------------------------------------------------
// 问题清单

async function writeIssues(ctx: Ctx): Promise<void> {
  const { c } = ctx;
  const widths = [6, 8, 14, 16, 18, 7, 6, 16, 21, 16, 40, 30];
  const ncol = widths.length;
  const ws = newSheet(ctx, '问题清单', widths, { frozenRows: 3 });
  writeTitle(ws, `${ctx.district}低效用地调查问题清单`, ctx.subtitle, ncol);
  writeHeader(ws, 3, ['序号', '严重程度', '问题类别', '报表', '工作表', '行', '列', '字段', '宗地代码', '填报值', '问题说明', '处理建议'], widths);
  let r = 4;
  const st = [S.integer, S.center, S.center, S.center, S.text, S.integer, S.center, S.text, S.center, S.text, S.text, S.text];
  for (let i = 0; i < c.issues.length; i++) {
    const is = c.issues[i];
    const row = ws.getRow(r++);
    const v: Cell[] = [
      i + 1, SEVERITY_LABEL[is.severity], ISSUE_CODES[is.code]?.title ?? safeText(is.code), formTitle(is.form), t(is.sheet),
      is.row ?? null, t(is.column), t(is.field), t(is.parcelId), t(is.value), t(is.message), t(is.hint),
    ];
    v.forEach((x, k) => put(row, k + 1, x, k === 1 ? SEV_STYLE[is.severity] : st[k]));
    const lines = Math.max(...[4, 7, 9, 10, 11].map((k) => (typeof v[k] === 'string' ? wrappedLines(v[k] as string, widths[k]) : 1)));
    if (lines > 1) row.height = rowHeightFor(lines);
    row.commit();
    if ((i + 1) % ROWS_PER_YIELD === 0) await yieldNow(ws);
  }
  if (!c.issues.length) {
    const row = ws.getRow(r);
    put(row, 1, '（无数据问题）', S.center);
    for (let k = 2; k <= ncol; k++) put(row, k, null, S.text);
    fastMerge(ws, r, 1, r, ncol);
    row.commit();
    r++;
  }
  ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: r - 1, column: ncol } };
  r++;

  // 难点堵点
  const sec = ws.getRow(r);
  put(sec, 1, '调查填报的难点堵点', S.section);
  for (let k = 2; k <= ncol; k++) put(sec, k, null, S.section);
  fastMerge(ws, r, 1, r, ncol);
  sec.commit();
  r++;
  const hdr = ['序号', '街道', '报表', '工作表', '单位（企业/楼宇/设施/项目）', '行', '', '问题类型', '宗地代码', '', '问题描述', ''];
  writeHeader(ws, r, hdr);
  fastMerge(ws, r, 6, r, 7);
  fastMerge(ws, r, 9, r, 10);
  fastMerge(ws, r, 11, r, 12);
  r++;
  const problemStyles = [S.integer, S.center, S.center, S.text, S.text, S.integer, S.integer, S.center, S.center, S.center, S.text, S.text];
  let k = 0;
  for (const d of c.details) {
    for (const p of d.problems) {
      const row = ws.getRow(r);
      const v: Cell[] = [++k, t(d.street), formTitle(p.form), t(p.sheet), t(p.unit), p.row, null, t(p.type), t(d.parcelId), null, t(p.description), null];
      v.forEach((x, j) => put(row, j + 1, x, problemStyles[j]));
      const lines = Math.max(wrappedLines(safeText(v[4]), widths[4]), wrappedLines(safeText(v[10]), widths[10] + widths[11]));
      if (lines > 1) row.height = rowHeightFor(lines);
      fastMerge(ws, r, 6, r, 7);
      fastMerge(ws, r, 9, r, 10);
      fastMerge(ws, r, 11, r, 12);
      row.commit();
      r++;
      if (k % ROWS_PER_YIELD === 0) await yieldNow(ws);
    }
  }
  if (!k) {
    const row = ws.getRow(r);
    put(row, 1, '（无）', S.center);
    for (let j = 2; j <= ncol; j++) put(row, j, null, S.text);
    fastMerge(ws, r, 1, r, ncol);
    row.commit();
  }
  ws.commit();
}

// ---------------------------------------------------------------------------------------------
// 一宗一卡

const CARD_WIDTHS = [14, 22, 14, 22, 14, 22];

async function writeCards(ctx: Ctx): Promise<void> {
  const ncol = CARD_WIDTHS.length;
  const ws = newSheet(ctx, '一宗一卡', CARD_WIDTHS, { frozenRows: 2 });
  writeTitle(ws, `${ctx.district}低效用地一宗一卡`, ctx.subtitle, ncol);
  let r = 3;
  const total = ctx.c.details.length;
  let idx = 0;
  const pair = (cells: [string, Cell, Kind?][]) => {
    const row = ws.getRow(r);
    cells.forEach(([label, v, kind], k) => {
      put(row, 2 * k + 1, label, S.label);
      put(row, 2 * k + 2, v, S[kind ?? 'text']);
    });
    row.commit();
    r++;
  };
  const wide = (label: string, v: Cell, style: Partial<ExcelJS.Style> = S.text) => {
    const row = ws.getRow(r);
    put(row, 1, label, S.label);
    put(row, 2, v, style);
    for (let k = 3; k <= ncol; k++) put(row, k, null, style);
    fastMerge(ws, r, 2, r, ncol);
    if (typeof v === 'string') {
      const lines = wrappedLines(v, CARD_WIDTHS.slice(1).reduce((a, b) => a + b, 0));
      if (lines > 1) row.height = rowHeightFor(lines);
    }
    row.commit();
    r++;
  };
  const section = (title: string) => {
    const row = ws.getRow(r);
    put(row, 1, title, S.section);
    for (let k = 2; k <= ncol; k++) put(row, k, null, S.section);
    fastMerge(ws, r, 1, r, ncol);
    row.commit();
    r++;
  };
  for (const d of ctx.c.details) {
    idx++;
    if (idx % 100 === 0) await yieldNow(ws);
    const head = ws.getRow(r);
    head.height = 26;
    put(head, 1, `宗地卡片  ${safeText(d.parcelId)}（${idx}/${total}）`, S.cardTitle);
    for (let k = 2; k <= ncol; k++) put(head, k, null, S.cardTitle);
    fastMerge(ws, r, 1, r, ncol);
    head.commit();
    r++;
    section('一、基本情况');
    pair([['宗地代码', t(d.parcelId), 'center'], ['街道', t(d.street), 'center'], ['用地类别', d.category, 'center']]);
    wide('坐落', t(d.location));
    wide('权利人', t(d.owner));
    pair([['地类编码', t(d.landUseCode), 'center'], ['规划用途', t(d.plannedUse), 'center'], ['用地手续', t(d.landProcedures), 'center']]);
    pair([['土地面积(㎡)', n(d.landArea), 'amount'], ['土地面积(亩)', n(d.landAreaMu), 'amount'], ['用地发生时间', t(d.occurrenceDate), 'center']]);
    section('二、利用效率');
    pair([['总建筑面积(㎡)', n(d.floorArea), 'amount'], ['建筑基底面积(㎡)', n(d.footprint), 'amount'], [RESULT_FIGURES.plotRatio.title, n(d.plotRatio), 'ratio']]);
    pair([[RESULT_FIGURES.coverage.title, n(d.coverage), 'ratio'], ['主导行业', t(d.mainIndustry), 'center'], ['空置率(%)', n(d.vacancyRate), 'ratio']]);
    pair([
      ['税收(万元)', n(d.tax), 'amount'],
      [RESULT_FIGURES.taxPerMu.title, n(d.taxPerMu), 'amount'],
      ['税收基准(万元/亩)', n(d.taxBenchmark), 'amount'],
    ]);
    pair([
      ['税收来源', d.taxSource, 'center'],
      ['基准来源', d.taxBenchmarkBasis === 'none' && d.taxBenchmark === null ? null : BASIS_LABEL[d.taxBenchmarkBasis], 'center'],
      ['产值来源', d.outputSource, 'center'],
    ]);
    pair([
      ['产值(万元)', n(d.output), 'amount'],
      [RESULT_FIGURES.outputPerMu.title, n(d.outputPerMu), 'amount'],
      ['产值基准(万元/亩)', n(d.outputBenchmark), 'amount'],
    ]);
    section('三、认定结论');
    pair([['认定结果', d.result, 'center'], [RESULT_FIGURES.mode.title, d.mode, 'center'], ['历史遗留时段', d.historicPeriod ? PERIOD_LABEL[d.historicPeriod] : null, 'text']]);
    if (d.missing.length) wide('待核实原因', missingText(d));
    if (d.hitDetails.length) {
      for (const h of d.hitDetails) {
        wide(h.rule, `${safeText(h.reason)}${figureVsThreshold(h.figure, h.threshold)}`);
      }
    } else if (d.hits.length) {
      wide('命中规则', hitsText(ctx, d));
    } else {
      wide('命中规则', '无');
    }
    if (d.units.length) {
      section('四、用地单位');
      for (const u of d.units) wide(formTitle(u.form), `${safeText(u.name)}${u.detail ? `：${safeText(u.detail)}` : ''}`);
    }
    if (d.problems.length) {
      section(d.units.length ? '五、难点堵点' : '四、难点堵点');
      for (const p of d.problems) {
        wide(t(p.type) ?? '问题', `${safeText(p.unit)}${p.description ? `：${safeText(p.description)}` : ''}`);
      }
    }
    // a blank row (on screen), then a page break after the card (not after the last one)
    r++;
    if (idx < total) {
      (ws as unknown as { rowBreaks: { id: number; max: number; min: number; man: number }[] }).rowBreaks.push({ id: r - 1, max: 16383, min: 0, man: 1 });
    }
  }
  if (!total) {
    const row = ws.getRow(r);
    put(row, 1, '（无宗地）', S.center);
    fastMerge(ws, r, 1, r, ncol);
    row.commit();
  }
  ws.commit();
}
