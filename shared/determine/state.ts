/**
 * The state of one consolidation run, shared by its passes (join, historic, enterprise split,
 * figures, benchmarks, determination, result): the inputs with their own issues and used rows,
 * the parcels, the reference tables, and the raiser of cross-form issues.
 */
import { getForm } from '../forms';
import type { FormDef } from '../forms/types';
import type { IssueCode } from '../issues/catalogue';
import * as issueModule from '../issues/issue';
import type { Issue, IssueInput, SeverityOverrides } from '../issues/issue';
import type { HistoricPeriod, RuleSet, Thresholds } from '../rules/schema';
import type { BenchmarkBasis, Category, FormRead, ParcelDetail, ParsedRow } from '../types';
import { ConstTexts } from '../format';
import * as util from './util';

// Per-row paths: imported functions copied into module constants once (transpiled to CommonJS, each use
// of an imported name is a getter call on the other module's exports).
const { makeIssue } = issueModule;
const { str } = util;

// ---------------------------------------------------------------------------------------------
// Inputs and their issues

export interface ReadState {
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

/** Reader codes the engine looks up by row: the ones it may raise itself, and foreign-parcel. */
const TRACKED_CODES = new Set<string>(['duplicate-key', 'other-year', 'missing-occurrence-date', 'foreign-parcel']);

export function readState(read: FormRead, idx: number): ReadState {
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

/** The Chinese title of a field of a form (from the forms catalogue), per form definition. */
function fieldTitle(titles: Map<FormDef, Record<string, string>>, def: FormDef, key: string): string {
  let t = titles.get(def);
  if (t === undefined) {
    t = {};
    for (const f of def.fields) t[f.key] = f.title;
    titles.set(def, t);
  }
  return t[key] ?? key;
}

/** What a cross-form issue says besides where it sits. */
export interface RaiseExtra {
  column?: string | null;
  parcelId?: string | null;
  value?: unknown;
  expected?: string | number | null;
  detail?: string | null;
}

/** Raises the engine's own (cross-form) issues into the input they concern. */
export class Raiser {
  private readonly titles = new Map<FormDef, Record<string, string>>();

  constructor(private readonly sev: SeverityOverrides) {}

  /** Raise an issue on a row (or on the sheet / parcel when row is null) of an input. */
  raise(st: ReadState, code: IssueCode, row: number | null, fieldKey: string | null, extra: RaiseExtra): Issue {
    const column = extra.column !== undefined ? extra.column : fieldKey !== null ? (st.read.columns[fieldKey] ?? null) : null;
    const input: IssueInput = {
      form: st.read.form,
      sheet: st.read.sheet,
      row,
      column,
      field: fieldKey !== null ? fieldTitle(this.titles, st.def, fieldKey) : null,
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
   * already said so (the reader checks within one sheet; across inputs only the engine can).
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
          field: keyFields.map((k) => fieldTitle(this.titles, st.def, k)).join('+'),
          parcelId: str(r.values.parcelId),
          value: keyFields.map((k) => str(r.values[k]) ?? '').join(' / '),
          // the earlier row: in this sheet, another sheet of the same file, or another file
          expected:
            first.st === st ? `第${first.row}行`
            : first.st.read.file === st.read.file ? `工作表“${first.st.read.sheet}”第${first.row}行`
            : `“${first.st.read.file}”第${first.row}行`,
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
// Parcels and reference data

export interface RowRef {
  r: ParsedRow;
  st: ReadState;
}

/** A reference value with the row it came from (for duplicate-key messages). */
export interface Located<T> {
  v: T;
  st: ReadState;
  row: number;
}

/** One enterprise (USCC) over its industrial rows in use: Σ 用地面积 and the bureaus' totals. */
export interface Enterprise {
  area: number;
  bureauTax: number;
  hasBureauTax: boolean;
  bureauOut: number;
  hasBureauOut: boolean;
}

/** What is known of one USCC: the tax bureau's and the market regulator's rows in use, its enterprise. */
export interface UsccEntry {
  tax: Located<number> | undefined;
  output: Located<number> | undefined;
  ent: Enterprise | undefined;
}

export interface IndRef extends RowRef {
  uscc: string;
  ent: Enterprise;
  area: number;
  /** The row's tax for its parcel; meaningful when taxSrc is not 0. */
  tax: number;
  taxSrc: 0 | 1 | 2; // 0 unknown, 1 bureau, 2 self-reported
  out: number;
  outSrc: 0 | 1 | 2;
}

export interface Parcel {
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

/** A district sum of tax or output over parcels: Σ value, Σ 亩, number of parcels. */
export interface DistrictSum {
  sum: number;
  mu: number;
  n: number;
}

export interface Benchmark {
  value: number | null;
  basis: BenchmarkBasis;
}

export const NO_BENCHMARK: Benchmark = { value: null, basis: 'none' };

export interface EngineOptions {
  /** Only the cross-form checks (validate --base): no missing-reference flood, no determination. */
  checksOnly?: boolean;
}

/** Everything one run holds; each pass reads what the earlier ones left and adds its own part. */
export interface RunState {
  readonly rs: RuleSet;
  readonly opts: EngineOptions;
  readonly states: ReadState[];
  readonly raiser: Raiser;
  readonly evalDate: string;
  readonly evalYear: number;
  readonly parcels: Map<string, Parcel>;
  readonly parcelList: Parcel[];
  /** Parcel ids whose base row has an error (§8.1). */
  readonly badBase: Set<string>;
  /** Per USCC: the bureaus' figures and the enterprise of the industrial rows (one Map, one lookup per row). */
  readonly byUscc: Map<string, UsccEntry>;
  readonly taxTable: Map<string, Located<number>>;
  readonly outputTable: Map<string, Located<number>>;
  readonly envByUscc: Map<string, Located<boolean>>;
  // district figures (figures pass)
  readonly taxByClass: Map<string, DistrictSum>;
  readonly outByClass: Map<string, DistrictSum>;
  readonly taxAll: DistrictSum;
  readonly outAll: DistrictSum;
  readonly comTax: DistrictSum;
  // caches of the run (rule set and evaluation date are fixed within it)
  readonly thrCache: Map<string, Thresholds>;
  readonly taxBenchCache: Map<string | null, Benchmark>;
  readonly outBenchCache: Map<string | null, Benchmark>;
  comBench: Benchmark | null;
  readonly cutoffs: Map<number, string>;
  /** f2/pct of the standards and tolerances written into many messages and reasons. */
  readonly texts: ConstTexts;
}

export function runState(reads: FormRead[], rs: RuleSet, opts: EngineOptions): RunState {
  return {
    rs,
    opts,
    states: reads.map((r, i) => readState(r, i)),
    raiser: new Raiser(rs.severities as SeverityOverrides),
    evalDate: rs.evaluationDate,
    evalYear: Number(rs.evaluationDate.slice(0, 4)),
    parcels: new Map(),
    parcelList: [],
    badBase: new Set(),
    byUscc: new Map(),
    taxTable: new Map(),
    outputTable: new Map(),
    envByUscc: new Map(),
    taxByClass: new Map(),
    outByClass: new Map(),
    taxAll: { sum: 0, mu: 0, n: 0 },
    outAll: { sum: 0, mu: 0, n: 0 },
    comTax: { sum: 0, mu: 0, n: 0 },
    thrCache: new Map(),
    taxBenchCache: new Map(),
    outBenchCache: new Map(),
    comBench: null,
    cutoffs: new Map(),
    texts: new ConstTexts(),
  };
}

/** The thresholds in force for a 大类 (the rule set's, with that 大类's overrides), once per run. */
export function thresholds(s: RunState, cls: string | null): Thresholds {
  const key = cls ?? '';
  let t = s.thrCache.get(key);
  if (!t) {
    const o = cls ? s.rs.industryOverrides[cls] : undefined;
    t = o ? { ...s.rs.thresholds, ...o } : s.rs.thresholds;
    s.thrCache.set(key, t);
  }
  return t;
}

/** The name of a survey row's unit: enterprise, building, facility or housing project. */
export function unitName(ref: RowRef): string {
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
