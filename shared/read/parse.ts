/**
 * Per-column cell parsers. A column is compiled once into a `ColumnSpec` (type code, unit table,
 * bounds, enum lookups); `parseCell` then runs a switch on the type code per cell and writes into
 * a reused scratch object (no closure, no allocation, no try/catch per cell in the common case).
 */
import * as codes from '../codes';
import { SEVERAL_JOINER, SEVERAL_SEPARATORS, type FieldDef, type Unit } from '../forms/types';
import * as grid from '../grid';
import type { CellValue } from '../grid';
import type { IssueCode } from '../issues/catalogue';
import * as format from '../format';
import type { FieldValue } from '../types';
import * as text from './text';

// Imported functions copied into module constants once: transpiled to CommonJS (tsx, jest), each
// use of an imported name is a getter call on the other module's exports, which on the per-cell
// and per-character paths here costs more than the work itself.
const { industryCodeProblem, isValidIndustryClass, isValidParcelId, parcelCounty, usccProblem, usccProblemText } = codes;
const { isCellError, isDate } = grid;
const { compactUpper, halfWidthCode, isBlankString, isSpaceCode, normHeader, trimAll } = text;

export const K_TEXT = 0;
export const K_NUMBER = 1;
export const K_INTEGER = 2;
export const K_DATE = 3;
export const K_YEAR = 4;
export const K_BOOL = 5;
export const K_ENUM = 6;
export const K_PARCEL = 7;
export const K_USCC = 8;
export const K_INDUSTRY = 9;
export const K_CLASS = 10;

const KIND: Record<FieldDef['type'], number> = {
  text: K_TEXT, number: K_NUMBER, integer: K_INTEGER, date: K_DATE, year: K_YEAR, bool: K_BOOL,
  enum: K_ENUM, parcelId: K_PARCEL, uscc: K_USCC, industryCode: K_INDUSTRY, industryClass: K_CLASS,
};

/** Outcome of parsing one cell. */
export const S_OK = 0;
export const S_BLANK = 1;
/** Understood after a conversion: `info` normalized-value with `expected` saying how it was read. */
export const S_NORMALIZED = 2;
/** Not understood (or invalid): error `code` on the cell; `value` is null unless the code keeps it. */
export const S_ERROR = 3;
/**
 * A placeholder for "nothing" (`/`, `-`, `—`, `无`, `N/A` …) in a field that is not text: read as
 * blank, with an info saying so (or missing-value when the field is required).
 */
export const S_PLACEHOLDER = 4;

export interface ParseOut {
  value: FieldValue;
  status: number;
  code: IssueCode | null;
  expected: string;
  detail: string;
  /** Scratch of one parse (the reader reuses one ParseOut per sheet, so no module state is shared between reads). */
  scratch: ParseScratch;
}

/** What the number, date and code scanners leave for their caller. */
export interface ParseScratch {
  /** scanNumeric: the number, the unit text after it, whether the text was not a plain number. */
  scanNumber: number;
  scanUnit: string;
  scanChanged: boolean;
  /** parseDateText: the text was not already `YYYY-MM-DD`. */
  dateChanged: boolean;
  /** codeText: the code was written differently (a number, spaces, lower case, full width). */
  codeChanged: boolean;
  /** parseDateText's digit groups and their lengths. */
  groups: number[];
  groupLens: number[];
}

export function newParseScratch(): ParseScratch {
  return { scanNumber: NaN, scanUnit: '', scanChanged: false, dateChanged: false, codeChanged: false, groups: [0, 0, 0], groupLens: [0, 0, 0] };
}

/** Excel error values that arrive as text (CSV exports, Office.js values, copied values). */
const ERROR_LITERALS = new Set(['#N/A', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#NULL!', '#SPILL!', '#CALC!', '#GETTING_DATA']);

export function newParseOut(): ParseOut {
  return { value: null, status: S_OK, code: null, expected: '', detail: '', scratch: newParseScratch() };
}

/** Unit words a cell may carry (normalised with normHeader), as factors to the field's unit. */
const UNIT_TABLES: Record<Unit | 'none', Record<string, number>> = {
  m2: { '': 1, '㎡': 1, '平方': 1, '亩': 10000 / 15, '公顷': 10000, 'ha': 10000, 'h㎡': 10000, '万㎡': 10000, '万': 10000 },
  wan: { '': 1, '万元': 1, '万': 1, '元': 1e-4, '千元': 0.1, '亿元': 1e4, '亿': 1e4 },
  percent: { '': 1, '%': 1 },
  ratio: { '': 1, '%': 0.01 },
  wanPerMu: { '': 1, '万元/亩': 1, '万/亩': 1 },
  count: { '': 1, '人': 1, '家': 1, '个': 1, '户': 1, '名': 1 },
  none: { '': 1 },
};

/**
 * `x` in the field's unit. A factor below 1 is a whole divisor (元 → 万元 is ÷ 10000, % → ratio
 * ÷ 100): dividing gives the correctly rounded value (19995800 元 is 1999.58 万元, where
 * × 0.0001 gives 1999.5800000000002).
 */
export function scaleBy(x: number, factor: number): number {
  return factor < 1 ? x / Math.round(1 / factor) : x * factor;
}

export const UNIT_LABEL: Record<Unit | 'none', string> = {
  m2: '㎡', wan: '万元', percent: '%', ratio: '', wanPerMu: '万元/亩', count: '', none: '',
};

/** Factor of a unit word for a field unit, or undefined when that unit does not fit the field. */
export function unitFactor(unit: Unit | undefined, word: string): number | undefined {
  return UNIT_TABLES[unit ?? 'none'][word];
}

export interface ColumnSpec {
  key: string;
  field: FieldDef;
  kind: number;
  /** Index into a grid row, -1 when the column is not in the sheet. */
  col: number;
  letter: string | null;
  /** Header text as found (for messages), null when missing. */
  header: string | null;
  units: Record<string, number>;
  unitLabel: string;
  /** Scale applied to plain numbers because the header names another unit (`用地面积(亩)`). */
  scale: number;
  min: number;
  minExclusive: boolean;
  max: number;
  rangeText: string;
  enumExact: Set<string> | null;
  enumNorm: Map<string, string> | null;
  /** Every enum value is made of digits (地类编码): a number cell may have lost leading zeros. */
  enumDigitLengths: number[] | null;
  enumText: string;
  countyCode: string;
  /** Plain serial numbers in this (date) column count in the 1904 date system (domain.md §9.8). */
  date1904: boolean;
}

export function compileColumn(field: FieldDef, col: number, letter: string | null, header: string | null, scale: number, evalYear: number, countyCode: string, date1904 = false): ColumnSpec {
  const kind = KIND[field.type];
  const min = field.min ?? -Infinity;
  const max = field.maxIsEvaluationYear ? evalYear : field.max ?? Infinity;
  let rangeText = '';
  if (min > -Infinity && max < Infinity) rangeText = `${min}–${max}`;
  else if (min > -Infinity) rangeText = field.minExclusive ? `须大于${min}` : `不小于${min}`;
  else if (max < Infinity) rangeText = `不大于${max}`;
  let enumExact: Set<string> | null = null;
  let enumNorm: Map<string, string> | null = null;
  let enumDigitLengths: number[] | null = null;
  if (field.enum) {
    enumExact = new Set(field.enum);
    enumNorm = new Map(field.enum.map((v) => [compactUpper(v), v]));
    for (const [variant, value] of Object.entries(field.enumVariants ?? {})) if (!enumNorm.has(compactUpper(variant))) enumNorm.set(compactUpper(variant), value);
    if (field.enum.every((v) => /^\d+$/.test(v.replace(/[A-Z]/g, '')) && /^\d/.test(v))) {
      enumDigitLengths = [...new Set(field.enum.map((v) => v.length))];
    }
  }
  return {
    key: field.key, field, kind, col, letter, header,
    units: UNIT_TABLES[field.unit ?? 'none'],
    unitLabel: UNIT_LABEL[field.unit ?? 'none'],
    scale,
    min, minExclusive: !!field.minExclusive, max, rangeText,
    enumExact, enumNorm, enumDigitLengths,
    enumText: field.enum ? field.enum.join('/') : '',
    countyCode,
    date1904,
  };
}

/** Compact number text for messages: at most 2 decimals, no trailing zeros (shared/format.ts). */
export const fmtNum = format.compact2;

function typeError(out: ParseOut, expected: string): number {
  out.value = null;
  out.code = 'type-error';
  out.expected = expected;
  out.detail = '';
  return (out.status = S_ERROR);
}

function fail(out: ParseOut, code: IssueCode, expected: string, detail: string): number {
  out.value = null;
  out.code = code;
  out.expected = expected;
  out.detail = detail;
  return (out.status = S_ERROR);
}

function ok(out: ParseOut, v: FieldValue): number {
  out.value = v;
  return (out.status = S_OK);
}

function normalized(out: ParseOut, v: FieldValue, how: string): number {
  out.value = v;
  out.expected = how;
  return (out.status = S_NORMALIZED);
}

/** Text of a number that never loses digits to exponent notation or gains `.0`. */
export function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) >= 1e21) return BigInt(n).toString();
  return String(n);
}

// ---------------------------------------------------------------- numbers

/** Scratch of the numeric text scanner. */
/** Reads `１,２３４．５ 亩` into sc.scanNumber/scanUnit/scanChanged; false when there is no number. */
function scanNumeric(s: string, sc: ParseScratch): boolean {
  const n = s.length;
  let i = 0;
  while (i < n && isSpaceCode(s.charCodeAt(i))) i++;
  let buf = '';
  let digits = 0;
  let changed = false;
  let pendingSpace = false;
  for (; i < n; i++) {
    const raw = s.charCodeAt(i);
    const c = halfWidthCode(raw);
    if (c >= 48 && c <= 57) {
      if (raw !== c || pendingSpace) changed = true;
      pendingSpace = false;
      buf += String.fromCharCode(c);
      digits++;
    } else if (c === 46 || c === 0x3002) {
      if (raw !== c) changed = true;
      buf += '.';
    } else if ((c === 44 || c === 0x3001) && digits > 0) {
      changed = true; // thousands separator
    } else if ((c === 45 || c === 0x2212 || c === 43) && buf === '') {
      if (raw !== 45 && raw !== 43) changed = true;
      if (c !== 43) buf = '-';
    } else if (isSpaceCode(c) && digits > 0) {
      pendingSpace = true;
    } else break;
  }
  if (digits === 0) return false;
  const num = Number(buf);
  if (Number.isNaN(num)) return false;
  sc.scanNumber = num;
  sc.scanUnit = i < n ? normHeader(s.slice(i)) : '';
  sc.scanChanged = changed;
  return true;
}

/** True for `123`, `-12.5`, ` 7 ` (plain ASCII number text, spaces only at the ends). */
function isPlainNumber(s: string): boolean {
  let i = 0;
  let n = s.length;
  while (i < n && isSpaceCode(s.charCodeAt(i))) i++;
  while (n > i && isSpaceCode(s.charCodeAt(n - 1))) n--;
  if (i === n) return false;
  let c = s.charCodeAt(i);
  if (c === 45) i++;
  let digits = 0;
  let dots = 0;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46) dots++;
    else return false;
  }
  return digits > 0 && dots <= 1;
}

function parseNumber(raw: CellValue, spec: ColumnSpec, out: ParseOut): number {
  let v: number;
  let how = '';
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return typeError(out, spec.kind === K_INTEGER ? '整数' : '数值');
    v = spec.scale === 1 ? raw : scaleBy(raw, spec.scale);
  } else if (typeof raw === 'string') {
    if (isPlainNumber(raw)) {
      v = scaleBy(Number(raw), spec.scale);
    } else {
      if (!scanNumeric(raw, out.scratch)) return typeError(out, spec.kind === K_INTEGER ? '整数' : '数值');
      const unit = out.scratch.scanUnit;
      let factor = spec.scale;
      if (unit !== '') {
        const f = spec.units[unit];
        if (f === undefined) {
          const label = spec.unitLabel ? `数值（单位${spec.unitLabel}）` : '数值';
          return typeError(out, spec.kind === K_INTEGER ? '整数' : label);
        }
        factor = f;
      }
      v = scaleBy(out.scratch.scanNumber, factor);
      if (unit !== '' || out.scratch.scanChanged) how = `${fmtNum(v)}${spec.unitLabel}`;
    }
  } else if (typeof raw === 'boolean' || isDate(raw)) {
    return typeError(out, spec.kind === K_INTEGER ? '整数' : '数值');
  } else {
    return typeError(out, '数值');
  }
  if (spec.kind === K_INTEGER && !Number.isInteger(v)) return typeError(out, '整数');
  if (v < spec.min || (spec.minExclusive && v === spec.min) || v > spec.max) {
    return fail(out, 'out-of-range', spec.rangeText, '');
  }
  return how ? normalized(out, v, how) : ok(out, v);
}

// ---------------------------------------------------------------- dates

const pad2 = (n: number) => (n < 10 ? '0' + n : String(n));

function isoDate(y: number, m: number, d: number): string {
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function validYmd(y: number, m: number, d: number): boolean {
  return y >= 1800 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** Days since 1970-01-01 → ISO date, by arithmetic (proleptic Gregorian; no Date object per cell). */
function isoFromEpochDays(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return isoDate(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d);
}

/** Excel 1900 date system serial → ISO date (time of day dropped); null when not a date. */
export function serialToIso(serial: number): string | null {
  if (!(serial >= 1 && serial < 2958466)) return null;
  const whole = Math.floor(serial);
  if (whole === 60) return null; // 1900-02-29 does not exist (Lotus 1-2-3 leap-year bug)
  // Serial 25569 = 1970-01-01; serials before 60 are off by one because of the fictitious 29 Feb 1900.
  return isoFromEpochDays(whole > 60 ? whole - 25569 : whole - 25568);
}

/** A Date (exceljs gives UTC midnight, sometimes a few ms off) → ISO date. */
export function dateToIso(d: Date): string | null {
  const t = d.getTime();
  if (Number.isNaN(t)) return null;
  return isoFromEpochDays(Math.floor((t + 1000) / 86400000));
}


/**
 * Written dates: `2021-3-5`, `2021/03/05`, `2021.3.5`, `2021年3月5日`, `2021.3`, `2021年3月`,
 * `20210305`, `2021` (first day of the year), a serial typed as text, a trailing time.
 * Sets sc.dateChanged when the text was not already `YYYY-MM-DD`.
 */
export function parseDateText(s: string, sc: ParseScratch = newParseScratch()): string | null {
  const groups = sc.groups;
  const groupLens = sc.groupLens;
  const n = s.length;
  let count = 0;
  let cur = -1;
  let curLen = 0;
  let changed = false;
  let i = 0;
  while (i < n && isSpaceCode(s.charCodeAt(i))) i++;
  const start = i;
  let done = false;
  for (; i < n && !done; i++) {
    const raw = s.charCodeAt(i);
    const c = halfWidthCode(raw);
    if (raw !== c) changed = true;
    if (c >= 48 && c <= 57) {
      if (cur < 0) {
        if (count === 3) return null;
        cur = 0;
        curLen = 0;
      }
      cur = cur * 10 + (c - 48);
      curLen++;
      if (curLen > 8) return null;
      continue;
    }
    if (cur >= 0) {
      groups[count] = cur;
      groupLens[count] = curLen;
      count++;
      cur = -1;
    } else if (count === 0) return null;
    if (c === 45) continue;
    if (c === 47 || c === 46 || c === 0x5e74 /* 年 */ || c === 0x6708 /* 月 */ || c === 0x3002) {
      changed = true;
      continue;
    }
    if (c === 0x65e5 /* 日 */ || c === 0x53f7 /* 号 */) {
      changed = true;
      done = true;
      continue;
    }
    if (isSpaceCode(c) || c === 84 /* T */) {
      if (count === 3) {
        done = true;
        continue;
      }
      // a space before 年/月 is tolerated only between groups written with 年月日
      changed = true;
      continue;
    }
    if (c === 0x5ea6 /* 度 */ && count === 1) continue;
    return null;
  }
  if (cur >= 0) {
    groups[count] = cur;
    groupLens[count] = curLen;
    count++;
  }
  // whatever follows a complete date (time of day) is ignored, but not other text
  if (done) {
    for (; i < n; i++) {
      const c = halfWidthCode(s.charCodeAt(i));
      if (!((c >= 48 && c <= 58) || isSpaceCode(c) || c === 46)) return null;
      if (!isSpaceCode(c)) changed = true; // a time of day, dropped
    }
  }
  let y: number;
  let m = 1;
  let d = 1;
  if (count === 1) {
    const len = groupLens[0];
    const g = groups[0];
    if (len === 8) {
      y = Math.floor(g / 10000);
      m = Math.floor(g / 100) % 100;
      d = g % 100;
    } else if (len === 4) {
      y = g;
    } else if (len === 5) {
      const iso = serialToIso(g);
      sc.dateChanged = true;
      return iso;
    } else return null;
    changed = true;
  } else if (count === 2) {
    if (groupLens[0] !== 4) return null;
    y = groups[0];
    m = groups[1];
    changed = true;
  } else if (count === 3) {
    if (groupLens[0] !== 4) return null;
    y = groups[0];
    m = groups[1];
    d = groups[2];
    if (groupLens[1] !== 2 || groupLens[2] !== 2) changed = true;
  } else return null;
  if (!validYmd(y, m, d)) return null;
  if (n - start !== 10 && !done) changed = true;
  sc.dateChanged = changed;
  return isoDate(y, m, d);
}

const DATE_EXPECTED = '日期（如2021-03-05）';

/** Days between the 1900 and the 1904 date systems' serial 0. */
const DAYS_1904 = 1462;

function parseDate(raw: CellValue, spec: ColumnSpec, out: ParseOut): number {
  if (typeof raw === 'number') {
    if (Number.isInteger(raw) && raw >= 18000101 && raw <= 22001231) {
      // `20210305` typed as a number into a date column (domain.md §9.8)
      const iso = parseDateText(String(raw), out.scratch);
      return iso === null ? typeError(out, DATE_EXPECTED) : normalized(out, iso, iso);
    }
    if (Number.isInteger(raw) && raw >= 1900 && raw <= 2100) {
      // a bare year typed into a date column, not serial 1900..2100 (a day in 1905)
      return normalized(out, isoDate(raw, 1, 1), `${raw}-01-01（按年份的第一天）`);
    }
    if (raw > 1900 && raw < 2101) {
      const iso = parseDateText(String(raw), out.scratch); // 2021.3 typed as a number → March 2021
      if (iso === null) return typeError(out, DATE_EXPECTED);
      return normalized(out, iso, `${iso}（按月份的第一天）`);
    }
    const iso = serialToIso(spec.date1904 ? raw + DAYS_1904 : raw);
    return iso === null ? typeError(out, DATE_EXPECTED) : ok(out, iso);
  }
  if (typeof raw === 'string') {
    const iso = parseDateText(raw, out.scratch);
    if (iso === null) return typeError(out, DATE_EXPECTED);
    return out.scratch.dateChanged ? normalized(out, iso, iso) : ok(out, iso);
  }
  if (isDate(raw)) {
    const iso = dateToIso(raw);
    return iso === null ? typeError(out, DATE_EXPECTED) : ok(out, iso);
  }
  return typeError(out, DATE_EXPECTED);
}

// ---------------------------------------------------------------- years

const YEAR_EXPECTED = '年份（如2022）';

function yearInRange(y: number, spec: ColumnSpec, out: ParseOut, how: string): number {
  if (y < spec.min || (spec.minExclusive && y === spec.min) || y > spec.max) return fail(out, 'out-of-range', spec.rangeText, '');
  return how ? normalized(out, y, how) : ok(out, y);
}

function parseYear(raw: CellValue, spec: ColumnSpec, out: ParseOut): number {
  if (typeof raw === 'number') {
    if (Number.isInteger(raw) && raw >= 1000 && raw <= 9999) return yearInRange(raw, spec, out, '');
    const iso = raw > 9999 ? serialToIso(raw) : null; // a date cell in a year column
    if (iso === null) return typeError(out, YEAR_EXPECTED);
    const y = Number(iso.slice(0, 4));
    return yearInRange(y, spec, out, `${y}年（取日期${iso}的年份）`);
  }
  if (isDate(raw)) {
    const iso = dateToIso(raw);
    if (iso === null) return typeError(out, YEAR_EXPECTED);
    const y = Number(iso.slice(0, 4));
    return yearInRange(y, spec, out, `${y}年（取日期${iso}的年份）`);
  }
  if (typeof raw === 'string') {
    const t = trimAll(raw);
    if (t.length === 4 && isPlainNumber(t)) return yearInRange(Number(t), spec, out, '');
    const iso = parseDateText(t, out.scratch);
    if (iso === null) return typeError(out, YEAR_EXPECTED);
    const y = Number(iso.slice(0, 4));
    // `2022年`, `2022年度`, `２０２２`: a year written differently; a full date: its year
    const onlyYear = iso.endsWith('-01-01') && !/[-/.月]/.test(t.replace(/年度?$/, ''));
    return yearInRange(y, spec, out, onlyYear ? `${y}年` : `${y}年（取日期${iso}的年份）`);
  }
  return typeError(out, YEAR_EXPECTED);
}

// ---------------------------------------------------------------- 是/否

const TRUE_WORDS = new Set(['Y', 'YES', '√', '✓', '✔', '1', 'TRUE', 'T']);
const FALSE_WORDS = new Set(['N', 'NO', '×', '✗', '✘', 'X', '0', 'FALSE', 'F']);

function parseBool(raw: CellValue, out: ParseOut): number {
  if (typeof raw === 'string') {
    if (raw === '是') return ok(out, true);
    if (raw === '否') return ok(out, false);
    const t = compactUpper(raw);
    if (t === '是') return ok(out, true);
    if (t === '否') return ok(out, false);
    if (TRUE_WORDS.has(t)) return normalized(out, true, '是');
    if (FALSE_WORDS.has(t)) return normalized(out, false, '否');
    return fail(out, 'invalid-enum', '是/否', '');
  }
  if (typeof raw === 'boolean') return ok(out, raw);
  if (raw === 1) return normalized(out, true, '是');
  if (raw === 0) return normalized(out, false, '否');
  return fail(out, 'invalid-enum', '是/否', '');
}

// ---------------------------------------------------------------- enums

function parseEnum(raw: CellValue, spec: ColumnSpec, out: ParseOut): number {
  if (typeof raw === 'string' && spec.field.several) return parseSeveral(raw, spec, out);
  if (typeof raw === 'string') {
    if (spec.enumExact!.has(raw)) return ok(out, raw);
    const t = trimAll(raw);
    if (spec.enumExact!.has(t)) return ok(out, t);
    const hit = spec.enumNorm!.get(compactUpper(t));
    if (hit !== undefined) return normalized(out, hit, hit);
    if (spec.enumDigitLengths) {
      const padded = padDigits(t, spec);
      if (padded !== null) return normalized(out, padded, padded);
    }
    return fail(out, 'invalid-enum', spec.enumText, '');
  }
  if (typeof raw === 'number') {
    const t = numberText(raw);
    if (spec.enumExact!.has(t)) return normalized(out, t, t);
    if (spec.enumDigitLengths) {
      const padded = padDigits(t, spec);
      if (padded !== null) return normalized(out, padded, padded);
    }
  }
  return fail(out, 'invalid-enum', spec.enumText, '');
}

/**
 * A cell of a `several` enum (配合单位): each value read as the enum reads one (exact, or a variant
 * or spacing of it); the cell is the values in order, without repeats, joined by 、. A part that is
 * no value makes the cell invalid-enum, naming the parts.
 */
function parseSeveral(raw: string, spec: ColumnSpec, out: ParseOut): number {
  const values: string[] = [];
  const bad: string[] = [];
  for (const part of raw.split(SEVERAL_SEPARATORS)) {
    if (!part) continue;
    const v = spec.enumExact!.has(part) ? part : spec.enumNorm!.get(compactUpper(part));
    if (v === undefined) {
      if (!bad.includes(part)) bad.push(part);
    } else if (!values.includes(v)) values.push(v);
  }
  if (bad.length > 0 || values.length === 0) return fail(out, 'invalid-enum', spec.enumText, bad.length ? `：其中${bad.map((b) => `“${b}”`).join('')}不是可选项` : '');
  const value = values.join(SEVERAL_JOINER);
  return value === raw ? ok(out, value) : normalized(out, value, value);
}

/** `601` → `0601` when the enum holds it (a code typed as a number lost its leading zero). */
function padDigits(t: string, spec: ColumnSpec): string | null {
  for (const len of spec.enumDigitLengths!) {
    if (t.length < len) {
      const p = t.padStart(len, '0');
      if (spec.enumExact!.has(p)) return p;
    }
  }
  return null;
}

// ---------------------------------------------------------------- codes

/** Code text: numbers without exponent or `.0`; strings compacted (spaces out, upper case, half-width). */
function codeText(raw: string | number, sc: ParseScratch): string {
  if (typeof raw === 'number') {
    sc.codeChanged = true;
    return numberText(raw);
  }
  const t = compactUpper(raw);
  sc.codeChanged = t !== trimAll(raw);
  return t;
}

function parseParcel(raw: CellValue, spec: ColumnSpec, out: ParseOut): number {
  if (typeof raw !== 'string' && typeof raw !== 'number') return fail(out, 'invalid-parcel-id', '', '');
  let code: string;
  if (typeof raw === 'string' && raw.length === 19 && isValidParcelId(raw)) {
    code = raw;
    out.scratch.codeChanged = false;
  } else {
    code = codeText(raw, out.scratch);
    if (!isValidParcelId(code)) return fail(out, 'invalid-parcel-id', '', '');
  }
  if (parcelCounty(code) !== spec.countyCode) {
    out.value = code; // understood, but not the district's: kept for the issue's parcelId
    out.code = 'foreign-parcel';
    out.expected = spec.countyCode;
    out.detail = '';
    return (out.status = S_ERROR);
  }
  return out.scratch.codeChanged ? normalized(out, code, code) : ok(out, code);
}

function parseUscc(raw: CellValue, out: ParseOut): number {
  if (typeof raw !== 'string' && typeof raw !== 'number') return fail(out, 'invalid-uscc', '', '');
  if (typeof raw === 'string' && raw.length === 18 && usccProblem(raw) === null) return ok(out, raw); // fast path
  const code = codeText(raw, out.scratch);
  const p = usccProblem(code);
  if (p !== null) {
    const numeric = typeof raw === 'number' ? '；单元格为数值格式，可能已丢失位数，请按文本填写' : '';
    const d = usccProblemText(p);
    return fail(out, 'invalid-uscc', '', numeric ? d.slice(0, -1) + numeric + '）' : d);
  }
  return out.scratch.codeChanged && typeof raw === 'string' ? normalized(out, code, code) : ok(out, code);
}

function parseIndustryCode(raw: CellValue, out: ParseOut): number {
  if (typeof raw !== 'string' && typeof raw !== 'number') return fail(out, 'invalid-industry-code', '', '');
  if (typeof raw === 'string' && raw.length === 4 && industryCodeProblem(raw) === null) return ok(out, raw); // fast path
  let code = codeText(raw, out.scratch);
  let changed = out.scratch.codeChanged && typeof raw === 'string';
  if (code.length === 3 && isPlainNumber(code)) {
    code = '0' + code; // 0611 typed as a number
    changed = true;
  }
  const p = industryCodeProblem(code);
  if (p !== null) return fail(out, 'invalid-industry-code', '', p);
  return changed ? normalized(out, code, code) : ok(out, code);
}

const COMMERCIAL_CLASS = '商办';

function parseIndustryClass(raw: CellValue, out: ParseOut): number {
  if (typeof raw !== 'string' && typeof raw !== 'number') return fail(out, 'invalid-industry-code', '', '');
  if (typeof raw === 'string' && raw.length === 4 && industryCodeProblem(raw) === null) return ok(out, raw); // fast path
  let code = codeText(raw, out.scratch);
  if (code === COMMERCIAL_CLASS) return out.scratch.codeChanged ? normalized(out, code, code) : ok(out, code);
  let changed = out.scratch.codeChanged && typeof raw === 'string';
  if (code.length === 1 && isPlainNumber(code)) {
    code = '0' + code;
    changed = true;
  }
  if (!isValidIndustryClass(code)) return fail(out, 'invalid-industry-code', '', '（行业大类应为两位代码01–97，或“商办”）');
  return changed ? normalized(out, code, code) : ok(out, code);
}

// ---------------------------------------------------------------- text

function parseText(raw: CellValue, out: ParseOut): number {
  if (typeof raw === 'string') {
    // a string that looks like a formula (`=厂房闲置…`) is text: it is never evaluated
    const t = trimAll(raw);
    if (t.charCodeAt(0) === 35 /* # */ && ERROR_LITERALS.has(t.toUpperCase())) return fail(out, 'formula-error', '', '');
    return ok(out, t);
  }
  if (typeof raw === 'number') return ok(out, numberText(raw));
  if (typeof raw === 'boolean') return ok(out, raw ? 'TRUE' : 'FALSE');
  if (isDate(raw)) {
    const iso = dateToIso(raw);
    return ok(out, iso);
  }
  return ok(out, null);
}

// ---------------------------------------------------------------- entry

/** True when a cell holds nothing (null, empty or whitespace-only text). */
export function isBlankCell(v: CellValue | undefined): boolean {
  return v === null || v === undefined || (typeof v === 'string' && isBlankString(v));
}

/** Texts people write for "not applicable / nothing" (compared after compactUpper). */
const PLACEHOLDERS = new Set(['/', '\\', '-', '--', '—', '——', '－', '_', '无', '暂无', '空', '不适用', 'N/A', 'NA', 'NULL', 'NONE']);

/** On the error path only: a placeholder is blank, an error literal is a formula error. */
function reconsider(raw: string, out: ParseOut): number {
  const t = compactUpper(raw);
  if (PLACEHOLDERS.has(t)) {
    out.value = null;
    out.code = null;
    out.expected = '空白（未填写）';
    return (out.status = S_PLACEHOLDER);
  }
  if (t.charCodeAt(0) === 35 /* # */ && ERROR_LITERALS.has(t)) return fail(out, 'formula-error', '', '');
  return S_ERROR;
}

/** Parses one cell for its column; returns the status (S_*), details in `out`. */
export function parseCell(raw: CellValue | undefined, spec: ColumnSpec, out: ParseOut): number {
  const st = parseKind(raw, spec, out);
  if (st === S_ERROR && typeof raw === 'string' && out.code !== 'out-of-range' && out.code !== 'foreign-parcel') return reconsider(raw, out);
  return st;
}

function parseKind(raw: CellValue | undefined, spec: ColumnSpec, out: ParseOut): number {
  if (raw === null || raw === undefined) {
    out.value = null;
    return (out.status = S_BLANK);
  }
  if (typeof raw === 'number' && spec.kind === K_NUMBER && Number.isFinite(raw) && spec.scale === 1) {
    // fast path: the common numeric cell
    if (raw < spec.min || (spec.minExclusive && raw === spec.min) || raw > spec.max) return fail(out, 'out-of-range', spec.rangeText, '');
    out.value = raw;
    return (out.status = S_OK);
  }
  if (typeof raw === 'string' && isBlankString(raw)) {
    out.value = null;
    return (out.status = S_BLANK);
  }
  if (typeof raw === 'object' && isCellError(raw)) return fail(out, 'formula-error', '', '');
  switch (spec.kind) {
    case K_TEXT:
      return parseText(raw, out);
    case K_NUMBER:
    case K_INTEGER:
      return parseNumber(raw, spec, out);
    case K_DATE:
      return parseDate(raw, spec, out);
    case K_YEAR:
      return parseYear(raw, spec, out);
    case K_BOOL:
      return parseBool(raw, out);
    case K_ENUM:
      return parseEnum(raw, spec, out);
    case K_PARCEL:
      return parseParcel(raw, spec, out);
    case K_USCC:
      return parseUscc(raw, out);
    case K_INDUSTRY:
      return parseIndustryCode(raw, out);
    case K_CLASS:
      return parseIndustryClass(raw, out);
  }
  return typeError(out, '');
}
