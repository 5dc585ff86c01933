/**
 * Value blocks: rectangles of values / formulas / number formats written in one operation each,
 * kept under a byte budget so that no request to Excel passes its payload limit (5 MB on the web).
 */
import { cellAddress, Rect, rectAddress } from './address';

export type Scalar = string | number | boolean | null;

/** One rectangular write. Number formats are applied first, then values, then formulas. */
export interface ValueBlock {
  /** Top-left cell, 1-based. */
  row: number;
  col: number;
  rows: number;
  cols: number;
  numberFormat?: string[][];
  values?: Scalar[][];
  /** Formulas (and plain constants) written with `range.formulas`. */
  formulas?: Scalar[][];
}

/** Budget per request: 4 MB of payload (Excel on the web refuses requests over 5 MB). */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

const encoder = new TextEncoder();

/** UTF-8 size of the JSON of a value: how big it is on the wire. */
export function jsonBytes(x: unknown): number {
  return encoder.encode(JSON.stringify(x)).length;
}

export function blockRect(b: ValueBlock): Rect {
  return { r1: b.row, c1: b.col, r2: b.row + b.rows - 1, c2: b.col + b.cols - 1 };
}

export function blockAddress(b: ValueBlock): string {
  return b.rows === 1 && b.cols === 1 ? cellAddress(b.row, b.col) : rectAddress(blockRect(b));
}

export function blockBytes(b: ValueBlock): number {
  return blockAddress(b).length + jsonBytes(b.numberFormat ?? null) + jsonBytes(b.values ?? null) + jsonBytes(b.formulas ?? null);
}

/**
 * Splits a block by rows so that each piece stays under `maxBytes`. A single row larger than the
 * budget is an error (the caller's columns are then too wide to write at all).
 */
export function splitBlock(b: ValueBlock, maxBytes = MAX_REQUEST_BYTES): ValueBlock[] {
  const rowBytes: number[] = [];
  for (let i = 0; i < b.rows; i++) {
    rowBytes.push(jsonBytes(b.numberFormat?.[i] ?? null) + jsonBytes(b.values?.[i] ?? null) + jsonBytes(b.formulas?.[i] ?? null) + 3);
  }
  const out: ValueBlock[] = [];
  let start = 0;
  let size = 32;
  for (let i = 0; i < b.rows; i++) {
    if (rowBytes[i] + 32 > maxBytes) throw new Error(`第${b.row + i}行的内容超过单次写入上限`);
    if (i > start && size + rowBytes[i] > maxBytes) {
      out.push(slice(b, start, i));
      start = i;
      size = 32;
    }
    size += rowBytes[i];
  }
  if (b.rows > 0) out.push(slice(b, start, b.rows));
  return out;
}

function slice(b: ValueBlock, from: number, to: number): ValueBlock {
  return {
    row: b.row + from,
    col: b.col,
    rows: to - from,
    cols: b.cols,
    numberFormat: b.numberFormat?.slice(from, to),
    values: b.values?.slice(from, to),
    formulas: b.formulas?.slice(from, to),
  };
}

/** A rows × cols array filled with one value. */
export function fill2d<T>(rows: number, cols: number, v: T): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows; i++) out.push(new Array<T>(cols).fill(v));
  return out;
}
