/** The 工业 rules (domain.md §5): 容积率, 建筑密度, 亩均税收, 亩均产值, 停产, 闲置, 淘汰类, 环保, 规划调整. */
import * as state from '../../determine/state';
import * as util from '../../determine/util';
import type { RuleHit } from '../../types';
import type { RuleId } from '../schema';
import * as context from './context';
import type { RuleContext, RuleEvaluator } from './context';

const { f2, str } = util;
const { unitName } = state;
const { M_OUTPUT, M_OUTPUT_BENCH, M_TAX, M_TAX_BENCH, mkHit, needSurvey } = context;

/** A per-亩 figure against share × benchmark (亩均税收, 亩均产值; also 商办). */
export function perMuRule(
  id: RuleId,
  c: RuleContext,
  perMu: number | null,
  bench: number | null,
  share: number,
  missFigure: number,
  missBench: number,
  label: string,
  benchLabel: string,
): RuleHit | null {
  if (perMu === null) c.missing |= missFigure;
  if (bench === null) c.missing |= missBench;
  if (perMu === null || bench === null) return null;
  const threshold = share * bench;
  if (!(perMu < threshold)) return null;
  return mkHit(id, perMu, threshold, `${label}${f2(perMu)}万元/亩低于${benchLabel}${c.texts.f2(bench)}万元/亩的${c.texts.pct(share)}（${c.texts.f2(threshold)}万元/亩）`);
}

export const INDUSTRIAL_RULES: RuleEvaluator[] = [
  {
    id: 'IND-PLOT',
    category: '工业',
    missing: ['survey'],
    mode: null,
    evaluate(p, t, c) {
      if (p.ind.length === 0) return needSurvey(c);
      const pr = p.plotRatio;
      if (pr === null || !(pr < t.plotRatio)) return null;
      return mkHit('IND-PLOT', pr, t.plotRatio, `容积率${f2(pr)}低于标准${c.texts.f2(t.plotRatio)}`);
    },
  },
  {
    id: 'IND-COVER',
    category: '工业',
    missing: ['survey'],
    mode: null,
    evaluate(p, t, c) {
      if (p.ind.length === 0) return needSurvey(c);
      const cv = p.coverage;
      if (cv === null || !(cv < t.coverage)) return null;
      return mkHit('IND-COVER', cv, t.coverage, `建筑密度${f2(cv)}%低于标准${c.texts.f2(t.coverage)}%`);
    },
  },
  {
    id: 'IND-TAX',
    category: '工业',
    missing: ['survey', 'tax', 'taxBenchmark'],
    mode: null,
    evaluate(p, t, c) {
      if (p.ind.length === 0) return needSurvey(c);
      return perMuRule('IND-TAX', c, c.taxPerMu, c.taxBench.value, t.taxShare, M_TAX, M_TAX_BENCH, '亩均税收', '行业基准');
    },
  },
  {
    id: 'IND-OUTPUT',
    category: '工业',
    missing: ['survey', 'output', 'outputBenchmark'],
    mode: null,
    evaluate(p, t, c) {
      if (p.ind.length === 0) return needSurvey(c);
      return perMuRule('IND-OUTPUT', c, c.outputPerMu, c.outBench.value, t.outputShare, M_OUTPUT, M_OUTPUT_BENCH, '亩均产值', '行业基准');
    },
  },
  {
    id: 'IND-STOP',
    category: '工业',
    missing: ['survey'],
    mode: '整合重组',
    evaluate(p, t, c) {
      if (p.ind.length === 0) return needSurvey(c);
      for (const e of p.ind) {
        const s = e.r.values.status;
        if (s !== '停产' && s !== '半停产') continue;
        const d = str(e.r.values.stopDate);
        if (d !== null && d <= c.stopCut) return mkHit('IND-STOP', d, c.stopCut, `${unitName(e)}自${d}起${s}，已满${t.stopYears}年`);
      }
      return null;
    },
  },
  {
    id: 'IND-IDLE',
    category: '工业',
    missing: ['survey'],
    mode: '因地招商',
    evaluate(p, t, c) {
      for (const e of p.ind) {
        if (e.r.values.status !== '闲置') continue;
        const d = str(e.r.values.stopDate);
        if (d !== null && d <= c.idleCut) return mkHit('IND-IDLE', d, c.idleCut, `${unitName(e)}自${d}起闲置，已满${t.idleYears}年`);
      }
      // 约定动工日期 is on the base: an unbuilt parcel hits without any survey row
      const agreed = str(p.base.values.agreedStartDate);
      if (agreed !== null && agreed <= c.idleCut && (p.floor ?? 0) === 0) {
        return mkHit('IND-IDLE', agreed, c.idleCut, `约定动工日期${agreed}已超过${t.idleYears}年，总建筑面积为0，未动工`);
      }
      return p.ind.length === 0 ? needSurvey(c) : null;
    },
  },
  {
    id: 'IND-OBSOLETE',
    category: '工业',
    missing: ['survey'],
    mode: '综合施策',
    evaluate(p, _t, c) {
      if (p.ind.length === 0) return needSurvey(c);
      for (const e of p.ind) if (e.r.values.obsolete === true) return mkHit('IND-OBSOLETE', '是', null, `${unitName(e)}属于产业结构调整指导目录淘汰类`);
      return null;
    },
  },
  {
    id: 'IND-ENV',
    category: '工业',
    missing: ['survey'],
    mode: '综合施策',
    evaluate(p, _t, c) {
      if (p.ind.length === 0) return needSurvey(c);
      for (const e of p.ind) if (c.env.get(e.uscc)?.v === false) return mkHit('IND-ENV', '否', null, `${unitName(e)}不符合环保要求`);
      return null;
    },
  },
  {
    id: 'IND-REZONED',
    category: '工业',
    missing: ['survey'],
    mode: '收储出让',
    evaluate(p, _t, c) {
      if (p.ind.length === 0) return needSurvey(c);
      const planned = str(p.base.values.plannedUse);
      if (planned === null || planned === '工业' || planned === '物流仓储') return null;
      for (const e of p.ind) {
        const s = str(e.r.values.status);
        if (s !== null && s !== '闲置') return mkHit('IND-REZONED', planned, '工业/物流仓储', `规划用途已调整为${planned}，${unitName(e)}仍在经营（${s}）`);
      }
      return null;
    },
  },
];
