import { z } from 'zod';
import { isRealIsoDate } from '../dates';
import { HISTORIC_PERIODS } from '../lists';
import { ISSUE_CODE_LIST } from '../issues/catalogue';

export const RULE_IDS = [
  'IND-PLOT', 'IND-COVER', 'IND-TAX', 'IND-OUTPUT', 'IND-STOP', 'IND-IDLE', 'IND-OBSOLETE', 'IND-ENV', 'IND-REZONED',
  'COM-VACANT', 'COM-TAX', 'COM-STALLED', 'COM-UNSAFE',
  'FAC-IDLE', 'FAC-UNDERUSED',
  'RES-OLD', 'RES-VILLAGE', 'RES-STALLED',
  'VAC-LAND',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期须为 YYYY-MM-DD').refine(isRealIsoDate, '日期须为真实存在的日期');
const severity = z.enum(['error', 'warning', 'info']);

/** Thresholds of the district rule set (细化认定标准). Percentages are 0–100, ratios 0–1. */
export const thresholdsSchema = z.object({
  /** IND-PLOT: 容积率 below this hits. */
  plotRatio: z.number().nonnegative(),
  /** IND-COVER: 建筑密度 (%) below this hits. */
  coverage: z.number().min(0).max(100),
  /** IND-TAX: 亩均税收 below this share of the benchmark hits. */
  taxShare: z.number().positive(),
  /** IND-OUTPUT: 亩均产值 below this share of the output benchmark hits. */
  outputShare: z.number().positive(),
  /** COM-TAX: 商办 亩均税收 below this share of the 商办 benchmark hits. */
  commercialTaxShare: z.number().positive(),
  /** IND-STOP: stopped or half-stopped for at least this many years. */
  stopYears: z.number().int().positive(),
  /** IND-IDLE / FAC-IDLE: idle for at least this many years; also 约定动工日期 this many years past. */
  idleYears: z.number().int().positive(),
  /** COM-VACANT: 空置率 (%) at or above this hits. */
  vacancyRate: z.number().min(0).max(100),
  /** RES-OLD: 建成年份 at or before this year. */
  oldHousingYear: z.number().int(),
  /** inconsistent-plot-ratio: relative tolerance (0.05 = 5%). */
  plotRatioTolerance: z.number().nonnegative(),
  /** area-mismatch: relative tolerance. */
  areaTolerance: z.number().nonnegative(),
  /** tax-mismatch: relative tolerance. */
  taxTolerance: z.number().nonnegative(),
  /** District benchmark for a 大类 needs at least this many parcels with known figures. */
  minDistrictParcels: z.number().int().positive(),
});
export type Thresholds = z.infer<typeof thresholdsSchema>;

export const ruleSetSchema = z
  .object({
    id: z.string().min(1),
    version: z.string().min(1),
    name: z.string().optional(),
    /** Where the thresholds come from (documents, decisions). */
    sources: z.array(z.string()).default([]),
    evaluationDate: isoDate,
    countyCode: z.string().regex(/^\d{6}$/),
    districtName: z.string().default('河东区'),
    streets: z.array(z.string().min(1)).min(1),
    /** Rules in evaluation and reporting order; a rule can be switched off. */
    rules: z.array(z.object({ id: z.enum(RULE_IDS), enabled: z.boolean().default(true), description: z.string().optional() })),
    thresholds: thresholdsSchema,
    /** Per-大类 (two digits) threshold overrides, e.g. {"25": {"plotRatio": 0.5}}. */
    industryOverrides: z.record(z.string().regex(/^\d{2}$/), thresholdsSchema.partial()).default({}),
    /** Historic-land period bounds: a date before `before` falls in that period; the last has none. */
    historicPeriods: z
      .array(z.object({ id: z.enum(HISTORIC_PERIODS), before: isoDate.nullable() }))
      .length(5),
    /** Issue severity overrides. */
    severities: z.partialRecord(z.enum(ISSUE_CODE_LIST as [string, ...string[]]), severity).default({}),
  })
  .strict();

export type RuleSet = z.infer<typeof ruleSetSchema>;
export type HistoricPeriod = RuleSet['historicPeriods'][number]['id'];
