/**
 * A streaming zip writer for the project's xlsx writer: each part is deflated through `node:zlib`
 * as it is produced (the deflate runs in libuv's thread pool, so compression overlaps the building
 * of the next XML on the other core), with a data descriptor after it, so no part is ever held
 * whole in memory; a part compressed elsewhere (another thread's writer) is added as its bytes
 * (`addRaw`). Sizes past 4 GiB (zip64) are refused rather than written wrongly.
 */
import type { Writable } from 'node:stream';
import { constants, crc32, createDeflateRaw, deflateRaw, deflateRawSync, type DeflateRaw, type ZlibOptions } from 'node:zlib';

interface CentralEntry {
  name: Buffer;
  crc: number;
  csize: number;
  usize: number;
  offset: number;
  flags: number;
}

const MAX32 = 0xffffffff;

/** DOS date and time of `d` (local time, 2-second resolution). */
function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/** What a local header and a central directory entry both say of a part. */
interface PartRecord {
  name: Buffer;
  flags: number;
  method: number;
  crc: number;
  csize: number;
  usize: number;
}

type Stamp = { time: number; date: number };

/** Version needed, flags, method, time, date, CRC, sizes, name length: at 4 in a local header, at 6 in a central entry. */
function recordFields(b: Buffer, o: number, r: PartRecord, stamp: Stamp): void {
  b.writeUInt16LE(20, o);
  b.writeUInt16LE(r.flags, o + 2);
  b.writeUInt16LE(r.method, o + 4);
  b.writeUInt16LE(stamp.time, o + 6);
  b.writeUInt16LE(stamp.date, o + 8);
  b.writeUInt32LE(r.crc >>> 0, o + 10);
  b.writeUInt32LE(r.csize, o + 14);
  b.writeUInt32LE(r.usize, o + 18);
  b.writeUInt16LE(r.name.length, o + 22);
}

/** A local file header with the part's name. */
function localHeader(r: PartRecord, stamp: Stamp): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  recordFields(h, 4, r, stamp);
  return Buffer.concat([h, r.name]);
}

/** A central directory entry with the part's name; `offset` is where its local header starts. */
function centralEntry(r: PartRecord, offset: number, stamp: Stamp): Buffer {
  const c = Buffer.alloc(46);
  c.writeUInt32LE(0x02014b50, 0);
  c.writeUInt16LE(20, 4); // version made by
  recordFields(c, 6, r, stamp);
  c.writeUInt32LE(offset, 42);
  return Buffer.concat([c, r.name]);
}

/** The end of central directory record: `count` entries, `size` bytes of directory starting at `start`. */
function endRecord(count: number, size: number, start: number): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(start, 16);
  return end;
}

/**
 * Bytes of text that may wait for the deflater (on the thread pool) before the writer waits. With
 * the stream's default (16 KiB), every chunk made the writer wait until that chunk was compressed:
 * the two took turns instead of running side by side (a third of the submission's time was idle).
 */
const DEFLATE_QUEUE_BYTES = 4 * 1024 * 1024;
/**
 * The deflater's output buffer. With zlib's default (16 KiB) a chunk of text took several trips
 * between the thread pool and the event loop, each waiting for the busy writer to yield; a buffer
 * larger than any chunk's output compresses each chunk in one job.
 */
const DEFLATE_OUT_BYTES = 1024 * 1024;

export class ZipWriter {
  private offset = 0;
  private readonly entries: CentralEntry[] = [];
  private readonly stamp: { time: number; date: number };
  private failed: Error | null = null;

  constructor(private readonly out: Writable, private readonly level = 6, when = new Date()) {
    this.stamp = dosDateTime(when);
    out.on('error', (e) => (this.failed = e));
  }

  private raw(b: Buffer): boolean {
    if (this.failed) throw this.failed;
    this.offset += b.length;
    return this.out.write(b);
  }

  private drained(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onDrain = () => {
        this.out.off('error', onError);
        resolve();
      };
      const onError = (e: Error) => {
        this.out.off('drain', onDrain);
        reject(e);
      };
      this.out.once('drain', onDrain);
      this.out.once('error', onError);
    });
  }

  /** A small part, compressed at once. */
  async add(name: string, content: string | Buffer): Promise<void> {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const packed = deflateRawSync(data, { level: this.level });
    const n = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const offset = this.offset;
    this.raw(localHeader({ name: n, flags: 0x0800, method: 8, crc, csize: packed.length, usize: data.length }, this.stamp));
    const ok = this.raw(packed);
    this.entries.push({ name: n, crc, csize: packed.length, usize: data.length, offset, flags: 0x0800 });
    if (!ok) await this.drained();
  }

  /** A deflated part compressed elsewhere, given as its pieces in order: the bytes are written as they are. */
  async addRaw(name: string, crc: number, size: number, pieces: readonly Uint8Array[]): Promise<void> {
    const csize = pieces.reduce((n, b) => n + b.length, 0);
    if (csize > MAX32 || size > MAX32) throw new Error('a workbook part is larger than 4 GiB (zip64 is not written)');
    const n = Buffer.from(name, 'utf8');
    const offset = this.offset;
    this.raw(localHeader({ name: n, flags: 0x0800, method: 8, crc, csize, usize: size }, this.stamp));
    for (const b of pieces) if (!this.raw(Buffer.from(b.buffer, b.byteOffset, b.byteLength))) await this.drained();
    this.entries.push({ name: n, crc, csize, usize: size, offset, flags: 0x0800 });
  }

  /** Where a part written so far lies: its local header's offset, the header's length, CRC and sizes. */
  written(name: string): { offset: number; headerBytes: number; crc: number; csize: number; usize: number } | undefined {
    const e = this.entries.find((x) => x.name.toString('utf8') === name);
    return e && { offset: e.offset, headerBytes: 30 + e.name.length, crc: e.crc, csize: e.csize, usize: e.usize };
  }

  /** A part written piece by piece: `write` text, `await` what it returns when not null, then `end()`. */
  open(name: string): PartStream {
    const n = Buffer.from(name, 'utf8');
    const offset = this.offset;
    this.raw(localHeader({ name: n, flags: 0x0808, method: 8, crc: 0, csize: 0, usize: 0 }, this.stamp));
    return new PartStream(this, n, offset, createDeflateRaw({ level: this.level, memLevel: 9, strategy: constants.Z_DEFAULT_STRATEGY, chunkSize: DEFLATE_OUT_BYTES, writableHighWaterMark: DEFLATE_QUEUE_BYTES } as ZlibOptions));
  }

  /** @internal */
  pipeChunk(chunk: Buffer, deflate: DeflateRaw): void {
    if (!this.raw(chunk)) {
      deflate.pause();
      this.out.once('drain', () => deflate.resume());
    }
  }

  /** @internal */
  finishPart(name: Buffer, offset: number, crc: number, csize: number, usize: number): void {
    if (csize > MAX32 || usize > MAX32) throw new Error('a workbook part is larger than 4 GiB (zip64 is not written)');
    const d = Buffer.alloc(16);
    d.writeUInt32LE(0x08074b50, 0);
    d.writeUInt32LE(crc >>> 0, 4);
    d.writeUInt32LE(csize, 8);
    d.writeUInt32LE(usize, 12);
    this.raw(d);
    this.entries.push({ name, crc, csize, usize, offset, flags: 0x0808 });
  }

  /** Writes the central directory and ends the output stream; resolves when it is flushed. */
  async close(): Promise<void> {
    const start = this.offset;
    for (const e of this.entries) this.raw(centralEntry({ ...e, method: 8 }, e.offset, this.stamp));
    const size = this.offset - start;
    if (start > MAX32 || this.entries.length > 0xffff) throw new Error('the workbook is larger than 4 GiB (zip64 is not written)');
    this.raw(endRecord(this.entries.length, size, start));
    await new Promise<void>((resolve, reject) => {
      if (this.failed) return reject(this.failed);
      this.out.once('error', reject);
      this.out.end(() => resolve());
    });
  }
}

/** Text is encoded into a buffer of this many bytes before it is handed to the deflater. */
const CHUNK_BYTES = 1024 * 1024;
/**
 * Characters of small texts (merged ranges, shared strings, breaks; rows are written as bytes by
 * `SheetWriter.row`) gathered and joined before they are encoded together. Joined
 * by `Array.join` into one flat string: a long string built by `+=` from many pieces that mixes CJK
 * text into ASCII markup is several times slower to encode than its pieces are.
 */
const BATCH_CHARS = 16 * 1024;

const viewOf = (b: Buffer): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** One part being deflated as its text is written. */
export class PartStream {
  /** @internal The buffer being filled and how far (see `reserve`). */
  buf: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  /** @internal `buf` as a DataView (for writing markup four bytes at a time). */
  view = viewOf(this.buf);
  /** @internal */
  pos = 0;
  private crc = 0;
  private usize = 0;
  private csize = 0;
  private waiting: Promise<void> | null = null;
  private error: Error | null = null;
  private pending: string[] = [];
  /** Buffers the deflater has finished with. */
  private readonly spare: Buffer[] = [];
  private pendingChars = 0;
  private readonly ended: Promise<void>;

  constructor(private readonly zip: ZipWriter, private readonly name: Buffer, private readonly offset: number, private readonly deflate: DeflateRaw) {
    deflate.on('data', (c: Buffer) => {
      this.csize += c.length;
      zip.pipeChunk(c, deflate);
    });
    this.ended = new Promise<void>((resolve, reject) => {
      deflate.once('end', resolve);
      deflate.once('error', (e) => {
        this.error = e;
        reject(e);
      });
    });
    this.ended.catch(() => undefined);
  }

  /**
   * Appends text; returns a promise to await after each chunk handed to the deflater (to let it run,
   * longer when it is behind), else null.
   */
  write(text: string): Promise<void> | null {
    // small texts are gathered and encoded a batch at a time: one call into the encoder per batch
    // instead of one per text, and one flat string instead of flattening each text's rope
    if (text.length < BATCH_CHARS) {
      this.pending.push(text);
      this.pendingChars += text.length;
      return this.pendingChars >= BATCH_CHARS ? this.drain() : null;
    }
    const w = this.drain();
    return this.encode(text) ?? w;
  }

  /**
   * @internal Room for `n` more bytes in `buf` at `pos` (n ≤ CHUNK_BYTES), for a caller that
   * writes bytes itself (`SheetWriter.row`): text gathered so far goes first, a full buffer is
   * handed to the deflater. Returns the wait as `write` does.
   */
  reserve(n: number): Promise<void> | null {
    const d = this.pending.length ? this.drain() : null;
    return this.pos + n > CHUNK_BYTES ? this.flush() ?? d : d;
  }

  /** @internal After bytes were written into `buf` up to `pos`: a buffer half full goes to the deflater. */
  wrote(): Promise<void> | null {
    return this.pos >= CHUNK_BYTES / 2 ? this.flush() : null;
  }

  private drain(): Promise<void> | null {
    if (!this.pending.length) return null;
    const text = this.pending.length === 1 ? this.pending[0] : this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    return this.encode(text);
  }

  private encode(text: string): Promise<void> | null {
    // a UTF-16 code unit takes at most 3 bytes in UTF-8
    if (this.pos + text.length * 3 > CHUNK_BYTES) {
      const w = this.flush();
      if (text.length * 3 > CHUNK_BYTES) {
        this.push(Buffer.from(text, 'utf8'));
        return this.waiting ?? w;
      }
    }
    this.pos += this.buf.write(text, this.pos, 'utf8');
    return this.pos >= CHUNK_BYTES / 2 ? this.flush() : null;
  }

  private push(b: Buffer, done?: () => void): void {
    if (!b.length) return;
    this.crc = crc32(b, this.crc);
    this.usize += b.length;
    if (!this.deflate.write(b, done) && !this.waiting) {
      this.waiting = new Promise<void>((resolve) => this.deflate.once('drain', () => {
        this.waiting = null;
        resolve();
      }));
    }
  }

  private flush(): Promise<void> | null {
    if (this.error) throw this.error;
    if (this.pos) {
      // the deflater keeps the buffer it is given until it has compressed it (the write's
      // callback): hand it over, go on in a spare one, and keep it as a spare once it is back.
      // A new buffer per chunk cost a page fault per 4 KiB written and external memory that
      // made the collector run more often.
      const full = this.buf;
      const b = full.subarray(0, this.pos);
      this.buf = this.spare.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
      this.view = viewOf(this.buf);
      this.pos = 0;
      this.push(b, () => this.spare.push(full));
      // let the event loop run: the deflater (on the thread pool) hands back each chunk it has
      // compressed and takes the next only there, so a writer that never yields would leave it idle
      if (!this.waiting) return new Promise<void>((resolve) => setImmediate(resolve));
    }
    return this.waiting;
  }

  async end(): Promise<void> {
    const d = this.drain();
    if (d) await d;
    const w = this.flush();
    if (w) await w;
    this.deflate.end();
    await this.ended;
    this.zip.finishPart(this.name, this.offset, this.crc, this.csize, this.usize);
  }
}

/** One part of a package written at once by `zipParts`: its compressed bytes and what describes them. */
export interface RawPart {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  crc: number;
  /** The bytes as they go into the zip (compressed when method is 8). */
  data: Uint8Array;
  size: number;
}

/** Bytes of a part from which it is deflated in pieces side by side (each piece one thread-pool job). */
const PIECE_BYTES = 4 << 20;
const MAX_PIECES = 4;

/**
 * A part of text (or its UTF-8 bytes), deflated with node:zlib (level 3 by default: twice the speed of 6 for a few per
 * cent in size). A large part is cut into pieces deflated at the same time on the
 * thread pool: every piece but the last ends with a sync flush (a byte-aligned, non-final block),
 * so the pieces joined are one valid deflate stream (as pigz does); each piece starts without the
 * previous one's window, which costs a fraction of a per cent in size.
 */
export async function deflatedPart(name: string, text: string | Uint8Array, level = 3): Promise<RawPart> {
  const b = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const n = Math.max(1, Math.min(MAX_PIECES, Math.floor(b.length / PIECE_BYTES)));
  const step = Math.ceil(b.length / n);
  const jobs: Promise<Buffer>[] = [];
  for (let i = 0; i < n; i++) {
    const piece = b.subarray(i * step, Math.min(b.length, (i + 1) * step));
    const finishFlush = i < n - 1 ? constants.Z_SYNC_FLUSH : constants.Z_FINISH;
    jobs.push(new Promise((resolve, reject) => deflateRaw(piece, { level, finishFlush }, (e, out) => (e ? reject(e) : resolve(out)))));
  }
  const crc = crc32(b);
  const pieces = await Promise.all(jobs);
  return { name, method: 8, crc, data: pieces.length === 1 ? pieces[0] : Buffer.concat(pieces), size: b.length };
}

/**
 * A zip of `parts` in the order given, each written as given: a part copied from another zip keeps
 * its compressed bytes (nothing is inflated or deflated again), so it stays byte for byte.
 */
export function zipParts(parts: readonly RawPart[], when = new Date()): Buffer {
  const stamp = dosDateTime(when);
  const chunks: Uint8Array[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const r: PartRecord = { name: Buffer.from(p.name, 'utf8'), flags: 0x0800, method: p.method, crc: p.crc, csize: p.data.length, usize: p.size };
    if (r.csize > MAX32 || r.usize > MAX32 || offset > MAX32) throw new Error('the workbook is larger than 4 GiB (zip64 is not written)');
    const h = localHeader(r, stamp);
    central.push(centralEntry(r, offset, stamp));
    chunks.push(h, p.data);
    offset += h.length + p.data.length;
  }
  if (parts.length > 0xffff || offset > MAX32) throw new Error('the workbook is larger than 4 GiB (zip64 is not written)');
  const cd = Buffer.concat(central);
  return Buffer.concat([...chunks, cd, endRecord(parts.length, cd.length, offset)]);
}
