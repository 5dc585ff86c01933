/**
 * Character-level normalisation shared by header matching and value parsing.
 * Hand-written char loops: these run per cell on large sheets.
 */

/** True for the whitespace people leave in cells: ASCII blanks, NBSP, ideographic space, BOM, zero-width. */
export function isSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x3000 || c === 0xfeff || c === 0x200b;
}

/** Full-width ASCII (U+FF01..U+FF5E) → half-width; ideographic space → space; other chars unchanged. */
export function halfWidthCode(c: number): number {
  if (c >= 0xff01 && c <= 0xff5e) return c - 0xfee0;
  if (c === 0x3000) return 32;
  return c;
}

/** True when the string is empty or only whitespace. */
export function isBlankString(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isSpaceCode(s.charCodeAt(i))) return false;
  return true;
}

/**
 * Compact form used to compare enumeration values and codes: full-width → half-width, all
 * whitespace removed, ASCII letters upper-cased; CJK brackets 【】〔〕 → [] .
 */
export function compactUpper(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (isSpaceCode(c)) continue;
    c = halfWidthCode(c);
    if (c >= 97 && c <= 122) c -= 32;
    else if (c === 0x3010 || c === 0x3014) c = 91;
    else if (c === 0x3011 || c === 0x3015) c = 93;
    out += String.fromCharCode(c);
  }
  return out;
}

/** Trim whitespace (incl. ideographic space) at both ends. */
export function trimAll(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpaceCode(s.charCodeAt(a))) a++;
  while (b > a && isSpaceCode(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

const AREA_UNIT_WORDS = /平方米|平米|m²|m2/g;

/**
 * Normalised header title: whitespace removed (incl. line breaks inside a header cell), full-width
 * → half-width (so `（）` → `()`), lower case, the area unit spelt one way (`㎡`), required-markers
 * `*` and `※` dropped. Titles, variants and header cells are compared in this form.
 */
export function normHeader(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (isSpaceCode(c)) continue;
    c = halfWidthCode(c);
    if (c >= 65 && c <= 90) c += 32;
    else if (c === 0x3010 || c === 0x3014) c = 40;
    else if (c === 0x3011 || c === 0x3015) c = 41;
    if (c === 42 || c === 0x203b) continue; // * ※
    out += String.fromCharCode(c);
  }
  return out.replace(AREA_UNIT_WORDS, '㎡');
}

/** `用地面积(亩)` → { base: '用地面积', unit: '亩' }; null when the title does not end in a bracketed part. */
export function splitHeaderUnit(norm: string): { base: string; unit: string } | null {
  if (!norm.endsWith(')')) return null;
  const open = norm.lastIndexOf('(');
  if (open <= 0) return null;
  return { base: norm.slice(0, open), unit: norm.slice(open + 1, -1) };
}
