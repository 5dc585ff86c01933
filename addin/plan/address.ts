/**
 * Cell rectangles and A1 address strings for `worksheet.getRanges(...)`.
 * Pure: no Office.js here.
 */
import { columnLetter, columnNumber } from '../../shared/grid';

/** A 1-based, inclusive rectangle of cells. */
export interface Rect {
  r1: number;
  c1: number;
  r2: number;
  c2: number;
}

export interface Cell {
  row: number;
  col: number;
}

/** Excel limits the address string of `getRanges` to 8,192 characters; stay clearly under it. */
export const MAX_ADDRESS_CHARS = 8000;

export function cellAddress(row: number, col: number): string {
  return `${columnLetter(col)}${row}`;
}

export function rectAddress(r: Rect): string {
  const a = cellAddress(r.r1, r.c1);
  return r.r1 === r.r2 && r.c1 === r.c2 ? a : `${a}:${cellAddress(r.r2, r.c2)}`;
}

/** Parses `C7`, `C7:D9`, `Sheet1!C7` or `'my sheet'!C7:D9` (absolute `$` allowed) into a rectangle. */
export function parseAddress(address: string): Rect {
  const bang = address.lastIndexOf('!');
  const local = (bang >= 0 ? address.slice(bang + 1) : address).replace(/\$/g, '');
  const [a, b = a] = local.split(':');
  const pa = /^([A-Za-z]+)(\d+)$/.exec(a);
  const pb = /^([A-Za-z]+)(\d+)$/.exec(b);
  if (!pa || !pb) throw new Error(`不是单元格地址：${address}`);
  const r1 = Number(pa[2]);
  const r2 = Number(pb[2]);
  const c1 = columnNumber(pa[1]);
  const c2 = columnNumber(pb[1]);
  return { r1: Math.min(r1, r2), c1: Math.min(c1, c2), r2: Math.max(r1, r2), c2: Math.max(c1, c2) };
}

/**
 * Merges cells into few rectangles: vertical runs per column first (issues tend to run down a
 * column), then runs with the same rows in adjacent columns are joined. Duplicates are ignored.
 * Every cell is covered exactly once and nothing else is covered.
 */
export function mergeCells(cells: readonly Cell[]): Rect[] {
  const byCol = new Map<number, number[]>();
  for (const c of cells) {
    let rows = byCol.get(c.col);
    if (!rows) byCol.set(c.col, (rows = []));
    rows.push(c.row);
  }
  const cols = [...byCol.keys()].sort((a, b) => a - b);
  // open rectangles keyed by "r1:r2", extended while the next column has the same run
  let open = new Map<string, Rect>();
  const done: Rect[] = [];
  let prevCol = -1;
  for (const col of cols) {
    const rows = [...new Set(byCol.get(col)!)].sort((a, b) => a - b);
    const runs: [number, number][] = [];
    for (const r of rows) {
      const last = runs[runs.length - 1];
      if (last && r === last[1] + 1) last[1] = r;
      else runs.push([r, r]);
    }
    const next = new Map<string, Rect>();
    for (const [r1, r2] of runs) {
      const key = `${r1}:${r2}`;
      const prev = col === prevCol + 1 ? open.get(key) : undefined;
      if (prev) {
        prev.c2 = col;
        open.delete(key);
        next.set(key, prev);
      } else {
        next.set(key, { r1, c1: col, r2, c2: col });
      }
    }
    for (const r of open.values()) done.push(r);
    open = next;
    prevCol = col;
  }
  for (const r of open.values()) done.push(r);
  return done.sort((a, b) => a.r1 - b.r1 || a.c1 - b.c1);
}

/**
 * Joins addresses with commas into strings of at most `max` characters each (for `getRanges`).
 * An address is never split.
 */
export function chunkAddresses(addresses: readonly string[], max = MAX_ADDRESS_CHARS): string[] {
  const out: string[] = [];
  let cur = '';
  for (const a of addresses) {
    if (a.length > max) throw new Error(`address longer than ${max} characters`);
    if (cur && cur.length + 1 + a.length > max) {
      out.push(cur);
      cur = '';
    }
    cur = cur ? `${cur},${a}` : a;
  }
  if (cur) out.push(cur);
  return out;
}

/** `Sheet1` → `'Sheet1'` for formulas and hyperlinks (single quotes doubled). */
export function quoteSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}
