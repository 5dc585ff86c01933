/**
 * Runs the analysis in a Web Worker when the page can start one (Excel's webviews and browsers
 * can), else on the calling thread (jest, very old hosts). Same answer either way: the worker runs
 * the same `analyseSheet`.
 */
import { analyseSheet, type Analyse, type Analysis } from '../engine';
import { withoutResultBlock } from '../plan/results';
import type { AnalysisAnswer, AnalysisRequest, AnalysisResponse } from './protocol';

/** The worker bundle beside taskpane.js (scripts/build.mjs). */
export const WORKER_URL = 'analysis-worker.js';

export function workerAnalyse(url = WORKER_URL): Analyse {
  let worker: Worker | null | undefined;
  let next = 1;
  const waiting = new Map<number, { resolve(a: AnalysisAnswer | null): void; reject(e: Error): void }>();
  const start = (): Worker | null => {
    if (worker !== undefined) return worker;
    try {
      worker = typeof Worker === 'undefined' ? null : new Worker(url);
    } catch {
      worker = null;
    }
    if (worker) {
      worker.onmessage = (e: MessageEvent<AnalysisResponse>) => {
        const w = waiting.get(e.data.id);
        if (!w) return;
        waiting.delete(e.data.id);
        if ('error' in e.data) w.reject(new Error(e.data.error));
        else w.resolve(e.data.analysis);
      };
      worker.onerror = (e) => {
        // the worker could not load or crashed: answer what is waiting on this thread from now on
        e.preventDefault?.();
        const pending = [...waiting.values()];
        waiting.clear();
        worker?.terminate();
        worker = null;
        for (const w of pending) w.reject(new Error('分析进程出错，请重试'));
      };
    }
    return worker;
  };
  return (grid, file, opts) => {
    const w = start();
    if (!w) return analyseSheet(grid, file, opts);
    const id = next++;
    const answer = new Promise<AnalysisAnswer | null>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      const req: AnalysisRequest = { id, grid, file, opts };
      w.postMessage(req);
    });
    // the grid as the reader saw it is rebuilt here (one cheap pass) instead of sent back
    return answer.then((a): Analysis | null => (a ? { ...a, grid: withoutResultBlock(grid) } : null));
  };
}
