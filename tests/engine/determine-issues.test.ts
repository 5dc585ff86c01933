/**
 * Cross-form issues, historic land (§6), errors and unused rows (§8.1, §8.15, §8.16), conservation,
 * rule-set overrides, issue order and crossCheck.
 */
import { consolidate, crossCheck } from '../../shared/determine';
import { defaultRuleSet } from '../../shared/rules';
import type { Consolidation, FormRead, ParcelDetail } from '../../shared/types';
import { baseRow, comRow, facRow, formRead, houRow, indRow, outputRow, pid, ruleSet, taxRow, uscc } from '../helpers/reads';

const RS = defaultRuleSet();

function parcel(c: Consolidation, n: number): ParcelDetail | undefined {
  return c.details.find((x) => x.parcelId === pid(n));
}

/** Every row that is not used must have at least one issue on it (conservation, §7). */
function expectConserved(c: Consolidation, reads: FormRead[]): void {
  expect(c.conservation).toHaveLength(reads.length);
  reads.forEach((r, i) => {
    const k = c.conservation[i];
    expect(k.rowsIn).toBe(r.rows.length);
    expect(k.rowsUsed + k.rowsIssueOnly).toBe(k.rowsIn);
    expect(c.result.inputs[i]).toEqual({ file: r.file, sheet: r.sheet, form: r.form, rows: r.rows.length, issueRows: k.rowsIssueOnly });
  });
}

describe('cross-form issue codes', () => {
  test('parcel-not-in-base: a survey row on a parcel the base does not have is an error and not used', () => {
    const reads = [formRead('base', [baseRow(1)]), formRead('industrial', [indRow(1, 1), indRow(99, 2)])];
    const c = consolidate(reads, RS);
    const is = c.issues.filter((i) => i.code === 'parcel-not-in-base');
    expect(is).toHaveLength(1);
    expect(is[0]).toMatchObject({ severity: 'error', form: 'industrial', row: 4, column: 'A', field: '宗地代码', parcelId: pid(99), value: pid(99) });
    expect(c.conservation[1]).toMatchObject({ rowsUsed: 1, rowsIssueOnly: 1 });
    expectConserved(c, reads);
  });

  test('a foreign parcel (the reader\'s error) does not also get parcel-not-in-base', () => {
    const foreign = '120103001002GB00001';
    const reads = [formRead('base', [baseRow(1)]), formRead('industrial', [indRow(1, 1, { parcelId: foreign, $issues: [{ code: 'foreign-parcel', field: 'parcelId', value: foreign }] })])];
    const c = consolidate(reads, RS);
    expect(c.issues.map((i) => i.code)).toEqual(['foreign-parcel']);
    expect(c.conservation[1]).toMatchObject({ rowsUsed: 0, rowsIssueOnly: 1 });
  });

  test('§8.1: a base row with an error leaves that parcel out; survey rows pointing at it get parcel-not-in-base', () => {
    const reads = [
      formRead('base', [baseRow(1), baseRow(2, { owner: null, $issues: [{ code: 'missing-value', field: 'owner' }] })]),
      formRead('commercial', [comRow(2, 'A座')]),
      formRead('housing', [houRow(2, '某村', { housingType: '城中村' })]),
    ];
    const c = consolidate(reads, RS);
    expect(c.result.parcels.map((p) => p.parcelId)).toEqual([pid(1)]);
    const nib = c.issues.filter((i) => i.code === 'parcel-not-in-base');
    expect(nib.map((i) => i.form)).toEqual(['commercial', 'housing']);
    expect(nib[0].message).toContain('有错误');
    expect(c.conservation[0]).toMatchObject({ rowsUsed: 1, rowsIssueOnly: 1 });
    expectConserved(c, reads);
  });

  test('category-mismatch (§8.15): industrial on 05H1, commercial on 0601, facility on 0601; housing anywhere', () => {
    const reads = [
      formRead('base', [baseRow(1, { landUseCode: '05H1' }), baseRow(2)]),
      formRead('industrial', [indRow(1, 1)]),
      formRead('commercial', [comRow(2, 'A座')]),
      formRead('facility', [facRow(2, '泵站')]),
      formRead('housing', [houRow(2, '小区')]),
    ];
    const c = consolidate(reads, RS);
    const cm = c.issues.filter((i) => i.code === 'category-mismatch');
    expect(cm.map((i) => [i.form, i.parcelId, i.severity])).toEqual([
      ['industrial', pid(1), 'warning'],
      ['commercial', pid(2), 'warning'],
      ['facility', pid(2), 'warning'],
    ]);
    expect(cm[0].value).toBe('05H1');
    expect(cm[0].message).toContain('工业');
    // the mismatched rows are not used: parcel 1 (商办) has no building → 待核实 survey; parcel 2 (工业) likewise
    expect(parcel(c, 1)!.missing).toEqual(['survey']);
    expect(parcel(c, 2)!.missing).toEqual(['survey']);
    expect(parcel(c, 2)!.units.map((u) => u.form)).toEqual(['housing']);
    expect(c.conservation.map((k) => k.rowsIssueOnly)).toEqual([0, 1, 1, 1, 0]);
    expectConserved(c, reads);
  });

  test('area-mismatch: Σ 用地面积 6 % off the base area is a parcel-level warning; 4 % is not', () => {
    const reads = [
      formRead('base', [baseRow(1), baseRow(2)]),
      formRead('industrial', [indRow(1, 1, { landArea: 5000 }), indRow(1, 2, { landArea: 4400 }), indRow(2, 3, { landArea: 9600 })]),
    ];
    const c = consolidate(reads, RS);
    const am = c.issues.filter((i) => i.code === 'area-mismatch');
    expect(am).toHaveLength(1);
    expect(am[0]).toMatchObject({ severity: 'warning', form: 'industrial', row: null, parcelId: pid(1), value: '9400', field: '用地面积(㎡)' });
    expect(am[0].message).toContain('10000');
    // a warning does not drop rows
    expect(c.conservation[1].rowsUsed).toBe(3);
  });

  test('missing-reference: once per industrial row in use per missing kind, value tax / output', () => {
    const reads = [
      formRead('base', [baseRow(1), baseRow(2)]),
      formRead('industrial', [indRow(1, 1, { landArea: 5000 }), indRow(1, 2, { landArea: 5000 }), indRow(2, 1)]),
      formRead('tax', [taxRow(1, 10)]),
      formRead('output', [outputRow(2, 10)]),
    ];
    const c = consolidate(reads, RS);
    const mr = c.issues.filter((i) => i.code === 'missing-reference').map((i) => [i.row, i.value, i.severity]);
    // rows 3 and 5 are enterprise 1 (tax known, output missing); row 4 is enterprise 2 (tax missing)
    expect(mr).toEqual([
      [3, 'output', 'info'],
      [4, 'tax', 'info'],
      [5, 'output', 'info'],
    ]);
    expect(c.issues.find((i) => i.code === 'missing-reference')!.message).toContain(uscc(1));
  });

  test('post-survey-illegal-use sits on the base row of a post-2019 parcel', () => {
    const reads = [formRead('base', [baseRow(1, { landProcedures: '无', occurrenceDate: '2020-01-01' })])];
    const c = consolidate(reads, RS);
    const is = c.issues.filter((i) => i.code === 'post-survey-illegal-use');
    expect(is).toHaveLength(1);
    expect(is[0]).toMatchObject({ severity: 'warning', form: 'base', row: 3, parcelId: pid(1), value: '2020-01-01', field: '用地发生时间' });
  });

  test('duplicate-key across two workbooks of one form: the first wins, the later one is an error', () => {
    const reads = [
      formRead('base', [baseRow(1), baseRow(2)], { file: 'base-part1.xlsx' }),
      formRead('base', [baseRow(2, { landArea: 5 }), baseRow(3)], { file: 'base-part2.xlsx' }),
    ];
    const c = consolidate(reads, RS);
    expect(c.result.parcels.map((p) => [p.parcelId, p.landArea])).toEqual([
      [pid(1), 10000],
      [pid(2), 10000],
      [pid(3), 10000],
    ]);
    const dk = c.issues.filter((i) => i.code === 'duplicate-key');
    expect(dk).toHaveLength(1);
    expect(dk[0]).toMatchObject({ severity: 'error', row: 3, sheet: '地块底图表', value: pid(2) });
    expect(dk[0].message).toMatch(/^与“base-part1\.xlsx”第4行重复（/);
    expectConserved(c, reads);
    // another sheet of the same workbook is named by its sheet
    const sheets = [formRead('base', [baseRow(1)], { file: 'b.xlsx', sheet: '一街' }), formRead('base', [baseRow(1)], { file: 'b.xlsx', sheet: '二街' })];
    expect(consolidate(sheets, RS).issues.find((i) => i.code === 'duplicate-key')!.message).toMatch(/^与工作表“一街”第3行重复（/);
  });

  test('a duplicate the reader already flagged is not raised twice', () => {
    const reads = [
      formRead('base', [baseRow(1)]),
      formRead('industrial', [indRow(1, 1), indRow(1, 1, { $issues: [{ code: 'duplicate-key', field: 'parcelId' }] })]),
    ];
    const c = consolidate(reads, RS);
    expect(c.issues.filter((i) => i.code === 'duplicate-key')).toHaveLength(1);
    expect(c.conservation[1]).toMatchObject({ rowsUsed: 1, rowsIssueOnly: 1 });
  });
});

describe('§8.1 an error drops the row, not the parcel', () => {
  test('the parcel is determined from its remaining valid rows', () => {
    const reads = [
      formRead('base', [baseRow(1)]),
      formRead('industrial', [
        indRow(1, 1, { landArea: 5000, floorArea: 2000, $issues: [{ code: 'invalid-uscc', field: 'uscc' }] }),
        indRow(1, 2, { landArea: 5000, floorArea: 9000, footprint: 4000 }),
      ]),
    ];
    const d = parcel(consolidate(reads, RS), 1)!;
    expect(d.plotRatio).toBe(0.9);
    expect(d.units.map((u) => u.name)).toEqual(['企业2']);
  });
  test('a parcel whose only survey row has an error is 待核实 survey', () => {
    const reads = [formRead('base', [baseRow(1)]), formRead('industrial', [indRow(1, 1, { $issues: [{ code: 'missing-value', field: 'status' }] })])];
    const d = parcel(consolidate(reads, RS), 1)!;
    expect(d.result).toBe('待核实');
    expect(d.missing).toEqual(['survey']);
  });
  test('… unless a RES rule hits anyway', () => {
    const reads = [
      formRead('base', [baseRow(1)]),
      formRead('industrial', [indRow(1, 1, { $issues: [{ code: 'missing-value', field: 'status' }] })]),
      formRead('housing', [houRow(1, '某片', { housingType: '棚户区' })]),
    ];
    const d = parcel(consolidate(reads, RS), 1)!;
    expect(d.result).toBe('低效');
    expect(d.hits).toEqual(['RES-VILLAGE']);
    expect(d.missing).toEqual([]);
  });
});

describe('historic land (§6)', () => {
  const at = (date: string | null, proc = '不全') => {
    const issues = date === null ? [{ code: 'missing-occurrence-date' as const, field: 'occurrenceDate', value: proc }] : [];
    return consolidate([formRead('base', [baseRow(1, { landProcedures: proc, occurrenceDate: date, $issues: issues })])], RS);
  };
  test.each([
    ['1986-12-31', 'pre-1987'],
    ['1987-01-01', '1987-1998'],
    ['1998-12-31', '1987-1998'],
    ['1999-01-01', '1999-2009'],
    ['2009-12-31', '1999-2009'],
    ['2010-01-01', '2010-2019'],
    ['2019-12-31', '2010-2019'],
    ['2020-01-01', 'post-2019'],
  ])('用地发生时间 %s → %s', (date, period) => {
    const c = at(date);
    expect(c.result.historic).toEqual([{ parcelId: pid(1), period }]);
    expect(parcel(c, 1)!.historicPeriod).toBe(period);
    expect(c.issues.some((i) => i.code === 'post-survey-illegal-use')).toBe(period === 'post-2019');
  });
  test('用地手续 无 is historic too; 齐全 is not', () => {
    expect(at('1990-05-01', '无').result.historic).toEqual([{ parcelId: pid(1), period: '1987-1998' }]);
    expect(at('1990-05-01', '齐全').result.historic).toEqual([]);
  });
  test('a missing date: not in historic, still determined, the reader\'s error kept once', () => {
    const c = at(null);
    expect(c.result.historic).toEqual([]);
    expect(c.result.parcels).toHaveLength(1);
    expect(parcel(c, 1)!.result).toBe('待核实');
    expect(c.issues.filter((i) => i.code === 'missing-occurrence-date')).toHaveLength(1);
    expect(c.conservation[0]).toMatchObject({ rowsUsed: 1, rowsIssueOnly: 0 });
  });
  test('a missing date the reader did not flag is flagged here', () => {
    const c = consolidate([formRead('base', [baseRow(1, { landProcedures: '不全' })])], RS);
    const is = c.issues.filter((i) => i.code === 'missing-occurrence-date');
    expect(is).toHaveLength(1);
    expect(is[0]).toMatchObject({ row: 3, severity: 'error', value: '不全', parcelId: pid(1) });
  });
  test('period bounds come from the rule set', () => {
    const rs = ruleSet({
      historicPeriods: [
        { id: 'pre-1987', before: '1987-01-01' },
        { id: '1987-1998', before: '1999-01-01' },
        { id: '1999-2009', before: '2010-01-01' },
        { id: '2010-2019', before: '2021-01-01' },
        { id: 'post-2019', before: null },
      ],
    });
    const c = consolidate([formRead('base', [baseRow(1, { landProcedures: '不全', occurrenceDate: '2020-06-01' })])], rs);
    expect(c.result.historic).toEqual([{ parcelId: pid(1), period: '2010-2019' }]);
    expect(c.issues).toEqual([]);
  });
});

describe('rule-set overrides', () => {
  const two = (rs = RS) =>
    consolidate(
      [
        formRead('base', [baseRow(1), baseRow(2)]),
        formRead('industrial', [indRow(1, 1, { floorArea: 7000 }), indRow(2, 2, { floorArea: 7000, industryCode: '2511' })]),
        formRead('tax', [taxRow(1, 150), taxRow(2, 150)]),
        formRead('output', [outputRow(1, 1500), outputRow(2, 1500)]),
      ],
      rs,
    );
  test('a per-大类 容积率 threshold applies to parcels whose main industry is that 大类', () => {
    const c = two(ruleSet({ industryOverrides: { '33': { plotRatio: 0.5 } } }));
    expect(parcel(c, 1)!.hits).toEqual([]);
    expect(parcel(c, 2)!.hits).toEqual(['IND-PLOT']);
    const def = two();
    expect(parcel(def, 1)!.hits).toEqual(['IND-PLOT']);
  });
  test('tolerances follow the main industry too: areaTolerance 10 % for 大类 33 silences a 6 % area-mismatch', () => {
    const reads = [formRead('base', [baseRow(1), baseRow(2)]), formRead('industrial', [indRow(1, 1, { landArea: 9400 }), indRow(2, 2, { landArea: 9400, industryCode: '2511' })])];
    const rs = ruleSet({ industryOverrides: { '33': { areaTolerance: 0.1 } } });
    expect(consolidate(reads, rs).issues.filter((i) => i.code === 'area-mismatch').map((i) => i.parcelId)).toEqual([pid(2)]);
  });
  test('a disabled rule never hits', () => {
    const rs = ruleSet({ rules: RS.rules.map((r) => (r.id === 'IND-PLOT' ? { ...r, enabled: false } : r)) });
    expect(parcel(two(rs), 1)!.result).toBe('非低效');
  });
  test('a disabled rule does not leave a parcel 待核实 for what it would have needed', () => {
    const reads = [formRead('base', [baseRow(1)]), formRead('industrial', [indRow(1, 1)])];
    expect(parcel(consolidate(reads, RS), 1)!.result).toBe('待核实');
    const rs = ruleSet({ rules: RS.rules.map((r) => (r.id === 'IND-TAX' || r.id === 'IND-OUTPUT' ? { ...r, enabled: false } : r)) });
    const d = parcel(consolidate(reads, rs), 1)!;
    expect(d.result).toBe('非低效');
    expect(d.missing).toEqual([]);
  });
  test('a severity override changes the severity of the engine\'s issues', () => {
    const reads = [formRead('base', [baseRow(1, { landUseCode: '05H1' })]), formRead('industrial', [indRow(1, 1)])];
    expect(consolidate(reads, RS).issues.find((i) => i.code === 'category-mismatch')!.severity).toBe('warning');
    const rs = ruleSet({ severities: { 'category-mismatch': 'error', 'missing-reference': 'warning' } });
    const c = consolidate(reads, rs);
    expect(c.issues.find((i) => i.code === 'category-mismatch')!.severity).toBe('error');
  });
  test('the evaluation date moves the “since one year” cut-off', () => {
    const reads = [formRead('base', [baseRow(1)]), formRead('industrial', [indRow(1, 1, { status: '停产', stopDate: '2022-06-01' })]), formRead('tax', [taxRow(1, 150, 2023)]), formRead('output', [outputRow(1, 1500, 2023)])];
    expect(parcel(consolidate(reads, RS), 1)!.hits).not.toContain('IND-STOP');
    expect(parcel(consolidate(reads, ruleSet({ evaluationDate: '2023-12-31' })), 1)!.hits).toContain('IND-STOP');
  });
});

describe('issue list order and shape', () => {
  test('sorted by file order, sheet, row; sheet/parcel-level first within a sheet; hints in issues, not in the result', () => {
    const ind = formRead('industrial', [indRow(1, 1), indRow(1, 2, { $issues: [{ code: 'invalid-uscc', field: 'uscc' }] }), indRow(9, 3)], { file: 'b.xlsx' });
    // the reader's sheet-level issue comes after its row issue in the reader's list
    ind.issues.push({ ...ind.issues[0], code: 'unknown-column', row: null, column: 'T', field: null, severity: 'warning' });
    const base = formRead('base', [baseRow(1, { landArea: 30000 })], { file: 'a.xlsx' });
    const c = consolidate([base, ind], RS);
    expect(c.issues.map((i) => [i.form, i.row, i.code])).toEqual([
      ['industrial', null, 'unknown-column'],
      ['industrial', null, 'area-mismatch'],
      ['industrial', 3, 'missing-reference'],
      ['industrial', 3, 'missing-reference'],
      ['industrial', 4, 'invalid-uscc'],
      ['industrial', 5, 'parcel-not-in-base'],
    ]);
    expect(c.issues.every((i) => typeof i.hint === 'string' && i.hint.length > 0)).toBe(true);
    expect(c.result.issues.every((i) => !('hint' in i))).toBe(true);
    expect(c.result.issues.map((i) => i.code)).toEqual(c.issues.map((i) => i.code));
    // given the other way round, the industrial file's issues still come in its file position
    const c2 = consolidate([ind, formRead('tax', [taxRow(7, 1, 2020)], { file: 'a.xlsx' }), base], RS);
    expect(c2.issues[c2.issues.length - 1].form).toBe('tax');
  });

  test('parcels come in base order, over several base parts in the order given', () => {
    const c = consolidate([formRead('base', [baseRow(5), baseRow(2)], { file: 'p1.xlsx' }), formRead('base', [baseRow(9), baseRow(1)], { file: 'p2.xlsx' })], RS);
    expect(c.result.parcels.map((p) => p.parcelId)).toEqual([pid(5), pid(2), pid(9), pid(1)]);
  });
});

describe('conservation over a mixed set', () => {
  test('rows in = rows used + rows only in the issue list, for every input, and every unused row has an issue', () => {
    const reads = [
      formRead('base', [baseRow(1), baseRow(2, { landUseCode: '05H1' }), baseRow(3, { landArea: null, $issues: [{ code: 'missing-value', field: 'landArea' }] })]),
      formRead('industrial', [indRow(1, 1), indRow(2, 2), indRow(3, 3), indRow(4, 4), indRow(1, 1)]),
      formRead('commercial', [comRow(2, 'A座'), comRow(1, 'B座')]),
      formRead('tax', [taxRow(1, 10), taxRow(2, 10, 2021), taxRow(1, 11), taxRow(3, 1, 2022, { $issues: [{ code: 'invalid-uscc', field: 'uscc' }] })]),
      formRead('environment', [{ uscc: uscc(1), enterpriseName: '企业1', compliant: true }]),
    ];
    const c = consolidate(reads, RS);
    expectConserved(c, reads);
    expect(c.conservation.map((k) => [k.rowsUsed, k.rowsIssueOnly])).toEqual([
      [2, 1],
      [1, 4],
      [1, 1],
      [1, 3],
      [1, 0],
    ]);
    // every unused row has at least one issue on it
    for (const k of c.conservation) {
      const read = reads.find((r) => r.file === k.file && r.sheet === k.sheet)!;
      const rowsWithIssues = new Set(c.issues.filter((i) => i.form === read.form && i.sheet === read.sheet && i.row !== null).map((i) => i.row));
      const unused = read.rows.filter((r) => !rowsWithIssues.has(r.row)).length;
      expect(unused).toBeLessThanOrEqual(k.rowsUsed);
    }
  });
});

describe('crossCheck (validate --base)', () => {
  test('gives the cross-form issues of the survey forms against the base, and nothing of the base itself', () => {
    const base = formRead('base', [baseRow(1), baseRow(2, { landUseCode: '05H1', landProcedures: '无', occurrenceDate: '2021-01-01' })]);
    const ind = formRead('industrial', [indRow(1, 1), indRow(2, 2), indRow(7, 3)]);
    const issues = crossCheck([ind, base], RS);
    expect(issues.map((i) => [i.code, i.row])).toEqual([
      ['category-mismatch', 4],
      ['parcel-not-in-base', 5],
    ]);
    expect(issues.every((i) => i.form === 'industrial' && i.hint.length > 0)).toBe(true);
  });
  test('does not repeat the reader\'s issues and needs a base to say anything', () => {
    const ind = formRead('industrial', [indRow(7, 1, { $issues: [{ code: 'invalid-uscc', field: 'uscc' }] })]);
    expect(crossCheck([formRead('base', [baseRow(1)]), ind], RS).map((i) => i.code)).toEqual(['parcel-not-in-base']);
    expect(crossCheck([ind], RS)).toEqual([]);
  });
});
