/**
 * The checks that need one form alone and look at more than one cell of a row (domain.md §4, §6,
 * §8.16, §8.17), plus duplicate keys. Cell-level checks (type, range, enum, codes) happen while
 * parsing (shared/read/parse.ts); the reader calls these per row after parsing it.
 */
import type { FormDef, FormId } from '../forms/types';
import type { IssueCode } from '../issues/catalogue';
import type { RuleSet } from '../rules/schema';
import * as format from '../format';
import type { FieldValue } from '../types';

/** What a row check can see and say; implemented by the reader for the row being read. */
export interface RowScope {
  readonly values: Record<string, FieldValue>;
  /** True when the field's cell was blank (not merely unusable). */
  wasBlank(key: string): boolean;
  /** Raise an issue on the cell of `key` (or on the row when key is null). */
  emit(code: IssueCode, key: string | null, value: unknown, expected?: string | number | null, detail?: string | null): void;
}

/** Dates that must not lie after the evaluation date (§8.17); a future 约定动工日期 is normal. */
export const DATES_NOT_AFTER_EVALUATION: Partial<Record<FormId, readonly string[]>> = {
  industrial: ['stopDate'],
  facility: ['idleDate'],
  base: ['occurrenceDate'],
};

/** 用地手续 values that need a 用地发生时间 (§6). */
export const INCOMPLETE_PROCEDURES: readonly string[] = ['不全', '无'];

/** Forms whose rows hold one year's figures; rows of another year are kept but not used (§8.6). */
export const YEARLY_FORMS: readonly FormId[] = ['tax', 'output'];

const fmt = format.compact2;

export interface CheckContext {
  form: FormDef;
  ruleSet: RuleSet;
  evaluationDate: string;
  evaluationYear: number;
}

/** The issue codes checkRow raises. */
export const ROW_CHECK_RAISES = ['footprint-exceeds-land', 'inconsistent-plot-ratio', 'vacancy-exceeds-floor-area', 'missing-occurrence-date', 'date-after-evaluation'] as const satisfies readonly IssueCode[];

/** Checks across the cells of one row. */
export function checkRow(ctx: CheckContext, s: RowScope): void {
  const v = s.values;
  switch (ctx.form.id) {
    case 'industrial': {
      const land = v.landArea as number | null;
      const foot = v.footprint as number | null;
      const floor = v.floorArea as number | null;
      const given = v.plotRatio as number | null;
      if (land !== null && foot !== null && foot > land) s.emit('footprint-exceeds-land', 'footprint', fmt(foot), fmt(land));
      if (given !== null && land !== null && land > 0 && floor !== null) {
        const computed = floor / land;
        const tol = ctx.ruleSet.thresholds.plotRatioTolerance;
        if (Math.abs(given - computed) > tol * computed + 1e-12) {
          s.emit('inconsistent-plot-ratio', 'plotRatio', given, fmt(computed), `${fmt(tol * 100)}%`);
        }
      }
      break;
    }
    case 'commercial': {
      const vacant = v.vacantArea as number | null;
      const floor = v.floorArea as number | null;
      if (vacant !== null && floor !== null && vacant > floor) s.emit('vacancy-exceeds-floor-area', 'vacantArea', fmt(vacant), fmt(floor));
      break;
    }
    case 'base': {
      const proc = v.landProcedures as string | null;
      if (proc !== null && INCOMPLETE_PROCEDURES.includes(proc) && v.occurrenceDate === null && s.wasBlank('occurrenceDate')) {
        s.emit('missing-occurrence-date', 'occurrenceDate', proc);
      }
      break;
    }
  }
  const dates = DATES_NOT_AFTER_EVALUATION[ctx.form.id];
  if (dates) {
    for (const key of dates) {
      const d = v[key];
      if (typeof d === 'string' && d > ctx.evaluationDate) s.emit('date-after-evaluation', key, d, ctx.evaluationDate);
    }
  }
}

/** The issue codes unusedReason raises. */
export const UNUSED_RAISES = ['other-year'] as const satisfies readonly IssueCode[];

/**
 * Why a row without errors is still not used, raising the matching issue; null when it is used.
 * Today: tax and output rows of another year than the evaluation year (`other-year`, info).
 */
export function unusedReason(ctx: CheckContext, s: RowScope): IssueCode | null {
  if (YEARLY_FORMS.includes(ctx.form.id)) {
    const y = s.values.year;
    if (typeof y === 'number' && y !== ctx.evaluationYear) {
      s.emit('other-year', 'year', y, ctx.evaluationYear);
      return 'other-year';
    }
  }
  return null;
}

/**
 * Duplicate keys (§8.16): the first row with a key wins; later rows with it are errors.
 * Rows are looked up by the first key part; rows sharing it (several enterprises on one parcel)
 * are chained and compared on the other parts. No key string is built unless a duplicate is found.
 */
export class DuplicateKeys {
  private readonly byFirst = new Map<FieldValue, number>();
  private readonly rowOf: number[] = [];
  private readonly restOf: FieldValue[] = [];
  private readonly next: number[] = [];
  private readonly keys: readonly string[];
  /** One-part key: the Map holds the first row of each key itself, no chains. */
  private readonly single: boolean;
  /** The first key part last looked up and its chain head: rows of one parcel usually come together. */
  private lastFirst: FieldValue = null;
  private lastHead = -1;
  constructor(form: FormDef) {
    this.keys = form.key;
    this.single = form.key.length === 1;
  }

  /** Key text of a row (parts joined by ' / '), or null when a key part is missing. */
  keyText(values: Record<string, FieldValue>): string | null {
    let out = '';
    for (let i = 0; i < this.keys.length; i++) {
      const a = values[this.keys[i]];
      if (a === null) return null;
      out = i === 0 ? String(a) : out + ' / ' + String(a);
    }
    return out;
  }

  /** The key parts after the first: the value itself for two-part keys, '' for one-part keys. */
  private rest(values: Record<string, FieldValue>): FieldValue {
    const k = this.keys;
    if (k.length === 1) return '';
    if (k.length === 2) return values[k[1]];
    let out = '';
    for (let i = 1; i < k.length; i++) {
      const b = values[k[i]];
      if (b === null) return null;
      out = i === 1 ? String(b) : out + ' / ' + String(b);
    }
    return out;
  }

  /** Records the row; returns the row number of the earlier row with the same key, or null. */
  check(values: Record<string, FieldValue>, row: number): { firstRow: number; key: string } | null {
    return this.checkParts(values[this.keys[0]], this.rest(values), row, values);
  }

  /**
   * check() with the key parts at hand: `first` the first part, `rest` the others as the private
   * rest() gives them (the value itself for two-part keys, '' for one-part keys).
   */
  checkParts(first: FieldValue, rest: FieldValue, row: number, values: Record<string, FieldValue>): { firstRow: number; key: string } | null {
    if (first === null || rest === null) return null;
    if (this.single) {
      const firstRow = this.byFirst.get(first);
      if (firstRow !== undefined) return { firstRow, key: this.keyText(values)! };
      this.byFirst.set(first, row);
      return null;
    }
    const seq = this.rowOf.length;
    let head: number | undefined;
    if (first === this.lastFirst) head = this.lastHead;
    else {
      head = this.byFirst.get(first);
      if (head === undefined) this.byFirst.set(first, seq);
      this.lastFirst = first;
      this.lastHead = head === undefined ? seq : head;
    }
    if (head !== undefined) {
      let s = head;
      let last = head;
      while (s >= 0) {
        if (this.restOf[s] === rest) return { firstRow: this.rowOf[s], key: this.keyText(values)! };
        last = s;
        s = this.next[s];
      }
      this.next[last] = seq;
    }
    this.rowOf.push(row);
    this.restOf.push(rest);
    this.next.push(-1);
    return null;
  }
}
