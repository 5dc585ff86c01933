/**
 * Cross-form checks, per-mu figures, determination (认定) and historic land (domain.md §5, §6, §8).
 *
 * One pass over every input: base rows become parcels (Map by 宗地代码), reference rows become
 * Maps by USCC / 大类, survey rows join their parcel. Then one pass over the industrial rows in use
 * splits the bureaus' enterprise totals, one pass over the parcels computes their figures and the
 * district benchmarks, and a last pass applies the rule set.
 */
import { getForm } from '../forms';
import type { FormDef, FormId } from '../forms/types';
import type { IssueCode } from '../issues/catalogue';
import * as issueModule from '../issues/issue';
import type { Issue, IssueInput, SeverityOverrides } from '../issues/issue';
import type { HistoricPeriod, RuleId, RuleSet, Thresholds } from '../rules/schema';
import type {
  BenchmarkBasis, Category, Consolidation, ContractIssue, FieldValue, FormRead, HistoricEntry, InputSummary, MissingItem, Mode,
  ParcelDetail, ParsedRow, ResultLabel, RuleHit,
} from '../types';
import * as util from './util';

// Imported functions copied into module constants once: transpiled to CommonJS (tsx, jest), each
// use of an imported name is a getter call on the other module's exports, which on the per-row
// paths here costs more than the work itself.
const { makeIssue } = issueModule;
const { categoryOf, f2, industryClassOf, minusYears, mu, num, pct, str } = util;

// ---------------------------------------------------------------------------------------------
// Inputs and their issues

interface ReadState {
  read: FormRead;
  idx: number;
  def: FormDef;
  /** 1 when the row is used for the determination (or as reference data). */
  used: Uint8Array;
  /** Issues raised here (cross-form), merged with the reader's at the end. */
  own: Issue[];
  /** `${code}@${row}` of the reader's row issues of the codes we may also need to raise. */
  flagged: Set<string>;
  /** Rows with an error-level issue other than `missing-occurrence-date`. */
  errorRows: Set<number>;
}

/** Reader codes this engine looks up by row: the ones it may raise itself, and foreign-parcel. */
const TRACKED_CODES = new Set<string>(['duplicate-key', 'other-year', 'missing-occurrence-date', 'foreign-parcel']);

function readState(read: FormRead, idx: number): ReadState {
  const st: ReadState = {
    read,
    idx,
    def: getForm(read.form),
    used: new Uint8Array(read.rows.length),
    own: [],
    flagged: new Set(),
    errorRows: new Set(),
  };
  for (const is of read.issues) {
    if (is.row === null) continue;
    if (TRACKED_CODES.has(is.code)) st.flagged.add(`${is.code}@${is.row}`);
    if (is.severity === 'error' && is.code !== 'missing-occurrence-date') st.errorRows.add(is.row);
  }
  return st;
}

const titleCache = new Map<FormDef, Record<string, string>>();
/** The Chinese title of a field of a form (from the forms catalogue). */
function fieldTitle(def: FormDef, key: string): string {
  let titles = titleCache.get(def);
  if (titles === undefined) {
    titles = {};
    for (const f of def.fields) titles[f.key] = f.title;
    titleCache.set(def, titles);
  }
  return titles[key] ?? key;
}

/** What a cross-form issue says besides where it sits. */
interface RaiseExtra {
  column?: string | null;
  parcelId?: string | null;
  value?: unknown;
  expected?: string | number | null;
  detail?: string | null;
}

class Raiser {
  constructor(private readonly sev: SeverityOverrides) {}

  /** Raise an issue on a row (or on the sheet / parcel when row is null) of an input. */
  raise(st: ReadState, code: IssueCode, row: number | null, fieldKey: string | null, extra: RaiseExtra): Issue {
    const column = extra.column !== undefined ? extra.column : fieldKey !== null ? (st.read.columns[fieldKey] ?? null) : null;
    const input: IssueInput = {
      form: st.read.form,
      sheet: st.read.sheet,
      row,
      column,
      field: fieldKey !== null ? fieldTitle(st.def, fieldKey) : null,
      parcelId: extra.parcelId ?? null,
      value: extra.value,
      expected: extra.expected ?? null,
      detail: extra.detail ?? null,
    };
    const is = makeIssue(code, input, this.sev);
    st.own.push(is);
    return is;
  }

  /**
   * A later row with the key of an earlier one (§8.7, §8.16): `duplicate-key` unless the reader
   * already said so (the reader checks within one sheet; across inputs only this engine can).
   */
  duplicate(st: ReadState, r: ParsedRow, first: { st: ReadState; row: number }): void {
    if (st.flagged.has(`duplicate-key@${r.row}`)) return;
    st.flagged.add(`duplicate-key@${r.row}`);
    const keyFields = st.def.key;
    st.own.push(
      makeIssue(
        'duplicate-key',
        {
          form: st.read.form,
          sheet: st.read.sheet,
          row: r.row,
          column: st.read.columns[keyFields[0]] ?? null,
          field: keyFields.map((k) => fieldTitle(st.def, k)).join('+'),
          parcelId: str(r.values.parcelId),
          value: keyFields.map((k) => str(r.values[k]) ?? '').join(' / '),
          expected: first.st === st ? String(first.row) : `${first.row}（${first.st.read.file}）`,
        },
        this.sev,
      ),
    );
  }

  /** Raise unless the reader already raised the same code on that row. */
  ensure(st: ReadState, code: IssueCode, row: number, fieldKey: string | null, extra: RaiseExtra): void {
    if (st.flagged.has(`${code}@${row}`)) return;
    st.flagged.add(`${code}@${row}`);
    this.raise(st, code, row, fieldKey, extra);
  }
}

// ---------------------------------------------------------------------------------------------
// Parcels

interface RowRef {
  r: ParsedRow;
  st: ReadState;
}

/** A reference value with the row it came from (for duplicate-key messages). */
interface Located<T> {
  v: T;
  st: ReadState;
  row: number;
}

/** One enterprise (USCC) over its industrial rows in use: Σ 用地面积 and the bureaus' totals. */
interface Enterprise {
  area: number;
  bureauTax: number;
  hasBureauTax: boolean;
  bureauOut: number;
  hasBureauOut: boolean;
}

/** What is known of one USCC: the tax bureau's and the market regulator's rows in use, its enterprise. */
interface UsccEntry {
  tax: Located<number> | undefined;
  output: Located<number> | undefined;
  ent: Enterprise | undefined;
}

interface IndRef extends RowRef {
  uscc: string;
  ent: Enterprise;
  area: number;
  /** The row's tax for its parcel; meaningful when taxSrc is not 0. */
  tax: number;
  taxSrc: 0 | 1 | 2; // 0 unknown, 1 bureau, 2 self-reported
  out: number;
  outSrc: 0 | 1 | 2;
}

interface Parcel {
  id: string;
  base: ParsedRow;
  baseSt: ReadState;
  category: Category;
  landArea: number;
  ind: IndRef[];
  com: RowRef[];
  fac: RowRef[];
  hou: RowRef[];
  historic: HistoricPeriod | null;
  // figures
  floor: number | null;
  footprint: number | null;
  plotRatio: number | null;
  coverage: number | null;
  tax: number | null;
  taxSrc: ParcelDetail['taxSource'];
  output: number | null;
  outSrc: ParcelDetail['outputSource'];
  main: string | null;
  vacancyRate: number | null;
}

/** The key field besides 宗地代码 of each survey form (its FormDef.key). */
function unitKey(form: FormId, r: ParsedRow): FieldValue {
  switch (form) {
    case 'industrial':
      return r.values.uscc;
    case 'commercial':
      return r.values.buildingName;
    case 'facility':
      return r.values.facilityName;
    default:
      return r.values.projectName;
  }
}
const SURVEY_CATEGORY: Partial<Record<FormId, Category>> = { industrial: '工业', commercial: '商办', facility: '设施' };
/** Order of `missing` in the result; bit i of RuleContext.missing is MISSING_ORDER[i]. */
const MISSING_ORDER: MissingItem[] = ['tax', 'output', 'taxBenchmark', 'outputBenchmark', 'survey'];

function sourceLabel<T extends string>(hasBureau: boolean, hasSelf: boolean, bureau: T): T | '自报' | '混合' | null {
  if (hasBureau && hasSelf) return '混合';
  if (hasBureau) return bureau;
  if (hasSelf) return '自报';
  return null;
}

interface DistrictSum {
  sum: number;
  mu: number;
  n: number;
}
function addSum(m: Map<string, DistrictSum>, k: string, v: number, m2: number): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = { sum: 0, mu: 0, n: 0 }));
  s.sum += v;
  s.mu += mu(m2);
  s.n++;
}


// ---------------------------------------------------------------------------------------------
// Rule helpers (module-level: no closures per parcel)

interface RuleContext {
  taxBench: Benchmark;
  outBench: Benchmark;
  taxPerMu: number | null;
  outputPerMu: number | null;
  idleCut: string;
  stopCut: string;
  /** Bit mask over MISSING_ORDER. */
  missing: number;
}

interface Benchmark {
  value: number | null;
  basis: BenchmarkBasis;
}

const NO_BENCHMARK: Benchmark = { value: null, basis: 'none' };
const M_TAX = 1;
const M_OUTPUT = 2;
const M_TAX_BENCH = 4;
const M_OUTPUT_BENCH = 8;
const M_SURVEY = 16;

/** The category a rule applies to; null for the RES-* rules, which apply wherever a housing row is. */
const RULE_GROUP: Record<RuleId, Category | null> = {
  'IND-PLOT': '工业', 'IND-COVER': '工业', 'IND-TAX': '工业', 'IND-OUTPUT': '工业', 'IND-STOP': '工业', 'IND-IDLE': '工业',
  'IND-OBSOLETE': '工业', 'IND-ENV': '工业', 'IND-REZONED': '工业',
  'COM-VACANT': '商办', 'COM-TAX': '商办', 'COM-STALLED': '商办', 'COM-UNSAFE': '商办',
  'FAC-IDLE': '设施', 'FAC-UNDERUSED': '设施',
  'RES-OLD': null, 'RES-VILLAGE': null, 'RES-STALLED': null,
  'VAC-LAND': '空闲地',
};

const constTexts = new Map<number, string>();

/** f2 of a standard, benchmark or threshold: few distinct values, each written in many reasons. */
function f2Const(x: number): string {
  let text = constTexts.get(x);
  if (text === undefined) {
    if (constTexts.size >= 1024) constTexts.clear();
    constTexts.set(x, (text = f2(x)));
  }
  return text;
}

function mkHit(rule: RuleId, figure: RuleHit['figure'], threshold: RuleHit['threshold'], reason: string): RuleHit {
  return { rule, figure, threshold, reason };
}

function needSurvey(c: RuleContext): null {
  c.missing |= M_SURVEY;
  return null;
}

function perMuRule(
  id: RuleId,
  c: RuleContext,
  perMu: number | null,
  bench: number | null,
  share: number,
  missFigure: number,
  missBench: number,
  label: string,
  benchLabel: string,
): RuleHit | null {
  if (perMu === null) c.missing |= missFigure;
  if (bench === null) c.missing |= missBench;
  if (perMu === null || bench === null) return null;
  const threshold = share * bench;
  if (!(perMu < threshold)) return null;
  return mkHit(id, perMu, threshold, `${label}${f2(perMu)}万元/亩低于${benchLabel}${f2Const(bench)}万元/亩的${pct(share)}（${f2Const(threshold)}万元/亩）`);
}

/** The name of a survey row's unit: enterprise, building, facility or housing project. */
function unitName(ref: RowRef): string {
  const v = ref.r.values;
  switch (ref.st.read.form) {
    case 'industrial':
      return str(v.enterpriseName) ?? str(v.uscc) ?? '';
    case 'commercial':
      return str(v.buildingName) ?? '';
    case 'facility':
      return str(v.facilityName) ?? '';
    default:
      return str(v.projectName) ?? '';
  }
}

const MODE_COMPREHENSIVE: readonly RuleId[] = ['IND-ENV', 'IND-OBSOLETE'];
const MODE_RESERVE: readonly RuleId[] = ['IND-REZONED', 'COM-STALLED', 'RES-VILLAGE', 'RES-STALLED'];
const MODE_MERGE: readonly RuleId[] = ['IND-STOP'];
const MODE_INVEST: readonly RuleId[] = ['IND-IDLE', 'FAC-IDLE', 'VAC-LAND', 'COM-VACANT'];

function hitsAny(hits: RuleId[], ids: readonly RuleId[]): boolean {
  for (const h of hits) if (ids.includes(h)) return true;
  return false;
}

function wantsReserve(rows: RowRef[]): boolean {
  for (const r of rows) if (r.r.values.willingness === '收储') return true;
  return false;
}

/** §5 suggested mode, first match; 盘活意愿 收储 read from industrial and commercial rows (§8.11). */
function modeOf(p: Parcel, hits: RuleId[]): Mode {
  if (hitsAny(hits, MODE_COMPREHENSIVE)) return '综合施策';
  if (hitsAny(hits, MODE_RESERVE) || wantsReserve(p.ind) || wantsReserve(p.com)) return '收储出让';
  if (hitsAny(hits, MODE_MERGE)) return '整合重组';
  if (hitsAny(hits, MODE_INVEST)) return '因地招商';
  return '技改升级';
}

/** At most two decimals, without trailing zeros (text lines of the card). */
function round2(x: number): string {
  return String(Math.round(x * 100) / 100);
}

function numText(x: unknown): string {
  return typeof x === 'number' ? String(x) : '—';
}

function sourceText(s: 0 | 1 | 2): string {
  return s === 1 ? '部门数据' : s === 2 ? '自报' : '';
}

/** One line per unit in use on the parcel, for the card (一宗一卡). */
function unitsOf(p: Parcel): ParcelDetail['units'] {
  const out: ParcelDetail['units'] = [];
  for (const e of p.ind) {
    const v = e.r.values;
    // one flat line per enterprise (joined once: fewer intermediate strings than a long template)
    out.push({
      form: 'industrial',
      name: unitName(e),
      detail: [
        '统一社会信用代码', e.uscc, '；行业代码', str(v.industryCode) ?? '—', '；用地面积', numText(v.landArea), '㎡；总建筑面积', numText(v.floorArea),
        '㎡；经营状态', str(v.status) ?? '—',
        '；税收', e.taxSrc === 0 ? '未知' : round2(e.tax), e.taxSrc === 0 ? '' : '万元（', sourceText(e.taxSrc), e.taxSrc === 0 ? '' : '）',
        '；产值', e.outSrc === 0 ? '未知' : round2(e.out), e.outSrc === 0 ? '' : '万元（', sourceText(e.outSrc), e.outSrc === 0 ? '' : '）',
      ].join(''),
    });
  }
  for (const c of p.com) {
    const v = c.r.values;
    out.push({
      form: 'commercial',
      name: unitName(c),
      detail: `总建筑面积${numText(v.floorArea)}㎡；空置面积${numText(v.vacantArea)}㎡；年税收${numText(v.tax)}万元；是否烂尾${v.stalled === true ? '是' : v.stalled === false ? '否' : '—'}；危房等级${str(v.dangerGrade) ?? '—'}`,
    });
  }
  for (const c of p.fac) {
    const v = c.r.values;
    const idle = str(v.idleDate);
    out.push({
      form: 'facility',
      name: unitName(c),
      detail: `${str(v.facilityType) ?? '—'}；管理单位${str(v.manager) ?? '—'}；使用状态${str(v.useStatus) ?? '—'}${idle ? `（自${idle}起）` : ''}`,
    });
  }
  for (const c of p.hou) {
    const v = c.r.values;
    out.push({
      form: 'housing',
      name: unitName(c),
      detail: `${str(v.housingType) ?? '—'}；建成年份${str(v.builtYear) ?? '—'}；配套设施${str(v.amenities) ?? '—'}；建设手续${str(v.buildProcedures) ?? '—'}`,
    });
  }
  return out;
}

function addProblem(out: ParcelDetail['problems'], ref: RowRef): void {
  const type = str(ref.r.values.problemType);
  const description = str(ref.r.values.problemDesc);
  if (description === null && (type === null || type === '无')) return;
  out.push({ form: ref.st.read.form, sheet: ref.st.read.sheet, row: ref.r.row, unit: unitName(ref), type, description });
}

/** 难点堵点 reported on the parcel's survey rows in use. */
function problemsOf(p: Parcel): ParcelDetail['problems'] {
  const out: ParcelDetail['problems'] = [];
  for (const e of p.ind) addProblem(out, e);
  for (const c of p.com) addProblem(out, c);
  for (const c of p.fac) addProblem(out, c);
  for (const c of p.hou) addProblem(out, c);
  return out;
}

/**
 * The per-parcel detail (ParcelDetail). The card's text lines (`units`, `problems`) are read only by
 * the submission workbook, so they are built on first read and kept: getters on the prototype,
 * with setters, so every reader (workbook, tests) sees the same values as before while
 * consolidate() does not build 100,000 unit texts nobody may read. toJSON() writes every field
 * in the order of ParcelDetail, units and problems included.
 */
class Detail implements ParcelDetail {
  declare parcelId: string;
  declare street: string;
  declare category: Category;
  declare result: ResultLabel;
  declare hits: RuleId[];
  declare missing: MissingItem[];
  declare mode: Mode | null;
  declare landArea: number;
  declare plotRatio: number | null;
  declare coverage: number | null;
  declare taxPerMu: number | null;
  declare outputPerMu: number | null;
  declare location: string;
  declare landUseCode: string;
  declare owner: string;
  declare plannedUse: string | null;
  declare landAreaMu: number;
  declare floorArea: number | null;
  declare footprint: number | null;
  declare tax: number | null;
  declare taxSource: ParcelDetail['taxSource'];
  declare output: number | null;
  declare outputSource: ParcelDetail['outputSource'];
  declare mainIndustry: string | null;
  declare taxBenchmark: number | null;
  declare taxBenchmarkBasis: BenchmarkBasis;
  declare outputBenchmark: number | null;
  declare outputBenchmarkBasis: BenchmarkBasis;
  declare vacancyRate: number | null;
  declare hitDetails: RuleHit[];
  declare historicPeriod: HistoricPeriod | null;
  declare landProcedures: string | null;
  declare occurrenceDate: string | null;
  #parcel: Parcel;
  #units: ParcelDetail['units'] | undefined = undefined;
  #problems: ParcelDetail['problems'] | undefined = undefined;

  constructor(p: Parcel, cat: Category, result: ResultLabel, hitIds: RuleId[], missing: MissingItem[], landMu: number, c: RuleContext, hits: RuleHit[]) {
    const v = p.base.values;
    this.#parcel = p;
    this.parcelId = p.id;
    this.street = str(v.street) ?? '';
    this.category = cat;
    this.result = result;
    this.hits = hitIds;
    this.missing = missing;
    this.mode = result === '低效' ? modeOf(p, hitIds) : null;
    this.landArea = p.landArea;
    this.plotRatio = cat === '工业' ? p.plotRatio : null;
    this.coverage = cat === '工业' ? p.coverage : null;
    this.taxPerMu = c.taxPerMu;
    this.outputPerMu = c.outputPerMu;
    this.location = str(v.location) ?? '';
    this.landUseCode = str(v.landUseCode) ?? '';
    this.owner = str(v.owner) ?? '';
    this.plannedUse = str(v.plannedUse);
    this.landAreaMu = landMu;
    this.floorArea = p.floor;
    this.footprint = p.footprint;
    this.tax = p.tax;
    this.taxSource = p.taxSrc;
    this.output = p.output;
    this.outputSource = p.outSrc;
    this.mainIndustry = p.main;
    this.taxBenchmark = c.taxBench.value;
    this.taxBenchmarkBasis = c.taxBench.basis;
    this.outputBenchmark = c.outBench.value;
    this.outputBenchmarkBasis = c.outBench.basis;
    this.vacancyRate = p.vacancyRate;
    this.hitDetails = hits;
    this.historicPeriod = p.historic;
    this.landProcedures = str(v.landProcedures);
    this.occurrenceDate = str(v.occurrenceDate);
  }

  get units(): ParcelDetail['units'] {
    return this.#units === undefined ? (this.#units = unitsOf(this.#parcel)) : this.#units;
  }

  set units(x: ParcelDetail['units']) {
    this.#units = x;
  }

  get problems(): ParcelDetail['problems'] {
    return this.#problems === undefined ? (this.#problems = problemsOf(this.#parcel)) : this.#problems;
  }

  set problems(x: ParcelDetail['problems']) {
    this.#problems = x;
  }

  toJSON(): ParcelDetail {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(this) as (keyof this & string)[]) {
      out[k] = this[k];
      if (k === 'hitDetails') {
        out.units = this.units;
        out.problems = this.problems;
      }
    }
    return out as unknown as ParcelDetail;
  }
}

// ---------------------------------------------------------------------------------------------

export interface EngineOptions {
  /** Only the cross-form checks (validate --base): no missing-reference flood, no determination. */
  checksOnly?: boolean;
}

export class Engine {
  private readonly states: ReadState[];
  private readonly raiser: Raiser;
  private readonly evalDate: string;
  private readonly evalYear: number;
  private readonly parcels = new Map<string, Parcel>();
  private readonly parcelList: Parcel[] = [];
  /** Parcel ids whose base row has an error (§8.1). */
  private readonly badBase = new Set<string>();
  /** Per USCC: the bureaus' figures and the enterprise of the industrial rows (one Map, one lookup per row). */
  private readonly byUscc = new Map<string, UsccEntry>();
  private readonly taxTable = new Map<string, Located<number>>();
  private readonly outputTable = new Map<string, Located<number>>();
  private readonly envByUscc = new Map<string, Located<boolean>>();
  private readonly thrCache = new Map<string, Thresholds>();

  constructor(
    reads: FormRead[],
    private readonly rs: RuleSet,
    private readonly opts: EngineOptions = {},
  ) {
    this.states = reads.map((r, i) => readState(r, i));
    this.raiser = new Raiser(rs.severities as SeverityOverrides);
    this.evalDate = rs.evaluationDate;
    this.evalYear = Number(rs.evaluationDate.slice(0, 4));
    this.activeRules = rs.rules.filter((r) => r.enabled).map((r) => ({ id: r.id, group: RULE_GROUP[r.id] }));
  }

  private thresholds(cls: string | null): Thresholds {
    const key = cls ?? '';
    let t = this.thrCache.get(key);
    if (!t) {
      const o = cls ? this.rs.industryOverrides[cls] : undefined;
      t = o ? { ...this.rs.thresholds, ...o } : this.rs.thresholds;
      this.thrCache.set(key, t);
    }
    return t;
  }

  run(): void {
    for (const st of this.states) if (st.read.form === 'base') this.readBase(st);
    for (const st of this.states) {
      switch (st.read.form) {
        case 'tax':
          this.readYearly(st, 'taxTotal', true);
          break;
        case 'output':
          this.readYearly(st, 'output', false);
          break;
        case 'taxBenchmark':
          this.readTable(st, 'taxPerMu', this.taxTable);
          break;
        case 'outputBenchmark':
          this.readTable(st, 'outputPerMu', this.outputTable);
          break;
        case 'environment':
          this.readEnvironment(st);
          break;
        default:
          break;
      }
    }
    for (const st of this.states) {
      const f = st.read.form;
      if (f === 'industrial' || f === 'commercial' || f === 'facility' || f === 'housing') this.readSurvey(st);
    }
    this.splitEnterprises();
    this.parcelFigures();
  }

  // --- base ---------------------------------------------------------------------------------

  private readBase(st: ReadState): void {
    const rows = st.read.rows;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const v = r.values;
      const id = str(v.parcelId);
      const area = num(v.landArea);
      const usable =
        (!r.hasError || (!st.errorRows.has(r.row) && st.flagged.has(`missing-occurrence-date@${r.row}`))) &&
        id !== null &&
        area !== null &&
        area > 0 &&
        str(v.landUseCode) !== null;
      if (!usable) {
        if (id !== null) this.badBase.add(id);
        continue;
      }
      const prev = this.parcels.get(id);
      if (prev !== undefined) {
        this.raiser.duplicate(st, r, { st: prev.baseSt, row: prev.base.row });
        continue;
      }
      st.used[i] = 1;
      const p: Parcel = {
        id,
        base: r,
        baseSt: st,
        category: categoryOf(str(v.landUseCode)),
        landArea: area,
        ind: [],
        com: [],
        fac: [],
        hou: [],
        historic: null,
        floor: null,
        footprint: null,
        plotRatio: null,
        coverage: null,
        tax: null,
        taxSrc: null,
        output: null,
        outSrc: null,
        main: null,
        vacancyRate: null,
      };
      this.parcels.set(id, p);
      this.parcelList.push(p);
      this.historic(st, p);
    }
  }

  private historic(st: ReadState, p: Parcel): void {
    const proc = str(p.base.values.landProcedures);
    if (proc !== '不全' && proc !== '无') return;
    const date = str(p.base.values.occurrenceDate);
    if (date === null) {
      this.raiser.ensure(st, 'missing-occurrence-date', p.base.row, 'occurrenceDate', { parcelId: p.id, value: proc });
      return;
    }
    let period: HistoricPeriod | null = null;
    for (const hp of this.rs.historicPeriods) {
      if (hp.before === null || date < hp.before) {
        period = hp.id;
        break;
      }
    }
    if (period === null) return;
    p.historic = period;
    if (period === 'post-2019') {
      this.raiser.raise(st, 'post-survey-illegal-use', p.base.row, 'occurrenceDate', { parcelId: p.id, value: date });
    }
  }

  // --- reference forms ----------------------------------------------------------------------

  private readYearly(st: ReadState, valueKey: string, isTax: boolean): void {
    const byUscc = this.byUscc;
    const rows = st.read.rows;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (r.hasError) continue;
      const year = num(r.values.year);
      if (year !== this.evalYear) {
        // §8.6: only the evaluation year's rows are used; the reader normally flags them already.
        if (year !== null) this.raiser.ensure(st, 'other-year', r.row, 'year', { value: year, expected: this.evalYear });
        continue;
      }
      const uscc = str(r.values.uscc);
      const value = num(r.values[valueKey]);
      if (uscc === null || value === null) continue;
      const entry = byUscc.get(uscc);
      const prev = entry === undefined ? undefined : isTax ? entry.tax : entry.output;
      if (prev !== undefined) {
        this.raiser.duplicate(st, r, prev);
        continue;
      }
      st.used[i] = 1;
      const loc: Located<number> = { v: value, st, row: r.row };
      if (entry === undefined) byUscc.set(uscc, isTax ? { tax: loc, output: undefined, ent: undefined } : { tax: undefined, output: loc, ent: undefined });
      else if (isTax) entry.tax = loc;
      else entry.output = loc;
    }
  }

  private readTable(st: ReadState, valueKey: string, into: Map<string, Located<number>>): void {
    const rows = st.read.rows;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (r.hasError) continue;
      const cls = str(r.values.industryClass);
      const value = num(r.values[valueKey]);
      if (cls === null || value === null) continue;
      const prev = into.get(cls);
      if (prev !== undefined) {
        this.raiser.duplicate(st, r, prev);
        continue;
      }
      st.used[i] = 1;
      into.set(cls, { v: value, st, row: r.row });
    }
  }

  private readEnvironment(st: ReadState): void {
    const rows = st.read.rows;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (r.hasError) continue;
      const uscc = str(r.values.uscc);
      const ok = r.values.compliant;
      if (uscc === null || typeof ok !== 'boolean') continue;
      const prev = this.envByUscc.get(uscc);
      if (prev !== undefined) {
        this.raiser.duplicate(st, r, prev);
        continue;
      }
      st.used[i] = 1;
      this.envByUscc.set(uscc, { v: ok, st, row: r.row });
    }
  }

  // --- survey forms -------------------------------------------------------------------------

  private readSurvey(st: ReadState): void {
    const form = st.read.form;
    const rows = st.read.rows;
    const needed = SURVEY_CATEGORY[form];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const id = str(r.values.parcelId);
      if (id === null) continue;
      const p = this.parcels.get(id);
      if (p === undefined) {
        // a foreign parcel is already an error of the reader; the district's base cannot hold it
        if (r.hasError && st.flagged.has(`foreign-parcel@${r.row}`)) continue;
        this.raiser.raise(st, 'parcel-not-in-base', r.row, 'parcelId', {
          parcelId: id,
          value: id,
          detail: this.badBase.has(id) ? '（底图中该宗地的记录有错误，未采用）' : null,
        });
        continue;
      }
      if (r.hasError) continue;
      if (needed !== undefined && p.category !== needed) {
        this.raiser.raise(st, 'category-mismatch', r.row, 'parcelId', {
          parcelId: id,
          value: str(p.base.values.landUseCode),
          expected: needed,
          detail: `${p.category}类`,
        });
        continue;
      }
      // duplicate keys (宗地代码 + the unit's name or USCC): the parcel's own short lists
      const list: RowRef[] = form === 'industrial' ? p.ind : form === 'commercial' ? p.com : form === 'facility' ? p.fac : p.hou;
      const name = unitKey(form, r);
      let dup: RowRef | undefined;
      for (let j = 0; j < list.length; j++) {
        if (unitKey(form, list[j].r) === name) {
          dup = list[j];
          break;
        }
      }
      if (dup !== undefined) {
        this.raiser.duplicate(st, r, { st: dup.st, row: dup.r.row });
        continue;
      }
      st.used[i] = 1;
      if (form === 'industrial') {
        const code = str(r.values.uscc) ?? '';
        const area = num(r.values.landArea) ?? 0;
        const entry = this.byUscc.get(code);
        let ent = entry === undefined ? undefined : entry.ent;
        if (ent === undefined) {
          const t = entry === undefined ? undefined : entry.tax;
          const o = entry === undefined ? undefined : entry.output;
          // -0 and NaN are heap numbers: the numeric fields are double-typed from the first object on,
          // so a fractional area later does not migrate every object made before it
          ent = {
            area: -0,
            bureauTax: t === undefined ? NaN : t.v,
            hasBureauTax: t !== undefined,
            bureauOut: o === undefined ? NaN : o.v,
            hasBureauOut: o !== undefined,
          };
          if (entry === undefined) this.byUscc.set(code, { tax: undefined, output: undefined, ent });
          else entry.ent = ent;
        }
        ent.area += area;
        // NaN until known (double-typed fields from the start, as above)
        const ref: IndRef = { r, st, uscc: code, ent, area: NaN, tax: NaN, taxSrc: 0, out: NaN, outSrc: 0 };
        ref.area = area;
        p.ind.push(ref);
      } else list.push({ r, st });
    }
  }

  /** §5, §8.6, §8.19: split the bureaus' totals over the enterprise's rows in use, by 用地面积. */
  private splitEnterprises(): void {
    const checksOnly = this.opts.checksOnly === true;
    for (const p of this.parcelList) {
      if (p.ind.length === 0) continue;
      // main industry (§5): the 大类 of the enterprise with the largest 用地面积, first row on a tie
      let best = p.ind[0];
      for (let i = 1; i < p.ind.length; i++) if (p.ind[i].area > best.area) best = p.ind[i];
      p.main = industryClassOf(best.r.values.industryCode);
      // tolerances, like every threshold, may be overridden for the main industry's 大类
      const tol = this.thresholds(p.main).taxTolerance;
      for (const e of p.ind) {
        const ent = e.ent;
        const share = ent.area > 0 ? e.area / ent.area : 0;
        const selfTax = num(e.r.values.tax);
        if (ent.hasBureauTax) {
          e.tax = ent.bureauTax * share;
          e.taxSrc = 1;
          if (selfTax !== null && Math.abs(selfTax - e.tax) > tol * e.tax) {
            this.raiser.raise(e.st, 'tax-mismatch', e.r.row, 'tax', {
              parcelId: p.id,
              value: selfTax,
              expected: f2(e.tax),
              detail: pct(tol),
            });
          }
        } else if (selfTax !== null) {
          e.tax = selfTax;
          e.taxSrc = 2;
        }
        if (ent.hasBureauOut) {
          e.out = ent.bureauOut * share;
          e.outSrc = 1;
        } else {
          const selfOut = num(e.r.values.output);
          if (selfOut !== null) {
            e.out = selfOut;
            e.outSrc = 2;
          }
        }
        if (checksOnly) continue;
        // §8.19: once per industrial row per kind; the message names the USCC, the value the kind.
        if (!ent.hasBureauTax) {
          const is = this.raiser.raise(e.st, 'missing-reference', e.r.row, 'uscc', { parcelId: p.id, value: e.uscc, detail: '税务部门纳税' });
          is.value = 'tax';
        }
        if (!ent.hasBureauOut) {
          const is = this.raiser.raise(e.st, 'missing-reference', e.r.row, 'uscc', { parcelId: p.id, value: e.uscc, detail: '市场监管部门产值' });
          is.value = 'output';
        }
      }
    }
  }

  // --- figures ------------------------------------------------------------------------------

  private readonly taxByClass = new Map<string, DistrictSum>();
  private readonly outByClass = new Map<string, DistrictSum>();
  private readonly taxAll: DistrictSum = { sum: 0, mu: 0, n: 0 };
  private readonly outAll: DistrictSum = { sum: 0, mu: 0, n: 0 };
  private readonly comTax: DistrictSum = { sum: 0, mu: 0, n: 0 };

  private parcelFigures(): void {
    for (const p of this.parcelList) {
      if (p.category === '工业' && p.ind.length > 0) {
        let floor = 0;
        let fp = 0;
        let land = 0;
        let tax: number | null = 0;
        let out: number | null = 0;
        let tB = false;
        let tS = false;
        let oB = false;
        let oS = false;
        for (const e of p.ind) {
          floor += num(e.r.values.floorArea) ?? 0;
          fp += num(e.r.values.footprint) ?? 0;
          land += e.area;
          if (e.taxSrc === 0) tax = null;
          else if (tax !== null) tax += e.tax;
          if (e.taxSrc === 1) tB = true;
          else if (e.taxSrc === 2) tS = true;
          if (e.outSrc === 0) out = null;
          else if (out !== null) out += e.out;
          if (e.outSrc === 1) oB = true;
          else if (e.outSrc === 2) oS = true;
        }
        p.floor = floor;
        p.footprint = fp;
        p.plotRatio = floor / p.landArea;
        p.coverage = (fp * 100) / p.landArea;
        p.tax = tax;
        p.output = out;
        p.taxSrc = tax === null ? null : sourceLabel(tB, tS, '税务');
        p.outSrc = out === null ? null : sourceLabel(oB, oS, '市场监管');
        const tol = this.thresholds(p.main).areaTolerance;
        if (Math.abs(land - p.landArea) > tol * p.landArea) {
          const st = p.ind[0].st;
          this.raiser.raise(st, 'area-mismatch', null, 'landArea', {
            column: null,
            parcelId: p.id,
            value: Number(land.toFixed(2)),
            expected: Number(p.landArea.toFixed(2)),
            detail: pct(tol),
          });
        }
        if (tax !== null) {
          this.taxAll.sum += tax;
          this.taxAll.mu += mu(p.landArea);
          this.taxAll.n++;
          if (p.main) addSum(this.taxByClass, p.main, tax, p.landArea);
        }
        if (out !== null) {
          this.outAll.sum += out;
          this.outAll.mu += mu(p.landArea);
          this.outAll.n++;
          if (p.main) addSum(this.outByClass, p.main, out, p.landArea);
        }
      } else if (p.category === '商办' && p.com.length > 0) {
        let floor = 0;
        let vacant = 0;
        let tax: number | null = 0;
        for (const c of p.com) {
          floor += num(c.r.values.floorArea) ?? 0;
          vacant += num(c.r.values.vacantArea) ?? 0;
          const t = num(c.r.values.tax);
          if (t === null) tax = null;
          else if (tax !== null) tax += t;
        }
        p.floor = floor;
        p.vacancyRate = floor > 0 ? (vacant * 100) / floor : null;
        p.tax = tax;
        p.taxSrc = tax === null ? null : '自报';
        if (tax !== null) {
          this.comTax.sum += tax;
          this.comTax.mu += mu(p.landArea);
          this.comTax.n++;
        }
      } else if (p.category === '设施' && p.fac.length > 0) {
        let floor: number | null = null;
        for (const c of p.fac) {
          const f = num(c.r.values.floorArea);
          if (f !== null) floor = (floor ?? 0) + f;
        }
        p.floor = floor;
      }
    }
  }

  private readonly taxBenchCache = new Map<string | null, Benchmark>();
  private readonly outBenchCache = new Map<string | null, Benchmark>();

  /** Tax / output benchmark of a 大类: table → district 大类 (≥ minDistrictParcels) → district all (§5, §8.4, §8.5). */
  private benchmark(kind: 'tax' | 'output', cls: string | null): Benchmark {
    const cache = kind === 'tax' ? this.taxBenchCache : this.outBenchCache;
    let b = cache.get(cls);
    if (b === undefined) cache.set(cls, (b = this.findBenchmark(kind, cls)));
    return b;
  }

  private findBenchmark(kind: 'tax' | 'output', cls: string | null): Benchmark {
    const table = kind === 'tax' ? this.taxTable : this.outputTable;
    const byClass = kind === 'tax' ? this.taxByClass : this.outByClass;
    const all = kind === 'tax' ? this.taxAll : this.outAll;
    if (cls !== null) {
      const t = table.get(cls);
      if (t !== undefined) return { value: t.v, basis: 'table' };
      const c = byClass.get(cls);
      if (c && c.n >= this.thresholds(cls).minDistrictParcels && c.mu > 0) return { value: c.sum / c.mu, basis: 'district-class' };
    }
    if (all.n > 0 && all.mu > 0) return { value: all.sum / all.mu, basis: 'district-all' };
    return { value: null, basis: 'none' };
  }

  private comBench: Benchmark | null = null;

  /** 商办: the table row 商办 → district 商办 figure (≥ minDistrictParcels) → none (§8.3, §8.18). */
  private commercialBenchmark(): Benchmark {
    if (this.comBench === null) this.comBench = this.findCommercialBenchmark();
    return this.comBench;
  }

  private findCommercialBenchmark(): Benchmark {
    const t = this.taxTable.get('商办');
    if (t !== undefined) return { value: t.v, basis: 'table' };
    if (this.comTax.n >= this.rs.thresholds.minDistrictParcels && this.comTax.mu > 0) {
      return { value: this.comTax.sum / this.comTax.mu, basis: 'district-commercial' };
    }
    return { value: null, basis: 'none' };
  }

  // --- determination ------------------------------------------------------------------------

  private determine(p: Parcel): ParcelDetail {
    const cat = p.category;
    const t = this.thresholds(cat === '工业' ? p.main : null);
    const landMu = mu(p.landArea);
    const hits: RuleHit[] = [];
    const c = this.rc;
    c.missing = 0;
    c.taxBench = NO_BENCHMARK;
    c.outBench = NO_BENCHMARK;
    c.taxPerMu = null;
    c.outputPerMu = null;
    if (cat === '工业' && p.ind.length > 0) {
      c.taxBench = this.benchmark('tax', p.main);
      c.outBench = this.benchmark('output', p.main);
      c.taxPerMu = p.tax === null ? null : p.tax / landMu;
      c.outputPerMu = p.output === null ? null : p.output / landMu;
    } else if (cat === '商办' && p.com.length > 0) {
      c.taxBench = this.commercialBenchmark();
      c.taxPerMu = p.tax === null ? null : p.tax / landMu;
    }
    c.idleCut = this.cutoff(t.idleYears);
    c.stopCut = this.cutoff(t.stopYears);
    const v = p.base.values;

    const rules = this.activeRules;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (rule.group !== null && rule.group !== cat) continue;
      const hit = this.rule(rule.id, p, t, c);
      if (hit !== null) hits.push(hit);
    }

    let result: ResultLabel;
    if (hits.length > 0) result = '低效';
    else if (c.missing !== 0) result = '待核实';
    else if (cat === '其他' && p.hou.length === 0) result = '不参评';
    else result = '非低效';

    const hitIds: RuleId[] = new Array(hits.length);
    for (let i = 0; i < hits.length; i++) hitIds[i] = hits[i].rule;
    const missing: MissingItem[] = [];
    if (result === '待核实') for (let b = 0; b < MISSING_ORDER.length; b++) if (c.missing & (1 << b)) missing.push(MISSING_ORDER[b]);

    return new Detail(p, cat, result, hitIds, missing, landMu, c, hits);
  }

  /** The enabled rules in the rule set's order, with the category each applies to. */
  private readonly activeRules: { id: RuleId; group: Category | null }[];

  private readonly cutoffs = new Map<number, string>();
  private cutoff(years: number): string {
    let d = this.cutoffs.get(years);
    if (d === undefined) this.cutoffs.set(years, (d = minusYears(this.evalDate, years)));
    return d;
  }

  /** Reused for every parcel: the figures the rules compare, and what was missing (bit mask). */
  private readonly rc: RuleContext = {
    taxBench: NO_BENCHMARK,
    outBench: NO_BENCHMARK,
    taxPerMu: null,
    outputPerMu: null,
    idleCut: '',
    stopCut: '',
    missing: 0,
  };

  /** One rule on one parcel: the hit, or null (adding to c.missing what kept it from being evaluated). */
  private rule(id: RuleId, p: Parcel, t: Thresholds, c: RuleContext): RuleHit | null {
    switch (id) {
      case 'IND-PLOT': {
        if (p.ind.length === 0) return needSurvey(c);
        const pr = p.plotRatio;
        if (pr === null || !(pr < t.plotRatio)) return null;
        return mkHit(id, pr, t.plotRatio, `容积率${f2(pr)}低于标准${f2Const(t.plotRatio)}`);
      }
      case 'IND-COVER': {
        if (p.ind.length === 0) return needSurvey(c);
        const cv = p.coverage;
        if (cv === null || !(cv < t.coverage)) return null;
        return mkHit(id, cv, t.coverage, `建筑密度${f2(cv)}%低于标准${f2Const(t.coverage)}%`);
      }
      case 'IND-TAX':
        if (p.ind.length === 0) return needSurvey(c);
        return perMuRule(id, c, c.taxPerMu, c.taxBench.value, t.taxShare, M_TAX, M_TAX_BENCH, '亩均税收', '行业基准');
      case 'IND-OUTPUT':
        if (p.ind.length === 0) return needSurvey(c);
        return perMuRule(id, c, c.outputPerMu, c.outBench.value, t.outputShare, M_OUTPUT, M_OUTPUT_BENCH, '亩均产值', '行业基准');
      case 'IND-STOP': {
        if (p.ind.length === 0) return needSurvey(c);
        for (const e of p.ind) {
          const s = e.r.values.status;
          if (s !== '停产' && s !== '半停产') continue;
          const d = str(e.r.values.stopDate);
          if (d !== null && d <= c.stopCut) return mkHit(id, d, c.stopCut, `${unitName(e)}自${d}起${s}，已满${t.stopYears}年`);
        }
        return null;
      }
      case 'IND-IDLE': {
        for (const e of p.ind) {
          if (e.r.values.status !== '闲置') continue;
          const d = str(e.r.values.stopDate);
          if (d !== null && d <= c.idleCut) return mkHit(id, d, c.idleCut, `${unitName(e)}自${d}起闲置，已满${t.idleYears}年`);
        }
        const agreed = str(p.base.values.agreedStartDate);
        if (agreed !== null && agreed <= c.idleCut && (p.floor ?? 0) === 0) {
          return mkHit(id, agreed, c.idleCut, `约定动工日期${agreed}已超过${t.idleYears}年，总建筑面积为0，未动工`);
        }
        return p.ind.length === 0 ? needSurvey(c) : null;
      }
      case 'IND-OBSOLETE': {
        if (p.ind.length === 0) return needSurvey(c);
        for (const e of p.ind) if (e.r.values.obsolete === true) return mkHit(id, '是', null, `${unitName(e)}属于产业结构调整指导目录淘汰类`);
        return null;
      }
      case 'IND-ENV': {
        if (p.ind.length === 0) return needSurvey(c);
        for (const e of p.ind) if (this.envByUscc.get(e.uscc)?.v === false) return mkHit(id, '否', null, `${unitName(e)}不符合环保要求`);
        return null;
      }
      case 'IND-REZONED': {
        if (p.ind.length === 0) return needSurvey(c);
        const planned = str(p.base.values.plannedUse);
        if (planned === null || planned === '工业' || planned === '物流仓储') return null;
        for (const e of p.ind) {
          const s = str(e.r.values.status);
          if (s !== null && s !== '闲置') return mkHit(id, planned, '工业/物流仓储', `规划用途已调整为${planned}，${unitName(e)}仍在经营（${s}）`);
        }
        return null;
      }
      case 'COM-VACANT': {
        if (p.com.length === 0) return needSurvey(c);
        const vr = p.vacancyRate;
        if (vr === null || !(vr >= t.vacancyRate)) return null;
        return mkHit(id, vr, t.vacancyRate, `空置率${f2(vr)}%不低于标准${f2Const(t.vacancyRate)}%`);
      }
      case 'COM-TAX':
        if (p.com.length === 0) return needSurvey(c);
        return perMuRule(id, c, c.taxPerMu, c.taxBench.value, t.commercialTaxShare, M_TAX, M_TAX_BENCH, '亩均税收', '商办基准');
      case 'COM-STALLED': {
        if (p.com.length === 0) return needSurvey(c);
        for (const b of p.com) if (b.r.values.stalled === true) return mkHit(id, '是', null, `${unitName(b)}为烂尾楼宇`);
        return null;
      }
      case 'COM-UNSAFE': {
        if (p.com.length === 0) return needSurvey(c);
        for (const b of p.com) {
          const g = b.r.values.dangerGrade;
          if (g === 'C' || g === 'D') return mkHit(id, g, 'C/D', `${unitName(b)}为${g}级危房`);
        }
        return null;
      }
      case 'FAC-IDLE': {
        if (p.fac.length === 0) return needSurvey(c);
        for (const f of p.fac) {
          if (f.r.values.useStatus !== '闲置') continue;
          const d = str(f.r.values.idleDate);
          if (d !== null && d <= c.idleCut) return mkHit(id, d, c.idleCut, `${unitName(f)}自${d}起闲置，已满${t.idleYears}年`);
        }
        return null;
      }
      case 'FAC-UNDERUSED': {
        if (p.fac.length === 0) return needSurvey(c);
        for (const f of p.fac) if (f.r.values.useStatus === '低效使用') return mkHit(id, '低效使用', null, `${unitName(f)}低效使用`);
        return null;
      }
      case 'RES-OLD': {
        for (const h of p.hou) {
          const y = num(h.r.values.builtYear);
          if (h.r.values.housingType === '老旧小区' && y !== null && y <= t.oldHousingYear && h.r.values.amenities === '不全') {
            return mkHit(id, y, t.oldHousingYear, `${unitName(h)}为${y}年建成的老旧小区（不晚于${t.oldHousingYear}年），配套设施不全`);
          }
        }
        return null;
      }
      case 'RES-VILLAGE': {
        for (const h of p.hou) {
          const ty = h.r.values.housingType;
          if (ty === '城中村' || ty === '棚户区') return mkHit(id, ty, null, `${unitName(h)}为${ty}`);
        }
        return null;
      }
      case 'RES-STALLED': {
        for (const h of p.hou) if (h.r.values.housingType === '烂尾楼') return mkHit(id, '烂尾楼', null, `${unitName(h)}为烂尾楼`);
        return null;
      }
      case 'VAC-LAND':
        return mkHit(id, str(p.base.values.landUseCode), null, '地类为空闲地');
      default:
        return null;
    }
  }

  // --- output -------------------------------------------------------------------------------

  /** All issues: the reader's and ours, by file order, sheet, row (sheet/parcel-level first). */
  sortedIssues(filter?: (st: ReadState) => boolean, ownOnly = false): Issue[] {
    const fileOrder = new Map<string, number>();
    for (const st of this.states) if (!fileOrder.has(st.read.file)) fileOrder.set(st.read.file, st.idx);
    const order = this.states
      .filter((st) => !filter || filter(st))
      .sort((a, b) => (fileOrder.get(a.read.file)! - fileOrder.get(b.read.file)!) || a.idx - b.idx);
    const out: Issue[] = [];
    for (const st of order) {
      const merged = ownOnly ? st.own.slice() : st.read.issues.length ? st.read.issues.concat(st.own) : st.own.slice();
      merged.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
      for (const is of merged) out.push(is);
    }
    return out;
  }

  consolidation(): Consolidation {
    const details: ParcelDetail[] = new Array(this.parcelList.length);
    const historic: HistoricEntry[] = [];
    for (let i = 0; i < this.parcelList.length; i++) {
      const p = this.parcelList[i];
      details[i] = this.determine(p);
      if (p.historic !== null) historic.push({ parcelId: p.id, period: p.historic });
    }
    const issues = this.sortedIssues();
    const contractIssues: ContractIssue[] = new Array(issues.length);
    for (let i = 0; i < issues.length; i++) {
      const is = issues[i];
      contractIssues[i] = {
        code: is.code,
        severity: is.severity,
        form: is.form,
        sheet: is.sheet,
        row: is.row,
        column: is.column,
        field: is.field,
        parcelId: is.parcelId,
        value: is.value,
        message: is.message,
      };
    }
    const inputs: InputSummary[] = [];
    const conservation: Consolidation['conservation'] = [];
    for (const st of this.states) {
      let used = 0;
      for (let i = 0; i < st.used.length; i++) used += st.used[i];
      const rowsIn = st.read.rows.length;
      inputs.push({ file: st.read.file, sheet: st.read.sheet, form: st.read.form, rows: rowsIn, issueRows: rowsIn - used });
      conservation.push({ file: st.read.file, form: st.read.form, sheet: st.read.sheet, rowsIn, rowsUsed: used, rowsIssueOnly: rowsIn - used, rowsNotRecords: st.read.notRecords ?? 0 });
    }
    const parcels = details.map((d) => ({
      parcelId: d.parcelId,
      street: d.street,
      category: d.category,
      result: d.result,
      hits: d.hits,
      missing: d.missing,
      mode: d.mode,
      landArea: d.landArea,
      plotRatio: d.plotRatio,
      coverage: d.coverage,
      taxPerMu: d.taxPerMu,
      outputPerMu: d.outputPerMu,
    }));
    return {
      result: {
        ruleSet: { id: this.rs.id, version: this.rs.version },
        evaluationDate: this.evalDate,
        parcels,
        historic,
        issues: contractIssues,
        inputs,
      },
      details,
      issues,
      conservation,
    };
  }

  /** Which rows of an input are used (for tests and the marked copies). */
  usedRows(readIndex: number): number[] {
    const st = this.states[readIndex];
    const out: number[] = [];
    for (let i = 0; i < st.used.length; i++) if (st.used[i]) out.push(st.read.rows[i].row);
    return out;
  }
}
