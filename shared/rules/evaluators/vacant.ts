/** The 空闲地 rule (domain.md §5): the land use code itself. */
import * as util from '../../determine/util';
import * as context from './context';
import type { RuleEvaluator } from './context';

const { str } = util;
const { mkHit } = context;

export const VACANT_RULES: RuleEvaluator[] = [
  {
    id: 'VAC-LAND',
    category: '空闲地',
    missing: [],
    mode: '因地招商',
    evaluate(p) {
      return mkHit('VAC-LAND', str(p.base.values.landUseCode), null, '地类为空闲地');
    },
  },
];
