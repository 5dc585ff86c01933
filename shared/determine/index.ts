import { FORMS } from '../forms';
import type { Issue } from '../issues/issue';
import type { RuleSet } from '../rules/schema';
import type { Consolidation, FormRead, ParcelDetail } from '../types';
import { Determiner } from './determination';
import { splitEnterprises } from './enterprise';
import { parcelFigures } from './figures';
import { historicLand } from './historic';
import { joinInputs } from './join';
import { consolidation, sortedIssues } from './result';
import { runState, type EngineOptions, type RunState } from './state';

export { categoryOf, minusYears, mu } from './util';

/** The passes every run makes, in order: join, historic land, enterprise split, figures (with the district sums). */
/** The pilot's forms (project, milestone) are not survey inputs: the determination leaves them out. */
const PILOT_FORMS = new Set(FORMS.filter((f) => f.kind === 'pilot').map((f) => f.id));
const surveyStage = (reads: FormRead[]) => (reads.some((r) => PILOT_FORMS.has(r.form)) ? reads.filter((r) => !PILOT_FORMS.has(r.form)) : reads);

function checkPasses(reads: FormRead[], ruleSet: RuleSet, opts: EngineOptions): RunState {
  const s = runState(surveyStage(reads), ruleSet, opts);
  joinInputs(s);
  historicLand(s);
  splitEnterprises(s);
  parcelFigures(s);
  return s;
}

/**
 * Cross-form checks, per-mu figures, rules and historic land over every form read (domain.md §5,
 * §6, §8). Inputs are taken in the order given (§8.7); several inputs of one form are concatenated.
 * The passes: join → historic → enterprise split → figures → determination (benchmarks, rules,
 * results, modes) → result mapping.
 */
export function consolidate(reads: FormRead[], ruleSet: RuleSet): Consolidation {
  const s = checkPasses(reads, ruleSet, {});
  const d = new Determiner(s);
  const details: ParcelDetail[] = new Array(s.parcelList.length);
  for (let i = 0; i < s.parcelList.length; i++) details[i] = d.determine(s.parcelList[i]);
  const c = consolidation(s, details);
  // which file each issue came from (the submission's 问题清单 shows it: twelve street files may all call their sheet Sheet1):
  // the reader's issues and the engine's own cross-form issues, each raised on one input
  const files = new Map<Issue, string>();
  for (const st of s.states) {
    for (const is of st.read.issues) files.set(is, st.read.file);
    for (const is of st.own) files.set(is, st.read.file);
  }
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
  const s = checkPasses(reads, ruleSet, { checksOnly: true });
  return sortedIssues(s, (st) => st.def.kind === 'survey', true);
}
