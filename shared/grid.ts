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
}

export interface WorkbookGrid {
  /** File name or label used in messages. */
  file: string;
  sheets: SheetGrid[];
  /** Workbook properties: templates store the form id and template version here. */
  properties?: { formId?: string; templateVersion?: string; title?: string; [k: string]: unknown };
}

export function isCellError(v: unknown): v is CellError {
  return typeof v === 'object' && v !== null && !(v instanceof Date) && typeof (v as CellError).error === 'string';
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
