/**
 * Writing an output workbook to a path or a stream: to a path it goes to a temporary file beside
 * the target, renamed when complete, so a failure never leaves a half-written file.
 */
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import type { Writable } from 'node:stream';

export async function writeOutput(out: string | Writable, write: (stream: Writable) => Promise<void>): Promise<void> {
  if (typeof out !== 'string') return write(out);
  const tmp = `${out}.${process.pid}.${Date.now()}.tmp`;
  try {
    const file = createWriteStream(tmp, { highWaterMark: 1024 * 1024 }); // a deep queue: the compressor need not wait for each write
    await new Promise<void>((resolve, reject) => {
      file.once('open', () => resolve());
      file.once('error', reject);
    });
    await write(file);
    await rename(tmp, out);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}
