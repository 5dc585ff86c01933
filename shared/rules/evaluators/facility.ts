/** The 设施 rules (domain.md §5): 闲置, 低效使用. */
import * as state from '../../determine/state';
import * as util from '../../determine/util';
import * as context from './context';
import type { RuleEvaluator } from './context';

const { str } = util;
const { unitName } = state;
const { mkHit, needSurvey } = context;

export const FACILITY_RULES: RuleEvaluator[] = [
  {
    id: 'FAC-IDLE',
    category: '设施',
    missing: ['survey'],
    mode: '因地招商',
    evaluate(p, t, c) {
      if (p.fac.length === 0) return needSurvey(c);
      for (const f of p.fac) {
        if (f.r.values.useStatus !== '闲置') continue;
        const d = str(f.r.values.idleDate);
        if (d !== null && d <= c.idleCut) return mkHit('FAC-IDLE', d, c.idleCut, `${unitName(f)}自${d}起闲置，已满${t.idleYears}年`);
      }
      return null;
    },
  },
  {
    id: 'FAC-UNDERUSED',
    category: '设施',
    missing: ['survey'],
    mode: null,
    evaluate(p, _t, c) {
      if (p.fac.length === 0) return needSurvey(c);
      for (const f of p.fac) if (f.r.values.useStatus === '低效使用') return mkHit('FAC-UNDERUSED', '低效使用', null, `${unitName(f)}低效使用`);
      return null;
    },
  },
];
