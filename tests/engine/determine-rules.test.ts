/**
 * Every rule of domain.md §5 (hit, exact boundary, not hit), every result kind, `missing`, modes.
 * Parcels are 10000 m² = 15 亩 unless said otherwise, so 亩均 figures are easy to reason about.
 */
import { consolidate } from '../../shared/determine';
import { defaultRuleSet, withEvaluationDate } from '../../shared/rules';
import type { RuleSet } from '../../shared/rules/schema';
import type { FormRead, ParcelDetail } from '../../shared/types';
import {
  baseRow, comRow, facRow, formRead, houRow, indRow, outputRow, pid, RowInput, taxRow,
} from '../helpers/reads';

const RS = defaultRuleSet();

/** Benchmarks in the tables: 33 → 10 万元/亩 tax, 100 万元/亩 output; 商办 → 40. */
function tables(): FormRead[] {
  return [
    formRead('taxBenchmark', [{ industryClass: '33', taxPerMu: 10 }, { industryClass: '商办', taxPerMu: 40 }]),
    formRead('outputBenchmark', [{ industryClass: '33', outputPerMu: 100 }]),
  ];
}

/**
 * One industrial parcel (no. 1) with one enterprise (no. 1) whose figures hit nothing:
 * 容积率 1.0, 建筑密度 40 %, tax 150 (10/亩), output 1500 (100/亩).
 */
function industrial(opts: { base?: RowInput; ind?: RowInput; tax?: number | null; output?: number | null; env?: boolean; rs?: RuleSet } = {}): ParcelDetail {
  const reads = [
    formRead('base', [baseRow(1, opts.base)]),
    formRead('industrial', [indRow(1, 1, opts.ind)]),
    ...tables(),
  ];
  if (opts.tax !== null) reads.push(formRead('tax', [taxRow(1, opts.tax ?? 150)]));
  if (opts.output !== null) reads.push(formRead('output', [outputRow(1, opts.output ?? 1500)]));
  if (opts.env !== undefined) reads.push(formRead('environment', [{ uscc: indRow(1, 1).uscc, enterpriseName: '企业1', compliant: opts.env }]));
  return only(consolidate(reads, opts.rs ?? RS).details, 1);
}

function only(details: ParcelDetail[], n: number): ParcelDetail {
  const d = details.find((x) => x.parcelId === pid(n));
  if (!d) throw new Error(`parcel ${n} not in the results`);
  return d;
}

function commercial(rows: RowInput[], extra: FormRead[] = []): ParcelDetail {
  const reads = [formRead('base', [baseRow(1, { landUseCode: '05H1', plannedUse: '商业服务业' })]), formRead('commercial', rows), ...tables(), ...extra];
  return only(consolidate(reads, RS).details, 1);
}

function facility(rows: RowInput[]): ParcelDetail {
  const reads = [formRead('base', [baseRow(1, { landUseCode: '08H2', plannedUse: '公共管理与公共服务' })]), formRead('facility', rows)];
  return only(consolidate(reads, RS).details, 1);
}

describe('the baseline fixture', () => {
  test('an industrial parcel with good figures is 非低效 with every figure known', () => {
    const d = industrial();
    expect(d.result).toBe('非低效');
    expect(d.hits).toEqual([]);
    expect(d.missing).toEqual([]);
    expect(d.mode).toBeNull();
    expect(d.plotRatio).toBe(1);
    expect(d.coverage).toBe(40);
    expect(d.taxPerMu).toBe(10);
    expect(d.outputPerMu).toBe(100);
    expect(d.landAreaMu).toBe(15);
  });
});

describe('IND-PLOT (容积率 < 0.8)', () => {
  test('0.7999 hits, with figure, threshold and reason', () => {
    const d = industrial({ ind: { floorArea: 7999 } });
    expect(d.hits).toEqual(['IND-PLOT']);
    expect(d.result).toBe('低效');
    expect(d.hitDetails[0]).toEqual({ rule: 'IND-PLOT', figure: 0.7999, threshold: 0.8, reason: '容积率0.7999低于标准0.80' });
  });
  test('exactly 0.8 does not hit', () => expect(industrial({ ind: { floorArea: 8000 } }).hits).toEqual([]));
  test('reason in words shows the figure', () => {
    expect(industrial({ ind: { floorArea: 5500 } }).hitDetails[0].reason).toBe('容积率0.55低于标准0.80');
  });
});

describe('IND-COVER (建筑密度 < 30 %)', () => {
  test('29.99 % hits', () => expect(industrial({ ind: { footprint: 2999 } }).hits).toEqual(['IND-COVER']));
  test('exactly 30 % does not hit', () => expect(industrial({ ind: { footprint: 3000 } }).hits).toEqual([]));
});

describe('IND-TAX (亩均税收 < 50 % of the benchmark)', () => {
  test('below half of 10 万元/亩 hits', () => {
    const d = industrial({ tax: 74.85 }); // 4.99/亩
    expect(d.hits).toEqual(['IND-TAX']);
    expect(d.hitDetails[0].threshold).toBe(5);
    expect(d.taxBenchmarkBasis).toBe('table');
  });
  test('exactly half does not hit', () => expect(industrial({ tax: 75 }).hits).toEqual([]));
  test('zero tax is a figure (0), not unknown, and hits', () => {
    const d = industrial({ tax: 0 });
    expect(d.taxPerMu).toBe(0);
    expect(d.hits).toEqual(['IND-TAX']);
  });
});

describe('IND-OUTPUT (亩均产值 < 50 % of the output benchmark)', () => {
  test('below half hits', () => expect(industrial({ output: 749 }).hits).toEqual(['IND-OUTPUT']));
  test('exactly half does not hit', () => expect(industrial({ output: 750 }).hits).toEqual([]));
});

describe('IND-STOP (停产/半停产 since ≥ 1 year, §8.10)', () => {
  test('停产 since exactly one year before the evaluation date hits', () => {
    const d = industrial({ ind: { status: '停产', stopDate: '2021-12-31' } });
    expect(d.hits).toEqual(['IND-STOP']);
    expect(d.mode).toBe('整合重组');
  });
  test('半停产 also hits', () => expect(industrial({ ind: { status: '半停产', stopDate: '2020-05-01' } }).hits).toEqual(['IND-STOP']));
  test('one day short of a year does not hit', () => expect(industrial({ ind: { status: '停产', stopDate: '2022-01-01' } }).hits).toEqual([]));
  test('正常生产 with an old stop date does not hit', () => expect(industrial({ ind: { status: '正常生产', stopDate: '2010-01-01' } }).hits).toEqual([]));
  test('29 February minus one year is 28 February', () => {
    const rs = withEvaluationDate(RS, '2024-02-29');
    const yes = industrial({ rs, ind: { status: '停产', stopDate: '2023-02-28' }, tax: null, output: null });
    expect(yes.hits).toContain('IND-STOP');
    const no = industrial({ rs, ind: { status: '停产', stopDate: '2023-03-01' }, tax: null, output: null });
    expect(no.hits).not.toContain('IND-STOP');
  });
});

describe('IND-IDLE (闲置 ≥ 1 year, or 约定动工日期 ≥ 1 year past with no floor area, §8.8)', () => {
  test('闲置 since exactly a year hits; a day less does not', () => {
    expect(industrial({ ind: { status: '闲置', stopDate: '2021-12-31' } }).hits).toEqual(['IND-IDLE']);
    expect(industrial({ ind: { status: '闲置', stopDate: '2022-01-01' } }).hits).toEqual([]);
  });
  test('约定动工日期 a year past and Σ 总建筑面积 = 0 hits (the empty plot also hits IND-PLOT)', () => {
    const d = industrial({ base: { agreedStartDate: '2021-12-31' }, ind: { floorArea: 0, footprint: 0 } });
    expect(d.hits).toEqual(['IND-PLOT', 'IND-COVER', 'IND-IDLE']);
    expect(d.hitDetails[2].figure).toBe('2021-12-31');
  });
  test('约定动工日期 past but something is built does not hit', () => {
    expect(industrial({ base: { agreedStartDate: '2015-01-01' } }).hits).toEqual([]);
  });
  test('a parcel without survey rows hits by its 约定动工日期 (§8.1, §8.8), and is 待核实 when the date is not past', () => {
    const reads = (date: string) => [
      formRead('base', [baseRow(1, { agreedStartDate: date })]),
      formRead('industrial', []),
    ];
    const hit = consolidate(reads('2021-12-31'), RS).details[0];
    expect(hit.result).toBe('低效');
    expect(hit.hits).toEqual(['IND-IDLE']);
    expect(hit.missing).toEqual([]);
    expect(hit.mode).toBe('因地招商');
    expect(hit.plotRatio).toBeNull();
    const future = consolidate(reads('2022-01-01'), RS).details[0];
    expect(future.result).toBe('待核实');
    expect(future.missing).toEqual(['survey']);
  });
});

describe('IND-OBSOLETE, IND-ENV', () => {
  test('淘汰类 = 是 hits', () => {
    const d = industrial({ ind: { obsolete: true } });
    expect(d.hits).toEqual(['IND-OBSOLETE']);
    expect(d.mode).toBe('综合施策');
  });
  test('环保 否 hits, 是 does not, no environment row does not and is not missing', () => {
    expect(industrial({ env: false }).hits).toEqual(['IND-ENV']);
    expect(industrial({ env: true }).hits).toEqual([]);
    const none = industrial();
    expect(none.result).toBe('非低效');
    expect(none.missing).toEqual([]);
  });
});

describe('IND-REZONED (§8.9)', () => {
  test('规划用途 居住 and an enterprise producing hits, mode 收储出让', () => {
    const d = industrial({ base: { plannedUse: '居住' } });
    expect(d.hits).toEqual(['IND-REZONED']);
    expect(d.mode).toBe('收储出让');
  });
  test('出租 counts as operating', () => expect(industrial({ base: { plannedUse: '商业服务业' }, ind: { status: '出租' } }).hits).toEqual(['IND-REZONED']));
  test('闲置 does not operate', () => {
    expect(industrial({ base: { plannedUse: '居住' }, ind: { status: '闲置', stopDate: '2022-06-01' } }).hits).toEqual([]);
  });
  test('工业 and 物流仓储 are not rezoned', () => {
    expect(industrial({ base: { plannedUse: '物流仓储' } }).hits).toEqual([]);
  });
  test('blank 规划用途: no hit and nothing missing', () => {
    const d = industrial({ base: { plannedUse: null } });
    expect(d.result).toBe('非低效');
    expect(d.missing).toEqual([]);
  });
});

describe('商办 rules', () => {
  test('COM-VACANT: exactly 50 % hits, just under does not', () => {
    const d = commercial([comRow(1, 'A座', { vacantArea: 10000 })]);
    expect(d.hits).toEqual(['COM-VACANT']);
    expect(d.vacancyRate).toBe(50);
    expect(d.mode).toBe('因地招商');
    expect(commercial([comRow(1, 'A座', { vacantArea: 9999 })]).hits).toEqual([]);
  });
  test('COM-VACANT over several buildings uses Σ 空置 / Σ 总建筑面积', () => {
    const d = commercial([comRow(1, 'A座', { vacantArea: 20000 }), comRow(1, 'B座', { vacantArea: 0, floorArea: 20000 })]);
    expect(d.vacancyRate).toBe(50);
    expect(d.hits).toEqual(['COM-VACANT']);
  });
  test('COM-TAX: 商办 tax is Σ 年税收 of the buildings; below half of the 商办 row hits, exactly half does not', () => {
    const hit = commercial([comRow(1, 'A座', { tax: 150 }), comRow(1, 'B座', { tax: 149.85, vacantArea: 0 })]);
    expect(hit.tax).toBeCloseTo(299.85, 10);
    expect(hit.hits).toEqual(['COM-TAX']);
    expect(hit.taxBenchmarkBasis).toBe('table');
    expect(commercial([comRow(1, 'A座', { tax: 300 })]).hits).toEqual([]);
  });
  test('COM-TAX: one building without 年税收 makes the tax unknown → 待核实 tax', () => {
    const d = commercial([comRow(1, 'A座'), comRow(1, 'B座', { tax: null })]);
    expect(d.tax).toBeNull();
    expect(d.taxPerMu).toBeNull();
    expect(d.result).toBe('待核实');
    expect(d.missing).toEqual(['tax']);
  });
  test('COM-STALLED hits with mode 收储出让', () => {
    const d = commercial([comRow(1, 'A座', { stalled: true })]);
    expect(d.hits).toEqual(['COM-STALLED']);
    expect(d.mode).toBe('收储出让');
  });
  test('COM-UNSAFE: C and D hit, B and 未鉴定 do not', () => {
    expect(commercial([comRow(1, 'A座', { dangerGrade: 'C' })]).hits).toEqual(['COM-UNSAFE']);
    expect(commercial([comRow(1, 'A座', { dangerGrade: 'D' })]).hits).toEqual(['COM-UNSAFE']);
    expect(commercial([comRow(1, 'A座', { dangerGrade: 'B' })]).hits).toEqual([]);
    expect(commercial([comRow(1, 'A座', { dangerGrade: '未鉴定' })]).hits).toEqual([]);
  });
  test('a 商办 parcel has no 容积率/建筑密度/亩均产值 figures', () => {
    const d = commercial([comRow(1, 'A座')]);
    expect([d.plotRatio, d.coverage, d.outputPerMu]).toEqual([null, null, null]);
    expect(d.taxPerMu).toBe(20);
  });
});

describe('设施 rules', () => {
  test('FAC-IDLE: 闲置 since exactly a year hits (因地招商); a day less does not', () => {
    const d = facility([facRow(1, '泵站', { useStatus: '闲置', idleDate: '2021-12-31' })]);
    expect(d.hits).toEqual(['FAC-IDLE']);
    expect(d.mode).toBe('因地招商');
    const no = facility([facRow(1, '泵站', { useStatus: '闲置', idleDate: '2022-01-01' })]);
    expect(no.result).toBe('非低效');
  });
  test('FAC-UNDERUSED hits with mode 技改升级', () => {
    const d = facility([facRow(1, '文化站', { useStatus: '低效使用' })]);
    expect(d.hits).toEqual(['FAC-UNDERUSED']);
    expect(d.mode).toBe('技改升级');
  });
  test('正常使用 is 非低效; no facility row is 待核实 survey', () => {
    expect(facility([facRow(1, '泵站')]).result).toBe('非低效');
    const none = facility([]);
    expect(none.result).toBe('待核实');
    expect(none.missing).toEqual(['survey']);
  });
  test('a 设施 parcel has no per-mu figures', () => {
    const d = facility([facRow(1, '泵站', { floorArea: 500 })]);
    expect([d.plotRatio, d.coverage, d.taxPerMu, d.outputPerMu]).toEqual([null, null, null, null]);
    expect(d.floorArea).toBe(500);
  });
});

describe('RES-* via housing rows on any parcel (§8.12, §8.20)', () => {
  function housing(landUseCode: string, rows: RowInput[]): ParcelDetail {
    return only(consolidate([formRead('base', [baseRow(1, { landUseCode, plannedUse: '居住' })]), formRead('housing', rows)], RS).details, 1);
  }
  test('RES-OLD: 老旧小区 built 2000 with 配套 不全 hits; 2001, 齐全 or a blank year do not', () => {
    expect(housing('0701', [houRow(1, '旧小区', { builtYear: 2000, amenities: '不全' })]).hits).toEqual(['RES-OLD']);
    expect(housing('0701', [houRow(1, '旧小区', { builtYear: 2001, amenities: '不全' })]).result).toBe('非低效');
    expect(housing('0701', [houRow(1, '旧小区', { builtYear: 1990, amenities: '齐全' })]).result).toBe('非低效');
    expect(housing('0701', [houRow(1, '旧小区', { builtYear: null, amenities: '不全' })]).result).toBe('非低效');
  });
  test('RES-OLD alone suggests 技改升级', () => {
    expect(housing('0701', [houRow(1, '旧小区', { builtYear: 1995, amenities: '不全' })]).mode).toBe('技改升级');
  });
  test('RES-VILLAGE: 城中村 and 棚户区 hit, mode 收储出让', () => {
    const d = housing('0702', [houRow(1, '某村', { housingType: '城中村' })]);
    expect(d.hits).toEqual(['RES-VILLAGE']);
    expect(d.mode).toBe('收储出让');
    expect(housing('0701', [houRow(1, '某片', { housingType: '棚户区' })]).hits).toEqual(['RES-VILLAGE']);
  });
  test('RES-STALLED: 烂尾楼 hits', () => expect(housing('0701', [houRow(1, '某楼', { housingType: '烂尾楼' })]).hits).toEqual(['RES-STALLED']));
  test('a 居住 parcel without housing rows is 非低效', () => {
    const d = only(consolidate([formRead('base', [baseRow(1, { landUseCode: '0701' })])], RS).details, 1);
    expect(d.category).toBe('居住');
    expect(d.result).toBe('非低效');
  });
  test('an industrial parcel with a 城中村 row is 低效 by RES-VILLAGE besides its own rules', () => {
    const reads = [
      formRead('base', [baseRow(1)]),
      formRead('industrial', [indRow(1, 1, { floorArea: 5000 })]),
      formRead('housing', [houRow(1, '某村', { housingType: '城中村' })]),
      formRead('tax', [taxRow(1, 150)]),
      formRead('output', [outputRow(1, 1500)]),
      ...tables(),
    ];
    const d = only(consolidate(reads, RS).details, 1);
    expect(d.hits).toEqual(['IND-PLOT', 'RES-VILLAGE']);
    expect(d.mode).toBe('收储出让');
  });
  test('其他: 不参评 without housing; with a housing row evaluated (低效 or 非低效); with only erroneous housing rows 不参评', () => {
    expect(housing('0810', []).result).toBe('不参评');
    expect(housing('0810', [houRow(1, '某村', { housingType: '城中村' })]).result).toBe('低效');
    const evaluated = housing('09', [houRow(1, '小区', { builtYear: 2010 })]);
    expect(evaluated.category).toBe('其他');
    expect(evaluated.result).toBe('非低效');
    const bad = housing('0810', [houRow(1, '某村', { housingType: '城中村', $issues: [{ code: 'missing-value', field: 'street' }] })]);
    expect(bad.result).toBe('不参评');
    expect(bad.hits).toEqual([]);
  });
});

describe('VAC-LAND and categories', () => {
  test('地类 1201 is always 低效 with mode 因地招商', () => {
    const d = only(consolidate([formRead('base', [baseRow(1, { landUseCode: '1201', plannedUse: null })])], RS).details, 1);
    expect(d.category).toBe('空闲地');
    expect(d.hits).toEqual(['VAC-LAND']);
    expect(d.mode).toBe('因地招商');
  });
  test('categories follow the 地类编码 (0508 is 工业, 1006 is 其他)', () => {
    const codes = ['0601', '0602', '0508', '05H1', '08H1', '0809', '1004', '1009', '0701', '0702', '1201', '0603', '0810', '09', '1006', '1109'];
    const base = formRead('base', codes.map((c, i) => baseRow(i + 1, { landUseCode: c })));
    const cats = consolidate([base], RS).result.parcels.map((p) => p.category);
    expect(cats).toEqual(['工业', '工业', '工业', '商办', '设施', '设施', '设施', '设施', '居住', '居住', '空闲地', '其他', '其他', '其他', '其他', '其他']);
  });
});

describe('missing (§8.2): only for 待核实, only tax/output/taxBenchmark/outputBenchmark/survey', () => {
  test('no tax anywhere: tax and taxBenchmark missing (no 工业 parcel with known tax for a district figure)', () => {
    const reads = [formRead('base', [baseRow(1)]), formRead('industrial', [indRow(1, 1)]), formRead('output', [outputRow(1, 1500)]), formRead('outputBenchmark', [{ industryClass: '33', outputPerMu: 100 }])];
    const d = consolidate(reads, RS).details[0];
    expect(d.result).toBe('待核实');
    expect(d.missing).toEqual(['tax', 'taxBenchmark']);
    expect(d.taxPerMu).toBeNull();
    expect(d.outputPerMu).toBe(100);
  });
  test('no output data: output missing; the benchmark still comes from the table', () => {
    const d = industrial({ output: null });
    expect(d.result).toBe('待核实');
    expect(d.missing).toEqual(['output']);
    expect(d.outputBenchmarkBasis).toBe('table');
    expect(d.outputPerMu).toBeNull();
  });
  test('a 低效 parcel has an empty missing list even when something is unknown', () => {
    const d = industrial({ output: null, ind: { floorArea: 1000 } });
    expect(d.result).toBe('低效');
    expect(d.missing).toEqual([]);
  });
  test('an 工业 / 商办 parcel with no survey row is 待核实 survey only', () => {
    const reads = [formRead('base', [baseRow(1), baseRow(2, { landUseCode: '05H1' })]), ...tables()];
    const [a, b] = consolidate(reads, RS).details;
    expect(a.missing).toEqual(['survey']);
    expect(b.missing).toEqual(['survey']);
    expect([a.plotRatio, a.coverage, a.taxPerMu, a.outputPerMu]).toEqual([null, null, null, null]);
    expect(a.landArea).toBe(10000);
  });
});

describe('mode precedence (§5, first match; §8.11)', () => {
  test('IND-ENV with IND-STOP → 综合施策', () => {
    expect(industrial({ env: false, ind: { status: '停产', stopDate: '2020-01-01' } }).mode).toBe('综合施策');
  });
  test('IND-REZONED with IND-STOP → 收储出让', () => {
    expect(industrial({ base: { plannedUse: '居住' }, ind: { status: '停产', stopDate: '2020-01-01' } }).mode).toBe('收储出让');
  });
  test('盘活意愿 收储 with IND-STOP → 收储出让; 收储 on a parcel that is not 低效 gives no mode', () => {
    expect(industrial({ ind: { status: '停产', stopDate: '2020-01-01', willingness: '收储' } }).mode).toBe('收储出让');
    expect(industrial({ ind: { willingness: '收储' } }).mode).toBeNull();
  });
  test('盘活意愿 收储 of a commercial building with COM-UNSAFE → 收储出让', () => {
    expect(commercial([comRow(1, 'A座', { dangerGrade: 'D', willingness: '收储' })]).mode).toBe('收储出让');
  });
  test('IND-STOP with IND-PLOT → 整合重组; IND-IDLE with IND-PLOT → 因地招商; IND-PLOT alone → 技改升级', () => {
    expect(industrial({ ind: { status: '停产', stopDate: '2020-01-01', floorArea: 5000 } }).mode).toBe('整合重组');
    expect(industrial({ ind: { status: '闲置', stopDate: '2020-01-01', floorArea: 5000 } }).mode).toBe('因地招商');
    expect(industrial({ ind: { floorArea: 5000 } }).mode).toBe('技改升级');
  });
  test('hits are listed in the rule set order', () => {
    const d = industrial({ env: false, ind: { floorArea: 5000, footprint: 1000, obsolete: true }, tax: 1, output: 1 });
    expect(d.hits).toEqual(['IND-PLOT', 'IND-COVER', 'IND-TAX', 'IND-OUTPUT', 'IND-OBSOLETE', 'IND-ENV']);
    const reordered: RuleSet = { ...RS, rules: [...RS.rules].reverse() };
    const r = industrial({ env: false, ind: { floorArea: 5000, footprint: 1000, obsolete: true }, tax: 1, output: 1, rs: reordered });
    expect(r.hits).toEqual(['IND-ENV', 'IND-OBSOLETE', 'IND-OUTPUT', 'IND-TAX', 'IND-COVER', 'IND-PLOT']);
  });
});
