/**
 * The standard blank workbook of a form (`land-survey template <form|all>`), generated from the
 * forms catalogue alone: row 1 the merged title, row 2 the header of Chinese titles (a note on
 * each saying what goes there, its unit and whether it is required), then the data rows with
 * number/date/text formats and drop-down lists for every enumerated and 是/否 column.
 * The header is frozen and protected (sheet protection without password; the data cells, and
 * every cell of the form's columns below the header, stay editable). The workbook's core
 * property `keywords` carries `formId=…;templateVersion=…` (convention in ./limits.ts).
 */
import ExcelJS from 'exceljs';
import { WORKBOOK_CREATOR } from './style';

export { WORKBOOK_CREATOR };
import { getForm, TEMPLATE_VERSION, type FieldDef, type FormDef, type FormId } from '../forms';
import type { FieldValue, FormRead } from '../types';
import { columnLetter } from '../grid';
import { formKeywords } from './limits';
import { safeText } from './safe';
import {
  applyPrintSetup, BORDER_ALL, displayWidth, fieldNumFmt, FILL_HEADER, FONT_BODY, FONT_HEADER, FONT_TITLE,
  NUMFMT_DATE, type WithValidations,
} from './style';

export interface TemplateOptions {
  /**
   * A base-map extract read as the `base` form. For the `base` template its rows are copied in
   * full; for a survey form with a 宗地代码 column, the parcels are listed one per row (宗地代码,
   * and 街道 when the form has it) so a department receives its parcels already listed. Rows of
   * the extract with an error-level issue are left out.
   */
  base?: FormRead;
  /**
   * For survey forms pre-filled from `base`: which parcels to list (e.g. only the 工业 parcels for
   * the industrial form). Default: every parcel of the extract.
   */
  parcelFilter?: (values: Record<string, FieldValue>) => boolean;
  /** Data rows carrying formats and drop-down lists (default 500; at least the pre-filled rows + 100). */
  rows?: number;
}


/** Row of the title, of the header, and the first data row of every template. */
export const TEMPLATE_TITLE_ROW = 1;
export const TEMPLATE_HEADER_ROW = 2;
export const TEMPLATE_FIRST_DATA_ROW = 3;

/** Extra editable columns right of the form's own (a department may add remarks). */
const EXTRA_UNLOCKED_COLUMNS = 10;

const UNIT_LABEL: Record<string, string> = {
  m2: '平方米（㎡）',
  wan: '万元',
  percent: '%',
  wanPerMu: '万元/亩',
  ratio: '比值',
  count: '个/人',
};

const TYPE_LABEL: Record<FieldDef['type'], string> = {
  text: '文字',
  number: '数值',
  integer: '整数',
  date: '日期（如 2022-06-30）',
  year: '年份（4位）',
  bool: '是/否',
  enum: '从下拉列表选择',
  parcelId: '19位宗地代码',
  uscc: '18位统一社会信用代码',
  industryCode: '4位行业代码',
  industryClass: '2位行业大类或“商办”',
};

/** The header note of a field: what goes there, unit, format, whether required. */
export function headerNote(form: FormDef, f: FieldDef): string {
  const lines = [f.help];
  if (f.unit) lines.push(`单位：${UNIT_LABEL[f.unit] ?? f.unit}`);
  lines.push(`格式：${TYPE_LABEL[f.type]}`);
  if (f.enum) lines.push(`可选：${f.enum.join('、')}`);
  if (f.required) lines.push('必填');
  else if (f.requiredWhen) {
    const other = form.fields.find((x) => x.key === f.requiredWhen!.field);
    lines.push(`“${other?.title ?? f.requiredWhen.field}”为${f.requiredWhen.in.join('、')}时必填`);
  } else lines.push('选填');
  return lines.join('\n');
}

/** Column width of a field: its own `width`, else fit for the title and the typical content. */
export function fieldWidth(f: FieldDef): number {
  if (f.width) return f.width;
  const content: Record<FieldDef['type'], number> = {
    text: 16, number: 12, integer: 10, date: 12, year: 8, bool: 8, enum: 10,
    parcelId: 22, uscc: 21, industryCode: 10, industryClass: 10,
  };
  const enumW = f.enum ? Math.max(...f.enum.map(displayWidth)) + 4 : 0;
  return Math.min(40, Math.max(displayWidth(f.title) + 4, content[f.type], enumW));
}

/** The list of a drop-down, as a validation formula (Excel limits an inline list to 255 characters). */
function listOptions(f: FieldDef): readonly string[] | null {
  if (f.type === 'enum' && f.enum && !f.several) return f.enum;
  if (f.type === 'bool') return ['是', '否'];
  return null;
}

/** Writes the standard workbook of one form. */
export async function writeTemplate(formId: FormId, opts: TemplateOptions = {}): Promise<Buffer> {
  const form = getForm(formId);
  const wb = new ExcelJS.Workbook();
  wb.creator = WORKBOOK_CREATOR;
  wb.lastModifiedBy = WORKBOOK_CREATOR;
  wb.title = form.title;
  wb.subject = `${form.title}（${form.filledBy}）`;
  wb.keywords = formKeywords(form.id, TEMPLATE_VERSION);
  wb.category = '低效用地调查';
  wb.description = `模板版本 ${TEMPLATE_VERSION}`;
  const fixed = new Date(Date.UTC(2022, 0, 1));
  wb.created = fixed;
  wb.modified = fixed;

  const prefill = prefillRows(form, opts);
  const rows = Math.max(opts.rows ?? 500, prefill.length ? prefill.length + 100 : 0, 1);
  const n = form.fields.length;
  const lastCol = columnLetter(n);
  const firstData = TEMPLATE_FIRST_DATA_ROW;
  const lastData = firstData + rows - 1;

  const ws = wb.addWorksheet(form.title, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: TEMPLATE_HEADER_ROW, topLeftCell: `A${firstData}`, activeCell: `A${firstData}` }],
    properties: { defaultRowHeight: 18 },
  });

  // Columns: width, and an unlocked column style so rows beyond the formatted ones stay editable.
  for (let c = 1; c <= n + EXTRA_UNLOCKED_COLUMNS; c++) {
    const col = ws.getColumn(c);
    const f = form.fields[c - 1];
    col.width = f ? fieldWidth(f) : 12;
    col.style = f
      ? { font: FONT_BODY, numFmt: fieldNumFmt(f), protection: { locked: false } }
      : { font: FONT_BODY, protection: { locked: false } };
  }

  // Title
  ws.mergeCells(`A${TEMPLATE_TITLE_ROW}:${lastCol}${TEMPLATE_TITLE_ROW}`);
  const title = ws.getCell(`A${TEMPLATE_TITLE_ROW}`);
  title.value = form.title;
  title.style = { font: FONT_TITLE, alignment: { horizontal: 'center', vertical: 'middle' }, protection: { locked: true } };
  ws.getRow(TEMPLATE_TITLE_ROW).height = 32;

  // Header
  const header = ws.getRow(TEMPLATE_HEADER_ROW);
  header.height = 36;
  form.fields.forEach((f, i) => {
    const cell = header.getCell(i + 1);
    cell.value = f.title;
    cell.style = {
      font: f.required ? { ...FONT_HEADER, color: { argb: 'FFC00000' } } : FONT_HEADER,
      fill: FILL_HEADER,
      border: BORDER_ALL,
      alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
      protection: { locked: true },
    };
    cell.note = { texts: [{ text: headerNote(form, f) }], editAs: 'absolute' } as ExcelJS.Comment;
  });

  // Data rows: format and border per cell, drop-downs limited to the data rows.
  const cellStyles = form.fields.map((f) => ({ font: FONT_BODY, numFmt: fieldNumFmt(f), border: BORDER_ALL, protection: { locked: false } }));
  for (let r = firstData; r <= lastData; r++) {
    const row = ws.getRow(r);
    const values = prefill[r - firstData];
    for (let c = 0; c < n; c++) {
      const cell = row.getCell(c + 1);
      cell.style = cellStyles[c];
      if (values) {
        const v = templateCellValue(form.fields[c], values[form.fields[c].key]);
        if (v !== null) cell.value = v;
      }
    }
  }
  const listRefs = new Map<string, string>();
  form.fields.forEach((f, i) => {
    const options = listOptions(f);
    if (!options) return;
    const col = columnLetter(i + 1);
    const inline = `"${options.join(',')}"`;
    let formula = inline;
    if (inline.length > 255) formula = listRange(wb, listRefs, f, options);
    (ws as unknown as WithValidations).dataValidations.add(`${col}${firstData}:${col}${lastData}`, {
      type: 'list',
      allowBlank: true,
      formulae: [formula],
      showErrorMessage: true,
      errorStyle: 'warning',
      errorTitle: f.title,
      error: `请从下拉列表中选择：${options.join('、')}`,
    });
  });

  applyPrintSetup(ws, { titleRows: `${TEMPLATE_TITLE_ROW}:${TEMPLATE_HEADER_ROW}` });
  await ws.protect('', {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatCells: true,
    formatColumns: true,
    formatRows: true,
    insertRows: true,
    deleteRows: true,
    sort: true,
    autoFilter: true,
  });

  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}

/** Lists too long for an inline list go on a hidden sheet `_选项`. */
function listRange(wb: ExcelJS.Workbook, refs: Map<string, string>, f: FieldDef, options: readonly string[]): string {
  const got = refs.get(f.key);
  if (got) return got;
  const ws = wb.getWorksheet('_选项') ?? wb.addWorksheet('_选项', { state: 'veryHidden' });
  const col = refs.size + 1;
  ws.getCell(1, col).value = f.title;
  options.forEach((o, i) => (ws.getCell(i + 2, col).value = o));
  const letter = columnLetter(col);
  const ref = `'_选项'!$${letter}$2:$${letter}$${options.length + 1}`;
  refs.set(f.key, ref);
  return ref;
}

/** A parsed value → what the template cell holds (always inert text for texts). */
function templateCellValue(f: FieldDef, v: FieldValue | undefined): ExcelJS.CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (f.type === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) {
    return new Date(`${v}T00:00:00Z`);
  }
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return safeText(v);
}

function prefillRows(form: FormDef, opts: TemplateOptions): Record<string, FieldValue>[] {
  const base = opts.base;
  if (!base) return [];
  if (base.form !== 'base') throw new Error(`预填底图须为地块底图表（得到 ${base.form}）/ the pre-fill extract must be the base form`);
  const rows = base.rows.filter((r) => !r.hasError);
  if (form.id === 'base') return rows.map((r) => r.values);
  if (!form.fields.some((f) => f.key === 'parcelId')) return [];
  const keep = new Set(form.fields.map((f) => f.key).filter((k) => k === 'parcelId' || k === 'street'));
  const out: Record<string, FieldValue>[] = [];
  for (const r of rows) {
    if (opts.parcelFilter && !opts.parcelFilter(r.values)) continue;
    const v: Record<string, FieldValue> = {};
    for (const k of keep) v[k] = r.values[k] ?? null;
    out.push(v);
  }
  return out;
}

/** Date cells of a template use this format (exported for tests and docs). */
export const TEMPLATE_DATE_FORMAT = NUMFMT_DATE;
