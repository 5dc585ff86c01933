/**
 * Reading many input files on more than one thread: `consolidate` reads ten or more workbooks, one
 * after another on one core while the other waits. Helper threads (`dist/read-worker.js`) take
 * files from the same queue as this thread and parse them (unzip, XML: most of the reading); a
 * workbook's grid comes back as a structured clone (arrays of cell values, a tenth of the time
 * parsing took) and its forms are read here, so every row and issue object is made on this thread
 * (objects cloned from another thread have other shapes, which slowed the writing that follows).
 * The result is exactly what reading the files in order gives, errors included: a file a helper
 * could not parse is read again here, in order, so the first bad file in the list is the one
 * reported, with the message reading it here gives.
 */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RuleSet } from '../shared/rules';
import type { WorkbookGrid } from '../shared/grid';
import type { FormRead } from '../shared/types';
import { formsOfGrid, readFormsFromFile } from './common';

/** The helper beside the bundle; run from the sources (tests, tsx) there is none and this thread reads alone. */
export const READ_WORKER = join(__dirname, 'read-worker.js');
/** Inputs smaller than this in all are read on this thread only (a helper takes ~0.1 s to start). */
export const POOL_MIN_BYTES = 1 << 20;
/** Files handed to a helper at a time: the next one waits there while this thread is busy reading. */
const IN_FLIGHT = 2;

/** To a helper: parse file `i`. From it: its grid, or that it could not. */
export type ReadRequest = { i: number; file: string };
export type ReadReply = { i: number; grid: WorkbookGrid } | { i: number; failed: string };

export interface ReadAllOptions {
  /** The helper script (default READ_WORKER). */
  worker?: string;
  /** Total input bytes from which helpers are used (default POOL_MIN_BYTES). */
  minBytes?: number;
  /** Helper threads (default: the cores but one, at most 3). */
  helpers?: number;
  /** Called as each file is read: how many so far, which, and whether a helper or this thread read it. */
  onRead?: (done: number, file: string, by: 'helper' | 'here') => void;
}

function totalBytes(files: readonly string[]): number {
  let n = 0;
  for (const f of files) {
    try {
      n += statSync(f).size;
    } catch {
      // a missing file is reported when it is read
    }
  }
  return n;
}

/** The FormReads of every file, in the order of `files`; throws what reading them in order would. */
export async function readAllForms(files: readonly string[], ruleSet: RuleSet, opts: ReadAllOptions = {}): Promise<FormRead[][]> {
  const n = files.length;
  const script = opts.worker ?? READ_WORKER;
  const helpers = Math.min(n - 1, opts.helpers ?? Math.min(3, availableParallelism() - 1));
  const pooled = helpers > 0 && existsSync(script) && totalBytes(files) >= (opts.minBytes ?? POOL_MIN_BYTES);
  const results: FormRead[][] = new Array(n);
  const failedHere = new Map<number, unknown>();
  const again = new Set<number>();
  let next = 0;
  let done = 0;
  const take = () => (next < n ? next++ : -1);
  const finish = (i: number, by: 'helper' | 'here') => opts.onRead?.(++done, files[i], by);

  const workers: Worker[] = [];
  const drive = (w: Worker) =>
    new Promise<void>((resolve) => {
      const held = new Set<number>();
      const ask = () => {
        const i = take();
        if (i < 0) return;
        held.add(i);
        w.postMessage({ i, file: files[i] } satisfies ReadRequest);
      };
      const stop = () => {
        // whatever it still held is read here, in order, at the end
        for (const i of held) again.add(i);
        held.clear();
        resolve();
      };
      w.on('message', (m: ReadReply) => {
        held.delete(m.i);
        if ('grid' in m) {
          try {
            results[m.i] = formsOfGrid(files[m.i], m.grid, ruleSet);
          } catch (e) {
            failedHere.set(m.i, e);
          }
          finish(m.i, 'helper');
        } else again.add(m.i);
        ask();
        if (held.size === 0) resolve();
      });
      w.once('error', stop);
      w.once('exit', stop);
      for (let k = 0; k < IN_FLIGHT; k++) ask();
      if (held.size === 0) resolve();
    });
  const own = async () => {
    for (let i = take(); i >= 0; i = take()) {
      try {
        results[i] = await readFormsFromFile(files[i], ruleSet);
      } catch (e) {
        failedHere.set(i, e);
      }
      finish(i, 'here');
    }
  };

  try {
    const runs: Promise<void>[] = [];
    if (pooled) {
      for (let k = 0; k < helpers; k++) {
        try {
          const w = new Worker(script);
          workers.push(w);
          runs.push(drive(w));
        } catch {
          break; // no helper: this thread reads the rest
        }
      }
    }
    runs.push(own());
    await Promise.all(runs);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  for (let i = 0; i < n; i++) {
    if (failedHere.has(i)) throw failedHere.get(i);
    if (again.has(i) || results[i] === undefined) {
      results[i] = await readFormsFromFile(files[i], ruleSet);
      finish(i, 'here');
    }
  }
  return results;
}
