/**
 * The cards worker (bundled to `dist/cards-worker.js`): writes the submission's 一宗一卡 sheet part
 * from the details it is given (`workerData`, a `CardsInput`) and posts it back as a `CardsMessage`.
 * See `writeSubmission`'s `cardsWorker` option.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { writeCardsPart, type CardsInput, type CardsMessage } from './submission';

const port = parentPort;
if (port) {
  // each chunk is copied into a buffer of its own, which is handed over: the compressor's chunks
  // are views of larger buffers, which a message would copy whole (and they are not ours to give)
  const send = (chunk: Uint8Array) => {
    const own = new Uint8Array(chunk);
    port.postMessage({ chunk: own } satisfies CardsMessage, [own.buffer]);
  };
  writeCardsPart(workerData as CardsInput, send).then(
    (end) => port.postMessage({ end } satisfies CardsMessage),
    (e: unknown) => port.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies CardsMessage),
  );
}
