/**
 * The 居住 rules (domain.md §5): 老旧小区, 城中村/棚户区, 烂尾楼. They are evaluated on every
 * parcel and hit where a housing row is (a housing row may sit on a parcel of any category); a
 * parcel without one simply has nothing to hit, so they never make a result 待核实.
 */
import * as state from '../../determine/state';
import * as util from '../../determine/util';
import * as context from './context';
import type { RuleEvaluator } from './context';

const { num } = util;
const { unitName } = state;
const { mkHit } = context;

export const HOUSING_RULES: RuleEvaluator[] = [
  {
    id: 'RES-OLD',
    category: null,
    missing: [],
    mode: null,
    evaluate(p, t) {
      for (const h of p.hou) {
        const y = num(h.r.values.builtYear);
        if (h.r.values.housingType === '老旧小区' && y !== null && y <= t.oldHousingYear && h.r.values.amenities === '不全') {
          return mkHit('RES-OLD', y, t.oldHousingYear, `${unitName(h)}为${y}年建成的老旧小区（不晚于${t.oldHousingYear}年），配套设施不全`);
        }
      }
      return null;
    },
  },
  {
    id: 'RES-VILLAGE',
    category: null,
    missing: [],
    mode: '收储出让',
    evaluate(p) {
      for (const h of p.hou) {
        const ty = h.r.values.housingType;
        if (ty === '城中村' || ty === '棚户区') return mkHit('RES-VILLAGE', ty, null, `${unitName(h)}为${ty}`);
      }
      return null;
    },
  },
  {
    id: 'RES-STALLED',
    category: null,
    missing: [],
    mode: '收储出让',
    evaluate(p) {
      for (const h of p.hou) if (h.r.values.housingType === '烂尾楼') return mkHit('RES-STALLED', '烂尾楼', null, `${unitName(h)}为烂尾楼`);
      return null;
    },
  },
];
