/**
 * Finding the header row and the form of a sheet by matching header titles against the forms
 * catalogue (titles + variants, normalised with normHeader). Handles title rows above the header,
 * group header rows (multi-row merged headers: the last header row holds the titles; a title
 * merged down over several header rows sits only in the top cell, so blank cells of the last
 * header row take the title from up to two rows above when it names a field of the form).
 */
import { FORMS } from '../forms';
import type { FieldDef, FormDef } from '../forms/types';
import { isDate, type CellValue, type SheetGrid } from '../grid';
import { isBlankString, normHeader, splitHeaderUnit } from './text';

/** How many rows from the top are searched for the header. */
export const HEADER_SEARCH_ROWS = 20;
/** How many rows above the header row may hold the title of a column merged down. */
const MERGED_ROWS_ABOVE = 2;

interface FieldRef {
  form: number;
  field: number;
}

interface HeaderIndex {
  exact: Map<string, FieldRef[]>;
}

let index: HeaderIndex | null = null;

function headerIndex(): HeaderIndex {
  if (index) return index;
  const exact = new Map<string, FieldRef[]>();
  const add = (name: string, ref: FieldRef) => {
    const list = exact.get(name) ?? [];
    if (!list.some((r) => r.form === ref.form && r.field === ref.field)) list.push(ref);
    exact.set(name, list);
  };
  FORMS.forEach((form, fi) => {
    form.fields.forEach((field, ki) => {
      for (const t of [field.title, ...(field.variants ?? [])]) {
        const n = normHeader(t);
        add(n, { form: fi, field: ki });
        // `用地面积(㎡)` also answers to `用地面积` followed by another unit, e.g. `用地面积(亩)`
        const split = splitHeaderUnit(n);
        if (split) add(split.base + '\u0000', { form: fi, field: ki });
      }
    });
  });
  index = { exact };
  return index;
}

export interface HeaderMatch {
  refs: FieldRef[];
  /** Unit named in brackets when matched on the title without its unit (`亩` in `用地面积(亩)`). */
  unit: string | null;
}

const NO_MATCH: HeaderMatch = { refs: [], unit: null };

/** Unit words a header may end with without brackets (`用地面积㎡`, `用地面积/亩`), normalised. */
const BARE_UNITS = ['万元/亩', '万元', '公顷', '㎡', '亩', '元', '%', '人', '家'];

function lookupBase(idx: HeaderIndex, base: string): FieldRef[] | undefined {
  return idx.exact.get(base) ?? idx.exact.get(base + '\u0000');
}

/** Fields a header cell names (in any form). */
export function matchHeaderText(text: string): HeaderMatch {
  const idx = headerIndex();
  const n = normHeader(text);
  if (n === '') return NO_MATCH;
  const hit = idx.exact.get(n);
  if (hit) return { refs: hit, unit: null };
  const split = splitHeaderUnit(n);
  if (split) {
    // `用地面积(亩)`, `用地面积(单位:亩)`, `宗地代码(必填)`
    const unit = split.unit.replace(/^单位[:：]?/, '');
    const base = lookupBase(idx, split.base);
    if (base) return { refs: base, unit };
  }
  for (const u of BARE_UNITS) {
    if (n.length > u.length && n.endsWith(u)) {
      let b = n.slice(0, -u.length);
      if (b.endsWith('/') || b.endsWith(':') || b.endsWith(',')) b = b.slice(0, -1);
      const base = lookupBase(idx, b);
      if (base) return { refs: base, unit: u };
    }
  }
  return NO_MATCH;
}

const isHeaderText = (v: CellValue | undefined): v is string => typeof v === 'string' && !isBlankString(v);

export interface HeaderCandidate {
  form: FormDef;
  formIndex: number;
  /** Index into sheet.rows of the (last) header row. */
  rowIndex: number;
  matchedFields: number;
  matchedRequired: number;
  requiredCount: number;
  score: number;
}

/** Header cell of a column: its own text, or the title merged down from a row above. */
export interface HeaderCell {
  col: number;
  text: string;
  /** Row index the text is in (the header row, or one above it for a title merged down). */
  rowIndex: number;
  match: HeaderMatch;
}

/** The header cells of row `r` as seen for form `formIndex` (own texts + titles merged down that name its fields). */
export function headerCells(sheet: SheetGrid, r: number, formIndex: number): HeaderCell[] {
  const row = sheet.rows[r] ?? [];
  const out: HeaderCell[] = [];
  const width = Math.max(row.length, ...[1, 2].map((k) => sheet.rows[r - k]?.length ?? 0));
  for (let c = 0; c < width; c++) {
    const own = row[c];
    if (isHeaderText(own)) {
      out.push({ col: c, text: own, rowIndex: r, match: matchHeaderText(own) });
      continue;
    }
    if (own !== null && own !== undefined && !(typeof own === 'string')) {
      out.push({ col: c, text: typeof own === 'object' && !isDate(own) ? own.error : String(own), rowIndex: r, match: NO_MATCH });
      continue;
    }
    for (let k = 1; k <= MERGED_ROWS_ABOVE && r - k >= 0; k++) {
      const above = sheet.rows[r - k]?.[c];
      if (above === null || above === undefined || (typeof above === 'string' && isBlankString(above))) continue;
      if (isHeaderText(above)) {
        const m = matchHeaderText(above);
        if (m.refs.some((x) => x.form === formIndex)) out.push({ col: c, text: above, rowIndex: r - k, match: m });
      }
      break;
    }
  }
  return out;
}

function isRequired(f: FieldDef): boolean {
  return !!f.required;
}

/**
 * Scores every row of the top of the sheet against the forms (all, or only `onlyForm`) and returns
 * the best row per form (score > 0), best first.
 */
export function scanHeaders(sheet: SheetGrid, onlyForm?: number): HeaderCandidate[] {
  const best: (HeaderCandidate | undefined)[] = [];
  const nRows = Math.min(HEADER_SEARCH_ROWS, sheet.rows.length);
  const own = FORMS.map((f) => new Uint8Array(f.fields.length));
  const merged = FORMS.map((f) => new Uint8Array(f.fields.length));
  for (let r = 0; r < nRows; r++) {
    const row = sheet.rows[r];
    if (!row) continue;
    for (let fi = 0; fi < FORMS.length; fi++) {
      own[fi].fill(0);
      merged[fi].fill(0);
    }
    let anyOwn = false;
    const width = Math.max(row.length, sheet.rows[r - 1]?.length ?? 0, sheet.rows[r - 2]?.length ?? 0);
    for (let c = 0; c < width; c++) {
      const cell = row[c];
      if (isHeaderText(cell)) {
        for (const ref of matchHeaderText(cell).refs) {
          if (onlyForm !== undefined && ref.form !== onlyForm) continue;
          own[ref.form][ref.field] = 1;
          anyOwn = true;
        }
      } else if (cell === null || cell === undefined || typeof cell === 'string') {
        for (let k = 1; k <= MERGED_ROWS_ABOVE && r - k >= 0; k++) {
          const above = sheet.rows[r - k]?.[c];
          if (above === null || above === undefined || (typeof above === 'string' && isBlankString(above))) continue;
          if (isHeaderText(above)) for (const ref of matchHeaderText(above).refs) merged[ref.form][ref.field] = 1;
          break;
        }
      }
    }
    if (!anyOwn) continue;
    for (let fi = 0; fi < FORMS.length; fi++) {
      if (onlyForm !== undefined && fi !== onlyForm) continue;
      const form = FORMS[fi];
      let ownCount = 0;
      let fields = 0;
      let required = 0;
      let requiredCount = 0;
      for (let k = 0; k < form.fields.length; k++) {
        const req = isRequired(form.fields[k]);
        if (req) requiredCount++;
        if (own[fi][k]) ownCount++;
        if (own[fi][k] || merged[fi][k]) {
          fields++;
          if (req) required++;
        }
      }
      if (ownCount === 0) continue;
      const score = fields + 2 * required;
      const prev = best[fi];
      if (!prev || score > prev.score) {
        best[fi] = { form, formIndex: fi, rowIndex: r, matchedFields: fields, matchedRequired: required, requiredCount, score };
      }
    }
  }
  return (best.filter(Boolean) as HeaderCandidate[]).sort(
    (a, b) => b.score - a.score || b.matchedFields / b.form.fields.length - a.matchedFields / a.form.fields.length || a.formIndex - b.formIndex,
  );
}

/** Enough of a form's columns to say the sheet holds that form: ≥ 2 fields and half of its required ones. */
export function isConvincing(c: HeaderCandidate): boolean {
  return c.matchedFields >= 2 && c.matchedRequired * 2 >= c.requiredCount;
}
