import { ApiClient } from '../../addin/api/client';
import { createController } from '../../addin/controller';
import { analyseSheet } from '../../addin/engine';
import { devKeyAuthenticator } from '../../addin/auth/signin';
import { initialState, Store } from '../../addin/state/store';
import { fakeHost, SheetModel, WorkbookModel } from './fake/excel';
import { HEADER_ROW, messySheet, TITLE_ROW, DATA_ROW } from './fixtures';

export const SHEET = '低效工业调查表';

/** The messy industrial sheet, with formatting of the user's own that must survive. */
export function messyWorkbook(): WorkbookModel {
  const model = new WorkbookModel([SHEET, '说明']);
  const ws = model.sheet(SHEET);
  const m = messySheet();
  ws.put(TITLE_ROW, 1, m.title);
  ws.putRows(HEADER_ROW, 1, [m.header]);
  ws.putRows(DATA_ROW, 1, m.rows);
  ws.fills.set(SheetModel.key(3, 1), '#00FF00'); // the user's own green fill
  ws.fills.set(SheetModel.key(4, 3), '#FFFF00'); // and a yellow one on a cell that will be marked
  ws.cfs.push({ id: 999, type: 'ColorScale', formula: null, fill: null, address: 'E3:E10', ownerAddedBy: 'user' });
  ws.cfs.push({ id: 998, type: 'Custom', formula: '=$M3>1000', fill: '#C6EFCE', address: 'M3:M10', ownerAddedBy: 'user' });
  ws.notes.set('C4', '用户自己的备注：待核实'); // on the cell of the invalid USCC
  return model;
}

/** Everything a user could see in the workbook, to compare before/after. */
export function snapshot(model: WorkbookModel): string {
  return JSON.stringify(
    model.sheets.map((s) => ({
      name: s.name,
      cells: [...s.cells.entries()].sort(),
      formats: [...s.numberFormats.entries()].sort(),
      fills: [...s.fills.entries()].sort(),
      cfs: s.cfs,
      notes: [...s.notes.entries()].sort(),
      comments: [...s.comments.entries()].sort(),
      widths: [...s.columnWidths.entries()],
      bold: [...s.bold].sort(),
    })),
  );
}

export function setup(model = messyWorkbook(), opts: { notes?: boolean; comments?: boolean; merges?: boolean; key?: string; role?: 'office' | 'department'; timeoutMs?: number } = {}) {
  const fh = fakeHost(model, opts);
  const store = new Store({ ...initialState(), role: opts.role ?? null });
  const fetchMock = jest.fn<Promise<Response>, [string, RequestInit]>();
  // the development key authenticator, signed in with `key` ('' = not signed in)
  const auth = devKeyAuthenticator();
  const key = opts.key ?? 'dept-key';
  if (key) void auth.signIn(key);
  const api = new ApiClient(() => ({ serviceUrl: 'http://svc.test', auth }), { fetch: fetchMock as unknown as typeof fetch, timeoutMs: opts.timeoutMs ?? 2000 });
  const controller = createController({ store, host: fh.host, api, auth, analyse: analyseSheet });
  return { model, ws: model.sheets.find((s) => s.name === SHEET) as SheetModel, fh, store, controller, fetchMock };
}

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
