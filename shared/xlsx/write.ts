/**
 * The project's own streaming xlsx writer, for the submission workbook and the other large outputs
 * (exceljs stays for the small template workbooks). Rows go out as XML as they are produced,
 * written as bytes into the part's buffer (`SheetWriter.row`), and are deflated through `node:zlib` while the next rows are built (`zip-write.ts`); the styles
 * are a fixed table built up front (`StyleTable`: one index per distinct style, no style object per
 * cell); strings repeated across cells go to the shared-strings table, strings a caller marks as
 * one-off are written inline.
 *
 * A sheet supports: column widths, frozen rows, row heights, merged cells, an autofilter, print
 * setup (A4, orientation, fit to width, print titles, centred, footer), manual row breaks, notes
 * (comments + VML), internal hyperlinks and list data validations.
 *
 * Every value is written as a number or as text, never as a formula: there is no way to ask this
 * writer for one, so text that came from a user (`=HYPERLINK(…)`, `+1`, `@SUM`) stays inert.
 * Characters XML 1.0 cannot carry are dropped and Excel's `_xHHHH_` escapes are escaped.
 */
import type { Writable } from 'node:stream';
import { columnLetter } from '../grid';
import { MAX_CELL_TEXT } from './safe';
import { PAGE_FOOTER } from './style';
import { PartStream, ZipWriter } from './zip-write';

/** A deflated part written by another writer: its CRC, inflated size and compressed bytes in pieces. */
export interface WrittenPart {
  crc: number;
  size: number;
  pieces: readonly Uint8Array[];
}

// ---------------------------------------------------------------------------------------------
// Styles

export interface FontSpec {
  name?: string;
  size?: number;
  bold?: boolean;
  underline?: boolean;
  color?: { argb?: string };
}

export interface StyleSpec {
  font?: FontSpec;
  /** Solid fill colour (ARGB). */
  fill?: string;
  /** Thin black border on all four sides. */
  border?: boolean;
  numFmt?: string;
  horizontal?: 'left' | 'center' | 'right';
  vertical?: 'top' | 'middle' | 'bottom';
  wrap?: boolean;
}

/** Excel's built-in number formats the project uses (no <numFmt> entry needed). */
const BUILTIN_NUMFMT: Record<string, number> = { General: 0, '0': 1, '0.00': 2, '#,##0': 3, '#,##0.00': 4, '0%': 9, '0.00%': 10, '@': 49 };

/** A fixed table of cell styles: `add` once per distinct style, then cells carry the index. */
export class StyleTable {
  private readonly fonts: string[] = ['<font><sz val="11"/><name val="宋体"/><family val="2"/></font>'];
  private readonly fills: string[] = ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>'];
  private readonly borders: string[] = ['<border><left/><right/><top/><bottom/><diagonal/></border>'];
  private readonly numFmts: string[] = [];
  private readonly xfs: string[] = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'];
  private readonly byKey = new Map<string, number>();
  private readonly fmtIds = new Map<string, number>();

  add(s: StyleSpec): number {
    const key = JSON.stringify(s);
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const fontId = s.font ? indexOf(this.fonts, fontXml(s.font)) : 0;
    const fillId = s.fill ? indexOf(this.fills, `<fill><patternFill patternType="solid"><fgColor rgb="${s.fill}"/><bgColor indexed="64"/></patternFill></fill>`) : 0;
    const borderId = s.border
      ? indexOf(this.borders, '<border><left style="thin"><color rgb="FF000000"/></left><right style="thin"><color rgb="FF000000"/></right><top style="thin"><color rgb="FF000000"/></top><bottom style="thin"><color rgb="FF000000"/></bottom><diagonal/></border>')
      : 0;
    const numFmtId = s.numFmt ? this.numFmtId(s.numFmt) : 0;
    const align = s.horizontal || s.vertical || s.wrap
      ? `<alignment${s.horizontal ? ` horizontal="${s.horizontal}"` : ''}${s.vertical ? ` vertical="${s.vertical === 'middle' ? 'center' : s.vertical}"` : ''}${s.wrap ? ' wrapText="1"' : ''}/>`
      : '';
    const xf =
      `<xf numFmtId="${numFmtId}" fontId="${fontId}" fillId="${fillId}" borderId="${borderId}" xfId="0"` +
      `${numFmtId ? ' applyNumberFormat="1"' : ''}${fontId ? ' applyFont="1"' : ''}${fillId ? ' applyFill="1"' : ''}${borderId ? ' applyBorder="1"' : ''}` +
      (align ? ` applyAlignment="1">${align}</xf>` : '/>');
    const id = this.xfs.length;
    this.xfs.push(xf);
    this.byKey.set(key, id);
    return id;
  }

  private numFmtId(code: string): number {
    const b = BUILTIN_NUMFMT[code];
    if (b !== undefined) return b;
    let id = this.fmtIds.get(code);
    if (id === undefined) {
      id = 164 + this.numFmts.length;
      this.fmtIds.set(code, id);
      this.numFmts.push(`<numFmt numFmtId="${id}" formatCode="${escapeAttr(code)}"/>`);
    }
    return id;
  }

  xml(): string {
    const list = (tag: string, items: string[]) => `<${tag} count="${items.length}">${items.join('')}</${tag}>`;
    return (
      XML_HEAD +
      `<styleSheet xmlns="${NS_MAIN}">` +
      (this.numFmts.length ? list('numFmts', this.numFmts) : '') +
      list('fonts', this.fonts) +
      list('fills', this.fills) +
      list('borders', this.borders) +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      list('cellXfs', this.xfs) +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
      '<dxfs count="0"/><tableStyles count="0"/></styleSheet>'
    );
  }
}

function indexOf(list: string[], xml: string): number {
  const i = list.indexOf(xml);
  if (i >= 0) return i;
  list.push(xml);
  return list.length - 1;
}

function fontXml(f: FontSpec): string {
  return (
    '<font>' +
    (f.bold ? '<b/>' : '') +
    (f.underline ? '<u/>' : '') +
    `<sz val="${f.size ?? 11}"/>` +
    (f.color?.argb ? `<color rgb="${f.color.argb}"/>` : '') +
    `<name val="${escapeAttr(f.name ?? '宋体')}"/><family val="2"/><charset val="134"/>` +
    '</font>'
  );
}

// ---------------------------------------------------------------------------------------------
// Text

export const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
export const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
export const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
export const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

// Control characters other than tab, LF and CR, lone surrogates and U+FFFE/U+FFFF are not allowed in XML 1.0.
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NEEDS_WORK = /[&<>\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF\r]|_x/;

/** Text as XML character data of a `<t>` (entities, illegal characters dropped, `_xHHHH_` kept literal). */
export function escapeText(s: string): string {
  if (!NEEDS_WORK.test(s)) return s;
  return s
    .replace(XML_ILLEGAL, '')
    .replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

function tOpen(s: string): string {
  const c0 = s.charCodeAt(0);
  const cl = s.charCodeAt(s.length - 1);
  return c0 === 32 || cl === 32 || c0 === 10 || cl === 10 || c0 === 9 || cl === 9 ? '<t xml:space="preserve">' : '<t>';
}

// ---------------------------------------------------------------------------------------------
// Workbook

export type CellValue = string | number | null | undefined;

export interface PrintSetup {
  landscape?: boolean;
  /** Fit all columns on one page width (default true). */
  fitToWidth?: boolean;
  /** Rows repeated at the top of each printed page, e.g. [1, 3]. */
  titleRows?: [number, number];
  /** Footer (default 第 &P 页 共 &N 页). */
  footer?: string;
}

export interface SheetOptions {
  /** Column widths in characters, column A first. */
  widths?: readonly number[];
  /** Rows frozen at the top. */
  frozenRows?: number;
  defaultRowHeight?: number;
  print?: PrintSetup;
  /** The sheet is the selected tab (default: the first sheet). */
  selected?: boolean;
}

export interface WorkbookOptions {
  creator?: string;
  title?: string;
  /** Deflate level (default 3; files ~15% larger than at level 6). */
  level?: number;
  created?: Date;
  /** The shared strings table starts with these texts, in this order (see `addWrittenSheet`). */
  sharedSeed?: readonly string[];
  /** No text is added to the shared strings: a text not in `sharedSeed` is written inline. */
  sharedFrozen?: boolean;
}

interface SheetEntry {
  name: string;
  titleRows?: [number, number];
  filter?: string;
}

export class XlsxWriter {
  readonly styles = new StyleTable();
  private readonly zip: ZipWriter;
  private readonly sheets: SheetEntry[] = [];
  private readonly sst: string[] = [];
  private readonly sstIndex = new Map<string, number>();
  private sstCount = 0;
  private readonly comments: number[] = [];
  private current: SheetWriter | null = null;
  private readonly created: Date;

  private readonly sstRefs: number[] = [];
  private readonly frozen: boolean;

  constructor(out: Writable, private readonly opts: WorkbookOptions = {}) {
    this.created = opts.created ?? new Date();
    this.zip = new ZipWriter(out, opts.level ?? 3, this.created);
    this.frozen = opts.sharedFrozen === true;
    for (const s of opts.sharedSeed ?? []) {
      if (this.sstIndex.has(s)) continue;
      this.sstIndex.set(s, this.sst.length);
      this.sst.push(s);
      this.sstRefs.push(0);
    }
  }

  /** Adds a style to the fixed table (call before writing cells). */
  style(s: StyleSpec): number {
    return this.styles.add(s);
  }

  /**
   * Adds a sheet whose part was written elsewhere: by another thread's writer with the same style
   * table whose shared strings are only this writer's `sharedSeed`, frozen (everything else
   * inline); `sharedRefs` is how many of its cells refer to them. Its compressed bytes go into the
   * package as they are. The sheet's own XML carries its view, merges, breaks and print setup;
   * `opts.print.titleRows` gives the workbook its print titles. No notes, hyperlinks or autofilter
   * (they need parts of their own).
   */
  async addWrittenSheet(name: string, opts: SheetOptions, part: WrittenPart, sharedRefs: number): Promise<void> {
    if (this.current) throw new Error('end the previous sheet first');
    this.sstCount += sharedRefs;
    const n = this.sheets.length + 1;
    this.sheets.push({ name, titleRows: opts.print?.titleRows });
    await this.zip.addRaw(`xl/worksheets/sheet${n}.xml`, part.crc, part.size, part.pieces);
  }

  /** Where the part `name` lies in this writer's output (once written): see `ZipWriter.written`. */
  written(name: string): ReturnType<ZipWriter['written']> {
    return this.zip.written(name);
  }

  /** Starts the next sheet; the previous one must have been ended. */
  addSheet(name: string, opts: SheetOptions = {}): SheetWriter {
    if (this.current) throw new Error('end the previous sheet first');
    const n = this.sheets.length + 1;
    const entry: SheetEntry = { name, titleRows: opts.print?.titleRows };
    this.sheets.push(entry);
    const part = this.zip.open(`xl/worksheets/sheet${n}.xml`);
    this.current = new SheetWriter(this, part, n, entry, opts);
    return this.current;
  }

  /** Cells that refer to a shared string so far. */
  get sharedRefs(): number {
    return this.sstCount;
  }

  /** The shared texts referred to by at least `min` cells so far, in table order. */
  repeatedShared(min = 2): string[] {
    return this.sst.filter((_, i) => this.sstRefs[i] >= min);
  }

  /** @internal The shared string index of `s`, or -1 when the table is frozen and lacks it (write it inline). */
  sharedIndex(s: string): number {
    let i = this.sstIndex.get(s);
    if (i === undefined) {
      if (this.frozen) return -1;
      i = this.sst.length;
      this.sst.push(s);
      this.sstRefs.push(0);
      this.sstIndex.set(s, i);
    }
    this.sstCount++;
    this.sstRefs[i]++;
    return i;
  }

  /** @internal One more cell refers to shared string `i` (found without a lookup). */
  sharedAgain(i: number): void {
    this.sstCount++;
    this.sstRefs[i]++;
  }

  /** @internal */
  async sheetDone(n: number, notes: Note[], hasLinks: boolean): Promise<void> {
    this.current = null;
    void hasLinks;
    if (!notes.length) return;
    this.comments.push(n);
    await this.zip.add(`xl/worksheets/_rels/sheet${n}.xml.rels`,
      `${XML_HEAD}<Relationships xmlns="${NS_PKG_REL}">` +
        `<Relationship Id="rIdC" Type="${REL}/comments" Target="../comments${n}.xml"/>` +
        `<Relationship Id="rIdV" Type="${REL}/vmlDrawing" Target="../drawings/vmlDrawing${n}.vml"/></Relationships>`);
    await this.zip.add(`xl/comments${n}.xml`, commentsXml(notes, this.opts.creator ?? ''));
    await this.zip.add(`xl/drawings/vmlDrawing${n}.vml`, vmlXml(notes));
  }

  /** Writes the shared strings, styles, workbook and package parts and ends the output. */
  async close(): Promise<void> {
    if (this.current) throw new Error('end the last sheet first');
    const sst = this.zip.open('xl/sharedStrings.xml');
    let w = sst.write(`${XML_HEAD}<sst xmlns="${NS_MAIN}" count="${this.sstCount}" uniqueCount="${this.sst.length}">`);
    if (w) await w;
    for (const s of this.sst) {
      w = sst.write(`<si>${tOpen(s)}${escapeText(s)}</t></si>`);
      if (w) await w;
    }
    sst.write('</sst>');
    await sst.end();
    await this.zip.add('xl/styles.xml', this.styles.xml());
    await this.zip.add('xl/workbook.xml', this.workbookXml());
    await this.zip.add('xl/_rels/workbook.xml.rels',
      `${XML_HEAD}<Relationships xmlns="${NS_PKG_REL}">` +
        this.sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
        `<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` +
        `<Relationship Id="rIdT" Type="${REL}/styles" Target="styles.xml"/></Relationships>`);
    await this.zip.add('_rels/.rels',
      `${XML_HEAD}<Relationships xmlns="${NS_PKG_REL}">` +
        `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/>` +
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
        `<Relationship Id="rId3" Type="${REL}/extended-properties" Target="docProps/app.xml"/></Relationships>`);
    const iso = this.created.toISOString().replace(/\.\d{3}Z$/, 'Z');
    await this.zip.add('docProps/core.xml',
      `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
        (this.opts.title ? `<dc:title>${escapeText(this.opts.title)}</dc:title>` : '') +
        (this.opts.creator ? `<dc:creator>${escapeText(this.opts.creator)}</dc:creator><cp:lastModifiedBy>${escapeText(this.opts.creator)}</cp:lastModifiedBy>` : '') +
        `<dcterms:created xsi:type="dcterms:W3CDTF">${iso}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${iso}</dcterms:modified></cp:coreProperties>`);
    await this.zip.add('docProps/app.xml',
      `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Excel</Application></Properties>`);
    await this.zip.add('[Content_Types].xml', this.contentTypes());
    await this.zip.close();
  }

  private workbookXml(): string {
    const names: string[] = [];
    this.sheets.forEach((s, i) => {
      const q = `'${s.name.replace(/'/g, "''")}'`;
      if (s.filter) names.push(`<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${escapeDefined(`${q}!${s.filter}`)}</definedName>`);
      if (s.titleRows) names.push(`<definedName name="_xlnm.Print_Titles" localSheetId="${i}">${escapeDefined(`${q}!$${s.titleRows[0]}:$${s.titleRows[1]}`)}</definedName>`);
    });
    return (
      `${XML_HEAD}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
      '<workbookPr defaultThemeVersion="164011"/><bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" windowHeight="12300" activeTab="0"/></bookViews>' +
      `<sheets>${this.sheets.map((s, i) => `<sheet name="${escapeAttr(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets>` +
      (names.length ? `<definedNames>${names.join('')}</definedNames>` : '') +
      '<calcPr calcId="191029"/></workbook>'
    );
  }

  private contentTypes(): string {
    const o = (part: string, type: string) => `<Override PartName="${part}" ContentType="application/vnd.openxmlformats-${type}"/>`;
    return (
      `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      (this.comments.length ? '<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>' : '') +
      o('/xl/workbook.xml', 'officedocument.spreadsheetml.sheet.main+xml') +
      this.sheets.map((_, i) => o(`/xl/worksheets/sheet${i + 1}.xml`, 'officedocument.spreadsheetml.worksheet+xml')).join('') +
      this.comments.map((n) => o(`/xl/comments${n}.xml`, 'officedocument.spreadsheetml.comments+xml')).join('') +
      o('/xl/sharedStrings.xml', 'officedocument.spreadsheetml.sharedStrings+xml') +
      o('/xl/styles.xml', 'officedocument.spreadsheetml.styles+xml') +
      o('/docProps/core.xml', 'package.core-properties+xml') +
      o('/docProps/app.xml', 'officedocument.extended-properties+xml') +
      '</Types>'
    );
  }
}

/** A defined name's formula text: `'` stays `&apos;` as Excel itself writes it. */
export function escapeDefined(s: string): string {
  return escapeText(s).replace(/'/g, '&apos;');
}

/**
 * The office's print layout as worksheet XML, from `<printOptions>` to `<headerFooter>` (A4,
 * landscape unless told, centred, fitted to the page width, footer `第 &P 页 共 &N 页`). A sheet
 * fitted to the width also needs `<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>`.
 */
export function printSetupXml(p: PrintSetup = {}): string {
  return (
    '<printOptions horizontalCentered="1"/>' +
    '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.7" header="0.3" footer="0.3"/>' +
    `<pageSetup paperSize="9" orientation="${p.landscape === false ? 'portrait' : 'landscape'}"` +
    (p.fitToWidth !== false ? ' fitToWidth="1" fitToHeight="0"' : '') +
    ' horizontalDpi="300" verticalDpi="300"/>' +
    `<headerFooter><oddFooter>${escapeText(p.footer ?? PAGE_FOOTER)}</oddFooter></headerFooter>`
  );
}

// ---------------------------------------------------------------------------------------------
// Sheets

export interface Note {
  row: number;
  col: number;
  text: string;
}

export interface ListValidation {
  /** e.g. `C4:C1000` */
  sqref: string;
  /** The allowed values (a list written in the formula, each without commas or quotes). */
  values: readonly string[];
  prompt?: string;
  error?: string;
}

/** Column letters A.., cached. */
const LETTERS: string[] = [];
function letter(c: number): string {
  return LETTERS[c] ?? (LETTERS[c] = columnLetter(c));
}
const CELL_OPENS: string[] = [];
/** `<c r="X` for column c (the row number and the closing quote follow). */
function cellOpen(c: number): string {
  return CELL_OPENS[c] ?? (CELL_OPENS[c] = `<c r="${letter(c)}`);
}
const STYLE_ATTRS: string[] = [''];

// The markup `SheetWriter.row` writes, all in one table of 32-bit words (ASCII, four bytes a
// word, little-endian, the last word of a piece padded): a piece is known by its number and
// written a word at a time through a DataView. Byte by byte from a small array per piece, the
// copying was most of the row's time; one table of bytes halved it, words halve it again. A
// piece's padding lands past its end, where the next bytes are written (every reservation in
// `row` leaves room for it).
let MARKUP = new Uint32Array(4096);
let markupWords = 0;
let PIECE_START = new Int32Array(256);
let PIECE_LEN = new Int32Array(256);
let pieceCount = 0;
/** Bytes a piece may write past its end (its last word's padding). */
const PIECE_PAD = 3;
/** Four bytes from `at` as a little-endian word (missing bytes 0). */
function word(bytes: ArrayLike<number>, at: number, end: number): number {
  let w = 0;
  for (let k = 3; k >= 0; k--) w = (w << 8) | (at + k < end ? bytes[at + k] : 0);
  return w >>> 0;
}
/** Adds the ASCII text `x` to the table; returns its piece number. */
function piece(x: string): number {
  const bytes = Buffer.from(x, 'latin1');
  const words = (bytes.length + 3) >> 2;
  if (markupWords + words > MARKUP.length) {
    const t = new Uint32Array(MARKUP.length * 2 + words);
    t.set(MARKUP);
    MARKUP = t;
  }
  if (pieceCount === PIECE_START.length) {
    const st = new Int32Array(pieceCount * 2);
    const ln = new Int32Array(pieceCount * 2);
    st.set(PIECE_START);
    ln.set(PIECE_LEN);
    PIECE_START = st;
    PIECE_LEN = ln;
  }
  for (let i = 0; i < words; i++) MARKUP[markupWords + i] = word(bytes, 4 * i, bytes.length);
  PIECE_START[pieceCount] = markupWords;
  PIECE_LEN[pieceCount] = bytes.length;
  markupWords += words;
  return pieceCount++;
}
const P_ROW_OPEN = piece('<row r="');
const P_ROW_HT = piece('" ht="');
const P_ROW_CUSTOM = piece('" customHeight="1">');
const P_TAG_END = piece('">');
const P_ROW_CLOSE = piece('</row>');
const P_V_CLOSE = piece('</v></c>');
const P_INLINE_CLOSE = piece('</t></is></c>');
const T_PLAIN = '<t>';
/** A row's opening tag at most: the row number, a height as text (at most 24 characters). */
const ROW_HEAD_BYTES = 80;
/** A cell's markup at most, besides its text (three bytes per UTF-16 unit of it at most), and a piece's padding. */
const CELL_MARKUP_BYTES = 112;
/** `</row>` and a piece's padding. */
const ROW_TAIL_BYTES = 6 + PIECE_PAD;
const COL_OPEN_PIECES: number[] = [];
/** `<c r="X` for column c, as a piece. */
function colOpenPiece(c: number): number {
  return COL_OPEN_PIECES[c] ?? (COL_OPEN_PIECES[c] = piece(cellOpen(c)));
}
/** What follows a cell's reference and style: a blank, a number, a shared string, inline text. */
const enum After {
  Blank,
  Number,
  Shared,
  Inline,
  InlinePreserve,
}
const AFTER_TEXT = ['/>', '><v>', ' t="s"><v>', ' t="inlineStr"><is><t>', ' t="inlineStr"><is><t xml:space="preserve">'];
const STYLE_CLOSE_PIECES: number[] = [];
/** The reference's closing quote, ` s="n"` (nothing for style 0) and what follows, as one piece. */
function styleClosePiece(s: number, after: After): number {
  const k = s * AFTER_TEXT.length + after;
  return STYLE_CLOSE_PIECES[k] ?? (STYLE_CLOSE_PIECES[k] = piece(`"${styleAttr(s)}${AFTER_TEXT[after]}`));
}
/** A piece whose bytes are the digits of the row being written (rewritten for each row). */
const P_DIGITS = piece(' '.repeat(8));
/** Writes piece `id` at `o` (and up to PIECE_PAD bytes of padding after it); returns the offset after it. */
function put(v: DataView, o: number, id: number): number {
  const m = MARKUP;
  const from = PIECE_START[id];
  const n = PIECE_LEN[id];
  for (let i = 0, j = from; i < n; i += 4, j++) v.setUint32(o + i, m[j], true);
  return o + n;
}
/** Text known to be ASCII (a number as JavaScript writes it). */
function putAscii(b: Uint8Array, o: number, t: string): number {
  for (let i = 0; i < t.length; i++) b[o + i] = t.charCodeAt(i);
  return o + t.length;
}
/** A non-negative integer in decimal digits, as `String(n)` writes it. */
function putUint(b: Uint8Array, o: number, n: number): number {
  // above int32 (rare: no row, index or count gets there) as JavaScript writes it
  if (n > 0x7fffffff) return putAscii(b, o, String(n));
  // int32 arithmetic: the division by 10 becomes a multiplication
  let len = 1;
  for (let t = n | 0; t >= 10; t = (t / 10) | 0) len++;
  let t = n | 0;
  for (let i = o + len - 1; i >= o; i--) {
    const q = (t / 10) | 0;
    b[i] = 48 + t - q * 10;
    t = q;
  }
  return o + len;
}
/** A finite number exactly as `String(v)` writes it. */
function putNumber(b: Uint8Array, o: number, v: number): number {
  if (Number.isInteger(v) && v < 1e15 && v > -1e15) {
    if (v < 0) {
      b[o] = 45; // -
      return putUint(b, o + 1, -v);
    }
    return putUint(b, o, v); // -0 gives "0", as String(-0)
  }
  return putAscii(b, o, String(v));
}
/** ` s="n"` for a style index n > 0, '' for the default style 0. */
function styleAttr(s: number): string {
  return STYLE_ATTRS[s] ?? (STYLE_ATTRS[s] = ` s="${s}"`);
}

export class SheetWriter {
  /** The next row number that `row` writes. */
  next = 1;
  /** Merged ranges as top, left, bottom, right (numbers, not strings: cards make hundreds of thousands). */
  private merges = new Uint32Array(1024);
  private mergeCount = 0;
  private readonly breaks: number[] = [];
  private readonly notes: Note[] = [];
  private readonly links: string[] = [];
  private readonly validations: string[] = [];
  private filter: string | null = null;
  /** Per column, the last shared text written and its index (-1: written inline). */
  private readonly lastText: (string | undefined)[] = [];
  private readonly lastShared: number[] = [];

  constructor(
    private readonly wb: XlsxWriter,
    private readonly part: PartStream,
    private readonly n: number,
    private readonly entry: SheetEntry,
    private readonly opts: SheetOptions,
  ) {
    part.write(this.head());
  }

  private head(): string {
    const o = this.opts;
    const fit = o.print?.fitToWidth !== false;
    const frozen = o.frozenRows
      ? `<pane ySplit="${o.frozenRows}" topLeftCell="A${o.frozenRows + 1}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A${o.frozenRows + 1}" sqref="A${o.frozenRows + 1}"/>`
      : '';
    const cols = o.widths?.length
      ? `<cols>${o.widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('')}</cols>`
      : '';
    return (
      `${XML_HEAD}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
      (fit ? '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' : '') +
      `<sheetViews><sheetView workbookViewId="0"${(o.selected ?? this.n === 1) ? ' tabSelected="1"' : ''}>${frozen}</sheetView></sheetViews>` +
      `<sheetFormatPr defaultRowHeight="${o.defaultRowHeight ?? 15}"${o.defaultRowHeight ? ' customHeight="1"' : ''}/>` +
      cols +
      '<sheetData>'
    );
  }

  /**
   * Writes the row `this.next` (and advances): `values[k]` in column k+1 with style `styles[k]`
   * (or `styles` for every cell). A null/undefined/'' value with a style gives a styled blank
   * cell; a non-finite number a blank. `inline` marks text that is not worth sharing (one-off).
   * Returns a promise to await when the compressor is behind, else null.
   */
  row(values: readonly CellValue[], styles: readonly number[] | number, height?: number, inline?: readonly boolean[] | boolean): Promise<void> | null {
    // The row's XML is written as bytes straight into the part's buffer: the markup as pieces of
    // the table of words (above), numbers digit by digit, only text through the UTF-8 encoder. Built as strings
    // (a rope per row, joined, then encoded), the same XML took the encoder, the joins and the
    // collector of the garbage they left about four times as long.
    const r = this.next++;
    const part = this.part;
    let wait = part.reserve(ROW_HEAD_BYTES);
    let b = part.buf;
    let dv = part.view;
    let o = put(dv, part.pos, P_ROW_OPEN);
    const rowAt = o;
    o = putUint(b, o, r);
    // the row number's digits, written into every cell's reference (a piece of the table, as the markup)
    const nd = o - rowAt;
    const at = PIECE_START[P_DIGITS];
    MARKUP[at] = word(b, rowAt, o);
    MARKUP[at + 1] = word(b, rowAt + 4, o);
    PIECE_LEN[P_DIGITS] = nd;
    if (height) {
      o = put(dv, o, P_ROW_HT);
      o = putAscii(b, o, String(height));
      o = put(dv, o, P_ROW_CUSTOM);
    } else o = put(dv, o, P_TAG_END);
    const one = typeof styles === 'number';
    for (let k = 0; k < values.length; k++) {
      const s = one ? (styles as number) : (styles as readonly number[])[k] ?? 0;
      const v = values[k];
      let text: string | null = null;
      let si = -1;
      if (typeof v === 'number') {
        if (!Number.isFinite(v) && !s) continue;
      } else if (v === null || v === undefined || v === '') {
        if (!s) continue;
      } else {
        const t = v.length > MAX_CELL_TEXT ? v.slice(0, MAX_CELL_TEXT) : v;
        const inl = inline === true || (inline !== undefined && inline !== false && (inline as readonly boolean[])[k]);
        if (inl) si = -1;
        else if (this.lastText[k] === t) {
          // the same text as this column's previous one (a sheet's name, a severity, a street …):
          // its index without a lookup in the table, which is large (a miss in the caches)
          si = this.lastShared[k];
          if (si >= 0) this.wb.sharedAgain(si);
        } else {
          si = this.wb.sharedIndex(t);
          this.lastText[k] = t;
          this.lastShared[k] = si;
        }
        if (si < 0) text = t;
      }
      const esc = text === null ? null : escapeText(text);
      if (o + CELL_MARKUP_BYTES + (esc === null ? 0 : esc.length * 3) > b.length) {
        part.pos = o;
        wait = part.reserve(CELL_MARKUP_BYTES + (esc === null ? 0 : esc.length * 3)) ?? wait;
        b = part.buf;
        dv = part.view;
        o = part.pos;
      }
      o = put(dv, o, colOpenPiece(k + 1));
      o = put(dv, o, P_DIGITS);
      if (typeof v === 'number') {
        if (Number.isFinite(v)) {
          o = put(dv, o, styleClosePiece(s, After.Number));
          o = putNumber(b, o, v);
          o = put(dv, o, P_V_CLOSE);
        } else o = put(dv, o, styleClosePiece(s, After.Blank));
      } else if (esc !== null) {
        o = put(dv, o, styleClosePiece(s, tOpen(text!) === T_PLAIN ? After.Inline : After.InlinePreserve));
        o += b.write(esc, o, 'utf8');
        o = put(dv, o, P_INLINE_CLOSE);
      } else if (si >= 0) {
        o = put(dv, o, styleClosePiece(s, After.Shared));
        o = putUint(b, o, si);
        o = put(dv, o, P_V_CLOSE);
      } else o = put(dv, o, styleClosePiece(s, After.Blank));
    }
    if (o + ROW_TAIL_BYTES > b.length) {
      part.pos = o;
      wait = part.reserve(ROW_TAIL_BYTES) ?? wait;
      b = part.buf;
      dv = part.view;
      o = part.pos;
    }
    part.pos = put(dv, o, P_ROW_CLOSE);
    return part.wrote() ?? wait;
  }

  /** Skips `n` rows (left empty). */
  skip(n = 1): void {
    this.next += n;
  }

  merge(top: number, left: number, bottom: number, right: number): void {
    if ((this.mergeCount + 1) * 4 > this.merges.length) {
      const grown = new Uint32Array(this.merges.length * 2);
      grown.set(this.merges);
      this.merges = grown;
    }
    const m = this.merges;
    const i = this.mergeCount++ * 4;
    m[i] = top;
    m[i + 1] = left;
    m[i + 2] = bottom;
    m[i + 3] = right;
  }

  /** A manual page break after row `r`. */
  breakAfter(r: number): void {
    this.breaks.push(r);
  }

  autoFilter(top: number, left: number, bottom: number, right: number): void {
    this.filter = `${letter(left)}${top}:${letter(right)}${bottom}`;
    this.entry.filter = `$${letter(left)}$${top}:$${letter(right)}$${bottom}`;
  }

  note(row: number, col: number, text: string): void {
    this.notes.push({ row, col, text });
  }

  /** A link from a cell to a place in this workbook, e.g. `'认定结果'!B7`. */
  internalLink(row: number, col: number, location: string, display?: string): void {
    this.links.push(`<hyperlink ref="${letter(col)}${row}" location="${escapeAttr(location)}"${display ? ` display="${escapeAttr(display)}"` : ''}/>`);
  }

  listValidation(v: ListValidation): void {
    const list = `"${v.values.join(',')}"`;
    this.validations.push(
      `<dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1"` +
        (v.error ? ` errorTitle="输入有误" error="${escapeAttr(v.error)}"` : '') +
        (v.prompt ? ` prompt="${escapeAttr(v.prompt)}"` : '') +
        ` sqref="${v.sqref}"><formula1>${escapeText(list)}</formula1></dataValidation>`,
    );
  }

  /** Finishes the sheet's XML (merges, filter, print setup, breaks, notes). */
  async end(): Promise<void> {
    const p = this.opts.print ?? {};
    let x = '</sheetData>';
    if (this.filter) x += `<autoFilter ref="${this.filter}"/>`;
    if (this.mergeCount) x += `<mergeCells count="${this.mergeCount}">`;
    let w = this.part.write(x);
    if (w) await w;
    const m = this.merges;
    for (let i = 0; i < this.mergeCount * 4; i += 4) {
      w = this.part.write(`<mergeCell ref="${letter(m[i + 1])}${m[i]}:${letter(m[i + 3])}${m[i + 2]}"/>`);
      if (w) await w;
    }
    x = this.mergeCount ? '</mergeCells>' : '';
    if (this.validations.length) x += `<dataValidations count="${this.validations.length}">${this.validations.join('')}</dataValidations>`;
    if (this.links.length) x += `<hyperlinks>${this.links.join('')}</hyperlinks>`;
    x += printSetupXml(p);
    if (this.breaks.length) {
      x += `<rowBreaks count="${this.breaks.length}" manualBreakCount="${this.breaks.length}">`;
      w = this.part.write(x);
      if (w) await w;
      for (const b of this.breaks) {
        w = this.part.write(`<brk id="${b}" max="16383" man="1"/>`);
        if (w) await w;
      }
      x = '</rowBreaks>';
    }
    if (this.notes.length) x += '<legacyDrawing r:id="rIdV"/>';
    this.part.write(x + '</worksheet>');
    await this.part.end();
    await this.wb.sheetDone(this.n, this.notes, this.links.length > 0);
  }
}

// ---------------------------------------------------------------------------------------------
// Notes: comments part + legacy VML drawing (what Excel, LibreOffice and Gnumeric all read)

export function commentsXml(notes: readonly Note[], author: string): string {
  let x = `${XML_HEAD}<comments xmlns="${NS_MAIN}"><authors><author>${escapeText(author)}</author></authors><commentList>`;
  for (const nt of notes) {
    x += `<comment ref="${letter(nt.col)}${nt.row}" authorId="0"><text><r><rPr><sz val="9"/><rFont val="宋体"/><charset val="134"/></rPr>${tOpen(nt.text)}${escapeText(nt.text)}</t></r></text></comment>`;
  }
  return x + '</commentList></comments>';
}

export function vmlXml(notes: readonly Note[]): string {
  let x =
    '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">' +
    '<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout>' +
    '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>';
  notes.forEach((nt, i) => {
    x +=
      `<v:shape id="_x0000_s${1025 + i}" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:180pt;height:60pt;z-index:${i + 1};visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">` +
      '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>' +
      `<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>${nt.col}, 15, ${nt.row - 1}, 2, ${nt.col + 2}, 15, ${nt.row + 3}, 16</x:Anchor><x:AutoFill>False</x:AutoFill>` +
      `<x:Row>${nt.row - 1}</x:Row><x:Column>${nt.col - 1}</x:Column></x:ClientData></v:shape>`;
  });
  return x + '</xml>';
}
