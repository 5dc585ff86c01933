import type { Issue } from '../issues/issue';
import type { RuleSet } from '../rules/schema';
import type { Consolidation, FormRead } from '../types';

/** STUB (owned by the determination work): cross-form checks, per-mu figures, rules, historic land. */
export function consolidate(_reads: FormRead[], _ruleSet: RuleSet): Consolidation {
  throw new Error('not implemented yet');
}

/** STUB: the cross-form issues of one survey form against the base (validate --base). */
export function crossCheck(_reads: FormRead[], _ruleSet: RuleSet): Issue[] {
  throw new Error('not implemented yet');
}
