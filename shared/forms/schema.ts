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

/** One cell on the wire: text, number (dates as Excel serials), boolean, blank or an Excel error. */
export const cellSchema = z.union([
  z.string().max(32_767), // Excel's own limit for a cell
  z.number(),
  z.boolean(),
  z.null(),
  z.object({ error: z.string() }).strict(),
]);

/** A SheetGrid as JSON (request bodies of the cloud functions, the add-in's uploads). */
export const sheetGridSchema = z
  .object({
    name: z.string().min(1).max(100),
    rows: z.array(z.array(cellSchema)),
    firstRow: z.number().int().min(1).optional(),
    firstCol: z.number().int().min(1).optional(),
    hidden: z.boolean().optional(),
    merges: z
      .array(z.object({ top: z.number().int().min(1), left: z.number().int().min(1), bottom: z.number().int().min(1), right: z.number().int().min(1) }).strict())
      .max(100_000)
      .optional(),
  })
  .strict();

/** A WorkbookGrid as JSON. */
export const workbookGridSchema = z.object({
  file: z.string().min(1),
  sheets: z.array(sheetGridSchema),
  properties: z.record(z.string(), z.unknown()).optional(),
  date1904: z.boolean().optional(),
});

export type SheetGridWire = z.infer<typeof sheetGridSchema>;
