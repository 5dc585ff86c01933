/**
 * What a rule evaluator is and what it sees (domain.md §5). Each evaluator declares its rule id,
 * the parcel category it is evaluated on, the missing items (`missing` of a 待核实 result) it may
 * add when it cannot be evaluated, and the mode (建议再开发模式) a hit suggests; the rule-group
 * and mode tables of the determination are derived from these declarations (index.ts).
 */
import type { Located, Parcel } from '../../determine/state';
import type { Benchmark } from '../../determine/state';
import type { ConstTexts } from '../../format';
import { MISSING_ITEMS } from '../../lists';
import type { Category, MissingItem, Mode, RuleHit } from '../../types';
import type { RuleId, Thresholds } from '../schema';

/** Order of `missing` in the result; bit i of RuleContext.missing is MISSING_ORDER[i]. */
export const MISSING_ORDER: readonly MissingItem[] = MISSING_ITEMS;

/** The bit of a missing item in RuleContext.missing. */
export function missingBit(m: MissingItem): number {
  return 1 << MISSING_ORDER.indexOf(m);
}

export const M_TAX = missingBit('tax');
export const M_OUTPUT = missingBit('output');
export const M_TAX_BENCH = missingBit('taxBenchmark');
export const M_OUTPUT_BENCH = missingBit('outputBenchmark');
export const M_SURVEY = missingBit('survey');

/**
 * The figures the rules compare on one parcel, and what kept a rule from being evaluated (bit
 * mask over MISSING_ORDER). One object per run, reset for every parcel.
 */
export interface RuleContext {
  taxBench: Benchmark;
  outBench: Benchmark;
  taxPerMu: number | null;
  outputPerMu: number | null;
  idleCut: string;
  stopCut: string;
  missing: number;
  /** The environmental bureau's 是否符合环保要求 by USCC. */
  env: Map<string, Located<boolean>>;
  /** Texts of standards, benchmarks, thresholds and shares: few distinct values, each written in many reasons. */
  texts: ConstTexts;
}

export interface RuleEvaluator {
  id: RuleId;
  /** The category of the parcels it is evaluated on; null: every parcel (the RES-* rules look for housing rows wherever they are). */
  category: Category | null;
  /** The missing items it may add to the parcel's `missing` (待核实) when it cannot be evaluated. */
  missing: readonly MissingItem[];
  /** The mode a hit suggests (§5, first match in MODE_PRIORITY); null: none (技改升级 unless another hit says otherwise). */
  mode: Mode | null;
  /** The hit, or null (adding to c.missing what kept it from being evaluated). */
  evaluate(p: Parcel, t: Thresholds, c: RuleContext): RuleHit | null;
}

export function mkHit(rule: RuleId, figure: RuleHit['figure'], threshold: RuleHit['threshold'], reason: string): RuleHit {
  return { rule, figure, threshold, reason };
}

/** The rule needs the parcel's survey rows and it has none. */
export function needSurvey(c: RuleContext): null {
  c.missing |= M_SURVEY;
  return null;
}
