/**
 * exceljs Workbook/Worksheet → the plain `WorkbookGrid`, with the same conventions as the project's
 * reader (`read.ts`): merged cells other than the top-left one are null, rich text and hyperlinks are
 * their text, a formula is its cached result (null without one), rows are dense up to the last row
 * holding a value and as wide as the widest row. Only types are imported from exceljs, so this
 * module costs nothing to load where exceljs itself is loaded lazily.
 */
import type { Cell, CellValue as ExcelValue, Workbook, Worksheet } from 'exceljs';
import { parseRangeRef, type CellValue, type MergedRange, type SheetGrid, type WorkbookGrid } from '../grid';
import { buildProperties } from './read';

const MERGE = 1; // ValueType.Merge (the enum at runtime would need exceljs loaded)
const FORMULA = 6; // ValueType.Formula

/** One exceljs value → a grid value. */
export function exceljsValueToCell(v: ExcelValue | undefined): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text ?? '').join('');
    if ('error' in v && typeof v.error === 'string') return { error: v.error };
    if ('formula' in v || 'sharedFormula' in v) {
      const r = (v as { result?: unknown }).result;
      if (r === undefined || r === null) return null;
      if (typeof r === 'object' && !(r instanceof Date) && 'error' in (r as object)) return { error: String((r as { error: unknown }).error) };
      return exceljsValueToCell(r as ExcelValue);
    }
    if ('text' in v) {
      const t = (v as { text: unknown }).text;
      if (typeof t === 'string') return t;
      if (t && typeof t === 'object' && 'richText' in (t as object)) return exceljsValueToCell(t as ExcelValue);
      return null;
    }
  }
  return null;
}

export function exceljsCellToValue(cell: Cell): CellValue {
  if (cell.type === MERGE) return null;
  const v = cell.value;
  if (cell.type === FORMULA && v && typeof v === 'object' && !('result' in v && v.result !== undefined)) {
    // exceljs leaves a falsy result (FALSE, 0) out of `value`; `cell.result` keeps it.
    const r = (cell as unknown as { result?: unknown }).result;
    return r === undefined ? null : exceljsValueToCell({ formula: '', result: r } as ExcelValue);
  }
  return exceljsValueToCell(v);
}

export function exceljsSheetToGrid(ws: Worksheet): SheetGrid {
  const sparse: CellValue[][] = [];
  let width = 0;
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    let arr: CellValue[] | undefined;
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const v = exceljsCellToValue(cell);
      if (v === null) return;
      arr ??= sparse[rowNumber - 1] = [];
      arr[col - 1] = v;
      if (col > width) width = col;
    });
  });
  let last = sparse.length;
  while (last > 0 && sparse[last - 1] === undefined) last--;
  const rows: CellValue[][] = [];
  for (let i = 0; i < last; i++) {
    const src = sparse[i];
    const out: CellValue[] = new Array(width);
    for (let c = 0; c < width; c++) out[c] = src?.[c] ?? null;
    rows.push(out);
  }
  const grid: SheetGrid = { name: ws.name, rows };
  const merges: MergedRange[] = [];
  for (const ref of (ws.model as { merges?: string[] }).merges ?? []) {
    const m = parseRangeRef(ref);
    if (m) merges.push(m);
  }
  if (merges.length) grid.merges = merges;
  if (ws.state === 'hidden' || ws.state === 'veryHidden') grid.hidden = true;
  return grid;
}

export function exceljsToGrid(wb: Workbook, file: string): WorkbookGrid {
  const sheets: SheetGrid[] = [];
  wb.eachSheet((ws) => sheets.push(exceljsSheetToGrid(ws)));
  const core: Record<string, string | undefined> = {
    title: wb.title,
    subject: wb.subject,
    keywords: wb.keywords,
    category: wb.category,
    creator: wb.creator,
    description: wb.description,
  };
  const out: WorkbookGrid = { file, sheets, properties: buildProperties(core) };
  if ((wb.properties as { date1904?: boolean } | undefined)?.date1904) out.date1904 = true;
  return out;
}
