/**
 * Formatting shared by the project's workbooks (templates, marked copies, the submission
 * workbook): fonts and borders of the office's formal tables, number formats derived from the
 * forms catalogue, column widths that fit Chinese text, print setup, severity colours, and a small
 * zip post-processor for what exceljs cannot express.
 *
 * Style objects here are shared, frozen-by-convention constants: exceljs' style registry caches
 * the style id per object identity, so giving many cells the same object keeps writing fast.
 */
import { NUMFMT } from '../results/figures';
import type { Borders, DataValidation, Fill, Font, PageSetup, Style, Worksheet } from 'exceljs';
import { strFromU8, strToU8, unzipSync, zipSync, type Unzipped } from 'fflate';
import type { FieldDef } from '../forms/types';
import type { Severity } from '../issues/catalogue';

/** The creator written into every workbook the project makes (no exceljs needed to know it). */
export { WORKBOOK_CREATOR } from '../outputs';

export const FONT_SONG = '宋体';
export const FONT_FANGSONG = '仿宋';

export const FONT_TITLE: Partial<Font> = { name: FONT_SONG, size: 16, bold: true };
export const FONT_SUBTITLE: Partial<Font> = { name: FONT_FANGSONG, size: 10.5 };
export const FONT_HEADER: Partial<Font> = { name: FONT_SONG, size: 10.5, bold: true };
export const FONT_BODY: Partial<Font> = { name: FONT_FANGSONG, size: 10.5 };
export const FONT_LINK: Partial<Font> = { name: FONT_FANGSONG, size: 10.5, underline: true, color: { argb: 'FF0563C1' } };

const thin = { style: 'thin' as const, color: { argb: 'FF000000' } };
export const BORDER_ALL: Partial<Borders> = { top: thin, left: thin, bottom: thin, right: thin };

export const FILL_HEADER: Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
export const FILL_SECTION: Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };

/** Number formats. Money and areas: `#,##0.00`. */
export const NUMFMT_AMOUNT = NUMFMT.amount;
export const NUMFMT_RATIO = NUMFMT.ratio;
export const NUMFMT_INTEGER = '#,##0';
export const NUMFMT_PLAIN_INTEGER = '0';
export const NUMFMT_DATE = 'yyyy-mm-dd';
export const NUMFMT_TEXT = NUMFMT.text;

/**
 * The fill colour of each severity in a marked copy. These exact ARGB values are how the project
 * recognises its own marks when a marked copy is checked again, so they must not be reused for
 * anything else.
 */
export const SEVERITY_ARGB: Record<Severity, string> = {
  error: 'FFFFC7CE',
  warning: 'FFFFEB9C',
  info: 'FFDDEBF7',
};

export function severityFill(s: Severity): Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb: SEVERITY_ARGB[s] } };
}

/** The number format of a catalogue field, from its type and unit. */
export function fieldNumFmt(f: FieldDef): string {
  switch (f.type) {
    case 'date':
      return NUMFMT_DATE;
    case 'year':
    case 'integer':
      return NUMFMT_PLAIN_INTEGER;
    case 'number':
      if (f.unit === 'ratio' || f.unit === 'percent') return NUMFMT_RATIO;
      return NUMFMT_AMOUNT;
    default:
      // codes keep their leading zeros (0601), and typed text such as `=厂房闲置` stays text
      return NUMFMT_TEXT;
  }
}

/** Display width of text in Excel character units: a CJK (wide) character counts as two. */
export function displayWidth(text: string): number {
  let w = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x1100) {
      w++;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      }
    }
    w += isWideCodePoint(c) ? 2 : 1;
  }
  return w;
}

/** A code point Excel shows two columns wide (CJK, Hangul, full-width forms). */
export function isWideCodePoint(c: number): boolean {
  return (
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x20000 && c <= 0x3fffd)
  );
}

/** A column width that fits `texts` (the widest), with padding, kept within [min, max]. */
export function fitWidth(texts: readonly string[], min = 8, max = 60): number {
  const w = Math.max(0, ...texts.map(displayWidth)) + 2;
  return Math.min(max, Math.max(min, w));
}

/** Lines a wrapped text takes in a column of `width` characters. */
export function wrappedLines(text: string, width: number): number {
  const usable = Math.max(1, width - 1);
  if (text.indexOf('\n') < 0) return Math.max(1, Math.ceil(displayWidth(text) / usable));
  let lines = 0;
  for (const seg of text.split('\n')) lines += Math.max(1, Math.ceil(displayWidth(seg) / usable));
  return lines;
}

/**
 * Row height (points) for wrapped texts: LibreOffice and WPS do not grow rows of a generated
 * workbook by themselves, so the writer sets the height (14 pt per line of 10.5 pt text).
 */
export function rowHeightFor(lines: number, min = 18, lineHeight = 14): number {
  return Math.min(409, Math.max(min, lines * lineHeight + 4));
}

/**
 * Height of a row whose texts wrap in their columns (`texts[k]` in a column `widths[k]` wide; only
 * the columns `wraps` marks, when given), or undefined when every text fits on one line (the row
 * keeps the sheet's default height, `min`).
 */
export function wrappedRowHeight(texts: readonly unknown[], widths: readonly number[], min = 18, wraps?: readonly boolean[]): number | undefined {
  let lines = 1;
  for (let k = 0; k < texts.length; k++) {
    const v = texts[k];
    if (typeof v !== 'string' || (wraps !== undefined && !wraps[k])) continue;
    const w = widths[k] ?? 10;
    if (v.length * 2 >= w - 1 || v.includes('\n')) lines = Math.max(lines, wrappedLines(v, w));
  }
  return lines > 1 ? rowHeightFor(lines, min) : undefined;
}

/** Height of a header row: at least two lines of its titles, each wrapped in its column. */
export function headerRowHeight(titles: readonly string[], widths: readonly number[]): number {
  let lines = 2;
  for (let k = 0; k < titles.length; k++) lines = Math.max(lines, wrappedLines(titles[k], widths[k] ?? 10));
  return rowHeightFor(lines, 30);
}

export interface PrintOptions {
  /** Rows repeated on each printed page, e.g. '1:3'. */
  titleRows?: string;
  landscape?: boolean;
  /** Fit all columns on one page width (rows flow onto further pages). */
  fitToWidth?: boolean;
}

/** The footer of every printed page. */
export const PAGE_FOOTER = '&C第 &P 页 共 &N 页';

/** The office's print layout: A4, landscape by default, centred, fitted to the page width. */
export function pageSetupOf(o: PrintOptions = {}): Partial<PageSetup> {
  return {
    paperSize: 9,
    orientation: o.landscape === false ? 'portrait' : 'landscape',
    horizontalCentered: true,
    fitToPage: o.fitToWidth !== false,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalDpi: 300,
    verticalDpi: 300,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.7, header: 0.3, footer: 0.3 },
    ...(o.titleRows ? { printTitlesRow: o.titleRows } : {}),
  } as Partial<PageSetup>;
}

/**
 * Applies the print layout and the footer `第 &P 页 共 &N 页` to a buffered worksheet. (The streaming
 * writer writes sheet properties when the sheet is created: pass `pageSetupOf` and
 * `{ oddFooter: PAGE_FOOTER }` in `addWorksheet`'s options there.)
 */
export function applyPrintSetup(ws: Worksheet, o: PrintOptions = {}): void {
  ws.pageSetup = { ...ws.pageSetup, ...pageSetupOf(o) };
  ws.headerFooter = { ...ws.headerFooter, oddFooter: PAGE_FOOTER };
}

/** exceljs has `dataValidations` on worksheets at run time; its typings omit it. */
export interface WithValidations {
  dataValidations: { model: Record<string, unknown>; add(address: string, v: DataValidation): void };
}

/** Shared style objects: one object per distinct style (see the module note). */
export function makeStyle(s: Partial<Style>): Partial<Style> {
  return s;
}

// ---------------------------------------------------------------------------------------------
// Zip post-processing (what exceljs cannot express)

/** Unzips an xlsx, lets `edit` change its parts, zips it again. */
export function patchXlsx(data: Uint8Array, edit: (files: Unzipped) => void): Buffer {
  const files = unzipSync(data);
  edit(files);
  return Buffer.from(zipSync(files, { level: 6 }));
}

/**
 * exceljs writes an internal hyperlink (`'Sheet'!C7`) with a `location` AND an external
 * relationship pointing at the same text, which some programs try to open as a file. Remove the
 * relationship so the link is purely internal.
 */
export function fixInternalHyperlinks(files: Unzipped): void {
  for (const name of Object.keys(files)) {
    const m = /^xl\/worksheets\/(sheet\d+\.xml)$/.exec(name);
    if (!m) continue;
    let xml = strFromU8(files[name]);
    if (!xml.includes('location=')) continue;
    const dropped: string[] = [];
    xml = xml.replace(/<hyperlink\b([^>]*?)\/>/g, (whole, attrs: string) => {
      if (!/\blocation="/.test(attrs)) return whole;
      const id = /\br:id="([^"]+)"/.exec(attrs);
      if (id) dropped.push(id[1]);
      return `<hyperlink${attrs.replace(/\s+r:id="[^"]*"/, '')}/>`;
    });
    files[name] = strToU8(xml);
    const relsName = `xl/worksheets/_rels/${m[1]}.rels`;
    if (dropped.length && files[relsName]) {
      const ids = new Set(dropped);
      const rels = strFromU8(files[relsName]).replace(/<Relationship\b[^>]*?\/>/g, (rel) => {
        const id = /\bId="([^"]+)"/.exec(rel);
        return id && ids.has(id[1]) ? '' : rel;
      });
      files[relsName] = strToU8(rels);
    }
  }
}
