/**
 * Determination pass (domain.md §5, §8): per parcel, the thresholds of its main industry, its
 * per-亩 figures and benchmarks, every enabled rule of the rule set in order (the evaluators of
 * shared/rules/evaluators), then 低效 (a hit) / 待核实 (something missing) / 不参评 / 非低效 and,
 * for 低效, the suggested mode.
 */
import * as evaluators from '../rules/evaluators';
import type { RuleContext, RuleEvaluator } from '../rules/evaluators';
import type { RuleId } from '../rules/schema';
import type { MissingItem, Mode, ParcelDetail, ResultLabel, RuleHit } from '../types';
import * as benchmarks from './benchmarks';
import * as resultModule from './result';
import * as state from './state';
import type { Parcel, RowRef, RunState } from './state';
import * as util from './util';

// per-parcel paths: imported names copied into module constants once (CommonJS export getters otherwise)
const { minusYears, mu } = util;
const { DEFAULT_MODE, EVALUATOR_BY_ID, MISSING_ORDER, MODE_PRIORITY } = evaluators;
const { benchmark, commercialBenchmark } = benchmarks;
const { Detail } = resultModule;
const { NO_BENCHMARK, thresholds } = state;

/** The determination of one run: the enabled rules in the rule set's order, the reused context. */
export class Determiner {
  private readonly rules: RuleEvaluator[];
  private readonly rc: RuleContext;

  constructor(private readonly s: RunState) {
    this.rules = s.rs.rules.filter((r) => r.enabled).map((r) => EVALUATOR_BY_ID[r.id]);
    this.rc = {
      taxBench: NO_BENCHMARK,
      outBench: NO_BENCHMARK,
      taxPerMu: null,
      outputPerMu: null,
      idleCut: '',
      stopCut: '',
      missing: 0,
      env: s.envByUscc,
      texts: s.texts,
    };
  }

  private cutoff(years: number): string {
    const cuts = this.s.cutoffs;
    let d = cuts.get(years);
    if (d === undefined) cuts.set(years, (d = minusYears(this.s.evalDate, years)));
    return d;
  }

  determine(p: Parcel): ParcelDetail {
    const s = this.s;
    const cat = p.category;
    const t = thresholds(s, cat === '工业' ? p.main : null);
    const landMu = mu(p.landArea);
    const hits: RuleHit[] = [];
    const c = this.rc;
    c.missing = 0;
    c.taxBench = NO_BENCHMARK;
    c.outBench = NO_BENCHMARK;
    c.taxPerMu = null;
    c.outputPerMu = null;
    if (cat === '工业' && p.ind.length > 0) {
      c.taxBench = benchmark(s, 'tax', p.main);
      c.outBench = benchmark(s, 'output', p.main);
      c.taxPerMu = p.tax === null ? null : p.tax / landMu;
      c.outputPerMu = p.output === null ? null : p.output / landMu;
    } else if (cat === '商办' && p.com.length > 0) {
      c.taxBench = commercialBenchmark(s);
      c.taxPerMu = p.tax === null ? null : p.tax / landMu;
    }
    c.idleCut = this.cutoff(t.idleYears);
    c.stopCut = this.cutoff(t.stopYears);

    const rules = this.rules;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (rule.category !== null && rule.category !== cat) continue;
      const hit = rule.evaluate(p, t, c);
      if (hit !== null) hits.push(hit);
    }

    let result: ResultLabel;
    if (hits.length > 0) result = '低效';
    else if (c.missing !== 0) result = '待核实';
    else if (cat === '其他' && p.hou.length === 0) result = '不参评';
    else result = '非低效';

    const hitIds: RuleId[] = new Array(hits.length);
    for (let i = 0; i < hits.length; i++) hitIds[i] = hits[i].rule;
    const missing: MissingItem[] = [];
    if (result === '待核实') for (let b = 0; b < MISSING_ORDER.length; b++) if (c.missing & (1 << b)) missing.push(MISSING_ORDER[b]);
    const mode = result === '低效' ? modeOf(p, hitIds) : null;
    return new Detail(p, cat, result, hitIds, missing, mode, landMu, c, hits);
  }
}

function wantsReserve(rows: RowRef[]): boolean {
  for (const r of rows) if (r.r.values.willingness === '收储') return true;
  return false;
}

/** §5 suggested mode, first match; 盘活意愿 收储 read from industrial and commercial rows (§8.11). */
function modeOf(p: Parcel, hits: RuleId[]): Mode {
  for (const m of MODE_PRIORITY) {
    for (const h of hits) if (EVALUATOR_BY_ID[h].mode === m) return m;
    if (m === '收储出让' && (wantsReserve(p.ind) || wantsReserve(p.com))) return m;
  }
  return DEFAULT_MODE;
}

