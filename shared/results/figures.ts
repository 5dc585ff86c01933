/**
 * How the per-parcel result figures of the JSON contract are labelled and formatted wherever a
 * person sees them: the add-in's result columns beside the data, and the submission workbook's
 * 认定结果 / 低效用地数据库 sheets and cards. One definition, so both say the same thing. Pure.
 */
import type { HistoricPeriod } from '../rules/schema';

/** Number formats: areas and money `#,##0.00`, ratios and percentages `0.00`, text `@`. */
export const NUMFMT = { amount: '#,##0.00', ratio: '0.00', text: '@' } as const;
export type FigureKind = keyof typeof NUMFMT;

/** The contract's figure fields of a parcel result, with their Chinese column title and format kind. */
export const RESULT_FIGURES = {
  landArea: { title: '土地面积(㎡)', kind: 'amount' },
  plotRatio: { title: '容积率', kind: 'ratio' },
  coverage: { title: '建筑密度(%)', kind: 'ratio' },
  taxPerMu: { title: '亩均税收(万元/亩)', kind: 'amount' },
  outputPerMu: { title: '亩均产值(万元/亩)', kind: 'amount' },
  result: { title: '认定结果', kind: 'text' },
  hits: { title: '命中规则', kind: 'text' },
  mode: { title: '建议再开发模式', kind: 'text' },
} as const satisfies Record<string, { title: string; kind: FigureKind }>;

export type ResultFigure = keyof typeof RESULT_FIGURES;

/** Historic-land periods (domain.md §6) in words. */
export const PERIOD_LABEL: Record<HistoricPeriod, string> = {
  'pre-1987': '1987年1月1日以前',
  '1987-1998': '1987年至1998年',
  '1999-2009': '1999年至第二次全国土地调查（2009年底）',
  '2010-2019': '二调后至第三次全国国土调查（2019年底）',
  'post-2019': '三调后（新增违法用地）',
};
