/**
 * Writes the sample data set as the departments' own workbooks (exceljs streaming writer, so a
 * large `scale` for the bench stays cheap in memory): merged title rows, a group header row, moved
 * columns, an unknown extra column, blank rows between records and hand-typed values.
 */
import ExcelJS from 'exceljs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { getForm, type FieldDef } from '../forms';
import { columnLetter, type CellValue } from '../grid';
import type { FieldValue } from '../types';
import { generateSample, type RawCell, type SampleData, type SampleOptions, type SampleSheet, type SampleWorkbook } from './generate';

export interface WrittenSample {
  data: SampleData;
  /** Absolute or dir-relative paths of the workbooks written, in the order of `data.workbooks`. */
  files: string[];
}

/** Writes one workbook per department into `dir` (created if needed). */
export async function writeSampleWorkbooks(dir: string, opts: SampleOptions & { data?: SampleData } = {}): Promise<WrittenSample> {
  const data = opts.data ?? generateSample(opts);
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const wbSpec of data.workbooks) files.push(await writeSampleWorkbook(dir, wbSpec));
  return { data, files };
}

/** Writes one sample workbook into `dir` (which must exist); returns its path. */
export async function writeSampleWorkbook(dir: string, wbSpec: SampleWorkbook): Promise<string> {
  const file = join(dir, wbSpec.file);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: true });
  wb.creator = wbSpec.department;
  for (const sheet of wbSpec.sheets) writeSheet(wb, sheet);
  await wb.commit();
  return file;
}

type Column = { title: string; field?: FieldDef; extra?: string[]; number?: true };

function writeSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, sheet: SampleSheet): void {
  const form = getForm(sheet.form);
  const shape = sheet.shape;
  const keys = shape.columns ?? form.fields.map((f) => f.key);
  const unitOf = new Map((shape.units ?? []).map((u) => [u.key, u]));
  const cols: Column[] = keys.map((k) => {
    const field = form.fields.find((f) => f.key === k);
    if (!field) throw new Error(`sample: form ${form.id} has no field ${k}`);
    return { title: unitOf.get(k)?.title ?? field.title, field };
  });
  for (const x of [...(shape.extraColumns ?? [])].sort((a, b) => b.after - a.after)) {
    cols.splice(x.after + 1, 0, { title: x.title, extra: x.values });
  }
  if (shape.numberColumn) cols.unshift({ title: shape.numberColumn, number: true });
  const groups = shape.groups && shape.numberColumn ? [{ label: '', span: 1 }, ...shape.groups] : shape.groups;
  const headerRowNo = 1 + (shape.title ? 1 : 0) + (shape.subtitle ? 1 : 0) + (groups ? 1 : 0);
  const ws = wb.addWorksheet(shape.sheetName, { views: [{ state: 'frozen', ySplit: headerRowNo }] });
  ws.columns = cols.map((c) => ({ width: Math.max(c.number ? 6 : 10, Math.min(40, textWidth(c.title) + 4)) }));

  const n = cols.length;
  if (shape.title) {
    const r = ws.addRow([shape.title]);
    r.font = { name: '宋体', size: 16, bold: true };
    r.alignment = { horizontal: 'center' };
    ws.mergeCells(r.number, 1, r.number, n);
    r.commit();
  }
  if (shape.subtitle) ws.addRow([shape.subtitle]).commit();
  const rich = new Set(shape.richHeaders ?? []);
  const titleOf = (c: Column) => (c.field && rich.has(c.field.key) ? richTitle(c.title) : c.title);
  /** Columns whose title stands in the group row, merged down over both header rows. */
  const upper = new Set<number>();
  if (groups) {
    const values: ExcelJS.CellValue[] = [];
    let c = 0;
    for (const g of groups) {
      for (let i = 0; i < g.span; i++, c++) {
        if (shape.twoRowHeader && !g.label) {
          upper.add(c);
          values.push(titleOf(cols[c]));
        } else values.push(i === 0 ? g.label : '');
      }
    }
    const r = ws.addRow(values);
    r.font = { bold: true };
    c = 1;
    for (const g of groups) {
      if (g.span > 1 && g.label) ws.mergeCells(r.number, c, r.number, c + g.span - 1);
      c += g.span;
    }
  }
  const header = ws.addRow(cols.map((c, i) => (upper.has(i) ? null : titleOf(c))));
  header.font = { bold: true };
  // rows stay open until their merges are made (the streaming writer cannot merge committed rows)
  for (const k of upper) ws.mergeCells(header.number - 1, k + 1, header.number, k + 1);
  header.commit();

  const overrides = new Map<string, RawCell>();
  for (const o of shape.overrides ?? []) overrides.set(`${o.index}\u0000${o.key}`, o.raw);
  const hidden = new Set(shape.hiddenRows ?? []);
  const letterOf = new Map(cols.filter((c) => c.field).map((c) => [(c.field as FieldDef).key, columnLetter(cols.indexOf(c) + 1)]));
  const rowNumberOf = (index: number) => header.number + 1 + index + (shape.blankRowEvery ? Math.floor(index / shape.blankRowEvery) : 0);
  const mergeCol = shape.mergeDown ? cols.findIndex((c) => c.field?.key === shape.mergeDown) : -1;
  const mergeKey = shape.mergeDown;
  /** Whether record `index` continues the run of the record above (same value, no blank row, no typed override). */
  const continues = (index: number) => {
    if (!mergeKey || mergeCol < 0 || index === 0) return false;
    if (rowNumberOf(index) !== rowNumberOf(index - 1) + 1) return false;
    if (overrides.has(`${index}\u0000${mergeKey}`) || overrides.has(`${index - 1}\u0000${mergeKey}`)) return false;
    const v = sheet.rows[index][mergeKey] ?? null;
    return v !== null && v === (sheet.rows[index - 1][mergeKey] ?? null);
  };
  let runStart = -1;
  /** Rows written but not committed: the open run of merged records. */
  let pending: ExcelJS.Row[] = [];
  const closeRun = (lastIndex: number) => {
    if (runStart >= 0 && lastIndex > runStart) ws.mergeCells(rowNumberOf(runStart), mergeCol + 1, rowNumberOf(lastIndex), mergeCol + 1);
    runStart = -1;
    pending.at(-1)?.commit();
    pending = [];
  };
  const sums = new Map((shape.totalRow?.sum ?? []).map((k) => [k, 0]));

  sheet.rows.forEach((row, index) => {
    const rowNumber = rowNumberOf(index);
    const inRun = continues(index);
    if (!inRun) {
      closeRun(index - 1);
      runStart = index;
    }
    const values = cols.map((c, ci): ExcelJS.CellValue => {
      if (c.number) return index + 1;
      if (c.extra) return c.extra[index] ?? null;
      if (inRun && ci === mergeCol) return null; // the merged range's value sits in its first row
      const f = c.field as FieldDef;
      const key = `${index}\u0000${f.key}`;
      if (overrides.has(key)) return toExcel(overrides.get(key) as RawCell, rowNumber, letterOf);
      const v = row[f.key] ?? null;
      const unit = unitOf.get(f.key);
      if (typeof v === 'number' && sums.has(f.key)) sums.set(f.key, (sums.get(f.key) as number) + v);
      return (unit && typeof v === 'number' ? Math.round(v * unit.factor * 100) / 100 : cellOf(f, v)) as ExcelJS.CellValue;
    });
    const r = ws.addRow(values);
    if (r.number !== rowNumber) throw new Error(`sample: row ${r.number} written where ${rowNumber} was expected`);
    cols.forEach((c, i) => {
      if (c.field?.type === 'date' && values[i] instanceof Date) r.getCell(i + 1).numFmt = 'yyyy-mm-dd';
    });
    if (hidden.has(index)) r.hidden = true;
    pending.push(r);
    if (shape.blankRowEvery && (index + 1) % shape.blankRowEvery === 0 && index + 1 < sheet.rows.length) {
      closeRun(index);
      ws.addRow([]).commit();
    }
  });
  closeRun(sheet.rows.length - 1);
  if (shape.totalRow) {
    const r = ws.addRow(
      cols.map((c, i) => {
        if (i === 0) return shape.totalRow!.label;
        const k = c.field?.key;
        if (!k || !sums.has(k)) return null;
        const factor = unitOf.get(k)?.factor ?? 1;
        return Math.round((sums.get(k) as number) * factor * 100) / 100;
      }),
    );
    r.font = { bold: true };
    r.commit();
  }
  for (const line of shape.noteLines ?? []) ws.addRow(line).commit();
  ws.commit();
}

/** A title as rich-text runs: the Chinese part and the bracketed Latin part in another font. */
function richTitle(title: string): ExcelJS.CellRichTextValue {
  const m = /^(.*?)([(（].*)$/.exec(title);
  const parts = m ? [m[1], m[2]] : [title.slice(0, 2), title.slice(2)];
  return { richText: parts.filter((p) => p).map((text, i) => ({ text, font: i === 0 ? { name: '宋体', bold: true } : { name: 'Arial', bold: true } })) };
}

/** A raw cell for exceljs; `{field}` placeholders of a formula become the cells of this row. */
function toExcel(raw: RawCell, rowNumber: number, letterOf: Map<string, string>): ExcelJS.CellValue {
  if (raw !== null && typeof raw === 'object' && 'formula' in raw) {
    const formula = raw.formula.replace(/\{(\w+)\}/g, (_, k: string) => `${letterOf.get(k) ?? 'A'}${rowNumber}`);
    return { formula, result: raw.result } as ExcelJS.CellFormulaValue;
  }
  return raw as ExcelJS.CellValue;
}

/** The cell a person would type for a logical value. */
function cellOf(f: FieldDef, v: FieldValue): CellValue {
  if (v === null) return null;
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (f.type === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const [y, m, d] = v.split('-').map(Number);
    return new Date(Date.UTC(y, m - 1, d));
  }
  return v;
}

function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) > 0xff ? 2 : 1;
  return w;
}
