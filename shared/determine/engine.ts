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
import { Issue, IssueInput, makeIssue, SeverityOverrides } from '../issues/issue';
import type { HistoricPeriod, RuleId, RuleSet, Thresholds } from '../rules/schema';
import type {
  BenchmarkBasis, Category, Consolidation, ContractIssue, FormRead, HistoricEntry, InputSummary, MissingItem, Mode,
  ParcelDetail, ParsedRow, ResultLabel, RuleHit,
} from '../types';
import { categoryOf, f2, industryClassOf, minusYears, mu, num, pct, str } from './util';

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

const ENSURED_CODES = new Set<string>(['duplicate-key', 'other-year', 'missing-occurrence-date']);

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
    if (ENSURED_CODES.has(is.code)) st.flagged.add(`${is.code}@${is.row}`);
    if (is.severity === 'error' && is.code !== 'missing-occurrence-date') st.errorRows.add(is.row);
  }
  return st;
}

const titleCache = new Map<string, string>();
function fieldTitle(def: FormDef, key: string): string {
  const k = `${def.id}.${key}`;
  let t = titleCache.get(k);
  if (t === undefined) {
    t = def.fields.find((f) => f.key === key)?.title ?? key;
    titleCache.set(k, t);
  }
  return t;
}

class Raiser {
  constructor(private readonly sev: SeverityOverrides) {}

  /** Raise an issue on a row (or on the sheet / parcel when row is null) of an input. */
  raise(
    st: ReadState,
    code: IssueCode,
    row: number | null,
    fieldKey: string | null,
    extra: Omit<IssueInput, 'form' | 'sheet' | 'row' | 'column' | 'field'> & { column?: string | null } = {},
  ): Issue {
    const column = extra.column !== undefined ? extra.column : fieldKey ? (st.read.columns[fieldKey] ?? null) : null;
    const is = makeIssue(
      code,
      {
        ...extra,
        form: st.read.form,
        sheet: st.read.sheet,
        row,
        column,
        field: fieldKey ? fieldTitle(st.def, fieldKey) : null,
      },
      this.sev,
    );
    st.own.push(is);
    return is;
  }

  /** Raise unless the reader already raised the same code on that row. */
  ensure(st: ReadState, code: IssueCode, row: number, fieldKey: string | null, extra: Omit<IssueInput, 'form' | 'sheet' | 'row' | 'column' | 'field'> = {}): void {
    if (st.flagged.has(`${code}@${row}`)) return;
    st.flagged.add(`${code}@${row}`);
    this.raise(st, code, row, fieldKey, extra);
  }
}

/** First-row-wins key registry over all inputs of one form (§8.7, §8.16). */
class KeyRegistry {
  private readonly seen = new Map<string, { st: ReadState; row: number }>();

  constructor(
    private readonly def: FormDef,
    private readonly sev: SeverityOverrides,
  ) {}

  /** True when the row is a later duplicate (and makes sure it carries `duplicate-key`). */
  isDuplicate(st: ReadState, r: ParsedRow): boolean {
    const keyFields = this.def.key;
    let key = '';
    for (let i = 0; i < keyFields.length; i++) {
      const v = r.values[keyFields[i]];
      key += (i ? '\u0001' : '') + (v === null || v === undefined ? '' : String(v));
    }
    const first = this.seen.get(key);
    if (first === undefined) {
      this.seen.set(key, { st, row: r.row });
      return false;
    }
    const where = first.st === st ? String(first.row) : `${first.row}（${first.st.read.file}）`;
    if (!st.flagged.has(`duplicate-key@${r.row}`)) {
      st.flagged.add(`duplicate-key@${r.row}`);
      st.own.push(
        makeIssue(
          'duplicate-key',
          {
            form: st.read.form,
            sheet: st.read.sheet,
            row: r.row,
            column: st.read.columns[keyFields[0]] ?? null,
            field: keyFields.map((k) => fieldTitle(this.def, k)).join('+'),
            parcelId: str(r.values.parcelId),
            value: keyFields.map((k) => str(r.values[k]) ?? '').join(' / '),
            expected: where,
          },
          this.sev,
        ),
      );
    }
    return true;
  }
}

// ---------------------------------------------------------------------------------------------
// Parcels

interface RowRef {
  r: ParsedRow;
  st: ReadState;
}

interface IndRef extends RowRef {
  uscc: string;
  area: number;
  tax: number | null;
  taxSrc: 0 | 1 | 2; // 0 unknown, 1 bureau, 2 self-reported
  out: number | null;
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

const SURVEY_CATEGORY: Partial<Record<FormId, Category>> = { industrial: '工业', commercial: '商办', facility: '设施' };
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
  private readonly taxByUscc = new Map<string, number>();
  private readonly outputByUscc = new Map<string, number>();
  private readonly taxTable = new Map<string, number>();
  private readonly outputTable = new Map<string, number>();
  private readonly envByUscc = new Map<string, boolean>();
  private readonly registries = new Map<FormId, KeyRegistry>();
  private readonly thrCache = new Map<string, Thresholds>();
  private hasTaxInput = false;
  private hasOutputInput = false;

  constructor(
    reads: FormRead[],
    private readonly rs: RuleSet,
    private readonly opts: EngineOptions = {},
  ) {
    this.states = reads.map((r, i) => readState(r, i));
    this.raiser = new Raiser(rs.severities as SeverityOverrides);
    this.evalDate = rs.evaluationDate;
    this.evalYear = Number(rs.evaluationDate.slice(0, 4));
  }

  private registry(def: FormDef): KeyRegistry {
    let k = this.registries.get(def.id);
    if (!k) this.registries.set(def.id, (k = new KeyRegistry(def, this.rs.severities as SeverityOverrides)));
    return k;
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
          this.hasTaxInput = true;
          this.readYearly(st, 'taxTotal', this.taxByUscc);
          break;
        case 'output':
          this.hasOutputInput = true;
          this.readYearly(st, 'output', this.outputByUscc);
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
    const reg = this.registry(st.def);
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
      if (reg.isDuplicate(st, r)) continue;
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

  private readYearly(st: ReadState, valueKey: string, into: Map<string, number>): void {
    const rows = st.read.rows;
    const reg = this.registry(st.def);
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
      if (reg.isDuplicate(st, r)) continue;
      st.used[i] = 1;
      into.set(uscc, value);
    }
  }

  private readTable(st: ReadState, valueKey: string, into: Map<string, number>): void {
    const rows = st.read.rows;
    const reg = this.registry(st.def);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (r.hasError) continue;
      const cls = str(r.values.industryClass);
      const value = num(r.values[valueKey]);
      if (cls === null || value === null) continue;
      if (reg.isDuplicate(st, r)) continue;
      st.used[i] = 1;
      into.set(cls, value);
    }
  }

  private readEnvironment(st: ReadState): void {
    const rows = st.read.rows;
    const reg = this.registry(st.def);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (r.hasError) continue;
      const uscc = str(r.values.uscc);
      const ok = r.values.compliant;
      if (uscc === null || typeof ok !== 'boolean') continue;
      if (reg.isDuplicate(st, r)) continue;
      st.used[i] = 1;
      this.envByUscc.set(uscc, ok);
    }
  }

  // --- survey forms -------------------------------------------------------------------------

  private readSurvey(st: ReadState): void {
    const form = st.read.form;
    const rows = st.read.rows;
    const reg = this.registry(st.def);
    const needed = SURVEY_CATEGORY[form];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const id = str(r.values.parcelId);
      if (id === null) continue;
      const p = this.parcels.get(id);
      if (p === undefined) {
        this.raiser.raise(st, 'parcel-not-in-base', r.row, 'parcelId', {
          parcelId: id,
          value: id,
          detail: this.badBase.has(id) ? '（底图中该宗地的记录有错误，未采用）' : null,
        });
        continue;
      }
      if (r.hasError) continue;
      if (reg.isDuplicate(st, r)) continue;
      if (needed !== undefined && p.category !== needed) {
        this.raiser.raise(st, 'category-mismatch', r.row, 'parcelId', {
          parcelId: id,
          value: str(p.base.values.landUseCode),
          expected: needed,
          detail: `${p.category}类`,
        });
        continue;
      }
      st.used[i] = 1;
      if (form === 'industrial') {
        p.ind.push({
          r,
          st,
          uscc: str(r.values.uscc) ?? '',
          area: num(r.values.landArea) ?? 0,
          tax: null,
          taxSrc: 0,
          out: null,
          outSrc: 0,
        });
      } else if (form === 'commercial') p.com.push({ r, st });
      else if (form === 'facility') p.fac.push({ r, st });
      else p.hou.push({ r, st });
    }
  }

  /** §5, §8.6, §8.19: split the bureaus' totals over the enterprise's rows in use, by 用地面积. */
  private splitEnterprises(): void {
    const areaByUscc = new Map<string, number>();
    for (const p of this.parcelList) {
      for (const e of p.ind) areaByUscc.set(e.uscc, (areaByUscc.get(e.uscc) ?? 0) + e.area);
    }
    const tol = this.rs.thresholds.taxTolerance;
    for (const p of this.parcelList) {
      for (const e of p.ind) {
        const total = areaByUscc.get(e.uscc) ?? 0;
        const share = total > 0 ? e.area / total : 0;
        const selfTax = num(e.r.values.tax);
        const bureauTax = this.taxByUscc.get(e.uscc);
        if (bureauTax !== undefined) {
          e.tax = bureauTax * share;
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
        const bureauOut = this.outputByUscc.get(e.uscc);
        const selfOut = num(e.r.values.output);
        if (bureauOut !== undefined) {
          e.out = bureauOut * share;
          e.outSrc = 1;
        } else if (selfOut !== null) {
          e.out = selfOut;
          e.outSrc = 2;
        }
        if (this.opts.checksOnly) continue;
        // §8.19: once per industrial row per kind; the message names the USCC, the value the kind.
        if (bureauTax === undefined) {
          const is = this.raiser.raise(e.st, 'missing-reference', e.r.row, 'uscc', { parcelId: p.id, value: e.uscc, detail: '税务部门纳税' });
          is.value = 'tax';
        }
        if (bureauOut === undefined) {
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
    const tol = this.rs.thresholds.areaTolerance;
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
        let best: IndRef | null = null;
        for (const e of p.ind) {
          floor += num(e.r.values.floorArea) ?? 0;
          fp += num(e.r.values.footprint) ?? 0;
          land += e.area;
          if (e.tax === null) tax = null;
          else if (tax !== null) tax += e.tax;
          if (e.taxSrc === 1) tB = true;
          else if (e.taxSrc === 2) tS = true;
          if (e.out === null) out = null;
          else if (out !== null) out += e.out;
          if (e.outSrc === 1) oB = true;
          else if (e.outSrc === 2) oS = true;
          if (best === null || e.area > best.area) best = e;
        }
        p.floor = floor;
        p.footprint = fp;
        p.plotRatio = floor / p.landArea;
        p.coverage = (fp * 100) / p.landArea;
        p.tax = tax;
        p.output = out;
        p.taxSrc = tax === null ? null : sourceLabel(tB, tS, '税务');
        p.outSrc = out === null ? null : sourceLabel(oB, oS, '市场监管');
        p.main = best ? industryClassOf(best.r.values.industryCode) : null;
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

  private benchmark(
    kind: 'tax' | 'output',
    cls: string | null,
  ): { value: number | null; basis: BenchmarkBasis } {
    const table = kind === 'tax' ? this.taxTable : this.outputTable;
    const byClass = kind === 'tax' ? this.taxByClass : this.outByClass;
    const all = kind === 'tax' ? this.taxAll : this.outAll;
    if (cls !== null) {
      const t = table.get(cls);
      if (t !== undefined) return { value: t, basis: 'table' };
      const c = byClass.get(cls);
      if (c && c.n >= this.thresholds(cls).minDistrictParcels && c.mu > 0) return { value: c.sum / c.mu, basis: 'district-class' };
    }
    if (all.n > 0 && all.mu > 0) return { value: all.sum / all.mu, basis: 'district-all' };
    return { value: null, basis: 'none' };
  }

  private commercialBenchmark(): { value: number | null; basis: BenchmarkBasis } {
    const t = this.taxTable.get('商办');
    if (t !== undefined) return { value: t, basis: 'table' };
    if (this.comTax.n >= this.rs.thresholds.minDistrictParcels && this.comTax.mu > 0) {
      return { value: this.comTax.sum / this.comTax.mu, basis: 'district-commercial' };
    }
    return { value: null, basis: 'none' };
  }

  // --- determination ------------------------------------------------------------------------

  private determine(p: Parcel): ParcelDetail {
    const rs = this.rs;
    const cat = p.category;
    const t = this.thresholds(cat === '工业' ? p.main : null);
    const landMu = mu(p.landArea);
    const hits: RuleHit[] = [];
    const missing = new Set<MissingItem>();
    let taxBench: { value: number | null; basis: BenchmarkBasis } = { value: null, basis: 'none' };
    let outBench: { value: number | null; basis: BenchmarkBasis } = { value: null, basis: 'none' };
    const hasInd = p.ind.length > 0;
    let taxPerMu: number | null = null;
    let outputPerMu: number | null = null;
    if (cat === '工业' && hasInd) {
      taxBench = this.benchmark('tax', p.main);
      outBench = this.benchmark('output', p.main);
      taxPerMu = p.tax === null ? null : p.tax / landMu;
      outputPerMu = p.output === null ? null : p.output / landMu;
    } else if (cat === '商办' && p.com.length > 0) {
      taxBench = this.commercialBenchmark();
      taxPerMu = p.tax === null ? null : p.tax / landMu;
    }
    const idleCut = minusYears(this.evalDate, t.idleYears);
    const stopCut = minusYears(this.evalDate, t.stopYears);
    const v = p.base.values;

    for (const rule of rs.rules) {
      if (!rule.enabled) continue;
      const id = rule.id;
      const group = id.slice(0, 3);
      if (group === 'IND' && cat !== '工业') continue;
      if (group === 'COM' && cat !== '商办') continue;
      if (group === 'FAC' && cat !== '设施') continue;
      if (group === 'VAC' && cat !== '空闲地') continue;
      const hit = this.rule(id, p, t, { taxBench, outBench, taxPerMu, outputPerMu, idleCut, stopCut, missing });
      if (hit) hits.push(hit);
    }

    let result: ResultLabel;
    if (hits.length > 0) result = '低效';
    else if (missing.size > 0) result = '待核实';
    else if (cat === '其他' && p.hou.length === 0) result = '不参评';
    else result = '非低效';

    const mode = result === '低效' ? this.mode(p, hits) : null;
    const missingList = result === '待核实' ? MISSING_ORDER.filter((m) => missing.has(m)) : [];

    return {
      parcelId: p.id,
      street: str(v.street) ?? '',
      category: cat,
      result,
      hits: hits.map((h) => h.rule),
      missing: missingList,
      mode,
      landArea: p.landArea,
      plotRatio: cat === '工业' ? p.plotRatio : null,
      coverage: cat === '工业' ? p.coverage : null,
      taxPerMu,
      outputPerMu,
      location: str(v.location) ?? '',
      landUseCode: str(v.landUseCode) ?? '',
      owner: str(v.owner) ?? '',
      plannedUse: str(v.plannedUse),
      landAreaMu: landMu,
      floorArea: p.floor,
      footprint: p.footprint,
      tax: p.tax,
      taxSource: p.taxSrc,
      output: p.output,
      outputSource: p.outSrc,
      mainIndustry: p.main,
      taxBenchmark: taxBench.value,
      taxBenchmarkBasis: taxBench.basis,
      outputBenchmark: outBench.value,
      outputBenchmarkBasis: outBench.basis,
      vacancyRate: p.vacancyRate,
      hitDetails: hits,
      units: this.units(p),
      problems: this.problems(p),
      historicPeriod: p.historic,
      landProcedures: str(v.landProcedures),
      occurrenceDate: str(v.occurrenceDate),
    };
  }

  private rule(
    id: RuleId,
    p: Parcel,
    t: Thresholds,
    c: {
      taxBench: { value: number | null };
      outBench: { value: number | null };
      taxPerMu: number | null;
      outputPerMu: number | null;
      idleCut: string;
      stopCut: string;
      missing: Set<MissingItem>;
    },
  ): RuleHit | null {
    const hit = (figure: RuleHit['figure'], threshold: RuleHit['threshold'], reason: string): RuleHit => ({ rule: id, figure, threshold, reason });
    const needInd = (): boolean => {
      if (p.ind.length > 0) return true;
      c.missing.add('survey');
      return false;
    };
    switch (id) {
      case 'IND-PLOT': {
        if (!needInd() || p.plotRatio === null) return null;
        return p.plotRatio < t.plotRatio ? hit(p.plotRatio, t.plotRatio, `容积率${f2(p.plotRatio)}低于标准${f2(t.plotRatio)}`) : null;
      }
      case 'IND-COVER': {
        if (!needInd() || p.coverage === null) return null;
        return p.coverage < t.coverage ? hit(p.coverage, t.coverage, `建筑密度${f2(p.coverage)}%低于标准${f2(t.coverage)}%`) : null;
      }
      case 'IND-TAX':
        if (!needInd()) return null;
        return this.perMuRule(hit, c.taxPerMu, c.taxBench.value, t.taxShare, 'tax', 'taxBenchmark', '亩均税收', '行业基准', c.missing);
      case 'IND-OUTPUT':
        if (!needInd()) return null;
        return this.perMuRule(hit, c.outputPerMu, c.outBench.value, t.outputShare, 'output', 'outputBenchmark', '亩均产值', '行业基准', c.missing);
      case 'IND-STOP': {
        if (!needInd()) return null;
        for (const e of p.ind) {
          const s = e.r.values.status;
          const d = str(e.r.values.stopDate);
          if ((s === '停产' || s === '半停产') && d !== null && d <= c.stopCut) {
            return hit(d, c.stopCut, `${this.name(e)}自${d}起${s}，已满${t.stopYears}年`);
          }
        }
        return null;
      }
      case 'IND-IDLE': {
        for (const e of p.ind) {
          const d = str(e.r.values.stopDate);
          if (e.r.values.status === '闲置' && d !== null && d <= c.idleCut) {
            return hit(d, c.idleCut, `${this.name(e)}自${d}起闲置，已满${t.idleYears}年`);
          }
        }
        const agreed = str(p.base.values.agreedStartDate);
        if (agreed !== null && agreed <= c.idleCut && (p.floor ?? 0) === 0) {
          return hit(agreed, c.idleCut, `约定动工日期${agreed}已超过${t.idleYears}年，总建筑面积为0，未动工`);
        }
        needInd();
        return null;
      }
      case 'IND-OBSOLETE': {
        if (!needInd()) return null;
        for (const e of p.ind) if (e.r.values.obsolete === true) return hit('是', null, `${this.name(e)}属于产业结构调整指导目录淘汰类`);
        return null;
      }
      case 'IND-ENV': {
        if (!needInd()) return null;
        for (const e of p.ind) if (this.envByUscc.get(e.uscc) === false) return hit('否', null, `${this.name(e)}不符合环保要求`);
        return null;
      }
      case 'IND-REZONED': {
        if (!needInd()) return null;
        const planned = str(p.base.values.plannedUse);
        if (planned === null || planned === '工业' || planned === '物流仓储') return null;
        for (const e of p.ind) {
          const s = str(e.r.values.status);
          if (s !== null && s !== '闲置') return hit(planned, '工业/物流仓储', `规划用途已调整为${planned}，${this.name(e)}仍在经营（${s}）`);
        }
        return null;
      }
      case 'COM-VACANT': {
        if (!this.needRows(p.com, c.missing) || p.vacancyRate === null) return null;
        return p.vacancyRate >= t.vacancyRate ? hit(p.vacancyRate, t.vacancyRate, `空置率${f2(p.vacancyRate)}%不低于标准${f2(t.vacancyRate)}%`) : null;
      }
      case 'COM-TAX':
        if (!this.needRows(p.com, c.missing)) return null;
        return this.perMuRule(hit, c.taxPerMu, c.taxBench.value, t.commercialTaxShare, 'tax', 'taxBenchmark', '亩均税收', '商办基准', c.missing);
      case 'COM-STALLED': {
        if (!this.needRows(p.com, c.missing)) return null;
        for (const b of p.com) if (b.r.values.stalled === true) return hit('是', null, `${str(b.r.values.buildingName) ?? ''}为烂尾楼宇`);
        return null;
      }
      case 'COM-UNSAFE': {
        if (!this.needRows(p.com, c.missing)) return null;
        for (const b of p.com) {
          const g = b.r.values.dangerGrade;
          if (g === 'C' || g === 'D') return hit(g, 'C/D', `${str(b.r.values.buildingName) ?? ''}为${g}级危房`);
        }
        return null;
      }
      case 'FAC-IDLE': {
        if (!this.needRows(p.fac, c.missing)) return null;
        for (const f of p.fac) {
          const d = str(f.r.values.idleDate);
          if (f.r.values.useStatus === '闲置' && d !== null && d <= c.idleCut) {
            return hit(d, c.idleCut, `${str(f.r.values.facilityName) ?? ''}自${d}起闲置，已满${t.idleYears}年`);
          }
        }
        return null;
      }
      case 'FAC-UNDERUSED': {
        if (!this.needRows(p.fac, c.missing)) return null;
        for (const f of p.fac) if (f.r.values.useStatus === '低效使用') return hit('低效使用', null, `${str(f.r.values.facilityName) ?? ''}低效使用`);
        return null;
      }
      case 'RES-OLD': {
        for (const h of p.hou) {
          const y = num(h.r.values.builtYear);
          if (h.r.values.housingType === '老旧小区' && y !== null && y <= t.oldHousingYear && h.r.values.amenities === '不全') {
            return hit(y, t.oldHousingYear, `${str(h.r.values.projectName) ?? ''}为${y}年建成的老旧小区（不晚于${t.oldHousingYear}年），配套设施不全`);
          }
        }
        return null;
      }
      case 'RES-VILLAGE': {
        for (const h of p.hou) {
          const ty = h.r.values.housingType;
          if (ty === '城中村' || ty === '棚户区') return hit(ty, null, `${str(h.r.values.projectName) ?? ''}为${ty}`);
        }
        return null;
      }
      case 'RES-STALLED': {
        for (const h of p.hou) if (h.r.values.housingType === '烂尾楼') return hit('烂尾楼', null, `${str(h.r.values.projectName) ?? ''}为烂尾楼`);
        return null;
      }
      case 'VAC-LAND':
        return hit(str(p.base.values.landUseCode), null, '地类为空闲地');
      default:
        return null;
    }
  }

  private needRows(rows: RowRef[], missing: Set<MissingItem>): boolean {
    if (rows.length > 0) return true;
    missing.add('survey');
    return false;
  }

  private perMuRule(
    hit: (f: RuleHit['figure'], th: RuleHit['threshold'], reason: string) => RuleHit,
    perMu: number | null,
    bench: number | null,
    share: number,
    missFigure: MissingItem,
    missBench: MissingItem,
    label: string,
    benchLabel: string,
    missing: Set<MissingItem>,
  ): RuleHit | null {
    if (perMu === null) missing.add(missFigure);
    if (bench === null) missing.add(missBench);
    if (perMu === null || bench === null) return null;
    const threshold = share * bench;
    if (perMu < threshold) {
      return hit(perMu, threshold, `${label}${f2(perMu)}万元/亩低于${benchLabel}${f2(bench)}万元/亩的${pct(share)}（${f2(threshold)}万元/亩）`);
    }
    return null;
  }

  private name(e: RowRef): string {
    return str(e.r.values.enterpriseName) ?? str(e.r.values.uscc) ?? '';
  }

  /** §5 suggested mode, first match; §8.11. */
  private mode(p: Parcel, hits: RuleHit[]): Mode {
    const has = (...ids: RuleId[]): boolean => hits.some((h) => ids.includes(h.rule));
    if (has('IND-ENV', 'IND-OBSOLETE')) return '综合施策';
    if (has('IND-REZONED', 'COM-STALLED', 'RES-VILLAGE', 'RES-STALLED')) return '收储出让';
    if (p.ind.some((e) => e.r.values.willingness === '收储') || p.com.some((c) => c.r.values.willingness === '收储')) return '收储出让';
    if (has('IND-STOP')) return '整合重组';
    if (has('IND-IDLE', 'FAC-IDLE', 'VAC-LAND', 'COM-VACANT')) return '因地招商';
    return '技改升级';
  }

  private units(p: Parcel): ParcelDetail['units'] {
    const out: ParcelDetail['units'] = [];
    const n = (x: unknown): string => {
      const v = num(x);
      return v === null ? '—' : f2(v);
    };
    const src = (s: 0 | 1 | 2): string => (s === 1 ? '部门数据' : s === 2 ? '自报' : '');
    for (const e of p.ind) {
      const v = e.r.values;
      out.push({
        form: 'industrial',
        name: this.name(e),
        detail:
          `统一社会信用代码${e.uscc}；行业代码${str(v.industryCode) ?? '—'}；用地面积${n(v.landArea)}㎡；总建筑面积${n(v.floorArea)}㎡；` +
          `经营状态${str(v.status) ?? '—'}；税收${e.tax === null ? '未知' : `${f2(e.tax)}万元（${src(e.taxSrc)}）`}；` +
          `产值${e.out === null ? '未知' : `${f2(e.out)}万元（${src(e.outSrc)}）`}`,
      });
    }
    for (const c of p.com) {
      const v = c.r.values;
      out.push({
        form: 'commercial',
        name: str(v.buildingName) ?? '',
        detail: `总建筑面积${n(v.floorArea)}㎡；空置面积${n(v.vacantArea)}㎡；年税收${n(v.tax)}万元；是否烂尾${v.stalled === true ? '是' : v.stalled === false ? '否' : '—'}；危房等级${str(v.dangerGrade) ?? '—'}`,
      });
    }
    for (const c of p.fac) {
      const v = c.r.values;
      out.push({
        form: 'facility',
        name: str(v.facilityName) ?? '',
        detail: `${str(v.facilityType) ?? '—'}；管理单位${str(v.manager) ?? '—'}；使用状态${str(v.useStatus) ?? '—'}${str(v.idleDate) ? `（自${str(v.idleDate)}起）` : ''}`,
      });
    }
    for (const c of p.hou) {
      const v = c.r.values;
      out.push({
        form: 'housing',
        name: str(v.projectName) ?? '',
        detail: `${str(v.housingType) ?? '—'}；建成年份${str(v.builtYear) ?? '—'}；配套设施${str(v.amenities) ?? '—'}；建设手续${str(v.buildProcedures) ?? '—'}`,
      });
    }
    return out;
  }

  private problems(p: Parcel): ParcelDetail['problems'] {
    const out: ParcelDetail['problems'] = [];
    const add = (ref: RowRef, unit: string): void => {
      const type = str(ref.r.values.problemType);
      const description = str(ref.r.values.problemDesc);
      if (description === null && (type === null || type === '无')) return;
      out.push({ form: ref.st.read.form, sheet: ref.st.read.sheet, row: ref.r.row, unit, type, description });
    };
    for (const e of p.ind) add(e, this.name(e));
    for (const c of p.com) add(c, str(c.r.values.buildingName) ?? '');
    for (const c of p.fac) add(c, str(c.r.values.facilityName) ?? '');
    for (const c of p.hou) add(c, str(c.r.values.projectName) ?? '');
    return out;
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
      inputs.push({ file: st.read.file, form: st.read.form, rows: rowsIn, issueRows: rowsIn - used });
      conservation.push({ file: st.read.file, form: st.read.form, sheet: st.read.sheet, rowsIn, rowsUsed: used, rowsIssueOnly: rowsIn - used });
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
