/**
 * The add-in's Office.js traffic for 校验 on a 20,000 rows × 20 columns sheet, over the typed
 * Excel fake (tests/addin/fake/excel.ts): syncs, largest request / answer, operations, and time
 * in the add-in's own code (reader + planners + applier; Excel's own time is not modelled).
 * Baseline, measured in the same run on the same sheet and issues: the naive way — the whole used
 * range in one read, one fill operation per marked cell, notes and the same 问题清单 all in one request.
 * Two sheets: typical (≈4% of rows with a mistake) and heavy (every row has two errors).
 */
import { performance } from 'node:perf_hooks';
import { ApiClient } from '../../addin/api/client';
import { devKeyAuthenticator } from '../../addin/auth/signin';
import { createController } from '../../addin/controller';
import { analyseSheet } from '../../addin/engine';
import { cellAddress } from '../../addin/plan/address';
import { planIssueSheet } from '../../addin/plan/issue-sheet';
import { MARK_FILL, issueCells } from '../../addin/plan/marks';
import { initialState, Store } from '../../addin/state/store';
import { FakeContext, fakeHost, WorkbookModel } from '../../tests/addin/fake/excel';
import { col, goodRow, INDUSTRIAL, rowValues, TITLES } from '../../tests/addin/fixtures';
import { ratio, type BenchContext } from '../util';

const ROWS = 20_000;
const SHEET = '低效工业调查表';
const MB = 1024 * 1024;

function sheetModel(heavy: boolean): WorkbookModel {
  const model = new WorkbookModel([SHEET]);
  const ws = model.sheet(SHEET);
  ws.put(1, 1, INDUSTRIAL.title);
  ws.putRows(2, 1, [[...TITLES, '备注', '联系人']]);
  const rows = [];
  for (let i = 0; i < ROWS; i++) {
    const r = rowValues(goodRow(i), ['', `联系人${i}`]);
    if (heavy || i % 40 === 1) r[col('uscc') - 1] = '91110000600037341X';
    if (heavy || i % 97 === 5) r[col('footprint') - 1] = 20000;
    rows.push(r);
  }
  ws.putRows(3, 1, rows);
  return model;
}

const mb = (b: number) => `${(b / MB).toFixed(2)} MB`;

async function measure(heavy: boolean, log: (l: string) => void): Promise<void> {
  // the add-in as built
  const model = sheetModel(heavy);
  const fh = fakeHost(model);
  const store = new Store(initialState());
  const auth = devKeyAuthenticator();
  const controller = createController({ store, host: fh.host, api: new ApiClient(() => ({ serviceUrl: 'http://unused', auth })), auth, analyse: analyseSheet });
  const t0 = performance.now();
  if (!(await controller.validate())) throw new Error(store.get().message?.text);
  const ms = performance.now() - t0;
  const syncs = fh.contexts.flatMap((c) => c.syncs);
  const issues = store.get().issues;
  const ops = syncs.reduce((n, s) => n + s.ops, 0);
  const maxReq = Math.max(...syncs.map((s) => s.requestBytes));
  const maxRes = Math.max(...syncs.map((s) => s.responseBytes));

  // the naive way on a fresh copy: one read of everything, one fill per marked cell, one request
  const naive = sheetModel(heavy);
  // measured without the fake host's 5 MB limits, to show what it would send (Excel on the web refuses it)
  naive.requestLimit = Infinity;
  naive.responseLimit = Infinity;
  const ctx = new FakeContext(naive);
  const ws = ctx.workbook.worksheets.getItem(SHEET);
  const used = ws.getUsedRangeOrNullObject(true);
  used.load('values,valueTypes');
  await ctx.sync();
  const cells = new Set<string>();
  for (const i of issues) for (const c of issueCells(i, { c1: 1, c2: TITLES.length + 2 }, 2)) cells.add(cellAddress(c.row, c.col));
  for (const a of cells) ws.getRange(a).format.fill.color = MARK_FILL.error;
  for (const i of issues) if (i.row && i.column) ws.notes.add(`${i.column}${i.row}`, i.message);
  const list = ctx.workbook.worksheets.add('问题清单');
  for (const b of planIssueSheet(issues, { firstCol: 1, headerRow: 2, maxBytes: Infinity }).blocks) {
    const r = list.getRangeByIndexes(b.row - 1, b.col - 1, b.rows, b.cols);
    if (b.numberFormat) r.numberFormat = b.numberFormat;
    if (b.values) r.values = b.values;
    if (b.formulas) r.formulas = b.formulas;
  }
  await ctx.sync().catch(() => undefined); // duplicate notes on a cell may fail: the naive way has no merge
  const nSyncs = ctx.syncs;
  const nOps = nSyncs.reduce((n, s) => n + s.ops, 0);
  const nMaxReq = Math.max(...nSyncs.map((s) => s.requestBytes));
  const nMaxRes = Math.max(...nSyncs.map((s) => s.responseBytes));

  log(`${heavy ? 'heavy' : 'typical'} sheet: ${ROWS} rows × ${TITLES.length + 2} columns, ${issues.length} issues, ${cells.size} marked cells (errors ${store.get().counts.error})`);
  log(`  add-in:   ${syncs.length} syncs, ${ops} operations, largest request ${mb(maxReq)}, largest answer ${mb(maxRes)}, ${(ms / 1000).toFixed(2)} s in the add-in's code`);
  log(`  naive:    ${nSyncs.length} syncs, ${nOps} operations, largest request ${mb(nMaxReq)}, largest answer ${mb(nMaxRes)}${nMaxRes > 5 * MB || nMaxReq > 5 * MB ? '  ← over the 5 MB limit of Excel on the web' : ''}`);
  log(`  ratios add-in/naive: operations ${ratio(ops, nOps)}, largest request ${ratio(maxReq, nMaxReq)}, largest answer ${ratio(maxRes, nMaxRes)}; syncs within budget: ${syncs.length} ≤ 4 + ${Math.ceil(syncs.reduce((n, s) => n + s.requestBytes + s.responseBytes, 0) / (4 * MB))} chunks`);
}

export default async function (ctx: BenchContext): Promise<void> {
  await measure(false, ctx.log);
  await measure(true, ctx.log);
}
