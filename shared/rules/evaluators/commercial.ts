/** The 商办 rules (domain.md §5): 空置率, 亩均税收, 烂尾, 危房. */
import * as state from '../../determine/state';
import * as util from '../../determine/util';
import * as context from './context';
import type { RuleEvaluator } from './context';
import * as industrial from './industrial';

const { f2 } = util;
const { perMuRule } = industrial;
const { unitName } = state;
const { M_TAX, M_TAX_BENCH, mkHit, needSurvey } = context;

export const COMMERCIAL_RULES: RuleEvaluator[] = [
  {
    id: 'COM-VACANT',
    category: '商办',
    missing: ['survey'],
    mode: '因地招商',
    evaluate(p, t, c) {
      if (p.com.length === 0) return needSurvey(c);
      const vr = p.vacancyRate;
      if (vr === null || !(vr >= t.vacancyRate)) return null;
      return mkHit('COM-VACANT', vr, t.vacancyRate, `空置率${f2(vr)}%不低于标准${c.texts.f2(t.vacancyRate)}%`);
    },
  },
  {
    id: 'COM-TAX',
    category: '商办',
    missing: ['survey', 'tax', 'taxBenchmark'],
    mode: null,
    evaluate(p, t, c) {
      if (p.com.length === 0) return needSurvey(c);
      return perMuRule('COM-TAX', c, c.taxPerMu, c.taxBench.value, t.commercialTaxShare, M_TAX, M_TAX_BENCH, '亩均税收', '商办基准');
    },
  },
  {
    id: 'COM-STALLED',
    category: '商办',
    missing: ['survey'],
    mode: '收储出让',
    evaluate(p, _t, c) {
      if (p.com.length === 0) return needSurvey(c);
      for (const b of p.com) if (b.r.values.stalled === true) return mkHit('COM-STALLED', '是', null, `${unitName(b)}为烂尾楼宇`);
      return null;
    },
  },
  {
    id: 'COM-UNSAFE',
    category: '商办',
    missing: ['survey'],
    mode: null,
    evaluate(p, _t, c) {
      if (p.com.length === 0) return needSurvey(c);
      for (const b of p.com) {
        const g = b.r.values.dangerGrade;
        if (g === 'C' || g === 'D') return mkHit('COM-UNSAFE', g, 'C/D', `${unitName(b)}为${g}级危房`);
      }
      return null;
    },
  },
];
