/**
 * The in-page Office + Excel of the browser test: the same typed fake as the jest tests, holding
 * the sheet given in window.__FIXTURE__, installed as the `Office` and `Excel` globals before the
 * task pane bundle loads. window.__fake exposes the model for the test to inspect.
 */
import { FakeContext, WorkbookModel } from './excel';

interface Fixture {
  sheet: string;
  rows: (string | number | boolean | null | { error: string })[][];
  firstRow: number;
  firstCol: number;
}

const w = window as unknown as Record<string, unknown>;
const fx = w.__FIXTURE__ as Fixture;
const model = new WorkbookModel([fx.sheet, '说明']);
model.sheet(fx.sheet).putRows(fx.firstRow, fx.firstCol, fx.rows);
const associated = new Map<string, unknown>();
const ribbon: unknown[] = [];
const contexts: FakeContext[] = [];

const minor = (v: string) => Number(v.split('.')[1] ?? 0);

w.__fake = { model, associated, ribbon, contexts };
w.Office = {
  // like Office.js: ready once the document is loaded and the host answered
  onReady(cb?: (info: unknown) => void) {
    const info = { host: 'Excel', platform: 'OfficeOnline' };
    const p = new Promise((ok) => (document.readyState === 'loading' ? document.addEventListener('DOMContentLoaded', () => ok(info)) : ok(info)));
    if (cb) void p.then(cb);
    return p;
  },
  actions: { associate: (name: string, fn: unknown) => void associated.set(name, fn) },
  context: {
    requirements: { isSetSupported: (set: string, v: string) => (set === 'ExcelApi' ? minor(v) <= 18 : true) },
    document: { url: 'C:\\区产业发展促进局\\低效工业调查表.xlsx' },
  },
  ribbon: { requestUpdate: async (x: unknown) => void ribbon.push(x) },
  addin: { showAsTaskpane: async () => undefined },
  AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
  FileType: { Compressed: 'compressed' },
};
w.Excel = {
  run: async (fn: (ctx: unknown) => Promise<unknown>) => {
    const ctx = new FakeContext(model);
    contexts.push(ctx);
    return fn(ctx);
  },
  createWorkbook: async (b64: string) => void model.created.push(b64),
};
