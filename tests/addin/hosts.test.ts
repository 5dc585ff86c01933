/**
 * The add-in on real workbooks and real hosts (issue 14), against the fake Excel, which refuses
 * changes to a protected sheet, requests over 5 MB and sheets in a protected workbook structure as
 * Excel does, and counts the ribbon updates that clear the undo stack on desktop.
 */
import { MARK_FILL } from '../../addin/plan/marks';
import { applyPlan, openSheet } from '../../addin/office/sheet-io';
import { ISSUE_SHEET_NAME } from '../../addin/plan/issue-sheet';
import { base64Length, fitsCreateWorkbook, MAX_CREATE_WORKBOOK_BYTES } from '../../addin/plan/workbook-size';
import { FakeContext, WorkbookModel } from './fake/excel';
import { col, DATA_ROW } from './fixtures';
import { messyWorkbook, setup, SHEET, snapshot } from './setup';

const at = (key: string, i: number) => `${String.fromCharCode(64 + col(key))}${DATA_ROW + i}`;
const TEMPLATE_OPTIONS = { allowFormatCells: false, allowAutoFilter: true, allowSort: true, selectionMode: 'Normal' } as unknown as Record<string, boolean>;

describe('protected sheets (the standard templates are protected)', () => {
  test('a protected sheet without password: marked and 问题清单 written, then protected again with the same options', async () => {
    const model = messyWorkbook();
    model.sheet(SHEET).protection = { protected: true, options: { ...TEMPLATE_OPTIONS } };
    const { controller, store } = setup(model);
    expect(await controller.validate()).toBe(true);
    const ws = model.sheet(SHEET);
    expect(ws.shownFill(at('uscc', 1))).toBe(MARK_FILL.error);
    expect(model.sheets.some((s) => s.name === ISSUE_SHEET_NAME)).toBe(true);
    expect(ws.protection).toEqual({ protected: true, options: TEMPLATE_OPTIONS, password: undefined });
    expect(store.get().message?.intent).toBe('warning'); // errors found, not an Excel failure
    // 清除标记 also works on the protected sheet and leaves it protected
    expect(await controller.clear()).toBe(true);
    expect(ws.cfs.filter((c) => c.ownerAddedBy === 'addin')).toEqual([]);
    expect(ws.protection.protected).toBe(true);
  });

  test('a sheet protected with a password: nothing changes, the old marks stay, and the pane says what to do', async () => {
    const model = messyWorkbook();
    const { controller, store } = setup(model);
    await controller.validate();
    const ws = model.sheet(SHEET);
    ws.protection = { protected: true, options: { ...TEMPLATE_OPTIONS }, password: '123' };
    ws.put(DATA_ROW + 1, col('uscc'), '91110000600037341L'); // the user fixes a cell meanwhile (Excel allows it after unprotecting; here set directly)
    const before = snapshot(model);
    expect(await controller.validate()).toBe(false);
    expect(store.get().message?.text).toContain('密码保护');
    expect(store.get().message?.text).toContain('撤销工作表保护');
    expect(snapshot(model)).toBe(before); // old marks, notes and 问题清单 exactly as they were
    expect(ws.protection.protected).toBe(true);
  });

  test('a workbook whose structure is protected: no 问题清单 can be added, so nothing is written and the pane says so', async () => {
    const model = messyWorkbook();
    model.structureProtected = true;
    const before = snapshot(model);
    const { controller, store } = setup(model);
    expect(await controller.validate()).toBe(false);
    expect(store.get().message?.text).toContain('工作簿结构受保护');
    expect(snapshot(model)).toBe(before);
  });

  test('old marks are removed in the same batch as the new ones are written: a refused batch leaves them', async () => {
    // measure a second validation's syncs on a copy: every read is small, the write batch is the big one
    const probe = messyWorkbook();
    await setup(probe).controller.validate();
    const p2 = setup(probe);
    await p2.controller.validate();
    const syncs = p2.fh.contexts.flatMap((c) => c.syncs);
    const write = syncs.reduce((a, b) => (b.requestBytes > a.requestBytes ? b : a));
    const others = Math.max(...syncs.filter((x) => x !== write).map((x) => x.requestBytes));
    expect(others).toBeLessThan(write.requestBytes);

    const model = messyWorkbook();
    await setup(model).controller.validate();
    const marked = snapshot(model);
    model.requestLimit = others + 1; // Excel refuses the write batch as a whole
    const { controller, store } = setup(model);
    expect(await controller.validate()).toBe(false);
    expect(store.get().message?.text).toContain('超过');
    expect(snapshot(model)).toBe(marked);
  });
});

describe('the fake refuses what Excel refuses', () => {
  test('a batch over 5 MB fails like Excel on the web (RequestPayloadSizeLimitExceeded), so a plan that ignores the limit is caught', async () => {
    const model = new WorkbookModel([SHEET]);
    const ctx = new FakeContext(model);
    const xl = ctx as unknown as Excel.RequestContext;
    const o = await openSheet(xl, { caps: { notes: true, comments: true, merges: true }, marks: false });
    const big = Array.from({ length: 6000 }, (_, i) => [`${'很长的文本'.repeat(60)}${i}`]);
    const plan = { marks: null, results: [{ row: 1, col: 1, rows: big.length, cols: 1, values: big }], issueSheet: null };
    await expect(applyPlan(xl, o, plan, { notes: true, comments: true, merges: true }, { maxBytes: 50 * 1024 * 1024 })).rejects.toMatchObject({ code: 'RequestPayloadSizeLimitExceeded' });
    // with the add-in's own limit the same plan goes through in several batches
    const ctx2 = new FakeContext(model);
    const o2 = await openSheet(ctx2 as unknown as Excel.RequestContext, { caps: { notes: true, comments: true, merges: true }, marks: false });
    const blocks = [0, 2000, 4000].map((r) => ({ row: r + 1, col: 1, rows: 2000, cols: 1, values: big.slice(r, r + 2000) }));
    expect(await applyPlan(ctx2 as unknown as Excel.RequestContext, o2, { ...plan, results: blocks }, { notes: true, comments: true, merges: true })).toBeGreaterThan(1);
    expect(model.sheet(SHEET).get(6000, 1)?.value).toBe(big[5999][0]);
  });
});

describe('the ribbon (requestUpdate clears the undo stack on desktop)', () => {
  const health = (role: string | null) => async () => new Response(JSON.stringify({ status: 'ok', ...(role ? { role, unit: role === 'office' ? '市规划资源局河东分局' : '区产业发展促进局' } : {}) }), { status: 200, headers: { 'content-type': 'application/json' } });

  test('a department starting the add-in and signing in again never updates the ribbon', async () => {
    const { controller, fetchMock, fh } = setup();
    fetchMock.mockImplementation(health('department'));
    await controller.syncRibbon();
    await controller.signIn('dept-key');
    await controller.signIn('dept-key');
    expect(fh.ribbon).toEqual([]);
  });

  test('the office: one update to enable 汇总, none while the role stays, one when a department signs in', async () => {
    const { controller, fetchMock, fh } = setup(undefined, { key: 'office-key' });
    fetchMock.mockImplementation(health('office'));
    await controller.syncRibbon();
    await controller.signIn('office-key');
    expect(fh.ribbon).toEqual([true]);
    fetchMock.mockImplementation(health('department'));
    await controller.signIn('dept-key');
    expect(fh.ribbon).toEqual([true, false]);
  });

  test('汇总 starts disabled in the manifest (enabled only when the role allows it)', () => {
    const xml = require('node:fs').readFileSync(require('node:path').join(__dirname, '../../manifest.xml'), 'utf8') as string;
    const control = /<Control xsi:type="Button" id="LandSurvey.Consolidate">([\s\S]*?)<\/Control>/.exec(xml)![1];
    expect(control).toMatch(/<\/Action>\s*<Enabled>false<\/Enabled>/);
  });
});

describe('large submissions (Excel on the web: 5 MB per request, the workbook travels as base64)', () => {
  const xlsxOf = (n: number) => {
    const b = new Uint8Array(n);
    b.set([0x50, 0x4b, 3, 4]);
    return b;
  };
  const consolidateWith = async (bytes: Uint8Array) => {
    const office = setup(undefined, { key: 'office-key', role: 'office' });
    office.fetchMock.mockImplementation(async () => new Response(bytes as unknown as BodyInit, { status: 200, headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } }));
    expect(await office.controller.consolidate()).toBe(true);
    return office;
  };

  test('the size check: the largest workbook that fits, and one byte group more', () => {
    expect(fitsCreateWorkbook(MAX_CREATE_WORKBOOK_BYTES)).toBe(true);
    expect(fitsCreateWorkbook(MAX_CREATE_WORKBOOK_BYTES + 3)).toBe(false);
    expect(base64Length(MAX_CREATE_WORKBOOK_BYTES + 3)).toBeLessThanOrEqual(5 * 1024 * 1024); // still under the raw limit: the check keeps room for the envelope
  });

  test('a submission that fits opens in a new workbook', async () => {
    const office = await consolidateWith(xlsxOf(2 * 1024 * 1024));
    expect(office.fh.opened).toHaveLength(1);
    expect(office.fh.downloads).toEqual([]);
  });

  test('a larger one (about 3,000 parcels and up) is downloaded instead, with a message; createWorkbook is not tried', async () => {
    const big = xlsxOf(6 * 1024 * 1024);
    const office = await consolidateWith(big);
    expect(office.fh.opened).toEqual([]);
    expect(office.fh.downloads.map((d) => [d.bytes.length, d.type])).toEqual([[big.length, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']]);
    expect(office.fh.downloads[0].fileName).toMatch(/^河东区低效用地报送表-\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect(office.store.get().message!.text).toContain('已改为下载');
  });

  test('when Excel still refuses the request (a host with a lower limit), the download is the fallback', async () => {
    const model = messyWorkbook();
    model.requestLimit = 1024 * 1024;
    const office = setup(model, { key: 'office-key', role: 'office' });
    const bytes = xlsxOf(2 * 1024 * 1024);
    office.fetchMock.mockImplementation(async () => new Response(bytes as unknown as BodyInit, { status: 200, headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } }));
    expect(await office.controller.consolidate()).toBe(true);
    expect(office.fh.downloads).toHaveLength(1);
  });
});

describe('waiting on the service', () => {
  test('the progress is indeterminate while the service works, and 取消 abandons the call without touching the sheet', async () => {
    const { model, store, controller, fetchMock } = setup(undefined, { timeoutMs: 60_000 });
    let sent!: () => void;
    const called = new Promise<void>((r) => (sent = r));
    fetchMock.mockImplementation((_u, init) => {
      sent();
      return new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    });
    const before = snapshot(model);
    const running = controller.determine();
    await called;
    expect(store.get().busy).toMatchObject({ task: 'determine', progress: null, waiting: true });
    controller.cancel();
    expect(await running).toBe(false);
    expect(store.get().message!.text).toContain('已取消');
    expect(store.get().busy).toBeNull();
    expect(snapshot(model)).toBe(before);
  });
});

describe('analysis off the UI thread', () => {
  const grid = () => {
    const model = messyWorkbook();
    const ws = model.sheet(SHEET);
    const rows: (string | number | boolean | null)[][] = [];
    const area = ws.usedArea()!;
    for (let r = area.row; r < area.row + area.rows; r++) {
      const row: (string | number | boolean | null)[] = [];
      for (let c = area.col; c < area.col + area.cols; c++) row.push((ws.get(r, c)?.value as string | number | boolean | undefined) ?? null);
      rows.push(row);
    }
    return { name: SHEET, rows, firstRow: area.row, firstCol: area.col };
  };

  test('through the real worker module (messages structured-cloned both ways) the answer is the same as on the thread', async () => {
    const { analyseSheet } = await import('../../addin/engine');
    const { workerAnalyse } = await import('../../addin/analysis/client');
    // the worker module, loaded into a scope of its own as a Worker would load it
    const scope: { onmessage?: (e: { data: unknown }) => void; postMessage?: (m: unknown) => void } = {};
    (globalThis as { self?: unknown }).self = scope;
    await import('../../addin/analysis/worker');
    delete (globalThis as { self?: unknown }).self;
    const g = grid();
    const posted: unknown[] = [];
    const answered: unknown[] = [];
    class LoopbackWorker {
      onmessage: ((e: { data: unknown }) => void) | null = null;
      onerror: unknown = null;
      postMessage(m: unknown) {
        posted.push(m);
        scope.postMessage = (r) => {
          answered.push(r);
          setTimeout(() => this.onmessage?.({ data: structuredClone(r) }), 0);
        };
        scope.onmessage!({ data: structuredClone(m) });
      }
      terminate() {}
    }
    (globalThis as { Worker?: unknown }).Worker = LoopbackWorker;
    try {
      const viaWorker = await workerAnalyse()(g, 'a.xlsx', { date1904: false });
      expect(posted).toHaveLength(1);
      expect(viaWorker).toEqual(analyseSheet(g, 'a.xlsx', { date1904: false }));
      // only the findings come back, not the grid the pane already has
      expect(JSON.stringify(answered[0])).not.toContain('"rows":[[');
      expect(viaWorker!.issues.length).toBeGreaterThan(0);
    } finally {
      delete (globalThis as { Worker?: unknown }).Worker;
    }
    // no Worker at all (old host): answered on the calling thread
    expect(await workerAnalyse()(g, 'a.xlsx')).toEqual(analyseSheet(g, 'a.xlsx'));
  });
});
