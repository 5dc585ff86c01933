/**
 * The wire format of validate / determine: one sheet as the add-in read it — a `SheetGrid`
 * (`{name, rows, firstRow?, firstCol?}`) plus an optional `form` id and `file` label.
 * Checked with the shared wire schema (`sheetGridSchema` of shared/forms/schema.ts); every problem
 * is one entry of the issue list of the 400 answer, with a Chinese message.
 */
import { FORMS, getForm, isFormId, type FormDef, type FormId } from '../../shared/forms';
import { z } from 'zod';
import { gridExtentProblem, safeParseGrid, sheetGridSchema } from '../../shared/forms/schema';
import type { SheetGrid } from '../../shared/grid';
import { HttpError } from './http';
import type { Limits } from './settings';

export interface GridRequest {
  sheet: SheetGrid;
  form?: FormId;
  file: string;
  /** The sheet's workbook uses the 1904 date system (domain.md §9.8). */
  date1904?: boolean;
}

export interface SchemaIssue {
  path: string;
  message: string;
}

const MAX_SCHEMA_ISSUES = 50;

/** The request body: the shared wire shape of a sheet, plus the form id and a file label. */
const gridRequestSchema = sheetGridSchema.extend({ form: z.string().optional(), file: z.string().max(255).optional(), date1904: z.boolean().optional() }).strict();

/** zod's messages in Chinese (the answers' `message` is Chinese). */
export const zhCN = z.locales.zhCN().localeError;

/** `['rows', 2, 0]` → `rows[2][0]`. */
function pathText(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** An unknown form: 404 in a route (no such resource), 400 in a body (the request is wrong). */
function badForm(form: string, status: 400 | 404): HttpError {
  const ids = FORMS.map((f) => `${f.id}（${f.title}）`).join('、');
  return new HttpError(status, 'unknown-form', `未知的表单“${form}”，可用的表单：${ids}`, `unknown form "${form}"`);
}

/** The form named in a route, or 404. */
export function formFromParam(raw: string | undefined): FormDef {
  const id = (raw ?? '').trim();
  if (!isFormId(id)) throw badForm(id.slice(0, 60), 404);
  return getForm(id);
}

/** Validates the body of validate / determine against the shared wire schema; 400 with the issue list when it does not fit. */
export function parseGridRequest(body: unknown, limits: Limits): GridRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'invalid-request', '请求内容须为一个工作表对象 {name, rows, firstRow?, firstCol?, form?}', 'body must be a sheet object', [
      { path: '', message: '须为对象' },
    ]);
  }
  const b = body as Record<string, unknown>;
  if (typeof b.form === 'string' && !isFormId(b.form)) throw badForm(b.form.slice(0, 60), 400);
  const rows = b.rows;
  // a grid past the configured size is too large (413), like a body past its byte limit
  if (Array.isArray(rows) && rows.length > limits.maxGridRows) {
    throw new HttpError(413, 'too-many-rows', `行数${rows.length}超过上限${limits.maxGridRows}`, `${rows.length} rows exceed the limit of ${limits.maxGridRows}`);
  }
  const wide = Array.isArray(rows) ? rows.findIndex((r) => Array.isArray(r) && r.length > limits.maxGridColumns) : -1;
  if (wide >= 0) {
    const n = (rows as unknown[][])[wide].length;
    throw new HttpError(413, 'too-many-columns', `第${wide + 1}行（rows[${wide}]）列数${n}超过上限${limits.maxGridColumns}`, `rows[${wide}] has ${n} columns, over the limit of ${limits.maxGridColumns}`);
  }
  const parsed = safeParseGrid(gridRequestSchema, body, { error: zhCN });
  const issues: SchemaIssue[] = parsed.success ? [] : parsed.error.issues.slice(0, MAX_SCHEMA_ISSUES).map((i) => ({ path: pathText(i.path), message: i.message }));
  if (parsed.success) {
    const outside = gridExtentProblem(parsed.data);
    if (outside) issues.push(outside);
  }
  if (!parsed.success || issues.length > 0) {
    throw new HttpError(400, 'invalid-request', `请求内容不符合工作表格式（${issues.length}处问题）`, 'request does not fit the sheet schema', issues);
  }
  const { form, file, date1904, ...sheet } = parsed.data;
  return { sheet, form: form as FormId | undefined, file: file ?? sheet.name, date1904: !!date1904 };
}
