/**
 * The Office.js layer and the controller against the typed Excel fake, with the real shared reader:
 * what ends up in the workbook, what is left alone, how many syncs and how big the requests are.
 */
import { ISSUE_SHEET_NAME } from '../../addin/plan/issue-sheet';
import { ISSUE_LIST_TITLES } from '../../shared/issues/list';
import { MARK_FILL, NOTE_PREFIX, isOwnMarkFormula } from '../../addin/plan/marks';
import { RESULT_COLUMNS } from '../../addin/plan/results';
import { getForm } from '../../shared/forms';
import { SheetModel, WorkbookModel } from './fake/excel';
import { col, DATA_ROW, goodRow, HEADER_ROW, INDUSTRIAL, rowValues, TITLES } from './fixtures';
import { jsonResponse, messyWorkbook, SHEET, setup, snapshot } from './setup';

const ownCfs = (s: SheetModel) => s.cfs.filter((c) => isOwnMarkFormula(c.formula));
const ownNotes = (s: SheetModel) => [...s.notes.entries()].filter(([, t]) => t.startsWith(NOTE_PREFIX));

describe('校验 (validate in place, no network)', () => {
  test('marks the offending cells by severity, notes the messages and writes 问题清单 with links', async () => {
    const { ws, model, store, controller, fetchMock } = setup();
    expect(await controller.validate()).toBe(true);
    expect(fetchMock).not.toHaveBeenCalled();

    const s = store.get();
    expect(s.form).toMatchObject({ id: 'industrial', headerRow: HEADER_ROW });
    // the planted mistakes, each on its cell
    const at = (key: string, i: number) => `${String.fromCharCode(64 + col(key))}${DATA_ROW + i}`;
    for (const cell of [at('uscc', 1), at('footprint', 2), at('floorArea', 4), at('enterpriseName', 5)]) expect(ws.shownFill(cell)).toBe(MARK_FILL.error);
    expect(ws.shownFill(at('landArea', 3))).toBe(MARK_FILL.info); // full-width digits read and reported
    const unknownHeader = `${String.fromCharCode(64 + TITLES.length + 1)}${HEADER_ROW}`;
    expect(ws.shownFill(unknownHeader)).toBe(MARK_FILL.warning); // 备注: unknown column, marked on its header
    expect(s.counts.error).toBe(4);
    expect(s.issues.filter((i) => i.severity === 'error').map((i) => `${i.column}${i.row}`).sort()).toEqual(
      [at('uscc', 1), at('footprint', 2), at('floorArea', 4), at('enterpriseName', 5)].sort(),
    );
    // a text that looks like a formula is left as the user's text
    expect(ws.get(DATA_ROW + 6, col('problemDesc'))).toEqual({ value: '=厂房闲置，需要盘活', type: 'String' });

    // notes: the add-in's on marked cells, never over the user's own
    expect(ws.notes.get('C4')).toBe('用户自己的备注：待核实');
    const g5 = ws.notes.get(at('footprint', 2))!;
    expect(g5.startsWith(NOTE_PREFIX)).toBe(true);
    expect(g5).toContain('建筑基底面积20000㎡大于用地面积10000㎡');

    // 问题清单: header, one row per issue, link formulas to the cells, user text as text
    const list = model.sheet(ISSUE_SHEET_NAME);
    // the shared layout (the same as the CLI's marked copy)
    expect(ISSUE_LIST_TITLES.map((_, k) => list.get(1, k + 1)!.value)).toEqual([...ISSUE_LIST_TITLES]);
    const links = [];
    for (let r = 2; r <= s.issues.length + 1; r++) links.push(list.get(r, 2)!);
    expect(list.get(2, 1)!.value).toBe(1);
    expect(links[0].formula).toBe(`=HYPERLINK("#'${SHEET}'!${s.issues[0].column}${s.issues[0].row}","${s.issues[0].column}${s.issues[0].row}")`);
    expect(list.get(2, 1 + ISSUE_LIST_TITLES.indexOf('问题说明'))!.value).toBe(s.issues[0].message);
    expect(list.get(s.issues.length + 2, 1)).toBeUndefined();
    expect(list.numberFormats.get(SheetModel.key(2, 1 + ISSUE_LIST_TITLES.indexOf('填报值')))).toBe('@');
    expect(list.frozenRows).toBe(1);
    // the long texts wrap in their columns over the data rows, one range each, and the rows fit them
    const last = s.issues.length + 1;
    const letterOf = (title: string) => String.fromCharCode(65 + ISSUE_LIST_TITLES.indexOf(title));
    expect(list.wrapped.sort()).toEqual(['填报值', '问题说明', '处理建议'].map((t) => `${letterOf(t)}2:${letterOf(t)}${last}`).sort());
    expect(list.autofitted).toEqual([`A2:${String.fromCharCode(64 + ISSUE_LIST_TITLES.length)}${last}`]);
  });

  test("leaves the user's own fills, conditional formats and notes alone", async () => {
    const { ws, controller } = setup();
    await controller.validate();
    expect(ws.fills.get(SheetModel.key(3, 1))).toBe('#00FF00');
    expect(ws.fills.get(SheetModel.key(4, 3))).toBe('#FFFF00'); // under the error mark, still there
    expect(ws.cfs.filter((c) => c.ownerAddedBy === 'user').map((c) => c.id).sort()).toEqual([998, 999]);
  });

  test('validating again replaces only its own marks: a fixed cell is unmarked, the user’s formatting stays', async () => {
    const { ws, model, store, controller } = setup();
    await controller.validate();
    const firstCfs = ownCfs(ws).length;
    const firstNotes = ownNotes(ws).length;
    await controller.validate();
    expect(ownCfs(ws)).toHaveLength(firstCfs);
    expect(ownNotes(ws)).toHaveLength(firstNotes);

    ws.put(DATA_ROW + 2, col('footprint'), 4000); // the user fixes the footprint
    await controller.validate();
    expect(ws.shownFill(`G${DATA_ROW + 2}`)).toBeNull();
    expect(ws.notes.has(`G${DATA_ROW + 2}`)).toBe(false);
    expect(store.get().counts.error).toBe(3);
    expect(model.sheet(ISSUE_SHEET_NAME).get(store.get().issues.length + 2, 1)).toBeUndefined(); // old rows gone
    expect(ws.fills.get(SheetModel.key(4, 3))).toBe('#FFFF00');
    expect(ws.notes.get('C4')).toBe('用户自己的备注：待核实');
    expect(ws.cfs.filter((c) => c.ownerAddedBy === 'user')).toHaveLength(2);
  });

  test("a user's threaded comment on a marked cell: the cell is filled, no note is added there, the comment stays", async () => {
    const model = messyWorkbook();
    const ws = model.sheets.find((x) => x.name === SHEET) as SheetModel;
    const cell = `G${DATA_ROW + 2}`; // the footprint error
    ws.comments.set(cell, '王科长：基底面积已请企业复核');
    const a = setup(model);
    expect(await a.controller.validate()).toBe(true);
    expect(a.ws.shownFill(cell)).toBe(MARK_FILL.error);
    expect(a.ws.notes.has(cell)).toBe(false);
    expect(a.ws.comments.get(cell)).toBe('王科长：基底面积已请企业复核');
    expect(ownNotes(a.ws).length).toBeGreaterThan(2); // the other marked cells have their notes
    expect(a.store.get().issues.some((i) => `${i.column}${i.row}` === cell)).toBe(true);
    await a.controller.validate(); // and again: the comment is still the user's
    expect(a.ws.comments.get(cell)).toBe('王科长：基底面积已请企业复核');
    expect(a.ws.notes.has(cell)).toBe(false);
  });

  test('comments the add-in wrote where notes were missing are replaced by notes where they are', async () => {
    const model = messyWorkbook();
    const old = setup(model, { notes: false, comments: true });
    await old.controller.validate();
    const left = [...old.ws.comments.keys()];
    expect(left.length).toBeGreaterThan(3);
    const now = setup(model); // the same workbook opened in a host with notes
    expect(await now.controller.validate()).toBe(true);
    expect(now.ws.comments.size).toBe(0);
    // the same cells, less C4: its note is the user's (a host without notes could not see it)
    expect(left).toContain('C4');
    expect(ownNotes(now.ws).map(([c]) => c).sort()).toEqual(left.filter((c) => c !== 'C4').sort());
    expect(now.ws.notes.get('C4')).toBe('用户自己的备注：待核实');
  });

  test('without notes (ExcelApi < 1.18) the messages go into comments, without comments there are only fills', async () => {
    const a = setup(undefined, { notes: false, comments: true });
    await a.controller.validate();
    expect(a.ws.notes.size).toBe(1); // only the user's
    expect([...a.ws.comments.values()].every((t) => t.startsWith(NOTE_PREFIX))).toBe(true);
    const first = a.ws.comments.size;
    expect(first).toBeGreaterThan(3);
    await a.controller.validate(); // old comments replaced, not doubled, and no clash on their cells
    expect(a.ws.comments.size).toBe(first);

    const b = setup(undefined, { notes: false, comments: false });
    await b.controller.validate();
    expect(b.ws.comments.size).toBe(0);
    expect(b.ws.shownFill(`G${DATA_ROW + 2}`)).toBe(MARK_FILL.error);
  });

  test('a sheet that is no form gets a Chinese message and no marks', async () => {
    const { model, store, controller } = setup();
    model.active = '说明';
    model.sheet('说明').putRows(1, 1, [['填表说明'], ['请按模板填写']]);
    expect(await controller.validate()).toBe(false);
    expect(store.get().message).toMatchObject({ intent: 'error' });
    expect(store.get().message!.text).toContain('不是可识别的标准调查表');
    expect(model.sheets.some((s) => s.name === ISSUE_SHEET_NAME)).toBe(false);
  });

  test('清除标记 removes the add-in’s marks and 问题清单, nothing of the user’s', async () => {
    const { ws, model, controller, store } = setup();
    const before = snapshot(model);
    await controller.validate();
    await controller.clear();
    expect(snapshot(model)).toBe(before);
    expect(store.get().issues).toEqual([]);
  });

  test('clicking an issue activates its sheet and selects its cell', async () => {
    const { model, store, controller } = setup();
    await controller.validate();
    model.active = '说明';
    const issue = store.get().issues.find((i) => i.code === 'footprint-exceeds-land')!;
    await controller.select(issue);
    expect(model.active).toBe(SHEET);
    expect(model.selection).toEqual({ sheet: SHEET, address: `G${DATA_ROW + 2}` });
  });
});

describe('sync count and request size at 20,000 rows × 20 columns', () => {
  test('at most 4 syncs plus one per 4 MB chunk; no request or answer over 5 MB', async () => {
    const model = new WorkbookModel([SHEET]);
    const ws = model.sheet(SHEET);
    ws.put(1, 1, INDUSTRIAL.title);
    ws.putRows(2, 1, [[...TITLES, '备注', '联系人']]);
    const rows = [];
    for (let i = 0; i < 20000; i++) {
      const r = rowValues(goodRow(i), ['', `联系人${i}`]);
      if (i % 40 === 1) r[col('uscc') - 1] = '91110000600037341X';
      if (i % 97 === 5) r[col('footprint') - 1] = 20000;
      if (i % 250 === 7) r[col('enterpriseName') - 1] = null;
      rows.push(r);
    }
    ws.putRows(3, 1, rows);
    const { controller, fh, store } = setup(model);
    expect(await controller.validate()).toBe(true);
    expect(store.get().counts.error).toBe(500 + 207 + 80);

    const syncs = fh.contexts.flatMap((c) => c.syncs);
    if (process.env.SHOW_SYNCS) console.log(syncs);
    const MB = 1024 * 1024;
    const req = syncs.reduce((n, s) => n + s.requestBytes, 0);
    const res = syncs.reduce((n, s) => n + s.responseBytes, 0);
    const chunks = Math.ceil(req / (4 * MB)) + Math.ceil(res / (4 * MB));
    expect(syncs.length).toBeLessThanOrEqual(4 + chunks);
    for (const s of syncs) {
      expect(s.requestBytes).toBeLessThanOrEqual(5 * MB);
      expect(s.responseBytes).toBeLessThanOrEqual(5 * MB);
    }
    // formatting went through merged getRanges chunks, not cell by cell
    expect(ownCfs(ws).length).toBeLessThan(20);
    expect(res).toBeGreaterThan(4 * MB); // the whole sheet really was read
  });

  // Sheets as offices fill them: long 企业名称 and 问题描述, a remarks column of whole sentences.
  const SENTENCE = '厂房长期闲置，部分建筑已出租给小微企业作仓储使用，原企业经营困难，有意愿通过收储或合作开发方式盘活，需区里协调规划调整和手续补办事宜';
  function textSheet(light: number, heavy: number): WorkbookModel {
    const model = new WorkbookModel([SHEET]);
    const ws = model.sheet(SHEET);
    ws.put(1, 1, INDUSTRIAL.title);
    ws.putRows(2, 1, [[...TITLES, '备注', '联系人']]);
    const rows = [];
    for (let i = 0; i < light + heavy; i++) {
      const g = goodRow(i);
      if (i >= light) {
        g.enterpriseName = `天津市河东区第${i + 1}号机械制造加工有限责任公司（原国营天津第三机械厂）`;
        g.problemDesc = SENTENCE + SENTENCE;
      }
      rows.push(rowValues(g, [i >= light ? SENTENCE + SENTENCE : '', `联系人${i}`]));
    }
    ws.putRows(3, 1, rows);
    return model;
  }
  const MB = 1024 * 1024;

  test('a write Excel refuses half-way: the pane says it is partial and to press again; pressing again repairs it', async () => {
    const model = textSheet(0, 6000);
    // every row with an error in two cells: many marks, a write of several batches
    const ws = model.sheet(SHEET);
    for (let r = 3; r < 6003; r++) {
      ws.put(r, col('uscc'), '91110000600037341X');
      ws.put(r, col('footprint'), 9e9);
    }
    const { controller, store } = setup(model);
    let bigOnes = 0;
    model.refuse = (s) => s.requestBytes > 1024 * 1024 && ++bigOnes === 2; // the second large write batch
    expect(await controller.validate()).toBe(false);
    expect(bigOnes).toBeGreaterThanOrEqual(2);
    expect(store.get().message).toMatchObject({ intent: 'error' });
    expect(store.get().message!.text).toContain('写入只完成了一部分');
    expect(store.get().message!.text).toContain('请再点一次');
    model.refuse = null;
    expect(await controller.validate()).toBe(true);
    expect(store.get().counts.error).toBeGreaterThanOrEqual(12000);
  });

  test('a sheet of long Chinese text is read in answers under 5 MB', async () => {
    const { controller, fh, store } = setup(textSheet(0, 6000));
    expect(await controller.validate()).toBe(true);
    expect(store.get().message!.text).toContain('共6000行');
    for (const s of fh.contexts.flatMap((c) => c.syncs)) expect(s.responseBytes).toBeLessThanOrEqual(5 * MB);
  });

  test('rows much longer than the ones measured before them: the refused chunk is asked again in halves, every row read once', async () => {
    const { controller, fh, store } = setup(textSheet(3000, 6000));
    expect(await controller.validate()).toBe(true);
    const syncs = fh.contexts.flatMap((c) => c.syncs);
    const refused = syncs.filter((s) => s.responseBytes > 5 * MB);
    expect(refused.length).toBeGreaterThan(0); // the case happened: a chunk sized from the short rows was too large
    expect(store.get().message!.text).toContain('共9000行');
    expect(store.get().counts.error).toBe(0); // no row lost or read twice (a duplicate would be a duplicate-key error)
  });
});

describe('认定 (determine through the service)', () => {
  function answer(rows: number[]) {
    return {
      ruleSet: { id: 'hedong-default', version: '2022.1' },
      evaluationDate: '2022-12-31',
      form: 'industrial',
      rows: rows.map((row, k) => ({
        row,
        parcelId: `120102001002GB${String(k + 1).padStart(5, '0')}`,
        hasError: false,
        result: k === 0 ? '低效' : '非低效',
        hits: k === 0 ? ['IND-PLOT', 'IND-TAX'] : [],
        missing: [],
        mode: k === 0 ? '技改升级' : null,
        plotRatio: k === 0 ? 0.55 : 1.1,
        coverage: 40,
        taxPerMu: 12.5,
        outputPerMu: null,
      })),
      parcels: [],
      issues: [
        { code: 'parcel-not-in-base', severity: 'error', form: 'industrial', sheet: SHEET, row: 9, column: 'A', field: '宗地代码', parcelId: '120102001002GB00007', value: '120102001002GB00007', message: '宗地代码“120102001002GB00007”不在地块底图表中' },
      ],
    };
  }

  test('writes the figures and results to the right of the data, with number formats; again in the same place', async () => {
    const { ws, model, store, controller, fetchMock } = setup();
    fetchMock.mockImplementation(async () => jsonResponse(answer([3, 4])));
    expect(await controller.determine()).toBe(true);
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('http://svc.test/api/determine');
    expect((init.headers as Record<string, string>)['x-land-survey-key']).toBe('dept-key');
    const sent = JSON.parse(String(init.body));
    expect(sent).toMatchObject({ name: SHEET, form: 'industrial', firstRow: 1, firstCol: 1 });
    expect(sent.rows[HEADER_ROW - 1]).toContain('宗地代码');

    const c0 = TITLES.length + 2; // right of the data and of the user's 备注 column
    expect(RESULT_COLUMNS.map((_, k) => ws.get(HEADER_ROW, c0 + k)!.value)).toEqual(RESULT_COLUMNS.map((c) => c.title));
    expect(ws.get(3, c0)!.value).toBe(0.55);
    expect(ws.get(3, c0 + 4)!.value).toBe('低效');
    expect(ws.get(3, c0 + 5)!.value).toBe('IND-PLOT、IND-TAX');
    expect(ws.get(4, c0 + 6)).toBeUndefined(); // no mode for 非低效
    expect(ws.get(5, c0 + 4)).toBeUndefined(); // a row the answer does not cover stays blank
    expect(ws.numberFormats.get(SheetModel.key(3, c0 + 2))).toBe('#,##0.00');
    expect(ws.numberFormats.get(SheetModel.key(3, c0 + 4))).toBe('@');
    expect(store.get().results).toEqual({ 低效: 1, 非低效: 1 });
    expect(store.get().issues.map((i) => i.code)).toEqual(['parcel-not-in-base']);
    expect(ws.shownFill('A9')).toBe(MARK_FILL.error);
    expect(model.sheet(ISSUE_SHEET_NAME).get(2, 2)!.formula).toContain(`!A9`);

    fetchMock.mockImplementation(async () => jsonResponse(answer([3])));
    await controller.determine();
    expect(ws.get(HEADER_ROW, c0 + RESULT_COLUMNS.length)).toBeUndefined(); // no second block
    expect(ws.get(4, c0 + 4)).toBeUndefined(); // row 4 no longer in the answer: cleared
    expect(ws.get(3, c0 + 4)!.value).toBe('低效');
    expect(JSON.parse(String(fetchMock.mock.calls[1][1].body)).rows[HEADER_ROW - 1]).not.toContain('认定结果'); // not sent back

    // validating afterwards: the result columns are not taken for unknown form columns
    await controller.validate();
    const unknown = store.get().issues.filter((i) => i.code === 'unknown-column').map((i) => i.value);
    expect(unknown).toEqual(['备注']);
  });

  test("a street office is told which parcels of other streets got no result", async () => {
    const { ws, store, controller, fetchMock } = setup();
    const a = answer([3, 4]);
    const other = { ...a.rows[1], result: null, hits: [], mode: null, plotRatio: null, coverage: null, taxPerMu: null };
    fetchMock.mockImplementation(async () => jsonResponse({ ...a, rows: [a.rows[0], other], withheld: { street: '大王庄街道', parcelIds: [other.parcelId] } }));
    expect(await controller.determine()).toBe(true);
    expect(store.get().message).toMatchObject({ intent: 'warning' });
    expect(store.get().message!.text).toContain(`另有1宗地不属于大王庄街道，未返回其认定结果（${other.parcelId}）`);
    const c0 = TITLES.length + 2;
    expect(ws.get(3, c0 + 4)!.value).toBe('低效');
    expect(ws.get(4, c0 + 4)).toBeUndefined(); // no result written for the withheld parcel's row
  });

  const failures: [string, () => Promise<Response>, string][] = [
    ['network failure', async () => Promise.reject(new TypeError('Failed to fetch')), '无法连接服务'],
    ['403', async () => jsonResponse({ error: 'forbidden', message: '无权汇总认定：仅限规划资源分局（汇总单位）操作', messageEn: 'forbidden' }, 403), '没有权限（403）：无权汇总认定'],
    ['401', async () => jsonResponse({ error: 'unauthenticated', message: '登录已过期，请重新登录', messageEn: 'token expired' }, 401), '没有权限（401）：登录已过期'],
    ['500', async () => jsonResponse({ error: 'internal-error', message: '服务器内部错误' }, 500), '服务返回错误（500）'],
    ['invalid answer', async () => jsonResponse({ ruleSet: { id: 'x', version: '1' }, evaluationDate: '2022-12-31', rows: [{ row: 'three' }], issues: [] }), '数据格式不符'],
    ['not JSON', async () => new Response('<html>proxy error</html>', { status: 200 }), '不是有效的JSON'],
  ];
  test.each(failures)('%s: a Chinese message in the pane, nothing changed in the workbook', async (_name, respond, text) => {
    const { model, store, controller, fetchMock } = setup();
    fetchMock.mockImplementation(respond);
    const before = snapshot(model);
    expect(await controller.determine()).toBe(false);
    expect(store.get().message).toMatchObject({ intent: 'error' });
    expect(store.get().message!.text).toContain(text);
    expect(snapshot(model)).toBe(before);
    expect(store.get().busy).toBeNull();
  });

  test('timeout: the call is abandoned with a message, nothing changed', async () => {
    const { model, store, controller, fetchMock } = setup(undefined, { timeoutMs: 30 });
    fetchMock.mockImplementation((_u, init) => new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))));
    const before = snapshot(model);
    expect(await controller.determine()).toBe(false);
    expect(store.get().message!.text).toContain('秒内没有响应');
    expect(snapshot(model)).toBe(before);
  });

  test('not signed in: nothing is sent', async () => {
    const { store, controller, fetchMock } = setup(undefined, { key: '' });
    expect(await controller.determine()).toBe(false);
    expect(fetchMock).not.toHaveBeenCalled();
    expect(store.get().message!.text).toContain('尚未登录');
  });
});

describe('提交 and the office functions', () => {
  test('submit sends the workbook bytes and shows the receipt', async () => {
    const { store, controller, fetchMock } = setup();
    const hash = 'ab'.repeat(32);
    fetchMock.mockImplementation(async () => jsonResponse({ id: 'dept/1', submittedAt: '2026-11-26T14:00:00.000Z', sha256: hash, rows: 8, errorCount: 4, warningCount: 2 }, 201));
    expect(await controller.submit()).toBe(true);
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('http://svc.test/api/submissions');
    expect((init.headers as Record<string, string>)['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(init.body).toEqual(new Uint8Array([0x50, 0x4b, 3, 4]));
    expect(store.get().receipt).toMatchObject({ time: '2026-11-26T14:00:00.000Z', hash });
    expect(store.get().message).toMatchObject({ intent: 'success' });
    // what the service left out is said in the pane
    fetchMock.mockImplementation(async () => jsonResponse({ submittedAt: '2026-11-26T14:05:00.000Z', sha256: hash, notices: ['隐藏工作表“旧数据”（低效工业调查表）未读取'] }, 201));
    expect(await controller.submit()).toBe(true);
    expect(store.get().message).toMatchObject({ intent: 'warning' });
    expect(store.get().message!.text).toContain('注意：隐藏工作表“旧数据”（低效工业调查表）未读取');
  });

  test('a milestone sheet is validated in place like a survey sheet and 提交 sends it to the pilot route', async () => {
    const form = getForm('milestone');
    const model = new WorkbookModel([form.title]);
    model.sheet(form.title).putRows(1, 1, [form.fields.map((f) => f.title), ['HD-2027-001', '开工', '2027-03-01', null, '住建委', null, null], ['HD-2027-001', '竣工', '2027-09-01', null, '区城管委', null, null]]);
    const unit = setup(model);
    unit.fetchMock.mockImplementation(async () => jsonResponse({ issues: [] }));
    expect(await unit.controller.validate()).toBe(true);
    // the unknown unit is marked on its cell; the short name is only noted
    expect(unit.store.get().issues.map((i) => `${i.code}@${i.column}${i.row}`)).toEqual(expect.arrayContaining(['invalid-enum@E3', 'normalized-value@E2']));
    unit.fetchMock.mockReset();
    unit.fetchMock.mockImplementation(async () => jsonResponse({ id: 'milestone.u/1', submittedAt: '2026-12-06T02:00:00.000Z', sha256: 'cd'.repeat(32), rows: 1 }, 201));
    expect(await unit.controller.submit()).toBe(true);
    expect(unit.fetchMock.mock.calls[0][0]).toBe('http://svc.test/api/pilot/milestones');
    expect(unit.store.get().message!.text).toContain('已提交项目节点表');
  });

  test('the office builds the ledger (opened) and the brief (downloaded); a unit is refused before any call', async () => {
    const dept = setup();
    expect(await dept.controller.pilotOutput('ledger')).toBe(false);
    expect(dept.fetchMock).not.toHaveBeenCalled();
    const office = setup(undefined, { key: 'office-key', role: 'office' });
    const xlsx = new Uint8Array([0x50, 0x4b, 3, 4, 1]);
    office.fetchMock.mockImplementation(async () => new Response(xlsx, { status: 200, headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } }));
    expect(await office.controller.pilotOutput('ledger')).toBe(true);
    expect(office.fetchMock.mock.calls[0][0]).toMatch(/^http:\/\/svc\.test\/api\/pilot\/ledger\?asOf=\d{4}-\d{2}-\d{2}$/);
    expect(office.fh.opened).toEqual([xlsx]);
    const docx = new Uint8Array([0x50, 0x4b, 3, 4, 2]);
    office.fetchMock.mockImplementation(async () => new Response(docx, { status: 200, headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' } }));
    expect(await office.controller.pilotOutput('brief')).toBe(true);
    expect(office.store.get().message!.text).toContain('工作简报');
    expect(office.fh.downloads.map((d) => [d.bytes, d.type])).toEqual([[docx, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document']]);
  });

  test('consolidate is refused without the office key and opens the returned workbook with it', async () => {
    const dept = setup();
    expect(await dept.controller.consolidate()).toBe(false);
    expect(dept.fetchMock).not.toHaveBeenCalled();
    expect(dept.store.get().message!.text).toContain('仅限规划资源分局');

    const office = setup(undefined, { key: 'office-key', role: 'office' });
    const xlsx = new Uint8Array([0x50, 0x4b, 3, 4, 9, 9]);
    office.fetchMock.mockImplementation(async () => new Response(xlsx, { status: 200, headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } }));
    expect(await office.controller.consolidate()).toBe(true);
    expect(office.fh.opened).toEqual([xlsx]);
  });

  test('upload reference data: the office uploads a reference form; a survey form is refused before any call', async () => {
    const base = getForm('base');
    const model = new WorkbookModel([base.title]);
    model.sheet(base.title).putRows(1, 1, [[base.title], base.fields.map((f) => f.title)]);
    const office = setup(model, { key: 'office-key', role: 'office' });
    office.fetchMock.mockImplementation(async () => jsonResponse({ form: 'base', version: 'v1' }, 201));
    expect(await office.controller.uploadReference()).toBe(true);
    const [url, init] = office.fetchMock.mock.calls[0];
    expect(url).toBe('http://svc.test/api/reference/base');
    expect(init.method).toBe('PUT');
    expect((init.headers as Record<string, string>)['x-land-survey-key']).toBe('office-key');

    const survey = setup(undefined, { key: 'office-key', role: 'office' });
    expect(await survey.controller.uploadReference()).toBe(false);
    expect(survey.fetchMock).not.toHaveBeenCalled();
    expect(survey.store.get().message!.text).toContain('是调查表，不是参考数据');
  });

  test('a consolidate answer that is not a workbook opens nothing', async () => {
    const office = setup(undefined, { key: 'office-key', role: 'office' });
    office.fetchMock.mockImplementation(async () => jsonResponse({ ok: true }));
    expect(await office.controller.consolidate()).toBe(false);
    expect(office.fh.opened).toEqual([]);
    expect(office.store.get().message!.text).toContain('不是Excel工作簿');
  });

  test('signing in asks the service who the user is and sets the ribbon from the role; nothing is written to the workbook', async () => {
    const { model, controller, fetchMock, fh, store } = setup(undefined, { key: '' });
    const before = snapshot(model);
    fetchMock.mockImplementation(async () => jsonResponse({ status: 'ok', role: 'office', unit: '市规划资源局河东分局', ruleSet: { id: 'hedong-default', version: '2022.1' }, evaluationDate: '2022-12-31' }));
    expect(await controller.signIn('office-key')).toBe(true);
    expect((fetchMock.mock.calls[0][1].headers as Record<string, string>)['x-land-survey-key']).toBe('office-key');
    expect(snapshot(model)).toBe(before);
    expect(store.get()).toMatchObject({ role: 'office', unit: '市规划资源局河东分局' });
    expect(fh.ribbon[fh.ribbon.length - 1]).toBe(true);
    expect(store.get().message!.text).toContain('已登录：市规划资源局河东分局（汇总单位）');

    // a department: 汇总 off again
    fetchMock.mockImplementation(async () => jsonResponse({ status: 'ok', role: 'department', unit: '区产业发展促进局' }));
    await controller.signIn('dept-key');
    expect(fh.ribbon[fh.ribbon.length - 1]).toBe(false);
    // signed in, but the service does not know the user's unit: a warning, office functions off
    fetchMock.mockImplementation(async () => jsonResponse({ status: 'ok' }));
    await controller.signIn('typo');
    expect(store.get().message).toMatchObject({ intent: 'warning' });
    expect(store.get().role).toBeNull();
    // the service refused the credential: its reason, not "ask for a unit role"
    fetchMock.mockImplementation(async () => jsonResponse({ status: 'ok', refused: { status: 401, error: 'unauthenticated', message: '登录已过期' } }));
    await controller.signIn('expired');
    expect(store.get().message).toMatchObject({ intent: 'error', text: '服务未接受本次登录：登录已过期。请重新登录' });
    expect(store.get().role).toBeNull();
    fetchMock.mockImplementation(async () => jsonResponse({ status: 'ok', refused: { status: 503, error: 'keys-unavailable', message: '无法获取租户的签名密钥' } }));
    await controller.signIn('any');
    expect(store.get().message).toMatchObject({ intent: 'error' });
    expect(store.get().message!.text).toContain('服务暂时无法核验登录：无法获取租户的签名密钥');
    fetchMock.mockImplementation(async () => jsonResponse({ status: 'ok', refused: { status: 403, error: 'forbidden', message: '账号未被分配本应用的单位角色' } }));
    await controller.signIn('no-role');
    expect(store.get().message).toMatchObject({ intent: 'warning' });
    expect(store.get().message!.text).toContain('服务未认出本账号的单位（提交、认定将被拒绝）：账号未被分配本应用的单位角色');
    // a failed sign-in: its message, no call
    fetchMock.mockClear();
    expect(await controller.signIn('')).toBe(false);
    expect(fetchMock).not.toHaveBeenCalled();
    expect(store.get().message!.text).toContain('开发密钥');
  });

});
