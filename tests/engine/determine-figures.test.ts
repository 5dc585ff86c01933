/**
 * Figures (domain.md §5, §8.2–8.6, §8.18): enterprise split, self-reported fallback, benchmarks and
 * their fallbacks, district figures, other-year rows, main industry.
 * 1 亩 = 10000/15 m²: a 10000 m² parcel is 15 亩, a 2000 m² parcel is 3 亩.
 */
import { consolidate } from '../../shared/determine';
import { defaultRuleSet, withEvaluationDate } from '../../shared/rules';
import type { Consolidation, FormRead, ParcelDetail } from '../../shared/types';
import { baseRow, comRow, formRead, houRow, indRow, outputRow, pid, ruleSet, taxRow, uscc } from '../helpers/reads';

const RS = defaultRuleSet();

function parcel(c: Consolidation, n: number): ParcelDetail {
  const d = c.details.find((x) => x.parcelId === pid(n));
  if (!d) throw new Error(`parcel ${n} not in the results`);
  return d;
}

describe('enterprise split of the bureau totals (§5, §8.6, §8.15)', () => {
  // Enterprise 1 uses 7500 m² of parcel 1 and 2500 m² of parcel 2 (both 工业); it also has a row on
  // parcel 3 (商办, category mismatch) and a row with an error on parcel 4: neither takes part.
  const reads = (): FormRead[] => [
    formRead('base', [
      baseRow(1, { landArea: 7500 }),
      baseRow(2, { landArea: 2500 }),
      baseRow(3, { landUseCode: '05H1' }),
      baseRow(4),
    ]),
    formRead('industrial', [
      indRow(1, 1, { landArea: 7500, floorArea: 7500, footprint: 3000 }),
      indRow(2, 1, { landArea: 2500, floorArea: 2500, footprint: 1000 }),
      indRow(3, 1, { landArea: 10000 }),
      indRow(4, 1, { landArea: 10000, $issues: [{ code: 'invalid-enum', field: 'status', value: '倒闭' }] }),
    ]),
    formRead('tax', [taxRow(1, 100)]),
    formRead('output', [outputRow(1, 1000)]),
  ];

  test('the total is split by 用地面积 over the rows in use only', () => {
    const c = consolidate(reads(), RS);
    expect(parcel(c, 1).tax).toBe(75);
    expect(parcel(c, 2).tax).toBe(25);
    expect(parcel(c, 1).output).toBe(750);
    expect(parcel(c, 2).output).toBe(250);
    expect(parcel(c, 1).taxSource).toBe('税务');
    expect(parcel(c, 1).outputSource).toBe('市场监管');
    // 75 万元 over 7500 m² = 11.25 亩
    expect(parcel(c, 1).taxPerMu).toBeCloseTo(75 / 11.25, 12);
  });

  test('the unused rows are issue rows, with the reason in the issue list', () => {
    const c = consolidate(reads(), RS);
    const ind = c.conservation.find((x) => x.form === 'industrial')!;
    expect(ind).toMatchObject({ rowsIn: 4, rowsUsed: 2, rowsIssueOnly: 2 });
    expect(c.issues.filter((i) => i.form === 'industrial' && i.row === 5).map((i) => i.code)).toContain('category-mismatch');
    expect(c.issues.filter((i) => i.form === 'industrial' && i.row === 6).map((i) => i.code)).toContain('invalid-enum');
  });

  test('a self-reported 年税收 that differs from the share by more than 10 % gets tax-mismatch on that row', () => {
    const r = reads();
    r[1] = formRead('industrial', [
      indRow(1, 1, { landArea: 7500, floorArea: 7500, footprint: 3000, tax: 90 }), // share 75: 20 % off
      indRow(2, 1, { landArea: 2500, floorArea: 2500, footprint: 1000, tax: 26 }), // share 25: 4 % off
    ]);
    const c = consolidate(r, RS);
    const mm = c.issues.filter((i) => i.code === 'tax-mismatch');
    expect(mm).toHaveLength(1);
    expect(mm[0]).toMatchObject({ severity: 'warning', form: 'industrial', row: 3, parcelId: pid(1), value: '90', field: '年税收(万元)' });
    expect(mm[0].message).toContain('75.00');
    // the bureau's share is used, not the self-reported figure
    expect(parcel(c, 1).tax).toBe(75);
  });
});

describe('self-reported fallback (§8.6)', () => {
  test('without a bureau row each row keeps its own 年税收 for its parcel, not split', () => {
    const c = consolidate(
      [
        formRead('base', [baseRow(1, { landArea: 7500 }), baseRow(2, { landArea: 2500 })]),
        formRead('industrial', [
          indRow(1, 5, { landArea: 7500, tax: 30, output: 100 }),
          indRow(2, 5, { landArea: 2500, tax: 20, output: 50 }),
        ]),
      ],
      RS,
    );
    expect(parcel(c, 1).tax).toBe(30);
    expect(parcel(c, 2).tax).toBe(20);
    expect(parcel(c, 1).taxSource).toBe('自报');
    expect(parcel(c, 2).output).toBe(50);
    expect(parcel(c, 2).outputSource).toBe('自报');
  });

  test('bureau figures and self-reported ones on one parcel are 混合; one unknown enterprise makes the parcel unknown', () => {
    const c = consolidate(
      [
        formRead('base', [baseRow(1), baseRow(2)]),
        formRead('industrial', [
          indRow(1, 1, { landArea: 5000 }),
          indRow(1, 2, { landArea: 5000, tax: 40 }),
          indRow(2, 3, { landArea: 5000 }),
          indRow(2, 4, { landArea: 5000 }),
        ]),
        formRead('tax', [taxRow(1, 60), taxRow(3, 10)]),
      ],
      RS,
    );
    expect(parcel(c, 1).tax).toBe(100);
    expect(parcel(c, 1).taxSource).toBe('混合');
    expect(parcel(c, 2).tax).toBeNull();
    expect(parcel(c, 2).taxPerMu).toBeNull();
    expect(parcel(c, 2).taxSource).toBeNull();
  });
});

describe('other-year rows (§8.6, §8.16)', () => {
  test('a 2021 row alone is not used: the self-reported figure is used instead', () => {
    const c = consolidate(
      [formRead('base', [baseRow(1)]), formRead('industrial', [indRow(1, 1, { tax: 12 })]), formRead('tax', [taxRow(1, 999, 2021)])],
      RS,
    );
    expect(parcel(c, 1).tax).toBe(12);
    expect(c.conservation.find((x) => x.form === 'tax')).toMatchObject({ rowsUsed: 0, rowsIssueOnly: 1 });
    const oy = c.issues.filter((i) => i.code === 'other-year');
    expect(oy).toHaveLength(1);
    expect(oy[0]).toMatchObject({ severity: 'info', row: 3, value: '2021' });
  });

  test('a 2021 row beside a 2022 row: the 2022 one is used, no duplicate-key; the reader\'s other-year is not raised twice', () => {
    const c = consolidate(
      [
        formRead('base', [baseRow(1)]),
        formRead('industrial', [indRow(1, 1)]),
        formRead('tax', [taxRow(1, 999, 2021, { $issues: [{ code: 'other-year', field: 'year', value: '2021' }] }), taxRow(1, 45)]),
      ],
      RS,
    );
    expect(parcel(c, 1).tax).toBe(45);
    expect(c.issues.filter((i) => i.code === 'other-year')).toHaveLength(1);
    expect(c.issues.filter((i) => i.code === 'duplicate-key')).toHaveLength(0);
  });

  test('changing the evaluation date to 2023-12-31 uses the 2023 rows instead', () => {
    const reads = [
      formRead('base', [baseRow(1)]),
      formRead('industrial', [indRow(1, 1)]),
      formRead('tax', [taxRow(1, 30, 2022), taxRow(1, 60, 2023)]),
    ];
    expect(parcel(consolidate(reads, RS), 1).tax).toBe(30);
    const c = consolidate(reads, withEvaluationDate(RS, '2023-12-31'));
    expect(parcel(c, 1).tax).toBe(60);
    expect(c.result.evaluationDate).toBe('2023-12-31');
  });
});

describe('main industry (§5, §8.7)', () => {
  test('the 大类 of the enterprise with the largest 用地面积; the first row on a tie', () => {
    const c = consolidate(
      [
        formRead('base', [baseRow(1), baseRow(2)]),
        formRead('industrial', [
          indRow(1, 1, { industryCode: '2511', landArea: 3000 }),
          indRow(1, 2, { industryCode: '3311', landArea: 7000 }),
          indRow(2, 3, { industryCode: '1711', landArea: 5000 }),
        ]),
        // a second industrial workbook given later: on a tie its row comes after
        formRead('industrial', [indRow(2, 4, { industryCode: '2611', landArea: 5000 })], { file: 'industrial-2.xlsx' }),
      ],
      RS,
    );
    expect(parcel(c, 1).mainIndustry).toBe('33');
    expect(parcel(c, 2).mainIndustry).toBe('17');
  });
});

describe('tax benchmarks (§5, §8.5)', () => {
  // Three parcels of 大类 33 (3 亩 each): tax 30 (bureau), 0 (self-reported zero), 15 (self-reported).
  // District figure for 33 = 45 / 9 = 5 万元/亩. A parcel of 大类 25 (15 亩, tax 300, 20/亩) and a
  // 0508 parcel of 大类 59 (15 亩, tax 30, 2/亩) count only for the all-industry figure.
  const base = () =>
    formRead('base', [
      baseRow(1, { landArea: 2000 }),
      baseRow(2, { landArea: 2000 }),
      baseRow(3, { landArea: 2000 }),
      baseRow(4),
      baseRow(5, { landUseCode: '0508', plannedUse: '物流仓储' }),
      baseRow(6, { landUseCode: '05H1' }),
    ]);
  const ind = (withThird = true) =>
    formRead('industrial', [
      indRow(1, 1, { landArea: 2000, floorArea: 2000, footprint: 1000 }),
      indRow(2, 2, { landArea: 2000, floorArea: 2000, footprint: 1000, tax: 0 }),
      ...(withThird ? [indRow(3, 3, { landArea: 2000, floorArea: 2000, footprint: 1000, tax: 15 })] : []),
      indRow(4, 4, { industryCode: '2511' }),
      indRow(5, 5, { industryCode: '5911', tax: 30 }),
    ]);
  const tax = () => formRead('tax', [taxRow(1, 30), taxRow(4, 300)]);
  // a 商办 parcel with a high tax must not enter the industrial district figures
  const com = () => formRead('commercial', [comRow(6, 'A座', { tax: 100000 })]);

  test('the table row comes first', () => {
    const c = consolidate([base(), ind(), tax(), com(), formRead('taxBenchmark', [{ industryClass: '33', taxPerMu: 8 }])], RS);
    expect(parcel(c, 1).taxBenchmark).toBe(8);
    expect(parcel(c, 1).taxBenchmarkBasis).toBe('table');
  });

  test('else the district figure of the 大类 when at least 3 parcels contribute, zeros and self-reported included', () => {
    const c = consolidate([base(), ind(), tax(), com()], RS);
    const p1 = parcel(c, 1);
    expect(p1.taxBenchmarkBasis).toBe('district-class');
    expect(p1.taxBenchmark).toBeCloseTo(5, 12);
    // parcel 2 has 0/亩 < 2.5: hits; parcel 3 has 5/亩: does not; parcel 1 has 10/亩
    expect(parcel(c, 2).hits).toContain('IND-TAX');
    expect(parcel(c, 3).hits).not.toContain('IND-TAX');
  });

  test('with only 2 parcels of the 大类 it falls back to the all-industry figure (0508 included, 商办 not)', () => {
    const c = consolidate([base(), ind(false), tax(), com()], RS);
    const p1 = parcel(c, 1);
    expect(p1.taxBenchmarkBasis).toBe('district-all');
    // (30 + 0 + 300 + 30) / (3 + 3 + 15 + 15) = 360 / 36 = 10
    expect(p1.taxBenchmark).toBeCloseTo(10, 12);
    // parcel 1: 10/亩 is not below 5; parcel 2: 0 is
    expect(p1.hits).not.toContain('IND-TAX');
    expect(parcel(c, 2).hits).toContain('IND-TAX');
  });

  test('a per-大类 minDistrictParcels override makes 2 parcels enough for that 大类', () => {
    const rs = ruleSet({ industryOverrides: { '33': { minDistrictParcels: 2 } } });
    const c = consolidate([base(), ind(false), tax(), com()], rs);
    expect(parcel(c, 1).taxBenchmarkBasis).toBe('district-class');
    expect(parcel(c, 1).taxBenchmark).toBeCloseTo(30 / 6, 12);
  });

  test('parcels with unknown tax do not contribute', () => {
    const c = consolidate(
      [base(), formRead('industrial', [indRow(1, 1, { landArea: 2000 }), indRow(2, 2, { landArea: 2000 }), indRow(3, 3, { landArea: 2000, tax: 15 })]), tax()],
      RS,
    );
    // parcel 2 (enterprise 2) has no tax at all: only 2 of 大类 33 known → all-industry = (30+15)/6
    expect(parcel(c, 1).taxBenchmarkBasis).toBe('district-all');
    expect(parcel(c, 1).taxBenchmark).toBeCloseTo(45 / 6, 12);
    // no output data at all: output and its benchmark are missing for every parcel
    expect(parcel(c, 2).missing).toEqual(['tax', 'output', 'outputBenchmark']);
  });
});

describe('output benchmarks follow the tax rules (§8.4)', () => {
  const base = () => formRead('base', [1, 2, 3, 4].map((n) => baseRow(n, { landArea: 2000 })));
  const ind = (n: number) => formRead('industrial', Array.from({ length: n }, (_, i) => indRow(i + 1, i + 1, { landArea: 2000, floorArea: 2000, footprint: 1000 })));
  const out = () => formRead('output', [outputRow(1, 300), outputRow(2, 60), outputRow(3, 0), outputRow(4, 240)]);

  test('table, then district 大类 (≥ 3), then all-industry', () => {
    const table = consolidate([base(), ind(3), out(), formRead('outputBenchmark', [{ industryClass: '33', outputPerMu: 50 }])], RS);
    expect(parcel(table, 1)).toMatchObject({ outputBenchmark: 50, outputBenchmarkBasis: 'table' });
    const cls = consolidate([base(), ind(3), out()], RS);
    expect(parcel(cls, 1).outputBenchmarkBasis).toBe('district-class');
    expect(parcel(cls, 1).outputBenchmark).toBeCloseTo(360 / 9, 12);
    expect(parcel(cls, 3).hits).toContain('IND-OUTPUT');
    const all = consolidate(
      [base(), formRead('industrial', [indRow(1, 1, { landArea: 2000 }), indRow(2, 2, { landArea: 2000 }), indRow(4, 4, { landArea: 2000, industryCode: '2511' })]), out()],
      RS,
    );
    expect(parcel(all, 1).outputBenchmarkBasis).toBe('district-all');
    expect(parcel(all, 1).outputBenchmark).toBeCloseTo(600 / 9, 12);
  });
});

describe('商办 benchmark (§8.3, §8.18)', () => {
  const base = (n: number) => formRead('base', Array.from({ length: n }, (_, i) => baseRow(i + 1, { landUseCode: '05H1', plannedUse: '商业服务业' })));
  const com = (taxes: (number | null)[]) => formRead('commercial', taxes.map((t, i) => comRow(i + 1, `楼${i + 1}`, { tax: t })));

  test('the taxBenchmark row 商办 first', () => {
    const c = consolidate([base(1), com([300]), formRead('taxBenchmark', [{ industryClass: '商办', taxPerMu: 100 }])], RS);
    expect(parcel(c, 1)).toMatchObject({ taxBenchmark: 100, taxBenchmarkBasis: 'table', hits: ['COM-TAX'] });
  });

  test('else the district 商办 figure over parcels with known tax when 3 contribute', () => {
    // 15 亩 each: 600, 300, 0 → 900 / 45 = 20; parcel 4 has an unknown tax and does not count
    const c = consolidate([base(4), com([600, 300, 0, null])], RS);
    const p1 = parcel(c, 1);
    expect(p1.taxBenchmarkBasis).toBe('district-commercial');
    expect(p1.taxBenchmark).toBeCloseTo(20, 12);
    expect(parcel(c, 3).hits).toEqual(['COM-TAX']);
    expect(parcel(c, 2).result).toBe('非低效');
    expect(parcel(c, 4).missing).toEqual(['tax']);
  });

  test('with 2 contributing parcels the benchmark is missing: 待核实 taxBenchmark', () => {
    const c = consolidate([base(2), com([600, 300])], RS);
    const p1 = parcel(c, 1);
    expect(p1.taxBenchmark).toBeNull();
    expect(p1.taxBenchmarkBasis).toBe('none');
    expect(p1.result).toBe('待核实');
    expect(p1.missing).toEqual(['taxBenchmark']);
    expect(p1.taxPerMu).toBe(40);
  });

  test('an industrial 大类 table row is never used for 商办, nor the 商办 row for industry', () => {
    const c = consolidate(
      [
        formRead('base', [baseRow(1, { landUseCode: '05H1' }), baseRow(2)]),
        formRead('commercial', [comRow(1, 'A座')]),
        formRead('industrial', [indRow(2, 1, { tax: 150 })]),
        formRead('taxBenchmark', [{ industryClass: '33', taxPerMu: 1 }, { industryClass: '商办', taxPerMu: 999 }]),
      ],
      RS,
    );
    expect(parcel(c, 1).taxBenchmark).toBe(999);
    expect(parcel(c, 2).taxBenchmark).toBe(1);
  });
});

describe('figures that cannot be computed are null, never 0 (§8.2)', () => {
  test('landArea is always given; 工业 figures need used rows', () => {
    const c = consolidate([formRead('base', [baseRow(1), baseRow(2, { landUseCode: '0701' })])], RS);
    for (const p of c.result.parcels) {
      expect(p.landArea).toBe(10000);
      expect([p.plotRatio, p.coverage, p.taxPerMu, p.outputPerMu]).toEqual([null, null, null, null]);
    }
  });
  test('the JSON numbers are unrounded', () => {
    const c = consolidate([formRead('base', [baseRow(1, { landArea: 3000 })]), formRead('industrial', [indRow(1, 1, { landArea: 3000, floorArea: 1000, footprint: 1000, tax: 1, output: 1 })])], RS);
    const p = c.result.parcels[0];
    expect(p.plotRatio).toBe(1000 / 3000);
    expect(p.coverage).toBe(100000 / 3000);
    expect(p.taxPerMu).toBe(1 / 4.5);
  });
});

describe('USCC values carried through', () => {
  test('the unit lines of the card name the enterprise, its USCC and where its tax came from', () => {
    const c = consolidate([formRead('base', [baseRow(1)]), formRead('industrial', [indRow(1, 1)]), formRead('tax', [taxRow(1, 150)])], RS);
    const u = parcel(c, 1).units[0];
    expect(u.form).toBe('industrial');
    expect(u.name).toBe('企业1');
    expect(u.detail).toContain(uscc(1));
    expect(u.detail).toContain('税收150万元（部门数据）');
    expect(u.detail).toContain('产值未知');
  });

  test('the unit line shows areas as the card prints figures: two decimals at most (12.5亩 is 8333.33㎡)', () => {
    const mu = 12.5 * (10000 / 15);
    const c = consolidate([formRead('base', [baseRow(1, { landArea: mu })]), formRead('industrial', [indRow(1, 1, { landArea: mu, floorArea: 5000.456 })])], RS);
    const u = parcel(c, 1).units[0];
    expect(u.detail).toContain('用地面积8333.33㎡');
    expect(u.detail).toContain('总建筑面积5000.46㎡');
    expect(u.detail).not.toContain('8333.333');
  });
});

describe('the detail of a parcel (一宗一卡, 低效用地数据库)', () => {
  test('base facts, units, reasons and 难点堵点 from the survey rows in use', () => {
    const c = consolidate(
      [
        formRead('base', [baseRow(1, { landUseCode: '0508', plannedUse: '物流仓储', landProcedures: '不全', occurrenceDate: '1995-03-01', location: '河东区津塘路1号', owner: '某物流公司' })]),
        formRead('industrial', [
          indRow(1, 1, { landArea: 6000, floorArea: 3000, footprint: 1500, problemType: '资金不足', problemDesc: '改造资金缺口约2000万元' }),
          indRow(1, 2, { landArea: 4000, floorArea: 2000, footprint: 1000, problemType: '无' }),
        ]),
        formRead('housing', [houRow(1, '津塘村', { housingType: '城中村', problemDesc: '村民安置方案未定' })]),
      ],
      RS,
    );
    const d = parcel(c, 1);
    expect(d).toMatchObject({
      location: '河东区津塘路1号',
      owner: '某物流公司',
      landUseCode: '0508',
      category: '工业',
      plannedUse: '物流仓储',
      landAreaMu: 15,
      floorArea: 5000,
      footprint: 2500,
      historicPeriod: '1987-1998',
      landProcedures: '不全',
      occurrenceDate: '1995-03-01',
    });
    expect(d.hits).toEqual(['IND-PLOT', 'IND-COVER', 'RES-VILLAGE']);
    expect(d.hitDetails.map((h) => h.reason)).toEqual(['容积率0.50低于标准0.80', '建筑密度25.00%低于标准30.00%', '津塘村为城中村']);
    expect(d.units.map((u) => [u.form, u.name])).toEqual([
      ['industrial', '企业1'],
      ['industrial', '企业2'],
      ['housing', '津塘村'],
    ]);
    // 问题类型 无 without a description is no problem; a housing row has a description only
    expect(d.problems).toEqual([
      { form: 'industrial', file: 'industrial.xlsx', sheet: '低效工业调查表', row: 3, unit: '企业1', type: '资金不足', description: '改造资金缺口约2000万元' },
      { form: 'housing', file: 'housing.xlsx', sheet: '城中村老旧小区烂尾楼表', row: 3, unit: '津塘村', type: null, description: '村民安置方案未定' },
    ]);
  });
});

describe('the card lines of a detail are built when first read (units, problems)', () => {
  const run = () =>
    consolidate(
      [
        formRead('base', [baseRow(1), baseRow(2)]),
        formRead('industrial', [indRow(1, 1, { problemType: '资金不足', problemDesc: '缺口较大' }), indRow(2, 2)]),
        formRead('tax', [taxRow(1, 150)]),
      ],
      RS,
    );

  test('JSON of a detail carries every field in the contract order, units and problems right after hitDetails', () => {
    const d = parcel(run(), 1);
    const json = JSON.parse(JSON.stringify(d)) as Record<string, unknown>;
    const keys = Object.keys(json);
    expect(keys.slice(keys.indexOf('hitDetails'), keys.indexOf('hitDetails') + 4)).toEqual(['hitDetails', 'units', 'problems', 'historicPeriod']);
    expect(keys[0]).toBe('parcelId');
    expect(keys[keys.length - 1]).toBe('occurrenceDate');
    expect(json.units).toEqual(d.units);
    expect(json.problems).toEqual([{ form: 'industrial', file: 'industrial.xlsx', sheet: '低效工业调查表', row: 3, unit: '企业1', type: '资金不足', description: '缺口较大' }]);
  });

  test('reading twice gives the same lists; a list can be replaced', () => {
    const d = parcel(run(), 2);
    expect(d.units).toBe(d.units);
    expect(d.units.map((u) => u.name)).toEqual(['企业2']);
    expect(d.problems).toEqual([]);
    d.units = [];
    d.problems = [{ form: 'industrial', file: 'f.xlsx', sheet: 's', row: 9, unit: 'u', type: null, description: 'd' }];
    expect(d.units).toEqual([]);
    expect(d.problems.map((p) => p.row)).toEqual([9]);
  });
});

describe('the file of each issue and 难点堵点 (twelve street files may all call their sheet Sheet1)', () => {
  const run = () =>
    consolidate(
      [
        formRead('base', [baseRow(1), baseRow(2)]),
        formRead('industrial', [indRow(1, 1)], { file: '大王庄街道.xlsx', sheet: 'Sheet1' }),
        formRead('industrial', [indRow(2, 2, { problemType: '资金不足', problemDesc: '缺口较大' }), indRow(99, 3)], { file: '春华街道.xlsx', sheet: 'Sheet1' }),
      ],
      RS,
    );

  test("an engine's cross-form issue names the file it was raised on, not the first file with that sheet name", () => {
    const c = run();
    const foreign = c.issues.find((is) => is.code === 'parcel-not-in-base');
    expect(foreign).toBeDefined();
    expect(c.issueFiles?.get(foreign!)).toBe('春华街道.xlsx');
  });

  test('a 难点堵点 carries the file of its row', () => {
    expect(parcel(run(), 2).problems.map((p) => [p.file, p.sheet, p.row])).toEqual([['春华街道.xlsx', 'Sheet1', 3]]);
  });
});
