/**
 * The submission workbook (报送表) of `land-survey consolidate … -o` — 两库一清单 plus 一宗一卡 — as
 * the office sends it up (domain.md §7):
 *
 * | sheet | content |
 * |---|---|
 * | 汇总 | rule set id/version, evaluation date; parcels and areas (㎡ and 亩) by result and by street × category; historic land by period; per input: rows in = rows determined + rows only in the issue list; laid out by page (a table going on to another page repeats its heading and header there) |
 * | 认定结果 | every parcel with its figures, result, hit rules (id and name), what is missing, suggested mode |
 * | 低效用地数据库 | 低效 parcels: figures, each hit rule with its figure and threshold, the reasons in words, suggested mode |
 * | 历史遗留用地数据库 | parcels with 用地手续 不全/无 by period (post-2019 flagged as new illegal use) |
 * | 问题清单 | every data issue, with the file it came from (the layout of shared/issues/list.ts) |
 * | 难点堵点 | each parcel's reported 难点堵点 (its own sheet, so its header prints over its own rows) |
 * | 一宗一卡 | one printable card per parcel, a page break after each; a card too long for a page continues under a repeated id; a section heading stays on the page of its first row |
 *
 * Formal formatting: merged title, 宋体 titles/headers and 仿宋 body, thin borders, `#,##0.00`,
 * frozen header, autofilter, A4 landscape fitted to the page width, title and header rows repeated
 * on every printed page, footer `第 &P 页 共 &N 页`, row heights that fit wrapped text.
 *
 * Written with the project's streaming writer (`write.ts`): a fixed style table, rows out as XML as
 * they are built, deflated beside the building, so memory stays flat for 100,000 parcels. Every
 * text that came from a user goes through `safeText` and is written as text, never a formula.
 */
import { OUTPUT_TITLES } from '../outputs';
import { mu } from '../determine/util';
import { PERIOD_LABEL, RESULT_FIGURES } from '../results/figures';
import { writeOutput } from './atomic';
import { existsSync } from 'node:fs';
import { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { industryClassName } from '../codes';
import { getForm, type FormId } from '../forms';
import { SEVERITY_LABEL, type Severity } from '../issues/catalogue';
import { CONSOLIDATED_ISSUE_LIST_COLUMNS, consolidatedIssueValue, isLongTextColumn } from '../issues/list';
import type { Issue } from '../issues/issue';
import { fixed2 } from '../format';
import { CATEGORIES, RESULTS } from '../lists';
import type { RuleSet } from '../rules/schema';
import type { BenchmarkBasis, Category, Consolidation, MissingItem, ParcelDetail, ResultLabel } from '../types';
import { safeNumber, safeText } from './safe';
import {
  FILL_HEADER, FILL_SECTION, FONT_BODY, FONT_HEADER, FONT_SUBTITLE, FONT_TITLE,
  headerRowHeight, NUMFMT_AMOUNT, NUMFMT_INTEGER, NUMFMT_RATIO, rowHeightFor, SEVERITY_ARGB, WORKBOOK_CREATOR, wrappedLines, wrappedRowHeight,
} from './style';
import { SheetWriter, XlsxWriter, type CellValue, type SheetOptions, type StyleSpec, type WrittenPart } from './write';

export const SUBMISSION_SHEETS = ['汇总', '认定结果', '低效用地数据库', '历史遗留用地数据库', '问题清单', '难点堵点', '一宗一卡'] as const;

export interface SubmissionOptions {
  /** Time stamp shown in the subtitles (default: now). Tests pass a fixed one. */
  generatedAt?: Date;
  /**
   * The built cards worker (`dist/cards-worker.js`). With it, the 一宗一卡 sheet of a submission
   * of at least `cardsWorkerMin` parcels is written on another thread while this one writes the
   * other sheets (on two cores the cards are half the writing). Without it, or when the worker
   * cannot start, everything is written here.
   */
  cardsWorker?: string;
  /** Parcels from which the cards worker is used (default `CARDS_WORKER_MIN`). */
  cardsWorkerMin?: number;
  /**
   * Other work for this thread while the cards are written (the CLI writes the JSON result): run
   * once the other sheets are written, before the cards are waited for (or, without the worker,
   * written). If it throws, the submission fails with its error.
   */
  alongside?: () => void | Promise<void>;
}

/** Below this many parcels the cards are written on this thread: starting a worker costs more. */
export const CARDS_WORKER_MIN = 2000;

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



// ---------------------------------------------------------------------------------------------
// Styles: a fixed table, built once per workbook

const font = (f: { name?: string; size?: number; bold?: boolean }) => ({ name: f.name, size: f.size, bold: f.bold });
const argb = (f: { fgColor?: { argb?: string } }) => f.fgColor?.argb;
const SPEC = {
  title: { font: font(FONT_TITLE), horizontal: 'center', vertical: 'middle' },
  subtitle: { font: font(FONT_SUBTITLE), horizontal: 'left', vertical: 'middle' },
  header: { font: font(FONT_HEADER), fill: argb(FILL_HEADER as never), border: true, horizontal: 'center', vertical: 'middle', wrap: true },
  section: { font: font(FONT_HEADER), fill: argb(FILL_SECTION as never), border: true, horizontal: 'left', vertical: 'middle' },
  text: { font: font(FONT_BODY), border: true, vertical: 'middle', wrap: true },
  center: { font: font(FONT_BODY), border: true, horizontal: 'center', vertical: 'middle', wrap: true },
  amount: { font: font(FONT_BODY), border: true, numFmt: NUMFMT_AMOUNT, vertical: 'middle' },
  ratio: { font: font(FONT_BODY), border: true, numFmt: NUMFMT_RATIO, vertical: 'middle' },
  integer: { font: font(FONT_BODY), border: true, numFmt: NUMFMT_INTEGER, horizontal: 'center', vertical: 'middle' },
  label: { font: font(FONT_HEADER), fill: argb(FILL_SECTION as never), border: true, horizontal: 'center', vertical: 'middle', wrap: true },
  cardTitle: { font: { ...font(FONT_TITLE), size: 14 }, border: true, horizontal: 'center', vertical: 'middle' },
  total: { font: font(FONT_HEADER), border: true, horizontal: 'center', vertical: 'middle' },
  totalAmount: { font: font(FONT_HEADER), border: true, numFmt: NUMFMT_AMOUNT, vertical: 'middle' },
  totalInteger: { font: font(FONT_HEADER), border: true, numFmt: NUMFMT_INTEGER, horizontal: 'center', vertical: 'middle' },
  error: { font: font(FONT_BODY), border: true, horizontal: 'center', vertical: 'middle', wrap: true, fill: SEVERITY_ARGB.error },
  warning: { font: font(FONT_BODY), border: true, horizontal: 'center', vertical: 'middle', wrap: true, fill: SEVERITY_ARGB.warning },
  info: { font: font(FONT_BODY), border: true, horizontal: 'center', vertical: 'middle', wrap: true, fill: SEVERITY_ARGB.info },
} satisfies Record<string, StyleSpec>;

type StyleName = keyof typeof SPEC;
type Styles = Record<StyleName, number>;

type Kind = 'text' | 'center' | 'amount' | 'ratio' | 'integer';
type Cell = CellValue;

interface Column<T> {
  title: string;
  width: number;
  kind: Kind;
  get: (x: T, i: number) => Cell;
  /** Values that are (nearly) all different: written inline rather than shared. */
  unique?: boolean;
}

/** Printable height of an A4 landscape page (points) under the repeated title rows (1:2). */
const PAGE_POINTS = 440;
/** A row of one line (the sheets' default row height, points). */
const ROW_POINTS = 18;

/**
 * The printed pages of a sheet laid out by the writer under its repeated title rows (1:2): the
 * points used on the current page, and a manual break before a row that would not fit. 一宗一卡 (a
 * card continues under its id) and 汇总 (a table continues under its heading and header row) use
 * it. A block that must stay together (a heading with its first row) asks for its whole height.
 */
class PageFlow {
  used = 0;
  constructor(
    private readonly ws: { next: number; breakAfter(r: number): void },
    private readonly page = PAGE_POINTS,
  ) {}

  /** Room for `h` points on this page, else a break before the next row: true when a new page began. */
  room(h: number): boolean {
    if (this.used === 0 || this.used + h <= this.page) return false;
    this.pageBreak();
    return true;
  }

  add(h: number): void {
    this.used += h;
  }

  /** A break after the last row written: the next row begins a page. */
  pageBreak(): void {
    this.ws.breakAfter(this.ws.next - 1);
    this.used = 0;
  }
}

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
  await writeOutput(out, (stream) => writeTo(stream, c, ruleSet, opts));
}

async function writeTo(stream: Writable, c: Consolidation, ruleSet: RuleSet, opts: SubmissionOptions): Promise<void> {
  const district = ruleSet.districtName || '河东区';
  const subtitle = `规则集：${safeText(ruleSet.name ?? ruleSet.id)}（${safeText(ruleSet.id)}，版本 ${safeText(ruleSet.version)}）　评价基准日：${c.result.evaluationDate}　生成时间：${stamp(opts.generatedAt ?? new Date())}`;
  const ruleNames = new Map(ruleSet.rules.map((r) => [r.id, safeText(r.description ?? '')]));
  const threaded = opts.cardsWorker !== undefined && c.details.length >= (opts.cardsWorkerMin ?? CARDS_WORKER_MIN) && existsSync(opts.cardsWorker);
  // the texts the cards share (labels, section titles, streets …) head the shared strings, so the
  // worker's writer, which adds none, refers to them by the same indices as this one
  const seed = threaded ? await cardsVocabulary({ district, subtitle, ruleNames }, c.details) : undefined;
  const wb = new XlsxWriter(stream, { creator: WORKBOOK_CREATOR, title: OUTPUT_TITLES.submission(district), created: opts.generatedAt, sharedSeed: seed, level: 2 });
  const ctx: Ctx = { wb, st: stylesOf(wb), c, ruleSet, district, subtitle, ruleNames };
  const worker = threaded && seed ? startCardsWorker(opts.cardsWorker!, cardsInput(c.details, seed, ctx)) : null;
  try {
    await writeSummary(ctx);
    await writeResults(ctx);
    await writeLowEfficiency(ctx);
    await writeHistoric(ctx);
    await writeIssues(ctx);
    await writeProblems(ctx);
    await opts.alongside?.();
    const written = worker ? await worker.part : null;
    if (written) await wb.addWrittenSheet(CARD_SHEET, cardSheetOptions(), written.part, written.sharedRefs);
    else await writeCards({ ...ctx, details: c.details });
  } finally {
    await worker?.stop();
  }
  await wb.close();
}

/** What the sheets of one thread's writer share. */
interface Base {
  wb: XlsxWriter;
  st: Styles;
  district: string;
  subtitle: string;
  ruleNames: Map<string, string>;
}

interface Ctx extends Base {
  c: Consolidation;
  ruleSet: RuleSet;
}

/** The fixed style table, in the same order on every writer (so a sheet written by another thread's writer has the same style ids). */
function stylesOf(wb: XlsxWriter): Styles {
  const st = {} as Styles;
  for (const k of Object.keys(SPEC) as StyleName[]) st[k] = wb.style(SPEC[k] as StyleSpec);
  return st;
}

// ---------------------------------------------------------------------------------------------
// The cards on another thread

/** What the cards need: plain data, sent to the worker as it is (structured clone). */
export interface CardsInput {
  details: ParcelDetail[];
  units: ParcelDetail['units'][];
  problems: ParcelDetail['problems'][];
  /** The shared strings the main writer starts with: the worker refers to these and adds none. */
  seed: string[];
  district: string;
  subtitle: string;
  ruleNames: [string, string][];
}

/**
 * The input of the worker. The engine's details build their card lines (`units`, `problems`) on
 * first read, through getters a structured clone does not carry: they are sent beside the details
 * (read here, the details keep them for the JSON too) and put back by the worker.
 */
function cardsInput(details: readonly ParcelDetail[], seed: string[], ctx: Base): CardsInput {
  return {
    details: details as ParcelDetail[],
    units: details.map((d) => d.units),
    problems: details.map((d) => d.problems),
    seed,
    district: ctx.district,
    subtitle: ctx.subtitle,
    ruleNames: [...ctx.ruleNames],
  };
}

/** Cards written for the vocabulary: enough to meet every label and the common values. */
const VOCABULARY_SAMPLE = 400;

/**
 * The texts the cards share: the cards of a sample are written (to nowhere) and every text they
 * refer to at least twice is taken: labels, section titles, streets, codes. Whatever the sample
 * missed the worker writes inline, which only costs bytes.
 */
async function cardsVocabulary(base: Omit<Base, 'wb' | 'st'>, details: readonly ParcelDetail[]): Promise<string[]> {
  const wb = new XlsxWriter(new Writable({ write: (_c, _e, done) => done() }), { level: 1 });
  await writeCards({ ...base, wb, st: stylesOf(wb), details: details.slice(0, VOCABULARY_SAMPLE) });
  const seed = wb.repeatedShared(2);
  await wb.close();
  return seed;
}

/** The end of the worker's output: where the sheet's compressed bytes lie in the chunks sent before it. */
export interface CardsEnd {
  crc: number;
  /** Inflated size. */
  size: number;
  /** Offset of the compressed bytes in the concatenated chunks, and their length. */
  start: number;
  csize: number;
  /** Cells of the sheet that refer to a shared string (the workbook's count). */
  sharedRefs: number;
}

/** The worker's messages: its output in chunks as it is written, then where the sheet lies (or an error). */
export type CardsMessage = { chunk: Uint8Array } | { end: CardsEnd } | { error: string };

/**
 * The 一宗一卡 sheet written by a writer of its own (the same style table; as shared strings only
 * the seed, everything else inline): what the worker runs. The writer's output goes to `emit` as
 * it is written (nothing of it is kept here); the result says where in it the sheet part lies.
 */
export async function writeCardsPart(input: CardsInput, emit: (chunk: Uint8Array) => void): Promise<CardsEnd> {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      emit(chunk);
      done();
    },
  });
  const details = input.details;
  for (let i = 0; i < details.length; i++) {
    details[i].units = input.units[i];
    details[i].problems = input.problems[i];
  }
  const wb = new XlsxWriter(sink, { sharedSeed: input.seed, sharedFrozen: true, level: 2 });
  await writeCards({ wb, st: stylesOf(wb), district: input.district, subtitle: input.subtitle, ruleNames: new Map(input.ruleNames), details });
  const sharedRefs = wb.sharedRefs;
  await wb.close();
  const e = wb.written('xl/worksheets/sheet1.xml');
  if (!e) throw new Error('the cards worker wrote no sheet');
  return { crc: e.crc, size: e.usize, start: e.offset + e.headerBytes, csize: e.csize, sharedRefs };
}

/** The pieces of `chunks` (concatenated) from `start`, `length` bytes: views, nothing copied. */
export function slicePieces(chunks: readonly Uint8Array[], start: number, length: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  const end = start + length;
  for (const c of chunks) {
    const lo = Math.max(start, at);
    const hi = Math.min(end, at + c.length);
    if (lo < hi) out.push(c.subarray(lo - at, hi - at));
    at += c.length;
    if (at >= end) break;
  }
  if (out.reduce((n, b) => n + b.length, 0) !== length) throw new Error('the cards worker sent fewer bytes than it wrote');
  return out;
}

/**
 * Starts the cards worker. `part` resolves to the sheet part, or to null when the worker could not
 * start (its script missing or not loadable as a worker): the caller then writes the cards itself.
 * An error while writing rejects. `stop` ends the worker in any case.
 */
function startCardsWorker(script: string, input: CardsInput): { part: Promise<{ part: WrittenPart; sharedRefs: number } | null>; stop: () => Promise<void> } {
  let w: Worker;
  try {
    w = new Worker(script, { workerData: input });
  } catch {
    return { part: Promise.resolve(null), stop: async () => undefined };
  }
  let online = false;
  w.once('online', () => (online = true));
  const chunks: Uint8Array[] = [];
  const part = new Promise<{ part: WrittenPart; sharedRefs: number } | null>((resolve, reject) => {
    w.on('message', (m: CardsMessage) => {
      if ('chunk' in m) chunks.push(m.chunk);
      else if ('error' in m) reject(new Error(`一宗一卡写出失败 / writing the cards failed: ${m.error}`));
      else {
        try {
          resolve({ part: { crc: m.end.crc, size: m.end.size, pieces: slicePieces(chunks, m.end.start, m.end.csize) }, sharedRefs: m.end.sharedRefs });
        } catch (e) {
          reject(e);
        }
      }
    });
    w.once('error', (e) => (online ? reject(e) : resolve(null)));
    w.once('exit', (code) => (online ? reject(new Error(`the cards worker stopped (exit ${code})`)) : resolve(null)));
  });
  part.catch(() => undefined); // awaited by the caller; never an unhandled rejection when the caller fails first
  return { part, stop: async () => void (await w.terminate()) };
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

// ---------------------------------------------------------------------------------------------
// Low-level row writing

function sheetOptions(widths: readonly number[], frozenRows: number): SheetOptions {
  return { widths, frozenRows, defaultRowHeight: ROW_POINTS, print: { titleRows: [1, frozenRows] } };
}

function newSheet(ctx: Base, name: string, widths: number[], frozenRows: number): SheetWriter {
  return ctx.wb.addSheet(name, sheetOptions(widths, frozenRows));
}

function merge(ctx: Base, ws: SheetWriter, top: number, left: number, bottom: number, right: number): void {
  ws.merge(top, left, bottom, right);
}

/** `n` copies of `x`. */
function fill<T>(n: number, x: T): T[] {
  return new Array<T>(n).fill(x);
}

/** Rows 1–2: merged title and subtitle. */
async function writeTitle(ctx: Base, ws: SheetWriter, title: string, ncol: number): Promise<void> {
  ws.row([title], ctx.st.title, 30);
  merge(ctx, ws, 1, 1, 1, ncol);
  ws.row([ctx.subtitle], ctx.st.subtitle, 20);
  merge(ctx, ws, 2, 1, 2, ncol);
}

/** The columns whose texts wrap (and so set the row's height): the text and centred ones. */
const wrapsOf = (kinds: readonly Kind[]): boolean[] => kinds.map((k) => k === 'text' || k === 'center');

function writeHeader(ctx: Ctx, ws: SheetWriter, titles: readonly string[], widths: readonly number[]): void {
  ws.row(titles, ctx.st.header, headerRowHeight(titles, widths));
}

/** A table sheet: title, subtitle, header row 3 (frozen, repeated when printed), data, autofilter. */
async function writeTable<T>(ctx: Ctx, name: string, title: string, columns: Column<T>[], items: Iterable<T>): Promise<number> {
  const widths = columns.map((c) => c.width);
  const wraps = wrapsOf(columns.map((c) => c.kind));
  const ws = newSheet(ctx, name, widths, 3);
  await writeTitle(ctx, ws, title, columns.length);
  writeHeader(ctx, ws, columns.map((c) => c.title), widths);
  const styles = columns.map((c) => ctx.st[c.kind]);
  const inline = columns.map((c) => !!c.unique);
  const values: Cell[] = new Array(columns.length);
  let i = 0;
  for (const x of items) {
    for (let k = 0; k < columns.length; k++) values[k] = columns[k].get(x, i);
    const w = ws.row(values, styles, wrappedRowHeight(values, widths, ROW_POINTS, wraps), inline);
    if (w) await w;
    i++;
  }
  if (i === 0) {
    ws.row(['（无）', ...fill(columns.length - 1, null)], [ctx.st.center, ...fill(columns.length - 1, ctx.st.text)]);
    merge(ctx, ws, 4, 1, 4, columns.length);
  }
  ws.autoFilter(3, 1, Math.max(3, ws.next - 1), columns.length);
  await ws.end();
  return i;
}

// ---------------------------------------------------------------------------------------------
// Value helpers

const t = (v: unknown): string | null => {
  const s = safeText(v);
  return s === '' ? null : s;
};
const n = (v: unknown): number | null => safeNumber(v);

function hitsText(ctx: Base, d: ParcelDetail): string {
  if (d.hitDetails.length) {
    return d.hitDetails.map((h) => `${h.rule} ${ctx.ruleNames.get(h.rule) ?? ''}${figureVsThreshold(h.figure, h.threshold)}`).join('\n');
  }
  return d.hits.map((h) => `${h} ${ctx.ruleNames.get(h) ?? ''}`).join('\n');
}

/** `IND-PLOT 工业用地容积率低于标准（0.55/0.80）` per hit, one a line: the rule's id, its name from the rule set, figure/standard. */
function hitsShort(ctx: Base, d: ParcelDetail): string | null {
  if (d.hitDetails.length) {
    return d.hitDetails
      .map((h) => (h.figure === null && h.threshold === null ? ruleLabel(ctx, h.rule) : `${ruleLabel(ctx, h.rule)}（${num(h.figure)}/${num(h.threshold)}）`))
      .join('\n');
  }
  return d.hits.map((h) => ruleLabel(ctx, h)).join('\n') || null;
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

const fmt = fixed2;

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

async function writeSummary(ctx: Ctx): Promise<void> {
  const { c, st } = ctx;
  // amounts up to 999,999,999.99 ㎡ in bold fit (a district passes 10 million ㎡)
  const widths = [26, 14, 16, 16, 16, 16, 16, 16];
  const ncol = widths.length;
  const ws = newSheet(ctx, '汇总', widths, 2);
  await writeTitle(ctx, ws, `${ctx.district}低效用地调查认定汇总表`, ncol);
  // laid out page by page: a section's heading, header and first row stay together; a table that
  // goes on to another page repeats its heading (续) and header there (the print titles are rows 1–2)
  const flow = new PageFlow(ws);
  let table: { title: string; titles: string[] | null } | null = null;
  const headingRow = (title: string) => {
    const r = ws.next;
    ws.row([title, ...fill(ncol - 1, null)], st.section);
    merge(ctx, ws, r, 1, r, ncol);
    flow.add(ROW_POINTS);
  };
  const headerRow = (titles: string[]) => {
    writeHeader(ctx, ws, titles, widths);
    flow.add(headerRowHeight(titles, widths));
  };
  /** A section with its header row (none for 一); `first` the height of its first row. */
  const section = (title: string, titles: string[] | null, first = ROW_POINTS) => {
    flow.room(ROW_POINTS + (titles ? headerRowHeight(titles, widths) : 0) + first);
    headingRow(title);
    if (titles) headerRow(titles);
    table = { title, titles };
  };
  /** Room for a row of the current table, continued on a new page under its heading and header. */
  const room = (h: number) => {
    if (flow.room(h) && table) {
      headingRow(`${table.title}（续）`);
      if (table.titles) headerRow(table.titles);
    }
    flow.add(h);
  };
  const line = (cells: Cell[], styles: number[]) => {
    const h = wrappedRowHeight(cells, widths);
    room(h ?? ROW_POINTS);
    ws.row(cells, styles, h);
  };
  /** The blank row after a section (none at the top of a page). */
  const gap = () => {
    table = null;
    if (flow.room(ROW_POINTS)) return;
    ws.skip();
    flow.add(ROW_POINTS);
  };

  // 规则集与基准日
  const wideWidth = widths.slice(1).reduce((a, b) => a + b, 0);
  const infoHeight = (v: string) => {
    const lines = wrappedLines(v, wideWidth);
    return lines > 1 ? rowHeightFor(lines) : undefined;
  };
  const enabled = ctx.ruleSet.rules.filter((x) => x.enabled).map((x) => ruleLabel(ctx, x.id)).join('、');
  const info: [string, string][] = [
    ['规则集', `${safeText(ctx.ruleSet.name ?? ctx.ruleSet.id)}`],
    ['规则集标识 / 版本', `${safeText(c.result.ruleSet.id)} / ${safeText(c.result.ruleSet.version)}`],
    ['评价基准日', c.result.evaluationDate],
    ['启用的认定规则', enabled],
  ];
  section('一、认定依据', null, infoHeight(info[0][1]) ?? ROW_POINTS);
  for (const [k, v] of info) {
    const h = infoHeight(v);
    room(h ?? ROW_POINTS);
    const r = ws.next;
    ws.row([k, v, ...fill(ncol - 2, null)], [st.label, ...fill(ncol - 1, st.text)], h);
    merge(ctx, ws, r, 2, r, ncol);
  }
  gap();

  // 按认定结果
  section('二、按认定结果统计', ['认定结果', '宗地数', '土地面积(㎡)', '土地面积(亩)']);
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
    line([res, s.count, s.area, mu(s.area)], [st.center, st.integer, st.amount, st.amount]);
  }
  line(['合计', tc, ta, mu(ta)], [st.total, st.totalInteger, st.totalAmount, st.totalAmount]);
  gap();

  // 按街道 × 用地类别
  section('三、按街道和用地类别统计', ['街道', '用地类别', '宗地数', '其中低效', '土地面积(㎡)', '土地面积(亩)', '低效面积(㎡)', '低效面积(亩)']);
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
  const numStyles = [st.center, st.center, st.integer, st.integer, st.amount, st.amount, st.amount, st.amount];
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
    [st.total, st.total, st.totalInteger, st.totalInteger, st.totalAmount, st.totalAmount, st.totalAmount, st.totalAmount]);
  gap();

  // 历史遗留
  section('四、历史遗留用地按时段统计', ['用地发生时段', '宗地数', '土地面积(㎡)', '土地面积(亩)']);
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
    line([PERIOD_LABEL[p.id] ?? p.id, s.count, s.area, mu(s.area)], [st.text, st.integer, st.amount, st.amount]);
  }
  gap();

  // 数据守恒
  section('五、各报送表数据行核对（读入行数 = 参与认定行数 + 仅列入问题清单行数）', ['文件', '报表', '工作表', '读入记录行数', '参与认定行数', '仅列入问题清单行数', '核对', '非记录行数（合计/说明行）']);
  for (const x of c.conservation) {
    const ok = x.rowsIn === x.rowsUsed + x.rowsIssueOnly;
    line([safeText(x.file), formTitle(x.form), safeText(x.sheet), x.rowsIn, x.rowsUsed, x.rowsIssueOnly, ok ? '相符' : '不符', x.rowsNotRecords],
      [st.text, st.center, st.text, st.integer, st.integer, st.integer, st.center, st.integer]);
  }
  if (!c.conservation.length) line(['（无输入）'], [st.text]);
  gap();

  section('六、问题统计', ['严重程度', '问题条数', '', '']);
  const sev = { error: 0, warning: 0, info: 0 } as Record<Severity, number>;
  for (const is of c.issues) sev[is.severity]++;
  for (const s of ['error', 'warning', 'info'] as Severity[]) line([SEVERITY_LABEL[s], sev[s], null, null], [st[s], st.integer, st.text, st.text]);
  const problems = c.details.reduce((a, d) => a + d.problems.length, 0);
  line(['调查填报的难点堵点', problems, null, null], [st.center, st.integer, st.text, st.text]);
  await ws.end();
}

function detailArea(c: Consolidation, parcelId: string): number {
  return n(c.details.find((d) => d.parcelId === parcelId)?.landArea) ?? 0;
}

/** `IND-PLOT 工业用地容积率低于标准`: a rule id with its name from the rule set. */
function ruleLabel(ctx: Base, id: string): string {
  const name = ctx.ruleNames.get(id);
  return name ? `${id} ${name}` : id;
}

/** `33（金属制品业）`: the 主导行业 (a 大类) with its GB/T 4754 大类 name from the code catalogue. */
function industryLabel(code: string | null): string | null {
  const t0 = code === null ? '' : safeText(code);
  if (!t0) return null;
  const name = industryClassName(t0);
  return name ? `${t0}（${name}）` : t0;
}

// ---------------------------------------------------------------------------------------------
// 认定结果

async function writeResults(ctx: Ctx): Promise<void> {
  const cols: Column<ParcelDetail>[] = [
    { title: '序号', width: 5, kind: 'integer', get: (_, i) => i + 1 },
    { title: '宗地代码', width: 20, kind: 'center', get: (d) => t(d.parcelId) },
    { title: '街道', width: 10, kind: 'center', get: (d) => t(d.street) },
    { title: '坐落', width: 16, kind: 'text', get: (d) => t(d.location), unique: true },
    { title: '权利人', width: 14, kind: 'text', get: (d) => t(d.owner) },
    { title: '地类编码', width: 6, kind: 'center', get: (d) => t(d.landUseCode) },
    { title: '用地类别', width: 7, kind: 'center', get: (d) => d.category },
    { title: RESULT_FIGURES.landArea.title, width: 12, kind: 'amount', get: (d) => n(d.landArea) },
    { title: '土地面积(亩)', width: 9, kind: 'amount', get: (d) => n(d.landAreaMu) },
    { title: RESULT_FIGURES.plotRatio.title, width: 7, kind: 'ratio', get: (d) => n(d.plotRatio) },
    { title: RESULT_FIGURES.coverage.title, width: 8, kind: 'ratio', get: (d) => n(d.coverage) },
    { title: RESULT_FIGURES.taxPerMu.title, width: 9, kind: 'amount', get: (d) => n(d.taxPerMu) },
    { title: RESULT_FIGURES.outputPerMu.title, width: 9, kind: 'amount', get: (d) => n(d.outputPerMu) },
    { title: RESULT_FIGURES.result.title, width: 7, kind: 'center', get: (d) => d.result },
    { title: RESULT_FIGURES.hits.title, width: 18, kind: 'text', get: (d) => d.hits.map((h) => ruleLabel(ctx, h)).join('\n') || null },
    { title: '待核实原因', width: 12, kind: 'text', get: (d) => missingText(d) },
    { title: RESULT_FIGURES.mode.title, width: 9, kind: 'center', get: (d) => d.mode },
  ];
  await writeTable(ctx, '认定结果', `${ctx.district}低效用地认定结果表`, cols, ctx.c.details);
}

// ---------------------------------------------------------------------------------------------
// 低效用地数据库

async function writeLowEfficiency(ctx: Ctx): Promise<void> {
  const cols: Column<ParcelDetail>[] = [
    { title: '序号', width: 5, kind: 'integer', get: (_, i) => i + 1 },
    { title: '宗地代码', width: 20, kind: 'center', get: (d) => t(d.parcelId) },
    { title: '街道', width: 10, kind: 'center', get: (d) => t(d.street) },
    { title: '坐落', width: 12, kind: 'text', get: (d) => t(d.location), unique: true },
    { title: '权利人', width: 12, kind: 'text', get: (d) => t(d.owner) },
    { title: '用地类别', width: 7, kind: 'center', get: (d) => d.category },
    { title: '地类编码', width: 6, kind: 'center', get: (d) => t(d.landUseCode) },
    { title: RESULT_FIGURES.landArea.title, width: 11, kind: 'amount', get: (d) => n(d.landArea) },
    { title: '土地面积(亩)', width: 9, kind: 'amount', get: (d) => n(d.landAreaMu) },
    { title: '主导行业', width: 10, kind: 'center', get: (d) => industryLabel(d.mainIndustry) },
    { title: RESULT_FIGURES.plotRatio.title, width: 6, kind: 'ratio', get: (d) => n(d.plotRatio) },
    { title: RESULT_FIGURES.coverage.title, width: 6, kind: 'ratio', get: (d) => n(d.coverage) },
    { title: RESULT_FIGURES.taxPerMu.title, width: 8, kind: 'amount', get: (d) => n(d.taxPerMu) },
    { title: '税收基准(万元/亩)', width: 8, kind: 'amount', get: (d) => n(d.taxBenchmark) },
    { title: RESULT_FIGURES.outputPerMu.title, width: 8, kind: 'amount', get: (d) => n(d.outputPerMu) },
    { title: '产值基准(万元/亩)', width: 8, kind: 'amount', get: (d) => n(d.outputBenchmark) },
    { title: '空置率(%)', width: 6, kind: 'ratio', get: (d) => n(d.vacancyRate) },
    { title: '命中规则（指标/标准）', width: 18, kind: 'text', get: (d) => hitsShort(ctx, d) },
    { title: '认定理由', width: 20, kind: 'text', get: (d) => reasonsText(d), unique: true },
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
    { title: '序号', width: 5, kind: 'integer', get: (_, i) => i + 1 },
    { title: '宗地代码', width: 20, kind: 'center', get: (x) => t(x.h.parcelId) },
    { title: '街道', width: 10, kind: 'center', get: (x) => t(x.d?.street) },
    { title: '坐落', width: 16, kind: 'text', get: (x) => t(x.d?.location), unique: true },
    { title: '权利人', width: 16, kind: 'text', get: (x) => t(x.d?.owner) },
    { title: '地类编码', width: 6, kind: 'center', get: (x) => t(x.d?.landUseCode) },
    { title: RESULT_FIGURES.landArea.title, width: 12, kind: 'amount', get: (x) => n(x.d?.landArea) },
    { title: '土地面积(亩)', width: 9, kind: 'amount', get: (x) => n(x.d?.landAreaMu) },
    { title: '用地手续', width: 6, kind: 'center', get: (x) => t(x.d?.landProcedures) },
    { title: '用地发生时间', width: 11, kind: 'center', get: (x) => t(x.d?.occurrenceDate) },
    { title: '用地发生时段', width: 18, kind: 'text', get: (x) => PERIOD_LABEL[x.h.period] ?? x.h.period },
    { title: RESULT_FIGURES.result.title, width: 7, kind: 'center', get: (x) => x.d?.result ?? null },
    { title: '备注', width: 18, kind: 'text', get: (x) => (x.h.period === 'post-2019' ? '三调后新增违法用地，按违法用地查处' : null) },
  ];
  await writeTable(ctx, '历史遗留用地数据库', `${ctx.district}历史遗留用地数据库`, cols, items);
}

// ---------------------------------------------------------------------------------------------
// 问题清单: the layout of shared/issues/list.ts, with the file and form of each issue

/** The input file of each issue: by identity from the reads, else the only input of its form and sheet. */
function issueFiles(c: Consolidation): (issue: Issue) => string {
  const bySheet = new Map<string, string | null>();
  for (const x of c.conservation) {
    const k = `${x.form}\u0000${x.sheet}`;
    bySheet.set(k, bySheet.has(k) && bySheet.get(k) !== x.file ? null : x.file);
  }
  return (is) => c.issueFiles?.get(is) ?? bySheet.get(`${is.form}\u0000${is.sheet}`) ?? '';
}

async function writeIssues(ctx: Ctx): Promise<void> {
  const { c, st } = ctx;
  const cols = CONSOLIDATED_ISSUE_LIST_COLUMNS;
  const widths = cols.map((x) => x.width);
  const ncol = cols.length;
  const ws = newSheet(ctx, '问题清单', widths, 3);
  await writeTitle(ctx, ws, `${ctx.district}低效用地调查问题清单`, ncol);
  writeHeader(ctx, ws, cols.map((x) => x.title), widths);
  const fileOf = issueFiles(c);
  const sevCol = cols.findIndex((x) => x.key === 'severity');
  const base = cols.map((x) => (x.kind === 'number' ? st.integer : isLongTextColumn(x) ? st.text : st.center));
  const styles = base.slice();
  const inline = cols.map((x) => x.key === 'message' || x.key === 'value');
  const values: Cell[] = new Array(ncol);
  for (let i = 0; i < c.issues.length; i++) {
    const is = c.issues[i];
    for (let k = 0; k < ncol; k++) {
      const col = cols[k];
      const v = consolidatedIssueValue(col, is, i + 1, col.key === 'file' ? fileOf(is) : '', col.key === 'form' ? formTitle(is.form) : '');
      values[k] = typeof v === 'string' ? t(v) : v;
    }
    if (sevCol >= 0) styles[sevCol] = st[is.severity];
    const w = ws.row(values, styles, wrappedRowHeight(values, widths), inline);
    if (w) await w;
  }
  if (!c.issues.length) {
    ws.row(['（无数据问题）', ...fill(ncol - 1, null)], [st.center, ...fill(ncol - 1, st.text)]);
    merge(ctx, ws, 4, 1, 4, ncol);
  }
  ws.autoFilter(3, 1, ws.next - 1, ncol);
  await ws.end();
}

// ---------------------------------------------------------------------------------------------
// 难点堵点 (its own sheet: its columns differ from the data issues')

async function writeProblems(ctx: Ctx): Promise<void> {
  const { c, st } = ctx;
  // 文件 as in 问题清单: twelve street files may all call their sheet Sheet1
  const titles = ['序号', '街道', '宗地代码', '文件', '报表', '工作表', '行', '单位（企业/楼宇/设施/项目）', '问题类型', '问题描述'];
  const widths = [5, 10, 20, 12, 10, 10, 5, 18, 10, 36];
  const kinds: Kind[] = ['integer', 'center', 'center', 'text', 'center', 'text', 'integer', 'text', 'center', 'text'];
  const wraps = wrapsOf(kinds);
  const ncol = titles.length;
  const ws = newSheet(ctx, '难点堵点', widths, 3);
  await writeTitle(ctx, ws, `${ctx.district}低效用地调查填报的难点堵点`, ncol);
  writeHeader(ctx, ws, titles, widths);
  const styles = kinds.map((k) => st[k]);
  let k = 0;
  for (const d of c.details) {
    for (const p of d.problems) {
      const v: Cell[] = [++k, t(d.street), t(d.parcelId), t(p.file), formTitle(p.form), t(p.sheet), p.row, t(p.unit), t(p.type), t(p.description)];
      const w = ws.row(v, styles, wrappedRowHeight(v, widths, ROW_POINTS, wraps));
      if (w) await w;
    }
  }
  if (!k) {
    ws.row(['（无）', ...fill(ncol - 1, null)], [st.center, ...fill(ncol - 1, st.text)]);
    merge(ctx, ws, 4, 1, 4, ncol);
  }
  ws.autoFilter(3, 1, ws.next - 1, ncol);
  await ws.end();
}

// ---------------------------------------------------------------------------------------------
// 一宗一卡

const CARD_SHEET = '一宗一卡';
/**
 * What a card's 用地单位 row is, in the narrow label column (a form's title, 城中村老旧小区烂尾楼表,
 * wrapped past the row's height and overprinted the row below).
 */
const UNIT_LABEL: Partial<Record<FormId, string>> = { industrial: '工业企业', commercial: '商办楼宇', facility: '公共设施', housing: '住房项目' };
const CARD_WIDTHS = [14, 22, 14, 22, 14, 22];
const CARD_WIDE = CARD_WIDTHS.slice(1).reduce((a, b) => a + b, 0);
/** Not the selected tab: the same sheet XML whichever thread writes it (as the seventh sheet here, the first of the worker's own package). */
const cardSheetOptions = (): SheetOptions => ({ ...sheetOptions(CARD_WIDTHS, 2), selected: false });

async function writeCards(ctx: Base & { details: readonly ParcelDetail[] }): Promise<void> {
  const { st } = ctx;
  const ncol = CARD_WIDTHS.length;
  const ws = ctx.wb.addSheet(CARD_SHEET, cardSheetOptions());
  await writeTitle(ctx, ws, `${ctx.district}低效用地一宗一卡`, ncol);
  const total = ctx.details.length;
  let idx = 0;
  const flow = new PageFlow(ws);
  let cardId = '';
  let wait: Promise<void> | null = null;
  // rows as plain arrays filled in loops (flatMap and spreads here were a tenth of the writing)
  const nulls = (first: Cell): Cell[] => {
    const a: Cell[] = new Array(ncol).fill(null);
    a[0] = first;
    return a;
  };
  const head = (text: string) => {
    const r = ws.next;
    wait = ws.row(nulls(text), st.cardTitle, 26, true) ?? wait; // one-off text: inline
    merge(ctx, ws, r, 1, r, ncol);
    flow.add(26);
  };
  /** A section heading not written yet: it goes on the page of its first row, never alone at a page's foot. */
  let heading: string | null = null;
  /** Room for a row of `h` points (and the heading before it); a card longer than a page continues on the next under its id. */
  const ensure = (h: number) => {
    if (flow.room(heading === null ? h : h + ROW_POINTS)) head(`宗地卡片  ${cardId}（续）`);
    if (heading !== null) {
      const r = ws.next;
      wait = ws.row(nulls(heading), st.section) ?? wait;
      merge(ctx, ws, r, 1, r, ncol);
      flow.add(ROW_POINTS);
      heading = null;
    }
    flow.add(h);
  };
  const pair = (cells: [string, Cell, Kind?][]) => {
    ensure(ROW_POINTS);
    const values: Cell[] = new Array(cells.length * 2);
    const styles: number[] = new Array(cells.length * 2);
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      values[2 * i] = c[0];
      values[2 * i + 1] = c[1];
      styles[2 * i] = st.label;
      styles[2 * i + 1] = st[c[2] ?? 'text'];
    }
    wait = ws.row(values, styles) ?? wait;
  };
  const wideStyles = [st.label, ...fill(ncol - 1, st.text)];
  const WIDE_INLINE = [false, true];
  const wide = (label: string, v: Cell, inline = false) => {
    const lines = typeof v === 'string' ? wrappedLines(v, CARD_WIDE) : 1;
    const h = lines > 1 ? rowHeightFor(lines) : undefined;
    ensure(h ?? ROW_POINTS);
    const r = ws.next;
    const values = nulls(label);
    values[1] = v;
    wait = ws.row(values, wideStyles, h, inline ? WIDE_INLINE : undefined) ?? wait;
    merge(ctx, ws, r, 2, r, ncol);
  };
  const section = (title: string) => {
    heading = title;
  };
  for (const d of ctx.details) {
    idx++;
    cardId = safeText(d.parcelId);
    head(`宗地卡片  ${cardId}（${idx}/${total}）`);
    section('一、基本情况');
    pair([['宗地代码', t(d.parcelId), 'center'], ['街道', t(d.street), 'center'], ['用地类别', d.category, 'center']]);
    wide('坐落', t(d.location), true);
    wide('权利人', t(d.owner));
    pair([['地类编码', t(d.landUseCode), 'center'], ['规划用途', t(d.plannedUse), 'center'], ['用地手续', t(d.landProcedures), 'center']]);
    pair([['土地面积(㎡)', n(d.landArea), 'amount'], ['土地面积(亩)', n(d.landAreaMu), 'amount'], ['用地发生时间', t(d.occurrenceDate), 'center']]);
    section('二、利用效率');
    pair([['总建筑面积(㎡)', n(d.floorArea), 'amount'], ['建筑基底面积(㎡)', n(d.footprint), 'amount'], [RESULT_FIGURES.plotRatio.title, n(d.plotRatio), 'ratio']]);
    pair([[RESULT_FIGURES.coverage.title, n(d.coverage), 'ratio'], ['主导行业', industryLabel(d.mainIndustry), 'center'], ['空置率(%)', n(d.vacancyRate), 'ratio']]);
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
        // the id in the narrow label column (a name beside it would wrap past the row's height), the name with the reason
        const name = ctx.ruleNames.get(h.rule);
        wide(h.rule, `${name ? `${name}：` : ''}${safeText(h.reason)}${figureVsThreshold(h.figure, h.threshold)}`, true);
      }
    } else if (d.hits.length) {
      wide('命中规则', hitsText(ctx, d));
    } else {
      wide('命中规则', '无');
    }
    if (d.units.length) {
      section('四、用地单位');
      for (const u of d.units) wide(UNIT_LABEL[u.form] ?? formTitle(u.form), `${safeText(u.name)}${u.detail ? `：${safeText(u.detail)}` : ''}`, true);
    }
    if (d.problems.length) {
      section(d.units.length ? '五、难点堵点' : '四、难点堵点');
      for (const p of d.problems) {
        wide(t(p.type) ?? '问题', `${safeText(p.unit)}${p.description ? `：${safeText(p.description)}` : ''}`, true);
      }
    }
    // a blank row (on screen) where the page has room for it (else it would print a page of its own), then a page
    // break after the card (not after the last one)
    if (flow.used + ROW_POINTS <= PAGE_POINTS) ws.skip();
    if (idx < total) flow.pageBreak();
    if (wait) {
      await wait;
      wait = null;
    }
  }
  if (!total) {
    const r = ws.next;
    ws.row(['（无宗地）'], st.center);
    merge(ctx, ws, r, 1, r, ncol);
  }
  await ws.end();
}
