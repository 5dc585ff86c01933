/**
 * The in-page Office + Excel of the browser test: the same typed fake as the jest tests, holding
 * the sheet given in window.__FIXTURE__, installed as the `Office` and `Excel` globals before the
 * task pane bundle loads. window.__fake exposes the model for the test to inspect.
 */
import { FakeContext, WorkbookModel } from './excel';

interface Fixture {
  /** The workbook file as getFileAsync hands it out (base64), in slices of `sliceBytes`. */
  fileB64: string;
  sliceBytes: number;
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

w.__fake = { model, associated, ribbon, contexts, closed: 0 };
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
    document: {
      url: 'C:\\区产业发展促进局\\低效工业调查表.xlsx',
      getFileAsync(_type: string, _opts: unknown, cb: (r: unknown) => void) {
        const bytes = Uint8Array.from(atob(fx.fileB64), (c) => c.charCodeAt(0));
        const sliceCount = Math.ceil(bytes.length / fx.sliceBytes);
        const file = {
          size: bytes.length,
          sliceCount,
          getSliceAsync(i: number, done: (r: unknown) => void) {
            const data = Array.from(bytes.subarray(i * fx.sliceBytes, (i + 1) * fx.sliceBytes));
            setTimeout(() => done({ status: 'succeeded', value: { data, index: i, size: data.length } }), 0);
          },
          closeAsync(done?: (r: unknown) => void) {
            (w.__fake as { closed: number }).closed++;
            done?.({ status: 'succeeded' });
          },
        };
        setTimeout(() => cb({ status: 'succeeded', value: file }), 0);
      },
    },
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
  createWorkbook: async (b64: string) => {
    if (b64.length > model.requestLimit) throw Object.assign(new Error('createWorkbook: 请求超过上限'), { code: 'RequestPayloadSizeLimitExceeded' });
    model.created.push(b64);
  },
};
