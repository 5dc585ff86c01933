/**
 * Small factories for SheetGrid / WorkbookGrid fixtures, and a converter from an exceljs worksheet
 * (messy shapes: rich text, formulas, hyperlinks, errors, dates, merged cells) to the grid.
 */
import type ExcelJS from 'exceljs';
import { usccCheckChar } from '../../shared/codes';
import { getForm, type FormId } from '../../shared/forms';
import type { CellValue, SheetGrid, WorkbookGrid } from '../../shared/grid';

export function sheet(name: string, rows: CellValue[][], opts: Partial<Omit<SheetGrid, 'name' | 'rows'>> = {}): SheetGrid {
  return { name, rows, ...opts };
}

export function workbook(file: string, sheets: SheetGrid[], properties?: WorkbookGrid['properties']): WorkbookGrid {
  return properties ? { file, sheets, properties } : { file, sheets };
}

/** A valid USCC built from a number (`91120102` + 9 digits + check character). */
export function validUscc(n: number): string {
  const first17 = '91120102' + String(n).padStart(9, '0');
  return first17 + usccCheckChar(first17);
}

/** A valid Hedong 宗地代码 (`120102` + 地籍区/子区 + `GB` + sequence). */
export function parcel(n: number, county = '120102'): string {
  return `${county}001002GB${String(n).padStart(5, '0')}`;
}

export interface FormSheetOptions {
  /** Sheet name (default: the form's title). */
  name?: string;
  /** Field keys in column order (default: every field in catalogue order). */
  keys?: string[];
  /** Header texts replacing the titles, by field key (variants, messy spellings). */
  headers?: Record<string, string>;
  /** Put a title row (the form title) above the header. */
  titleRow?: boolean;
  /** Extra columns appended to the header with these titles (values from records by title). */
  extraColumns?: string[];
}

/**
 * A sheet of a form: optional title row, the header of the catalogue titles, then one row per
 * record (values by field key; missing keys are blank cells).
 */
export function formSheet(formId: FormId, records: Record<string, CellValue>[], opts: FormSheetOptions = {}): SheetGrid {
  const form = getForm(formId);
  const keys = opts.keys ?? form.fields.map((f) => f.key);
  const header: CellValue[] = keys.map((k) => opts.headers?.[k] ?? form.fields.find((f) => f.key === k)!.title);
  const extra = opts.extraColumns ?? [];
  header.push(...extra);
  const rows: CellValue[][] = [];
  if (opts.titleRow) rows.push([form.title, ...new Array(header.length - 1).fill(null)]);
  rows.push(header);
  for (const rec of records) rows.push([...keys.map((k) => (k in rec ? rec[k] : null)), ...extra.map((t) => (t in rec ? rec[t] : null))]);
  return sheet(opts.name ?? form.title, rows);
}

/** A correct industrial record (valid codes, consistent areas); override what a test needs. */
export function industrialRecord(i: number, over: Record<string, CellValue> = {}): Record<string, CellValue> {
  return {
    parcelId: parcel(i),
    enterpriseName: `天津市河东区测试企业${i}有限公司`,
    uscc: validUscc(i),
    industryCode: '3311',
    landArea: 10000,
    floorArea: 8000,
    footprint: 4000,
    plotRatio: 0.8,
    status: '正常生产',
    stopDate: null,
    employees: 50,
    output: 3000,
    tax: 120,
    obsolete: '否',
    stateOwned: '否',
    willingness: '暂无意愿',
    problemType: '无',
    problemDesc: null,
    ...over,
  };
}

/** A correct base record. */
export function baseRecord(i: number, over: Record<string, CellValue> = {}): Record<string, CellValue> {
  return {
    parcelId: parcel(i),
    street: '大王庄街道',
    location: `河东区测试路${i}号`,
    landUseCode: '0601',
    landArea: 10000,
    owner: `权利人${i}`,
    ownership: '国有',
    supplyMode: '出让',
    plannedUse: '工业',
    agreedStartDate: null,
    landProcedures: '齐全',
    occurrenceDate: null,
    ...over,
  };
}

/** Plain value of an exceljs cell value, as the project's grid holds it. */
export function exceljsValueToCell(v: ExcelJS.CellValue): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  const o = v as unknown as Record<string, unknown>;
  if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((r) => r.text).join('');
  if ('formula' in o || 'sharedFormula' in o) {
    const res = o.result as ExcelJS.CellValue | undefined;
    return res === undefined ? null : exceljsValueToCell(res);
  }
  if (typeof o.error === 'string') return { error: o.error };
  if ('text' in o && 'hyperlink' in o) {
    const t = o.text as unknown;
    return typeof t === 'string' ? t : exceljsValueToCell(t as ExcelJS.CellValue);
  }
  return String(v);
}

/** exceljs worksheet → SheetGrid (a merged range's value only in its top-left cell; hidden rows kept). */
export function exceljsToGrid(ws: ExcelJS.Worksheet): SheetGrid {
  const rows: CellValue[][] = [];
  const nRows = ws.rowCount;
  const nCols = ws.columnCount;
  for (let r = 1; r <= nRows; r++) {
    const row = ws.getRow(r);
    const out: CellValue[] = [];
    for (let c = 1; c <= nCols; c++) {
      const cell = row.getCell(c);
      out.push(cell.isMerged && cell.master !== cell ? null : exceljsValueToCell(cell.value));
    }
    rows.push(out);
  }
  return { name: ws.name, rows, hidden: ws.state !== 'visible' };
}
