/**
 * The add-in on a sheet as a street office keeps it (domain.md §9): 序号, a two-row header, 亩 in
 * the header, 宗地代码 merged over one parcel's enterprises, 小计/合计 rows, a 注 line and a
 * signature line, a 1904-dated workbook. The pane must show only the issues the sheet deserves and
 * mark nothing that is not a problem.
 */
import { MARK_FILL, NOTE_PREFIX, isOwnMarkFormula, planMarks } from '../../addin/plan/marks';
import { issue } from './helpers';
import { joinWindows, parseAreas } from '../../addin/office/sheet-io';
import { SheetModel, WorkbookModel } from './fake/excel';
import { setup } from './setup';

const SHEET = '工业企业';
const P1 = '120102001002GB00001';
const P2 = '120102001002GB00002';
const U1 = '91110000600037341L';
const U2 = '91350100M000100Y43';

/** Excel serial of a day in the 1900 or 1904 system. */
const serial = (date1904: boolean, y: number, m: number, d: number) => (Date.UTC(y, m - 1, d) - (date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30))) / 86_400_000;

function streetWorkbook(date1904: boolean): WorkbookModel {
  const model = new WorkbookModel(['填表说明', SHEET]);
  model.date1904 = date1904;
  model.active = SHEET;
  model.sheet('填表说明').put(1, 1, '请按要求填写各列，面积单位见表头。');
  const ws = model.sheet(SHEET);
  ws.put(1, 1, '大王庄街道低效工业用地调查表');
  ws.merge('A1:M1');
  ws.putRows(2, 1, [
    ['序号', '宗地代码', '企业名称', '统一社会信用代码', '行业代码', '用地情况', null, null, '经营状态', '停产起始日期', '年税收(万元)', '是否淘汰类', '备注'],
    [null, null, null, null, null, '用地面积\n(亩)', '总建筑面积（m²）', '建筑基底面积(平方米)', null, null, null, null, null],
  ]);
  for (const c of ['A', 'B', 'C', 'D', 'E', 'I', 'J', 'K', 'L', 'M']) ws.merge(`${c}2:${c}3`);
  ws.merge('F2:H2');
  ws.putRows(4, 1, [
    [1, P1, '甲机械有限公司', U1, '3411', 3, 1500, 900, '停产', serial(date1904, 2021, 3, 5), 12.5, false, null],
    [2, null, '乙食品有限公司', U2, '1311', 1.5, 800, 500, '半停产', 20210305, 3, true, null],
    ['小计（大王庄街道）', null, null, null, null, 4.5, 2300, 1400, null, null, 15.5, null, null],
    [3, P2, '丙电子有限公司', U1, '3971', 2, 2600, 700, '正常生产', null, 40, false, null],
    ['合 计', null, null, null, null, 6.5, 4900, 2100, null, null, 55.5, null, null],
    ['注：面积以不动产登记为准。'],
    ['填表人：张三', null, null, null, '审核人：李四', null, null, null, '填报日期：2023年1月'],
  ]);
  ws.merge('B4:B5');
  ws.merge('A9:M9');
  for (let r = 11; r <= 20; r++) ws.put(r, 1, r - 8); // pre-numbered rows
  return model;
}

const ownCfs = (s: SheetModel) => s.cfs.filter((c) => isOwnMarkFormula(c.formula));
const ownNotes = (s: SheetModel) => [...s.notes.keys()].filter((k) => s.notes.get(k)!.startsWith(NOTE_PREFIX));
/** Every cell a conditional-format mark covers. */
function markedCells(s: SheetModel): Set<string> {
  const out = new Set<string>();
  for (const cf of ownCfs(s)) {
    for (const part of cf.address.split(',')) {
      const m = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/.exec(part.trim())!;
      const c1 = m[1].charCodeAt(0) - 64, r1 = Number(m[2]);
      const c2 = (m[3] ?? m[1]).charCodeAt(0) - 64, r2 = Number(m[4] ?? m[2]);
      for (let r = r1; r <= r2; r++) for (let c = c1; c <= c2; c++) out.add(`${String.fromCharCode(64 + c)}${r}`);
    }
  }
  return out;
}

describe('校验 on a street office’s own sheet', () => {
  test.each([false, true])('date1904 %s: no errors or warnings, total and note rows listed but not marked, merged 宗地代码 read on both rows', async (date1904) => {
    const model = streetWorkbook(date1904);
    const { controller, store } = setup(model);
    expect(await controller.validate()).toBe(true);
    const s = store.get();
    expect(s.form?.id).toBe('industrial');
    expect(s.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    const codes = s.issues.map((i) => `${i.code}@${i.row ?? '-'}`).sort();
    expect(codes).toEqual(expect.arrayContaining(['total-row@6', 'total-row@8', 'note-row@9', 'note-row@10']));
    // rows 6, 8, 9, 10 are listed but carry no fill and no note; nothing under the merge B4:B5 below B4
    const ws = model.sheet(SHEET);
    const marked = markedCells(ws);
    for (const cell of marked) expect(['6', '8', '9', '10'].includes(cell.replace(/^[A-Z]+/, ''))).toBe(false);
    expect(marked.has('B5')).toBe(false);
    for (const k of ownNotes(ws)) expect(['6', '8', '9', '10']).not.toContain(k.replace(/^[A-Z]+/, ''));
    // the 1904 serial and the eight-digit date both read as 2021-03-05 (no type-error), in either date system
    expect(s.issues.some((i) => i.code === 'type-error')).toBe(false);
  });

  test.each([false, true])('date1904 %s: Excel’s own date system is found and goes with the sheet to 认定', async (date1904) => {
    const model = streetWorkbook(date1904);
    const { controller, fetchMock } = setup(model);
    fetchMock.mockImplementation(async () => new Response('{}', { status: 500 }));
    await controller.determine();
    const sent = JSON.parse(String(fetchMock.mock.calls.find(([u]) => String(u).endsWith('/determine'))![1].body));
    expect(sent.date1904 === true).toBe(date1904);
    expect(sent.merges).toEqual(expect.arrayContaining([{ top: 4, left: 2, bottom: 5, right: 2 }]));
    // the date system matters: the same serial read in the other system is 4 years off, and a 1900
    // serial read as 1904 lands in 2025, after the evaluation date (the right system gives no warning, test above)
    const wrong = streetWorkbook(date1904);
    wrong.date1904 = !date1904;
    const other = setup(wrong);
    await other.controller.validate();
    const shifted = other.store.get().issues.some((i) => i.code === 'date-after-evaluation');
    expect(shifted).toBe(!date1904); // a 1900 serial read as 1904 lands in 2025, after 2022-12-31
  });

  test('without merged areas (ExcelApi < 1.13) the enterprise under a merged 宗地代码 is reported missing: the merges are what makes the sheet clean', async () => {
    const model = streetWorkbook(false);
    const { controller, store } = setup(model, { merges: false });
    await controller.validate();
    const missing = store.get().issues.filter((i) => i.code === 'missing-value' && i.row === 5);
    expect(missing.length).toBe(1);
  });

  test('a wrong 宗地代码 in a merged range is marked once, on the merged cell where it is shown', async () => {
    const model = streetWorkbook(false);
    model.sheet(SHEET).put(4, 2, '1201020010');
    const { controller, store } = setup(model);
    await controller.validate();
    const bad = store.get().issues.filter((i) => i.code === 'invalid-parcel-id');
    expect(bad.map((i) => i.row)).toEqual([4]); // reported once, where the value is
    const ws = model.sheet(SHEET);
    expect(ws.shownFill('B4')).toBe(MARK_FILL.error);
    expect(markedCells(ws).has('B5')).toBe(false);
    const note = ws.notes.get('B4')!;
    expect(note.startsWith(NOTE_PREFIX)).toBe(true);
  });

  test.each(['whole', 'cut'] as const)('more merged areas than Excel answers at once (answer %s): read in windows, no merge lost or joined to its neighbour', async (answer) => {
    const model = new WorkbookModel([SHEET]);
    model.mergeAnswer = answer;
    const ws = model.sheet(SHEET);
    ws.putRows(1, 1, [['序号', '宗地代码', '企业名称', '统一社会信用代码', '行业代码', '用地面积(㎡)', '总建筑面积(㎡)', '建筑基底面积(㎡)', '经营状态']]);
    // 700 parcels of two enterprises each: 700 merges of two rows, back to back (more than 512)
    for (let p = 0; p < 700; p++) {
      const top = 2 + p * 2;
      const id = `120102001002GB${String(p + 1).padStart(5, '0')}`;
      ws.putRows(top, 1, [
        [p * 2 + 1, id, `甲${p}`, U1, '3411', 1000, 800, 400, '正常生产'],
        [p * 2 + 2, null, `乙${p}`, U2, '1311', 1000, 800, 400, '正常生产'],
      ]);
      ws.merge(`B${top}:B${top + 1}`);
    }
    const { controller, store } = setup(model);
    expect(await controller.validate()).toBe(true);
    const s = store.get();
    expect(s.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(s.message?.text).toContain('共1400行');
  });
});

describe('merged areas as Office.js answers them', () => {
  test('addresses with quoted sheet names and commas are parsed', () => {
    expect(parseAreas("'a, b'!A2:A4, 'a, b'!C1:D1")).toEqual([
      { top: 2, left: 1, bottom: 4, right: 1 },
      { top: 1, left: 3, bottom: 1, right: 4 },
    ]);
  });

  test('pieces of one merge cut at a window boundary are joined; back-to-back merges are not', () => {
    const w = (address: string) => ({ isNullObject: false, address });
    // windows rows 1–101 and 101–201 (one row shared); B99:B102 comes back cut to each window;
    // B97:B98 and B103:B104 are merges of their own, touching it
    const got = joinWindows([w('S!B97:B98, S!B99:B101'), w('S!B101:B102, S!B103:B104')]);
    expect(got).toEqual([
      { top: 97, left: 2, bottom: 98, right: 2 },
      { top: 99, left: 2, bottom: 102, right: 2 },
      { top: 103, left: 2, bottom: 104, right: 2 },
    ]);
    // a merge ending on the shared row, cut to a single cell in the next window, stays itself
    expect(joinWindows([w('S!B100:B101'), w('S!B101, S!B102:B103')])).toEqual([
      { top: 100, left: 2, bottom: 101, right: 2 },
      { top: 102, left: 2, bottom: 103, right: 2 },
    ]);
    // the same merge answered whole by both windows counts once
    expect(joinWindows([w('S!B99:B102'), w('S!B99:B102')])).toEqual([{ top: 99, left: 2, bottom: 102, right: 2 }]);
  });
});

describe('planMarks over merged ranges', () => {
  const merges = [{ top: 4, left: 2, bottom: 5, right: 2 }];
  const opts = { sheet: '低效工业调查表', rowSpan: { c1: 1, c2: 4 }, headerRow: 3, merges };
  const cells = (p: ReturnType<typeof planMarks>) => p.fills.flatMap((f) => f.addresses).join(',');

  test('a row-level issue on the second row of a merge skips the merged cell; a cell issue there goes to its top-left', () => {
    expect(cells(planMarks([issue('duplicate-key', { row: 5 })], opts))).toBe('A5,C5:D5');
    const p = planMarks([issue('missing-value', { row: 5, column: 'B' })], opts);
    expect(cells(p)).toBe('B4');
    expect(p.notes.map((n) => n.address)).toEqual(['B4']);
  });

  test('total and note rows are never marked, whatever their severity', () => {
    const p = planMarks([issue('total-row', { row: 6, column: 'A' }), issue('note-row', { row: 7 })], opts);
    expect(p.fills).toEqual([]);
    expect(p.notes).toEqual([]);
  });
});
