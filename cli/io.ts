/** Output helpers: nothing is written half-way (temp file in the same folder, renamed at the end). */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Temp files not yet renamed into place; removed when the process ends early. */
const pending = new Set<string>();

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
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  pending.add(tmp);
  return {
    path,
    tmp,
    commit() {
      renameSync(tmp, path);
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
  writeFileSync(s.tmp, data);
  return s;
}

export function commitAll(staged: Staged[]): void {
  for (const s of staged) s.commit();
}

export function discardAll(staged: Staged[]): void {
  for (const s of staged) s.discard();
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

/** One line, no line breaks inside (messages from libraries sometimes carry them). */
export function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
