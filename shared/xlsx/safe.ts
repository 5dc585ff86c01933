/**
 * What the project writes into workbooks must never become active content.
 *
 * - Text that came from a user (a name, a description, an issue's "value as found") is always
 *   written as a plain string cell value. exceljs (buffered and streaming writers alike) stores a
 *   JS string as a string cell (`t="s"`/shared string), so `=HYPERLINK(...)`, `+1`, `-2`, `@SUM(...)`
 *   stay inert text; the only way to get a formula is to pass `{ formula }`, which `safeText`
 *   never returns. `safeText` also removes characters XML 1.0 cannot carry (they would corrupt
 *   the file) and cuts text to Excel's cell limit.
 * - Sheet names are sanitised to what Excel, WPS and LibreOffice all accept.
 */

import { isDate } from '../grid';

/** Excel's limit of characters in one cell. */
export const MAX_CELL_TEXT = 32767;

// Control characters other than tab, LF and CR, lone surrogates and U+FFFE/U+FFFF are not allowed in XML 1.0.
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Any character that may be illegal (a surrogate may be half of a legal pair): no lookaround, no /g state. */
const MAYBE_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/**
 * Any value → a string that can be written as an inert text cell.
 * `null`/`undefined` → '' ; Date → `YYYY-MM-DD`; objects (rich text, hyperlink or formula objects
 * read from an input workbook) → their visible text; never a formula object.
 */
export function safeText(v: unknown): string {
  let s: string;
  if (v === null || v === undefined) s = '';
  else if (typeof v === 'string') s = v;
  else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') s = String(v);
  else if (isDate(v)) s = Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  else if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) s = (o.richText as { text?: unknown }[]).map((r) => String(r.text ?? '')).join('');
    else if (typeof o.text === 'string') s = o.text;
    else if (typeof o.error === 'string') s = o.error;
    else if ('result' in o) s = safeText(o.result);
    else s = '';
  } else s = String(v);
  // most texts hold none of these: a plain class test first, the replace with lookarounds only when needed
  if (MAYBE_ILLEGAL.test(s)) s = s.replace(XML_ILLEGAL, '');
  if (s.length > MAX_CELL_TEXT) s = s.slice(0, MAX_CELL_TEXT);
  return s;
}

/** Text or null (blank cell) for optional texts: '' and null give null. */
export function safeOptionalText(v: unknown): string | null {
  const s = safeText(v);
  return s === '' ? null : s;
}

/** A finite number, or null (never NaN/Infinity, which Excel cannot store). */
export function safeNumber(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

const SHEET_ILLEGAL = /[\[\]:*?/\\\u0000-\u001F]/g;
/** Excel reserves this sheet name. */
const RESERVED = new Set(['history']);
export const MAX_SHEET_NAME = 31;

/**
 * A sheet name Excel accepts: no `[]:*?/\` or control characters, no leading/trailing apostrophe,
 * at most 31 characters, not blank, not `History`, and unique (case-insensitively) among `taken`
 * (which is updated). Duplicates get a ` (2)`, ` (3)` … suffix within the 31 characters.
 */
export function safeSheetName(name: string, taken?: Set<string>): string {
  let base = safeText(name).replace(SHEET_ILLEGAL, '_').trim().replace(/^'+|'+$/g, '').trim();
  if (!base) base = 'Sheet';
  if (RESERVED.has(base.toLowerCase())) base = `${base}_`;
  base = cutChars(base, MAX_SHEET_NAME);
  if (!taken) return base;
  const lower = new Set([...taken].map((t) => t.toLowerCase()));
  let candidate = base;
  for (let i = 2; lower.has(candidate.toLowerCase()); i++) {
    const suffix = ` (${i})`;
    candidate = cutChars(base, MAX_SHEET_NAME - suffix.length) + suffix;
  }
  taken.add(candidate);
  return candidate;
}

/** Cut to n characters without splitting a surrogate pair. */
function cutChars(s: string, n: number): string {
  const chars = Array.from(s);
  return chars.length <= n ? s : chars.slice(0, n).join('');
}

/** `'Sheet name'!C7` — a sheet reference for hyperlinks/formulas, apostrophes doubled. */
export function sheetRef(sheet: string, address: string): string {
  return `'${sheet.replace(/'/g, "''")}'!${address}`;
}
