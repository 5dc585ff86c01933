/**
 * Every rule's evaluator (one per rule id, grouped per category), and the tables the
 * determination derives from their declarations: by id, the category each is evaluated on, and
 * the modes in the order of §5 (first match wins; 收储出让 also when a survey row's 盘活意愿 is 收储).
 */
import type { Category, Mode } from '../../types';
import { RULE_IDS, type RuleId } from '../schema';
import { COMMERCIAL_RULES } from './commercial';
import type { RuleEvaluator } from './context';
import { FACILITY_RULES } from './facility';
import { HOUSING_RULES } from './housing';
import { INDUSTRIAL_RULES } from './industrial';
import { VACANT_RULES } from './vacant';

export type { RuleContext, RuleEvaluator } from './context';
export { MISSING_ORDER } from './context';

export const RULE_EVALUATORS: readonly RuleEvaluator[] = [...INDUSTRIAL_RULES, ...COMMERCIAL_RULES, ...FACILITY_RULES, ...HOUSING_RULES, ...VACANT_RULES];

/** The evaluator of each rule id (every id of the rule-set schema has exactly one). */
export const EVALUATOR_BY_ID: Readonly<Record<RuleId, RuleEvaluator>> = (() => {
  const out = {} as Record<RuleId, RuleEvaluator>;
  for (const e of RULE_EVALUATORS) {
    if (out[e.id]) throw new Error(`two evaluators for rule ${e.id}`);
    out[e.id] = e;
  }
  for (const id of RULE_IDS) if (!out[id]) throw new Error(`no evaluator for rule ${id}`);
  return out;
})();

/** The category each rule is evaluated on (null: every parcel). */
export const RULE_GROUP: Readonly<Record<RuleId, Category | null>> = Object.fromEntries(RULE_EVALUATORS.map((e) => [e.id, e.category])) as Record<RuleId, Category | null>;

/** The modes a hit may suggest, first match first (§5); 技改升级 when none matches. */
export const MODE_PRIORITY: readonly Mode[] = ['综合施策', '收储出让', '整合重组', '因地招商'];
export const DEFAULT_MODE: Mode = '技改升级';
