/**
 * A small, resumable XML tokenizer for the parts of an xlsx package. It is fed decoded text piece by
 * piece and stops at the first incomplete tag or text node, keeping the rest for the next piece.
 * Namespace prefixes are dropped (`x:c` is `c`). No DTD, no entity definitions: only the five XML
 * entities and character references are decoded, so entity-expansion attacks do not apply.
 */
import { corrupt } from './read-zip';

export interface XmlHandler {
  /** `a..b` is the attribute text of the tag. */
  open(name: string, s: string, a: number, b: number, selfClosing: boolean): void;
  close(name: string): void;
  /** Raw text (entities not decoded) between tags; called only while `collect` is true. */
  text(raw: string): void;
  collect: boolean;
}

const SAFE_TAGS = new Set(['c', 'v', 'row', 'f', 't', 'si', 'r', 'is', 'xf']);

function localName(s: string, from: number, to: number): string {
  // hot tags of a worksheet without allocating: c, v, row
  const c0 = s.charCodeAt(from);
  const c1 = s.charCodeAt(from + 1);
  if (c1 === 32 || c1 === 62 || c1 === 47) {
    if (c0 === 99) return 'c';
    if (c0 === 118) return 'v';
    if (c0 === 116) return 't';
  } else if (c0 === 114 && c1 === 111 && s.charCodeAt(from + 2) === 119) {
    const c3 = s.charCodeAt(from + 3);
    if (c3 === 32 || c3 === 62 || c3 === 47) return 'row';
  }
  let e = from;
  let start = from;
  while (e < to) {
    const ch = s.charCodeAt(e);
    if (ch === 32 || ch === 62 || ch === 47 || ch === 10 || ch === 13 || ch === 9) break;
    if (ch === 58) start = e + 1;
    e++;
  }
  return s.substring(start, e);
}

/** Position just after the tag's closing `>` taking quoted attribute values into account, or -1. */
function tagEnd(s: string, lt: number): number {
  let q = 0;
  for (let i = lt + 1; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (q) {
      if (ch === q) q = 0;
    } else if (ch === 34 || ch === 39) q = ch;
    else if (ch === 62) return i;
  }
  return -1;
}

/** Tokenizes `s` from `pos`; returns the position of the first thing that is not complete yet. */
export function tokenize(s: string, pos: number, h: XmlHandler): number {
  const n = s.length;
  for (;;) {
    const lt = s.indexOf('<', pos);
    if (lt < 0) return pos;
    if (h.collect && lt > pos) h.text(s.substring(pos, lt));
    const c1 = s.charCodeAt(lt + 1);
    if (lt + 1 >= n) return lt;
    if (c1 === 47) {
      // </name>
      const gt = s.indexOf('>', lt);
      if (gt < 0) return lt;
      h.close(localName(s, lt + 2, gt));
      pos = gt + 1;
    } else if (c1 === 33) {
      // <!-- -->, <![CDATA[ ]]>, <!DOCTYPE …>
      if (s.startsWith('<!--', lt)) {
        const e = s.indexOf('-->', lt + 4);
        if (e < 0) return lt;
        pos = e + 3;
      } else if (s.startsWith('<![CDATA[', lt)) {
        const e = s.indexOf(']]>', lt + 9);
        if (e < 0) return lt;
        if (h.collect) h.text(escapeText(s.substring(lt + 9, e)));
        pos = e + 3;
      } else {
        const br = s.indexOf('[', lt);
        const gt = s.indexOf('>', lt);
        if (gt < 0) return lt;
        if (br >= 0 && br < gt) {
          const e = s.indexOf(']>', br);
          if (e < 0) return lt;
          pos = e + 2;
        } else pos = gt + 1;
      }
    } else if (c1 === 63) {
      const e = s.indexOf('?>', lt);
      if (e < 0) return lt;
      pos = e + 2;
    } else {
      let gt = s.indexOf('>', lt);
      if (gt < 0) return lt;
      const name = localName(s, lt + 1, gt);
      if (!SAFE_TAGS.has(name)) {
        gt = tagEnd(s, lt);
        if (gt < 0) return lt;
      }
      const self = s.charCodeAt(gt - 1) === 47;
      h.open(name, s, lt + 1 + name.length, self ? gt - 1 : gt, self);
      if (self) h.close(name);
      pos = gt + 1;
    }
  }
}

function escapeText(t: string): string {
  return t.indexOf('&') >= 0 ? t.replace(/&/g, '&amp;') : t;
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(t: string): string {
  if (t.indexOf('&') < 0) return t;
  return t.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e.charCodeAt(0) === 35) {
      const cp = e.charCodeAt(1) === 120 ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return NAMED[e] ?? m;
  });
}

/** Excel's `_xHHHH_` escapes (e.g. `_x000D_` for a carriage return; `_x005F_` escapes an underscore). */
export function decodeExcelEscapes(t: string): string {
  if (t.indexOf('_x') < 0) return t;
  return t.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** Decodes XML then Excel escapes of a text node. */
export function decodeText(raw: string): string {
  // XML end-of-line handling: a literal CR LF or CR in the text is a line feed (a real CR is
  // written as &#13; or _x000D_).
  const t = raw.indexOf('\r') >= 0 ? raw.replace(/\r\n?/g, '\n') : raw;
  return decodeExcelEscapes(decodeEntities(t));
}

/** Longest tag or text node the feeder waits for (a legitimate one is far shorter). */
const MAX_PENDING = 4 * 1024 * 1024;

/** Feeds text pieces to the tokenizer, carrying the incomplete tail over. */
export class XmlFeeder {
  private rest = '';
  constructor(private readonly h: XmlHandler) {}
  feed(text: string): void {
    const s = this.rest.length ? this.rest + text : text;
    const p = tokenize(s, 0, this.h);
    this.rest = p < s.length ? s.substring(p) : '';
    if (this.rest.length > MAX_PENDING) throw corrupt('an XML tag or text is too long');
  }
  /** Length of text waiting for the rest of its tag/text node. */
  get pending(): number {
    return this.rest.length;
  }
}
