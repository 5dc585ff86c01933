/**
 * A small, resumable XML tokenizer for the parts of an xlsx package. It is fed decoded text piece by
 * piece and stops at the first incomplete tag or text node, keeping the rest for the next piece.
 * Namespace prefixes are dropped (`x:c` is `c`).
 *
 * Strict, as Excel is: well-formedness is checked while scanning (every tag closed by its own end
 * tag, attribute values quoted, exactly one root element, no text outside it), and a part that
 * declares a DOCTYPE or entities is refused outright — nothing is ever expanded; only the five XML
 * entities and character references are decoded.
 */
import { corrupt, Unusable } from './read-zip';

/** A part whose XML is not well-formed. */
export function malformed(part: string, detail: string): Unusable {
  return new Unusable(
    `工作簿的 XML 内容格式错误（${part}：标签不配对、属性缺少引号或内容被截断），文件已损坏，请在 Excel 中打开检查后重新保存`,
    `the workbook's XML is not well-formed (${part}: ${detail}); the file is damaged, open it in Excel and save it again`,
    'malformed-xml',
  );
}

/** A part that declares a DTD or entities. */
export function dtdRefused(part: string): Unusable {
  return new Unusable(
    `工作簿含有 DTD 或实体声明（${part} 中的 DOCTYPE/ENTITY），出于安全考虑拒绝读取，请在 Excel 中重新保存`,
    `the workbook declares a DTD or entities (DOCTYPE/ENTITY in ${part}); refused for safety, save it again in Excel`,
    'dtd-refused',
  );
}

/** Where the scanner is in the element tree of one part. */
export class XmlState {
  readonly stack: string[] = [];
  rootSeen = false;
  constructor(readonly part: string) {}
}

/** True when `s[a..b)` is a well-formed attribute list: `name = "value"` or `name='value'`, spaces between. */
function attrsWellFormed(s: string, a: number, b: number): boolean {
  let i = a;
  for (;;) {
    const sp = i;
    while (i < b && isSpace(s.charCodeAt(i))) i++;
    if (i >= b) return true;
    if (i === sp) return false; // no space before the attribute name
    const n0 = i;
    while (i < b) {
      const ch = s.charCodeAt(i);
      if (ch === 61 || isSpace(ch) || ch === 34 || ch === 39 || ch === 60) break;
      i++;
    }
    if (i === n0) return false;
    while (i < b && isSpace(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== 61) return false;
    i++;
    while (i < b && isSpace(s.charCodeAt(i))) i++;
    const q = s.charCodeAt(i);
    if (q !== 34 && q !== 39) return false;
    const e = s.indexOf(q === 34 ? '"' : "'", i + 1);
    if (e < 0 || e >= b) return false;
    const lt = s.indexOf('<', i + 1);
    if (lt >= 0 && lt < e) return false;
    i = e + 1;
  }
}

function isSpace(ch: number): boolean {
  return ch === 32 || ch === 10 || ch === 13 || ch === 9;
}

function onlySpace(s: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) if (!isSpace(s.charCodeAt(i))) return false;
  return true;
}

export interface XmlHandler {
  /** `a..b` is the attribute text of the tag. */
  open(name: string, s: string, a: number, b: number, selfClosing: boolean): void;
  close(name: string): void;
  /** Raw text (entities not decoded) between tags; called only while `collect` is true. */
  text(raw: string): void;
  collect: boolean;
}

const SAFE_TAGS = new Set(['c', 'v', 'row', 'f', 't', 'si', 'r', 'is', 'xf']);

/** Length of the tag name as written (prefix included) starting at `from`. */
function rawNameLength(s: string, from: number, to: number): number {
  let e = from;
  while (e < to) {
    const ch = s.charCodeAt(e);
    if (ch === 32 || ch === 62 || ch === 47 || ch === 10 || ch === 13 || ch === 9) break;
    e++;
  }
  return e - from;
}

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
export function tokenize(s: string, pos: number, h: XmlHandler, st: XmlState): number {
  const n = s.length;
  const stack = st.stack;
  for (;;) {
    const lt = s.indexOf('<', pos);
    if (lt < 0) {
      if (stack.length === 0 && !onlySpace(s, pos, n)) throw malformed(st.part, 'text outside the root element');
      return pos;
    }
    if (lt > pos) {
      if (h.collect) h.text(s.substring(pos, lt));
      else if (stack.length === 0 && !onlySpace(s, pos, lt)) throw malformed(st.part, 'text outside the root element');
    }
    const c1 = s.charCodeAt(lt + 1);
    if (lt + 1 >= n) return lt;
    if (c1 === 47) {
      // </name>
      const gt = s.indexOf('>', lt);
      if (gt < 0) return lt;
      const name = localName(s, lt + 2, gt);
      const top = stack.pop();
      if (top !== name) {
        throw malformed(st.part, top === undefined ? `end tag </${name}> without a start tag` : `<${top}> closed by </${name}>`);
      }
      if (!onlySpace(s, lt + 2 + rawNameLength(s, lt + 2, gt), gt)) {
        throw malformed(st.part, `bad end tag </${name}>`);
      }
      h.close(name);
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
        // <!DOCTYPE …>, <!ENTITY …> and anything else: never accepted, never expanded
        if (n - lt < 10) return lt; // wait for enough text to tell what it is
        if (/^<!(doctype|entity|element|attlist|notation)/i.test(s.substring(lt, lt + 10))) throw dtdRefused(st.part);
        throw malformed(st.part, 'unexpected <! markup');
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
      let self = s.charCodeAt(gt - 1) === 47;
      const a = lt + 1 + rawNameLength(s, lt + 1, gt);
      if (a === lt + 1) throw malformed(st.part, 'a tag without a name');
      if (!attrsWellFormed(s, a, self ? gt - 1 : gt)) {
        // a '>' inside a quoted value of a hot tag: find the real end, then judge again
        gt = tagEnd(s, lt);
        if (gt < 0) return lt;
        self = s.charCodeAt(gt - 1) === 47;
        if (!attrsWellFormed(s, a, self ? gt - 1 : gt)) throw malformed(st.part, `bad attributes in <${name}>`);
      }
      if (stack.length === 0) {
        if (st.rootSeen) throw malformed(st.part, 'more than one root element');
        st.rootSeen = true;
      }
      h.open(name, s, a, self ? gt - 1 : gt, self);
      if (self) h.close(name);
      else stack.push(name);
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
  private readonly st: XmlState;
  constructor(private readonly h: XmlHandler, part = 'XML') {
    this.st = new XmlState(part);
  }
  feed(text: string): void {
    const s = this.rest.length ? this.rest + text : text;
    const p = tokenize(s, 0, this.h, this.st);
    this.rest = p < s.length ? s.substring(p) : '';
    if (this.rest.length > MAX_PENDING) throw corrupt('an XML tag or text is too long');
  }
  /** The part has ended: everything opened must be closed, and there must have been a root. */
  finish(): void {
    const { st } = this;
    if (this.rest.length && !onlySpace(this.rest, 0, this.rest.length)) {
      if (/^<!(doctype|entity)/i.test(this.rest)) throw dtdRefused(st.part);
      throw malformed(st.part, 'the part ends inside a tag');
    }
    if (st.stack.length) throw malformed(st.part, `<${st.stack[st.stack.length - 1]}> is never closed`);
    if (!st.rootSeen) throw malformed(st.part, 'no root element');
  }
  /** Length of text waiting for the rest of its tag/text node. */
  get pending(): number {
    return this.rest.length;
  }
}
