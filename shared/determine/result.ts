/**
 * Result mapping: the per-parcel detail (ParcelDetail, with the card's text lines built on first
 * read), the issues of every input in order, and the JSON contract with its per-input
 * conservation (rows in = rows used + rows only in the issue list).
 */
import * as issueModule from '../issues/issue';
import type { Issue } from '../issues/issue';
import type { RuleContext } from '../rules/evaluators';
import type { HistoricPeriod, RuleId } from '../rules/schema';
import type {
  BenchmarkBasis, Category, Consolidation, ContractIssue, HistoricEntry, InputSummary, MissingItem, Mode, ParcelDetail, ResultLabel, RuleHit,
} from '../types';
import * as state from './state';
import type { Parcel, ReadState, RowRef, RunState } from './state';
import * as format from '../format';
import * as util from './util';

const { str } = util;
const { contractIssue } = issueModule;
const { unitName } = state;
const round2 = format.compact2;

/** A figure in a card line: at most two decimals (8333.33, not 8333.333333333332). */
function numText(x: unknown): string {
  return typeof x === 'number' ? round2(x) : '—';
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
  out.push({ form: ref.st.read.form, file: ref.st.read.file, sheet: ref.st.read.sheet, row: ref.r.row, unit: unitName(ref), type, description });
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
export class Detail implements ParcelDetail {
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

  constructor(
    p: Parcel, cat: Category, result: ResultLabel, hitIds: RuleId[], missing: MissingItem[], mode: Mode | null, landMu: number, c: RuleContext, hits: RuleHit[],
  ) {
    const v = p.base.values;
    this.#parcel = p;
    this.parcelId = p.id;
    this.street = str(v.street) ?? '';
    this.category = cat;
    this.result = result;
    this.hits = hitIds;
    this.missing = missing;
    this.mode = mode;
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

/** All issues: the reader's and the engine's, by file order, sheet, row (sheet/parcel-level first). */
export function sortedIssues(s: RunState, filter?: (st: ReadState) => boolean, ownOnly = false): Issue[] {
  const fileOrder = new Map<string, number>();
  for (const st of s.states) if (!fileOrder.has(st.read.file)) fileOrder.set(st.read.file, st.idx);
  const order = s.states
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

/** The whole answer from the details determined: the contract, details, issues and conservation. */
export function consolidation(s: RunState, details: ParcelDetail[]): Consolidation {
  const historic: HistoricEntry[] = [];
  for (const p of s.parcelList) if (p.historic !== null) historic.push({ parcelId: p.id, period: p.historic });
  const issues = sortedIssues(s);
  const contractIssues: ContractIssue[] = new Array(issues.length);
  for (let i = 0; i < issues.length; i++) contractIssues[i] = contractIssue(issues[i]);
  const inputs: InputSummary[] = [];
  const conservation: Consolidation['conservation'] = [];
  for (const st of s.states) {
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
      ruleSet: { id: s.rs.id, version: s.rs.version },
      evaluationDate: s.evalDate,
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
