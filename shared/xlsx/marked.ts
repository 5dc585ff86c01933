/**
 * The marked copy of a checked workbook (`land-survey validate … -o`): the department's own
 * workbook, unchanged except that
 * - each cell with an issue is filled in its severity's colour (worst severity wins) and carries a
 *   note starting with `【校验】` listing the messages and what to do;
 * - a sheet-level issue on a column (e.g. `unknown-column`) marks that column's header cell;
 *   issues without a cell (parcel-level, `missing-column`) are only listed;
 * - a `问题清单` sheet lists every issue, with a hyperlink to its cell, laid out as the shared
 *   definition `shared/issues/list.ts` (the same columns and order as the add-in's).
 *
 * Checking a marked copy again does not pile marks up: the project's marks are cleared first.
 * They are recognised from a very hidden sheet `_校验标记` the project owns, which records every
 * marked cell with the fill and note it had before (restored on clearing), and — should that sheet
 * be gone — from the `【校验】` note prefix together with a fill of exactly a severity colour.
 * The user's own fills and notes elsewhere are kept.
 *
 * Two ways to build it:
 * - by patching the package (the default, `marked-patch.ts`): every part of the user's workbook not
 *   needed for the marks is copied byte for byte — pictures, charts, pivot tables, conditional
 *   formats, validations, defined names, custom XML, other sheets;
 * - by a round trip through exceljs, only for a package the patcher leaves alone: one with macros,
 *   external links or data connections, or XML outside the patterns Excel, LibreOffice and Gnumeric
 *   write. Nothing active is carried over there: macros and external links are not written
 *   (exceljs does not keep them), user defined names are dropped (print areas and print titles are
 *   kept as page setup), and formulas that referred to an external workbook or a dropped name are
 *   replaced by their cached result.
 */
import type ExcelJS from 'exceljs';
import { marksInPlace, SEVERITY_LABEL, type Severity } from '../issues/catalogue';
import type { Issue } from '../issues/issue';
import { ISSUE_LIST_COLUMNS, ISSUE_LIST_SHEET, ISSUE_LIST_WIDTHS, issueListValue, locationText, sortIssues } from '../issues/list';
import { columnNumber } from '../grid';
import { UnusableInputError } from '../types';
import { removeNote } from './exceljs-internals';
import { safeOptionalText, safeSheetName, safeText, sheetRef } from './safe';
import {
  applyPrintSetup, BORDER_ALL, FILL_HEADER, fixInternalHyperlinks, FONT_BODY, FONT_HEADER, FONT_LINK, FONT_TITLE,
  patchXlsx, SEVERITY_ARGB, severityFill, type WithValidations, wrappedRowHeight,
} from './style';

import { ISSUE_SHEET_TITLE, MARK_PREFIX, MARKER_SHEET_NAME, patchMarkedCopy, PatchUnsupported } from './marked-patch';
import { Unusable, unusable } from './read-zip';

export { ISSUE_SHEET_TITLE, MARK_PREFIX, MARKER_SHEET_NAME };
/** Name of the issue-list sheet added to the marked copy. */
export const ISSUE_SHEET_NAME = ISSUE_LIST_SHEET;

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const OUR_ARGB = new Set(Object.values(SEVERITY_ARGB));

export interface MarkedCopyOptions {
  /** File name for messages. */
  file?: string;
  /**
   * 'patch' (default): build the copy by patching the package (shared/xlsx/marked-patch.ts: every
   * part not needed for the marks byte for byte, pictures, charts and defined names kept); a
   * package the patcher does not handle (macros, external links, prefixed XML) falls back to the
   * exceljs round trip. 'exceljs': always the round trip (kept for those packages and for tests).
   */
  engine?: 'exceljs' | 'patch';
  /**
   * The parts of `original` already inflated by reading it (`readXlsx(…, { parts })`), by name as
   * stored: the patcher uses them instead of inflating them again.
   */
  inflated?: ReadonlyMap<string, Uint8Array>;
}

/**
 * Writes the marked copy of `original` (an .xlsx file's bytes) with `issues` (as found by reading
 * that same file, rows being its Excel rows). Throws `UnusableInputError` when exceljs cannot open it.
 */
export async function writeMarkedCopy(original: Uint8Array, issues: Issue[], opts: MarkedCopyOptions = {}): Promise<Buffer> {
  if ((opts.engine ?? 'patch') === 'patch') {
    try {
      return await patchMarkedCopy(original, issues, opts.inflated);
    } catch (e) {
      // a part that is not well-formed or declares a DTD: refused as the reader refuses one
      if (e instanceof Unusable) throw unusable(opts.file ?? '(workbook)', e);
      if (!(e instanceof PatchUnsupported)) {
        throw new UnusableInputError(
          opts.file ?? '(workbook)',
          `无法打开工作簿以生成标注副本（${(e as Error).message}）`,
          `cannot open the workbook to write the marked copy (${(e as Error).message})`,
        );
      }
      // otherwise: the exceljs round trip below
    }
  }
  // exceljs is loaded only here, for the workbooks the patcher leaves to it: the patched copy (the
  // usual case) does not pay its start-up (about a third of a second)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Workbook } = require('exceljs') as typeof import('exceljs');
  const wb = new Workbook();
  try {
    await wb.xlsx.load(Buffer.from(original.buffer, original.byteOffset, original.byteLength) as unknown as ExcelJS.Buffer);
  } catch (e) {
    throw new UnusableInputError(
      opts.file ?? '(workbook)',
      `无法打开工作簿以生成标注副本（${(e as Error).message}）`,
      `cannot open the workbook to write the marked copy (${(e as Error).message})`,
    );
  }

  clearOldMarks(wb);
  dropActiveContent(wb);

  const taken = new Set(wb.worksheets.map((w) => w.name));
  const marks = markCells(wb, issues);
  const listName = safeSheetName(ISSUE_SHEET_NAME, taken);
  addIssueSheet(wb, listName, issues, marks.located);
  addMarkerSheet(wb, listName, marks.records);

  const out = await wb.xlsx.writeBuffer();
  return patchXlsx(new Uint8Array(out as ArrayBuffer), (files) => {
    fixInternalHyperlinks(files);
    // belt and braces: never carry macros or external links, whatever exceljs does with them
    for (const name of Object.keys(files)) {
      if (/^xl\/(vbaProject\.bin|vbaProjectSignature\.bin|externalLinks\/|connections\.xml|customUI\/)/i.test(name)) delete files[name];
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Clearing old marks

interface MarkRecord {
  sheet: string;
  address: string;
  /** JSON of the fill the cell had before marking ('' for none). */
  fill: string;
  /** JSON of the note the cell had before marking ('' for none). */
  note: string;
}

function noteText(note: ExcelJS.Cell['note']): string {
  if (!note) return '';
  if (typeof note === 'string') return note;
  return (note.texts ?? []).map((t) => t.text ?? '').join('');
}

function isOurFill(fill: ExcelJS.Fill | undefined): boolean {
  if (!fill || fill.type !== 'pattern') return false;
  const argb = (fill.fgColor as { argb?: string } | undefined)?.argb;
  return !!argb && OUR_ARGB.has(argb.toUpperCase());
}

/** Sets a cell's fill without touching a style object other cells may share. */
function setFill(cell: ExcelJS.Cell, fill: ExcelJS.Fill | undefined): void {
  const style = { ...cell.style } as Partial<ExcelJS.Style>;
  if (fill) style.fill = fill;
  else delete style.fill;
  cell.style = style;
}

function clearOldMarks(wb: ExcelJS.Workbook): void {
  const marker = wb.getWorksheet(MARKER_SHEET_NAME);
  let oldList: string | null = null;
  if (marker) {
    marker.eachRow((row, r) => {
      if (r === 1) return;
      const kind = safeText(row.getCell(1).value);
      if (kind === 'list') {
        oldList = safeText(row.getCell(2).value);
        return;
      }
      if (kind !== 'cell') return;
      const rec: MarkRecord = {
        sheet: safeText(row.getCell(2).value),
        address: safeText(row.getCell(3).value),
        fill: safeText(row.getCell(4).value),
        note: safeText(row.getCell(5).value),
      };
      const ws = wb.getWorksheet(rec.sheet);
      if (!ws || !/^[A-Z]{1,3}\d+$/.test(rec.address)) return;
      const cell = ws.getCell(rec.address);
      if (noteText(cell.note).startsWith(MARK_PREFIX)) {
        if (rec.note) cell.note = JSON.parse(rec.note) as ExcelJS.Comment;
        else removeNote(cell);
      }
      if (isOurFill(cell.fill)) setFill(cell, rec.fill ? (JSON.parse(rec.fill) as ExcelJS.Fill) : undefined);
    });
    wb.removeWorksheet(marker.id);
  }
  // Anything still carrying our prefix (marker sheet lost, or a cell copied elsewhere).
  for (const ws of wb.worksheets) {
    ws.eachRow({ includeEmpty: false }, (row) => {
      // includeEmpty: a mark may sit on an empty cell (a missing required value)
      row.eachCell({ includeEmpty: true }, (cell) => {
        if (!noteText(cell.note).startsWith(MARK_PREFIX)) return;
        removeNote(cell);
        if (isOurFill(cell.fill)) setFill(cell, undefined);
      });
    });
  }
  for (const ws of [...wb.worksheets]) {
    const ours = (oldList !== null && ws.name === oldList) || safeText(ws.getCell('A1').value) === ISSUE_SHEET_TITLE;
    if (ours) wb.removeWorksheet(ws.id);
  }
}

// ---------------------------------------------------------------------------------------------
// Active content from the input

function dropActiveContent(wb: ExcelJS.Workbook): void {
  const names = (wb.definedNames.model ?? []).map((d: { name: string }) => d.name).filter((n: string) => !n.startsWith('_xlnm.'));
  wb.definedNames.model = [];
  const nameRe = names.length
    ? new RegExp(`(^|[^A-Za-z0-9_.\\u4e00-\\u9fff])(${names.map(escapeRe).join('|')})(?![A-Za-z0-9_.(\\u4e00-\\u9fff])`, 'i')
    : null;
  const externalRe = /\[\d+\]|\[[^\]]*\.xls[xmb]?\]/i;
  for (const ws of wb.worksheets) {
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        const v = cell.value as { formula?: string; sharedFormula?: string; result?: unknown } | null;
        if (!v || typeof v !== 'object' || !('formula' in v || 'sharedFormula' in v)) return;
        const f = v.formula ?? '';
        if (externalRe.test(f) || (nameRe && nameRe.test(f)) || (!v.formula && v.sharedFormula)) {
          cell.value = cachedValue(v.result);
        }
      });
    });
    // validations whose list refers to a dropped name or another workbook
    const dv = (ws as unknown as WithValidations).dataValidations.model as Record<string, { formulae?: unknown[] } | undefined>;
    for (const [addr, val] of Object.entries(dv)) {
      const fs = (val?.formulae ?? []).map(String).join(' ');
      if (externalRe.test(fs) || (nameRe && nameRe.test(fs))) delete dv[addr];
    }
  }
}

function cachedValue(result: unknown): ExcelJS.CellValue {
  if (result === undefined || result === null) return null;
  if (typeof result === 'number' || typeof result === 'boolean' || result instanceof Date) return result;
  if (typeof result === 'object' && 'error' in (result as object)) return result as ExcelJS.CellErrorValue;
  return safeText(result);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------
// Marking

interface Located {
  sheet: string;
  address: string;
}

function markCells(wb: ExcelJS.Workbook, issues: Issue[]): { records: MarkRecord[]; located: (Located | null)[] } {
  const byCell = new Map<string, { ws: ExcelJS.Worksheet; address: string; issues: Issue[] }>();
  const located: (Located | null)[] = [];
  for (const is of issues) {
    const ws = is.sheet ? wb.getWorksheet(is.sheet) : undefined;
    let address: string | null = null;
    if (ws && is.column && /^[A-Z]{1,3}$/.test(is.column)) {
      if (is.row !== null && is.row >= 1) address = `${is.column}${is.row}`;
      else address = headerCellOf(ws, is);
    }
    if (!ws || !address) {
      located.push(null);
      continue;
    }
    // A cell inside a merged range (宗地代码 merged over a parcel's rows) is marked on the range's
    // top-left cell, where its value is shown.
    const cell = ws.getCell(address);
    if (cell.isMerged && cell.master.address !== cell.address) address = cell.master.address;
    located.push({ sheet: ws.name, address });
    // Total and note rows are listed (with their link) but never marked.
    if (!marksInPlace(is.code)) continue;
    const key = `${ws.name}\u0000${address}`;
    const slot = byCell.get(key) ?? { ws, address, issues: [] };
    slot.issues.push(is);
    byCell.set(key, slot);
  }
  const records: MarkRecord[] = [];
  for (const { ws, address, issues: here } of byCell.values()) {
    const cell = ws.getCell(address);
    const worst = here.reduce<Severity>((w, x) => (SEVERITY_ORDER[x.severity] < SEVERITY_ORDER[w] ? x.severity : w), 'info');
    const before = cell.note;
    records.push({
      sheet: ws.name,
      address,
      fill: cell.fill ? JSON.stringify(cell.fill) : '',
      note: before ? JSON.stringify(typeof before === 'string' ? { texts: [{ text: before }] } : before) : '',
    });
    const lines = here.map((x) => `${SEVERITY_LABEL[x.severity]}：${safeText(x.message)}${x.hint ? `（${safeText(x.hint)}）` : ''}`);
    const own = noteText(before);
    const text = `${MARK_PREFIX}\n${lines.join('\n')}${own ? `\n——原备注：\n${own}` : ''}`;
    setFill(cell, severityFill(worst));
    cell.note = { texts: [{ text }], editAs: 'absolute' } as ExcelJS.Comment;
  }
  return { records, located };
}

/** For a sheet-level issue on a column: the header cell, i.e. the cell of that column (rows 1–30) holding the column's title. */
function headerCellOf(ws: ExcelJS.Worksheet, is: Issue): string | null {
  const col = columnNumber(is.column!);
  const want = [is.value, is.field].filter((x): x is string => !!x).map((s) => s.replace(/\s+/g, ''));
  if (!want.length) return null;
  for (let r = 1; r <= Math.min(30, ws.rowCount); r++) {
    const t = safeText(ws.getCell(r, col).value).replace(/\s+/g, '');
    if (t && want.includes(t)) return `${is.column}${r}`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The issue list and the bookkeeping sheet

function addIssueSheet(wb: ExcelJS.Workbook, name: string, issues: Issue[], located: (Located | null)[]): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 3 }] });
  const n = ISSUE_LIST_COLUMNS.length;
  ws.mergeCells(1, 1, 1, n);
  const title = ws.getCell(1, 1);
  title.value = ISSUE_SHEET_TITLE;
  title.style = { font: FONT_TITLE, alignment: { horizontal: 'center', vertical: 'middle' } };
  ws.getRow(1).height = 30;
  const counts = { error: 0, warning: 0, info: 0 };
  for (const is of issues) counts[is.severity]++;
  ws.mergeCells(2, 1, 2, n);
  ws.getCell(2, 1).value = `共 ${issues.length} 条：错误 ${counts.error} 条，警告 ${counts.warning} 条，提示 ${counts.info} 条。点击“位置”可跳转到该单元格；有错误的行不参与认定。`;
  ws.getCell(2, 1).style = { font: FONT_BODY, alignment: { horizontal: 'left', vertical: 'middle', wrapText: true } };
  ws.getRow(2).height = 22;
  const header = ws.getRow(3);
  ISSUE_LIST_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.title;
    cell.style = { font: FONT_HEADER, fill: FILL_HEADER, border: BORDER_ALL, alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } };
  });
  const body: Partial<ExcelJS.Style> = { font: FONT_BODY, border: BORDER_ALL, alignment: { vertical: 'top', wrapText: true } };
  const link: Partial<ExcelJS.Style> = { font: FONT_LINK, border: BORDER_ALL, alignment: { vertical: 'top' } };
  const sevStyle = Object.fromEntries(
    (['error', 'warning', 'info'] as Severity[]).map((s) => [s, { ...body, fill: severityFill(s), alignment: { horizontal: 'center', vertical: 'top' } }]),
  ) as Record<Severity, Partial<ExcelJS.Style>>;
  const locatedOf = new Map(issues.map((is, i) => [is, located[i]]));
  sortIssues(issues).forEach((is, i) => {
    const row = ws.getRow(4 + i);
    const loc = locatedOf.get(is) ?? null;
    const texts: unknown[] = [];
    ISSUE_LIST_COLUMNS.forEach((c, k) => {
      const cell = row.getCell(k + 1);
      if (c.kind === 'link') {
        const text = locationText(is, loc ? loc.address : null);
        if (loc) {
          cell.value = { text, hyperlink: sheetRef(loc.sheet, loc.address), tooltip: `转到 ${safeText(loc.sheet)} ${loc.address}` };
          cell.style = link;
        } else {
          cell.value = safeText(text);
          cell.style = body;
        }
        return;
      }
      const v = issueListValue(c, is, i + 1);
      texts[k] = v;
      // user text: always an inert string cell ('' left blank)
      cell.value = typeof v === 'number' ? v : safeOptionalText(v);
      cell.style = c.key === 'severity' ? sevStyle[is.severity] : body;
    });
    // the row's height fits its wrapped texts (LibreOffice and WPS keep a written row at the default height)
    const ht = wrappedRowHeight(texts, ISSUE_LIST_WIDTHS, 15);
    if (ht !== undefined) row.height = ht;
  });
  ISSUE_LIST_COLUMNS.forEach((c, i) => (ws.getColumn(i + 1).width = c.width));
  if (issues.length) ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3 + issues.length, column: n } };
  applyPrintSetup(ws, { titleRows: '1:3' });
}

function addMarkerSheet(wb: ExcelJS.Workbook, listName: string, records: MarkRecord[]): void {
  const ws = wb.addWorksheet(MARKER_SHEET_NAME, { state: 'veryHidden' });
  ws.addRow(['kind', 'sheet', 'address', 'fillBefore', 'noteBefore']);
  ws.addRow(['list', listName]);
  for (const r of records) ws.addRow(['cell', r.sheet, r.address, r.fill, r.note]);
}

