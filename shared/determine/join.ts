/**
 * Join pass (domain.md §8.1, §8.6, §8.7, §8.16): base rows become parcels (by 宗地代码), the
 * reference forms become tables by USCC / 大类, survey rows join their parcel (the enterprise of
 * an industrial row is found or made here). Rows with errors are dropped, not parcels; a later row
 * with the key of an earlier one is a duplicate.
 */
import type { IssueCode } from '../issues/catalogue';
import type { FormId } from '../forms/types';
import type { Category, FieldValue, ParsedRow } from '../types';
import type { IndRef, Located, Parcel, ReadState, RowRef, RunState } from './state';
import * as util from './util';

// Per-row paths: imported functions copied into module constants once (transpiled to CommonJS, each use
// of an imported name is a getter call on the other module's exports).
const { categoryOf, num, str } = util;

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

/** The issue codes the join pass raises (shared/checks/declared.ts lists them per check). */
export const JOIN_RAISES = ['parcel-not-in-base', 'category-mismatch', 'duplicate-key', 'other-year'] as const satisfies readonly IssueCode[];

/** Every input in the order given: base first, then the reference forms, then the survey forms. */
export function joinInputs(s: RunState): void {
  for (const st of s.states) if (st.read.form === 'base') readBase(s, st);
  for (const st of s.states) {
    switch (st.read.form) {
      case 'tax':
        readYearly(s, st, 'taxTotal', true);
        break;
      case 'output':
        readYearly(s, st, 'output', false);
        break;
      case 'taxBenchmark':
        readTable(s, st, 'taxPerMu', s.taxTable);
        break;
      case 'outputBenchmark':
        readTable(s, st, 'outputPerMu', s.outputTable);
        break;
      case 'environment':
        readEnvironment(s, st);
        break;
      default:
        break;
    }
  }
  for (const st of s.states) {
    const f = st.read.form;
    if (f === 'industrial' || f === 'commercial' || f === 'facility' || f === 'housing') readSurvey(s, st);
  }
}

function readBase(s: RunState, st: ReadState): void {
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
      if (id !== null) s.badBase.add(id);
      continue;
    }
    const prev = s.parcels.get(id);
    if (prev !== undefined) {
      s.raiser.duplicate(st, r, { st: prev.baseSt, row: prev.base.row });
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
    s.parcels.set(id, p);
    s.parcelList.push(p);
  }
}

/** The tax bureau's or the market regulator's yearly table (§8.6: the evaluation year only). */
function readYearly(s: RunState, st: ReadState, valueKey: string, isTax: boolean): void {
  const byUscc = s.byUscc;
  const rows = st.read.rows;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.hasError) continue;
    const year = num(r.values.year);
    if (year !== s.evalYear) {
      // the reader normally flags them already
      if (year !== null) s.raiser.ensure(st, 'other-year', r.row, 'year', { value: year, expected: s.evalYear });
      continue;
    }
    const uscc = str(r.values.uscc);
    const value = num(r.values[valueKey]);
    if (uscc === null || value === null) continue;
    const entry = byUscc.get(uscc);
    const prev = entry === undefined ? undefined : isTax ? entry.tax : entry.output;
    if (prev !== undefined) {
      s.raiser.duplicate(st, r, prev);
      continue;
    }
    st.used[i] = 1;
    const loc: Located<number> = { v: value, st, row: r.row };
    if (entry === undefined) byUscc.set(uscc, isTax ? { tax: loc, output: undefined, ent: undefined } : { tax: undefined, output: loc, ent: undefined });
    else if (isTax) entry.tax = loc;
    else entry.output = loc;
  }
}

/** A benchmark table by 大类. */
function readTable(s: RunState, st: ReadState, valueKey: string, into: Map<string, Located<number>>): void {
  const rows = st.read.rows;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.hasError) continue;
    const cls = str(r.values.industryClass);
    const value = num(r.values[valueKey]);
    if (cls === null || value === null) continue;
    const prev = into.get(cls);
    if (prev !== undefined) {
      s.raiser.duplicate(st, r, prev);
      continue;
    }
    st.used[i] = 1;
    into.set(cls, { v: value, st, row: r.row });
  }
}

function readEnvironment(s: RunState, st: ReadState): void {
  const rows = st.read.rows;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.hasError) continue;
    const uscc = str(r.values.uscc);
    const ok = r.values.compliant;
    if (uscc === null || typeof ok !== 'boolean') continue;
    const prev = s.envByUscc.get(uscc);
    if (prev !== undefined) {
      s.raiser.duplicate(st, r, prev);
      continue;
    }
    st.used[i] = 1;
    s.envByUscc.set(uscc, { v: ok, st, row: r.row });
  }
}

function readSurvey(s: RunState, st: ReadState): void {
  const form = st.read.form;
  const rows = st.read.rows;
  const needed = SURVEY_CATEGORY[form];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const id = str(r.values.parcelId);
    if (id === null) continue;
    const p = s.parcels.get(id);
    if (p === undefined) {
      // a foreign parcel is already an error of the reader; the district's base cannot hold it
      if (r.hasError && st.flagged.has(`foreign-parcel@${r.row}`)) continue;
      s.raiser.raise(st, 'parcel-not-in-base', r.row, 'parcelId', {
        parcelId: id,
        value: id,
        detail: s.badBase.has(id) ? '（底图中该宗地的记录有错误，未采用）' : null,
      });
      continue;
    }
    if (r.hasError) continue;
    if (needed !== undefined && p.category !== needed) {
      s.raiser.raise(st, 'category-mismatch', r.row, 'parcelId', {
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
      s.raiser.duplicate(st, r, { st: dup.st, row: dup.r.row });
      continue;
    }
    st.used[i] = 1;
    if (form === 'industrial') p.ind.push(industrialRef(s, r, st));
    else list.push({ r, st });
  }
}

/** An industrial row in use, with its enterprise (found by USCC, or made with the bureaus' totals). */
function industrialRef(s: RunState, r: ParsedRow, st: ReadState): IndRef {
  const code = str(r.values.uscc) ?? '';
  const area = num(r.values.landArea) ?? 0;
  const entry = s.byUscc.get(code);
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
    if (entry === undefined) s.byUscc.set(code, { tax: undefined, output: undefined, ent });
    else entry.ent = ent;
  }
  ent.area += area;
  // NaN until known (double-typed fields from the start, as above)
  const ref: IndRef = { r, st, uscc: code, ent, area: NaN, tax: NaN, taxSrc: 0, out: NaN, outSrc: 0 };
  ref.area = area;
  return ref;
}
