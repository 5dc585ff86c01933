/** Output helpers: nothing is written half-way (temp file in the same folder, renamed at the end). */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { jsonChunks } from '../shared/json-chunks';
import { UsageError } from './args';

/** Temp files not yet renamed into place; removed when the process ends early. */
const pending = new Set<string>();
/** Every temp file staged in this process → the output it stands for (kept after a discard, for the error message). */
const stagedFor = new Map<string, string>();

/**
 * The output a path belongs to: a temp file of a staged output (or a file named after it, as a
 * writer's own scratch file) is reported under the output's name, anything else as it is.
 */
export function outputNameOf(path: string): string {
  for (const [tmp, out] of stagedFor) if (path === tmp || path.startsWith(`${tmp}.`)) return out;
  return path;
}

function removePending(): void {
  for (const f of pending) {
    try {
      rmSync(f, { force: true });
    } catch {
      /* nothing more to do */
    }
  }
  pending.clear();
}

process.on('exit', removePending);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    removePending();
    process.exit(130);
  });
}

/** An output that cannot be written (folder not creatable, disk full, file locked …): exit 2. */
export class OutputError extends Error {
  constructor(
    public readonly path: string,
    public readonly zh: string,
    public readonly en: string,
  ) {
    super(`${path}: ${zh} / ${en}`);
    this.name = 'OutputError';
  }
}

function outputError(path: string, e: unknown): OutputError {
  const code = (e as NodeJS.ErrnoException)?.code ?? (e as Error)?.message ?? String(e);
  if (code === 'EBUSY' || code === 'EPERM' || code === 'EACCES') {
    return new OutputError(path, `无法写出（${code}，文件可能正在 Excel 中打开或没有权限）`, `cannot write it (${code}: open in Excel, or no permission)`);
  }
  if (code === 'EEXIST' || code === 'ENOTDIR') {
    return new OutputError(path, `无法写出（${code}，路径中有同名文件挡住了文件夹）`, `cannot write it (${code}: a file stands where a folder should be)`);
  }
  return new OutputError(path, `无法写出（${code}）`, `cannot write it (${code})`);
}

/** An output being written: write to `tmp`, then `commit()` renames it to `path`. */
export interface Staged {
  path: string;
  tmp: string;
  commit(): void;
  discard(): void;
}

/** Reserves a temp file next to `path` (creating the folder when needed). */
export function stage(path: string): Staged {
  const dir = dirname(resolve(path));
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw outputError(path, e);
  }
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  pending.add(tmp);
  stagedFor.set(tmp, path);
  return {
    path,
    tmp,
    commit() {
      try {
        renameSync(tmp, path);
      } catch (e) {
        throw outputError(path, e);
      }
      pending.delete(tmp);
    },
    discard() {
      rmSync(tmp, { force: true });
      pending.delete(tmp);
    },
  };
}

/** Stages `data` for `path`; the caller commits all staged outputs together at the end. */
export function stageData(path: string, data: string | Uint8Array): Staged {
  const s = stage(path);
  try {
    writeFileSync(s.tmp, data);
  } catch (e) {
    s.discard();
    throw outputError(path, e);
  }
  return s;
}

/** The JSON result's write buffer (bytes); a piece is at most three bytes a character. */
const JSON_BUFFER_BYTES = 1 << 20;

function writeAll(fd: number, buf: Buffer, length: number): void {
  for (let at = 0; at < length; ) at += writeSync(fd, buf, at, length - at);
}

/**
 * Stages `JSON.stringify(value, null, 2)` and a line break, written in pieces of about a megabyte
 * (a large result is never held as one string and its encoded copy).
 */
export function stageJson(path: string, value: unknown): Staged {
  const s = stage(path);
  let fd: number | undefined;
  try {
    fd = openSync(s.tmp, 'w');
    // each piece encoded straight into one reused buffer, written when full: no joined string or
    // encoded copy of a batch (those were large objects, garbage that only a full collection
    // frees: 120 MB of heap growth for a 100 MB result)
    const buf = Buffer.allocUnsafe(JSON_BUFFER_BYTES);
    let used = 0;
    for (const piece of jsonChunks(value)) {
      if (used + piece.length * 3 > buf.length) {
        writeAll(fd, buf, used);
        used = 0;
      }
      if (piece.length * 3 > buf.length) {
        const big = Buffer.from(piece, 'utf8');
        writeAll(fd, big, big.length);
      } else used += buf.write(piece, used);
    }
    used += buf.write('\n', used);
    writeAll(fd, buf, used);
    closeSync(fd);
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        /* already closed */
      }
    }
    s.discard();
    throw outputError(path, e);
  }
  return s;
}

export function commitAll(staged: Staged[]): void {
  for (const s of staged) s.commit();
}

export function discardAll(staged: Staged[]): void {
  for (const s of staged) s.discard();
}

/** A path as the file system sees it: symbolic links followed when the file exists (else as given, absolute). */
function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** The same file: one path, one target of links, or one inode (hard links). */
function sameFile(a: string, b: string): boolean {
  if (canonical(a) === canonical(b)) return true;
  try {
    // bigint: file ids on Windows (NTFS) can pass 2^53, where two numbers would compare equal
    const x = statSync(a, { bigint: true });
    const y = statSync(b, { bigint: true });
    return x.ino === y.ino && x.dev === y.dev;
  } catch {
    return false;
  }
}

/**
 * Usage errors before anything is read: two outputs that are one file, or an output that is one
 * of the inputs (by path, symbolic link or hard link). Nothing the user gave is ever written over.
 */
export function checkOutputs(inputs: readonly string[], outputs: readonly string[]): void {
  for (let i = 0; i < outputs.length; i++) {
    for (let j = i + 1; j < outputs.length; j++) {
      if (sameFile(outputs[i], outputs[j])) throw new UsageError(`输出文件“${outputs[i]}”与“${outputs[j]}”是同一个文件`, `the outputs "${outputs[i]}" and "${outputs[j]}" are the same file`);
    }
  }
  for (const f of inputs) {
    const hit = outputs.find((o) => sameFile(f, o));
    if (hit !== undefined) throw new UsageError(`输出会覆盖输入文件“${f}”（原文件不改：请另选输出文件）`, `an output would overwrite the input "${f}" (inputs are never changed: choose another output)`);
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Progress on stderr, only when stderr is a terminal (interfaces.md). */
export class Progress {
  private readonly tty = process.stderr.isTTY === true;
  private shown = false;

  update(text: string): void {
    if (!this.tty) return;
    const cols = process.stderr.columns ?? 80;
    process.stderr.write(`\r\x1b[K${text.length > cols - 1 ? text.slice(0, cols - 2) + '…' : text}`);
    this.shown = true;
  }

  done(): void {
    if (this.tty && this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}

/** A notice on stderr, one Chinese + English line (something was left out or is worth knowing; not an error). */
export function warn(zh: string, en: string): void {
  process.stderr.write(`${oneLine(`注意：${zh} / note: ${en}`)}\n`);
}

/** One line, no line breaks inside (messages from libraries sometimes carry them). */
export function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
