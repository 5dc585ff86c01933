/** Normalisation of cell values per field type (domain.md §3). */
import type { CellValue } from '../../shared/grid';
import { readForm } from '../../shared/read';
import { defaultRuleSet } from '../../shared/rules';
import type { FormId } from '../../shared/forms';
import { baseRecord, formSheet, industrialRecord, validUscc } from '../helpers/grid';

const rs = defaultRuleSet(); // evaluation date 2022-12-31

function read(formId: FormId, records: Record<string, CellValue>[]) {
  return readForm(formSheet(formId, records), formId, { file: 't.xlsx', ruleSet: rs });
}

/** Reads one industrial row with `over` and returns the value of `key` and the issues on that column. */
function industrial(key: string, raw: CellValue, extra: Record<string, CellValue> = {}) {
  const r = read('industrial', [industrialRecord(1, { [key]: raw, ...extra })]);
  const col = r.columns[key];
  return { value: r.rows[0].values[key], issues: r.issues.filter((i) => i.column === col), row: r.rows[0] };
}

const codes = (issues: { code: string }[]) => issues.map((i) => i.code);

describe('numbers', () => {
  it.each([
    ['1,234.5', 1234.5],
    ['１２３４．５', 1234.5],
    ['1，234', 1234],
    ['8 000', 8000],
  ])('reads %p as %p with an info saying so', (raw, expected) => {
    const { value, issues } = industrial('floorArea', raw);
    expect(value).toBe(expected);
    expect(codes(issues)).toEqual(['normalized-value']);
    expect(issues[0].severity).toBe('info');
    expect(issues[0].value).toBe(raw);
  });

  it('reads plain numeric text and trims spaces without an issue', () => {
    expect(industrial('floorArea', '8000')).toMatchObject({ value: 8000, issues: [] });
    expect(industrial('floorArea', '  8000.5 ')).toMatchObject({ value: 8000.5, issues: [] });
  });

  it('converts 亩 and 公顷 in an area cell to m² (1 亩 = 10000/15 m²)', () => {
    const mu = industrial('landArea', '12.5亩', { floorArea: 0, footprint: 0, plotRatio: null });
    expect(mu.value).toBeCloseTo(12.5 * 10000 / 15, 9);
    expect(mu.issues[0].code).toBe('normalized-value');
    expect(mu.issues[0].message).toContain('8333.33㎡');
    expect(industrial('landArea', '0.8公顷').value).toBeCloseTo(8000, 9);
    expect(industrial('landArea', '10000平方米').value).toBe(10000);
    expect(industrial('landArea', '10000 m²').value).toBe(10000);
    expect(industrial('landArea', '1.2万平方米').value).toBeCloseTo(12000, 9);
    expect(industrial('landArea', '1.2万').value).toBeCloseTo(12000, 9);
  });

  it('reads money in 万元, converting 元', () => {
    expect(industrial('tax', '35万元').value).toBe(35);
    expect(industrial('tax', '350000元').value).toBeCloseTo(35, 9);
    expect(industrial('tax', '35万元').issues[0].code).toBe('normalized-value');
  });

  it('reads a percentage into a ratio field (容积率 80% = 0.8)', () => {
    expect(industrial('plotRatio', '80%')).toMatchObject({ value: 0.8 });
  });

  it('reads counts with their unit word', () => {
    expect(industrial('employees', '30人').value).toBe(30);
    expect(industrial('employees', '１２３').value).toBe(123);
  });

  it('gives a type-error and null for what is not a number', () => {
    for (const raw of ['约一万', 'abc', '12斤', '1.2.3', true, new Date(Date.UTC(2021, 0, 1))] as CellValue[]) {
      const { value, issues, row } = industrial('output', raw);
      expect(value).toBeNull();
      expect(codes(issues)).toEqual(['type-error']);
      expect(row.hasError).toBe(true);
    }
  });

  it('requires whole numbers for integer fields', () => {
    expect(codes(industrial('employees', 12.5).issues)).toEqual(['type-error']);
    expect(industrial('employees', '12.5').value).toBeNull();
    expect(industrial('employees', 12).issues).toEqual([]);
  });

  it('keeps a unit that does not fit the field out (亩 in a money column)', () => {
    expect(codes(industrial('tax', '3亩').issues)).toEqual(['type-error']);
  });
});

describe('dates', () => {
  const stop = (raw: CellValue) => industrial('stopDate', raw, { status: '停产' });

  it('reads Excel serials of the 1900 date system, including the fictitious 1900-02-29', () => {
    expect(stop(44256)).toMatchObject({ value: '2021-03-01', issues: [] }); // 2021-01-01 is 44197
    expect(stop(44197.75).value).toBe('2021-01-01'); // time of day dropped
    expect(stop(1).value).toBe('1900-01-01');
    expect(stop(59).value).toBe('1900-02-28');
    expect(stop(61).value).toBe('1900-03-01');
    expect(codes(stop(60).issues)).toEqual(['type-error']);
  });

  it('reads date cells (UTC midnight, also when a few ms early)', () => {
    expect(stop(new Date(Date.UTC(2021, 2, 5)))).toMatchObject({ value: '2021-03-05', issues: [] });
    expect(stop(new Date(Date.UTC(2021, 2, 5) - 1)).value).toBe('2021-03-05');
  });

  it.each([
    ['2021-3-5', '2021-03-05'],
    ['2021/03/05', '2021-03-05'],
    ['2021.3.5', '2021-03-05'],
    ['2021年3月5日', '2021-03-05'],
    ['２０２１年３月５日', '2021-03-05'],
    ['2021.3', '2021-03-01'],
    ['2021年3月', '2021-03-01'],
    ['20210305', '2021-03-05'],
    ['2021-03-05 00:00:00', '2021-03-05'],
  ])('reads %p as %p with an info', (raw, iso) => {
    const { value, issues } = stop(raw);
    expect(value).toBe(iso);
    expect(codes(issues)).toEqual(['normalized-value']);
  });

  it('reads an ISO date without an issue', () => {
    expect(stop('2021-03-05')).toMatchObject({ value: '2021-03-05', issues: [] });
    expect(stop(' 2021-03-05 ')).toMatchObject({ value: '2021-03-05', issues: [] });
  });

  it('reads 2021.3 typed as a number as March 2021', () => {
    expect(stop(2021.3)).toMatchObject({ value: '2021-03-01' });
    expect(codes(stop(2021.3).issues)).toEqual(['normalized-value']);
  });

  it('rejects impossible and unreadable dates', () => {
    for (const raw of ['2021-02-30', '2021-13-01', '三月份', '21-3-5', '2021-03-05 上午']) {
      const { value, issues } = stop(raw);
      expect(value).toBeNull();
      expect(codes(issues)).toEqual(['type-error']);
    }
  });
});

describe('years', () => {
  const taxRow = (year: CellValue) => {
    const r = read('tax', [{ uscc: validUscc(1), enterpriseName: '甲公司', year, taxTotal: 10 }]);
    return { value: r.rows[0].values.year, issues: r.issues.filter((i) => i.column === r.columns.year && i.code !== 'other-year') };
  };

  it('reads numbers, text, 2022年 and the year of a date', () => {
    expect(taxRow(2022)).toEqual({ value: 2022, issues: [] });
    expect(taxRow('2022')).toEqual({ value: 2022, issues: [] });
    expect(taxRow('2022年').value).toBe(2022);
    expect(codes(taxRow('2022年').issues)).toEqual(['normalized-value']);
    expect(taxRow('2022年度').value).toBe(2022);
    expect(taxRow(new Date(Date.UTC(2022, 5, 1))).value).toBe(2022);
    expect(taxRow('2022-06-01').value).toBe(2022);
    expect(taxRow(44713).value).toBe(2022); // a date cell given as a serial
  });

  it('rejects what is not a year', () => {
    expect(codes(taxRow('22').issues)).toEqual(['type-error']);
    expect(codes(taxRow('去年').issues)).toEqual(['type-error']);
  });

  it('bounds 建成年份 by 1900 and the evaluation year', () => {
    const built = (y: CellValue) => {
      const r = read('commercial', [{ parcelId: '120102001002GB00001', buildingName: 'A座', street: '大王庄街道', builtYear: y, floorArea: 1000, vacantArea: 0 }]);
      return codes(r.issues);
    };
    expect(built(1900)).toEqual([]);
    expect(built(2022)).toEqual([]);
    expect(built(1899)).toEqual(['out-of-range']);
    expect(built(2023)).toEqual(['out-of-range']);
  });
});

describe('是/否', () => {
  it.each([
    ['是', true, false], ['否', false, false], [true, true, false], [false, false, false],
    ['Y', true, true], ['n', false, true], ['√', true, true], ['×', false, true],
    ['1', true, true], ['0', false, true], [1, true, true], [0, false, true], ['true', true, true], ['FALSE', false, true],
  ] as [CellValue, boolean, boolean][])('reads %p as %p', (raw, value, info) => {
    const r = industrial('obsolete', raw);
    expect(r.value).toBe(value);
    expect(codes(r.issues)).toEqual(info ? ['normalized-value'] : []);
  });

  it('rejects other words', () => {
    const r = industrial('obsolete', '不清楚');
    expect(r.value).toBeNull();
    expect(codes(r.issues)).toEqual(['invalid-enum']);
    expect(r.issues[0].message).toContain('是/否');
  });
});

describe('enumerations', () => {
  it('accepts the exact value and trims outer spaces silently', () => {
    expect(industrial('status', '停产', { stopDate: '2021-01-01' })).toMatchObject({ value: '停产', issues: [] });
    expect(industrial('status', ' 停产 ', { stopDate: '2021-01-01' })).toMatchObject({ value: '停产', issues: [] });
  });

  it('tolerates stray inner spaces, full-width letters and case, with an info', () => {
    const s = industrial('status', '停　产', { stopDate: '2021-01-01' });
    expect(s.value).toBe('停产');
    expect(codes(s.issues)).toEqual(['normalized-value']);
    const grade = read('commercial', [{ parcelId: '120102001002GB00001', buildingName: 'A座', street: '大王庄街道', floorArea: 10, vacantArea: 0, dangerGrade: 'ｃ' }]);
    expect(grade.rows[0].values.dangerGrade).toBe('C');
  });

  it('restores the leading zero of a land-use code typed as a number', () => {
    const r = read('base', [baseRecord(1, { landUseCode: 601 }), baseRecord(2, { landUseCode: '05h1' }), baseRecord(3, { landUseCode: 9 })]);
    expect(r.rows.map((x) => x.values.landUseCode)).toEqual(['0601', '05H1', '09']);
    expect(codes(r.issues)).toEqual(['normalized-value', 'normalized-value', 'normalized-value']);
  });

  it('rejects a value that is not an option, listing the options', () => {
    const r = industrial('status', '倒闭');
    expect(r.value).toBeNull();
    expect(codes(r.issues)).toEqual(['invalid-enum']);
    expect(r.issues[0].message).toContain('正常生产/半停产/停产/闲置/出租');
  });
});

describe('text and codes', () => {
  it('turns numbers into text without losing digits or adding .0', () => {
    expect(industrial('enterpriseName', 12345678).value).toBe('12345678');
    expect(industrial('enterpriseName', 1e21).value).toBe('1000000000000000000000');
    expect(industrial('enterpriseName', 2.5).value).toBe('2.5');
  });

  it('keeps text that merely looks like a formula as text', () => {
    const r = industrial('problemDesc', '=厂房闲置，需盘活');
    expect(r).toMatchObject({ value: '=厂房闲置，需盘活', issues: [] });
  });

  it('turns an Excel error value into formula-error and null', () => {
    for (const key of ['output', 'enterpriseName', 'stopDate', 'status']) {
      const r = industrial(key, { error: '#N/A' });
      expect(r.value).toBeNull();
      expect(codes(r.issues)).toEqual(['formula-error']);
      expect(r.issues[0].value).toBe('#N/A');
      expect(r.row.hasError).toBe(true);
    }
  });

  it('normalises 统一社会信用代码 case, spaces and full-width characters with an info', () => {
    for (const raw of ['91110000600037341l', ' 9111 0000 6000 3734 1L', '９１１１００００６０００３７３４１Ｌ']) {
      const r = industrial('uscc', raw);
      expect(r.value).toBe('91110000600037341L');
      expect(codes(r.issues)).toEqual(['normalized-value']);
    }
    expect(industrial('uscc', '91110000600037341L').issues).toEqual([]);
  });

  it('normalises 宗地代码 case and inner spaces', () => {
    const r = industrial('parcelId', '120102 001002 gb00001');
    expect(r.value).toBe('120102001002GB00001');
    expect(codes(r.issues)).toEqual(['normalized-value']);
  });

  it('reads a 4-digit industry code typed as a number, restoring a lost leading zero', () => {
    expect(industrial('industryCode', 3311)).toMatchObject({ value: '3311', issues: [] });
    const r = industrial('industryCode', 611);
    expect(r.value).toBe('0611');
    expect(codes(r.issues)).toEqual(['normalized-value']);
  });

  it('reads 行业大类 as two digits or 商办', () => {
    const r = read('taxBenchmark', [
      { industryClass: 33, taxPerMu: 20 },
      { industryClass: 6, taxPerMu: 20 },
      { industryClass: '商办', taxPerMu: 30 },
      { industryClass: '99', taxPerMu: 30 },
      { industryClass: '331', taxPerMu: 30 },
    ]);
    expect(r.rows.map((x) => x.values.industryClass)).toEqual(['33', '06', '商办', null, null]);
    expect(codes(r.issues)).toEqual(['normalized-value', 'invalid-industry-code', 'invalid-industry-code']);
  });
});

describe('placeholders for "nothing" and error values typed as text', () => {
  it('reads /, -, —, 无 in a non-text field as blank with an info', () => {
    for (const raw of ['/', '-', '—', '无', 'N/A', '／']) {
      const r = industrial('stopDate', raw, { status: '正常生产' });
      expect(r.value).toBeNull();
      expect(codes(r.issues)).toEqual(['normalized-value']);
      expect(r.issues[0].message).toContain('空白');
      expect(r.row.hasError).toBe(false);
    }
    expect(industrial('tax', '-').value).toBeNull();
    expect(industrial('obsolete', '/').value).toBeNull();
  });

  it('gives missing-value (not an info) when the field must be filled', () => {
    const req = industrial('uscc', '/');
    expect(codes(req.issues)).toEqual(['missing-value']);
    expect(req.issues[0].value).toBe('/');
    const when = industrial('stopDate', '无', { status: '停产' });
    expect(codes(when.issues)).toEqual(['missing-value']);
  });

  it('keeps 无 where it is an option or text', () => {
    expect(industrial('problemType', '无')).toMatchObject({ value: '无', issues: [] });
    expect(industrial('problemDesc', '无')).toMatchObject({ value: '无', issues: [] });
  });

  it('treats Excel error values that arrive as text as formula errors', () => {
    const r = industrial('output', '#DIV/0!');
    expect(r.value).toBeNull();
    expect(codes(r.issues)).toEqual(['formula-error']);
    expect(codes(industrial('industryCode', '#N/A').issues)).toEqual(['formula-error']);
    expect(codes(industrial('enterpriseName', '#REF!').issues)).toEqual(['formula-error']);
    expect(industrial('problemDesc', '#3号厂房闲置')).toMatchObject({ value: '#3号厂房闲置', issues: [] });
  });
});
