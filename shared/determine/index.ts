import type { Issue } from '../issues/issue';
import type { RuleSet } from '../rules/schema';
import type { Consolidation, FormRead } from '../types';
import { Engine } from './engine';

export { categoryOf, minusYears, mu } from './util';

/**
 * Cross-form checks, per-mu figures, rules and historic land over every form read (domain.md §5,
 * §6, §8). Inputs are taken in the order given (§8.7); several inputs of one form are concatenated.
 */
export function consolidate(reads: FormRead[], ruleSet: RuleSet): Consolidation {
  const e = new Engine(reads, ruleSet);
  e.run();
  const c = e.consolidation();
  // which file each issue came from (the submission's 问题清单 shows it: twelve street files may all call their sheet Sheet1)
  const files = new Map<Issue, string>();
  for (const r of reads) for (const is of r.issues) files.set(is, r.file);
  c.issueFiles = files;
  return c;
}

/**
 * The cross-form issues of the survey forms given against the base given (validate --base):
 * parcel-not-in-base, category-mismatch, area-mismatch, duplicate keys across inputs, and
 * tax-mismatch when a tax form is given too. Without a base input there is nothing to check
 * against and the answer is empty.
 */
export function crossCheck(reads: FormRead[], ruleSet: RuleSet): Issue[] {
  if (!reads.some((r) => r.form === 'base')) return [];
  const e = new Engine(reads, ruleSet, { checksOnly: true });
  e.run();
  return e.sortedIssues((st) => st.def.kind === 'survey', true);
}
