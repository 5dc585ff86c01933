/**
 * The analysis worker: recognition, tolerant reading and single-form checks (the shared engine)
 * off the pane's UI thread, so a 50,000-row sheet does not freeze the pane. Bundled by
 * scripts/build.mjs as analysis-worker.js.
 */
import { analyseSheet } from '../engine';
import type { AnalysisRequest, AnalysisResponse } from './protocol';

const scope = self as unknown as { onmessage: ((e: MessageEvent<AnalysisRequest>) => void) | null; postMessage(m: AnalysisResponse): void };

scope.onmessage = (e) => {
  const { id, grid, file, opts } = e.data;
  try {
    const a = analyseSheet(grid, file, opts);
    scope.postMessage({ id, analysis: a && { form: a.form, formTitle: a.formTitle, headerRow: a.headerRow, rows: a.rows, issues: a.issues } });
  } catch (err) {
    scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
