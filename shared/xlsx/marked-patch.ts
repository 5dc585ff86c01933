/**
 * The marked copy built by patching the user's package instead of a round trip through exceljs
 * (issue 10 item 2): every zip part is copied unchanged except
 * - xl/styles.xml: the mark fills, and cellXfs entries (a clone of each marked cell's xf with the
 *   mark fill; entries for the issue list). Entries equal to an existing one are reused, so marking
 *   again does not grow the table;
 * - the marked cells' `s` attribute in their sheet XML (a `<c>`, and a `<row>` if needed, inserted
 *   for a blank cell), the sheet's comments part and legacy VML drawing (created when missing),
 *   its rels and `<legacyDrawing>`;
 * - the 问题清单 sheet and the very hidden `_校验标记` bookkeeping sheet as new worksheet parts, and
 *   workbook.xml / workbook.xml.rels / [Content_Types].xml entries for them.
 * Pictures, charts, pivot tables, conditional formats, validations, defined names, custom XML and
 * other sheets are left byte for byte.
 *
 * Old marks are cleared first, recognised as the exceljs path does: from the bookkeeping sheet
 * (each marked cell with its xf and note from before), else from a `【校验】` note on a cell whose
 * fill is exactly a severity colour.
 *
 * Parts are edited as text with the patterns Excel, LibreOffice and Gnumeric write (unprefixed
 * SpreadsheetML elements, `r` on every row and cell); a package outside that, or one with macros,
 * external links or data connections (never carried into a marked copy), throws
 * `PatchUnsupported` and the caller falls back to the exceljs path, which drops them.
 * User defined names are kept here (the exceljs path drops them).
 * The input's size is not guarded again here: the caller has read it with the bounded reader first.
 */
import { isAscii } from 'node:buffer';
import { inflateRawSync } from 'node:zlib';
import { marksInPlace, SEVERITY_LABEL, type Severity } from '../issues/catalogue';
import type { Issue } from '../issues/issue';
import { ISSUE_LIST_COLUMNS, ISSUE_LIST_SHEET, ISSUE_LIST_WIDTHS, issueListValue, locationText, sortIssues } from '../issues/list';
import { columnLetter, columnNumber } from '../grid';
import { decodeText, dtdRefused, XmlFeeder, type XmlHandler } from './read-xml';
import { readZipDirectory, storedBytes, type ZipEntry } from './read-zip';
import { safeOptionalText, safeSheetName, safeText, sheetRef } from './safe';
import { SEVERITY_ARGB, wrappedRowHeight } from './style';
import { escapeAttr, escapeDefined, escapeText, printSetupXml } from './write';
import { deflatedPart, zipParts, type RawPart } from './zip-write';

const UTF8 = new TextDecoder();

/** The package is outside what the patcher edits safely. */
export class PatchUnsupported extends Error {}

/** Every note the project writes into a user's workbook starts with this. */
export const MARK_PREFIX = '【校验】';
/** Title written in A1 of the issue list (also how an old one is recognised without the marker sheet). */
export const ISSUE_SHEET_TITLE = '问题清单（校验结果）';
/** The project's own very hidden bookkeeping sheet. */
export const MARKER_SHEET_NAME = '_校验标记';

const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const T_SHEET = `${REL_NS}/worksheet`;
const T_COMMENTS = `${REL_NS}/comments`;
const T_VML = `${REL_NS}/vmlDrawing`;
const CT_SHEET = 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml';
const CT_COMMENTS = 'application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml';
const CT_VML = 'application/vnd.openxmlformats-officedocument.vmlDrawing';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const OUR_RGB = new Set(Object.values(SEVERITY_ARGB));

// ---------------------------------------------------------------------------------------------
// Small XML helpers (attribute text of one tag)

function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name.replace(':', '\\:')}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tag);
  return m ? decodeText(m[2] ?? m[3]) : null;
}

function setAttr(tag: string, name: string, value: string): string {
  const re = new RegExp(`(\\s${name}\\s*=\\s*)("[^"]*"|'[^']*')`);
  if (re.test(tag)) return tag.replace(re, `$1"${escapeAttr(value)}"`);
  const add = ` ${name}="${escapeAttr(value)}"`;
  const m = /\s*\/?>$/.exec(tag);
  return m ? tag.slice(0, m.index) + add + tag.slice(m.index) : tag + add;
}

function removeAttr(tag: string, name: string): string {
  return tag.replace(new RegExp(`\\s${name}\\s*=\\s*("[^"]*"|'[^']*')`), '');
}

/** Elements `<name …/>` or `<name …>…</name>` (not nesting themselves) with their positions. */
function elements(xml: string, name: string, from = 0, to = xml.length): { start: number; end: number; text: string; tag: string; inner: string }[] {
  const re = new RegExp(`<${name}(?=[\\s/>])[^>]*?(\\/>|>([\\s\\S]*?)<\\/${name}>)`, 'g');
  re.lastIndex = from;
  const out: { start: number; end: number; text: string; tag: string; inner: string }[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml)) && m.index < to) {
    const text = m[0];
    const tagEnd = text.indexOf('>') + 1;
    out.push({ start: m.index, end: m.index + text.length, text, tag: text.slice(0, tagEnd), inner: m[2] ?? '' });
  }
  return out;
}

function textOf(inner: string): string {
  return elements(inner, 't').map((t) => decodeText(t.inner)).join('');
}

function splitAddress(a: string): { col: number; row: number } {
  const m = /^([A-Z]{1,3})(\d+)$/.exec(a);
  if (!m) throw new PatchUnsupported(`bad address ${a}`);
  return { col: columnNumber(m[1]), row: Number(m[2]) };
}

function resolveTarget(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

function relsPathOf(part: string): string {
  const i = part.lastIndexOf('/');
  // the package's own relationships ('' → `_rels/.rels`) and those of a part at the root
  if (i < 0) return `_rels/${part}.rels`;
  return `${part.slice(0, i)}/_rels/${part.slice(i + 1)}.rels`;
}

function relativeTarget(fromPart: string, toPart: string): string {
  const from = fromPart.split('/').slice(0, -1);
  const to = toPart.split('/');
  let i = 0;
  while (i < from.length && i < to.length - 1 && from[i] === to[i]) i++;
  return [...from.slice(i).map(() => '..'), ...to.slice(i)].join('/');
}

interface Rel {
  id: string;
  type: string;
  target: string;
  /** Package part name (for internal targets). */
  part: string;
  external: boolean;
}

// ---------------------------------------------------------------------------------------------
// The package

/** Deflate level of a patched part: the fastest for a large sheet (it is most of the marked copy's time), 3 otherwise. */
const levelFor = (x: string | Uint8Array) => (x.length > 4_000_000 ? 1 : 3);

/**
 * Byte offsets in the UTF-8 encoding of `x` (`byteLength` long) of its character offsets, from
 * the runs of non-ASCII characters (a template's sheet has a few, in its drop-down lists); null
 * when the text is not that encoding (another length, or U+FFFD where bytes were not UTF-8).
 */
function utf8Offsets(x: string, byteLength: number): ((c: number) => number) | null {
  const starts: number[] = [];
  const ends: number[] = [];
  const extra: number[] = []; // bytes beyond one per character, up to each run's end
  let sum = 0;
  const re = /[^\x00-\x7f]+/g;
  for (let m = re.exec(x); m !== null; m = re.exec(x)) {
    if (m[0].includes('\uFFFD')) return null;
    sum += Buffer.byteLength(m[0], 'utf8') - m[0].length;
    starts.push(m.index);
    ends.push(m.index + m[0].length);
    extra.push(sum);
  }
  if (x.length + sum !== byteLength) return null;
  return (c) => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid] < c) lo = mid + 1;
      else hi = mid;
    }
    const k = lo - 1; // the last run starting before c
    if (k < 0) return c;
    if (c >= ends[k]) return c + extra[k];
    return c + (k > 0 ? extra[k - 1] : 0) + Buffer.byteLength(x.slice(starts[k], c), 'utf8') - (c - starts[k]);
  };
}

/** A handler that only lets the tokenizer check the markup. */
const SCAN_ONLY: XmlHandler = { collect: false, open() {}, close() {}, text() {} };

class Pkg {
  /** Changed and new parts: text, or the bytes of a sheet spliced without making its text (Sheet.save). */
  readonly changed = new Map<string, string | Uint8Array>();
  readonly removed = new Set<string>();
  /** The parts of the original, by name as stored, in its order (read only when asked for). */
  private readonly entries = new Map<string, ZipEntry>();
  private readonly texts = new Map<string, string>();
  /** The inflated bytes of the original parts read as text, and whether they are all ASCII. */
  private readonly bytes = new Map<string, { b: Uint8Array; ascii: boolean }>();
  /**
   * `inflated`: parts already inflated by the caller (validate's read), by name as stored; a part
   * whose length is not the size its zip entry declares is inflated again.
   */
  constructor(
    private readonly data: Uint8Array,
    private readonly inflated?: ReadonlyMap<string, Uint8Array>,
  ) {
    for (const e of readZipDirectory(data).values()) this.entries.set(e.name, e);
  }
  names(): string[] {
    return [...this.entries.keys()].filter((n) => !this.removed.has(n));
  }
  has(p: string): boolean {
    return !this.removed.has(p) && (this.changed.has(p) || this.entries.has(p));
  }
  /** The stored (compressed) bytes of an original part. */
  private stored(e: ZipEntry): Uint8Array {
    if (e.flags & 1) throw new PatchUnsupported('encrypted part');
    if (e.method !== 0 && e.method !== 8) throw new PatchUnsupported(`compression method ${e.method}`);
    return storedBytes(this.data, e);
  }
  text(p: string): string {
    const c = this.changed.get(p);
    if (c !== undefined) return typeof c === 'string' ? c : UTF8.decode(c);
    let x = this.texts.get(p);
    if (x === undefined) {
      const e = this.entries.get(p);
      if (!e || this.removed.has(p)) throw new PatchUnsupported(`missing part ${p}`);
      let bytes = this.inflated?.get(p);
      if (bytes === undefined || bytes.length !== e.size) {
        const raw = this.stored(e);
        bytes = e.method === 8 ? inflateRawSync(raw) : raw;
      }
      // all ASCII (most of a sheet's XML, its strings being shared): read as Latin-1, a copy
      const ascii = isAscii(bytes);
      x = ascii ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1') : UTF8.decode(bytes).replace(/^\uFEFF/, '');
      this.texts.set(p, x);
      this.bytes.set(p, { b: bytes, ascii });
    }
    return x;
  }
  /**
   * The original bytes of part `p` and where each character offset of its text is in them, when
   * `x` is still the original's text; null otherwise (or when the bytes are not plain UTF-8).
   */
  bytesOf(p: string, x: string): { bytes: Uint8Array; at: (c: number) => number } | null {
    const o = this.bytes.get(p);
    if (o === undefined || this.changed.has(p) || this.texts.get(p) !== x) return null;
    if (o.ascii) return { bytes: o.b, at: (c) => c };
    const bom = o.b.length >= 3 && o.b[0] === 0xef && o.b[1] === 0xbb && o.b[2] === 0xbf ? 3 : 0;
    const at = utf8Offsets(x, o.b.length - bom);
    return at && { bytes: o.b.subarray(bom), at };
  }
  /**
   * Every XML part the read did not already scan (charts, drawings, comments, properties, content
   * types …), scanned as strictly as the reader's parts: not well-formed, or declaring a DTD, it is
   * refused (`Unusable`), since a copy carrying it would not open without repair. VML (legacy
   * drawing markup, which Excel itself does not always write as well-formed XML) is refused for a
   * DTD only.
   */
  checkXml(): void {
    for (const [name, e] of this.entries) {
      if (this.inflated?.get(name)?.length === e.size) continue;
      const vml = /\.vml$/i.test(name);
      if (!vml && !/\.(xml|rels)$/i.test(name)) continue;
      const x = this.text(name);
      if (vml) {
        if (/<!(doctype|entity)/i.test(x)) throw dtdRefused(name);
        continue;
      }
      const f = new XmlFeeder(SCAN_ONLY, name);
      f.feed(x);
      f.finish();
    }
  }
  set(p: string, x: string | Uint8Array): void {
    this.removed.delete(p);
    this.changed.set(p, x);
  }
  remove(p: string): void {
    this.changed.delete(p);
    this.removed.add(p);
  }
  rels(part: string): Rel[] {
    const rp = relsPathOf(part);
    if (!this.has(rp)) return [];
    return elements(this.text(rp), 'Relationship').map((e) => {
      const target = attr(e.tag, 'Target') ?? '';
      const external = attr(e.tag, 'TargetMode') === 'External';
      return { id: attr(e.tag, 'Id') ?? '', type: attr(e.tag, 'Type') ?? '', target, external, part: external ? '' : resolveTarget(part, target) };
    });
  }
  addRel(part: string, type: string, toPart: string): string {
    const rp = relsPathOf(part);
    const x = this.has(rp)
      ? this.text(rp)
      : `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>`;
    const ids = new Set(elements(x, 'Relationship').map((e) => attr(e.tag, 'Id')));
    let n = ids.size + 1;
    while (ids.has(`rId${n}`)) n++;
    const id = `rId${n}`;
    const rel = `<Relationship Id="${id}" Type="${type}" Target="${escapeAttr(relativeTarget(part, toPart))}"/>`;
    this.set(rp, x.includes('</Relationships>') ? x.replace('</Relationships>', `${rel}</Relationships>`) : x.replace(/<Relationships([^>]*)\/>/, `<Relationships$1>${rel}</Relationships>`));
    return id;
  }
  removeRel(part: string, id: string): void {
    const rp = relsPathOf(part);
    const x = this.text(rp);
    const e = elements(x, 'Relationship').find((r) => attr(r.tag, 'Id') === id);
    if (e) this.set(rp, x.slice(0, e.start) + x.slice(e.end));
  }
  override(part: string, ct: string | null): void {
    let x = this.text('[Content_Types].xml');
    const e = elements(x, 'Override').find((o) => (attr(o.tag, 'PartName') ?? '').replace(/^\//, '') === part);
    if (e) x = x.slice(0, e.start) + x.slice(e.end);
    if (ct) x = x.replace('</Types>', `<Override PartName="/${escapeAttr(part)}" ContentType="${ct}"/></Types>`);
    this.set('[Content_Types].xml', x);
  }
  ensureDefault(ext: string, ct: string): void {
    const x = this.text('[Content_Types].xml');
    if (elements(x, 'Default').some((d) => (attr(d.tag, 'Extension') ?? '').toLowerCase() === ext)) return;
    this.set('[Content_Types].xml', x.replace('</Types>', `<Default Extension="${ext}" ContentType="${ct}"/></Types>`));
  }
  freeName(pattern: (n: number) => string): string {
    let n = 1;
    while (this.has(pattern(n)) || this.changed.has(pattern(n))) n++;
    return pattern(n);
  }
  /**
   * The package: every original part not changed is copied as it was stored (its compressed bytes,
   * never inflated and deflated again); changed and new parts are deflated by node:zlib.
   */
  async zip(): Promise<Buffer> {
    const parts: (RawPart | Promise<RawPart>)[] = [];
    for (const [name, e] of this.entries) {
      if (this.removed.has(name)) continue;
      const x = this.changed.get(name);
      parts.push(x !== undefined ? deflatedPart(name, x, levelFor(x)) : { name, method: e.method, crc: e.crc, data: this.stored(e), size: e.size });
    }
    for (const [name, x] of this.changed) if (!this.entries.has(name)) parts.push(deflatedPart(name, x, levelFor(x)));
    // the changed parts are deflated side by side on the thread pool
    return zipParts(await Promise.all(parts));
  }
}

// ---------------------------------------------------------------------------------------------
// Styles

class Styles {
  private x: string;
  constructor(private readonly pkg: Pkg, private readonly part: string) {
    this.x = pkg.text(part);
  }
  /** Parsed tables of the current text (dropped when the text changes). */
  private lists: { x: string; byKind: Map<string, { start: number; end: number; items: ReturnType<typeof elements>; open: string }> } | null = null;
  private list(kind: string, item: string): { start: number; end: number; items: ReturnType<typeof elements>; open: string } {
    if (this.lists?.x !== this.x) this.lists = { x: this.x, byKind: new Map() };
    const known = this.lists.byKind.get(kind);
    if (known) return known;
    const block = elements(this.x, kind)[0];
    if (!block) throw new PatchUnsupported(`styles without ${kind}`);
    const openEnd = block.start + block.tag.length;
    const items = block.text.endsWith('/>') && block.tag === block.text ? [] : elements(this.x, item, openEnd, block.end);
    const l = { start: block.start, end: block.end, items, open: block.tag };
    this.lists.byKind.set(kind, l);
    return l;
  }
  /** Index of `entry` in the `<kind>` table, appended when not there yet. */
  intern(kind: string, item: string, entry: string): number {
    const l = this.list(kind, item);
    const found = l.items.findIndex((i) => i.text === entry);
    if (found >= 0) return found;
    const n = l.items.length;
    const open = setAttr(l.open.replace(/\/>$/, '>'), 'count', String(n + 1));
    const inner = l.items.length ? this.x.slice(l.start + l.open.length, l.end - `</${kind}>`.length) : '';
    this.x = this.x.slice(0, l.start) + open + inner + entry + `</${kind}>` + this.x.slice(l.end);
    return n;
  }
  xf(i: number): string {
    const l = this.list('cellXfs', 'xf');
    return l.items[i]?.text ?? l.items[0]?.text ?? '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>';
  }
  fill(i: number): string {
    return this.list('fills', 'fill').items[i]?.text ?? '';
  }
  isOurFill(xfIndex: number): boolean {
    const f = this.fill(Number(attr(this.xf(xfIndex), 'fillId') ?? 0));
    if (!/patternType\s*=\s*["']solid/.test(f)) return false;
    const fg = elements(f, 'fgColor')[0];
    const rgb = fg ? (attr(fg.tag, 'rgb') ?? '').toUpperCase() : '';
    return OUR_RGB.has(rgb);
  }
  /** The xf `base` with its fill replaced (`null`: no fill); the same pair always gives the same xf. */
  withFill(base: number, fill: string | null): number {
    const key = `${base}\u0000${fill ?? ''}`;
    let xf = this.filled.get(key);
    if (xf === undefined) {
      xf = this.makeFilled(base, fill);
      this.filled.set(key, xf);
    }
    return xf;
  }
  /** withFill's answers: marking 1,600 cells parsed the styles part three times a cell. */
  private readonly filled = new Map<string, number>();
  private makeFilled(base: number, fill: string | null): number {
    const fillId = fill === null ? 0 : this.intern('fills', 'fill', fill);
    const xf = this.xf(base);
    const m = /^<xf\b[^>]*?(\/?>)/.exec(xf);
    if (!m) throw new PatchUnsupported('bad xf');
    const cut = m[0].length - m[1].length;
    let tag = xf.slice(0, cut);
    const rest = xf.slice(cut);
    tag = setAttr(tag, 'fillId', String(fillId));
    tag = fill === null ? removeAttr(tag, 'applyFill') : setAttr(tag, 'applyFill', '1');
    return this.intern('cellXfs', 'xf', tag + rest);
  }
  save(): void {
    this.pkg.set(this.part, this.x);
  }
}

function solidFill(rgb: string): string {
  return `<fill><patternFill patternType="solid"><fgColor rgb="${rgb}"/><bgColor indexed="64"/></patternFill></fill>`;
}

// ---------------------------------------------------------------------------------------------
// A worksheet's XML: cells and their styles

interface RowInfo {
  r: number;
  start: number;
  end: number;
  text: string;
}

/**
 * Where the rows of a sheet are: row numbers and the offsets of each `<row>` element, found with
 * indexOf (no object or substring per row: a regex match per row was most of patching a large
 * sheet). `dataStart`/`dataOpenEnd` delimit the `<sheetData>` open tag, `dataEnd` is the offset of
 * `</sheetData>` (-1 for a self-closing `<sheetData/>`).
 */
class RowIndex {
  constructor(
    readonly r: Int32Array,
    readonly start: Int32Array,
    readonly end: Int32Array,
    readonly n: number,
    readonly dataStart: number,
    readonly dataOpenEnd: number,
    readonly dataEnd: number,
    private readonly ascending: boolean,
  ) {}
  private byR: Map<number, number> | null = null;
  /** Index of row number `rn`, or -1. */
  find(rn: number): number {
    if (!this.ascending) {
      if (!this.byR) {
        this.byR = new Map();
        for (let i = 0; i < this.n; i++) this.byR.set(this.r[i], i); // a repeated number: the last row holding it
      }
      return this.byR.get(rn) ?? -1;
    }
    const i = this.firstAtLeast(rn);
    return i < this.n && this.r[i] === rn ? i : -1;
  }
  /** Index of the first row (in sheet order) whose number is greater than `rn`, or -1. */
  firstAfter(rn: number): number {
    if (!this.ascending) {
      for (let i = 0; i < this.n; i++) if (this.r[i] > rn) return i;
      return -1;
    }
    const i = this.firstAtLeast(rn + 1);
    return i < this.n ? i : -1;
  }
  private firstAtLeast(rn: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.r[mid] < rn) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

const ROW_R = /\sr\s*=\s*(?:"([^"]*)"|'([^']*)')/;
const isNameEnd = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 47 || c === 62;

function scanRows(x: string): RowIndex {
  let ds = x.indexOf('<sheetData');
  while (ds >= 0 && !isNameEnd(x.charCodeAt(ds + 10))) ds = x.indexOf('<sheetData', ds + 10);
  if (ds < 0) throw new PatchUnsupported('sheet without sheetData');
  const openEnd = x.indexOf('>', ds) + 1;
  if (openEnd === 0) throw new PatchUnsupported('unterminated sheetData');
  if (x.charCodeAt(openEnd - 2) === 47) return new RowIndex(new Int32Array(0), new Int32Array(0), new Int32Array(0), 0, ds, openEnd, -1, true);
  const dataEnd = x.indexOf('</sheetData>', openEnd);
  if (dataEnd < 0) throw new PatchUnsupported('unterminated sheetData');
  let cap = 1024;
  let r = new Int32Array(cap);
  let start = new Int32Array(cap);
  let end = new Int32Array(cap);
  let n = 0;
  let ascending = true;
  let p = x.indexOf('<row', openEnd);
  while (p >= 0 && p < dataEnd) {
    if (!isNameEnd(x.charCodeAt(p + 4))) {
      p = x.indexOf('<row', p + 4);
      continue;
    }
    const gt = x.indexOf('>', p);
    if (gt < 0 || gt > dataEnd) throw new PatchUnsupported('unterminated row');
    const e = x.charCodeAt(gt - 1) === 47 ? gt + 1 : x.indexOf('</row>', gt) + 6;
    if (e < 6 || e > dataEnd) throw new PatchUnsupported('unterminated row');
    let rn = -1;
    if (x.startsWith(' r="', p + 4)) {
      // the usual `<row r="123" …`: the digits read in place
      rn = 0;
      let q = p + 8;
      for (let c = x.charCodeAt(q); c >= 48 && c <= 57; c = x.charCodeAt(++q)) rn = rn * 10 + (c - 48);
      if (x.charCodeAt(q) !== 34 || q === p + 8) rn = -1;
    }
    if (rn < 0) {
      const m = ROW_R.exec(x.slice(p, gt + 1));
      if (!m) throw new PatchUnsupported('row without r');
      rn = Number(decodeText(m[1] ?? m[2]));
    }
    if (n === cap) {
      cap *= 2;
      const grow = (a: Int32Array) => {
        const b = new Int32Array(cap);
        b.set(a);
        return b;
      };
      r = grow(r);
      start = grow(start);
      end = grow(end);
    }
    if (n > 0 && rn <= r[n - 1]) ascending = false;
    r[n] = rn;
    start[n] = p;
    end[n] = e;
    n++;
    p = x.indexOf('<row', e);
  }
  return new RowIndex(r, start, end, n, ds, openEnd, dataEnd, ascending);
}

class Sheet {
  x: string;
  /** Address → new `s` (null: remove the attribute). */
  private readonly newStyle = new Map<string, number | null>();
  constructor(readonly name: string, readonly part: string, private readonly pkg: Pkg, private readonly shared: (i: number) => string) {
    this.x = pkg.text(part);
    if (!/<worksheet[\s>]/.test(this.x) || !/<sheetData[\s/>]/.test(this.x)) throw new PatchUnsupported(`unexpected sheet XML in ${part}`);
  }
  private cache: { x: string; rows: RowIndex } | null = null;
  private colStyles: { min: number; max: number; style: number }[] | undefined;
  private merges: { a: string; p: { col: number; row: number }; q: { col: number; row: number } }[] | null = null;
  private index(): RowIndex {
    if (this.cache && this.cache.x === this.x) return this.cache.rows;
    const rows = scanRows(this.x);
    this.cache = { x: this.x, rows };
    return rows;
  }
  private row(r: number): RowInfo | undefined {
    const ix = this.index();
    const i = ix.find(r);
    return i < 0 ? undefined : { r, start: ix.start[i], end: ix.end[i], text: this.x.slice(ix.start[i], ix.end[i]) };
  }
  private cellTag(address: string): { tag: string; inner: string } | null {
    const r = this.row(splitAddress(address).row);
    if (!r) return null;
    const c = elements(r.text, 'c').find((e) => attr(e.tag, 'r') === address);
    return c ? { tag: c.tag, inner: c.inner } : null;
  }
  exists(address: string): boolean {
    return this.cellTag(address) !== null;
  }
  /** The cell's xf index as it shows (the row's or column's style for a cell not written). */
  styleOf(address: string): number {
    if (this.newStyle.has(address)) return this.newStyle.get(address) ?? 0;
    const c = this.cellTag(address);
    if (c) return Number(attr(c.tag, 's') ?? 0);
    const { row, col } = splitAddress(address);
    const r = this.row(row);
    if (r && attr(r.text.slice(0, r.text.indexOf('>') + 1), 'customFormat') === '1') return Number(attr(r.text, 's') ?? 0);
    // the column styles, read once (marking changes rows only, never <cols>)
    this.colStyles ??= elements(this.x.slice(0, Math.max(0, this.x.indexOf('<sheetData'))), 'col').map((c2) => ({
      min: Number(attr(c2.tag, 'min')),
      max: Number(attr(c2.tag, 'max')),
      style: Number(attr(c2.tag, 'style') ?? 0),
    }));
    for (const c2 of this.colStyles) if (col >= c2.min && col <= c2.max) return c2.style;
    return 0;
  }
  rawStyle(address: string): string {
    const c = this.cellTag(address);
    return c ? (attr(c.tag, 's') ?? '') : '';
  }
  textAt(address: string): string {
    const c = this.cellTag(address);
    if (!c) return '';
    const t = attr(c.tag, 't');
    if (t === 's') return this.shared(Number(elements(c.inner, 'v')[0]?.inner ?? -1));
    if (t === 'inlineStr') return textOf(elements(c.inner, 'is')[0]?.inner ?? '');
    const v = elements(c.inner, 'v')[0];
    return v ? decodeText(v.inner) : '';
  }
  mergeTopLeft(address: string): string {
    const { row, col } = splitAddress(address);
    this.merges ??= elements(this.x, 'mergeCell').flatMap((m) => {
      const [a, b] = (attr(m.tag, 'ref') ?? '').split(':');
      return a && b && /^[A-Z]{1,3}\d+$/.test(a) && /^[A-Z]{1,3}\d+$/.test(b) ? [{ a, p: splitAddress(a), q: splitAddress(b) }] : [];
    });
    const m = this.merges.find(({ p, q }) => row >= p.row && row <= q.row && col >= p.col && col <= q.col);
    return m ? m.a : address;
  }
  setStyle(address: string, s: number | null): void {
    this.newStyle.set(address, s);
  }
  /** Queues replacing `[start, end)` of the current text by `text` (applied with the style changes). */
  splice(start: number, end: number, text: string): void {
    this.splices.push({ start, end, text, rn: Infinity });
  }
  private readonly splices: Edit[] = [];
  get dirty(): boolean {
    return this.newStyle.size > 0 || this.splices.length > 0;
  }
  /** Writes the pending style changes and splices into the XML. */
  apply(): void {
    const edits = this.edits();
    if (edits.length) this.x = spliced(this.x, edits);
  }
  /**
   * The pending changes as edits of the current text, in order (one pass over the sheet:
   * splicing each edit into the whole text copied it once per edit; 1,600 marks on a 50,000-row
   * sheet took 35 s).
   */
  private edits(): Edit[] {
    const edits: Edit[] = [];
    if (this.newStyle.size > 0) {
      const byRow = new Map<number, Map<number, number | null>>();
      for (const [a, s] of this.newStyle) {
        const { row, col } = splitAddress(a);
        if (!byRow.has(row)) byRow.set(row, new Map());
        byRow.get(row)!.set(col, s);
      }
      this.newStyle.clear();
      const ix = this.index();
      let tail = ''; // rows after the last one, in row order
      for (const rn of [...byRow.keys()].sort((a, b) => a - b)) {
        const cols = byRow.get(rn)!;
        const r = this.row(rn);
        if (r) {
          edits.push({ start: r.start, end: r.end, text: patchRow(r.text, rn, cols), rn });
        } else {
          const missing = [...cols].filter(([, s]) => s !== null);
          if (!missing.length) continue;
          const text = `<row r="${rn}">${missing.sort((a, b) => a[0] - b[0]).map(([c, s]) => `<c r="${columnLetter(c)}${rn}" s="${s}"/>`).join('')}</row>`;
          const after = ix.firstAfter(rn);
          if (after >= 0) edits.push({ start: ix.start[after], end: ix.start[after], text, rn });
          else tail += text;
        }
      }
      if (tail) {
        if (ix.dataEnd < 0) edits.push({ start: ix.dataStart, end: ix.dataOpenEnd, text: `${this.x.slice(ix.dataStart, ix.dataOpenEnd).replace(/\s*\/>$/, '>')}${tail}</sheetData>`, rn: Infinity });
        else edits.push({ start: ix.dataEnd, end: ix.dataEnd, text: tail, rn: Infinity });
      }
    }
    // splices after the rows: at one place (sort is stable), the rows' edits come first
    edits.push(...this.splices.splice(0));
    edits.sort((p, q) => p.start - q.start || p.end - q.end || p.rn - q.rn);
    return edits;
  }
  /**
   * Puts the sheet with its pending changes into the package. Where the text is still the
   * original's, the copy is made of the original bytes between the edits: the text of a large
   * sheet is never joined and encoded again.
   */
  save(): void {
    const orig = this.pkg.bytesOf(this.part, this.x);
    if (orig === null) {
      this.apply();
      this.pkg.set(this.part, this.x);
      return;
    }
    const edits = this.edits();
    if (!edits.length) return;
    const { bytes, at: byteAt } = orig;
    const pieces: Uint8Array[] = [];
    let at = 0;
    for (const e of edits) {
      const start = byteAt(e.start);
      pieces.push(bytes.subarray(at, start), Buffer.from(e.text, 'utf8'));
      at = byteAt(e.end);
    }
    pieces.push(bytes.subarray(at));
    this.pkg.set(this.part, Buffer.concat(pieces));
  }
}

interface Edit {
  start: number;
  end: number;
  text: string;
  /** Row number of an edit of rows (their order at one place), Infinity for the rest. */
  rn: number;
}

/** `x` with each `[start, end)` replaced by its text (edits in order, not overlapping), in one pass. */
function spliced(x: string, edits: readonly { start: number; end: number; text: string }[]): string {
  const out: string[] = [];
  let at = 0;
  for (const e of edits) {
    out.push(x.slice(at, e.start), e.text);
    at = e.end;
  }
  out.push(x.slice(at));
  return out.join('');
}

function patchRow(row: string, rn: number, cols: Map<number, number | null>): string {
  const open = row.slice(0, row.indexOf('>') + 1);
  const selfClosing = open.endsWith('/>');
  let body = selfClosing ? '' : row.slice(open.length, row.length - '</row>'.length);
  const pending = new Map(cols);
  const cells = elements(body, 'c');
  for (const c of [...cells].reverse()) {
    const a = attr(c.tag, 'r');
    if (!a) throw new PatchUnsupported('cell without r');
    const col = splitAddress(a).col;
    if (!pending.has(col)) continue;
    const s = pending.get(col)!;
    pending.delete(col);
    const tag = s === null ? removeAttr(c.tag, 's') : setAttr(c.tag, 's', String(s));
    body = body.slice(0, c.start) + tag + body.slice(c.start + c.tag.length);
  }
  // cells not written yet, in column order
  const fresh = [...pending].filter(([, s]) => s !== null).sort((a, b) => a[0] - b[0]);
  for (const [col, s] of fresh) {
    const cur = elements(body, 'c');
    const next = cur.find((c) => splitAddress(attr(c.tag, 'r')!).col > col);
    const at = next ? next.start : cur.length ? cur[cur.length - 1].end : body.length;
    body = body.slice(0, at) + `<c r="${columnLetter(col)}${rn}" s="${s}"/>` + body.slice(at);
  }
  return `${selfClosing ? open.replace(/\s*\/>$/, '>') : open}${body}</row>`;
}

// ---------------------------------------------------------------------------------------------
// Notes

interface NoteSet {
  /** ref → raw `<comment>` XML (kept as written). */
  comments: Map<string, string>;
  authors: string[];
  vmlShapes: Map<string, string>;
  vmlHead: string;
  commentsPart: string | null;
  vmlPart: string | null;
  commentsRel: string | null;
  /**
   * Cells holding an Excel 365 threaded comment (its legacy `<comment>` is only the fallback text
   * for older versions): a cell cannot hold a note and a thread, so ours goes on no such cell.
   */
  threaded: Set<string>;
}

function commentText(raw: string): string {
  return textOf(elements(raw, 'text')[0]?.inner ?? '');
}

const WORKSHEET_AFTER_LEGACY = ['legacyDrawingHF', 'drawingHF', 'picture', 'oleObjects', 'controls', 'webPublishItems', 'tableParts', 'extLst'];

function loadNotes(pkg: Pkg, sheetPart: string): NoteSet {
  const rels = pkg.rels(sheetPart);
  const c = rels.find((r) => r.type === T_COMMENTS && !r.external);
  const v = rels.find((r) => r.type === T_VML && !r.external);
  const set: NoteSet = { comments: new Map(), authors: [], vmlShapes: new Map(), vmlHead: '', commentsPart: c?.part ?? null, vmlPart: v?.part ?? null, commentsRel: c?.id ?? null, threaded: new Set() };
  for (const t of rels) {
    if (t.external || !t.type.endsWith('/threadedComment') || !pkg.has(t.part)) continue;
    for (const e of elements(pkg.text(t.part), 'threadedComment')) {
      const ref = attr(e.tag, 'ref');
      if (ref) set.threaded.add(ref.replace(/\$/g, '').toUpperCase());
    }
  }
  if (c && pkg.has(c.part)) {
    const x = pkg.text(c.part);
    set.authors = elements(x, 'author').map((a) => decodeText(a.inner));
    for (const e of elements(x, 'comment')) set.comments.set(attr(e.tag, 'ref') ?? '', e.text);
  }
  if (v && pkg.has(v.part)) {
    const x = pkg.text(v.part);
    const shapes = elements(x, 'v:shape');
    const first = shapes[0]?.start ?? x.lastIndexOf('</xml>');
    set.vmlHead = x.slice(0, first < 0 ? x.length : first);
    for (const s of shapes) {
      const row = /<x:Row>\s*(\d+)\s*<\/x:Row>/.exec(s.text), col = /<x:Column>\s*(\d+)\s*<\/x:Column>/.exec(s.text);
      if (row && col) set.vmlShapes.set(`${columnLetter(Number(col[1]) + 1)}${Number(row[1]) + 1}`, s.text);
    }
  }
  return set;
}

const VML_HEAD =
  '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">' +
  '<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout>' +
  '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>';

function vmlShape(id: number, address: string): string {
  const { row, col } = splitAddress(address);
  return (
    `<v:shape id="_x0000_s${id}" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:180pt;height:60pt;z-index:1;visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">` +
    '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>' +
    `<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>${col}, 15, ${row - 1}, 2, ${col + 2}, 15, ${row + 3}, 16</x:Anchor><x:AutoFill>False</x:AutoFill>` +
    `<x:Row>${row - 1}</x:Row><x:Column>${col - 1}</x:Column></x:ClientData></v:shape>`
  );
}

const AUTHOR = '校验';

function ourComment(address: string, authorId: number, text: string): string {
  return `<comment ref="${address}" authorId="${authorId}"><text><r><rPr><sz val="9"/><rFont val="宋体"/><charset val="134"/></rPr><t xml:space="preserve">${escapeText(text)}</t></r></text></comment>`;
}

function saveNotes(pkg: Pkg, sheet: Sheet, set: NoteSet, ours: Map<string, string>, touched: boolean): void {
  if (!touched && !ours.size) return;
  if (!set.comments.size && !ours.size && !set.commentsPart) return;
  let authors = set.authors.length ? [...set.authors] : [];
  let authorId = authors.indexOf(AUTHOR);
  if (ours.size && authorId < 0) {
    authors.push(AUTHOR);
    authorId = authors.length - 1;
  }
  const comments = new Map(set.comments);
  for (const [a, text] of ours) comments.set(a, ourComment(a, authorId, text));
  if (!comments.size && set.commentsPart) {
    // no note left: the comments part and drawing go
    pkg.remove(set.commentsPart);
    pkg.override(set.commentsPart, null);
    pkg.removeRel(sheet.part, set.commentsRel!);
    if (set.vmlPart) {
      const vrel = pkg.rels(sheet.part).find((r) => r.type === T_VML);
      pkg.remove(set.vmlPart);
      if (vrel) {
        pkg.removeRel(sheet.part, vrel.id);
        const m = new RegExp(`<legacyDrawing\\s[^>]*${vrel.id}"[^>]*/>`).exec(sheet.x);
        if (m) sheet.splice(m.index, m.index + m[0].length, '');
      }
    }
    return;
  }
  if (!authors.length) authors = [AUTHOR];
  const cPart = set.commentsPart ?? pkg.freeName((n) => `xl/comments${n}.xml`);
  const oldX = set.commentsPart && pkg.has(set.commentsPart) ? pkg.text(set.commentsPart) : '';
  const rootTag = oldX ? (/<comments\b[^>]*>/.exec(oldX)?.[0] ?? `<comments xmlns="${NS_MAIN}">`) : `<comments xmlns="${NS_MAIN}">`;
  pkg.set(cPart, `${HEAD}${rootTag}<authors>${authors.map((a) => `<author>${escapeText(a)}</author>`).join('')}</authors><commentList>${[...comments.values()].join('')}</commentList></comments>`);
  if (!set.commentsPart) {
    pkg.addRel(sheet.part, T_COMMENTS, cPart);
    pkg.override(cPart, CT_COMMENTS);
  }
  // the drawing: shapes of the notes kept as they were, new ones for ours
  let maxId = 1024;
  for (const s of set.vmlShapes.values()) {
    const m = /_x0000_s(\d+)/.exec(s);
    if (m) maxId = Math.max(maxId, Number(m[1]));
  }
  let shapes = '';
  for (const a of comments.keys()) {
    const old = set.vmlShapes.get(a);
    shapes += old && !ours.has(a) ? old : vmlShape(++maxId, a);
  }
  const vPart = set.vmlPart ?? pkg.freeName((n) => `xl/drawings/vmlDrawing${n}.vml`);
  pkg.set(vPart, `${set.vmlHead || VML_HEAD}${shapes}</xml>`);
  if (!set.vmlPart) {
    const id = pkg.addRel(sheet.part, T_VML, vPart);
    pkg.ensureDefault('vml', CT_VML);
    const el = `<legacyDrawing r:id="${id}"/>`;
    // the namespace declarations are on the root tag; the elements that follow legacyDrawing come
    // after the cells (each search over a large sheet's whole text was a tenth of patching it)
    const root = sheet.x.slice(0, sheet.x.indexOf('>', sheet.x.indexOf('<worksheet')) + 1);
    const rPrefix = new RegExp(`xmlns:(\\w+)="${REL_NS}"`).exec(root)?.[1];
    const tag = rPrefix ? el.replace('r:id', `${rPrefix}:id`) : el.replace('<legacyDrawing r:id', `<legacyDrawing xmlns:r="${REL_NS}" r:id`);
    const cellsEnd = Math.max(0, sheet.x.lastIndexOf('</sheetData>'));
    let at = -1;
    for (const name of WORKSHEET_AFTER_LEGACY) {
      const re = new RegExp(`<${name}[\\s/>]`, 'g');
      re.lastIndex = cellsEnd;
      const m = re.exec(sheet.x);
      if (m) {
        at = m.index;
        break;
      }
    }
    if (at < 0) at = sheet.x.lastIndexOf('</worksheet>');
    sheet.splice(at, at, tag);
  }
}

// ---------------------------------------------------------------------------------------------
// New sheets

function cellXml(address: string, s: number, v: string | number | null): string {
  if (v === null || v === '') return `<c r="${address}" s="${s}"/>`;
  if (typeof v === 'number') return `<c r="${address}" s="${s}"><v>${v}</v></c>`;
  return `<c r="${address}" s="${s}" t="inlineStr"><is><t xml:space="preserve">${escapeText(v)}</t></is></c>`;
}

interface ListStyles {
  title: number;
  note: number;
  header: number;
  body: number;
  link: number;
  severity: Record<Severity, number>;
}

function listStyles(st: Styles): ListStyles {
  const font = (name: string, sz: number, extra = '') => st.intern('fonts', 'font', `<font>${extra}<sz val="${sz}"/><name val="${name}"/><charset val="134"/></font>`);
  const fTitle = font('宋体', 16, '<b/>');
  const fHeader = font('宋体', 10.5, '<b/>');
  const fBody = font('仿宋', 10.5);
  const fLink = font('仿宋', 10.5, '<u/><color rgb="FF0563C1"/>');
  const border = st.intern('borders', 'border', '<border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/></border>');
  const xf = (fontId: number, fillId: number, borderId: number, align: string) =>
    st.intern('cellXfs', 'xf', `<xf numFmtId="0" fontId="${fontId}" fillId="${fillId}" borderId="${borderId}" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment ${align}/></xf>`);
  const header = st.intern('fills', 'fill', solidFill('FFD9E1F2'));
  const sev = (s: Severity) => xf(fBody, st.intern('fills', 'fill', solidFill(SEVERITY_ARGB[s])), border, 'horizontal="center" vertical="top"');
  return {
    title: xf(fTitle, 0, 0, 'horizontal="center" vertical="center"'),
    note: xf(fBody, 0, 0, 'horizontal="left" vertical="center" wrapText="1"'),
    header: xf(fHeader, header, border, 'horizontal="center" vertical="center" wrapText="1"'),
    body: xf(fBody, 0, border, 'vertical="top" wrapText="1"'),
    link: xf(fLink, 0, border, 'vertical="top"'),
    severity: { error: sev('error'), warning: sev('warning'), info: sev('info') },
  };
}

interface Located {
  sheet: string;
  address: string;
}

function issueSheetXml(issues: Issue[], located: Map<Issue, Located | null>, ls: ListStyles): string {
  const n = ISSUE_LIST_COLUMNS.length;
  const last = columnLetter(n);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const is of issues) counts[is.severity]++;
  const rows: string[] = [];
  rows.push(`<row r="1" ht="30" customHeight="1">${cellXml('A1', ls.title, ISSUE_SHEET_TITLE)}</row>`);
  rows.push(
    `<row r="2" ht="22" customHeight="1">${cellXml('A2', ls.note, `共 ${issues.length} 条：错误 ${counts.error} 条，警告 ${counts.warning} 条，提示 ${counts.info} 条。点击“位置”可跳转到该单元格；有错误的行不参与认定。`)}</row>`,
  );
  rows.push(`<row r="3">${ISSUE_LIST_COLUMNS.map((c, i) => cellXml(`${columnLetter(i + 1)}3`, ls.header, c.title)).join('')}</row>`);
  const links: string[] = [];
  sortIssues(issues).forEach((is, i) => {
    const r = 4 + i;
    const loc = located.get(is) ?? null;
    const texts: unknown[] = [];
    const cells = ISSUE_LIST_COLUMNS.map((c, k) => {
      const a = `${columnLetter(k + 1)}${r}`;
      if (c.kind === 'link') {
        const text = safeText(locationText(is, loc ? loc.address : null));
        if (loc) {
          links.push(`<hyperlink ref="${a}" location="${escapeAttr(sheetRef(loc.sheet, loc.address))}" display="${escapeAttr(text)}" tooltip="${escapeAttr(`转到 ${safeText(loc.sheet)} ${loc.address}`)}"/>`);
          return cellXml(a, ls.link, text);
        }
        return cellXml(a, ls.body, text);
      }
      const v = issueListValue(c, is, i + 1);
      texts[k] = v;
      return cellXml(a, c.key === 'severity' ? ls.severity[is.severity] : ls.body, typeof v === 'number' ? v : safeOptionalText(v));
    });
    // the row's height fits its wrapped texts (LibreOffice and WPS keep a written row at the default height)
    const ht = wrappedRowHeight(texts, ISSUE_LIST_WIDTHS, 15);
    rows.push(`<row r="${r}"${ht === undefined ? '' : ` ht="${ht}" customHeight="1"`}>${cells.join('')}</row>`);
  });
  const cols = ISSUE_LIST_COLUMNS.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`).join('');
  return (
    `${HEAD}<worksheet xmlns="${NS_MAIN}" xmlns:r="${REL_NS}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>` +
    `<dimension ref="A1:${last}${3 + Math.max(issues.length, 1)}"/>` +
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="3" topLeftCell="A4" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
    `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>${rows.join('')}</sheetData>` +
    (issues.length ? `<autoFilter ref="A3:${last}${3 + issues.length}"/>` : '') +
    `<mergeCells count="2"><mergeCell ref="A1:${last}1"/><mergeCell ref="A2:${last}2"/></mergeCells>` +
    (links.length ? `<hyperlinks>${links.join('')}</hyperlinks>` : '') +
    `${printSetupXml()}</worksheet>`
  );
}

/** The issue list's filter range and print titles as the workbook's defined names for sheet `index`. */
function issueSheetNames(name: string, index: number, count: number): string[] {
  const q = `'${name.replace(/'/g, "''")}'`;
  const last = columnLetter(ISSUE_LIST_COLUMNS.length);
  return [
    ...(count ? [`<definedName name="_xlnm._FilterDatabase" localSheetId="${index}" hidden="1">${escapeDefined(`${q}!$A$3:$${last}$${3 + count}`)}</definedName>`] : []),
    `<definedName name="_xlnm.Print_Titles" localSheetId="${index}">${escapeDefined(`${q}!$1:$3`)}</definedName>`,
  ];
}

/** Adds defined names to workbook.xml (into `<definedNames>`, created where the schema puts it). */
function addDefinedNames(pkg: Pkg, names: string[]): void {
  if (!names.length) return;
  let wb = pkg.text('xl/workbook.xml');
  if (/<definedNames\s*\/>/.test(wb)) wb = wb.replace(/<definedNames\s*\/>/, `<definedNames>${names.join('')}</definedNames>`);
  else if (wb.includes('</definedNames>')) wb = wb.replace('</definedNames>', `${names.join('')}</definedNames>`);
  else {
    const after = wb.includes('</functionGroups>') ? '</functionGroups>' : /<functionGroups\b[^>]*\/>/.exec(wb)?.[0] ?? '</sheets>';
    wb = wb.replace(after, `${after}<definedNames>${names.join('')}</definedNames>`);
  }
  pkg.set('xl/workbook.xml', wb);
}

interface PatchRecord {
  sheet: string;
  address: string;
  /** The cell's `s` before marking ('' when none / not written). */
  style: string;
  /** The raw `<comment>` the cell had before ('' for none). */
  comment: string;
}

function markerSheetXml(list: string, records: PatchRecord[]): string {
  const row = (r: number, vals: string[]) => `<row r="${r}">${vals.map((v, i) => cellXml(`${columnLetter(i + 1)}${r}`, 0, v)).join('')}</row>`;
  const rows = [row(1, ['kind', 'sheet', 'address', 'styleBefore', 'commentBefore']), row(2, ['list', list])];
  records.forEach((rec, i) => rows.push(row(3 + i, ['cell', rec.sheet, rec.address, rec.style, rec.comment])));
  return `${HEAD}<worksheet xmlns="${NS_MAIN}"><sheetData>${rows.join('')}</sheetData></worksheet>`;
}

// ---------------------------------------------------------------------------------------------
// The workbook

interface SheetEntry {
  name: string;
  rid: string;
  part: string;
  el: { start: number; end: number; tag: string };
}

function sheetsOf(pkg: Pkg): SheetEntry[] {
  const wb = pkg.text('xl/workbook.xml');
  const rels = pkg.rels('xl/workbook.xml');
  return elements(wb, 'sheet').map((e) => {
    const rid = /\s[\w]+:id\s*=\s*"([^"]*)"/.exec(e.tag)?.[1] ?? '';
    const rel = rels.find((r) => r.id === rid);
    if (!rel) throw new PatchUnsupported(`sheet without part: ${rid}`);
    return { name: attr(e.tag, 'name') ?? '', rid, part: rel.part, el: e };
  });
}

/**
 * The shared string of an index, read only when asked for: patching reads a few cells (titles,
 * the bookkeeping sheet), so the table's items are located once and decoded one by one.
 */
function sharedStrings(pkg: Pkg): (i: number) => string {
  const rel = pkg.rels('xl/workbook.xml').find((r) => r.type.endsWith('/sharedStrings'));
  if (!rel || !pkg.has(rel.part)) return () => '';
  // items located as far as asked: `<si>` … `</si>` (an item never holds another)
  const starts: number[] = [];
  const ends: number[] = [];
  let x: string | null = null;
  let at = 0;
  const decoded = new Map<number, string>();
  return (i) => {
    if (!Number.isInteger(i) || i < 0) return '';
    let t = decoded.get(i);
    if (t !== undefined) return t;
    x ??= pkg.text(rel.part);
    while (starts.length <= i && at >= 0) {
      let p = x.indexOf('<si', at);
      while (p >= 0 && !isNameEnd(x.charCodeAt(p + 3))) p = x.indexOf('<si', p + 3);
      if (p < 0) {
        at = -1;
        break;
      }
      const gt = x.indexOf('>', p);
      const e = gt < 0 ? -1 : x.charCodeAt(gt - 1) === 47 ? gt + 1 : x.indexOf('</si>', gt);
      if (e < 0) {
        at = -1;
        break;
      }
      starts.push(gt + 1);
      ends.push(x.charCodeAt(gt - 1) === 47 ? gt + 1 : e);
      at = x.charCodeAt(gt - 1) === 47 ? e : e + 5;
    }
    t = i < starts.length ? textOf(x.slice(starts[i], ends[i]).replace(/<rPh\b[\s\S]*?<\/rPh>/g, '')) : '';
    decoded.set(i, t);
    return t;
  };
}

function removeSheet(pkg: Pkg, entry: SheetEntry): void {
  let wb = pkg.text('xl/workbook.xml');
  const idx = sheetsOf(pkg).findIndex((s) => s.rid === entry.rid);
  wb = wb.slice(0, entry.el.start) + wb.slice(entry.el.end);
  // sheet-scoped names of the removed sheet go, later sheets' indices shift
  const names = elements(wb, 'definedName');
  for (const d of names.reverse()) {
    const ls = attr(d.tag, 'localSheetId');
    if (ls === null) continue;
    const k = Number(ls);
    if (k === idx) wb = wb.slice(0, d.start) + wb.slice(d.end);
    else if (k > idx) wb = wb.slice(0, d.start) + setAttr(d.tag, 'localSheetId', String(k - 1)) + wb.slice(d.start + d.tag.length);
  }
  wb = wb.replace(/<definedNames>\s*<\/definedNames>/, '');
  wb = wb.replace(/(<workbookView\b[^>]*?\sactiveTab\s*=\s*")(\d+)"/, (m, a: string, n: string) => (Number(n) >= idx && Number(n) > 0 ? `${a}${Number(n) - 1}"` : m));
  pkg.set('xl/workbook.xml', wb);
  pkg.removeRel('xl/workbook.xml', entry.rid);
  for (const r of pkg.rels(entry.part)) if (!r.external && /\/(comments|vmlDrawing)$/.test(r.type)) pkg.remove(r.part);
  if (pkg.has(relsPathOf(entry.part))) pkg.remove(relsPathOf(entry.part));
  pkg.remove(entry.part);
  pkg.override(entry.part, null);
}

function addSheet(pkg: Pkg, name: string, xml: string, veryHidden: boolean): void {
  const part = pkg.freeName((n) => `xl/worksheets/sheet${n}.xml`);
  pkg.set(part, xml);
  pkg.override(part, CT_SHEET);
  const rid = pkg.addRel('xl/workbook.xml', T_SHEET, part);
  let wb = pkg.text('xl/workbook.xml');
  const ids = elements(wb, 'sheet').map((e) => Number(attr(e.tag, 'sheetId') ?? 0));
  const rPrefix = new RegExp(`xmlns:(\\w+)="${REL_NS}"`).exec(wb)?.[1];
  if (!rPrefix) throw new PatchUnsupported('workbook without relationships namespace');
  const el = `<sheet name="${escapeAttr(name)}" sheetId="${Math.max(0, ...ids) + 1}"${veryHidden ? ' state="veryHidden"' : ''} ${rPrefix}:id="${rid}"/>`;
  wb = wb.replace('</sheets>', `${el}</sheets>`);
  pkg.set('xl/workbook.xml', wb);
}

/**
 * The note a cell had before marking, from the bookkeeping sheet: the raw `<comment>` this module
 * records, or the exceljs path's JSON (`{ texts: [{ text }] }`) for a copy that path marked.
 */
function commentBefore(address: string, recorded: string): string {
  if (!recorded || recorded.startsWith('<comment')) return recorded;
  try {
    const note = JSON.parse(recorded) as { texts?: { text?: string }[] };
    const text = (note.texts ?? []).map((t) => t.text ?? '').join('');
    return text ? `<comment ref="${address}" authorId="0"><text><r><t xml:space="preserve">${escapeText(text)}</t></r></text></comment>` : '';
  } catch {
    return '';
  }
}

/** The fill a cell had before marking as the exceljs path records it (JSON), as a fill element; null for none. */
function fillBefore(recorded: string): string | null {
  try {
    const f = JSON.parse(recorded) as { type?: string; pattern?: string; fgColor?: { argb?: string } };
    const rgb = f.fgColor?.argb;
    return f.type === 'pattern' && f.pattern === 'solid' && rgb && /^[0-9A-Fa-f]{8}$/.test(rgb) ? solidFill(rgb.toUpperCase()) : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Patches `original` into the marked copy (see the module comment). Throws `PatchUnsupported` for
 * a package it does not edit, and another error for something that is not a zip. `inflated`: the
 * parts the caller's read already inflated (`readXlsx`'s `parts`), by name as stored.
 */
export async function patchMarkedCopy(original: Uint8Array, issues: Issue[], inflated?: ReadonlyMap<string, Uint8Array>): Promise<Buffer> {
  const pkg = new Pkg(original, inflated);
  pkg.checkXml();
  if (!pkg.has('xl/workbook.xml') || !pkg.has('[Content_Types].xml')) throw new PatchUnsupported('not an xlsx workbook package');
  if (/<\w+:workbook[\s>]/.test(pkg.text('xl/workbook.xml'))) throw new PatchUnsupported('prefixed SpreadsheetML');
  // macros, external links and data connections are never carried into a marked copy: the exceljs
  // path drops them (and the formulas on them keep their cached values)
  if (pkg.names().some((n) => /^xl\/(vbaProject\.bin|externalLinks\/|connections\.xml|customUI\/)/i.test(n))) {
    throw new PatchUnsupported('active content');
  }
  const stylesRel = pkg.rels('xl/workbook.xml').find((r) => r.type.endsWith('/styles'));
  if (!stylesRel || !pkg.has(stylesRel.part)) throw new PatchUnsupported('workbook without styles');
  const styles = new Styles(pkg, stylesRel.part);
  const shared = sharedStrings(pkg);

  const sheets = new Map<string, Sheet>();
  const notes = new Map<string, NoteSet>();
  const noteTouched = new Set<string>();
  const sheetOf = (name: string): Sheet | null => {
    if (sheets.has(name)) return sheets.get(name)!;
    const e = sheetsOf(pkg).find((s) => s.name === name);
    if (!e || !pkg.has(e.part) || !/\/worksheet$/.test(pkg.rels('xl/workbook.xml').find((r) => r.id === e.rid)?.type ?? '')) return null;
    const s = new Sheet(name, e.part, pkg, shared);
    sheets.set(name, s);
    notes.set(name, loadNotes(pkg, e.part));
    return s;
  };

  const sheetNamesBefore = sheetsOf(pkg).map((e) => e.name);

  // 1. old marks
  let oldList: string | null = null;
  const marker = sheetsOf(pkg).find((s) => s.name === MARKER_SHEET_NAME);
  if (marker) {
    const ms = new Sheet(marker.name, marker.part, pkg, shared);
    for (let r = 2; ; r++) {
      const kind = ms.textAt(`A${r}`);
      if (!kind) break;
      if (kind === 'list') oldList = ms.textAt(`B${r}`);
      if (kind !== 'cell') continue;
      const ws = sheetOf(ms.textAt(`B${r}`));
      const address = ms.textAt(`C${r}`);
      if (!ws || !/^[A-Z]{1,3}\d+$/.test(address)) continue;
      const ns = notes.get(ws.name)!;
      const c = ns.comments.get(address);
      if (c && commentText(c).startsWith(MARK_PREFIX)) {
        const before = commentBefore(address, ms.textAt(`E${r}`));
        if (before) ns.comments.set(address, before);
        else ns.comments.delete(address);
        ns.vmlShapes.delete(address);
        noteTouched.add(ws.name);
      }
      if (styles.isOurFill(ws.styleOf(address))) {
        const before = ms.textAt(`D${r}`);
        if (/^\d*$/.test(before)) ws.setStyle(address, before === '' ? null : Number(before));
        else ws.setStyle(address, styles.withFill(ws.styleOf(address), fillBefore(before)));
      }
    }
    removeSheet(pkg, marker);
  }
  for (const e of sheetsOf(pkg)) {
    const ws = sheetOf(e.name);
    if (!ws) continue;
    const ns = notes.get(e.name)!;
    for (const [a, c] of [...ns.comments]) {
      if (!commentText(c).startsWith(MARK_PREFIX)) continue;
      ns.comments.delete(a);
      ns.vmlShapes.delete(a);
      noteTouched.add(e.name);
      if (styles.isOurFill(ws.styleOf(a))) ws.setStyle(a, ws.exists(a) ? styles.withFill(ws.styleOf(a), null) : null);
    }
  }
  for (const e of sheetsOf(pkg)) {
    const ws = sheetOf(e.name);
    const ours = (oldList !== null && e.name === oldList) || (ws !== null && ws.textAt('A1') === ISSUE_SHEET_TITLE);
    if (ours) {
      sheets.delete(e.name);
      notes.delete(e.name);
      removeSheet(pkg, e);
    }
  }

  // 2. marks
  const byCell = new Map<string, { ws: Sheet; address: string; issues: Issue[] }>();
  const located = new Map<Issue, Located | null>();
  for (const is of issues) {
    const ws = is.sheet ? sheetOf(is.sheet) : null;
    let address: string | null = null;
    if (ws && is.column && /^[A-Z]{1,3}$/.test(is.column)) {
      if (is.row !== null && is.row >= 1) address = `${is.column}${is.row}`;
      else {
        const want = [is.value, is.field].filter((x): x is string => !!x).map((s) => s.replace(/\s+/g, ''));
        for (let r = 1; r <= 30 && want.length && !address; r++) {
          const t = ws.textAt(`${is.column}${r}`).replace(/\s+/g, '');
          if (t && want.includes(t)) address = `${is.column}${r}`;
        }
      }
    }
    if (!ws || !address) {
      located.set(is, null);
      continue;
    }
    address = ws.mergeTopLeft(address);
    located.set(is, { sheet: ws.name, address });
    if (!marksInPlace(is.code)) continue;
    const key = `${ws.name}\u0000${address}`;
    const slot = byCell.get(key) ?? { ws, address, issues: [] };
    slot.issues.push(is);
    byCell.set(key, slot);
  }
  for (const ws of sheets.values()) ws.apply();
  const records: PatchRecord[] = [];
  const ourNotes = new Map<string, Map<string, string>>();
  for (const { ws, address, issues: here } of byCell.values()) {
    const worst = here.reduce<Severity>((w, x) => (SEVERITY_ORDER[x.severity] < SEVERITY_ORDER[w] ? x.severity : w), 'info');
    const ns = notes.get(ws.name)!;
    const beforeComment = ns.comments.get(address) ?? '';
    records.push({ sheet: ws.name, address, style: ws.rawStyle(address), comment: beforeComment });
    ws.setStyle(address, styles.withFill(ws.styleOf(address), solidFill(SEVERITY_ARGB[worst])));
    // a cell with a threaded comment keeps it as it is: the fill marks it, 问题清单 says why
    if (ns.threaded.has(address)) continue;
    const lines = here.map((x) => `${SEVERITY_LABEL[x.severity]}：${safeText(x.message)}${x.hint ? `（${safeText(x.hint)}）` : ''}`);
    const own = beforeComment ? commentText(beforeComment) : '';
    if (!ourNotes.has(ws.name)) ourNotes.set(ws.name, new Map());
    ourNotes.get(ws.name)!.set(address, `${MARK_PREFIX}\n${lines.join('\n')}${own ? `\n——原备注：\n${own}` : ''}`);
  }
  for (const [name, ws] of sheets) {
    const ours = ourNotes.get(name) ?? new Map<string, string>();
    if (!ws.dirty && !ours.size && !noteTouched.has(name)) continue;
    // the notes' <legacyDrawing> is spliced in with the marks' edits: the text is not changed before save
    saveNotes(pkg, ws, notes.get(name)!, ours, noteTouched.has(name));
    ws.save();
  }

  // 3. the issue list and the bookkeeping sheet
  const ls = listStyles(styles);
  styles.save();
  const taken = new Set(sheetsOf(pkg).map((s) => s.name));
  const listName = safeSheetName(ISSUE_LIST_SHEET, taken);
  const listIndex = sheetsOf(pkg).length;
  addSheet(pkg, listName, issueSheetXml(issues, located, ls), false);
  addDefinedNames(pkg, issueSheetNames(listName, listIndex, issues.length));
  addSheet(pkg, MARKER_SHEET_NAME, markerSheetXml(listName, records), true);
  updateSheetTitles(pkg, sheetNamesBefore, sheetsOf(pkg).map((e) => e.name));
  return pkg.zip();
}

/**
 * The document's extended properties (`docProps/app.xml`) list the sheet names (`TitlesOfParts`,
 * counted in `HeadingPairs`); the list is brought in line with the sheets the copy holds. It is
 * changed only where it lists exactly the original's sheets, in order, as one heading's run:
 * anything else (no such part, another program's layout) is left as it was.
 */
function updateSheetTitles(pkg: Pkg, before: readonly string[], after: readonly string[]): void {
  const rel = pkg.rels('').find((r) => !r.external && r.type.endsWith('/extended-properties'));
  if (!rel || !pkg.has(rel.part) || before.join('\u0000') === after.join('\u0000')) return;
  const x = pkg.text(rel.part);
  const pairs = elements(x, 'HeadingPairs')[0];
  const titles = elements(x, 'TitlesOfParts')[0];
  if (!pairs || !titles) return;
  // positions in x throughout (elements() searched within the parent's span)
  const pairVector = elements(x, 'vt:vector', pairs.start, pairs.end)[0];
  const titleVector = elements(x, 'vt:vector', titles.start, titles.end)[0];
  if (!pairVector || !titleVector) return;
  const inside = (e: { start: number; tag: string; inner: string }) => [e.start + e.tag.length, e.start + e.tag.length + e.inner.length] as const;
  const variants = elements(x, 'vt:variant', ...inside(pairVector));
  const names = elements(x, 'vt:lpstr', ...inside(titleVector));
  const size = /(\ssize\s*=\s*")(\d+)"/.exec(titleVector.tag);
  if (variants.length % 2 !== 0 || !size || names.length !== Number(size[2])) return;
  // the heading whose run of titles is the original's sheets: its count, its titles and the
  // vector's size change
  let at = 0;
  for (let k = 0; k < variants.length; k += 2) {
    const i4 = /<vt:i4>\s*(\d+)\s*<\/vt:i4>/.exec(variants[k + 1].inner);
    if (!i4) return;
    const count = Number(i4[1]);
    const run = names.slice(at, at + count).map((n) => decodeText(n.inner));
    if (count > 0 && count === before.length && run.join('\u0000') === before.join('\u0000')) {
      const [countAt] = inside(variants[k + 1]);
      const edits = [
        { start: countAt + i4.index, end: countAt + i4.index + i4[0].length, text: `<vt:i4>${after.length}</vt:i4>` },
        { start: names[at].start, end: names[at + count - 1].end, text: after.map((n) => `<vt:lpstr>${escapeText(n)}</vt:lpstr>`).join('') },
        { start: titleVector.start + size.index, end: titleVector.start + size.index + size[0].length, text: `${size[1]}${names.length - count + after.length}"` },
      ].sort((p, q) => p.start - q.start);
      pkg.set(rel.part, spliced(x, edits));
      return;
    }
    at += count;
  }
}
