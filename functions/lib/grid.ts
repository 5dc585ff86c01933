/**
 * The wire format of validate / determine: one sheet as the add-in read it — a `SheetGrid`
 * (`{name, rows, firstRow?, firstCol?}`) plus an optional `form` id and `file` label.
 * Checked by hand (one pass over the cells, fast for 10,000-row sheets); every problem is one
 * entry of the issue list of the 400 answer.
 */
import { FORMS, getForm, isFormId, type FormDef, type FormId } from '../../shared/forms';
import type { CellValue, SheetGrid } from '../../shared/grid';
import { HttpError } from './http';
import type { Limits } from './settings';

export interface GridRequest {
  sheet: SheetGrid;
  form?: FormId;
  file: string;
}

export interface SchemaIssue {
  path: string;
  message: string;
}

const MAX_SCHEMA_ISSUES = 50;

function isCell(v: unknown): v is CellValue {
  if (v === null) return true;
  const t = typeof v;
  if (t === 'string') return (v as string).length <= 32_767;
  if (t === 'number') return Number.isFinite(v as number);
  if (t === 'boolean') return true;
  if (t === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v as object);
    return keys.length === 1 && keys[0] === 'error' && typeof (v as { error: unknown }).error === 'string';
  }
  return false;
}

const ALLOWED_KEYS = new Set(['name', 'rows', 'firstRow', 'firstCol', 'hidden', 'form', 'file']);

function badForm(form: string): HttpError {
  const ids = FORMS.map((f) => `${f.id}（${f.title}）`).join('、');
  return new HttpError(404, 'unknown-form', `未知的表单“${form}”，可用的表单：${ids}`, `unknown form "${form}"`);
}

/** The form named in a route or body, or 404. */
export function formFromParam(raw: string | undefined): FormDef {
  const id = (raw ?? '').trim();
  if (!isFormId(id)) throw badForm(id.slice(0, 60));
  return getForm(id);
}

/** Validates the body of validate / determine; 400 with the issue list when it does not fit. */
export function parseGridRequest(body: unknown, limits: Limits): GridRequest {
  const issues: SchemaIssue[] = [];
  const add = (path: string, message: string) => {
    if (issues.length < MAX_SCHEMA_ISSUES) issues.push({ path, message });
  };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'invalid-request', '请求内容须为一个工作表对象 {name, rows, firstRow?, firstCol?, form?}', 'body must be a sheet object', [
      { path: '', message: '须为对象' },
    ]);
  }
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) if (!ALLOWED_KEYS.has(k)) add(k, `不认识的字段“${k}”`);
  if (typeof b.name !== 'string' || b.name.trim() === '' || b.name.length > 100) add('name', '工作表名称须为1–100个字符的文本');
  for (const k of ['firstRow', 'firstCol'] as const) {
    const v = b[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 1_048_576)) add(k, `${k} 须为正整数`);
  }
  if (b.hidden !== undefined && typeof b.hidden !== 'boolean') add('hidden', 'hidden 须为 true/false');
  if (b.file !== undefined && (typeof b.file !== 'string' || b.file.length > 255)) add('file', 'file 须为不超过255个字符的文本');
  if (b.form !== undefined) {
    if (typeof b.form !== 'string') add('form', 'form 须为表单标识文本');
    else if (!isFormId(b.form)) throw badForm(b.form.slice(0, 60));
  }
  const rows = b.rows;
  if (!Array.isArray(rows)) add('rows', 'rows 须为二维数组（按行排列的单元格值）');
  else {
    if (rows.length > limits.maxGridRows) {
      throw new HttpError(413, 'too-many-rows', `行数${rows.length}超过上限${limits.maxGridRows}`, `${rows.length} rows exceed the limit of ${limits.maxGridRows}`);
    }
    for (let r = 0; r < rows.length && issues.length < MAX_SCHEMA_ISSUES; r++) {
      const row = rows[r];
      if (!Array.isArray(row)) {
        add(`rows[${r}]`, '每一行须为单元格值数组');
        continue;
      }
      if (row.length > limits.maxGridColumns) add(`rows[${r}]`, `列数${row.length}超过上限${limits.maxGridColumns}`);
      for (let c = 0; c < row.length; c++) {
        if (!isCell(row[c])) add(`rows[${r}][${c}]`, '单元格值须为文本、数字、是/否(true/false)、null 或 {error}');
      }
    }
  }
  if (issues.length > 0) {
    throw new HttpError(400, 'invalid-request', `请求内容不符合工作表格式（${issues.length}处问题）`, 'request does not fit the sheet schema', issues);
  }
  const sheet: SheetGrid = { name: b.name as string, rows: rows as CellValue[][] };
  if (b.firstRow !== undefined) sheet.firstRow = b.firstRow as number;
  if (b.firstCol !== undefined) sheet.firstCol = b.firstCol as number;
  if (b.hidden !== undefined) sheet.hidden = b.hidden as boolean;
  return { sheet, form: b.form as FormId | undefined, file: (b.file as string | undefined) ?? sheet.name };
}
