/**
 * The plain grid of cell values that every reader works on. exceljs cells, the project's own
 * fast xlsx reader and Office.js `range.values` (+ `valueTypes`) are all turned into this shape,
 * so the tolerant reader and the checks are shared by the CLI, the functions and the add-in.
 */

/** An Excel error value such as `#N/A` or `#DIV/0!` (a formula's cached result or a typed error). */
export interface CellError {
  error: string;
}

/**
 * One cell as found. Dates may come as `Date` (exceljs, date-formatted cells) or as Excel serial
 * numbers (Office.js); rich text is flattened to its plain text; a formula cell is its cached result.
 */
export type CellValue = string | number | boolean | Date | CellError | null;

export interface SheetGrid {
  /** Sheet name as shown on the tab. */
  name: string;
  /** Row-major values; `rows[0]` is Excel row `firstRow`, `rows[r][0]` is column `firstCol`. */
  rows: CellValue[][];
  /** 1-based Excel row number of `rows[0]` (default 1). */
  firstRow?: number;
  /** 1-based Excel column number of `rows[r][0]` (default 1). */
  firstCol?: number;
  /** Hidden sheets are still read but a visible sheet is preferred when recognising a form. */
  hidden?: boolean;
  /**
   * Merged ranges, 1-based Excel rows and columns (inclusive). The value of a merged range sits in
   * its top-left cell; every other cell of it is null in `rows` (domain.md §9.4, §9.6).
   */
  merges?: MergedRange[];
}

/** One merged range, 1-based Excel coordinates, inclusive. */
export interface MergedRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** `B3:C5` → { top: 3, left: 2, bottom: 5, right: 3 }; null when it is not a range reference. */
export function parseRangeRef(ref: string): MergedRange | null {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?$/.exec(ref.trim());
  if (!m) return null;
  const a = { col: columnNumber(m[1]), row: Number(m[2]) };
  const b = m[3] ? { col: columnNumber(m[3]), row: Number(m[4]) } : a;
  return { top: Math.min(a.row, b.row), left: Math.min(a.col, b.col), bottom: Math.max(a.row, b.row), right: Math.max(a.col, b.col) };
}

/** Where a cell's mark belongs: the top-left of the merged range holding it, or the cell itself. */
export interface MergeAnchor {
  row: number;
  col: number;
  /** The cell lies inside a merge, below or right of its top-left (it shows no value of its own). */
  covered: boolean;
}

/**
 * A lookup over a sheet's merged ranges (indexed by row, so marking many cells of a large sheet
 * stays linear). The top-left cell is the only cell of a merge that holds a value and is shown.
 */
export function mergeLookup(merges: readonly MergedRange[] | undefined): (row: number, col: number) => MergeAnchor {
  const byRow = new Map<number, MergedRange[]>();
  for (const m of merges ?? []) {
    for (let r = m.top; r <= m.bottom; r++) {
      const list = byRow.get(r);
      if (list) list.push(m);
      else byRow.set(r, [m]);
    }
  }
  return (row, col) => {
    const list = byRow.get(row);
    if (list) {
      for (const m of list) {
        if (col >= m.left && col <= m.right) return { row: m.top, col: m.left, covered: row !== m.top || col !== m.left };
      }
    }
    return { row, col, covered: false };
  };
}

export interface WorkbookGrid {
  /** File name or label used in messages. */
  file: string;
  sheets: SheetGrid[];
  /** Workbook properties: templates store the form id and template version here. */
  properties?: { formId?: string; templateVersion?: string; title?: string; [k: string]: unknown };
  /**
   * The workbook uses the 1904 date system (old Excel for Mac). Readers that turn date-formatted
   * cells into `Date` already used it; plain serial numbers in date columns are read with it too.
   */
  date1904?: boolean;
}

const objectTag = Object.prototype.toString;

/**
 * A Date, also one made in another realm: cell values cloned from a worker thread into a test
 * sandbox (jest's own globals), where `instanceof Date` alone says no.
 */
export function isDate(v: unknown): v is Date {
  return v instanceof Date || (typeof v === 'object' && v !== null && objectTag.call(v) === '[object Date]');
}

export function isCellError(v: unknown): v is CellError {
  return typeof v === 'object' && v !== null && !isDate(v) && typeof (v as CellError).error === 'string';
}

/** 1 → A, 27 → AA. */
export function columnLetter(col: number): string {
  let s = '';
  let n = col;
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** A → 1, AA → 27. */
export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}
