/**
 * The zip layer of the xlsx reader: the central directory, and bounded inflation of one part
 * (node:zlib, never past its declared size), decoded in pieces with a streaming TextDecoder so that
 * no character is ever split between pieces, however they happen to fall.
 */
import { inflateRawSync } from 'node:zlib';
import { UnusableInputError } from '../types';
import type { ReadLimits } from './limits';

export interface ZipEntry {
  /** Part name as stored (without a leading slash). */
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** CRC-32 of the uncompressed part, as the central directory gives it. */
  crc: number;
}

/** Thrown inside the reader; turned into UnusableInputError by the caller with the file name. */
export class Unusable extends Error {
  constructor(
    public readonly zh: string,
    public readonly en: string,
    public readonly code?: 'malformed-xml' | 'dtd-refused',
  ) {
    super(en);
  }
}

export function corrupt(detail?: string): Unusable {
  return new Unusable(
    '文件已损坏或不完整（压缩包结构无效），请在 Excel 中重新保存为 .xlsx',
    `the file is corrupt or truncated (invalid zip structure${detail ? `: ${detail}` : ''}); save it again as .xlsx`,
  );
}

const u16 = (d: Uint8Array, o: number) => d[o] | (d[o + 1] << 8);
const u32 = (d: Uint8Array, o: number) => (d[o] | (d[o + 1] << 8) | (d[o + 2] << 16)) + d[o + 3] * 0x1000000;
const u64 = (d: Uint8Array, o: number) => u32(d, o) + u32(d, o + 4) * 0x100000000;

/** Reads the central directory; throws `Unusable` for anything that is not a readable zip. */
export function readZipDirectory(data: Uint8Array): Map<string, ZipEntry> {
  const n = data.length;
  let eocd = -1;
  const stop = Math.max(0, n - 22 - 0xffff);
  for (let i = n - 22; i >= stop; i--) {
    if (data[i] === 0x50 && data[i + 1] === 0x4b && data[i + 2] === 0x05 && data[i + 3] === 0x06) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt('no end of central directory');
  let count = u16(data, eocd + 10);
  let cdSize = u32(data, eocd + 12);
  let cdOffset = u32(data, eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || u32(data, loc) !== 0x07064b50) throw corrupt('bad zip64 locator');
    const z = u64(data, loc + 8);
    if (z + 56 > n || u32(data, z) !== 0x06064b50) throw corrupt('bad zip64 directory');
    count = u64(data, z + 32);
    cdSize = u64(data, z + 40);
    cdOffset = u64(data, z + 48);
  }
  if (cdOffset + cdSize > n) throw corrupt('central directory outside the file');
  const entries = new Map<string, ZipEntry>();
  const dec = new TextDecoder();
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > n || u32(data, p) !== 0x02014b50) throw corrupt('bad central directory entry');
    const flags = u16(data, p + 8);
    const method = u16(data, p + 10);
    const crc = u32(data, p + 16);
    let compressedSize = u32(data, p + 20);
    let size = u32(data, p + 24);
    const nameLen = u16(data, p + 28);
    const extraLen = u16(data, p + 30);
    const commentLen = u16(data, p + 32);
    let localOffset = u32(data, p + 42);
    if (p + 46 + nameLen + extraLen > n) throw corrupt('bad central directory entry');
    const name = dec.decode(data.subarray(p + 46, p + 46 + nameLen)).replace(/^\/+/, '').replace(/\\/g, '/');
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      // zip64 extended information: only the fields that overflowed, in this order.
      let e = p + 46 + nameLen;
      const end = e + extraLen;
      while (e + 4 <= end) {
        const id = u16(data, e);
        const len = u16(data, e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          if (size === 0xffffffff) { size = u64(data, q); q += 8; }
          if (compressedSize === 0xffffffff) { compressedSize = u64(data, q); q += 8; }
          if (localOffset === 0xffffffff) { localOffset = u64(data, q); q += 8; }
          break;
        }
        e += 4 + len;
      }
    }
    entries.set(name.toLowerCase(), { name, method, flags, compressedSize, size, localOffset, crc });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Running total of inflated bytes over a whole workbook (zip-bomb guard). */
export interface InflateBudget {
  used: number;
  limits: ReadLimits;
}

function bombError(limits: ReadLimits): Unusable {
  const mb = Math.round(limits.maxInflatedBytes / 1024 / 1024);
  return new Unusable(
    `解压后的数据超过上限（${mb} MB）或压缩比异常，疑似“压缩炸弹”，拒绝读取`,
    `inflated data exceeds the limit (${mb} MB) or has an abnormal compression ratio (zip bomb?); refusing the file`,
  );
}

/** Checks an entry's declared size against the limits before anything is inflated. */
export function checkDeclared(entry: ZipEntry, budget: InflateBudget): void {
  const { limits } = budget;
  if (budget.used + entry.size > limits.maxInflatedBytes) throw bombError(limits);
  if (entry.size > 1024 * 1024 && entry.size / Math.max(1, entry.compressedSize) > limits.maxCompressionRatio) {
    throw bombError(limits);
  }
}

/** Bytes decoded and handed on at a time. */
const DECODE_PIECE = 256 * 1024;

/**
 * The stored (for method 8, compressed) bytes of a part, found through its local header; throws
 * `Unusable` when the header is not there or the part runs past the end of the file.
 */
export function storedBytes(data: Uint8Array, entry: ZipEntry): Uint8Array {
  const lo = entry.localOffset;
  if (lo + 30 > data.length || u32(data, lo) !== 0x04034b50) throw corrupt(`bad local header of ${entry.name}`);
  const start = lo + 30 + u16(data, lo + 26) + u16(data, lo + 28);
  const end = start + entry.compressedSize;
  if (end > data.length) throw corrupt(`${entry.name} is truncated`);
  return data.subarray(start, end);
}

/**
 * Inflates one part, never past its declared size (held to the workbook's budget first), and hands
 * its text to `onText` piece by piece. Throws when it is larger or smaller than declared.
 */
export function streamPartText(
  data: Uint8Array,
  entry: ZipEntry,
  budget: InflateBudget,
  onText: (text: string) => void,
  onBytes?: (bytes: Uint8Array) => void,
): void {
  if (entry.flags & 1) {
    throw new Unusable('工作簿内部数据经过加密，无法读取', 'the workbook parts are encrypted; cannot read them');
  }
  checkDeclared(entry, budget);
  const stored = storedBytes(data, entry);
  // XML parts are UTF-8; UTF-16 is allowed too and announces itself with a byte-order mark.
  let decoder: TextDecoder | undefined;
  let produced = 0;
  const { limits } = budget;
  const take = (chunk: Uint8Array) => {
    produced += chunk.length;
    budget.used += chunk.length;
    if (produced > entry.size) throw corrupt(`${entry.name} is larger than declared`);
    if (budget.used > limits.maxInflatedBytes) throw bombError(limits);
    if (!decoder) {
      const bom16 = chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff));
      decoder = new TextDecoder(bom16 ? (chunk[0] === 0xff ? 'utf-16le' : 'utf-16be') : 'utf-8');
    }
    const text = decoder.decode(chunk, { stream: true });
    if (text.length) onText(text);
  };
  let out: Uint8Array;
  if (entry.method === 0) {
    out = stored;
  } else if (entry.method === 8) {
    // node:zlib inflates the part at once (native: several times fflate's speed), never past its
    // declared size, which checkDeclared has held to the workbook's budget
    try {
      out = inflateRawSync(stored, { maxOutputLength: Math.max(1, entry.size) });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') throw corrupt(`${entry.name} is larger than declared`);
      throw corrupt(`${entry.name}: ${(e as Error).message}`);
    }
  } else {
    throw corrupt(`unsupported compression method ${entry.method}`);
  }
  for (let p = 0; p < out.length; p += DECODE_PIECE) take(out.subarray(p, Math.min(out.length, p + DECODE_PIECE)));
  if (produced !== entry.size) throw corrupt(`${entry.name} is shorter than declared`);
  const tail = decoder ? decoder.decode() : '';
  if (tail.length) onText(tail);
  onBytes?.(out);
}

export function unusable(file: string, e: Unusable): UnusableInputError {
  return new UnusableInputError(file, e.zh, e.en, e.code);
}
