/** Single-form checks (domain.md §4, §6, §8.13–8.17): each code raised where it should and not on correct values. */
import type { CellValue } from '../../shared/grid';
import type { FormId } from '../../shared/forms';
import { readForm } from '../../shared/read';
import { defaultRuleSet, parseRuleSet, type RuleSet } from '../../shared/rules';
import { baseRecord, formSheet, industrialRecord, parcel, validUscc } from '../helpers/grid';

const rs = defaultRuleSet(); // evaluation date 2022-12-31, county 120102, plot-ratio tolerance 5%

function read(formId: FormId, records: Record<string, CellValue>[], ruleSet: RuleSet = rs) {
  return readForm(formSheet(formId, records), formId, { file: 't.xlsx', ruleSet });
}
const codes = (r: { issues: { code: string }[] }) => r.issues.map((i) => i.code);
const ind = (over: Record<string, CellValue>, ruleSet: RuleSet = rs) => read('industrial', [industrialRecord(1, over)], ruleSet);

const commercial = (over: Record<string, CellValue>) =>
  read('commercial', [{ parcelId: parcel(1), buildingName: 'A座', street: '大王庄街道', floorArea: 1000, vacantArea: 100, ...over }]);
const facility = (over: Record<string, CellValue>) =>
  read('facility', [{ parcelId: parcel(1), facilityName: '泵站', facilityType: '公用设施', manager: '水务局', useStatus: '正常使用', ...over }]);

it('a correct row of each survey form raises nothing', () => {
  expect(codes(ind({}))).toEqual([]);
  expect(codes(commercial({}))).toEqual([]);
  expect(codes(facility({}))).toEqual([]);
  expect(codes(read('base', [baseRecord(1)]))).toEqual([]);
});

describe('issue location', () => {
  it('carries form, sheet, Excel row, column letter, field title, parcelId and the value as found', () => {
    const r = read('industrial', [industrialRecord(1), industrialRecord(2, { uscc: ' 91110000600037341M ' })]);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({
      code: 'invalid-uscc', severity: 'error', form: 'industrial', sheet: '低效工业调查表', row: 3, column: 'C',
      field: '统一社会信用代码', parcelId: parcel(2), value: ' 91110000600037341M ',
    });
    expect(r.issues[0].message).toContain('校验位应为“L”');
    expect(r.issues[0].hint).toBeTruthy();
  });

  it('hasError is set by error-level issues only', () => {
    const r = read('industrial', [industrialRecord(1, { output: '3000万元' }), industrialRecord(2, { plotRatio: 2 }), industrialRecord(3, { landArea: -1 })]);
    expect(r.rows.map((x) => x.hasError)).toEqual([false, false, true]);
  });
});

describe('missing-value', () => {
  it('flags a blank required cell, and not a blank optional one', () => {
    const r = ind({ enterpriseName: '  ', output: null });
    expect(codes(r)).toEqual(['missing-value']);
    expect(r.issues[0]).toMatchObject({ field: '企业名称', column: 'B', row: 2 });
    expect(r.rows[0].hasError).toBe(true);
  });

  it('flags 停产起始日期 only when 经营状态 needs it', () => {
    for (const status of ['半停产', '停产', '闲置']) {
      const r = ind({ status, stopDate: null });
      expect(codes(r)).toEqual(['missing-value']);
      expect(r.issues[0].message).toContain(status);
    }
    expect(codes(ind({ status: '正常生产', stopDate: null }))).toEqual([]);
    expect(codes(ind({ status: '出租', stopDate: null }))).toEqual([]);
    expect(codes(ind({ status: '停产', stopDate: '2021-06-01' }))).toEqual([]);
  });

  it('flags 闲置起始日期 of a facility only when it is 闲置', () => {
    expect(codes(facility({ useStatus: '闲置' }))).toEqual(['missing-value']);
    expect(codes(facility({ useStatus: '低效使用' }))).toEqual([]);
  });
});

describe('out-of-range', () => {
  it('applies exclusive and inclusive lower bounds at the boundary', () => {
    expect(codes(ind({ landArea: 0, floorArea: 0, footprint: 0, plotRatio: null }))).toEqual(['out-of-range']); // 用地面积 > 0
    expect(codes(ind({ landArea: 0.01, floorArea: 0, footprint: 0, plotRatio: null }))).toEqual([]);
    expect(codes(ind({ floorArea: 0, plotRatio: 0 }))).toEqual([]); // 总建筑面积 ≥ 0
    expect(codes(ind({ floorArea: -1, plotRatio: null }))).toEqual(['out-of-range']);
    expect(codes(ind({ tax: '-5' }))).toEqual(['out-of-range']);
  });

  it('sets the value to null and names the allowed range', () => {
    const r = ind({ employees: -3 });
    expect(r.rows[0].values.employees).toBeNull();
    expect(r.issues[0].message).toContain('不小于0');
  });
});

describe('codes', () => {
  it('invalid-parcel-id for a malformed 宗地代码', () => {
    for (const bad of ['120102001002XB00001', '12010200100', 120102001002, '宗地1']) {
      const r = ind({ parcelId: bad });
      expect(codes(r)).toEqual(['invalid-parcel-id']);
      expect(r.rows[0].values.parcelId).toBeNull();
      expect(r.issues[0].parcelId).toBeNull();
    }
  });

  it('foreign-parcel for a well-formed code of another county, keeping the code', () => {
    const r = ind({ parcelId: '110101001002GB00001' });
    expect(codes(r)).toEqual(['foreign-parcel']);
    expect(r.issues[0]).toMatchObject({ severity: 'error', parcelId: '110101001002GB00001' });
    expect(r.issues[0].message).toContain('120102');
    const other = read('industrial', [industrialRecord(1, { parcelId: '110101001002GB00001' })], parseRuleSet({ ...rs, countyCode: '110101' }));
    expect(codes(other)).toEqual([]);
  });

  it('invalid-uscc with the reason, also for a code typed as a number', () => {
    expect(codes(ind({ uscc: '91110000600037341' }))).toEqual(['invalid-uscc']);
    expect(codes(ind({ uscc: '9111000060003734OL' }))).toEqual(['invalid-uscc']);
    const num = ind({ uscc: 911100006000373400 });
    expect(num.issues[0].message).toContain('数值格式');
    expect(codes(ind({ uscc: '91350100M000100Y43' }))).toEqual([]);
  });

  it('invalid-industry-code for a 大类 outside 01–97 or a wrong length', () => {
    for (const bad of ['9811', '0011', '33111', 'C331']) expect(codes(ind({ industryCode: bad }))).toEqual(['invalid-industry-code']);
    expect(codes(ind({ industryCode: '9711' }))).toEqual([]);
  });
});

describe('duplicate-key', () => {
  it('keeps the first row of a key and flags each later one with the first row number', () => {
    const r = read('industrial', [industrialRecord(1), industrialRecord(2), industrialRecord(1, { enterpriseName: '另一名称' }), industrialRecord(1)]);
    const dups = r.issues.filter((i) => i.code === 'duplicate-key');
    expect(dups.map((i) => i.row)).toEqual([4, 5]);
    expect(dups[0].message).toContain('第2行');
    expect(dups[0].severity).toBe('error');
    expect(r.rows.map((x) => x.hasError)).toEqual([false, false, true, true]);
  });

  it('keys industrial rows by parcel + USCC: one enterprise on two parcels, two enterprises on one parcel are fine', () => {
    const r = read('industrial', [
      industrialRecord(1),
      industrialRecord(1, { parcelId: parcel(2) }),
      industrialRecord(3, { parcelId: parcel(1) }),
    ]);
    expect(codes(r)).toEqual([]);
  });

  it('finds a duplicate of a non-first enterprise of a parcel', () => {
    const r = read('industrial', [industrialRecord(1), industrialRecord(3, { parcelId: parcel(1) }), industrialRecord(3, { parcelId: parcel(1) })]);
    expect(r.issues.map((i) => [i.code, i.row])).toEqual([['duplicate-key', 4]]);
    expect(r.issues[0].message).toContain('第3行');
  });

  it('keys tax rows by USCC + year: 2021 beside 2022 is no duplicate (the 2021 row is other-year)', () => {
    const u = validUscc(7);
    const r = read('tax', [
      { uscc: u, enterpriseName: '甲', year: 2022, taxTotal: 10 },
      { uscc: u, enterpriseName: '甲', year: 2021, taxTotal: 9 },
      { uscc: u, enterpriseName: '甲', year: '2022年', taxTotal: 11 },
    ]);
    expect(r.issues.map((i) => [i.code, i.row])).toEqual([['other-year', 3], ['normalized-value', 4], ['duplicate-key', 4]]);
  });

  it('keys base rows by parcel alone: a parcel listed again further down is flagged with its first row', () => {
    const r = read('base', [baseRecord(1), baseRecord(2), baseRecord(1, { location: '另一坐落' }), baseRecord(3)]);
    // header on row 1: the data rows are rows 2–5
    expect(r.issues.map((i) => [i.code, i.row])).toEqual([['duplicate-key', 4]]);
    expect(r.issues[0].message).toContain('第2行');
    expect(r.rows.map((x) => x.hasError)).toEqual([false, false, true, false]);
  });

  it('finds a duplicate whether or not the rows of a parcel come together', () => {
    const r = read('industrial', [
      industrialRecord(1),
      industrialRecord(2),
      industrialRecord(3, { parcelId: parcel(1) }), // parcel 1 again, after another parcel
      industrialRecord(3, { parcelId: parcel(1) }), // right after the row it repeats
      industrialRecord(2, { parcelId: parcel(1) }), // enterprise 2 is on parcel 2, not on parcel 1
      industrialRecord(1, { enterpriseName: '改名' }), // parcel 1 + enterprise 1 again
    ]);
    expect(r.issues.filter((i) => i.code === 'duplicate-key').map((i) => [i.row, i.message.match(/第(\d+)行/)![1]])).toEqual([
      [5, '4'], // rows 2–7: row 5 repeats row 4
      [7, '2'], // row 7 repeats row 2
    ]);
  });

  it('compares normalised keys (case and spaces of a USCC do not hide a duplicate)', () => {
    const r = read('industrial', [industrialRecord(1, { uscc: '91110000600037341L' }), industrialRecord(1, { uscc: '91110000600037341l ' })]);
    expect(r.issues.filter((i) => i.code === 'duplicate-key').map((i) => i.row)).toEqual([3]);
  });
});

describe('other-year', () => {
  it('marks tax and output rows of another year as unused, with an info, not an error', () => {
    const r = read('output', [
      { uscc: validUscc(1), enterpriseName: '甲', year: 2021, output: 100 },
      { uscc: validUscc(2), enterpriseName: '乙', year: 2022, output: 100 },
    ]);
    expect(r.issues.map((i) => [i.code, i.severity, i.row])).toEqual([['other-year', 'info', 2]]);
    expect(r.rows.map((x) => [x.hasError, x.unused])).toEqual([[false, 'other-year'], [false, undefined]]);
  });
});

describe('row consistency', () => {
  it('inconsistent-plot-ratio beyond the rule-set tolerance (relative), not at or within it', () => {
    // 8000 / 10000 = 0.8; 5% of 0.8 = 0.04
    expect(codes(ind({ plotRatio: 0.84 }))).toEqual([]);
    expect(codes(ind({ plotRatio: 0.76 }))).toEqual([]);
    const r = ind({ plotRatio: 0.85 });
    expect(codes(r)).toEqual(['inconsistent-plot-ratio']);
    expect(r.issues[0]).toMatchObject({ severity: 'warning', field: '容积率', value: '0.85' });
    expect(r.rows[0].hasError).toBe(false);
    expect(codes(ind({ plotRatio: 0.85 }, parseRuleSet({ ...rs, thresholds: { ...rs.thresholds, plotRatioTolerance: 0.1 } })))).toEqual([]);
    expect(codes(ind({ plotRatio: null }))).toEqual([]);
  });

  it('footprint-exceeds-land when 建筑基底面积 > 用地面积 only', () => {
    expect(codes(ind({ footprint: 10000, floorArea: 10000, plotRatio: 1 }))).toEqual([]);
    const r = ind({ footprint: 10001, floorArea: 10001, plotRatio: null });
    expect(codes(r)).toEqual(['footprint-exceeds-land']);
    expect(r.issues[0]).toMatchObject({ column: 'G', severity: 'error' });
    expect(r.rows[0].hasError).toBe(true);
  });

  it('vacancy-exceeds-floor-area when 空置面积 > 总建筑面积 only', () => {
    expect(codes(commercial({ vacantArea: 1000 }))).toEqual([]);
    expect(codes(commercial({ vacantArea: 1000.5 }))).toEqual(['vacancy-exceeds-floor-area']);
  });

  it('date-after-evaluation on 停产起始日期, 闲置起始日期 and 用地发生时间, not on 约定动工日期', () => {
    expect(codes(ind({ status: '停产', stopDate: '2022-12-31' }))).toEqual([]);
    const r = ind({ status: '停产', stopDate: '2023-01-01' });
    expect(codes(r)).toEqual(['date-after-evaluation']);
    expect(r.issues[0].severity).toBe('warning');
    expect(codes(facility({ useStatus: '闲置', idleDate: '2023-05-01' }))).toEqual(['date-after-evaluation']);
    expect(codes(read('base', [baseRecord(1, { landProcedures: '不全', occurrenceDate: '2024-01-01' })]))).toEqual(['date-after-evaluation']);
    expect(codes(read('base', [baseRecord(1, { agreedStartDate: '2025-06-30' })]))).toEqual([]);
  });

  it('missing-occurrence-date (not missing-value) for 用地手续 不全/无 without 用地发生时间, on the base row', () => {
    for (const proc of ['不全', '无']) {
      const r = read('base', [baseRecord(1, { landProcedures: proc })]);
      expect(codes(r)).toEqual(['missing-occurrence-date']);
      expect(r.issues[0]).toMatchObject({ row: 2, column: 'L', parcelId: parcel(1), value: proc, severity: 'error' });
    }
    expect(codes(read('base', [baseRecord(1, { landProcedures: '齐全' })]))).toEqual([]);
    expect(codes(read('base', [baseRecord(1, { landProcedures: '不全', occurrenceDate: '1995-05-01' })]))).toEqual([]);
    // an unreadable date is a type-error, not also a missing date
    expect(codes(read('base', [baseRecord(1, { landProcedures: '无', occurrenceDate: '很久以前' })]))).toEqual(['type-error']);
  });
});

describe('severity overrides of the rule set', () => {
  it('change the severity, and hasError follows the new severity', () => {
    const custom = parseRuleSet({ ...rs, severities: { 'footprint-exceeds-land': 'warning', 'inconsistent-plot-ratio': 'error' } });
    const a = ind({ footprint: 10001, floorArea: 10001, plotRatio: null }, custom);
    expect(a.issues[0].severity).toBe('warning');
    expect(a.rows[0].hasError).toBe(false);
    const b = ind({ plotRatio: 2 }, custom);
    expect(b.issues[0].severity).toBe('error');
    expect(b.rows[0].hasError).toBe(true);
  });

  it('apply to sheet-level issues too', () => {
    const custom = parseRuleSet({ ...rs, severities: { 'unknown-column': 'info' } });
    const r = readForm(formSheet('industrial', [industrialRecord(1)], { extraColumns: ['备用'] }), 'industrial', { file: 't', ruleSet: custom });
    expect(r.issues.map((i) => [i.code, i.severity])).toEqual([['unknown-column', 'info']]);
  });
});
