/** Recognising forms and headers, matching columns (domain.md §3, interfaces.md). */
import type { CellValue } from '../../shared/grid';
import { readForm, readWorkbook, recogniseSheets } from '../../shared/read';
import { defaultRuleSet } from '../../shared/rules';
import { UnusableInputError } from '../../shared/types';
import { baseRecord, formSheet, industrialRecord, parcel, sheet, validUscc, workbook } from '../helpers/grid';

const rs = defaultRuleSet();

describe('recognising the form of a sheet', () => {
  it('recognises every form of the catalogue from its own template titles', () => {
    const forms = ['base', 'industrial', 'commercial', 'facility', 'housing', 'tax', 'taxBenchmark', 'output', 'outputBenchmark', 'environment'] as const;
    for (const f of forms) {
      const wb = workbook('x.xlsx', [formSheet(f, [], { name: 'Sheet1', titleRow: true })]);
      expect(recogniseSheets(wb).map((s) => s.form)).toEqual([f]);
    }
  });

  it('uses the workbook property formId first (it settles sheets whose titles fit several forms)', () => {
    // 统一社会信用代码 + 企业名称 + 年度 fit both the tax and the output form
    const s = sheet('Sheet1', [['统一社会信用代码', '企业名称', '年度'], [validUscc(1), '甲', 2022]]);
    expect(recogniseSheets(workbook('a.xlsx', [s], { formId: 'output' }))[0].form).toBe('output');
    expect(recogniseSheets(workbook('a.xlsx', [s], { formId: 'tax' }))[0].form).toBe('tax');
  });

  it('prefers a visible sheet for the property form', () => {
    const hidden = { ...formSheet('industrial', [industrialRecord(1)], { name: '旧表' }), hidden: true };
    const visible = formSheet('industrial', [industrialRecord(2)], { name: '填报' });
    const found = recogniseSheets(workbook('a.xlsx', [hidden, visible], { formId: 'industrial' }));
    expect(found.find((f) => f.sheet.name === '填报')?.form).toBe('industrial');
  });

  it('reads a hidden sheet, unless a visible sheet holds the same form; reads several visible sheets of one form', () => {
    const hiddenInd = { ...formSheet('industrial', [industrialRecord(1)], { name: '隐藏' }), hidden: true };
    const hiddenBase = { ...formSheet('base', [baseRecord(1)], { name: '底图' }), hidden: true };
    const a = formSheet('industrial', [industrialRecord(2)], { name: '大王庄街道' });
    const b = formSheet('industrial', [industrialRecord(3)], { name: '春华街道' });
    const found = recogniseSheets(workbook('a.xlsx', [hiddenInd, hiddenBase, a, b]));
    expect(found.map((f) => [f.sheet.name, f.form])).toEqual([['底图', 'base'], ['大王庄街道', 'industrial'], ['春华街道', 'industrial']]);
  });

  it('recognises by variants and messy spellings of the titles', () => {
    const s = sheet('数据', [
      ['宗地编码', ' 企业 名称 ', 'uscc', '国民经济行业代码', '占地面积（平方米）', '总建筑面积\n(m2)', '基底面积(M²)', '生产经营状态'],
      [parcel(1), '甲公司', validUscc(1), '3311', 10000, 8000, 4000, '正常生产'],
    ]);
    const [r] = readWorkbook(workbook('a.xlsx', [s]), rs);
    expect(r.form).toBe('industrial');
    expect(r.columns).toMatchObject({ parcelId: 'A', enterpriseName: 'B', uscc: 'C', industryCode: 'D', landArea: 'E', floorArea: 'F', footprint: 'G', status: 'H' });
    expect(r.rows[0].values).toMatchObject({ landArea: 10000, floorArea: 8000, footprint: 4000, status: '正常生产' });
    expect(r.issues.filter((i) => i.code === 'unknown-column')).toEqual([]);
  });

  it('finds the header below a merged title row and notes', () => {
    const s = formSheet('base', [baseRecord(1)], { titleRow: true });
    s.rows.splice(1, 0, ['填报单位：河东分局', null, null, '填报日期：2023年3月'], []);
    const [r] = readWorkbook(workbook('a.xlsx', [s]), rs);
    expect(r.form).toBe('base');
    expect(r.headerRow).toBe(4);
    expect(r.rows.map((x) => x.row)).toEqual([5]);
  });

  it('reads a two-row merged header: group titles above, titles merged down kept only in the top cell', () => {
    const rows: CellValue[][] = [
      ['低效工业调查表', null, null, null, null, null, null, null],
      ['宗地代码', '企业名称', '统一社会信用代码', '行业代码', '面积情况', null, null, '经营状态'],
      [null, null, null, null, '用地面积(㎡)', '总建筑面积(㎡)', '建筑基底面积(㎡)', null],
      [parcel(1), '甲公司', validUscc(1), '3311', 10000, 8000, 4000, '正常生产'],
      [parcel(2), '乙公司', validUscc(2), '3311', 5000, 4000, 2000, '正常生产'],
    ];
    const [r] = readWorkbook(workbook('a.xlsx', [sheet('Sheet1', rows)]), rs);
    expect(r.form).toBe('industrial');
    expect(r.headerRow).toBe(3);
    expect(r.columns).toMatchObject({ parcelId: 'A', uscc: 'C', landArea: 'E', footprint: 'G', status: 'H' });
    expect(r.rows.map((x) => [x.row, x.values.enterpriseName, x.values.landArea])).toEqual([[4, '甲公司', 10000], [5, '乙公司', 5000]]);
    // the group title 面积情况 is not a column and not reported as one
    expect(r.issues.filter((i) => i.severity !== 'info')).toEqual([]);
  });

  it('reads two forms held in one workbook, one per sheet, and skips 问题清单 and unrelated sheets', () => {
    const wb = workbook('a.xlsx', [
      sheet('说明', [['填表说明'], ['请按模板填写']]),
      formSheet('base', [baseRecord(1)]),
      formSheet('industrial', [industrialRecord(1)]),
      { ...formSheet('industrial', [industrialRecord(9)]), name: '问题清单' },
    ]);
    const reads = readWorkbook(wb, rs);
    expect(reads.map((r) => [r.sheet, r.form, r.rows.length])).toEqual([['地块底图表', 'base', 1], ['低效工业调查表', 'industrial', 1]]);
  });

  it('throws UnusableInputError (Chinese and English) when no sheet holds a form', () => {
    const wb = workbook('notes.xlsx', [sheet('Sheet1', [['姓名', '电话'], ['张三', '123']])]);
    expect(() => readWorkbook(wb, rs)).toThrow(UnusableInputError);
    try {
      readWorkbook(wb, rs);
    } catch (e) {
      const err = e as UnusableInputError;
      expect(err.file).toBe('notes.xlsx');
      expect(err.reasonZh).toMatch(/未识别/);
      expect(err.reasonEn).toMatch(/no survey form/);
    }
    expect(() => readWorkbook(workbook('empty.xlsx', []), rs)).toThrow(UnusableInputError);
  });

  it('readForm throws UnusableInputError when the sheet has no header of that form', () => {
    const s = sheet('Sheet1', [['姓名', '电话']]);
    expect(() => readForm(s, 'tax', { file: 'a.xlsx', ruleSet: rs })).toThrow(UnusableInputError);
  });
});

describe('matching columns', () => {
  it('finds moved columns by title', () => {
    const keys = ['status', 'footprint', 'floorArea', 'landArea', 'industryCode', 'uscc', 'enterpriseName', 'parcelId'];
    const r = readForm(formSheet('industrial', [industrialRecord(1)], { keys }), 'industrial', { file: 'a', ruleSet: rs });
    expect(r.columns).toMatchObject({ status: 'A', parcelId: 'H', landArea: 'D' });
    expect(r.rows[0].values).toMatchObject({ parcelId: parcel(1), landArea: 10000, footprint: 4000, status: '正常生产', output: null });
    expect(r.issues).toEqual([]);
  });

  it('reports each extra column once as a sheet-level unknown-column warning and ignores it', () => {
    const r = readForm(formSheet('industrial', [industrialRecord(1, { 联系人: '张三' })], { extraColumns: ['联系人'] }), 'industrial', { file: 'a', ruleSet: rs });
    const unknown = r.issues.filter((i) => i.code === 'unknown-column');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatchObject({ severity: 'warning', row: null, column: 'S', value: '联系人', form: 'industrial' });
    expect(r.rows[0].values).not.toHaveProperty('联系人');
    expect(r.rows[0].hasError).toBe(false);
  });

  it('reports a missing required column once, and still checks the rest of the sheet', () => {
    const keys = ['parcelId', 'enterpriseName', 'industryCode', 'landArea', 'floorArea', 'footprint', 'status']; // no 统一社会信用代码
    const recs = [industrialRecord(1), industrialRecord(2, { industryCode: '9999' })];
    const r = readForm(formSheet('industrial', recs, { keys }), 'industrial', { file: 'a', ruleSet: rs });
    const missing = r.issues.filter((i) => i.code === 'missing-column');
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ severity: 'error', row: null, column: null, field: '统一社会信用代码' });
    expect(r.issues.filter((i) => i.code === 'missing-value')).toEqual([]);
    expect(r.issues.filter((i) => i.code === 'invalid-industry-code').map((i) => i.row)).toEqual([3]);
    expect(r.rows.map((x) => [x.values.uscc, x.hasError])).toEqual([[null, false], [null, true]]);
  });

  it('matches titles written with the unit without brackets or with 单位 and notes such as (必填)', () => {
    const headers = { parcelId: '宗地代码（必填）', landArea: '土地面积/亩', owner: '权利人*', location: '坐落' };
    const r = readForm(formSheet('base', [baseRecord(1, { landArea: 15 })], { headers }), 'base', { file: 'a', ruleSet: rs });
    expect(r.columns).toMatchObject({ parcelId: 'A', landArea: 'E', owner: 'F' });
    expect(r.rows[0].values.landArea).toBeCloseTo(10000, 9);
    const r2 = readForm(formSheet('industrial', [industrialRecord(1, { tax: 1200000 })], { headers: { tax: '年税收(单位：元)', landArea: '用地面积㎡' } }), 'industrial', { file: 'a', ruleSet: rs });
    expect(r2.rows[0].values.tax).toBeCloseTo(120, 9);
    expect(r2.rows[0].values.landArea).toBe(10000);
    expect(r2.issues.filter((i) => i.code === 'unknown-column' || i.code === 'missing-column')).toEqual([]);
  });

  it('converts a whole column whose header names another unit (用地面积(亩)) and says so once', () => {
    const r = readForm(formSheet('base', [baseRecord(1, { landArea: 15 })], { headers: { landArea: '土地面积（亩）' } }), 'base', { file: 'a', ruleSet: rs });
    expect(r.rows[0].values.landArea).toBeCloseTo(10000, 9);
    const info = r.issues.filter((i) => i.code === 'normalized-value');
    expect(info).toHaveLength(1);
    expect(info[0]).toMatchObject({ row: null, column: 'E', severity: 'info' });
  });
});

describe('data rows', () => {
  it('skips blank rows between records and keeps Excel row numbers and column letters of an offset grid', () => {
    const s = formSheet('industrial', [industrialRecord(1), {}, { parcelId: '   ' }, industrialRecord(2, { uscc: 'X' })]);
    const shifted = { ...s, firstRow: 3, firstCol: 2 };
    const r = readForm(shifted, 'industrial', { file: 'a', ruleSet: rs });
    expect(r.headerRow).toBe(3);
    expect(r.rows.map((x) => x.row)).toEqual([4, 7]);
    const bad = r.issues.find((i) => i.code === 'invalid-uscc')!;
    expect([bad.row, bad.column]).toEqual([7, 'D']);
    expect(r.columns.parcelId).toBe('B');
  });

  it('skips a row that only repeats the header', () => {
    const s = formSheet('industrial', [industrialRecord(1)]);
    s.rows.push([...s.rows[0]], ...formSheet('industrial', [industrialRecord(2)]).rows.slice(1));
    const r = readForm(s, 'industrial', { file: 'a', ruleSet: rs });
    expect(r.rows.map((x) => x.row)).toEqual([2, 4]);
    expect(r.issues).toEqual([]);
  });

  it('gives every field key of the form on every row, null when blank', () => {
    const r = readForm(formSheet('industrial', [industrialRecord(1)], { keys: ['parcelId', 'enterpriseName', 'uscc', 'industryCode', 'landArea', 'floorArea', 'footprint', 'status'] }), 'industrial', { file: 'a', ruleSet: rs });
    expect(Object.keys(r.rows[0].values).sort()).toEqual(['employees', 'enterpriseName', 'floorArea', 'footprint', 'industryCode', 'landArea', 'obsolete', 'output', 'parcelId', 'plotRatio', 'problemDesc', 'problemType', 'stateOwned', 'status', 'stopDate', 'tax', 'uscc', 'willingness'].sort());
    expect(r.rows[0].values.tax).toBeNull();
  });
});
