/**
 * zod schemas derived from the forms catalogue (never listing a form's columns by hand):
 * - rowValuesSchema(formId): the typed values of a parsed row (every field key present, null when
 *   blank or not understood);
 * - sheetGridSchema / workbookGridSchema: the JSON wire shape of the grid the cloud functions and
 *   the add-in exchange (dates travel as Excel serials or ISO strings).
 */
import { z } from 'zod';
import { USCC_ALPHABET } from '../codes';
import { getForm } from './index';
import type { FieldDef, FormId } from './types';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const PARCEL_ID = /^\d{12}[GJZ][ABSXCDEFGHWY]\d{5}$/;
const USCC = new RegExp(`^[${USCC_ALPHABET}]{18}$`);
const INDUSTRY_CODE = /^\d{4}$/;
const INDUSTRY_CLASS = /^(\d{2}|商办)$/;

function bounded(s: z.ZodNumber, f: FieldDef): z.ZodNumber {
  let out = s;
  if (f.min !== undefined) out = f.minExclusive ? out.gt(f.min) : out.gte(f.min);
  if (f.max !== undefined) out = out.lte(f.max);
  return out;
}

/** Schema of one field's normalised value (null allowed: blank or not understood). */
export function fieldValueSchema(f: FieldDef): z.ZodType {
  switch (f.type) {
    case 'text':
      return z.string().nullable();
    case 'number':
      return bounded(z.number(), f).nullable();
    case 'integer':
      return bounded(z.number().int(), f).nullable();
    case 'date':
      return z.string().regex(ISO_DATE).nullable();
    case 'year':
      // the upper bound of 建成年份 is the evaluation year, which is the rule set's, not the form's
      return bounded(z.number().int(), f).nullable();
    case 'bool':
      return z.boolean().nullable();
    case 'enum':
      return z.enum(f.enum as [string, ...string[]]).nullable();
    case 'parcelId':
      return z.string().regex(PARCEL_ID).nullable();
    case 'uscc':
      return z.string().regex(USCC).nullable();
    case 'industryCode':
      return z.string().regex(INDUSTRY_CODE).nullable();
    case 'industryClass':
      return z.string().regex(INDUSTRY_CLASS).nullable();
  }
}

const rowSchemas = new Map<FormId, z.ZodType>();

/** The typed FieldValues of a parsed row of a form: every field key, nothing else. */
export function rowValuesSchema(formId: FormId): z.ZodType<Record<string, string | number | boolean | null>> {
  let s = rowSchemas.get(formId);
  if (!s) {
    const shape: Record<string, z.ZodType> = {};
    for (const f of getForm(formId).fields) shape[f.key] = fieldValueSchema(f);
    s = z.object(shape).strict();
    rowSchemas.set(formId, s);
  }
  return s as z.ZodType<Record<string, string | number | boolean | null>>;
}

/** The longest text a cell takes (Excel's own limit). */
const MAX_CELL_CHARS = 32_767;

/** One cell on the wire: text, number (dates as Excel serials), boolean, blank or an Excel error. */
export const cellSchema = z.union([
  z.string().max(MAX_CELL_CHARS), // Excel's own limit for a cell
  z.number(),
  z.boolean(),
  z.null(),
  z.object({ error: z.string() }).strict(),
]);

/**
 * cellSchema's answer for one value, without zod (a test holds the two to the same answers).
 * Through the union, a grid of 10,000 rows took zod 50–80 ms, most of a request's check.
 */
export function isWireCell(v: unknown): boolean {
  if (v === null) return true;
  switch (typeof v) {
    case 'string':
      return v.length <= MAX_CELL_CHARS;
    case 'number':
      return Number.isFinite(v);
    case 'boolean':
      return true;
    case 'object': {
      const proto = Object.getPrototypeOf(v);
      if (Array.isArray(v) || (proto !== Object.prototype && proto !== null)) return false;
      const keys = Object.keys(v as object);
      return keys.length === 1 && keys[0] === 'error' && typeof (v as { error: unknown }).error === 'string';
    }
    default:
      return false;
  }
}

/**
 * `schema.safeParse(body)` for a schema that extends sheetGridSchema, with the cells checked by
 * isWireCell: when every row is an array of wire cells, zod checks the rest of the body (rows
 * left empty) and the answer carries the rows as sent; otherwise zod checks it all, so what it
 * says of a bad body (paths, messages) is what safeParse says.
 */
export function safeParseGrid<T extends { rows: unknown[][] }>(
  schema: z.ZodType<T>,
  body: unknown,
  params?: Parameters<z.ZodType<T>['safeParse']>[1],
): ReturnType<z.ZodType<T>['safeParse']> {
  const rows = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { rows?: unknown }).rows : undefined;
  if (Array.isArray(rows) && rows.every((r) => Array.isArray(r) && r.every(isWireCell))) {
    const rest = schema.safeParse({ ...(body as object), rows: [] }, params);
    if (rest.success) return { success: true, data: { ...rest.data, rows: rows as T['rows'] } } as ReturnType<z.ZodType<T>['safeParse']>;
  }
  return schema.safeParse(body, params);
}

/** A worksheet's size in Excel (xlsx): rows and columns. */
export const EXCEL_MAX_ROWS = 1_048_576;
export const EXCEL_MAX_COLS = 16_384;
const sheetRow = z.number().int().min(1).max(EXCEL_MAX_ROWS);
const sheetCol = z.number().int().min(1).max(EXCEL_MAX_COLS);

/** A SheetGrid as JSON (request bodies of the cloud functions, the add-in's uploads). */
export const sheetGridSchema = z
  .object({
    name: z.string().min(1).max(100),
    rows: z.array(z.array(cellSchema)),
    firstRow: sheetRow.optional(),
    firstCol: sheetCol.optional(),
    hidden: z.boolean().optional(),
    merges: z
      .array(
        z
          .object({ top: sheetRow, left: sheetCol, bottom: sheetRow, right: sheetCol })
          .strict()
          .refine((m) => m.top <= m.bottom && m.left <= m.right, '合并区域的起始行列须不大于结束行列'),
      )
      .max(100_000)
      .optional(),
  })
  .strict();

/**
 * Where a sheet's cells would lie past Excel's last row or column (firstRow + rows − 1, firstCol +
 * the widest row − 1): the path and a Chinese message, or null. The schema checks each field; this
 * checks the extent, which no field shows alone.
 */
export function gridExtentProblem(g: { rows: readonly (readonly unknown[])[]; firstRow?: number; firstCol?: number }): { path: string; message: string } | null {
  const r0 = g.firstRow ?? 1;
  const c0 = g.firstCol ?? 1;
  if (r0 + g.rows.length - 1 > EXCEL_MAX_ROWS) return { path: 'rows', message: `自第${r0}行起的${g.rows.length}行超出工作表的最后一行（${EXCEL_MAX_ROWS}）` };
  for (let i = 0; i < g.rows.length; i++) {
    if (c0 + g.rows[i].length - 1 > EXCEL_MAX_COLS) return { path: `rows[${i}]`, message: `自第${c0}列起的${g.rows[i].length}列超出工作表的最后一列（${EXCEL_MAX_COLS}）` };
  }
  return null;
}

/** A WorkbookGrid as JSON. */
export const workbookGridSchema = z.object({
  file: z.string().min(1),
  sheets: z.array(sheetGridSchema),
  properties: z.record(z.string(), z.unknown()).optional(),
  date1904: z.boolean().optional(),
});

export type SheetGridWire = z.infer<typeof sheetGridSchema>;
