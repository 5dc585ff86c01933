/**
 * Hand-built `Consolidation` objects for the writer tests and the write benchmark (the
 * determination engine is tested on its own; here only the workbook is under test).
 * Figures are chosen so each parcel's result follows from the default rule set by hand.
 */
import { makeIssue } from '../../shared/issues/issue';
import type { Consolidation, ParcelDetail } from '../../shared/types';

export const INJECTIONS = ['=HYPERLINK("http://evil.example","点我")', '+1', '-2', '@SUM(A1:A2)', "=1+1"];

const STREETS = ['大王庄街道', '大直沽街道', '中山门街道', '富民路街道', '二号桥街道', '春华街道'];

function pid(i: number): string {
  return `120102001002GB${String(i + 1).padStart(5, '0')}`;
}

/** Parcel i of a set: a repeating mix of 低效 industrial, 非低效 industrial, 待核实 commercial, 空闲地, historic. */
export function parcel(i: number): ParcelDetail {
  const kind = i % 5;
  const area = 6000 + ((i * 37) % 20000);
  const landAreaMu = area * 0.0015;
  const base: ParcelDetail = {
    parcelId: pid(i),
    street: STREETS[i % STREETS.length],
    category: '工业',
    result: '非低效',
    hits: [],
    missing: [],
    mode: null,
    landArea: area,
    plotRatio: null,
    coverage: null,
    taxPerMu: null,
    outputPerMu: null,
    location: `河东区示例路${i + 1}号`,
    landUseCode: '0601',
    owner: `天津示例机械制造有限公司${i + 1}`,
    plannedUse: '工业',
    landAreaMu,
    floorArea: null,
    footprint: null,
    tax: null,
    taxSource: null,
    output: null,
    outputSource: null,
    mainIndustry: null,
    taxBenchmark: null,
    taxBenchmarkBasis: 'none',
    outputBenchmark: null,
    outputBenchmarkBasis: 'none',
    vacancyRate: null,
    hitDetails: [],
    units: [],
    problems: [],
    historicPeriod: null,
    landProcedures: '齐全',
    occurrenceDate: null,
  };
  if (kind === 0) {
    // 低效 工业: plot ratio 0.55 < 0.8, tax per mu 3.2 < 50 % of 12
    return {
      ...base,
      result: '低效',
      hits: ['IND-PLOT', 'IND-TAX'],
      mode: '技改升级',
      plotRatio: 0.55,
      coverage: 31.5,
      taxPerMu: 3.2,
      outputPerMu: 150,
      floorArea: area * 0.55,
      footprint: area * 0.315,
      tax: 3.2 * landAreaMu,
      taxSource: '税务',
      output: 150 * landAreaMu,
      outputSource: '市场监管',
      mainIndustry: '34',
      taxBenchmark: 12,
      taxBenchmarkBasis: 'table',
      outputBenchmark: 400,
      outputBenchmarkBasis: 'district-class',
      hitDetails: [
        { rule: 'IND-PLOT', figure: 0.55, threshold: 0.8, reason: '容积率0.55低于标准0.80' },
        { rule: 'IND-TAX', figure: 3.2, threshold: 6, reason: '亩均税收3.20万元/亩低于基准12.00万元/亩的50%（6.00）' },
      ],
      units: [{ form: 'industrial', name: base.owner, detail: '用地面积 ' + area + '㎡，正常生产' }],
      problems: [{ form: 'industrial', file: `街道${(i % 3) + 1}.xlsx`, sheet: '低效工业调查表', row: 3 + i, unit: base.owner, type: '资金不足', description: i % 10 === 0 ? INJECTIONS[0] : '技改资金缺口较大' }],
    };
  }
  if (kind === 1) {
    return { ...base, plotRatio: 1.2, coverage: 45, taxPerMu: 20, outputPerMu: 600, tax: 20 * landAreaMu, taxSource: '自报', mainIndustry: '33', taxBenchmark: 12, taxBenchmarkBasis: 'table' };
  }
  if (kind === 2) {
    return {
      ...base, category: '商办', landUseCode: '05H1', plannedUse: '商业服务业', result: '待核实', missing: ['tax'],
      owner: `天津示例置业有限公司${i + 1}`, vacancyRate: 20,
      units: [{ form: 'commercial', name: `示例大厦${i + 1}`, detail: '空置率20%' }],
    };
  }
  if (kind === 3) {
    return {
      ...base, category: '空闲地', landUseCode: '1201', plannedUse: null, result: '低效', hits: ['VAC-LAND'], mode: '因地招商',
      hitDetails: [{ rule: 'VAC-LAND', figure: null, threshold: null, reason: '地类为空闲地（1201）' }],
    };
  }
  return {
    ...base, category: '其他', landUseCode: '0810', plannedUse: '绿地与开敞空间', result: '不参评',
    landProcedures: '不全', occurrenceDate: i % 2 ? '1995-06-01' : '2021-03-05', historicPeriod: i % 2 ? '1987-1998' : 'post-2019',
  };
}

/** A consolidation of `count` parcels (as the engine would hand it to the writer). */
export function makeConsolidation(count: number): Consolidation {
  const details: ParcelDetail[] = [];
  for (let i = 0; i < count; i++) details.push(parcel(i));
  const issues = [
    makeIssue('invalid-uscc', { form: 'industrial', sheet: '低效工业调查表', row: 7, column: 'C', field: '统一社会信用代码', parcelId: pid(0), value: '91110000600037341X' }),
    ...INJECTIONS.map((v, k) =>
      makeIssue('type-error', { form: 'industrial', sheet: '低效工业调查表', row: 8 + k, column: 'E', field: '用地面积(㎡)', parcelId: pid(1), value: v, expected: '数值' }),
    ),
    makeIssue('area-mismatch', { form: 'industrial', sheet: '低效工业调查表', parcelId: pid(0), value: 9000, expected: 10000, detail: '5%' }),
    makeIssue('missing-reference', { form: 'industrial', sheet: '低效工业调查表', row: 9, column: 'C', field: '统一社会信用代码', value: '91350100M000100Y43', detail: '税务' }),
  ];
  const historic = details.filter((d) => d.historicPeriod).map((d) => ({ parcelId: d.parcelId, period: d.historicPeriod! }));
  return {
    result: {
      ruleSet: { id: 'hedong-default', version: '2022.1' },
      evaluationDate: '2022-12-31',
      parcels: details.map(({ parcelId, street, category, result, hits, missing, mode, landArea, plotRatio, coverage, taxPerMu, outputPerMu }) => ({
        parcelId, street, category, result, hits, missing, mode, landArea, plotRatio, coverage, taxPerMu, outputPerMu,
      })),
      historic,
      issues: issues.map(({ hint: _h, ...x }) => x),
      inputs: [
        { file: 'base.xlsx', sheet: '地块底图表', form: 'base', rows: count, issueRows: 0 },
        { file: 'industrial.xlsx', sheet: '低效工业调查表', form: 'industrial', rows: 60, issueRows: 6 },
      ],
    },
    details,
    issues,
    conservation: [
      { file: 'base.xlsx', form: 'base', sheet: '地块底图表', rowsIn: count, rowsUsed: count, rowsIssueOnly: 0, rowsNotRecords: 0 },
      { file: 'industrial.xlsx', form: 'industrial', sheet: '低效工业调查表', rowsIn: 60, rowsUsed: 54, rowsIssueOnly: 6, rowsNotRecords: 2 },
    ],
  };
}
