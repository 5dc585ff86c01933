/**
 * A reading helper of `consolidate` (bundled to `dist/read-worker.js`, see read-pool.ts): parses
 * the workbook files it is sent and posts their grids back.
 */
import { parentPort } from 'node:worker_threads';
import { readGridFromFile } from './read-file';
import type { ReadReply, ReadRequest } from './read-pool';

const port = parentPort;
if (port) {
  port.on('message', (m: ReadRequest) => {
    readGridFromFile(m.file).then(
      (grid) => port.postMessage({ i: m.i, grid } satisfies ReadReply),
      (e: unknown) => port.postMessage({ i: m.i, failed: e instanceof Error ? e.message : String(e) } satisfies ReadReply),
    );
  });
}
